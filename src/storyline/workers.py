"""How many worker processes a command starts when the user does not say (``--workers`` unset).

A worker costs its start-up. A spawned one (cleaning; annotation where there is no fork server)
is a new interpreter with storyline's imports and, for annotation, the spaCy models and the
gazetteer (about 2.5 seconds of one core). A warm annotation worker, forked from a server that
loaded the English models once (:func:`storyline.annotate.pool.preload_worker`), costs that load once
however many start, and the load runs while the command's process loads the embedder. A worker
repays its start only on enough work, so a command uses one process per available core when its
input is at least :data:`CLEAN_WORKERS_FROM` articles (cleaning), or for annotation
(:func:`annotation_workers`) :data:`ANNOTATE_FORKED_FROM` English documents with warm workers and
:data:`ANNOTATE_WORKERS_FROM` documents otherwise, and no more annotation workers than free memory
holds (:data:`ANNOTATE_WORKER_MB` each). Fewer English documents than warm workers repay go to
one worker forked from the server when the command started that server before reading its input
(``analyze``, ``compare``: :func:`storyline.api._one_forked_worker`), so the command's process never
loads the recogniser. The thresholds come from whole-command runs on the 2-core development
machine (see docs/benchmarks.md, 2026-12-05):

- ``storyline analyze`` of the first N English SemEval-2022 articles (165 words), one worker
  against two, with each worker spawned and loading the models itself: 9.6 / 9.5 s at 50,
  11.4 / 11.8 s at 100, 18.0 / 17.1 s at 200, 29.2 / 25.6 s at 400; with warm workers, see
  :data:`ANNOTATE_FORKED_FROM`;
- ``benchmarks/ingest_html.py --n 400``: 2.35 s with one process, 2.14 s with two (generated
  news pages; plain text costs a tenth as much to clean, so workers repay later still).
"""

from __future__ import annotations

import os

#: Articles an ingest must have read before it starts cleaning workers (an HTML page cost about
#: 6 ms to clean when this was set, about 4.5 ms of a core since the shortcuts of 2026-12-05; a
#: cleaning worker starts in about a second). Not measured again since.
CLEAN_WORKERS_FROM = 400
#: Documents waiting for annotation from which annotation runs in workers that load their models
#: themselves (spawned), or in warm workers when many documents are in other languages.
ANNOTATE_WORKERS_FROM = 150
#: English documents from which warm annotation workers (forked from a server that loaded the
#: English models once, :func:`storyline.annotate.pool.preload_worker`) repay their start, in a command's
#: first pool: the server loads the models while the command's process loads the embedder, which
#: the in-process path does one after the other. Measured with ``analyze`` through the Python API,
#: one process against two workers, two runs each: 4.3-4.7 / 3.9 s at 5 articles, 4.5-4.7 / 4.2 s
#: at 10, 5.4-6.0 / 4.9-5.0 s at 25; 10.8-12.5 / 9.6-10.7 s for the 43 sample articles. (A batch
#: of fewer than two documents a worker is annotated in the command's process anyway.)
ANNOTATE_FORKED_FROM = 5
#: Documents in other recognised languages allowed per English document for warm workers, whose
#: server preloads English only: each worker loads another language's model itself. Chosen, not
#: fitted: the one measurement is ``compare --pairs`` of 200 mixed pairs whose articles a
#: recogniser reads are 35 English and 10 French (0.29 per English one), slower with warm workers.
ANNOTATE_FORKED_OTHERS = 0.1
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


def annotation_workers(english: int, others: int, waiting: int | None = None, *, warm: bool = False) -> int:
    """Annotation workers for ``english`` documents and ``others`` in other languages a recogniser
    reads; ``waiting``: the documents counted for the general threshold (default: the two summed;
    ``analyze`` counts every waiting document, as it always did). ``warm``: workers started now
    would be forked with the English models loaded (:func:`storyline.annotate.pool.workers_start_warm`).
    Warm workers from :data:`ANNOTATE_FORKED_FROM` English documents on, no more than two
    documents each, when the others are few enough; else workers from
    :data:`ANNOTATE_WORKERS_FROM` documents on."""
    waiting = english + others if waiting is None else waiting
    if warm and english >= ANNOTATE_FORKED_FROM and others <= ANNOTATE_FORKED_OTHERS * english:
        return max(1, min(auto_workers(waiting, 0, ANNOTATE_WORKER_MB), english // 2))
    return auto_workers(waiting, ANNOTATE_WORKERS_FROM, ANNOTATE_WORKER_MB)


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
