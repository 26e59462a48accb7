"""RSS and Atom feeds (feedparser), optionally fetching each entry's linked page."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Any

from storyline.config import IngestConfig
from storyline.encoding import ascii_compatible
from storyline.errors import FetchError, InputError
from storyline.ingest.sources import Source, _document_start, is_url
from storyline.ingest.transport import Transport
from storyline.model import Article, ContentKind, SourceFields

_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z][\w.-]{0,20}:)?(?:item|entry)[\s>/]", re.IGNORECASE)
_ENTRY_END = re.compile(rb"</(?:[A-Za-z][\w.-]{0,20}:)?(?:item|entry)\s*>", re.IGNORECASE)
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_ROOT_NAME = re.compile(rb"<([A-Za-z_][\w.:-]{0,60})")
#: How far from its end a feed's closing root tag is looked for (past trailing comments and space).
_ROOT_END_TAIL = 64 * 1024


def _safe_char_ref(match: re.Match[bytes]) -> bytes:
    value = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF or (value < 0x20 and value not in (9, 10, 13)):
        return b"&#xFFFD;"  # no such character: the parser would fail on it
    return match.group(0)


_XML_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)[\"'][^\"']*[\"']")


def _as_utf8(data: bytes) -> bytes:
    """A UTF-16 or UTF-32 feed (by its byte-order mark or its zero bytes) as UTF-8, with its
    XML declaration saying so; other bytes as they are."""
    converted = ascii_compatible(data)
    if converted is data or data.startswith(b"\xef\xbb\xbf"):
        return data
    return _XML_ENCODING.sub(rb'\1"utf-8"', converted, count=1)


def _unclosed_root(data: bytes) -> str | None:
    """The name of the feed's root element when the markup never closes it, as in a file cut
    short; else None. (feedparser's bozo flag cannot tell: a whole feed using an HTML entity
    such as &eacute; is "bozo" too, and its parser reads a cut feed without complaint.)"""
    match = _ROOT_NAME.match(_document_start(data[:4096]))
    if match is None:
        return None
    end = re.compile(rb"</" + re.escape(match.group(1)) + rb"\s*>", re.IGNORECASE)
    return None if end.search(data, max(0, len(data) - _ROOT_END_TAIL)) else match.group(1).decode()


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


def _entry_link(entry: Any) -> str | None:
    """The page an entry links to. feedparser gives an entry with no link of its own its guid
    (RSS) or id (Atom) as ``link``: that is a link only when it is a web address ("l4" or
    "urn:uuid:..." is a name, and there is no page to fetch)."""
    link = entry.get("link")
    if not link or not (entry.get("links") or is_url(str(link))):
        return None
    return str(link)


def entry_key(entry: Any) -> str | None:
    """What names a feed entry across fetches: its id (guid), else its link."""
    key = entry.get("id") or entry.get("link")
    return str(key) if key else None


def entry_fingerprint(entry: Any) -> str:
    """What an entry says, as a short hash: an entry that comes again changed is read again."""
    # dict.get: the raw keys, past feedparser's aliasing of one date key to another (which warns)
    parts = [str(dict.get(entry, k) or "") for k in ("title", "link", "summary", "updated", "published")]
    parts += [str(c.get("value") or "") for c in entry.get("content") or []]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "replace"), digest_size=10).hexdigest()


def _transient(exc: FetchError) -> bool:
    """A failure that may pass (no answer in time, a body cut short, a server error or "too many
    requests", no connection, a robots.txt not served): worth trying again. A page that is gone,
    refused or too large is not; its entry is read from the feed's own text."""
    if exc.code in ("timeout", "truncated"):
        return True
    if exc.code == "robots":
        return "could not be read" in exc.reason
    if exc.code == "fetch":
        status = re.match(r"HTTP (\d{3})", exc.reason)
        return status is None or status.group(1).startswith("5") or status.group(1) == "429"
    return False


def entry_identity(entry: Any) -> str:
    """An entry's key across fetches: its id or link, else (neither given) what it says."""
    return entry_key(entry) or "fp:" + entry_fingerprint(entry)


def is_summary_only(entry: Any, words: int) -> bool:
    """An entry with no full content and a summary of fewer than ``words`` words: what the feed
    gives is a teaser, and the article is on the page it links to."""
    if any((c.get("value") or "").strip() for c in entry.get("content") or []):
        return False
    summary = re.sub(r"<[^>]*>", " ", str(entry.get("summary") or ""))
    return len(summary.split()) < words


def read_feed(
    source: Source,
    config: IngestConfig,
    transport: Transport | None = None,
    *,
    want: Callable[[str, str], bool] | None = None,
    follow: Callable[[Any], bool] | None = None,
    unread: Callable[[str], None] | None = None,
) -> Iterator[Article | InputError]:
    """Each feed entry becomes an Article from its own content; with ``fetch_links``
    the linked page is fetched through ``transport`` and read instead (falling back to
    the entry's content when the fetch fails, with the failure reported).

    ``want(key, fingerprint)``, when given, is asked about each entry first: an entry it
    declines is passed over (``storyline watch`` declines the entries it has read). ``follow(entry)``,
    when given, decides per entry whether to fetch its linked page, instead of ``fetch_links``.
    ``unread(key)``, when given, is told of an entry whose linked page could not be fetched for a
    reason that may pass (a timeout, a server error), and that entry is not read from the feed's
    text instead (the watch tries it again later); a page that is gone or refused falls back to
    the feed's text as without it."""
    import feedparser

    data = source.read_limited(config.max_file_bytes)
    if not data.strip():
        yield InputError(source.name, "empty", f"empty input ({len(data)} bytes)")
        return
    data = _CHAR_REF.sub(_safe_char_ref, _as_utf8(data))
    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser's own failures on broken markup
        yield InputError(source.name, "malformed", f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})")
        return
    entries = parsed.get("entries") or []
    problem = " ".join(str(parsed.get("bozo_exception") or "").split())[:160]
    opened = [m.end() for m in _ENTRY_TAG.finditer(data)]
    declared = len(opened)
    unclosed = _unclosed_root(data)
    if unclosed is not None:
        # a feed cut short: the entry it ends inside (opened, never closed) has lost its text, and
        # is counted with the loss rather than read as an entry with little or none
        if opened and not _ENTRY_END.search(data, opened[-1]) and len(entries) == declared:
            entries = entries[:-1]
        if not entries:
            yield InputError(
                source.name,
                "truncated",
                f"feed is cut short (it ends before </{unclosed}>): none of its entries is whole",
            )
            return
    if parsed.get("bozo") and not entries:
        yield InputError(source.name, "malformed", f"not a readable RSS/Atom feed ({problem or 'no entries'})")
        return
    if not entries:
        yield InputError(source.name, "no-text", "feed has no entries")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for i, entry in enumerate(entries, 1):
        entry_id = entry_key(entry)
        origin = f"{source.name}#{entry_id or f'entry={i}'}"
        if want is not None and not want(entry_identity(entry), entry_fingerprint(entry)):
            continue
        link = _entry_link(entry)
        fields = SourceFields(
            title=entry.get("title"),
            url=link,
            source=config.source or feed_title,
            author=entry.get("author"),
            published=_entry_date(entry),
            language=entry.get("language") or (parsed.get("feed") or {}).get("language"),
        )
        fetch_link = follow(entry) if follow is not None else config.fetch_links
        body = _entry_body(entry)
        if fetch_link and link and transport is not None:
            try:
                page = transport.fetch(link, timeout=config.timeout, max_bytes=config.max_document_bytes)
            except FetchError as exc:
                if unread is not None and _transient(exc):
                    unread(entry_identity(entry))
                    yield InputError(origin, exc.code, f"linked page not fetched; tried again later ({exc.reason})")
                    continue
                if body is None:  # one error for the entry, not a second one for its missing text
                    yield InputError(
                        origin, exc.code, f"linked page not fetched and the entry has no text ({exc.reason})"
                    )
                    continue
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
        if body is None:
            hint = " and no link" if not link else ("" if fetch_link else " (try --fetch-links)")
            yield InputError(origin, "no-text", f"feed entry has no text{hint}")
            continue
        yield Article(body[0], body[1], origin, entry_id or origin, fields, source.fetched_at)
    if unclosed is not None:
        yield InputError(
            source.name,
            "truncated",
            f"feed is cut short (it ends before </{unclosed}>): {len(entries)} of {declared} entries read",
        )
    elif declared > len(entries):
        # the markup opens more entries than the parser could read (a feed cut short, or broken
        # inside): the ones above are kept, and the loss is said
        detail = f" ({problem})" if problem else ""
        yield InputError(
            source.name,
            "truncated",
            f"feed opens {declared} entries but only {len(entries)} could be read{detail}",
        )
