"""Event coding on sentences of our own: voice, coordination, embedding, negation, modality."""
import csv
from pathlib import Path

import pytest

import dyad

HERE = Path(__file__).parent


def events(pipeline, text, published="2021-05-10"):
    r = dyad.code(text, published, pipeline=pipeline)
    return [(e.source.code[:3] if e.source else None, (e.target.code or "")[:3] if e.target else None, e.cameo,
             e.mode) for e in r.events]


def has(evs, src, tgt, prefix):
    return any(s == src and (tgt is None or t == tgt) and c.startswith(prefix) for s, t, c, _ in evs)


@pytest.mark.parametrize("text,src,tgt,code", [
    ("Russia imposed sanctions on Ukraine.", "RUS", "UKR", "16"),
    ("Sanctions were imposed on Iran by the United States.", "USA", "IRN", "16"),
    ("Three Syrian soldiers were killed by Turkish shelling.", "TUR", "SYR", "1"),
    ("Israeli troops raided a refugee camp in the West Bank.", "ISR", None, "1"),
    ("China condemned the Japanese prime minister's visit to the shrine.", "CHN", "JPN", "11"),
    ("Iran's foreign minister met his Iraqi counterpart in Baghdad.", "IRN", "IRQ", "04"),
    ("Washington imposed new sanctions on Tehran.", "USA", "IRN", "16"),
    ("The United Nations called on Israel to halt settlement construction.", "IGO", "ISR", "02"),
    ("Egypt hosted talks between Israel and Hamas.", "EGY", None, "04"),
    ("Pakistan accused India of violating the ceasefire.", "PAK", "IND", "11"),
])
def test_basic_constructions(pipeline, text, src, tgt, code):
    evs = events(pipeline, text)
    assert has(evs, src, tgt, code), evs


def test_coordinated_subjects_meet_symmetrically(pipeline):
    r = dyad.code("France and Germany held talks in Berlin on Monday.", "2021-05-10", pipeline=pipeline)
    ev = [e for e in r.events if e.cameo.startswith("04")]
    assert ev and ev[0].symmetric and {ev[0].source.code[:3], ev[0].target.code[:3]} == {"FRA", "DEU"}


def test_negation_is_not_the_act(pipeline):
    evs = events(pipeline, "Russia did not sign the treaty with Ukraine.")
    assert not any(c.startswith("057") or c.startswith("03") for _, _, c, _ in evs), evs
    evs = events(pipeline, "North Korea has no intention of holding talks with the United States.")
    assert has(evs, "PRK", "USA", "12"), evs
    assert not any(c.startswith("04") for _, _, c, _ in evs), evs


def test_refusal_of_embedded_act(pipeline):
    evs = events(pipeline, "Iran refused to resume negotiations with the European powers.")
    assert any(s == "IRN" and c.startswith("12") for s, _, c, _ in evs), evs
    assert not any(c.startswith("04") for _, _, c, _ in evs), evs


def test_intent_and_future_are_marked(pipeline):
    evs = events(pipeline, "Japan plans to send humanitarian aid to Turkey.")
    assert any(s == "JPN" and c.startswith("03") for s, _, c, _ in evs), evs
    r = dyad.code("The Chinese president will visit Russia next week.", "2021-05-10", pipeline=pipeline)
    assert any(e.cameo.startswith("03") and e.mode in ("future", "intent") for e in r.events), r.events


def test_conditionals_and_questions_are_not_facts(pipeline):
    assert not events(pipeline, "If Iran attacks Israel, the United States will respond.") or not any(
        c.startswith("18") or c.startswith("19") for _, _, c, _ in events(pipeline, "If Iran attacks Israel, the United States will respond."))
    assert not events(pipeline, "Will Russia invade Ukraine?")


def test_denials_are_not_the_act(pipeline):
    evs = events(pipeline, "Israel denied bombing the hospital in Gaza.")
    assert not any(c.startswith("18") or c.startswith("19") or c.startswith("195") for _, _, c, _ in evs), evs


def test_reported_speech_codes_the_reported_act(pipeline):
    evs = events(pipeline, "North Korea said it would suspend its missile tests.")
    assert any(s == "PRK" for s, _, _, _ in evs), evs


def test_nominal_event_with_possessive(pipeline):
    evs = events(pipeline, "Turkey criticised Sweden's refusal to extradite the suspects.")
    assert has(evs, "TUR", "SWE", "11"), evs


def test_relative_clause_does_not_hijack_the_source(pipeline):
    evs = events(pipeline, "The minister, who met Chinese officials last week, criticised Australia.")
    assert not any(s == "CHN" and c.startswith("11") for s, _, c, _ in evs), evs


def test_same_event_twice_is_one_event_with_two_evidence_sentences(pipeline):
    r = dyad.code("Russia imposed sanctions on Ukraine on Monday. On Monday, Russia imposed sanctions on Ukraine.",
                  "2021-05-11", pipeline=pipeline)
    ev = [e for e in r.events if e.cameo.startswith("16")]
    assert len(ev) == 1 and len(ev[0].evidence_spans) == 2


SENTENCES = HERE / "data" / "event_sentences.tsv"


def load_sentences():
    if not SENTENCES.exists():
        return []
    with open(SENTENCES, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t")]
    return rows


ACCURACY_FLOOR = 0.955  # pinned: share of our own test sentences coded right (measured 0.957)


def test_own_sentence_set_per_root(pipeline):
    rows = load_sentences()
    assert len(rows) >= 200
    right = 0
    for row in rows:
        evs = events(pipeline, row["sentence"])
        forbid = (row.get("note") or "")
        if row["cameo"] == "NONE":
            bad = [f.split(":", 1)[1] for f in forbid.split() if f.startswith("forbid:")]
            ok = not any(c.startswith(b) for b in bad for _, _, c, _ in evs)
        else:
            tgt = None if row["target"] in ("-", "") else row["target"][:3]
            ok = any(s == row["source"][:3] and (tgt is None or t == tgt) and c.startswith(row["cameo"])
                     for s, t, c, _ in evs)
        right += ok
    assert right / len(rows) >= ACCURACY_FLOOR, f"{right}/{len(rows)}"


def test_acts_inside_an_accusation_are_not_coded(pipeline):
    r = dyad.code("The rebels accused the army of bombing homes in the capital, killing 17 civilians.",
                  "2024-06-08", pipeline=pipeline)
    assert not any(e.cameo.startswith(("18", "19", "20")) for e in r.events), r.events


def test_dateline_is_not_the_subject(pipeline):
    r = dyad.code("KYIV, Ukraine — Russia launched a drone attack on Kyiv overnight, officials said.",
                  "2025-11-30", pipeline=pipeline)
    attacks = [e for e in r.events if e.cameo.startswith(("18", "19"))]
    assert attacks and all(e.source.code.startswith("RUS") for e in attacks), r.events
    assert r.article.text.startswith("KYIV, Ukraine —\n\n")


def test_two_parties_agreeing_a_ceasefire_is_one_mutual_event(pipeline):
    r = dyad.code("Sudan's army and the paramilitary Rapid Support Forces agreed on Saturday to a seven-day "
                  "humanitarian ceasefire, Saudi Arabia and the United States said.", "2024-06-08", pipeline=pipeline)
    cf = [e for e in r.events if e.cameo.startswith("03")]
    assert cf and cf[0].symmetric and {cf[0].source.code[:3], cf[0].target.code[:3]} == {"SDN"}, r.events


def test_clause_under_a_demand_noun_is_a_demand(pipeline):
    r = dyad.code("Egypt reiterated its demand that Ethiopia stop filling the dam.", "2021-05-10", pipeline=pipeline)
    assert [(e.source.code, e.target.code if e.target else None, e.cameo[:2]) for e in r.events] == [
        ("EGY", "ETH", "10")], r.events


def test_unattributed_violence_is_the_acts_of_the_place_and_says_so(pipeline):
    r = dyad.code("Three US servicemen were killed by a roadside bomb outside of the Iraqi city of Basra.",
                  "2005-05-10", pipeline=pipeline)
    ev = next(e for e in r.events if e.cameo.startswith("19") or e.cameo.startswith("18"))
    assert ev.source.code == "IRQ" and ev.target.code.startswith("USA")
    assert ev.source_how == "location" and ev.confidence < 1.0
    # fired from somewhere: the origin is the source
    r = dyad.code("Israel said a mortar bomb was fired at it from the Gaza Strip on Tuesday.", "2014-09-16",
                  pipeline=pipeline)
    assert any(e.source.code.startswith("PSE") and e.target and e.target.code == "ISR" for e in r.events)
    # a named agent is never replaced by the place
    r = dyad.code("Syrian rebels shelled a village in Lebanon.", "2014-09-16", pipeline=pipeline)
    assert all(e.source_how is None and e.source.code.startswith("SYR") for e in r.events) and r.events


def test_a_border_side_is_not_a_target(pipeline):
    evs = events(pipeline, "Burmese troops captured a rebel stronghold on the Thai border.", "2000-05-10")
    assert evs and all(t != "THA" for _, t, _, _ in evs)
    evs = events(pipeline, "Rebels seized villages near Macedonia's border with Bulgaria.", "2001-05-10")
    assert all(t != "BGR" for _, t, _, _ in evs)


def test_events_are_placed_where_the_text_says(pipeline):
    r = dyad.code("Syrian rebels shelled a village near Aleppo on Sunday.", "2016-05-10", pipeline=pipeline)
    ev = next(e for e in r.events if e.cameo.startswith("19"))
    assert ev.location is not None and ev.location.country == "SYR" and "Aleppo" in ev.location.name
    r = dyad.code("A roadside bomb near the town of Samarra killed two U.S. soldiers.", "2006-05-10", pipeline=pipeline)
    ev = next(e for e in r.events if e.cameo[:2] in ("18", "19"))
    assert ev.source.code == "IRQ" and ev.source_how == "location" and ev.location.country == "IRQ"
    r = dyad.code("Iran condemned the sanctions.", "2016-05-10", pipeline=pipeline)
    assert all(e.location is None for e in r.events)


HELDOUT = HERE / "data" / "event_sentences_heldout.tsv"
HELDOUT_FLOOR = 0.855  # pinned: held-out news sentences coded right (first measured 0.637, now 0.858)


def _scorer():
    """scripts/score_sentences.py, loaded as a module (the same scoring as its command line)."""
    import importlib.util
    import sys

    if "score_sentences" not in sys.modules:
        path = HERE.parent / "scripts" / "score_sentences.py"
        spec = importlib.util.spec_from_file_location("score_sentences", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["score_sentences"] = module
        spec.loader.exec_module(module)
    return sys.modules["score_sentences"]


@pytest.mark.slow
def test_heldout_news_sentences(pipeline):
    sc = _scorer()
    rows = sc.load_rows(HELDOUT)
    assert len(rows) == 240
    right = 0
    for row in rows:
        r = dyad.code(row["sentence"], row.get("published") or "2021-05-10", pipeline=pipeline)
        right += sc.judge(row, sc.event_tuples(r), loose=False)
    assert right / len(rows) >= HELDOUT_FLOOR, f"{right}/{len(rows)}"


def test_an_act_under_a_refusal_is_not_a_fact(pipeline):
    evs = events(pipeline, "Iran rejected holding talks with Washington.", "2020-01-01")
    assert has(evs, "IRN", "USA", "125") and not any(c.startswith("04") for _, _, c, _ in evs)
    evs = events(pipeline, "Georgia's president ruled out ceding any land to Russia.", "2020-01-01")
    assert has(evs, "GEO", "RUS", "12") and not any(c.startswith("08") for _, _, c, _ in evs)
