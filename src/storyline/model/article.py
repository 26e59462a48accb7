"""Raw input records: what a reader hands to the cleaner.

An :class:`Article` is one news item as it arrived, before any cleaning: the bytes
or text, where it came from, when it was fetched, and whatever fields the source
itself carried (a JSON record's title, a feed entry's date, ...). Readers never
interpret the content; the cleaner does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ContentKind(StrEnum):
    """How the cleaner should read :attr:`Article.content`."""

    SCRAPED_TEXT = "scraped-text"
    """Plain text in the common scraped shape: title line, optional dateline, body."""
    MARKDOWN = "markdown"
    """Scraped text written in Markdown: the same shape, with Markdown markup removed."""
    BODY_TEXT = "body-text"
    """Plain body text; the title and other fields come from :attr:`Article.fields`."""
    HTML_PAGE = "html-page"
    """A whole web page; the article is extracted from it."""
    HTML_FRAGMENT = "html-fragment"
    """A piece of HTML holding only the article body (feed entries)."""


@dataclass(frozen=True, slots=True)
class SourceFields:
    """Fields the source itself carried, as given (strings, not yet interpreted)."""

    title: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One raw news item.

    ``origin`` names where it came from precisely enough to find it again: a file
    path, ``path#line=3`` for a JSON Lines record, ``archive.warc.gz#<target URI>``,
    a URL, or ``<stdin>``. ``source_id`` is the record's own id when it had one
    (a JSON ``id`` field, a feed entry's guid), otherwise the origin.
    """

    content: str | bytes
    kind: ContentKind
    origin: str
    source_id: str
    fields: SourceFields = field(default_factory=SourceFields)
    fetched_at: datetime | None = None
    encoding: str | None = None
    """Declared character encoding of ``content`` when it is bytes (HTTP header, XML declaration)."""

    def __post_init__(self) -> None:
        if self.fetched_at is not None and self.fetched_at.tzinfo is None:
            raise ValueError(f"Article.fetched_at must be timezone-aware, got {self.fetched_at!r}")
        if not self.origin:
            raise ValueError("Article.origin must name where the article came from")
