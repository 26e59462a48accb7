"""Documents and their event mentions -> happenings (event clusters) -> storylines, incrementally.

:class:`Clusterer` places every annotated document not yet placed. Each of its events joins the
happening it reports or starts a new one (:mod:`storyline.cluster.events`). Then the document is
given the happening it mainly reports, in this order:

1. a near twin: an article already placed whose opening is almost the same text (cosine of the
   multilingual e5 embeddings at least 0.95), published within days;
2. its own main event, when that is a meeting, call or agreement of two named parties (events it
   only recalls come last; a meeting or visit comes before the agreements signed at it);
3. its nearest documents in an approximate nearest-neighbour index (faiss HNSW over the e5
   embeddings of each document's opening): similar enough, published within days (months when they
   name the same person), and sharing a place or a person;
4. its main event of any other kind;
5. else a happening of its own.

Adding documents never revisits those already placed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from storyline.annotate.countries import country_table
from storyline.cluster.events import (
    NAME,
    Signature,
    choose,
    cluster_id,
    compatible,
    label,
    merge_status,
    signatures,
    storyline_key,
)
from storyline.config import ClusterConfig
from storyline.model import Document
from storyline.model.annotations import Annotations, Event, EventStatus
from storyline.model.clusters import ClusterState

__all__ = ["NAME", "Clusterer", "DocumentIndex"]

VECTOR_MODEL = "e5-lead"
_PRIORITY = {"encounter": 3, "call": 2, "agreement": 1}
#: Extra similarity asked of a neighbour when one of the two names no place or person.
_UNANCHORED = 0.04
#: Similarity of two openings that makes them twins: one story told twice.
_TWIN = 0.95


class DocumentIndex:
    """Document vectors in a faiss HNSW index (inner product on unit vectors = cosine)."""

    def __init__(self, dim: int = 384, m: int = 32) -> None:
        import faiss

        self.dim = dim
        self.index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efSearch = 64
        self.ids: list[str] = []

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add(np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim))
            self.ids.extend(ids)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        if not self.ids:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(1, self.dim)
        scores, rows = self.index.search(query, min(k, len(self.ids)))
        return [(self.ids[r], float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]


@dataclass
class Placed:
    """How one document was placed."""

    document_id: str
    cluster_id: str | None
    how: str
    """``event`` (its own event joined or started a happening), ``neighbour`` (a near document's
    happening), or ``alone`` (a happening of its own)."""
    new_clusters: int


class Clusterer:
    """Places documents of a store in happenings. ``store`` is a :class:`SQLiteStore` (or anything
    with its cluster methods); ``embed`` turns texts into unit vectors (the multilingual e5 model
    by default)."""

    def __init__(self, store: Any, config: ClusterConfig | None = None, embed: Any = None) -> None:
        self.store = store
        self.config = config or ClusterConfig()
        self._embed = embed
        self._index: DocumentIndex | None = None
        # the batch being placed: its ids and vectors, of which the first ``_placed`` are placed
        self._batch_ids: list[str] = []
        self._batch_vectors = np.zeros((0, 384), dtype=np.float32)
        self._placed = 0

    def embed(self, docs: Sequence[Document]) -> np.ndarray:
        if self._embed is None:
            from storyline.relate.embed import Embedder

            self._embed = Embedder().e5
        texts = [f"{d.title}. {d.text}" if d.title and not d.text.startswith(d.title) else d.text for d in docs]
        return np.asarray(self._embed(texts), dtype=np.float32)

    @property
    def index(self) -> DocumentIndex:
        if self._index is None:
            self._index = DocumentIndex()
            ids, vectors = self.store.vectors(VECTOR_MODEL)
            self._index.add(ids, vectors)
        return self._index

    def _search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Nearest stored documents, and those placed earlier in this batch."""
        found = self.index.search(vector, k)
        if self._placed:
            scores = self._batch_vectors[: self._placed] @ vector
            best = np.argsort(-scores)[:k] if len(scores) <= k else np.argpartition(-scores, k)[:k]
            found += [(self._batch_ids[i], float(scores[i])) for i in best]
        return sorted(found, key=lambda t: -t[1])[:k]

    def run(self, batch: int = 64) -> list[Placed]:
        """Place every annotated document not yet placed; each batch is one transaction."""
        out: list[Placed] = []
        while True:
            ids = self.store.unclustered(batch)
            if not ids:
                return out
            docs = [self.store.get(i) for i in ids]
            anns = [self.store.annotations(i) for i in ids]
            out.extend(self.place_many(docs, anns))

    def place_many(self, docs: Sequence[Document], anns: Sequence[Annotations]) -> list[Placed]:
        vectors = self.embed(docs)
        index = self.index
        out = []
        self._batch_ids, self._batch_vectors, self._placed = [d.id for d in docs], vectors, 0
        try:
            with self.store.transaction():
                for doc, ann, vector in zip(docs, anns, vectors, strict=True):
                    out.append(self._place(doc, ann, vector))
                    self.store.add_vector(doc.id, VECTOR_MODEL, vector)
                    self._placed += 1  # searchable by the rest of the batch
            # only what was committed enters the index
            index.add(self._batch_ids, vectors)
        finally:
            self._batch_ids, self._placed = [], 0
        return out

    # -- one document ---------------------------------------------------------------------------
    def _place(self, doc: Document, ann: Annotations, vector: np.ndarray) -> Placed:
        placed: list[tuple[Signature, str]] = []
        created = 0
        for sig in signatures(doc.id, doc.text, ann):
            cid, new = self._join(sig)
            if cid is not None:
                placed.append((sig, cid))
                created += new
        twin = self._neighbour_cluster(doc, ann, vector, strong=True)
        if twin is not None:
            # nearly the same text as an article already placed, days apart at most: the same story
            self.store.set_document_cluster(doc.id, twin, "neighbour")
            return Placed(doc.id, twin, "neighbour", created)
        main = None
        if placed:
            # what the article mainly reports: not an event it recalls; a meeting or visit before the
            # agreements signed at it; then the event it is surest of
            main = max(
                placed,
                key=lambda p: (
                    p[0].event.status is not EventStatus.REFERENCED,
                    _PRIORITY.get(p[0].family, 0),
                    p[0].event.confidence,
                ),
            )
            if main[0].family in _PRIORITY and len(main[0].parties) >= 2:
                # a meeting, a call or an agreement: named parties and a day identify it
                self.store.set_document_cluster(doc.id, main[1], "event")
                return Placed(doc.id, main[1], "event", created)
        # other news (a shooting, a fire) is followed by arrests, inquiries and tributes with other
        # actors: the article's nearest neighbours tell its happening better than its main verb
        neighbour = self._neighbour_cluster(doc, ann, vector)
        if neighbour is not None:
            self.store.set_document_cluster(doc.id, neighbour, "neighbour")
            return Placed(doc.id, neighbour, "neighbour", created)
        if main is not None:
            self.store.set_document_cluster(doc.id, main[1], "event")
            return Placed(doc.id, main[1], "event", created)
        alone = self._alone(doc, ann)
        self.store.set_document_cluster(doc.id, alone, "alone")
        return Placed(doc.id, alone, "alone", created + (alone is not None))

    def _join(self, sig: Signature) -> tuple[str | None, bool]:
        candidates = self.store.cluster_candidates(sig.keys, sig.start, sig.end, self.config.days)
        state = choose(sig, candidates, self.config)
        new = state is None
        if state is not None and sig.may_create:
            # an event that fits two happenings shows they are one (placed apart only because of
            # the order the articles came in): merge the others into the one it joins
            for other in candidates:
                if other.id != state.id and compatible(sig, other, self.config.days):
                    self._merge(state, other)
        if state is None:
            if not sig.may_create:
                return None, False
            state = ClusterState(
                cluster_id(sig), sig.family, dict(sig.actors), sig.start, sig.end, sig.granularity,
                sig.country, sig.event.status.value, dict(sig.countries),
            )  # fmt: skip
        else:
            state.actors.update({k: v for k, v in sig.actors.items() if k not in state.actors})
            state.countries.update({k: v for k, v in sig.countries.items() if k not in state.countries})
            precise = sig.granularity == "day" and state.granularity != "day"
            firmer = sig.event.status in (EventStatus.OCCURRED, EventStatus.ONGOING) and state.status == "planned"
            if precise or (firmer and sig.granularity == "day"):
                state.start, state.end, state.granularity = sig.start, sig.end, sig.granularity
            state.status = merge_status(state.status, sig.event.status)
            state.country = state.country or sig.country
        e = sig.event
        self.store.save_cluster(
            state, e.type, e.subtype, _place_of(e),
            label(state.family, e.subtype, state.actors, e.place.name if e.place else None, state.start),
            [f"{state.family}:{a}" for a in {**state.actors, **state.countries}],
        )  # fmt: skip
        self.store.add_member(e.id, state.id, sig.document_id, e.status.value)
        if state.storyline is None:
            self._storyline(state)  # new, or with too few actors for one until now
        return state.id, new

    def _merge(self, into: ClusterState, other: ClusterState) -> None:
        into.actors.update({k: v for k, v in other.actors.items() if k not in into.actors})
        into.countries.update({k: v for k, v in other.countries.items() if k not in into.countries})
        into.status = merge_status(into.status, other.status)
        if other.granularity == "day" and into.granularity != "day":
            into.start, into.end, into.granularity = other.start, other.end, other.granularity
        into.country = into.country or other.country
        into.storyline = into.storyline or other.storyline
        self.store.merge_clusters(into.id, other.id)

    def _storyline(self, state: ClusterState) -> None:
        """Put a happening in the storyline with which it shares two countries or two people (all
        of Modi's and Putin's summits, however each article names them), else start one. A person
        and the country they stand for count once: a Modi-Trump meeting shares only India and Modi
        with the India-Russia storyline, which is one party, not two."""
        entities = {**state.actors, **state.countries}
        countries = state.countries.keys() | {a for a in state.actors if country_table().country(state.actors[a])}
        for key, shared in self.store.storyline_overlaps(list(entities)):
            if len(shared & countries) >= 2 or len(shared - countries) >= 2:
                state.storyline = self.store.storyline_for(key, "", entities)
                break
        if state.storyline is None and (found := storyline_key(state.actors, state.countries)) is not None:
            names = " – ".join(sorted(found[1].values()))
            state.storyline = self.store.storyline_for(found[0], names, entities)
        if state.storyline is not None:
            self.store.set_storyline(state.id, state.storyline)

    def _neighbour_cluster(
        self, doc: Document, ann: Annotations, vector: np.ndarray, strong: bool = False
    ) -> str | None:
        """The happening of the nearest document that could report the same thing: similar enough,
        published within days, and sharing a place or an entity. ``strong``: only a near twin
        (similarity at least :data:`_TWIN`) published within ``doc_days``, which need share nothing
        the recogniser found when both appeared within a day."""
        mine_day = _day(doc)
        mine = _anchors(ann, doc.text)
        for other_id, score in self._search(vector, self.config.neighbours):
            if score < (_TWIN if strong else self.config.min_similarity) or other_id == doc.id:
                continue
            cid = self.store.document_cluster(other_id)
            other = self.store.get(other_id)
            if cid is None or other is None:
                continue
            other_day = _day(other)
            gap = abs((mine_day - other_day).days) if mine_day and other_day else None
            other_ann = self.store.annotations(other_id)
            theirs = _anchors(other_ann, other.text)
            shared = mine & theirs
            if strong:
                if gap is not None and gap <= self.config.doc_days and (gap <= 1 or shared):
                    return str(cid)
                continue
            if gap is None:
                if score < _TWIN:
                    continue  # no days to compare: only a near twin will do
            else:
                # a person both name (the victim, the accused) keeps a story together for months
                # (the charges, the trial); a shared town alone only for days
                person = any(a.startswith("E") for a in shared)
                if gap > (self.config.person_days if person else self.config.doc_days):
                    continue
            if not shared and (mine or theirs):
                continue
            if not ann.entities and not other_ann.entities and score < self.config.min_similarity + _UNANCHORED:
                continue  # two articles the recogniser could not read: closer text needed
            return str(cid)
        return None

    def _alone(self, doc: Document, ann: Annotations) -> str | None:
        """A happening for a document that none of the others reports: named after its most
        confident event (or none, when it has no event at all)."""
        day = _day(doc)
        if not ann.events or day is None:
            return None  # nothing to name it after, or no day to put it on
        event = max(ann.events, key=lambda e: e.confidence)
        sig_id = cluster_id(Signature(event, doc.id, "document", {}, {}, day, day, None, True))
        state = ClusterState(sig_id, "document", {}, day, day, "day", None, event.status.value)
        self.store.save_cluster(
            state, event.type, event.subtype, _place_of(event),
            f"{(event.subtype or event.type.lower()).replace('-', ' ')}: {doc.title or doc.text[:60]}", [],
        )  # fmt: skip
        self.store.add_member(event.id, state.id, doc.id, event.status.value)
        return sig_id


def _place_of(event: Event) -> dict[str, Any] | None:
    p = event.place
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon} if p else None


def _day(doc: Document | None) -> date | None:
    return doc.published.value.date() if doc is not None and doc.published is not None else None


def _anchors(ann: Annotations, text: str) -> set[str]:
    """Places and people a document names: a shared one ties two documents to one happening.
    People are also given by surname ("~putin"), which is how an article in a language the
    recogniser does not read can share them: there, its capitalised words inside sentences stand
    in ("~~putin"; two such articles share common nouns too, so :meth:`Clusterer._neighbour_cluster`
    asks them for closer text)."""
    if not ann.entities:
        words = {w.casefold() for w in _INNER_CAPITALS.findall(text)}
        return {f"~~{w}" for w in words} | {f"~{w}" for w in words}
    people = [e for e in ann.entities if e.label == "PERSON"]
    return (
        {f"@{p.name}" for p in ann.places if p.kind not in ("country", "continent", "region")}
        | {e.entity_id for e in people}
        | {f"~{e.canonical.split()[-1].casefold()}" for e in people if e.canonical}
    )


#: A capitalised word of three letters or more that does not open a sentence.
_INNER_CAPITALS = re.compile(r"(?<=[\w,;] )([A-ZÀ-ÖØ-Þ][\w-]{2,})")
