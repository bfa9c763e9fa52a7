"""Ingest: read, code and store many articles, skipping what is stored already."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from .config import Settings
from .pipeline import Pipeline
from .readers import Failure, read_inputs
from .records import Article
from .store import Store


@dataclass
class IngestSummary:
    db: str
    articles: int = 0  # newly stored
    skipped: int = 0  # already stored with the same text
    events: int = 0
    quotes: int = 0
    failures: int = 0
    seconds: float = 0.0
    failure_list: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.db}: {self.articles} articles stored, {self.skipped} already there, "
                f"{self.events} events, {self.quotes} quotes, {self.failures} failures "
                f"in {self.seconds:.1f}s")


def ingest(paths: list[str], db: str, *, published: str | None = None, settings: Settings | None = None,
           progress: bool = False) -> IngestSummary:
    settings = settings or Settings.from_env()
    pipe = Pipeline(settings)
    summary = IngestSummary(db=db)
    t0 = time.time()
    with Store(db) as store:
        run_id = store.start_run({"model": settings.model, "actor_files": settings.actor_files,
                                  "pattern_files": settings.pattern_files}, paths)

        def fresh():
            for item in read_inputs(paths, published):
                if isinstance(item, Article) and store.has_article(item.id, item.text):
                    summary.skipped += 1
                    continue
                yield item

        for n, item in enumerate(pipe.code_stream(fresh()), 1):
            if isinstance(item, Failure):
                summary.failures += 1
                summary.failure_list.append(item)
                store.add_failure(run_id, item)
            elif store.add_result(item, run_id):
                summary.articles += 1
                summary.events += len(item.events)
                summary.quotes += len(item.quotes)
            else:
                summary.skipped += 1
            if progress and n % 100 == 0:
                rate = n / max(time.time() - t0, 1e-9)
                print(f"  {n} documents, {rate:.1f}/s", file=sys.stderr)
        summary.seconds = time.time() - t0
        store.finish_run(run_id, {"articles": summary.articles, "skipped": summary.skipped,
                                  "events": summary.events, "quotes": summary.quotes,
                                  "failures": summary.failures})
    return summary
