"""Read actor and agent dictionaries in PETRARCH/TABARI format into an ActorDictionary.

Actors (``*.actors.txt``)::

    NORTH_KOREA  [PRK]          # a name and its code; _ joins words
    +PYONGYANG                  # a synonym of the entry above
    GOLLUM                      # a name whose codes follow, dated:
        [HOB < 950601]          #   before 1995-06-01
        [HOBGOV 19950601 - 19990815]
        [HOBREB > 990816]       #   after 1999-08-16

Agents (``*.agents.txt``)::

    !MINST! = MINISTER, MINISTERS     # a substitution set
    FOREIGN_MINISTER [~GOVFRM]        # ~CODE: a sector code added to the country
    ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]   # explicit plurals in braces
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import DataFileError

_CODE = re.compile(r"\[([^\]]*)\]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _date(text: str, where: str) -> dt.date:
    text = text.strip()
    try:
        if len(text) == 6:
            yy = int(text[:2])
            year = 1900 + yy if yy > 30 else 2000 + yy
            return dt.date(year, int(text[2:4]), int(text[4:6]))
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        pass
    raise DataFileError(f"invalid PETRARCH date '{text}' (YYMMDD or YYYYMMDD)", where)


def _surface(name: str) -> str:
    """PETRARCH writes names in capitals with _ between words; restore a usual casing."""
    words = [w for w in name.replace("_", " ").split() if w]
    out = []
    for w in words:
        letters = re.sub(r"[^A-Za-z]", "", w)
        if "." in w or (len(letters) <= 4 and not re.search(r"[AEIOU]", letters[1:] if len(letters) > 1 else "")):
            out.append(w)  # acronyms: U.N., USSR, IMF
        elif w.lower() in ("the", "of", "and", "for", "de", "al"):
            out.append(w.lower())
        else:
            out.append("-".join(p.capitalize() for p in w.split("-")))
    return " ".join(out)


def _parse_code(spec: str, where: str) -> tuple[str, dt.date | None, dt.date | None] | None:
    spec = spec.split("#", 1)[0].strip()
    if not spec:
        return None
    start = end = None
    m = re.fullmatch(r"(\S+)\s*<\s*(\d{6,8})", spec)
    if m:
        code, end = m[1], _date(m[2], where) - dt.timedelta(days=1)
    else:
        m = re.fullmatch(r"(\S+)\s*>\s*(\d{6,8})", spec)
        if m:
            code, start = m[1], _date(m[2], where)
        else:
            m = re.fullmatch(r"(\S+)\s+(\d{6,8})\s*-\s*(\d{6,8})", spec)
            if m:
                code, start, end = m[1], _date(m[2], where), _date(m[3], where)
            else:
                code = spec.split()[0]
    code = code.split("/")[0].upper()
    if not re.fullmatch(r"[A-Z0-9]{3,}", code):
        return None  # discard markers (---, +++, ###)
    return code, start, end


def load_petrarch_actors(dictionary, path: Path) -> int:
    from .dictionary import Entry, Person, Role

    text = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
    entries: list[dict] = []
    current: dict | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        where = f"{path}:{lineno}"
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.lstrip().startswith("+"):
            if current is not None:
                current["synonyms"].append(line.strip()[1:].strip())
            continue
        if line[:1].isspace() and line.strip().startswith("["):
            if current is not None:
                for spec in _CODE.findall(line):
                    parsed = _parse_code(spec, where)
                    if parsed:
                        current["codes"].append(parsed)
            continue
        name = _CODE.split(line)[0].strip()
        current = {"name": name, "synonyms": [], "codes": []}
        for spec in _CODE.findall(line):
            parsed = _parse_code(spec, where)
            if parsed:
                current["codes"].append(parsed)
        entries.append(current)
    n = 0
    for e in entries:
        if not e["codes"] or not e["name"]:
            continue
        name = _surface(e["name"])
        forms = [name] + [_surface(s) for s in e["synonyms"] if s]
        dated = len(e["codes"]) > 1 or any(c[1] or c[2] for c in e["codes"])
        if dated:
            person = dictionary.people.setdefault(name, Person(name))
            for code, start, end in e["codes"]:
                person.roles.append(Role(code, start, end, "PETRARCH dictionary"))
            entry = Entry(f"person:{name}", "person", name, None, "name")
            dictionary.entries[entry.key] = entry
            for form in forms:
                person.aliases.add(form)
                dictionary.add_name(form, entry)
        else:
            code = e["codes"][0][0]
            kind = "state" if len(code) == 3 else "organisation"
            key = f"state:{code}" if kind == "state" else f"org:{code}:{name}"
            entry = Entry(key, kind, name, code, "name", country=code[:3] if not code.startswith("IGO") else None)
            dictionary.entries.setdefault(key, entry)
            if kind == "state" and code not in dictionary.countries:
                dictionary.countries[code] = entry
            for form in forms:
                dictionary.add_name(form, Entry(key, kind, dictionary.entries[key].name, code,
                                                "name" if form == name else "alias", country=entry.country))
        n += 1
    return n


def load_petrarch_agents(dictionary, path: Path) -> int:
    from .dictionary import Agent

    text = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
    macros: dict[str, list[str]] = {}
    n = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", line)
        if m:
            macros[m[1]] = [w.strip() for w in m[2].split(",") if w.strip()]
            continue
        codes = _CODE.findall(line)
        if not codes:
            continue
        code = codes[0].strip().replace("~", "").split()[0].upper() if codes[0].strip() else ""
        if not re.fullmatch(r"[A-Z]{3,}", code):
            continue
        head = _CODE.split(line)[0]
        plurals = re.findall(r"\{([^}]*)\}", head)
        term = re.sub(r"\{[^}]*\}", "", head).strip()
        forms = [term] + [p.strip() for p in ",".join(plurals).split(",") if p.strip()]
        expanded = []
        for form in forms:
            macro = next((k for k in macros if k in form), None)
            if macro:
                expanded += [form.replace(macro, v) for v in macros[macro]]
            else:
                expanded.append(form)
        for form in expanded:
            words = form.replace("_", " ").lower().split()
            if not words:
                continue
            toks = tuple(t.lower() for t in dictionary.tokens(" ".join(words)))
            kind = "group" if code[:3] in ("MIL", "COP", "REB", "OPP", "CVL", "REF", "INS") and words[-1].endswith("s") \
                else "person"
            dictionary.agents[toks] = Agent(" ".join(words), code[:3] if len(code) > 3 else code, kind, False)
            dictionary.agent_max = max(dictionary.agent_max, len(toks))
            dictionary.agent_last.add(toks[-1])
            n += 1
    return n


def load_petrarch_file(dictionary, path: Path) -> int:
    if path.name.lower().endswith(".agents.txt"):
        return load_petrarch_agents(dictionary, path)
    return load_petrarch_actors(dictionary, path)
