"""Score event coding against hand-annotated articles (``seed/*.gold.json``), EVALUATION.md §1.

Predicted events are reduced to unique (source, target, CAMEO, date) tuples. A tuple matches a
gold event when the source and target codes start with one of the gold alternatives (``*`` any
present code, ``-`` no target), the CAMEO code starts with one of the listed codes, and the
predicted date, read as an interval, lies inside the gold interval and is not less precise.
Symmetric gold events match in either direction. Also reported: the same with dates ignored
and with country codes only (first three letters), quote and actor checks.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from ..records import Result

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "quarter": 3, "year": 4, "decade": 5}


def interval(value: str | None) -> tuple[dt.date, dt.date, str] | None:
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        d = dt.date.fromisoformat(value)
        return d, d, "day"
    m = re.fullmatch(r"(\d{4})-W(\d{2})", value)
    if m:
        start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return start, start + dt.timedelta(days=6), "week"
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m:
        y, mo = int(m[1]), int(m[2])
        start = dt.date(y, mo, 1)
        end = (dt.date(y + (mo == 12), mo % 12 + 1, 1)) - dt.timedelta(days=1)
        return start, end, "month"
    if re.fullmatch(r"\d{4}", value):
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31), "year"
    return None


def date_ok(pred: str | None, gold: Any) -> bool:
    if gold is None:
        return True
    golds = gold if isinstance(gold, list) else [gold]
    p = interval(pred)
    if p is None:
        return False
    for g in golds:
        gi = interval(g)
        if gi is None:
            continue
        if PRECISION_RANK[p[2]] > PRECISION_RANK[gi[2]]:
            continue
        if gi[0] <= p[0] and p[1] <= gi[1]:
            return True
    return False


def code_ok(pred: str | None, gold: str, country_only: bool = False) -> bool:
    alts = [a.strip() for a in gold.split("|")]
    for alt in alts:
        if alt == "-":
            if not pred:
                return True
            continue
        if not pred:
            continue
        if alt == "*":
            return True
        p, a = (pred[:3], alt[:3]) if country_only else (pred, alt)
        if p.startswith(a):
            return True
    return False


def tuple_matches(t: tuple, gold: dict, use_date: bool = True, country_only: bool = False) -> bool:
    src, tgt, cameo, date = t
    if not any(cameo.startswith(c) for c in gold["cameo"]):
        return False
    if use_date and not date_ok(date, gold.get("date")):
        return False
    directions = [(src, tgt)]
    if gold.get("symmetric"):
        directions.append((tgt, src))
    return any(code_ok(s, gold["source"], country_only) and code_ok(t_, gold.get("target") or "-", country_only)
               for s, t_ in directions)


def score_events(result: Result, gold: dict, use_date: bool = True, country_only: bool = False) -> dict[str, Any]:
    tuples = sorted({(e.source.code if e.source else None, e.target.code if e.target else None, e.cameo,
                      e.date if use_date else None) for e in result.events}, key=str)
    events = gold["events"]
    required = [g for g in events if g.get("required")]
    matched = [g for g in required if any(tuple_matches(t, g, use_date, country_only) for t in tuples)]
    good = [t for t in tuples if any(tuple_matches(t, g, use_date, country_only) for g in events)]
    return {
        "recall": len(matched) / len(required) if required else 1.0,
        "precision": len(good) / len(tuples) if tuples else 0.0,
        "required": len(required), "matched": len(matched), "predicted": len(tuples), "correct": len(good),
        "missed": [g["id"] for g in required if g not in matched],
        "spurious": [list(t) for t in tuples if t not in good],
    }


def score_quotes(result: Result, gold: dict) -> dict[str, Any]:
    found, right = [], []
    for q in gold.get("quotes", []):
        start = q["text_starts"].lower()
        cands = [p for p in result.quotes if p.text.lower().lstrip("“\"' ").startswith(start[:25])
                 or start[:25] in p.text.lower()]
        if not cands:
            continue
        found.append(q["id"])
        want = q.get("speaker_actor")
        speaker_names = {q["speaker"].lower()}
        ok = any((p.speaker and ((want and p.speaker.code and p.speaker.code.startswith(want[:3]) and
                                  code_ok(p.speaker.code, want)) or p.speaker.name.lower() in speaker_names))
                 for p in cands)
        if ok:
            right.append(q["id"])
    total = len(gold.get("quotes", []))
    return {"found": found, "right_speaker": right, "total": total,
            "missed": [q["id"] for q in gold.get("quotes", []) if q["id"] not in found],
            "wrong_speaker": [i for i in found if i not in right]}


def score_actors(result: Result, gold: dict) -> dict[str, Any]:
    rows = []
    for a in gold.get("actors", []):
        names = {m.lower() for m in a.get("mentions", [])} | {a["name"].lower()}
        cands = [x for x in result.actors if x.name.lower() == a["name"].lower()
                 or any(m.text.lower() in names and m.how not in ("coreference",) for m in x.mentions)]
        codes = sorted({x.code for x in cands if x.code})
        ok = any(code_ok(c, a["code"]) for c in codes) and not (
            a.get("not_code") and any(c == a["not_code"] for c in codes))
        rows.append({"name": a["name"], "gold": a["code"], "predicted": codes, "ok": ok})
    return {"rows": rows, "right": sum(r["ok"] for r in rows), "total": len(rows)}


def evaluate_seed(seed_dir: str | Path, pipeline=None) -> dict[str, Any]:
    from ..pipeline import Pipeline
    from ..readers import read_path

    seed_dir = Path(seed_dir)
    golds = sorted(seed_dir.glob("*.gold.json"))
    if not golds:
        raise FileNotFoundError(f"no *.gold.json files in {seed_dir}")
    pipe = pipeline or Pipeline()
    report: dict[str, Any] = {"articles": {}}
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        art_path = seed_dir / gold["article"]
        articles = [a for a in read_path(str(art_path), gold.get("published")) if not hasattr(a, "stage")]
        if not articles:
            raise FileNotFoundError(art_path)
        article = articles[0]
        result = pipe.code_article(article)
        report["articles"][gold["article"]] = {
            "events": score_events(result, gold),
            "events_no_date": score_events(result, gold, use_date=False),
            "events_country": score_events(result, gold, use_date=True, country_only=True),
            "quotes": score_quotes(result, gold),
            "actors": score_actors(result, gold),
            "title_ok": article.title == gold.get("title"),
            "boilerplate_removed": not any(b in article.text for b in gold.get("boilerplate_lines", [])),
        }
    arts = report["articles"].values()
    for key in ("events", "events_no_date", "events_country"):
        req = sum(a[key]["required"] for a in arts)
        mat = sum(a[key]["matched"] for a in arts)
        pred = sum(a[key]["predicted"] for a in arts)
        cor = sum(a[key]["correct"] for a in arts)
        report[key] = {"recall": mat / req if req else 1.0, "precision": cor / pred if pred else 0.0}
    report["quotes"] = {"found": sum(len(a["quotes"]["found"]) for a in arts),
                        "right_speaker": sum(len(a["quotes"]["right_speaker"]) for a in arts),
                        "total": sum(a["quotes"]["total"] for a in arts)}
    report["actors"] = {"right": sum(a["actors"]["right"] for a in arts), "total": sum(a["actors"]["total"] for a in arts)}
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = ["Seed articles (EVALUATION.md §1)", ""]
    for key, label in (("events", "events"), ("events_no_date", "events, date ignored"),
                       ("events_country", "events, country codes only")):
        r = report[key]
        lines.append(f"  {label:<28} recall {r['recall']:.3f}   precision {r['precision']:.3f}")
    q, a = report["quotes"], report["actors"]
    lines.append(f"  {'quotes':<28} found {q['found']}/{q['total']}, right speaker {q['right_speaker']}/{q['total']}")
    lines.append(f"  {'actors':<28} right {a['right']}/{a['total']}")
    for name, art in report["articles"].items():
        ev = art["events"]
        lines += ["", f"{name}: {ev['matched']}/{ev['required']} required events, "
                      f"{ev['correct']}/{ev['predicted']} predicted tuples right; title {'ok' if art['title_ok'] else 'WRONG'}, "
                      f"boilerplate {'removed' if art['boilerplate_removed'] else 'KEPT'}"]
        if ev["missed"]:
            lines.append(f"  missed required: {', '.join(ev['missed'])}")
        for t in ev["spurious"]:
            lines.append(f"  not in gold: {t}")
        if art["quotes"]["missed"] or art["quotes"]["wrong_speaker"]:
            lines.append(f"  quotes missed: {art['quotes']['missed']}, wrong speaker: {art['quotes']['wrong_speaker']}")
        for row in art["actors"]["rows"]:
            if not row["ok"]:
                lines.append(f"  actor wrong: {row['name']} gold {row['gold']} got {row['predicted']}")
    return "\n".join(lines)
