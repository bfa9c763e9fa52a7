"""Main-text extraction scored on the Zyte (Scrapinghub) article-extraction benchmark.

The metric is the benchmark's own (``evaluate.py`` of
scrapinghub/article-extraction-benchmark), reimplemented here exactly:

* text is tokenised with the regular expression ``\\w+`` (Unicode word characters;
  punctuation and spacing are ignored, nothing is lower-cased);
* each text becomes a multiset of 4-token shingles (a text with fewer than four
  tokens gives one shorter shingle; an empty text none);
* per page, TP/FP/FN are the multiset intersection and differences between the
  predicted and gold shingles, normalised by their sum (so long pages weigh no
  more than short ones);
* precision is averaged over the pages with TP+FP > 0 (an empty prediction does
  not lower precision), recall over the pages with TP+FN > 0, and F1 is the
  harmonic mean of these two averages (not an average of per-page F1).
  ``accuracy`` is the share of pages whose token sequence equals the gold one.

:func:`evaluate_extraction` scores dyad's extractor and trafilatura (default
settings, run live in the same process on the same input), plus every tool whose
precomputed output is in ``outputs/``.
"""
from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

DEFAULT_DIR = "../shared/data/extraction/zyte"

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokenize(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter:
    tokens = tokenize(text)
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def tp_fp_fn(true: str | None, pred: str | None, n: int = 4) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of predicted against gold shingles for one page."""
    gold, got = shingles(true, n), shingles(pred, n)
    tp = float(sum((gold & got).values()))
    fp = float(sum((got - gold).values()))
    fn = float(sum((gold - got).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(gold: dict[str, str], pred: dict[str, str | None]) -> dict[str, float]:
    """Benchmark metrics of predictions against gold bodies (same keys)."""
    if set(gold) != set(pred):
        raise ValueError("prediction keys do not match ground truth")
    counts = [tp_fp_fn(gold[k], pred[k]) for k in gold]
    p = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    accuracy = statistics.mean(float(tokenize(gold[k]) == tokenize(pred[k])) for k in gold)
    return {"p": p, "r": r, "f1": f1, "accuracy": accuracy}


def _resolve(data_dir: str | Path) -> Path:
    path = Path(data_dir)
    if path.is_dir() or path.is_absolute():
        return path
    root = Path(__file__).resolve().parents[3]  # the checkout: src/dyad/evaluate/extraction.py
    for cand in (root / path, root.parent / "shared" / "data" / "extraction" / "zyte"):
        if cand.is_dir():
            return cand
    try:
        from ..config import shared_data_dir

        cand = shared_data_dir() / "extraction" / "zyte"
        if cand.is_dir():
            return cand
    except Exception:  # noqa: BLE001 - only a search for the data
        pass
    return path


def _load_outputs(path: Path) -> dict[str, str | None]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "output" in data and isinstance(data["output"], dict):
        data = data["output"]  # newer files: {"version": ..., "output": {...}}
    return {k: (v or {}).get("articleBody") for k, v in data.items()}


def _timed(pages: dict[str, bytes], fn: Callable[[str, bytes], str]) -> tuple[dict[str, str], float]:
    out: dict[str, str] = {}
    total = 0.0
    for key, raw in pages.items():
        t0 = time.perf_counter()
        out[key] = fn(key, raw)
        total += time.perf_counter() - t0
    return out, 1000.0 * total / max(1, len(pages))


def _dyad(_key: str, raw: bytes) -> str:
    from ..readers.html import extract_html

    try:
        return extract_html(raw)["text"]
    except ValueError:
        return ""


def _trafilatura(_key: str, raw: bytes) -> str:
    import trafilatura

    # as the benchmark runs it: the page read as UTF-8 text, comments excluded
    return trafilatura.extract(raw.decode("utf-8"), include_comments=False) or ""


def evaluate_extraction(data_dir: str = DEFAULT_DIR, limit: int | None = None) -> dict[str, Any]:
    """Score dyad, live trafilatura and the precomputed tools on the Zyte benchmark.

    ``data_dir`` holds ``ground-truth.json``, ``html/<id>.html.gz`` and
    ``outputs/<tool>.json``. ``limit`` scores only the first pages (by id), for quick
    checks; published figures use all 181. Returns
    ``{"dyad": {"p","r","f1","accuracy","ms_per_page"}, "trafilatura_live": {...},
    "tools": {name: {...}}, "pages": n}``; precomputed tools have ``ms_per_page`` None.
    """
    root = _resolve(data_dir)
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file():
        raise FileNotFoundError(f"no ground-truth.json in {root}")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    gold = {k: truth[k].get("articleBody", "") for k in keys}
    pages = {}
    for k in keys:
        with gzip.open(root / "html" / f"{k}.html.gz", "rb") as fh:
            pages[k] = fh.read()

    result: dict[str, Any] = {"pages": len(keys)}
    for name, fn in (("dyad", _dyad), ("trafilatura_live", _trafilatura)):
        pred, ms = _timed(pages, fn)
        result[name] = {**score(gold, pred), "ms_per_page": ms}

    tools = {}
    for path in sorted((root / "outputs").glob("*.json")):
        outputs = _load_outputs(path)
        missing = [k for k in keys if k not in outputs]
        if missing:
            continue
        tools[path.stem] = {**score(gold, {k: outputs[k] for k in keys}), "ms_per_page": None}
    result["tools"] = tools
    return result


def format_report(d: dict[str, Any]) -> str:
    """A readable table: dyad and live trafilatura first, then the precomputed tools by F1."""
    lines = [
        f"Zyte article-extraction benchmark, {d.get('pages', '?')} pages "
        "(4-token shingles; P and R averaged over pages, F1 of the averages)",
        f"{'system':<22} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'ms/page':>8}",
    ]

    def row(name: str, m: dict[str, Any]) -> str:
        ms = f"{m['ms_per_page']:8.1f}" if m.get("ms_per_page") is not None else f"{'-':>8}"
        return f"{name:<22} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {m.get('accuracy', 0):6.3f} {ms}"

    lines.append(row("dyad", d["dyad"]))
    lines.append(row("trafilatura (live)", d["trafilatura_live"]))
    lines.append("precomputed outputs:")
    for name, m in sorted(d.get("tools", {}).items(), key=lambda kv: -kv[1]["f1"]):
        lines.append(row("  " + name, m))
    delta = d["dyad"]["f1"] - d["trafilatura_live"]["f1"]
    lines.append(f"dyad - trafilatura (live) F1: {delta:+.3f}")
    return "\n".join(lines)
