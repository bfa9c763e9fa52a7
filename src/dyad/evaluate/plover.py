"""Score event coding on the PLOVER gold standard records (EVALUATION.md §2).

Per record: **type accuracy** — some emitted event's CAMEO code maps to the gold PLOVER v0.5
type; **dyad accuracy** — that event's source and target countries (first three letters) are
the gold ones. Also reported, independent of the type: whether some event has the gold source
country, the gold target country, and both (the actor figures). A gold record without a target
wants an event without one, except that a gold compound source without a target ("Jordan and
Britain agreed") also accepts a dyad between two of its members. The gold uses a few legacy CAMEO country codes (JAP, ITL, VTN),
read as their ISO equivalents; VTN is Vietnam (its one record is "Vietnamese-led forces"),
not the Holy See. Timor-Leste is TLS in the gold and TMP (CAMEO's code) in dyad.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

LEGACY = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "UAR": "EGY",
          "TLS": "TMP"}  # the gold writes Timor-Leste with its ISO code, CAMEO (and dyad) with TMP


def plover_types(cameo: str) -> set[str]:
    root = cameo[:2]
    if cameo.startswith("057"):
        return {"SUPPORT", "AGREE"}
    if cameo.startswith("191"):
        return {"COERCE", "FIGHT"}
    table = {"02": {"DEMAND"}, "10": {"DEMAND"}, "03": {"AGREE"}, "04": {"CONSULT"}, "05": {"SUPPORT"},
             "06": {"COOPERATE"}, "07": {"AID"}, "08": {"CONCEDE", "RETREAT"}, "09": {"INVESTIGATE"},
             "11": {"DISAPPROVE"}, "12": {"REJECT"}, "13": {"THREATEN"}, "14": {"PROTEST"}, "15": {"MOBILIZE"},
             "16": {"SANCTION"}, "17": {"COERCE"}, "18": {"ASSAULT"}, "20": {"ASSAULT"}, "19": {"FIGHT"}}
    return table.get(root, set())


def _codes(value) -> set[str]:
    if not value or isinstance(value, str):
        return set()
    out = set()
    for a in value:
        code = (a.get("code") if isinstance(a, dict) else str(a)) or ""
        code = code[:3].upper()
        if code:
            out.add(LEGACY.get(code, code))
    return out


def load_records(data_dir: str | Path) -> list[dict]:
    path = Path(data_dir) / "PLOVER_GSR_CAMEO.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    return [r for r in records if r.get("event") and r["event"] != "DOCUMENT" and r.get("text")]


def evaluate_plover(data_dir: str | Path, pipeline=None) -> dict[str, Any]:
    from ..pipeline import Pipeline
    from ..readers import make_article

    records = load_records(data_dir)
    pipe = pipeline or Pipeline()
    arts = [make_article(r["text"], id=r["id"], published=r.get("date")) for r in records]
    results = list(pipe.code_stream(arts))
    per_type: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "type": 0, "dyad": 0})
    totals = {"type": 0, "dyad": 0, "source": 0, "target": 0, "actors": 0, "any_event": 0}
    misses = []
    # an article the pipeline could not code counts as a miss, and is reported
    failures = [str(res) for res in results if not hasattr(res, "events")]
    for rec, res in zip(records, results):
        gold_type = rec["event"]
        src, tgt = _codes(rec.get("source")), _codes(rec.get("target"))
        events = getattr(res, "events", [])

        def src_ok(e):
            return e.source is not None and LEGACY.get((e.source.code or "")[:3], (e.source.code or "")[:3]) in src

        def tgt_ok(e):
            code = (e.target.code or "")[:3] if e.target else ""
            code = LEGACY.get(code, code)
            if not tgt:
                # a compound actor without a target ("Jordan and Britain agreed"): a dyad between
                # two of its members is the same event seen symmetrically
                return not code or (len(src) >= 2 and code in src and src_ok(e) and code != (e.source.code or "")[:3])
            return bool(code) and code in tgt

        typed = [e for e in events if gold_type in plover_types(e.cameo)]
        t_ok = bool(typed)
        d_ok = any(src_ok(e) and tgt_ok(e) for e in typed)
        s_any = any(src_ok(e) for e in events)
        t_any = any(tgt_ok(e) for e in events)
        a_any = any(src_ok(e) and tgt_ok(e) for e in events)
        per_type[gold_type]["n"] += 1
        per_type[gold_type]["type"] += t_ok
        per_type[gold_type]["dyad"] += d_ok
        totals["type"] += t_ok
        totals["dyad"] += d_ok
        totals["source"] += s_any
        totals["target"] += t_any
        totals["actors"] += a_any
        totals["any_event"] += bool(events)
        if not d_ok:
            misses.append({"id": rec["id"], "type": gold_type, "source": sorted(src), "target": sorted(tgt),
                           "text": rec["text"],
                           "predicted": [(e.source.code if e.source else None, e.target.code if e.target else None,
                                          e.cameo) for e in events]})
    n = len(records)
    types = {t: {"n": v["n"], "type_accuracy": v["type"] / v["n"], "dyad_accuracy": v["dyad"] / v["n"]}
             for t, v in sorted(per_type.items())}
    return {
        "records": n,
        "type_accuracy": totals["type"] / n, "dyad_accuracy": totals["dyad"] / n,
        "macro_type_accuracy": sum(v["type_accuracy"] for v in types.values()) / len(types),
        "macro_dyad_accuracy": sum(v["dyad_accuracy"] for v in types.values()) / len(types),
        "source_accuracy": totals["source"] / n, "target_accuracy": totals["target"] / n,
        "actor_accuracy": totals["actors"] / n, "coverage": totals["any_event"] / n,
        "per_type": types, "misses": misses, "failures": failures,
    }


def format_report(r: dict[str, Any]) -> str:
    lines = [f"PLOVER gold records (EVALUATION.md §2): {r['records']} records", "",
             f"  type accuracy        {r['type_accuracy']:.3f}   (macro over types {r['macro_type_accuracy']:.3f})",
             f"  dyad accuracy        {r['dyad_accuracy']:.3f}   (macro over types {r['macro_dyad_accuracy']:.3f})",
             f"  source country       {r['source_accuracy']:.3f}   (some event has the gold source)",
             f"  target country       {r['target_accuracy']:.3f}",
             f"  source and target    {r['actor_accuracy']:.3f}",
             f"  records with events  {r['coverage']:.3f}",
             f"  coding failures      {len(r['failures'])}", "",
             f"  {'type':<12} {'n':>4} {'type acc':>9} {'dyad acc':>9}"]
    for t, v in r["per_type"].items():
        lines.append(f"  {t:<12} {v['n']:>4} {v['type_accuracy']:>9.3f} {v['dyad_accuracy']:>9.3f}")
    return "\n".join(lines)
