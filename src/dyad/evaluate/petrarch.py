"""Agreement with PETRARCH-2's validation codings (EVALUATION.md §3).

The file is not well-formed XML, so records are read with regular expressions: each
``<Sentence .../>`` opener, its ``<EventCoding .../>`` lines and its ``<Text>``. Tuples are
(source country, target country, code) with actors cut to their first three letters (the
country, or IGO/NGO/IMG), codes compared at the root (two digits) and in full. Recall counts
expected codings found; precision counts dyad's tuples that PETRARCH-2 also produced. It is
agreement, not truth: read the disagreements.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

_SENT = re.compile(r"<Sentence\b([^>]*)/?>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*)/>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)


def load_records(data_dir: str | Path) -> list[dict[str, Any]]:
    raw = (Path(data_dir) / "PETR2_GSR_validation.xml").read_text(encoding="utf-8", errors="replace")
    records = []
    for m in _SENT.finditer(raw):
        attrs = dict(_ATTR.findall(m[1]))
        body = m[2]
        text = _TEXT.search(body)
        if not text:
            continue
        codings = []
        for c in _CODING.finditer(body):
            a = dict(_ATTR.findall(c[1]))
            if a.get("eventcode", "").strip():  # an empty coding says "no event here"
                codings.append((a.get("sourcecode", ""), a.get("targetcode", ""), a.get("eventcode", "")))
        date = attrs.get("date", "")
        records.append({"id": attrs.get("id", f"r{len(records)}"),
                        "date": f"{date[:4]}-{date[4:6]}-{date[6:8]}" if len(date) == 8 else None,
                        "text": " ".join(html.unescape(text[1]).split()), "codings": codings})
    return records


def _actor(code: str | None) -> str:
    return (code or "---")[:3].upper()


def evaluate_petrarch(data_dir: str | Path, pipeline=None) -> dict[str, Any]:
    from ..pipeline import Pipeline
    from ..readers import make_article

    records = [r for r in load_records(data_dir) if r["text"].strip()]
    pipe = pipeline or Pipeline()
    arts = [make_article(r["text"], id=r["id"], published=r["date"]) for r in records]
    results = list(pipe.code_stream(arts))
    out: dict[str, Any] = {"records": len(records), "expected": sum(len(r["codings"]) for r in records)}
    disagreements = []
    for level, cut in (("root", 2), ("full", 4)):
        found = predicted = agreed = expected = 0
        for rec, res in zip(records, results):
            gold = {(_actor(s), _actor(t), c[:cut]) for s, t, c in rec["codings"]}
            pred = {(_actor(e.source.code if e.source else None), _actor(e.target.code if e.target else None),
                     e.cameo[:cut]) for e in getattr(res, "events", [])}
            expected += len(gold)
            found += len(gold & pred)
            predicted += len(pred)
            agreed += len(pred & gold)
            if level == "full" and gold != pred:
                disagreements.append({"id": rec["id"], "text": rec["text"], "petrarch": sorted(gold),
                                      "dyad": sorted(pred)})
        out[level] = {"recall": found / expected if expected else 0.0,
                      "precision": agreed / predicted if predicted else 0.0,
                      "expected": expected, "predicted": predicted, "agreed": agreed}
    out["disagreements"] = disagreements
    return out


def format_report(r: dict[str, Any]) -> str:
    lines = [f"PETRARCH-2 validation records (EVALUATION.md §3): {r['records']} sentences, "
             f"{r['expected']} expected codings", ""]
    for level in ("root", "full"):
        v = r[level]
        lines.append(f"  {level:<5} recall {v['recall']:.3f}  precision {v['precision']:.3f}  "
                     f"({v['agreed']} agreed, {v['predicted']} predicted, {v['expected']} expected)")
    lines += ["", "Disagreements (full code):"]
    for d in r["disagreements"][:40]:
        lines.append(f"  {d['id']}: petrarch {d['petrarch']} dyad {d['dyad']}")
        lines.append(f"      {d['text'][:160]}")
    return "\n".join(lines)
