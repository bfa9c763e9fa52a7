"""Ingest: read, deduplicate, parse, code and store many articles; resumable and idempotent.

The input is streamed: files are read one at a time, in order, and only the articles in flight
through the parser are held in memory (``batch_size`` times a few per process), so memory stays
flat however large the input. Parsing runs in ``Settings.n_process`` processes
(``nlp.pipe(n_process=...)``); coding and storing run in this process, one article per
transaction, in input order.

Each document is, in order of the checks:
  * *skipped* when its id is stored with the same text (a re-run adds nothing);
  * linked as an *exact* duplicate when a stored or in-flight article has the same text;
  * linked as a *near* duplicate when MinHash/LSH finds a stored or in-flight article whose
    estimated similarity reaches ``near_threshold`` (:mod:`dyad.dedup`);
  * otherwise parsed, coded and stored (replacing an earlier version under the same id).
A document that cannot be read, coded or stored becomes a row in ``failures`` and the batch goes
on. Every decision depends only on what is stored and on input order, so after a ``kill -9`` the
same command stores each article exactly once and ends in the state an uninterrupted run reaches.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from . import dedup
from .config import Settings
from .pipeline import Pipeline
from .readers import Failure, check_date, iter_files, read_path
from .records import Article, Result
from .store import Store, text_hash

MAX_LISTED_FAILURES = 100


@dataclass
class IngestSummary:
    db: str
    articles: int = 0  # newly stored
    duplicates: int = 0  # linked to a stored article instead of being stored again
    exact: int = 0
    near: int = 0
    skipped: int = 0  # already stored with the same text
    events: int = 0
    quotes: int = 0
    failures: int = 0
    documents: int = 0  # everything handled: the sum of the above kinds
    seconds: float = 0.0
    run_id: str = ""
    failure_list: list[Failure] = field(default_factory=list)  # the first MAX_LISTED_FAILURES

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds > 0 else 0.0
        return (f"{self.db}: {self.articles} articles stored, {self.duplicates} duplicates "
                f"({self.exact} exact, {self.near} near), {self.skipped} already there, "
                f"{self.events} events, {self.quotes} quotes, {self.failures} failures "
                f"in {self.seconds:.1f}s ({rate:.1f} documents/s)")

    def counts(self) -> dict[str, int]:
        return {"articles": self.articles, "duplicates": self.duplicates, "skipped": self.skipped,
                "events": self.events, "quotes": self.quotes, "failures": self.failures}


@dataclass
class _Work:
    kind: str  # parse, duplicate
    article: Article
    file_no: int
    content_hash: str = ""
    sig: np.ndarray | None = None
    kept_id: str = ""
    dup_kind: str = ""
    similarity: float = 0.0


# --- inputs ---------------------------------------------------------------------------------
def count_files(paths: list[str]) -> int | None:
    """How many files the inputs hold (walking directories, reading nothing); None for stdin."""
    n = 0
    for path in paths:
        if path == "-":
            return None
        p = Path(path)
        n += sum(1 for _ in iter_files(p)) if p.is_dir() else 1
    return n


def iter_inputs(paths: list[str], published: str | None = None, fields: dict[str, str] | None = None
                ) -> Iterator[tuple[int, Article | Failure]]:
    """(file number, article or failure) for every document of every input, lazily, in order."""
    file_no = 0
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            found = False
            for f in iter_files(p):
                found = True
                yield from _read_one(str(f), published, file_no, fields)
                file_no += 1
            if not found:
                yield file_no, Failure(path, "read", "directory holds no article files")
            continue
        yield from _read_one(path, published, file_no, fields)
        file_no += 1


def _read_one(path: str, published: str | None, file_no: int, fields: dict[str, str] | None = None
              ) -> Iterator[tuple[int, Article | Failure]]:
    try:
        for item in read_path(path, published, fields):
            yield file_no, item
    except Exception as exc:  # noqa: BLE001 - a reader bug on one file never stops the batch
        yield file_no, Failure(path, "read", f"{type(exc).__name__}: {exc}")


# --- progress -------------------------------------------------------------------------------
class _Progress:
    """Counts for the progress display: documents handled and files finished."""

    def __init__(self, summary: IngestSummary, total_files: int | None):
        self.summary = summary
        self.total_files = total_files
        self.files_done = 0
        self.t0 = time.monotonic()

    def update(self, file_no: int) -> None:
        self.files_done = max(self.files_done, file_no)

    def finish(self) -> None:
        if self.total_files is not None:
            self.files_done = self.total_files

    def rate(self) -> float:
        return self.summary.documents / max(time.monotonic() - self.t0, 1e-9)

    def eta(self) -> float | None:
        if not self.total_files or not self.files_done:
            return None
        elapsed = time.monotonic() - self.t0
        return elapsed * (self.total_files - self.files_done) / self.files_done

    def close(self) -> None:
        pass


class _PlainProgress(_Progress):
    """A line on stderr every ``interval`` seconds, for logs and pipes."""

    def __init__(self, summary: IngestSummary, total_files: int | None, interval: float, stream=None):
        super().__init__(summary, total_files)
        self.interval = interval
        self.stream = stream or sys.stderr
        self.last = self.t0

    def update(self, file_no: int) -> None:
        super().update(file_no)
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.emit()

    def emit(self) -> None:
        s = self.summary
        files = f", {self.files_done}/{self.total_files} files" if self.total_files else ""
        eta = self.eta()
        eta_text = f", ETA {_clock(eta)}" if eta is not None else ""
        print(f"dyad ingest: {s.documents} documents ({s.articles} stored, {s.duplicates} duplicates, "
              f"{s.skipped} already there, {s.failures} failed){files}, {self.rate():.1f} articles/s{eta_text}",
              file=self.stream, flush=True)


class _RichProgress(_Progress):
    """A progress bar on a terminal: files done, documents, articles/s and ETA."""

    def __init__(self, summary: IngestSummary, total_files: int | None):
        super().__init__(summary, total_files)
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.bar = Progress(SpinnerColumn(), TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("files · {task.fields[docs]} documents · {task.fields[rate]:.1f} articles/s"),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=False, refresh_per_second=4)
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=total_files, docs=0, rate=0.0)

    def update(self, file_no: int) -> None:
        super().update(file_no)
        self.bar.update(self.task, completed=self.files_done, docs=self.summary.documents, rate=self.rate())

    def finish(self) -> None:
        super().finish()
        self.bar.update(self.task, completed=self.files_done, docs=self.summary.documents, rate=self.rate())

    def close(self) -> None:
        self.bar.stop()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# --- worker processes -----------------------------------------------------------------------
_PARENT_PID: int | None = None
_HOOKED = False


def _child_after_fork() -> None:
    """In a parser process: die with the ingest process, even when it is killed with SIGKILL."""
    if _PARENT_PID is None:
        return
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != _PARENT_PID:  # the parent died before the line above ran
        os._exit(1)


def _stop_watching() -> None:
    global _PARENT_PID
    _PARENT_PID = None


def _watch_children() -> None:
    global _PARENT_PID, _HOOKED
    _PARENT_PID = os.getpid()
    if not _HOOKED and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_child_after_fork)
        _HOOKED = True


# --- the ingest -----------------------------------------------------------------------------
def ingest(paths: list[str], db: str, *, published: str | None = None, settings: Settings | None = None,
           progress: bool | str = False, near_threshold: float | None = dedup.NEAR_THRESHOLD,
           progress_interval: float = 10.0, pipeline: Pipeline | None = None) -> IngestSummary:
    """Read, deduplicate, code and store the inputs into the DuckDB file ``db``.

    ``progress``: False (none), True or "auto" (a bar on a terminal, otherwise a plain line on
    stderr every ``progress_interval`` seconds), or "plain". ``near_threshold``: the estimated
    similarity from which an article is a near duplicate; None turns near-duplicate search off.
    """
    settings = settings or Settings.from_env()
    pipe = pipeline or Pipeline(settings)
    published = check_date(published)
    nlp = pipe.nlp
    pipe.dictionary, pipe.patterns  # load before the first article: a bad file fails now
    summary = IngestSummary(db=db)
    t0 = time.monotonic()
    n_process = max(1, int(settings.n_process or 1))
    if n_process > 1:
        _watch_children()
    config = {"model": settings.model, "actor_files": settings.actor_files, "pattern_files": settings.pattern_files,
              "batch_size": settings.batch_size, "n_process": n_process, "published": published,
              "near_threshold": near_threshold, "dedup": {"num_perm": dedup.NUM_PERM, "bands": dedup.BANDS,
                                                          "shingle": dedup.SHINGLE}}
    with Store(db) as store:
        run_id = store.start_run(config, list(paths))
        summary.run_id = run_id
        total_files = count_files(list(paths)) if progress else None
        mode = progress
        if mode in (True, "auto"):
            mode = "rich" if sys.stderr.isatty() else "plain"
        shown: _Progress = (_RichProgress(summary, total_files) if mode == "rich" else
                            _PlainProgress(summary, total_files, progress_interval) if mode == "plain" else
                            _Progress(summary, total_files))
        pending = dedup.PendingIndex()
        queue: deque[_Work] = deque()

        def fail(failure: Failure, file_no: int) -> None:
            summary.failures += 1
            summary.documents += 1
            if len(summary.failure_list) < MAX_LISTED_FAILURES:
                summary.failure_list.append(failure)
            try:
                store.add_failure(run_id, failure)
            except Exception as exc:  # noqa: BLE001 - the database refused even the failure row
                print(f"dyad: error: {failure.input}: cannot record failure: {exc}", file=sys.stderr)
            shown.update(file_no)

        def link(work: _Work) -> None:
            art = work.article
            try:
                linked = store.add_duplicate(art, work.kept_id, work.dup_kind, work.similarity, run_id)
            except Exception as exc:  # noqa: BLE001 - one document never stops the batch
                fail(Failure(art.source_path or art.id, "store", f"{type(exc).__name__}: {exc}", "E600"),
                     work.file_no)
                return
            if not linked:  # the kept article failed: decide again against what is stored
                again = classify(art, work.file_no, db_only=True)
                if again is None:
                    return
                if again.kind == "duplicate":
                    link(again)
                    return
                try:
                    result = pipe.code_article(art)
                except Exception as exc:  # noqa: BLE001
                    fail(Failure(art.source_path or art.id, "code", f"{type(exc).__name__}: {exc}", "E500"),
                         work.file_no)
                    return
                store_result(result, again)
                return
            summary.duplicates += 1
            summary.documents += 1
            if work.dup_kind == "exact":
                summary.exact += 1
            else:
                summary.near += 1
            shown.update(work.file_no)

        def store_result(result: Result, work: _Work) -> None:
            art = result.article
            try:
                added = store.add_result(result, run_id, signature=work.sig)
            except Exception as exc:  # noqa: BLE001
                fail(Failure(art.source_path or art.id, "store", f"{type(exc).__name__}: {exc}", "E600"),
                     work.file_no)
                return
            summary.documents += 1
            if added:
                summary.articles += 1
                summary.events += len(result.events)
                summary.quotes += len(result.quotes)
            else:
                summary.skipped += 1
            shown.update(work.file_no)

        def classify(art: Article, file_no: int, db_only: bool = False) -> _Work | None:
            """What to do with an article: None when it is stored already (counted as skipped)."""
            digest = text_hash(art.text)
            if not db_only and art.id in pending:
                if pending.hashes[art.id] == digest:
                    summary.skipped += 1
                    summary.documents += 1
                    shown.update(file_no)
                    return None
                return _Work("parse", art, file_no, digest, dedup.signature(art.text))
            state = store.article_state(art.id)
            if state is not None and state[1] == digest:
                summary.skipped += 1
                summary.documents += 1
                shown.update(file_no)
                return None
            kept = store.find_exact(digest)
            if kept is None and not db_only:
                kept = pending.by_hash.get(digest)
            if kept is not None and kept != art.id:
                return _Work("duplicate", art, file_no, digest, kept_id=kept, dup_kind="exact", similarity=1.0)
            sig = dedup.signature(art.text)
            if near_threshold is not None:
                keys = dedup.band_keys(sig)
                cands = store.near_candidates(keys)
                if not db_only:
                    cands.update(pending.candidates(keys))
                cands.pop(art.id, None)
                best = dedup.best_match(sig, cands, near_threshold)
                if best is not None:
                    return _Work("duplicate", art, file_no, digest, sig, kept_id=best[0], dup_kind="near",
                                 similarity=best[1])
            return _Work("parse", art, file_no, digest, sig)

        def source() -> Iterator[str]:
            """Texts to parse; everything else is handled here or queued in input order."""
            for file_no, item in iter_inputs(list(paths), published, dict(settings.fields) or None):
                if isinstance(item, Failure):
                    fail(item, file_no)
                    continue
                try:
                    work = classify(item, file_no)
                    if work is None:
                        continue
                    if work.kind == "duplicate" and work.kept_id not in pending:
                        link(work)  # its original is stored: nothing to wait for
                        continue
                except Exception as exc:  # noqa: BLE001 - one document never stops the batch
                    fail(Failure(item.source_path or item.id, "dedup", f"{type(exc).__name__}: {exc}", "E600"),
                         file_no)
                    continue
                if work.kind == "parse" and work.article.id not in pending:
                    pending.add(work.article.id, work.content_hash, work.sig)
                queue.append(work)
                if work.kind == "parse":
                    yield work.article.text

        def handle(work: _Work, doc=None) -> None:
            if work.kind == "duplicate":
                link(work)
                return
            art = work.article
            try:
                if doc is None:
                    doc = nlp(art.text)
                result = pipe.code_article(art, doc)
            except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
                pending.remove(art.id)
                fail(Failure(art.source_path or art.id, "code", f"{type(exc).__name__}: {exc}", "E500"),
                     work.file_no)
                return
            store_result(result, work)
            pending.remove(art.id)

        texts = source()
        try:
            while True:
                try:
                    for doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=n_process):
                        while queue[0].kind != "parse":
                            handle(queue.popleft())
                        handle(queue.popleft(), doc)
                    break
                except (KeyboardInterrupt, SystemExit):
                    raise
                except Exception:  # noqa: BLE001 - the parser failed inside a batch
                    # every text pulled so far is queued: parse those one by one, then go on
                    while queue:
                        handle(queue.popleft())
            while queue:
                handle(queue.popleft())
            shown.finish()
        finally:
            shown.close()
            summary.seconds = time.monotonic() - t0
            _stop_watching()
        if isinstance(shown, _PlainProgress):
            shown.emit()
        store.finish_run(run_id, summary.counts())
    return summary

