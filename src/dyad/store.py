"""Store: the embedded DuckDB database. The only module that speaks SQL.

Tables: articles, actors, events, quotes, runs, failures, schema_migrations. Each article
is written in one transaction together with its actors, events and quotes, so a killed run
leaves whole articles only; re-ingesting an article with the same id and text adds nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb

from . import __version__
from .readers import Failure
from .records import Result, to_dict

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
    CREATE TABLE IF NOT EXISTS articles (
        id VARCHAR PRIMARY KEY, title VARCHAR, text VARCHAR, published DATE, url VARCHAR, outlet VARCHAR,
        author VARCHAR, source_path VARCHAR, published_source VARCHAR, content_hash VARCHAR, captions VARCHAR,
        run_id VARCHAR, ingested_at TIMESTAMP);
    CREATE TABLE IF NOT EXISTS actors (
        article_id VARCHAR, actor_id VARCHAR, name VARCHAR, code VARCHAR, kind VARCHAR, country VARCHAR,
        sector VARCHAR, role VARCHAR, how VARCHAR, mentions VARCHAR, PRIMARY KEY (article_id, actor_id));
    CREATE TABLE IF NOT EXISTS events (
        event_id VARCHAR PRIMARY KEY, article_id VARCHAR, seq INTEGER,
        source_code VARCHAR, source_name VARCHAR, source_text VARCHAR,
        target_code VARCHAR, target_name VARCHAR, target_text VARCHAR,
        cameo VARCHAR, cameo_root VARCHAR, label VARCHAR, plover VARCHAR, quad_class INTEGER, goldstein DOUBLE,
        date VARCHAR, date_start DATE, date_precision VARCHAR, date_text VARCHAR, date_source VARCHAR,
        negated BOOLEAN, mode VARCHAR, symmetric BOOLEAN, evidence VARCHAR, start_char INTEGER, end_char INTEGER,
        trigger VARCHAR, pattern VARCHAR, confidence DOUBLE, location VARCHAR, evidence_spans VARCHAR);
    CREATE TABLE IF NOT EXISTS quotes (
        quote_id VARCHAR PRIMARY KEY, article_id VARCHAR, seq INTEGER, text VARCHAR, kind VARCHAR, cue VARCHAR,
        speaker_name VARCHAR, speaker_code VARCHAR, speaker_text VARCHAR, start_char INTEGER, end_char INTEGER,
        date VARCHAR, date_precision VARCHAR);
    CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, dyad_version VARCHAR,
        config VARCHAR, inputs VARCHAR, articles INTEGER, skipped INTEGER, events INTEGER, quotes INTEGER,
        failures INTEGER);
    CREATE TABLE IF NOT EXISTS failures (
        run_id VARCHAR, input VARCHAR, stage VARCHAR, code VARCHAR, error VARCHAR, at TIMESTAMP);
    """),
]


def _date_start(value: str | None) -> dt.date | None:
    from .actors.dictionary import to_day

    return to_day(value)


class Store:
    """A DuckDB file (or ``:memory:``) holding coded articles."""

    def __init__(self, path: str | Path = "dyad.duckdb", read_only: bool = False):
        self.path = str(path)
        if not read_only and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(self.path, read_only=read_only)
        if not read_only:
            self.migrate()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------------
    def migrate(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                         "description VARCHAR, applied_at TIMESTAMP)")
        done = {r[0] for r in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        for version, description, sql in MIGRATIONS:
            if version in done:
                continue
            with self.transaction():
                for stmt in [s for s in sql.split(";") if s.strip()]:
                    self.con.execute(stmt)
                self.con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                 [version, description, dt.datetime.now()])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    # --- writing ------------------------------------------------------------------------
    def start_run(self, config: dict[str, Any], inputs: list[str]) -> str:
        run_id = uuid.uuid4().hex[:12]
        self.con.execute("INSERT INTO runs (run_id, started_at, dyad_version, config, inputs) VALUES (?, ?, ?, ?, ?)",
                         [run_id, dt.datetime.now(), __version__, json.dumps(config, default=str), json.dumps(inputs)])
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, int]) -> None:
        self.con.execute(
            "UPDATE runs SET finished_at = ?, articles = ?, skipped = ?, events = ?, quotes = ?, failures = ? "
            "WHERE run_id = ?",
            [dt.datetime.now(), counts.get("articles", 0), counts.get("skipped", 0), counts.get("events", 0),
             counts.get("quotes", 0), counts.get("failures", 0), run_id])

    def has_article(self, article_id: str, text: str | None = None) -> bool:
        row = self.con.execute("SELECT content_hash FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return False
        return text is None or row[0] == text_hash(text)

    def add_failure(self, run_id: str | None, failure: Failure) -> None:
        self.con.execute("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?)",
                         [run_id, failure.input, failure.stage, failure.code, failure.error, dt.datetime.now()])

    def add_result(self, result: Result, run_id: str | None = None) -> bool:
        """Write one coded article with everything found in it; False if already stored as is."""
        art = result.article
        digest = text_hash(art.text)
        row = self.con.execute("SELECT content_hash FROM articles WHERE id = ?", [art.id]).fetchone()
        if row is not None and row[0] == digest:
            return False
        with self.transaction():
            if row is not None:  # the article changed: replace it whole
                for table in ("actors", "events", "quotes"):
                    self.con.execute(f"DELETE FROM {table} WHERE article_id = ?", [art.id])
                self.con.execute("DELETE FROM articles WHERE id = ?", [art.id])
            self.con.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [art.id, art.title, art.text, art.published, art.url, art.outlet, art.author, art.source_path,
                 art.published_source, digest, json.dumps(art.captions), run_id, dt.datetime.now()])
            if result.actors:
                self.con.executemany(
                    "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [[art.id, a.id, a.name, a.code, a.kind, a.country, a.sector, a.role, a.how,
                      json.dumps(to_dict(a.mentions))] for a in result.actors])
            if result.events:
                self.con.executemany(
                    "INSERT INTO events VALUES (" + ", ".join(["?"] * 31) + ")",
                    [[_row_id(art.id, "e", n), art.id, n,
                      e.source.code if e.source else None, e.source.name if e.source else None,
                      e.source.text if e.source else None,
                      e.target.code if e.target else None, e.target.name if e.target else None,
                      e.target.text if e.target else None,
                      e.cameo, e.cameo[:2], e.label, e.plover, e.quad_class, e.goldstein,
                      e.date, _date_start(e.date), e.date_precision, e.date_text, e.date_source,
                      e.negated, e.mode, e.symmetric, e.evidence, e.start, e.end, e.trigger, e.pattern,
                      e.confidence, json.dumps(to_dict(e.location)) if e.location else None,
                      json.dumps(e.evidence_spans)]
                     for n, e in enumerate(result.events)])
            if result.quotes:
                self.con.executemany(
                    "INSERT INTO quotes VALUES (" + ", ".join(["?"] * 13) + ")",
                    [[_row_id(art.id, "q", n), art.id, n, q.text, q.kind, q.cue,
                      q.speaker.name if q.speaker else None, q.speaker.code if q.speaker else None,
                      q.speaker.text if q.speaker else None, q.start, q.end, q.date, q.date_precision]
                     for n, q in enumerate(result.quotes)])
        return True

    # --- reading ------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "actors", "events", "quotes", "runs", "failures"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out

    def query(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def events(self, *, actor: str | None = None, source: str | None = None, target: str | None = None,
               cameo: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
        where, params = [], []
        if actor:
            where.append("(source_code LIKE ? OR target_code LIKE ?)")
            params += [actor + "%", actor + "%"]
        if source:
            where.append("source_code LIKE ?")
            params.append(source + "%")
        if target:
            where.append("target_code LIKE ?")
            params.append(target + "%")
        if cameo:
            where.append("cameo LIKE ?")
            params.append(cameo + "%")
        if since:
            where.append("date_start >= ?")
            params.append(since)
        if until:
            where.append("date_start <= ?")
            params.append(until)
        sql = ("SELECT article_id, date, date_precision, source_code, cameo, label, target_code, goldstein, evidence "
               "FROM events" + (" WHERE " + " AND ".join(where) if where else "") +
               " ORDER BY date_start NULLS LAST, article_id, seq LIMIT ?")
        return self.query(sql, params + [int(limit)])


def text_hash(text: str) -> str:
    norm = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _row_id(article_id: str, kind: str, n: int) -> str:
    return hashlib.sha1(f"{article_id}\x00{kind}\x00{n}".encode("utf-8")).hexdigest()[:20]
