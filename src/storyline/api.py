"""The Python API. Every interface (the CLI, the REST API and its web UI) calls this facade.

>>> import storyline
>>> with storyline.open("news.db") as sl:          # doctest: +SKIP
...     report = sl.ingest("examples/corpus")
...     hits = sl.search("Sochi summit")
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from storyline.config import ClusterConfig, IngestConfig
from storyline.errors import ConfigError, InputError, StorylineError, UsageError
from storyline.ingest.sources import Source
from storyline.ingest.transport import Transport
from storyline.model import EXPORT_FIELDS, Article, Document, content_id, document_to_dict
from storyline.model.annotations import Annotations, EntityRecord, Event, EventStatus, fold_name, value_range
from storyline.model.clusters import EventCluster, StorylineRecord, TimelineEntry
from storyline.pipeline import IngestPipeline, IngestReport, ProgressFn
from storyline.store import DocumentQuery, EventQuery, SearchHit, Sighting, Store, StoredEvent, open_store
from storyline.store.base import ID_PREFIX_MIN
from storyline.store.filters import HappeningFilter
from storyline.store.urls import redact
from storyline.timing import mark, since, stage

#: Events whose calibrated probability is below this are doubtful: kept, but listed after the
#: others. Set by hand at even odds (see storyline.annotate.calibration for what it is calibrated on).
DOUBTFUL_BELOW = 0.5


@lru_cache(maxsize=1)
def event_calibration() -> Calibration:
    """The shipped calibration of event confidences, read once."""
    from storyline.annotate.calibration import Calibration

    return Calibration.load()


if TYPE_CHECKING:
    import pandas as pd

    from storyline.annotate import Annotated, Annotator, Extractions
    from storyline.annotate.calibration import Calibration
    from storyline.cluster import VectorLookup
    from storyline.distributed.ray_runner import RayOptions
    from storyline.follow.service import Following
    from storyline.relate.pairs import Pair
    from storyline.relate.similarity import Comparison

EXPORT_FORMATS = ("jsonl", "csv", "parquet", "gdelt")
EXPORT_TABLES = ("documents", "entities", "events")
_MAX_GRAPH_NODES = 10_000


#: Names a search for an entity's name looks for at most (its own first, then the others).
MAX_SEARCH_NAMES = 12
#: And, for a place, at most this many more: its names in other languages and spellings (Moscow
#: has 60 in the gazetteer).
MAX_PLACE_NAMES = 80


class DocumentNotFound(StorylineError, KeyError):
    """No stored document has that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "document not found"


def date_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """ "2024" or "2024-05" as bounds of days: from its first day, to its last (ISO dates); a bound
    that is not a date raises UsageError."""
    spans = [value_range(d) if d else None for d in (date_from, date_to)]
    for bound, span in zip((date_from, date_to), spans, strict=True):
        if bound and span is None:
            raise UsageError(f"{bound!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return (spans[0][0].isoformat() if spans[0] else None, spans[1][1].isoformat() if spans[1] else None)


class Storyline:
    """A store of news documents and the operations on it."""

    def __init__(self, path: str | os.PathLike[str] = "storyline.db", config: IngestConfig | None = None) -> None:
        self.path = str(path)
        self.config = config or IngestConfig()
        self.store: Store = open_store(self.path)

    @property
    def following(self) -> Following:
        """The sources this store follows and its alert watches (``storyline sources``,
        ``watch`` and ``alerts``; :mod:`storyline.follow`)."""
        from storyline.follow.service import Following

        return Following(self)

    # -- lifecycle --------------------------------------------------------------------
    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Storyline:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------
    def ingest(
        self,
        *inputs: str | os.PathLike[str],
        config: IngestConfig | None = None,
        transport: Transport | None = None,
        workers: int | None = 1,
        stdin: BinaryIO | None = None,
        progress: ProgressFn | None = None,
        sources: Sequence[Source] = (),
        engine: str = "local",
        address: str | None = None,
        num_workers: int | None = None,
        articles: Sequence[Article | InputError] = (),
    ) -> IngestReport:
        """Read, clean, de-duplicate and store files, folders, URLs or ``-`` (stdin), and
        ``sources`` already in memory (``Source(name, data=bytes)``; the name stands for the input
        in errors and sightings).

        ``workers``: processes that clean (1, the default: this process only; None: one per core
        for an ingest large enough to repay starting them, as the CLI does, see
        :mod:`storyline.workers`). Like any use of multiprocessing, more than one needs a script's
        ``if __name__ == "__main__":`` guard.

        ``engine="ray"`` reads and cleans on Ray actors instead (``pip install storyline[ray]``):
        on the cluster at ``address``, or on a local Ray instance when there is none, with
        ``num_workers`` actors (default: one per CPU); see :mod:`storyline.distributed.ray_runner`.

        ``articles``: articles read already (``storyline watch`` reads its sources itself), each
        counted as an input.

        Bad inputs are reported in the returned report, never raised; the rest is stored. A list
        or tuple of inputs counts as its items (``ingest(paths)`` as ``ingest(*paths)``)."""
        inputs = _flat(inputs)
        ray = self._ray_options(engine, address, num_workers)
        if ray is not None:
            if articles:
                raise ConfigError("articles read already are ingested by the local engine only")
            return self._run_ray(inputs, False, ray, config, transport, stdin, progress, sources)
        pipeline = IngestPipeline(self.store, config or self.config, transport=transport, workers=workers)
        return pipeline.run(
            [str(i) for i in inputs], stdin=stdin, progress=progress, sources=sources, articles=articles
        )

    @staticmethod
    def _ray_options(engine: str, address: str | None, num_workers: int | None) -> RayOptions | None:
        """The Ray engine's options when ``engine`` is ray (a ConfigError when Ray is not
        installed), None for the local engine."""
        from storyline.distributed import ENGINES

        if engine not in ENGINES:
            raise ConfigError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        if engine == "local":
            if address is not None or num_workers is not None:
                raise ConfigError("address and num_workers are options of the ray engine (engine='ray')")
            return None
        from storyline.distributed.ray_runner import RayOptions, import_ray

        import_ray()
        return RayOptions(address, num_workers)

    def _run_ray(
        self, inputs: Sequence[str | os.PathLike[str]], analyze: bool, options: RayOptions,
        config: IngestConfig | None, transport: Transport | None, stdin: BinaryIO | None,
        progress: ProgressFn | None, sources: Sequence[Source],
    ) -> IngestReport:  # fmt: skip
        from storyline.distributed.ray_runner import run

        return run(
            self, inputs, analyze=analyze, options=options, config=config, transport=transport, stdin=stdin,
            progress=progress, sources=sources,
        )  # fmt: skip

    def analyze(self, *inputs: str | os.PathLike[str], **kwargs: Any) -> IngestReport:
        """Ingest, then annotate every stored document not yet annotated by the current stages
        (entities, time expressions and places), and place them in happenings and storylines.
        With ``workers`` None (storyline chooses, as the CLI does) or more than one, the server
        the annotation workers are forked from starts first, so its models load while the input
        is read (see :meth:`annotate_pending`).
        Takes the options of :meth:`ingest`; with ``engine="ray"`` the annotation's per-document
        part and the embeddings run on the Ray actors too, and what must see the whole store
        (canonicalisation across documents, near-duplicates, happenings) runs here, in input order."""
        inputs = _flat(inputs)
        engine, address, num_workers = (kwargs.pop(k, None) for k in ("engine", "address", "num_workers"))
        ray = self._ray_options(engine or "local", address, num_workers)
        if ray is not None:
            kwargs.pop("workers", None)  # the actors do the work of the local workers
            known = ("config", "transport", "stdin", "progress")
            config, transport, stdin, progress = (kwargs.pop(k, None) for k in known)
            sources = kwargs.pop("sources", ())
            if kwargs:
                raise TypeError(f"analyze() got unexpected keyword arguments: {', '.join(kwargs)}")
            return self._run_ray(inputs, True, ray, config, transport, stdin, progress, sources)
        before = mark()
        workers = kwargs.get("workers", 1)
        if workers is None or workers > 1:
            _start_worker_server()  # its models load while the input is read
        report = self.ingest(*inputs, **kwargs)
        with stage("annotate"):
            report.annotated = self.annotate_pending(workers=workers, warm_embedder=True)
        with stage("happenings"):
            report.clustered = self.cluster_pending()
        report.stages = since(before)
        return report

    def cluster_pending(self, config: ClusterConfig | None = None, *, vectors: VectorLookup | None = None) -> int:
        """Place every annotated document not yet placed in the happenings (event clusters) it
        reports, and new happenings in storylines. Returns how many documents were placed.
        ``vectors``: document vectors computed elsewhere (by the Ray engine), by the text they embed."""
        from storyline.cluster import Clusterer

        with self.store.writer_lock():
            clusterer = Clusterer(self.store, config)
            clusterer.vectors = vectors
            return len(clusterer.run())

    def happening_filter(
        self,
        *,
        entity: str | list[str] | None = None,
        storyline: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        cluster: str | None = None,
        include_tentative: bool = False,
        dated_only: bool = False,
        status: str | list[str] | None = None,
        kind: str | list[str] | None = None,
        min_confidence: float | None = None,
        min_sources: int | None = None,
        every_match: bool = False,
        check_kinds: bool = True,
    ) -> HappeningFilter:
        """The filter record every listing of happenings takes, built once and checked: entities
        by id, name or alias (all of them must take part), a storyline by id, id prefix or label
        (:meth:`resolve_storyline`), dates as YYYY, YYYY-MM or YYYY-MM-DD, statuses (planned,
        occurred, ...), kinds (a PLOVER category such as CONSULT or a subtype such as meeting),
        the least placement confidence and the fewest reporting articles. A value that cannot be
        raises :class:`UsageError`; with ``every_match`` an ambiguous entity name stands for every
        entity it matches instead (a saved alert); without ``check_kinds`` a kind no event has
        lists nothing (the REST API, whose schema takes any string there)."""
        start, end = date_bounds(date_from, date_to)
        if check_kinds:
            check_event_kinds(kind, "kind", subtypes=True)
        return HappeningFilter.of(
            entity_ids=self._entity_groups(entity, every_match),
            storyline=self.resolve_storyline(storyline)[0] if storyline else None,
            date_from=start, date_to=end, cluster_id=cluster, include_tentative=include_tentative,
            dated_only=dated_only, status=status, kind=kind, min_confidence=min_confidence, min_sources=min_sources,
        )  # fmt: skip

    def clusters(
        self, which: HappeningFilter | None = None, *, limit: int | None = 50, offset: int = 0, **filters: Any
    ) -> list[EventCluster]:
        """Happenings (one real event reported by many articles), earliest first (undated ones
        last), with their sources: those ``which`` picks, or the keyword ``filters`` of
        :meth:`happening_filter` (entity, storyline, date_from, date_to, cluster, status, kind,
        min_confidence, min_sources, include_tentative, dated_only). Tentative happenings (one
        article, no confident event) only with ``include_tentative`` or when asked for by id."""
        return self.store.clusters(self._which(which, filters), limit=limit, offset=offset)

    def happenings(
        self, which: HappeningFilter | None = None, *, limit: int | None = 50, offset: int = 0, **filters: Any
    ) -> list[EventCluster]:
        """Happenings, as :meth:`clusters` (the name it will keep; ``clusters`` goes in the next release)."""
        return self.clusters(which, limit=limit, offset=offset, **filters)

    def count_happenings(self, which: HappeningFilter | None = None, **filters: Any) -> int:
        """As :meth:`count_clusters`."""
        return self.count_clusters(which, **filters)

    def count_clusters(self, which: HappeningFilter | None = None, **filters: Any) -> int:
        """How many happenings :meth:`clusters` would list with these filters, over all pages."""
        return self.store.count_clusters(self._which(which, filters))

    def _which(self, which: HappeningFilter | None, filters: dict[str, Any]) -> HappeningFilter:
        if which is not None and filters:
            raise UsageError(f"give a HappeningFilter or keyword filters, not both ({', '.join(filters)})")
        return which if which is not None else self.happening_filter(**filters)

    def _entity_groups(self, entity: str | list[str] | None, every_match: bool = False) -> list[list[str]] | None:
        """For each name given, the entity ids it stands for (all of them must take part)."""
        names = [entity] if isinstance(entity, str) else list(entity or [])
        return [self.entity_choice(name, every_match=every_match) for name in names] if names else None

    def entity_choice(self, name: str, *, every_match: bool = False) -> list[str]:
        """The ids of the entities an --entity value stands for: an id; else the entities whose
        canonical name it is ("Jordan" the country, though Michael Jordan is "Jordan" too); else
        those whose alias it is. Alike for every listing (events, happenings, timelines, the
        graph; the CLI, this API and the REST API). Entities of one name (a country the
        recogniser also read as an organisation) are one answer. Raises :class:`UsageError`:
        ``not-found`` for a name no entity has, ``ambiguous`` (with the candidates and their ids)
        for an alias that entities of different names share ("Barrios" for Jorge and Edith
        Barrios), unless ``every_match`` (a saved alert keeps watching all of them)."""
        ids = self.store.entity_ids(name)
        if not ids:
            raise UsageError(f"no entity {name!r} (storyline entities lists them)", "not-found")
        if name in ids:
            return [name]
        records = [r for r in map(self.store.entity, ids) if r is not None]
        named = [r.id for r in records if fold_name(r.canonical) == fold_name(name)]
        if named:
            return named
        if len({fold_name(r.canonical) for r in records}) > 1 and not every_match:
            raise _ambiguous("entity", name, [(f"{r.canonical} ({r.kind})", r.id) for r in records])
        return ids

    def resolve_storyline(self, given: str) -> tuple[str, str | None]:
        """The storyline ``given`` names: its id, a unique id prefix (4 characters or more), or its
        label in any case and with any dashes and spacing ("india-russia" for "India – Russia").
        Returns the id and, when the label matched only once folded, a note saying which. Raises
        :class:`UsageError`: ``not-found``, or ``ambiguous`` with the candidates."""
        given = given.strip()
        if self.store.storyline(given) is not None:
            return given, None
        if given and self.store.count_clusters(HappeningFilter(storyline=given, include_tentative=True)):
            return given, None  # an id whose happenings are all tentative (hidden from listings)
        records = self.store.storylines(None)
        if len(given) >= ID_PREFIX_MIN:
            by_prefix = [r for r in records if r.id.startswith(given)]
            if len(by_prefix) == 1:
                return by_prefix[0].id, None
            if by_prefix:
                raise _ambiguous("storyline", given, [(r.label, r.id) for r in by_prefix])
        folded = fold_name(given)
        by_label = [r for r in records if fold_name(r.label) == folded]
        if len(by_label) == 1:
            found = by_label[0]
            return found.id, None if found.label == given else f"storyline {given!r} is {found.label!r} [{found.id}]"
        if by_label:
            raise _ambiguous("storyline", given, [(r.label, r.id) for r in by_label])
        raise UsageError(f"no storyline {given!r} (storyline storylines lists them)", "not-found")

    def storylines(self, *, limit: int | None = 50, offset: int = 0) -> list[StorylineRecord]:
        """Storylines (happenings of the same actors over time), the largest first."""
        return self.store.storylines(limit, offset)

    def timeline(
        self, which: HappeningFilter | None = None, *, limit: int | None = 200, offset: int = 0, **filters: Any
    ) -> list[TimelineEntry]:
        """Dated happenings in order, each with its sources and their evidence sentences: those
        ``which`` or the keyword ``filters`` of :meth:`happening_filter` pick, dated only
        (tentative ones only with ``include_tentative``)."""
        from storyline.timeline import timeline_entries

        return timeline_entries(self.clusters(replace(self._which(which, filters), dated_only=True), limit=limit,
                                              offset=offset))  # fmt: skip

    def annotate_pending(
        self,
        *,
        batch_size: int = 64,
        workers: int | None = 1,
        extractions: Extractions | None = None,
        warm_embedder: bool = False,
    ) -> int:
        """Annotate stored documents that lack annotations by the current stage versions.
        Each batch is written in one transaction; returns how many were annotated. ``workers``:
        processes that annotate (1, the default: this process only; None: one per core when
        enough documents wait, see :mod:`storyline.workers`, or one forked from the server
        ``analyze`` started, see :func:`_one_forked_worker`). Results do not depend on it.
        ``extractions``: the per-document part computed elsewhere (by the Ray engine).
        ``warm_embedder``: while workers annotate, load the embedder in a thread of this process
        (``analyze`` places the documents next, which needs it)."""
        from storyline.annotate import Annotator
        from storyline.annotate.pool import workers_start_warm
        from storyline.workers import ANNOTATE_WORKERS_FROM, annotation_workers

        english = None
        with stage("annotate: set-up (workers, tables)"):
            if workers is None:
                waiting = self.store.unannotated(Annotator.stage_names(), ANNOTATE_WORKERS_FROM)
                english, others = _recognised([d.language for d in waiting])
                workers = annotation_workers(english, others, english + others, warm=workers_start_warm())
            # (happenings are placed next, which needs the embedder)
            own = extractions is not None
            annotator = _annotator(workers, warm_embedder=warm_embedder, own=own, english=None if own else english)
        annotator.extractions = extractions
        done = 0
        try:
            with self.store.writer_lock():
                while True:
                    with stage("annotate: load documents"):
                        # the same batches whatever the workers: canonicalisation sees a batch, so
                        # results hold; the batch after it goes to the workers now, to be read
                        # while this one is canonicalised and written
                        waiting = self.store.unannotated(annotator.stages, 2 * batch_size)
                    docs, ahead = waiting[:batch_size], waiting[batch_size:]
                    if not docs:
                        return done
                    annotator.prefetch(docs)
                    annotator.prefetch(ahead)
                    results = annotator.annotate_many(
                        docs, known_people=self.store.people_weights(), known_countries=self._people_countries
                    )
                    with stage("annotate: store writes"):
                        self.store.add_annotations(annotator.stages, [(r.document.id, r.annotations) for r in results])
                    done += len(docs)
        finally:
            annotator.close()

    def _people_countries(self, people: Sequence[str]) -> dict[str, str]:
        """The country the store's documents introduce each of ``people`` with (entity ids)."""
        return {person: name for person, (_, name) in self.store.person_countries(people).items()}

    def set_date(self, doc_id: str, when: str) -> Document:
        """Give a stored document (id or unique prefix) the publication date ``when`` (ISO 8601,
        RFC 2822 or a dateline form such as ``May 21, 2018``), recorded as given by the user;
        then annotate it again, so its relative times ("on Friday", "last May") resolve against
        the new date, and place it again in happenings. Returns the document as stored now.
        A date that cannot be read is a :class:`UsageError`."""
        from storyline.annotate import shared_annotator
        from storyline.clean.dates import parse_metadata_date
        from storyline.model import DateSource, PublishedDate

        doc = self.get(doc_id)
        parsed = parse_metadata_date(when)
        if parsed is None:
            raise UsageError(f"{when!r} is not a date (e.g. 2018-05-21, 'May 21, 2018')")
        given = PublishedDate(parsed.value, parsed.granularity, DateSource.GIVEN, when, parsed.zone_given)
        dated = replace(doc, published=given)
        annotator = shared_annotator()
        with self.store.writer_lock():
            self.store.add([], [], earlier=[dated])
            results = annotator.annotate_many(
                [dated], known_people=self.store.people_weights(), known_countries=self._people_countries
            )
            self.store.add_annotations(annotator.stages, [(r.document.id, r.annotations) for r in results])
        self.cluster_pending()
        return self.get(doc.id)

    def all_annotated(self) -> bool:
        """Whether every stored document carries the annotations of the stages this version runs:
        none waits for ``analyze`` (an empty store too)."""
        from storyline.annotate import Annotator

        return not self.store.unannotated(Annotator.stage_names(), 1)

    def annotations(self, doc_id: str) -> Annotations:
        """The stored annotations of a document (empty before ``analyze``)."""
        return self.store.annotations(self.get(doc_id).id)

    def entities(self, *, kind: str | None = None, limit: int | None = 50, offset: int = 0) -> list[EntityRecord]:
        """Canonical entities across the store, most widely reported first."""
        return self.store.entities(kind, limit, offset)

    def event_query(
        self,
        *,
        entity: str | None = None,
        type: str | None = None,
        status: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        document: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
        min_confidence: float | None = None,
        hide_duplicates: bool = False,
        check_kinds: bool = True,
    ) -> EventQuery:
        """The filter record every listing of events takes (:meth:`events`, :meth:`count_events`,
        :meth:`events_frame`, the CLI and the REST API), built once and checked: a value that
        cannot be (an unknown status, a bad date or confidence, an unknown document) raises
        :class:`UsageError` (or DocumentNotFound)."""
        if status is not None and status.lower() not in {s.value for s in EventStatus}:
            raise UsageError(f"unknown status {status!r}; choose one of {', '.join(s.value for s in EventStatus)}")
        start, end = date_bounds(date_from, date_to)
        doc_id = self.get(document).id if document else None
        if check_kinds:  # (not the REST API: its schema takes any string there)
            check_event_kinds(type, "type", subtypes=True)
        # as every listing takes an entity: unknown or ambiguous is said, an exact name beats an alias
        chosen = tuple(self.entity_choice(entity)) if entity is not None else None
        query = EventQuery(entity, type, status, start, end, doc_id, limit, offset, hide_duplicates, entity_ids=chosen)
        return self._confidence_filter(query, min_confidence)

    def events(self, which: EventQuery | None = None, **filters: Any) -> list[StoredEvent]:
        """Stored events, earliest first: those ``which`` picks, or the keyword ``filters`` of
        :meth:`event_query` (an entity taking part: id, canonical name or alias; PLOVER category
        or subtype, or several separated by commas; status; a date range they overlap; a document
        by id or prefix; limit and offset).
        Doubtful events (calibrated probability below :data:`DOUBTFUL_BELOW`) come after the
        others; ``min_confidence`` (a calibrated probability, 0-1) leaves out those below it."""
        return self.store.events(which if which is not None else self.event_query(**filters))

    def _confidence_filter(self, query: EventQuery, min_confidence: float | None) -> EventQuery:
        """The query with the calibrated ``min_confidence`` as a bound on stored scores, and
        doubtful events ordered last."""
        calibration = event_calibration()
        doubtful = calibration.raw_threshold(DOUBTFUL_BELOW)
        query = replace(query, doubtful_below=doubtful)
        if min_confidence is None:
            return query
        if not 0.0 <= min_confidence <= 1.0:
            raise UsageError(f"min_confidence {min_confidence}: a probability between 0 and 1")
        bound = calibration.raw_threshold(min_confidence)
        return replace(query, min_confidence=bound if bound is not None else 2.0)  # 2.0: nothing reaches it

    def event_probability(self, event: Event) -> float:
        """The calibrated probability that a stored event is right (see storyline.annotate.calibration)."""
        return event_calibration().probability(event.confidence)

    def count_events(self, which: EventQuery | None = None, **filters: Any) -> int:
        """How many events :meth:`events` would list with these filters, over all pages."""
        query = which if which is not None else self.event_query(**filters)
        return self.store.count_events(replace(query, limit=None, offset=0))

    def compare(self, a: str, b: str) -> Comparison:
        """How similar two stored documents are (ids or unique prefixes), with the verdict and
        its reasons. Documents not yet analyzed are annotated for the comparison (not stored)."""
        from storyline.annotate import shared_annotator
        from storyline.relate.embed import shared_embedder
        from storyline.relate.similarity import compare_documents

        docs = [self.get(a), self.get(b)]
        anns = [self.annotations(d.id) for d in docs]
        if any(not (x.entities or x.times or x.events or x.skipped) for x in anns):
            anns = [r.annotations for r in shared_annotator().annotate_many(docs)]
        return compare_documents(docs, anns, shared_embedder(), f"{docs[0].id}|{docs[1].id}")

    # -- reading ----------------------------------------------------------------------
    def get(self, doc_id: str) -> Document:
        """A document by id or unique id prefix (at least 4 characters)."""
        full = self.store.resolve(doc_id)
        doc = self.store.get(full) if full else None
        if doc is None:
            raise DocumentNotFound(f"no document with id {doc_id!r} in {redact(self.path)}")
        return doc

    def sightings(self, doc_id: str) -> list[Sighting]:
        """Every input that produced this document's text."""
        return self.store.sightings(self.get(doc_id).id)

    def document_query(
        self,
        *,
        limit: int | None = 20,
        offset: int = 0,
        hide_duplicates: bool = False,
        language: str | None = None,
        source: str | None = None,
        entity: str | None = None,
        place: str | None = None,
        event_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> DocumentQuery:
        """The filter record every listing of documents takes (:meth:`documents`, :meth:`count`,
        :meth:`documents_frame`, the CLI and the REST API), built once and checked: documents
        naming ``entity`` (id, canonical name or alias), ``place`` (a place name or a country
        code), reporting an ``event_type`` (PLOVER), from a ``source``, published between
        ``date_from`` and ``date_to`` (YYYY, YYYY-MM or YYYY-MM-DD; ``since`` and ``until`` are
        their older names). A bad date or limit raises :class:`UsageError`."""
        if (limit is not None and limit < 0) or offset < 0:
            raise UsageError(f"limit {limit} and offset {offset}: neither may be negative")
        start, end = date_bounds(date_from or since, date_to or until)
        ids = tuple(self.store.entity_ids(entity)) if entity else None
        return DocumentQuery(limit, offset, hide_duplicates, language, source, start, end, ids, place, event_type)

    def documents(self, which: DocumentQuery | None = None, **filters: Any) -> list[Document]:
        """Documents in publication order (undated last): those ``which`` picks, or the keyword
        ``filters`` of :meth:`document_query`."""
        return self.store.documents(which if which is not None else self.document_query(**filters))

    def count(self, which: DocumentQuery | None = None, **filters: Any) -> int:
        """How many documents :meth:`documents` would list with these filters, over all pages."""
        query = which if which is not None else self.document_query(**filters)
        return self.store.count(replace(query, limit=None, offset=0))

    def search(self, query: str, *, limit: int = 20, hide_duplicates: bool = False) -> list[SearchHit]:
        """Full-text search over titles, texts and captions, best first; a query that is exactly
        an entity's name or one of its aliases also finds its other names (:meth:`search_names`)."""
        return self.store.search(self.search_names(query)[0], limit=limit, hide_duplicates=hide_duplicates)

    def search_names(self, query: str) -> tuple[str, list[str]]:
        """What a search for ``query`` looks for: when the query (plain words, no quotes or
        operators) is exactly the name or an alias of entities, every name those entities go by in
        the store ("Mode" finds the articles that spell him Modi or Narendra Modi), as phrases
        joined by OR, and those names; else the query itself and no names."""
        plain = " ".join(query.split())
        if not plain or re.search(r'["*()]|\b(OR|AND|NOT)\b', plain):
            return query, []
        folded = plain.casefold()
        names: set[str] = set()
        elsewhere: set[str] = set()  # a place's names in other languages and spellings
        for entity_id in self.store.entity_ids(plain)[:5]:
            record = self.store.entity(entity_id)
            if record is None:
                continue
            known = {record.canonical, *record.aliases}
            if folded in {n.casefold() for n in known}:
                names.update(n for n in known if '"' not in n and n.strip())
                if record.kind == "PLACE":
                    elsewhere.update(self._place_names(record.canonical, record.country))
        own = sorted(names, key=lambda n: (n.casefold() != folded, n))
        seen = {n.casefold() for n in own}
        more = sorted(n for n in elsewhere if n.casefold() not in seen and '"' not in n)
        chosen = own[:MAX_SEARCH_NAMES] + more[:MAX_PLACE_NAMES]
        if len(chosen) < 2:
            return query, []
        return " OR ".join(f'"{n}"' for n in chosen), chosen

    def _place_names(self, name: str, country: str | None) -> list[str]:
        """The names the gazetteer knows a place by in other languages and spellings ("Sotschi"
        for Sochi), when the place is one it knows (:meth:`Gazetteer.other_names`)."""
        from storyline.annotate.countries import country_table
        from storyline.annotate.gazetteer import shared_gazetteer

        gazetteer = shared_gazetteer()
        code = country if country is None or len(country) == 2 else country_table().code_of.get(country)
        place = gazetteer.place(name, code) or gazetteer.place(name)
        return gazetteer.other_names(place) if place is not None else []

    # -- aggregates (what the REST API and web UI show) ---------------------------------------
    def placement(self, doc_id: str) -> tuple[str | None, str | None]:
        """The happening a document mainly reports, and its storyline (ids, or None)."""
        return self.store.document_placements([doc_id]).get(doc_id, (None, None))

    def analyze_items(self, items: Sequence[tuple[str, bytes]], **kwargs: Any) -> IngestReport:
        """Ingest, annotate and cluster inputs held in memory, as (name, bytes) pairs: the name
        stands for the input in errors and sightings, and its extension tells the format."""
        return self.analyze(sources=[Source(name, data=data) for name, data in items], **kwargs)

    def analyze_records(
        self, records: Sequence[dict[str, Any]], *, name: str = "request.jsonl", **kwargs: Any
    ) -> IngestReport:
        """Ingest, annotate and cluster documents given as records (``text`` and optionally
        ``title``, ``url``, ``published``, ``id``, ``source``, ``language``); an error names the
        n-th record ``{name}#line=n``."""
        data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")
        return self.analyze_items([(name, data)], **kwargs)

    def entity_notes(self, name: str) -> list[str]:
        """What a name given for an entity was taken as, when it is not the entity's id or own
        name: "'Mode' is a spelling variant of Narendra Modi" (a note for the user)."""
        records = [r for r in (self.store.entity(i) for i in self.store.entity_ids(name)) if r is not None]
        if not records or any(r.id == name or r.canonical.casefold() == name.casefold() for r in records):
            return []
        notes = [
            f"{alias!r} is {'a spelling variant' if variant == 'spelling' else 'another name'} of {canonical}"
            for canonical, alias, variant in self.store.entity_aliases_matching(name)
        ]
        return notes or [f"{name!r} taken as {', '.join(r.canonical for r in records)} (part of the name)"]

    def entity(self, name: str) -> EntityRecord | None:
        """One entity by id, canonical name or alias ("Mode" finds Narendra Modi), or None."""
        ids = self.store.entity_ids(name)
        return self.store.entity(ids[0]) if ids else None

    def count_entities(self, *, kind: str | None = None) -> int:
        return self.store.count_entities(kind)

    def storyline(self, storyline_id: str) -> StorylineRecord | None:
        return self.store.storyline(storyline_id)

    def count_storylines(self) -> int:
        return self.store.count_storylines()

    def map_points(
        self,
        *,
        storyline: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 1000,
    ) -> dict[str, Any]:
        """Happenings at their places and the places articles mention, counted (see the store);
        ``storyline`` by id, id prefix or label."""
        start, end = date_bounds(date_from, date_to)
        line = self.resolve_storyline(storyline)[0] if storyline else None
        return self.store.map_points(storyline=line, date_from=start, date_to=end, limit=limit)

    def generation(self) -> int:
        """A counter every write to the store raises (for caches of aggregates)."""
        return self.store.generation()

    def stats(self) -> dict[str, Any]:
        """What the store holds: counts of documents, duplicates, inputs, languages, sources,
        events by type and status, and the date range (and the store's path)."""
        return self.store.stats()

    # -- export -----------------------------------------------------------------------
    def iter_export(self, *, hide_duplicates: bool = False) -> Iterator[dict[str, Any]]:
        """Every document as a row of the documents table, with its annotations."""
        return self.document_rows(self.store.iter_documents(DocumentQuery(limit=None, hide_duplicates=hide_duplicates)))

    def document_rows(self, docs: Iterable[Document]) -> Iterator[dict[str, Any]]:
        """Documents as rows of the documents table of ``storyline export`` (with their sightings,
        annotations, events and placements), their placements read 500 documents at a time."""
        from itertools import islice

        found = iter(docs)
        while batch := list(islice(found, 500)):
            placed = self.store.document_placements([d.id for d in batch])
            for doc in batch:
                data = document_to_dict(doc)
                row = {k: data[k] for k in EXPORT_FIELDS}
                row["seen_in"] = [s.as_dict() for s in self.store.sightings(doc.id)]
                ann = self.store.annotations(doc.id)
                row["entities"] = [e.as_dict() for e in ann.entities]
                row["places"] = [p.as_dict() for p in ann.places]
                row["times"] = [t.as_dict() for t in ann.times]
                clusters = self.store.event_clusters(doc.id)
                row["events"] = [
                    {**e.as_dict(), "happening": clusters.get(e.id), "cluster": clusters.get(e.id)} for e in ann.events
                ]
                happening, story = placed.get(doc.id, (None, None))
                # "event_cluster": the old name of "happening", kept for one release
                row["happening"], row["event_cluster"], row["storyline"] = happening, happening, story
                yield row

    def iter_rows(self, table: str = "documents", *, hide_duplicates: bool = False) -> Iterator[dict[str, Any]]:
        """Every row of a table: ``documents`` (with their annotations), ``entities`` (most widely
        reported first) or ``events`` (earliest first). ``hide_duplicates`` leaves out
        near-duplicate documents and their events."""
        from storyline.exports import entity_row, event_row

        if table == "documents":
            return self.iter_export(hide_duplicates=hide_duplicates)
        if table == "entities":
            return (entity_row(e) for e in self.store.entities(None, None))
        if table == "events":
            query = EventQuery(limit=None, hide_duplicates=hide_duplicates)
            return (event_row(r) for r in self.store.iter_event_rows(query))
        raise UsageError(f"unknown table {table!r}; choose one of {', '.join(EXPORT_TABLES)}")

    def export(
        self,
        out: TextIO | str | os.PathLike[str],
        *,
        format: str = "jsonl",
        table: str | None = None,
        hide_duplicates: bool = False,
        partition: str | None = None,
    ) -> int:
        """Write a table (``documents``, the default; ``entities``; ``events``) as JSON Lines, CSV
        (lists and records as JSON text) or Parquet (a file path only), or the events as a
        GDELT-style tab-separated table (``format="gdelt"``). Returns how many rows were written.

        ``partition="month"`` (Parquet, documents or events) writes a dataset to the folder
        ``out`` instead of one file: ``out/month=YYYY-MM/part-0.parquet`` by publication month
        (an event by its document's), ``month=undated`` for documents with no date; see
        :func:`storyline.exports.write_partitioned`."""
        from storyline.exports import gdelt_rows, write_gdelt, write_table

        if partition is not None:
            return self._export_partitioned(out, format, table or "documents", hide_duplicates, partition)

        if format not in EXPORT_FORMATS:
            raise UsageError(f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        table = table or ("events" if format == "gdelt" else "documents")
        if table not in EXPORT_TABLES:
            raise UsageError(f"unknown table {table!r}; choose one of {', '.join(EXPORT_TABLES)}")
        if format == "gdelt":
            if table != "events":
                raise UsageError(f"the gdelt format is a table of events, not of {table}")
            found = self.store.iter_event_rows(EventQuery(limit=None, hide_duplicates=hide_duplicates))
            return write_gdelt(gdelt_rows(found, self.store), out)
        if format == "parquet" and not isinstance(out, str | os.PathLike):
            raise UsageError("parquet is a binary format: give a file path, not a text stream")
        return write_table(self.iter_rows(table, hide_duplicates=hide_duplicates), table, format, out)

    def _export_partitioned(
        self, out: TextIO | str | os.PathLike[str], format: str, table: str, hide_duplicates: bool, partition: str
    ) -> int:
        from storyline.exports import PARTITIONS, publication_month, write_partitioned

        if partition not in PARTITIONS:
            raise UsageError(f"unknown partition {partition!r}; choose one of {', '.join(PARTITIONS)}")
        if format != "parquet":
            raise UsageError(f"a partitioned export is a Parquet dataset, not {format}")
        if table not in ("documents", "events"):
            raise UsageError(f"{table} have no publication month: partition the documents or the events")
        if not isinstance(out, str | os.PathLike):
            raise UsageError("a partitioned export is written to a folder: give its path")
        rows = self.iter_rows(table, hide_duplicates=hide_duplicates)
        if table == "documents":
            return write_partitioned(rows, table, out, lambda row: publication_month(row["published"]))
        months: dict[str, str] = {}  # an event's partition is its document's

        def month(row: dict[str, Any]) -> str:
            doc_id = row["document_id"]
            if doc_id not in months:
                doc = self.store.get(doc_id)
                published = doc.published if doc is not None else None
                months[doc_id] = publication_month(published.value.isoformat() if published else None)
            return months[doc_id]

        return write_partitioned(rows, table, out, month)

    def entity_graph(self, *, entity: str | None = None, limit: int = 100, min_weight: int = 1) -> dict[str, Any]:
        """Who acts with whom: ``{"nodes": [{id, name, kind, country, documents, weight}], "edges":
        [{source, target, weight, documents}]}``.

        A node's ``weight`` is the number of stored events it is an actor in (any role but the
        speaker who reported the event), its ``documents`` the documents that mention it. An
        edge's ``weight`` is the number of stored events in which both entities are actors, its
        ``documents`` the number of documents reporting at least one such event. The nodes are the
        ``limit`` entities with the most events, heaviest first; with ``entity`` (an id, canonical
        name or alias, as for :meth:`events`), that entity and its ``limit`` - 1 neighbours with
        the most shared events. Edges of fewer than ``min_weight`` events are left out (and so
        are neighbours joined only by them). An unknown ``entity`` gives an empty graph."""
        if not 1 <= limit <= _MAX_GRAPH_NODES:
            raise UsageError(f"limit must be between 1 and {_MAX_GRAPH_NODES}, not {limit}")
        if min_weight < 1:
            raise UsageError(f"min_weight must be at least 1, not {min_weight}")
        ids = None
        if entity is not None:
            try:
                ids = self.entity_choice(entity)  # an ambiguous alias is said, as by every listing
            except UsageError as exc:
                if exc.code != "not-found":
                    raise
                return {"nodes": [], "edges": []}
        return self.store.entity_graph(ids, limit, min_weight).as_dict()

    def export_graph(
        self,
        out: BinaryIO | str | os.PathLike[str],
        *,
        format: str = "gexf",
        entity: str | None = None,
        limit: int = 100,
        min_weight: int = 1,
    ) -> dict[str, Any]:
        """Write :meth:`entity_graph` as GEXF 1.3 or GraphML (UTF-8) to a file path or a binary
        stream, with names as node labels and weights as edge attributes. Returns the graph."""
        from storyline.exports import GRAPH_FORMATS, write_graph

        if format not in GRAPH_FORMATS:
            raise UsageError(f"unknown graph format {format!r}; choose one of {', '.join(GRAPH_FORMATS)}")
        graph = self.entity_graph(entity=entity, limit=limit, min_weight=min_weight)
        write_graph(graph, format, out)
        return graph

    # -- DataFrames (pandas, imported on first use) -------------------------------------
    def documents_frame(self, which: DocumentQuery | None = None, **filters: Any) -> pd.DataFrame:
        """Documents in publication order as a DataFrame with the columns of the documents table
        (``published`` and ``fetched_at`` as UTC datetimes; annotations as lists of dicts): those
        ``which`` picks, or the keyword ``filters`` of :meth:`document_query` (every page unless a
        ``limit`` is given)."""
        from storyline.exports import frame

        query = which if which is not None else self.document_query(**{"limit": None, **filters})
        return frame(self.document_rows(self.store.iter_documents(query)), "documents")

    def entities_frame(self, *, kind: str | None = None, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """Canonical entities, most widely reported first, with the columns of the entities table."""
        from storyline.exports import entity_row, frame

        return frame((entity_row(e) for e in self.store.entities(kind, limit, offset)), "entities")

    def events_frame(self, which: EventQuery | None = None, **filters: Any) -> pd.DataFrame:
        """Stored events, filtered as :meth:`events` filters them (``limit`` None: all of them),
        earliest first, with the columns of the events table (``date_start`` and ``date_end`` as
        datetimes; ``date`` the TIMEX3 value)."""
        from storyline.exports import event_row, frame

        filters.setdefault("limit", None)
        query = which if which is not None else self.event_query(**filters)
        return frame((event_row(r) for r in self.store.iter_event_rows(query)), "events")

    def timeline_frame(
        self, which: HappeningFilter | None = None, *, limit: int | None = 200, **filters: Any
    ) -> pd.DataFrame:
        """:meth:`timeline` as a DataFrame: ``date`` as a datetime (a month or year as its first
        day; ``granularity`` says which), ``actors`` a list of names, ``documents`` how many
        articles, ``sources`` a list of dicts as in ``storyline timeline --json``."""
        from storyline.exports import frame

        entries = self.timeline(which, limit=limit, **filters)
        return frame(({**e.as_dict(), "documents": len(e.sources)} for e in entries), "timeline")

    def happenings_frame(
        self, which: HappeningFilter | None = None, *, limit: int | None = None, **filters: Any
    ) -> pd.DataFrame:
        """:meth:`clusters` as a DataFrame, one row per happening: ``start`` and ``end`` as UTC
        datetimes, ``tentative`` a boolean, ``actors`` and ``sources`` lists of dicts, ``place`` a
        dict; filtered as :meth:`happening_filter` says."""
        from storyline.exports import frame

        return frame((c.as_dict() for c in self.clusters(which, limit=limit, **filters)), "happenings")

    def storylines_frame(self, *, limit: int | None = None) -> pd.DataFrame:
        """:meth:`storylines` as a DataFrame, the largest first: ``start`` and ``end`` as UTC
        datetimes, ``happenings`` and ``documents`` counts, ``entities`` a list of dicts."""
        from storyline.exports import frame

        rows = ({**s.as_dict(), "happenings": s.clusters} for s in self.storylines(limit=limit))
        return frame(rows, "storylines")


@dataclass
class AnnotateResult:
    """What :func:`annotate_inputs` found: per document, the input's own id and its annotations,
    in input order; and the inputs that could not be read."""

    results: list[tuple[str, Annotated]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def annotate_inputs(
    *inputs: str | os.PathLike[str],
    config: IngestConfig | None = None,
    published: date | None = None,
    keep_text: bool = False,
    stdin: BinaryIO | None = None,
    annotator: Annotator | None = None,
    workers: int | None = 1,
) -> AnnotateResult:
    """Annotate files, folders, URLs or ``-`` without storing them.

    Each document is cleaned first, unless ``keep_text``: then its text is annotated exactly as
    given, so offsets refer to the input. ``published`` anchors every input's relative times.
    ``annotator``: the one to use; else ``workers`` say: 1, the default, the process-wide one;
    None, as many worker processes as the documents repay (:func:`storyline.workers.annotation_workers`;
    the CLI does so)."""
    from storyline.annotate.pool import workers_start_warm
    from storyline.clean import Cleaner
    from storyline.clean.dates import parse_metadata_date
    from storyline.encoding import decode
    from storyline.ingest import expand, read
    from storyline.workers import annotation_workers

    config = config or IngestConfig()
    cleaner = Cleaner(config)
    out = AnnotateResult()
    docs: list[Document] = []
    ids: list[str] = []
    for source in expand([str(i) for i in inputs], stdin=stdin):
        for item in [source] if isinstance(source, InputError) else read(source, config):
            if isinstance(item, InputError):
                out.errors.append(item)
                continue
            try:
                if keep_text:
                    text = item.content if isinstance(item.content, str) else decode(item.content, item.origin)[0]
                    if not text.strip():
                        raise InputError(item.origin, "empty", "empty text")
                    (language,) = cleaner.languages.detect_many([text])
                    doc = Document(
                        id=content_id(text), text=text, source_id=item.source_id, origin=item.origin,
                        title=item.fields.title, language=language or item.fields.language,
                        published=parse_metadata_date(item.fields.published) if item.fields.published else None,
                    )  # fmt: skip
                else:
                    doc = cleaner.clean(item)
            except InputError as exc:
                out.errors.append(exc)
                continue
            docs.append(doc)
            ids.append(item.source_id)
    if not docs:
        return out
    if annotator is not None:
        annotated = annotator.annotate_many(docs, anchor=published)
    else:
        if workers is None:
            # (no worker for a few documents: this process has nothing to load meanwhile)
            workers = annotation_workers(*_recognised([d.language for d in docs]), warm=workers_start_warm())
        chosen = _annotator(workers, warm_embedder=False)
        try:
            annotated = chosen.annotate_many(docs, anchor=published)
        finally:
            chosen.close()  # (the process-wide one stays open)
    out.results = list(zip(ids, annotated, strict=True))
    return out


def compare_files(
    a: str | os.PathLike[str], b: str | os.PathLike[str], config: IngestConfig | None = None, workers: int | None = 1
) -> Comparison:
    """Compare two articles given as files or URLs (each must hold exactly one article).
    ``workers``: 1, the default, annotates them in this process; None lets storyline choose, as
    the CLI does: one worker forked from a server that loads the recogniser while this process
    reads the files and loads the embedder, where there is such a server (:func:`_one_forked_worker`)."""
    if workers not in (1, None):
        raise ValueError(
            f"workers={workers!r}: compare_files annotates in this process (1) or as storyline chooses (None)"
        )
    from storyline.relate.embed import shared_embedder
    from storyline.relate.similarity import compare_documents

    if workers is None:
        _start_worker_server()
    annotator = _annotator(1, warm_embedder=True, english=1 if workers is None else None)
    results = []
    try:
        for source in (a, b):
            found = annotate_inputs(source, config=config, annotator=annotator)
            if found.errors:
                raise found.errors[0]
            if len(found.results) != 1:
                held = f"holds {len(found.results)} articles; compare needs one"
                raise InputError(str(source), "not-one-article", held)
            results.append(found.results[0][1])
    finally:
        annotator.close()  # (the process-wide one stays open)
    docs, anns = [r.document for r in results], [r.annotations for r in results]
    return compare_documents(docs, anns, shared_embedder(), f"{docs[0].source_id}|{docs[1].source_id}")


def compare_pairs(pairs: list[Pair], batch: int = 64, workers: int | None = 1) -> list[Comparison | InputError]:
    """Compare the two articles of each pair (see :mod:`storyline.relate.pairs`), in batches: a
    comparison per pair, or the error that stopped it (an article with no text left after cleaning).
    ``workers``: processes that annotate the articles (1, the default: this process only; None: one
    per core when enough articles need a recogniser, as the CLI does; see :mod:`storyline.workers`).
    The results do not depend on it."""
    from storyline.annotate.pool import workers_start_warm
    from storyline.relate.embed import shared_embedder
    from storyline.relate.pairs import PROFILES_KEPT, ProfileCache, pair_profiles
    from storyline.relate.similarity import compare, shipped_model
    from storyline.workers import annotation_workers

    embedder, model = shared_embedder(), shipped_model()
    english = None
    if workers is None:
        # what repays starting workers is recognition: articles in a language no recogniser reads
        # cost little (measured: 200 pairs of mostly such articles took 30 s with workers, 26 without)
        articles = {(text, lang) for p in pairs for text, lang in ((p.text1, p.lang1), (p.text2, p.lang2))}
        english, others = _recognised([lang for _, lang in articles])
        workers = annotation_workers(english, others, warm=workers_start_warm())
    if workers > 1 or english:
        _start_worker_server()  # its models load while the first batch is cleaned
    annotator = _annotator(workers, warm_embedder=True, english=english)
    cache = ProfileCache(PROFILES_KEPT)  # an article several pairs share is profiled once
    out: list[Comparison | InputError] = []
    try:
        for i in range(0, len(pairs), batch):
            chunk = pairs[i : i + batch]
            for pair, profiled in zip(chunk, pair_profiles(chunk, embedder, annotator, cache, model), strict=True):
                if isinstance(profiled, InputError):
                    out.append(profiled)
                else:
                    out.append(compare(profiled[0], profiled[1], model, pair.id))
    finally:
        annotator.close()
    return out


def _start_worker_server() -> None:
    """Where annotation may run in warm workers (more than one core, memory for two), start the
    server they are forked from now, so that it loads the models while this process reads and
    cleans the input (measured in docs/benchmarks.md). Too few documents for two workers go to
    one (:func:`_one_forked_worker`); with no English document to read, the server stays idle
    until the process ends."""
    from storyline.annotate.pool import start_server
    from storyline.workers import ANNOTATE_WORKER_MB, auto_workers

    if auto_workers(1, 0, ANNOTATE_WORKER_MB) > 1:
        start_server()


def _recognised(languages: Sequence[str | None]) -> tuple[int, int]:
    """Of documents in these languages, how many the English recogniser reads and how many another
    language's model reads (the recogniser loads no model to say so). Documents read without a
    model (capitalised names: Dutch, Spanish without its model) count in neither: they cost a few
    milliseconds each, and workers would only load models they do not need."""
    from storyline.annotate.entities import EntityRecognizer

    recogniser = EntityRecognizer()
    read = [recogniser.model_for(lang) for lang in languages if recogniser.reads(lang)]
    loading = [model for model in read if model is not None and model.loads_model]
    english = sum(1 for model in loading if model.language == "en")
    return english, len(loading) - english


def _annotator(workers: int, *, warm_embedder: bool, own: bool = False, english: int | None = None) -> Annotator:
    """An annotator with ``workers`` processes, or (1) the process-wide one, whose models stay
    loaded for the next call; ``own``: a new one even so (its settings are the caller's).
    ``english``: where storyline chose ``workers`` (None: the caller did), how many of the
    documents are in English; one worker forked from the preloaded server then annotates where
    :func:`_one_forked_worker` says it beats this process. With workers and ``warm_embedder``,
    this process loads the embedder while it waits on them."""
    from storyline.annotate import Annotator, shared_annotator

    forked = workers == 1 and english is not None and _one_forked_worker(english)
    pooled = workers > 1 or forked
    if pooled and warm_embedder:
        from storyline.relate.embed import shared_embedder

        threading.Thread(target=shared_embedder().warm, name="storyline-warm-embedder", daemon=True).start()
    return Annotator(workers=workers, forked=forked) if pooled or own else shared_annotator()


def _one_forked_worker(english: int) -> bool:
    """Whether documents too few to repay two workers (``english`` of them in English) are better
    annotated by one worker forked from the server that preloaded the models than here: when
    this command started that server (:func:`_start_worker_server`), so its load has been running
    beside the reading, and this process has not loaded the English recogniser itself (a later
    round of ``watch`` may have). This process then loads the embedder while the worker
    annotates. A document in another language is read by the worker too, which loads that
    language's model itself. Measured in docs/benchmarks.md ("the worker server starts first"):
    ``analyze`` of one article, a median of 5.04 s against 6.09 s, ``compare`` of two files 4.51
    s against 6.54 s."""
    from storyline.annotate import pool, shared_annotator

    if english < 1 or not pool.server_preloaded():
        return False
    return shared_annotator.cache_info().currsize == 0 or not shared_annotator().entities.loaded("en")


def open(path: str | os.PathLike[str] = "storyline.db", config: IngestConfig | None = None) -> Storyline:
    """Open (creating if needed) the store at ``path``."""
    return Storyline(path, config)


def _flat(inputs: Sequence[Any]) -> tuple[str | os.PathLike[str], ...]:
    """Inputs with any list or tuple among them replaced by its items."""
    out: list[str | os.PathLike[str]] = []
    for item in inputs:
        out.extend(item) if isinstance(item, list | tuple) else out.append(item)
    return tuple(out)


@lru_cache(maxsize=1)
def event_vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The PLOVER categories and the subtypes a stored event (and so a happening) can carry, read
    from the code that gives them: the event lexicon's senses (its words and its rules) and the
    categories the learned category model may choose."""
    from storyline.annotate.event_lexicon import RULE_SENSES, SENSES
    from storyline.annotate.event_model import CategoryModel

    senses = [sense for found in SENSES.values() for sense in found] + list(RULE_SENSES.values())
    categories = {sense.type for sense in senses} | set(CategoryModel.load().categories)
    return tuple(sorted(categories)), tuple(sorted({sense.subtype for sense in senses if sense.subtype}))


def check_event_kinds(values: str | list[str] | None, noun: str, *, subtypes: bool) -> None:
    """Refuse a PLOVER category, or with ``subtypes`` also a subtype, that no event can have
    (:func:`event_vocabulary`), in any case and several to a value separated by commas: it would
    match nothing in any store, so a :class:`UsageError` lists the choices rather than a listing
    coming back empty. The CLI, the Python API and the REST API (400) all check so."""
    given = [values] if isinstance(values, str) else list(values or [])
    wanted = [v.strip() for value in given for v in value.split(",") if v.strip()]
    if not wanted:
        return
    categories, kinds = event_vocabulary()
    unknown = [v for v in wanted if v.upper() not in categories and not (subtypes and v.lower() in kinds)]
    if unknown:
        choices = f"a PLOVER category ({', '.join(categories)})"
        if subtypes:
            choices += f" or a subtype ({', '.join(kinds)})"
        raise UsageError(f"unknown {noun} {', '.join(map(repr, unknown))}; choose {choices}")


def _ambiguous(kind: str, given: str, candidates: list[tuple[str, str]]) -> UsageError:
    lines = tuple(f"{label} [{ident}]" for label, ident in candidates[:20])
    more = f" and {len(candidates) - 20} more" if len(candidates) > 20 else ""
    return UsageError(
        f"{kind} {given!r} is ambiguous: {len(candidates)} match ({'; '.join(lines)}{more}); give the id",
        "ambiguous", lines,
    )  # fmt: skip
