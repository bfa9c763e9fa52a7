"""Score a file of event test sentences with the full pipeline and list every failure.

A sentence file is a tab-separated table (lines starting with '#' are comments) with the columns
sentence, source, target, cameo, note and, optionally, published (YYYY-MM-DD; the date the
sentence is coded as of, which decides e.g. who holds an office). The rules are those of
tests/test_events.py:

  * an expected row is right when some coded event has the expected source (the first three
    letters of its code; for an IGO the full expected IGO code must begin the coded one), the
    expected target (same rule; '-' = any target or none) and a CAMEO code starting with the
    expected code; an event coded as symmetric ('Japan and India held talks') may have the two
    actors in either order, as the sentence files' headers say;
  * a NONE row is right when no coded event has a code starting with one of the 'forbid:CODE'
    codes in its note.

With --loose, IGO codes are compared on their first three letters only and symmetric events only in
the order coded, exactly as the test does.

    PYTHONPATH=src python scripts/score_sentences.py tests/data/event_sentences_heldout.tsv
    PYTHONPATH=src python scripts/score_sentences.py tests/data/event_sentences.tsv --date 2021-05-10
    PYTHONPATH=src python scripts/score_sentences.py FILE --quiet          # totals only
    PYTHONPATH=src python scripts/score_sentences.py FILE --json out.json  # rows and events, for diffing

Per-root accuracy counts a NONE row under the root of its first forbidden code.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

import dyad
from dyad.pipeline import Pipeline

DEFAULT_DATE = "2021-05-10"  # the publication date tests/test_events.py codes with


def load_rows(path: Path) -> list[dict]:
    """The file's rows, each with '_n' (row number) and '_line' (line number in the file)."""
    with open(path, encoding="utf-8") as fh:
        numbered = [(i, line) for i, line in enumerate(fh, 1) if not line.startswith("#")]
    rows = list(csv.DictReader((line for _, line in numbered), delimiter="\t"))
    for n, row in enumerate(rows, 1):
        row["_n"] = n
        row["_line"] = numbered[n][0]  # numbered[0] is the header
    return rows


def forbidden(row: dict) -> list[str]:
    return [w.split(":", 1)[1] for w in (row.get("note") or "").split() if w.startswith("forbid:")]


def code_matches(expected: str, coded: str | None, loose: bool) -> bool:
    """Does a coded actor code satisfy an expected one (country: 3 letters; IGO: the full code)?"""
    if coded is None:
        return False
    if expected.startswith("IGO") and not loose:
        return coded.startswith(expected)
    return coded[:3] == expected[:3]


def event_tuples(result) -> list[tuple]:
    """(source code, target code, cameo, mode, symmetric, trigger) for each coded event."""
    return [(e.source.code if e.source else None, e.target.code if e.target else None, e.cameo, e.mode,
             e.symmetric, e.trigger) for e in result.events]


def judge(row: dict, evs: list[tuple], loose: bool) -> bool:
    if row["cameo"] == "NONE":
        bad = forbidden(row)
        return not any(e[2].startswith(b) for b in bad for e in evs)
    src, tgt, code = row["source"].strip(), row["target"].strip(), row["cameo"].strip()

    def pair_ok(s, t):
        return code_matches(src, s, loose) and (tgt in ("-", "") or code_matches(tgt, t, loose))

    return any(c.startswith(code) and (pair_ok(s, t) or sym and not loose and pair_ok(t, s))
               for s, t, c, _, sym, _ in evs)


def root_of(row: dict) -> str:
    if row["cameo"] == "NONE":
        bad = forbidden(row)
        return bad[0][:2] if bad else "??"
    return row["cameo"][:2]


def show_events(evs: list[tuple]) -> str:
    if not evs:
        return "(no events)"
    return "; ".join(f"{s or '?'} -> {t or '-'} {c}" + (f" [{m}]" if m else "") + (" [sym]" if sym else "")
                     + (f" ({trig!r})" if trig else "") for s, t, c, m, sym, trig in evs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path, help="sentence files (TSV)")
    ap.add_argument("--date", default=None,
                    help=f"publication date for rows without a 'published' column (default {DEFAULT_DATE})")
    ap.add_argument("--force-date", action="store_true",
                    help="use --date (or the default) for every row, ignoring a 'published' column")
    ap.add_argument("--loose", action="store_true", help="compare IGO codes on 3 letters, as tests/test_events.py")
    ap.add_argument("--quiet", action="store_true", help="totals and per-root table only, no failure list")
    ap.add_argument("--json", type=Path, help="write every row with its coded events to this file")
    args = ap.parse_args(argv)

    pipeline = Pipeline()
    dumped = []
    for path in args.files:
        rows = load_rows(path)
        right, per_ok, per_all = 0, Counter(), Counter()
        none_ok = none_all = 0
        failures = []
        t0 = time.time()
        for row in rows:
            date = (args.date or DEFAULT_DATE) if args.force_date else (
                (row.get("published") or "").strip() or args.date or DEFAULT_DATE)
            result = dyad.code(row["sentence"], date, pipeline=pipeline)
            evs = event_tuples(result)
            ok = judge(row, evs, args.loose)
            root = root_of(row)
            per_all[root] += 1
            per_ok[root] += ok
            right += ok
            if row["cameo"] == "NONE":
                none_all += 1
                none_ok += ok
            if not ok:
                failures.append((row, date, evs))
            dumped.append({"file": str(path), "row": row["_n"], "line": row["_line"], "sentence": row["sentence"],
                           "source": row["source"], "target": row["target"], "cameo": row["cameo"],
                           "note": row.get("note"), "published": date, "ok": ok,
                           "events": [list(e) for e in evs]})
        n = len(rows)
        print(f"== {path}: {right}/{n} right = {right / n:.3f}   ({time.time() - t0:.0f} s)")
        pos = n - none_all
        print(f"   expected events: {right - none_ok}/{pos}   NONE rows: {none_ok}/{none_all}")
        print("   per root: " + "  ".join(f"{r}:{per_ok[r]}/{per_all[r]}" for r in sorted(per_all)))
        if not args.quiet:
            print(f"\n   {len(failures)} failures:")
            for row, date, evs in failures:
                exp = (f"NONE ({' '.join('forbid:' + b for b in forbidden(row))})" if row["cameo"] == "NONE"
                       else f"{row['source']} -> {row['target']} {row['cameo']}")
                print(f"\n   [row {row['_n']}, line {row['_line']}] {row['sentence']}")
                print(f"       published {date}; note: {row.get('note') or ''}")
                print(f"       expected: {exp}")
                print(f"       coded:    {show_events(evs)}")
        print()
    if args.json:
        args.json.write_text(json.dumps(dumped, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
