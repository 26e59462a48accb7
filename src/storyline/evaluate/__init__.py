"""Evaluation against public gold data (kept outside the repository, passed by path)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline.model import Document


def gold_document(text: str, name: str, published: date | None) -> Document:
    """A gold item's text as an English document published on the gold's date (the anchor for
    its relative times)."""
    from storyline.model import DateSource, Document, Granularity, PublishedDate, content_id

    when = (
        PublishedDate(
            datetime(published.year, published.month, published.day, tzinfo=UTC),
            Granularity.DAY,
            DateSource.METADATA,
            published.isoformat(),
        )
        if published
        else None
    )
    return Document(id=content_id(text), text=text, source_id=name, origin=name, language="en", published=when)


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
