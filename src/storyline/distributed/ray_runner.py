"""The Ray Data runner: ``storyline analyze PATHS --engine ray [--address ADDR] [--num-workers N]``.

What runs where
---------------
The per-document stages run on Ray actors as Ray Data ``map_batches`` steps, each on a pool of
actors that load their models once. They are the functions a local run calls, imported from their
stages. What must see the whole store runs on the driver (the process running the command),
exactly as in a local run. In order:

1. **read and clean** (actors): :func:`storyline.ingest.read` and
   :meth:`storyline.clean.Cleaner.clean_many`, one row per article; then, for ``analyze``,
   **extract** (actors): :func:`storyline.annotate.extract_jobs`, the costly part of annotation
   (the entity recogniser, the event parse, the time expressions).
2. **store** (driver): it consumes that stream in input order (Ray Data's ``preserve_order``):
   near-duplicate marking and the store writes
   (:meth:`storyline.pipeline.IngestPipeline.run_cleaned`), in the batches of a local run, and it
   keeps each document's extraction aside (pickled, a few kB).
3. **annotate** (driver): what annotation must do over a batch and the store, canonicalising
   entities across documents and against the people already stored, places, event linking, the
   store writes (:meth:`storyline.api.Storyline.annotate_pending`), with the actors' extractions.
4. **embed** (actors): the e5 vector of :attr:`storyline.model.Document.titled_text` for every document
   about to be placed, in the very batches the placement takes them in
   (:meth:`storyline.cluster.Clusterer.pending`): e5's bfloat16 vectors depend slightly (up to
   5e-4) on which texts share a forward pass, so a vector computed in another batch would not be
   the one a local run computes. While the actors embed, the driver
5. **places** (driver) each document after those before it, in happenings and storylines
   (:meth:`storyline.api.Storyline.cluster_pending`), with the actors' vectors as they come.

Steps 2, 3 and 5 are the driver's serial share (measured in docs/scaling.md). The actors' results
are looked up by exactly what they answer (an extraction by the text, anchor day and language it
read; a vector by the text it embedded), and what they did not compute (documents stored earlier
but not yet annotated, or whose date an earlier-published copy changed) is computed on the driver,
so a Ray run stores the same documents, entities, events and happenings as a local one.

The driver keeps the extractions from step 1 until step 3 uses them: an input too large for the
driver's memory is analysed in parts (one ``analyze`` per part, as locally). Inputs are listed on
the driver and read by the actors: on a cluster of several machines they must be on a filesystem
every node sees, and storyline must be installed on every node.

Ray is imported only here, and this module only when the ``ray`` engine is asked for.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import pickle
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

from storyline.annotate import DocumentExtraction, Job, extract_jobs, extraction_jobs, split_extracted
from storyline.cluster import happening_vectors
from storyline.config import IngestConfig
from storyline.errors import ConfigError, InputError, internal_error
from storyline.ingest import Transport, expand, read
from storyline.ingest.sources import Source
from storyline.model import Document
from storyline.pipeline import IngestPipeline, IngestReport, ProgressFn
from storyline.timing import add_time, mark, since, stage
from storyline.workers import available_cores

if TYPE_CHECKING:
    import pyarrow as pa

    from storyline.api import Storyline

__all__ = ["DOCUMENTS_PER_BATCH", "RAY_MISSING", "Embed", "Extract", "RayOptions", "ReadAndClean", "import_ray", "run"]

RAY_MISSING = (
    "the ray engine needs Ray Data, which is not installed: pip install 'storyline[ray]' (or pip install 'ray[data]')"
)
#: Row kinds of the stream: an input that could not be read (not an article), or an article
#: (a cleaned Document, or the InputError that stopped its cleaning).
_UNREAD, _ARTICLE = "unread", "article"
_KEY_BYTES = 16
#: Articles a read-and-clean actor puts in one block, and documents an extract actor takes at a
#: time: enough for spaCy's own batching (its results do not depend on it), few enough that a small
#: input keeps several actors busy and a large one streams.
DOCUMENTS_PER_BATCH = 32


@dataclass(frozen=True, slots=True)
class RayOptions:
    """Where the Ray engine runs: ``address`` of a running cluster (None: start a local instance
    with ``num_workers`` CPUs) and ``num_workers`` actors per step (None: one per CPU of the
    cluster, or per core of this machine)."""

    address: str | None = None
    num_workers: int | None = None

    def __post_init__(self) -> None:
        if self.num_workers is not None and self.num_workers < 1:
            raise ConfigError(f"num_workers must be at least 1, got {self.num_workers}")
        if self.address is not None and not self.address.strip():
            raise ConfigError("address is empty: give HOST:PORT of a running Ray cluster, or none for a local one")


def import_ray() -> ModuleType:
    """Ray, with Ray Data; a ConfigError saying how to install it when it is not installed."""
    try:
        import ray
        import ray.data  # the data library is a separate extra of ray
    except ImportError:
        raise ConfigError(RAY_MISSING) from None
    return ray


# -- the actors' steps ------------------------------------------------------------------------------
def _job_key(job: Job) -> bytes:
    """What an extraction answers: the text read, the day its relative times are read against,
    whether it was read for entities, and its language."""
    h = hashlib.blake2b(digest_size=_KEY_BYTES)
    h.update(f"{job.anchor.isoformat() if job.anchor else '-'}|{int(job.readable)}|{job.language or '-'}|".encode())
    h.update(job.text.encode("utf-8", "surrogatepass"))
    return h.digest()


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_KEY_BYTES).digest()


def _documents(batch: pa.Table) -> list[tuple[int, Document]]:
    """The rows of a batch that hold a cleaned document, with their positions."""
    out = []
    kinds, payloads = batch.column("kind").to_pylist(), batch.column("payload").to_pylist()
    for i, (kind, payload) in enumerate(zip(kinds, payloads, strict=True)):
        if kind == _ARTICLE:
            item = pickle.loads(payload)
            if isinstance(item, Document):
                out.append((i, item))
    return out


def _with_column(batch: pa.Table, name: str, values: dict[int, bytes], started: float) -> pa.Table:
    """The batch with a column of the step's results, and one of the CPU seconds the step took on
    it (on the batch's first row; the driver adds them up: the actors' CPU time, which unlike their
    wall time does not grow when other work shares the machine)."""
    import pyarrow as pa

    column = pa.array([values.get(i, b"") for i in range(batch.num_rows)], type=pa.large_binary())
    return batch.append_column(name, column).append_column(f"{name} seconds", _seconds(batch.num_rows, started))


def _seconds(rows: int, started: float) -> pa.Array:
    import pyarrow as pa

    return pa.array([time.process_time() - started] + [0.0] * (rows - 1) if rows else [], type=pa.float64())


class ReadAndClean:
    """Step 1: each input read into articles, each article cleaned (a Cleaner per actor)."""

    def __init__(self, config: IngestConfig, transport: Transport | None = None) -> None:
        from storyline.clean import Cleaner

        self.config = config
        self.transport = transport
        self.cleaner = Cleaner(config)

    def __call__(self, batch: pa.Table) -> Iterator[pa.Table]:
        """Rows out in blocks of at most :data:`DOCUMENTS_PER_BATCH` articles, so that one large
        input (a JSON Lines file of a million records) streams on instead of becoming one block."""
        started = time.process_time()
        found: list[tuple[str, Any]] = []
        for payload in batch.column("payload").to_pylist():
            item: Source | InputError = pickle.loads(payload)
            if isinstance(item, InputError):
                found.append((_UNREAD, item))
                continue
            try:
                for article in read(item, self.config, self.transport):
                    found.append((_UNREAD, article) if isinstance(article, InputError) else (_ARTICLE, article))
                    if len(found) >= DOCUMENTS_PER_BATCH:
                        yield self._table(found, started)
                        found, started = [], time.process_time()
            except Exception as exc:  # a reader's bug fails its input, not the run
                found.append((_UNREAD, internal_error(item.name, exc)))
        if found:
            yield self._table(found, started)

    def _table(self, found: list[tuple[str, Any]], started: float) -> pa.Table:
        import pyarrow as pa

        cleaned = iter(self.cleaner.clean_many([a for kind, a in found if kind == _ARTICLE]))
        rows = [(kind, item if kind == _UNREAD else next(cleaned)) for kind, item in found]
        return pa.table(
            {
                "kind": pa.array([kind for kind, _ in rows], type=pa.string()),
                "payload": pa.array([pickle.dumps(item) for _, item in rows], type=pa.large_binary()),
                "read seconds": _seconds(len(rows), started),
            }
        )


class Extract:
    """Step 2: the per-document part of annotation (recogniser, event parse, time expressions),
    the models loaded once per actor."""

    def __init__(self, events: bool = True) -> None:
        from storyline.annotate import EntityRecognizer
        from storyline.annotate.events import EventParser

        self.recognizer = EntityRecognizer()
        self.parser = EventParser() if events else None
        # the English models load now, once, not inside the first batch's time
        extract_jobs(self.recognizer, self.parser, [Job("Models load on 12 May 2018 in Sochi.", None, True, "en")])

    def __call__(self, batch: pa.Table) -> pa.Table:
        started = time.process_time()
        docs = _documents(batch)
        jobs, _ = extraction_jobs([d for _, d in docs], self.recognizer)
        parts = split_extracted(jobs, extract_jobs(self.recognizer, self.parser, jobs)) if jobs else []
        values = {i: _job_key(job) + pickle.dumps(part) for (i, _), job, part in zip(docs, jobs, parts, strict=True)}
        return _with_column(batch, "extraction", values, started)


class Embed:
    """Step 4: the e5 vectors of a batch of texts, in one call as the placement would embed them,
    the model loaded once per actor. A row is one batch (pickled texts)."""

    def __init__(self) -> None:
        from storyline.relate.embed import Embedder

        self.embedder = Embedder()
        self.embedder.e5(["the model loads now, once"])

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        started = time.process_time()
        out = []
        for payload in batch.column("texts").to_pylist():
            texts: list[str] = pickle.loads(payload)
            vectors = happening_vectors(self.embedder, texts)
            out.append(pickle.dumps([_text_key(t) + v.tobytes() for t, v in zip(texts, vectors, strict=True)]))
        return pa.table(
            {
                "vectors": pa.array(out, type=pa.large_binary()),
                "vector seconds": _seconds(len(out), started),
            }
        )


# -- the driver -------------------------------------------------------------------------------------
class _Extractions:
    """The actors' extractions by the job each answers, kept pickled until asked for."""

    def __init__(self) -> None:
        self._found: dict[bytes, bytes] = {}

    def add(self, value: bytes) -> None:
        self._found[value[:_KEY_BYTES]] = value[_KEY_BYTES:]

    def get(self, job: Job) -> DocumentExtraction | None:
        found = self._found.pop(_job_key(job), None)  # asked once: the driver keeps what it still needs
        return None if found is None else pickle.loads(found)


class _Vectors:
    """The actors' vectors by the text each embeds, taken from their stream as the placement asks
    for them (it asks in the order they were computed)."""

    def __init__(self, rows: Iterator[bytes] | None = None) -> None:
        self._rows = rows
        self._found: dict[bytes, bytes] = {}

    def get(self, text: str) -> np.ndarray | None:
        key = _text_key(text)
        while key not in self._found and self._rows is not None:
            row = next(self._rows, None)
            if row is None:
                self._rows = None
                break
            for value in pickle.loads(row):
                self._found[value[:_KEY_BYTES]] = value[_KEY_BYTES:]
        found = self._found.pop(key, None)
        return None if found is None else np.frombuffer(found, dtype=np.float32).copy()


def _connect(ray: ModuleType, options: RayOptions) -> tuple[int, bool]:
    """Join the cluster at ``options.address``, or start a local instance; the actors per step,
    and whether this call connected (and so disconnects at the end)."""
    if ray.is_initialized():  # a program that set Ray up itself
        connected = False
    elif options.address is None:
        ray.init(
            address="local",  # a new instance, even where another one runs (ray start) on this machine
            num_cpus=options.num_workers or available_cores(),
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
        connected = True
    else:
        try:
            ray.init(address=options.address, logging_level=logging.ERROR, log_to_driver=False)
        except (ConnectionError, RuntimeError) as exc:
            hint = (
                "; a cluster with token authentication (Ray's default) needs RAY_AUTH_MODE=token and its token "
                "(RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token) here too"
                if os.environ.get("RAY_AUTH_MODE") is None
                else ""
            )
            raise ConfigError(f"cannot join the Ray cluster at {options.address}: {exc}{hint}") from None
        connected = True
    if options.num_workers is not None:
        return options.num_workers, connected
    return max(1, int(ray.cluster_resources().get("CPU", 1))), connected


def _quiet(ray: ModuleType) -> None:
    """No progress bars, banners or warnings from Ray Data: the command reports for itself."""
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the driver stores in input order
    context.enable_progress_bars = False
    if hasattr(context, "print_on_execution_start"):
        context.print_on_execution_start = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _dataset(
    ray: ModuleType,
    items: Sequence[Source | InputError],
    config: IngestConfig,
    transport: Transport | None,
    workers: int,
    analyze: bool,
) -> Any:
    # inputs per batch: few enough that a small input keeps every actor busy
    per_batch = max(1, min(config.batch_size, math.ceil(len(items) / (2 * workers))))
    rows = [{"payload": pickle.dumps(item)} for item in items]
    blocks = max(1, math.ceil(len(rows) / per_batch))
    ds = ray.data.from_items(rows, override_num_blocks=blocks)

    cpus = 1 / 2 if analyze else 1.0  # one worker's actors of the stream's steps take one CPU together
    ds = _on_actors(ray, ds, ReadAndClean, per_batch, min(workers, blocks), cpus, config, transport)
    if analyze:
        ds = _on_actors(ray, ds, Extract, DOCUMENTS_PER_BATCH, workers, cpus)
    return ds


def _on_actors(ray: ModuleType, ds: Any, step: type, batch_size: int, workers: int, cpus: float, *args: Any) -> Any:
    """``step`` on a fixed pool of ``workers`` actors, each built once (its models loaded once)."""
    return ds.map_batches(
        step, fn_constructor_args=args, batch_size=batch_size, batch_format="pyarrow", num_cpus=cpus,
        compute=ray.data.ActorPoolStrategy(size=workers),
    )  # fmt: skip


def _vector_stream(ray: ModuleType, batches: Sequence[list[str]], workers: int) -> Iterator[bytes]:
    """Step 4: the actors' vectors of each batch of texts, batch by batch in order."""
    import pyarrow.compute as pc

    rows = [{"texts": pickle.dumps(texts)} for texts in batches]
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))
    ds = _on_actors(ray, ds, Embed, 1, min(workers, len(rows)), 1.0)
    for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
        with stage("happenings: receive vectors"):
            add_time("happenings: actors' CPU, embed", float(pc.sum(batch.column("vector seconds")).as_py() or 0))
            found = batch.column("vectors").to_pylist()
        yield from found


#: The actors' CPU seconds per step, summed over actors (so more than the wall time with several):
#: nested under the driver's stages in the report, counted in no total.
_BUSY = {
    "read seconds": "ingest: actors' CPU, read and clean",
    "extraction seconds": "ingest: actors' CPU, extract",
}


def _stream(ds: Any, report: IngestReport, extractions: _Extractions) -> Iterator[Document | InputError]:
    """The articles of the stream in input order, the actors' results put aside as they come."""
    import pyarrow.compute as pc

    for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
        articles: list[Document | InputError] = []
        with stage("ingest: receive"):
            columns = batch.column_names
            for column, step in _BUSY.items():
                if column in columns:
                    add_time(step, float(pc.sum(batch.column(column)).as_py() or 0.0))
            kinds = batch.column("kind").to_pylist()
            payloads = batch.column("payload").to_pylist()
            found = batch.column("extraction").to_pylist() if "extraction" in columns else [b""] * len(kinds)
            for kind, payload, extraction in zip(kinds, payloads, found, strict=True):
                item = pickle.loads(payload)
                if kind == _UNREAD:
                    report.failed += 1
                    report.errors.append(item)
                    continue
                report.articles += 1
                if extraction:
                    extractions.add(extraction)
                articles.append(item)
        yield from articles


@contextmanager
def _driver_cpu(phase: str) -> Iterator[None]:
    """The driver's CPU seconds in a phase (Ray Data's scheduling in it included), as the stage
    ``PHASE: driver CPU``: its serial share, whatever else the machine runs."""
    started = time.process_time()
    try:
        yield
    finally:
        add_time(f"{phase}: driver CPU", time.process_time() - started)


def _place(ray: ModuleType, sl: Storyline, workers: int) -> int:
    """Steps 4 and 5: the vectors on the actors, in the placement's batches; the placement here."""
    from storyline.cluster import Clusterer

    with stage("happenings: texts for the actors"):
        with sl.store.writer_lock():
            clusterer = Clusterer(sl.store)
            clusterer.prepare()
        batches = [
            [d.titled_text for d in (sl.store.get(i) for i in ids) if d is not None] for ids in clusterer.pending()
        ]
    vectors = _Vectors(_vector_stream(ray, batches, workers) if batches else None)
    return sl.cluster_pending(vectors=vectors)


def run(
    sl: Storyline,
    inputs: Sequence[str | os.PathLike[str]],
    *,
    analyze: bool,
    options: RayOptions,
    config: IngestConfig | None = None,
    transport: Transport | None = None,
    stdin: BinaryIO | None = None,
    progress: ProgressFn | None = None,
    sources: Sequence[Source] = (),
) -> IngestReport:
    """Ingest (and with ``analyze``, annotate and place in happenings) ``inputs`` and ``sources``
    into ``sl``'s store, the per-document steps on Ray (see the module's docstring)."""
    ray = import_ray()
    config = config or sl.config
    before = mark()
    report = IngestReport()
    items = list(chain(expand([str(i) for i in inputs], stdin=stdin), sources))
    report.inputs = len(items)
    pipeline = IngestPipeline(sl.store, config, transport=transport, workers=1)
    extractions = _Extractions()
    with stage("ray: start or join"):
        workers, connected = _connect(ray, options)
    try:
        _quiet(ray)
        with stage("ingest"), _driver_cpu("ingest"):  # the actors' steps; the store writes as results come
            if items:
                ds = _dataset(ray, items, config, transport, workers, analyze)
                pipeline.run_cleaned(_stream(ds, report, extractions), report, progress)
        if analyze:
            with stage("annotate"), _driver_cpu("annotate"):
                report.annotated = sl.annotate_pending(workers=1, extractions=extractions)
            with stage("happenings"), _driver_cpu("happenings"):
                report.clustered = _place(ray, sl, workers)
    finally:
        if connected:
            with stage("ray: shut down"):
                ray.shutdown()
    report.stages = since(before)
    return report
