"""The DuckDB store and the command line, on real files and a real database."""
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dyad.readers import read_path
from dyad.store import Store

from conftest import EXAMPLE, ROOT

DYAD = [sys.executable, "-m", "dyad.cli"]


def run(*args, stdin=None, cwd=None):
    return subprocess.run(DYAD + list(args), capture_output=True, text=True, input=stdin, cwd=cwd, timeout=600)


def test_store_is_idempotent_and_replaces_changed_articles(tmp_path, sample_result):
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        assert store.add_result(sample_result) is True
        first = store.counts()
        assert store.add_result(sample_result) is False
        assert store.counts() == first
        assert first["articles"] == 1 and first["events"] == len(sample_result.events)
        assert first["quotes"] == len(sample_result.quotes) and first["actors"] == len(sample_result.actors)
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("SELECT source_code, target_code, cameo, date, evidence FROM events ORDER BY seq LIMIT 1").fetchone()
    assert row[0] and row[2] and row[4]
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] >= 1
    con.close()


def test_cli_code_json_shape():
    p = run("code", "--format", "json", "--published", "2020-07-07", str(EXAMPLE))
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert set(d) == {"article", "events", "quotes", "actors"}
    assert d["article"]["title"] == "North Korea Rules Out Talks, as US Diplomat Visits Seoul"
    assert d["article"]["published"] == "2020-07-07" and d["article"]["id"] == str(EXAMPLE)
    e = d["events"][0]
    for key in ("source", "target", "cameo", "plover", "quad_class", "goldstein", "date", "date_precision",
                "date_text", "negated", "evidence", "start", "end"):
        assert key in e
    assert set(e["source"]) >= {"code", "name", "text"} and isinstance(e["cameo"], str)
    assert d["article"]["text"][e["start"]:e["end"]] == e["evidence"]
    q = d["quotes"][0]
    assert {"text", "kind", "speaker", "start", "end"} <= set(q) and {"name", "code"} <= set(q["speaker"])
    assert {"name", "code", "kind"} <= set(d["actors"][0])


def test_cli_jsonl_keeps_input_order_and_ids(tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in [
        {"id": "z9", "text": "Japan protested to China over the incident on Monday.", "published": "2021-03-02"},
        {"id": "a1", "text": "Russia imposed sanctions on Ukraine on Friday.", "published": "2021-03-06"},
    ]), encoding="utf-8")
    other = tmp_path / "x.txt"
    other.write_text("Turkey shelled Kurdish positions in Syria on Tuesday.", encoding="utf-8")
    p = run("code", "--format", "jsonl", "--published", "2021-03-03", str(dump), str(other))
    assert p.returncode == 0, p.stderr
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    assert [l["article"]["id"] for l in lines] == ["z9", "a1", str(other)]
    assert lines[1]["article"]["published"] == "2021-03-06" and lines[2]["article"]["published"] == "2021-03-03"


def test_cli_stdin_and_csv():
    p = run("code", "--format", "csv", "--published", "2021-03-03", "-",
            stdin="Russia imposed sanctions on Ukraine on Friday.")
    assert p.returncode == 0, p.stderr
    head, *rows = p.stdout.splitlines()
    assert head.startswith("article_id,date,") and rows and "RUS" in rows[0]


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    (b"", "empty file"),
    (b"\x00\x01\x02binary\x00", "binary file"),
    (b"caf\xe9 au lait " * 5, "invalid UTF-8"),
])
def test_cli_bad_input_one_line_error(tmp_path, content, message):
    f = tmp_path / "input.txt"
    if content is not None:
        f.write_bytes(content)
    p = run("code", str(f))
    assert p.returncode != 0
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and message in err[0] and str(f) in err[0], p.stderr
    assert "Traceback" not in p.stderr


def test_cli_bad_date_and_empty_directory(tmp_path):
    p = run("code", "--published", "2020-31-12", str(EXAMPLE))
    assert p.returncode != 0 and "invalid --published date '2020-31-12'" in p.stderr and "Traceback" not in p.stderr
    (tmp_path / "empty").mkdir()
    p = run("code", str(tmp_path / "empty"))
    assert p.returncode != 0 and "no article files" in p.stderr


def test_cli_multi_file_run_goes_on_after_a_bad_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00\x00")
    good = tmp_path / "good.txt"
    good.write_text("Iran rejected talks with the United States on Sunday.", encoding="utf-8")
    p = run("code", "--format", "jsonl", "--published", "2021-03-03", str(bad), str(good))
    assert p.returncode == 1
    assert len(p.stdout.splitlines()) == 1 and json.loads(p.stdout)["article"]["id"] == str(good)
    assert "binary file" in p.stderr


def test_cli_ingest_twice_adds_nothing(tmp_path):
    db = tmp_path / "i.duckdb"
    p1 = run("ingest", "--quiet", "--published", "2020-07-07", "--db", str(db), str(EXAMPLE))
    assert p1.returncode == 0, p1.stderr
    con = duckdb.connect(str(db), read_only=True)
    counts1 = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events", "quotes")]
    con.close()
    p2 = run("ingest", "--quiet", "--published", "2020-07-07", "--db", str(db), str(EXAMPLE))
    assert p2.returncode == 0 and "1 already there" in p2.stdout
    con = duckdb.connect(str(db), read_only=True)
    counts2 = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events", "quotes")]
    assert counts1 == counts2 and counts1[0] == 1 and counts1[1] > 0
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    con.close()


def test_cli_ingest_records_failures_and_goes_on(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Egypt hosted talks between Israel and Hamas in Cairo.", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_bytes(b"\xff\xfe\x00garbage\x00")
    db = tmp_path / "f.duckdb"
    p = run("ingest", "--quiet", "--published", "2021-01-01", "--db", str(db), str(tmp_path / "in"))
    assert p.returncode == 0, p.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    fails = con.execute("SELECT input, stage, error FROM failures").fetchall()
    assert len(fails) == 1 and fails[0][0].endswith("b.txt") and "binary" in fails[0][2]
    con.close()


def test_actors_command_explains_dated_roles():
    p = run("actors", "Joe Biden", "--date", "2020-05-01")
    assert p.returncode == 0, p.stderr
    assert "Joe Biden -> USAELI" in p.stdout and "USAGOV" in p.stdout  # the roles listed
    p = run("actors", "Joe Biden", "--date", "2022-05-01")
    assert "Joe Biden -> USAGOV" in p.stdout


def test_quotes_query_by_speaker_about_and_period(tmp_path, sample_result):
    from dyad.query import quotes
    from dyad.store import Store

    db = tmp_path / "q.duckdb"
    with Store(db) as store:
        store.add_result(sample_result)
    rows = quotes(str(db), speaker="PRK", about="KOR", since="2020-06")
    assert rows and all(r["speaker_code"].startswith("PRK") for r in rows)
    assert all(any(c.startswith("KOR") for c in r["about"]) for r in rows)
    assert any(r["text"].startswith("Irony is that the South") for r in rows)
    assert quotes(str(db), speaker="PRK", since="2021-01") == []
    p = run("quotes", "--db", str(db), "--speaker", "KORGOV", "--format", "json")
    assert p.returncode == 0, p.stderr
    said = json.loads(p.stdout)
    assert said and all(r["speaker_code"] == "KORGOV" for r in said)


def test_eval_seed_command_reports_pinned_scores():
    p = run("eval", "seed", "--format", "json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["events"]["recall"] >= 1.0 and d["events"]["precision"] >= 0.9
    assert d["quotes"]["right_speaker"] == d["quotes"]["total"] == 10


def test_every_command_and_setting_is_documented():
    from dyad.cli import main as cli
    from dyad.config import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"dyad {name}" in readme, f"dyad {name} is not in the README"
    for env in ("DYAD_MODEL", "DYAD_ACTOR_FILES"):
        assert env in readme
    assert "model" in Settings.__dataclass_fields__


def test_csv_and_configurable_fields(tmp_path):
    csv_file = tmp_path / "dump.csv"
    csv_file.write_text('doc_id,body,date\nx1,"Russia imposed sanctions on Ukraine on Friday, officials said.",2021-03-06\n'
                        'x2,"Japan protested to China over the incident on Monday.",2021-03-02\n', encoding="utf-8")
    p = run("code", "--format", "jsonl", "--field", "id=doc_id", "--field", "text=body", "--field", "published=date",
            str(csv_file))
    assert p.returncode == 0, p.stderr
    rows = [json.loads(l) for l in p.stdout.splitlines()]
    assert [r["article"]["id"] for r in rows] == ["x1", "x2"] and rows[0]["article"]["published"] == "2021-03-06"
    p = run("code", str(csv_file))
    assert p.returncode != 0 and "no 'text' column" in p.stderr and "--field text=COLUMN" in p.stderr
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text(json.dumps({"key": "k1", "content": "Iran rejected talks with the United States on Sunday."}),
                     encoding="utf-8")
    db = tmp_path / "f.duckdb"
    p = run("ingest", "--quiet", "--published", "2021-01-05", "--db", str(db), "--field", "id=key",
            "--field", "text=content", str(jsonl))
    assert p.returncode == 0, p.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT id FROM articles").fetchall() == [("k1",)]
    con.close()
