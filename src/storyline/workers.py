"""How many worker processes a command starts when the user does not say (``--workers`` unset).

A worker costs its start-up: a new interpreter, storyline's imports and, for annotation, the
spaCy models and the gazetteer (about 2.5 seconds of one core). It repays that only on enough
work, so a command uses one process per available core when its input is at least
:data:`CLEAN_WORKERS_FROM` articles (cleaning) or :data:`ANNOTATE_WORKERS_FROM` documents
(annotation), and no more annotation workers than free memory holds (:data:`ANNOTATE_WORKER_MB`
each). Both thresholds come from whole-command runs on the 2-core development machine (see
docs/benchmarks.md, 2026-12-05):

- ``storyline analyze`` of the first N English SemEval-2022 articles (165 words), one worker
  against two, with each worker spawned and loading the models itself: 9.6 / 9.5 s at 50,
  11.4 / 11.8 s at 100, 18.0 / 17.1 s at 200, 29.2 / 25.6 s at 400. Where annotation workers are
  forked from a server that loaded the models once (:func:`storyline.annotate.preload_worker`;
  Linux and other Unix systems), starting them costs one load however many there are, and that
  load runs while this process loads the embedder: two runs each, 5.1-5.5 / 5.0-5.1 s at 25,
  6.3-6.4 / 5.7-6.3 s at 50, 8.3-9.1 / 7.1-7.5 s at 100, 9.4-9.9 / 8.2-8.7 s at 150.
  ``compare --pairs`` of SemEval's first 200 pairs with a non-English side (45 articles a
  recogniser reads): 8.4-8.7 pairs a second in this process, 7.6-8.1 with two such workers;
- ``benchmarks/ingest_html.py --n 400``: 2.35 s with one process, 2.14 s with two (generated
  news pages; plain text costs a tenth as much to clean, so workers repay later still).
"""

from __future__ import annotations

import multiprocessing
import os

#: Articles an ingest must have read before it starts cleaning workers (an HTML page costs about
#: 6 ms to clean; a cleaning worker starts in about a second).
CLEAN_WORKERS_FROM = 400
#: Documents waiting for annotation from which annotation runs in workers: 60 where the workers
#: are forked from a preloaded server (``analyze`` no slower with them from 25 documents on and
#: faster from 50; ``compare --pairs`` of 200 mixed-language pairs, 45 of whose articles a
#: recogniser reads, slower with them: the workers load the other languages' models each), else 150.
ANNOTATE_WORKERS_FROM = 60 if "forkserver" in multiprocessing.get_all_start_methods() else 150
#: Resident memory allowed for one annotation worker (the English medium and small spaCy models,
#: the gazetteer), megabytes: the largest measured was 457 MB (``analyze`` of 400 articles with two
#: workers), and longer texts take more.
ANNOTATE_WORKER_MB = 800


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def available_memory_mb() -> int | None:
    """Memory the system can give without swapping (``MemAvailable``), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def auto_workers(items: int, workers_from: int, worker_mb: int = 0) -> int:
    """Workers for ``items`` of work: one per core from ``workers_from`` items on, as many as free
    memory holds (``worker_mb`` each); else 1 (the work is done in this process)."""
    if items < workers_from:
        return 1
    n = available_cores()
    free = available_memory_mb() if worker_mb else None
    if free is not None:
        n = min(n, max(1, (free - 1024) // worker_mb))
    return max(1, n)
