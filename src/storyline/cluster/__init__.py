"""Documents and their event mentions -> happenings -> storylines, incrementally.

:class:`Clusterer` places every annotated document not yet placed, content first:

1. Each of its events that names two parties and a day (a meeting, a call, an agreement) is
   matched against the happenings of the same parties around the same days
   (:mod:`storyline.cluster.events`): two leaders meeting on one day are one happening by
   definition, and their meeting a year later is another.
2. When the article's main event is such a meeting, the article goes with it. Otherwise the
   happening model decides (:mod:`storyline.cluster.placement`): the happenings of its nearest
   articles (faiss over the embeddings of the openings) and those its events joined are scored by
   a logistic regression over content, entities, places, figures, event kinds and the date gap,
   where "no date" is a value of its own. The article joins the best one the model accepts, and
   merges any other it accepts into it.
3. Else it starts a happening of its own, dated or not: named after its main event when it has
   one, after its title otherwise, and tentative when that event is doubtful.

Each happening then describes itself by votes over its members' events (kind, date, status,
place), so one misread verb cannot name or date it. Adding documents never revisits those already
placed, and the cost per document depends on its neighbours, not on the size of the store.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from storyline.annotate.countries import country_table
from storyline.cluster.events import (
    MAX_START_SPAN,
    NAME,
    Signature,
    affiliations,
    choose,
    cluster_id,
    compatible,
    family,
    label,
    merge_status,
    parties,
    signatures,
    storyline_key,
)
from storyline.cluster.features import Profile, profile
from storyline.cluster.model import HappeningModel
from storyline.cluster.placement import decide
from storyline.config import ClusterConfig
from storyline.model import Document
from storyline.model.annotations import VAGUE_PLACES, Annotations, Event, EventStatus
from storyline.model.clusters import ClusterState
from storyline.store.base import Store
from storyline.store.keys import state_keys
from storyline.timing import stage

__all__ = [
    "NAME", "VECTOR_MODEL", "VECTOR_WORDS", "Clusterer", "DocumentIndex", "VectorLookup", "document_day",
    "happening_vectors",
]  # fmt: skip

#: The words of an article's opening (its title first) that its vector reads. 96 rather than the
#: 160 the article comparisons read (storyline.relate.embed.E5_WORDS): 40% less of the embedder's
#: time (200 news articles: 2.4 s against 4.1), and under the happening model fit on 160-word
#: vectors the B-cubed F1 of documents by incident moved by +0.014 on ECB+ dev, +0.043 on
#: MEANTIME, 0.000 on GVC dev and -0.007 on GVC (one article more set apart); 64 words lost 0.024
#: on GVC. Measured 2026-12-05 (docs/evaluation.md).
VECTOR_WORDS = 96
#: The document vectors the neighbours are found by: e5 embeddings of the opening (a store whose
#: vectors another model or length made is placed again: Clusterer.prepare).
VECTOR_MODEL = f"e5-lead-{VECTOR_WORDS}"


def happening_vectors(embedder: Any, texts: Sequence[str]) -> np.ndarray:
    """The vectors documents are placed by (:data:`VECTOR_MODEL`) of their
    :attr:`~storyline.model.Document.titled_text`:
    every caller goes through here, so no vector of another length is stored under that name."""
    return np.asarray(embedder.e5(texts, words=VECTOR_WORDS), dtype=np.float32)


#: Members' profiles a placing run keeps parsed (the latest used): a happening's members are read
#: again for every article it is a candidate for, and parsing their JSON was a fifth of placement
#: (docs/benchmarks.md). Up to about 25 kB each (a profile of 120 terms, its JSON and its vector),
#: so at most about 50 MB.
PROFILES_PARSED = 2048

#: Documents placed (and embedded) per batch, each batch one transaction.
BATCH = 64
_PRIORITY = {"encounter": 3, "call": 2, "agreement": 1}


class DocumentIndex:
    """Document vectors in a faiss HNSW index (inner product on unit vectors = cosine).

    An index can be written to a file and read back (:meth:`save`, :meth:`load`); vectors of
    documents no longer in the store cannot be taken out of an HNSW graph, so they are marked
    gone (:meth:`forget`) and never returned. :attr:`sync` is written and read with it: what
    tells how far it follows the store (:meth:`Clusterer.save_index`)."""

    def __init__(self, dim: int = 384, links: int = 32, search: int = 64) -> None:
        import faiss

        self.dim = dim
        self.index = faiss.IndexHNSWFlat(dim, links, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efSearch = search
        self.ids: list[str] = []
        self.gone: set[int] = set()
        self.sync: dict[str, Any] = {}
        self._rows: dict[str, list[int]] | None = None  # each document's rows, from the first forget on

    def live(self) -> set[str]:
        """The documents the index returns (those not gone)."""
        if not self.gone:
            return set(self.ids)
        return {d for i, d in enumerate(self.ids) if i not in self.gone}

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add(np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim))
            if self._rows is not None:
                for k, d in enumerate(ids):
                    self._rows.setdefault(d, []).append(len(self.ids) + k)
            self.ids.extend(ids)

    def forget(self, ids: Iterable[str]) -> None:
        """Never return these documents again. The first call that names a document the index
        holds lists each document's rows (one pass over the index, about a second at a million);
        the next ones, a batch's documents placed again each time, cost only their own. Documents
        it does not hold (new ones, waiting for their first placement) cost one look at each id
        (30 ms at a million) until then."""
        drop = set(ids)
        if not drop:
            return
        if self._rows is None:
            if drop.isdisjoint(self.ids):
                return
            self._rows = {}
            for i, d in enumerate(self.ids):
                self._rows.setdefault(d, []).append(i)
        for d in drop:
            self.gone.update(self._rows.get(d, ()))

    def keep_latest(self) -> int:
        """Mark gone every row of a document but its last (the vector added latest, as the store
        holds it): what an index kept before documents placed again were forgotten may hold.
        Returns how many rows it marked."""
        last: dict[str, int] = {}
        for i, d in enumerate(self.ids):
            if i not in self.gone:
                last[d] = i
        older = {i for i, d in enumerate(self.ids) if i not in self.gone and last[d] != i}
        self.gone |= older
        return len(older)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The ``k`` nearest documents not gone. Twice ``k`` are asked for when some are gone, and
        more only when too many of those are: asking for ``k`` plus every gone one, as it once did,
        made each search of an index with 3,000 documents re-placed ask for 3,010 (2.5 ms instead
        of 0.5 at 100,000)."""
        if len(self.ids) == len(self.gone):
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(1, self.dim)
        want = min(2 * k if self.gone else k, len(self.ids))
        while True:
            scores, rows = self.index.search(query, want)
            found = [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
            kept = [(r, s) for r, s in found if r not in self.gone]
            if len(kept) >= k or len(found) < want or want >= len(self.ids):
                return [(self.ids[r], s) for r, s in kept[:k]]
            want = min(4 * want, len(self.ids))

    def save(self, path: Path) -> None:
        """Write the index and its document ids (two files, each replaced whole; a reader checks
        that they agree)."""
        import faiss

        path.parent.mkdir(parents=True, exist_ok=True)
        ids_path = path.with_name(path.name + ".ids.json")
        kept: dict[str, Any] = {"ids": self.ids, "gone": sorted(self.gone)}
        if self.sync:
            kept["sync"] = self.sync
        for target, write in (
            (ids_path, lambda tmp: tmp.write_text(json.dumps(kept))),
            (path, lambda tmp: faiss.write_index(self.index, str(tmp))),
        ):
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            try:
                write(tmp)
                tmp.replace(target)
            finally:
                tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path, search: int) -> DocumentIndex | None:
        """The index written at ``path``, or None when there is none or it is unreadable or its
        two files disagree."""
        import faiss

        ids_path = path.with_name(path.name + ".ids.json")
        try:
            kept = json.loads(ids_path.read_text())
            index = faiss.read_index(str(path))
        except (OSError, ValueError, RuntimeError):
            return None
        hnsw = index  # read_index gives the index's own class (downcast_index's copy would not own it)
        if not isinstance(kept, dict) or not isinstance(hnsw, faiss.IndexHNSWFlat):
            return None
        if hnsw.ntotal != len(kept.get("ids", ())):
            return None
        out = cls.__new__(cls)
        out.dim, out.index, out.ids, out.gone = hnsw.d, hnsw, list(kept["ids"]), set(kept.get("gone", ()))
        out._rows = None
        sync = kept.get("sync")  # written since storyline kept it (an older file has none)
        out.sync = sync if isinstance(sync, dict) else {}
        out.index.hnsw.efSearch = search
        return out


class VectorLookup(Protocol):
    """Vectors computed elsewhere, by the text they embed (None: none for that text)."""

    def get(self, text: str) -> np.ndarray | None: ...


@dataclass
class Placed:
    """How one document was placed."""

    document_id: str
    cluster_id: str | None
    how: str
    """``event`` (its main event's parties and day matched a happening), ``model`` (the happening
    model placed it in the happening of its nearest articles), or ``alone`` (a happening of its
    own)."""
    new_clusters: int


class Clusterer:
    """Places documents of a store in happenings. ``embed`` turns texts into unit vectors (the
    multilingual e5 model by default); ``model`` is the happening model (the shipped one, or the
    file ``config.model`` names)."""

    def __init__(
        self, store: Store, config: ClusterConfig | None = None, embed: Any = None, model: HappeningModel | None = None
    ) -> None:
        self.store = store
        self.config = config or ClusterConfig()
        self._model = model
        self._embed = embed
        self._index: DocumentIndex | None = None
        # the batch being placed: its ids and vectors, of which the first ``_placed`` are placed
        self._batch_ids: list[str] = []
        self._batch_vectors = np.zeros((0, 384), dtype=np.float32)
        self._placed = 0
        # documents of the batch placed again (their stored vector replaced): the index forgets
        # the old vector before it takes the new, and is kept again at the end (save_index)
        self._replaced: list[str] = []
        # members' profiles parsed in this run, by document, with the JSON text and vector bytes
        # they were parsed from: used again only while the store holds exactly those
        self._parsed: OrderedDict[str, tuple[str, bytes | None, Profile]] = OrderedDict()
        #: Vectors computed elsewhere (by Ray actors: :mod:`storyline.distributed`), by the text
        #: they embed (:attr:`Document.titled_text`); a document whose text has none is embedded here
        self.vectors: VectorLookup | None = None
        self.notes: list[str] = []
        """Problems met that did not stop placement (a damaged stored vector)."""
        self.index_source = ""
        """How the index was made: read from the cache and brought up to date, or built."""
        # vectors of the index, and of them gone, when it was last kept in (or read from) the cache
        self._saved = 0
        self._saved_gone = 0
        # the store's count of removed vectors when the index was last compared with it whole (or
        # built), and the documents whose stored vector was damaged then: kept with the index
        self._removals = 0
        self._damaged: set[str] = set()

    @property
    def model(self) -> HappeningModel:
        if self._model is None:
            self._model = HappeningModel.load(None if self.config.model is None else Path(self.config.model))
        return self._model

    def embed(self, docs: Sequence[Document]) -> np.ndarray:
        """The documents' vectors: those :attr:`vectors` holds for exactly the text each document
        has now, the others computed here."""
        texts = [d.titled_text for d in docs]
        known = [self.vectors.get(t) if self.vectors is not None else None for t in texts]
        missing = [i for i, v in enumerate(known) if v is None]
        if missing:
            if self._embed is None:
                from storyline.relate.embed import shared_embedder

                self._embed = functools.partial(happening_vectors, shared_embedder())
            computed = np.asarray(self._embed([texts[i] for i in missing]), dtype=np.float32)
            if len(missing) == len(texts):
                return computed
            for i, vector in zip(missing, computed, strict=True):
                known[i] = vector
        return np.stack([np.asarray(v, dtype=np.float32) for v in known]) if known else np.zeros((0, 384), np.float32)

    @property
    def index(self) -> DocumentIndex:
        if self._index is None:
            self._index = self._load_index()
        return self._index

    def _index_file(self) -> Path | None:
        from storyline.cache import cache_root

        root = cache_root()
        if root is None:
            return None
        key = hashlib.sha1(f"{self.version}|{self.config.hnsw_links}".encode()).hexdigest()[:12]
        return root / "happening-index" / f"{self.store.store_id()}-{key}.faiss"

    def _load_index(self) -> DocumentIndex:
        """The index of every stored vector: the one kept in the cache, brought up to date with
        the store (vectors it lacks added, documents gone marked), or else built anew."""
        dim = 384
        path = self._index_file()
        index = DocumentIndex.load(path, self.config.hnsw_search) if path is not None else None
        self._damaged = set()
        # read before any listing: a removal after it shows in the next process's comparison
        count, _, self._removals = self.store.vector_state(VECTOR_MODEL)
        if index is not None and index.dim == dim:
            kept = self._catch_up(index, dim, count)
            if kept is not None:
                return kept
        index = DocumentIndex(dim, links=self.config.hnsw_links, search=self.config.hnsw_search)
        ids, vectors, damaged = self.store.vectors(VECTOR_MODEL, dim)
        self._saved = self._saved_gone = 0
        self.index_source = f"built ({len(ids):,})"
        return self._fill(index, ids, vectors, damaged)

    def _catch_up(self, index: DocumentIndex, dim: int, count: int) -> DocumentIndex | None:
        """The kept ``index`` brought up to date with the store, which holds ``count`` vectors; None
        when too many of its documents are gone (built again then). What it lacks is read by
        :meth:`_since_kept` when the kept marks allow, else found by comparing every stored
        document's id with it (as the index's documents gone are)."""
        live = index.live()
        if len(index) - len(index.gone) != len(live) and index.keep_latest():
            live = index.live()  # kept before a document placed again lost its old vector's row
        found = self._since_kept(index, dim, count, live)
        if found is None:
            stored = self.store.vector_ids(VECTOR_MODEL)
            gone = live.difference(stored)
            if len(index.gone) + len(gone) > len(index) // 10:
                return None
            index.forget(gone)
            found = self.store.vectors(VECTOR_MODEL, dim, [d for d in stored if d not in live])
        ids, vectors, damaged = found
        self._saved, self._saved_gone = len(index), len(index.gone)
        self.index_source = f"cache ({len(index):,} kept, {len(ids):,} added)"
        return self._fill(index, ids, vectors, damaged)

    def _since_kept(
        self, index: DocumentIndex, dim: int, count: int, live: set[str]
    ) -> tuple[list[str], np.ndarray, list[str]] | None:
        """The stored vectors the kept index lacks, when no stored vector was removed since it was
        last compared whole with the store (the store's count of removals is the one kept with
        it): those above the highest document rowid the store held when it was kept, and those
        damaged then. None when the kept file says nothing of this (an older one), or the store's
        count of vectors says that is not all of them (one placed meanwhile by another process,
        or below the mark)."""
        sync = index.sync
        after, damaged_then = sync.get("after"), sync.get("damaged")
        if not (
            sync.get("model") == VECTOR_MODEL
            and sync.get("removals") == self._removals
            and isinstance(after, int)
            and isinstance(damaged_then, list)
            and len(index.gone) <= len(index) // 10
        ):
            return None
        ids, vectors, damaged = self.store.vectors_after(VECTOR_MODEL, after, dim)
        if damaged_then:  # read again, as each comparison did: mended since, or still damaged
            again, more, still = self.store.vectors(VECTOR_MODEL, dim, damaged_then)
            ids, vectors, damaged = again + ids, np.vstack([more, vectors]), still + damaged
        if count != len(live) + len({d for d in (*ids, *damaged) if d not in live}):
            return None
        new = [i for i, d in enumerate(ids) if d not in live]
        return [ids[i] for i in new], vectors[new], damaged

    def _fill(self, index: DocumentIndex, ids: list[str], vectors: np.ndarray, damaged: list[str]) -> DocumentIndex:
        # a damaged vector leaves its document out of the neighbours, and is said once
        self.notes.extend(f"{d}: stored {VECTOR_MODEL} vector is damaged; left out of the neighbours" for d in damaged)
        self._damaged.update(damaged)
        index.add(ids, vectors)
        return index

    def save_index(self) -> bool:
        """Keep the index in the cache when it is large enough to be worth it and enough was added
        since it was last kept (``ClusterConfig.index_*``), or a document was placed again with a
        new vector (the next process, reading the kept index, would not see that); True when it
        was written."""
        index = self._index
        if index is None or len(index) < self.config.index_cache_from:
            return False
        added = len(index) - self._saved
        forgotten = len(index.gone) > self._saved_gone  # documents placed again since
        if added < max(self.config.index_save_min, self.config.index_save_share * len(index)) and not forgotten:
            return False
        path = self._index_file()
        if path is None:
            return False
        if len(index.gone) > len(index) // 10:
            # the next process would build it anew rather than read it (_catch_up): what is kept
            # now is removed, else it would read back an older file, with the vectors since replaced
            for kept in (path, path.with_name(path.name + ".ids.json")):
                kept.unlink(missing_ok=True)
            return False
        # what the next process asks the store for (:meth:`_catch_up`): every vector up to the
        # highest rowid now stored is in the index, unless the count of them says otherwise
        _, after, _ = self.store.vector_state(VECTOR_MODEL)
        damaged = sorted(self._damaged)
        index.sync = {"model": VECTOR_MODEL, "after": after, "removals": self._removals, "damaged": damaged}
        try:
            index.save(path)
        except OSError as exc:
            self.notes.append(f"the happening index could not be kept in {path.parent}: {exc.strerror or exc}")
            return False
        self._saved, self._saved_gone = len(index), len(index.gone)
        return True

    # -- the placement backend (storyline.cluster.placement.Backend) ----------------------------
    def neighbours(self, doc: Profile, k: int) -> list[tuple[str, float]]:
        """Nearest stored documents, and those placed earlier in this batch."""
        vector = doc.vector
        found = self.index.search(vector, k)
        if self._placed:
            scores = self._batch_vectors[: self._placed] @ vector
            best = np.argsort(-scores)[:k] if len(scores) <= k else np.argpartition(-scores, k)[:k]
            found += [(self._batch_ids[i], float(scores[i])) for i in best]
        return sorted(found, key=lambda t: -t[1])[:k]

    def happening_of(self, doc_id: str) -> str | None:
        return self.store.document_cluster(doc_id)

    def member_profiles(self, happening_ids: Sequence[str], limit: int) -> dict[str, list[Profile]]:
        """The profiles of each happening's latest ``limit`` articles, with their stored vectors (a
        damaged one: none, the article compared by its words alone)."""
        out: dict[str, list[Profile]] = {}
        parsed = self._parsed
        for hid, members in self.store.happening_profiles(happening_ids, limit, VECTOR_MODEL).items():
            group: list[Profile] = []
            out[hid] = group
            for doc_id, text, blob in members:
                held = parsed.get(doc_id)
                if held is not None and held[0] == text and held[1] == blob:
                    parsed.move_to_end(doc_id)
                    group.append(held[2])
                    continue
                vector = np.frombuffer(blob, dtype=np.float32) if blob else np.zeros(0, dtype=np.float32)
                if vector.size not in (0, self.index.dim):
                    vector = np.zeros(0, dtype=np.float32)
                member = Profile.from_json(doc_id, json.loads(text), vector)
                parsed[doc_id] = (text, blob, member)
                parsed.move_to_end(doc_id)  # (one parsed again keeps its old place otherwise)
                if len(parsed) > PROFILES_PARSED:
                    parsed.popitem(last=False)
                group.append(member)
        return out

    def frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        return self.store.term_frequencies(terms)

    # -- placing --------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """What placements depend on: the placement code, the happening model and the vectors."""
        weights = json.dumps(self.model.as_json(), sort_keys=True).encode()
        return f"{NAME}|{self.model.name}:{hashlib.sha1(weights).hexdigest()[:12]}|{VECTOR_MODEL}"

    def prepare(self) -> None:
        """Forget placements made by another version (another model, other vectors), so that
        :meth:`run` makes them again."""
        if self.store.placement_version() != self.version:
            with self.store.transaction():
                self.store.reset_placements(self.version)
            self._index = None

    def pending(self, batch: int = BATCH) -> list[list[str]]:
        """The documents :meth:`run` will place (after :meth:`prepare`), in the batches it will
        place them in, so that their vectors can be computed elsewhere beforehand, batch by batch
        as :meth:`embed` would (e5's bfloat16 vectors depend slightly on which texts share a pass)."""
        ids = self.store.unclustered(sys.maxsize)
        return [ids[i : i + batch] for i in range(0, len(ids), batch)]

    def run(self, batch: int = BATCH) -> list[Placed]:
        """Place every annotated document not yet placed; each batch is one transaction. Placements
        made by another version (another model, other vectors) are made again first."""
        self.prepare()
        self._forget_pending()
        out: list[Placed] = []
        while True:
            ids = self.store.unclustered(batch)
            if not ids:
                with stage("happenings: index"):
                    self.save_index()
                return out
            with stage("happenings: load documents"):
                docs = [d for d in (self.store.get(i) for i in ids) if d is not None]
                anns = [self.store.annotations(d.id) for d in docs]
            out.extend(self.place_many(docs, anns))

    def _forget_pending(self) -> None:
        """Documents waiting to be placed again (annotated anew) are in no happening until then:
        their old vectors are left out of the neighbours meanwhile, as they would be were the
        documents placed for the first time (they only took neighbours' places, with no happening
        to offer), and each comes back with its new vector when placed."""
        pending = self.store.unclustered(sys.maxsize)
        if pending:
            self.index.forget(pending)  # those never placed are not in it: nothing to forget

    def place_many(self, docs: Sequence[Document], anns: Sequence[Annotations]) -> list[Placed]:
        with stage("happenings: embeddings"):
            vectors = self.embed(docs)
        with stage("happenings: index"):
            index = self.index
        out = []
        self._batch_ids, self._batch_vectors, self._placed = [d.id for d in docs], vectors, 0
        self._replaced = []
        try:
            with stage("happenings: placing and store writes"), self.store.transaction():
                for doc, ann, vector in zip(docs, anns, vectors, strict=True):
                    out.append(self._place(doc, ann, vector))
                    self._placed += 1  # searchable by the rest of the batch
            # only what was committed enters the index; a document placed again is found by its
            # new vector only (a kept index that still held the old one would return it forever)
            index.forget(self._replaced)
            index.add(self._batch_ids, vectors)
        finally:
            self._batch_ids, self._placed, self._replaced = [], 0, []
        return out

    def _place(self, doc: Document, ann: Annotations, vector: np.ndarray) -> Placed:
        mine = profile(doc, ann, document_day(doc), vector)
        self.store.add_person_countries(affiliations(doc.text, ann.entities))
        placed: list[tuple[Signature, str, bool]] = []
        created = 0
        for sig in signatures(doc.id, doc.text, ann):
            cid, new = self._join(sig)
            if cid is not None:
                placed.append((sig, cid, new))
                created += new
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
        if self.store.add_vector(doc.id, VECTOR_MODEL, vector):
            self._replaced.append(doc.id)
        # what the article mainly reports is a meeting, a call or an agreement (the agreements
        # signed at a summit go with it), or of the kind of its main placed event; else its placed
        # events are side remarks ("we met with the prosecutor" in a shooting's report)
        head = headline_event(doc, ann)
        headline = family(head) if head is not None else None
        reported = main is not None and (headline in _PRIORITY or family(main[0].event) == headline)
        # the happening the headline event itself was placed in, when it was one of the placed
        own = next((p for p in placed if head is not None and p[0].event.id == head.id), None)
        if main is not None and reported and main[0].family in _PRIORITY and len(main[0].parties) >= 2:
            # two named parties on a day: the event-level match has decided
            return self._settle(doc, ann, mine, main[1], "event", None, created, placed)
        joined = [cid for _, cid, new in placed if not new]
        decision = decide(mine, self, self.model, self.config, also=joined)
        if decision.happening is not None:
            hid = decision.happening
            for other in decision.merge:
                if other != hid and self.store.cluster_state(other) is not None:
                    self._merge_into(hid, other)
            if main is not None and reported and main[2] and main[1] != hid:
                # the event this article started a happening with belongs to the one it joins (not
                # a side remark's: that stays a happening of its own)
                self._merge_into(hid, main[1])
            if head is not None and head.status in _FIRM and own is None:
                # what the article mainly reports speaks for it in the happening's votes (its kind,
                # its place) and evidence, unless it went to a happening of its own (nor what it
                # only recalls, denies or supposes)
                self.store.add_member(head.id, hid, doc.id, head.status.value)
            return self._settle(doc, ann, mine, hid, "model", decision.probability, created, placed)
        if main is not None and reported:
            return self._settle(doc, ann, mine, main[1], "event", None, created, placed)
        if own is not None:
            return self._settle(doc, ann, mine, own[1], "event", None, created, placed)
        hid = self._alone(doc, ann, head)
        return self._settle(doc, ann, mine, hid, "alone", None, created + 1, placed)

    def _settle(
        self, doc: Document, ann: Annotations, mine: Profile, hid: str, how: str, probability: float | None,
        created: int, placed: Sequence[tuple[Signature, str, bool]],
    ) -> Placed:  # fmt: skip
        self.store.set_document_cluster(doc.id, hid, how)
        self.store.add_profile(doc.id, mine.as_json())
        self._describe(hid, probability)
        for other in {cid for _, cid, _ in placed} - {hid}:
            self._describe(other, None)  # (nothing, when merged away meanwhile)
        return Placed(doc.id, hid, how, created)

    def _merge_into(self, into_id: str, other_id: str) -> None:
        into, other = self.store.cluster_state(into_id), self.store.cluster_state(other_id)
        if into is None or other is None or into.id == other.id:
            return
        self._merge(into, other)
        self.store.save_cluster_state(into)

    def _describe(self, hid: str, probability: float | None) -> None:
        """Kind, place and title of a happening by votes over its members' events (each weighted
        by its confidence, and for the kind by how often its article tells it; what articles only
        recall counts a quarter; a town before a country on
        a tie), so one article's misread verb cannot name or place it; and whether it is
        tentative: reported by one article only, and either with no confident event or only in
        passing (the article mainly reports another happening) and in no storyline."""
        state = self.store.cluster_state(hid)
        if state is None:
            return
        evidence = self.store.happening_evidence(hid)
        articles, mainly = self.store.happening_support(hid)
        best = max((e.confidence for e in evidence), default=0.0)
        passing = mainly == 0 and state.storyline is None  # a side remark of one article, in no storyline
        tentative = articles < 2 and (best < self.config.tentative_below or passing)
        self.store.set_happening_confidence(hid, probability if probability is not None else best, tentative)
        if not evidence:
            return
        kinds: dict[tuple[str, str | None], float] = defaultdict(float)
        places: dict[tuple[str, str | None, float, float], float] = defaultdict(float)
        specific: dict[tuple[str, str | None, float, float], bool] = {}
        for e in evidence:
            weight = e.confidence * (0.25 if e.status == EventStatus.REFERENCED.value else 1.0)
            kinds[(e.type, e.subtype)] += weight * e.mentions
            if e.place and e.lat is not None and e.lon is not None:
                key = (e.place, e.country, e.lat, e.lon)
                places[key] += weight
                specific[key] = e.place_kind not in VAGUE_PLACES
        kind, subtype = max(kinds, key=lambda k: kinds[k])
        where = max(places, key=lambda k: (round(places[k], 6), specific[k])) if places else None
        place = {"name": where[0], "country": where[1], "lat": where[2], "lon": where[3]} if where else None
        title = None
        if state.actors and state.start is not None:
            title = label(state.family, subtype, state.actors, where[0] if where else None, state.start)
        self.store.describe_happening(hid, kind, subtype, title, place)

    def _join(self, sig: Signature) -> tuple[str | None, bool]:
        slack = timedelta(days=self.config.days)
        candidates = self.store.cluster_candidates(
            sig.keys, sig.start - timedelta(days=MAX_START_SPAN) - slack, sig.end + slack
        )
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
            label(state.family, e.subtype, state.actors, e.place.name if e.place else None, sig.start),
            state_keys(state),
        )  # fmt: skip
        self.store.add_member(e.id, state.id, sig.document_id, e.status.value)
        if state.storyline is None:
            self._storyline(state)  # new, or with too few actors for one until now
        return state.id, new

    def _merge(self, into: ClusterState, other: ClusterState) -> None:
        into.actors.update({k: v for k, v in other.actors.items() if k not in into.actors})
        into.countries.update({k: v for k, v in other.countries.items() if k not in into.countries})
        into.status = merge_status(into.status, other.status)
        if other.start is not None and (
            into.start is None or (other.granularity == "day" and into.granularity != "day")
        ):
            into.start, into.end, into.granularity = other.start, other.end, other.granularity
        into.country = into.country or other.country
        into.storyline = into.storyline or other.storyline
        self.store.merge_clusters(into.id, other.id)

    def _storyline(self, state: ClusterState) -> None:
        """Put a happening in the storyline with which it shares two countries or two people (all
        of Modi's and Putin's summits, however each article names them), else start one. A person
        and the country they stand for count once: a Modi-Trump meeting shares only India and Modi
        with the India-Russia storyline, which is one party, not two."""
        # a person no article of this happening ties to a country stands for the one most articles do
        known = self.store.person_countries([a for a in state.actors if a not in state.countries])
        sides = dict(state.countries)
        for country, name in known.values():
            sides.setdefault(country, name)
        entities = {**state.actors, **sides}
        countries = sides.keys() | {a for a in state.actors if country_table().country(state.actors[a])}
        # the storylines sharing two of its countries or two of its other parties, most shared first
        groups = [sorted(countries & entities.keys()), sorted(entities.keys() - countries)]
        sharing = self.store.storyline_overlaps(groups)
        if sharing:
            state.storyline = self.store.storyline_for(sharing[0][0], "", entities)
        if state.storyline is None and (found := storyline_key(state.actors, sides, set(known))) is not None:
            names = " – ".join(sorted(found[1].values()))
            state.storyline = self.store.storyline_for(found[0], names, entities)
        if state.storyline is not None:
            self.store.set_storyline(state.id, state.storyline)

    def _alone(self, doc: Document, ann: Annotations, event: Event | None) -> str:
        """A happening for a document that none of the others reports, dated by the document (or
        undated), named after its main event (one it reports rather than recalls, denies or
        supposes, the surest) or, with none, after its title; in the storyline of that event's
        parties. ``event`` is the article's :func:`headline_event`, placed in no happening."""
        day = document_day(doc)
        actors, countries = parties(doc.text, ann, event) if event is not None else ({}, {})
        sig_id = "C" + _digest(f"{doc.id}|alone")
        state = ClusterState(
            sig_id, family(event) if event else "document", actors, day, day, "day", None,
            event.status.value if event else EventStatus.OCCURRED.value, countries,
        )  # fmt: skip
        title = " ".join((doc.title or doc.text[:80]).split())
        kind = (event.subtype or event.type.lower()).replace("-", " ") if event else "report"
        self.store.save_cluster(
            state, event.type if event else "OTHER", event.subtype if event else None,
            _place_of(event) if event else None, f"{kind}: {title}", [],
        )  # fmt: skip
        if event is not None:
            self.store.add_member(event.id, state.id, doc.id, event.status.value)
            self._storyline(state)
        return sig_id


#: How much of an article's opening is its lead, in words: the events told there are what it
#: reports (the lead of a news story, its first one or two sentences). Not fit on data.
LEAD_WORDS = 60
_FIRM = (EventStatus.OCCURRED, EventStatus.ONGOING, EventStatus.PLANNED)


def headline_event(doc: Document, ann: Annotations) -> Event | None:
    """The event an article mainly reports: one it reports rather than recalls, denies or
    supposes; of those, one told in its lead; then one of the family it tells most often (a
    shooting told six times, not the talk with a prosecutor told once); then the surest."""
    if not ann.events:
        return None
    told: dict[str, int] = defaultdict(int)
    for e in ann.events:
        told[family(e)] += len(e.mentions) or 1
    words = doc.text.split(maxsplit=LEAD_WORDS)
    lead_end = len(doc.text) - len(words[LEAD_WORDS]) if len(words) > LEAD_WORDS else len(doc.text)

    def in_lead(e: Event) -> bool:
        return any(m.start < lead_end for m in e.mentions or [e.trigger])

    return max(ann.events, key=lambda e: (e.status in _FIRM, in_lead(e), told[family(e)], e.confidence))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def _place_of(event: Event | None) -> dict[str, Any] | None:
    p = event.place if event is not None else None
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon} if p else None


def document_day(doc: Document | None) -> date | None:
    """The day a document speaks from: its publication day (given, or inferred from its text)."""
    return doc.published.value.date() if doc is not None and doc.published is not None else None
