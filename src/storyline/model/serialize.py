"""Documents <-> plain dicts (JSON, CSV, golden files). Standard library only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storyline.model.document import DateSource, Document, Duplicate, Granularity, PublishedDate

#: Field order of exported documents.
EXPORT_FIELDS: tuple[str, ...] = (
    "id", "source_id", "title", "url", "source", "author", "published", "published_granularity",
    "published_from", "language", "text", "captions", "credits", "boilerplate", "duplicate_of",
    "duplicate_similarity", "origin", "fetched_at", "notes",
)  # fmt: skip
#: Exports also carry ``seen_in``: every input that produced the document's text.


def document_to_dict(doc: Document) -> dict[str, Any]:
    p = doc.published
    return {
        "id": doc.id,
        "source_id": doc.source_id,
        "title": doc.title,
        "url": doc.url,
        "source": doc.source,
        "author": doc.author,
        "published": p.value.isoformat() if p else None,
        "published_granularity": p.granularity.value if p else None,
        "published_from": p.source.value if p else None,
        "published_raw": p.raw if p else None,
        "published_zone_given": p.zone_given if p else None,
        "language": doc.language,
        "text": doc.text,
        "captions": list(doc.captions),
        "credits": list(doc.credits),
        "boilerplate": list(doc.boilerplate),
        "duplicate_of": doc.duplicate.of if doc.duplicate else None,
        "duplicate_similarity": doc.duplicate.similarity if doc.duplicate else None,
        "origin": doc.origin,
        "fetched_at": doc.fetched_at.isoformat() if doc.fetched_at else None,
        "notes": list(doc.notes),
    }


def document_from_dict(data: dict[str, Any]) -> Document:
    published = None
    if data.get("published"):
        published = PublishedDate(
            datetime.fromisoformat(data["published"]),
            Granularity(data["published_granularity"]),
            DateSource(data["published_from"]),
            data.get("published_raw") or "",
            bool(data.get("published_zone_given")),
        )
    duplicate = (
        Duplicate(data["duplicate_of"], float(data["duplicate_similarity"])) if data.get("duplicate_of") else None
    )
    return Document(
        id=data["id"],
        text=data["text"],
        source_id=data["source_id"],
        origin=data["origin"],
        title=data.get("title"),
        url=data.get("url"),
        source=data.get("source"),
        author=data.get("author"),
        published=published,
        language=data.get("language"),
        captions=tuple(data.get("captions") or ()),
        credits=tuple(data.get("credits") or ()),
        boilerplate=tuple(data.get("boilerplate") or ()),
        fetched_at=datetime.fromisoformat(data["fetched_at"]) if data.get("fetched_at") else None,
        duplicate=duplicate,
        notes=tuple(data.get("notes") or ()),
    )
