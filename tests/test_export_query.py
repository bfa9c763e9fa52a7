"""Exports (Parquet, GDELT 2.0, PLOVER JSON) and queries (events, dyads, timeline) on a real database."""
import csv
import io
import json
import subprocess
import sys
from dataclasses import replace

import duckdb
import pytest

from dyad import query
from dyad.errors import ConfigError
from dyad.export import GDELT_COLUMNS, export, split_actor_code
from dyad.ingest import ingest
from dyad.pipeline import Pipeline
from dyad.store import Store

from test_ingest_scale import write_patterns

ARTICLES = [
    {"id": "r1", "outlet": "VOA", "published": "2021-01-09", "url": "https://voa.example/r1",
     "text": "Russia imposed sanctions on Ukraine on Friday. Officials in Kyiv called the measures unlawful."},
    {"id": "r2", "outlet": "Reuters", "published": "2021-01-09", "url": "https://reuters.example/r2",
     "text": "Moscow moved at dawn. In a statement, Russia imposed sanctions on Ukraine on Friday, the ministry "
             "said, citing security concerns raised over several months."},
    {"id": "r3", "outlet": "AP", "published": "2021-03-06",
     "text": "Russia imposed sanctions on Ukraine on Friday for the second time this year, diplomats said."},
    {"id": "r4", "outlet": "Reuters", "published": "2021-03-06",
     "text": "Japan condemned China on Friday over the collision near the disputed islands, the ministry said."},
    {"id": "r5", "outlet": "BBC", "published": "2021-02-13",
     "text": "The French president visited Germany on Friday for a day of talks on energy prices."},
    {"id": "r6", "outlet": "BBC", "published": "2021-03-13",
     "text": "Ukraine condemned Russia on Friday, a spokesman for the foreign ministry said in Kyiv."},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline):
    folder = tmp_path_factory.mktemp("eq")
    verbs = write_patterns(folder / "patterns")
    coder = Pipeline(replace(pipeline.settings, pattern_files=(str(verbs),), n_process=1))
    coder._nlp = pipeline.nlp
    src = folder / "news.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    path = folder / "eq.duckdb"
    s = ingest([str(src)], str(path), settings=coder.settings, pipeline=coder)
    assert s.articles == len(ARTICLES) and s.failures == 0
    return path


def merged_count(db) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM merged_events").fetchone()[0]
    finally:
        con.close()


# --- queries ------------------------------------------------------------------------------------
def test_events_merged_across_articles_with_counts(db):
    rows = query.events(db, source="RUS", target="UKR", cameo="163")
    assert [(r["date"], r["num_articles"], r["num_sources"]) for r in rows] == [("2021-01-08", 2, 2),
                                                                                  ("2021-03-05", 1, 1)]
    assert rows[0]["evidence"] and rows[0]["article_id"] in ("r1", "r2")
    mentions = query.events(db, source="RUS", target="UKR", cameo="163", period="2021-01", mentions=True)
    assert sorted(m["article_id"] for m in mentions) == ["r1", "r2"]
    assert all("Russia imposed sanctions on Ukraine" in m["evidence"] for m in mentions)
    assert {m["outlet"] for m in mentions} == {"VOA", "Reuters"}


def test_event_filters(db):
    def codes(**kw):
        return sorted((r["source_code"], r["cameo"], r["target_code"], r["date"]) for r in query.events(db, **kw))

    assert codes(actor="JPN", cameo="11") == [("JPN", "111", "CHN", "2021-03-05")]
    assert all("JPN" in (s, t) for s, _, t, _ in codes(actor="JPN"))
    assert all("UKR" in (s, t) for s, _, t, _ in codes(actor="UKR")) and len(codes(actor="UKR")) >= 3
    assert codes(cameo="16") == codes(cameo="163") and len(codes(cameo="163")) == 2
    assert all(c.startswith("04") for _, c, _, _ in codes(cameo="04")) and codes(cameo="04")
    assert {c for _, c, _, _ in codes(quad_class=4)} >= {"163"} and not {c for _, c, _, _ in codes(quad_class=4)} & {
        "111", "042"}
    assert {c for _, c, _, _ in codes(quad_class=[1, 3])} >= {"111", "042"}
    assert [d for _, c, _, d in codes(period="2021-02")] == ["2021-02-12"]
    assert {d for *_, d in codes(period="2021-W01")} == {"2021-01-08"}
    assert {d for *_, d in codes(since="2021-03-01", until="2021-03-31")} == {"2021-03-05", "2021-03-12"}
    assert codes(outlet="bbc") == sorted(codes(outlet="BBC")) and {s for s, *_ in codes(outlet="BBC")} >= {"UKR"}
    assert ("JPN", "111", "CHN", "2021-03-05") in codes(text="collision near the disputed")
    assert all(s == "JPN" for s, *_ in codes(text="COLLISION near"))
    multi = query.events(db, min_articles=2)
    assert multi and all(r["num_articles"] >= 2 for r in multi)
    assert ("RUS", "163", "UKR", "2021-01-08") in codes(min_articles=2)
    assert ("RUS", "163", "UKR", "2021-03-05") not in codes(min_articles=2)
    assert query.events(db, limit=1) and len(query.events(db, limit=1)) == 1


def test_bad_filters_are_clear_errors(db, tmp_path):
    for kw, message in (({"cameo": "1x"}, "invalid CAMEO code"), ({"quad_class": 7}, "invalid QuadClass"),
                        ({"period": "2021-13"}, "invalid period"), ({"since": "yesterday"}, "invalid since date"),
                        ({"actor": "U$A"}, "invalid actor code")):
        with pytest.raises(ConfigError, match=message):
            query.events(db, **kw)
    with pytest.raises(ConfigError, match="no such database"):
        query.events(tmp_path / "missing.duckdb")


def test_dyads_by_count_and_mean_goldstein(db):
    top = query.dyads(db, cameo="16")[0]
    assert (top["source_code"], top["target_code"], top["events"], top["articles"]) == ("RUS", "UKR", 2, 3)
    assert top["mean_goldstein"] == pytest.approx(-8.0) and top["q4"] == 2 and top["q1"] == 0
    assert str(top["first_date"]) == "2021-01-08" and str(top["last_date"]) == "2021-03-05"
    criticism = {(r["source_code"], r["target_code"]): r for r in query.dyads(db, cameo="11")}
    assert criticism[("JPN", "CHN")]["q3"] == 1 and criticism[("JPN", "CHN")]["mean_goldstein"] == pytest.approx(-2.0)
    assert ("UKR", "RUS") in criticism
    rows = query.dyads(db, limit=None)
    assert [r["events"] for r in rows] == sorted((r["events"] for r in rows), reverse=True)
    hostile = query.dyads(db, order="goldstein")
    assert hostile[0]["mean_goldstein"] == min(r["mean_goldstein"] for r in rows)
    assert {r["source_code"] for r in query.dyads(db, source="JPN")} == {"JPN"}


def test_timeline_by_month_and_week(db):
    rows = query.timeline(db, "RUS", "UKR", by="month", cameo="16")
    assert [(str(r["period"]), r["events"], r["articles"], r["q4"]) for r in rows] == [
        ("2021-01-01", 1, 2, 1), ("2021-02-01", 0, 0, 0), ("2021-03-01", 1, 1, 1)]
    assert rows[0]["mean_goldstein"] == pytest.approx(-8.0) and rows[1]["mean_goldstein"] is None
    both = query.timeline(db, "RUS", "UKR", by="month", both=True, quad_class=[3, 4])
    march = [r for r in both if str(r["period"]) == "2021-03-01"][0]
    assert march["events"] >= 2 and march["q3"] >= 1 and march["q4"] == 1
    weeks = query.timeline(db, "RUS", "UKR", by="week", cameo="16")
    assert str(weeks[0]["period"]) == "2021-01-04" and str(weeks[-1]["period"]) == "2021-03-01"
    assert len(weeks) == 9 and sum(w["events"] for w in weeks) == 2
    assert query.timeline(db, "USA", "CHN") == []
    with pytest.raises(ConfigError, match="expected week or month"):
        query.timeline(db, "RUS", "UKR", by="day")


# --- exports ------------------------------------------------------------------------------------
def test_parquet_partitioned_by_month_reads_back(db, tmp_path):
    out = tmp_path / "pq"
    n = export(db, "parquet", out)
    assert n == merged_count(db) > 0
    months = sorted(p.name for p in out.iterdir())
    assert {"month=2021-01", "month=2021-02", "month=2021-03"} <= set(months)
    con = duckdb.connect()
    rows = con.execute(f"SELECT count(*), count(DISTINCT merged_id) FROM read_parquet('{out}/**/*.parquet', "
                       "hive_partitioning = true)").fetchone()
    assert rows == (n, n)
    r = con.execute(f"SELECT num_articles, len(sources), len(mentions), month FROM read_parquet('{out}/**/*.parquet', "
                    "hive_partitioning = true) WHERE source_code = 'RUS' AND date = '2021-01-08'").fetchone()
    assert r == (2, 2, 2, "2021-01")


def test_gdelt_export_has_61_columns_in_order(db, tmp_path):
    out = tmp_path / "events.tsv"
    n = export(db, "gdelt", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert n == len(lines) == merged_count(db)
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 61 for r in rows) and len(GDELT_COLUMNS) == 61
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    assert GDELT_COLUMNS[:3] == ["GLOBALEVENTID", "SQLDATE", "MonthYear"] and GDELT_COLUMNS[-1] == "SOURCEURL"
    assert col["EventCode"] == 26 and col["NumArticles"] == 33 and col["ActionGeo_Long"] == 57
    jan = [r for r in rows if r[col["SQLDATE"]] == "20210108" and r[col["EventCode"]] == "163"]
    assert len(jan) == 1
    r = jan[0]
    assert (r[col["Actor1Code"]], r[col["Actor1CountryCode"]], r[col["Actor2Code"]]) == ("RUS", "RUS", "UKR")
    assert (r[col["EventBaseCode"]], r[col["EventRootCode"]], r[col["QuadClass"]]) == ("163", "16", "4")
    assert (r[col["NumMentions"]], r[col["NumSources"]], r[col["NumArticles"]]) == ("2", "2", "2")
    assert r[col["GoldsteinScale"]] == "-8" and r[col["IsRootEvent"]] in ("0", "1") and r[col["AvgTone"]] == ""
    assert r[col["SOURCEURL"]] in ("https://voa.example/r1", "https://reuters.example/r2")
    assert r[col["MonthYear"]] == "202101" and r[col["Year"]] == "2021" and r[col["FractionDate"]].startswith("2021.0")
    assert len(r[col["DATEADDED"]]) == 14 and int(r[col["GLOBALEVENTID"]]) > 0
    visit = [r for r in rows if r[col["EventCode"]] == "042"][0]
    assert visit[col["Actor1Type1Code"]] == "GOV" and visit[col["Actor1CountryCode"]] == "FRA"


def test_actor_code_parts():
    assert split_actor_code("USAGOV") == {"country": "USA", "group": None, "religions": [], "roles": ["GOV"]}
    assert split_actor_code("IGOUNO") == {"country": None, "group": "UNO", "religions": [], "roles": ["IGO"]}
    assert split_actor_code("IRQMOSSHI")["religions"] == ["MOS", "SHI"]


def test_plover_json_lines_and_array(db, tmp_path):
    out = tmp_path / "events.jsonl"
    n = export(db, "plover", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == n == merged_count(db)
    sanction = [r for r in records if r["cameo"] == "163" and r["date"] == "2021-01-08"][0]
    assert sanction["event_type"] == "COERCE" and isinstance(sanction["context"], list)
    assert sanction["actor"]["code"] == "RUS" and sanction["recipient"]["code"] == "UKR"
    assert sanction["actor"]["country"] == "RUS" and sanction["date_precision"] == "day"
    assert sanction["num_articles"] == 2 and {s["outlet"] for s in sanction["sources"]} == {"VOA", "Reuters"}
    assert len(sanction["evidence"]) == 2 and all("sanctions" in e["text"] for e in sanction["evidence"])
    array = tmp_path / "events.json"
    assert export(db, "plover", array) == n
    assert json.loads(array.read_text(encoding="utf-8")) == records


def test_export_refuses_a_bad_format_or_target(db, tmp_path):
    with pytest.raises(ConfigError, match="invalid export format"):
        export(db, "xml", tmp_path / "x")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ConfigError, match="not a folder"):
        export(db, "parquet", tmp_path / "afile")


# --- the command line ---------------------------------------------------------------------------
def run(*args):
    return subprocess.run([sys.executable, "-m", "dyad.cli", *args], capture_output=True, text=True, timeout=300)


def test_cli_queries_and_export(db, tmp_path):
    p = run("events", "--db", str(db), "--source", "RUS", "--cameo", "16", "--format", "json")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert [(r["date"], r["num_articles"]) for r in rows] == [("2021-01-08", 2), ("2021-03-05", 1)]
    p = run("timeline", "RUS", "UKR", "--db", str(db), "--by", "month", "--cameo", "16", "--format", "csv")
    assert p.returncode == 0, p.stderr
    table = list(csv.DictReader(io.StringIO(p.stdout)))
    assert list(table[0]) == ["period", "events", "articles", "q1", "q2", "q3", "q4", "mean_goldstein"]
    assert [(t["period"], t["events"]) for t in table] == [("2021-01-01", "1"), ("2021-02-01", "0"),
                                                           ("2021-03-01", "1")]
    p = run("timeline", "RUS", "UKR", "--db", str(db))
    assert p.returncode == 0 and "2021-02-01" in p.stdout and "mean_goldstein" in p.stdout
    p = run("dyads", "--db", str(db), "--cameo", "16", "--format", "jsonl", "--limit", "1")
    assert p.returncode == 0 and json.loads(p.stdout)["source_code"] == "RUS"
    out = tmp_path / "g.tsv"
    p = run("export", "--format", "gdelt", "--db", str(db), "--out", str(out))
    assert p.returncode == 0 and p.stdout.startswith(f"{merged_count(db)} events written")
    p = run("events", "--db", str(db), "--cameo", "abc")
    assert p.returncode != 0 and "invalid CAMEO code 'abc'" in p.stderr and "Traceback" not in p.stderr
    p = run("events", "--db", str(tmp_path / "none.duckdb"))
    assert p.returncode != 0 and "no such database" in p.stderr


def test_reader_sees_only_committed_articles_while_a_writer_works(tmp_path, pipeline):
    """In one process, a reader connection sees an article once its transaction commits, whole."""
    from dyad.readers import read_text

    article = read_text("Japan condemned China on Friday over the naval incident.", id="live",
                        published="2021-03-06")
    result = pipeline.code_article(article)
    with Store(tmp_path / "w.duckdb") as writer:
        reader = writer.reader()
        assert query.events(reader) == [] and reader.counts()["articles"] == 0
        writer.con.execute("BEGIN TRANSACTION")
        writer.con.execute("INSERT INTO articles (id, text) VALUES ('half', 'x')")
        assert reader.counts()["articles"] == 0  # not committed: invisible
        writer.con.execute("ROLLBACK")
        assert writer.add_result(result)
        assert reader.counts()["articles"] == 1
        assert reader.counts()["events"] == len(result.events)
        reader.close()
