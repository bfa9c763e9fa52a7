"""Score dyad's HTML main-text extraction on the Zyte article-extraction benchmark.

Usage: python benchmarks/extraction_zyte.py [DATA_DIR] [--json OUT.json]

DATA_DIR defaults to ../shared/data/extraction/zyte (relative to the checkout).
Prints dyad, trafilatura run live in the same process, and the 15 published tools.
"""
from __future__ import annotations

import argparse
import json
import sys

from dyad.evaluate.extraction import DEFAULT_DIR, evaluate_extraction, format_report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", nargs="?", default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    report = evaluate_extraction(args.data_dir, limit=args.limit)
    print(format_report(report))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
