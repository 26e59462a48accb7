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
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext

from storyline.annotate import Extracted, Job, extract_jobs
from storyline.annotate.entities import EntityRecognizer
from storyline.annotate.events import EventParser

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
