"""The Python API. Every interface (CLI, later REST and web) calls this facade.

>>> import storyline
>>> with storyline.open("news.db") as sl:          # doctest: +SKIP
...     report = sl.ingest("examples/corpus")
...     hits = sl.search("Sochi summit")
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from storyline.config import ClusterConfig, IngestConfig
from storyline.errors import InputError, StorylineError
from storyline.ingest.transport import Transport
from storyline.model import EXPORT_FIELDS, Document, content_id, document_to_dict
from storyline.model.annotations import Annotations, EntityRecord, EventStatus, value_range
from storyline.model.clusters import EventCluster, StorylineRecord, TimelineEntry
from storyline.pipeline import IngestPipeline, IngestReport, ProgressFn
from storyline.store import DocumentQuery, EventQuery, SearchHit, Sighting, Store, StoredEvent, open_store

if TYPE_CHECKING:
    from storyline.annotate import Annotated
    from storyline.relate.pairs import Pair
    from storyline.relate.similarity import Comparison

EXPORT_FORMATS = ("jsonl", "csv")
_EXPORT_ANNOTATIONS = ("seen_in", "entities", "places", "times", "events", "event_cluster", "storyline")


class DocumentNotFound(StorylineError, KeyError):
    """No stored document has that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "document not found"


class Storyline:
    """A store of news documents and the operations on it."""

    def __init__(self, path: str | os.PathLike[str] = "storyline.db", config: IngestConfig | None = None) -> None:
        self.path = str(path)
        self.config = config or IngestConfig()
        self.store: Store = open_store(self.path)

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
        workers: int = 1,
        stdin: BinaryIO | None = None,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Read, clean, de-duplicate and store files, folders, URLs or ``-`` (stdin).

        Bad inputs are reported in the returned report, never raised; the rest is stored."""
        pipeline = IngestPipeline(self.store, config or self.config, transport=transport, workers=workers)
        return pipeline.run([str(i) for i in inputs], stdin=stdin, progress=progress)

    def analyze(self, *inputs: str | os.PathLike[str], **kwargs: Any) -> IngestReport:
        """Ingest, then annotate every stored document not yet annotated by the current stages
        (entities, time expressions and places)."""
        report = self.ingest(*inputs, **kwargs)
        report.annotated = self.annotate_pending(workers=kwargs.get("workers", 1))
        report.clustered = self.cluster_pending()
        return report

    def cluster_pending(self, config: ClusterConfig | None = None) -> int:
        """Place every annotated document not yet placed in the happenings (event clusters) it
        reports, and new happenings in storylines. Returns how many documents were placed."""
        from storyline.cluster import Clusterer

        with self.store.writer_lock():
            return len(Clusterer(self.store, config).run())

    def clusters(
        self,
        *,
        entity: str | list[str] | None = None,
        storyline: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        cluster: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[EventCluster]:
        """Happenings (one real event reported by many articles), earliest first, with their
        sources: by entities taking part (all of them), storyline, dates they overlap, or id."""
        start, end = self._bounds(date_from, date_to)
        names = [entity] if isinstance(entity, str) else list(entity or [])
        ids = [self.store.entity_ids(name) for name in names] if names else None
        return self.store.clusters(
            entity_ids=ids, storyline=storyline, date_from=start, date_to=end, cluster_id=cluster,
            limit=limit, offset=offset,
        )  # fmt: skip

    def storylines(self, *, limit: int | None = 50, offset: int = 0) -> list[StorylineRecord]:
        """Storylines (happenings of the same actors over time), the largest first."""
        return self.store.storylines(limit, offset)

    def timeline(
        self,
        *,
        entity: str | list[str] | None = None,
        storyline: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int | None = 200,
    ) -> list[TimelineEntry]:
        """Dated happenings in order, each with its sources and their evidence sentences."""
        from storyline.timeline import timeline_entries

        found = self.clusters(entity=entity, storyline=storyline, date_from=date_from, date_to=date_to, limit=limit)
        return timeline_entries(found)

    def _bounds(self, date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
        """ "2024" or "2024-05" as a bound: from its first day, to its last."""
        spans = [value_range(d) if d else None for d in (date_from, date_to)]
        for bound, span in zip((date_from, date_to), spans, strict=True):
            if bound and span is None:
                raise ValueError(f"{bound!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return (spans[0][0].isoformat() if spans[0] else None, spans[1][1].isoformat() if spans[1] else None)

    def annotate_pending(self, *, batch_size: int = 64, workers: int = 1) -> int:
        """Annotate stored documents that lack annotations by the current stage versions.
        Each batch is written in one transaction; returns how many were annotated."""
        from storyline.annotate import Annotator

        annotator = Annotator(workers=workers)
        done = 0
        try:
            with self.store.writer_lock():
                while True:
                    docs = self.store.unannotated(annotator.stages, batch_size * max(1, workers))
                    if not docs:
                        return done
                    results = annotator.annotate_many(docs, known_people=self.store.people_weights())
                    self.store.add_annotations(annotator.stages, [(r.document.id, r.annotations) for r in results])
                    done += len(docs)
        finally:
            annotator.close()

    def annotations(self, doc_id: str) -> Annotations:
        """The stored annotations of a document (empty before ``analyze``)."""
        return self.store.annotations(self.get(doc_id).id)

    def entities(self, *, kind: str | None = None, limit: int | None = 50, offset: int = 0) -> list[EntityRecord]:
        """Canonical entities across the store, most widely reported first."""
        return self.store.entities(kind, limit, offset)

    def events(
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
    ) -> list[StoredEvent]:
        """Stored events, earliest first: by an entity taking part (id, canonical name or alias),
        PLOVER category, status, a date range they overlap, or a document (id or prefix)."""
        if status is not None and status.lower() not in {s.value for s in EventStatus}:
            raise ValueError(f"unknown status {status!r}; choose one of {', '.join(s.value for s in EventStatus)}")
        start, end = self._bounds(date_from, date_to)
        doc_id = self.get(document).id if document else None
        return self.store.events(EventQuery(entity, type, status, start, end, doc_id, limit, offset))

    def compare(self, a: str, b: str) -> Comparison:
        """How similar two stored documents are (ids or unique prefixes), with the verdict and
        its reasons. Documents not yet analyzed are annotated for the comparison (not stored)."""
        from storyline.annotate import Annotator
        from storyline.relate.embed import Embedder
        from storyline.relate.similarity import compare, profiles

        docs = [self.get(a), self.get(b)]
        anns = [self.annotations(d.id) for d in docs]
        if any(not (x.entities or x.times or x.events or x.skipped) for x in anns):
            anns = [r.annotations for r in Annotator().annotate_many(docs)]
        first, second = profiles(docs, anns, Embedder())
        return compare(first, second, pair_id=f"{docs[0].id}|{docs[1].id}")

    # -- reading ----------------------------------------------------------------------
    def get(self, doc_id: str) -> Document:
        """A document by id or unique id prefix (at least 4 characters)."""
        full = self.store.resolve(doc_id)
        doc = self.store.get(full) if full else None
        if doc is None:
            raise DocumentNotFound(f"no document with id {doc_id!r} in {self.path}")
        return doc

    def sightings(self, doc_id: str) -> list[Sighting]:
        """Every input that produced this document's text."""
        return self.store.sightings(self.get(doc_id).id)

    def documents(
        self,
        *,
        limit: int | None = 20,
        offset: int = 0,
        hide_duplicates: bool = False,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Document]:
        """Documents in publication order (undated last)."""
        return self.store.documents(DocumentQuery(limit, offset, hide_duplicates, language, source, since, until))

    def count(self, *, hide_duplicates: bool = False, language: str | None = None) -> int:
        return self.store.count(DocumentQuery(None, 0, hide_duplicates, language))

    def search(self, query: str, *, limit: int = 20, hide_duplicates: bool = False) -> list[SearchHit]:
        """Full-text search over titles, texts and captions, best first."""
        return self.store.search(query, limit=limit, hide_duplicates=hide_duplicates)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    # -- export -----------------------------------------------------------------------
    def iter_export(self, *, hide_duplicates: bool = False) -> Iterator[dict[str, Any]]:
        placed = self.store.document_clusters()
        for doc in self.store.iter_documents(DocumentQuery(limit=None, hide_duplicates=hide_duplicates)):
            data = document_to_dict(doc)
            row = {k: data[k] for k in EXPORT_FIELDS}
            row["seen_in"] = [s.as_dict() for s in self.store.sightings(doc.id)]
            ann = self.store.annotations(doc.id)
            row["entities"] = [e.as_dict() for e in ann.entities]
            row["places"] = [p.as_dict() for p in ann.places]
            row["times"] = [t.as_dict() for t in ann.times]
            clusters = self.store.event_clusters(doc.id)
            row["events"] = [{**e.as_dict(), "cluster": clusters.get(e.id)} for e in ann.events]
            row["event_cluster"], row["storyline"] = placed.get(doc.id, (None, None))
            yield row

    def export(
        self, out: TextIO | str | os.PathLike[str], *, format: str = "jsonl", hide_duplicates: bool = False
    ) -> int:
        """Write every document as JSON Lines or CSV (lists as JSON arrays). Returns the count."""
        if format not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        if isinstance(out, str | os.PathLike):
            with Path(out).open("w", encoding="utf-8", newline="") as f:
                return self.export(f, format=format, hide_duplicates=hide_duplicates)
        n = 0
        rows = self.iter_export(hide_duplicates=hide_duplicates)
        if format == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        else:
            writer = csv.DictWriter(
                out,
                fieldnames=[*EXPORT_FIELDS, *_EXPORT_ANNOTATIONS],
                lineterminator="\n",
            )
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in row.items()}
                )
                n += 1
        return n


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
) -> AnnotateResult:
    """Annotate files, folders, URLs or ``-`` without storing them.

    Each document is cleaned first, unless ``keep_text``: then its text is annotated exactly as
    given, so offsets refer to the input. ``published`` anchors every input's relative times."""
    from storyline.annotate import Annotator
    from storyline.clean import Cleaner
    from storyline.clean.dates import parse_metadata_date
    from storyline.encoding import decode
    from storyline.ingest import expand, read

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
    if docs:
        annotated = Annotator().annotate_many(docs, anchor=published)
        out.results = list(zip(ids, annotated, strict=True))
    return out


def compare_files(
    a: str | os.PathLike[str], b: str | os.PathLike[str], config: IngestConfig | None = None
) -> Comparison:
    """Compare two articles given as files or URLs (each must hold exactly one article)."""
    from storyline.relate.embed import Embedder
    from storyline.relate.similarity import compare, profiles

    results = []
    for source in (a, b):
        found = annotate_inputs(source, config=config)
        if found.errors:
            raise found.errors[0]
        if len(found.results) != 1:
            raise InputError(str(source), "not-one-article", f"holds {len(found.results)} articles; compare needs one")
        results.append(found.results[0][1])
    first, second = profiles([r.document for r in results], [r.annotations for r in results], Embedder())
    return compare(first, second, pair_id=f"{results[0].document.source_id}|{results[1].document.source_id}")


def compare_pairs(pairs: list[Pair], batch: int = 64) -> list[Comparison | InputError]:
    """Compare the two articles of each pair (see :mod:`storyline.relate.pairs`), in batches: a
    comparison per pair, or the error that stopped it (an article with no text left after cleaning)."""
    from storyline.annotate import Annotator
    from storyline.relate.embed import Embedder
    from storyline.relate.pairs import pair_profiles
    from storyline.relate.similarity import compare, shipped_model

    embedder, annotator, model = Embedder(), Annotator(), shipped_model()
    out: list[Comparison | InputError] = []
    for i in range(0, len(pairs), batch):
        chunk = pairs[i : i + batch]
        for pair, profiled in zip(chunk, pair_profiles(chunk, embedder, annotator), strict=True):
            if isinstance(profiled, InputError):
                out.append(profiled)
            else:
                out.append(compare(profiled[0], profiled[1], model, pair.id))
    return out


def open(path: str | os.PathLike[str] = "storyline.db", config: IngestConfig | None = None) -> Storyline:
    """Open (creating if needed) the store at ``path``."""
    return Storyline(path, config)
