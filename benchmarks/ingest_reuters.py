"""Ingest benchmark: Reuters-21578 through ``dyad ingest`` against a bare ``nlp.pipe``.

Reads the stories with the Reuters reader of ``benchmarks/throughput.py`` (from
../shared/data/corpora/reuters21578, never copied into the project), writes them as JSONL shards
into a temporary folder, then measures, each phase in a fresh process so that its peak memory is
its own, with the same texts, batch size and number of parser processes:
  1. bare ``nlp.pipe`` over the cleaned article texts (parse only, documents discarded);
  2. ``dyad.ingest`` of the shards into a new DuckDB file: read, deduplicate, parse, code, store.
Prints articles/s, words/s, the peak RSS of the main process and of the largest parser process,
and the ratio of the ingest time to the bare parse time. Model loading is outside both timings.

    .venv/bin/python benchmarks/ingest_reuters.py --articles 500 --processes 2
    .venv/bin/python benchmarks/ingest_reuters.py              # the whole corpus (long)
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from throughput import reuters_stories  # noqa: E402

SHARD = 1000  # stories per JSONL file


def write_shards(corpus: Path, limit: int | None, folder: Path) -> tuple[int, int]:
    """JSONL shards of the stories; (stories, words of their cleaned texts)."""
    from dyad.readers import make_article

    n = words = 0
    out = None
    for story_id, published, title, text in reuters_stories(corpus, limit):
        if n % SHARD == 0:
            if out:
                out.close()
            out = open(folder / f"reuters-{n // SHARD:03d}.jsonl", "w", encoding="utf-8")
        out.write(json.dumps({"id": story_id, "published": published, "title": title, "text": text,
                              "outlet": "Reuters"}) + "\n")
        try:
            words += len(make_article(text, id=story_id, title=title).text.split())
        except Exception:  # noqa: BLE001 - such a story is a failure row in the ingest, no words parsed
            pass
        n += 1
    if out:
        out.close()
    return n, words


def rss_mb() -> tuple[float, float]:
    """Peak RSS (MB) of this process and of its largest finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def phase_parse(folder: Path, processes: int, batch_size: int) -> dict:
    from dyad.config import Settings
    from dyad.ingest import iter_inputs
    from dyad.pipeline import Pipeline
    from dyad.records import Article

    pipe = Pipeline(Settings.from_env(n_process=processes, batch_size=batch_size))
    nlp = pipe.nlp
    nlp("warm up the model")
    paths = [str(p) for p in sorted(folder.glob("*.jsonl"))]

    def texts():
        for _, item in iter_inputs(paths):
            if isinstance(item, Article):
                yield item.text

    t0 = time.perf_counter()
    n = 0
    for _doc in nlp.pipe(texts(), batch_size=batch_size, n_process=processes):
        n += 1
    seconds = time.perf_counter() - t0
    own, child = rss_mb()
    return {"documents": n, "seconds": seconds, "rss_mb": own, "worker_rss_mb": child}


def phase_ingest(folder: Path, processes: int, batch_size: int, db: Path) -> dict:
    from dyad.config import Settings
    from dyad.ingest import ingest
    from dyad.pipeline import Pipeline

    settings = Settings.from_env(n_process=processes, batch_size=batch_size)
    pipe = Pipeline(settings)
    pipe.nlp("warm up the model")
    pipe.dictionary, pipe.patterns
    paths = [str(p) for p in sorted(folder.glob("*.jsonl"))]
    t0 = time.perf_counter()
    s = ingest(paths, str(db), settings=settings, pipeline=pipe, progress="plain", progress_interval=30)
    seconds = time.perf_counter() - t0
    own, child = rss_mb()
    return {"seconds": seconds, "rss_mb": own, "worker_rss_mb": child, "articles": s.articles,
            "duplicates": s.duplicates, "exact": s.exact, "near": s.near, "events": s.events, "quotes": s.quotes,
            "failures": s.failures, "documents": s.documents, "db_mb": db.stat().st_size / 1e6}


def run_phase(name: str, folder: Path, args, db: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--shards", str(folder), "--processes", str(args.processes),
           "--batch-size", str(args.batch_size)]
    if db is not None:
        cmd += ["--db", str(db)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{name} phase failed:\n{p.stderr}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=None, help="stories to use (default: all)")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="parser processes (default: cores)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "corpora" / "reuters21578"))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--phase", choices=["parse", "ingest"], help=argparse.SUPPRESS)
    ap.add_argument("--shards", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.phase == "parse":
        print(json.dumps(phase_parse(Path(args.shards), args.processes, args.batch_size)))
        return
    if args.phase == "ingest":
        print(json.dumps(phase_ingest(Path(args.shards), args.processes, args.batch_size, Path(args.db))))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "shards"
        folder.mkdir()
        stories, words = write_shards(Path(args.corpus), args.articles, folder)
        parse = run_phase("parse", folder, args)
        ing = run_phase("ingest", folder, args, Path(tmp) / "bench.duckdb")

    figures = {
        "stories": stories, "words": words, "processes": args.processes, "batch_size": args.batch_size,
        "parse_seconds": round(parse["seconds"], 2), "ingest_seconds": round(ing["seconds"], 2),
        "parse_articles_per_s": round(parse["documents"] / parse["seconds"], 1),
        "parse_words_per_s": round(words / parse["seconds"]),
        "ingest_articles_per_s": round(ing["documents"] / ing["seconds"], 1),
        "ingest_words_per_s": round(words / ing["seconds"]),
        "ingest_vs_parse": round(ing["seconds"] / parse["seconds"], 3),
        "parse_peak_rss_mb": round(parse["rss_mb"]), "parse_worker_peak_rss_mb": round(parse["worker_rss_mb"]),
        "ingest_peak_rss_mb": round(ing["rss_mb"]), "ingest_worker_peak_rss_mb": round(ing["worker_rss_mb"]),
        **{k: ing[k] for k in ("articles", "duplicates", "exact", "near", "events", "quotes", "failures")},
        "db_mb": round(ing["db_mb"], 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    f = figures
    print(f"Reuters-21578: {stories} stories, {words:,} words, {args.processes} parser process(es), "
          f"batch {args.batch_size}")
    print(f"  bare nlp.pipe      {f['parse_seconds']:8.2f} s  {f['parse_articles_per_s']:7.1f} articles/s  "
          f"{f['parse_words_per_s']:>7,} words/s  peak RSS {f['parse_peak_rss_mb']} MB "
          f"(+ {f['parse_worker_peak_rss_mb']} MB per worker)")
    print(f"  dyad ingest        {f['ingest_seconds']:8.2f} s  {f['ingest_articles_per_s']:7.1f} articles/s  "
          f"{f['ingest_words_per_s']:>7,} words/s  peak RSS {f['ingest_peak_rss_mb']} MB "
          f"(+ {f['ingest_worker_peak_rss_mb']} MB per worker)")
    print(f"  ingest / bare parse = {f['ingest_vs_parse']:.2f}x")
    print(f"  stored {f['articles']} articles, {f['duplicates']} duplicates ({f['exact']} exact, {f['near']} near), "
          f"{f['events']} events, {f['quotes']} quotes, {f['failures']} failures; database {f['db_mb']} MB")


if __name__ == "__main__":
    main()
