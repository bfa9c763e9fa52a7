"""Places: the shipped gazetteer and place mentions in parsed sentences of our own."""
import pickle
import time

import pytest

from dyad import places
from dyad.actors.dictionary import ACTOR_DIR, read_tsv
from dyad.places import Place, PlaceMention, find_places, load_gazetteer, name_key


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def found(nlp, gaz, text, context=()):
    """{mention text: (place name, country)} for every place found in ``text``."""
    return {m.text: (m.place.name, m.place.country) for m in find_places(nlp(text), gaz, context)}


def mention(nlp, gaz, text, words, context=()):
    hits = [m for m in find_places(nlp(text), gaz, context) if m.text == words]
    assert hits, f"no place for {words!r} in {text!r}"
    return hits[0]


# --- the gazetteer ---------------------------------------------------------------------
def test_names_fold_diacritics_apostrophes_saints_hyphens_and_the():
    assert name_key("Bogotá") == name_key("Bogota")
    assert name_key("Sana'a") == name_key("Sanaa")
    assert name_key("St. Petersburg") == name_key("Saint Petersburg")
    assert name_key("Port-au-Prince") == name_key("Port au Prince")
    assert name_key("The Hague") == name_key("the Hague") == "hague"
    assert name_key("Łódź") == "lodz"


@pytest.mark.parametrize("name,country,kind", [
    ("Bogotá", "COL", "capital"), ("Bogota", "COL", "capital"), ("Hanoi", "VNM", "capital"),
    ("Sana'a", "YEM", "capital"), ("the Hague", "NLD", "city"), ("Port au Prince", "HTI", "capital"),
    ("St. Petersburg", "RUS", "city"), ("Kiev", "UKR", "capital"), ("Pristina", "KSV", "capital"),
    ("Vietnam", "VNM", "country"), ("Kosovo", "KSV", "country"), ("Mexico", "MEX", "country"),
])
def test_lookup_capitals_cities_and_countries(gaz, name, country, kind):
    best = gaz.lookup(name)[0]
    assert (best.country, best.kind) == (country, kind)
    assert best.lat is not None and best.lon is not None


def test_lookup_is_for_proper_names_only(gaz):
    assert gaz.lookup("police") == [] and gaz.lookup("nice") == []
    assert gaz.lookup("Police")[0].country == "POL"  # the town exists; find_places guards it


def test_coordinates_are_the_places_own(gaz):
    hanoi = gaz.lookup("Hanoi")[0]
    assert hanoi.lat == pytest.approx(21.02, abs=0.05) and hanoi.lon == pytest.approx(105.84, abs=0.05)
    assert hanoi.source.startswith("geonames:") and hanoi.population > 1_000_000


def test_tripoli_by_context(gaz):
    assert gaz.resolve("Tripoli").country == "LBY"  # the capital, and larger
    assert gaz.resolve("Tripoli", sentence_countries={"LBN"}).country == "LBN"
    assert gaz.resolve("Tripoli", context_countries={"LBN"}).country == "LBN"


@pytest.mark.parametrize("name,country,code", [
    ("West Bank", "PSE", "PSEWSB"), ("Gaza Strip", "PSE", "PSEGZA"), ("East Jerusalem", "PSE", "PSEWSB"),
    ("Golan Heights", "SYR", None), ("Darfur", "SDN", None), ("Crimea", "UKR", None), ("Donbass", "UKR", None),
    ("Kashmir", "IND", None), ("Azad Kashmir", "PAK", None), ("Kurdistan", "IRQ", None), ("Chechnya", "RUS", None),
    ("Tibet", "CHN", None), ("Xinjiang", "CHN", None), ("Transnistria", "MDA", None), ("Abkhazia", "GEO", None),
    ("South Ossetia", "GEO", None), ("Nagorno-Karabakh", "AZE", None), ("Western Sahara", "ESH", None),
    ("Mindanao", "PHL", None), ("Jaffna", "LKA", None), ("Balochistan", "PAK", None), ("Sinai", "EGY", None),
])
def test_regions_and_disputed_territories(gaz, name, country, code):
    place = gaz.resolve(name)
    assert place is not None and place.country == country
    assert place.code == code
    assert place.lat is not None


@pytest.mark.parametrize("name,city,country", [
    ("White House", "Washington", "USA"), ("Kremlin", "Moscow", "RUS"), ("Downing Street", "London", "GBR"),
    ("New York", "New York City", "USA"), ("Basra", "Basrah", "IRQ"), ("Hodeidah", "Al Ḩudaydah", "YEM"),
])
def test_names_that_mean_a_city(gaz, name, city, country):
    place = gaz.resolve(name)
    assert (place.name, place.country) == (city, country) and place.kind in ("city", "capital")


def test_our_rows_say_why(gaz):
    assert "68/262" in gaz.resolve("Crimea").note
    assert gaz.resolve("West Bank").source == "dyad:West Bank"


def test_punjab_needs_context(gaz):
    assert gaz.resolve("Punjab") is None
    assert gaz.resolve("Punjab", sentence_countries={"PAK"}).country == "PAK"
    assert gaz.resolve("Punjab", sentence_countries={"IND"}).country == "IND"


@pytest.mark.parametrize("old,country,now", [
    ("Kampuchea", "KHM", "Cambodia"), ("Burma", "MMR", "Myanmar"), ("Zaire", "COD", "Democratic Republic of the Congo"),
    ("Ceylon", "LKA", "Sri Lanka"), ("Bombay", "IND", "Mumbai"), ("Calcutta", "IND", "Kolkata"),
    ("Saigon", "VNM", "Ho Chi Minh City"), ("Leningrad", "RUS", "Saint Petersburg"), ("Odessa", "UKR", "Odesa"),
])
def test_former_names(gaz, old, country, now):
    place = gaz.resolve(old)
    assert (place.country, place.name) == (country, now)


def test_countries_come_from_the_actor_dictionary(gaz):
    codes = {row["code"] for _, row in read_tsv(ACTOR_DIR / "countries.tsv")}
    assert {gaz.country(c).country for c in codes} >= {"VNM", "KSV", "PSE", "USA"}
    assert gaz.country("RUS").kind == "country" and gaz.country("RUS").lat is not None


# --- places in sentences -----------------------------------------------------------------
def test_summit_in_hanoi_vietnam(nlp, gaz):
    text = "Trump and Kim met at a summit in Hanoi, Vietnam, in February 2019."
    hanoi = mention(nlp, gaz, text, "Hanoi")
    assert (hanoi.place.name, hanoi.place.country, hanoi.place.kind) == ("Hanoi", "VNM", "capital")
    assert text[hanoi.start:hanoi.end] == "Hanoi" and hanoi.locative
    assert hanoi.place.lat == pytest.approx(21.02, abs=0.05)
    assert mention(nlp, gaz, text, "Vietnam").place.kind == "country"


def test_tripoli_in_sentences(nlp, gaz):
    assert found(nlp, gaz, "Clashes erupted in Tripoli, the Lebanese army said.")["Tripoli"] == ("Tripoli", "LBN")
    assert found(nlp, gaz, "Fighting resumed in Tripoli on Sunday.")["Tripoli"] == ("Tripoli", "LBY")
    assert found(nlp, gaz, "Fighting resumed in Tripoli on Sunday.", {"LBN"})["Tripoli"] == ("Tripoli", "LBN")


def test_city_country_pattern_decides(nlp, gaz):
    assert found(nlp, gaz, "He was born in Paris, Texas.")["Paris"] == ("Paris", "USA")
    assert found(nlp, gaz, "The fighting in Kherson in southern Ukraine continued.")["Kherson"][1] == "UKR"
    got = found(nlp, gaz, "Protests spread across Punjab, Pakistan's most populous province.")
    assert got["Punjab"] == ("Punjab", "PAK")


@pytest.mark.parametrize("text,words,country", [
    ("Israeli troops raided a camp in the West Bank near Jenin.", "West Bank", "PSE"),
    ("Israeli troops raided a camp in the West Bank near Jenin.", "Jenin", "PSE"),
    ("Rebels attacked a village in Darfur.", "Darfur", "SDN"),
    ("Russia annexed Crimea in 2014.", "Crimea", "UKR"),
    ("Militants attacked a checkpoint in Kashmir.", "Kashmir", "IND"),
    ("Troops moved into northern Syria's Idlib province from Turkey.", "Idlib", "SYR"),
    ("Fighting in Khan Younis and Rafah intensified.", "Rafah", "PSE"),
    ("The ship was seized in the Strait of Hormuz.", "Strait of Hormuz", None),
    ("The Khmer Rouge ruled Kampuchea for four years.", "Kampuchea", "KHM"),
])
def test_regions_in_sentences(nlp, gaz, text, words, country):
    assert mention(nlp, gaz, text, words).place.country == country


@pytest.mark.parametrize("text", [
    "The police said a mobile phone was found near the bar.",
    "Most analysts said the split was not a nice outcome.",
    "Police arrested a man in the city centre on Tuesday.",
    "Mobile phone operators said the deal would close in March.",
    "Reading the statement, he said the van was hit along the way.",
    "Michael Jordan said he would retire.",
    "The Bank of England raised rates.",
])
def test_common_words_are_not_places(nlp, gaz, text):
    assert find_places(nlp(text), gaz) == []


@pytest.mark.parametrize("text,words", [
    ("At a rally in Coral Springs, Florida, Hillary Clinton spoke. Later in Toledo, Clinton said more.", "Clinton"),
    ("Donna Rawlings, 59, of Ashton, Md., watched the ceremony.", "Ashton"),  # not Ashton, South Africa
    ("Poor Mexico, so far from God and so close to the United States.", "God"),
    ("The hotel at the Kyle of Lochalsh in Scotland was sold.", "Kyle"),
    ("Analysts said Dome will resist any moves to sell Encor.", "Dome"),
])
def test_people_parts_and_companies_are_not_places(nlp, gaz, text, words):
    assert words not in found(nlp, gaz, text)


def test_common_word_towns_when_named_as_places(nlp, gaz):
    assert found(nlp, gaz, "Police said the attack in Nice killed 86 people.") == {"Nice": ("Nice", "FRA")}


def test_diacritics_in_text(nlp, gaz):
    got = found(nlp, gaz, "The talks took place in Bogotá and later in Bogota.")
    assert got == {"Bogotá": ("Bogotá", "COL"), "Bogota": ("Bogotá", "COL")}


def test_country_names_stay_countries_unless_the_context_says_otherwise(nlp, gaz):
    assert found(nlp, gaz, "Refugees fled across the border into Jordan.")["Jordan"] == ("Jordan", "JOR")
    assert found(nlp, gaz, "Georgia's president met officials in Tbilisi.")["Georgia"] == ("Georgia", "GEO")
    us_state = mention(nlp, gaz, "He was born in Atlanta, Georgia.", "Georgia").place
    assert (us_state.country, us_state.kind) == ("USA", "region")
    assert found(nlp, gaz, "Voters in Georgia and Arizona went to the polls.")["Georgia"][1] == "USA"


def test_lists_of_countries_and_continents(nlp, gaz):
    got = found(nlp, gaz, "Teams will visit Mexico, Philippines, Indonesia and India.")
    assert got["Mexico"] == ("Mexico", "MEX") and got["Philippines"] == ("Philippines", "PHL")
    assert found(nlp, gaz, "Demand rose in Asia and Europe.")["Asia"] == ("Asia", None)
    assert found(nlp, gaz, "US troops landed in the US on Monday.")["US"] == ("United States", "USA")


def test_us_state_abbreviations_need_their_full_stop(nlp, gaz):
    got = found(nlp, gaz, "He lives in Baltimore, Md., and works in Bethesda, Md.")
    assert got["Md."] == ("Maryland", "USA") and got["Bethesda"][1] == "USA"


def test_a_country_qualifying_a_noun_is_not_where(nlp, gaz):
    ms = {m.text: m for m in find_places(nlp("The protest outside the U.S. embassy in Baghdad turned violent."), gaz)}
    assert not ms["U.S."].locative and ms["Baghdad"].locative


def test_mentions_carry_offsets_and_how_they_were_found(nlp, gaz):
    text = "Officials in Washington said Pyongyang fired a missile."
    for m in find_places(nlp(text), gaz):
        assert text[m.start:m.end] == m.text
    washington = mention(nlp, gaz, text, "Washington")
    assert washington.locative and washington.how == "entity" and washington.place.country == "USA"
    location = washington.to_location()
    assert (location.name, location.country, location.start) == ("Washington", "USA", 13)


# --- loading, pickling, extending ---------------------------------------------------------
def test_compiled_gazetteer_is_cached_and_loads_fast(tmp_path, monkeypatch):
    monkeypatch.setenv("DYAD_CACHE_DIR", str(tmp_path))
    places._load.cache_clear()
    try:
        cold = load_gazetteer()
        assert list(tmp_path.glob("places-*.pickle"))
        places._load.cache_clear()
        t = time.perf_counter()
        warm = load_gazetteer()
        elapsed = time.perf_counter() - t
    finally:
        places._load.cache_clear()
    assert len(warm) == len(cold) > 37_000
    assert warm.lookup("Hanoi") == cold.lookup("Hanoi")
    assert elapsed < 0.5, f"cached gazetteer took {elapsed:.2f}s to load"


def test_places_and_mentions_pickle(nlp, gaz):
    ms = find_places(nlp("Leaders met in Hanoi, Vietnam."), gaz)
    assert ms and pickle.loads(pickle.dumps(ms)) == ms
    assert isinstance(ms[0], PlaceMention) and isinstance(ms[0].place, Place)
    again = pickle.loads(pickle.dumps(gaz))
    assert again.lookup("Tripoli") == gaz.lookup("Tripoli")


def test_user_files_add_places(tmp_path, monkeypatch):
    monkeypatch.setenv("DYAD_CACHE_DIR", str(tmp_path))
    extra = tmp_path / "regions_mine.tsv"
    extra.write_text("name\talternate_names\tkind\tcountry\tlatitude\tlongitude\tnote\n"
                     "Zaporizhzhia Nuclear Power Plant\tZNPP|Zaporizhzhia plant\tregion\tUKR\t47.51\t34.59\tours\n",
                     encoding="utf-8")
    g = load_gazetteer([extra])
    assert g.resolve("ZNPP").country == "UKR"
    assert g.resolve("Hanoi").country == "VNM"


def test_shipped_files_are_small_and_described():
    places_tsv = places.PLACE_DIR / "places.tsv"
    assert places_tsv.stat().st_size < 4_000_000
    readme = (places.PLACE_DIR / "README.md").read_text(encoding="utf-8")
    for words in ("CC BY 4.0", "LGPL", "scripts/build_gazetteer.py", "alternate_names"):
        assert words in readme
    countries = {row["code"][:3] for _, row in read_tsv(ACTOR_DIR / "countries.tsv")}
    for lineno, row in read_tsv(places.PLACE_DIR / "regions.tsv"):
        assert not row["country"] or row["country"] in countries, f"regions.tsv:{lineno}"
