"""The annotation workers: how they start, and what each runs.

Where the platform has a fork server (Linux and other Unix systems), the workers are forked from
one that imported :data:`PRELOAD_MODULE`, whose import loads the English recogniser, the parser
and the place table once (:func:`preload_worker`); the workers start with them loaded and share
their memory. Elsewhere they are spawned, and each loads them. Nothing is forked from the
process that runs the command, whose threads, lingua and torch a fork would copy.

The fork server is one per process and lives as long as it, holding the models' memory, so a
later pool (``watch``'s next round) starts warm too. Starting it sets the modules it preloads for
the whole process, to :data:`PRELOAD_MODULE` alone (Python's default also imports the main script
into the server, which a command does not need). A server already running (started by the
program storyline runs in) is used as it is; its workers load the models themselves, and
:func:`workers_start_warm` says so from then on.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any

from storyline.annotate import Extracted, Job, extract_jobs
from storyline.annotate.entities import EntityRecognizer
from storyline.annotate.events import EventParser, RawMention
from storyline.model.annotations import TimeExpression
from storyline.timing import stage

#: The module the fork server imports before it forks the workers.
PRELOAD_MODULE = "storyline.annotate.preload"
#: Read once by the fork server's warm-up (:func:`preload_worker`), so that every lazily loaded
#: model, table and compiled pattern of the English path is ready before the workers fork.
_WARM_UP = "Ministers from France met in Paris on Monday and agreed to sign a trade deal next week."
_FORK_SERVER = "forkserver" in multiprocessing.get_all_start_methods()

#: In a worker (or the fork server): its recogniser and parser (None: no events).
_worker: tuple[EntityRecognizer, EventParser | None] | None = None
#: In a worker: whether it found the English models loaded when it started.
_started_warm = False
#: In the command's process: whether its workers start warm; None until the first pool starts
#: (then they will, where there is a fork server), False once a pool found its workers cold.
_warm_workers: bool | None = None


def preload_worker() -> None:
    """Load what every annotation worker needs (the English recogniser and parser, the place
    table) into this process, by annotating a sentence. Run by the fork server the workers are
    forked from. Anything that fails here is left for each worker to load, and report, itself."""
    global _worker
    try:
        recognizer, parser = EntityRecognizer(), EventParser()
        extract_jobs(recognizer, parser, [Job(_WARM_UP, None, True, "en")])
    except Exception:  # the worker's initializer loads again, and raises the real error there
        return
    _worker = (recognizer, parser)


def _init_worker(events: bool = True) -> None:
    global _worker, _started_warm
    if _worker is None:  # not forked from a preloaded server
        _worker = (EntityRecognizer(), EventParser() if events else None)
    elif not events:
        _worker = (_worker[0], None)
    recognizer, parser = _worker
    _started_warm = recognizer.loaded("en") and (parser is None or parser.loaded)


def work(jobs: list[Job]) -> Extracted:
    """What a worker runs: :func:`storyline.annotate.extract_jobs` with its own models."""
    assert _worker is not None
    return extract_jobs(*_worker, jobs)


def started_warm() -> bool:
    """Whether this worker found the English models loaded when it started (forked from a fork
    server that ran :func:`preload_worker`) and kept them."""
    return _started_warm


def workers_start_warm() -> bool:
    """Whether annotation workers started now would find the English models loaded, which makes
    them cheap to start (see :func:`storyline.workers.annotation_workers`)."""
    if _warm_workers is not None:
        return _warm_workers
    return _FORK_SERVER and not _fork_server_running()


def server_preloaded() -> bool:
    """Whether the fork server is up and was started by storyline, preloading the English models
    (its workers start warm; :func:`start_server` starts it before any pool)."""
    return bool(_warm_workers) and _fork_server_running()


def _fork_server_running() -> bool:
    return _fork_server_pid() is not None


def _fork_server_pid() -> int | None:
    from multiprocessing import forkserver

    # (no public way to ask; an attribute missing in another Python version reads as not running)
    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    return pid if isinstance(pid, int) else None


def _pool_context() -> BaseContext:
    """The fork server where the platform has one (preloading, if it is not running yet), else spawn."""
    global _warm_workers
    if not _FORK_SERVER:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if not _fork_server_running():
        context.set_forkserver_preload([PRELOAD_MODULE])
        _warm_workers = True
    elif _warm_workers is None:  # started by the program storyline runs in, preloading who knows what
        _warm_workers = False
    return context


def start_server() -> None:
    """Start the fork server now, where the platform has one and it is not running yet: it loads
    the models (:data:`PRELOAD_MODULE`) while this process does what comes before annotation.
    A server that cannot start (no room for its socket, no file descriptors left) is left for
    the pool to try, which then annotates in this process as before. The server is stopped when
    this process ends, even in the middle of its load (which it would otherwise finish first,
    holding the command's output open)."""
    global _warm_workers
    if not _FORK_SERVER or _fork_server_running():
        return
    import atexit
    from multiprocessing import forkserver

    before = _warm_workers
    try:
        _pool_context()
        forkserver.ensure_running()
    except OSError:
        _warm_workers = before
        return
    pid = _fork_server_pid()
    if pid is not None:
        atexit.register(_stop_server, pid)


def _stop_server(pid: int) -> None:
    import contextlib
    import os
    import signal

    with contextlib.suppress(OSError):  # gone already
        os.kill(pid, signal.SIGTERM)


def start(workers: int, *, events: bool) -> ProcessPoolExecutor:
    """A pool of ``workers`` annotation workers (started as their first jobs come)."""
    return ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=_init_worker, initargs=(events,))


def ask_warm(pool: ProcessPoolExecutor) -> Future[bool] | None:
    """Ask a new pool's first worker whether it started warm (before any job is handed to it, so
    that the answer does not wait behind them); None where the answer is known already."""
    return pool.submit(started_warm) if _warm_workers else None


def confirm_warm(answer: Future[bool] | None) -> None:
    """After a new pool's first jobs: if its worker said it did not start warm (the preload
    failed: storyline not importable by the server?), count later workers cold."""
    global _warm_workers
    if answer is not None and not answer.result():
        _warm_workers = False


class Handover:
    """An annotator's workers and the batches of extraction jobs handed to them: the pool starts
    with the first batch that repays it, a batch may be handed over ahead of its turn (so that the
    workers read it while the annotator finishes the one before), and once a worker dies the rest
    is annotated in the annotator's process (``here``), nothing already stored touched."""

    def __init__(self, workers: int, *, forked: bool, events: bool) -> None:
        self.workers = workers
        #: With one worker: annotate in a process forked from the server that preloaded the models
        #: (:func:`server_preloaded`) rather than in the annotator's, so that it never loads the
        #: recogniser (see :func:`storyline.api._one_forked_worker`).
        self.forked = forked and workers == 1
        self.events = events
        self.pool: ProcessPoolExecutor | None = None
        self.broken = False  # a worker died: the rest is annotated in the annotator's process
        #: Batches handed over ahead of their turn (:meth:`prefetch`), in order: the jobs and
        #: their chunks' futures.
        self.ahead: list[tuple[list[Job], list[Future[Extracted]]]] = []
        #: A new pool's answer to whether its workers started warm, until it is read.
        self._warm_answer: Future[bool] | None = None

    def close(self) -> None:
        self.drop_ahead()
        self._warm_answer = None
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def repays(self, jobs: list[Job]) -> bool:
        """Whether ``jobs`` go to the workers: more than one worker repays its start on two
        documents a worker or more; a forked single worker always."""
        return self.forked or (self.workers > 1 and (self.pool is not None or len(jobs) >= 2 * self.workers))

    def prefetch(self, jobs: list[Job]) -> None:
        """Hand ``jobs`` to the workers now, where they would go to them and are not held yet."""
        if any(held == jobs for held, _ in self.ahead) or self.broken or not self.repays(jobs):
            return
        try:
            self.ahead.append((jobs, self.submit(jobs)))
        except (BrokenProcessPool, OSError, EOFError, RuntimeError):
            return  # no worker can start: extract finds out, and leaves the batch to ``here``

    def drop_ahead(self, count: int | None = None) -> None:
        """Cancel and forget the first ``count`` batches handed over ahead (all by default)."""
        for _, futures in self.ahead[:count]:
            for future in futures:
                future.cancel()
        del self.ahead[:count]

    def extract(self, jobs: list[Job], here: Callable[[list[Job]], Extracted]) -> Extracted:
        """The extraction of ``jobs``: by the workers (collected where it was handed over ahead),
        or by ``here`` where workers do not repay it or no longer can."""
        at = next((i for i, (held, _) in enumerate(self.ahead) if held == jobs), None)
        held = None
        if at is not None:
            self.drop_ahead(at)  # batches handed over before it and never asked for
            held = self.ahead.pop(0)[1]
        if self.broken or not (held or self.repays(jobs)):
            return here(jobs)
        try:
            return self.collect(jobs, held)
        except (BrokenProcessPool, OSError, EOFError):
            # a worker died (out of memory, a crash in native code), or the fork server did and
            # no worker could start: this batch, and the next, are annotated here instead;
            # nothing already stored is touched (an error of the work itself recurs here, and is raised)
            self.broken = True
            self.close()
            return here(jobs)

    def submit(self, jobs: list[Job]) -> list[Future[Extracted]]:
        """The jobs in one chunk per worker, handed to the pool (started on first use)."""
        # (the first hand-over waits until the fork server has loaded the models: counted as the workers')
        with stage("annotate: recognise, parse, times (workers)"):
            if self.pool is None:
                self.pool = start(self.workers, events=self.events)
                self._warm_answer = ask_warm(self.pool)
            executor = self.pool
            size = -(-len(jobs) // self.workers)
            return [executor.submit(work, jobs[j : j + size]) for j in range(0, len(jobs), size)]

    def collect(self, jobs: list[Job], futures: list[Future[Extracted]] | None = None) -> Extracted:
        """The workers' extraction of ``jobs``: collected from ``futures`` (handed over before, by
        :meth:`prefetch`), or handed over now."""
        futures = futures if futures is not None else self.submit(jobs)
        raws: list[list[Any]] = []
        times: list[list[TimeExpression]] = []
        events: list[list[RawMention]] = []
        with stage("annotate: recognise, parse, times (workers)"):
            try:
                for future in futures:
                    chunk_raws, chunk_times, chunk_events = future.result()
                    raws.extend(chunk_raws)  # in order: the readable texts of each chunk, chunk after chunk
                    times.extend(chunk_times)
                    events.extend(chunk_events)
            except BaseException:  # the work failed (or the wait was interrupted): nothing more is read
                for future in futures:
                    future.cancel()
                self.drop_ahead()
                raise
        if self._warm_answer is not None:
            answer, self._warm_answer = self._warm_answer, None
            confirm_warm(answer)
        return raws, times, events
