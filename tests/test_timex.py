"""Time expressions: finding, TimeML normalisation against the publication date, event dating."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from dyad.records import TimeExpression
from dyad.timex import event_date, find_times, parse_published, value_precision


def times(nlp, text, published):
    return find_times(nlp(text), published)


def one(nlp, text, published, words=None):
    """The single expression found (or the one whose text is ``words``)."""
    found = times(nlp, text, published)
    if words is not None:
        found = [t for t in found if t.text == words]
    assert len(found) == 1, found
    return found[0]


def value(nlp, text, published, words=None):
    return one(nlp, text, published, words).value


def trigger(doc, word, nth=0):
    return [t.i for t in doc if t.text == word][nth]


# --------------------------------------------------------------------------- deictic words

@pytest.mark.parametrize("text, words, expected, kind", [
    ("Officials met today.", "today", "2020-07-07", "DATE"),
    ("Officials met yesterday.", "yesterday", "2020-07-06", "DATE"),
    ("Officials will meet tomorrow.", "tomorrow", "2020-07-08", "DATE"),
    ("Officials will meet tonight.", "tonight", "2020-07-07TNI", "TIME"),
    ("Missiles were fired overnight.", "overnight", "2020-07-06TNI", "TIME"),
    ("He spoke this morning.", "this morning", "2020-07-07TMO", "TIME"),
    ("He spoke last night.", "last night", "2020-07-06TNI", "TIME"),
    ("He spoke yesterday afternoon.", "yesterday afternoon", "2020-07-06TAF", "TIME"),
    ("He spoke on Monday evening.", "Monday evening", "2020-07-06TEV", "TIME"),
])
def test_deictic(nlp, text, words, expected, kind):
    t = one(nlp, text, "2020-07-07", words)
    assert (t.value, t.kind, t.anchored) == (expected, kind, True)
    assert t.precision == "day"


@pytest.mark.parametrize("words, expected, precision", [
    ("last week", "2020-W27", "week"),
    ("this week", "2020-W28", "week"),
    ("next week", "2020-W29", "week"),
    ("last month", "2020-06", "month"),
    ("this month", "2020-07", "month"),
    ("next month", "2020-08", "month"),
    ("last year", "2019", "year"),
    ("this year", "2020", "year"),
    ("next year", "2021", "year"),
    ("earlier this month", "2020-07", "month"),
    ("earlier this week", "2020-W28", "week"),
    ("earlier this year", "2020", "year"),
    ("later this month", "2020-07", "month"),
])
def test_last_this_next(nlp, words, expected, precision):
    t = one(nlp, f"The two sides met {words}.", "2020-07-07", words)
    assert (t.value, t.precision, t.kind) == (expected, precision, "DATE")


def test_offsets_point_into_the_text(nlp):
    text = "Choe Son Hui on Saturday dismissed the offer made last week."
    for t in times(nlp, text, "2020-07-07"):
        assert text[t.start:t.end] == t.text
    assert [t.text for t in times(nlp, text, "2020-07-07")] == ["Saturday", "last week"]


# --------------------------------------------------------------------------- weekdays

WEEK = ["2020-07-06", "2020-07-07", "2020-07-08", "2020-07-09", "2020-07-10", "2020-07-11",
        "2020-07-12"]  # Monday ... Sunday


@pytest.mark.parametrize("published, expected", list(zip(WEEK, [
    "2020-07-04", "2020-07-04", "2020-07-04", "2020-07-04", "2020-07-04", "2020-07-11",
    "2020-07-11"])))
def test_weekday_past_tense_is_the_most_recent(nlp, published, expected):
    # on a Saturday, "on Saturday" in the past tense is that very day (wire-copy usage)
    assert value(nlp, "The minister resigned on Saturday.", published) == expected


@pytest.mark.parametrize("published, expected", list(zip(WEEK, [
    "2020-07-11", "2020-07-11", "2020-07-11", "2020-07-11", "2020-07-11", "2020-07-11",
    "2020-07-18"])))
def test_weekday_future_tense_is_the_next(nlp, published, expected):
    assert value(nlp, "The two leaders will meet on Saturday.", published) == expected


@pytest.mark.parametrize("published, expected", list(zip(WEEK, [
    "2020-07-06", "2020-07-06", "2020-07-06", "2020-07-06", "2020-07-06", "2020-07-06",
    "2020-07-06"])))
def test_reporting_verb_weekday(nlp, published, expected):
    assert value(nlp, "The ministry said Monday that talks had failed.", published) == expected


def test_weekday_relatives_on_the_same_weekday(nlp):
    sat = "2020-07-11"
    assert value(nlp, "He resigned last Saturday.", sat) == "2020-07-04"
    assert value(nlp, "He will resign next Saturday.", sat) == "2020-07-18"
    assert value(nlp, "He resigned today.", sat) == sat


def test_weekday_present_tense_schedules(nlp):
    assert value(nlp, "The vote is on Friday.", "2020-07-07") == "2020-07-10"
    assert value(nlp, "Kim is meeting Trump on Friday.", "2020-07-07") == "2020-07-10"


def test_weekday_until_points_forward(nlp):
    t = value(nlp, "The markets have been closed until Friday.", "2020-07-07")
    assert t == "2020-07-10"


def test_weekday_with_date_fixes_the_year(nlp):
    assert value(nlp, "They met on Sunday, June 30.", "2020-07-07") == "2019-06-30"


# --------------------------------------------------------------------------- boundaries

@pytest.mark.parametrize("text, words, published, expected", [
    ("Sales fell last month.", "last month", "2021-01-05", "2020-12"),
    ("Sales will rise next month.", "next month", "2020-12-15", "2021-01"),
    ("Sales fell last year.", "last year", "2021-01-05", "2020"),
    ("He died yesterday.", "yesterday", "2021-01-01", "2020-12-31"),
    ("He will leave tomorrow.", "tomorrow", "2020-12-31", "2021-01-01"),
    ("He left two days ago.", "two days ago", "2021-01-01", "2020-12-30"),
    ("He left last week.", "last week", "2020-07-06", "2020-W27"),  # Monday
    ("He left last week.", "last week", "2020-07-12", "2020-W27"),  # Sunday
    ("He left last week.", "last week", "2021-01-04", "2020-W53"),  # ISO year boundary
    ("He is away this week.", "this week", "2021-01-01", "2020-W53"),
    ("Talks were held in December.", "December", "2021-01-05", "2020-12"),
    ("Talks will be held in January.", "January", "2020-12-20", "2021-01"),
    ("Talks were held in January.", "January", "2021-01-20", "2021-01"),
    ("He met Kim on Dec. 30.", "Dec. 30", "2021-01-02", "2020-12-30"),
    ("He will meet Kim on Jan. 3.", "Jan. 3", "2020-12-28", "2021-01-03"),
])
def test_month_and_year_boundaries(nlp, text, words, published, expected):
    assert value(nlp, text, published, words) == expected


# --------------------------------------------------------------------------- months, dates

def test_absolute_dates(nlp):
    pub = "2020-07-07"
    assert value(nlp, "Talks collapsed in February 2019.", pub) == "2019-02"
    assert value(nlp, "They met on June 30, 2019.", pub) == "2019-06-30"
    assert value(nlp, "They met on 30 June 2019.", pub) == "2019-06-30"
    assert value(nlp, "They met on 2019-06-30.", pub) == "2019-06-30"
    assert value(nlp, "The deal was signed in 2018.", pub) == "2018"
    t = one(nlp, "The South failed to implement the 2018 agreements.", pub)
    assert (t.text, t.value, t.precision) == ("2018", "2018", "year")


def test_month_day_without_year(nlp):
    assert value(nlp, "The report was released on Feb. 28.", "2020-07-07") == "2020-02-28"
    assert value(nlp, "The session ends on Aug. 3.", "2020-07-07") == "2020-08-03"


def test_month_without_year_follows_tense(nlp):
    pub = "2020-07-07"
    assert value(nlp, "The two sides held talks in October.", pub) == "2019-10"
    assert value(nlp, "The election will be held in November.", pub) == "2020-11"
    assert value(nlp, "The talks ended in June.", pub) == "2020-06"
    assert value(nlp, "He has refused to talk since October.", pub) == "2019-10"
    assert value(nlp, "He resigned last May.", pub) == "2020-05"
    assert value(nlp, "He will resign next May.", pub) == "2021-05"


def test_month_names_that_are_not_months(nlp):
    found = times(nlp, "Theresa May said that she may resign.", "2020-07-07")
    assert found == []
    found = times(nlp, "The March on Washington drew crowds.", "2020-07-07")
    assert found == []


def test_month_of_next_year_splits(nlp):
    found = times(nlp, "Franchises expire after October of next year.", "2009-05-15")
    assert [(t.text, t.value) for t in found] == [("October", "2010-10"), ("next year", "2010")]


# --------------------------------------------------------------------------- coarser units

def test_seasons(nlp):
    pub = "2020-07-07"
    t = one(nlp, "Last summer the talks collapsed.", pub)
    assert (t.value, t.precision) == ("2019-SU", "season")
    assert value(nlp, "The summit will take place in the spring.", pub) == "2021-SP"
    assert value(nlp, "Troops left in the summer of 2018.", pub) == "2018-SU"


def test_decades_and_centuries(nlp):
    t = one(nlp, "The famine of the 1990s killed many.", "2020-07-07")
    assert (t.text, t.value, t.precision) == ("the 1990s", "199", "decade")
    assert value(nlp, "In the '90s, prices rose.", "2020-07-07") == "199"
    t = one(nlp, "The 20th century saw two world wars.", "2020-07-07")
    assert (t.value, t.precision) == ("19", "century")


def test_quarters_and_halves(nlp):
    t = one(nlp, "Sales fell in the first quarter of 2019.", "2020-07-07")
    assert (t.value, t.precision) == ("2019-Q1", "quarter")
    assert value(nlp, "The company reported fourth-quarter losses.", "2021-02-10") == "2020-Q4"
    assert value(nlp, "Growth slowed last quarter.", "2020-07-07") == "2020-Q2"
    assert value(nlp, "Profits rose in the first half of 2019.", "2020-07-07") == "2019-H1"


# --------------------------------------------------------------------------- relative spans

def test_ago_and_narrative_offsets(nlp):
    pub = "2020-07-07"
    assert value(nlp, "He arrived two days ago.", pub) == "2020-07-05"
    assert value(nlp, "The plant closed four years ago.", pub) == "2016"
    assert value(nlp, "The plant closed three months ago.", pub) == "2020-04"
    found = times(nlp, "They met on June 30, 2019. A week later, talks collapsed.", pub)
    assert [(t.text, t.value) for t in found] == [("June 30, 2019", "2019-06-30"),
                                                  ("A week later", "2019-07-07")]
    found = times(nlp, "Police arrested him on July 4 and released him the following day.", pub)
    assert [t.value for t in found] == ["2020-07-04", "2020-07-05"]


def test_reference_words(nlp):
    pub = "2020-07-07"
    assert value(nlp, "He has not recently commented.", pub) == "PAST_REF"
    assert value(nlp, "Talks are now stalled.", pub) == "PRESENT_REF"
    assert value(nlp, "The two sides are currently talking.", pub) == "PRESENT_REF"
    assert value(nlp, "Talks may resume in the future.", pub) == "FUTURE_REF"
    assert value(nlp, "Such talks failed in the past.", pub) == "PAST_REF"
    for t in times(nlp, "Talks are now stalled.", pub):
        assert t.precision is None


def test_times_of_day(nlp):
    t = one(nlp, "The vote closed at 3 p.m. on Friday.", "2020-07-07")
    assert (t.kind, t.value, t.precision) == ("TIME", "2020-07-03T15", "day")
    t = one(nlp, "Trading was halted at 14:30 GMT.", "2020-07-07")
    assert (t.kind, t.value) == ("TIME", "2020-07-07T14:30Z")


# --------------------------------------------------------------------------- durations, sets

@pytest.mark.parametrize("text, words, expected", [
    ("The war lasted two years.", "two years", "P2Y"),
    ("With just four months to go, Trump trails.", "four months", "P4M"),
    ("He served 20 years in prison.", "20 years", "P20Y"),
    ("The talks lasted about 90 minutes.", "90 minutes", "PT90M"),
    ("The session lasted three hours.", "three hours", "PT3H"),
    ("A three-month truce began.", "three-month", "P3M"),
    ("Fighting continued for several days.", "several days", "PXD"),
    ("In recent weeks, tensions rose.", "recent weeks", "PXW"),
    ("This is the first time in decades.", "decades", "PXDE"),
    ("Prices fell over the past two years.", "the past two years", "P2Y"),
    ("It took a decade to rebuild.", "a decade", "P10Y"),
])
def test_durations(nlp, text, words, expected):
    t = one(nlp, text, "2020-07-07", words)
    assert (t.value, t.kind, t.precision) == (expected, "DURATION", None)


def test_rates_are_sets_and_big_numbers_are_durations(nlp):
    found = times(nlp, "The siege cost $1,000 a day for 1,000 days.", "2020-07-07")
    assert [(t.text, t.value, t.kind) for t in found] == [("a day", "P1D", "SET"),
                                                          ("1,000 days", "P1000D", "DURATION")]


def test_same_period_last_year(nlp):
    found = times(nlp, "Sales rose in February compared with the same period last year.",
                  "2010-03-03")
    assert [t.value for t in found] == ["2010-02", "2009-02"]


def test_impossible_dates_do_not_raise(nlp):
    found = times(nlp, "It was dated Feb. 30, 2019 and Feb. 29.", "2021-01-05")
    assert all(t.value != "2019-02-30" for t in found)


def test_coordinated_durations(nlp):
    found = times(nlp, "The buyback could take between 12 and 18 months.", "2013-03-22")
    assert [(t.text, t.value) for t in found] == [("12", "P12M"), ("18 months", "P18M")]


def test_ages_are_not_dates(nlp):
    text = "The 37-year-old leader, aged 45, has a five-year-old son who is 12 years old."
    assert times(nlp, text, "2020-07-07") == []


def test_counts_are_not_years(nlp):
    assert times(nlp, "Resolution 2231 was adopted.", "2020-07-07") == []
    assert times(nlp, "The ministry sent 2000 troops.", "2020-07-07") == []


@pytest.mark.parametrize("text, words, expected", [
    ("The two sides talk every week.", "every week", "P1W"),
    ("Inspectors visit each year.", "each year", "P1Y"),
    ("He meets them every Monday.", "every Monday", "XXXX-WXX-1"),
    ("The council meets twice a year.", "twice a year", "P1Y"),
    ("Figures are published weekly.", "weekly", "P1W"),
    ("The report is published annually.", "annually", "P1Y"),
])
def test_sets(nlp, text, words, expected):
    t = one(nlp, text, "2020-07-07", words)
    assert (t.value, t.kind, t.precision) == (expected, "SET", None)


# --------------------------------------------------------------------------- no publication date

def test_no_publication_date_leaves_relatives_unresolved(nlp):
    text = ("He left on Saturday, returned last week, met Kim in October and yesterday, "
            "after talks on June 30, 2019 that lasted two years.")
    found = {t.text: t for t in times(nlp, text, None)}
    for words in ("Saturday", "last week", "October", "yesterday"):
        assert found[words].value is None and found[words].anchored is False, words
        assert found[words].precision is None
    assert found["June 30, 2019"].value == "2019-06-30" and found["June 30, 2019"].anchored
    assert found["two years"].value == "P2Y"


def test_today_needs_a_publication_date(nlp):
    t = one(nlp, "Officials met today.", None)
    assert (t.value, t.anchored) == (None, False)
    assert find_times(nlp("Officials met today."), "not a date")[0].value is None


def test_records_pickle(nlp):
    found = times(nlp, "They met last week and again on June 30, 2019.", "2020-07-07")
    assert pickle.loads(pickle.dumps(found)) == found
    assert all(isinstance(t, TimeExpression) for t in found)


def test_helpers():
    assert parse_published("2020-07-07T10:00:00Z").isoformat() == "2020-07-07"
    assert parse_published(None) is None and parse_published("July 7") is None
    assert [value_precision(v) for v in ("2020-07-04", "2020-W27", "2020-06", "2019-SU",
                                         "2020-Q1", "2019", "199", "19", "P2Y", "PRESENT_REF",
                                         "2020-07-04T15:00")] == [
        "day", "week", "month", "season", "quarter", "year", "decade", "century", None, None,
        "day"]


# --------------------------------------------------------------------------- event dating

PUB = "2020-07-07"


def dated(nlp, text, word, published=PUB, nth=0):
    doc = nlp(text)
    return event_date(doc, trigger(doc, word, nth), find_times(doc, published), published)


def test_event_date_clause_adverbial(nlp):
    text = "Senior North Korean diplomat Choe Son Hui on Saturday dismissed the possibility."
    assert dated(nlp, text, "dismissed") == ("2020-07-04", "day", "Saturday", "clause")


def test_event_date_when_clause_shares_the_time(nlp):
    text = ("The U.S.-North Korea negotiations broke down in February 2019 when Trump and Kim "
            "failed to reach a deal during a summit in Hanoi.")
    for word in ("broke", "failed", "reach"):
        assert dated(nlp, text, word) == ("2019-02", "month", "February 2019", "clause"), word


def test_event_date_participle_shares_the_time(nlp):
    text = ("North Korea last month ramped up tensions against the South, destroying the "
            "embassy and cutting off lines of communication.")
    for word in ("ramped", "destroying", "cutting"):
        assert dated(nlp, text, word) == ("2020-06", "month", "last month", "clause"), word


def test_event_date_week(nlp):
    text = "The motives became muddied after Kim last week abruptly suspended the campaign."
    assert dated(nlp, text, "suspended") == ("2020-W27", "week", "last week", "clause")


def test_event_date_future_month(nlp):
    text = "Moon would like to see Trump and Kim hold another meeting before the election in November."
    assert dated(nlp, text, "hold")[:2] == ("2020-11", "month")


def test_event_date_sentence_level_from_reporting_verb(nlp):
    text = "North Korea said on Saturday that it had fired two missiles."
    assert dated(nlp, text, "fired") == ("2020-07-04", "day", "Saturday", "sentence")


def test_event_date_ignores_other_clauses(nlp):
    text = "The talks, which broke down in February 2019, were dismissed by Choe."
    assert dated(nlp, text, "dismissed") == (PUB, "day", None, "publication")
    assert dated(nlp, text, "broke")[:2] == ("2019-02", "month")


def test_event_date_ignores_dates_inside_noun_phrases(nlp):
    text = "He hopes for a repeat of 2018, when his meetings with Kim helped pave the way."
    assert dated(nlp, text, "hopes") == (PUB, "day", None, "publication")
    assert dated(nlp, text, "meetings") == ("2018", "year", "2018", "clause")


def test_event_date_durations_and_sets_do_not_date(nlp):
    assert dated(nlp, "The war lasted two years.", "lasted") == (PUB, "day", None, "publication")
    assert dated(nlp, "Envoys meet every week.", "meet") == (PUB, "day", None, "publication")
    assert dated(nlp, "He has not recently commented.", "commented") == (
        PUB, "day", None, "publication")


def test_event_date_present_ref_is_the_publication_day(nlp):
    text = "North Korea is currently holding talks with China."
    assert dated(nlp, text, "holding") == (PUB, "day", "currently", "clause")


def test_event_date_time_of_day_gives_the_day(nlp):
    text = "Protesters gathered at 3 p.m. on Friday."
    assert dated(nlp, text, "gathered")[:2] == ("2020-07-03", "day")


def test_event_date_without_publication_date(nlp):
    assert dated(nlp, "The talks collapsed.", "collapsed", published=None) == (
        None, None, None, "none")
    assert dated(nlp, "The talks collapsed on Saturday.", "collapsed", published=None) == (
        None, None, None, "none")
    assert dated(nlp, "The talks collapsed in February 2019.", "collapsed", published=None) == (
        "2019-02", "month", "February 2019", "clause")


def test_event_date_noun_trigger(nlp):
    text = "Kim attended a meeting in Hanoi in February 2019."
    assert dated(nlp, text, "meeting")[:2] == ("2019-02", "month")


# --------------------------------------------------------------------------- gold set

def _temporal_dir() -> Path | None:
    env = os.environ.get("DYAD_SHARED_DATA")
    base = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    path = base / "temporal"
    return path if (path / "tempeval3-platinum").is_dir() else None


@pytest.mark.slow
def test_tempeval3_value_f1_floor(nlp):
    from dyad.evaluate.temporal import evaluate_temporal, format_report

    path = _temporal_dir()
    assert path is not None, "TempEval-3 platinum not found beside the checkout (set DYAD_SHARED_DATA)"
    report = evaluate_temporal(str(path), sets=("tempeval3",), baseline=False, nlp=nlp)
    te3 = report["tempeval3"]
    assert te3["n_gold"] == 138
    assert te3["relaxed_f1"] >= 0.93, format_report(report)
    assert te3["value_f1"] >= 0.86, format_report(report)
