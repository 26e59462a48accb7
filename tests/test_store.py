from __future__ import annotations

import sqlite3
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
