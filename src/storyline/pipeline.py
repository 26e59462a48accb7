"""The ingest pipeline: sources -> Articles -> Documents -> near-duplicate marks -> store.

Stages are named and versioned, declare what they require and assign, and are
checked before anything runs. Work goes in batches; each batch is written in one
transaction, so an interrupted ingest loses at most the batch in flight, and running
it again stores exactly what is missing (documents are keyed by content hash).
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain
from typing import BinaryIO

from storyline.clean import Cleaner
from storyline.clean.cleaner import NAME as CLEAN_STAGE
from storyline.config import IngestConfig
from storyline.errors import ConfigError, InputError
from storyline.ingest import Transport, expand, read
from storyline.ingest.sources import Source
from storyline.model import Article, Document
from storyline.relate.dedup import NAME as DEDUP_STAGE
from storyline.relate.dedup import SCHEME, NearDuplicateFinder, published_utc
from storyline.stages import StageSpec, check_stages
from storyline.store.base import Sighting, Store
from storyline.timing import add_time, mark, since, stage
from storyline.workers import CLEAN_WORKERS_FROM, available_cores

STAGES: tuple[StageSpec, ...] = (
    StageSpec("storyline.read.v1", frozenset(), frozenset({"article"})),
    StageSpec(
        CLEAN_STAGE,
        frozenset({"article"}),
        frozenset({"text", "title", "published", "language", "captions", "credits", "boilerplate"}),
    ),
    StageSpec(DEDUP_STAGE, frozenset({"text"}), frozenset({"duplicate"})),
    StageSpec("storyline.store.v1", frozenset({"text", "duplicate"}), frozenset()),
)


@dataclass(slots=True)
class IngestReport:
    """What an ingest did. ``exit_code`` is 1 when any input failed, else 0."""

    inputs: int = 0
    articles: int = 0
    stored: int = 0
    near_duplicates: int = 0
    already_stored: int = 0
    annotated: int = 0
    """Documents annotated (by analyze) after the ingest."""
    clustered: int = 0
    """Documents placed in happenings (by analyze) after annotation."""
    repointed: int = 0
    """Stored near-duplicates whose original became a newly stored, earlier-published document."""
    failed: int = 0
    errors: list[InputError] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(input, what the cleaner repaired or assumed) for stored documents."""
    stored_ids: list[str] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    """Wall seconds per stage of this process (see :mod:`storyline.timing`)."""

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "articles": self.articles,
            "stored": self.stored,
            "near_duplicates": self.near_duplicates,
            "already_stored": self.already_stored,
            "repointed": self.repointed,
            "annotated": self.annotated,
            "clustered": self.clustered,
            "failed": self.failed,
            "errors": [{"input": e.origin, "code": e.code, "reason": e.reason} for e in self.errors],
            "notes": [{"input": origin, "note": note} for origin, note in self.notes],
            "stages": self.stages,
        }

    def summary(self) -> str:
        parts = [f"stored {self.stored} document{'s' if self.stored != 1 else ''}"]
        if self.near_duplicates:
            parts[0] += f" ({self.near_duplicates} near-duplicate{'s' if self.near_duplicates != 1 else ''})"
        parts.append(f"{self.already_stored} already stored")
        if self.repointed:
            parts.append(f"{self.repointed} earlier copies re-pointed to an earlier original")
        parts.append(f"{self.failed} failed")
        if self.annotated:
            parts.append(f"{self.annotated} annotated")
        if self.clustered:
            parts.append(f"{self.clustered} placed in events")
        return ", ".join(parts) + f" (from {self.inputs} input{'s' if self.inputs != 1 else ''})"


ProgressFn = Callable[[str, IngestReport], None]
"""Called with an event name ("source", "batch") and the report so far. With workers, a "batch"
event comes while the next batch is still being cleaned, so the report counts what is stored:
it runs one batch behind what was read."""


_worker_cleaner: Cleaner | None = None


def _init_worker(config: IngestConfig) -> None:
    global _worker_cleaner
    _worker_cleaner = Cleaner(config)


def _clean_in_worker(articles: list[Article]) -> list[Document | InputError]:
    assert _worker_cleaner is not None
    return _worker_cleaner.clean_many(articles)


#: The futures of one batch's chunks, one per cleaning worker.
_Futures = list[Future[list[Document | InputError]]]


class IngestPipeline:
    """Runs the stages over inputs into a store. Build once, call :meth:`run` per ingest."""

    def __init__(
        self, store: Store, config: IngestConfig, *, transport: Transport | None = None, workers: int | None = 1
    ) -> None:
        check_stages(STAGES)
        if workers is not None and workers < 1:
            raise ConfigError(f"workers must be at least 1, got {workers}")
        self.store = store
        self.config = config
        self.transport = transport
        #: None: one cleaning worker per core once the ingest has read CLEAN_WORKERS_FROM articles
        #: (before that, and for small ingests, cleaning runs in this process)
        self.auto = workers is None
        self.workers = available_cores() if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        self.cleaner = Cleaner(config)
        self.finder = NearDuplicateFinder(config.dedup)
        self._broken = False
        #: batches being cleaned, in input order, each with its workers' futures (None: cleaned
        #: in this process when its turn to be stored comes)
        self._pending: deque[tuple[list[Article], _Futures | None]] = deque()

    def _settings(self) -> dict[str, str]:
        d = self.config.dedup
        b, r = self.finder.hasher.bands, self.finder.hasher.rows
        return {
            "dedup": (
                f"{self.finder.name} {SCHEME} perms={d.num_perm} seed={d.seed} shingle={d.shingle_words} bands={b}x{r}"
            ),
        }

    def run(
        self,
        specs: list[str],
        *,
        stdin: BinaryIO | None = None,
        progress: ProgressFn | None = None,
        sources: Sequence[Source] = (),
        articles: Iterable[Article | InputError] = (),
    ) -> IngestReport:
        """Read, clean, de-duplicate and store ``specs`` (paths, folders, URLs, ``-``),
        ``sources`` (inputs already in memory, each with the name errors and sightings give it) and
        ``articles`` read already (by ``storyline watch``: each counts as an input)."""
        report = IngestReport()
        self._broken = False
        started = time.perf_counter()
        flushing = mark()
        self.store.check_settings(self._settings())
        with self.store.writer_lock():
            try:
                batch: list[Article] = []
                read_already = ([a] for a in articles)
                for item in chain(expand(specs, stdin=stdin), sources, read_already):
                    report.inputs += 1
                    if isinstance(item, InputError):
                        self._fail(report, item)
                    else:
                        for read_item in item if isinstance(item, list) else self._read(item):
                            if isinstance(read_item, InputError):
                                self._fail(report, read_item)
                                continue
                            report.articles += 1
                            batch.append(read_item)
                            pool = self._pool_for(report)
                            if len(batch) >= self.config.batch_size * (self.workers if pool else 1):
                                self._flush(batch, report, pool)
                                batch = []
                                if progress:
                                    progress("batch", report)
                    if progress:
                        progress("source", report)
                self._flush(batch, report, self._pool_for(report))
                self._drain(report, keep=0)
                if progress:
                    progress("batch", report)
            finally:
                self._pending.clear()
                if self._pool is not None:
                    self._pool.shutdown(cancel_futures=True)
                    self._pool = None
        # reading happens between flushes, inside the readers' generators: it is what is left
        spent = time.perf_counter() - started
        flushed = sum(v for k, v in since(flushing).items() if k.startswith("ingest: "))
        add_time("ingest", spent)
        add_time("ingest: read", max(0.0, spent - flushed))
        report.stages = since(flushing)
        return report

    def _pool_for(self, report: IngestReport) -> ProcessPoolExecutor | None:
        """The cleaning workers, started on first need: at once when the caller asked for them,
        once the ingest has read CLEAN_WORKERS_FROM articles when it left the number to us."""
        if self.workers <= 1 or (self.auto and report.articles < CLEAN_WORKERS_FROM):
            return None
        if self._pool is None:
            # spawn, not fork: the language detector runs a native thread pool, which a forked
            # child inherits in a broken state (it deadlocks)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.config,),
            )
        return self._pool

    def _read(self, source: Source) -> Iterator[Article | InputError]:
        return read(source, self.config, self.transport)

    @staticmethod
    def _fail(report: IngestReport, error: InputError) -> None:
        report.failed += 1
        report.errors.append(error)

    def _flush(self, batch: list[Article], report: IngestReport, pool: ProcessPoolExecutor | None) -> None:
        """Start cleaning ``batch`` (in the workers, when there are some) and store the batches
        before it that are due: with workers, one batch stays in their hands while this process
        de-duplicates and writes the one before, so the two overlap. Batches are stored in input
        order either way."""
        if batch:
            self._pending.append((batch, self._start(batch, pool)))
        self._drain(report, keep=1 if pool is not None and not self._broken else 0)

    def _drain(self, report: IngestReport, keep: int) -> None:
        """Store the oldest batches in flight until ``keep`` are left."""
        while len(self._pending) > keep:
            self._store_next(report)

    def _start(self, batch: list[Article], pool: ProcessPoolExecutor | None) -> _Futures | None:
        if pool is None or self._broken or len(batch) < 2 * self.workers:
            return None
        size = -(-len(batch) // self.workers)
        try:
            return [pool.submit(_clean_in_worker, batch[i : i + size]) for i in range(0, len(batch), size)]
        except BrokenProcessPool:
            self._broken = True
            return None

    def _store_next(self, report: IngestReport) -> None:
        batch, futures = self._pending.popleft()
        started = time.perf_counter()
        cleaned, by_workers = self._collect(batch, futures)
        # (with workers: the wait for their batch, what its cleaning cost beyond the parent's work)
        add_time("ingest: clean" + (" (workers)" if by_workers else ""), time.perf_counter() - started)
        self.store_cleaned(cleaned, report)

    def _collect(self, batch: list[Article], futures: _Futures | None) -> tuple[list[Document | InputError], bool]:
        """The batch cleaned, and whether the workers cleaned it."""
        if futures is None:
            return self.cleaner.clean_many(batch), False
        try:
            return [doc for future in futures for doc in future.result()], True
        except BrokenProcessPool:
            # a worker died (out of memory, a crash in native code): this batch is cleaned here
            # instead, and later batches too (a broken pool takes no more work)
            self._broken = True
            return self.cleaner.clean_many(batch), False

    def run_cleaned(
        self, cleaned: Iterable[Document | InputError], report: IngestReport, progress: ProgressFn | None = None
    ) -> None:
        """The part of :meth:`run` after cleaning, over articles read and cleaned elsewhere (by
        Ray actors: :mod:`storyline.distributed`), in input order: the same batches of
        ``config.batch_size`` articles as a run in this process, each de-duplicated against the
        store and written in one transaction. ``report`` counts what is stored; the caller counts
        inputs, articles and read errors."""
        flushing = mark()
        self.store.check_settings(self._settings())
        with self.store.writer_lock():
            batch: list[Document | InputError] = []
            for item in cleaned:
                batch.append(item)
                if len(batch) >= self.config.batch_size:
                    self.store_cleaned(batch, report)
                    batch = []
                    if progress:
                        progress("batch", report)
            self.store_cleaned(batch, report)
            if progress:
                progress("batch", report)
        report.stages = since(flushing)

    def store_cleaned(self, cleaned: Sequence[Document | InputError], report: IngestReport) -> None:
        """De-duplicate a batch of cleaned articles against the store and write it in one
        transaction; articles that failed to clean are counted as failed."""
        if not cleaned:
            return
        docs: list[Document] = []
        for result in cleaned:
            if isinstance(result, InputError):
                self._fail(report, result)
            else:
                docs.append(result)
        existing = self.store.existing([d.id for d in docs])
        new: dict[str, Document] = {}
        earlier: dict[str, Document] = {}  # stored texts that arrived again, published earlier
        for doc in docs:
            mine = published_utc(doc)
            if doc.id in new:
                report.already_stored += 1
                theirs = published_utc(new[doc.id])
                if mine is not None and (theirs is None or mine < theirs):
                    new[doc.id] = doc
            elif doc.id in existing:
                report.already_stored += 1
                theirs = published_utc(earlier[doc.id]) if doc.id in earlier else existing[doc.id]
                if mine is not None and (theirs is None or mine < theirs):
                    earlier[doc.id] = doc
            else:
                new[doc.id] = doc
        with stage("ingest: near-duplicates"):
            marked, repoints = self.finder.mark(list(new.values()), self.store)
        sightings = [
            Sighting(
                d.id,
                d.source_id,
                d.origin,
                d.title,
                d.url,
                d.source,
                d.published.value.isoformat() if d.published else None,
            )
            for d in docs
        ]
        with stage("ingest: store writes"):
            self.store.add(marked, sightings, repoints, list(earlier.values()))
        report.stored += len(marked)
        report.near_duplicates += sum(1 for d, _ in marked if d.duplicate is not None)
        report.repointed += len(repoints)
        report.stored_ids.extend(d.id for d, _ in marked)
        report.notes.extend((d.origin, note) for d, _ in marked for note in d.notes)


__all__ = ["STAGES", "IngestPipeline", "IngestReport", "StageSpec", "check_stages"]
