"""The pipeline: Article -> parse -> actors -> time -> quotes -> events -> Result.

``Pipeline`` holds the loaded model and dictionaries (read once, shared by every article);
``code_article`` is a pure function of one article and its parse, so batches can be split
across processes or a Dask cluster.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from spacy.tokens import Doc

from . import timex
from .actors.dictionary import ActorDictionary, load_dictionary
from .actors.resolve import DocActors, Hit, resolve_actors
from .config import Settings
from .events.coder import DISCOURSE_WINDOW, NEEDS_TARGET, Candidate, EventCoder, actor_ids, expand, make_event
from .events.patterns import Patterns, load_patterns
from .parse import load_model
from .places import Gazetteer, load_gazetteer
from .quotes import find_quotes
from .readers import Failure, make_article, read_text
from .records import ActorRef, Article, Event, Quote, Result


@dataclass
class Pipeline:
    settings: Settings = field(default_factory=Settings.from_env)

    def __post_init__(self) -> None:
        self._nlp = None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_model(self.settings.model)
        return self._nlp

    @property
    def dictionary(self) -> ActorDictionary:
        return load_dictionary(self.settings)

    @property
    def patterns(self) -> Patterns:
        return load_patterns(self.settings)

    @property
    def gazetteer(self) -> Gazetteer:
        return load_gazetteer(self.settings.place_files)

    def parse(self, article: Article) -> Doc:
        return self.nlp(article.text)

    def code_article(self, article: Article, doc: Doc | None = None) -> Result:
        doc = doc if doc is not None else self.parse(article)
        return code_parsed(article, doc, self.dictionary, self.patterns, self.gazetteer)

    def code_stream(self, items: Iterable[Article | Failure]) -> Iterator[Result | Failure]:
        """Code many articles, parsing them in batches; failures pass through in order."""
        buffer: list[Article | Failure] = []

        def flush() -> Iterator[Result | Failure]:
            arts = [a for a in buffer if isinstance(a, Article)]
            docs = iter(self.nlp.pipe((a.text for a in arts), batch_size=self.settings.batch_size,
                                      n_process=self.settings.n_process))
            for item in buffer:
                if isinstance(item, Failure):
                    yield item
                    continue
                doc = next(docs)
                try:
                    yield self.code_article(item, doc)
                except Exception as exc:  # one bad document never stops a batch
                    yield Failure(item.source_path or item.id, "code", f"{type(exc).__name__}: {exc}", "E500")
            buffer.clear()

        for item in items:
            buffer.append(item)
            if len(buffer) >= self.settings.batch_size * 4:
                yield from flush()
        if buffer:
            yield from flush()


def speaker_hit(actors: DocActors, doc: Doc, start: int | None, end: int | None) -> Hit | None:
    if start is None or end is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    root_hit = actors.at(span.root)
    if root_hit is not None and root_hit.resolved:
        return root_hit
    for tok in span:
        h = actors.at(tok)
        if h is not None and h.resolved:
            return h
    return None


DOMESTIC_SECTORS = ("GOV", "JUD", "LEG", "COP", "MIL", "SPY")
# easing or tightening control, protest: acts on a state's own population; not resignations,
# ceasefires or withdrawals, which have no target
DOMESTIC_CODES = ("081", "082", "0832", "0833", "0834", "084", "085", "086", "14", "17", "0351")


def domestic_target(cand: Candidate, actors: DocActors, published: str | None) -> list[Hit]:
    for h in cand.sources:
        if h.actor is None:
            continue
        code = actors.code_on(h.actor, published) or ""
        # a protest at home is aimed at the state, and so is calling one off
        protest = cand.code[:2] == "14" or cand.code.startswith("082")
        if (len(code) >= 6 and code[3:6] in DOMESTIC_SECTORS) or (protest and len(code) >= 3 and not code.startswith("IGO")):
            state = actors.dictionary.countries.get(code[:3])
            if state is None:
                return []
            idx = actors.actor_index(state.key, state.name, state.code, "state", "dictionary", country=state.code)
            # the state is implied, not named: no offsets
            return [Hit(idx, None, None, state.name, "domestic", h.head, surface="thing")]
    return []


def event_place(cand: Candidate, actors: DocActors):
    """Where an event happened, when its sentence says so: the place named after a locative
    preposition in the event's clause ("talks in Hanoi, Vietnam"), else in its sentence; a town
    or region before a whole country. None when the text does not say."""
    sent = cand.sent
    doc = sent.doc

    def where(m) -> bool:
        if not (m.locative and sent.start_char <= m.start < sent.end_char):
            return False
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        if span.end < len(doc) and doc[span.end].lower_ in ("'s", "’s"):
            return False  # "angry at the U.S.'s refusal": an owner, not a place
        # "angry at Washington", "fired at (the) Israelis": aims, not places, for a whole state
        words = [t.lower_ for t in doc[max(span.start - 2, 0):span.start]]
        aimed = words[-1:] == ["at"] or words == ["at", "the"]
        return not (m.place.is_country and aimed)

    here = [m for m in actors.places if where(m)]
    if not here:
        return None
    head = cand.clause_head
    if head is not None:
        lo = min(t.idx for t in head.subtree)
        hi = max(t.idx + len(t.text) for t in head.subtree)
        inside = [m for m in here if lo <= m.start < hi]
        here = inside or here
    anchor = min(t.idx for t in cand.trigger)
    return min(here, key=lambda m: (m.place.is_country, abs(m.start - anchor)))


def drop_less_informative(cands: list[Candidate]) -> list[Candidate]:
    """A target-less candidate repeating one with a target (same source, same root) adds nothing:
    "reiterated its demand that Ethiopia stop ..." is one demand of Ethiopia, not two."""
    keep = []
    for c in cands:
        # a more specific act is kept: "resigned to allow elections" is a resignation (0831), not
        # only the yielding (080) its purpose clause names
        if not c.targets and not c.symmetric and any(
                o is not c and o.targets and o.code[:2] == c.code[:2] and actor_ids(o.sources) & actor_ids(c.sources)
                and (c.code[:3] == o.code[:3] or len(c.code) <= len(o.code) and c.code.endswith("0"))
                for o in cands):
            continue
        keep.append(c)
    return keep


def counterpart(prev: Candidate, src_codes: set[str], actors: DocActors, published: str | None) -> list[Hit]:
    """The other party of a recent event in which an actor of ``src_codes`` took part."""
    def unfold(hits: list[Hit]) -> list[Hit]:
        out = []
        for h in hits:
            if h.members:
                out += [Hit(m, h.start, h.end, h.text, h.how, h.head, surface=h.surface) for m in h.members]
            elif h.actor is not None:
                out.append(h)
        return out

    def country(h: Hit) -> str:
        return (actors.code_on(h.actor, published) or "")[:3]

    sources, targets = unfold(prev.sources), unfold(prev.targets)
    if any(country(h) in src_codes for h in sources):
        others = [h for h in targets if country(h) not in src_codes]
        if others:
            return others
        if prev.symmetric:
            others = [h for h in sources if country(h) not in src_codes]
            return others
    if prev.symmetric and any(country(h) in src_codes for h in targets):
        return [h for h in sources if country(h) not in src_codes]
    return []


def _date_for(doc: Doc, cand: Candidate, times, published) -> tuple:
    tok = cand.date_token if cand.date_token is not None else cand.trigger[0]
    date = timex.event_date(doc, tok.i, times, published)
    # a clause that borrows its subject ("..., destroying the embassy") borrows its time too
    head = tok
    hops = 0
    while date[3] != "clause" and head.dep_ in ("advcl", "conj", "xcomp", "acl", "relcl", "pcomp", "prep", "pobj") \
            and head.head.i != head.i and hops < 4:
        head = head.head
        hops += 1
        if head.pos_ in ("VERB", "AUX", "NOUN"):
            alt = timex.event_date(doc, head.i, times, published)
            if alt[3] == "clause":
                return alt
    return date


def code_parsed(article: Article, doc: Doc, dictionary: ActorDictionary, patterns: Patterns,
                gazetteer: Gazetteer | None = None) -> Result:
    published = article.published
    actors = resolve_actors(doc, dictionary, published, gazetteer)
    times = timex.find_times(doc, published)
    spans = find_quotes(doc, article.text)
    speakers = [(q, speaker_hit(actors, doc, q.speaker_start, q.speaker_end)) for q in spans]
    # first-person words inside quotation marks (direct or partial quotes) stand for the speaker
    direct_speakers = [(q.start, q.end, h) for q, h in speakers if h is not None and q.kind != "indirect"]
    coder = EventCoder(patterns, actors, direct_speakers)

    events: list[Event] = []
    by_key: dict[tuple, Event] = {}
    recent: list[tuple[int, Candidate]] = []  # (sentence number, candidate with a target)
    for sent_no, sent in enumerate(doc.sents):
        cands = drop_less_informative(coder.code_sentence(sent))
        by_head = {c.clause_head.i: c for c in cands if c.clause_head is not None and c.targets}
        for cand in cands:
            if not cand.targets and not cand.symmetric and cand.code[:2] not in ("01", "02"):
                # coordinated acts share their target: "destroying the embassy and cutting off lines"
                head = cand.clause_head
                if head is not None and head.dep_ in ("conj", "advcl") and head.head.i in by_head:
                    cand.targets = by_head[head.head.i].targets
                    cand.target_how = "coordination"
                    cand.confidence = 0.8
                elif cand.code[:2] not in ("03", "04"):
                    # the act continues a recent exchange of the same actor: "Kim suspended the campaign",
                    # "North Korea has since refused to hold any dialogue"
                    src_codes = {(r.code or "")[:3] for h in cand.sources for r in actors.refs(h, published)}
                    for no, prev in reversed(recent):
                        if sent_no - no > DISCOURSE_WINDOW:
                            break
                        other = counterpart(prev, src_codes, actors, published)
                        if other:
                            cand.targets = other
                            cand.target_how = "discourse"
                            cand.confidence = 0.6
                            break
            if not cand.targets and not cand.symmetric and cand.code.startswith(NEEDS_TARGET) and not (
                    cand.code == "010" and cand.specific):
                # a cooperative act in another state is directed at it: "agreed to set up a centre in
                # Tokyo", "agreed to an extension of the mandate for the force in Lebanon"
                if cand.code[:2] in ("03", "04", "05", "06") and cand.clause_head is not None:
                    head = cand.clause_head
                    places = coder.place_hits(head) or [
                        h for c in head.children if c.dep_ in ("xcomp", "ccomp") for h in coder.place_hits(c)] or \
                        coder.place_inside([t for t in coder.prep_objects([head], {"to", "on"}) if t.pos_ == "NOUN"])
                    src = {(r.code or "")[:3] for h in cand.sources for r in actors.refs(h, published)}
                    places = [h for h in places if (actors.code_on(h.actor, published) or "")[:3] not in src]
                    if places:
                        cand.targets, cand.target_how = places[:1], "place"
                if not cand.targets:
                    continue
            if not cand.targets and not cand.symmetric and (cand.code.startswith(DOMESTIC_CODES) or cand.code == "137"):
                # a government easing or tightening control at home acts on its own state ("lifted the
                # state of emergency", "imposed a curfew"), as CAMEO codes domestic policy
                home = domestic_target(cand, actors, published)
                if home:
                    cand.targets, cand.target_how = home, "domestic"
            if (cand.targets or cand.symmetric) and cand.code[:2] not in ("01",):
                recent.append((sent_no, cand))
            date = _date_for(doc, cand, times, published)
            where = event_place(cand, actors)
            for source, target, symmetric in expand(cand, actors, date[0]):
                if target is None and not symmetric and cand.code.startswith("04"):
                    continue  # a meeting whose only counterpart was the actor itself ("a meeting of the World Bank's board")
                ev = make_event(cand, source, target, symmetric, date, doc)
                ev.location = where.to_location() if where is not None else None
                key = _event_key(ev)
                if key in by_key:
                    kept = by_key[key]
                    if [ev.start, ev.end] not in kept.evidence_spans:
                        kept.evidence_spans.append([ev.start, ev.end])
                    continue
                by_key[key] = ev
                events.append(ev)

    quotes = []
    for q, hit in speakers:
        speaker = actors.ref(hit, published) if hit is not None else (
            ActorRef(code=None, name=q.speaker_text, text=q.speaker_text, start=q.speaker_start, end=q.speaker_end)
            if q.speaker_text else None)
        if speaker is not None and q.speaker_start is not None:
            speaker.text, speaker.start, speaker.end = q.speaker_text or speaker.text, q.speaker_start, q.speaker_end
        date = (None, None, None, "none")
        if q.cue_start is not None:
            cue = doc.char_span(q.cue_start, q.cue_end, alignment_mode="expand")
            if cue is not None:
                date = timex.event_date(doc, cue.root.i, times, published)
        elif published:
            date = (published, "day", None, "publication")
        if speaker is not None and hit is not None:
            speaker.code = actors.code_on(hit.actor, date[0]) if hit.actor is not None else speaker.code
        quotes.append(Quote(text=q.text, kind=q.kind, start=q.start, end=q.end, speaker=speaker, cue=q.cue,
                            cue_start=q.cue_start, cue_end=q.cue_end, date=date[0], date_precision=date[1]))
    return Result(article=article, events=events, quotes=quotes, actors=actors.actors, times=times)


def _event_key(ev: Event) -> tuple:
    s = ev.source.code if ev.source else None
    t = ev.target.code if ev.target else None
    if ev.symmetric and s and t and t < s:
        s, t = t, s
    return (s, t, ev.cameo, ev.date)


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def code(text: str, published: str | None = None, *, id: str = "-", title: str | None = None,
         pipeline: Pipeline | None = None) -> Result:
    """Code one article's text: its events, quotes, actors and time expressions."""
    pipe = pipeline or default_pipeline()
    return pipe.code_article(read_text(text, id=id, published=published, title=title))


def code_many(items: Iterable[str | dict | Article], published: str | None = None, *,
              pipeline: Pipeline | None = None) -> Iterator[Result | Failure]:
    """Code many articles (strings, dicts with id/text/published/title, or Articles), streaming.

    Yields a Result per article in input order, or a Failure for one that cannot be read.
    """
    pipe = pipeline or default_pipeline()

    def articles() -> Iterator[Article | Failure]:
        for n, item in enumerate(items):
            if isinstance(item, Article):
                yield item
                continue
            try:
                if isinstance(item, str):
                    yield read_text(item, id=str(n), published=published)
                else:
                    yield make_article(item.get("text") or "", id=str(item.get("id", n)),
                                       published=item.get("published") or published, title=item.get("title"),
                                       url=item.get("url"), outlet=item.get("outlet"))
            except Exception as exc:  # noqa: BLE001 - reported as a failure row
                yield Failure(str(n), "read", getattr(exc, "message", str(exc)))

    yield from pipe.code_stream(articles())
