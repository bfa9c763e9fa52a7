"""Main text and metadata of one HTML news page.

:func:`extract_html` turns the bytes (or text) of a page into the article body and
its metadata. The body is chosen by agreement between extractors that fail in
different ways:

* the **base** is trafilatura's fast rule-based extraction: it keeps document
  order, paragraphs and list/table structure, and is the best single extractor;
* three **voters** check every base paragraph: trafilatura in precision mode, the
  readability algorithm (trafilatura's vendored fork) and a text-density extractor
  defined here (readability-style scoring of containers, plus re-joining of
  article bodies that a page splits into several containers with the same class,
  e.g. around inline ads);
* a base paragraph (long lines are judged sentence by sentence) is kept when a
  majority of the voters that produced any text contain it (4-token shingle
  containment >= 0.5); a piece of 15 tokens or more also passes on the
  precision-mode voter alone (prose outside the single container the two
  readability-style voters look at); link-dominated pieces need every voter
  (and at least one);
* when the density extractor found a split body, its paragraphs that the base
  missed are inserted at their place in document order;
* the headline (when repeated at the top of the body) and short call-to-action
  lines ("Read more: ...", newsletter and follow prompts at the edges of the body)
  are dropped;
* when the base is empty or much shorter than the others (it missed the article),
  the candidate that agrees most with the others leads instead.

On the Zyte article-extraction benchmark (``dyad.evaluate.extraction``) the
combination scores clearly above each of its parts, including trafilatura with
default settings; ``benchmarks/extraction_zyte.py`` prints the figures.
"""
from __future__ import annotations

import codecs
import copy
import logging
import math
import re
from typing import Any

import lxml.html
from lxml import etree

LOGGER = logging.getLogger(__name__)

__all__ = ["extract_html", "decode_html", "parse_html", "main_text"]

NO_TEXT = "no article text found in HTML"

# ---------------------------------------------------------------------------
# decoding
# ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"WARC/", "a WARC archive (read it with dyad.readers.warc.iter_warc)"),
)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.I)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)["']""", re.I)
_XML_DECL_STR = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Labels that browsers decode as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "cp1252", "iso8859_15"}
_HTML_MARKUP = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|title|meta|div|p|article|main|section|span|table|"
    r"h[1-6]|br|a|ul|ol|li|header|footer|nav|script|style|link|font|center|b|i|em|strong)\b",
    re.I,
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _declared_charset(head: bytes) -> str | None:
    """Charset named by a ``<meta>`` tag or the XML declaration, as a Python codec name."""
    names = []
    m = _XML_DECL.match(head)
    if m:
        names.append(m.group(1))
    for tag in _META_TAG.findall(head):
        m = _CHARSET.search(tag)
        if m:
            names.append(m.group(1))
    for raw in names:
        try:
            name = codecs.lookup(raw.decode("ascii", "ignore")).name
        except LookupError:
            continue
        if name.replace("-", "_") in _AS_CP1252:
            return "cp1252"
        if name.startswith("utf_16") or name.startswith("utf_32"):
            # a byte stream that parsed as ASCII cannot be UTF-16/32: the label is wrong
            continue
        return name
    return None


def _binary_reason(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    ctrl = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    if ctrl > max(8, len(sample) // 100):
        return "binary data (control bytes)"
    return None


def decode_html(html: bytes | str) -> str:
    """Decode the bytes of an HTML page into text, refusing what is not HTML.

    Order: byte-order mark; the charset declared in ``<meta>`` or the XML declaration
    (``latin-1``/``ascii`` labels are read as windows-1252, as browsers do; a page
    labelled with a legacy single-byte charset whose bytes are valid non-ASCII UTF-8
    is read as UTF-8, the usual mislabelling); UTF-8; windows-1252. Undefined
    windows-1252 bytes become U+FFFD only when they are rare; otherwise the input is
    refused.

    Raises ValueError (with a message saying why) for empty input, binary data
    (NUL or control bytes, known file signatures), undecodable bytes and text
    without HTML markup.
    """
    if html is None:
        raise ValueError("empty HTML input")
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if not data.strip():
            raise ValueError("empty HTML input")
        text = None
        for bom, enc in _BOMS:
            if data.startswith(bom):
                try:
                    text = data[len(bom):].decode(enc)
                except UnicodeDecodeError as exc:
                    raise ValueError(f"HTML input is not valid {enc} despite its byte-order mark: {exc}") from None
                break
        if text is None:
            reason = _binary_reason(data.lstrip())
            if reason:
                raise ValueError(f"input is not HTML: {reason}")
            text = _decode_bytes(data)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"HTML must be bytes or str, not {type(html).__name__}")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValueError("empty HTML input")
    sample = text[:8192]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ValueError("input is not HTML: binary data (control characters)")
    if not _HTML_MARKUP.search(text[:200_000]):
        raise ValueError("input is not HTML: no HTML markup found")
    return text


def _decode_bytes(data: bytes) -> str:
    declared = _declared_charset(data[:4096])
    utf8 = None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf_8", "utf-8"):
        legacy_single_byte = declared in ("cp1252",) or declared.startswith(("iso8859", "cp125", "latin"))
        if utf8 is not None and legacy_single_byte and not data.isascii():
            return utf8  # valid multi-byte UTF-8 is (almost) never legacy text: mislabelled page
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            LOGGER.debug("declared charset %s does not decode the page", declared)
    if utf8 is not None:
        return utf8
    text = data.decode("cp1252", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(4, len(data) // 1000):
        raise ValueError(
            f"HTML input is neither UTF-8 nor windows-1252 ({bad} undecodable bytes) and declares no usable charset"
        )
    return text


# ---------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------

_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse decoded HTML (tolerant of unclosed and misnested tags) into an lxml tree."""
    text = _XML_DECL_STR.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"HTML could not be parsed: {exc}") from None
    if tree is None:
        raise ValueError("HTML could not be parsed")
    return tree


# ---------------------------------------------------------------------------
# the density extractor (a voter, and the detector of split article bodies)
# ---------------------------------------------------------------------------

_DROP_TAGS = frozenset(
    "script style noscript template svg canvas iframe object embed button input select textarea nav aside "
    "footer figure link meta head math audio video picture source dialog menu form".split()
)
_UNLIKELY = re.compile(
    r"-ad-|\bads?\b|advert|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|"
    r"cookie|consent|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|"
    r"supplemental|ad-break|agegate|pagination|pager|popup|modal|share|sharing|newsletter|subscri|promo|"
    r"recommend|outbrain|taboola|trending|most-popular|toolbar|masthead|nav",
    re.I,
)
_MAYBE = re.compile(r"and|article|body|column|content|main|shadow|story|entry|post|text", re.I)
_POSITIVE = re.compile(r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story", re.I)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|"
    r"media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|"
    r"widget|byline|author|caption|credit|newsletter|subscribe",
    re.I,
)
_BLOCK = frozenset(
    "address article aside blockquote body dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr td th ul summary "
    "caption center menu html".split()
)
_PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote", "li", "h2", "h3"})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "center", "main"})
_KEEP_TAGS = frozenset({"body", "html", "article", "main", "a"})
_SPACES = re.compile(r"[ \t\r\f\v\xa0\u200b\u2009\u202f]+")


def _attrs(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _remove(elements) -> None:
    for el in elements:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def _lengths(tree) -> tuple[dict, dict]:
    """Text length and link-text length of every element's subtree, in one bottom-up pass."""
    text_len: dict = {}
    link_len: dict = {}
    for el in reversed(list(tree.iter())):
        n = len((el.text or "").strip()) if isinstance(el.tag, str) else 0
        ln = 0
        for ch in el:
            tail = len((ch.tail or "").strip())
            n += text_len.get(ch, 0) + tail
            ln += link_len.get(ch, 0)
        if el.tag == "a":
            ln = n
        text_len[el] = n
        link_len[el] = ln
    return text_len, link_len


def _clean_for_density(tree, share: float = 0.3) -> None:
    _remove([el for el in tree.iter() if not isinstance(el.tag, str) or el.tag.lower() in _DROP_TAGS])
    text_len, _ = _lengths(tree)
    total = max(1, text_len.get(tree, 1))
    doomed = []
    for el in tree.iter():
        tag = el.tag.lower()
        if tag in _KEEP_TAGS:
            continue
        style = (el.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or el.get("hidden") is not None:
            doomed.append(el)
            continue
        a = _attrs(el)
        # boilerplate-looking class/id, unless it holds a large share of the page's text
        if a.strip() and _UNLIKELY.search(a) and not _MAYBE.search(a) and text_len.get(el, 0) < share * total:
            doomed.append(el)
    _remove(doomed)


def _class_weight(el) -> int:
    w = 0
    for a in (el.get("class"), el.get("id")):
        if a:
            if _NEGATIVE.search(a):
                w -= 25
            if _POSITIVE.search(a):
                w += 25
    return w


def _initial_score(el) -> float:
    tag = el.tag
    if tag in ("div", "article", "section", "main"):
        s = 5
    elif tag in ("pre", "td", "blockquote"):
        s = 3
    elif tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
        s = -3
    elif tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th"):
        s = -5
    else:
        s = 0
    return s + _class_weight(el)


def _norm_block(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n+", "\n", text).strip()


def _blocks(root) -> list[str]:
    """Paragraph texts under ``root`` (split at block-level tags), link-dominated ones left out."""
    out: list[str] = []
    buf: list[str] = []
    link = [0]

    def flush() -> None:
        text = _norm_block("".join(buf))
        buf.clear()
        ll, link[0] = link[0], 0
        if text and ll < 0.5 * len(text):
            out.append(text)

    def walk(el, in_a: bool) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None:
            if el.tail:
                buf.append(el.tail)
            return
        block = tag in _BLOCK
        if block:
            flush()
        if tag == "br":
            buf.append("\n")
        a = in_a or tag == "a"
        if el.text:
            buf.append(el.text)
            if a:
                link[0] += len(el.text.strip())
        for ch in el:
            walk(ch, a)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)
            if in_a:
                link[0] += len(el.tail.strip())

    walk(root, False)
    flush()
    return out


def _density_extract(tree) -> tuple[list[str], list[str]]:
    """Readability-style container scoring on a (mutated) copy of the page.

    Returns (paragraphs, split_body_paragraphs): the second list holds the paragraphs
    of all containers sharing the winning container's tag and class when the page
    splits its article body into several of them (else it is empty).
    """
    _clean_for_density(tree)
    text_len, link_len = _lengths(tree)
    scores: dict = {}

    def add(text: str, start) -> None:
        if len(text) < 25:
            return
        sc = 1 + text.count(",") + text.count("，") + text.count("、") + min(len(text) // 100, 3)
        anc, level = start, 0
        while anc is not None and level < 5:
            if anc not in scores:
                scores[anc] = _initial_score(anc)
            scores[anc] += sc / (1 if level == 0 else 2 if level == 1 else level * 3)
            anc, level = anc.getparent(), level + 1

    for el in tree.iter():
        tag = el.tag
        if tag in _PARAGRAPH_TAGS:
            add(" ".join(el.itertext()).strip(), el.getparent())
        elif tag in _CONTAINER_TAGS:
            children = [ch for ch in el if isinstance(ch.tag, str)]
            if not any(ch.tag in _BLOCK for ch in children):
                add(" ".join(el.itertext()).strip(), el.getparent())  # a div used as a paragraph
            else:  # loose text between blocks scores the container itself
                parts = [(el.text or "").strip()] + [(ch.tail or "").strip() for ch in el]
                parts += [" ".join(ch.itertext()).strip() for ch in children if ch.tag not in _BLOCK]
                add(" ".join(p for p in parts if p), el)
    if not scores:
        return [], []

    def density(el) -> float:
        n = text_len.get(el, 0)
        return min(1.0, link_len.get(el, 0) / n) if n else 0.0

    best, best_score = None, -math.inf
    for el in scores:
        scores[el] *= 1 - density(el)
        if scores[el] > best_score:
            best, best_score = el, scores[el]
    selected = [best]
    parent = best.getparent()
    if parent is not None:
        threshold = max(10.0, best_score * 0.2)
        selected = []
        for sib in parent:
            if not isinstance(sib.tag, str):
                continue
            keep = sib is best
            if not keep and scores.get(sib, -math.inf) >= threshold:
                keep = True
            elif not keep and best.get("class") and sib.tag == best.tag and sib.get("class") == best.get("class"):
                keep = True
            elif not keep and sib.tag == "p":
                n, d = text_len.get(sib, 0), density(sib)
                txt = sib.text_content()
                keep = (n > 80 and d < 0.25) or (0 < n <= 80 and d == 0 and re.search(r"\.( |$)", txt) is not None)
            if keep:
                selected.append(sib)
    # the same container signature elsewhere in the page: a body split around ads or embeds
    extra = []
    if best.get("class"):
        chosen = set(selected)
        for el in tree.iter(best.tag):
            if el is best or el in chosen or el.get("class") != best.get("class") or scores.get(el, 0) <= 0:
                continue
            if any(anc in chosen for anc in el.iterancestors()):
                continue
            extra.append(el)
    if extra:
        order = {el: i for i, el in enumerate(tree.iter())}
        selected = sorted(selected + extra, key=lambda e: order.get(e, 0))
    split_ids = {id(e) for e in extra} | ({id(best)} if extra else set())
    paragraphs: list[str] = []
    split: list[str] = []
    for el in selected:
        for text in _blocks(el):
            paragraphs.append(text)
            if id(el) in split_ids:
                split.append(text)
    return paragraphs, split


# ---------------------------------------------------------------------------
# candidates
# ---------------------------------------------------------------------------


def _trafilatura_text(tree, url: str | None, precision: bool) -> str:
    import trafilatura

    try:
        text = trafilatura.extract(
            tree, url=url, fast=True, favor_precision=precision, include_comments=False,
            include_tables=True, deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - a failing voter must not sink the page
        LOGGER.debug("trafilatura failed on %s: %s", url, exc)
        return ""
    return text or ""


def _readability_text(tree) -> str:
    try:
        from trafilatura.readability_lxml import Document

        summary = Document(copy.deepcopy(tree), min_text_length=25).summary()
        if not summary:
            return ""
        return " ".join(lxml.html.fromstring(summary).itertext())
    except Exception as exc:  # noqa: BLE001 - a failing voter must not sink the page
        LOGGER.debug("readability failed: %s", exc)
        return ""


# ---------------------------------------------------------------------------
# combination
# ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…»”\"])\s+(?=[„“\"«]?[A-ZÀ-Ý0-9])|\s+\|\s+")
_LEAD_IN = re.compile(
    r"^\W*(read|see|watch|listen|also|more|related|recommended|trending|popular|don'?t miss|must read)"
    r"(\s+(more|also|next|this|too|on\s+\S+))?\s*[:|>»\]]",
    re.I,
)
_CALL_TO_ACTION = re.compile(
    r"\b(sign(ing)? up|subscrib\w*|newsletters?|follow (us|him|her|them|@)|like this (story|article)|"
    r"share (it|this)|click here|get the latest|to your inbox|all rights reserved|non-commercial use|"
    r"have a tip|contact (us|the author)|tell us what you think|comments? (are|is) closed|leave a (comment|reply))\b",
    re.I,
)
_MIN_SHARE = 0.5  # shingle containment for a paragraph to count as present in a candidate
_LINK_DOMINATED = 0.8  # share of a paragraph's shingles found in anchor texts
_TITLE_SIMILAR = 0.6  # token Jaccard between a leading paragraph and a title of the page
_CTA_MAX_TOKENS = 40
_CTA_EDGE = 3  # call-to-action lines are dropped only among the last lines (and the first)
_LONG_PIECE = 15  # tokens: from this length the precision-mode voter alone confirms a piece
_SHORT_BASE = 1 / 3  # a base under this share of the voters' median length is not trusted to lead


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _shingles(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))}


class _Support:
    """Shingle sets (1- to 4-grams) of one candidate text, to test paragraph containment."""

    __slots__ = ("sets",)

    def __init__(self, text: str):
        toks = _tokens(text)
        self.sets = {n: _shingles(toks, n) for n in (1, 2, 3, 4)} if toks else None

    def contains(self, tokens: list[str]) -> bool:
        if self.sets is None or not tokens:
            return False
        n = min(4, len(tokens))
        sh = _shingles(tokens, n)
        return sum(1 for s in sh if s in self.sets[n]) >= _MIN_SHARE * len(sh)


class _PageFeatures:
    """Titles and anchor texts of the page, lower-cased token sequences."""

    def __init__(self, tree):
        titles = []
        for xp in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
                   "//title//text()"):
            titles += [t for t in tree.xpath(xp) if isinstance(t, str)]
        titles += [h.text_content() for h in tree.iter("h1")]
        self.titles = [set(_low(t)) for t in titles if _tokens(t)]
        self.anchor4: set = set()
        self.anchor_short: set = set()
        for a in tree.iter("a"):
            toks = _low(a.text_content())
            if len(toks) >= 4:
                self.anchor4 |= _shingles(toks, 4)
            elif toks:
                self.anchor_short.add(tuple(toks))

    def link_share(self, tokens: list[str]) -> float:
        toks = [t.lower() for t in tokens]
        if len(toks) >= 4:
            sh = _shingles(toks, 4)
            return sum(1 for s in sh if s in self.anchor4) / len(sh)
        return 1.0 if tuple(toks) in self.anchor_short else 0.0

    def is_title(self, tokens: list[str]) -> bool:
        toks = {t.lower() for t in tokens}
        for t in self.titles:
            union = toks | t
            if union and len(toks & t) / len(union) >= _TITLE_SIMILAR:
                return True
        return False


def _low(text: str) -> list[str]:
    return [t.lower() for t in _tokens(text)]


def _jaccard(a: set, b: set) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _units(text: str) -> list[tuple[int, str]]:
    """(line number, piece): lines of the base text, long ones cut into sentences or table cells."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if len(line) > 300:
            out.extend((i, piece) for piece in _SENTENCE_SPLIT.split(line))
        else:
            out.append((i, line))
    return out


def _combine(lead: str, voters: dict[str, str], split_body: list[str], density_all: list[str],
             features: _PageFeatures, trusted: str | None = None) -> list[str]:
    """Paragraphs of ``lead`` that the voters confirm, cleaned of headline and prompts.

    A piece needs a majority of the voters that produced text; a piece of at least
    ``_LONG_PIECE`` tokens also passes on the ``trusted`` voter alone.
    """
    supports = {name: _Support(text) for name, text in voters.items()}
    supports = {name: s for name, s in supports.items() if s.sets is not None}
    need = math.ceil(len(supports) / 2)
    kept: list[list[Any]] = []  # [line number, text, tokens]
    for line_no, piece in _units(lead):
        toks = _tokens(piece)
        if not toks:
            continue
        yes = [name for name, s in supports.items() if s.contains(toks)]
        if len(yes) < need and not (trusted in yes and len(toks) >= _LONG_PIECE):
            continue
        if (not supports or len(yes) < len(supports)) and features.link_share(toks) >= _LINK_DOMINATED:
            continue
        kept.append([line_no, piece, toks])

    if split_body and kept:
        kept = _insert_split_body(kept, lead, split_body, density_all, features)

    while kept and features.is_title(kept[0][2]):
        kept.pop(0)

    # re-join sentence pieces of one lead line into one paragraph
    paragraphs: list[list[Any]] = []
    for line_no, piece, toks in kept:
        if paragraphs and line_no is not None and paragraphs[-1][0] == line_no:
            paragraphs[-1][1] += " " + piece.strip()
            paragraphs[-1][2] += toks
        else:
            paragraphs.append([line_no, piece.strip(), list(toks)])
    out = []
    n = len(paragraphs)
    for i, (_, text, toks) in enumerate(paragraphs):
        if len(toks) <= _CTA_MAX_TOKENS:
            if _LEAD_IN.match(text):
                continue
            if (i == 0 or i >= n - _CTA_EDGE) and _CALL_TO_ACTION.search(text):
                continue
        out.append(text)
    return out


def _insert_split_body(kept, base, split_body, density_all, features):
    """Insert paragraphs of a split article body that the base missed, in document order."""
    in_base = _Support(base)
    split = set(split_body)
    where: dict = {}
    for i, (_, _, toks) in enumerate(kept):
        for s in _shingles(toks, 4):
            where.setdefault(s, i)
    anchor = -1
    after: dict[int, list] = {}
    for para in density_all:
        toks = _tokens(para)
        if not toks:
            continue
        sh = _shingles(toks, 4)
        hits = [where[s] for s in sh if s in where]
        if len(toks) >= 4 and len(hits) >= 0.5 * len(sh):
            anchor = max(hits)
            continue
        if para not in split or len(toks) < 4 or in_base.contains(toks):
            continue
        if features.link_share(toks) >= _LINK_DOMINATED:
            continue
        after.setdefault(anchor, []).append([None, para, toks])
    if not after:
        return kept
    merged = list(after.get(-1, []))
    for i, item in enumerate(kept):
        merged.append(item)
        merged.extend(after.get(i, []))
    return merged


def main_text(tree, url: str | None = None) -> str:
    """The article body of a parsed page, paragraphs separated by blank lines ('' if none)."""
    features = _PageFeatures(tree)
    try:
        density_all, split_body = _density_extract(copy.deepcopy(tree))
    except Exception as exc:  # noqa: BLE001 - a failing voter must not sink the page
        LOGGER.debug("density extraction failed: %s", exc)
        density_all, split_body = [], []
    candidates = {
        "base": _trafilatura_text(tree, url, precision=False),
        "precision": _trafilatura_text(tree, url, precision=True),
        "readability": _readability_text(tree),
        "density": "\n".join(density_all),
    }
    sizes = {name: len(_tokens(text)) for name, text in candidates.items()}
    present = [name for name in candidates if sizes[name]]
    if not present:
        return ""
    others = sorted(sizes[name] for name in present if name != "base")
    lead = "base"
    if not sizes["base"] or (others and sizes["base"] < _SHORT_BASE * others[len(others) // 2]):
        # the base missed (most of) what the others found: the candidate that agrees most
        # with the others leads instead
        shingles = {name: _shingles(_low(candidates[name]), 4) for name in present}
        agreement = {name: sum(_jaccard(shingles[name], shingles[o]) for o in present if o != name)
                     for name in present}
        lead = max(present, key=lambda name: agreement[name])
    voters = {name: candidates[name] for name in present if name != lead}
    if lead == "base":
        paragraphs = _combine(candidates["base"], voters, split_body, density_all, features, trusted="precision")
    else:
        paragraphs = _combine(candidates[lead], voters, [], density_all, features)
    if not paragraphs:  # the voters rejected everything: keep the lead's prose rather than nothing
        paragraphs = [p.strip() for p in candidates[lead].split("\n")
                      if _tokens(p) and features.link_share(_tokens(p)) < _LINK_DOMINATED]
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------
# metadata
# ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STOPWORDS = {
    "en": "the and of to in is that for it with was on as are be this by have from at said he not but".split(),
    "de": "der die und das ist nicht mit den von sich des auf für ein eine dem im zu auch es wird".split(),
    "fr": "le la les et des est une un que pour dans du qui pas sur au avec il ce par sont elle".split(),
    "es": "el la los las de que y en un una por con para es del se lo al como más pero fue".split(),
    "it": "il di che la e per un una del della non con sono gli le da nel alla anche è più".split(),
    "pt": "o a os as de que e do da em um uma para com não por dos das se mais foi ao é".split(),
    "nl": "de het een en van is dat niet op te voor met zijn er maar ook aan bij dit".split(),
    "sv": "och att det som en på är av för med till den har inte om ett de var".split(),
    "da": "og at det som en på er af for med til den har ikke de et jeg".split(),
    "no": "og det som en på er av for med til ikke har de å et jeg".split(),
    "pl": "i w nie na się z to że do jest jak o co ale po tak za od".split(),
    "cs": "a se na je v že to s z o do jako ale by pro k".split(),
    "ru": "и в не на что с по это как к из о для но он от у же за так".split(),
    "uk": "і в не на що з до це як та у за від про але й".split(),
    "tr": "ve bir bu da de için ile çok olarak daha gibi en ne ama olan".split(),
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada adalah".split(),
    "ro": "și în de la a cu nu că pe o un din pentru este care mai".split(),
    "hu": "a az és hogy nem is egy meg van ez de már csak volt".split(),
}
_STOPWORD_INDEX: dict[str, list[str]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _STOPWORD_INDEX.setdefault(_w, []).append(_lang)
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]"), 0.05),
    ("ko", re.compile(r"[\uac00-\ud7af]"), 0.2),
    ("zh", re.compile(r"[\u4e00-\u9fff]"), 0.2),
    ("ar", re.compile(r"[\u0600-\u06ff]"), 0.2),
    ("he", re.compile(r"[\u0590-\u05ff]"), 0.2),
    ("el", re.compile(r"[\u0370-\u03ff]"), 0.2),
    ("th", re.compile(r"[\u0e00-\u0e7f]"), 0.2),
    ("hi", re.compile(r"[\u0900-\u097f]"), 0.2),
)
_LANG_CODE = re.compile(r"^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$")


def _declared_language(tree) -> str | None:
    values = [tree.get("lang"), tree.get("xml:lang")]
    values += tree.xpath('//meta[translate(@http-equiv,"CONTENT-LANGUAGE","content-language")="content-language"]/@content')
    values += tree.xpath('//meta[@property="og:locale"]/@content')
    for v in values:
        m = _LANG_CODE.match(v or "")
        if m:
            return m.group(1).lower()
    return None


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) from the writing system or frequent function words."""
    sample = text[:5000]
    letters = sum(1 for ch in sample if ch.isalpha()) or 1
    for code, script, share in _SCRIPTS:
        if len(script.findall(sample)) >= share * letters:
            return code, 1.0
    toks = [t.lower() for t in _tokens(sample)]
    if len(toks) < 5:
        return None, 0.0
    counts: dict[str, int] = {}
    for t in toks:
        for lang in _STOPWORD_INDEX.get(t, ()):
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None, 0.0
    lang = max(counts, key=counts.get)
    return lang, counts[lang] / len(toks)


def _language(tree, text: str) -> str | None:
    detected, confidence = detect_language(text)
    if detected and confidence >= 0.12 and len(text) >= 200:
        return detected
    return _declared_language(tree) or detected


def _metadata(tree, url: str | None) -> dict[str, Any]:
    try:
        from trafilatura.metadata import extract_metadata

        doc = extract_metadata(tree, default_url=url)
    except Exception as exc:  # noqa: BLE001 - metadata is best effort
        LOGGER.debug("metadata extraction failed: %s", exc)
        return {}
    date = doc.date if doc.date and _ISO_DATE.match(str(doc.date)) else None
    return {"title": doc.title or None, "published": date, "author": doc.author or None,
            "outlet": doc.sitename or doc.hostname or None}


def _fallback_title(tree) -> str | None:
    for xp in ('//meta[@property="og:title"]/@content', "//title//text()", "//h1//text()"):
        for t in tree.xpath(xp):
            t = _SPACES.sub(" ", str(t)).strip()
            if t:
                return t
    return None


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = re.match(r"^[a-z][a-z0-9+.-]*://(?:www\d?\.)?([^/:?#]+)", url.strip(), re.I)
    return m.group(1).lower() if m else None


# ---------------------------------------------------------------------------
# public entry point
# ---------------------------------------------------------------------------


def extract_html(html: bytes | str, url: str | None = None) -> dict:
    """Article body and metadata of one HTML page.

    Returns ``{"title", "text", "published", "author", "outlet", "language"}``:
    ``text`` is the body as paragraphs separated by blank lines; ``published`` an
    ISO date (YYYY-MM-DD) or None; ``outlet`` the site name (from the page's
    metadata, else the URL's host); ``language`` an ISO 639 code or None. Missing
    metadata fields are None.

    Raises ValueError for input that is empty, binary or not HTML, that cannot be
    decoded, and with the message ``"no article text found in HTML"`` when no body
    text can be extracted.
    """
    text_html = decode_html(html)
    tree = parse_html(text_html)
    body = main_text(tree, url)
    if not _tokens(body):
        raise ValueError(NO_TEXT)
    meta = _metadata(tree, url)
    return {
        "title": meta.get("title") or _fallback_title(tree),
        "text": body,
        "published": meta.get("published"),
        "author": meta.get("author"),
        "outlet": meta.get("outlet") or _outlet_from_url(url),
        "language": _language(tree, body),
    }
