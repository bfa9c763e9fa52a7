"""PETRARCH-format actor and agent dictionaries load and resolve their (fictional) actors."""
from dataclasses import replace

import pytest

from dyad.actors.dictionary import load_dictionary
from dyad.actors.resolve import resolve_actors
from dyad.config import Settings

from conftest import SHARED

BASE = SHARED / "events" / "petrarch2-unittest"


@pytest.fixture(scope="module")
def petrarch_dictionary():
    return load_dictionary(replace(Settings(), actor_files=(str(BASE / "PETR.Validate.actors.txt"),
                                                            str(BASE / "PETR.Validate.agents.txt"))))


def test_loads_actors_synonyms_and_dated_codes(petrarch_dictionary):
    d = petrarch_dictionary
    assert d.person_code("Gollum", "1994-01-01")[0] == "HOB"
    assert d.person_code("Gollum", "1997-06-01")[0] == "HOBGOV"
    assert d.person_code("Gollum", "2001-01-01")[0] == "HOBREB"
    assert ("smeagol",) in d.names  # a synonym line
    assert ("arnor",) in d.names and ("north", "korea") in d.names


def test_resolves_fictional_actors_in_text(nlp, petrarch_dictionary):
    doc = nlp("Gondor and Arnor signed a treaty. Smeagol met the Eriadorian ambassador in Bree.")
    res = resolve_actors(doc, petrarch_dictionary, "1997-01-01")
    got = {h.text: res.code_on(h.actor, "1997-01-01") for h in res.hits.values() if h.actor is not None}
    assert got["Gondor"] == "GON" and got["Arnor"] == "ARN"
    assert got["Smeagol"] == "HOBGOV"
    assert got["Eriadorian ambassador"] == "ERIGOV"  # agent AMBASSADOR [~GOV] on an actor adjective


def test_agent_substitution_sets(petrarch_dictionary):
    assert ("congressman",) in petrarch_dictionary.agents  # CONGRESS!PERSON! with !PERSON! = MAN, ...
    assert petrarch_dictionary.agents[("foreign", "minister")].code == "GOV"
