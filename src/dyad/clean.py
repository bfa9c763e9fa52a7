"""Clean: turn scraped article text into a title, a body of paragraphs and captions.

Site chrome ("Accessibility links", "Breaking News") is dropped, the headline is kept as
the title, photo captions are kept out of the body. The body's paragraphs are joined by a
blank line, which the parse stage treats as a sentence break.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from .config import DATA_DIR

_CAPTION_START = re.compile(
    r"^\s*(\((?:FILES?|FILE PHOTO|PHOTO|AP PHOTO|REUTERS|AFP)\)|FILE\s*[-–—:]|FILE PHOTO\b|PHOTO\s*:|"
    r"IMAGE\s*:|CAPTION\s*:|Image caption|Photo caption|Picture\s*:)",
    re.IGNORECASE,
)
_CAPTION_INSIDE = re.compile(
    r"\b(in this (?:file )?(?:photo|picture|image|handout)|(?:photo|picture|image) (?:taken|released|provided)|"
    r"pictured (?:here|above|below)?|\((?:AP|AFP|Reuters|Getty)(?: Photo)?[^)]*\)\s*$|"
    r"\((?:L|R|C|left|right|center|centre)\))"
)
_TERMINAL = re.compile(r"[.!?…\"”’)\]]\s*$")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@functools.lru_cache(maxsize=1)
def boilerplate_lines() -> frozenset[str]:
    lines = (DATA_DIR / "boilerplate.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(l.strip().lower() for l in lines if l.strip() and not l.startswith("#"))


@dataclass
class CleanText:
    title: str | None
    body: str
    captions: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Unicode NFC, unified line ends, no control characters, single spaces inside lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def mark_indented_paragraphs(text: str) -> str:
    """Wire copy without blank lines marks paragraphs by indenting their first line: make those
    starts blank-line breaks."""
    if re.search(r"\n\s*\n", text.strip()):
        return text
    lines = text.replace("\r\n", "\n").split("\n")
    indented = [i for i, l in enumerate(lines) if i > 0 and re.match(r"(?: {2,}|\t)\S", l)]
    if len(indented) < 2:
        return text
    out = []
    for i, line in enumerate(lines):
        if i in indented:
            out.append("")
        out.append(line)
    return "\n".join(out)


def paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; single line breaks inside one are joined.

    Text with no blank line at all but many short lines (one paragraph per line) is split
    at each line.
    """
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 and text.count("\n") >= 2:
        lines = [l for l in text.split("\n") if l.strip()]
        # one paragraph per line, unless the lines are hard-wrapped prose (most end mid-sentence)
        if sum(bool(_TERMINAL.search(l)) for l in lines) >= 0.6 * len(lines):
            return [l.strip() for l in lines]
    out = []
    for block in blocks:
        lines = [l.strip() for l in block.split("\n") if l.strip()]
        out.append(" ".join(lines))
    return out


def is_boilerplate(par: str) -> bool:
    return par.strip().lower().rstrip(":|»›>") in boilerplate_lines()


def is_caption(par: str) -> bool:
    if _CAPTION_START.search(par):
        return True
    if par.rstrip().endswith(("…", "...")) and _CAPTION_INSIDE.search(par):
        return True
    return bool(_CAPTION_INSIDE.search(par)) and len(par.split()) < 60 and re.search(r"\b(photo|picture|image|handout)\b", par, re.I) is not None


_DATELINE_HEAD = re.compile(
    r"^((?:[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)*)(?:, [A-Z][A-Za-z.' ]+){0,2}"
    r"(?:,? (?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?))?(?: ?\([A-Za-z .]+\))?\s*(?:[-–—]+|:))\s+(?=[A-Z\"“])")


def split_dateline(par: str) -> str:
    """Keep a dateline ("KYIV, Ukraine —", "SEOUL, July 7 (Reuters) -") out of the first sentence,
    so the parser does not take the place for the subject: it becomes a paragraph of its own."""
    m = _DATELINE_HEAD.match(par)
    if not m or len(m.group(1)) > 80:
        return par
    return m.group(1).strip() + "\n\n" + par[m.end():]


def looks_like_headline(par: str) -> bool:
    words = par.split()
    if not 2 <= len(words) <= 25 or _TERMINAL.search(par) and not par.endswith(("?", "!")):
        return False
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return caps / len(words) >= 0.5 or len(words) <= 12


def clean_text(raw: str, title: str | None = None) -> CleanText:
    """Split raw article text into title, body paragraphs and captions.

    ``title``, when the caller knows it (JSONL, HTML), is kept and a first paragraph equal
    to it is removed from the body.
    """
    pars = paragraphs(normalise(mark_indented_paragraphs(raw)))
    dropped: list[str] = []
    captions: list[str] = []
    body: list[str] = []
    for par in pars:
        if is_boilerplate(par):
            dropped.append(par)
        elif is_caption(par):
            captions.append(par)
        else:
            body.append(par)
    if title:
        title = normalise(title).strip()
        if body and body[0].strip() == title:
            body.pop(0)
    elif len(body) > 1 and looks_like_headline(body[0]):
        title = body.pop(0)
    if body:
        body[0] = split_dateline(body[0])
    return CleanText(title=title or None, body="\n\n".join(body), captions=captions, dropped=dropped)


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z .'\-]{1,40},\s*(?:[A-Z][A-Za-z .'\-]{1,30},\s*)?)?"
    r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)[a-z]*\.?,?\s+)?"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b"
    r"|^\s*(\d{4})-(\d{2})-(\d{2})\b")


def dateline_date(text: str) -> str | None:
    """The publication date stated in a dateline opening the text ("WASHINGTON, March 3, 2021 (AP) -")."""
    m = _DATELINE.search(text[:300])
    if not m:
        return None
    try:
        if m.group(1):
            return dt.date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2))).isoformat()
        return dt.date(int(m.group(4)), int(m.group(5)), int(m.group(6))).isoformat()
    except (ValueError, KeyError):
        return None
