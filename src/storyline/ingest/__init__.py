"""Readers: each a plain function from a Source to Articles (and InputErrors for what failed).

:func:`read` chooses the reader by extension and content sniffing.
"""

from __future__ import annotations

from collections.abc import Iterator

from storyline.config import IngestConfig
from storyline.errors import InputError, internal_error
from storyline.ingest.feeds import read_feed
from storyline.ingest.records import read_csv, read_json, read_jsonl, record_to_article
from storyline.ingest.sources import Source, expand, is_url, sniff
from storyline.ingest.text import read_html, read_text
from storyline.ingest.transport import Fetched, HttpTransport, Transport, check_url
from storyline.ingest.warc import read_warc
from storyline.model import Article

__all__ = [
    "Fetched",
    "HttpTransport",
    "Source",
    "Transport",
    "check_url",
    "expand",
    "read",
    "read_csv",
    "read_feed",
    "read_html",
    "read_json",
    "read_jsonl",
    "read_text",
    "read_warc",
    "record_to_article",
    "sniff",
]


def fetch_source(url: str, config: IngestConfig, transport: Transport) -> Source:
    """Fetch a URL given on the command line into a Source (raises FetchError)."""
    fetched = transport.fetch(url, timeout=config.timeout, max_bytes=config.max_document_bytes)
    return Source(
        url,
        data=fetched.content,
        content_type=fetched.content_type,
        charset=fetched.charset,
        fetched_at=fetched.fetched_at,
    )


def read(source: Source, config: IngestConfig, transport: Transport | None = None) -> Iterator[Article | InputError]:
    """Read one source with the reader its format calls for. Never raises InputError:
    failures come out as values so the rest of the batch goes on."""
    try:
        needs_network = (is_url(source.name) and source.data is None) or config.fetch_links
        if transport is None and needs_network:
            transport = HttpTransport(allow_private=config.allow_private)
        if is_url(source.name) and source.data is None:
            assert transport is not None
            source = fetch_source(source.name, config, transport)
        size = source.size()
        if size == 0:
            yield InputError(source.name, "empty", "empty input (0 bytes)")
            return
        fmt = config.format or sniff(source, source.head())
        if fmt == "text":
            yield from read_text(source, config)
        elif fmt == "html":
            yield from read_html(source, config)
        elif fmt == "json":
            yield from read_json(source, config)
        elif fmt == "jsonl":
            yield from read_jsonl(source, config)
        elif fmt == "csv":
            yield from read_csv(source, config)
        elif fmt == "feed":
            yield from read_feed(source, config, transport)
        elif fmt == "warc":
            yield from read_warc(source, config)
        else:  # pragma: no cover - READER_NAMES and this switch are kept in step by a test
            yield InputError(source.name, "unsupported", f"no reader for format {fmt!r}")
    except InputError as exc:
        yield exc
    except PermissionError:
        yield InputError(source.name, "unreadable", "permission denied")
    except FileNotFoundError:  # (listed in a folder, then removed before it was read)
        yield InputError(source.name, "unreadable", "no such file (removed before it was read)")
    except IsADirectoryError:
        yield InputError(source.name, "unreadable", "is a folder")
    except OSError as exc:
        yield InputError(source.name, "unreadable", exc.strerror or str(exc))
    except Exception as exc:  # a reader's bug must not end the batch
        yield internal_error(source.name, exc)
