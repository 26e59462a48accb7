"""The happening index (faiss HNSW over the document vectors) kept in the cache folder: a new
process reads it back instead of building it, brings it up to date with the store, and never
trusts a damaged or mismatched file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

import storyline
from storyline.cluster import VECTOR_MODEL, Clusterer, DocumentIndex
from storyline.config import ClusterConfig
from storyline.model import Document
from storyline.model.annotations import Annotations
from storyline.store import SQLiteStore, open_store
from storyline.store.base import Sighting, Store

from .postgres_server import Backend
from .test_store import _fp

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


def _unit(rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(size=384).astype(np.float32)
    return v / np.linalg.norm(v)


def _stored(store: Store) -> set[str]:
    return set(store.vectors(VECTOR_MODEL, 384)[0])


def test_the_kept_index_is_brought_up_to_date_from_what_changed(
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Vectors placed since the index was kept are read by rowid, without listing every stored
    document; a removal (a vector replaced by one of another model, or a reset) or a vector placed
    below the kept mark makes the whole comparison, so the index always holds what one built from
    the store would."""
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
    store = open_store(backend.location())
    try:
        docs = [Document(id=f"d{i:02}", text=f"text {i}", source_id=str(i), origin="t") for i in range(70)]
        store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        rng = np.random.default_rng(5)

        def place(*numbers: int, model: str = VECTOR_MODEL, vector: np.ndarray | None = None) -> None:
            with store.transaction():
                for i in numbers:
                    store.add_vector(f"d{i:02}", model, _unit(rng) if vector is None else vector)

        listed: list[str] = []
        every = store.vector_ids
        monkeypatch.setattr(store, "vector_ids", lambda model: listed.append(model) or every(model))

        def reopened(source: str, *, compared: bool) -> Clusterer:
            listed.clear()
            now = Clusterer(store, ALWAYS)
            built = DocumentIndex()
            built.add(*store.vectors(VECTOR_MODEL, 384)[:2])
            assert now.index.live() == built.live() == _stored(store)  # as one built from the store
            assert {now.index.ids[i] for i in now.index.gone}.isdisjoint(built.ids)
            assert now.index_source == source and listed == ([VECTOR_MODEL] if compared else [])
            return now

        place(*(i for i in range(40) if i not in (5, 7)))
        first = Clusterer(store, ALWAYS)
        assert len(first.index) == 38 and first.save_index()

        place(*range(40, 50))  # placed since: above the kept mark, read alone
        second = reopened("cache (38 kept, 10 added)", compared=False)
        assert second.save_index()

        # one vector replaced by another model's and one placed below the mark: the count of
        # vectors is as before, the store's count of removals is not
        place(3, model="other-model")
        place(7, *range(50, 53))
        place(60, vector=np.ones(8, dtype=np.float32))  # damaged: left out, said again by each process
        third = reopened("cache (48 kept, 4 added)", compared=True)
        assert "d03" in third.index.ids and "d03" not in third.index.live()
        assert any(n.startswith("d60: stored") for n in third.notes) and third.save_index()

        fourth = reopened("cache (52 kept, 0 added)", compared=False)
        assert any(n.startswith("d60: stored") for n in fourth.notes)
        place(60)  # mended
        place(61, 62)  # above the mark (d60 is the highest stored)
        fifth = reopened("cache (52 kept, 3 added)", compared=False)
        assert fifth.notes == [] and fifth.save_index()

        place(5)  # below the mark alone (as another process placing meanwhile): the count tells
        reopened("cache (55 kept, 1 added)", compared=True)

        # a reset forgets every vector: the kept index is built again
        place(*range(10))  # (not kept since the last save)
        with store.transaction():
            store.reset_placements("another version")
        place(1, 2)
        reopened("built (2)", compared=True)
    finally:
        store.close()


def test_a_kept_index_of_an_older_storyline_is_compared_whole(store_copy: Path, tmp_path: Path) -> None:
    store = SQLiteStore(store_copy)
    try:
        first = Clusterer(store, ALWAYS)
        n = len(first.index)
        assert first.save_index()
        ids_file = next((tmp_path / "cache" / "happening-index").glob("*.ids.json"))
        kept = json.loads(ids_file.read_text())
        assert kept["sync"]["model"] == VECTOR_MODEL and kept["sync"]["after"] > 0
        ids_file.write_text(json.dumps({"ids": kept["ids"], "gone": kept["gone"]}))  # as written before marks
        listed: list[str] = []
        every = store.vector_ids
        store.vector_ids = lambda model: listed.append(model) or every(model)  # type: ignore[method-assign]
        again = Clusterer(store, ALWAYS)
        assert len(again.index) == n and again.index_source == f"cache ({n:,} kept, 0 added)"
        assert listed == [VECTOR_MODEL] and again.index.live() == _stored(store)
    finally:
        store.close()


@pytest.mark.parametrize("gone_share", [0.0, 0.1, 0.6, 0.99])
def test_search_skips_gone_documents_and_still_finds_k(gone_share: float) -> None:
    """The nearest documents not gone, as many as asked for while enough are left, whatever share
    of the index is gone (the search asks for more only when the first answer is too thin)."""
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(400, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = DocumentIndex(search=400)  # wide enough that HNSW is exact on 400 vectors
    index.add([f"d{i}" for i in range(400)], vectors)
    gone = {f"d{i}" for i in rng.choice(400, int(400 * gone_share), replace=False)}
    index.forget(gone)
    live = [i for i in range(400) if f"d{i}" not in gone]
    for q in rng.choice(400, 5, replace=False):
        found = index.search(vectors[q], 10)
        scores = vectors[live] @ vectors[q]
        expected = [f"d{live[i]}" for i in np.argsort(-scores)[:10]]
        assert [d for d, _ in found] == expected


def test_placement_reads_the_members_vectors_the_store_holds_now(store_copy: Path) -> None:
    """A candidate happening's members come with the vectors the store holds for them now, not the
    ones a kept index holds: a document placed again with a new vector keeps its row, and an index
    read back from the cache does not see the change."""
    store = SQLiteStore(store_copy)
    try:
        ids, vectors, _ = store.vectors(VECTOR_MODEL, 384)
        stored = dict(zip(ids, vectors, strict=True))
        clusterer = Clusterer(store, ALWAYS)
        assert clusterer.index is not None and clusterer.save_index()
        happenings = sorted({h for h in (clusterer.happening_of(d) for d in ids) if h is not None})
        profiled = clusterer.member_profiles(happenings, 32)
        members = [p for group in profiled.values() for p in group]
        assert len(members) == len(ids) > 40
        for p in members:
            np.testing.assert_array_equal(p.vector, stored[p.doc_id])
        with sqlite3.connect(store_copy) as db:
            stored_profiles = dict(
                db.execute(
                    "SELECT d.id, p.data FROM documents d JOIN document_profiles p ON p.doc_rowid = d.rowid"
                ).fetchall()
            )
        assert all(p.terms == json.loads(stored_profiles[p.doc_id])["terms"] for p in members)

        changed = members[0].doc_id
        new = _unit(np.random.default_rng(3))
        with store.transaction():
            store.add_vector(changed, VECTOR_MODEL, new)
        again = Clusterer(store, ALWAYS)
        kept = again.index  # read back from the cache: it still holds the vector placed before
        assert again.index_source.startswith("cache")
        row = max(i for i, d in enumerate(kept.ids) if d == changed)
        assert not np.array_equal(kept.index.reconstruct(row), new)
        now = {p.doc_id: p for group in again.member_profiles(happenings, 32).values() for p in group}
        np.testing.assert_array_equal(now[changed].vector, new)
        # the first clusterer keeps the members it parsed, but uses one again only while the store
        # holds the same profile and vector: it reads both changes too
        mine = {p.doc_id: p for group in clusterer.member_profiles(happenings, 32).values() for p in group}
        np.testing.assert_array_equal(mine[changed].vector, new)
        unchanged = members[1]
        assert mine[unchanged.doc_id] is unchanged  # parsed once
        with store.transaction():
            store.add_profile(unchanged.doc_id, {"terms": {"flood": 2}})
        mine = {p.doc_id: p for group in clusterer.member_profiles(happenings, 32).values() for p in group}
        assert mine[unchanged.doc_id].terms == {"flood": 2}
        np.testing.assert_array_equal(mine[unchanged.doc_id].vector, unchanged.vector)

        largest = max(profiled, key=lambda h: len(profiled[h]))
        assert len(profiled[largest]) >= 2
        # the latest placed first, as many as asked
        latest = clusterer.member_profiles([largest], 1)[largest]
        assert [p.doc_id for p in latest] == [profiled[largest][0].doc_id]
    finally:
        store.close()


def test_a_happenings_latest_members_come_with_their_profiles(backend: Backend) -> None:
    """What placement reads of a candidate happening, on either store: the profiles of its latest
    documents, the latest first, as many as asked; one without a profile counts toward the limit
    but is left out."""
    store = open_store(backend.location())
    try:
        docs = [Document(id=f"m{i}", text=f"text {i}", source_id=str(i), origin="t") for i in range(5)]
        store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        with store.transaction():
            for i in range(4):
                store.set_document_cluster(f"m{i}", "H1", "model")
            store.set_document_cluster("m4", "H2", "alone")
            for i in (0, 1, 3, 4):
                store.add_profile(f"m{i}", {"terms": {f"t{i}": 1}})
            vector = np.arange(384, dtype=np.float32)
            store.add_vector("m3", VECTOR_MODEL, vector)
            store.add_vector("m1", "another-model", vector)
        got = store.happening_profiles(["H1", "H2", "H3", "H1"], 3, VECTOR_MODEL)
        assert list(got) == ["H1", "H2", "H3"]
        # m3, m2 and m1 are the latest three; m2 has no profile; m1 no vector of this model
        assert [d for d, _, _ in got["H1"]] == ["m3", "m1"]
        assert json.loads(got["H1"][0][1])["terms"] == {"t3": 1} and got["H1"][0][2] == vector.tobytes()
        assert got["H1"][1][2] is None
        assert [d for d, _, _ in got["H2"]] == ["m4"] and got["H3"] == []
    finally:
        store.close()


def test_a_document_placed_again_is_found_by_its_new_vector_only(
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document annotated anew keeps its row and is placed again with a new vector: the index
    forgets the old one (else the document is returned twice, once by a vector the store no longer
    holds), and is kept again at once, however little was added, so the next process does not read
    back the old one."""
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
    rarely = ClusterConfig(index_cache_from=1, index_save_min=10**6, index_save_share=0.0)
    store = open_store(backend.location())
    try:
        docs = [Document(id=f"r{i:02}", text=f"text {i}", source_id=str(i), origin="t") for i in range(30)]
        store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        rng = np.random.default_rng(11)
        old = {d.id: _unit(rng) for d in docs}
        first = Clusterer(store, ALWAYS)
        first.prepare()  # this placement's version recorded: what the next clusterer finds its index by
        with store.transaction():
            for d in docs:
                assert store.add_vector(d.id, VECTOR_MODEL, old[d.id]) is False  # none before
        _ = first.index
        assert first.save_index()

        again = Clusterer(store, rarely, embed=lambda texts: np.stack([new for _ in texts]))
        new = _unit(rng)
        assert again.index_source == "" and len(again.index) == 30
        store.add_annotations("test", [("r07", Annotations())])  # annotated anew: placed again
        # waiting to be placed, it is in no happening: its old vector is no neighbour meanwhile
        again._forget_pending()
        assert "r07" not in again.index.live() and len(again.index.live()) == 29
        placed = again.run()
        assert [p.document_id for p in placed] == ["r07"]

        def rows(index: DocumentIndex) -> list[np.ndarray]:
            return [index.index.reconstruct(i) for i, d in enumerate(index.ids) if d == "r07" and i not in index.gone]

        following = Clusterer(store, rarely)
        for index in (again.index, following.index):  # this process, and the next
            assert (index is again.index) or following.index_source.startswith("cache")
            assert len(rows(index)) == 1
            np.testing.assert_array_equal(rows(index)[0], new)
            assert [d for d, _ in index.search(old["r07"], 30)].count("r07") == 1
    finally:
        store.close()


def test_an_index_keeps_only_each_documents_latest_vector() -> None:
    """Rows of a document added twice (an index kept before a document placed again lost its
    old row): all but the last are marked gone; forgetting later finds the rows added since."""
    rng = np.random.default_rng(21)
    a1, b, a2, c = (_unit(rng) for _ in range(4))
    index = DocumentIndex()
    index.add(["a", "b", "a"], np.stack([a1, b, a2]))
    assert [d for d, _ in index.search(a1, 3)].count("a") == 2
    assert index.keep_latest() == 1 and index.gone == {0}
    assert index.keep_latest() == 0
    assert [d for d, _ in index.search(a1, 3)].count("a") == 1
    index.forget(["new"])  # held by none of its rows: nothing listed, nothing gone
    assert index._rows is None and index.gone == {0}
    index.forget(["b"])  # lists each document's rows; the next additions join the list
    index.add(["c", "b"], np.stack([c, b]))
    index.forget(["b", "c"])
    assert index.gone == {0, 1, 3, 4} and index.live() == {"a"}


def test_an_index_mostly_placed_again_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once more than a tenth of an index is gone, the next process builds it anew; so it is not
    written, and what was kept is removed (else it would be read back with the replaced vectors)."""
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
    store = open_store(str(tmp_path / "s.db"))
    try:
        docs = [Document(id=f"q{i:02}", text=f"text {i}", source_id=str(i), origin="t") for i in range(20)]
        store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        rng = np.random.default_rng(4)
        first = Clusterer(store, ALWAYS)
        first.prepare()
        with store.transaction():
            for d in docs:
                store.add_vector(d.id, VECTOR_MODEL, _unit(rng))
        _ = first.index
        assert first.save_index()
        kept = sorted((tmp_path / "cache" / "happening-index").iterdir())
        assert len(kept) == 2

        again = Clusterer(store, ALWAYS, embed=lambda texts: np.stack([_unit(rng) for _ in texts]))
        store.add_annotations("test", [(f"q{i:02}", Annotations()) for i in range(5)])
        assert len(again.run()) == 5
        assert len(again.index.gone) == 5 and not any(p.exists() for p in kept)
        following = Clusterer(store, ALWAYS)
        assert following.index is not None and following.index_source == "built (20)"
    finally:
        store.close()
