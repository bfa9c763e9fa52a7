"""Reading and cleaning: real files on disk, no model needed."""
import gzip
import json

import pytest

from dyad.clean import clean_text
from dyad.errors import ConfigError
from dyad.readers import Failure, check_date, read_inputs, read_path
from dyad.records import Article

from conftest import EXAMPLE


def articles(items):
    return [i for i in items if isinstance(i, Article)]


def failures(items):
    return [i for i in items if isinstance(i, Failure)]


def test_sample_title_boilerplate_and_caption():
    art = next(iter(read_path(str(EXAMPLE), "2020-07-07")))
    assert art.title == "North Korea Rules Out Talks, as US Diplomat Visits Seoul"
    assert "Accessibility links" not in art.text and "Breaking News" not in art.text
    assert art.dropped_lines == ["Accessibility links", "Breaking News"]
    assert len(art.captions) == 1 and art.captions[0].startswith("(FILES)")
    assert "(FILES)" not in art.text
    assert art.text.startswith("North Korea says it still has no interest")
    assert art.published == "2020-07-07"


def test_headline_not_taken_from_a_sentence():
    c = clean_text("The minister said on Monday that talks would resume.\n\nHe added nothing.")
    assert c.title is None
    assert c.body.startswith("The minister said")


def test_caption_variants_kept_out():
    raw = ("Iran Rejects Talks\n\nFILE - Iranian President Hassan Rouhani speaks in Tehran, Iran, in this photo taken "
           "Jan. 5, 2020.\n\nIran rejected new talks with the United States on Sunday, officials said.")
    c = clean_text(raw)
    assert c.title == "Iran Rejects Talks"
    assert c.captions and c.captions[0].startswith("FILE -")
    assert c.body == "Iran rejected new talks with the United States on Sunday, officials said."


def test_jsonl_records_in_order(tmp_path):
    p = tmp_path / "dump.jsonl"
    rows = [
        {"id": "b2", "text": "Russia and China held talks in Moscow on Friday, the ministry said.", "published": "2021-03-05"},
        {"id": "a1", "text": "Japan protested to Beijing over the incident.", "published": "2021-03-06", "title": "Japan protests"},
    ]
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json}\n", encoding="utf-8")
    items = list(read_path(str(p)))
    arts = articles(items)
    assert [a.id for a in arts] == ["b2", "a1"]
    assert arts[1].title == "Japan protests" and arts[0].published == "2021-03-05"
    bad = failures(items)
    assert len(bad) == 1 and "invalid JSON on line 3" in bad[0].error


@pytest.mark.parametrize("content,expected", [
    (b"", "empty file"),
    (b"   \n\n  ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    ("Le ministre a déclaré que".encode("latin-1") + b" \xe9t\xe9 " * 3, "invalid UTF-8"),
])
def test_bad_files_give_one_clear_failure(tmp_path, content, expected):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    items = list(read_path(str(p)))
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert expected in items[0].error and str(p) in str(items[0])


def test_missing_file_and_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    items = list(read_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "empty")]))
    assert [type(i) for i in items] == [Failure, Failure]
    assert "no such file" in items[0].error and "no article files" in items[1].error


def test_non_english_is_refused(tmp_path):
    p = tmp_path / "fr.txt"
    p.write_text("Le gouvernement français a annoncé mardi de nouvelles mesures contre la pollution de l'air "
                 "dans les grandes villes, selon un communiqué publié par le ministère de la transition "
                 "écologique, qui prévoit des restrictions de circulation pour les véhicules les plus anciens "
                 "et une aide financière pour les ménages modestes souhaitant changer de voiture.", encoding="utf-8")
    items = list(read_path(str(p)))
    assert isinstance(items[0], Failure) and "English" in items[0].error


def test_directory_recursion_and_gzip(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "one.txt").write_text("Egypt hosted talks between Israel and Hamas in Cairo on Monday.", encoding="utf-8")
    (tmp_path / "two.txt.gz").write_bytes(gzip.compress(b"Turkey shelled Kurdish positions in Syria on Tuesday."))
    arts = articles(read_path(str(tmp_path)))
    assert sorted(a.text[:6] for a in arts) == ["Egypt ", "Turkey"]


def test_check_date():
    assert check_date("2020-07-07") == "2020-07-07"
    assert check_date("2020-07-07T10:00:00Z") == "2020-07-07"
    with pytest.raises(ConfigError):
        check_date("07/07/2020")
    with pytest.raises(ConfigError):
        check_date("2020-13-01")


def test_publication_date_from_a_dateline(tmp_path):
    p = tmp_path / "ap.txt"
    p.write_text("WASHINGTON, March 3, 2021 (AP) — The United States imposed sanctions on Myanmar's military "
                 "on Monday, officials said.", encoding="utf-8")
    art = next(iter(read_path(str(p))))
    assert art.published == "2021-03-03" and art.published_source == "dateline"
    # the caller's date wins over the dateline
    art = next(iter(read_path(str(p), "2021-03-04")))
    assert art.published == "2021-03-04" and art.published_source == "caller"


def test_no_date_known_stays_unknown(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("Iran said on Saturday it would resume talks with the European powers.", encoding="utf-8")
    art = next(iter(read_path(str(p))))
    assert art.published is None and art.published_source is None


def test_tables_of_figures_are_refused_as_such(tmp_path):
    p = tmp_path / "results.txt"
    p.write_text("\n".join(f"Net profit {i}.{i} mln vs {i + 1}.2 mln\n    Revs {i * 7} mln vs {i * 6} mln"
                           for i in range(1, 15)), encoding="utf-8")
    items = list(read_path(str(p)))
    assert isinstance(items[0], Failure) and "figures and tables" in items[0].error
