"""Ingest at scale: deduplication, merged events, failures in a batch, idempotence, crash recovery.

Real DuckDB files, the real spaCy model (session fixture ``pipeline``), real subprocesses killed
with SIGKILL. Event patterns come from a small verb file written here, so the tests do not depend
on the packaged pattern lists.
"""
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from dyad import dedup
from dyad.ingest import ingest
from dyad.pipeline import Pipeline
from dyad.store import MIGRATIONS, Store

VERBS = """cameo\tverb\tobject\ttarget\tnote
163\timpose\tsanction|embargo\tprep:on\tRussia imposed sanctions on Ukraine
111\tcondemn\t\tdobj\tJapan condemned China
111\tcriticize\t\tdobj\t
042\tvisit\t\tdobj\tThe French president visited Germany
"""
PUBLISHED = "2021-03-06"  # a Saturday: "on Friday" is 2021-03-05
COUNTRIES = ["Russia", "Ukraine", "Japan", "China", "France", "Germany", "Iran", "Israel", "Turkey", "Egypt",
             "India", "Pakistan", "Brazil", "Mexico", "Canada", "Australia", "Italy", "Spain", "Poland", "Sweden"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
FILLER = [
    "Officials said {a} companies would be affected by the measures announced in district {b}.",
    "The statement listed {a} names and {b} bank accounts linked to the dispute over route {c}.",
    "Analysts at institute number {a} expected trade worth {b} million dollars to fall by {c} percent.",
    "A spokesman added that the talks planned for week {a} had been put off until session {b}.",
    "Local newspapers counted {a} protesters near gate {b} and {c} police vehicles on the avenue.",
    "The central bank held reserves of {a} billion in account {b}, according to filing {c}.",
    "Diplomats from {a} embassies met in hall {b} to compare notes on clause {c}.",
    "Shipping data showed {a} tankers waiting at berth {b} for inspection number {c}.",
]


def write_patterns(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "verbs_test.tsv"
    path.write_text(VERBS, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def verb_file(tmp_path_factory):
    return write_patterns(tmp_path_factory.mktemp("patterns"))


@pytest.fixture(scope="session")
def coder(pipeline, verb_file):
    """The session pipeline (same loaded model) with the test verb patterns added."""
    p = Pipeline(replace(pipeline.settings, pattern_files=(str(verb_file),), n_process=1, batch_size=4))
    p._nlp = pipeline.nlp
    return p


def synthetic_article(n: int, sentences: int = 6, seed: int = 0) -> str:
    """An article with two coded events and filler whose numbers make it unlike any other."""
    rng = random.Random(seed * 1000 + n)
    a, b = COUNTRIES[n % 20], COUNTRIES[(n * 7 + 3) % 20]
    if a == b:
        b = COUNTRIES[(n + 1) % 20]
    c, d = COUNTRIES[(n * 3 + 1) % 20], COUNTRIES[(n * 11 + 5) % 20]
    if c == d:
        d = COUNTRIES[(n + 2) % 20]
    out = [f"{a} imposed sanctions on {b} on {DAYS[n % 5]}.", f"{c} condemned {d} on {DAYS[(n + 2) % 5]}."]
    for i in range(sentences - 2):
        out.append(FILLER[(n + i) % len(FILLER)].format(a=rng.randint(100, 99999), b=rng.randint(100, 99999),
                                                         c=rng.randint(100, 99999)))
    return " ".join(out[:1] + out[2:4] + out[1:2] + out[4:])


def make_corpus(folder: Path) -> dict[str, object]:
    """40 distinct articles, two exact copies, one near copy of a long article, one binary file."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(40):
        text = synthetic_article(n, sentences=22 if n == 7 else 6)
        (folder / f"art{n:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "copy_of_03.txt").write_text((folder / "art03.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "copy_of_21.txt").write_text(
        "  " + (folder / "art21.txt").read_text(encoding="utf-8").replace(" ", "  ") + "\n", encoding="utf-8")
    long = (folder / "art07.txt").read_text(encoding="utf-8")
    sents = re.split(r"(?<=\.) ", long)
    sents[12] = "A senior official told reporters that the committee would publish its findings next spring."
    (folder / "wire_07.txt").write_text(" ".join(sents), encoding="utf-8")
    (folder / "zz_image.txt").write_bytes(bytes(range(256)) * 8)
    return {"kept": 40, "exact": 2, "near": 1, "failures": 1, "documents": 44}


# --- the MinHash itself ------------------------------------------------------------------------
def test_minhash_separates_copies_from_other_articles_and_is_stable_across_processes():
    long = synthetic_article(7, sentences=22)
    sents = re.split(r"(?<=\.) ", long)
    edited = " ".join(sents[:12] + ["An entirely new sentence about something else replaced this one."] + sents[13:])
    other = synthetic_article(8, sentences=22)
    s_long, s_edit, s_other = (dedup.signature(t) for t in (long, edited, other))
    assert dedup.similarity(s_long, s_edit) >= 0.8
    assert dedup.similarity(s_long, s_other) < 0.3
    assert set(dedup.band_keys(s_long)) & set(dedup.band_keys(s_edit))
    assert not set(dedup.band_keys(s_long)) & set(dedup.band_keys(s_other))
    code = ("import sys, json; from dyad import dedup; t = sys.stdin.read(); "
            "print(json.dumps([dedup.signature(t).tolist(), dedup.band_keys(dedup.signature(t))]))")
    p = subprocess.run([sys.executable, "-c", code], input=long, capture_output=True, text=True, timeout=120)
    sig, keys = json.loads(p.stdout)
    assert sig == s_long.tolist() and keys == dedup.band_keys(s_long)


# --- deduplication and merged events ----------------------------------------------------------
def jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_exact_and_near_duplicates_are_stored_once_and_linked(tmp_path, coder):
    long = synthetic_article(7, sentences=22)
    sents = re.split(r"(?<=\.) ", long)
    wire = " ".join(sents[:12] + ["A senior official told reporters the committee would publish findings soon."]
                    + sents[13:])
    other = synthetic_article(9, sentences=22)
    db = tmp_path / "d.duckdb"
    first = jsonl(tmp_path / "one.jsonl", [
        {"id": "orig", "text": long, "outlet": "Reuters", "published": PUBLISHED, "url": "https://r.example/1"}])
    s1 = ingest([str(first)], str(db), settings=coder.settings, pipeline=coder)
    assert s1.articles == 1 and s1.duplicates == 0
    later = jsonl(tmp_path / "two.jsonl", [
        {"id": "exact", "text": long, "outlet": "Daily Star", "published": PUBLISHED},
        {"id": "wire", "text": wire, "outlet": "The Globe", "published": "2021-03-07"},
        {"id": "other", "text": other, "outlet": "The Globe", "published": PUBLISHED},
        # a copy of an article of this same batch, still in flight when the copy arrives
        {"id": "other-copy", "text": other, "outlet": "Herald", "published": PUBLISHED},
    ])
    s2 = ingest([str(later)], str(db), settings=coder.settings, pipeline=coder)
    assert (s2.articles, s2.exact, s2.near) == (1, 2, 1), s2.line()
    with Store(db, read_only=True) as store:
        assert [r["id"] for r in store.query("SELECT id FROM articles ORDER BY id")] == ["orig", "other"]
        dups = {r["article_id"]: r for r in store.query("SELECT * FROM duplicates")}
        assert set(dups) == {"exact", "wire", "other-copy"}
        assert dups["exact"]["kept_id"] == "orig" and dups["exact"]["kind"] == "exact"
        assert dups["exact"]["similarity"] == 1.0 and dups["exact"]["outlet"] == "Daily Star"
        assert dups["wire"]["kept_id"] == "orig" and dups["wire"]["kind"] == "near"
        assert 0.8 <= dups["wire"]["similarity"] < 1.0 and dups["wire"]["outlet"] == "The Globe"
        assert dups["other-copy"]["kept_id"] == "other" and dups["other-copy"]["kind"] == "exact"
        # the copies count as articles and sources of the kept article's events
        merged = store.query("SELECT m.* FROM merged_events m JOIN events e USING (merged_id) "
                             "WHERE e.article_id = 'orig' AND m.cameo = '163'")
        assert merged and merged[0]["num_articles"] == 3 and merged[0]["num_sources"] == 3
        assert merged[0]["source_url"] == "https://r.example/1"
        assert store.verify() == []


def test_same_event_in_two_articles_is_one_merged_event(tmp_path, coder):
    a = "Russia imposed sanctions on Ukraine on Friday. Officials in Kyiv called the measures unlawful and unjust."
    b = ("Moscow announced new measures at dawn. In a statement, Russia imposed sanctions on Ukraine on Friday, "
         "the ministry said, citing security concerns raised over several months.")
    c = "Japan condemned China on Friday over the collision near the disputed islands, the ministry said."
    db = tmp_path / "m.duckdb"
    src = jsonl(tmp_path / "m.jsonl", [
        {"id": "a", "text": a, "outlet": "VOA", "published": PUBLISHED},
        {"id": "b", "text": b, "outlet": "Reuters", "published": PUBLISHED},
        {"id": "c", "text": c, "outlet": "Reuters", "published": PUBLISHED}])
    s = ingest([str(src)], str(db), settings=coder.settings, pipeline=coder)
    assert s.articles == 3 and s.duplicates == 0
    with Store(db, read_only=True) as store:
        rows = store.query("SELECT * FROM merged_events WHERE cameo = '163'")
        assert len(rows) == 1
        ev = rows[0]
        assert (ev["source_code"], ev["target_code"], ev["date"]) == ("RUS", "UKR", "2021-03-05")
        assert ev["num_articles"] == 2 and ev["num_sources"] == 2 and ev["num_mentions"] == 2
        assert ev["first_article_id"] in ("a", "b")
        evidence = {r["article_id"]: r["evidence"] for r in store.query(
            "SELECT article_id, evidence FROM events WHERE merged_id = ?", [ev["merged_id"]])}
        assert set(evidence) == {"a", "b"}
        assert evidence["a"].startswith("Russia imposed") and "Russia imposed sanctions" in evidence["b"]
        other = store.query("SELECT * FROM merged_events WHERE cameo = '111'")
        assert len(other) == 1 and other[0]["num_articles"] == 1
        assert store.verify() == []


def test_changed_article_replaces_its_events_and_merged_counts(tmp_path, coder):
    db = tmp_path / "r.duckdb"
    v1 = jsonl(tmp_path / "v1.jsonl", [
        {"id": "a", "text": "Russia imposed sanctions on Ukraine on Friday, officials said.", "outlet": "VOA",
         "published": PUBLISHED},
        {"id": "b", "text": "Russia imposed sanctions on Ukraine on Friday after a long dispute.", "outlet": "AP",
         "published": PUBLISHED}])
    ingest([str(v1)], str(db), settings=coder.settings, pipeline=coder)
    v2 = jsonl(tmp_path / "v2.jsonl", [
        {"id": "b", "text": "Japan condemned China on Friday over the naval incident.", "outlet": "AP",
         "published": PUBLISHED}])
    s = ingest([str(v2)], str(db), settings=coder.settings, pipeline=coder)
    assert s.articles == 1
    with Store(db, read_only=True) as store:
        sanctions = store.query("SELECT num_articles FROM merged_events WHERE cameo = '163'")
        assert sanctions == [{"num_articles": 1}]
        assert store.query("SELECT count(*) AS n FROM events WHERE article_id = 'b' AND cameo = '163'")[0]["n"] == 0
        assert store.verify() == []


# --- a batch with bad documents -----------------------------------------------------------------
def write_cut_warc(path: Path) -> None:
    """A gzipped WARC of three HTML pages, cut in the middle of the third record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        ends = []
        for n in range(3):
            paras = "".join(f"<p>{s}</p>" for s in re.split(r"(?<=\.) ", synthetic_article(60 + n, 8)))
            body = (f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>{paras}"
                    "</article></body></html>").encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://example.org/news/{n}", "response",
                                                          payload=io.BytesIO(body), http_headers=http))
            fh.flush()
            ends.append(fh.tell())
    data = path.read_bytes()
    path.write_bytes(data[: ends[1] + (ends[2] - ends[1]) // 2])


def stored_ids(store: Store) -> set[str]:
    return {r["id"] for r in store.query("SELECT id FROM articles")}


def test_bad_documents_land_in_failures_and_the_rest_is_stored(tmp_path, coder):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"good{n}.txt").write_text(synthetic_article(n), encoding="utf-8")
    (folder / "broken.html").write_text('<!DOCTYPE html><html><head><title>Breaking</title><script>var x = "<div>',
                                        encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Le ministre a déclaré que les négociations reprendraient.".encode("latin-1"))
    (folder / "program.bin").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    expected = {"broken.html": "no article text", "latin1.txt": "invalid UTF-8", "program.bin": "binary file",
                "empty.txt": "empty"}
    write_cut_warc(folder / "crawl.warc.gz")
    expected["crawl.warc.gz"] = "damaged WARC"
    db = tmp_path / "f.duckdb"
    s = ingest([str(folder)], str(db), settings=coder.settings, pipeline=coder)
    with Store(db, read_only=True) as store:
        stored = {Path(r["id"]).name for r in store.query("SELECT id FROM articles")}
        assert {"good0.txt", "good1.txt", "good2.txt"} <= stored
        fails = {Path(r["input"].split("#")[0]).name: r for r in store.query("SELECT * FROM failures")}
        assert {"https://example.org/news/0", "https://example.org/news/1"} <= stored_ids(store)
        assert "truncated" in fails["crawl.warc.gz"]["error"]
        for name, reason in expected.items():
            assert name in fails, (name, fails)
            assert reason in fails[name]["error"] and fails[name]["stage"] == "read", fails[name]
            assert "Traceback" not in fails[name]["error"]
        run = store.query("SELECT * FROM runs")[0]
        assert run["failures"] == s.failures >= len(expected) and run["articles"] == s.articles
        assert run["finished_at"] is not None and run["dyad_version"]
        assert json.loads(run["config"])["near_threshold"] == dedup.NEAR_THRESHOLD
    # a second run records each failure once, not twice
    ingest([str(folder)], str(db), settings=coder.settings, pipeline=coder)
    with Store(db, read_only=True) as store:
        n = store.query("SELECT count(*) AS n, count(DISTINCT input) AS d FROM failures")[0]
        assert n["n"] == n["d"]


# --- idempotence and crash recovery -----------------------------------------------------------
TABLES = ("articles", "duplicates", "actors", "events", "quotes", "merged_events", "event_sources", "minhashes",
          "minhash_bands", "failures")


def snapshot(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "counts": {t: q(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES},
            "articles": q("SELECT id, content_hash FROM articles ORDER BY id"),
            "duplicates": q("SELECT article_id, kept_id, kind, similarity FROM duplicates ORDER BY article_id"),
            "events": q("SELECT article_id, seq, merged_id, source_code, target_code, cameo, date, evidence "
                        "FROM events ORDER BY article_id, seq"),
            "merged": q("SELECT merged_id, source_code, target_code, cameo, date, num_mentions, num_articles, "
                        "num_sources, first_article_id, evidence FROM merged_events ORDER BY merged_id"),
            "sources": q("SELECT merged_id, doc_id, article_id FROM event_sources ORDER BY ALL"),
            "quotes": q("SELECT article_id, seq, text FROM quotes ORDER BY article_id, seq"),
            "failures": q("SELECT input, stage, error FROM failures ORDER BY input"),
        }
    finally:
        con.close()


def test_reingesting_changes_no_counts(tmp_path, coder):
    folder = tmp_path / "corpus"
    make_corpus(folder)
    db = tmp_path / "i.duckdb"
    first = ingest([str(folder)], str(db), settings=coder.settings, pipeline=coder)
    assert first.articles == 40 and first.exact == 2 and first.near == 1 and first.failures == 1
    before = snapshot(db)
    again = ingest([str(folder)], str(db), settings=coder.settings, pipeline=coder)
    assert (again.articles, again.duplicates, again.events, again.quotes) == (0, 0, 0, 0)
    assert again.skipped == 43 and again.failures == 1
    assert snapshot(db) == before
    with Store(db, read_only=True) as store:
        assert store.query("SELECT count(*) AS n FROM runs")[0]["n"] == 2
        assert store.verify() == []


def _stored_so_far(line: str) -> int | None:
    m = re.search(r"\((\d+) stored, (\d+) duplicates", line)
    return int(m[1]) + int(m[2]) if m else None


def _run_until_killed(args: list[str], env: dict[str, str], stop_after: int, timeout: float = 300) -> int:
    """Start an ingest, SIGKILL it once it reports ``stop_after`` stored documents; return that count."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    seen = 0
    deadline = time.monotonic() + timeout
    try:
        for line in proc.stderr:
            n = _stored_so_far(line)
            if n is not None:
                seen = n
            if seen >= stop_after or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=60)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"the ingest ended by itself (exit {proc.returncode})"
    return seen


def test_killed_ingest_resumes_to_the_same_database(tmp_path, coder, verb_file):
    folder = tmp_path / "corpus"
    info = make_corpus(folder)
    reference = tmp_path / "reference.duckdb"
    ingest([str(folder)], str(reference), published=PUBLISHED, settings=coder.settings, pipeline=coder)
    ref = snapshot(reference)
    assert ref["counts"]["articles"] == info["kept"] and ref["counts"]["duplicates"] == 3
    assert ref["counts"]["events"] >= 60

    db = tmp_path / "killed.duckdb"
    env = {**os.environ, "DYAD_PATTERN_FILES": str(verb_file)}
    env.pop("DYAD_DB", None)
    args = [sys.executable, "-m", "dyad.cli", "ingest", str(folder), "--db", str(db), "--published", PUBLISHED,
            "--processes", "1", "--batch-size", "2", "--progress-interval", "0"]
    stored_at_kill = []
    for stop_after in (5, 12):
        stored_at_kill.append(_run_until_killed(args, env, stop_after))
        partial = snapshot(db)
        n = partial["counts"]["articles"] + partial["counts"]["duplicates"]
        assert 0 < n < info["kept"] + 3, (stop_after, partial["counts"])
        # whole articles only: every stored article has its events, every event its merged row
        with Store(db, read_only=True) as store:
            assert store.verify() == []
    p = subprocess.run(args[:-2] + ["--quiet"], env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert "already there" in p.stdout
    done = snapshot(db)
    assert done == ref
    con = duckdb.connect(str(db), read_only=True)
    dup_ids = con.execute("SELECT id FROM articles GROUP BY id HAVING count(*) > 1").fetchall()
    kinds = dict(con.execute("SELECT kind, count(*) FROM duplicates GROUP BY kind").fetchall())
    runs = con.execute("SELECT count(*), count(finished_at) FROM runs").fetchone()
    con.close()
    assert dup_ids == [] and kinds == {"exact": 2, "near": 1}
    assert runs == (3, 1)  # two killed runs never finished; the last one did


def test_plain_progress_lines_and_summary_on_stderr(tmp_path, verb_file):
    folder = tmp_path / "few"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(synthetic_article(n), encoding="utf-8")
    env = {**os.environ, "DYAD_PATTERN_FILES": str(verb_file)}
    p = subprocess.run([sys.executable, "-m", "dyad.cli", "ingest", str(folder), "--db", str(tmp_path / "p.duckdb"),
                        "--published", PUBLISHED, "--processes", "1", "--progress-interval", "0"],
                       env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    lines = [l for l in p.stderr.splitlines() if l.startswith("dyad ingest:")]
    assert lines and "articles/s" in lines[-1] and "3/3 files" in lines[-1] and "ETA" in lines[-1]
    assert re.search(r"3 articles stored, 0 duplicates \(0 exact, 0 near\), 0 already there, \d+ events, "
                     r"\d+ quotes, 0 failures", p.stdout), p.stdout


def test_parallel_parsing_gives_the_same_database(tmp_path, coder):
    folder = tmp_path / "corpus"
    make_corpus(folder)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    ingest([str(folder)], str(one), published=PUBLISHED, settings=coder.settings, pipeline=coder)
    par = Pipeline(replace(coder.settings, n_process=2, batch_size=3))
    par._nlp = coder.nlp
    s = ingest([str(folder)], str(two), published=PUBLISHED, settings=par.settings, pipeline=par)
    assert s.articles == 40
    assert snapshot(two) == snapshot(one)


# --- schema migrations --------------------------------------------------------------------------
def test_version_1_database_is_migrated_and_backfilled(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR, "
                "applied_at TIMESTAMP)")
    for stmt in [s for s in MIGRATIONS[0][2].split(";") if s.strip()]:
        con.execute(stmt)
    con.execute("INSERT INTO schema_migrations VALUES (1, 'initial schema', now())")
    for art, outlet in (("x1", "VOA"), ("x2", "AP")):
        con.execute("INSERT INTO articles (id, text, published, outlet, content_hash) VALUES (?, ?, ?, ?, ?)",
                    [art, f"Russia imposed sanctions on Ukraine on Friday. Story {art}.", PUBLISHED, outlet, art])
        con.execute("INSERT INTO events (event_id, article_id, seq, source_code, source_name, target_code, "
                    "target_name, cameo, cameo_root, quad_class, goldstein, date, date_start, date_precision, "
                    "negated, \"symmetric\", evidence, start_char, end_char, evidence_spans) "
                    "VALUES (?, ?, 0, 'RUS', 'Russia', 'UKR', 'Ukraine', '163', '16', 4, -8.0, '2021-03-05', "
                    "DATE '2021-03-05', 'day', false, false, 'Russia imposed sanctions on Ukraine on Friday.', "
                    "0, 46, '[[0, 46]]')", [f"e-{art}", art])
    con.close()
    with Store(db) as store:
        assert store.schema_version() == max(v for v, _, _ in MIGRATIONS)
        merged = store.query("SELECT * FROM merged_events")
        assert len(merged) == 1 and merged[0]["num_articles"] == 2 and merged[0]["num_sources"] == 2
        assert store.query("SELECT count(*) AS n FROM minhashes")[0]["n"] == 2
        assert store.verify() == []
