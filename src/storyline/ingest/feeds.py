"""RSS and Atom feeds (feedparser), optionally fetching each entry's linked page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from storyline.config import IngestConfig
from storyline.errors import FetchError, InputError
from storyline.ingest.sources import Source
from storyline.ingest.transport import Transport
from storyline.model import Article, ContentKind, SourceFields


def _entry_date(entry: Any) -> str | None:
    """The entry's own date string (RFC 822 or ISO 8601), kept with its zone for the cleaner."""
    for key in ("published", "updated", "created"):
        if entry.get(key):
            return str(entry[key])
    return None


def _entry_body(entry: Any) -> tuple[str, ContentKind] | None:
    candidates = list(entry.get("content") or [])
    if entry.get("summary"):
        candidates.append(
            {"value": entry.get("summary"), "type": entry.get("summary_detail", {}).get("type", "text/html")}
        )
    best = max(candidates, key=lambda c: len(c.get("value") or ""), default=None)
    if not best or not (best.get("value") or "").strip():
        return None
    kind = ContentKind.HTML_FRAGMENT if "html" in (best.get("type") or "text/html") else ContentKind.BODY_TEXT
    return best["value"], kind


def read_feed(
    source: Source, config: IngestConfig, transport: Transport | None = None
) -> Iterator[Article | InputError]:
    """Each feed entry becomes an Article from its own content; with ``fetch_links``
    the linked page is fetched through ``transport`` and read instead (falling back to
    the entry's content when the fetch fails, with the failure reported)."""
    import feedparser

    data = source.read_limited(config.max_file_bytes)
    if not data.strip():
        yield InputError(source.name, "empty", f"empty input ({len(data)} bytes)")
        return
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not entries:
        reason = parsed.get("bozo_exception")
        yield InputError(source.name, "malformed", f"not a readable RSS/Atom feed ({reason})")
        return
    if not entries:
        yield InputError(source.name, "no-text", "feed has no entries")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for i, entry in enumerate(entries, 1):
        entry_id = entry.get("id") or entry.get("link")
        origin = f"{source.name}#{entry_id or f'entry={i}'}"
        fields = SourceFields(
            title=entry.get("title"),
            url=entry.get("link"),
            source=config.source or feed_title,
            author=entry.get("author"),
            published=_entry_date(entry),
            language=entry.get("language") or (parsed.get("feed") or {}).get("language"),
        )
        if config.fetch_links and entry.get("link") and transport is not None:
            try:
                page = transport.fetch(entry["link"], timeout=config.timeout, max_bytes=config.max_document_bytes)
            except FetchError as exc:
                yield InputError(origin, exc.code, f"linked page not fetched, using the feed's text ({exc.reason})")
            else:
                yield Article(
                    page.content,
                    ContentKind.HTML_PAGE,
                    origin,
                    entry_id or origin,
                    fields,
                    page.fetched_at,
                    page.charset,
                )
                continue
        body = _entry_body(entry)
        if body is None:
            yield InputError(origin, "no-text", "feed entry has no text (try --fetch-links)")
            continue
        yield Article(body[0], body[1], origin, entry_id or origin, fields, source.fetched_at)
