"""Explain how a name resolves: which dictionary entries match, and the role on a date."""
from __future__ import annotations

from typing import Any

from ..config import Settings
from .dictionary import load_dictionary, to_day


def explain(name: str, date: str | None, settings: Settings | None = None) -> dict[str, Any]:
    d = load_dictionary(settings)
    toks = tuple(t.lower() for t in d.tokens(name.strip()))
    if toks and toks[0] == "the":
        toks = toks[1:]
    matches = []
    day = to_day(date)
    entries = [e for e, _ in (d.names.get(toks) or {}).values()]
    via = None
    if not entries and len(toks) > 1:
        found = d.misspelt_person([t for t in d.tokens(name.strip()) if t[:1].isalpha()])
        if found is not None:  # "Francois Mitterand": one letter off a known full name
            entries, via = [found], "misspelt name"
    entries = [e for e in entries if e.covers(day)] or entries
    for entry in entries:
        m: dict[str, Any] = {"name": entry.name, "kind": entry.kind, "via": via or entry.via, "code": entry.code}
        if entry.start or entry.end:
            m["valid"] = f"{entry.start or '…'} – {entry.end or 'now'}"
        if entry.kind == "person":
            code, role = d.person_code(entry.name, to_day(date))
            m.update(code=code, role=role, roles=[
                {"code": r.code, "start": r.start, "end": r.end, "role": r.role}
                for r in sorted(d.people[entry.name].roles, key=lambda r: str(r.start))])
        matches.append(m)
    if not matches and len(toks) == 1:
        for person in sorted(d.people_by_short(toks[0])):
            code, role = d.person_code(person, to_day(date))
            matches.append({"name": person, "kind": "person", "via": "surname", "code": code, "role": role,
                            "roles": [{"code": r.code, "start": r.start, "end": r.end, "role": r.role}
                                      for r in sorted(d.people[person].roles, key=lambda r: str(r.start))]})
    agent = d.agents.get(toks)
    if agent:
        matches.append({"name": agent.term, "kind": agent.kind, "via": "sector word", "code": agent.code})
    return {"query": name, "date": date, "matches": matches}
