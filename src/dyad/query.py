"""Queries over a dyad database: events, dyads and dyad timelines.

The CLI (``dyad events``, ``dyad dyads``, ``dyad timeline``) and the dashboard call these
functions. Each takes a database path (opened read-only, so it never blocks other readers) or
an open :class:`~dyad.store.Store`, and returns a list of dicts of plain Python values
(str, int, float, bool, ``datetime.date``), ready for JSON, CSV or a table; no pandas.

Filters shared by all three:
    actor       CAMEO actor-code prefix on either side (``PRK`` matches ``PRKGOV``)
    source, target  code prefix of the source or the target
    cameo       CAMEO event code or root, as a prefix (``14`` = every protest, ``145`` one code)
    quad_class  one or several QuadClasses (1 verbal cooperation ... 4 material conflict)
    period      ``2020``, ``2020-07``, ``2020-W27``, ``2020-07-04`` or ``START..END`` of those
    since, until  ISO dates; an event counts when its date range overlaps them
    outlet      events reported (also) by this outlet, case-insensitive
    text        events with an evidence sentence containing this text, case-insensitive
    negated     True or False to keep only negated or only affirmed events
    min_articles  events reported by at least this many articles
"""
from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import ConfigError
from .store import Store, date_end


@contextmanager
def open_store(db: str | Path | Store) -> Iterator[Store]:
    """A read-only store for a path (closed afterwards), or the given store as it is."""
    if isinstance(db, Store):
        yield db
        return
    path = str(db)
    if path != ":memory:" and not Path(path).exists():
        raise ConfigError(f"{path}: no such database (create it with dyad ingest)")
    store = Store(path, read_only=True)
    try:
        yield store
    finally:
        store.close()


def parse_period(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``2020``, ``2020-07``, ``2020-W27``, ``2020-07-04`` or ``A..B``."""
    text = period.strip()
    if ".." in text:
        a, b = text.split("..", 1)
        return parse_period(a)[0], parse_period(b)[1]
    try:
        if re.fullmatch(r"\d{4}", text):
            start, precision = dt.date(int(text), 1, 1), "year"
        elif re.fullmatch(r"\d{4}-\d{2}", text):
            start, precision = dt.date.fromisoformat(text + "-01"), "month"
        elif m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text, re.I):
            start, precision = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1), "week"
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            start, precision = dt.date.fromisoformat(text), "day"
        else:
            raise ValueError(text)
    except ValueError:
        raise ConfigError(f"invalid period '{period}': expected YYYY, YYYY-MM, YYYY-Www, YYYY-MM-DD "
                          "or START..END") from None
    return start, date_end(start, precision)


def _iso(value: str | dt.date | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise ConfigError(f"invalid {what} '{value}': expected YYYY-MM-DD") from None


def build_filters(*, actor: str | None = None, source: str | None = None, target: str | None = None,
                  cameo: str | None = None, quad_class: int | Iterable[int] | None = None,
                  period: str | None = None, since: str | dt.date | None = None, until: str | dt.date | None = None,
                  outlet: str | None = None, text: str | None = None, negated: bool | None = None,
                  min_articles: int | None = None) -> dict[str, Any]:
    """Check the filters and put them in the form :class:`Store` queries take."""
    f: dict[str, Any] = {}
    for key, value in (("actor", actor), ("source", source), ("target", target)):
        if value:
            if not re.fullmatch(r"[A-Za-z]{1,15}", value.strip()):
                raise ConfigError(f"invalid {key} code '{value}': expected a CAMEO actor code or prefix "
                                  "(e.g. PRK, USAGOV)")
            f[key] = value.strip().upper()
    if cameo:
        if not re.fullmatch(r"\d{2,4}", str(cameo).strip()):
            raise ConfigError(f"invalid CAMEO code '{cameo}': expected 2 to 4 digits (e.g. 14 or 145)")
        f["cameo"] = str(cameo).strip()
    if quad_class is not None and quad_class != ():
        qcs = [quad_class] if isinstance(quad_class, (int, str)) else list(quad_class)
        try:
            qcs = [int(q) for q in qcs]
        except ValueError:
            raise ConfigError(f"invalid QuadClass {quad_class!r}: expected 1, 2, 3 or 4") from None
        if not qcs or any(q not in (1, 2, 3, 4) for q in qcs):
            raise ConfigError(f"invalid QuadClass {quad_class!r}: expected 1, 2, 3 or 4")
        f["quad_class"] = sorted(set(qcs))
    since, until = _iso(since, "since date"), _iso(until, "until date")
    if period:
        start, end = parse_period(period)
        since = max(since or "", start.isoformat()) or None
        until = min(until or "9999-12-31", end.isoformat())
    if since:
        f["since"] = since
    if until:
        f["until"] = until
    if outlet:
        f["outlet"] = outlet.strip()
    if text:
        f["text"] = text
    if negated is not None:
        f["negated"] = bool(negated)
    if min_articles:
        f["min_articles"] = int(min_articles)
    return f


def _rows(rel) -> list[dict[str, Any]]:
    cols = rel.columns
    return [dict(zip(cols, r)) for r in rel.fetchall()]


def events(db: str | Path | Store, *, limit: int | None = 100, offset: int = 0, mentions: bool = False,
           **filters: Any) -> list[dict[str, Any]]:
    """Merged events matching the filters, in date order, with their article and source counts
    and the first evidence sentence; with ``mentions=True``, every article's report of them
    (one row per evidence, with the outlet, offsets and the reporting article)."""
    f = build_filters(**filters)
    with open_store(db) as store:
        rel = store.event_mentions(f, limit, offset) if mentions else store.merged_events(f, limit, offset)
        return _rows(rel)


def dyads(db: str | Path | Store, *, limit: int | None = 20, order: str = "events", **filters: Any
          ) -> list[dict[str, Any]]:
    """Top source-target pairs: events, articles, counts per QuadClass, mean Goldstein.

    ``order``: ``events`` (most events first), ``articles`` or ``goldstein`` (most hostile first).
    """
    if order not in ("events", "articles", "goldstein"):
        raise ConfigError(f"invalid order '{order}': expected events, articles or goldstein")
    f = build_filters(**filters)
    with open_store(db) as store:
        return _rows(store.dyads(f, limit, order))


def timeline(db: str | Path | Store, source: str, target: str, *, by: str = "month", both: bool = False,
             **filters: Any) -> list[dict[str, Any]]:
    """A dyad's events per week or month: count, articles, count per QuadClass (q1..q4) and
    mean Goldstein; periods without events between the first and the last are zeros.

    ``source`` and ``target`` are code prefixes; ``both=True`` counts the reverse direction too.
    An event whose date is coarser than the period (a month in a weekly timeline) is left out.
    """
    if by not in ("week", "month"):
        raise ConfigError(f"invalid --by '{by}': expected week or month")
    f = build_filters(source=source, target=target, **filters)
    f.pop("source"), f.pop("target")
    with open_store(db) as store:
        return _rows(store.timeline(source.strip().upper(), target.strip().upper(), by, f, both))


def summary(db: str | Path | Store) -> dict[str, int]:
    """Row counts of the main tables."""
    with open_store(db) as store:
        return store.counts()


def quotes(db: str | Path | Store, *, speaker: str | None = None, about: str | None = None,
           since: str | None = None, until: str | None = None, text: str | None = None,
           limit: int | None = 100) -> list[dict[str, Any]]:
    """Who said what: stored quotes by speaker code prefix, about an actor (a code prefix named
    inside the quote, directly or through coreference), said within a period.

    ``dyad quotes --speaker PRK --about KOR --since 2020-06`` is "what has Pyongyang said about
    Seoul since June 2020".
    """
    import json

    from .actors.dictionary import to_day

    lo = parse_period(since)[0] if since else None
    hi = parse_period(until)[1] if until else None
    about_code = about.strip().upper() if about else None
    with open_store(db) as store:
        rows = store.quotes(speaker=speaker, text=text)
        mentions: dict[str, list[tuple[str, int, int]]] = {}
        if about_code:
            for a in store.article_actor_mentions(sorted({r["article_id"] for r in rows})):
                if (a["code"] or "").startswith(about_code):
                    for m in json.loads(a["mentions"] or "[]"):
                        mentions.setdefault(a["article_id"], []).append((a["code"], m["start"], m["end"]))
    out = []
    for r in rows:
        day = to_day(r["date"]) or (r["published"] if isinstance(r["published"], dt.date) else to_day(str(r["published"] or "")))
        if lo and (day is None or day < lo) or hi and (day is None or day > hi):
            continue
        if about_code:
            inside = [c for c, s, e in mentions.get(r["article_id"], []) if r["start_char"] <= s and e <= r["end_char"]]
            if not inside:
                continue
            r["about"] = sorted(set(inside))
        out.append(r)
        if limit and len(out) >= limit:
            break
    return out
