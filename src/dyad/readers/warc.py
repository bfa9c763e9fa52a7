"""HTML pages out of WARC crawl files (``.warc`` and ``.warc.gz``), tolerant of damage.

:func:`iter_warc` yields one dict per HTML response record and, where the file is
damaged, a :class:`WarcError` *instance* (yielded, not raised) that names the file,
the byte offset and the problem. After a damaged spot the reader looks for the next
record it can parse (the next gzip member of a record-compressed ``.warc.gz``, or the
next ``WARC/`` header line of an uncompressed file) and goes on from there; when
there is none (a truncated file) it stops. So a batch writes every yielded marker to
its failure log and carries on::

    for item in iter_warc(path):
        if isinstance(item, WarcError):
            failures.append((item.path, item.offset, item.problem))
            continue
        handle(item["url"], item["html"])

Markers rather than an exception: a generator that raises is finished, so every
record after a corrupt spot in the middle of a crawl would be lost; a marker lets the
caller log the failure and keep reading the same file.

Damage that is detected: truncated records (fewer bytes than their Content-Length,
also when a gzip member is cut), unparseable headers or garbage between records,
corrupt gzip data, payload/block digests that do not match (when the record carries
them), and bytes left at the end of the file that do not form a record.
Only an unopenable path raises (``OSError``).
"""
from __future__ import annotations

import os
import zlib
from typing import BinaryIO, Iterator

__all__ = ["iter_warc", "WarcError"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16
_TRUNCATED = "record truncated"


class WarcError(ValueError):
    """A damaged spot in a WARC file: ``path``, byte ``offset`` (in the file as stored,
    i.e. compressed for ``.warc.gz``) and ``problem``. ``record_id`` and ``url`` are set
    when the damaged record's header could be read."""

    def __init__(self, path: str, offset: int | None, problem: str,
                 record_id: str | None = None, url: str | None = None):
        self.path = path
        self.offset = offset
        self.problem = problem
        self.record_id = record_id
        self.url = url
        where = f"offset {offset}" if offset is not None else "unknown offset"
        what = f" (record {record_id}{', ' + url if url else ''})" if record_id else ""
        super().__init__(f"{path}: damaged WARC at {where}{what}: {problem}")


def _is_html(rec, head: bytes) -> bool:
    ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
    if ctype:
        return ctype.split(";")[0].strip() in _HTML_TYPES
    sniff = head[:1024].lstrip().lower()
    return sniff.startswith((b"<!doctype html", b"<html")) or b"<html" in sniff


def _status_ok(rec) -> bool:
    code = rec.http_headers.get_statuscode() if rec.http_headers else None
    return bool(code) and str(code).startswith("2")


def _drain(stream) -> None:
    while stream.read(_CHUNK):
        pass


def _read_record(rec) -> tuple[dict | None, str | None]:
    """(item or None, problem or None) for one record, read to its end."""
    item = None
    problem = None
    try:
        if rec.rec_type == "response" and rec.http_headers is not None and _status_ok(rec):
            body = rec.content_stream().read()
            if _is_html(rec, body):
                item = {
                    "url": rec.rec_headers.get_header("WARC-Target-URI"),
                    "html": body,
                    "warc_date": rec.rec_headers.get_header("WARC-Date"),
                    "record_id": rec.rec_headers.get_header("WARC-Record-ID"),
                }
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        problem = f"record content unreadable ({type(exc).__name__}: {exc})"
    try:
        _drain(rec.raw_stream)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        problem = problem or f"record unreadable ({type(exc).__name__}: {exc})"
    remaining = getattr(rec.raw_stream, "limit", 0) or 0
    if remaining > 0:  # the block ended before its Content-Length: a cut file or member
        total = rec.length
        return None, f"{_TRUNCATED}: {total - remaining} of {total} bytes present"
    checker = getattr(rec, "digest_checker", None)
    if problem is None and checker is not None and checker.problems:
        problem = "; ".join(checker.problems)
    return (None, problem) if problem else (item, None)


def _next_start(fh: BinaryIO, start: int, gz: bool) -> int | None:
    """Offset of the next record start at or after ``start`` (a gzip member that
    decompresses to a WARC header, or a ``WARC/`` line), or None."""
    needle = _GZIP_MAGIC if gz else b"\nWARC/"
    shift = 0 if gz else 1  # the match starts at the newline before the header
    pos = max(0, start - shift)
    while True:
        fh.seek(pos)
        carry_pos = pos
        carry = b""
        found = None
        while found is None:
            block = fh.read(_CHUNK)
            if not block:
                return None
            data = carry + block
            i = data.find(needle)
            if i != -1:
                found = carry_pos + i + shift
                break
            carry = data[-(len(needle) - 1):]
            carry_pos += len(data) - len(carry)
        if not gz or _gzip_member_is_warc(fh, found):
            return found
        pos = found + 1


def _gzip_member_is_warc(fh: BinaryIO, at: int) -> bool:
    fh.seek(at)
    try:
        head = zlib.decompressobj(31).decompress(fh.read(_CHUNK), 64)
    except zlib.error:
        return False
    return head.lstrip().startswith(b"WARC/")


def iter_warc(path: str | os.PathLike) -> Iterator[dict | WarcError]:
    """Yield the HTML response records of a WARC file, and markers where it is damaged.

    Each record is ``{"url", "html" (bytes, transfer- and content-decoded),
    "warc_date", "record_id"}``, in file order; only ``response`` records with a 2xx
    HTTP status and an HTML content type (or, without one, an HTML-looking body)
    are yielded. Each damaged spot yields one :class:`WarcError` instance (see the
    module docstring); the records before it have been yielded already, and reading
    resumes at the next parseable record if there is one. Raises ``OSError`` only
    when the file cannot be opened.
    """
    from warcio.archiveiterator import ArchiveIterator

    name = os.fspath(path)
    size = os.path.getsize(name)
    with open(name, "rb") as fh:
        gz = fh.read(2) == _GZIP_MAGIC[:2]
        start = 0
        while start is not None and start < size:
            fh.seek(start)
            it = ArchiveIterator(fh, check_digests=True)
            damage: WarcError | None = None
            offset = start
            try:
                for rec in it:
                    offset = it.offset
                    if rec.format != "warc" or not rec.rec_type or not isinstance(rec.length, int):
                        what = "incomplete record header" if rec.format == "warc" else "not a WARC record"
                        damage = WarcError(name, offset, what)
                        break
                    item, problem = _read_record(rec)
                    if problem:
                        err = WarcError(name, offset, problem, rec.rec_headers.get_header("WARC-Record-ID"),
                                        rec.rec_headers.get_header("WARC-Target-URI"))
                        if problem.startswith(_TRUNCATED):
                            damage = err  # nothing after a cut record can be trusted: resync
                            break
                        yield err  # a bad payload in an intact structure: go on
                        continue
                    if item is not None:
                        yield item
                else:
                    # the iterator stopped: everything up to the end must have been records
                    end = it.offset
                    if end < size:
                        fh.seek(end)
                        rest = fh.read(_CHUNK)
                        if rest.strip(b"\r\n\t \x00"):
                            damage = WarcError(name, end, "unreadable data where a record should start "
                                                          "(truncated or corrupt record header)")
            except Exception as exc:  # noqa: BLE001 - warcio raises several types on bad input
                where = it.offset if it.offset is not None else offset
                if isinstance(exc, (AttributeError, TypeError, IndexError, KeyError)):
                    problem = f"truncated or corrupt record header ({type(exc).__name__}: {exc})"
                else:
                    detail = " ".join(str(exc).split())[:200]
                    problem = f"unreadable record ({type(exc).__name__}: {detail})"
                damage = WarcError(name, where, problem)
            if damage is None:
                return
            yield damage
            start = _next_start(fh, (damage.offset or 0) + 1, gz)
