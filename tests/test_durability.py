"""Durability under kill -9: ``storyline ingest`` and ``analyze`` killed with SIGKILL, then run
again, leave a store that is intact, consistent and complete (the checks of
``benchmarks/durability.py``, which runs 100 rounds; here a handful). And the service under load
(``benchmarks/api_load.py`` measures it): a read costs no needless hop to a worker thread, and
ingests through the API run in a process of their own, which may be killed without loss."""

from __future__ import annotations

import importlib.util
import random
import shutil
import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("durability", ROOT / "benchmarks" / "durability.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["durability"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


durability = _load()


def _what(problems: list[Any]) -> list[str]:
    return [f"{p.kind}: {p.what} ({p.rows})" for p in problems]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The sample corpus copied, and the reference of two clean ingests of it (which must agree)."""
    work = tmp_path_factory.mktemp("durability")
    shutil.copytree(CORPUS, work / "corpus")
    return work, durability.reference_run("ingest", work / "corpus", work, 2, 1)


def test_ingest_killed_at_random_points_then_run_again_loses_nothing(ingested: tuple[Path, Any]) -> None:
    work, reference = ingested
    corpus = work / "corpus"
    assert len(reference.snapshot.documents) > 40  # the sample corpus: 44 articles, one an exact copy
    rng = random.Random(13)
    rounds = [
        durability.one_round(n, "ingest", corpus, work, reference, rng, kills=2, batch_size=2, workers=1)
        for n in (1, 2, 3)
    ]
    for r in rounds:
        assert [_what(k.problems) for k in r.kills] == [[] for _ in r.kills], r.number
        assert _what(r.problems) == [], r.number
        assert r.final_exit == 0
    # and one kill as soon as the first batch is committed: a store holding part of the corpus
    db = work / "targeted.db"
    line = durability.command_line("ingest", corpus, db, 2, 1)
    proc = durability.start(line, work / "targeted.log")
    killed = durability.kill_when(proc, db, (1, 0, 0))
    assert _what(durability.check(db)) == []
    code, _ = durability.run_to_end(line, work / "targeted.log")
    assert code == 0
    assert _what(durability.check(db, reference.snapshot, complete=True)) == []
    assert killed or any(k.killed for r in rounds for k in r.kills), "no kill landed while a run was going"


def test_analyze_killed_while_annotating_and_placing_then_run_again_is_complete(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("sochi-informal-summit-report.md", "goa-summit-agreements.txt", "modi-to-fly-to-sochi.txt"):
        shutil.copy(CORPUS / "txt" / name, corpus / name)
    # which documents a complete run stores comes from two clean ingests (cheap: no models)
    reference = durability.reference_run("ingest", corpus, tmp_path, 64, 1)
    db = tmp_path / "analyzed.db"
    line = durability.command_line("analyze", corpus, db, 64, 1)
    log = tmp_path / "analyze.log"
    # killed once the documents are stored (while the annotation models load or run), then once
    # they are annotated (while documents are placed in happenings): consistent after each kill
    rng = random.Random(5)
    for reached in ((1, 0, 0), (len(reference.snapshot.documents), 1, 0)):
        durability.kill_when(durability.start(line, log), db, reached, extra=rng.uniform(0, 0.5))
        assert _what(durability.check(db, analyzed=True)) == [], reached
    code, _ = durability.run_to_end(line, log)
    assert code == 0, log.read_text()
    assert _what(durability.check(db, reference.snapshot, complete=True, analyzed=True)) == []
    with sqlite3.connect(db) as conn:
        annotated, placed, events = conn.execute(
            "SELECT (SELECT count(*) FROM annotated), (SELECT count(*) FROM document_clusters), "
            "(SELECT count(*) FROM events)"
        ).fetchone()
    conn.close()
    assert annotated == placed == len(reference.snapshot.documents) == 3
    assert events > 0  # the summit reports have events, so the happening checks had rows to check


def test_the_checks_find_damage(ingested: tuple[Path, Any], tmp_path: Path) -> None:
    """The checks are not vacuous: a lost document, an index out of step, an orphan annotation
    and a counter out of step are each found."""
    work, reference = ingested
    clean = work / "reference-ingest.db"

    def damaged(sql: str) -> list[str]:
        db = tmp_path / f"damaged-{abs(hash(sql))}.db"
        src = sqlite3.connect(clean)
        dst = sqlite3.connect(db)
        src.backup(dst)
        src.close()
        dst.execute(sql)
        dst.commit()
        dst.close()
        return _what(durability.check(db, reference.snapshot, complete=True))

    first = "(SELECT min(rowid) FROM documents)"
    lost = damaged(f"DELETE FROM documents WHERE rowid = {first}")
    assert any(p.startswith("loss: documents missing") for p in lost)
    assert any("full-text rows of no document" in p for p in lost)
    unindexed = damaged(f"DELETE FROM documents_fts_docsize WHERE id = {first}")
    assert any("documents missing from the full-text index" in p for p in unindexed)
    orphan = damaged("INSERT INTO events VALUES ('e1', 999999, 0, 'CONSULT', NULL, NULL, 'occurred', NULL, NULL, "
                     "NULL, NULL, NULL, 0.5, '{}')")  # fmt: skip
    assert any("events of no document" in p for p in orphan)
    assert any("events of a document not marked annotated" in p for p in orphan)
    counted = damaged("INSERT INTO place_months VALUES ('2018-05', 'Sochi', 'RU', 43.6, 39.7, 1)")
    assert counted == ["inconsistency: map place counts out of step (1)"]


# -- the service: what keeps a read cheap under load (benchmarks/api_load.py measures it) ---------
@pytest.fixture(scope="module")
def served(analyzed_corpus: Path) -> Any:
    from fastapi.testclient import TestClient

    from storyline.config import ServerConfig
    from storyline.server.app import create_app

    with TestClient(
        create_app(analyzed_corpus, ServerConfig(token="durability-token")), raise_server_exceptions=False
    ) as c:
        yield c


def test_a_read_takes_one_worker_thread_hop_and_gives_its_store_back(served: Any, monkeypatch: Any) -> None:
    """Lending a store is done on the event loop: a read hops to a worker thread for its endpoint
    and for checking its answer against the response model (FastAPI's, for a sync endpoint), not
    also to enter and to leave the dependency lending it (two more hops, as a sync dependency
    costs); and sequential reads share one open store."""
    import anyio.to_thread

    served.get("/api/stats")  # a store is open and free
    hops: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(repr(func))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    for path in ("/api/stats", "/api/documents?limit=5", "/api/clusters?limit=5", "/api/timeline"):
        hops.clear()
        response = served.get(path)
        assert response.status_code == 200, response.text
        assert len(hops) == 2, (path, hops)
        assert not [h for h in hops if "__enter__" in h or "__exit__" in h], (path, hops)
    assert served.app.state.stores._free.qsize() == len(served.app.state.stores._open) == 1


def test_every_answer_says_the_page_loads_nothing_from_elsewhere(served: Any) -> None:
    for path, status in (
        ("/api/stats", 200),
        ("/api/documents/zzzz", 404),
        ("/api/documents?limit=0", 422),
        ("/", 200),
    ):
        response = served.get(path)
        assert response.status_code == status, path
        assert response.headers["Content-Security-Policy"] == "default-src 'self'; img-src 'self' data:", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
    denied = served.post("/api/ingest", json={"documents": [{"text": "x"}]})
    assert denied.status_code == 401
    assert denied.headers["X-Content-Type-Options"] == "nosniff"


def test_an_ingest_process_killed_mid_ingest_answers_busy_and_loses_nothing(
    analyzed_corpus: Path, tmp_path: Path
) -> None:
    """Ingests through the API run in a process of their own (so reads go on while models load
    and documents are annotated); killed with SIGKILL mid-ingest, the request answers 503, the
    store stays consistent, and the next ingest starts a new process and stores the document."""
    import os
    import signal
    import threading
    import time

    from fastapi.testclient import TestClient

    from storyline.config import ServerConfig
    from storyline.server.app import create_app

    db = tmp_path / "served.db"
    shutil.copy(analyzed_corpus, db)
    auth = {"X-API-Token": "durability-token"}
    body = {
        "documents": [
            {
                "title": "Modi and Putin meet in Kazan",
                "published": "2024-10-22",
                "text": "Prime Minister Narendra Modi met President Vladimir Putin in Kazan on Tuesday for talks on "
                "trade and energy, officials said. The two leaders agreed to expand cooperation.",
            }
        ]
    }
    answers: list[Any] = []
    with TestClient(create_app(db, ServerConfig(token="durability-token")), raise_server_exceptions=False) as c:
        before = c.get("/api/stats").json()["documents"]
        ingests = c.app.state.ingests  # type: ignore[attr-defined]
        posting = threading.Thread(target=lambda: answers.append(c.post("/api/ingest", json=body, headers=auth)))
        posting.start()
        while not ingests.pids() and posting.is_alive():
            time.sleep(0.01)
        pids = ingests.pids()
        assert pids and pids[0] != os.getpid()
        os.kill(pids[0], signal.SIGKILL)
        posting.join()
        assert answers[0].status_code == 503, answers[0].text
        assert answers[0].json()["error"]["code"] == "busy"
        assert c.get("/api/stats").json()["documents"] == before
        assert _what(durability.check(db, analyzed=True)) == []
        again = c.post("/api/ingest", json=body, headers=auth)
        assert again.status_code == 200, again.text
        assert again.json()["stored"] == 1 and ingests.pids() != pids
        assert c.get(f"/api/documents/{again.json()['stored_ids'][0]}").status_code == 200
    assert _what(durability.check(db, complete=True, analyzed=True)) == []


def test_comparisons_under_way_do_not_hold_the_threads_reads_need(served: Any, monkeypatch: Any) -> None:
    """Reads are served by a couple of threads (more only contend for the interpreter lock); a
    comparison runs the embedding models for seconds in threads of its own, so as many
    comparisons as there are read threads still leave reads answered."""
    import threading

    from storyline.api import Storyline
    from storyline.server.app import READ_THREADS

    release = threading.Event()
    started = threading.Semaphore(0)

    def held(self: Storyline, a: str, b: str) -> Any:
        started.release()
        release.wait(600)  # until the test is done (far longer than it waits for the read)
        raise ValueError("comparison stopped by the test")

    monkeypatch.setattr(Storyline, "compare", held)
    ids = [d["id"] for d in served.get("/api/documents", params={"limit": 2}).json()["items"]]
    comparing = [
        threading.Thread(target=served.get, args=("/api/compare",), kwargs={"params": {"a": ids[0], "b": ids[1]}})
        for _ in range(READ_THREADS)
    ]
    for t in comparing:
        t.start()
    try:
        for _ in comparing:
            assert started.acquire(timeout=60)
        answers: list[int] = []
        reading = threading.Thread(target=lambda: answers.append(served.get("/api/stats").status_code))
        reading.start()
        reading.join(timeout=30)
        assert answers == [200], "a read waited for the comparisons"
    finally:
        release.set()
        for t in comparing:
            t.join()
