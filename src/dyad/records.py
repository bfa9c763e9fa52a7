"""Typed records that flow through the pipeline.

An :class:`Article` enters; a :class:`Result` leaves. Every mention, event,
quote and time expression carries character offsets into ``Article.text``
(the cleaned body), which is the common currency between stages.

All records are plain dataclasses of builtins so that they pickle (for
multiprocessing and Dask) and turn into JSON with :func:`to_dict`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    """One news article after reading and cleaning."""

    id: str
    text: str  # cleaned body: what every offset points into
    title: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, or None when unknown
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    source_path: str | None = None
    captions: list[str] = field(default_factory=list)  # photo captions kept out of the body
    dropped_lines: list[str] = field(default_factory=list)  # boilerplate removed from the body
    published_source: str | None = None  # caller, metadata, dateline


@dataclass
class ActorRef:
    """A coded actor as it appears in an event or as a speaker."""

    code: str | None  # CAMEO actor code, e.g. PRKGOV; None when unresolved
    name: str  # canonical name, e.g. "Kim Jong Un", "North Korea"
    text: str  # the words in the article
    start: int | None = None
    end: int | None = None
    kind: str | None = None  # state, person, organisation, group
    actor_id: str | None = None  # key into Result.actors


@dataclass
class Mention:
    start: int
    end: int
    text: str
    how: str  # dictionary, title, apposition, possessive, adjective, surname, coreference, ...


@dataclass
class Actor:
    """A canonical actor found in the article, with all its mentions."""

    id: str  # stable within a result, e.g. "a3"
    name: str
    code: str | None
    kind: str  # state, person, organisation, group
    country: str | None = None
    sector: str | None = None
    role: str | None = None  # e.g. "President of the United States"
    how: str = "dictionary"  # how the actor (its code) was resolved
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class TimeExpression:
    start: int
    end: int
    text: str
    value: str | None  # TimeML-style: 2020-07-04, 2020-W27, 2020-06, 2019, PRESENT_REF, P2D ...
    precision: str | None  # day, week, month, season, year, decade, century, or None
    kind: str = "DATE"  # DATE, TIME, DURATION, SET
    anchored: bool = True  # False when a relative expression could not be resolved


@dataclass
class Location:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Event:
    source: ActorRef | None
    target: ActorRef | None
    cameo: str  # e.g. "125"
    plover: str | None
    quad_class: int | None
    goldstein: float | None
    date: str | None  # 2020-07-04, 2020-W27, 2020-06, 2019
    date_precision: str | None  # day, week, month, year
    date_text: str | None
    date_source: str  # clause, sentence, publication, none
    negated: bool
    evidence: str  # the sentence
    start: int  # sentence offsets into Article.text
    end: int
    trigger: str = ""  # the words that fired the pattern
    trigger_start: int | None = None
    trigger_end: int | None = None
    pattern: str = ""  # id of the pattern that fired
    mode: str | None = None  # None (done), intent, future, conditional, ...
    symmetric: bool = False
    location: Location | None = None
    confidence: float = 1.0
    label: str | None = None  # CAMEO label
    target_how: str | None = None  # how the target was found when not in the clause: coordination, discourse
    source_how: str | None = None  # "location" when no agent is named and the act is the place's state's
    evidence_spans: list[list[int]] = field(default_factory=list)  # every [start, end] sentence reporting it


@dataclass
class Quote:
    text: str
    kind: str  # direct, partial (quoted words inside an indirect quote) or indirect
    start: int
    end: int
    speaker: ActorRef | None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    date: str | None = None
    date_precision: str | None = None


@dataclass
class Result:
    article: Article
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)


def to_dict(record: Any) -> Any:
    """A JSON-ready dict of any record (recursively)."""
    if dataclasses.is_dataclass(record):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (list, tuple)):
        return [to_dict(x) for x in record]
    if isinstance(record, dict):
        return {k: to_dict(v) for k, v in record.items()}
    return record
