"""Rows as both store backends write and read them: a document's column values, a document or
a happening rebuilt from its row, document vectors read from their rows, and the pairs of
entities storylines are found by (the keys happenings are found by: storyline.store.keys)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from itertools import combinations
from typing import Any

import numpy as np

from storyline.model import DateSource, Document, Duplicate, Granularity, PublishedDate
from storyline.model.clusters import ClusterSource, EventCluster

__all__ = [
    "HAPPENING_PROFILES", "cluster_from_row", "document_from_row", "entity_pairs", "member_profiles",
    "metadata_columns", "storyline_pairs", "vectors_from_rows",
]  # fmt: skip

#: What placement reads of a candidate happening, with the backend's placeholder as ``{p}``
#: (happening, limit, model): the profiles (JSON) and vectors of its latest ``limit`` documents,
#: the latest first (one without a profile counts toward the limit, and is left out by
#: :func:`member_profiles`). One query a happening, its rows found by row id from the happening's
#: documents, where listing the documents and then reading their profiles and vectors by id took
#: two queries and one more lookup a document.
HAPPENING_PROFILES = (
    "SELECT d.id, p.data, v.vector FROM (SELECT doc_rowid FROM document_clusters "
    "WHERE cluster_id = {p} ORDER BY doc_rowid DESC LIMIT {p}) c "
    "JOIN documents d ON d.rowid = c.doc_rowid "
    "LEFT JOIN document_profiles p ON p.doc_rowid = c.doc_rowid "
    "LEFT JOIN document_vectors v ON v.doc_rowid = c.doc_rowid AND v.model = {p} "
    "ORDER BY c.doc_rowid DESC"
)


def member_profiles(rows: Iterable[Sequence[Any]]) -> list[tuple[str, str, bytes | None]]:
    """:data:`HAPPENING_PROFILES` rows as (document id, profile as JSON text, vector bytes), those
    without a profile left out. The text is left to the caller to parse (placement parses a
    document's profile once a run: :meth:`storyline.cluster.Clusterer.member_profiles`)."""
    return [(str(r[0]), str(r[1]), bytes(r[2]) if r[2] is not None else None) for r in rows if r[1] is not None]


def document_from_row(row: Mapping[str, Any]) -> Document:
    """A document from its row (columns by name)."""
    published = None
    if row["published"]:
        published = PublishedDate(
            value=datetime.fromisoformat(row["published"]),
            granularity=Granularity(row["published_granularity"]),
            source=DateSource(row["published_source"]),
            raw=row["published_raw"] or "",
            zone_given=bool(row["published_zone_given"]),
        )
    duplicate = Duplicate(row["duplicate_of"], row["duplicate_similarity"]) if row["duplicate_of"] else None
    return Document(
        id=row["id"],
        text=row["text"],
        source_id=row["source_id"],
        origin=row["origin"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        author=row["author"],
        published=published,
        language=row["language"],
        captions=tuple(json.loads(row["captions"])),
        credits=tuple(json.loads(row["credits"])),
        boilerplate=tuple(json.loads(row["boilerplate"])),
        fetched_at=datetime.fromisoformat(row["fetched_at"]) if row["fetched_at"] else None,
        duplicate=duplicate,
        notes=tuple(json.loads(row["notes"])),
    )


def metadata_columns(doc: Document) -> dict[str, Any]:
    """The document's columns other than its identity, text and duplicate mark: what an earlier
    arrival of the same text replaces, and (with those) what a new document inserts."""
    p = doc.published
    return {
        "source_id": doc.source_id,
        "origin": doc.origin,
        "title": doc.title,
        "url": doc.url,
        "source": doc.source,
        "author": doc.author,
        "published": p.value.isoformat() if p else None,
        "published_utc": p.value.astimezone(UTC).isoformat() if p else None,
        "published_granularity": p.granularity.value if p else None,
        "published_source": p.source.value if p else None,
        "published_raw": p.raw if p else None,
        "published_zone_given": int(p.zone_given) if p else None,
        "language": doc.language,
        "captions": json.dumps(doc.captions, ensure_ascii=False),
        "credits": json.dumps(doc.credits, ensure_ascii=False),
        "boilerplate": json.dumps(doc.boilerplate, ensure_ascii=False),
        "notes": json.dumps(doc.notes, ensure_ascii=False),
        "fetched_at": doc.fetched_at.isoformat() if doc.fetched_at else None,
    }


def vectors_from_rows(found: Iterable[tuple[str, Any]], dim: int | None) -> tuple[list[str], np.ndarray, list[str]]:
    """(document id, vector bytes) rows as ids and an (n, dim) array of 32-bit floats, and the
    ids whose bytes are no such vector (not ``dim`` floats, or not as long as the first), left out."""
    ids: list[str] = []
    rows: list[np.ndarray] = []
    damaged: list[str] = []
    for doc_id, blob in found:
        data = bytes(blob) if isinstance(blob, bytes | bytearray | memoryview) else b"?"  # not a blob: damaged
        size = len(data)
        if size % 4 or (dim is not None and size != 4 * dim) or (dim is None and rows and size != 4 * len(rows[0])):
            damaged.append(doc_id)
            continue
        ids.append(doc_id)
        rows.append(np.frombuffer(data, dtype=np.float32))
    return ids, (np.vstack(rows) if rows else np.zeros((0, dim or 0), dtype=np.float32)), damaged


def cluster_from_row(row: Mapping[str, Any], sources: list[ClusterSource]) -> EventCluster:
    """A happening from its row of the clusters table (columns by name) and its sources."""
    return EventCluster(
        id=row["id"], type=row["type"], subtype=row["subtype"], family=row["family"], start=row["start"],
        end=row["end"], granularity=row["granularity"], status=row["status"], actors=json.loads(row["actors"]),
        place=row["place"], country=row["country"], lat=row["lat"], lon=row["lon"], label=row["label"],
        storyline_id=row["storyline"], tentative=bool(row["tentative"]), confidence=row["confidence"],
        mentions=len(sources), documents=len({s.document_id for s in sources}), sources=sources,
    )  # fmt: skip


def entity_pairs(groups: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """Every pair of entities within each group, each in order (a < b), once."""
    return sorted({pair for group in groups for pair in combinations(sorted(set(group)), 2)})


def storyline_pairs(storyline_id: str, before: set[str], entities: Iterable[str]) -> list[tuple[str, str, str]]:
    """The pairs a storyline gains when ``entities`` join it, which held ``before``: each new
    entity with every other one, (a, b, storyline id) with a < b."""
    new = set(entities) - before
    pairs = {(min(a, b), max(a, b)) for a in new for b in before | new if a != b}
    return [(a, b, storyline_id) for a, b in sorted(pairs)]
