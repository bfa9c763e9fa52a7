"""Throughput and memory of dyad end to end against a bare spaCy parse (EVALUATION.md §7).

Reads Reuters-21578 stories (from ../shared/data/corpora/reuters21578, never copied into the
project), then in one run measures, over the same texts and the same number of processes:
  1. bare ``nlp.pipe`` (parse only),
  2. dyad's coding stages on those parses (actors, time, quotes, events),
  3. end to end: read -> parse -> code -> store into a fresh DuckDB file.
Prints articles/s, words/s, the ratios to the bare parse, and peak RSS.

    .venv/bin/python benchmarks/throughput.py --articles 300 [--processes 1]
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

REUTERS = re.compile(r"<REUTERS\b.*?</REUTERS>", re.S)


def reuters_stories(folder: Path, limit: int | None = None):
    """(id, date, title, body) of stories with a body, in file order."""
    n = 0
    for sgm in sorted(folder.glob("reut2-*.sgm")):
        raw = sgm.read_bytes().decode("latin-1")
        for block in REUTERS.findall(raw):
            body = re.search(r"<BODY>(.*?)</BODY>", block, re.S)
            if not body:
                continue
            newid = re.search(r'NEWID="(\d+)"', block)[1]
            title = re.search(r"<TITLE>(.*?)</TITLE>", block, re.S)
            date = re.search(r"<DATE>\s*(\d+)-(\w+)-(\d{4})", block)
            published = None
            if date:
                published = dt.datetime.strptime(f"{date[1]}-{date[2]}-{date[3]}", "%d-%b-%Y").date().isoformat()
            text = html.unescape(body[1]).replace("\x03", "").strip()
            text = re.sub(r"\s*Reuter\s*$", "", text)
            yield (f"reuters-{newid}", published, html.unescape(title[1]).strip() if title else None, text)
            n += 1
            if limit and n >= limit:
                return


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "corpora" / "reuters21578"))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    from dataclasses import replace

    from dyad.config import Settings
    from dyad.pipeline import Pipeline, code_parsed
    from dyad.readers import make_article
    from dyad.store import Store

    stories = list(reuters_stories(Path(args.corpus), args.articles))
    settings = replace(Settings.from_env(), n_process=args.processes)
    pipe = Pipeline(settings)
    nlp = pipe.nlp
    pipe.dictionary, pipe.patterns  # load outside the timings
    from dyad.errors import InputError

    def articles_of(rows):
        out = []
        for i, p, ti, t in rows:
            try:
                out.append(make_article(t, id=i, published=p, title=ti))
            except InputError:
                pass  # counted below: tables of figures etc. that dyad refuses
        return out

    articles = articles_of(stories)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp("warm up the model")

    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=settings.batch_size, n_process=args.processes))
    t_parse = time.perf_counter() - t0

    t0 = time.perf_counter()
    results = [code_parsed(a, d, pipe.dictionary, pipe.patterns) for a, d in zip(articles, docs)]
    t_code = time.perf_counter() - t0
    del docs

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        arts = articles_of(stories)
        with Store(Path(tmp) / "bench.duckdb") as store:
            for res in pipe.code_stream(arts):
                store.add_result(res)
        t_e2e = time.perf_counter() - t0

    figures = {
        "articles": len(articles), "refused": len(stories) - len(articles), "words": words, "processes": args.processes,
        "parse_seconds": round(t_parse, 2), "code_seconds": round(t_code, 2), "end_to_end_seconds": round(t_e2e, 2),
        "parse_words_per_s": round(words / t_parse), "end_to_end_words_per_s": round(words / t_e2e),
        "end_to_end_articles_per_s": round(len(articles) / t_e2e, 1),
        "coding_overhead_vs_parse": round(t_code / t_parse, 3),
        "end_to_end_vs_parse": round(t_e2e / t_parse, 3),
        "events": sum(len(r.events) for r in results), "quotes": sum(len(r.quotes) for r in results),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"Reuters-21578: {figures['articles']} stories, {words:,} words, {args.processes} process(es)")
    print(f"  bare nlp.pipe          {t_parse:7.2f} s   {figures['parse_words_per_s']:>7,} words/s")
    print(f"  coding stages only     {t_code:7.2f} s   = {figures['coding_overhead_vs_parse']:.1%} of the parse time")
    print(f"  end to end (to DuckDB) {t_e2e:7.2f} s   {figures['end_to_end_words_per_s']:>7,} words/s, "
          f"{figures['end_to_end_articles_per_s']} articles/s, {figures['end_to_end_vs_parse']:.2f}x the bare parse")
    print(f"  events {figures['events']}, quotes {figures['quotes']}, peak RSS {figures['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
