"""WARC, WARC.gz and ARC web archives (warcio): HTML responses become HTML page Articles."""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any, BinaryIO

from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.ingest.sources import GZIP_MAGIC, Source
from storyline.model import Article, ContentKind, SourceFields

_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: How the archive formats begin: a WARC record's version line, an ARC file's header record.
_ARCHIVE_STARTS = (b"WARC/", b"filedesc://")
#: Compressed bytes read at a time from a gzipped archive.
_GUNZIP_CHUNK = 64 * 1024
#: The most of an input's own bytes (or a library's message) quoted in a reason.
_QUOTE_CHARS = 80


class _Damaged(Exception):
    """The archive is cut short or damaged; the message says how, in a few words."""


class _Gunzip:
    """A gzipped archive's bytes, decompressed in order, member after member.

    warcio reads one gzip member per record; an archive compressed whole (one member over every
    record, as ``gzip crawl.warc`` makes it) is as valid, and read through this it is read in full.
    At a cut the stream ends instead of raising, so that warcio hands over every record before
    it, and ``cut`` says so."""

    def __init__(self, compressed: BinaryIO) -> None:
        self._compressed = compressed
        self._inflate = zlib.decompressobj(wbits=31)
        self._pending = b""  # compressed bytes not yet decompressed
        self._in_member = False
        self.cut = False

    def read(self, size: int = -1) -> bytes:
        limit = size if size > 0 else 0  # (0: no limit)
        while True:
            if not self._pending:
                self._pending = self._compressed.read(_GUNZIP_CHUNK)
                if not self._pending:
                    self.cut = self._in_member
                    return b""
            if self._inflate.eof:
                if not self._pending.strip(b"\0 \t\r\n"):  # zero padding, or a newline, after the last member
                    self._pending = b""
                    continue
                self._inflate = zlib.decompressobj(wbits=31)
            self._in_member = True
            out = self._inflate.decompress(self._pending, limit)
            if self._inflate.eof:
                self._in_member = False
                self._pending = self._inflate.unused_data
            else:
                self._pending = self._inflate.unconsumed_tail
            if out:
                return out


def _quoted(text: str | bytes) -> str:
    """Some of an input's bytes or a library's message, fit to quote in a one-line reason:
    printable characters only (others become "?"), at most _QUOTE_CHARS of them."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    shown = "".join(c if c.isprintable() and c != "\ufffd" else "?" for c in " ".join(text.split()))
    return shown if len(shown) <= _QUOTE_CHARS else shown[: _QUOTE_CHARS - 1] + "…"


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _quiet(records: Iterator[Any]) -> Iterator[Any]:
    """warcio writes its complaints about a damaged record straight to stderr; they are kept
    from the user's terminal (the reader reports damage itself, as an InputError)."""
    while True:
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                record = next(records)
            except StopIteration:
                return
        yield record


def _archive_head(source: Source) -> bytes:
    """The first (decompressed) bytes of the archive, past any white space."""
    head = source.head()
    if head.startswith(GZIP_MAGIC):
        try:
            head = _Gunzip(io.BytesIO(head)).read(len(head))
        except zlib.error:
            return b""
    return head.lstrip()


def _is_archive_start(head: bytes) -> bool:
    """Whether ``head`` begins as a WARC or ARC file does (or is all of such a beginning: a cut file)."""
    start = head[: max(len(s) for s in _ARCHIVE_STARTS)]
    return any(start.startswith(s) or s.startswith(start) for s in _ARCHIVE_STARTS)


def read_warc(source: Source, config: IngestConfig) -> Iterator[Article | InputError]:
    """Read response (and resource) records with an HTML payload and a 2xx status.

    Other records (requests, metadata, images, robots.txt, redirects) are passed over.
    A truncated or corrupt archive yields the pages read so far, then one error saying where
    it breaks off; a file that is no web archive at all is one error.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if source.size() > config.max_file_bytes:
        yield InputError(source.name, "too-large", f"over the {config.max_file_bytes:,}-byte file limit")
        return
    head = _archive_head(source)
    if head and not _is_archive_start(head):
        first_line = _quoted(head.split(b"\n", 1)[0])
        yield InputError(source.name, "malformed", f"not a WARC or ARC file (it begins '{first_line}')")
        return
    count = 0
    problem: str | None = None
    with source.open() as stream:
        gunzip = _Gunzip(stream) if source.head(2) == GZIP_MAGIC else None
        records = ArchiveIterator(gunzip or stream, arc2warc=True)
        last: Any = None
        try:
            for record in _quiet(records):
                last = record
                declared = record.rec_headers.get_header("Content-Length") or ""
                if record.length is None or not declared.strip().isdigit():  # (a record's length is required)
                    raise _Damaged("truncated inside a record's headers")
                if record.rec_type not in ("response", "resource"):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                origin = f"{source.name}#{uri or record.rec_headers.get_header('WARC-Record-ID')}"
                if record.rec_type == "response":
                    if record.http_headers is None:
                        continue
                    status = record.http_headers.get_statuscode() or ""
                    if not status.startswith("2"):
                        continue
                    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                else:
                    ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
                if not ctype.startswith(_HTML_TYPES):
                    continue
                payload = record.content_stream().read(config.max_document_bytes + 1)
                if len(payload) <= config.max_document_bytes and getattr(record.raw_stream, "limit", 0) > 0:
                    # warcio returns a short payload silently when the file ends mid-record
                    raise _Damaged(f"truncated inside the record for {_quoted(uri) or 'a page'}")
                count += 1
                if len(payload) > config.max_document_bytes:
                    yield InputError(
                        origin, "too-large", f"archived page is over the {config.max_document_bytes:,}-byte limit"
                    )
                    continue
                charset = ctype.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in ctype else None
                record_id = record.rec_headers.get_header("WARC-Record-ID") or origin
                yield Article(
                    content=payload,
                    kind=ContentKind.HTML_PAGE,
                    origin=origin,
                    source_id=record_id,
                    fields=SourceFields(url=uri or None, source=config.source),
                    fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
                    encoding=charset,
                )
            # warcio ends quietly where the file does: inside a record's content (its length not
            # read), or inside the headers of one more record (begun, then not handed over)
            cut_in_record = getattr(getattr(last, "raw_stream", None), "limit", 0) > 0
            if cut_in_record or records.next_line or (last is None and head):
                raise _Damaged("truncated inside a record")
            if gunzip is not None and gunzip.cut:
                raise _Damaged("truncated inside a gzip member")
        except _Damaged as exc:
            problem = str(exc)
        except ArchiveLoadFailed as exc:
            line = records.next_line if last is not None else head
            if line and _is_archive_start(line):  # the version line of a record, cut short
                problem = "truncated inside a record's headers"
            else:
                problem = f"a record does not begin as WARC and ARC records do ({_quoted(str(exc))})"
        # warcio's own failures on damaged records (a record with no target URI raises
        # AttributeError inside it) are damage too
        except (AttributeError, TypeError):
            problem = "a record's headers are damaged or cut short"
        except zlib.error as exc:
            problem = f"damaged gzip data ({_quoted(str(exc))})"
        except (EOFError, OSError, ValueError) as exc:
            problem = _quoted(str(exc)) or type(exc).__name__
    if problem is not None:
        yield InputError(source.name, "truncated", f"archive is truncated or corrupt after {count} page(s) ({problem})")
        return
    if count == 0:
        yield InputError(source.name, "no-text", "archive holds no HTML responses")
