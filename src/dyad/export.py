"""Exports of the merged events of a dyad database, so that existing analysis code keeps working.

``parquet``
    A folder of Parquet files partitioned by month of the event date (``month=2020-07/``,
    ``month=unknown/`` for undated events), written by DuckDB's ``COPY ... PARTITION_BY``: one row
    per merged event with every ``merged_events`` column, plus ``sources`` (list of documents:
    doc_id, outlet, url, published) and ``mentions`` (list of evidence sentences: article_id,
    evidence, start_char, end_char). Read it back with
    ``read_parquet('OUT/**/*.parquet', hive_partitioning = true)``.

``gdelt``
    One tab-separated file without a header, one line per merged event, the 61 columns of the
    GDELT 2.0 event table in GDELT's order (:data:`GDELT_COLUMNS`). Negated events ("did not
    sign") are left out: GDELT has no negation, and they did not happen. Filled:

    ====================================  =======================================================
    GLOBALEVENTID                          first 60 bits of the merged-event id, as an integer
                                           (stable across runs and databases)
    SQLDATE, MonthYear, Year, FractionDate  the event's date (its first day when the precision is
                                           coarser than a day), not the publication date
    Actor1/2Code, Name                     CAMEO actor code and canonical name (upper case)
    Actor1/2CountryCode                    first three letters of the code when they are not a
                                           role, group or religion code
    Actor1/2KnownGroupCode                 the first code part that is neither a country, a role
                                           nor a religion (``IGOUNO`` -> ``UNO``)
    Actor1/2Religion1Code, Religion2Code   religion parts of the code
    Actor1/2Type1Code..Type3Code           role parts of the code (``USAGOV`` -> ``GOV``)
    IsRootEvent                            1 when a report's sentence is in its article's first
                                           paragraph
    EventCode, EventBaseCode, EventRootCode  CAMEO code, its 3- and 2-digit parents
    QuadClass, GoldsteinScale              from the CAMEO table
    NumMentions, NumSources, NumArticles   evidence sentences, distinct outlets, documents (kept
                                           articles and their duplicates)
    ActionGeo_Type                         4 for a place with coordinates, 1 for a country only
    ActionGeo_FullName, CountryCode, Lat, Long  the event's place, when the text gives one; the
                                           country code is dyad's (ISO 3166 alpha-3), not FIPS
    DATEADDED                              when the first report was stored, YYYYMMDDHHMMSS
    SOURCEURL                              URL of the first report (its article id when it has
                                           no URL)
    ====================================  =======================================================

    Left empty: Actor1/2EthnicCode (dyad codes no ethnicity), AvgTone (no tone model),
    Actor1Geo_* and Actor2Geo_* (dyad places events, not actors), ActionGeo_ADM1Code,
    ActionGeo_ADM2Code and ActionGeo_FeatureID (no administrative gazetteer ids).

``plover``
    PLOVER/POLECAT-style JSON: JSON Lines (one object per line) or, when the output name ends in
    ``.json``, one JSON array. One object per merged event (negated ones left out), with the PLOVER
    ``event_type``, ``mode`` and ``context`` of its CAMEO code, ``actor`` and ``recipient``
    (name, code, country, sectors, text), ``date`` and ``date_precision``, ``location``,
    ``modality`` (intent, future...), the CAMEO code, QuadClass and Goldstein score, the counts,
    every ``source`` document and every ``evidence`` sentence with its offsets.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterator

from .errors import ConfigError
from .query import open_store
from .store import Store

FORMATS = ("parquet", "gdelt", "plover")

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code"]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_COLUMNS: list[str] = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"Actor1Geo_{c}" for c in _GEO] + [f"Actor2Geo_{c}" for c in _GEO] + [f"ActionGeo_{c}" for c in _GEO]
    + ["DATEADDED", "SOURCEURL"]
)
assert len(GDELT_COLUMNS) == 61

# CAMEO actor codes are 3-letter parts: a country (or region), then roles, groups or religions.
ROLE_CODES = frozenset(
    "COP GOV INS JUD MIL OPP REB SEP SPY UAF AGR BUS CRM CVL DEV EDU ELI ENV HLH HRI LAB LEG MED REF MOD RAD "
    "IGO IMG INT NGM NGO MNC PTY SET UIS".split())
RELIGION_CODES = frozenset(
    "REL ADR ALE ATH BAH BUD CHR CON CPT CTH DOX EOC HIN HSD ITR JAN JEW JHW LDS MOS MRN NRM PAG PRO SFI SHI "
    "SHN SIK SUN TAO UDO ZRO".split())


def split_actor_code(code: str | None) -> dict[str, Any]:
    """Country, known group, religions and roles in a CAMEO actor code."""
    out: dict[str, Any] = {"country": None, "group": None, "religions": [], "roles": []}
    if not code:
        return out
    parts = [code[i:i + 3] for i in range(0, len(code), 3)]
    for n, part in enumerate(parts):
        if part in ROLE_CODES:
            out["roles"].append(part)
        elif part in RELIGION_CODES:
            out["religions"].append(part)
        elif n == 0:
            out["country"] = part
        elif out["group"] is None:
            out["group"] = part
    return out


def _actor_columns(code: str | None, name: str | None) -> list[str]:
    parts = split_actor_code(code)
    roles = parts["roles"] + ["", "", ""]
    rel = parts["religions"] + ["", ""]
    return [code or "", (name or "").upper() if code else "", parts["country"] or "", parts["group"] or "", "",
            rel[0], rel[1], roles[0], roles[1], roles[2]]


def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def gdelt_row(ev: dict[str, Any]) -> list[str]:
    """The 61 GDELT 2.0 values of one merged event (see the module documentation)."""
    day: dt.date | None = ev.get("date_start")
    if day is not None:
        doy = day.timetuple().tm_yday
        dates = [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{day.year + doy / 365:.4f}"]
    else:
        dates = ["", "", "", ""]
    cameo = ev.get("cameo") or ""
    loc = json.loads(ev["location"]) if ev.get("location") else None
    if loc:
        has_point = loc.get("lat") is not None and loc.get("lon") is not None
        action_geo = ["4" if has_point else "1", loc.get("name") or "", loc.get("country") or "", "", "",
                      _num(loc.get("lat")), _num(loc.get("lon")), ""]
    else:
        action_geo = [""] * 8
    added = ev.get("first_added")
    row = ([str(int(ev["merged_id"][:15], 16))] + dates
           + _actor_columns(ev.get("source_code"), ev.get("source_name"))
           + _actor_columns(ev.get("target_code"), ev.get("target_name"))
           + ["1" if ev.get("is_root") else "0", cameo, cameo[:3], cameo[:2], _num(ev.get("quad_class")),
              _num(ev.get("goldstein")), _num(ev.get("num_mentions")), _num(ev.get("num_sources")),
              _num(ev.get("num_articles")), ""]
           + [""] * 8 + [""] * 8 + action_geo
           + [added.strftime("%Y%m%d%H%M%S") if added else "", ev.get("source_url") or ev.get("first_article_id") or ""])
    return [v.replace("\t", " ").replace("\n", " ") for v in row]


def _actor_object(code: str | None, name: str | None, text: str | None) -> dict[str, Any] | None:
    if not code and not name:
        return None
    parts = split_actor_code(code)
    return {"name": name, "code": code, "country": parts["country"], "sectors": parts["roles"],
            "group": parts["group"], "religions": parts["religions"], "text": text}


def plover_record(ev: dict[str, Any]) -> dict[str, Any]:
    """One merged event as a PLOVER/POLECAT-style object."""
    from .events.ontology import lookup

    entry = lookup(ev["cameo"]) if ev.get("cameo") else None
    mentions = ev.get("mentions") or []
    first = mentions[0] if mentions else {}
    context = [c.strip() for c in (entry.plover_context or "").replace(";", ",").split(",") if c.strip()] \
        if entry else []
    return {
        "id": ev["merged_id"],
        "date": ev.get("date"),
        "date_precision": ev.get("date_precision"),
        "event_type": ev.get("plover") or (entry.plover if entry else None),
        "mode": entry.plover_mode if entry and entry.plover_mode else None,
        "context": context,
        "actor": _actor_object(ev.get("source_code"), ev.get("source_name"), first.get("source_text")),
        "recipient": _actor_object(ev.get("target_code"), ev.get("target_name"), first.get("target_text")),
        "location": json.loads(ev["location"]) if ev.get("location") else None,
        "modality": ev.get("mode"),
        "cameo": ev.get("cameo"),
        "cameo_label": ev.get("label"),
        "quad_class": ev.get("quad_class"),
        "goldstein": ev.get("goldstein"),
        "num_mentions": ev.get("num_mentions"),
        "num_articles": ev.get("num_articles"),
        "num_sources": ev.get("num_sources"),
        "publication_date": _iso(ev.get("first_published")),
        "sources": [{"id": s["doc_id"], "article_id": s["article_id"], "outlet": s["outlet"], "url": s["url"],
                     "published": _iso(s["published"])} for s in (ev.get("sources") or [])],
        "evidence": [{"article_id": m["article_id"], "text": m["evidence"], "start": m["start"], "end": m["end"],
                      "trigger": m["trigger"], "date_text": m["date_text"]} for m in mentions],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _affirmed(store: Store) -> Iterator[dict[str, Any]]:
    for ev in store.export_rows():
        if not ev.get("negated"):
            yield ev


def export_parquet(db: str | Path | Store, out: str | Path) -> int:
    with open_store(db) as store:
        return store.export_parquet(out)


def export_gdelt(db: str | Path | Store, out: str | Path) -> int:
    n = 0
    with open_store(db) as store, open(out, "w", encoding="utf-8", newline="") as fh:
        for ev in _affirmed(store):
            fh.write("\t".join(gdelt_row(ev)) + "\n")
            n += 1
    return n


def export_plover(db: str | Path | Store, out: str | Path) -> int:
    n = 0
    as_array = str(out).endswith(".json")
    with open_store(db) as store, open(out, "w", encoding="utf-8") as fh:
        if as_array:
            fh.write("[")
        for ev in _affirmed(store):
            line = json.dumps(plover_record(ev), ensure_ascii=False, default=str)
            if as_array:
                fh.write(("," if n else "") + "\n" + line)
            else:
                fh.write(line + "\n")
            n += 1
        if as_array:
            fh.write("\n]\n")
    return n


def export(db: str | Path | Store, fmt: str, out: str | Path) -> int:
    """Write the merged events of ``db`` to ``out`` in ``fmt`` (parquet, gdelt, plover); rows written."""
    if fmt not in FORMATS:
        raise ConfigError(f"invalid export format '{fmt}': expected one of {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "parquet":
        if out.exists() and not out.is_dir():
            raise ConfigError(f"{out}: exists and is not a folder (Parquet export writes a folder)")
    else:
        if out.is_dir():
            raise ConfigError(f"{out}: is a folder; give a file name")
        out.parent.mkdir(parents=True, exist_ok=True)
    return {"parquet": export_parquet, "gdelt": export_gdelt, "plover": export_plover}[fmt](db, out)
