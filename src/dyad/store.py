"""Store: the embedded DuckDB database. The only module that speaks SQL.

Tables
    ``articles``        one row per stored (kept) article, with its text and ``content_hash``.
    ``actors``, ``quotes``  what was found in each article.
    ``events``          the events of each article (its *mentions* of a fact), each with the
                        ``merged_id`` of the merged event it reports and ``lead`` (its sentence
                        is in the article's first paragraph).
    ``duplicates``      articles not stored again because they copy a kept one:
                        duplicate id -> ``kept_id``, ``kind`` (exact or near) and ``similarity``,
                        with the copy's own title, outlet, URL and date.
    ``minhashes``, ``minhash_bands``  MinHash signature and LSH band keys of each kept article
                        (see :mod:`dyad.dedup`).
    ``event_sources``   one row per (merged event, document reporting it): a kept article and each
                        of its duplicates count as documents; ``article_id`` is the kept article
                        whose events carry the evidence.
    ``merged_events``   one row per fact reported anywhere: source, target, CAMEO code, date at its
                        precision, negation; ``num_mentions`` (evidence sentences over all
                        documents), ``num_articles`` (documents), ``num_sources`` (distinct
                        outlets; a document without an outlet counts as its own source), like
                        GDELT's NumMentions/NumArticles/NumSources. Every evidence sentence stays
                        in ``events``, keyed by ``merged_id``.
    ``runs``            one row per ingest: dyad version, configuration, inputs, counts, times.
    ``failures``        inputs that could not be stored: input, stage, code, error. One row per
                        input and stage (a later failure replaces it; a later success removes it).
    ``schema_migrations``  the migrations applied.

Consistency
    Each article is written in one transaction together with its actors, events, quotes,
    fingerprints, event sources and the merged events they touch; a duplicate is linked in one
    transaction with the event sources it adds. Merged-event rows are recomputed from
    ``events`` and ``event_sources`` (never incremented), so they are exact whatever order and
    however many times articles arrive, and a killed run leaves whole articles only.
    :meth:`Store.verify` recomputes everything from scratch and reports any difference.

Concurrency
    DuckDB allows one process to open a database file for writing; while it has the file open,
    no other process can open it, not even read-only. Within one process, connections to an open
    database share it (:meth:`Store.reader`), each with its own transactions. So an ingest commits after every article (a reader sees
    whole articles only) and other processes read once it has finished; readers open the file
    with ``read_only=True`` (several reader processes may share a file when no writer has it).
    The dashboard and the CLI queries read through :mod:`dyad.query`, which opens read-only.

Schema changes are appended to ``MIGRATIONS`` as new versions; a released migration is never
edited. A migration is SQL, or a Python function given the open connection (for backfills
that need the library's own functions).
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, Union

import duckdb
import numpy as np

from . import __version__
from . import dedup
from .readers import Failure
from .records import Article, Result, to_dict

Migration = Union[str, Callable[[duckdb.DuckDBPyConnection], None]]


def _backfill_v3(con: duckdb.DuckDBPyConnection) -> None:
    """Fingerprint, lead flags and merged events for rows stored before deduplication existed."""
    store = Store.__new__(Store)
    store.path, store.con, store.read_only = "", con, False
    for art_id, text in con.execute("SELECT id, text FROM articles ORDER BY id").fetchall():
        sig = dedup.signature(text or "")
        con.execute("INSERT INTO minhashes VALUES (?, ?)", [art_id, dedup.to_bytes(sig)])
        insert_rows(con, "INSERT INTO minhash_bands VALUES (?, ?)", [[k, art_id] for k in dedup.band_keys(sig)])
        lead_end = _lead_end(text or "")
        rows = con.execute("SELECT event_id, source_code, source_name, target_code, target_name, cameo, date, "
                           "date_precision, negated, \"symmetric\", start_char FROM events WHERE article_id = ?",
                           [art_id]).fetchall()
        ids = set()
        for ev_id, sc, sn, tc, tn, cameo, date, prec, neg, sym, start in rows:
            mid = dedup.merged_id(dedup.merge_key(sc, sn, tc, tn, cameo, date, prec, bool(neg), bool(sym)))
            ids.add(mid)
            con.execute("UPDATE events SET merged_id = ?, lead = ? WHERE event_id = ?",
                        [mid, (start or 0) < lead_end, ev_id])
        store._add_sources(art_id, ids)
        store._refresh_merged(ids)


MIGRATIONS: list[tuple[int, str, Migration]] = [
    # version 1 quotes "symmetric" and "at", which DuckDB 2 reserves; the schema is the one first released
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
        negated BOOLEAN, mode VARCHAR, "symmetric" BOOLEAN, evidence VARCHAR, start_char INTEGER, end_char INTEGER,
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
        run_id VARCHAR, input VARCHAR, stage VARCHAR, code VARCHAR, error VARCHAR, "at" TIMESTAMP);
    """),
    (2, "deduplication and merged events", """
    ALTER TABLE events ADD COLUMN merged_id VARCHAR;
    ALTER TABLE events ADD COLUMN lead BOOLEAN;
    ALTER TABLE runs ADD COLUMN duplicates INTEGER;
    CREATE INDEX events_article_idx ON events(article_id);
    CREATE INDEX events_merged_idx ON events(merged_id);
    CREATE INDEX articles_content_hash_idx ON articles(content_hash);
    CREATE TABLE duplicates (
        article_id VARCHAR PRIMARY KEY, kept_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, similarity DOUBLE,
        title VARCHAR, published DATE, url VARCHAR, outlet VARCHAR, author VARCHAR, source_path VARCHAR,
        content_hash VARCHAR, run_id VARCHAR, ingested_at TIMESTAMP);
    CREATE INDEX duplicates_kept_idx ON duplicates(kept_id);
    CREATE TABLE minhashes (article_id VARCHAR PRIMARY KEY, signature BLOB);
    CREATE TABLE minhash_bands (band_key BIGINT, article_id VARCHAR);
    CREATE INDEX minhash_bands_key_idx ON minhash_bands(band_key);
    CREATE TABLE event_sources (
        merged_id VARCHAR, doc_id VARCHAR, article_id VARCHAR, outlet VARCHAR, url VARCHAR, published DATE,
        added_at TIMESTAMP);
    CREATE INDEX event_sources_merged_idx ON event_sources(merged_id);
    CREATE TABLE merged_events (
        merged_id VARCHAR PRIMARY KEY,
        source_code VARCHAR, source_name VARCHAR, target_code VARCHAR, target_name VARCHAR,
        cameo VARCHAR, cameo_root VARCHAR, label VARCHAR, plover VARCHAR, quad_class INTEGER, goldstein DOUBLE,
        date VARCHAR, date_start DATE, date_end DATE, date_precision VARCHAR, negated BOOLEAN, "symmetric" BOOLEAN,
        mode VARCHAR, location VARCHAR, evidence VARCHAR, first_article_id VARCHAR, first_event_id VARCHAR,
        source_url VARCHAR, is_root BOOLEAN, num_mentions INTEGER, num_articles INTEGER, num_sources INTEGER,
        first_published DATE, last_published DATE, first_added TIMESTAMP);
    """),
    (3, "fingerprints and merged events for articles stored before version 2", _backfill_v3),
]

EVENT_COLUMNS = ["event_id", "article_id", "seq", "source_code", "source_name", "source_text", "target_code",
                 "target_name", "target_text", "cameo", "cameo_root", "label", "plover", "quad_class", "goldstein",
                 "date", "date_start", "date_precision", "date_text", "date_source", "negated", "mode", "symmetric",
                 "evidence", "start_char", "end_char", "trigger", "pattern", "confidence", "location",
                 "evidence_spans", "merged_id", "lead"]
MERGED_COLUMNS = ["merged_id", "source_code", "source_name", "target_code", "target_name", "cameo", "cameo_root",
                  "label", "plover", "quad_class", "goldstein", "date", "date_start", "date_end", "date_precision",
                  "negated", "symmetric", "mode", "location", "evidence", "first_article_id", "first_event_id",
                  "source_url", "is_root", "num_mentions", "num_articles", "num_sources", "first_published",
                  "last_published", "first_added"]
# columns that are the same for every report of a merged event, or taken from its first report
_MERGED_FROM_EVENT = ["source_code", "source_name", "target_code", "target_name", "cameo", "cameo_root", "label",
                      "plover", "quad_class", "goldstein", "date", "date_start", "date_precision", "negated",
                      "symmetric", "mode", "location", "evidence"]
_CHUNK = 500  # ids per IN list (each looked up through an index)


def _date_start(value: str | None) -> dt.date | None:
    from .actors.dictionary import to_day

    return to_day(value)


def date_end(start: dt.date | None, precision: str | None) -> dt.date | None:
    """The last day of a date at its precision (None when the precision has no fixed span)."""
    if start is None:
        return None
    if precision == "day":
        return start
    if precision == "week":
        return start + dt.timedelta(days=6)
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return start.replace(month=12, day=31)
    return None


def _lead_end(text: str) -> int:
    """Where the first paragraph of an article ends (its first blank line)."""
    m = re.search(r"\n[ \t]*\n", text)
    return m.start() if m else len(text)


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _marks(n: int, cast: str = "") -> str:
    return ", ".join([f"?::{cast}" if cast else "?"] * n)



def _where_sql(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def insert_rows(con, sql: str, rows: list) -> None:
    """``INSERT ... VALUES (?, ...)`` for many rows as one statement (DuckDB runs executemany
    row by row, which dominated the cost of storing an article)."""
    rows = [list(r) for r in rows]
    if not rows:
        return
    head, _, values = sql.partition("VALUES")
    one = values.strip()
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        con.execute(f"{head}VALUES " + ", ".join([one] * len(chunk)), [v for r in chunk for v in r])

class Store:
    """A DuckDB file (or ``:memory:``) holding coded articles."""

    def __init__(self, path: str | Path = "dyad.duckdb", read_only: bool = False):
        self.path = str(path)
        self.read_only = read_only
        if not read_only and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(self.path, read_only=read_only)
        if not read_only:
            self.migrate()

    def reader(self) -> "Store":
        """Another connection to this same open database, for reading in this process (a thread of a
        dashboard, say) while this one writes: it sees committed articles only."""
        other = Store.__new__(Store)
        other.path, other.read_only, other.con = self.path, True, self.con.cursor()
        return other

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
        for version, description, step in MIGRATIONS:
            if version in done:
                continue
            with self.transaction():
                if callable(step):
                    step(self.con)
                else:
                    for stmt in [s for s in step.split(";") if s.strip()]:
                        self.con.execute(stmt)
                self.con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                 [version, description, dt.datetime.now()])

    def schema_version(self) -> int:
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

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

    # --- runs and failures --------------------------------------------------------------
    def start_run(self, config: dict[str, Any], inputs: list[str]) -> str:
        run_id = uuid.uuid4().hex[:12]
        self.con.execute("INSERT INTO runs (run_id, started_at, dyad_version, config, inputs) VALUES (?, ?, ?, ?, ?)",
                         [run_id, dt.datetime.now(), __version__, json.dumps(config, default=str), json.dumps(inputs)])
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, int]) -> None:
        self.con.execute(
            "UPDATE runs SET finished_at = ?, articles = ?, skipped = ?, events = ?, quotes = ?, failures = ?, "
            "duplicates = ? WHERE run_id = ?",
            [dt.datetime.now(), counts.get("articles", 0), counts.get("skipped", 0), counts.get("events", 0),
             counts.get("quotes", 0), counts.get("failures", 0), counts.get("duplicates", 0), run_id])

    def add_failure(self, run_id: str | None, failure: Failure) -> None:
        """Record a failure; it replaces an earlier failure of the same input at the same stage."""
        with self.transaction():
            self.con.execute("DELETE FROM failures WHERE input = ? AND stage = ?", [failure.input, failure.stage])
            self.con.execute("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?)",
                             [run_id, failure.input, failure.stage, failure.code, failure.error, dt.datetime.now()])

    def _clear_failures(self, art: Article) -> None:
        names = sorted({n for n in (art.source_path, art.id) if n})
        self.con.execute(f"DELETE FROM failures WHERE input IN ({_marks(len(names))})", names)

    # --- looking articles up ------------------------------------------------------------
    def article_state(self, article_id: str) -> tuple[str, str] | None:
        """("article" or "duplicate", content hash) of a stored id, or None."""
        row = self.con.execute(
            "SELECT 'article', content_hash FROM articles WHERE id = ? "
            "UNION ALL SELECT 'duplicate', content_hash FROM duplicates WHERE article_id = ?",
            [article_id, article_id]).fetchone()
        return (row[0], row[1]) if row is not None else None

    def find_exact(self, content_hash: str) -> str | None:
        """The kept article with this content hash (the smallest id if several)."""
        row = self.con.execute("SELECT min(id) FROM articles WHERE content_hash = ?", [content_hash]).fetchone()
        return row[0] if row else None

    def near_candidates(self, keys: list[int]) -> dict[str, np.ndarray]:
        """Signatures of kept articles sharing at least one LSH band key."""
        if not keys:
            return {}
        ids = sorted({r[0] for r in self.con.execute(
            f"SELECT article_id FROM minhash_bands WHERE band_key IN ({_marks(len(keys), 'BIGINT')})",
            keys).fetchall()})
        out: dict[str, np.ndarray] = {}
        for chunk in _chunks(ids):
            for art_id, blob in self.con.execute(
                    f"SELECT article_id, signature FROM minhashes WHERE article_id IN ({_marks(len(chunk))})",
                    list(chunk)).fetchall():
                out[art_id] = dedup.from_bytes(blob)
        return out

    # --- writing ------------------------------------------------------------------------
    def add_result(self, result: Result, run_id: str | None = None, signature: np.ndarray | None = None) -> bool:
        """Write one coded article with everything found in it; False if already stored as is.

        An article stored before under the same id with another text is replaced whole; one
        stored as a duplicate under this id is unlinked first.
        """
        art = result.article
        digest = text_hash(art.text)
        state = self.article_state(art.id)
        if state is not None and state[1] == digest:
            return False
        sig = signature if signature is not None else dedup.signature(art.text)
        now = dt.datetime.now()
        with self.transaction():
            touched: set[str] = set()
            if state is not None:
                touched |= self._remove(art.id, state[0])
            self.con.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [art.id, art.title, art.text, art.published, art.url, art.outlet, art.author, art.source_path,
                 art.published_source, digest, json.dumps(art.captions), run_id, now])
            self.con.execute("INSERT INTO minhashes VALUES (?, ?)", [art.id, dedup.to_bytes(sig)])
            self.con.execute("INSERT INTO minhash_bands SELECT unnest(?::BIGINT[]), ?",
                             [dedup.band_keys(sig), art.id])
            if result.actors:
                insert_rows(self.con, 
                    "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [[art.id, a.id, a.name, a.code, a.kind, a.country, a.sector, a.role, a.how,
                      json.dumps(to_dict(a.mentions))] for a in result.actors])
            merged: set[str] = set()
            if result.events:
                lead_end = _lead_end(art.text)
                rows = []
                for n, e in enumerate(result.events):
                    src, tgt = e.source, e.target
                    mid = dedup.merged_id(dedup.merge_key(
                        src.code if src else None, src.name if src else None, tgt.code if tgt else None,
                        tgt.name if tgt else None, e.cameo, e.date, e.date_precision, e.negated, e.symmetric))
                    merged.add(mid)
                    rows.append([_row_id(art.id, "e", n), art.id, n,
                                 src.code if src else None, src.name if src else None, src.text if src else None,
                                 tgt.code if tgt else None, tgt.name if tgt else None, tgt.text if tgt else None,
                                 e.cameo, e.cameo[:2], e.label, e.plover, e.quad_class, e.goldstein,
                                 e.date, _date_start(e.date), e.date_precision, e.date_text, e.date_source,
                                 e.negated, e.mode, e.symmetric, e.evidence, e.start, e.end, e.trigger, e.pattern,
                                 e.confidence, json.dumps(to_dict(e.location)) if e.location else None,
                                 json.dumps(e.evidence_spans or [[e.start, e.end]]), mid, e.start < lead_end])
                insert_rows(self.con, f"INSERT INTO events ({_names(EVENT_COLUMNS)}) "
                                     f"VALUES ({_marks(len(EVENT_COLUMNS))})", rows)
            if result.quotes:
                insert_rows(self.con, 
                    "INSERT INTO quotes VALUES (" + ", ".join(["?"] * 13) + ")",
                    [[_row_id(art.id, "q", n), art.id, n, q.text, q.kind, q.cue,
                      q.speaker.name if q.speaker else None, q.speaker.code if q.speaker else None,
                      q.speaker.text if q.speaker else None, q.start, q.end, q.date, q.date_precision]
                     for n, q in enumerate(result.quotes)])
            self._add_sources(art.id, merged)
            self._refresh_merged(touched | merged)
            self._clear_failures(art)
        return True

    def add_duplicate(self, article: Article, kept_id: str, kind: str, similarity: float,
                      run_id: str | None = None) -> bool:
        """Link an article as a copy of a kept one; False if the kept article is not stored.

        The copy's own metadata is kept; its document is added to every merged event of the
        kept article (so they count one more article, and one more source if its outlet is new).
        """
        digest = text_hash(article.text)
        if self.con.execute("SELECT 1 FROM articles WHERE id = ?", [kept_id]).fetchone() is None:
            return False
        state = self.article_state(article.id)
        if state is not None and state[0] == "duplicate" and state[1] == digest:
            return True
        with self.transaction():
            touched: set[str] = set()
            if state is not None:
                touched |= self._remove(article.id, state[0])
            self.con.execute(
                "INSERT INTO duplicates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article.id, kept_id, kind, round(float(similarity), 4), article.title, article.published,
                 article.url, article.outlet, article.author, article.source_path, digest, run_id,
                 dt.datetime.now()])
            merged = {r[0] for r in self.con.execute(
                "SELECT DISTINCT merged_id FROM events WHERE article_id = ?", [kept_id]).fetchall()}
            now = dt.datetime.now()
            if merged:
                insert_rows(self.con, "INSERT INTO event_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                                     [[m, article.id, kept_id, article.outlet, article.url, article.published, now]
                                      for m in sorted(merged)])
            self._refresh_merged(touched | merged)
            self._clear_failures(article)
        return True

    def _remove(self, article_id: str, where: str) -> set[str]:
        """Delete a stored article or duplicate link (inside a transaction); the merged ids touched."""
        if where == "duplicate":
            touched = {r[0] for r in self.con.execute(
                "SELECT merged_id FROM event_sources WHERE doc_id = ?", [article_id]).fetchall()}
            self.con.execute("DELETE FROM event_sources WHERE doc_id = ?", [article_id])
            self.con.execute("DELETE FROM duplicates WHERE article_id = ?", [article_id])
            return touched
        touched = {r[0] for r in self.con.execute(
            "SELECT merged_id FROM events WHERE article_id = ?", [article_id]).fetchall()}
        self.con.execute("DELETE FROM event_sources WHERE article_id = ?", [article_id])
        for table in ("actors", "events", "quotes", "minhashes", "minhash_bands"):
            self.con.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
        self.con.execute("DELETE FROM articles WHERE id = ?", [article_id])
        return touched

    def _add_sources(self, article_id: str, merged: set[str]) -> None:
        """Event-source rows for a kept article and each of its duplicates."""
        if not merged:
            return
        docs = self.con.execute(
            "SELECT id, outlet, url, published FROM articles WHERE id = ?", [article_id]).fetchall()
        docs += self.con.execute(
            "SELECT article_id, outlet, url, published FROM duplicates WHERE kept_id = ?", [article_id]).fetchall()
        now = dt.datetime.now()
        insert_rows(self.con, "INSERT INTO event_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [[m, d[0], article_id, d[1], d[2], d[3], now] for m in sorted(merged) for d in docs])

    def _refresh_merged(self, ids: set[str]) -> None:
        """Recompute the merged-event rows of these ids from events and event sources."""
        ids = sorted(i for i in ids if i)
        for chunk in _chunks(ids):
            marks = _marks(len(chunk))
            events = self._dicts(f"SELECT * FROM events WHERE merged_id IN ({marks})", list(chunk))
            sources = self._dicts(f"SELECT * FROM event_sources WHERE merged_id IN ({marks})", list(chunk))
            self.con.execute(f"DELETE FROM merged_events WHERE merged_id IN ({marks})", list(chunk))
            rows = _merge_rows(events, sources, self._article_meta({e["article_id"] for e in events}))
            if rows:
                insert_rows(self.con, f"INSERT INTO merged_events ({_names(MERGED_COLUMNS)}) "
                                     f"VALUES ({_marks(len(MERGED_COLUMNS))})",
                                     [[r[c] for c in MERGED_COLUMNS] for r in rows])

    def _article_meta(self, ids: set[str]) -> dict[str, dict[str, Any]]:
        out = {}
        for chunk in _chunks(sorted(ids)):
            for r in self._dicts(f"SELECT id, published, url, ingested_at FROM articles "
                                 f"WHERE id IN ({_marks(len(chunk))})", list(chunk)):
                out[r["id"]] = r
        return out

    # --- checking -----------------------------------------------------------------------
    def verify(self) -> list[str]:
        """Recompute event sources and merged events from scratch; a list of differences (empty if none)."""
        problems = []
        expected_sources = self.con.execute("""
            WITH docs AS (
                SELECT id AS doc_id, id AS article_id FROM articles
                UNION ALL SELECT article_id, kept_id FROM duplicates),
            m AS (SELECT DISTINCT merged_id, article_id FROM events)
            SELECT m.merged_id, docs.doc_id, docs.article_id FROM m JOIN docs USING (article_id)
            EXCEPT ALL SELECT merged_id, doc_id, article_id FROM event_sources""").fetchall()
        extra_sources = self.con.execute("""
            WITH docs AS (
                SELECT id AS doc_id, id AS article_id FROM articles
                UNION ALL SELECT article_id, kept_id FROM duplicates),
            m AS (SELECT DISTINCT merged_id, article_id FROM events)
            SELECT merged_id, doc_id, article_id FROM event_sources
            EXCEPT ALL SELECT m.merged_id, docs.doc_id, docs.article_id FROM m JOIN docs USING (article_id)
            """).fetchall()
        if expected_sources:
            problems.append(f"{len(expected_sources)} event sources missing, e.g. {expected_sources[0]}")
        if extra_sources:
            problems.append(f"{len(extra_sources)} event sources not backed by an event, e.g. {extra_sources[0]}")
        missing_events = self.con.execute(
            "SELECT count(*) FROM events WHERE merged_id IS NULL OR merged_id NOT IN "
            "(SELECT merged_id FROM merged_events)").fetchone()[0]
        if missing_events:
            problems.append(f"{missing_events} events without a merged event")
        orphans = self.con.execute("SELECT count(*) FROM merged_events WHERE merged_id NOT IN "
                                   "(SELECT merged_id FROM events WHERE merged_id IS NOT NULL)").fetchone()[0]
        if orphans:
            problems.append(f"{orphans} merged events without a report")
        dangling = self.con.execute("SELECT count(*) FROM duplicates WHERE kept_id NOT IN (SELECT id FROM articles)"
                                    ).fetchone()[0]
        if dangling:
            problems.append(f"{dangling} duplicates of an article that is not stored")
        for table in ("actors", "events", "quotes", "minhashes", "minhash_bands"):
            n = self.con.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
                                 ).fetchone()[0]
            if n:
                problems.append(f"{n} rows of {table} belong to no stored article")
        unsigned = self.con.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM minhashes)"
                                    ).fetchone()[0]
        if unsigned:
            problems.append(f"{unsigned} articles without a MinHash signature")
        stored = {r["merged_id"]: r for r in self._dicts("SELECT * FROM merged_events")}
        events = self._dicts("SELECT * FROM events WHERE merged_id IS NOT NULL")
        sources = self._dicts("SELECT * FROM event_sources")
        fresh = {r["merged_id"]: r for r in _merge_rows(events, sources,
                                                        self._article_meta({e["article_id"] for e in events}))}
        for mid in sorted(set(stored) | set(fresh)):
            a, b = stored.get(mid), fresh.get(mid)
            if a is None or b is None:
                continue  # reported above
            diff = [c for c in MERGED_COLUMNS if c != "first_added" and a[c] != b[c]]
            if diff:
                problems.append(f"merged event {mid}: {', '.join(diff)} differ from a recomputation")
        return problems

    # --- reading ------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "duplicates", "actors", "events", "merged_events", "event_sources", "quotes",
                      "runs", "failures"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out

    def _dicts(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def quotes(self, *, speaker: str | None = None, text: str | None = None) -> list[dict[str, Any]]:
        """Stored quotes with their article's date and outlet, and the actors each article names
        (with mention offsets, for "about" filters)."""
        where, params = [], []
        if speaker:
            where.append("q.speaker_code LIKE ?")
            params.append(speaker.strip().upper() + "%")
        if text:
            where.append("lower(q.text) LIKE ?")
            params.append("%" + text.lower() + "%")
        sql = ("SELECT q.article_id, q.date, q.date_precision, q.speaker_name, q.speaker_code, q.kind, q.cue, q.text, "
               "q.start_char, q.end_char, a.published, a.outlet FROM quotes q JOIN articles a ON a.id = q.article_id"
               + _where_sql(where) + " ORDER BY a.published NULLS LAST, q.article_id, q.seq")
        return self.query(sql, params)

    def article_actor_mentions(self, article_ids: list[str]) -> list[dict[str, Any]]:
        if not article_ids:
            return []
        marks = ", ".join("?" for _ in article_ids)
        return self.query(f"SELECT article_id, code, mentions FROM actors WHERE article_id IN ({marks})", article_ids)

    def query(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        """Run a read query; rows as dicts."""
        return self._dicts(sql, params)

    def relation(self, sql: str, params: list | None = None) -> duckdb.DuckDBPyRelation:
        """A lazy DuckDB relation over a read query (``.arrow()``, ``.fetchall()``, ``.write_parquet()``...)."""
        return self.con.sql(sql, params=params) if params else self.con.sql(sql)

    @staticmethod
    def _filters(f: dict[str, Any], alias: str = "m") -> tuple[list[str], list[Any]]:
        """SQL conditions on merged events for the filters of :func:`dyad.query.events`."""
        where: list[str] = []
        params: list[Any] = []
        a = alias
        if f.get("actor"):
            where.append(f"(starts_with({a}.source_code, ?) OR starts_with({a}.target_code, ?))")
            params += [f["actor"].upper(), f["actor"].upper()]
        for key, col in (("source", "source_code"), ("target", "target_code"), ("cameo", "cameo")):
            if f.get(key):
                where.append(f"starts_with({a}.{col}, ?)")
                params.append(str(f[key]).upper())
        if f.get("quad_class"):
            qc = [int(q) for q in f["quad_class"]]
            where.append(f"{a}.quad_class IN ({_marks(len(qc))})")
            params += qc
        if f.get("since"):
            where.append(f"coalesce({a}.date_end, {a}.date_start) >= ?::DATE")
            params.append(f["since"])
        if f.get("until"):
            where.append(f"{a}.date_start <= ?::DATE")
            params.append(f["until"])
        if f.get("negated") is not None:
            where.append(f"{a}.negated = ?")
            params.append(bool(f["negated"]))
        if f.get("min_articles"):
            where.append(f"{a}.num_articles >= ?")
            params.append(int(f["min_articles"]))
        if f.get("outlet"):
            where.append(f"{a}.merged_id IN (SELECT merged_id FROM event_sources WHERE lower(outlet) = lower(?))")
            params.append(f["outlet"])
        if f.get("text"):
            where.append(f"{a}.merged_id IN (SELECT merged_id FROM events WHERE contains(lower(evidence), lower(?)))")
            params.append(f["text"])
        return where, params

    def merged_events(self, filters: dict[str, Any], limit: int | None = 100, offset: int = 0
                      ) -> duckdb.DuckDBPyRelation:
        """Merged events matching the filters, in date order."""
        where, params = self._filters(filters)
        sql = ("SELECT m.merged_id, m.date, m.date_precision, m.source_code, m.source_name, m.cameo, m.label, "
               "m.target_code, m.target_name, m.plover, m.quad_class, m.goldstein, m.negated, m.mode, "
               "m.num_articles, m.num_sources, m.num_mentions, m.first_article_id AS article_id, m.evidence "
               "FROM merged_events m" + _where_sql(where) +
               " ORDER BY m.date_start NULLS LAST, m.merged_id")
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self.relation(sql, params)

    def event_mentions(self, filters: dict[str, Any], limit: int | None = 100, offset: int = 0
                       ) -> duckdb.DuckDBPyRelation:
        """Every article's report of the merged events matching the filters, with its evidence."""
        where, params = self._filters(filters)
        sql = ("SELECT e.merged_id, e.article_id, a.outlet, a.published, e.date, e.date_precision, e.source_code, "
               "e.source_text, e.cameo, e.label, e.target_code, e.target_text, e.goldstein, e.negated, e.mode, "
               "e.date_text, e.start_char, e.end_char, e.evidence "
               "FROM events e JOIN merged_events m USING (merged_id) JOIN articles a ON a.id = e.article_id" +
               _where_sql(where) +
               " ORDER BY m.date_start NULLS LAST, e.merged_id, a.published NULLS LAST, e.article_id, e.seq")
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self.relation(sql, params)

    def dyads(self, filters: dict[str, Any], limit: int | None = 20, order: str = "events"
              ) -> duckdb.DuckDBPyRelation:
        """Source-target pairs with their event counts, articles, QuadClass counts and mean Goldstein."""
        where, params = self._filters(filters)
        where = ["m.source_code IS NOT NULL", "m.target_code IS NOT NULL"] + where
        order_sql = {"events": "events DESC, articles DESC", "articles": "articles DESC, events DESC",
                     "goldstein": "mean_goldstein ASC, events DESC"}[order]
        sql = ("SELECT m.source_code, mode(m.source_name) AS source_name, m.target_code, "
               "mode(m.target_name) AS target_name, count(*) AS events, sum(m.num_articles)::BIGINT AS articles, "
               "round(avg(m.goldstein), 3) AS mean_goldstein, "
               "count(*) FILTER (WHERE m.quad_class = 1) AS q1, count(*) FILTER (WHERE m.quad_class = 2) AS q2, "
               "count(*) FILTER (WHERE m.quad_class = 3) AS q3, count(*) FILTER (WHERE m.quad_class = 4) AS q4, "
               "min(m.date_start) AS first_date, max(coalesce(m.date_end, m.date_start)) AS last_date "
               "FROM merged_events m WHERE " + " AND ".join(where) +
               f" GROUP BY m.source_code, m.target_code ORDER BY {order_sql}, m.source_code, m.target_code")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.relation(sql, params)

    def timeline(self, source: str, target: str, by: str, filters: dict[str, Any], both: bool = False
                 ) -> duckdb.DuckDBPyRelation:
        """Per week or month: merged events of a dyad by QuadClass, articles and mean Goldstein.

        An event counts in a period only when its date falls wholly inside it (a month-precision
        event is left out of a weekly timeline); empty periods between the first and last are zeros.
        """
        if by not in ("week", "month"):
            raise ValueError(f"timeline by '{by}': expected week or month")
        where, params = self._filters(filters)
        pair = "(starts_with(m.source_code, ?) AND starts_with(m.target_code, ?))"
        dyad_params = [source.upper(), target.upper()]
        if both:
            pair = f"({pair} OR (starts_with(m.source_code, ?) AND starts_with(m.target_code, ?)))"
            dyad_params += [target.upper(), source.upper()]
        step = "INTERVAL 1 WEEK" if by == "week" else "INTERVAL 1 MONTH"
        sql = f"""
            WITH ev AS (
                SELECT date_trunc('{by}', m.date_start)::DATE AS period, m.quad_class, m.goldstein, m.num_articles
                FROM merged_events m
                WHERE {pair} AND m.date_end IS NOT NULL
                  AND date_trunc('{by}', m.date_start) = date_trunc('{by}', m.date_end)
                  {''.join(' AND ' + w for w in where)}),
            periods AS (
                SELECT unnest(generate_series(min(period)::TIMESTAMP, max(period)::TIMESTAMP, {step}))::DATE
                       AS period
                FROM ev HAVING count(*) > 0)
            SELECT p.period, count(ev.period) AS events, coalesce(sum(ev.num_articles), 0)::BIGINT AS articles,
                   count(*) FILTER (WHERE ev.quad_class = 1) AS q1, count(*) FILTER (WHERE ev.quad_class = 2) AS q2,
                   count(*) FILTER (WHERE ev.quad_class = 3) AS q3, count(*) FILTER (WHERE ev.quad_class = 4) AS q4,
                   round(avg(ev.goldstein), 3) AS mean_goldstein
            FROM periods p LEFT JOIN ev USING (period)
            GROUP BY p.period ORDER BY p.period"""
        return self.relation(sql, dyad_params + params)

    # --- export feeds -------------------------------------------------------------------
    def export_rows(self, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every merged event with its sources and mentions (lists of dicts), streamed in date order."""
        sql = """
            WITH src AS (
                SELECT merged_id, list(struct_pack(doc_id := doc_id, article_id := article_id, outlet := outlet,
                                                   url := url, published := published)
                                       ORDER BY published NULLS LAST, doc_id) AS sources
                FROM event_sources GROUP BY merged_id),
            men AS (
                SELECT merged_id, list(struct_pack(article_id := article_id, event_id := event_id,
                                                   evidence := evidence, start := start_char, "end" := end_char,
                                                   trigger := trigger, date_text := date_text,
                                                   source_text := source_text, target_text := target_text)
                                       ORDER BY article_id, seq) AS mentions
                FROM events GROUP BY merged_id)
            SELECT m.*, src.sources, men.mentions
            FROM merged_events m LEFT JOIN src USING (merged_id) LEFT JOIN men USING (merged_id)
            ORDER BY m.date_start NULLS LAST, m.merged_id"""
        cur = self.con.cursor()
        cur.execute(sql)
        cols = [d[0] for d in cur.description]
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                break
            for r in rows:
                yield dict(zip(cols, r))
        cur.close()

    def export_parquet(self, out: str | Path) -> int:
        """Merged events with their mentions and sources as Parquet under ``out``, one folder per month
        (``month=YYYY-MM``, ``month=unknown`` for undated events). Returns the number of rows."""
        out = str(out)
        n = self.con.execute("SELECT count(*) FROM merged_events").fetchone()[0]
        self.con.execute(f"""
            COPY (
                WITH src AS (
                    SELECT merged_id, list(struct_pack(doc_id := doc_id, outlet := outlet, url := url,
                                                       published := published)
                                           ORDER BY published NULLS LAST, doc_id) AS sources
                    FROM event_sources GROUP BY merged_id),
                men AS (
                    SELECT merged_id, list(struct_pack(article_id := article_id, evidence := evidence,
                                                       start_char := start_char, end_char := end_char)
                                           ORDER BY article_id, seq) AS mentions
                    FROM events GROUP BY merged_id)
                SELECT m.* EXCLUDE (first_added), m.first_added,
                       coalesce(strftime(m.date_start, '%Y-%m'), 'unknown') AS month,
                       src.sources, men.mentions
                FROM merged_events m LEFT JOIN src USING (merged_id) LEFT JOIN men USING (merged_id)
                ORDER BY m.date_start NULLS LAST, m.merged_id
            ) TO {_sql_string(out)} (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)""")
        return n


def _merge_rows(events: list[dict[str, Any]], sources: list[dict[str, Any]],
                articles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Merged-event rows from the events that report them and the documents that carry them."""
    by_mid: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_mid.setdefault(e["merged_id"], []).append(e)
    src_by_mid: dict[str, list[dict[str, Any]]] = {}
    for s in sources:
        src_by_mid.setdefault(s["merged_id"], []).append(s)
    far = dt.date.max
    rows = []
    for mid, evs in by_mid.items():
        def order(e):
            meta = articles.get(e["article_id"], {})
            return (meta.get("published") or far, e["article_id"], e["seq"])

        evs.sort(key=order)
        first = evs[0]
        meta = articles.get(first["article_id"], {})
        spans: dict[str, int] = {}
        for e in evs:
            spans[e["article_id"]] = spans.get(e["article_id"], 0) + max(1, len(json.loads(e["evidence_spans"] or "[]")))
        docs = src_by_mid.get(mid, [])
        outlets = {(d["outlet"].strip().lower() if d["outlet"] else f"\x00{d['doc_id']}") for d in docs}
        published = [d["published"] for d in docs if d["published"] is not None]
        urls = [a.get("url") for a in (articles.get(e["article_id"], {}) for e in evs) if a.get("url")]
        added = [articles[e["article_id"]]["ingested_at"] for e in evs
                 if articles.get(e["article_id"], {}).get("ingested_at") is not None]
        row = {c: first[c] for c in _MERGED_FROM_EVENT}
        row.update(
            merged_id=mid, date_end=date_end(first["date_start"], first["date_precision"]),
            first_article_id=first["article_id"], first_event_id=first["event_id"],
            source_url=meta.get("url") or (urls[0] if urls else None),
            is_root=any(bool(e.get("lead")) for e in evs),
            num_mentions=sum(spans.get(d["article_id"], 0) for d in docs) or sum(spans.values()),
            num_articles=len(docs), num_sources=len(outlets),
            first_published=min(published) if published else None,
            last_published=max(published) if published else None,
            first_added=min(added) if added else None,
        )
        rows.append(row)
    return rows


def text_hash(text: str) -> str:
    norm = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _row_id(article_id: str, kind: str, n: int) -> str:
    return hashlib.sha1(f"{article_id}\x00{kind}\x00{n}".encode("utf-8")).hexdigest()[:20]


def _names(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
