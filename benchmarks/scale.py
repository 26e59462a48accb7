"""Scale benchmarks.

``ray``: part (a) of docs/scaling.md. The Ray engine's throughput on this machine at 1 and 2 workers
against the local process pool on the same articles, and its scaling to N workers projected from
the measured per-actor throughput and the driver's serial share (Amdahl's law).

What is measured
----------------
N generated 500-word articles (``benchmarks/annotate.py``'s ``make_texts``, a fixed seed), written
as a folder of text files, each with a title line and a dateline (one day apart), so every
document is dated and its relative times resolve. Each command runs as a user runs it, one cold
process timed from outside (interpreter start, imports, model loads, Ray's start and stop
inside the clock), into a new store:

* ``storyline analyze DIR --workers 1`` and ``--workers 2`` (the local engine);
* ``storyline analyze DIR --engine ray --num-workers 1`` and ``--num-workers 2`` (a local Ray
  instance with as many CPUs).

The runs are interleaved and the best of ``--repeat`` kept. From the one-worker Ray run's
``--json`` stages:

* ``A``, actor CPU seconds per document: the CPU time of the three actor steps (read and clean,
  extract, embed; their models loaded before), summed (one worker is one CPU's worth of actors);
* ``d``, the driver's serial CPU seconds per document: its CPU time in the three phases (the
  stream: receiving the actors' results, Ray Data's scheduling, near-duplicates, store writes;
  annotation's batch part: canonicalisation, places, event linking, store writes; the placement in
  happenings and storylines);
* what lies outside those phases (start-up, Ray's start and stop), which a large input
  amortises; the actors' model loads are inside the phases, in the wait for the first results.

``A`` and ``d`` are the growth per document between a one-worker Ray run on the first quarter of
the articles and one on all of them, so that fixed costs (the driver's model and index loads, Ray
Data's planning) do not count as per-document work.

CPU time, not wall time, so the projection holds on a machine other work shares (this one often
is); the wall times of the four commands do not, and the load average is printed beside them.

Projection (Amdahl): one document costs ``d + A/N`` seconds with N workers, as if the driver's
work never overlapped the actors' (it partly does: the store writes run while the actors work), so
the speed-up is ``(d + A) / (d + A/N)``, the efficiency that over N, and the runner scales above
80% efficiency up to ``N < 1 + 0.25 / s`` workers, ``s = d / (d + A)`` the serial share.

    python benchmarks/scale.py ray                 # 400 articles, each command once
    python benchmarks/scale.py ray --n 200 --repeat 2 --json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: Worker counts the projection is printed for; 16 nodes of 8 cores is the docs' assumed cluster.
PROJECTED = (1, 2, 4, 8, 16, 32, 64, 128, 256)
CLUSTER_NODES, CORES_PER_NODE = 16, 8
_ACTORS = (
    "ingest: actors' CPU, read and clean",
    "ingest: actors' CPU, extract",
    "happenings: actors' CPU, embed",
)
_DRIVER = ("ingest: driver CPU", "annotate: driver CPU", "happenings: driver CPU")


def write_articles(folder: Path, n: int, seed: int) -> None:
    from annotate import make_texts

    folder.mkdir(parents=True, exist_ok=True)
    first = date(2018, 1, 1)
    for i, text in enumerate(make_texts(n, seed)):
        title = " ".join(text.split()[:8]).rstrip(".,;:")
        day = first + timedelta(days=i)
        (folder / f"article_{i:05d}.txt").write_text(f"{title}\n{day.isoformat()}\n\n{text}\n", encoding="utf-8")


def timed(cmd: list[str], cwd: Path) -> tuple[float, dict[str, Any]]:
    """Wall seconds of one cold process, and its ``--json`` report."""
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[1:6])} failed ({done.returncode}): {done.stderr[-3000:]}")
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def amdahl(d: float, a: float, n: int) -> tuple[float, float]:
    """Speed-up and efficiency at ``n`` workers: one document costs ``d + a / n``."""
    speedup = (d + a) / (d + a / n)
    return speedup, speedup / n


def largest_efficient(d: float, a: float, floor: float = 0.8) -> int:
    """The most workers at which the efficiency stays above ``floor``."""
    if d <= 0:
        return sys.maxsize
    s = d / (d + a)
    bound = 1 + (1 - floor) / floor / s  # E(N) = 1 / (N s + 1 - s) > floor
    return max(1, math.ceil(bound) - 1)


def ray_part(args: argparse.Namespace) -> dict[str, Any]:
    storyline = str(Path(sys.executable).with_name("storyline"))
    runs = {
        "local, --workers 1": ["--workers", "1"],
        "local, --workers 2": ["--workers", "2"],
        "ray, --num-workers 1": ["--engine", "ray", "--num-workers", "1"],
        "ray, --num-workers 2": ["--engine", "ray", "--num-workers", "2"],
    }
    best: dict[str, tuple[float, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="storyline-scale-") as tmp:
        work = Path(tmp)
        write_articles(work / "articles", args.n, args.seed)
        write_articles(work / "quarter", args.n // 4, args.seed)  # the first quarter of the same articles
        small: dict[str, Any] | None = None
        for rep in range(args.repeat):
            for i, (name, options) in enumerate(runs.items()):
                db = work / f"run{rep}_{i}.db"
                cmd = [storyline, "analyze", str(work / "articles"), "--db", str(db), "--json", *options]
                seconds, report = timed(cmd, work)
                if report["stored"] != args.n or report["annotated"] != args.n:
                    raise SystemExit(f"{name}: stored {report['stored']}, annotated {report['annotated']} of {args.n}")
                print(f"  run {rep + 1}: {name}: {seconds:.1f} s (load average {os.getloadavg()[0]:.1f})", flush=True)
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, report)
            # the one-worker Ray run on a quarter of the articles: what does not grow with them
            db = work / f"run{rep}_quarter.db"
            cmd = [
                storyline,
                "analyze",
                str(work / "quarter"),
                "--db",
                str(db),
                "--json",
                *runs["ray, --num-workers 1"],
            ]
            seconds, report = timed(cmd, work)
            print(f"  run {rep + 1}: ray, --num-workers 1, {args.n // 4} articles: {seconds:.1f} s", flush=True)
            small = report if small is None else small
    base = best["local, --workers 1"][0]
    load = os.getloadavg()[0]
    print(f"\n{args.n} generated articles of about 500 words; {os.cpu_count()} cores; load average {load:.1f}")
    print(f"{'storyline analyze (cold process)':<34}{'seconds':>9}{'articles/s':>12}{'x local 1':>11}")
    rows = []
    for name, (seconds, _) in best.items():
        print(f"{name:<34}{seconds:>9.1f}{args.n / seconds:>12.2f}{base / seconds:>11.2f}")
        rows.append({"command": name, "seconds": round(seconds, 2), "articles_per_s": round(args.n / seconds, 2)})

    one_seconds, one = best["ray, --num-workers 1"]
    stages = one["stages"]
    assert small is not None
    few, more = args.n // 4, args.n
    # per document: the growth from a quarter of the articles to all of them (fixed costs, such as
    # the driver's model and index loads or Ray Data's planning, cancel out)
    actors = {
        name: (stages.get(name, 0.0) - small["stages"].get(name, 0.0)) * args.n / (more - few) for name in _ACTORS
    }
    driver = {
        name: (stages.get(name, 0.0) - small["stages"].get(name, 0.0)) * args.n / (more - few) for name in _DRIVER
    }
    a = sum(actors.values()) / args.n
    d = sum(driver.values()) / args.n
    phases = sum(stages.get(name, 0.0) for name in ("ingest", "annotate", "happenings"))
    fixed = one_seconds - phases
    s = d / (d + a)
    n_max = largest_efficient(d, a)
    print(f"\nThe one-worker Ray run, CPU seconds per document (growth from {few} to {more} articles):")
    for name, seconds in actors.items():
        print(f"  {name:<44}{1000 * seconds / args.n:>8.1f} ms")
    print(f"  {'actors, all three steps (A)':<44}{1000 * a:>8.1f} ms  ({1 / a:.2f} documents/s per worker)")
    for name, seconds in driver.items():
        print(f"  {name:<44}{1000 * seconds / args.n:>8.1f} ms")
    print(f"  {'driver, serial (d)':<44}{1000 * d:>8.1f} ms  (serial share s = {s:.1%})")
    print(f"  outside the three phases (start-up, Ray's start and stop): {fixed:.1f} s")
    two = best["ray, --num-workers 2"][0]
    print(f"  measured here: 2 workers {one_seconds / two:.2f}x 1 worker (the driver shares the 2 cores)")
    print("\nProjected (Amdahl, per document, fixed costs amortised):")
    print(f"{'workers':>8}{'speed-up':>10}{'efficiency':>12}{'articles/s':>12}")
    projected = []
    for n in PROJECTED:
        speedup, efficiency = amdahl(d, a, n)
        print(f"{n:>8}{speedup:>10.1f}{efficiency:>12.0%}{1 / (d + a / n):>12.1f}")
        projected.append({"workers": n, "speedup": round(speedup, 2), "efficiency": round(efficiency, 3)})
    cluster = CLUSTER_NODES * CORES_PER_NODE
    c_speedup, c_efficiency = amdahl(d, a, cluster)
    print(f"largest cluster above 80% efficiency: {n_max} workers")
    print(
        f"{CLUSTER_NODES} nodes x {CORES_PER_NODE} cores = {cluster} workers: speed-up {c_speedup:.1f}, "
        f"efficiency {c_efficiency:.0%}, {1 / (d + a / cluster):.1f} articles/s (bounded by the driver: {1 / d:.1f})"
    )
    return {
        "n": args.n, "cores": os.cpu_count(), "load_average": round(load, 2), "rows": rows,
        "actor_ms_per_doc": {k: round(1000 * v / args.n, 2) for k, v in actors.items()},
        "A_ms": round(1000 * a, 2), "driver_ms_per_doc": {k: round(1000 * v / args.n, 2) for k, v in driver.items()},
        "d_ms": round(1000 * d, 2), "serial_share": round(s, 4),
        "fixed_s": round(fixed, 2), "ray_2_over_1": round(one_seconds / two, 3), "projected": projected,
        "largest_above_80": n_max,
        "cluster": {"nodes": CLUSTER_NODES, "cores": CORES_PER_NODE, "speedup": round(c_speedup, 2),
                    "efficiency": round(c_efficiency, 3)},
        "stages_ray_1": stages, "stages_ray_2": best["ray, --num-workers 2"][1]["stages"],
        "stages_ray_1_quarter": small["stages"],
    }  # fmt: skip


#: Store sizes the clustering cost is measured at (those below ``--n``, and ``--n``).
STORE_SIZES = (1_000, 100_000)
#: Batches a new process places into a built store: the first (cold) and the rest (the figure).
NEXT_BATCHES = 3


def _current_vectors(db: Path) -> None:
    """The generated vectors stand in for any embedder's: a store kept from when the happening
    vectors had another name (storyline.cluster.VECTOR_MODEL: another model, or another length
    read) has its vectors renamed, not the store built again (1.6 hours at a million)."""
    import sqlite3

    from storyline.cluster import VECTOR_MODEL

    with contextlib.closing(sqlite3.connect(db)) as con, con:
        renamed = con.execute(
            "UPDATE document_vectors SET model = ? WHERE model != ?", (VECTOR_MODEL, VECTOR_MODEL)
        ).rowcount
    if renamed:
        print(f"{db}: {renamed:,} generated vectors renamed {VECTOR_MODEL}", file=sys.stderr, flush=True)


def _build(db: Path, size: int, batch: int, keep: bool, stop_at: int | None = None) -> dict[str, Any]:
    """A SQLite store of generated documents placed in happenings, built in one process, and the
    generator as the build left it, for the batch measured after it. The generated world is sized
    for ``size + batch`` documents (a quarter as many happenings, a twentieth as many people), so
    every store measured holds a world as dense as the others; it is built up to ``stop_at``
    documents (default ``size``).

    With ``keep``, a store built before to the same point is taken as it is, and one left part-built
    (a build killed, or stopped short with ``--stop-at``) is resumed: the generator is replayed to
    the last batch placed (about 0.5 ms a document) and the build goes on from there."""
    from serve import Generator, count_rows, place_batches, table_counts
    from storyline.store import open_store

    target = stop_at or size
    state = db.with_name(f"{db.name}.generator")
    report = db.with_name(f"{db.name}.build.json")
    done = json.loads(report.read_text()) if report.exists() else None
    if keep and db.exists():
        _current_vectors(db)
    if keep and db.exists() and state.exists() and done and done.get("held") == target:
        return dict(done)
    gen = Generator(size + batch)
    start = 0
    if keep and db.exists():
        store = open_store(str(db))
        try:
            placed = count_rows(store, "document_clusters")
        finally:
            store.close()
        start = min(target, placed // batch * batch)  # a batch is placed in one transaction
        print(f"resuming {db} at {start:,} documents (replaying the generator)", file=sys.stderr, flush=True)
        for i in range(start):
            gen.document(i)
    else:  # a new build: nothing of an earlier one is kept (its report would say it was done)
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        report.unlink(missing_ok=True)
        state.unlink(missing_ok=True)
    print(f"building {db} ({start:,} to {target:,} documents)", file=sys.stderr, flush=True)
    t = time.perf_counter()
    built = place_batches(str(db), gen, start, target, batch)
    state.write_bytes(pickle.dumps(gen))
    out = {
        "held": target, "world": size + batch, "resumed_from": start,
        "build_seconds": round(time.perf_counter() - t, 1), **built, **table_counts(str(db)),
    }  # fmt: skip
    report.write_text(json.dumps(out) + "\n")
    return out


def _next_batch(location: str, state: Path, held: int, batch: int) -> dict[str, Any]:
    """Place the next ``NEXT_BATCHES`` batches of generated documents (the generator as the build
    left it) into the store at ``location`` with a new clusterer, as a new ``storyline analyze``
    process would (it runs in a process of its own: see :func:`_in_new_process`); then time how a
    further clusterer gets its happening index (read from the cache folder)."""
    from serve import place_batches
    from storyline.cluster import Clusterer
    from storyline.store import open_store

    gen = pickle.loads(state.read_bytes())
    out = place_batches(location, gen, held, held + NEXT_BATCHES * batch, batch, progress_every=10**9)
    store = open_store(location)
    try:
        t = time.perf_counter()
        again = Clusterer(store)
        size = len(again.index)
        reload = {"seconds": round(time.perf_counter() - t, 2), "source": again.index_source, "vectors": size}
    finally:
        store.close()
    wall, cpu = out["cluster_wall_ms_per_doc"], out["cluster_cpu_ms_per_doc"]
    return {
        # the process's first batch (caches cold: what one `analyze` of a few articles waits) and
        # the mean of the next ones (the cost per document once it runs, as the 1,000 figure is)
        "held": held, "first_ms_per_doc": wall[0], "ms_per_doc": statistics.mean(wall[1:]),
        "cpu_ms_per_doc": statistics.mean(cpu[1:]),
        "index": {"seconds": out["index_load_seconds"], "source": out["index_source"]},
        "index_written_seconds": out["index_save_seconds"] if out["index_saved"] else None,
        "index_next_process": reload,
    }  # fmt: skip


def _in_new_process(function: Any, *args: Any) -> Any:
    """``function(*args)`` in a new Python process: what one measurement leaves in memory (indexes,
    caches, garbage the collector walks) must not slow the next, as it did by 2 to 3 times."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


#: Measured batches at the smallest store, each a tenth of it, each placed into a copy of it.
SMALL_REPEATS = 10


def _first_batches(held_at: str, copies: list[str], half_at: str | None, batch: int) -> dict[str, Any]:
    """The clustering cost with ``batch`` documents held, in a world as full as the large stores'.

    The large stores hold four articles per happening (a world of N documents has N/4), and the
    batch measured there adds a thousandth to that. Placing a batch as large as the store itself
    into a store of ``batch`` would not compare like with like: the happenings the article is
    scored against would hold fewer articles, and fewer of the articles would reach the happening
    model. So ``batch`` documents of a world of ``batch / 4`` happenings are placed at ``held_at``
    (a SQLite file; it also warms the process as the large stores' first batch does), and then
    ``len(copies)`` batches of a tenth as many, each into a copy of that store (a SQLite path, or
    an empty PostgreSQL database the store is copied into), four articles per happening becoming
    4.4. Their mean is the figure. A batch of a tenth also pays its commit over a tenth as many
    documents, which counts against the small store.

    ``half_full`` (at ``half_at``, when given) is the measure as it was first made: a world of
    ``2 * batch`` documents, the first ``batch`` placed, the second measured (two articles per
    happening becoming four)."""
    import pickle

    from serve import Generator, place_batches
    from storyline.store.transfer import copy_store

    half = place_batches(half_at, Generator(2 * batch), 0, 2 * batch, batch, progress_every=10**9) if half_at else None
    gen = Generator(batch)
    place_batches(held_at, gen, 0, batch, batch, progress_every=10**9)
    state = pickle.dumps(gen)
    step = max(1, batch // 10)
    wall: list[float] = []
    cpu: list[float] = []
    for r, target in enumerate(copies):
        if target.startswith("postgres"):
            copy_store(held_at, target)
        else:
            shutil.copyfile(held_at, target)
        replay = pickle.loads(state)
        first = batch + r * step
        for i in range(batch, first):  # the generator's documents before this batch, drawn and dropped
            replay.document(i)
        out = place_batches(target, replay, first, first + step, step, progress_every=10**9)
        wall += out["cluster_wall_ms_per_doc"]
        cpu += out["cluster_cpu_ms_per_doc"]
    return {
        "held": batch, "batch": step, "batches": len(copies),
        "ms_per_doc": round(statistics.mean(wall), 4), "cpu_ms_per_doc": round(statistics.mean(cpu), 4),
        "each_ms_per_doc": wall,
        "half_full": half and {"ms_per_doc": half["cluster_wall_ms_per_doc"][1],
                               "cpu_ms_per_doc": half["cluster_cpu_ms_per_doc"][1]},
    }  # fmt: skip


def _restore_indexes(store: str, indexes: list[tuple[Path, bytes]]) -> None:
    """Put the cache's happening index files for ``store`` back as they were (``_kept_indexes``):
    those a measurement wrote again restored, those it wrote anew removed."""
    kept = {path for path, _ in indexes}
    for path in _index_files(store):
        if path not in kept:
            path.unlink()
    for path, data in indexes:
        path.write_bytes(data)


def page_cache(path: str, keep: bool) -> None:
    """Leave a file (and a SQLite file's write-ahead log) in the OS's page cache, read once, or
    out of it: written out, then dropped (``posix_fadvise``), as after a restart. A store of a
    million documents is 10 GB; copying it for a measurement reads the build and writes the copy,
    which on a machine of 24 GB leaves an arbitrary share of either in memory, and the figure then
    measured that share (5.7 ms a document where the same store read from memory took 3.0)."""
    for name in (path, f"{path}-wal"):
        if not Path(name).exists():
            continue
        fd = os.open(name, os.O_RDONLY)
        try:
            if keep:
                while os.read(fd, 1 << 23):
                    pass
            elif hasattr(os, "posix_fadvise"):  # (not on macOS: the figure "from disk" is then not one)
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            else:
                print(f"{name}: cannot drop it from the page cache here", file=sys.stderr)
        finally:
            os.close(fd)


def _next_batch_into_copy(db: Path, target: str, state: Path, held: int, batch: int, warm: bool) -> dict[str, Any]:
    """The next batch placed, in a process of its own, into a new copy at ``target`` of the
    SQLite store ``db`` (the build stays as built), the copy read once into the OS's page cache
    (``warm``) or dropped from it with the kept index files; the cache's index files put back
    after."""
    for suffix in ("-wal", "-shm"):  # what a server left of the copy before
        Path(target + suffix).unlink(missing_ok=True)
    indexes = _kept_indexes(str(db))
    shutil.copyfile(db, target)
    os.sync()  # the copy written out first: its writeback would otherwise slow the reads timed next
    page_cache(str(db), keep=False)  # what the copy read of the build
    page_cache(target, keep=warm)
    if not warm:
        for path, _ in indexes:
            page_cache(str(path), keep=False)
    try:
        result: dict[str, Any] = _in_new_process(_next_batch, target, state, held, batch)
        return result
    finally:
        _restore_indexes(str(db), indexes)


def _index_files(store: str) -> list[Path]:
    """The happening index files kept in the cache for the store at ``store`` (a SQLite file; a
    copy of it has the same store id, so the same files)."""
    from storyline.cache import cache_root
    from storyline.store import open_store

    root = cache_root()
    if root is None:
        return []
    opened = open_store(store)
    try:
        prefix = opened.store_id()
    finally:
        opened.close()
    return list((root / "happening-index").glob(f"{prefix}-*"))


def _kept_indexes(store: str) -> list[tuple[Path, bytes]]:
    """The happening index files for ``store`` and what they hold, to be put back after a copy of
    it was measured: else the next copy would find the measured batch's documents in the index,
    gone from the store."""
    return [(f, f.read_bytes()) for f in _index_files(store)]


def store_part(args: argparse.Namespace) -> dict[str, Any]:
    """(b) stores of up to N generated documents, SQLite and PostgreSQL: the clustering cost per
    document at 1,000, 100,000 and N documents held, and the API's latency at N."""
    from serve import measure
    from storyline.store.transfer import copy_store

    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    # the happening indexes kept between processes go beside the stores, not into the user's cache
    os.environ.setdefault("STORYLINE_CACHE", str(out_dir / "cache"))
    batch = args.batch
    sizes = sorted({h for h in STORE_SIZES if h < args.n} | {args.n})
    big = [h for h in sizes if h > batch]
    builds = {
        h: _build(out_dir / f"scale-{h}.db", h, batch, args.keep, args.stop_at if h == args.n else None) for h in big
    }
    result: dict[str, Any] = {
        "n": args.n, "batch": batch,
        "builds": {h: {k: v for k, v in b.items() if not k.startswith("cluster_")} for h, b in builds.items()},
        # the cost during the largest build, batch by batch, in one process (on a machine that may
        # have been doing other work meanwhile)
        "during_build_ms_per_doc": builds[args.n]["cluster_wall_ms_per_doc"] if args.n in builds else [],
    }  # fmt: skip
    if args.build_only:
        return result
    backends: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="storyline-scale-") as tmp:
        server = None
        postgres = args.postgres
        if postgres == "auto":
            sys.path.insert(0, str(HERE.parent / "tests"))
            from postgres_server import Unavailable, start_server

            try:
                server = start_server()
            except (Unavailable, OSError, subprocess.SubprocessError) as exc:
                print(f"PostgreSQL: skipped ({exc})", file=sys.stderr)
                postgres = None
        try:
            names = ["sqlite"] + (["postgresql"] if postgres is not None else [])
            for name in names:
                row: dict[str, Any] = {}
                held_at = str(Path(tmp) / f"small-{name}.db")
                half_at: str | None
                if name == "sqlite":
                    copies = [str(Path(tmp) / f"small-{r}.db") for r in range(SMALL_REPEATS)]
                    half_at = str(Path(tmp) / "half.db")
                elif server is not None:
                    copies = [server.database() for _ in range(SMALL_REPEATS)]
                    half_at = server.database()
                else:  # a database given by URL cannot be copied into again and again: measured once
                    copies, half_at = [postgres], None
                print(f"{name}: clustering with {batch:,} documents held", file=sys.stderr, flush=True)
                row[str(batch)] = _in_new_process(_first_batches, held_at, copies, half_at, batch)
                for size in big:
                    db = out_dir / f"scale-{size}.db"
                    held = builds[size]["held"]  # fewer than its size when stopped short (--stop-at)
                    state = db.with_name(f"{db.name}.generator")
                    if name == "sqlite":
                        # the store out of the OS's page cache (as after a restart), then in it (as
                        # in daily use where the memory holds it)
                        target = str(db.with_name(f"{db.stem}-next.db"))  # left for the latency measurement
                        for cache in ("cold", "warm"):
                            print(f"{name}: clustering with {held:,} documents held, store {cache}",
                                  file=sys.stderr, flush=True)  # fmt: skip
                            key = str(held) if cache == "warm" else f"{held} cold"
                            row[key] = _next_batch_into_copy(db, target, state, held, batch, warm=cache == "warm")
                    else:
                        target = server.database() if server else postgres
                        t = time.perf_counter()
                        copied = copy_store(str(db), target)
                        row[f"copy {held}"] = {"total_seconds": round(time.perf_counter() - t, 1), **copied}
                        print(f"{name}: copied {held:,} documents in {time.perf_counter() - t:.0f} s",
                              file=sys.stderr, flush=True)  # fmt: skip
                        print(f"{name}: clustering with {held:,} documents held", file=sys.stderr, flush=True)
                        row[str(held)] = _in_new_process(_next_batch, target, state, held, batch)
                    if size == args.n:
                        print(f"{name}: API latency at {held:,} documents", file=sys.stderr, flush=True)
                        row["latency"] = measure(target, args.requests)
                largest = str(builds[args.n]["held"]) if args.n in builds else str(args.n)
                row["ratio_n_to_1k"] = round(row[largest]["ms_per_doc"] / row[str(batch)]["ms_per_doc"], 2)
                if f"{largest} cold" in row:
                    row["ratio_n_to_1k_cold"] = round(
                        row[f"{largest} cold"]["ms_per_doc"] / row[str(batch)]["ms_per_doc"], 2
                    )
                if row[str(batch)]["half_full"]:
                    half = row[str(batch)]["half_full"]["ms_per_doc"]
                    row["ratio_n_to_1k_half_full"] = round(row[largest]["ms_per_doc"] / half, 2)
                backends[name] = row
                # what is measured so far, kept should a later backend's part be stopped
                partial = {**result, "backends": backends}
                (out_dir / f"scale_store_{args.n}.partial.json").write_text(json.dumps(partial, indent=2) + "\n")
        finally:
            if server is not None:
                server.stop()
    result["backends"] = backends
    return result


def show_store(result: dict[str, Any]) -> None:
    print(f"\nstores of generated documents, batches of {result['batch']:,}")
    for held, build in result["builds"].items():
        print(f"  built {int(held):,}: {build}")
    for name, row in result.get("backends", {}).items():
        print(f"\n{name}: clustering ms per document, the next {result['batch']:,} placed by a new process")
        for key, m in row.items():
            if key.startswith("copy "):
                print(f"  copied {int(key[5:]):,} documents from SQLite in {m['total_seconds']} s")
            elif key.split()[0].isdigit():
                held, *cold = key.split()
                store = ", store from disk" if cold else (", store in memory" if f"{held} cold" in row else "")
                line = f"  holding {int(held):>9,}{store}: {m['ms_per_doc']:6.2f} (CPU {m['cpu_ms_per_doc']:.2f})"
                if "first_ms_per_doc" in m:
                    line += f"; the process's first batch {m['first_ms_per_doc']:.2f}"
                if "batches" in m:
                    line += f" ({m['batches']} batches of {m['batch']:,}, each into a copy)"
                    if m.get("half_full"):
                        line += f"; a world half full, the next {int(key):,} placed: {m['half_full']['ms_per_doc']:.2f}"
                if "index" in m:
                    line += (f"; index {m['index']['source']} in {m['index']['seconds']:.1f} s, written in "
                             f"{m['index_written_seconds']} s; next process: {m['index_next_process']['source']} "
                             f"in {m['index_next_process']['seconds']:.1f} s")  # fmt: skip
                print(line)
        print(f"  ratio at the largest to 1,000: {row['ratio_n_to_1k']:.2f}", end="")
        if "ratio_n_to_1k_cold" in row:
            print(f" (its store from disk: {row['ratio_n_to_1k_cold']:.2f})", end="")
        print(
            f" (to the world half full: {row['ratio_n_to_1k_half_full']:.2f})"
            if "ratio_n_to_1k_half_full" in row
            else ""
        )
        if "latency" in row:
            print(f"  {'endpoint':24s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}  statuses")
            for endpoint, m in row["latency"].items():
                print(f"  {endpoint:24s} {m['p50_ms']:8.1f} {m['p95_ms']:8.1f} {m['p99_ms']:8.1f}  {m['statuses']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="part", required=True)
    ray = sub.add_parser("ray", help="(a) the Ray engine against the local pool, and its projection")
    ray.add_argument("--n", type=int, default=400, help="articles (default 400)")
    ray.add_argument("--seed", type=int, default=20240601)
    ray.add_argument("--repeat", type=int, default=1, help="runs of each command; the best is kept")
    ray.add_argument("--json", action="store_true", help="also print the results as one JSON object")
    store = sub.add_parser("store", help="(b) clustering cost and API latency at N documents, SQLite and PostgreSQL")
    store.add_argument("--n", type=int, default=1_000_000, help="documents (default 1,000,000)")
    store.add_argument("--batch", type=int, default=1000)
    store.add_argument("--requests", type=int, default=300, help="requests per endpoint")
    store.add_argument(
        "--keep", action="store_true",
        help="reuse the stores benchmarks/out/scale-N.db built before, and resume one left part-built",
    )  # fmt: skip
    store.add_argument(
        "--stop-at", type=int, default=None,
        help="build the store of --n only this far (its world still sized for --n) and measure there",
    )  # fmt: skip
    store.add_argument("--build-only", action="store_true")
    store.add_argument(
        "--postgres", default="auto",
        help="'auto' (a throwaway server, as the tests start one), a URL of an empty database, or 'none'",
    )  # fmt: skip
    store.add_argument("--json", action="store_true", help="also print the results as one JSON object")
    args = parser.parse_args(argv)
    if args.part == "store" and args.postgres == "none":
        args.postgres = None
    result = ray_part(args) if args.part == "ray" else store_part(args)
    if args.part == "store":
        show_store(result)
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"scale_{args.part}_{args.n}.json").write_text(json.dumps(result, indent=2) + "\n")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
