"""HTML main-text extraction and WARC reading, on small pages and archives built here."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from dyad.readers.html import decode_html, extract_html
from dyad.readers.warc import WarcError, iter_warc

from conftest import SHARED

ZYTE = SHARED / "extraction" / "zyte"

# --------------------------------------------------------------------------- pages

BODY_PARAGRAPHS = [
    "The city council of Northbridge voted on Tuesday to suspend the planned closure of the "
    "eastern river ferry, after three weeks of protests by commuters and local traders who said "
    "the service was the only affordable link to the industrial district.",
    "Mayor Elena Kovacs, who had proposed the closure to save money, said she accepted the decision "
    "but warned that the ferry would need a new operator by the spring. \u201cWe cannot keep paying "
    "for a boat that is half empty at noon,\u201d she told reporters outside the town hall.",
    "The opposition leader, Daniel Osei, called the vote a victory for working families and urged the "
    "regional government to fund repairs to the two landing stages, which were damaged by floods last "
    "winter and have been closed to bicycles since then.",
    "Police said the protests had been peaceful. About 400 people marched from the ferry terminal to "
    "the council building on Monday evening, carrying banners and blocking the main bridge for an hour.",
    "The council will meet again next month to discuss a tender for a private operator. Transport "
    "officials estimate that a new contract could cost the city about 1.2 million a year.",
]

TITLE = "Northbridge council halts closure of river ferry after protests"


def article_page(body_paragraphs=BODY_PARAGRAPHS, charset="utf-8") -> str:
    paras = "\n".join(f"      <p>{p}</p>" for p in body_paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="{charset}">
  <title>{TITLE} | The Northbridge Courier</title>
  <meta property="og:title" content="{TITLE}">
  <meta property="og:site_name" content="The Northbridge Courier">
  <meta name="author" content="Maria Lindqvist">
  <meta property="article:published_time" content="2021-03-16T09:30:00+00:00">
</head>
<body>
  <header class="site-header">
    <a href="/">The Northbridge Courier</a>
    <nav class="main-nav"><ul>
      <li><a href="/news">News</a></li><li><a href="/politics">Politics</a></li>
      <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
      <li><a href="/subscribe">Subscribe today and save forty percent on home delivery</a></li>
    </ul></nav>
  </header>
  <main>
    <article class="story">
      <h1>{TITLE}</h1>
      <div class="byline">By Maria Lindqvist, local politics reporter</div>
      <div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
      <div class="story-body">
{paras}
      </div>
    </article>
    <aside class="sidebar related">
      <h3>Related stories</h3>
      <ul>
        <li><a href="/a">Bridge repairs delayed again as costs rise beyond every estimate</a></li>
        <li><a href="/b">Traders fear a quiet summer in the old harbour district this year</a></li>
        <li><a href="/c">Ten things to do in Northbridge this weekend with the whole family</a></li>
      </ul>
    </aside>
    <section class="comments" id="comments">
      <h3>Comments</h3>
      <div class="comment"><p>Finally some common sense from the council, it took them long enough to listen.</p></div>
      <div class="comment"><p>The ferry was always late anyway and nobody ever checked the tickets on board.</p></div>
    </section>
  </main>
  <footer class="site-footer">
    <p>Copyright 2021 The Northbridge Courier. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> | <a href="/contact">Contact us</a> | <a href="/ads">Advertise</a></p>
  </footer>
</body>
</html>
"""


def paragraphs_of(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


# --------------------------------------------------------------------------- HTML


def test_article_page_body_and_metadata():
    out = extract_html(article_page().encode("utf-8"), url="https://courier.example/politics/ferry")
    assert set(out) == {"title", "text", "published", "author", "outlet", "language"}
    text = out["text"]
    for para in BODY_PARAGRAPHS:
        assert para in text
    assert paragraphs_of(text) == BODY_PARAGRAPHS  # one paragraph per <p>, blank lines between
    for junk in ("Related stories", "Bridge repairs delayed", "common sense", "All rights reserved",
                 "Share on Facebook", "Subscribe today", "Privacy policy", "Weather"):
        assert junk not in text, junk
    assert TITLE not in text  # the headline is metadata, not body
    assert out["title"] == TITLE
    assert out["published"] == "2021-03-16"
    assert out["author"] == "Maria Lindqvist"
    assert out["outlet"] == "The Northbridge Courier"
    assert out["language"] == "en"


def test_str_input_and_outlet_from_url():
    page = article_page().replace('<meta property="og:site_name" content="The Northbridge Courier">', "")
    out = extract_html(page, url="https://www.courier.example/politics/ferry")
    assert out["text"].startswith("The city council of Northbridge voted")
    assert out["outlet"]  # from the page's metadata or the URL's host


def test_malformed_html_with_unclosed_tags():
    page = (
        "<html><head><title>Strike at the port</title>\n<body><div class=content>\n"
        "<p>Dock workers in Port Alder walked out on Friday morning over a dispute about night shifts, "
        "halting the loading of grain ships for the second time this year.\n"
        "<p>The union said the stoppage would last <b>forty-eight hours<i> unless the port authority "
        "agreed to talks</b></i>, while the authority called the strike illegal and threatened fines.\n"
        "<p>Shipping agents said at least six vessels were waiting offshore and that delays could cost "
        "exporters several million dollars.\n"
        "<div><p>Talks are expected to resume on Monday at the labour ministry in the capital, a ministry "
        "spokeswoman said in a short statement.\n"
    )
    out = extract_html(page.encode("ascii"))
    text = out["text"]
    assert "Dock workers in Port Alder walked out" in text
    assert "forty-eight hours unless the port authority agreed to talks" in text
    assert "Talks are expected to resume on Monday" in text
    assert len(paragraphs_of(text)) >= 3


@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-1", "latin1"])
def test_legacy_charset_page(label):
    paras = [
        "Le ministre de l\u2019\u00c9conomie a d\u00e9fendu mardi la r\u00e9forme des retraites devant "
        "l\u2019Assembl\u00e9e nationale, o\u00f9 l\u2019opposition a d\u00e9pos\u00e9 plus de mille amendements.",
        "\u00ab Nous ne reculerons pas \u00bb, a d\u00e9clar\u00e9 le ministre, qui estime le co\u00fbt du "
        "syst\u00e8me actuel \u00e0 12 milliards d\u2019euros \u2014 un chiffre contest\u00e9 par les syndicats.",
        "Les syndicats appellent \u00e0 une nouvelle journ\u00e9e de gr\u00e8ve jeudi dans les transports et "
        "les \u00e9coles, la troisi\u00e8me depuis le d\u00e9but du mois de janvier.",
        "Le texte doit \u00eatre vot\u00e9 avant la fin du mois, selon le calendrier fix\u00e9 par le "
        "gouvernement, qui n\u2019exclut pas un recours \u00e0 une proc\u00e9dure acc\u00e9l\u00e9r\u00e9e.",
    ]
    page = article_page(paras, charset=label).replace('lang="en"', 'lang="fr"')
    raw = page.encode("cp1252")  # curly quotes, dash and euro-zone accents: bytes 0x80-0xFF
    assert b"\x92" in raw and b"\xe9" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    out = extract_html(raw)
    for p in paras:
        assert p in out["text"]
    assert "\ufffd" not in out["text"]
    assert out["language"] == "fr"


def test_utf8_page_mislabelled_as_latin1_is_read_as_utf8():
    raw = article_page(charset="iso-8859-1").encode("utf-8")
    assert "\u201cWe cannot keep paying" in decode_html(raw)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 500,
        b"\x1f\x8b\x08\x00" + bytes(200),
        "<html><body>\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12</body></html>".encode() * 3,
    ],
    ids=["noise", "png", "gzip", "control-bytes"],
)
def test_binary_input_is_refused(data):
    with pytest.raises(ValueError, match="not HTML"):
        extract_html(data)


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", "", "\ufeff  "])
def test_empty_input_is_refused(data):
    with pytest.raises(ValueError, match="empty"):
        extract_html(data)


def test_text_without_markup_is_refused():
    with pytest.raises(ValueError, match="no HTML markup"):
        extract_html(b"Just a plain sentence about an election, with no tags at all.\n")


def test_page_without_article_text():
    page = (
        "<html><head><title>Menu</title></head><body><nav><ul>"
        + "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(8))
        + "</ul></nav><script>var x = 1;</script></body></html>"
    )
    with pytest.raises(ValueError, match="^no article text found in HTML$"):
        extract_html(page)


# --------------------------------------------------------------------------- WARC


def _html_doc(n: int) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in BODY_PARAGRAPHS)
    return f"<html><head><title>Page {n}</title></head><body><article>{paras}</article></body></html>".encode()


def write_warc(path: Path, records: list[tuple[str, str, bytes]], gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for url, ctype, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(rec)


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_warc_html_responses_only(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    records = [
        ("https://courier.example/a", "text/html; charset=utf-8", _html_doc(1)),
        ("https://courier.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        ("https://courier.example/b", "text/html", _html_doc(2)),
    ]
    write_warc(path, records, gz)
    got = list(iter_warc(path))
    assert [type(g) for g in got] == [dict, dict]
    assert [g["url"] for g in got] == ["https://courier.example/a", "https://courier.example/b"]
    assert got[0]["html"] == _html_doc(1) and got[1]["html"] == _html_doc(2)
    for g in got:
        assert set(g) == {"url", "html", "warc_date", "record_id"}
        assert g["warc_date"][:4].isdigit() and g["record_id"].startswith("<urn:uuid:")
    assert got[0]["record_id"] != got[1]["record_id"]
    assert BODY_PARAGRAPHS[0] in extract_html(got[0]["html"], got[0]["url"])["text"]


def _offsets(path: Path) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        return [it.offset for _ in it]


def test_truncated_warc_gz_keeps_good_records_and_reports_damage(tmp_path):
    path = tmp_path / "cut.warc.gz"
    urls = [f"https://courier.example/{i}" for i in range(3)]
    write_warc(path, [(u, "text/html", _html_doc(i)) for i, u in enumerate(urls)], gz=True)
    third = _offsets(path)[2]
    data = path.read_bytes()
    path.write_bytes(data[: third + (len(data) - third) // 2])  # cut inside the third record

    got = list(iter_warc(path))
    good = [g for g in got if isinstance(g, dict)]
    bad = [g for g in got if isinstance(g, WarcError)]
    assert [g["url"] for g in good] == urls[:2]
    assert good[1]["html"] == _html_doc(1)
    assert len(bad) == 1 and got[-1] is bad[0]  # the damage comes after the good records
    err = bad[0]
    assert isinstance(err, ValueError)
    assert err.path == str(path) and err.offset == third
    assert "truncated" in err.problem or "unreadable" in err.problem
    assert str(path) in str(err) and f"offset {third}" in str(err)


def test_truncated_plain_warc_reports_damage(tmp_path):
    path = tmp_path / "cut.warc"
    write_warc(path, [(f"https://courier.example/{i}", "text/html", _html_doc(i)) for i in range(2)], gz=False)
    second = _offsets(path)[1]
    data = path.read_bytes()
    path.write_bytes(data[:-200])
    got = list(iter_warc(path))
    assert isinstance(got[0], dict) and got[0]["url"] == "https://courier.example/0"
    assert isinstance(got[1], WarcError) and got[1].offset == second
    assert "truncated" in got[1].problem and len(got) == 2


def test_corrupt_gzip_member_is_skipped_and_reading_goes_on(tmp_path):
    path = tmp_path / "mid.warc.gz"
    urls = [f"https://courier.example/{i}" for i in range(3)]
    write_warc(path, [(u, "text/html", _html_doc(i)) for i, u in enumerate(urls)], gz=True)
    offsets = _offsets(path)
    data = bytearray(path.read_bytes())
    mid = (offsets[1] + offsets[2]) // 2
    data[mid:mid + 16] = b"\x00" * 16  # damage inside the second gzip member
    path.write_bytes(bytes(data))
    got = list(iter_warc(path))
    assert [g["url"] for g in got if isinstance(g, dict)] == [urls[0], urls[2]]
    errors = [g for g in got if isinstance(g, WarcError)]
    assert len(errors) == 1 and errors[0].offset == offsets[1]
    assert isinstance(got[1], WarcError)  # reported in file order


def test_corrupt_payload_fails_its_digest_and_reading_goes_on(tmp_path):
    path = tmp_path / "flip.warc"
    urls = [f"https://courier.example/{i}" for i in range(3)]
    write_warc(path, [(u, "text/html", _html_doc(i)) for i, u in enumerate(urls)], gz=False)
    offsets = _offsets(path)
    data = bytearray(path.read_bytes())
    at = data.index(b"ferry", offsets[1])  # inside the second record's payload, same length
    data[at:at + 5] = b"FERRY"
    path.write_bytes(bytes(data))
    got = list(iter_warc(path))
    assert isinstance(got[1], WarcError) and got[1].offset == offsets[1] and "digest" in got[1].problem
    assert got[1].url == urls[1]
    assert [g["url"] for g in got if isinstance(g, dict)] == [urls[0], urls[2]]


def test_file_that_is_not_a_warc(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_bytes(b"these are some notes, not an archive\n" * 5)
    got = list(iter_warc(path))
    assert len(got) == 1 and isinstance(got[0], WarcError) and got[0].offset == 0


# --------------------------------------------------------------------------- benchmark


@pytest.mark.slow
def test_zyte_benchmark_floor_and_beats_trafilatura():
    from dyad.evaluate.extraction import evaluate_extraction

    report = evaluate_extraction(str(ZYTE))
    assert report["pages"] == 181
    dyad, traf = report["dyad"], report["trafilatura_live"]
    assert dyad["f1"] >= 0.978
    assert dyad["f1"] > traf["f1"]
    assert report["tools"]["trafilatura"]["f1"] == pytest.approx(0.958, abs=0.001)  # the published figure
