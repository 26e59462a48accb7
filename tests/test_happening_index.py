"""The happening index (faiss HNSW over the document vectors) kept in the cache folder: a new
process reads it back instead of building it, brings it up to date with the store, and never
trusts a damaged or mismatched file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import storyline
from storyline.cluster import VECTOR_MODEL, Clusterer
from storyline.config import ClusterConfig
from storyline.store import SQLiteStore

#: Keep every index, whatever its size, and write it again after any addition.
ALWAYS = ClusterConfig(index_cache_from=1, index_save_min=1, index_save_share=0.0)


@pytest.fixture
def store_copy(analyzed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "corpus.db"
    path.write_bytes(analyzed_corpus.read_bytes())
    return path


def _neighbours(clusterer: Clusterer, vectors: np.ndarray) -> list[list[str]]:
    return [[d for d, _ in clusterer.index.search(v, 5)] for v in vectors]


def test_a_kept_index_is_read_back_and_finds_the_same_neighbours(store_copy: Path, tmp_path: Path) -> None:
    store = SQLiteStore(store_copy)
    try:
        ids, vectors, _ = store.vectors(VECTOR_MODEL, 384)
        assert len(ids) > 40
        first = Clusterer(store, ALWAYS)
        assert first.index_source == "" and first.index is not None
        assert first.index_source == f"built ({len(ids):,})"
        assert first.save_index() is True  # built here: kept for the next process
        assert first.save_index() is False  # nothing added since
        kept = list((tmp_path / "cache" / "happening-index").iterdir())
        assert sorted(p.suffix for p in kept) == [".faiss", ".json"]

        second = Clusterer(store, ALWAYS)
        assert second.index_source == "" and len(second.index) == len(ids)
        assert second.index_source == f"cache ({len(ids):,} kept, 0 added)"
        assert _neighbours(second, vectors) == _neighbours(first, vectors)
        # a default configuration does not keep an index of 44 vectors
        assert Clusterer(store).save_index() is False
    finally:
        store.close()


def test_the_kept_index_follows_the_store(store_copy: Path, tmp_path: Path) -> None:
    """Documents added since the index was kept are added to it; documents whose vector is gone
    are never returned again."""
    store = SQLiteStore(store_copy)
    try:
        first = Clusterer(store, ALWAYS)
        _ = first.index
        assert first.save_index()
        ids, vectors, _ = store.vectors(VECTOR_MODEL, 384)
        dropped = ids[3]
        store._db.execute(
            "DELETE FROM document_vectors WHERE doc_rowid = (SELECT rowid FROM documents WHERE id = ?)", (dropped,)
        )
    finally:
        store.close()
    article = tmp_path / "vladivostok.txt"
    article.write_text(
        "Putin and Modi meet in Vladivostok\n\nVLADIVOSTOK, Sept 4, 2019 - Russian President Vladimir Putin met "
        "Indian Prime Minister Narendra Modi on Wednesday in Vladivostok, where the two leaders signed agreements "
        "on energy, shipping and defence.\n"
    )
    with storyline.open(store_copy) as sl:
        assert sl.analyze(article).clustered == 1
    store = SQLiteStore(store_copy)
    try:
        now = Clusterer(store, ALWAYS)
        assert len(now.index) == len(ids) + 1
        assert now.index_source == f"cache ({len(ids):,} kept, 1 added)"
        every = np.vstack([vectors, store.vectors(VECTOR_MODEL, 384)[1]])
        found = {d for row in _neighbours(now, every) for d in row}
        assert dropped not in found and len(found) > 40
        assert now.index.search(vectors[3], 5)[0][0] != dropped
    finally:
        store.close()


def test_a_damaged_or_mismatched_kept_index_is_built_again(store_copy: Path, tmp_path: Path) -> None:
    store = SQLiteStore(store_copy)
    try:
        first = Clusterer(store, ALWAYS)
        n = len(first.index)
        assert first.save_index()
        folder = tmp_path / "cache" / "happening-index"
        ids_file = next(folder.glob("*.ids.json"))
        ids_file.write_text('{"ids": ["only-one"], "gone": []}')  # disagrees with the index's size
        again = Clusterer(store, ALWAYS)
        assert len(again.index) == n and again.index_source == f"built ({n:,})"
        next(folder.glob("*.faiss")).write_bytes(b"not an index")
        assert Clusterer(store, ALWAYS).index_source == "" and len(Clusterer(store, ALWAYS).index) == n
    finally:
        store.close()


def test_each_store_has_its_own_identity(tmp_path: Path) -> None:
    one, two = SQLiteStore(tmp_path / "a.db"), SQLiteStore(tmp_path / "b.db")
    try:
        assert one.store_id() == one.store_id() != two.store_id()
        assert len(one.store_id()) == 32
    finally:
        one.close()
        two.close()
