"""Quote finding and attribution at the span level.

:func:`find_quotes` takes a spaCy ``Doc`` of a whole article body and returns
:class:`QuoteSpan` records: the quoted or reported content, the cue that
introduces it ("said", "according to", "warned" ...) and the speaker span (the
subject of the cue verb, or the object of "according to").  Every offset is a
character offset into ``doc.text``; turning speaker spans into coded actors is
left to the actor stage.

Direct quotes are found from the quotation marks themselves, paragraph by
paragraph:

* straight ``"`` and curly ``“ ”`` double quotes; a straight mark is read as
  opening or closing from the characters around it;
* single quotes are never treated as quotation marks of their own, so
  ``‘a helping hand’`` stays inside the outer double quote, and a double
  quote of the other style inside a quote (``"… “title” …"``) is nested;
* a quote that is still open at the end of a paragraph continues only when the
  next paragraph opens with a quotation mark (the multi-paragraph convention);
  otherwise it is cut at the paragraph end, so unbalanced marks in scraped text
  never swallow the rest of the article.

Each direct quote is attributed from the words around it: a cue right after it
(``"…," said X`` / ``"…," X said``), a cue right before it (``X said: "…"``),
a cue whose clause contains it (partial quotes), ``according to X`` or a
parenthetical cue in the same sentence (``relations, it warned, are "…"``).  A
quote with no cue of its own takes the cue of the quote before it in the same
paragraph (``"…," he said. "…"``), of an adjacent quote after it, or, when it
opens a paragraph, of the paragraph before (``He continued:`` or a quote with a
cue).  Short quoted phrases with no cue anywhere are dropped as scare quotes,
titles and nicknames.

A quote whose cue reports more than the quoted words - ``He called the plan
"a disaster"``, ``Kim said the South had "crossed a red line" by ...`` - is a
*partial* quote: the whole reported content is an indirect quote and the
quoted words inside it come back with kind ``partial`` and the same cue and
speaker, so that ``direct`` means a quotation that is the whole of what its
speaker is reported to say.  A quotation inside a clause of thinking
(``Obama said Americans have come to believe "that ..."``) is the words of
whoever reports the thought.

Indirect (reported) speech comes from the dependency parse: a cue verb with a
clausal complement (``X said (that) …``, ``X told reporters …``), an
infinitive or gerund complement for the verbs that take one (``vowed to …``,
``denied …ing``), ``according to X, …``, parenthetical and sentence-final cues
(``…, it warned, …`` / ``…, officials said.``) and participial cues
(``…, suggesting …``: the speaker is the subject of the main clause).  Verbs
of judging, backing and intending report their object or infinitive
(``cited the report``, ``called for a ceasefire``, ``was endorsed by X``,
``wants to …``), and nouns of saying report their clause with the speaker the
noun phrase names (``Trump's claim that …``, ``a statement by the ministry
that …``).  An attribution inside another one's reported content
(``Trump said Clinton wants …``) is part of that report and is not returned
on its own.

The cue words are data: ``data/quote_cues.tsv``.
"""
from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from spacy.attrs import HEAD, IDX, IS_SPACE, LEMMA, LOWER, ORTH, TAG

__all__ = ["QuoteSpan", "Cue", "find_quotes", "load_cues", "load_noun_cues"]


@dataclass
class QuoteSpan:
    """One quote: content span, cue and speaker span (offsets into ``doc.text``)."""

    start: int
    end: int
    text: str
    kind: str  # "direct", "partial" (quoted words inside an indirect quote) or "indirect"
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_text: str | None = None


@dataclass(frozen=True)
class Cue:
    """A cue word from ``quote_cues.tsv``."""

    cue: str
    pos: str  # verb, prep or noun
    frames: frozenset  # clause, to, ing, objprep, obj, quote
    sense: str = "say"  # say, or think for verbs of believing and knowing
    preps: frozenset = frozenset()  # prepositions whose object is the content ("call for", "speak of")

    @property
    def speech(self) -> bool:
        """A cue that can stand beside a quotation it introduces ("...," he said / she called it "...");
        a cue of stance or intention ("supported", "wants") only takes a quotation as its object."""
        return "clause" in self.frames or "quote" in self.frames or self.pos == "prep"


@lru_cache(maxsize=1)
def _cue_rows() -> tuple[Cue, ...]:
    raw = resources.files("dyad").joinpath("data/quote_cues.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    out = []
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"):
        frames = frozenset(f.strip() for f in (row.get("frames") or "").split(",") if f.strip())
        preps = frozenset(f.strip() for f in (row.get("preps") or "").split(",") if f.strip())
        out.append(Cue(row["cue"].strip().lower(), row["pos"].strip(), frames, (row.get("sense") or "say").strip(),
                       preps))
    return tuple(out)


@lru_cache(maxsize=1)
def load_cues() -> dict[str, Cue]:
    """The verb and preposition cues, keyed by lemma (or by the phrase for prepositions)."""
    return {c.cue: c for c in _cue_rows() if c.pos != "noun"}


@lru_cache(maxsize=1)
def load_noun_cues() -> dict[str, Cue]:
    """The noun cues ("claim", "statement", "plan"), keyed by lemma."""
    return {c.cue: c for c in _cue_rows() if c.pos == "noun"}


# ---------------------------------------------------------------------------
# quotation marks

_OPEN_CURLY = "“„‟«"
_CLOSE_CURLY = "”»"
_STRAIGHT = '"'
_MARKS = set(_OPEN_CURLY + _CLOSE_CURLY + _STRAIGHT)
_BEFORE_OPEN = set("([{<—–-/")  # characters that may precede an opening mark
_AFTER_CLOSE = set(")]}>.,;:!?—–-…")  # characters that may follow a closing mark
_SENT_END = {".", "!", "?", ";", "…", "...", "?!", "!?"}
_TRAIL_STRIP = " \t\n,;:—–-"


_DOUBLED = ("''", "``")  # typewriter double quotes made of two single marks
# a double quotation mark: one character of _MARKS, else a doubled mark
_MARK_RX = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]|''|``")


def _mark_at(text: str, i: int) -> tuple[int, str] | None:
    """(length, style) of a double quotation mark starting at ``text[i]``, or None."""
    ch = text[i]
    if ch in _MARKS:
        return 1, ("straight" if ch == _STRAIGHT else "curly")
    if text.startswith(_DOUBLED, i):
        return 2, "doubled"
    return None


def _role(text: str, i: int, n: int, ps: int, pe: int) -> str:
    """'open', 'close' or 'ambig' for the quotation mark of length ``n`` at ``text[i]``."""
    ch = text[i]
    prev = text[i - 1] if i > ps else " "
    nxt = text[i + n] if i + n < pe else " "
    p_open = prev.isspace() or prev in _BEFORE_OPEN or prev in _MARKS
    n_close = nxt.isspace() or nxt in _AFTER_CLOSE
    if ch in _OPEN_CURLY or text.startswith("``", i):
        # a curly opening mark glued to the end of a word is a misused closer
        return "close" if (prev.isalnum() or prev in ".,!?") and n_close else "open"
    if ch in _CLOSE_CURLY:
        return "open" if p_open and nxt.isalnum() else "close"
    if p_open and not n_close:
        return "open"
    if not p_open and n_close:
        return "close"
    if prev in ",:;" and (nxt.isalnum() or nxt in "‘'"):
        return "open"
    return "ambig"


def _marks(text: str, ps: int, pe: int) -> list[tuple[int, int, str, str]]:
    """Double quotation marks of one paragraph: (position, length, style, role)."""
    out = []
    first = _first_char(text, ps, pe)
    search = _MARK_RX.search
    m = search(text, ps, pe)
    while m is not None:
        i = m.start()
        n, style = _mark_at(text, i)
        if n == 2 and i + 2 < pe and text[i + 2] == "'":
            m = search(text, i + 3, pe)  # three apostrophes: leave it alone
            continue
        # a mark opening a paragraph opens a quote, whatever its shape
        role = "open" if i == first else _role(text, i, n, ps, pe)
        out.append((i, n, style, role))
        m = search(text, i + n, pe)
    return out


@dataclass(frozen=True)
class _Byline:
    """A dash byline standing in for a cue: ``"…" ― Jane Doe``."""

    dash: str
    start: int
    end: int
    name_start: int
    name_end: int


@dataclass
class _RawQuote:
    open: int  # position of the opening mark
    close: int | None  # position of the closing mark; None when cut at paragraph end
    limit: int  # end of the quoted region (exclusive)
    para_first: int
    para_last: int
    open_len: int = 1  # 2 for a doubled mark ('' or ``)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _first_char(text: str, ps: int, pe: int) -> int:
    i = ps
    while i < pe and text[i].isspace():
        i += 1
    return i


def _closes_ahead(marks: list, pos: int, style: str) -> int:
    """Closing marks of ``style`` after ``pos`` in the paragraph, less the opening ones."""
    n = 0
    for i, _, st, role in marks:
        if i > pos and st == style:
            n += 1 if role == "close" else -1 if role == "open" else 0
    return n


def _scan(text: str, paras: list[tuple[int, int]]) -> list[_RawQuote]:
    quotes: list[_RawQuote] = []
    cur: dict | None = None
    for pi, (ps, pe) in enumerate(paras):
        marks = _marks(text, ps, pe)
        if cur is not None and marks:
            marks = marks[1:]  # the continuation mark opening this paragraph
        for i, n, style, role in marks:
            if cur is None:
                if role in ("open", "ambig"):
                    cur = {"open": i, "len": n, "style": style, "nested": [], "para": pi}
                continue
            nested = cur["nested"]
            top = nested[-1] if nested else cur["style"]
            if role == "ambig":
                role = "close" if top == style else "open"
            if role == "open":
                if style != top:
                    nested.append(style)
                elif nested:
                    nested[-1] = style
                elif _closes_ahead(marks, i, style) >= 2:
                    nested.append(style)  # “… calls “hell” than …”: two closers still to come
                else:
                    # same-style opening while open: the previous quote was never closed
                    end = i
                    while end > cur["open"] + 1 and text[end - 1].isspace():
                        end -= 1
                    quotes.append(_RawQuote(cur["open"], None, end, cur["para"], pi, cur["len"]))
                    cur = {"open": i, "len": n, "style": style, "nested": [], "para": pi}
            else:
                if nested and style == nested[-1]:
                    nested.pop()
                elif nested and style != cur["style"]:
                    nested.pop()
                else:
                    quotes.append(_RawQuote(cur["open"], i, i + n, cur["para"], pi, cur["len"]))
                    cur = None
        if cur is not None:
            cur["nested"] = []
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt is not None:
                j = _first_char(text, *nxt)
                m = _mark_at(text, j) if j < nxt[1] else None
                if m is not None and m[1] == cur["style"]:
                    continue  # multi-paragraph quote: the next paragraph reopens it
            quotes.append(_RawQuote(cur["open"], None, pe, cur["para"], pi, cur["len"]))
            cur = None
    return quotes


# ---------------------------------------------------------------------------
# helpers over the parse

def _is_word(t) -> bool:
    return not (t.is_punct or t.is_space or t.text in _MARKS or t.text in _DOUBLED)


def _noun_cues_by_hash(strings) -> dict[int, Cue]:
    """The noun cues keyed by the hash of their lemma (string hashes do not depend on the vocabulary)."""
    global _NOUN_HASHES
    if _NOUN_HASHES is None:
        _NOUN_HASHES = {strings.add(w): c for w, c in load_noun_cues().items()}
    return _NOUN_HASHES


_NOUN_HASHES: dict[int, Cue] | None = None

# whether a word form counts as a word (see _is_word), by its hash: read from the vocabulary once
_WORD_BY_ORTH: dict[int, bool] = {}


class _Ctx:
    """Per-document lookups shared by the attribution steps."""

    def __init__(self, doc, quotes: list[_RawQuote], paras: list[tuple[int, int]],
                 text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.paras = paras
        self.quotes = quotes
        n = len(doc)
        self.n = n
        # token columns read once from the Doc (iterating a Doc builds a Token per token)
        starts, tags = doc.to_array([IDX, TAG]).T.tolist() if n else ([], [])
        self.starts = starts
        self._space: list[int] | None = None
        self.quote_opens = [q.open for q in quotes]
        self.has_content: set[int] = set()  # cue tokens whose frames found a reported content
        self.inq = [-1] * n  # quote index of each token, -1 outside quotes
        # quotes come in text order without overlapping, like paragraphs
        self.qrange: list[tuple[int, int]] = []  # token range of each quote
        for qi, q in enumerate(quotes):
            a, b = bisect.bisect_left(starts, q.open), bisect.bisect_left(starts, q.limit)
            self.inq[a:b] = [qi] * (b - a)
            self.qrange.append((a, b))
        # paragraph of each token (tokens before the first paragraph count in it)
        para_of: list[int] = []
        done = 0
        for pi in range(1, len(paras)):
            b = bisect.bisect_left(starts, paras[pi][0])
            para_of += [pi - 1] * (b - done)
            done = b
        para_of += [max(len(paras) - 1, 0)] * (n - done)
        self.para_of = para_of
        self.cues = load_cues()
        self.noun_cues: list[tuple[int, Cue]] = []  # (token, cue) of the noun cues outside quotes
        self._cue, self._cue_pos = self._cue_table(tags)
        self._qwords: dict[int, list[int]] = {}
        self._word: list = [None] * n  # is_word, filled as asked
        self._orth: list[int] | None = None
        self._heads: list[int] | None = None

    def _cue_table(self, tags: list[int]) -> tuple[list, list[int]]:
        """The cue of each token as :meth:`cue_of` reads it, quotes aside, and the tokens with one."""
        doc, n = self.doc, self.n
        table: list = [None] * n
        if not n:
            return table, []
        strings = doc.vocab.strings
        verb_tags = {h for h in set(tags) if strings[h].startswith("VB")}
        verbs = [i for i, h in enumerate(tags) if h in verb_tags]
        h_hyph = strings["HYPH"]
        lemmas: list = []
        if verbs:
            lemmas = doc.to_array(LEMMA).tolist()
            lemma_cue: dict = {}
            for i in verbs:
                if i > 1 and tags[i - 1] == h_hyph and not doc[i - 1].whitespace_:
                    continue  # the end of a compound adjective: "so-called", "well-said"
                h = lemmas[i]
                c = lemma_cue.get(h, False)
                if c is False:
                    c = self.cues.get(strings[h].lower())
                    if c is not None and c.pos != "verb":
                        c = None
                    lemma_cue[h] = c
                table[i] = c
        # "according to" comes first, whatever the tag of "according"; a token whose lower
        # case is "according" is spelt in ASCII letters, so the text has it in lower case too
        if "according" in self.text.lower():
            lows = doc.to_array(LOWER).tolist()
            h_according, h_to = strings["according"], strings["to"]
            for i in [i for i, h in enumerate(lows) if h == h_according]:
                if i + 1 < n and lows[i + 1] == h_to and strings[lows[i]] == "according" \
                        and strings[lows[i + 1]] == "to":
                    table[i] = self.cues.get("according to")
        noun_tags = {h for h in set(tags) if strings[h] in ("NN", "NNS")}
        if noun_tags:
            nouns = _noun_cues_by_hash(strings)
            lemmas = lemmas if verbs else doc.to_array(LEMMA).tolist()
            self.noun_cues = [(i, nouns[h]) for i, h in enumerate(lemmas) if h in nouns and tags[i] in noun_tags]
        return table, [i for i, c in enumerate(table) if c is not None]

    @property
    def space(self) -> list[int]:
        """1 for the whitespace tokens, else 0."""
        if self._space is None:
            self._space = self.doc.to_array(IS_SPACE).tolist() if self.n else []
        return self._space

    def is_word(self, i: int) -> bool:
        """What :func:`_is_word` says of token ``i`` (no punctuation, space or quotation mark)."""
        w = self._word[i]
        if w is None:
            if self._orth is None:
                self._orth = self.doc.to_array(ORTH).tolist()
            o = self._orth[i]
            w = _WORD_BY_ORTH.get(o)
            if w is None:
                lex = self.doc.vocab[o]
                w = _WORD_BY_ORTH[o] = not (lex.is_punct or lex.is_space or lex.orth_ in _MARKS
                                            or lex.orth_ in _DOUBLED)
            self._word[i] = w
        return w

    def tok_at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def cue_at(self, i: int) -> Cue | None:
        """The cue for token ``i`` (a verb, or "according" followed by "to")."""
        if self.inq[i] >= 0:
            return None
        return self._cue[i]

    def cue_ids(self) -> list[int]:
        """Indices of the tokens that have a cue outside quotes, in order."""
        inq = self.inq
        return [i for i in self._cue_pos if inq[i] < 0]

    def cue_of(self, t) -> Cue | None:
        """The cue for token ``t`` (a verb, or "according" followed by "to")."""
        return self.cue_at(t.i)

    def quote_ids(self, qi: int) -> list[int]:
        """Indices of the word tokens inside quote ``qi``."""
        ids = self._qwords.get(qi)
        if ids is None:
            a, b = self.qrange[qi]
            is_word = self.is_word
            ids = self._qwords[qi] = [i for i in range(a, b) if is_word(i)]
        return ids

    @property
    def heads(self) -> list[int]:
        """The head index of each token."""
        if self._heads is None:
            rel = self.doc.to_array(HEAD).astype("int64").tolist() if self.n else []
            self._heads = [i + h for i, h in enumerate(rel)]
        return self._heads

    def cue_span(self, t) -> tuple[str, int, int]:
        if isinstance(t, _Byline):
            return t.dash, t.start, t.end
        if t.lower_ == "according":
            nxt = self.doc[t.i + 1]
            return self.text[t.idx:nxt.idx + len(nxt.text)], t.idx, nxt.idx + len(nxt.text)
        return t.text, t.idx, t.idx + len(t.text)


def _np_span(ctx: _Ctx, tok) -> tuple[int, int] | None:
    """Character span of the noun phrase headed by ``tok``, appositives and clauses trimmed."""
    doc = ctx.doc
    if ctx.inq[tok.i] >= 0:
        return None
    # the tail of a hyphenated name split by the tokenizer ("Jae - in")
    while (tok.i >= 2 and doc[tok.i - 1].text in ("-", "–") and doc[tok.i - 1].whitespace_ == ""
           and doc[tok.i - 2].whitespace_ == "" and doc[tok.i - 2].is_alpha):
        tok = doc[tok.i - 2]
    # "diplomat Choe Son Hui" parsed as diplomat <-appos- Hui: the name names the speaker
    for ch in tok.rights:
        if (ch.dep_ == "appos" and ch.pos_ == "PROPN" and tok.pos_ == "NOUN"
                and not any(x.text in ",(" for x in doc[tok.i + 1:ch.left_edge.i + 1])):
            tok = ch
            break
    left = tok.i
    for j in range(tok.i - 1, tok.left_edge.i - 1, -1):
        t = doc[j]
        if (t.text in ",()[]—–:;" or ctx.inq[j] >= 0 or t.dep_ in ("relcl", "appos", "acl")
                or ctx.para_of[j] != ctx.para_of[tok.i] or t.is_space):
            break
        left = j
    right = tok.i
    for ch in tok.rights:
        if ch.dep_ in ("appos", "relcl", "acl", "punct", "advcl", "parataxis", "ccomp", "conj", "cc", "dep"):
            break
        stop = False
        for j in range(right + 1, ch.right_edge.i + 1):
            if doc[j].text in ",()[]—–:;" or ctx.inq[j] >= 0 or doc[j].is_space or ctx.para_of[j] != ctx.para_of[tok.i]:
                stop = True
                break
            right = j
        if stop:
            break
    # hyphenated names split by the tokenizer: "Moon Jae-in"
    while (right + 2 < len(doc) and doc[right].whitespace_ == "" and doc[right + 1].text in ("-", "–")
           and doc[right + 1].whitespace_ == "" and doc[right + 2].is_alpha and ctx.inq[right + 2] < 0):
        right += 2
    # a lower-case descriptor before a proper name: "pollster Pat Caddell" -> "Pat Caddell"
    if doc[tok.i].tag_ in ("NNP", "NNPS"):
        cut = None
        for j in range(left, tok.i):
            if doc[j].tag_ in ("NN", "NNS") and doc[j].text.islower():
                cut = j
        if cut is not None and all(doc[k].tag_ in ("NNP", "NNPS") or doc[k].text in "-." for k in range(cut + 1, tok.i + 1)):
            left = cut + 1
    while right > left and (doc[right].is_punct or doc[right].tag_ == "POS" or doc[right].pos_ in ("CCONJ", "DET", "ADP")):
        right -= 1
    while left < right and doc[left].is_punct:
        left += 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


_SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")
_OBJECT_DEPS = ("dobj", "ccomp", "xcomp", "attr", "oprd")


def _subject(ctx: _Ctx, v):
    """The speaker token of cue verb ``v``: its subject, inherited subject or inverted subject."""
    doc = ctx.doc
    if v.lower_ == "according":
        for ch in v.children:
            if ch.lower_ == "to":
                for g in ch.children:
                    if g.dep_ == "pobj":
                        return g
        nxt = doc[v.i + 1] if v.i + 1 < len(doc) else None
        if nxt is not None:
            for g in nxt.children:
                if g.dep_ == "pobj":
                    return g
        return None
    passive = any(ch.dep_ in ("auxpass", "nsubjpass") for ch in v.children)
    if passive:
        for ch in v.children:
            if ch.dep_ == "agent":
                for g in ch.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    same = ctx.para_of[v.i]
    nsubjs = [ch for ch in v.children
              if ch.dep_ == "nsubj" and ctx.para_of[ch.i] == same and ctx.inq[ch.i] < 0]
    left = [ch for ch in nsubjs if ch.i < v.i]
    if left:
        return _antecedent(left[-1])
    adj = _left_adjacent(ctx, v)
    if adj is not None:
        return _antecedent(adj)
    if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return v.head  # "a statement saying ..."
    finite = v.tag_ in ("VBD", "VBZ", "VBP")
    if finite and nsubjs:
        return nsubjs[0]  # inverted: "said Kwon Jong Gun"
    # participles and coordinated verbs take the subject of the clause they hang from
    h = v
    for _ in range(6):
        if h.dep_ not in ("advcl", "conj", "xcomp", "csubj", "ccomp", "pcomp", "parataxis", "dep", "pobj", "prep") \
                or h.head.i == h.i:
            break
        h = h.head
        if h.dep_ == "ccomp" and ctx.cue_of(h.head) is not None:
            continue  # a clause reported by another cue: its subject is not the speaker
        for ch in h.children:
            if ch.dep_ in ("nsubj", "nsubjpass") and ctx.inq[ch.i] < 0 and ctx.para_of[ch.i] == same:
                return _antecedent(ch)
    if nsubjs:
        return nsubjs[0]
    # inverted order the parse missed
    for j in range(v.i + 1, min(len(doc), v.i + 6)):
        t = doc[j]
        if ctx.inq[j] >= 0 or t.text in _SENT_END or ctx.para_of[j] != same:
            break
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            while t.dep_ in ("compound", "flat") and t.head.i > t.i:
                t = t.head
            return t
        if t.pos_ in ("VERB", "AUX", "ADP"):
            break
    return None


_NOMINAL = ("PROPN", "NOUN", "PRON")


def _antecedent(t):
    """A relative pronoun subject stands for the noun its clause modifies."""
    if t.lower_ in ("who", "which", "that") and t.head.dep_ == "relcl" and t.head.head.pos_ in _NOMINAL:
        return t.head.head
    while t.dep_ == "conj" and t.head.pos_ in _NOMINAL and t.head.i < t.i:
        t = t.head  # "Obama and Clinton call ..."
    return t


def _left_adjacent(ctx: _Ctx, v):
    """The noun phrase right before verb ``v`` (its subject in plain word order), if any."""
    doc = ctx.doc
    same = ctx.para_of[v.i]
    j = v.i - 1
    while j >= 0 and ctx.para_of[j] == same and (doc[j].tag_ in ("RB", "MD") or doc[j].dep_ in ("aux", "neg")) \
            and ctx.inq[j] < 0:
        j -= 1
    if j < 0 or ctx.para_of[j] != same or ctx.inq[j] >= 0:
        return None
    if doc[j].text == ",":
        # skip an appositive: "Flynn, a top Trump surrogate, said"
        k = j - 1
        while k >= 0 and j - k <= 15 and ctx.para_of[k] == same and ctx.inq[k] < 0:
            if doc[k].text == ",":
                break
            if doc[k].pos_ in ("VERB", "AUX") or doc[k].text in _SENT_END:
                return None
            k -= 1
        else:
            return None
        if k <= 0 or doc[k].text != ",":
            return None
        j = k - 1
        if ctx.inq[j] >= 0 or doc[j].pos_ not in ("PROPN", "NOUN", "PRON"):
            return None
        return doc[j]
    t = doc[j]
    if t.pos_ not in _NOMINAL or t.dep_ in ("dobj", "attr", "pobj") and t.head.i > v.i:
        return None
    if t.dep_ in ("dobj", "attr", "dative", "oprd") or (t.dep_ == "pobj" and t.head.head.i == v.i):
        return None
    if t.dep_ == "appos" and t.head.pos_ in _NOMINAL and t.head.i < t.i \
            and not any(x.text == "," for x in doc[t.head.i:t.i]):
        return t
    return t


def _speaker(ctx: _Ctx, v) -> tuple[int, int, str] | None:
    if isinstance(v, _Byline):
        return v.name_start, v.name_end, ctx.text[v.name_start:v.name_end]
    s = _subject(ctx, v)
    if s is None:
        return None
    span = _np_span(ctx, s)
    if span is None:
        return None
    return span[0], span[1], ctx.text[span[0]:span[1]]


# ---------------------------------------------------------------------------
# direct quotes

def _after_frame(ctx: _Ctx, q: _RawQuote) -> list:
    doc = ctx.doc
    out = []
    pe = ctx.paras[q.para_last][1]
    j = ctx.tok_at_or_after(q.limit)
    new_sentence = False
    if q.close is not None and ctx.text[q.open:q.close].rstrip().endswith("."):
        # a full stop inside the marks ends the sentence: a capitalised word after them starts
        # the next one ("... the neighborhood." Russia insisted that ...) unless that is a bare
        # attribution ("... the neighborhood." Trump said.)
        k = j
        while k < len(doc) and doc[k].is_space:
            k += 1
        new_sentence = k < len(doc) and doc[k].text[:1].isupper() and ctx.cue_at(k) is None
    while j < len(doc):
        t = doc[j]
        if t.idx >= pe or ctx.inq[j] >= 0 or t.text in _SENT_END:
            break
        if new_sentence and ctx.cue_at(j) is not None and any(
                ch.dep_ in _OBJECT_DEPS or ch.i > j and ctx.inq[ch.i] >= 0 for ch in t.children):
            return []
        out.append(t)
        j += 1
    return out


def _before_frame(ctx: _Ctx, q: _RawQuote) -> list:
    doc = ctx.doc
    out = []
    ps = ctx.paras[q.para_first][0]
    j = ctx.tok_at_or_after(q.open) - 1
    while j >= 0:
        t = doc[j]
        if t.idx < ps or ctx.inq[j] >= 0 or t.text in _SENT_END:
            break
        out.append(t)
        j -= 1
    out.reverse()
    return out


def _governs(ctx: _Ctx, v, ids: list[int]) -> bool:
    """True when most of the tokens ``ids`` sit in the subtree of ``v``."""
    if not ids:
        return False
    lo, hi, vi, heads = v.left_edge.i, v.right_edge.i, v.i, ctx.heads
    inside = 0
    for i in ids:
        if lo <= i <= hi:
            h = heads[i]
            while h != vi and heads[h] != h:
                h = heads[h]
            inside += h == vi and i != vi
    return inside * 2 > len(ids)


def _has_own_content(ctx: _Ctx, v) -> bool:
    """A cue that introduces a clause of its own after it (outside quotes)."""
    for ch in v.rights:
        if ch.dep_ in ("ccomp", "xcomp") and ctx.inq[ch.i] < 0:
            return True
    return False


def _is_parenthetical(ctx: _Ctx, v) -> bool:
    if v.dep_ == "parataxis":
        return True
    doc = ctx.doc
    lo, hi = v.left_edge.i, v.right_edge.i
    before = doc[lo - 1].text if lo > 0 else ""
    after = doc[hi + 1].text if hi + 1 < len(doc) else ""
    return v.dep_ != "ROOT" and before in ",—–(" and after in ",—–)"


def _direct_cue(ctx: _Ctx, qi: int):
    """Best cue token for quote ``qi`` from its own sentence, or None."""
    q = ctx.quotes[qi]
    qids = ctx.quote_ids(qi)
    best = None  # (priority, distance, token)

    def consider(prio, dist, tok):
        nonlocal best
        if best is None or (prio, dist) < best[:2]:
            best = (prio, dist, tok)

    dash = _dash_byline(ctx, q)
    if dash is not None:
        return dash
    after = _after_frame(ctx, q)
    for k, t in enumerate(after):
        cue = ctx.cue_of(t)
        if cue is None:
            continue
        if t.lower_ == "according":
            consider(2, k, t)
            continue
        between = [b for b in after[:k] if not b.is_space]
        # only a speaker phrase between the quote and the cue: "…," Tulsa police Chief Chuck Jordan said
        ok = all(
            b.is_punct or b.text[:1].isupper() or b.tag_ == "POS"
            or b.pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "ADV", "ADP", "PART")
            or (b.head.i == t.i and b.dep_ in ("aux", "auxpass", "neg"))
            for b in between
        )
        if ok and len(between) <= 12 and cue.speech and not _has_own_content(ctx, t):
            consider(0, k, t)
        elif _governs(ctx, t, qids):
            consider(1, k, t)
    before = _before_frame(ctx, q)
    n = len(before)
    for k, t in enumerate(before):
        cue = ctx.cue_of(t)
        if cue is None:
            continue
        dist = n - k
        if t.lower_ == "according":
            consider(2, dist, t)
            continue
        between = before[k + 1:]
        sub = set(x.i for x in t.subtree)
        ok = all(
            b.is_punct or b.lower_ == "that"
            or (b.i in sub and b.pos_ not in ("VERB", "AUX"))
            for b in between
        )
        if ok and cue.speech and len(between) <= 10 and (
                not between or between[-1].text in ",:" or between[-1].lower_ == "that"
                or all(b.i in sub for b in between)):
            consider(0, dist, t)
        elif _governs(ctx, t, qids):
            consider(1, dist, t)
        elif _is_parenthetical(ctx, t):
            consider(1.5, dist, t)
    return best[2] if best else None


_DASHES = ("―", "—", "–", "-", "--", "~")


_BYLINE = re.compile(r"[\s\u00a0]*(―|—|–|--?|~)[\s\u00a0]*(\S[^\n]{0,60}?)[\s\u00a0.]*$")
_NAME_PARTICLES = {"de", "la", "le", "van", "von", "der", "del", "da", "di", "dos", "bin", "al", "y"}


def _dash_byline(ctx: _Ctx, q: _RawQuote) -> _Byline | None:
    """``"…" ― Jane Doe``: a dash and a name closing the paragraph credit the quote."""
    if q.close is None:
        return None
    pe = ctx.paras[q.para_last][1]
    m = _BYLINE.match(ctx.text, q.limit, pe)
    if m is None or m.end() != pe:
        return None
    name = m.group(2)
    words = name.split()
    if not words or len(words) > 6 or any(ch in name for ch in _MARKS) or any(ch in name for ch in ",;:!?()"):
        return None
    if not all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words) or not words[0][:1].isupper():
        return None
    return _Byline(m.group(1), m.start(1), m.end(1), m.start(2), m.start(2) + len(name))


def _intro_cue(ctx: _Ctx, pi: int):
    """A cue that ends paragraph ``pi`` with a colon ("Caddell continued:")."""
    doc = ctx.doc
    ps, pe = ctx.paras[pi]
    space = ctx.space
    ids = [i for i in range(ctx.tok_at_or_after(ps), ctx.tok_at_or_after(pe)) if not space[i]]
    if not ids or doc[ids[-1]].text != ":" or ctx.inq[ids[-1]] >= 0:
        return None
    root = None
    for i in reversed(ids[:-1]):
        t = doc[i]
        if t.text in _SENT_END or ctx.inq[i] >= 0:
            break
        if ctx.cue_at(i) is not None:
            return t
        if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX"):
            root = t
    # "Sanders made the following comment:" - the clause before the colon introduces the quote
    return root


def _colon_intro(ctx: _Ctx, q: _RawQuote):
    """The main verb of a clause that ends in a colon right before quote ``q``, if it has a subject."""
    before = [t for t in _before_frame(ctx, q) if not t.is_space]
    if len(before) < 3 or before[-1].text != ":":
        return None
    for t in before[:-1]:
        if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJ for c in t.children):
            return t
    return None


_MINOR_WORDS = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but", "nor",
    "as", "is", "are", "be", "it", "its", "your", "our", "my", "vs", "vs.", "v.", "into", "up", "out", "de",
}


def _is_title(words: list) -> bool:
    """A short quoted phrase in title case names a work, a show or a slogan, not speech."""
    if not words or len(words) > 8:
        return False
    major = [t for t in words if t.is_alpha and t.lower_ not in _MINOR_WORDS]
    if len(major) < 2:
        return False
    return all(t.text[:1].isupper() for t in major)


def _prev_quote_adjacent(ctx: _Ctx, q: _RawQuote, before: list) -> bool:
    j = before[0].i - 1
    while j >= 0 and ctx.doc[j].is_space:
        j -= 1
    return j >= 0 and ctx.inq[j] >= 0


def _embedded(ctx: _Ctx, q: _RawQuote) -> bool:
    """True when words of the same sentence come right before the quote (a partial quote)."""
    before = [t for t in _before_frame(ctx, q) if not t.is_space]
    if not before:
        return False
    if all(t.is_punct or t.pos_ == "CCONJ" for t in before) and _prev_quote_adjacent(ctx, q, before):
        return False  # "losers" and "sad": a list of quoted words goes with the first
    last = before[-1]
    if last.text in (":", "—", "–", "-", "(") or (last.text == "," and ctx.cue_of(before[0]) is None and len(before) == 1):
        return False
    return any(_is_word(t) for t in before)


@dataclass
class _Found:
    """A quote with what it was found from: the raw quote or the cue token, and the content tokens."""

    rec: QuoteSpan
    qi: int = -1  # raw quote index (direct quotes)
    cue: object = None  # cue token, byline or None
    how: str | None = None  # how a direct quote got its cue: own, previous, next, intro, paragraph
    ids: frozenset = frozenset()  # content token indices (reported speech)


def _direct_quotes(ctx: _Ctx) -> list[_Found]:
    text = ctx.text
    quotes = ctx.quotes
    n = len(quotes)
    cue_tok = [_direct_cue(ctx, i) for i in range(n)]
    how = ["own" if c is not None else None for c in cue_tok]
    embedded = [_embedded(ctx, q) for q in quotes]

    def para_start_quote(q: _RawQuote) -> bool:
        ps, pe = ctx.paras[q.para_first]
        return _first_char(text, ps, pe) == q.open

    # inherit a cue from a neighbouring quote
    for _ in range(2):
        for i in range(n):
            if cue_tok[i] is not None:
                continue
            q = quotes[i]
            if embedded[i]:
                continue  # a phrase quoted inside a sentence of its own: a scare quote or a title
            # a clause ending in a colon right before it ("I had to change my answer: "...")
            intro = _colon_intro(ctx, q)
            if intro is not None:
                cue_tok[i], how[i] = intro, "intro"
                continue
            # the quote before it in the same paragraph ("...," he said. "...")
            if i > 0 and quotes[i - 1].para_last == q.para_first and cue_tok[i - 1] is not None:
                cue_tok[i], how[i] = cue_tok[i - 1], "previous"
                continue
            # an adjacent quote after it ("..." "...," she said)
            if i + 1 < n and quotes[i + 1].para_first == q.para_last and cue_tok[i + 1] is not None:
                gap = text[q.limit:quotes[i + 1].open]
                if not any(ch.isalnum() for ch in gap):
                    cue_tok[i], how[i] = cue_tok[i + 1], "next"
                    continue
            if para_start_quote(q) and q.para_first > 0:
                intro = _intro_cue(ctx, q.para_first - 1)
                if intro is not None:
                    cue_tok[i], how[i] = intro, "intro"
                    continue
                # the last quote of the paragraph before, when it was attributed
                prev = [k for k in range(i) if quotes[k].para_last == q.para_first - 1]
                if prev and cue_tok[prev[-1]] is not None and not isinstance(cue_tok[prev[-1]], _Byline):
                    cue_tok[i], how[i] = cue_tok[prev[-1]], "paragraph"
                    continue

    out = []
    for i, q in enumerate(quotes):
        start = q.open + q.open_len
        end = q.close if q.close is not None else q.limit
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1] in _TRAIL_STRIP:
            end -= 1
        if end <= start or not any(ch.isalnum() for ch in text[start:end]):
            continue
        words = ctx.quote_ids(i)
        if len(words) <= 8 and _is_title([ctx.doc[k] for k in words]):
            continue
        c = cue_tok[i]
        if c is None:
            # no cue anywhere: a scare quote, a title or a nickname unless it reads as speech
            if len(words) < 8 or not para_start_quote(q):
                continue
        rec = QuoteSpan(start, end, text[start:end], "direct")
        if c is not None:
            _attribute(ctx, rec, c)
        out.append(_Found(rec, i, c, how[i]))
    return out


# ---------------------------------------------------------------------------
# indirect speech

def _span_of(toks: Iterable) -> tuple[int, int] | None:
    toks = sorted(toks, key=lambda t: t.i)
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _largest_run(tok_ids: list[int]) -> list[int]:
    runs: list[list[int]] = []
    for i in sorted(tok_ids):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return max(runs, key=len) if runs else []


def _sentence_rest(ctx: _Ctx, head, cut) -> list:
    """Tokens of ``head``'s clause without ``cut``'s subtree: the largest contiguous run."""
    doc = ctx.doc
    drop = set(x.i for x in cut.subtree)
    keep = [x.i for x in head.subtree if x.i not in drop and not doc[x.i].is_space]
    # drop the commas that fenced the cut
    return [doc[i] for i in _largest_run(keep)]


def _fronted(ctx: _Ctx, v, comp) -> list:
    """Material fronted before a parenthetical cue: "Ceasefire talks, the envoy stressed, remain ..."."""
    doc = ctx.doc
    subj = next((c for c in v.children if c.dep_ == "nsubj" and c.i < v.i), None)
    if subj is None or comp.i < v.i:
        return []
    lo = subj.left_edge.i
    if lo == 0 or doc[lo - 1].text != ",":
        return []
    j = v.i + 1
    while j < len(doc) and doc[j].head.i == v.i and doc[j].dep_ in ("advmod", "npadvmod", "neg"):
        j += 1
    if j >= len(doc) or doc[j].text != ",":
        return []  # not a parenthetical cue
    front = [x for x in v.subtree if x.i < lo - 1 and ctx.para_of[x.i] == ctx.para_of[v.i]]
    heads = [x for x in front if x.head.i == v.i or x.head.i >= lo - 1]
    if not front or not any(x.pos_ in ("NOUN", "PROPN", "PRON") for x in front) \
            or any(x.dep_ in ("advmod", "npadvmod", "prep", "advcl", "mark") for x in heads):
        return []
    return front


def _nested_cues_removed(ctx: _Ctx, v, toks: list) -> list:
    """Drop participial cue phrases hanging inside a content (", adding that ...")."""
    ids = set(x.i for x in toks)
    drop = set()
    for x in toks:
        if (x is not v and x.tag_ == "VBG" and x.dep_ in ("advcl", "conj", "xcomp") and x.i > 0
                and ctx.doc[x.i - 1].text == "," and ctx.cue_of(x) is not None):
            drop.update(y.i for y in x.subtree)
            drop.add(x.i - 1)
    if not drop:
        return toks
    keep = [i for i in sorted(ids) if i not in drop]
    run = _largest_run(keep) if keep else []
    first = [i for i in keep if i < min(drop)]
    chosen = first if first and len(first) * 2 >= len(run) else run
    return [ctx.doc[i] for i in chosen]


def _attribute(ctx, rec: QuoteSpan, cue) -> None:
    """Fill a quote's cue and, when one is found, its speaker span from the cue token."""
    rec.cue, rec.cue_start, rec.cue_end = ctx.cue_span(cue)
    sp = _speaker(ctx, cue)
    if sp is not None:
        rec.speaker_start, rec.speaker_end, rec.speaker_text = sp


def _indirect_content(ctx: _Ctx, v, cue: Cue) -> list | None:
    doc = ctx.doc
    if v.lower_ == "according":
        head = v.head
        if head.i == v.i:
            return None
        return _sentence_rest(ctx, head, v)
    if "quote" in cue.frames and len(cue.frames) == 1 and not cue.preps:
        return None
    children = list(v.children)
    if _unasserted(ctx, v, cue, children):
        return None
    for ch in children:
        if ch.dep_ == "ccomp" and "clause" in cue.frames:
            toks = list(ch.subtree)
            front = _fronted(ctx, v, ch)
            return front + toks if front else toks
    for ch in children:
        if ch.dep_ == "dobj" and "objprep" in cue.frames:
            preps = [g for g in list(ch.rights) + list(v.rights)
                     if g.dep_ == "prep" and g.lower_ in ("of", "for", "over") and g.i > ch.i]
            if preps:
                return [t for t in doc[ch.left_edge.i:preps[0].right_edge.i + 1]]
    for ch in children:
        if ch.dep_ == "xcomp":
            first = ch.left_edge
            if "to" in cue.frames and first.lower_ == "to":
                return list(ch.subtree)
            if "ing" in cue.frames and (ch.tag_ == "VBG" or first.tag_ == "VBG"):
                return list(ch.subtree)
        if ch.dep_ in ("dobj", "pcomp") and "ing" in cue.frames and ch.tag_ == "VBG":
            return list(ch.subtree)
    if cue.preps or "obj" in cue.frames:
        toks = _object_content(v, cue, children)
        if toks is not None:
            return toks
    if v.dep_ == "parataxis" and "clause" in cue.frames and v.head.pos_ in ("VERB", "AUX"):
        drop = set(x.i for x in v.subtree)
        if v.head.i < v.i:
            # "...," they said, under Article 21 ...: what follows the cue is the reporter's
            return [x for x in v.head.subtree if x.i < v.left_edge.i]
        return [x for x in v.head.subtree if x.i not in drop]
    if v.dep_ == "ROOT" and "clause" in cue.frames and not any(
            ch.dep_ in _OBJECT_DEPS or ctx.inq[ch.i] >= 0 for ch in v.rights):
        # "..., officials said." with the content parsed as a sibling clause; a participle
        # without a subject is an adjunct ("Asked about the device, O'Neill said, "...")
        for ch in v.lefts:
            if ch.dep_ in ("advcl", "dep", "parataxis") and ch.pos_ in ("VERB", "AUX") and not (
                    ch.tag_ in ("VBG", "VBN") and not any(g.dep_ in _SUBJ for g in ch.children)):
                return list(ch.subtree)
    # participial cue after a comma with the clause parsed loosely: "..., suggesting X would ..."
    if v.tag_ == "VBG" and v.i > 0 and doc[v.i - 1].text == "," and "clause" in cue.frames:
        toks = []
        for j in range(v.i + 1, len(doc)):
            t = doc[j]
            if t.text in _SENT_END or ctx.inq[j] >= 0 or t.text == "\n" or t.is_space and "\n" in t.text:
                break
            toks.append(t)
        if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in toks):
            return toks
    return None


# a verb in one of these relations describes rather than reports ("the groups that back him")
_EMBEDDED_DEPS = ("relcl", "acl", "amod", "compound")


def _unasserted(ctx: _Ctx, v, cue: Cue, children: list) -> bool:
    """A cue of stance or intention that reports no act: a verb describing a noun ("the groups
    that back him", "whose government wants to ...") or an infinitive under a verb that is no cue
    ("free to disclose his returns")."""
    if cue.speech:
        return False
    if v.dep_ in _EMBEDDED_DEPS:
        return True
    return (v.tag_ == "VB" and v.dep_ in ("xcomp", "ccomp") and ctx.cue_at(v.head.i) is None
            and any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in children))


def _object_content(v, cue: Cue, children: list) -> list | None:
    """What a cue of stance takes as its object: "cited <the report>", "called for <a ceasefire>".

    The object's phrase with an "as" complement ("criticized <the law as a failure>"),
    the object of one of the cue's prepositions with an infinitive after it ("called on
    <the army to withdraw>"), or, in the passive with an agent, the subject ("<the plan>
    was rejected by ...").
    """
    rights = [ch for ch in children if ch.i > v.i]
    if "obj" in cue.frames:
        for k, ch in enumerate(rights):
            if ch.dep_ == "dobj":
                toks = list(ch.subtree)
                for g in rights[k + 1:]:
                    # "branded North Korea <an outlaw nation>", "called it <a hoax>", "described it <as ...>"
                    if g.dep_ in ("oprd", "dobj", "attr") or g.dep_ == "prep" and g.lower_ == "as":
                        toks += list(g.subtree)
                return toks
        if any(ch.dep_ == "agent" for ch in rights):
            for ch in children:
                if ch.dep_ == "nsubjpass" and ch.i < v.i:
                    return list(ch.subtree)
    for k, ch in enumerate(rights):
        if ch.dep_ == "prep" and ch.lower_ in cue.preps:
            toks = [x for g in ch.children if g.dep_ in ("pobj", "pcomp") for x in g.subtree]
            if toks:
                for g in rights[k + 1:]:
                    if g.dep_ == "xcomp":
                        toks += list(g.subtree)
                return toks
    return None


def _noun_content(ctx: _Ctx, n, cue: Cue) -> list | None:
    """What a noun cue reports: "the claim <that ...>", "his plan <to ...>", "calls <for ...>"."""
    for ch in n.rights:
        if ch.dep_ in ("acl", "ccomp") and ch.pos_ in ("VERB", "AUX"):
            marks = [g for g in ch.children if g.i < ch.i and g.dep_ in ("mark", "aux")]
            if "clause" in cue.frames and any(g.lower_ == "that" for g in marks):
                return list(ch.subtree)
            if "to" in cue.frames and any(g.lower_ == "to" for g in marks):
                return list(ch.subtree)
        if ch.dep_ == "prep" and ch.lower_ in cue.preps:
            toks = [x for g in ch.children if g.dep_ in ("pobj", "pcomp") for x in g.subtree]
            if toks:
                return toks
    return None


def _noun_speaker(ctx: _Ctx, n):
    """Whose statement, plan or claim a noun cue names: "Trump's claim", "a statement by the
    ministry", "Trump repeated the claim"."""
    for ch in n.children:
        if ch.dep_ == "poss" and ch.pos_ in _NOMINAL and ch.lower_ not in ("its", "their") or (
                ch.dep_ == "poss" and ch.pos_ == "PRON"):
            return ch
        if ch.dep_ == "prep" and ch.lower_ == "by" and ch.i > n.i:
            for g in ch.children:
                if g.dep_ == "pobj" and g.pos_ in ("PROPN", "NOUN"):
                    return g
    if n.dep_ == "dobj" and n.head.pos_ == "VERB":
        return _subject(ctx, n.head)
    return None


def _noun_quotes(ctx: _Ctx) -> list[_Found]:
    """Reported content hanging off a noun cue, with the speaker the noun phrase names."""
    out = []
    doc = ctx.doc
    for i, cue in ctx.noun_cues:
        if ctx.inq[i] >= 0:
            continue
        n = doc[i]
        toks = _noun_content(ctx, n, cue)
        if not toks:
            continue
        is_word = ctx.is_word
        words = [x for x in toks if is_word(x.i)]
        if len(words) < 2 or not _has_unquoted(ctx, words):
            continue
        s = _noun_speaker(ctx, n)
        sp = _np_span(ctx, s) if s is not None else None
        span = _content_span(ctx, toks) if sp is not None else None
        if span is None:
            continue
        rec = QuoteSpan(span[0], span[1], ctx.text[span[0]:span[1]], "indirect", n.text, n.idx, n.idx + len(n.text),
                        sp[0], sp[1], ctx.text[sp[0]:sp[1]])
        out.append(_Found(rec, cue=n, ids=frozenset(x.i for x in words)))
    return out


def _has_unquoted(ctx: _Ctx, toks: list) -> bool:
    """True when ``toks`` hold a word outside quotation marks other than a connective.

    A content made of quoted words joined by "that", "and" or "but" is a direct
    quote; any other word outside the marks makes the quoted words a partial quote.
    """
    inq, is_word = ctx.inq, ctx.is_word
    for x in toks:
        i = x.i
        if inq[i] < 0 and is_word(i) and x.pos_ != "CCONJ" and not (x.lower_ == "that" and x.dep_ == "mark"):
            return True
    return False


def _content_span(ctx: _Ctx, toks: list) -> tuple[int, int] | None:
    """The span of ``toks`` with the quotation marks of a quote it takes in kept balanced."""
    span = _span_of(toks)
    if span is None:
        return None
    s, e = span
    text, quotes = ctx.text, ctx.quotes
    for k in range(max(bisect.bisect_right(ctx.quote_opens, s) - 1, 0), len(quotes)):
        q = quotes[k]
        if q.open >= e:
            break
        if q.limit <= s:
            continue
        if q.open < s <= q.open + q.open_len + 1 and not text[q.open + q.open_len:s].strip():
            s = q.open  # the content starts with the quote: take its opening mark
        if s <= q.open < e and q.close is not None and q.close >= e and not any(
                ch.isalnum() for ch in text[e:q.close]):
            e = q.limit  # the content ends inside the quote: take the closing mark
    return s, e


def _indirect_quotes(ctx: _Ctx) -> list[_Found]:
    doc = ctx.doc
    out = []
    seen = set()
    for i in ctx.cue_ids():
        cue = ctx.cue_at(i)
        if cue is None:
            continue
        t = doc[i]
        toks = _indirect_content(ctx, t, cue)
        if toks is None:
            continue
        ctx.has_content.add(i)
        if not toks:
            continue
        toks = _nested_cues_removed(ctx, t, [x for x in toks if x.i != t.i])
        is_word = ctx.is_word
        words = [x for x in toks if is_word(x.i)]
        if len(words) < 2 and not (words and words[0].pos_ == "PROPN"):
            continue  # one word is a name ("attacked Machado") or too little to report
        if not _has_unquoted(ctx, words):
            continue  # the content is a direct quote: reported as such
        span = _content_span(ctx, toks)
        if span is None or span in seen:
            continue
        seen.add(span)
        rec = QuoteSpan(span[0], span[1], ctx.text[span[0]:span[1]], "indirect")
        rec.cue, rec.cue_start, rec.cue_end = ctx.cue_span(t)
        out.append(_Found(rec, cue=t, ids=frozenset(x.i for x in words)))
    return out


_NAMING_DEPS = ("dobj", "oprd", "attr", "acomp", "ccomp", "xcomp", "dative")


def _complements(ctx: _Ctx, v) -> list:
    """What follows a cue verb as its object or complement: "called <the plan "a disaster">"."""
    toks = []
    for ch in v.rights:
        if ch.dep_ in _NAMING_DEPS or (ch.dep_ == "prep" and ch.lower_ in ("as", "of", "for", "about")):
            toks.extend(ch.subtree)
    return toks


def _introduced(ctx: _Ctx, q: _RawQuote, c) -> bool:
    """True when cue ``c`` introduces quote ``q`` directly: ``Trump told Fox that "..."``."""
    first = ctx.tok_at_or_after(q.open)
    if c.i >= first:
        return False
    sub_lo, sub_hi = c.left_edge.i, c.right_edge.i
    between = [t for t in ctx.doc[c.i + 1:first] if not t.is_space]
    if not between:
        return True
    if between[-1].text not in (",", ":") and between[-1].lower_ != "that":
        return False
    return all(t.is_punct or t.lower_ == "that" or (sub_lo <= t.i <= sub_hi and t.pos_ not in ("VERB", "AUX"))
               for t in between)


def _mark_partial(ctx: _Ctx, direct: list[_Found], reported: list[_Found]) -> list[_Found]:
    """Quoted phrases inside a larger reported content become ``partial``; returns new contents.

    A direct quote whose cue reports more than the quoted words - ``He said the
    plan was "a disaster"`` - is part of that indirect quote: the quote keeps
    its cue and speaker with kind ``partial``, and the whole content is
    reported as an indirect quote with the same cue.
    """
    by_cue = {f.cue.i: f for f in reported}
    added: list[_Found] = []
    for f in direct:
        c = f.cue
        if c is None or isinstance(c, _Byline):
            continue
        words = set(ctx.quote_ids(f.qi))
        if not words:
            continue
        host = by_cue.get(c.i)
        if host is None and f.how == "own" and c.i not in ctx.has_content:
            # a naming cue ("called the plan "a disaster"") or a frame that found nothing: the
            # object and complements of the cue
            host = _named_content(ctx, c, words)
            if host is None:
                if any(ch.dep_ in ("dobj", "nsubjpass") for ch in c.children) and _in_complements(ctx, c, words):
                    f.rec.kind = "partial"
                continue
            by_cue[c.i] = host
            added.append(host)
        if host is not None and len(words & host.ids) * 2 > len(words) and _next_to_content(ctx, ctx.quotes[f.qi], host):
            f.rec.kind = "partial"
    for f in direct:
        c = f.cue
        if f.rec.kind != "direct" or f.how != "own" or c is None or isinstance(c, _Byline):
            continue
        q = ctx.quotes[f.qi]
        if c.i in by_cue and _glued(ctx, q) and _embedded(ctx, q) and not _introduced(ctx, q, c):
            # "Mills "got an immunity agreement," Jordan said, and still "got to sit in on ...":
            # a quoted phrase inside a sentence whose cue reports more than the quoted words
            f.rec.kind = "partial"
        elif ctx.cue_of(c).sense == "think":
            # a quotation inside a clause of thinking reported by someone else is that reporter's words
            outer = [h for h in reported + added if c.i in h.ids and ctx.cue_of(h.cue).sense == "say"]
            if outer:
                f.rec.kind = "partial"
                _attribute(ctx, f.rec, outer[0].cue)
    return added


def _glued(ctx: _Ctx, q: _RawQuote) -> bool:
    """True when a word other than "that" comes right before quote ``q`` (no comma or colon)."""
    doc = ctx.doc
    j = ctx.tok_at_or_after(q.open) - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    return j >= 0 and ctx.inq[j] < 0 and ctx.is_word(j) and doc[j].lower_ != "that"


def _next_to_content(ctx: _Ctx, q: _RawQuote, host: _Found) -> bool:
    """True when a word of ``host``'s content outside quotation marks touches quote ``q``.

    ``the offer was "too little"`` and ``"a disaster" for the city`` are partial
    quotes; behind a comma or colon (``As for taxes, "..."``) the quote stands
    on its own.
    """
    doc, inq, ids = ctx.doc, ctx.inq, host.ids
    j = ctx.tok_at_or_after(q.open) - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j >= 0 and inq[j] < 0 and j in ids and doc[j].lower_ != "that":
        return True
    j = ctx.tok_at_or_after(q.limit)
    while j < ctx.n and (doc[j].is_space or doc[j].text in ".?!…"):
        j += 1
    return j < ctx.n and inq[j] < 0 and j in ids


def _outermost(ctx: _Ctx, direct: list[_Found], reported: list[_Found]) -> list[_Found]:
    """Reported speech inside another reported content is part of that report.

    In "Trump said Clinton wants to raise taxes" the claim is Trump's: the inner
    attribution (Clinton wants ...) is dropped, and quoted words that belonged to
    it go with the outer one.
    """
    if len(reported) < 2:
        return reported
    outer_of: dict[int, _Found] = {}
    for f in reported:
        ci = f.cue.i
        for h in reported:
            if h is not f and ci in h.ids and h.cue.i not in f.ids and h.cue.i != ci:
                outer_of[ci] = h
                break
    if not outer_of:
        return reported
    for f in direct:
        c = f.cue
        if f.rec.kind == "partial" and not isinstance(c, _Byline) and c is not None and c.i in outer_of:
            h, seen = outer_of[c.i], {c.i}
            while h.cue.i in outer_of and h.cue.i not in seen:
                seen.add(h.cue.i)
                h = outer_of[h.cue.i]
            _attribute(ctx, f.rec, h.cue)
    return [f for f in reported if f.cue.i not in outer_of]


def _in_complements(ctx: _Ctx, c, words: set) -> bool:
    toks = {x.i for x in _complements(ctx, c)}
    return len(words & toks) * 2 > len(words)


def _named_content(ctx: _Ctx, c, words: set) -> _Found | None:
    """The object and complements of cue ``c`` as reported content, when they hold the quote and more."""
    toks = [x for x in _complements(ctx, c) if ctx.para_of[x.i] == ctx.para_of[c.i]]
    if len(words & {x.i for x in toks}) * 2 <= len(words):
        return None
    cwords = [x for x in toks if ctx.is_word(x.i)]
    if not _has_unquoted(ctx, cwords):
        return None
    span = _content_span(ctx, toks)
    if span is None:
        return None
    rec = QuoteSpan(span[0], span[1], ctx.text[span[0]:span[1]], "indirect")
    rec.cue, rec.cue_start, rec.cue_end = ctx.cue_span(c)
    return _Found(rec, cue=c, ids=frozenset(x.i for x in cwords))


# ---------------------------------------------------------------------------

def find_quotes(doc, text: str | None = None) -> list[QuoteSpan]:
    """Direct, partial and indirect quotes in ``doc`` (a parsed spaCy Doc of an article body).

    ``text`` is the string the doc was parsed from, when the caller has it: it
    saves rebuilding it from the tokens (a string of another length is ignored).
    Returns :class:`QuoteSpan` records sorted by start offset.  Quotes split by
    their attribution (``"…," he said, "…"``) come back as separate spans that
    share the cue and speaker; a quote running over several paragraphs is one
    span; a partial quote shares the cue and speaker of the indirect quote that
    holds it.
    """
    if text is None or len(text) != (doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0):
        text = doc.text
    paras = _paragraphs(text)
    raw = _scan(text, paras)
    ctx = _Ctx(doc, raw, paras, text)
    direct = _direct_quotes(ctx)
    reported = _indirect_quotes(ctx)
    reported += _mark_partial(ctx, direct, reported)
    reported += _noun_quotes(ctx)
    reported = _outermost(ctx, direct, reported)
    for f in reported:
        if f.rec.speaker_start is None:
            _attribute(ctx, f.rec, f.cue)  # the speaker, once the attribution is kept
    found = [f.rec for f in direct] + [f.rec for f in reported]
    found.sort(key=lambda q: (q.start, q.end))
    return found
