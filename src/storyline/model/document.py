"""Clean documents: what every later stage reads."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Granularity(StrEnum):
    """How precise a date is. A dateline "May 2018" is a month, not May 1st."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"
    SECOND = "second"


class DateSource(StrEnum):
    """Where a publication date was found."""

    METADATA = "metadata"
    """A field of the source: HTML meta tags, a feed entry's date, a JSON/CSV field."""
    DATELINE = "dateline"
    """A date line near the top of the text."""
    URL = "url"
    """A date in the article's URL path (/2018/05/21/)."""
    GIVEN = "given"
    """Given by the user for inputs that carry none (``--published``)."""


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A publication date with its precision and provenance.

    ``value`` is always timezone-aware; when the source gave no zone it is UTC and
    ``zone_given`` is False. For a day-granular date the time part is midnight.
    """

    value: datetime
    granularity: Granularity
    source: DateSource
    raw: str
    zone_given: bool = False

    def __post_init__(self) -> None:
        if self.value.tzinfo is None:
            raise ValueError(f"PublishedDate.value must be timezone-aware, got {self.value!r}")

    def isoformat(self) -> str:
        """The date at its own granularity: ``2018``, ``2018-05``, ``2018-05-21`` or a full timestamp."""
        v = self.value
        if self.granularity is Granularity.YEAR:
            return f"{v.year:04d}"
        if self.granularity is Granularity.MONTH:
            return f"{v.year:04d}-{v.month:02d}"
        if self.granularity is Granularity.DAY:
            return v.date().isoformat()
        return v.isoformat()


def content_id(text: str) -> str:
    """The document id: a hash of the text with case, Unicode form and spacing folded.

    Two inputs whose clean text differs only in case or white space are one document.
    """
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=10).hexdigest()


@dataclass(frozen=True, slots=True)
class Duplicate:
    """This document is a near-copy of an earlier stored one."""

    of: str
    similarity: float
    """Estimated Jaccard similarity of the two texts' word shingles (MinHash estimate)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A clean news document.

    ``text`` is the article body only: paragraphs separated by one blank line, with
    photo captions, credit lines and scraper leftovers moved to their own fields.
    Later annotations point into ``text`` by character offsets, so it never changes
    once stored.
    """

    id: str
    text: str
    source_id: str
    origin: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: PublishedDate | None = None
    language: str | None = None
    """ISO 639-1 code, or None when the text is too short or in none of the configured languages."""
    captions: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = ()
    fetched_at: datetime | None = None
    duplicate: Duplicate | None = None
    notes: tuple[str, ...] = field(default=())
    """What the cleaner repaired or could not do (mojibake fixed, decoded as cp1252, ...)."""

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("Document.text must not be empty")
        if self.fetched_at is not None and self.fetched_at.tzinfo is None:
            raise ValueError("Document.fetched_at must be timezone-aware")

    @property
    def duplicate_of(self) -> str | None:
        return self.duplicate.of if self.duplicate else None

    @property
    def titled_text(self) -> str:
        """The title and the text, as the embedders read a document (the title once: a text that
        opens with it is read as it is)."""
        return f"{self.title}. {self.text}" if self.title and not self.text.startswith(self.title) else self.text
