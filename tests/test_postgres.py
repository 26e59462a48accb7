"""The PostgreSQL store on a throwaway server (tests/postgres_server.py): what it shares with the
SQLite store is tested in test_store.py and test_server.py over both backends; here, what is its
own: URLs and their errors, writers in many processes at once, the CLI with ``--db postgresql://``,
and the same analysis of the sample corpus in both backends."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli.app import app
from storyline.errors import StoreError, StoreLockedError
from storyline.model import Document
from storyline.relate.dedup import Fingerprint
from storyline.store import DocumentQuery, EventQuery, open_store
from storyline.store.base import Sighting
from storyline.store.filters import HappeningFilter
from storyline.store.urls import redact

from .conftest import CORPUS, ROOT
from .postgres_server import PASSWORD, PostgresServer

runner = CliRunner()


def _fp(n: int = 0) -> Fingerprint:
    return Fingerprint(np.arange(128, dtype=np.uint32) + n, [(0, n), (1, n + 1)])


def _doc(i: int, text: str | None = None) -> Document:
    return Document(id=f"{i:020x}", text=text or f"Document number {i} about Sochi.", source_id=str(i), origin=str(i))


def test_urls_are_redacted_for_messages() -> None:
    assert redact("postgresql://me:s3cret@db.example:5432/news") == "postgresql://me:***@db.example:5432/news"
    assert redact("postgres://me@host/news?password=s3cret&sslmode=require") == (
        "postgres://me@host/news?password=***&sslmode=require"
    )
    assert redact("postgresql:///news") == "postgresql:///news"
    assert redact("postgresql://me:pw@/news?host=/run/pg") == "postgresql://me:***@/news?host=/run/pg"
    assert redact("some/file.db") == "some/file.db"


def test_a_store_that_cannot_be_opened_is_named_without_its_password(postgres_server: PostgresServer) -> None:
    url = postgres_server.database()
    wrong = url.replace(PASSWORD, "not-the-password")
    with pytest.raises(StoreError) as caught:
        open_store(wrong)
    message = str(caught.value)
    assert "not-the-password" not in message and PASSWORD not in message
    assert message.startswith(url.replace(PASSWORD, "***")) and "password authentication failed" in message
    with pytest.raises(StoreError, match=r"postgresql://storyline:\*\*\*@127\.0\.0\.1:1/x: .*refused"):
        open_store("postgresql://storyline:secret@127.0.0.1:1/x")
    with pytest.raises(StoreError, match='database "nosuchdb" does not exist'):
        open_store(postgres_server.url("nosuchdb"))
    with pytest.raises(StoreError, match="no store backend for this URL scheme"):
        open_store("mysql://me:secret@host/db")
    with pytest.raises(StoreError, match="pass the URL as a str") as mangled:
        storyline.open(Path("postgresql://me:secret@host/db"))
    assert "secret" not in str(mangled.value)
    postgres_server.drop(url)


def test_without_psycopg_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith(("psycopg.", "storyline.store.postgres"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # imports of it fail
    with pytest.raises(StoreError, match=r"pip install 'storyline\[postgres\]'"):
        open_store("postgresql://me@localhost/db")


def test_stores_in_two_schemas_of_one_database_are_apart(postgres_server: PostgresServer) -> None:
    url = postgres_server.database()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA news")
    in_news = url + "?options=-csearch_path%3Dnews"
    one, two = open_store(url), open_store(in_news)
    one.add([(_doc(1), _fp())], [])
    assert one.count(DocumentQuery()) == 1 and two.count(DocumentQuery()) == 0
    with one.writer_lock(), two.writer_lock():  # each store has its own writer lock
        pass
    one.close()
    two.close()
    postgres_server.drop(url)


def test_writers_in_parallel_commit_one_after_another(postgres_url: str) -> None:
    """Write transactions of several stores (as of several processes) at once: each commits whole,
    none is lost, and each raises the generation once (a count read and written back)."""
    open_store(postgres_url).close()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def write(worker: int) -> None:
        store = open_store(postgres_url)
        try:
            start.wait()
            for batch in range(10):
                docs = [_doc(1000 * worker + 10 * batch + i) for i in range(5)]
                store.add([(d, _fp(worker)) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = open_store(postgres_url)
    assert store.count(DocumentQuery(limit=None)) == 4 * 10 * 5
    assert store.generation() == 4 * 10
    assert len(store.search("Sochi", limit=500)) == 200
    store.close()


def test_a_writer_waits_for_the_one_before_it_then_gives_up(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.store.postgres.db as pg

    one, two = open_store(postgres_url), open_store(postgres_url)
    monkeypatch.setattr(pg, "LOCK_WAIT", 1)
    with one.transaction():
        one.add([(_doc(1), _fp())], [])
        with pytest.raises(StoreLockedError, match="kept the store locked for 1 s"):
            two.add([(_doc(2), _fp())], [])
    two.add([(_doc(2), _fp())], [])  # free again
    assert two.count(DocumentQuery()) == 2
    # a whole ingest's writer lock is refused at once, and dies with its holder's connection
    locked = pytest.raises(StoreLockedError, match="another storyline process is writing")
    with one.writer_lock(), locked, two.writer_lock():
        pass
    one.close()
    with two.writer_lock():
        pass
    two.close()


def test_a_transaction_is_rolled_back_whole(postgres_url: str) -> None:
    store = open_store(postgres_url)
    with pytest.raises(RuntimeError), store.transaction():
        store.add([(_doc(1), _fp())], [])
        raise RuntimeError("stop")
    assert store.count(DocumentQuery()) == 0 and store.generation() == 0
    store.close()


def test_a_transaction_belongs_to_its_thread(postgres_url: str) -> None:
    """What a thread writes in a transaction it sees; another thread using the same store object
    reads on a connection of its own and does not, until the commit."""
    store = open_store(postgres_url)
    inside, read = threading.Event(), threading.Event()
    seen: list[int] = []

    def reader() -> None:
        inside.wait(10)
        seen.append(store.count(DocumentQuery()))
        read.set()

    thread = threading.Thread(target=reader)
    thread.start()
    with store.transaction():
        store.add([(_doc(1), _fp())], [])  # joins the open transaction
        assert store.count(DocumentQuery()) == 1
        inside.set()
        assert read.wait(10)
    thread.join()
    assert seen == [0] and store.count(DocumentQuery()) == 1 and store.generation() == 1
    store.close()


def test_the_cli_takes_a_postgresql_url(postgres_url: str, tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.rglob("*.txt") if p.is_file())[:3]
    args = ["--db", postgres_url, "--languages", "en,de,fr,es,tr", "--quiet", "--workers", "1"]
    result = runner.invoke(app, ["analyze", *(str(f) for f in files), *args])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["ls", "--db", postgres_url, "--json"])
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) >= 2
    stats = json.loads(runner.invoke(app, ["stats", "--db", postgres_url, "--json"]).stdout)
    assert stats["path"] == postgres_url.replace(PASSWORD, "***") and stats["documents"] >= 2
    found = runner.invoke(app, ["search", "the", "--db", postgres_url, "--json"])
    assert found.exit_code == 0 and found.stdout.strip()
    missing = runner.invoke(app, ["timeline", "--db", postgres_url, "-e", "Nobody Atall"])
    assert PASSWORD not in missing.output
    # the same from the environment, and a URL that cannot connect: exit 1, no password shown
    env = runner.invoke(app, ["stats", "--json"], env={"STORYLINE_DB": postgres_url})
    assert json.loads(env.stdout)["documents"] == stats["documents"]
    bad = runner.invoke(app, ["serve", "--db", postgres_url.replace(PASSWORD, "wrong-one")])
    assert bad.exit_code == 1 and "wrong-one" not in bad.output and "password authentication failed" in bad.output
    out = tmp_path / "docs.jsonl"
    assert runner.invoke(app, ["export", "--db", postgres_url, "-o", str(out)]).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == stats["documents"]


def test_two_ingests_in_two_processes_one_waits_its_turn(postgres_url: str) -> None:
    """Two `storyline ingest` at once on one store: one that comes while the other holds the
    writer lock is refused at once with its message (as with a SQLite file) and, run again,
    stores the rest."""
    files = [str(f) for f in sorted(p for p in CORPUS.rglob("*.txt") if p.is_file())[:6]]
    command = [sys.executable, "-m", "storyline.cli", "ingest", "--db", postgres_url, "--quiet", "--languages", "en,de"]
    runs = [
        subprocess.Popen([*command, *part], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for part in (files[:3], files[3:])
    ]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    for run, part, error in zip(runs, (files[:3], files[3:]), errors, strict=True):
        if run.returncode != 0:
            assert "another storyline process is writing to this store" in error, error
            assert PASSWORD not in error and postgres_url.replace(PASSWORD, "***") in error
            again = subprocess.run([*command, *part], cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert again.returncode == 0, again.stderr
    with storyline.open(postgres_url) as sl:
        assert sl.store.count(DocumentQuery(limit=None)) == 6


def _ids(found: list[Any]) -> list[str]:
    return [c.id for c in found]


def _clusters(store: Any) -> list[dict[str, Any]]:
    return [c.as_dict() for c in store.clusters(HappeningFilter(include_tentative=True), limit=None)]


def test_both_backends_hold_the_same_analysis(
    analyzed_corpus: Path, analyzed_postgres: str, postgres_server: PostgresServer
) -> None:
    """The sample corpus analysed into SQLite and into PostgreSQL: the same documents, entities,
    events, happenings, storylines, timelines, map, graph and search results."""
    copy = postgres_server.database(template=analyzed_postgres.rsplit("/", 1)[1])
    lite, pg = open_store(str(analyzed_corpus)), open_store(copy)
    try:
        _assert_same_store(lite, pg)
    finally:
        lite.close()
        pg.close()
        postgres_server.drop(copy)


def _assert_same_store(lite: Any, pg: Any) -> None:
    if True:
        every = DocumentQuery(limit=None)
        assert [d for d in lite.documents(every)] == [d for d in pg.documents(every)]
        assert [d.id for d in lite.iter_documents(every)] == [d.id for d in pg.iter_documents(every)]
        # pages (PostgreSQL reads a page's row ids from the order's index first), filtered or not
        for page in (DocumentQuery(limit=7, offset=0), DocumentQuery(limit=7, offset=30),
                     DocumentQuery(limit=5, offset=2, hide_duplicates=True, language="en")):  # fmt: skip
            assert [d.id for d in lite.documents(page)] == [d.id for d in pg.documents(page)] != []
        assert {k: v for k, v in lite.stats().items() if k != "path"} == {
            k: v for k, v in pg.stats().items() if k != "path"
        }
        for doc in lite.documents(every):
            assert lite.annotations(doc.id) == pg.annotations(doc.id)
            assert lite.sightings(doc.id) == pg.sightings(doc.id)
            assert lite.event_clusters(doc.id) == pg.event_clusters(doc.id)
        assert lite.entities(limit=None) == pg.entities(limit=None) and len(pg.entities(limit=None)) > 50
        assert lite.events(EventQuery(limit=None)) == pg.events(EventQuery(limit=None)) != []
        assert list(lite.iter_event_rows(EventQuery(limit=None))) == list(pg.iter_event_rows(EventQuery(limit=None)))
        assert _clusters(lite) == _clusters(pg) and len(_clusters(pg)) > 20
        assert lite.storylines(limit=None) == pg.storylines(limit=None) and pg.storylines(limit=None)
        assert lite.document_clusters() == pg.document_clusters()
        assert lite.entity_graph().as_dict() == pg.entity_graph().as_dict()
        modi = lite.entity_ids("Narendra Modi")
        assert modi == pg.entity_ids("Narendra Modi") and modi
        assert lite.entity_graph(modi, limit=10).as_dict() == pg.entity_graph(modi, limit=10).as_dict()
        for query in (EventQuery(entity="Putin", type="CONSULT"), EventQuery(date_from="2018-05", date_to="2018-06")):
            assert lite.count_events(query) == pg.count_events(query) > 0
        which = HappeningFilter.of(entity_ids=[modi], date_from="2018-01-01", date_to="2018-12-31")
        assert lite.count_clusters(which) == pg.count_clusters(which) > 0
        for which in (HappeningFilter(status=("planned",)), HappeningFilter(kind=("meeting",), min_sources=2)):
            assert _ids(lite.clusters(which, limit=None)) == _ids(pg.clusters(which, limit=None)) != []
            assert lite.count_clusters(which) == pg.count_clusters(which) > 0
        lite_map, pg_map = lite.map_points(), pg.map_points()
        assert sorted(p["name"] for p in lite_map["mentions"]) == sorted(p["name"] for p in pg_map["mentions"])
        assert {(p["lat"], p["lon"], p["events"]) for p in lite_map["events"]} == {
            (p["lat"], p["lon"], p["events"]) for p in pg_map["events"]
        }
        for query in ("Sochi", '"informal summit"', "Modi OR Putin", "Kudank*", "nuclear power"):
            lite_hits, pg_hits = lite.search_page(query, every), pg.search_page(query, every)
            assert lite_hits[1] == pg_hits[1] > 0, query
            assert {h.document.id: h.snippet for h in lite_hits[0]} == {h.document.id: h.snippet for h in pg_hits[0]}


def test_a_sqlite_store_copied_into_postgresql_holds_the_same_and_goes_on(
    analyzed_corpus: Path, postgres_url: str, tmp_path: Path
) -> None:
    """`storyline copy` moves the analysed sample store into PostgreSQL: every listing the same as
    in the SQLite file, and the copy takes new articles (its row counters moved past the copied
    rows) as the original does."""
    source = tmp_path / "source.db"
    source.write_bytes(analyzed_corpus.read_bytes())
    result = CliRunner().invoke(app, ["copy", str(source), postgres_url, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"]["documents"] == report["rows"]["document_search"] > 40
    assert report["rows"]["clusters"] > 20 and report["rows"]["document_vectors"] > 40
    lite, pg = open_store(str(source)), open_store(postgres_url)
    try:
        _assert_same_store(lite, pg)
    finally:
        lite.close()
        pg.close()
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "Putin and Modi meet again in Vladivostok\n\nVLADIVOSTOK, Sept 4, 2019 - Russian President Vladimir "
        "Putin met Indian Prime Minister Narendra Modi on Wednesday in Vladivostok, where they signed "
        "agreements on energy and shipping.\n"
    )
    for location in (str(source), postgres_url):
        with storyline.open(location) as sl:
            report = sl.analyze([extra])
            assert report.stored == 1 and report.annotated == 1
    lite, pg = open_store(str(source)), open_store(postgres_url)
    try:
        _assert_same_store(lite, pg)
    finally:
        lite.close()
        pg.close()
    # a second copy into the same database is refused, and the store is left as it was
    again = CliRunner().invoke(app, ["copy", str(source), postgres_url])
    assert again.exit_code == 1 and "already holds documents" in again.stderr


def test_copy_says_what_it_cannot_copy(tmp_path: Path, postgres_url: str) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["copy", str(tmp_path / "none.db"), postgres_url])
    assert missing.exit_code == 1 and "none.db: no such store file" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    to_file = runner.invoke(app, ["copy", str(tmp_path / "none.db"), str(tmp_path / "other.db")])
    assert to_file.exit_code == 1 and "must be a postgresql:// URL" in to_file.stderr
    out_of_pg = runner.invoke(app, ["copy", postgres_url, str(tmp_path / "other.db")])
    assert out_of_pg.exit_code == 1 and "not supported" in out_of_pg.stderr and PASSWORD not in out_of_pg.stderr


def test_many_api_servers_read_one_store_and_see_each_others_writes(postgres_url: str) -> None:
    """Two servers over one database: a write by anyone shows in both (their caches of whole-store
    aggregates are kept against the store's generation, read from the database)."""
    from fastapi.testclient import TestClient

    from storyline.server.app import create_app

    writer = open_store(postgres_url)
    writer.add([(_doc(1), _fp())], [])
    with TestClient(create_app(postgres_url)) as one, TestClient(create_app(postgres_url)) as two:
        assert one.get("/api/stats").json()["documents"] == two.get("/api/stats").json()["documents"] == 1
        writer.add([(_doc(2, "Another document about Sochi and Kazan."), _fp(1))], [])
        assert one.get("/api/stats").json()["documents"] == two.get("/api/stats").json()["documents"] == 2
        assert one.get("/api/search", params={"q": "kazan"}).json()["total"] == 1
        assert two.get("/api/documents/" + _doc(2).id).json()["id"] == _doc(2).id
        missing = two.get("/api/documents/ffffffffffffffff").json()
        assert PASSWORD not in json.dumps(missing)
    writer.close()


def test_a_copy_takes_the_kept_happening_index_with_it(
    analyzed_corpus: Path, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy holds the same vectors, so the happening index kept for the SQLite store is kept
    for the copy too: its first placement reads it instead of building it."""
    from storyline.cluster import Clusterer
    from storyline.config import ClusterConfig
    from storyline.store.transfer import copy_store

    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
    always = ClusterConfig(index_cache_from=1, index_save_min=1, index_save_share=0.0)
    source = tmp_path / "source.db"
    source.write_bytes(analyzed_corpus.read_bytes())
    lite = open_store(str(source))
    try:
        kept = Clusterer(lite, always)
        size = len(kept.index)
        assert kept.save_index() and size > 40
    finally:
        lite.close()
    report = copy_store(str(source), postgres_url)
    assert report["happening_indexes"] == 2  # the index and its ids
    pg = open_store(postgres_url)
    try:
        first = Clusterer(pg, always)
        assert len(first.index) == size and first.index_source == f"cache ({size:,} kept, 0 added)"
    finally:
        pg.close()
