"""Read: files, directories, stdin, JSONL dumps, HTML pages and WARC archives into Articles.

Every reader yields, in input order, either an :class:`~dyad.records.Article` or a
:class:`Failure` that names the input and the problem, so one bad document never stops
a batch. Formats are recognised by content, not only by extension.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..clean import clean_text
from ..errors import ConfigError, InputError
from ..records import Article

MAX_BYTES = 50_000_000  # a single input file larger than this is refused
MAX_CHARS = 1_000_000  # an article body longer than this is refused

_EN_FUNCTION_WORDS = frozenset(
    "the of and to a in is that for on was with said it as by at from he be has have are were "
    "will its his an not but this which who they their been would had or after over also more".split()
)


@dataclass
class Failure:
    """An input that could not be read as an article."""

    input: str
    stage: str
    error: str
    code: str = "E100"

    def __str__(self) -> str:
        return f"{self.input}: {self.error}"


def check_date(value: str | None, what: str = "published date") -> str | None:
    """Validate an ISO date (YYYY-MM-DD, or a full timestamp whose date part is taken)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ConfigError(f"invalid {what} '{value}': expected YYYY-MM-DD") from None


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return len(head) > 0 and controls / len(head) > 0.05


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); refuse binary data and other encodings clearly."""
    if looks_binary(data):
        raise InputError("binary file, not text (it contains NUL or control bytes)", name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"invalid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); re-encode the file as UTF-8", name
        ) from None


def check_english(text: str, name: str) -> None:
    words = re.findall(r"[A-Za-z]+", text.lower())
    letters = re.findall(r"[^\W\d_]", text)
    latin = re.findall(r"[A-Za-z\u00c0-\u024f]", text)
    digits = len(re.findall(r"\d", text))
    if len(letters) > 200 and len(latin) / len(letters) < 0.5:
        raise InputError("text is not in English (mostly non-Latin script); dyad codes English news", name)
    if len(words) >= 40:
        ratio = sum(w in _EN_FUNCTION_WORDS for w in words) / len(words)
        if ratio < 0.04:
            if digits > 0.12 * max(len(letters), 1):
                raise InputError("text is mostly figures and tables, not prose", name)
            raise InputError(f"text does not look like English ({ratio:.0%} English function words)", name)


def make_article(
    text: str,
    *,
    id: str,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    source_path: str | None = None,
    published_source: str | None = None,
) -> Article:
    """Clean raw text into an Article, or raise InputError."""
    name = source_path or id
    if not text or not text.strip():
        raise InputError("empty article: no text", name)
    if len(text) > MAX_CHARS:
        raise InputError(f"article too large ({len(text):,} characters; the limit is {MAX_CHARS:,})", name)
    cleaned = clean_text(text, title=title)
    if not cleaned.body.strip():
        raise InputError("no article text left after removing boilerplate and captions", name)
    check_english(cleaned.body, name)
    if not published:
        from ..clean import dateline_date

        published = dateline_date(cleaned.body)
        if published:
            published_source = "dateline"
    return Article(
        id=id,
        text=cleaned.body,
        title=cleaned.title,
        published=published,
        url=url,
        outlet=outlet,
        author=author,
        source_path=source_path,
        captions=cleaned.captions,
        dropped_lines=cleaned.dropped,
        published_source=published_source if published else None,
    )


def read_text(text: str, *, id: str = "-", published: str | None = None, title: str | None = None) -> Article:
    return make_article(text, id=id, published=check_date(published), title=title,
                        published_source="caller" if published else None)


FIELD_NAMES = ("id", "text", "published", "title", "url", "outlet", "author")


def _field_map(fields: dict[str, str] | None) -> dict[str, str]:
    unknown = set(fields or {}) - set(FIELD_NAMES)
    if unknown:
        raise ConfigError(f"unknown article field(s) {', '.join(sorted(unknown))}: expected {', '.join(FIELD_NAMES)}")
    return {**{k: k for k in FIELD_NAMES}, **(fields or {})}


def _record_article(rec: dict, f: dict[str, str], where: str, lineno: int, published: str | None
                    ) -> Article | Failure:
    body = rec.get(f["text"])
    if not isinstance(body, str):
        return Failure(where, "read", f"record {lineno} has no '{f['text']}' text field")
    art_id = rec.get(f["id"])
    art_id = str(art_id) if art_id not in (None, "") else where
    try:
        pub = check_date(rec.get(f["published"]), "published date") or published
        return make_article(
            body, id=art_id, published=pub, title=rec.get(f["title"]) or None, url=rec.get(f["url"]) or None,
            outlet=rec.get(f["outlet"]) or None, author=rec.get(f["author"]) or None, source_path=where,
            published_source="metadata" if rec.get(f["published"]) else ("caller" if published else None),
        )
    except (InputError, ConfigError) as exc:
        return Failure(where, "read", exc.message if isinstance(exc, InputError) else str(exc), exc.code)


def _csv_records(text: str, name: str, published: str | None, fields: dict[str, str] | None, delimiter: str
                 ) -> Iterator[Article | Failure]:
    """Articles of a CSV/TSV file with a header row (field names configurable)."""
    import csv
    import io

    csv.field_size_limit(MAX_CHARS * 4)
    f = _field_map(fields)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or f["text"] not in reader.fieldnames:
        yield Failure(name, "read", f"CSV header has no '{f['text']}' column (columns: "
                                    f"{', '.join(reader.fieldnames or [])}); name it with --field text=COLUMN")
        return
    try:
        for lineno, rec in enumerate(reader, 2):
            yield _record_article(rec, f, f"{name}:{lineno}", lineno, published)
    except csv.Error as exc:
        yield Failure(name, "read", f"malformed CSV near line {reader.line_num}: {exc}")


def _jsonl_records(text: str, name: str, published: str | None, fields: dict[str, str]) -> Iterator[Article | Failure]:
    f = _field_map(fields)
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(where, "read", f"invalid JSON on line {lineno}: {exc.msg}")
            continue
        if not isinstance(rec, dict):
            yield Failure(where, "read", f"line {lineno} is not a JSON object")
            continue
        body = rec.get(f["text"])
        if not isinstance(body, str):
            yield Failure(where, "read", f"line {lineno} has no '{f['text']}' string field")
            continue
        art_id = rec.get(f["id"])
        art_id = str(art_id) if art_id not in (None, "") else f"{name}:{lineno}"
        try:
            pub = check_date(rec.get(f["published"]), "published date") or published
            yield make_article(
                body, id=art_id, published=pub, title=rec.get(f["title"]) or None, url=rec.get(f["url"]),
                outlet=rec.get(f["outlet"]), author=rec.get(f["author"]), source_path=where,
                published_source="metadata" if rec.get(f["published"]) else ("caller" if published else None),
            )
        except (InputError, ConfigError) as exc:
            yield Failure(where, "read", exc.message if isinstance(exc, InputError) else str(exc), exc.code)


def _looks_jsonl(text: str) -> bool:
    first = text.lstrip()[:1]
    if first != "{":
        return False
    line = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _looks_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in head or bool(
        re.match(r"\s*<(html|head|body|div|article|p|meta|title)\b", head)
    )


def _read_html(data: bytes, name: str, published: str | None) -> Article:
    from .html import extract_html  # lxml and trafilatura load only when HTML is read

    try:
        meta = extract_html(data)
    except ValueError as exc:
        raise InputError(str(exc), name) from None
    pub = published or check_date(meta.get("published"))
    return make_article(
        meta.get("text") or "", id=name, published=pub, title=meta.get("title"), outlet=meta.get("outlet"),
        author=meta.get("author"), source_path=name,
        published_source="caller" if published else ("metadata" if pub else None),
    )


def _read_warc(path: str, published: str | None) -> Iterator[Article | Failure]:
    from .warc import iter_warc

    try:
        for rec in iter_warc(path):
            if isinstance(rec, Exception):
                yield Failure(path, "read", str(rec))
                continue
            where = rec.get("url") or f"{path}#{rec.get('record_id')}"
            try:
                art = _read_html(rec["html"], where, published)
                art.url = rec.get("url")
                if not art.published and rec.get("warc_date"):
                    art.published = check_date(rec["warc_date"][:10])
                    art.published_source = "crawl"
                yield art
            except InputError as exc:
                yield Failure(where, "read", exc.message, exc.code)
    except (OSError, ValueError) as exc:
        yield Failure(path, "read", f"damaged WARC: {exc}")


def read_bytes(data: bytes, name: str, published: str | None = None, fields: dict[str, str] | None = None
               ) -> Iterator[Article | Failure]:
    """Recognise the format of one input's bytes and yield its articles."""
    try:
        if data[:2] == b"\x1f\x8b" and not name.endswith((".warc.gz",)):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise InputError(f"damaged gzip file: {exc}", name) from None
        if not data.strip():
            raise InputError("empty file", name)
        if data.lstrip()[:5] == b"WARC/":
            raise InputError("WARC data must be read from a file path", name)
        text = decode_text(data, name)
        if name.lower().endswith((".csv", ".tsv")):
            yield from _csv_records(text, name, published, fields, "\t" if name.lower().endswith(".tsv") else ",")
        elif _looks_jsonl(text):
            yield from _jsonl_records(text, name, published, fields or {})
        elif _looks_html(text):
            yield _read_html(data, name, published)
        else:
            yield make_article(text, id=name, published=published, source_path=name,
                               published_source="caller" if published else None)
    except InputError as exc:
        yield Failure(name, "read", exc.message, exc.code)


def _is_warc(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as gz:
                head = gz.read(16)
        except (OSError, EOFError):
            return path.name.endswith((".warc.gz", ".warc"))
    return head.lstrip()[:5] == b"WARC/"


_SKIP_NAMES = re.compile(r"(^\.|\.(py|pyc|json|md|yml|yaml|toml|cfg|ini|lock|png|jpe?g|gif|pdf|zip|duckdb|wal|parquet)$)", re.I)


def iter_files(path: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fn in sorted(files):
            if not _SKIP_NAMES.search(fn):
                yield Path(root) / fn


def read_path(path: str, published: str | None = None, fields: dict[str, str] | None = None
              ) -> Iterator[Article | Failure]:
    """Yield the articles of a file, a directory (recursively) or ``-`` (stdin)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        yield from read_bytes(data, "<stdin>", published, fields)
        return
    p = Path(path)
    if not p.exists():
        yield Failure(path, "read", "no such file or directory")
        return
    if p.is_dir():
        found = False
        for f in iter_files(p):
            found = True
            yield from read_path(str(f), published, fields)
        if not found:
            yield Failure(path, "read", "directory holds no article files")
        return
    try:
        size = p.stat().st_size
        warc = _is_warc(p)
        if size > MAX_BYTES and not warc:
            yield Failure(path, "read", f"file too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
            return
        if warc:
            yield from _read_warc(str(p), published)
            return
        data = p.read_bytes()
    except PermissionError:
        yield Failure(path, "read", "permission denied")
        return
    except OSError as exc:
        yield Failure(path, "read", f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, path, published, fields)


def read_inputs(paths: Iterable[str], published: str | None = None, fields: dict[str, str] | None = None
                ) -> Iterator[Article | Failure]:
    """All articles of all inputs, in input order."""
    published = check_date(published)
    for path in paths:
        yield from read_path(path, published, fields)
