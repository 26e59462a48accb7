"""WARC, WARC.gz and ARC web archives (warcio): HTML responses become HTML page Articles."""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.ingest.sources import Source
from storyline.model import Article, ContentKind, SourceFields

_HTML_TYPES = ("text/html", "application/xhtml+xml")


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


def read_warc(source: Source, config: IngestConfig) -> Iterator[Article | InputError]:
    """Read response (and resource) records with an HTML payload and a 2xx status.

    Other records (requests, metadata, images, robots.txt, redirects) are passed over.
    A truncated or corrupt archive yields the pages read so far, then one error.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if source.size() > config.max_file_bytes:
        yield InputError(source.name, "too-large", f"over the {config.max_file_bytes:,}-byte file limit")
        return
    count = 0
    with source.open() as stream:
        try:
            for record in _quiet(ArchiveIterator(stream, arc2warc=True)):
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
                    raise EOFError(f"record for {uri or 'a page'} ends early")
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
        # warcio's own failures on damaged records (a record with no target URI raises
        # AttributeError inside it) are damage too
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, AttributeError, TypeError) as exc:
            yield InputError(
                source.name,
                "truncated",
                f"archive is truncated or corrupt after {count} page(s) ({str(exc).strip() or type(exc).__name__})",
            )
            return
    if count == 0:
        yield InputError(source.name, "no-text", "archive holds no HTML responses")
