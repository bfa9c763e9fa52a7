"""Places: a gazetteer shipped as data, and the place names of a parsed article.

The gazetteer (``data/places/``, format and origin in its README) holds GeoNames populated
places of 15,000 people or more, ISO 3166-2 first-level divisions, our own regions and
territories (``regions.tsv``), and the countries of ``data/actors/countries*.tsv``. It is
compiled once into name indexes and cached as a pickle beside the actor dictionary.

    >>> gaz = load_gazetteer()
    >>> gaz.lookup("Tripoli")                  # every candidate, most likely first
    >>> gaz.resolve("Tripoli", sentence_countries={"LBN"})   # one Place, or None
    >>> find_places(doc, gaz, context_countries={"LBN"})      # PlaceMentions in a spaCy Doc

A name is matched after folding diacritics, hyphens, apostrophes, "St."/"Saint" and a
leading "the", but only when written as a proper name (capitalised), so "the police" never
meets Police, Poland.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .actors.dictionary import ACTOR_DIR, load_compiled, read_tsv, split_multi
from .config import DATA_DIR
from .errors import DataFileError

if TYPE_CHECKING:  # spaCy is only needed by find_places, which receives a Doc
    from spacy.tokens import Doc, Span, Token

    from .records import Location

PLACE_DIR = DATA_DIR / "places"
FORMAT_VERSION = 1  # bump when the compiled gazetteer's layout changes

KINDS = ("country", "territory", "capital", "city", "region", "water")
COUNTRY_KINDS = frozenset({"country", "territory"})

# --- names -----------------------------------------------------------------------------
# Letters that Unicode decomposition leaves alone.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
    "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T",
    "ŋ": "ng", "Ŋ": "Ng", "ə": "a", "Ə": "A", "ʻ": "'", "ʼ": "'", "ʾ": "'", "ʿ": "'", "’": "'", "‘": "'",
    "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-", "—": "-",
})
_APOSTROPHES = re.compile(r"'")
_SEPARATORS = re.compile(r"[\s\-/,;:()\[\]\"]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "&": "and"}
# Lower-case first words that still begin proper names (al-Hasakah, les Escaldes, de Aar).
PARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "adh", "ath", "le", "la", "les", "de",
                       "des", "di", "da", "do", "dos", "das", "du", "del", "den", "der", "ed", "es", "ez", "ibn",
                       "bin", "ban", "van", "von"})


def fold(text: str) -> str:
    """``text`` without diacritics: "Bogotá" -> "Bogota", "Łódź" -> "Lodz", "Ürümqi" -> "Urumqi"."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LETTERS)


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """The form under which names are indexed: folded, lower case, hyphens and commas as
    spaces, apostrophes and full stops dropped, "St"/"Mt" spelled out, no leading "the"."""
    text = _APOSTROPHES.sub("", fold(text)).replace(".", "").lower()
    words = [_ABBREVIATIONS.get(w, w) for w in _SEPARATORS.split(text) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def is_proper(text: str) -> bool:
    """Written as a proper name: the first letter is a capital, or the first word is a
    particle that names keep in lower case ("al-Hasakah")."""
    text = text.strip()
    if text[:4].lower() == "the " and len(text) > 4:
        text = text[4:].lstrip()
    for ch in text:
        if ch.isalpha():
            if ch.isupper():
                return True
            break
    words = _SEPARATORS.split(fold(text), maxsplit=1)
    return bool(words) and words[0].lower() in PARTICLES and len(words) > 1 and is_proper(words[1])


# --- records ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """One place of the gazetteer."""

    name: str
    kind: str  # country, territory, capital, city, region, water
    country: str | None  # ISO alpha-3 as CAMEO and dyad spell it (KSV Kosovo, PSE Palestine); None: no one country
    lat: float | None
    lon: float | None
    population: int | None = None  # GeoNames' for cities; for divisions a rough sum of their cities
    admin1: str | None = None  # first-level division a city lies in
    code: str | None = None  # dyad/CAMEO location code when finer than the country ("PSEWSB", "USAPRI")
    source: str = ""  # where the row comes from: "geonames:281133", "iso3166-2:IQ-AN", "country:VNM", "dyad:..."
    note: str | None = None  # why our own rows code a place as they do

    @property
    def is_country(self) -> bool:
        return self.kind in COUNTRY_KINDS


@dataclass(frozen=True)
class PlaceMention:
    """A place named in an article: the words, where they are, and the place chosen."""

    text: str
    start: int  # character offsets into the document text
    end: int
    place: Place
    how: str  # entity (spaCy GPE/LOC/FAC), preposition ("in Hanoi"), name (a well-known name alone)
    locative: bool  # after a locative preposition ("in", "near", "outside" ...) or its "X, Country"
    candidates: int = 1  # how many gazetteer places bear the name

    def to_location(self) -> "Location":
        """The :class:`dyad.records.Location` of this mention."""
        from .records import Location

        return Location(name=self.place.name, country=self.place.country, lat=self.place.lat,
                        lon=self.place.lon, text=self.text, start=self.start, end=self.end)


# --- the gazetteer ---------------------------------------------------------------------
_KIND_BONUS = {"country": 4.0, "territory": 4.0, "capital": 1.0}
_DEFAULT_WEIGHT = {"country": 6.0, "territory": 5.0, "region": 5.5, "water": 5.5, "city": 4.2, "capital": 4.5}
ALTERNATE_PENALTY = 2.0  # a place's own name beats another's alternate name unless ~100 times larger
# Context: worth ~300 times the population when the country is named in the same sentence,
# ~180 times when elsewhere in the article; not added up. Enough for Tripoli, Lebanon (a
# sixth of Libya's capital) next to "Lebanese", not for Paris, Texas in any US story.
SENTENCE_BONUS = 2.5
ARTICLE_BONUS = 2.25
KIND_HINT_BONUS = 3.0  # "X province", "the state of X", "X City"
CONFIDENT_MARGIN = 1.0  # a place chosen by this much lends its country to the names around it
TIE_MARGIN = 0.3  # closer than this, in different countries, with nothing to tell them apart: no answer

VIA_NAME, VIA_ALTERNATE = 0, 1


class Gazetteer:
    """Compiled place names; immutable after loading, so it pickles and is shared.

    Rows are kept as parallel columns and turned into :class:`Place` objects on demand,
    which keeps the cached form small and quick to load.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.kinds: list[str] = []
        self.codes: list[str | None] = []
        self.lats: list[float | None] = []
        self.lons: list[float | None] = []
        self.populations: list[int | None] = []
        self.admin1: list[str | None] = []
        self.sources: list[str] = []
        self.notes: dict[int, str] = {}
        self.curated: set[int] = set()  # rows of our own regions.tsv
        self.curated_keys: set[str] = set()  # names given by our own regions.tsv
        self.dotted_keys: set[str] = set()  # abbreviations that must keep their full stop ("Md.", "Calif.")
        self.division_keys: dict[str, frozenset[str]] = {}  # source of a division -> its name keys
        self.division_names: dict[str, frozenset[str]] = {}  # country -> name keys of its divisions
        self.index: dict[str, list[int]] = {}  # name key -> row * 2 + VIA_*
        self.country_forms: dict[str, str] = {}  # name key of a country name, alias or adjective -> code
        self.country_form_words = 1
        self.country_form_first: set[str] = set()
        self.country_rows: dict[str, int] = {}  # dyad country code -> its row
        self.common: dict[str, str] = {}  # name key -> rule for names that are also common words
        self.files: list[str] = []
        self._places: dict[int, Place] = {}

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_places"] = {}
        return state

    def __len__(self) -> int:
        return len(self.names)

    # --- building ------------------------------------------------------------------------
    def add_row(self, name: str, kind: str, code: str | None, lat: float | None, lon: float | None,
                population: int | None, admin1: str | None, source: str, alternates: Iterable[str] = (),
                note: str | None = None) -> int:
        if kind not in KINDS:
            raise DataFileError(f"unknown place kind '{kind}' (expected one of {', '.join(KINDS)})", source)
        row = len(self.names)
        self.names.append(name)
        self.kinds.append(kind)
        self.codes.append(code or None)
        self.lats.append(lat)
        self.lons.append(lon)
        self.populations.append(population)
        self.admin1.append(admin1 or None)
        self.sources.append(source)
        if note:
            self.notes[row] = note
        self.add_name(row, name, VIA_NAME)
        for alt in alternates:
            self.add_name(row, alt, VIA_ALTERNATE)
        return row

    def add_name(self, row: int, name: str, via: int) -> None:
        key = name_key(name)
        if not key:
            return
        slot = self.index.setdefault(key, [])
        for i, item in enumerate(slot):
            if item >> 1 == row:
                if via < item & 1:
                    slot[i] = row * 2 + via
                return
        slot.append(row * 2 + via)

    def drop_name(self, row: int, key: str) -> None:
        slot = self.index.get(key)
        if slot:
            slot[:] = [item for item in slot if item >> 1 != row]
            if not slot:
                del self.index[key]

    def row_keys(self) -> dict[int, list[str]]:
        keys: dict[int, list[str]] = {}
        for key, slot in self.index.items():
            for item in slot:
                keys.setdefault(item >> 1, []).append(key)
        return keys

    # --- reading -------------------------------------------------------------------------
    def place(self, row: int) -> Place:
        p = self._places.get(row)
        if p is None:
            code = self.codes[row]
            p = Place(self.names[row], self.kinds[row], code[:3] if code else None, self.lats[row], self.lons[row],
                      self.populations[row], self.admin1[row], code if code and len(code) > 3 else None,
                      self.sources[row], self.notes.get(row))
            self._places[row] = p
        return p

    def candidates(self, name: str) -> list[tuple[int, int]]:
        """(row, via) for every place that bears ``name`` written as a proper name."""
        if not name or not is_proper(name):
            return []
        return [(item >> 1, item & 1) for item in self.index.get(name_key(name), ())]

    def lookup(self, name: str) -> list[Place]:
        """Every place called ``name``, the most likely first (no context)."""
        found = self.candidates(name)
        found.sort(key=lambda rv: -self._score(rv[0], rv[1]))
        return [self.place(r) for r, _ in found]

    def country(self, code: str) -> Place | None:
        """The country-level place for a dyad country code."""
        row = self.country_rows.get(code.upper())
        return None if row is None else self.place(row)

    def resolve(self, name: str, context_countries: Iterable[str] = (), sentence_countries: Iterable[str] = (),
                within: Iterable[Place] = (), prefer: str | None = None,
                nearby_places: Iterable[str] = ()) -> Place | None:
        """The one place ``name`` most likely means here, or None (unknown, or a tie that
        nothing in the context breaks). See :func:`disambiguate`."""
        return disambiguate(self, self.candidates(name), context_countries, sentence_countries, within, prefer,
                            nearby_places)

    def _score(self, row: int, via: int, context: frozenset = frozenset(), sentence: frozenset = frozenset(),
               prefer: str | None = None) -> float:
        kind = self.kinds[row]
        pop = self.populations[row]
        s = math.log10(max(pop, 1000)) if pop else _DEFAULT_WEIGHT.get(kind, 4.2)
        s += _KIND_BONUS.get(kind, 0.0)
        if via == VIA_ALTERNATE and kind not in COUNTRY_KINDS:
            s -= ALTERNATE_PENALTY
        code = self.codes[row]
        country = code[:3] if code else None
        if country and country in sentence:
            s += SENTENCE_BONUS
        elif country and country in context:
            s += ARTICLE_BONUS
        if prefer and (kind == prefer or (prefer == "city" and kind == "capital")):
            s += KIND_HINT_BONUS
        return s


def _compatible(g: Gazetteer, row: int, outer: Place) -> int:
    """How well ``row`` fits inside ``outer`` ("Paris, Texas"): 2 same division, 1 same
    country, 0 not at all."""
    code = g.codes[row]
    if not code or not outer.country or code[:3] != outer.country:
        return 0
    if outer.is_country or outer.kind in ("city", "capital"):
        return 1
    if outer.code and code != outer.code and len(code) > 3:
        return 0
    a1 = g.admin1[row]
    if not a1:
        return 1
    keys = {name_key(a1)}
    words = a1.split()
    if len(words) > 1 and words[-1].lower() in KIND_WORDS:  # "Kyiv City", "Basra Governorate"
        keys.add(name_key(" ".join(words[:-1])))
    if keys & g.division_keys.get(outer.source, frozenset()):
        return 2
    if keys & g.division_names.get(outer.country, frozenset()):
        return 0  # it lies in another division: Issaquah, Washington is not in Connecticut
    return 1  # the sources name the division differently: say nothing


def disambiguate(gazetteer: Gazetteer, candidates: list[tuple[int, int]], context_countries: Iterable[str] = (),
                 sentence_countries: Iterable[str] = (), within: Iterable[Place] = (),
                 prefer: str | None = None, nearby_places: Iterable[str] = ()) -> Place | None:
    """Pick one of ``candidates`` ((row, via) pairs from :meth:`Gazetteer.candidates`).

    In order of strength: a place it is said to lie in (``within``: "Hanoi, Vietnam",
    "Kherson in southern Ukraine", "Paris, Texas"); a country name always means the country
    unless that says otherwise (Georgia, Jordan); the countries named in the same sentence,
    then in the article (``context_countries``: "Tripoli" near "Lebanese" is in Lebanon);
    a kind hint (``prefer``: "X province" wants a region); then kind (a capital before
    other cities) and population. ``nearby_places`` are the countries of other towns and
    regions in the sentence: only they take a country's name away from the country
    ("voters in Georgia and Arizona"). Two candidates in different countries that nothing
    sets apart give None.
    """
    row, _ = _choose(gazetteer, candidates, context_countries, sentence_countries, within, prefer, nearby_places)
    return None if row is None else gazetteer.place(row)


def _choose(g: Gazetteer, candidates: list[tuple[int, int]], context_countries: Iterable[str],
            sentence_countries: Iterable[str], within: Iterable[Place], prefer: str | None,
            nearby_places: Iterable[str]) -> tuple[int | None, float]:
    """The row :func:`disambiguate` picks, and its lead over the best place in another country."""
    if not candidates:
        return None, 0.0
    within = list(within)
    if within:
        fits = [(max(_compatible(g, r, w) for w in within), r, v) for r, v in candidates]
        best_fit = max(f for f, _, _ in fits)
        if best_fit:
            candidates = [(r, v) for f, r, v in fits if f == best_fit]
        else:
            within = []  # it lies in none of them: the hint says nothing
    context, sentence = frozenset(context_countries), frozenset(sentence_countries)
    countries = [(r, v) for r, v in candidates if g.kinds[r] in COUNTRY_KINDS]
    if countries and not within:
        others = [(r, v) for r, v in candidates if g.kinds[r] not in COUNTRY_KINDS]
        own = {(g.codes[r] or "")[:3] for r, _ in countries}
        nearby = frozenset(nearby_places) - own
        # "Georgia" is the country unless something places it elsewhere ("Georgia and Arizona").
        named_inside = [(r, v) for r, v in others if v == VIA_NAME and (g.codes[r] or "")[:3] in own]
        if others and (prefer in ("region", "city") or any((g.codes[r] or "")[:3] in nearby for r, _ in others)):
            candidates = others
        elif named_inside and all(v == VIA_ALTERNATE for _, v in countries):
            candidates = named_inside  # "England": the division, not the United Kingdom it stands for
        else:
            candidates = countries
    scored = sorted(((g._score(r, v, context, sentence, prefer), r) for r, v in candidates), reverse=True)
    best_score, best = scored[0]
    country = (g.codes[best] or "")[:3]
    rival = next((sc for sc, r in scored[1:] if (g.codes[r] or "")[:3] != country), None)
    margin = math.inf if rival is None else best_score - rival
    if margin < TIE_MARGIN:
        return None, margin
    if g.kinds[best] == "region" and prefer != "region":
        # A division named after its main town ("Idlib", "Jenin", "New York"): the town is meant.
        via = dict(candidates)
        best = next((r for _, r in scored if g.kinds[r] in ("city", "capital")
                     and (g.codes[r] or "")[:3] == country and _main_town(g, r, best, via[r])), best)
    return best, margin


def _main_town(g: Gazetteer, town: int, region: int, via: int) -> bool:
    """The division is named after this town: it lies in it or near its point, or is a city
    of millions (New York), and is not a small namesake (Wyoming, Michigan; Maryland City)."""
    la, lo, lb, lob = g.lats[town], g.lons[town], g.lats[region], g.lons[region]
    km = math.inf
    if None not in (la, lo, lb, lob):
        km = math.hypot(la - lb, (lo - lob) * math.cos(math.radians(la))) * 111
    pop, region_pop = g.populations[town] or 0, g.populations[region] or 0
    if via == VIA_ALTERNATE:  # "Basra" for Al Başrah, "Jenin" for Janīn
        return km <= 60 and pop >= 0.1 * region_pop
    if g.admin1[town] and name_key(g.admin1[town]) == name_key(g.names[region]):
        return True
    return pop >= 1_000_000 or km <= 150


# --- loading ---------------------------------------------------------------------------
def _number(value: str, where: str, cast=float):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return cast(value)
    except ValueError:
        raise DataFileError(f"'{value}' is not a number", where) from None


def _load_places(g: Gazetteer, path: Path) -> None:
    """Rows generated by scripts/build_gazetteer.py (places*.tsv)."""
    for lineno, row in read_tsv(path):
        where = f"{path}:{lineno}"
        if not row.get("name") or not row.get("kind"):
            raise DataFileError("place row needs name and kind", where)
        g.add_row(row["name"], row["kind"], (row.get("code") or row.get("country") or "").upper() or None,
                  _number(row.get("latitude", ""), where), _number(row.get("longitude", ""), where),
                  _number(row.get("population", ""), where, int), row.get("admin1"), row.get("id") or where,
                  split_multi(row.get("alternate_names", "")))


def _load_countries(g: Gazetteer, paths: list[Path], points: dict[str, tuple[float, float]]) -> None:
    """Country-level places from the actor dictionary's countries*.tsv, with the points of
    country_points.tsv; adjectives only serve as context ("Lebanese" names Lebanon)."""
    for path in paths:
        for lineno, row in read_tsv(path):
            code = row.get("code", "").upper()
            if not code or not row.get("name"):
                raise DataFileError("country row needs code and name", f"{path}:{lineno}")
            lat, lon = points.get(code, (None, None))
            kind = "territory" if row.get("kind") == "territory" else "country"
            aliases = [a for a in split_multi(row.get("aliases", "")) if a.strip().lower() not in ("the argentine",)]
            r = g.add_row(row["name"], kind, code, lat, lon, None, None, f"country:{code}", aliases)
            g.country_rows.setdefault(code, r)
            for form in [row["name"], *aliases, *split_multi(row.get("adjectives", ""))]:
                key = name_key(form)
                if key and is_proper(form):
                    g.country_forms.setdefault(key, code[:3])
                    g.country_form_words = max(g.country_form_words, key.count(" ") + 1)
                    g.country_form_first.add(key.split()[0])


def _load_points(path: Path) -> dict[str, tuple[float, float]]:
    points = {}
    if path.exists():
        for lineno, row in read_tsv(path):
            where = f"{path}:{lineno}"
            lat, lon = _number(row.get("latitude", ""), where), _number(row.get("longitude", ""), where)
            if row.get("code") and lat is not None and lon is not None:
                points[row["code"].upper()] = (lat, lon)
    return points


def _load_regions(g: Gazetteer, path: Path) -> None:
    """Our own rows: they add places, add names to places (same_as) and overrule the
    sources (replaces; and any other place of the same country under the same name)."""
    by_source = {s: r for r, s in enumerate(g.sources)}
    row_keys = None
    for lineno, row in read_tsv(path):
        where = f"{path}:{lineno}"
        name = row.get("name", "")
        if not name:
            raise DataFileError("region row needs a name", where)
        alternates = split_multi(row.get("alternate_names", ""))
        note = row.get("note") or None
        for gone in split_multi(row.get("replaces", "")):
            r = by_source.get(gone)
            if r is None:
                raise DataFileError(f"replaces '{gone}', which no place file has", where)
            row_keys = row_keys if row_keys is not None else g.row_keys()
            for key in row_keys.get(r, ()):
                g.drop_name(r, key)
        target = row.get("same_as", "")
        if target:
            r = by_source.get(target)
            if r is None:
                raise DataFileError(f"same_as '{target}', which no place file has", where)
            for n in [name, *alternates]:
                g.add_name(r, n, VIA_NAME)
                g.curated_keys.add(name_key(n))
                if n.endswith(".") and len(name_key(n)) <= 5:
                    g.dotted_keys.add(name_key(n))
            continue
        kind = row.get("kind", "region") or "region"
        code = (row.get("code") or row.get("country") or "").upper() or None
        r = g.add_row(name, kind, code, _number(row.get("latitude", ""), where),
                      _number(row.get("longitude", ""), where), _number(row.get("population", ""), where, int),
                      row.get("admin1"), f"dyad:{name}", [], note)
        g.curated.add(r)
        for alt in alternates:  # our alternates are as good as names
            g.add_name(r, alt, VIA_NAME)
        if kind in COUNTRY_KINDS and code in g.country_rows:
            # Our row stands for a territory of countries.tsv (West Bank, Gaza Strip): it takes its names.
            old = g.country_rows[code]
            row_keys = g.row_keys()
            for key in row_keys.get(old, ()):
                g.drop_name(old, key)
                g.add_name(r, key, VIA_NAME)
            g.country_rows[code] = r
            row_keys = None
        # Our row is the one meant: other places of the same country lose the name.
        for key in {name_key(n) for n in [name, *alternates]}:
            g.curated_keys.add(key)
            for item in list(g.index.get(key, ())):
                other = item >> 1
                if other != r and other not in g.curated and code and (g.codes[other] or "")[:3] == code[:3] \
                        and (g.kinds[other] in COUNTRY_KINDS or g.kinds[other] in ("region", kind)):
                    g.drop_name(other, key)


def _load_common(g: Gazetteer, path: Path) -> None:
    if not path.exists():
        return
    for lineno, row in read_tsv(path):
        rule = (row.get("rule") or "entity").strip()
        if rule not in ("never", "entity"):
            raise DataFileError(f"rule '{rule}' (expected never or entity)", f"{path}:{lineno}")
        g.common[name_key(row["name"])] = rule


def packaged_files() -> list[Path]:
    """The files a default gazetteer is compiled from, in loading order."""
    files = sorted(PLACE_DIR.glob("places*.tsv"))
    files += [p for p in (PLACE_DIR / "country_points.tsv", PLACE_DIR / "common_names.tsv") if p.exists()]
    files += sorted(ACTOR_DIR.glob("countries*.tsv"))
    files += sorted(PLACE_DIR.glob("regions*.tsv"))
    return files


def compile_gazetteer(files: Iterable[str | Path]) -> Gazetteer:
    """Compile place files: places*.tsv (generated rows), country_points.tsv,
    common_names.tsv, countries*.tsv (the actor dictionary's) and regions*.tsv (ours,
    loaded last because they overrule the others)."""
    files = [Path(f) for f in files]
    g = Gazetteer()
    kinds = ("places", "country_points", "common_names", "countries", "regions")
    for f in files:
        if not f.exists():
            raise DataFileError("place file not found", str(f))
        if not any(f.name.startswith(k) for k in kinds):
            raise DataFileError("unknown place file kind: name it places*.tsv, regions*.tsv, countries*.tsv, "
                                "country_points.tsv or common_names.tsv", str(f))
    points: dict[str, tuple[float, float]] = {}
    for f in files:
        if f.name.startswith("country_points"):
            points.update(_load_points(f))
    for f in files:
        if f.name.startswith("places"):
            _load_places(g, f)
    _load_countries(g, [f for f in files if f.name.startswith("countries")], points)
    for f in files:
        if f.name.startswith("common_names"):
            _load_common(g, f)
    for f in files:
        if f.name.startswith("regions"):
            _load_regions(g, f)
    g.files = [str(f) for f in files]
    _index_divisions(g)
    return g


def _index_divisions(g: Gazetteer) -> None:
    """The names of every first-level division, to tell which one a city lies in."""
    for key, slot in g.index.items():
        for item in slot:
            r = item >> 1
            if g.kinds[r] == "region" and g.codes[r]:
                g.division_keys.setdefault(g.sources[r], set()).add(key)
                g.division_names.setdefault(g.codes[r][:3], set()).add(key)
    g.division_keys = {k: frozenset(v) for k, v in g.division_keys.items()}
    g.division_names = {k: frozenset(v) for k, v in g.division_names.items()}


@functools.lru_cache(maxsize=4)
def _load(files: tuple[str, ...]) -> Gazetteer:
    """Compile the files, or load the compiled form cached for exactly these files. Unpickling
    makes ~150,000 objects, none of them garbage: with a parser already in memory, the
    collector's passes over them would take longer than the load itself, so it is paused."""
    return load_compiled("places", FORMAT_VERSION, files, compile_gazetteer, Gazetteer, __file__,
                         "place file not found", pause_gc=True)


def load_gazetteer(extra_files: Iterable[str | Path] = ()) -> Gazetteer:
    """The packaged gazetteer plus the user's files (``places*.tsv`` or ``regions*.tsv`` in
    the packaged formats), cached per set of files."""
    files = [str(p) for p in packaged_files()] + [str(Path(f).resolve()) for f in extra_files]
    return _load(tuple(files))


# --- places in a document --------------------------------------------------------------
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
LOCATIVE_PREPS = frozenset({"in", "near", "at", "outside", "from", "into", "across", "inside", "around",
                            "throughout", "within", "towards", "toward", "off", "through"})
# Words between a preposition or a name and the place itself: "in northern Syria".
MODIFIERS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
    "north-east", "north-west", "south-east", "south-west", "north-eastern", "north-western", "south-eastern",
    "south-western", "far", "upper", "lower", "coastal", "rural", "downtown", "occupied", "neighbouring",
    "neighboring", "restive", "mainland", "nearby", "war-torn", "besieged", "rebel-held", "government-held",
    "the", "-"})
# "the town of X", "the port city of X": a kind of place, then its name
PLACE_NOUNS = frozenset({"town", "city", "village", "province", "region", "district", "port", "capital", "enclave",
                         "island", "state", "county", "governorate", "area", "suburb", "neighbourhood",
                         "neighborhood", "outskirts", "municipality", "camp", "border", "prefecture"})
# A division word after a name says which kind of place is meant: "Idlib province", "Gaza City".
KIND_WORDS = {"province": "region", "provinces": "region", "governorate": "region", "region": "region",
              "state": "region", "oblast": "region", "district": "region", "county": "region",
              "prefecture": "region", "territory": "region", "department": "region", "emirate": "region",
              "city": "city", "town": "city", "village": "city", "municipality": "city"}
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "president", "senator",
                        "sen", "rep", "gov", "governor", "mayor", "minister", "secretary", "judge", "justice",
                        "gen", "general", "col", "colonel", "capt", "captain", "sgt", "prof", "professor",
                        "rev", "reverend", "king", "queen", "prince", "princess", "sheikh", "ayatollah", "pope"})
# After these, a name is a place even when spaCy takes it for a person ("in Khan Younis").
LEAVING_VERBS = frozenset({"withdraw", "retreat", "flee", "pull", "expel", "deport", "return", "evacuate", "drive",
                           "oust", "leave", "escape", "repatriate", "recall", "move", "relocate", "extradite",
                           "fire", "launch", "shell", "travel", "fly", "arrive", "depart"})
STRICT_PREPS = frozenset({"in", "near", "outside", "inside", "into", "across", "around", "throughout", "within"})
STRONG_POPULATION = 500_000  # a city this large is found by its name alone ("shelling hit Donetsk")


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # the gazetteer works without spaCy; find_places does not
        return frozenset()
    return frozenset(STOP_WORDS)


@dataclass
class _Span:
    start: int  # token indices, end exclusive
    end: int
    how: str
    prep: str | None  # the locative preposition before it ("in"), if any
    label: str | None  # the spaCy entity label covering exactly these tokens, if any
    rows: list[tuple[int, int]] | None = None
    within: "_Span | None" = None  # the place it is said to lie in ("Hanoi, Vietnam")
    outer_of: "_Span | None" = None  # the place said to lie in it
    prefer: str | None = None
    place: Place | None = None

    @property
    def locative(self) -> bool:
        return self.prep is not None


def _is_name_token(tok: "Token") -> bool:
    return (tok.pos_ == "PROPN" or tok.tag_ in ("NNP", "NNPS")) and tok.text[:1].isupper()


def _is_modifier(tok: "Token") -> bool:
    """ "the", "northern", "war-torn" before a name; not "West" of "West Bank"."""
    return tok.text in MODIFIERS or tok.text == "The"


def _trim(doc: "Doc", start: int, end: int) -> tuple[int, int]:
    """Drop leading "the"/"northern"... and a trailing possessive or line end."""
    while start < end - 1 and (_is_modifier(doc[start]) or doc[start].is_space):
        start += 1
    while end > start + 1 and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_space):
        end -= 1
    return start, end


def _proper_run(doc: "Doc", i: int) -> int:
    """End of the run of name tokens starting at ``i`` ("Port-au-Prince", "Ras al-Khaimah")."""
    j = i
    while j < len(doc):
        tok = doc[j]
        if _is_name_token(tok):
            j += 1
        elif tok.text == "\n" and j > i and j + 1 < len(doc) and _is_name_token(doc[j + 1]):
            j += 1  # "New\nJersey" broken by a line end
        elif tok.text in ("-", "‐") and j + 1 < len(doc) and j > i and not doc[j - 1].whitespace_:
            j += 1
        elif tok.lower_ in PARTICLES and j > i and j + 1 < len(doc) and _is_name_token(doc[j + 1]) \
                and (doc[j - 1].text == "-" or tok.text.islower()):
            j += 1
        else:
            break
    while j > i and doc[j - 1].text in ("-", "‐"):
        j -= 1
    return j


def _skip_back(doc: "Doc", i: int) -> int:
    """Back over the words between a preposition and a name: "the", "northern", and a kind of
    place with its "of" ("near the town of Samarra", "outside the Iraqi city of Basra")."""
    while i >= 0 and _is_modifier(doc[i]):
        i -= 1
    if i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in PLACE_NOUNS:
        i -= 2
        while i >= 0 and (_is_modifier(doc[i]) or doc[i].pos_ == "ADJ" or doc[i].lower_ in ("a", "an")):
            i -= 1
    return i


def _preposition(doc: "Doc", start: int) -> str | None:
    """The locative preposition just before ``start`` (past "the", "northern", "the town of"), if any."""
    i = _skip_back(doc, start - 1)
    if i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in ("outside", "inside", "north", "south", "east",
                                                                 "west", "out"):
        i -= 1  # "outside of Basra", "south of Tyre"
    if i >= 0 and doc[i].lower_ in LOCATIVE_PREPS and doc[i].pos_ in ("ADP", "SCONJ", "ADV"):
        return doc[i].lower_
    return None


def _country_forms(g: Gazetteer, doc: "Doc") -> list[tuple[int, int, str]]:
    """(start token, end token, country) for every country name, alias or adjective."""
    words = [t.text for t in doc]
    found = []
    i, n = 0, len(words)
    while i < n:
        if words[i][:1].isupper() and name_key(words[i]) in g.country_form_first:
            for k in range(min(g.country_form_words, n - i), 0, -1):
                text = " ".join(words[i:i + k])
                code = g.country_forms.get(name_key(text))
                if code and is_proper(text):
                    found.append((i, i + k, code))
                    i += k - 1
                    break
        i += 1
    return found


class _Finder:
    """One pass of :func:`find_places` over one document."""

    def __init__(self, doc: "Doc", g: Gazetteer, context_countries: Iterable[str]):
        self.doc, self.g = doc, g
        self.context = frozenset(c[:3].upper() for c in context_countries if c)
        self.stop = _stop_words()
        self.containers: dict[int, _Span] = {}  # end token -> matched country/region span
        self.entity_at: dict[int, "Span"] = {}
        self.person_words: set[str] = set()  # names that are people in this article ("Clinton", "DuVernay")
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.entity_at[i] = ent
            if ent.label_ == "PERSON" and len(ent) > 1:
                self.person_words.update(name_key(t.text) for t in ent if _is_name_token(t))
        for tok in doc[1:]:
            if _is_name_token(tok) and doc[tok.i - 1].lower_.rstrip(".") in HONORIFICS:
                self.person_words.add(name_key(tok.text))

    # --- candidate spans -----------------------------------------------------------------
    def spans(self) -> list[_Span]:
        doc = self.doc
        found: list[_Span] = []
        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS:
                s, e = _trim(doc, ent.start, ent.end)
                found.append(_Span(s, e, "entity", _preposition(doc, ent.start), ent.label_))
        for tok in doc:
            if tok.lower_ in LOCATIVE_PREPS and tok.pos_ in ("ADP", "SCONJ"):
                i = tok.i + 1
                carried_by_comma = False
                while i < len(doc):
                    while i < len(doc) and _is_modifier(doc[i]):
                        i += 1
                    # "near the town of Samarra", "in the Iraqi city of Basra"
                    k = i
                    while k < len(doc) and (doc[k].pos_ == "ADJ" or doc[k].lower_ in ("a", "an")):
                        k += 1
                    if k + 1 < len(doc) and doc[k].lower_ in PLACE_NOUNS and doc[k + 1].lower_ == "of":
                        i = k + 2
                    j = _proper_run(doc, i) if i < len(doc) else i
                    if j <= i:
                        break
                    if carried_by_comma and not (j < len(doc) and doc[j].lower_ in (",", "and", "or")):
                        break  # "in Toledo, Clinton says": no list, no place
                    found.append(_Span(i, j, "preposition", tok.lower_, self._label(i, j)))
                    # the preposition carries over: "in Khan Younis and Rafah", "at Saudi Arabia's Abha",
                    # "in Gaza, Khan Younis and Rafah"
                    if j < len(doc) and doc[j].lower_ in ("and", "or", ",", "'s", "’s"):
                        carried_by_comma = doc[j].text == ","
                        i = j + 1
                        if carried_by_comma and i < len(doc) and doc[i].lower_ in ("and", "or"):
                            carried_by_comma, i = False, i + 1
                    else:
                        break
        i = 0
        while i < len(doc):
            j = _proper_run(doc, i) if _is_name_token(doc[i]) else i
            if j > i:
                found.append(_Span(i, j, "name", _preposition(doc, i), self._label(i, j)))
                i = j
            else:
                i += 1
        order = {"entity": 0, "preposition": 1, "name": 2}
        found.sort(key=lambda s: (s.start, -(s.end - s.start), order[s.how]))
        return found

    def _label(self, start: int, end: int) -> str | None:
        ent = self.entity_at.get(start)
        if ent is not None and self.entity_at.get(end - 1) is ent:
            s, e = _trim(self.doc, ent.start, ent.end)
            if (s, e) == (start, end) or (ent.start, ent.end) == (start, end):
                return ent.label_
        return None

    def _foreign_entity(self, span: _Span) -> tuple[str | None, bool]:
        """The label of a non-place entity the span overlaps (a PERSON, ORG, DATE ...), and
        whether that entity is the span itself (give or take "the")."""
        for i in range(span.start, span.end):
            ent = self.entity_at.get(i)
            if ent is not None and ent.label_ not in PLACE_LABELS:
                # "Khanty-Mansiysk (Siberia": a parenthesis the tagger ran into the name is not part of it
                end = next((t.i for t in self.doc[ent.start:ent.end] if t.text == "(" and t.i > ent.start), ent.end)
                return ent.label_, _trim(self.doc, ent.start, end) == (span.start, span.end)
        return None, False

    # --- matching ------------------------------------------------------------------------
    def match(self, span: _Span) -> bool:
        """Find the gazetteer rows for the span, trying the whole name first, then without a
        trailing division word ("Idlib province"). Applies the common-word and signal rules."""
        doc, g = self.doc, self.g
        tries = [(span.start, span.end, None)]
        last = doc[span.end - 1].lower_
        if span.end - span.start > 1 and last in KIND_WORDS:
            tries.append((span.start, span.end - 1, KIND_WORDS[last]))
        if span.end - span.start > 1 and doc[span.start].lower_ in MODIFIERS:  # "Northern Syria"
            tries += [(s + 1, e, k) for s, e, k in tries if e - s > 1]
        for s, e, prefer in tries:
            text = doc[s:e].text
            rows = g.candidates(text)
            if not rows:
                continue
            sub = _Span(s, e, span.how, span.prep, span.label if (s, e) == (span.start, span.end) else None)
            if not self.allowed(sub, text, rows):
                return False
            span.start, span.end, span.rows = s, e, rows
            span.label = sub.label
            span.prefer = prefer or self._kind_hint(s, e)
            return True
        return False

    def allowed(self, span: _Span, text: str, rows: list[tuple[int, int]]) -> bool:
        g = self.g
        key = name_key(text)
        strong_ = self._strong(key, rows)
        rule = g.common.get(key)
        if rule is None and key in self.stop and not any(g.kinds[r] in COUNTRY_KINDS for r, _ in rows):
            rule = "never"  # "Of", "Most" ... but "US" is the United States
        if rule == "never":
            return False
        if rule == "entity" and span.label not in ("GPE", "LOC"):
            return False
        if key in g.dotted_keys:
            if not text.endswith("."):
                return False  # "Md." is Maryland, "MD" or "Md" is not
        elif text.endswith(".") and len(key) <= 3 and not any(g.kinds[r] in COUNTRY_KINDS for r, _ in rows):
            return False  # an abbreviation, not the town of Pa
        if key in self.person_words and not strong_:
            return False  # "Clinton" in an article about Hillary Clinton
        foreign, exact = self._foreign_entity(span)
        strong = strong_
        if foreign is not None:
            # spaCy calls it something else. Inside a longer name ("Bank of England") it is no
            # place; as the whole entity it is one after "in"/"near" ("in Khan Younis", tagged
            # PERSON), or when it is one of our own names or a well-known place ("Crimea", ORG).
            if not exact or foreign not in ("PERSON", "ORG", "NORP"):
                return False
            if (span.prep in STRICT_PREPS or self._owned(span, rows) or self._moved_from(span)) \
                    and not self._possessive(span):
                return True
            return key in g.curated_keys or (strong and foreign == "ORG")
        if span.label == "FAC" and not span.locative:
            return strong  # "Dome" (a company, tagged FAC) is no town unless well known
        if self._inside_place_entity(span):
            return False  # "Kyle" of "the Kyle of Lochalsh"
        if span.how == "name" and span.label is None:
            return strong
        return True

    def _moved_from(self, span: _Span) -> bool:
        """"withdrew from Kherson", "fled from Goma": after a verb of leaving, "from" names a place."""
        if span.prep != "from":
            return False
        i = _skip_back(self.doc, span.start - 1)
        return i >= 0 and self.doc[i].lower_ == "from" and self.doc[i].head.lemma_.lower() in LEAVING_VERBS

    def _inside_place_entity(self, span: _Span) -> bool:
        """Strictly inside a place entity that is one name, not a list or "X, Y"."""
        ent = self.entity_at.get(span.start)
        if ent is None or ent.label_ not in PLACE_LABELS:
            return False
        s, e = _trim(self.doc, ent.start, ent.end)
        if (s, e) == (span.start, span.end) or not (s <= span.start and span.end <= e):
            return False
        if any(t.text in (",", "'s", "’s", "and", "/") for t in self.doc[s:e]):
            return False  # "Hanoi, Vietnam" as one entity
        rest = [t for t in self.doc[s:e] if not span.start <= t.i < span.end]
        return not all(t.lower_ in KIND_WORDS or t.text in MODIFIERS for t in rest)  # "Borno State" is fine

    def _owned(self, span: _Span, rows: list[tuple[int, int]]) -> bool:
        """After the possessive of a country or region it lies in: "Saudi Arabia's Abha"."""
        doc = self.doc
        owner = self.containers.get(span.start - 1) if span.start >= 2 else None
        return owner is not None and doc[span.start - 1].lower_ in ("'s", "’s") \
            and self._lies_in(_Span(span.start, span.end, span.how, span.prep, None, rows), owner)

    def _possessive(self, span: _Span) -> bool:
        return span.end < len(self.doc) and self.doc[span.end].lower_ in ("'s", "’s")

    def _strong(self, key: str, rows: list[tuple[int, int]]) -> bool:
        g = self.g
        if key in g.curated_keys:
            return True
        for r, via in rows:
            kind = g.kinds[r]
            if kind in COUNTRY_KINDS or kind == "capital" or r in g.curated:
                return True
            if via == VIA_NAME and kind == "city" and (g.populations[r] or 0) >= STRONG_POPULATION:
                return True
        return False

    def _kind_hint(self, start: int, end: int) -> str | None:
        doc = self.doc
        if end < len(doc) and doc[end].lower_ in KIND_WORDS:
            return KIND_WORDS[doc[end].lower_]
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in KIND_WORDS:
            return KIND_WORDS[doc[start - 2].lower_]
        return None

    # --- "X, Country", "X in Country", "Country's X" ---------------------------------------
    def link(self, spans: list[_Span]) -> None:
        doc = self.doc
        by_start = {s.start: s for s in spans}
        by_end = {s.end: s for s in spans}
        for x in spans:
            if any(self.g.kinds[r] in COUNTRY_KINDS for r, _ in x.rows):
                continue  # "Mexico, Philippines, Indonesia": a list, not a town in a country
            i = x.end
            if i < len(doc) and doc[i].lower_ in KIND_WORDS:
                i += 1
            if i < len(doc) and doc[i].text in (",", "in"):
                i += 1
                if doc[i - 1].text == "in":  # "Kherson in southern Ukraine"; not "Paris, the United States ..."
                    while i < len(doc) and _is_modifier(doc[i]):
                        i += 1
                y = by_start.get(i)
                if y is not None and y is not x and self._lies_in(x, y):
                    x.within, y.outer_of = y, x
                    continue
                if y is not None and doc[x.end].text == "," and self._region_only(y) \
                        and not any(self.g.kinds[r] == "region" for r, _ in x.rows):
                    x.rows = []  # "Ashton, Md.": some Ashton in Maryland, not the one in South Africa
            if x.start >= 2 and doc[x.start - 1].lower_ in ("'s", "’s"):
                y = by_end.get(x.start - 1)
                if y is not None and y is not x and self._lies_in(x, y):
                    x.within, y.outer_of = y, x
                    x.prep = x.prep or y.prep  # "into Syria's Idlib"

    def _container(self, y: _Span) -> bool:
        return any(self.g.kinds[r] in ("country", "territory", "region") for r, _ in y.rows or ())

    def _region_only(self, y: _Span) -> bool:
        """A division, not also a town, clearly of one country ("Md.", "Long Island", "Texas")."""
        g = self.g
        if not y.rows or not all(g.kinds[r] == "region" for r, _ in y.rows):
            return False
        row, margin = _choose(g, y.rows, (), (), (), None, ())
        return row is not None and margin >= CONFIDENT_MARGIN

    def _lies_in(self, x: _Span, y: _Span) -> bool:
        """Some place called x lies in some country or region called y (not "France, Italy")."""
        g = self.g
        outer = [g.place(r) for r, _ in y.rows if g.kinds[r] in ("country", "territory", "region")]
        return any(g.kinds[r] not in COUNTRY_KINDS and _compatible(g, r, o) for r, _ in x.rows for o in outer)

    # --- resolving -----------------------------------------------------------------------
    def resolve(self, span: _Span, sentence: frozenset, article: frozenset,
                nearby: frozenset) -> tuple[int | None, float]:
        """(row, lead over the best rival country) for a span."""
        g = self.g
        if span.outer_of is not None and span.outer_of.place is not None:
            # A container follows what lies in it: "Atlanta, Georgia" is the US state.
            inner = span.outer_of.place
            fits = [(self._fits(inner, r), r, v) for r, v in span.rows]
            best = max(f for f, _, _ in fits)
            if best:
                fitting = [(r, v) for f, r, v in fits if f == best]
                row, margin = _choose(g, fitting, article, sentence, (), span.prefer, nearby)
                return (row if row is not None else fitting[0][0]), margin
        within = []
        if span.within is not None:
            within = [g.place(r) for r, _ in span.within.rows if g.kinds[r] in ("country", "territory", "region")]
        return _choose(g, span.rows, article, sentence, within, span.prefer, nearby)

    def _modifies_noun(self, span: _Span) -> bool:
        """The name only qualifies a noun ("outside the U.S. embassy in Baghdad"): for a
        country that says whose, not where ("Kabul airport" is still in Kabul)."""
        last = self.doc[span.end - 1]
        head = last.head
        return last.dep_ in ("compound", "amod", "nmod") and not span.start <= head.i < span.end \
            and head.lower_ not in KIND_WORDS and head.pos_ in ("NOUN", "PROPN") and not _is_name_token(head)

    def _fits(self, inner: Place, row: int) -> int:
        g = self.g
        code = g.codes[row]
        if not code or code[:3] != inner.country or g.kinds[row] not in ("country", "territory", "region"):
            return 0
        if g.kinds[row] in COUNTRY_KINDS:
            return 1
        return 2 if inner.admin1 and name_key(inner.admin1) == name_key(g.names[row]) else 1

    def run(self) -> list[PlaceMention]:
        doc, g = self.doc, self.g
        spans: list[_Span] = []
        taken: set[int] = set()
        for span in self.spans():
            if any(i in taken for i in range(span.start, span.end)):
                continue
            if self.match(span):
                spans.append(span)
                taken.update(range(span.start, span.end))
                if self._container(span):
                    self.containers[span.end] = span
        spans.sort(key=lambda s: s.start)
        for prev, span in zip(spans, spans[1:]):  # "in Georgia and Arizona": both after "in"
            if prev.prep and not span.prep and span.start - prev.end == 1 \
                    and doc[prev.end].lower_ in (",", "and", "or"):
                span.prep = prev.prep
        self.link(spans)
        spans = [s for s in spans if s.rows]

        forms = _country_forms(g, doc)
        sent_of = {}
        if doc.has_annotation("SENT_START"):
            for k, sent in enumerate(doc.sents):
                for i in range(sent.start, sent.end):
                    sent_of[i] = k

        def named_in_sentence(span: _Span) -> frozenset:
            k = sent_of.get(span.start)
            return frozenset(c for s, e, c in forms if sent_of.get(s) == k and (e <= span.start or s >= span.end))

        named = frozenset(self.context | {c for _, _, c in forms})
        # Pass 1: each name on its own. Towns and regions chosen clearly become context for
        # the other names of their sentence and article (never for themselves).
        sure: list[str | None] = []
        for span in spans:
            row, margin = self.resolve(span, named_in_sentence(span), named, frozenset())
            span.place = None if row is None else g.place(row)
            p = span.place
            sure.append(p.country if p is not None and not p.is_country and p.country
                        and (margin >= CONFIDENT_MARGIN or span.within is not None) else None)
        # Pass 2: again, with those places as context.
        for n, span in enumerate(spans):
            k = sent_of.get(span.start)
            others = [c for m, c in enumerate(sure) if c and m != n]
            nearby = frozenset(c for m, c in enumerate(sure) if c and m != n and sent_of.get(spans[m].start) == k)
            row, _ = self.resolve(span, named_in_sentence(span) | nearby, named | frozenset(others), nearby)
            span.place = None if row is None else g.place(row)
        for span in spans:  # containers again, now that what lies in them is settled
            if span.outer_of is not None and span.outer_of.place is not None:
                row, _ = self.resolve(span, named_in_sentence(span), named, frozenset())
                span.place = None if row is None else g.place(row)
        out, text = [], doc.text
        for span in spans:
            if span.place is None:
                continue
            start = doc[span.start].idx
            last = doc[span.end - 1]
            end = last.idx + len(last.text.rstrip("/-–—,;:"))  # "Baltimore/" in a table
            locative = (span.locative or (span.within is None and span.outer_of is not None
                                          and span.outer_of.locative)) \
                and not (span.place.is_country and self._modifies_noun(span))
            out.append(PlaceMention(text[start:end], start, end, span.place, span.how, locative,
                                    len(span.rows)))
        return out


def find_places(doc: "Doc", gazetteer: Gazetteer, context_countries: Iterable[str] = ()) -> list[PlaceMention]:
    """The places named in a parsed document, in text order, each resolved to one place.

    Looks at spaCy's GPE/LOC/FAC entities, at proper names after a locative preposition
    ("in", "near", "at", "outside", "from", "into", "across" ...), and at well-known names
    anywhere (countries, capitals, large cities, our own regions). Names that are also
    common words ("Split", "Nice", "Reading") need spaCy to call them a place.
    ``context_countries`` are country codes the article is known to concern (its actors);
    countries named in the text are added. Names that stay ambiguous are left out.
    """
    return _Finder(doc, gazetteer, context_countries).run()
