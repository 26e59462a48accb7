from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import StoreError, StoreLockedError, StoreSchemaError
from storyline.model import Document
from storyline.relate.dedup import Fingerprint
from storyline.store import DocumentQuery, SQLiteStore, open_store
from storyline.store.base import Sighting
from storyline.store.postgres.search import text_query
from storyline.store.sqlite import fts_query
from storyline.store.sqlite.migrations import MIGRATIONS

from .postgres_server import Analyzed, Backend
from .test_model import documents


def _fp() -> Fingerprint:
    return Fingerprint(np.arange(128, dtype=np.uint32), [(0, 1), (1, 2)])


def test_migrations_are_named_recorded_and_applied_once(backend: Backend) -> None:
    # both backends record the same named migrations (PostgreSQL's make the same changes in its terms)
    store = open_store(backend.location())
    assert store.migrations() == [name for name, _ in MIGRATIONS]  # type: ignore[attr-defined]
    assert backend.rows(store, "SELECT count(*) FROM migrations") == [(len(MIGRATIONS),)]
    store.close()
    store = open_store(backend.location())  # reopening applies nothing twice
    assert store.migrations() == [name for name, _ in MIGRATIONS]  # type: ignore[attr-defined]
    if backend.name == "sqlite":
        assert backend.rows(store, "PRAGMA journal_mode") == [("wal",)]
    store.close()


def test_store_from_a_newer_version_is_refused(backend: Backend) -> None:
    store = open_store(backend.location())
    with store.transaction():
        if backend.name == "sqlite":
            store._db.execute("INSERT INTO migrations VALUES ('9999_future', 'x')")  # type: ignore[attr-defined]
        else:
            store._run("INSERT INTO migrations VALUES ('9999_future', 'x')")  # type: ignore[attr-defined]
    store.close()
    with pytest.raises(StoreSchemaError, match="newer storyline"):
        open_store(backend.location())


def test_not_a_store(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a storyline store"):
        SQLiteStore(bad)
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(tmp_path / "missing" / "x.db")


@pytest.mark.parametrize(
    ("tables", "named"),
    [
        (["CREATE TABLE customers (id INTEGER, name TEXT)", "INSERT INTO customers VALUES (1, 'Ada')"], "customers"),
        # another program's own "migrations" table (Laravel's columns) is not taken for ours
        (["CREATE TABLE migrations (id INTEGER PRIMARY KEY, migration TEXT, batch INTEGER)",
          "CREATE TABLE users (id INTEGER)"], "migrations, users"),
    ],
)  # fmt: skip
def test_a_database_of_another_program_is_refused_untouched(tmp_path: Path, tables: list[str], named: str) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        for statement in tables:
            db.execute(statement)
    before = other.read_bytes()
    with pytest.raises(StoreError, match=rf"not a storyline store \(a database of another program: tables {named}\)"):
        SQLiteStore(other)
    assert other.read_bytes() == before  # no table added, the journal mode unchanged
    assert not (tmp_path / "other.db-wal").exists()
    SQLiteStore(tmp_path / "new.db").close()  # an empty or new file becomes a store
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    SQLiteStore(empty).close()


def _nul_free(doc: Document) -> bool:
    """PostgreSQL's text holds no U+0000 (the store writes U+FFFD in its place: see
    test_postgres_writes_nul_as_the_replacement_character)."""
    p = doc.published
    values = (
        doc.id, doc.text, doc.source_id, doc.origin, doc.title, doc.url, doc.source, doc.author, *doc.captions,
        *doc.credits, *doc.boilerplate, *doc.notes, p.raw if p else None,
    )  # fmt: skip
    return not any(v and "\x00" in v for v in values)


def test_documents_round_trip_through_the_store(backend: Backend, tmp_path: Path) -> None:
    # a new SQLite file for each example; one PostgreSQL database emptied before each (a new
    # database per example would cost a second)
    store = open_store(backend.location())
    files = itertools.count()

    @settings(max_examples=40)
    @given(docs=st.lists(documents, min_size=1, max_size=5, unique_by=lambda d: d.id))
    def round_trip(docs: list[Document]) -> None:
        nonlocal store
        if backend.name == "postgres":
            store._run("TRUNCATE documents, document_search, sightings, lsh_bands")  # type: ignore[attr-defined]
            docs = [d for d in docs if _nul_free(d)]
        else:
            store.close()
            store = open_store(str(tmp_path / f"rt{next(files)}.db"))
        store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        for doc in docs:
            assert store.get(doc.id) == doc
        assert store.count(DocumentQuery()) == len(docs)
        store.add([(d, _fp()) for d in docs], [])  # adding again changes nothing
        assert store.count(DocumentQuery()) == len(docs)
        assert [s.doc_id for d in docs for s in store.sightings(d.id)] == [d.id for d in docs]

    try:
        round_trip()
    finally:
        store.close()


def test_postgres_writes_nul_as_the_replacement_character(backend: Backend) -> None:
    store = open_store(backend.location())
    doc = Document(id="e" * 20, text="a\x00b", source_id="x\x00", origin="o", title="t\x00")
    store.add([(doc, _fp())], [Sighting(doc.id, doc.source_id, doc.origin)])
    stored = store.get(doc.id)
    expected = doc if backend.name == "sqlite" else replace(doc, text="a\ufffdb", source_id="x\ufffd", title="t\ufffd")
    assert stored == expected
    assert store.sightings(doc.id)[0].source_id == expected.source_id
    assert store.resolve("x\x00") is None and store.entity_ids("\x00") == []  # looked up, not refused
    store.close()


@pytest.mark.parametrize(
    ("query", "fts", "tsquery"),
    [
        ("Sochi summit", '"Sochi" "summit"', "'sochi' & 'summit'"),
        ("St. Petersburg", '"St" "Petersburg"', "'st' & 'petersburg'"),
        ("S-400", '"S 400"', "('s' <-> '400')"),
        ('"informal summit" Modi', '"informal summit" "Modi"', "('informal' <-> 'summit') & 'modi'"),
        ("Sochi OR Goa", '"Sochi" OR "Goa"', "'sochi' | 'goa'"),
        ("Kudank*", '"Kudank"*', "'kudank':*"),
        ('unbalanced "quote', '"unbalanced" "quote"', "'unbalanced' & 'quote'"),
        ("AND NOT ( ) :", '"AND" "NOT"', "'and' & 'not'"),
        ("OR", '"OR"', "'or'"),
        ("Erdoğan", '"Erdoğan"', "'erdogan'"),
        ("", "", ""),
    ],
)
def test_fts_query_is_always_valid(query: str, fts: str, tsquery: str) -> None:
    # the same reading of a query for SQLite's FTS5 and PostgreSQL's tsquery
    assert fts_query(query) == fts
    assert text_query(query).tsquery == tsquery


_QUERY_BITS = ['"', "OR", "*", "-", "(", "NOT", "Sochi", "'", ":", "\\", "\x00", "S-400", "Erdoğan*"]


def test_search_never_raises(backend: Backend) -> None:
    store = open_store(backend.location())
    text = 'Kudankulam OR Sochi AND NOT (x) "quoted" S-400 Erdoğan'
    store.add([(Document(id="c" * 20, text=text, source_id="c", origin="c"), _fp())], [])

    @settings(max_examples=150)
    @given(st.text(max_size=40) | st.lists(st.sampled_from(_QUERY_BITS)).map(" ".join))
    def search(query: str) -> None:
        hits, total = store.search_page(query, DocumentQuery())
        assert total == len(hits) <= 1

    try:
        search()
    finally:
        store.close()


def test_search_ranks_titles_and_snippets(backend: Backend) -> None:
    store = open_store(backend.location())
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
    assert {h.document.id for h in store.search("Soch* OR cyclone")} == {a.id, b.id}  # a prefix, OR
    assert store.search('"summit informal"') == []  # a phrase is in order
    assert store.search_page("Sochi", DocumentQuery(limit=1, offset=1))[0][0].document.id == b.id
    assert store.search_page("Sochi", DocumentQuery(limit=1, offset=1))[1] == 2
    store.close()


def test_search_folds_case_and_latin_diacritics_as_fts5_does(backend: Backend) -> None:
    store = open_store(backend.location())
    doc = Document(
        id="d" * 20, text="President Erdoğan met Éric Zemmour; the S-400 deal and Кудankulam were discussed.",
        source_id="d", origin="d", captions=("A photo caption about Ankara",),
    )  # fmt: skip
    store.add([(doc, _fp())], [])
    for query in ("erdogan", "ERDOĞAN", "eric", "s-400", "S 400", "ankara", "кудankulam"):
        assert [h.document.id for h in store.search(query)] == [doc.id], query
    assert store.search("erdogan")[0].snippet == (
        "President [Erdoğan] met Éric Zemmour; the S-400 deal and Кудankulam were discussed."
    )
    store.close()


def test_single_writer_lock(backend: Backend) -> None:
    one, two = open_store(backend.location()), open_store(backend.location())
    with one.writer_lock(), pytest.raises(StoreLockedError, match="another storyline process"), two.writer_lock():
        pass
    with two.writer_lock():  # released
        pass
    one.close()
    two.close()


def test_resolve_prefix(backend: Backend) -> None:
    store = open_store(backend.location())
    docs = [Document(id=i, text="x", source_id=i, origin=i) for i in ("abcd1111", "abcd2222", "ffff0000")]
    store.add([(d, _fp()) for d in docs], [])
    assert store.resolve("ffff") == "ffff0000"
    assert store.resolve("abcd1") == "abcd1111"
    assert store.resolve("0000") is None
    with pytest.raises(StoreError, match="ambiguous"):
        store.resolve("abcd")
    store.close()


def test_search_ranks_a_bounded_window_of_the_newest_matches(
    analyzed_store: Analyzed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    backend = analyzed_store.backend(tmp_path)
    store = open_store(analyzed_store.location)
    try:
        everything, total = store.search_page("Modi", DocumentQuery(limit=100))
        assert total == len(everything) > 10
        monkeypatch.setattr(backend.module, "RANK_WINDOW", 5)
        ranked, counted = store.search_page("Modi", DocumentQuery(limit=100))
        assert counted == 6 and len(ranked) == 5  # counted up to one past the window: "more than 5"
        rowid = {r[1]: r[0] for r in backend.rows(store, "SELECT rowid, id FROM documents")}
        newest = sorted((rowid[h.document.id] for h in everything), reverse=True)[:5]
        assert sorted(rowid[h.document.id] for h in ranked) == sorted(newest)
        assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)
    finally:
        store.close()


def test_serving_aggregates_follow_the_rows_they_count(analyzed_store: Analyzed, tmp_path: Path) -> None:
    """The month counts of places and the index of who takes part in each happening agree with
    the mentions and happenings they summarise, after analysis and after annotating anew."""
    backend = analyzed_store.backend(tmp_path)
    store = open_store(analyzed_store.copy(tmp_path))

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return backend.rows(store, sql)

    def places_agree() -> None:
        counted = rows("SELECT name, lat, lon, sum(documents) FROM place_months GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
        actual = rows(
            "SELECT name, lat, lon, count(DISTINCT doc_rowid) FROM place_mentions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )
        assert [tuple(r) for r in counted] == [tuple(r) for r in actual] and len(actual) > 10

    try:
        places_agree()
        indexed = set(rows("SELECT entity_id, cluster_id FROM cluster_entities"))
        expected = {
            (entity, cluster)
            for cluster, actors, countries in rows("SELECT id, actors, countries FROM clusters")
            for entity in {**json.loads(actors), **json.loads(countries)}
        }
        assert indexed == expected and len(expected) > 20
        # annotate a document anew, with one place fewer: the counts follow
        doc_id = rows(
            "SELECT d.id FROM documents d JOIN place_mentions p ON p.doc_rowid = d.rowid GROUP BY d.id "
            "HAVING count(DISTINCT p.name) > 1 ORDER BY d.id LIMIT 1"
        )[0][0]
        ann = store.annotations(doc_id)
        store.add_annotations("again", [(doc_id, replace(ann, places=ann.places[1:]))])
        places_agree()
        store.add_annotations("again", [(doc_id, ann)])
        places_agree()
    finally:
        store.close()


def test_entity_counts_and_aliases_follow_the_mentions_they_count(analyzed_store: Analyzed, tmp_path: Path) -> None:
    """Entities' mentions, documents and events and their aliases' counts and variants, kept by
    differences, agree with a count from the stored rows after analysis and after documents are
    annotated anew: a mention dropped, a variant added and taken away, an actor made a speaker,
    and the only mention of an entity removed (the entity goes)."""
    backend = analyzed_store.backend(tmp_path)
    store = open_store(analyzed_store.copy(tmp_path))

    def rows(sql: str) -> set[tuple[Any, ...]]:
        return {tuple(r) for r in backend.rows(store, sql)}

    def agree() -> None:
        kept = rows("SELECT id, mentions, documents, events FROM entities")
        counted = rows(
            "SELECT m.entity_id, m.n, m.docs, coalesce(a.events, 0) FROM (SELECT entity_id, count(*) AS n, "
            "count(DISTINCT doc_rowid) AS docs FROM entity_mentions GROUP BY entity_id) m LEFT JOIN "
            "(SELECT entity_id, count(DISTINCT event_id) AS events FROM event_actors WHERE role <> 'speaker' "
            "GROUP BY entity_id) a ON a.entity_id = m.entity_id"
        )
        assert kept == counted and len(kept) > 50
        assert rows("SELECT entity_id, alias, count, variant FROM entity_aliases") == rows(
            "SELECT entity_id, text, count(*), max(variant) FROM entity_mentions GROUP BY entity_id, text"
        )

    try:
        agree()
        doc_id = rows(
            "SELECT d.id FROM documents d JOIN events e ON e.doc_rowid = d.rowid JOIN event_actors a "
            "ON a.event_id = e.id JOIN entity_mentions m ON m.doc_rowid = d.rowid GROUP BY d.id "
            "HAVING count(DISTINCT m.entity_id) > 3 ORDER BY d.id LIMIT 1"
        ).pop()[0]
        ann = store.annotations(doc_id)
        first, *rest = ann.entities
        # a mention dropped, another given a variant spelling
        changed = [replace(rest[0], variant="zz-test"), *rest[1:]]
        store.add_annotations("again", [(doc_id, replace(ann, entities=changed))])
        agree()
        assert ("zz-test",) in rows("SELECT variant FROM entity_aliases")
        # an entity of its own, mentioned once here only, and every actor made a speaker
        lone = replace(first, entity_id="Q:only-here", canonical="Only Here")
        speakers = [replace(ev, actors=[replace(a, role="speaker") for a in ev.actors]) for ev in ann.events]
        store.add_annotations("again", [(doc_id, replace(ann, entities=[lone, *rest], events=speakers))])
        agree()
        assert ("Q:only-here",) in rows("SELECT id FROM entities")
        # back as it was: the variant and the lone entity are gone
        store.add_annotations("again", [(doc_id, ann)])
        agree()
        assert ("Q:only-here",) not in rows("SELECT id FROM entities")
        assert ("zz-test",) not in rows("SELECT variant FROM entity_aliases")
        # the same document twice in one batch
        store.add_annotations("again", [(doc_id, replace(ann, entities=rest)), (doc_id, ann)])
        agree()
        # an entity with a spelling variant that comes and goes within one batch leaves nothing
        flash = replace(first, entity_id="Q:flash", canonical="Flash", variant="spelling")
        store.add_annotations("again", [(doc_id, replace(ann, entities=[flash, *rest])), (doc_id, ann)])
        agree()
        assert not rows("SELECT * FROM entity_aliases WHERE entity_id = 'Q:flash'")
        assert not rows("SELECT * FROM entities WHERE id = 'Q:flash'")
        # an actor no mention names ("Franco-German talks") counts its event once a mention makes its row
        event = next(ev for ev in ann.events if ev.actors)
        acting = replace(event.actors[0], entity_id="Q:actor-first", role="participant")
        moved = [replace(ev, actors=[*ev.actors, acting]) if ev is event else ev for ev in ann.events]
        store.add_annotations("again", [(doc_id, replace(ann, events=moved))])
        other = next(d for (d,) in rows("SELECT id FROM documents") if d != doc_id)
        other_ann = store.annotations(other)
        named = replace(first, entity_id="Q:actor-first", canonical="Actor First", variant=None)
        store.add_annotations("again", [(other, replace(other_ann, entities=[*other_ann.entities, named]))])
        agree()
        assert rows("SELECT events FROM entities WHERE id = 'Q:actor-first'") == {(1,)}
        store.add_annotations("again", [(doc_id, ann), (other, other_ann)])
        agree()
    finally:
        store.close()


def test_storylines_are_found_by_two_shared_entities(analyzed_store: Analyzed, tmp_path: Path) -> None:
    """The pairs index holds every pair of entities of each storyline, and a lookup through it
    finds exactly the storylines sharing two entities of one group, in the order a scan of every
    storyline sharing any gives (most shared, then oldest)."""
    backend = analyzed_store.backend(tmp_path)
    store = open_store(analyzed_store.copy(tmp_path))
    try:
        members: dict[str, set[str]] = {}
        for entity, storyline in backend.rows(store, "SELECT entity_id, storyline_id FROM storyline_entities"):
            members.setdefault(storyline, set()).add(entity)
        pairs = {tuple(r) for r in backend.rows(store, "SELECT a, b, storyline_id FROM storyline_pairs")}
        assert pairs == {(a, b, s) for s, es in members.items() for a in es for b in es if a < b} and pairs
        keys = dict(backend.rows(store, "SELECT id, key FROM storylines"))
        order = {k: i for i, (k,) in enumerate(backend.rows(store, "SELECT key FROM storylines ORDER BY rowid"))}
        entities = sorted({e for es in members.values() for e in es})
        # groups from the storylines' own entities (matches) and from any four entities (mostly none)
        tried = [sorted(es)[:4] for es in members.values() if len(es) >= 3]
        tried += [list(g) for g in itertools.islice(itertools.combinations(entities[:12], 4), 200)]
        found = 0
        for group in tried:
            groups = [list(group[:2]), list(group[2:])]
            expected = sorted(
                ((keys[s], es & set(group)) for s, es in members.items()
                 if any(len(es & set(g)) >= 2 for g in groups)),
                key=lambda kv: (-len(kv[1]), order[kv[0]]),
            )  # fmt: skip
            assert store.storyline_overlaps(groups) == expected
            found += bool(expected)
        assert found >= 5
        busiest = max(members.values(), key=len)
        assert store.storyline_overlaps([sorted(busiest)])
    finally:
        store.close()


def test_happenings_are_found_by_the_parties_an_event_may_share(analyzed_store: Analyzed, tmp_path: Path) -> None:
    """A happening is a candidate for an event's parties when it is indexed under two of them in
    the window, or under one when the event or the happening has a single party: exactly what a
    scan of the keys and the happenings' own parties picks. The mark of a single party is what
    migration 0019 gives a store made before it."""
    from storyline.store.keys import ONE_PARTY_MARK
    from storyline.store.postgres.migrations import MIGRATIONS as PG_MIGRATIONS

    backend = analyzed_store.backend(tmp_path)
    store = open_store(analyzed_store.copy(tmp_path))
    try:
        parties = {
            cid: {f"{family}:{p}" for p in {**json.loads(actors), **json.loads(countries)}}
            for cid, family, actors, countries in backend.rows(
                store, "SELECT id, family, actors, countries FROM clusters WHERE start IS NOT NULL"
            )
        }
        keyed = backend.rows(store, "SELECT key, start, cluster_id FROM cluster_keys")
        # (a happening an article started alone, for what it mainly reports, is not indexed by its
        # parties: events find it through the article's neighbours, not through its keys)
        parties = {c: ps for c, ps in parties.items() if c in {c for _, _, c in keyed}}
        marks = {(k, s, c) for k, s, c in keyed if k.startswith(ONE_PARTY_MARK)}
        index = [(k, str(s), c) for k, s, c in keyed if not k.startswith(ONE_PARTY_MARK)]
        assert {c for _, _, c in marks} == {c for c, ps in parties.items() if len(ps) == 1}
        assert 0 < len(marks) < len(parties)
        starts = sorted({s for _, s, _ in index})
        windows = [(starts[0], starts[-1]), (starts[len(starts) // 3], starts[2 * len(starts) // 3])]
        tried = [sorted(ps) for ps in parties.values()]
        tried += [sorted(ps)[:1] for ps in parties.values()]
        every = sorted({k for ps in parties.values() for k in ps})
        tried += [list(g) for g in itertools.islice(itertools.combinations(every[:10], 3), 60)]
        found = 0
        for keys in tried:
            for low, high in windows:
                shared: dict[str, set[str]] = {}
                for k, s, c in index:
                    if k in keys and low <= s <= high:
                        shared.setdefault(c, set()).add(k)
                expected = {c for c, ks in shared.items() if len(ks) >= min(2, len(keys), len(parties[c]))}
                got = store.cluster_candidates(keys, date.fromisoformat(low), date.fromisoformat(high))
                assert {c.id for c in got} == expected, (keys, low, high)
                found += len(expected)
        assert found > len(tried)
        # a store made before the marks gains them from its happenings' parties (migration 0020)
        assert MIGRATIONS[-1][0] == PG_MIGRATIONS[-1][0] == "0020_cluster_keys_parties"
        if backend.server is None:
            store._db.execute(f"DELETE FROM cluster_keys WHERE substr(key, 1, 1) = '{ONE_PARTY_MARK}'")
            store._db.executescript(MIGRATIONS[-1][1])
        else:
            with store._atomic():
                store._run(f"DELETE FROM cluster_keys WHERE substr(key, 1, 1) = '{ONE_PARTY_MARK}'")
                store._run(PG_MIGRATIONS[-1][1])
        again = backend.rows(store, "SELECT key, start, cluster_id FROM cluster_keys")
        assert {(k, s, c) for k, s, c in again if k.startswith(ONE_PARTY_MARK)} == marks
    finally:
        store.close()


def test_a_happening_of_one_party_is_marked_while_it_has_one(backend: Backend) -> None:
    """A happening of one party is found by an event of two that shares it; once it gains a second
    party (saved with it, or merged with another happening) it is found only by two shared."""
    from storyline.model.clusters import ClusterState

    store = open_store(backend.location())
    day = date(2018, 5, 21)

    def save(cid: str, *parties: str) -> None:
        state = ClusterState(cid, "meet", {p: p for p in parties}, day, day, "day", None, "occurred")
        store.save_cluster(state, "CONSULT", "meeting", None, cid, [f"meet:{p}" for p in parties])

    def found(*parties: str) -> set[str]:
        return {c.id for c in store.cluster_candidates([f"meet:{p}" for p in parties], day, day)}

    try:
        save("alone", "India")
        save("pair", "Russia", "Syria")
        save("also-alone", "India")
        assert found("India", "Russia") == {"alone", "also-alone"}
        assert found("Russia") == {"pair"} and found("Russia", "Syria") == {"pair"}
        save("alone", "India", "China")  # the happening gains a party
        assert found("India", "Russia") == {"also-alone"}
        assert found("India", "China") == {"alone", "also-alone"}
        store.merge_clusters("pair", "also-alone")  # Russia, Syria and India's: no mark left
        assert found("India", "Iraq") == set() and found("India", "Syria") == {"pair"}
        save("single", "Iran")
        save("same", "Iran")
        store.merge_clusters("single", "same")  # still one party: still marked
        assert found("Iran", "Iraq") == {"single"}
    finally:
        store.close()


def test_a_merged_happening_is_found_by_the_parties_it_has_now(backend: Backend) -> None:
    """A happening merged by the happening model is filed under every party it now has, in its own
    family and from its first day as it is now: the other's keys came under the other's family and
    days, and a key of another family does not make a happening of one party two."""
    from storyline.model.clusters import ClusterState

    store = open_store(backend.location())
    first, later = date(2018, 5, 21), date(2018, 6, 20)

    def state(cid: str, family: str, day: date, *parties: str) -> ClusterState:
        return ClusterState(cid, family, {p: p for p in parties}, day, day, "day", None, "occurred")

    def save(s: ClusterState) -> None:
        store.save_cluster(s, "CONSULT", None, None, s.id, [f"{s.family}:{p}" for p in s.actors])

    def found(family: str, day: date, *parties: str) -> set[str]:
        return {c.id for c in store.cluster_candidates([f"{family}:{p}" for p in parties], day, day)}

    try:
        # one party, two families: still one party, still marked
        alone, call = state("alone", "encounter", first, "Modi"), state("call", "call", later, "Modi")
        save(alone)
        save(call)
        store.merge_clusters("alone", "call")
        assert found("encounter", first, "Modi", "Putin") == {"alone"}  # a key of another family: one party still
        store.save_cluster_state(alone)
        assert found("encounter", first, "Modi", "Putin") == {"alone"}
        # a party gained from a happening of another family, on another day
        pair, other = state("pair", "encounter", first, "Modi", "Putin"), state("other", "call", later, "Xi", "Modi")
        pair.granularity = "month"  # (so the other's precise day becomes the merged happening's)
        save(pair)
        save(other)
        store.merge_clusters("pair", "other")
        merged = state("pair", "encounter", later, "Modi", "Putin", "Xi")  # its day made precise by the other's
        store.save_cluster_state(merged)
        assert "pair" in found("encounter", later, "Modi", "Xi")
        assert "pair" not in found("encounter", later, "Xi", "Abe")  # two parties now: no mark
        # one saved with no keys (placed alone) stays found by none
        keyless = state("keyless", "encounter", first, "Abe")
        store.save_cluster(keyless, "CONSULT", None, None, "keyless", [])
        store.save_cluster_state(keyless)
        assert found("encounter", first, "Abe") == set()
    finally:
        store.close()


def test_migration_0020_files_happenings_under_their_own_parties(backend: Backend) -> None:
    """Migration 0020 files every keyed, dated happening under each of its parties in its own
    family from its first day, marks those of one party (not by counting keys of any family), drops
    stale marks, and leaves undated and keyless happenings without keys."""
    from storyline.store.postgres.migrations import MIGRATIONS as PG_MIGRATIONS

    store = open_store(backend.location())

    def execute(sql: str) -> None:
        if backend.server is None:
            store._db.executescript(sql)
        else:
            with store._atomic():
                store._run(sql)

    def cluster(cid: str, family: str, start: str | None, actors: dict[str, str], keys: list[tuple[str, str]]) -> None:
        end = "NULL" if start is None else f"'{start}'"
        day = "NULL" if start is None else f"'{start}'"
        execute(
            'INSERT INTO clusters (id, family, type, start, "end", granularity, status, actors, countries, label) '
            f"VALUES ('{cid}', '{family}', 'CONSULT', {day}, {end}, 'day', 'occurred', "
            f"'{json.dumps(actors)}', '{{}}', '{cid}')"
        )
        for key, start_of_key in keys:
            execute(f"INSERT INTO cluster_keys VALUES ('{key}', '{start_of_key}', '{cid}')")

    try:
        # one party, with a key and a mark of another family brought by a merge, filed on an old day
        cluster(
            "one",
            "encounter",
            "2018-05-21",
            {"modi": "Modi"},
            [("encounter:modi", "2018-05-01"), ("call:modi", "2018-06-20"), ("=call:modi", "2018-06-20")],
        )
        # two parties, one of them only under another family, and a stale mark
        cluster(
            "two",
            "encounter",
            "2018-05-21",
            {"modi": "Modi", "xi": "Xi"},
            [("encounter:modi", "2018-05-21"), ("call:xi", "2018-06-20"), ("=encounter:modi", "2018-05-21")],
        )
        cluster("keyless", "encounter", "2018-05-21", {"abe": "Abe"}, [])  # placed alone: no keys
        cluster("undated", "encounter", None, {"abe": "Abe"}, [("encounter:abe", "2018-01-01")])
        execute(MIGRATIONS[-1][1] if backend.server is None else PG_MIGRATIONS[-1][1])
        rows = {(k, str(s), c) for k, s, c in backend.rows(store, "SELECT key, start, cluster_id FROM cluster_keys")}
        assert rows == {
            ("encounter:modi", "2018-05-01", "one"), ("encounter:modi", "2018-05-21", "one"),
            ("=encounter:modi", "2018-05-01", "one"), ("=encounter:modi", "2018-05-21", "one"),
            ("call:modi", "2018-06-20", "one"),
            ("encounter:modi", "2018-05-21", "two"), ("encounter:xi", "2018-05-21", "two"),
            ("call:xi", "2018-06-20", "two"),
            ("encounter:abe", "2018-01-01", "undated"),
        }  # fmt: skip
    finally:
        store.close()


def test_vectors_by_id_and_the_store_identity(backend: Backend) -> None:
    """What the happening index is kept and refreshed by: the documents with a vector, in the
    order stored; the vectors of some of them; and an identity of the store's own."""
    store, other = open_store(backend.location()), open_store(backend.location("other"))
    try:
        docs = [Document(id=f"v{i}", text=f"text {i}", source_id=str(i), origin="t") for i in range(5)]
        store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        rng = np.random.default_rng(3)
        vectors = {d.id: rng.normal(size=8).astype(np.float32) for d in docs}
        with store.transaction():
            for doc_id in ("v3", "v0", "v4", "v1"):
                store.add_vector(doc_id, "m", vectors[doc_id])
            store.add_vector("v2", "other-model", vectors["v2"])
        assert store.vector_ids("m") == ["v0", "v1", "v3", "v4"]  # stored order: the documents'
        ids, array, damaged = store.vectors("m", 8, ["v4", "v1", "v2", "v4", "missing"])
        assert ids == ["v1", "v4"] and damaged == []
        assert np.array_equal(array, np.vstack([vectors["v1"], vectors["v4"]]))
        assert store.vectors("m", 8, [])[0] == []
        assert store.store_id() == store.store_id() != other.store_id()
    finally:
        store.close()
        other.close()


def test_vectors_above_a_rowid_and_the_count_of_removals(backend: Backend) -> None:
    """What brings a kept happening index up to date without listing every document: the count
    of a model's vectors, the highest rowid among them, those above a rowid, and how many vectors
    were ever removed (replaced by another model's, or reset), which a vector written again of
    the same model does not raise."""
    store = open_store(backend.location())
    try:
        docs = [Document(id=f"v{i}", text=f"text {i}", source_id=str(i), origin="t") for i in range(5)]
        store.add([(d, _fp()) for d in docs], [Sighting(d.id, d.source_id, d.origin) for d in docs])
        rowid = dict(backend.rows(store, "SELECT id, rowid FROM documents"))
        assert store.vector_state("m") == (0, 0, 0)
        rng = np.random.default_rng(4)
        with store.transaction():
            for doc_id in ("v3", "v0", "v1"):
                store.add_vector(doc_id, "m", rng.normal(size=8).astype(np.float32))
            store.add_vector("v2", "other-model", rng.normal(size=8).astype(np.float32))
            store.add_vector("v4", "m", np.zeros(3, dtype=np.float32))  # damaged
            store.add_vector("missing", "m", np.zeros(8, dtype=np.float32))  # no such document: nothing
        assert store.vector_state("m") == (4, rowid["v4"], 0)
        ids, array, damaged = store.vectors_after("m", rowid["v0"], 8)
        assert ids == ["v1", "v3"] and damaged == ["v4"] and array.shape == (2, 8)
        assert store.vectors_after("m", rowid["v4"], 8)[0] == []
        with store.transaction():
            store.add_vector("v3", "m", rng.normal(size=8).astype(np.float32))  # written again: not removed
        assert store.vector_state("m") == (4, rowid["v4"], 0)
        with store.transaction():
            store.add_vector("v4", "other-model", rng.normal(size=8).astype(np.float32))
        assert store.vector_state("m") == (3, rowid["v3"], 1)
        assert store.vector_state("other-model") == (2, rowid["v4"], 1)
        with store.transaction():
            store.reset_placements("another version")
        assert store.vector_state("m") == (0, 0, 2)
    finally:
        store.close()
