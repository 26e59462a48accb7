"""The PostgreSQL store: the same protocol and the same answers as the SQLite store, for a store
many processes write (one transaction after another) and many API servers read.

Open it with a URL: ``storyline.open("postgresql://user:password@host/db")``, or the CLI's
``--db postgresql://...``. The store lives in the connection's current schema (the first of its
``search_path``; ``?options=-csearch_path%3Dnews`` in the URL picks another), so one database can
hold several stores. See docs/postgres.md for what differs from SQLite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storyline.errors import AmbiguousIdError, StoreSchemaError
from storyline.model import Document
from storyline.model.annotations import (
    Annotations,
    EntityMention,
    EntityRecord,
    Event,
    PlaceMention,
    TimeExpression,
    TimeType,
    entity_kind,
    value_range,
)
from storyline.relate.dedup import Candidate, Fingerprint, Repoint
from storyline.store.base import (
    ID_PREFIX_MIN,
    DocumentQuery,
    EventQuery,
    EventRow,
    SearchHit,
    Sighting,
    StoredEvent,
)
from storyline.store.filters import document_where, event_where
from storyline.store.follow import FollowTables
from storyline.store.postgres.clusters import ClusterTables
from storyline.store.postgres.db import POOL_SIZE, _params
from storyline.store.postgres.graph import GraphTables
from storyline.store.postgres.search import TextQuery, index_text, snippet, text_query
from storyline.store.postgres.views import ServingQueries
from storyline.store.rows import document_from_row, metadata_columns
from storyline.store.tally import ACTORS_OF, MENTIONS_OF, ActorRow, EntityTally, MentionRow

#: How many of a search's matches are ranked at most (the most recently stored); see search_page.
RANK_WINDOW = 10_000

_NAMES = (
    "id", "source_id", "origin", "title", "url", "source", "author", "published", "published_granularity",
    "published_source", "published_raw", "published_zone_given", "language", "text", "captions", "credits",
    "boilerplate", "notes", "fetched_at", "duplicate_of", "duplicate_similarity",
)  # fmt: skip
_COLUMNS = ", ".join(_NAMES)
#: The weights of titles, texts and captions in a search's rank (the SQLite store's bm25 weights
#: 5, 1 and 0.5, relative to a title's), in ts_rank's order {D, C, B, A}.
_RANK_WEIGHTS = "{0.1, 0.1, 0.2, 1.0}"
#: A document's index entry: its title (A), text (B) and captions (C), as folded words.
_SEARCH = (
    "setweight(to_tsvector('simple', %(search_title)s), 'A') || "
    "setweight(to_tsvector('simple', %(search_text)s), 'B') || "
    "setweight(to_tsvector('simple', %(search_captions)s), 'C')"
)


def _search_columns(title: str | None, text: str, captions: Sequence[str]) -> dict[str, str]:
    return {
        "search_title": index_text(title),
        "search_text": index_text(text),
        "search_captions": index_text(*captions),
    }


def _row_to_document(values: Sequence[Any]) -> Document:
    return document_from_row(dict(zip(_NAMES, values, strict=True)))


def _candidate(row: Sequence[Any]) -> Candidate:
    return Candidate(row[0], row[1], np.frombuffer(bytes(row[2]), dtype="<u4"), row[3])


class PostgresStore(ClusterTables, ServingQueries, GraphTables, FollowTables):
    """Documents, their sightings, near-duplicate band keys, the full-text index, annotations,
    happenings and storylines in the tables of one PostgreSQL schema."""

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self._connect(url, pool_size)

    def check_settings(self, settings: dict[str, str]) -> None:
        """Record settings the stored data depends on (dedup parameters) on first use; refuse
        later writes with different ones, which would make the index inconsistent."""
        stored = dict(self._all("SELECT name, value FROM settings"))
        clashes = [f"{k}={stored[k]} (asked {v})" for k, v in settings.items() if k in stored and stored[k] != v]
        if clashes:
            raise StoreSchemaError(f"{self.label}: indexed with other settings: {'; '.join(clashes)}")
        missing = {k: v for k, v in settings.items() if k not in stored}
        if missing:
            self._many("INSERT INTO settings VALUES (%s, %s) ON CONFLICT DO NOTHING", list(missing.items()))

    # -- writing ----------------------------------------------------------------------------------
    def existing(self, ids: Sequence[str]) -> dict[str, str | None]:
        """Which of ``ids`` are stored, with their publication time (UTC ISO) or None."""
        unique = list(dict.fromkeys(ids))
        if not unique:
            return {}
        return {r[0]: r[1] for r in self._all("SELECT id, published_utc FROM documents WHERE id = ANY(%s)", (unique,))}

    def _f_rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._all(sql.replace("?", "%s"), tuple(params))

    def _f_write(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._atomic(), self._cursor() as cur:
            cur.execute(sql.replace("?", "%s"), _params(tuple(params)))
            return cur.fetchall() if cur.description else []

    def _f_transaction(self) -> AbstractContextManager[None]:
        return self._atomic()

    def _replace_metadata(self, doc: Document) -> None:
        """Give a stored document (same text) the metadata of an earlier-published arrival."""
        old = self._one("SELECT rowid, text FROM documents WHERE id = %s", (doc.id,))
        if old is None:
            return
        columns = metadata_columns(doc)
        self.count_places(old[0], -1)  # its places move to the month of the new date
        sets = ", ".join(f"{name} = %({name})s" for name in columns)
        self._run(f"UPDATE documents SET {sets} WHERE rowid = %(rowid)s", {**columns, "rowid": old[0]})
        self._run(
            f"UPDATE document_search SET search = {_SEARCH} WHERE doc_rowid = %(rowid)s",
            {**_search_columns(doc.title, old[1], doc.captions), "rowid": old[0]},
        )
        self.count_places(old[0], +1)

    def add(
        self,
        items: Sequence[tuple[Document, Fingerprint]],
        sightings: Sequence[Sighting],
        repoints: Sequence[Repoint] = (),
        earlier: Sequence[Document] = (),
    ) -> None:
        """In one transaction: store new documents with their band keys, full-text entries and
        sightings; re-point near-duplicate groups to a newly found earlier original; and give
        stored documents the metadata of an ``earlier``-published arrival of the same text.

        Documents already stored are otherwise left as they are (re-ingest changes nothing)."""
        now = datetime.now(UTC).isoformat()
        with self.transaction():
            for doc, fp in items:
                columns = {
                    "id": doc.id,
                    "text": doc.text,
                    "duplicate_of": doc.duplicate.of if doc.duplicate else None,
                    "duplicate_similarity": doc.duplicate.similarity if doc.duplicate else None,
                    "ingested_at": now,
                    "minhash": fp.signature.astype("<u4").tobytes(),
                    **metadata_columns(doc),
                }
                names = ", ".join(columns)
                values = ", ".join(f"%({name})s" for name in columns)
                rowid = self._value(
                    f"INSERT INTO documents ({names}) VALUES ({values}) ON CONFLICT (id) DO NOTHING RETURNING rowid",
                    columns,
                )
                if rowid is None:
                    continue
                self._run(
                    f"INSERT INTO document_search (doc_rowid, search) VALUES (%(rowid)s, {_SEARCH})",
                    {"rowid": rowid, **_search_columns(doc.title, doc.text, doc.captions)},
                )
                self._many(
                    "INSERT INTO lsh_bands (band, key, doc_rowid) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    [(band, key, rowid) for band, key in fp.keys],
                )
            for doc in earlier:
                self._replace_metadata(doc)
            self._many(
                "UPDATE documents SET duplicate_of = %s, duplicate_similarity = %s WHERE id = %s",
                [(r.duplicate.of, r.duplicate.similarity, r.id) for r in repoints],
            )
            self._many(
                "INSERT INTO sightings (doc_id, source_id, origin, seen_at, title, url, source, published) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(s.doc_id, s.source_id, s.origin, now, s.title, s.url, s.source, s.published) for s in sightings],
            )

    # -- near-duplicate candidates ----------------------------------------------------------------
    def lsh_candidates(self, keys: Sequence[tuple[int, int]]) -> list[Candidate]:
        if not keys:
            return []
        rows = self._all(
            "SELECT id, duplicate_of, minhash, published_utc FROM documents WHERE rowid IN "
            "(SELECT b.doc_rowid FROM lsh_bands b JOIN unnest(%s::integer[], %s::bigint[]) AS k(band, key) "
            "ON b.band = k.band AND b.key = k.key) ORDER BY rowid",
            ([band for band, _ in keys], [key for _, key in keys]),
        )
        return [_candidate(r) for r in rows if r[2]]

    def duplicate_group(self, root_id: str) -> list[Candidate]:
        rows = self._all(
            "SELECT id, duplicate_of, minhash, published_utc FROM documents WHERE id = %s OR duplicate_of = %s "
            "ORDER BY rowid",
            (root_id, root_id),
        )
        return [_candidate(r) for r in rows if r[2]]

    # -- reading ----------------------------------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        row = self._one(f"SELECT {_COLUMNS} FROM documents WHERE id = %s", (doc_id,))
        return _row_to_document(row) if row else None

    def resolve(self, prefix: str) -> str | None:
        """A full id from a unique prefix (at least :data:`ID_PREFIX_MIN` characters); None if
        unknown; StoreError if ambiguous."""
        if len(prefix) < ID_PREFIX_MIN or not re.fullmatch(r"[0-9a-f]+", prefix):
            return prefix if self.get(prefix) else None
        rows = self._all("SELECT id FROM documents WHERE id >= %s AND id < %s LIMIT 2", (prefix, prefix + "g"))
        if len(rows) > 1:
            raise AmbiguousIdError(f"id prefix {prefix!r} is ambiguous; give more characters")
        return rows[0][0] if rows else None

    def _where(self, q: DocumentQuery, t: str = "") -> tuple[str, list[Any]]:
        """The WHERE clause of a document query (``t``: the documents table's alias and a dot)."""
        return document_where(q, t, postgres=True)

    def documents(self, query: DocumentQuery) -> list[Document]:
        return list(self.iter_documents(query))

    def iter_documents(self, query: DocumentQuery) -> Iterator[Document]:
        where, params = self._where(query)
        order = " ORDER BY published_utc NULLS LAST, rowid"
        if query.limit is not None:
            # the page's row ids first, from the order's index alone (an index-only scan: the rows
            # it skips are never read from the table), then their rows: at an offset of 95,000 of
            # 100,000, 8.7 ms instead of 186 (at 1,000,000, 3.3 s before)
            sql = (
                f"SELECT {_COLUMNS} FROM documents JOIN (SELECT rowid FROM documents{where}{order} "
                f"LIMIT %s OFFSET %s) page USING (rowid){order}"
            )
            params += [query.limit, query.offset]
            rows: Iterator[tuple[Any, ...]] = iter(self._all(sql, params))
        else:
            rows = self._stream(f"SELECT {_COLUMNS} FROM documents{where}{order}", params)
        for row in rows:
            yield _row_to_document(row)

    def count(self, query: DocumentQuery) -> int:
        where, params = self._where(query)
        return int(self._value(f"SELECT count(*) FROM documents{where}", params))

    def search(self, text: str, *, limit: int = 20, hide_duplicates: bool = False) -> list[SearchHit]:
        return self.search_page(text, DocumentQuery(limit=limit, hide_duplicates=hide_duplicates))[0]

    @property
    def rank_window(self) -> int:
        """How many of a search's matches are ranked and paged at most."""
        return RANK_WINDOW

    def search_page(self, text: str, query: DocumentQuery) -> tuple[list[SearchHit], int]:
        """Full-text matches best first, filtered as ``query`` says, one page of them (``limit``
        and ``offset``), and how many match in all, counted up to ``RANK_WINDOW + 1``.

        A query matching more than :data:`RANK_WINDOW` documents ranks the most recently stored
        ``RANK_WINDOW`` of them, as the SQLite store does: the cost of a search stays bounded."""
        parsed = text_query(text)
        if not parsed:
            return [], 0
        with self._index_reads():
            return self._search_page(parsed, query)

    def _search_page(self, parsed: TextQuery, query: DocumentQuery) -> tuple[list[SearchHit], int]:
        where, params = self._where(query, "d.")
        # with no filter on the documents the index alone answers; with one, the join does
        base = "FROM document_search s"
        if where:
            base += " JOIN documents d ON d.rowid = s.doc_rowid"
        base += " WHERE s.search @@ %s::tsquery" + where.replace(" WHERE ", " AND ", 1)
        params = [parsed.tsquery, *params]
        # one pass over the text index: the newest matches up to one past the window, which gives
        # the count (up to the window + 1: a word most articles hold costs no more to count) and the
        # documents to rank, which are then read by their row ids rather than found again
        window = RANK_WINDOW
        newest = [
            r[0]
            for r in self._all(f"SELECT s.doc_rowid {base} ORDER BY s.doc_rowid DESC LIMIT %s", [*params, window + 1])
        ]
        count = len(newest)
        page = f" LIMIT {int(query.limit)}" if query.limit is not None else ""
        ranked = self._all(
            f"SELECT s.doc_rowid, ts_rank('{_RANK_WEIGHTS}', s.search, %s::tsquery, 1) AS score "
            f"FROM document_search s WHERE s.doc_rowid = ANY(%s) ORDER BY score DESC, s.doc_rowid DESC{page} OFFSET %s",
            [parsed.tsquery, newest[:window], query.offset],
        )
        if not ranked:
            return [], count
        rows = {
            r[0]: r[1:]
            for r in self._all(
                f"SELECT rowid, {_COLUMNS} FROM documents WHERE rowid = ANY(%s)", ([r[0] for r in ranked],)
            )
        }
        hits = []
        for rowid, score in ranked:
            if rowid in rows:
                doc = _row_to_document(rows[rowid])
                hits.append(SearchHit(doc, float(score), snippet(doc.text, parsed)))
        return hits, count

    def sightings(self, doc_id: str) -> list[Sighting]:
        rows = self._all(
            "SELECT doc_id, source_id, origin, title, url, source, published FROM sightings "
            "WHERE doc_id = %s ORDER BY seen_at, origin",
            (doc_id,),
        )
        return [Sighting(*r) for r in rows]

    def stats(self) -> dict[str, Any]:
        row = self._one("SELECT count(*), count(duplicate_of), min(published_utc), max(published_utc) FROM documents")
        total, dups, earliest, latest = row or (0, 0, None, None)

        def grouped(sql: str) -> dict[str, int]:
            return {r[0]: int(r[1]) for r in self._all(sql)}

        return {
            "path": self.label,
            "documents": total,
            "near_duplicates": dups,
            "inputs_seen": self._value("SELECT count(*) FROM sightings"),
            "undated": self._value("SELECT count(*) FROM documents WHERE published IS NULL"),
            "published_from": earliest,
            "published_to": latest,
            "languages": grouped(
                "SELECT coalesce(language, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "sources": grouped(
                "SELECT coalesce(source, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"
            ),
            "date_from": grouped(
                "SELECT coalesce(published_source, 'none'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "events": grouped("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1"),
            "event_status": grouped("SELECT status, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1"),
            "migrations": self.migrations(),
        }

    # -- annotations ------------------------------------------------------------------------------
    def unannotated(self, stages: str, limit: int) -> list[Document]:
        """Documents not yet annotated by exactly these stage versions, oldest first."""
        rows = self._all(
            f"SELECT {', '.join('d.' + n for n in _NAMES)} FROM documents d "
            "LEFT JOIN annotated a ON a.doc_rowid = d.rowid "
            "WHERE a.stages IS NULL OR a.stages <> %s ORDER BY d.rowid LIMIT %s",
            (stages, limit),
        )
        return [_row_to_document(r) for r in rows]

    def add_annotations(self, stages: str, items: Sequence[tuple[str, Annotations]]) -> None:
        """Replace the annotations of these documents, and bring the entity table up to date, in
        one transaction. Counts and aliases change by what a document's old annotations counted and
        its new ones count (:mod:`storyline.store.tally`), so annotating a document again never
        counts it twice."""
        now = datetime.now(UTC).isoformat()
        with self.transaction():
            tally = EntityTally()
            for doc_id, ann in items:
                rowid = self._value("SELECT rowid FROM documents WHERE id = %s", (doc_id,))
                if rowid is None:
                    continue
                before = self._tallied(rowid)
                self.unlink_actors(rowid)
                self._run("DELETE FROM entity_mentions WHERE doc_rowid = %s", (rowid,))
                self._run("DELETE FROM time_expressions WHERE doc_rowid = %s", (rowid,))
                self.count_places(rowid, -1)
                self._run("DELETE FROM place_mentions WHERE doc_rowid = %s", (rowid,))
                self._run(
                    "DELETE FROM event_actors WHERE event_id IN (SELECT id FROM events WHERE doc_rowid = %s)", (rowid,)
                )
                self._run("DELETE FROM events WHERE doc_rowid = %s", (rowid,))
                self.forget_clustering(rowid)
                for ev in ann.events:
                    span = value_range(ev.time.value) if ev.time else None
                    self._run(
                        "INSERT INTO events VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET doc_rowid = excluded.doc_rowid, start = excluded.start, "
                        "type = excluded.type, subtype = excluded.subtype, cameo = excluded.cameo, "
                        "status = excluded.status, time_value = excluded.time_value, "
                        "date_start = excluded.date_start, date_end = excluded.date_end, "
                        "place_name = excluded.place_name, place_country = excluded.place_country, "
                        "confidence = excluded.confidence, data = excluded.data",
                        (
                            ev.id, rowid, ev.trigger.start, ev.type, ev.subtype, ev.cameo, ev.status.value,
                            ev.time.value if ev.time else None, span[0].isoformat() if span else None,
                            span[1].isoformat() if span else None, ev.place.name if ev.place else None,
                            ev.place.country if ev.place else None, ev.confidence,
                            json.dumps(ev.as_dict(), ensure_ascii=False),
                        ),
                    )  # fmt: skip
                    self._many(
                        "INSERT INTO event_actors VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        [(ev.id, a.entity_id, a.role) for a in ev.actors if a.entity_id],
                    )
                self.link_actors(rowid)
                self._many(
                    "INSERT INTO place_mentions VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    'ON CONFLICT (doc_rowid, start) DO UPDATE SET "end" = excluded."end", text = excluded.text, '
                    "name = excluded.name, country = excluded.country, lat = excluded.lat, lon = excluded.lon, "
                    "kind = excluded.kind",
                    [(rowid, p.start, p.end, p.text, p.name, p.country, p.lat, p.lon, p.kind) for p in ann.places],
                )
                self.count_places(rowid, +1)
                self._many(
                    "INSERT INTO entity_mentions (doc_rowid, start, \"end\", text, label, entity_id, canonical, "
                    "title, country, variant, evidence) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (doc_rowid, start) DO UPDATE SET \"end\" = excluded.\"end\", text = excluded.text, "
                    "label = excluded.label, entity_id = excluded.entity_id, canonical = excluded.canonical, "
                    "title = excluded.title, country = excluded.country, variant = excluded.variant, "
                    "evidence = excluded.evidence",
                    [
                        (rowid, e.start, e.end, e.text, e.label, e.entity_id, e.canonical, e.title, e.country,
                         e.variant, e.evidence)
                        for e in ann.entities
                    ],
                )  # fmt: skip
                self._many(
                    "INSERT INTO time_expressions VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (doc_rowid, start) "
                    'DO UPDATE SET "end" = excluded."end", text = excluded.text, type = excluded.type, '
                    "value = excluded.value",
                    [(rowid, t.start, t.end, t.text, t.type.value, t.value) for t in ann.times],
                )
                self._run(
                    "INSERT INTO annotated VALUES (%s, %s, %s, %s) ON CONFLICT (doc_rowid) DO UPDATE SET "
                    "stages = excluded.stages, skipped = excluded.skipped, annotated_at = excluded.annotated_at",
                    (rowid, stages, json.dumps(ann.skipped, ensure_ascii=False), now),
                )
                mentioned = sorted({e.entity_id for e in ann.entities} - tally.created)
                if mentioned:
                    held = {r[0] for r in self._all("SELECT id FROM entities WHERE id = ANY(%s)", (mentioned,))}
                    tally.created.update(set(mentioned) - held)
                self._many(
                    "INSERT INTO entities (id, kind, canonical, country) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT DO NOTHING",
                    [(e.entity_id, entity_kind(e.label, e.country), e.canonical, e.country) for e in ann.entities],
                )
                tally.document(*before, *self._tallied(rowid))
            self._apply_tally(tally)

    def _tallied(self, rowid: int) -> tuple[list[MentionRow], list[ActorRow]]:
        """A document's stored entity mentions and event actors, as the entity tally counts them."""
        mentions = self._all(MENTIONS_OF.replace("?", "%s"), (rowid,))
        return mentions, self._all(ACTORS_OF.replace("?", "%s"), (rowid,))

    def _apply_tally(self, tally: EntityTally) -> None:
        """Bring the entities and their aliases up to date (:mod:`storyline.store.tally`)."""
        for sql, rows in tally.statements():
            self._many(sql.replace("?", "%s"), rows)

    def annotations(self, doc_id: str) -> Annotations:
        """The stored annotations of one document (empty when it has none yet)."""
        row = self._one(
            "SELECT d.rowid, a.skipped FROM documents d LEFT JOIN annotated a ON a.doc_rowid = d.rowid WHERE d.id = %s",
            (doc_id,),
        )
        if row is None:
            return Annotations()
        rowid = row[0]
        entities = [
            EntityMention(*r)
            for r in self._all(
                'SELECT start, "end", text, label, entity_id, canonical, title, country, variant, evidence '
                "FROM entity_mentions WHERE doc_rowid = %s ORDER BY start",
                (rowid,),
            )
        ]
        times = [
            TimeExpression(r[0], r[1], r[2], TimeType(r[3]), r[4])
            for r in self._all(
                'SELECT start, "end", text, type, value FROM time_expressions WHERE doc_rowid = %s ORDER BY start',
                (rowid,),
            )
        ]
        places = [
            PlaceMention(*r)
            for r in self._all(
                'SELECT start, "end", text, name, country, lat, lon, kind FROM place_mentions '
                "WHERE doc_rowid = %s ORDER BY start",
                (rowid,),
            )
        ]
        events = [
            Event.from_dict(json.loads(r[0]))
            for r in self._all("SELECT data FROM events WHERE doc_rowid = %s ORDER BY start, id", (rowid,))
        ]
        return Annotations(times, entities, json.loads(row[1]) if row[1] else [], places, events)

    def _event_select(self, select: str, query: EventQuery) -> tuple[str, list[Any]] | None:
        """``select`` (over ``events e JOIN documents d``) filtered, ordered (doubtful ones last when
        asked, then earliest first, undated last) and paged as ``query`` says; None when it can
        match nothing."""
        found = self._event_filters(query)
        if found is None:
            return None
        where, params = found
        sql = select + (" WHERE " + " AND ".join(where) if where else "")
        doubtful = ""
        if query.doubtful_below is not None:
            doubtful = "e.confidence < %s, "
            params.append(query.doubtful_below)
        sql += f" ORDER BY {doubtful}e.date_start NULLS LAST, d.id, e.start, e.id"
        if query.limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [query.limit, query.offset]
        return sql, params

    def events(self, query: EventQuery) -> list[StoredEvent]:
        """Stored events, earliest first (undated ones last), filtered as the query says."""
        found = self._event_select("SELECT d.id, e.data FROM events e JOIN documents d ON d.rowid = e.doc_rowid", query)
        if found is None:
            return []
        return [StoredEvent(r[0], Event.from_dict(json.loads(r[1]))) for r in self._all(*found)]

    def iter_event_rows(self, query: EventQuery) -> Iterator[EventRow]:
        """Stored events as :meth:`events` lists them, each with its evidence sentence, happening,
        storyline and document URL: one query, streamed (no document text is read whole)."""
        found = self._event_select(
            f"SELECT d.id, e.data, {_EVIDENCE}, m.cluster_id, k.storyline, d.url, d.source_id FROM events e "
            "JOIN documents d ON d.rowid = e.doc_rowid LEFT JOIN cluster_members m ON m.event_id = e.id "
            "LEFT JOIN clusters k ON k.id = m.cluster_id",
            query,
        )
        if found is None:
            return
        for doc_id, data, evidence, cluster_id, storyline_id, url, source_id in self._stream(*found):
            yield EventRow(
                doc_id, Event.from_dict(json.loads(data)), " ".join((evidence or "").split()) or None, cluster_id,
                storyline_id, url, source_id,
            )  # fmt: skip

    def _event_filters(self, query: EventQuery) -> tuple[list[str], list[Any]] | None:
        """The conditions of an event query on ``events e JOIN documents d``, and their parameters;
        None when its entity names none stored."""
        ids = list(query.entity_ids) if query.entity_ids is not None else None
        if ids is None and query.entity:
            ids = self.entity_ids(query.entity)
        return event_where(query, ids, postgres=True)

    def entity_aliases_matching(self, name: str) -> list[tuple[str, str, str | None]]:
        """The entities ``name`` stands for only as another name (an alias, not the id or the
        canonical name): (canonical name, alias as written, variant kind or None)."""
        return [
            (r[0], r[1], r[2])
            for r in self._all(
                "SELECT e.canonical, a.alias, a.variant FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                'WHERE lower(a.alias) = lower(%(name)s COLLATE "C") '
                'AND lower(e.canonical) <> lower(%(name)s COLLATE "C") AND e.id <> %(name)s '
                "ORDER BY e.documents DESC, e.id, a.alias",
                {"name": name},
            )
        ]

    def entity_ids(self, name: str) -> list[str]:
        """The entities a name or id may stand for: by id, canonical name or alias (any case of
        ASCII letters, as SQLite's NOCASE); failing those, the entities whose canonical name starts
        or ends with it as a whole word ("Putin" finds Vladimir Putin)."""
        rows = self._all(
            'SELECT id FROM entities WHERE id = %(name)s OR lower(canonical) = lower(%(name)s COLLATE "C") '
            'UNION SELECT entity_id FROM entity_aliases WHERE lower(alias) = lower(%(name)s COLLATE "C")',
            {"name": name},
        )
        if not rows and name.strip():
            # as SQLite's LIKE: ASCII letters in any case, no wildcards of the user's
            word = name.strip().replace("%", "").replace("_", "").replace("\\", "")
            return [
                r[0]
                for r in self._all(
                    'SELECT id FROM entities WHERE lower(canonical) LIKE lower(%s COLLATE "C") '
                    'OR lower(canonical) LIKE lower(%s COLLATE "C") ORDER BY rowid',
                    (f"% {word}", f"{word} %"),
                )
            ]
        return sorted(r[0] for r in rows)

    def entities(self, kind: str | None = None, limit: int | None = 50, offset: int = 0) -> list[EntityRecord]:
        """Canonical entities, most widely reported first."""
        sql = "SELECT id, kind, canonical, country, mentions, documents FROM entities"
        params: list[Any] = []
        if kind:
            sql += " WHERE kind = %s"
            params.append(kind.upper())
        sql += " ORDER BY documents DESC, mentions DESC, canonical, id"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        rows = self._all(sql, params)
        aliases: dict[str, dict[str, int]] = {r[0]: {} for r in rows}
        variants: dict[str, dict[str, str]] = {r[0]: {} for r in rows}
        if rows:
            for entity, alias, count, variant in self._all(
                "SELECT entity_id, alias, count, variant FROM entity_aliases WHERE entity_id = ANY(%s) "
                "ORDER BY count DESC, alias",
                ([r[0] for r in rows],),
            ):
                aliases[entity][alias] = count
                if variant:
                    variants[entity][alias] = variant
        return [EntityRecord(r[0], r[1], r[2], r[3], r[4], r[5], aliases[r[0]], variants[r[0]]) for r in rows]

    def people_weights(self) -> dict[str, int]:
        """How many stored documents name each person (canonical name), for resolving spellings."""
        return {
            r[0]: r[1] for r in self._all("SELECT canonical, documents FROM entities WHERE kind = 'PERSON' ORDER BY id")
        }


#: An event's evidence sentence, cut from its document's text (offsets in the event's data).
_EVIDENCE = (
    "substr(d.text, ((e.data::json)->'sentence'->>'start')::integer + 1, "
    "((e.data::json)->'sentence'->>'end')::integer - ((e.data::json)->'sentence'->>'start')::integer)"
)
