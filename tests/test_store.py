from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StoreError, StoreLockedError, StoreSchemaError
from storyline.model import Document
from storyline.relate.dedup import Fingerprint
from storyline.store import DocumentQuery, SQLiteStore
from storyline.store.base import Sighting
from storyline.store.sqlite import fts_query
from storyline.store.sqlite.migrations import MIGRATIONS

from .test_model import documents


def _fp() -> Fingerprint:
    return Fingerprint(np.arange(128, dtype=np.uint32), [(0, 1), (1, 2)])


def test_migrations_are_named_recorded_and_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = SQLiteStore(path)
    assert store.migrations() == [name for name, _ in MIGRATIONS]
    store.close()
    store = SQLiteStore(path)  # reopening applies nothing twice
    assert store.migrations() == [name for name, _ in MIGRATIONS]
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO migrations VALUES ('9999_future', 'x')")
    with pytest.raises(StoreSchemaError, match="newer storyline"):
        SQLiteStore(path)


def test_not_a_store(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a storyline store"):
        SQLiteStore(bad)
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(tmp_path / "missing" / "x.db")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(documents, min_size=1, max_size=5, unique_by=lambda d: d.id))
def test_documents_round_trip_through_sqlite(docs: list[Document], tmp_path_factory: pytest.TempPathFactory) -> None:
    store = SQLiteStore(tmp_path_factory.mktemp("rt") / "s.db")
    store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
    for doc in docs:
        assert store.get(doc.id) == doc
    assert store.count(DocumentQuery()) == len(docs)
    store.add([(d, _fp()) for d in docs], [])  # adding again changes nothing
    assert store.count(DocumentQuery()) == len(docs)
    store.close()


@pytest.mark.parametrize(
    ("query", "fts"),
    [
        ("Sochi summit", '"Sochi" "summit"'),
        ("St. Petersburg", '"St" "Petersburg"'),
        ("S-400", '"S 400"'),
        ('"informal summit" Modi', '"informal summit" "Modi"'),
        ("Sochi OR Goa", '"Sochi" OR "Goa"'),
        ("Kudank*", '"Kudank"*'),
        ('unbalanced "quote', '"unbalanced" "quote"'),
        ("AND NOT ( ) :", '"AND" "NOT"'),
        ("OR", '"OR"'),
        ("", ""),
    ],
)
def test_fts_query_is_always_valid(query: str, fts: str) -> None:
    assert fts_query(query) == fts


@given(st.text(max_size=40))
def test_search_never_raises(query: str) -> None:
    store = SQLiteStore(":memory:")
    store.search(query)
    store.close()


def test_search_ranks_titles_and_snippets(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    a = Document(
        id="a" * 20,
        text="The leaders met in Sochi for an informal summit.",
        source_id="a",
        origin="a",
        title="Sochi summit",
    )
    b = Document(
        id="b" * 20, text="A cyclone hit the coast. Sochi was not affected.", source_id="b", origin="b", title="Cyclone"
    )
    store.add([(a, _fp()), (b, _fp())], [])
    hits = store.search("Sochi")
    assert [h.document.id for h in hits] == [a.id, b.id]
    assert "[Sochi]" in hits[0].snippet
    assert store.search('"informal summit"')[0].document.id == a.id
    assert store.search("nothing-like-this") == []
    store.close()


def test_single_writer_lock(tmp_path: Path) -> None:
    one, two = SQLiteStore(tmp_path / "s.db"), SQLiteStore(tmp_path / "s.db")
    with one.writer_lock(), pytest.raises(StoreLockedError, match="another storyline process"), two.writer_lock():
        pass
    with two.writer_lock():  # released
        pass
    one.close()
    two.close()


def test_resolve_prefix(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    docs = [Document(id=i, text="x", source_id=i, origin=i) for i in ("abcd1111", "abcd2222", "ffff0000")]
    store.add([(d, _fp()) for d in docs], [])
    assert store.resolve("ffff") == "ffff0000"
    assert store.resolve("abcd1") == "abcd1111"
    assert store.resolve("0000") is None
    with pytest.raises(StoreError, match="ambiguous"):
        store.resolve("abcd")
    store.close()


def test_search_ranks_a_bounded_window_of_the_newest_matches(
    analyzed_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.store.sqlite.store as sqlite_store
    from storyline.store import DocumentQuery

    store = sqlite_store.SQLiteStore(str(analyzed_corpus))
    try:
        everything, total = store.search_page("Modi", DocumentQuery(limit=100))
        assert total == len(everything) > 10
        monkeypatch.setattr(sqlite_store, "RANK_WINDOW", 5)
        ranked, same_total = store.search_page("Modi", DocumentQuery(limit=100))
        assert same_total == total and len(ranked) == 5
        rowid = {r[1]: r[0] for r in store._db.execute("SELECT rowid, id FROM documents")}
        newest = sorted((rowid[h.document.id] for h in everything), reverse=True)[:5]
        assert sorted(rowid[h.document.id] for h in ranked) == sorted(newest)
        assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)
    finally:
        store.close()


def test_serving_aggregates_follow_the_rows_they_count(analyzed_corpus: Path, tmp_path: Path) -> None:
    """The month counts of places and the index of who takes part in each happening agree with
    the mentions and happenings they summarise, after analysis and after annotating anew."""
    import shutil

    copy = tmp_path / "copy.db"
    shutil.copy(analyzed_corpus, copy)
    store = SQLiteStore(str(copy))
    db = store._db

    def places_agree() -> None:
        counted = db.execute(
            "SELECT name, lat, lon, sum(documents) FROM place_months GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ).fetchall()
        actual = db.execute(
            "SELECT name, lat, lon, count(DISTINCT doc_rowid) FROM place_mentions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ).fetchall()
        assert [tuple(r) for r in counted] == [tuple(r) for r in actual] and len(actual) > 10

    try:
        places_agree()
        indexed = {tuple(r) for r in db.execute("SELECT entity_id, cluster_id FROM cluster_entities")}
        expected = {
            (entity, cluster)
            for cluster, actors, countries in db.execute("SELECT id, actors, countries FROM clusters")
            for entity in {**json.loads(actors), **json.loads(countries)}
        }
        assert indexed == expected and len(expected) > 20
        # annotate a document anew, with one place fewer: the counts follow
        doc_id = db.execute(
            "SELECT d.id FROM documents d JOIN place_mentions p ON p.doc_rowid = d.rowid GROUP BY d.id "
            "HAVING count(DISTINCT p.name) > 1 LIMIT 1"
        ).fetchone()[0]
        ann = store.annotations(doc_id)
        store.add_annotations("again", [(doc_id, replace(ann, places=ann.places[1:]))])
        places_agree()
        store.add_annotations("again", [(doc_id, ann)])
        places_agree()
    finally:
        store.close()
