"""Worker processes: how many a command starts when the user does not say, and that the
annotations do not depend on how many ran."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import storyline
from storyline import workers
from storyline.config import IngestConfig

from .conftest import CORPUS, TEST_LANGUAGES


def test_auto_workers_need_enough_work_and_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "available_cores", lambda: 4)
    monkeypatch.setattr(workers, "available_memory_mb", lambda: 8 * 1024)
    assert workers.auto_workers(10, 150, 800) == 1  # too little work to repay a start-up
    assert workers.auto_workers(150, 150, 800) == 4
    monkeypatch.setattr(workers, "available_memory_mb", lambda: 2 * 1024)
    assert workers.auto_workers(1000, 150, 800) == 1  # (2048 - 1024) // 800: room for one
    monkeypatch.setattr(workers, "available_memory_mb", lambda: None)  # unknown: the cores decide
    assert workers.auto_workers(1000, 150, 800) == 4
    assert workers.available_cores() >= 1


def test_warm_annotation_workers_start_on_few_english_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "available_cores", lambda: 4)
    monkeypatch.setattr(workers, "available_memory_mb", lambda: 8 * 1024)
    assert workers.annotation_workers(4, 0, warm=True) == 1  # too few to repay a start
    assert workers.annotation_workers(5, 0, warm=True) == 2  # two documents a worker at least
    assert workers.annotation_workers(40, 4, warm=True) == 4  # a few French ones: each worker loads French too
    assert workers.annotation_workers(35, 10, warm=True) == 1  # many: not worth a French load per worker
    assert workers.annotation_workers(35, 10, waiting=200, warm=True) == 4  # enough for workers of any kind
    assert workers.annotation_workers(0, 150, warm=True) == 4
    # cold workers (spawned, or forked from a server that did not preload) load everything themselves
    assert workers.annotation_workers(100, 0) == 1
    assert workers.annotation_workers(150, 0) == 4


@pytest.mark.slow
def test_annotations_do_not_depend_on_the_workers(tmp_path: Path) -> None:
    def tables(db: Path) -> tuple[list[tuple[object, ...]], ...]:
        with sqlite3.connect(db) as con:
            return (
                con.execute("SELECT * FROM entities ORDER BY id").fetchall(),
                con.execute("SELECT * FROM entity_mentions ORDER BY 1, 2").fetchall(),
                con.execute("SELECT * FROM time_expressions ORDER BY 1, 2").fetchall(),
                con.execute("SELECT * FROM events ORDER BY id").fetchall(),
            )

    config = IngestConfig(languages=TEST_LANGUAGES)
    for name, n in (("one.db", 1), ("two.db", 2)):
        with storyline.open(tmp_path / name, config) as sl:
            sl.ingest(CORPUS / "txt", workers=1)
            assert sl.annotate_pending(batch_size=8, workers=n, warm_embedder=n > 1) == 16
    assert tables(tmp_path / "one.db") == tables(tmp_path / "two.db")
    # while the two workers annotated, this process loaded the embedder placing needs next
    import threading

    from storyline.relate.embed import shared_embedder

    for thread in threading.enumerate():
        if thread.name == "storyline-warm-embedder":
            thread.join()
    assert shared_embedder()._e5 is not None


@pytest.mark.slow
def test_a_worker_that_dies_leaves_the_batch_to_this_process() -> None:
    import os
    import signal

    from storyline.annotate import Annotator
    from storyline.clean import Cleaner
    from storyline.model.article import Article, ContentKind, SourceFields

    cleaner = Cleaner(IngestConfig(languages=TEST_LANGUAGES))
    docs = [
        cleaner.clean(Article(p.read_text(encoding="utf-8"), ContentKind.BODY_TEXT, str(p), p.name, SourceFields()))
        for p in sorted((CORPUS / "txt").glob("*.txt"))[:8]
    ]
    alone = Annotator(workers=1).annotate_many(docs)
    annotator = Annotator(workers=2)
    try:
        first = annotator.annotate_many(docs)  # starts the workers
        assert annotator.handover.pool is not None
        for pid in list(annotator.handover.pool._processes):  # as if the system killed them for memory
            os.kill(pid, signal.SIGKILL)
        second = annotator.annotate_many(docs)  # no traceback: annotated here instead
        assert annotator.handover.broken and annotator.handover.pool is None
    finally:
        annotator.close()
    for result in (first, second):
        assert [r.annotations for r in result] == [r.annotations for r in alone]


@pytest.mark.slow
def test_a_batch_handed_over_ahead_is_read_meanwhile_and_gives_the_same_annotations() -> None:
    """``prefetch`` hands a batch to the workers before its turn (``annotate_pending`` does so
    with the batch after the one it finishes); the ``annotate_many`` of those documents collects
    it. A batch handed over but never asked for is dropped when a later one is; one whose workers
    died is annotated here."""
    import os
    import signal

    from storyline.annotate import Annotator
    from storyline.model import Document

    said = "met the French minister in Paris on Monday.\n\nThey agreed to meet again in May."
    docs = [
        Document(id=f"d{i}", text=f"Officials of town {i} {said}", source_id="t", origin="t", language="en")
        for i in range(12)
    ]
    first, second, third = docs[:4], docs[4:8], docs[8:]
    alone = [r.annotations for r in Annotator(workers=1).annotate_many(docs)]
    annotator = Annotator(workers=2)
    try:
        annotator.prefetch(first)
        annotator.prefetch(second)
        annotator.prefetch(second)  # held already: not handed over twice
        assert [len(futures) for _, futures in annotator.handover.ahead] == [2, 2]  # a chunk a worker
        got = annotator.annotate_many(first)
        assert len(annotator.handover.ahead) == 1  # the second batch is still the workers'
        got += annotator.annotate_many(second)
        assert annotator.handover.ahead == []
        # a batch handed over and then passed by is dropped; the one asked for is read as before
        annotator.prefetch(first)
        annotator.prefetch(third)
        got += annotator.annotate_many(third)
        assert annotator.handover.ahead == []
        # workers killed while a batch is theirs: annotated here instead, the same
        annotator.prefetch(first)
        assert annotator.handover.pool is not None
        for pid in list(annotator.handover.pool._processes):
            os.kill(pid, signal.SIGKILL)
        again = annotator.annotate_many(first)
        assert annotator.handover.broken
        annotator.prefetch(second)  # no workers any more: nothing handed over
        assert annotator.handover.ahead == []
    finally:
        annotator.close()
    assert [r.annotations for r in got] == alone
    assert [r.annotations for r in again] == alone[:4]


@pytest.mark.slow
def test_a_batch_whose_work_fails_raises_and_drops_what_was_handed_over_after_it() -> None:
    from storyline.annotate import Annotator, Job

    good = [Job(f"Talks in Paris on Monday, round {i}.", None, True, "en") for i in range(4)]
    bad = [*good[:3], Job(None, None, True, "en")]  # type: ignore[arg-type]  # no text: the worker's work raises
    annotator = Annotator(workers=2, events=False)
    try:
        annotator.handover.ahead.append((bad, annotator.handover.submit(bad)))
        annotator.handover.ahead.append((good, annotator.handover.submit(good)))
        with pytest.raises((TypeError, AttributeError)):  # the work's own error, raised here, not a fallback
            annotator._compute(bad)
        assert annotator.handover.ahead == [] and not annotator.handover.broken
        raws, times, _ = annotator._compute(good)  # the pool still serves the next batch
        assert len(times) == 4 and len(raws) == 4
    finally:
        annotator.close()


@pytest.mark.slow
@pytest.mark.parametrize("events", [True, False])
def test_workers_start_with_the_models_loaded_once_before_them(events: bool) -> None:
    import multiprocessing

    from storyline.annotate import Annotator, pool
    from storyline.model import Document

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform: each worker loads the models itself")
    said = "met the French minister in Paris on Monday.\n\nThey agreed to meet again."
    texts = [f"Officials of town {i} {said}" for i in range(4)]
    docs = [Document(id=f"d{i}", text=text, source_id="t", origin="t", language="en") for i, text in enumerate(texts)]
    annotator = Annotator(workers=2, events=events)
    try:
        in_workers = annotator.annotate_many(docs)
        assert annotator.handover.pool is not None
        # each worker found the English models loaded when it started, by the server it was forked from
        assert annotator.handover.pool.submit(pool.started_warm).result() is True
    finally:
        annotator.close()
    assert pool.workers_start_warm() is True  # so the next pool may start on few documents too
    alone = Annotator(workers=1, events=events).annotate_many(docs)
    assert [r.annotations for r in in_workers] == [r.annotations for r in alone]
    assert any(r.annotations.events for r in alone) is events


def _alone(script: str, timeout: int) -> None:
    """Run ``script`` in a Python process of its own (the fork server is process-wide), where the
    platform has a fork server; it must end well, printing "ok" last."""
    import multiprocessing
    import subprocess
    import sys

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform: each worker loads the models itself")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")


@pytest.mark.slow
def test_a_server_started_early_is_the_one_the_workers_are_forked_from() -> None:
    """``start_server`` starts the fork server (preloading the models) before any pool; the pool
    started later forks its workers from it, warm. In a process of its own: the server is
    process-wide."""
    script = """
from multiprocessing import forkserver
from storyline.annotate import Annotator, pool
from storyline.model import Document
assert not pool._fork_server_running()
pool.start_server()
assert pool._fork_server_running() and pool.workers_start_warm()
server = forkserver._forkserver._forkserver_pid
pool.start_server()  # a second call starts nothing
assert forkserver._forkserver._forkserver_pid == server
docs = [Document(id=f"d{i}", text=f"Officials of town {i} met the minister in Paris.", source_id="t",
                 origin="t", language="en") for i in range(4)]
annotator = Annotator(workers=2)
try:
    annotator.annotate_many(docs)
    assert annotator.handover.pool.submit(pool.started_warm).result() is True
finally:
    annotator.close()
assert forkserver._forkserver._forkserver_pid == server
print("ok")
"""
    _alone(script, timeout=300)


@pytest.mark.slow
def test_too_few_documents_for_two_workers_go_to_one_forked_from_the_early_server(tmp_path: Path) -> None:
    """``analyze`` of one article, storyline choosing the workers: the server started before
    reading preloads the recogniser, one worker forked from it annotates, and this process loads
    no spaCy model (it loads the embedder meanwhile); the store is the one this process alone
    makes. ``compare`` of two files likewise. In a process of its own (the server is
    process-wide)."""
    article = CORPUS / "txt" / "putin-modi-delhi-summit-kudankulam.txt"
    other = CORPUS / "txt" / "modi-to-fly-to-sochi.txt"
    script = f"""
import sqlite3, storyline
from storyline import api, workers
from storyline.annotate import entities, shared_annotator
from storyline.annotate.events import parse
from storyline.config import IngestConfig
loads = []  # the spaCy models this process loads (the fork server is a process of its own)
for module in (entities, parse):
    module.load_model = lambda *a, load=module.load_model: loads.append(a[0]) or load(*a)
workers.available_cores = lambda: 2
workers.available_memory_mb = lambda: 64_000
config = IngestConfig(languages={TEST_LANGUAGES!r})
def rows(db):
    with sqlite3.connect(db) as con:
        return [con.execute(f"SELECT * FROM {{t}} ORDER BY 1, 2").fetchall()
                for t in ("entities", "entity_mentions", "time_expressions", "events")]
with storyline.open({str(tmp_path / "forked.db")!r}, config) as sl:
    sl.analyze({str(article)!r}, workers=None)
forked = api.compare_files({str(article)!r}, {str(other)!r}, config, workers=None)
from storyline.relate.pairs import Pair
texts = [open(p, encoding="utf-8").read() for p in ({str(article)!r}, {str(other)!r})]
pair = Pair("p", texts[0], texts[1], "en", "en")
compared = api.compare_pairs([pair], workers=None)
assert loads == [], loads
with storyline.open({str(tmp_path / "here.db")!r}, config) as sl:
    sl.analyze({str(article)!r}, workers=1)
assert len(loads) == 2 and shared_annotator().entities.loaded("en")  # this process annotated now
here = rows({str(tmp_path / "here.db")!r})
assert all(here) and rows({str(tmp_path / "forked.db")!r}) == here
alone = api.compare_files({str(article)!r}, {str(other)!r}, config)
assert forked.as_dict() == alone.as_dict()
assert compared[0].as_dict() == api.compare_pairs([pair], workers=1)[0].as_dict()
assert not api._one_forked_worker(1)  # this process has the recogniser now: it annotates itself
print("ok")
"""
    _alone(script, timeout=600)


@pytest.mark.slow
def test_a_server_started_early_is_stopped_with_the_process_even_while_it_loads(tmp_path: Path) -> None:
    """The server holds the command's output open while it runs: it must end with the command,
    even in the middle of its load (here one that would take ten minutes)."""
    (tmp_path / "slow_preload.py").write_text("import time\ntime.sleep(600)\n", encoding="utf-8")
    script = f"""
import sys
sys.path.insert(0, {str(tmp_path)!r})
from multiprocessing import forkserver
from storyline.annotate import pool
pool.PRELOAD_MODULE = "slow_preload"
pool.start_server()
server = forkserver._forkserver._forkserver_pid
import atexit, os
atexit._run_exitfuncs()  # what the interpreter runs as it ends
os.waitpid(server, 0)  # returns once the server has ended: at once, or after its ten minutes
print("ok")
"""
    _alone(script, timeout=120)


def test_analyze_starts_the_worker_server_before_it_reads_when_workers_are_its_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline import api
    from storyline.annotate import pool

    order: list[str] = []
    monkeypatch.setattr(pool, "start_server", lambda: order.append("server"))
    read = api.Storyline.ingest

    def ingest(self: api.Storyline, *args: object, **kwargs: object) -> object:
        order.append("read")
        return read(self, *args, **kwargs)

    monkeypatch.setattr(api.Storyline, "ingest", ingest)
    monkeypatch.setattr(workers, "available_cores", lambda: 2)
    monkeypatch.setattr(workers, "available_memory_mb", lambda: 64_000)
    text = tmp_path / "a.txt"
    text.write_text("Ministers met in Paris on Monday.\n\nThey agreed to meet again.\n", encoding="utf-8")
    config = IngestConfig(languages=TEST_LANGUAGES)
    with storyline.open(tmp_path / "a.db", config) as sl:
        sl.analyze(text, workers=1)  # the caller chose: no server
        assert order == ["read"]
        sl.analyze(text, workers=None)
        assert order == ["read", "server", "read"]
    monkeypatch.setattr(workers, "available_cores", lambda: 1)  # one core: workers never repay
    order.clear()
    with storyline.open(tmp_path / "b.db", config) as sl:
        sl.analyze(text, workers=None)
    assert order == ["read"]


def test_workers_forked_from_a_server_storyline_did_not_start_are_not_counted_warm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storyline.annotate import pool

    monkeypatch.setattr(pool, "_warm_workers", None)
    monkeypatch.setattr(pool, "_fork_server_running", lambda: True)
    pool._pool_context()
    assert pool.workers_start_warm() is False


def _pages(folder: Path, n: int) -> None:
    from .helpers import page

    folder.mkdir()
    for i in range(n):
        body = (
            f"The council of town {i} voted on Tuesday to rebuild bridge number {i} over the river, "
            f"after {i + 3} years of closures.\n\nEngineers said work on bridge {i} would start in the spring "
            f"and take {i % 5 + 2} months, with the road reopening before the winter."
        )
        (folder / f"page{i:03d}.html").write_bytes(page(f"Town {i} rebuilds its bridge", body))


def _stored(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT rowid, id, title, text FROM documents ORDER BY rowid").fetchall()


@pytest.mark.slow
def test_ingest_with_workers_stores_batches_in_input_order(tmp_path: Path) -> None:
    """Workers clean the next batch while this process stores the one before; what is stored,
    and in which order, is what one process stores."""
    _pages(tmp_path / "pages", 14)
    config = IngestConfig(languages=TEST_LANGUAGES, batch_size=2)
    one = storyline.open(tmp_path / "one.db").ingest(str(tmp_path / "pages"), config=config, workers=1)
    two = storyline.open(tmp_path / "two.db").ingest(str(tmp_path / "pages"), config=config, workers=2)
    assert one.stored == two.stored == 14 and one.stored_ids == two.stored_ids
    assert _stored(tmp_path / "one.db") == _stored(tmp_path / "two.db")


@pytest.mark.slow
def test_ingest_goes_on_in_this_process_when_its_workers_die(tmp_path: Path) -> None:
    import os
    import signal

    from storyline.pipeline import IngestPipeline

    _pages(tmp_path / "pages", 14)
    store = storyline.open(tmp_path / "s.db")
    pipeline = IngestPipeline(store.store, IngestConfig(languages=TEST_LANGUAGES, batch_size=2), workers=2)
    killed: list[int] = []

    def kill_workers(event: str, report: object) -> None:
        if event == "batch" and not killed and pipeline._pool is not None:
            killed.extend(pipeline._pool._processes)  # as if the system killed them for memory
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    report = pipeline.run([str(tmp_path / "pages")], progress=kill_workers)
    assert killed and pipeline._broken
    assert report.stored == 14 and report.failed == 0
    assert "ingest: clean" in report.stages  # the batches cleaned here are timed as such
    assert len(_stored(tmp_path / "s.db")) == 14


def test_a_pool_that_cannot_start_its_workers_leaves_the_batch_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storyline.annotate import Annotator, Job
    from storyline.annotate.pool import Handover

    def no_server(self: Handover, jobs: list[Job]) -> None:
        raise ConnectionRefusedError("the fork server is gone")  # what starting a worker raises then

    monkeypatch.setattr(Handover, "submit", no_server)
    annotator = Annotator(workers=2, events=False)
    jobs = [Job(f"Talks in Paris on Monday, round {i}.", None, False, "en") for i in range(4)]
    raws, times, _ = annotator._compute(jobs)  # annotated here instead, no traceback
    assert annotator.handover.broken and len(times) == 4 and all(times)
    assert raws == []  # (none of these texts was to be read by a recogniser)
