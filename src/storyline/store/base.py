"""What a store must do. SQLite (store/sqlite/) is the default; other backends
implement the same protocol and are chosen by the path or URL given to :func:`storyline.open`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import numpy as np

from storyline.model import Document
from storyline.model.annotations import Annotations, EntityRecord, Event
from storyline.model.clusters import ClusterState, EventCluster, HappeningEvidence, StorylineRecord
from storyline.model.graph import EntityGraph
from storyline.relate.dedup import Candidate, Fingerprint, Repoint
from storyline.store.filters import HappeningFilter


@dataclass(frozen=True, slots=True)
class Sighting:
    """One input that produced a document. The same text can arrive many times (a
    syndicated story in several outlets); each arrival keeps its own title, URL, outlet
    and date here."""

    doc_id: str
    source_id: str
    origin: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The arrival as exported (``seen_in``), without the document id it belongs to."""
        return {
            "source_id": self.source_id,
            "origin": self.origin,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "published": self.published,
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    document: Document
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """Filters for listing documents."""

    limit: int | None = 20
    offset: int = 0
    hide_duplicates: bool = False
    language: str | None = None
    source: str | None = None
    since: str | None = None
    """ISO date (inclusive) on the publication date."""
    until: str | None = None
    """ISO date (inclusive) on the publication date."""
    entity_ids: tuple[str, ...] | None = None
    """Documents naming any of these entities (an empty tuple matches nothing)."""
    place: str | None = None
    """Documents naming this place (its name, any case) or a place in this country (ISO code)."""
    event_type: str | None = None
    """Documents reporting an event of this PLOVER category."""


#: The fewest characters a store's :meth:`~Store.resolve` takes as a prefix of a document id (a
#: shorter one is looked up as a whole id); storylines' ids take the same.
ID_PREFIX_MIN = 4


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Which stored events to list. ``entity`` is an entity id or a name (canonical or alias);
    ``date_from``/``date_to`` keep events whose date overlaps the range (ISO dates)."""

    entity: str | None = None
    type: str | None = None
    """A PLOVER category (any case) or a subtype, or several separated by commas: events of any."""
    status: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    document_id: str | None = None
    limit: int | None = 50
    offset: int = 0
    hide_duplicates: bool = False
    """Leave out the events of near-duplicate documents."""
    min_confidence: float | None = None
    """Only events whose stored (raw) confidence is at least this."""
    doubtful_below: float | None = None
    """List events whose stored confidence is below this after the others (kept, shown last)."""
    entity_ids: tuple[str, ...] | None = None
    """The ids ``entity`` was resolved to (:meth:`storyline.api.Storyline.entity_choice`); when
    None, the store looks the name up itself (every entity with that name or alias)."""


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event with the document it was found in."""

    document_id: str
    event: Event

    def as_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, **self.event.as_dict()}


@dataclass(frozen=True, slots=True)
class EventRow:
    """A stored event with what a table of events adds to it: its evidence sentence (whitespace
    folded), the happening and storyline it was placed in, and its document's URL and source id."""

    document_id: str
    event: Event
    evidence: str | None = None
    cluster_id: str | None = None
    storyline_id: str | None = None
    url: str | None = None
    source_id: str | None = None


class Store(Protocol):
    path: str

    def close(self) -> None: ...

    # writing (one writer at a time; see writer_lock)
    def writer_lock(self) -> Any: ...
    def existing(self, ids: Sequence[str]) -> dict[str, str | None]: ...
    def add(
        self,
        items: Sequence[tuple[Document, Fingerprint]],
        sightings: Sequence[Sighting],
        repoints: Sequence[Repoint] = (),
        earlier: Sequence[Document] = (),
    ) -> None: ...
    def check_settings(self, settings: dict[str, str]) -> None: ...

    # near-duplicate candidates
    def lsh_candidates(self, keys: Sequence[tuple[int, int]]) -> list[Candidate]: ...
    def duplicate_group(self, root_id: str) -> list[Candidate]: ...

    # reading
    def get(self, doc_id: str) -> Document | None: ...
    def resolve(self, prefix: str) -> str | None: ...
    def documents(self, query: DocumentQuery) -> list[Document]: ...
    def iter_documents(self, query: DocumentQuery) -> Iterator[Document]: ...
    def count(self, query: DocumentQuery) -> int: ...
    def search(self, text: str, *, limit: int = 20, hide_duplicates: bool = False) -> list[SearchHit]: ...
    def sightings(self, doc_id: str) -> list[Sighting]: ...
    def stats(self) -> dict[str, Any]: ...

    # annotations
    def unannotated(self, stages: str, limit: int) -> list[Document]: ...
    def add_annotations(self, stages: str, items: Sequence[tuple[str, Annotations]]) -> None: ...
    def annotations(self, doc_id: str) -> Annotations: ...
    def entities(self, kind: str | None = None, limit: int | None = 50, offset: int = 0) -> list[EntityRecord]: ...
    def people_weights(self) -> dict[str, int]: ...
    def events(self, query: EventQuery) -> list[StoredEvent]: ...
    def entity_ids(self, name: str) -> list[str]: ...

    def entity_aliases_matching(self, name: str) -> list[tuple[str, str, str | None]]: ...

    # tables and the entity graph (see storyline.exports)
    def iter_event_rows(self, query: EventQuery) -> Iterator[EventRow]: ...
    def entity_graph(
        self, entity_ids: Sequence[str] | None = None, limit: int = 100, min_weight: int = 1
    ) -> EntityGraph: ...

    # happenings and storylines (see storyline.cluster)
    def transaction(self) -> Any: ...
    def unclustered(self, limit: int) -> list[str]: ...
    def cluster_candidates(self, keys: Sequence[str], low: date, high: date) -> list[ClusterState]: ...
    def save_cluster(
        self, state: ClusterState, kind: str, subtype: str | None, place: dict[str, Any] | None, label: str,
        keys: Sequence[str],
    ) -> None: ...  # fmt: skip
    def add_member(self, event_id: str, cluster_id: str, doc_id: str, status: str) -> None: ...
    def merge_clusters(self, into: str, other: str) -> None: ...
    def set_document_cluster(self, doc_id: str, cluster_id: str | None, how: str) -> None: ...
    def document_cluster(self, doc_id: str) -> str | None: ...
    def storyline_for(self, key: str, label: str, entities: dict[str, str]) -> str: ...
    def storyline_overlaps(self, groups: Sequence[Sequence[str]]) -> list[tuple[str, set[str]]]: ...
    def set_storyline(self, cluster_id: str, storyline_id: str) -> None: ...
    def add_vector(self, doc_id: str, model: str, vector: np.ndarray) -> bool: ...
    def vectors(
        self, model: str, dim: int | None = None, ids: Sequence[str] | None = None
    ) -> tuple[list[str], np.ndarray, list[str]]: ...
    def vector_ids(self, model: str) -> list[str]: ...
    def vectors_after(
        self, model: str, after: int, dim: int | None = None
    ) -> tuple[list[str], np.ndarray, list[str]]: ...
    def vector_state(self, model: str) -> tuple[int, int, int]: ...
    def store_id(self) -> str: ...
    def add_person_countries(self, pairs: dict[str, tuple[str, str]]) -> None: ...
    def person_countries(self, people: Sequence[str]) -> dict[str, tuple[str, str]]: ...
    def placement_version(self) -> str | None: ...
    def reset_placements(self, version: str) -> None: ...
    def cluster_state(self, cluster_id: str) -> ClusterState | None: ...
    def save_cluster_state(self, state: ClusterState) -> None: ...
    def describe_happening(
        self, cluster_id: str, kind: str, subtype: str | None, label: str | None, place: dict[str, Any] | None
    ) -> None: ...
    def set_happening_confidence(self, cluster_id: str, confidence: float, tentative: bool) -> None: ...
    def happening_support(self, cluster_id: str) -> tuple[int, int]: ...
    def happening_evidence(self, cluster_id: str) -> list[HappeningEvidence]: ...
    def add_profile(self, doc_id: str, data: dict[str, Any]) -> None: ...
    def happening_profiles(
        self, cluster_ids: Sequence[str], limit: int, model: str
    ) -> dict[str, list[tuple[str, str, bytes | None]]]: ...
    def term_frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]: ...
    def clusters(
        self, which: HappeningFilter | None = None, *, limit: int | None = 50, offset: int = 0
    ) -> list[EventCluster]: ...
    def storylines(self, limit: int | None = 50, offset: int = 0) -> list[StorylineRecord]: ...
    def document_clusters(self) -> dict[str, tuple[str | None, str | None]]: ...
    def event_clusters(self, doc_id: str) -> dict[str, str]: ...

    # serving: pages, counts and aggregates (one query each)
    def search_page(self, text: str, query: DocumentQuery) -> tuple[list[SearchHit], int]: ...
    @property
    def rank_window(self) -> int: ...
    def document_placements(self, doc_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]: ...
    def count_entities(self, kind: str | None = None) -> int: ...
    def entity(self, entity_id: str) -> EntityRecord | None: ...
    def count_clusters(self, which: HappeningFilter | None = None) -> int: ...
    def count_storylines(self) -> int: ...
    def generation(self) -> int: ...
    def count_events(self, query: EventQuery) -> int: ...
    def storyline(self, storyline_id: str) -> StorylineRecord | None: ...
    def map_points(
        self, *, storyline: str | None = None, date_from: str | None = None, date_to: str | None = None,
        limit: int = 1000,
    ) -> dict[str, Any]: ...  # fmt: skip
