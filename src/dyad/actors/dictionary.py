"""The actor dictionary: countries, organisations, people with dated roles, sector words.

Loaded from TSV data files (format in ``data/actors/FORMAT.md``) plus user files, and
compiled into token tries so that matching a document is one pass over its tokens.
Also reads PETRARCH-format ``.actors.txt`` / ``.agents.txt`` dictionaries.
"""
from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..config import DATA_DIR, Settings
from ..errors import DataFileError

ACTOR_DIR = DATA_DIR / "actors"

ORG_KIND_TO_ACTOR_KIND = {
    "armed_group": "group", "party": "group", "group": "group", "movement": "group", "ethnic": "group",
}
# States that ended: (successor, last day), for people who outlived them
DISSOLVED = {"USR": ("RUS", dt.date(1991, 12, 25)), "YUG": ("SRB", dt.date(2003, 2, 4)),
             "CSK": ("CZE", dt.date(1992, 12, 31))}
# Sector codes that name a government role; leaving one makes a person an elite (ELI).
GOVERNMENT_SECTORS = ("GOV", "MIL", "LEG", "JUD", "ELI", "IGO", "COP", "SPY")


@dataclass(frozen=True)
class Entry:
    """What a matched name stands for."""

    key: str  # unique id: "state:PRK", "org:PRKMED:KCNA", "person:Kim Jong Un"
    kind: str  # state, person, organisation, group
    name: str  # canonical name
    code: str | None  # CAMEO code (for people: None, see roles)
    via: str  # name, alias, adjective, capital, nickname
    country: str | None = None
    org_kind: str | None = None
    requires: tuple[str, ...] = ()  # nicknames: country codes that must occur in the article
    needs_the: bool = False  # nicknames: only after "the" ("the North")
    start: dt.date | None = None  # dated organisation codes (the Taliban in and out of power)
    end: dt.date | None = None

    def covers(self, day: dt.date | None) -> bool:
        return day is None or ((self.start is None or self.start <= day) and (self.end is None or day <= self.end))


@dataclass(frozen=True)
class Role:
    code: str
    start: dt.date | None
    end: dt.date | None
    role: str

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Person:
    name: str
    roles: list[Role] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)

    def role_on(self, day: dt.date | None) -> tuple[str | None, str | None]:
        """(code, role) held on ``day``: the covering role, else ELI after a government role,
        else the country of the nearest role."""
        if not self.roles:
            return None, None
        if day is None:  # no date known: the latest role
            latest = max(self.roles, key=lambda r: r.start or dt.date.min)
            return latest.code, latest.role
        covering = [r for r in self.roles if r.covers(day)]
        if covering:
            # Prefer the most specific and most recent: government over elite, latest start.
            best = max(covering, key=lambda r: (r.code[3:6] in GOVERNMENT_SECTORS[:4], r.start or dt.date.min))
            return best.code, best.role
        past = [r for r in self.roles if r.end is not None and r.end < day]
        if past:
            last = max(past, key=lambda r: r.end)
            country = last.code[:3]
            if last.code.startswith("IGO"):
                return last.code, f"former {last.role}"
            if country in DISSOLVED and day > DISSOLVED[country][1]:
                country = DISSOLVED[country][0]  # a former Soviet leader is a Russian elite
            if any(r.code[3:6] in GOVERNMENT_SECTORS for r in past):
                return country + "ELI", f"former {last.role}"
            return country, f"former {last.role}"
        first = min(self.roles, key=lambda r: r.start or dt.date.min)
        return (first.code if first.code.startswith("IGO") else first.code[:3]), None

    @property
    def country(self) -> str | None:
        for r in self.roles:
            if not r.code.startswith("IGO"):
                return r.code[:3]
        return None


@dataclass(frozen=True)
class Agent:
    term: str
    code: str  # sector code, e.g. GOV
    kind: str  # person, group, organisation
    title: bool


def parse_date(value: str, where: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataFileError(f"invalid date '{value}' (expected YYYY-MM-DD)", where) from None


def read_tsv(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    """Rows of a TSV with a header, skipping blank and '#' lines."""
    with open(path, encoding="utf-8") as fh:
        lines = [(i, l.rstrip("\n\r")) for i, l in enumerate(fh, 1)]
    lines = [(i, l) for i, l in lines if l.strip() and not l.lstrip().startswith("#")]
    if not lines:
        return []
    header = [h.strip().lower() for h in lines[0][1].split("\t")]
    rows = []
    for i, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) > len(header):
            raise DataFileError(f"line {i}: {len(cells)} columns, header has {len(header)}", str(path))
        rows.append((i, {h: (cells[k].strip() if k < len(cells) else "") for k, h in enumerate(header)}))
    return rows


# generational suffixes after a family name
NAME_SUFFIXES = {"jr", "sr", "junior", "senior"}


def _fold(word: str) -> str:
    """A word without its accents: "françois" -> "francois"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _one_letter_less(word: str, start: int = 0) -> list[str]:
    """The word with one of its letters (from ``start`` on) left out: the keys under which a
    misspelling one letter off meets the right spelling."""
    return [word[:i] + word[i + 1:] for i in range(start, len(word))]


def split_multi(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


FORMAT_VERSION = 2  # bump when the compiled dictionary's layout changes

_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*\.?|[^\w\s]")


ARABIC_ARTICLE = re.compile(r"\b(?:al|el|Al|El)[- ](?=[A-Z])")


def article_variants(form: str) -> list[str]:
    """The spellings news uses for a name with the Arabic article: "Omar al-Bashir" is also
    "Omar El Bashir", "Omar el-Bashir", "Omar Al-Bashir" and "Omar Bashir"."""
    if not ARABIC_ARTICLE.search(form):
        return []
    out = [ARABIC_ARTICLE.sub(repl, form) for repl in ("al-", "Al-", "el-", "El-", "El ", "Al ", "")]
    return [v for v in dict.fromkeys(out) if v != form and len(v.split()) >= 2]


ROMAN = re.compile(r"(?:I{1,3}|IV|VI{0,3}|IX|X{1,2}I{0,3})")
# states whose people's names are written family name first in English-language news
FAMILY_NAME_FIRST = {"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "SGP", "KHM"}


class ActorDictionary:
    """Compiled actor knowledge; immutable after loading, so it pickles and is shared."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.names: dict[tuple[str, ...], dict[str, tuple[Entry, tuple[str, ...]]]] = {}
        self.first: dict[str, int] = {}  # first token (lower) -> longest alias length
        self.people: dict[str, Person] = {}
        self.agents: dict[tuple[str, ...], Agent] = {}
        self.given_genders: dict[str, str] = {}  # folded lower-case given name -> 'f' or 'm'
        self.agent_max = 1
        self.agent_last: set[str] = set()  # last words of agent terms, for a quick test
        self.countries: dict[str, Entry] = {}
        self.short_names: dict[str, set[str]] = {}  # lower surname/short form -> person names
        self._tokenizer = None
        self.sources: list[str] = []

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_tokenizer"] = None  # rebuilt on demand
        return state

    # --- building -------------------------------------------------------------------
    def tokens(self, text: str) -> tuple[str, ...]:
        if self._tokenizer is None:
            import spacy

            self._tokenizer = spacy.blank("en").tokenizer
        return tuple(t.text for t in self._tokenizer(text))

    def add_name(self, surface: str, entry: Entry) -> None:
        surface = surface.strip()
        if surface.lower().startswith("the "):
            surface = surface[4:]
        if not surface:
            return
        toks = self.tokens(surface)
        key = tuple(t.lower() for t in toks)
        slot = self.names.setdefault(key, {})
        slot[entry.key] = (entry, toks)
        self.first[key[0]] = max(self.first.get(key[0], 0), len(key))

    def add_country(self, row: dict[str, str], where: str) -> None:
        code = row.get("code", "").upper()
        name = row.get("name", "")
        if not code or not name:
            raise DataFileError("country row needs code and name", where)
        kind = "state"
        base = Entry(f"state:{code}", kind, name, code, "name", country=code)
        self.entries[base.key] = base
        self.countries[code] = base
        self.add_name(name, base)
        for a in split_multi(row.get("aliases", "")):
            self.add_name(a, Entry(base.key, kind, name, code, "alias", country=code))
        for a in split_multi(row.get("adjectives", "")):
            self.add_name(a, Entry(base.key, kind, name, code, "adjective", country=code))
        for a in split_multi(row.get("capitals", "")):
            self.add_name(a, Entry(base.key, kind, name, code, "capital", country=code))

    def add_organisation(self, row: dict[str, str], where: str) -> None:
        code = row.get("code", "").upper()
        name = row.get("name", "")
        if not code or not name:
            raise DataFileError("organisation row needs code and name", where)
        org_kind = row.get("kind", "") or "organisation"
        kind = ORG_KIND_TO_ACTOR_KIND.get(org_kind, "organisation")
        country = row.get("country", "").upper() or (code[:3] if code[:3] in self.countries else None)
        start, end = parse_date(row.get("start", ""), where), parse_date(row.get("end", ""), where)
        key = f"org:{code}:{name}" + (f":{start}" if start else "")
        entry = Entry(key, kind, name, code, "name", country=country, org_kind=org_kind, start=start, end=end)
        self.entries[entry.key] = entry
        self.add_name(name, entry)
        for a in split_multi(row.get("aliases", "")):
            self.add_name(a, Entry(entry.key, kind, name, code, "alias", country=country, org_kind=org_kind,
                                   start=start, end=end))

    def add_person_role(self, row: dict[str, str], where: str) -> None:
        name = row.get("name", "")
        code = row.get("code", "").upper()
        if not name or not code:
            raise DataFileError("person row needs name and code", where)
        start, end = parse_date(row.get("start", ""), where), parse_date(row.get("end", ""), where)
        person = self.people.setdefault(name, Person(name))
        role = Role(code, start, end, row.get("role", ""))
        if not any(r.code == role.code and r.start == role.start and r.end == role.end for r in person.roles):
            person.roles.append(role)
        entry = Entry(f"person:{name}", "person", name, None, "name")
        self.entries[entry.key] = entry
        forms = [name] + split_multi(row.get("aliases", ""))
        forms += [v for f in forms for v in article_variants(f) if v not in forms]
        for form in forms:
            if form not in person.aliases:
                person.aliases.add(form)
                self.add_name(form, entry if form == name else Entry(entry.key, "person", name, None, "alias"))
                toks = [t for t in self.tokens(form) if t[:1].isalpha()]
                while len(toks) > 2 and toks[-1].lower().rstrip(".") in NAME_SUFFIXES:
                    toks = toks[:-1]  # "Teofisto Guingona Jr." goes by Guingona
                if len(toks) >= 2:
                    # the family name: last in most names, first in Chinese and Korean ones
                    # ("Kim Jong Un" -> Kim, "Xi Jinping" -> Xi); a given name never stands alone
                    shorts = {toks[-1]}
                    if ROMAN.fullmatch(toks[-1]):
                        shorts = {toks[-2]}  # a monarch goes by the regnal name: "Hassan II" -> Hassan
                    if code[:3] in FAMILY_NAME_FIRST:
                        shorts.add(toks[0])
                    for short in shorts:
                        self.short_names.setdefault(short.lower(), set()).add(name)

    def add_nickname(self, row: dict[str, str], where: str) -> None:
        code = row.get("code", "").upper()
        requires = tuple(split_multi(row.get("requires", "").upper()))
        base = self.countries.get(code)
        name = base.name if base else code
        term = row["term"].strip()
        self.add_name(term, Entry(f"state:{code}", "state", name, code, "nickname", country=code,
                                  requires=requires, needs_the=term.lower().startswith("the ")))

    def add_given_name(self, row: dict[str, str], where: str) -> None:
        name, gender = row.get("name", "").strip(), row.get("gender", "").strip().lower()
        if not name or gender not in ("f", "m", "u"):
            raise DataFileError("given name row needs a name and a gender f, m or u", where)
        if gender != "u":
            self.given_genders[_fold(name.lower())] = gender
        else:
            self.given_genders.pop(_fold(name.lower()), None)

    def gender(self, given_name: str) -> str | None:
        """'f' or 'm' when a given name is almost always one gender in the news, else None."""
        return self.given_genders.get(_fold(given_name.lower()))

    def add_agent(self, row: dict[str, str], where: str) -> None:
        term = row.get("term", "").strip().lower()
        code = row.get("code", "").upper()
        if not term or not code:
            raise DataFileError("agent row needs term and code", where)
        toks = tuple(t.lower() for t in self.tokens(term))
        self.agents[toks] = Agent(term, code, row.get("kind", "person") or "person",
                                  (row.get("title", "") or "").lower() in ("yes", "y", "true", "1"))
        self.agent_max = max(self.agent_max, len(toks))
        self.agent_last.add(toks[-1])

    def load_file(self, path: Path) -> None:
        name = path.name.lower()
        if name.endswith(".actors.txt") or name.endswith(".agents.txt"):
            from .petrarch import load_petrarch_file

            load_petrarch_file(self, path)
            self.sources.append(str(path))
            return
        if name.startswith("countries"):
            add = self.add_country
        elif name.startswith("organisations") or name.startswith("organizations"):
            add = self.add_organisation
        elif name.startswith("people"):
            add = self.add_person_role
        elif name.startswith("agents"):
            add = self.add_agent
        elif name.startswith("nicknames"):
            add = self.add_nickname
        elif name.startswith("given_names"):
            add = self.add_given_name
        else:
            raise DataFileError(
                "unknown actor file kind: name it countries*.tsv, organisations*.tsv, people*.tsv, agents*.tsv, "
                "nicknames*.tsv, given_names*.tsv, or *.actors.txt / *.agents.txt for PETRARCH dictionaries", str(path))
        for lineno, row in read_tsv(path):
            add(row, f"{path}:{lineno}")
        self.sources.append(str(path))

    # --- lookups --------------------------------------------------------------------
    def person(self, name: str) -> Person | None:
        return self.people.get(name)

    def person_code(self, name: str, day: dt.date | str | None) -> tuple[str | None, str | None]:
        person = self.people.get(name)
        if person is None:
            return None, None
        if isinstance(day, str):
            day = to_day(day)
        return person.role_on(day)

    def misspelt_state(self, word: str) -> Entry | None:
        """The state a long one-word name one letter away from names ("Afganistan", "Ethopia")."""
        index = self.__dict__.get("_fuzzy")
        if index is None:
            index = {}
            for key, slot in self.names.items():
                if len(key) != 1 or len(key[0]) < 7 or not key[0].isalpha():
                    continue
                entries = {e.country for e, _ in slot.values() if e.kind == "state" and e.country}
                if len(entries) != 1:
                    continue
                code = next(iter(entries))
                word_ = key[0]
                for v in [word_] + _one_letter_less(word_):
                    index.setdefault(v, set()).add((code, word_[:1]))
            self._fuzzy = index
        low = word.lower()
        found = set(index.get(low, set()))
        for v in _one_letter_less(low, start=1):  # a slip keeps the first letter ("Siberia" is not "Liberia")
            found |= index.get(v, set())
        found = {c for c, first in found if first == low[:1]}
        if len(found) != 1:
            return None
        return self.countries.get(next(iter(found)))

    def misspelt_person(self, tokens: list[str]) -> Entry | None:
        """The one known person whose full name differs from a two- or three-word name only by one
        letter of a long family name ("Francois Mitterand", "Boris Yeltzin"); given names must agree."""
        if not 2 <= len(tokens) <= 3 or len(tokens[-1]) < 6:
            return None
        index = self.__dict__.get("_fuzzy_people")
        if index is None:
            index = {}
            for key, slot in self.names.items():
                if not 2 <= len(key) <= 3 or len(key[-1]) < 6 or not key[-1].isalpha():
                    continue
                people = {e.key for e, _ in slot.values() if e.kind == "person"}
                if len(people) != 1:
                    continue
                person = next(iter(people))
                last, given = _fold(key[-1]), tuple(_fold(t) for t in key[:-1])
                for v in [last] + _one_letter_less(last):
                    index.setdefault((given, v), set()).add(person)
            self._fuzzy_people = index
        given = tuple(_fold(t.lower()) for t in tokens[:-1])
        low = _fold(tokens[-1].lower())
        found = set(index.get((given, low), set()))
        for v in _one_letter_less(low):
            found |= index.get((given, v), set())
        if len(found) != 1:
            return None
        return self.entries.get(next(iter(found)))

    def people_by_short(self, short: str) -> set[str]:
        return self.short_names.get(short.lower(), set())

    def country_name(self, code: str | None) -> str | None:
        e = self.countries.get((code or "")[:3])
        return e.name if e else None


def to_day(value: str | None) -> dt.date | None:
    """The first day of an ISO date, week, month or year value (None if not a date)."""
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        m = re.fullmatch(r"(\d{4})-W(\d{2})", value)
        if m:
            return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return dt.date.fromisoformat(value + "-01")
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def packaged_files() -> list[Path]:
    order = ("countries", "nicknames", "organisations", "people", "agents", "given_names")
    files = sorted(ACTOR_DIR.glob("*.tsv"))
    return sorted(files, key=lambda p: next((i for i, o in enumerate(order) if p.name.startswith(o)), 99))


def cache_dir() -> Path:
    base = os.environ.get("DYAD_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "dyad")
    return Path(base)


def load_compiled(name: str, version: int, files: tuple[str, ...], compile_files, expected: type,
                  compiler: str, missing: str, pause_gc: bool = False):
    """Compile data files with ``compile_files``, or load the compiled form cached for exactly
    these files and this compiler (``compiler`` is the module's file: a changed loader never
    reads an old compiled form). ``pause_gc`` pauses the collector while unpickling many
    long-lived objects."""
    stamp = hashlib.sha1(f"{version}".encode())
    for f in (compiler, *files):
        p = Path(f)
        if not p.exists():
            raise DataFileError(missing, f)
        st = p.stat()
        stamp.update(f"{p.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    cached = cache_dir() / f"{name}-{stamp.hexdigest()[:20]}.pickle"
    collecting = pause_gc and gc.isenabled()
    try:
        if collecting:
            gc.disable()
        with open(cached, "rb") as fh:
            loaded = pickle.load(fh)
        if isinstance(loaded, expected):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    finally:
        if collecting:
            gc.enable()
    compiled = compile_files(files)
    try:  # best effort: a read-only home only costs the compile time next run
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(compiled, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:
        pass
    return compiled


def _compile(files: tuple[str, ...]) -> ActorDictionary:
    d = ActorDictionary()
    for f in files:
        d.load_file(Path(f))
    d.misspelt_state("x" * 7)  # build the misspelling indexes now, so that the cache holds them
    d.misspelt_person(["x", "x" * 6])
    return d


@functools.lru_cache(maxsize=8)
def _load(files: tuple[str, ...]) -> ActorDictionary:
    """Compile the dictionary files, or load the compiled form cached for exactly these files."""
    return load_compiled("actors", FORMAT_VERSION, files, _compile, ActorDictionary, __file__, "actor file not found")


def load_dictionary(settings: Settings | None = None) -> ActorDictionary:
    """The packaged dictionary plus the user's files (cached per set of files)."""
    settings = settings or Settings()
    files = [] if settings.replace_actor_files else [str(p) for p in packaged_files()]
    files += [str(Path(f).resolve()) for f in settings.actor_files]
    return _load(tuple(files))
