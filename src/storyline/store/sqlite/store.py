"""The default store: one SQLite file in WAL mode, FTS5 full-text search, one writer."""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import AmbiguousIdError, StoreError, StoreLockedError, StoreSchemaError
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
from storyline.store.rows import document_from_row, metadata_columns
from storyline.store.sqlite.clusters import ClusterTables
from storyline.store.sqlite.graph import GraphTables
from storyline.store.sqlite.migrations import MIGRATIONS
from storyline.store.sqlite.views import ServingQueries
from storyline.store.tally import ACTORS_OF, MENTIONS_OF, ActorRow, EntityTally, MentionRow

#: How many of a search's matches are ranked at most (the most recently stored); see search_page.
RANK_WINDOW = 10_000
#: SQLite's page cache per connection, MiB (its default is 2). Enough for the inner pages of every
#: index of a store of a million documents, so a lookup reads one leaf page, not four. Measured on
#: benchmarks/scale.py's store of 100,000: placement 2.84 -> 2.69 ms a document (three runs each
#: way, interleaved, on a machine doing other work: a small gain, within its noise). The memory
#: is taken only as pages are read.
CACHE_MIB = 64

_COLUMNS = (
    "id, source_id, origin, title, url, source, author, published, published_granularity, "
    "published_source, published_raw, published_zone_given, language, text, captions, credits, "
    "boilerplate, notes, fetched_at, duplicate_of, duplicate_similarity"
)
_FTS_TERM = re.compile(r"\w+", re.UNICODE)


def _row_to_document(row: sqlite3.Row) -> Document:
    return document_from_row(row)  # type: ignore[arg-type]  # a Row reads columns by name


def _candidate(row: sqlite3.Row) -> Candidate:
    return Candidate(row["id"], row["duplicate_of"], np.frombuffer(row["minhash"], dtype="<u4"), row["published_utc"])


def fts_query(text: str) -> str:
    """A user's words -> an FTS5 query: every word must occur; "quoted phrases" stay phrases;
    OR between words is kept. Never an FTS5 syntax error."""
    parts: list[str] = []
    for i, chunk in enumerate(text.split('"')):
        if i % 2 == 1:
            words = _FTS_TERM.findall(chunk)
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        for token in chunk.split():
            if token == "OR" and parts and parts[-1] != "OR":
                parts.append("OR")
                continue
            words = _FTS_TERM.findall(token)
            if words:
                parts.append('"' + " ".join(words) + '"' + ("*" if token.endswith("*") else ""))
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts)


class SQLiteStore(ClusterTables, ServingQueries, GraphTables, FollowTables):
    """Documents, their sightings, near-duplicate band keys and the full-text index in one file."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            p = Path(self.path)
            if not p.exists() and not create:
                raise StoreError(f"{self.path}: no such store")
            if p.exists() and p.is_dir():
                raise StoreError(f"{self.path}: is a folder, not a store file")
            if not p.parent.exists():
                raise StoreError(f"{self.path}: folder {p.parent} does not exist")
        try:
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._refuse_foreign()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(f"PRAGMA cache_size=-{CACHE_MIB * 1024}")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a storyline store ({exc})") from None
        self._lock_fd: int | None = None

    # -- schema -----------------------------------------------------------------------
    def _refuse_foreign(self) -> None:
        """Refuse a database another program made (tables, and no storyline migrations among them)
        before anything is written to it: storyline would add its forty tables beside the other
        program's and switch the file to write-ahead logging."""
        names = [r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        ours = "migrations" in names and {r[1] for r in self._db.execute("PRAGMA table_info(migrations)")} == {
            "name",
            "applied_at",
        }  # (another program's "migrations" table has other columns)
        if names and not ours:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            self._db.close()
            raise StoreError(f"{self.path}: not a storyline store (a database of another program: tables {shown})")

    def _migrate(self) -> None:
        db = self._db
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {r[0] for r in db.execute("SELECT name FROM migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = applied - known
        if unknown:
            raise StoreSchemaError(
                f"{self.path}: written by a newer storyline "
                f"(migrations {', '.join(sorted(unknown))}); upgrade storyline"
            )
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone() is None:
                    for statement in sql.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute("INSERT INTO migrations VALUES (?, ?)", (name, datetime.now(UTC).isoformat()))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def migrations(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM migrations ORDER BY name")]

    def check_settings(self, settings: dict[str, str]) -> None:
        """Record settings the stored data depends on (dedup parameters) on first use;
        refuse later writes with different ones, which would make the index inconsistent."""
        stored = dict(self._db.execute("SELECT name, value FROM settings").fetchall())
        clashes = [f"{k}={stored[k]} (asked {v})" for k, v in settings.items() if k in stored and stored[k] != v]
        if clashes:
            raise StoreSchemaError(f"{self.path}: indexed with other settings: {'; '.join(clashes)}")
        missing = {k: v for k, v in settings.items() if k not in stored}
        if missing:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR IGNORE INTO settings VALUES (?, ?)", missing.items())
            self._db.execute("COMMIT")

    # -- writing ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (taken at once, so writers queue): committed whole, or rolled
        back whole on any error. Each raises the store's generation, the counter caches of
        aggregates over the whole store are kept against (:meth:`generation`)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute(
                "INSERT INTO settings VALUES ('generation', '1') ON CONFLICT(name) DO UPDATE SET "
                "value = CAST(value AS INTEGER) + 1"
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _f_rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._db.execute(sql, params).fetchall()]

    def _f_write(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._db.execute(sql, params).fetchall()]

    @contextmanager
    def _f_transaction(self) -> Iterator[None]:
        """A write transaction that leaves the store's generation as it is: the state of sources
        and alerts is no part of the aggregates cached against it."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the store's single-writer lock (a lock file beside it) for a whole ingest."""
        if self.path == ":memory:":
            yield
            return
        lock_path = self.path + ".lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLockedError(f"{self.path}: another storyline process is writing to this store") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def existing(self, ids: Sequence[str]) -> dict[str, str | None]:
        """Which of ``ids`` are stored, with their publication time (UTC ISO) or None."""
        found: dict[str, str | None] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT id, published_utc FROM documents WHERE id IN ({marks})", chunk)
            found.update((r[0], r[1]) for r in rows)
        return found

    def _replace_metadata(self, doc: Document) -> None:
        """Give a stored document (same text) the metadata of an earlier-published arrival."""
        db = self._db
        old = db.execute("SELECT rowid, title, text, captions FROM documents WHERE id = ?", (doc.id,)).fetchone()
        if old is None:
            return
        columns = metadata_columns(doc)
        self.count_places(old["rowid"], -1)  # its places move to the month of the new date
        db.execute(
            f"UPDATE documents SET {', '.join(f'{name} = ?' for name in columns)} WHERE id = ?",
            (*columns.values(), doc.id),
        )
        self.count_places(old["rowid"], +1)
        db.execute(
            "INSERT INTO documents_fts (documents_fts, rowid, title, text, captions) VALUES ('delete', ?, ?, ?, ?)",
            (old["rowid"], old["title"], old["text"], old["captions"]),
        )
        db.execute(
            "INSERT INTO documents_fts (rowid, title, text, captions) VALUES (?, ?, ?, ?)",
            (old["rowid"], doc.title, doc.text, json.dumps(doc.captions, ensure_ascii=False)),
        )

    def add(
        self,
        items: Sequence[tuple[Document, Fingerprint]],
        sightings: Sequence[Sighting],
        repoints: Sequence[Repoint] = (),
        earlier: Sequence[Document] = (),
    ) -> None:
        """In one transaction: store new documents with their band keys, full-text entries
        and sightings; re-point near-duplicate groups to a newly found earlier original; and
        give stored documents the metadata of an ``earlier``-published arrival of the same text.

        Documents already stored are otherwise left as they are (re-ingest changes nothing)."""
        now = datetime.now(UTC).isoformat()
        db = self._db
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
                cur = db.execute(
                    f"INSERT OR IGNORE INTO documents ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    tuple(columns.values()),
                )
                if cur.rowcount == 0:
                    continue
                rowid = cur.lastrowid
                db.execute(
                    "INSERT INTO documents_fts (rowid, title, text, captions) VALUES (?, ?, ?, ?)",
                    (rowid, doc.title, doc.text, json.dumps(doc.captions, ensure_ascii=False)),
                )
                db.executemany(
                    "INSERT OR IGNORE INTO lsh_bands (band, key, doc_rowid) VALUES (?, ?, ?)",
                    [(band, key, rowid) for band, key in fp.keys],
                )
            for doc in earlier:
                self._replace_metadata(doc)
            db.executemany(
                "UPDATE documents SET duplicate_of = ?, duplicate_similarity = ? WHERE id = ?",
                [(r.duplicate.of, r.duplicate.similarity, r.id) for r in repoints],
            )
            db.executemany(
                "INSERT OR IGNORE INTO sightings (doc_id, source_id, origin, seen_at, title, url, source, published) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(s.doc_id, s.source_id, s.origin, now, s.title, s.url, s.source, s.published) for s in sightings],
            )

    # -- near-duplicate candidates ----------------------------------------------------
    def lsh_candidates(self, keys: Sequence[tuple[int, int]]) -> list[Candidate]:
        if not keys:
            return []
        where = " OR ".join("(band = ? AND key = ?)" for _ in keys)
        params = [v for pair in keys for v in pair]
        rows = self._db.execute(
            "SELECT id, duplicate_of, minhash, published_utc FROM documents WHERE rowid IN "
            f"(SELECT doc_rowid FROM lsh_bands WHERE {where})",
            params,
        ).fetchall()
        return [_candidate(r) for r in rows if r["minhash"]]

    def duplicate_group(self, root_id: str) -> list[Candidate]:
        rows = self._db.execute(
            "SELECT id, duplicate_of, minhash, published_utc FROM documents WHERE id = ? OR duplicate_of = ?",
            (root_id, root_id),
        ).fetchall()
        return [_candidate(r) for r in rows if r["minhash"]]

    # -- reading ----------------------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _row_to_document(row) if row else None

    def resolve(self, prefix: str) -> str | None:
        """A full id from a unique prefix (at least :data:`ID_PREFIX_MIN` characters); None if
        unknown; StoreError if ambiguous."""
        if len(prefix) < ID_PREFIX_MIN or not re.fullmatch(r"[0-9a-f]+", prefix):
            return prefix if self.get(prefix) else None
        rows = self._db.execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
        ).fetchall()
        if len(rows) > 1:
            raise AmbiguousIdError(f"id prefix {prefix!r} is ambiguous; give more characters")
        return rows[0][0] if rows else None

    def _where(self, q: DocumentQuery, t: str = "") -> tuple[str, list[Any]]:
        """The WHERE clause of a document query (``t``: the documents table's alias and a dot)."""
        return document_where(q, t, postgres=False)

    def documents(self, query: DocumentQuery) -> list[Document]:
        return list(self.iter_documents(query))

    def iter_documents(self, query: DocumentQuery) -> Iterator[Document]:
        where, params = self._where(query)
        sql = f"SELECT {_COLUMNS} FROM documents{where} ORDER BY published_utc IS NULL, published_utc, rowid"
        if query.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [query.limit, query.offset]
        for row in self._db.execute(sql, params):
            yield _row_to_document(row)

    def count(self, query: DocumentQuery) -> int:
        where, params = self._where(query)
        return int(self._db.execute(f"SELECT count(*) FROM documents{where}", params).fetchone()[0])

    def search(self, text: str, *, limit: int = 20, hide_duplicates: bool = False) -> list[SearchHit]:
        return self.search_page(text, DocumentQuery(limit=limit, hide_duplicates=hide_duplicates))[0]

    @property
    def rank_window(self) -> int:
        """How many of a search's matches are ranked and paged at most."""
        return RANK_WINDOW

    def search_page(self, text: str, query: DocumentQuery) -> tuple[list[SearchHit], int]:
        """Full-text matches best first, filtered as ``query`` says, one page of them (``limit``
        and ``offset``), and how many match in all, counted up to ``RANK_WINDOW + 1`` (more than
        the window: the rest are not counted).

        Ranking scores every match, so a query matching more than :data:`RANK_WINDOW` documents
        (a word nearly every article has) ranks the most recently stored ``RANK_WINDOW`` of them:
        the cost of a search stays bounded however large the store grows."""
        match = fts_query(text)
        if not match:
            return [], 0
        where, params = self._where(query, "d.")
        # with no filter on the documents the FTS index alone answers; with one, the join does
        base = "FROM documents_fts"
        if where:
            base += " JOIN documents d ON d.rowid = documents_fts.rowid"
        base += " WHERE documents_fts MATCH ?" + where.replace(" WHERE ", " AND ", 1)
        params = [match, *params]
        # counted up to one past the window: a word most articles hold costs no more to count
        count = int(
            self._db.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT ?)", [*params, RANK_WINDOW + 1]).fetchone()[
                0
            ]
        )
        if count > RANK_WINDOW:
            cutoff = self._db.execute(
                f"SELECT documents_fts.rowid {base} ORDER BY documents_fts.rowid DESC LIMIT 1 OFFSET ?",
                [*params, RANK_WINDOW - 1],
            ).fetchone()
            if cutoff:
                base += " AND documents_fts.rowid >= ?"
                params.append(cutoff[0])
        # rank on the index alone, then read the page's documents and snippets
        limit = query.limit if query.limit is not None else -1
        ranked = self._db.execute(
            f"SELECT documents_fts.rowid, bm25(documents_fts, 5.0, 1.0, 0.5) AS score {base} "
            "ORDER BY score LIMIT ? OFFSET ?",
            [*params, limit, query.offset],
        ).fetchall()
        if not ranked:
            return [], count
        rowids = [r[0] for r in ranked]
        marks = ",".join("?" * len(rowids))
        snippets = dict(
            self._db.execute(
                "SELECT rowid, snippet(documents_fts, 1, '[', ']', ' … ', 16) FROM documents_fts "
                f"WHERE documents_fts MATCH ? AND rowid IN ({marks})",
                [match, *rowids],
            ).fetchall()
        )
        rows = {
            r["rowid"]: r
            for r in self._db.execute(f"SELECT rowid, {_COLUMNS} FROM documents WHERE rowid IN ({marks})", rowids)
        }
        hits = [
            SearchHit(_row_to_document(rows[rowid]), -float(score), snippets.get(rowid) or "")
            for rowid, score in ranked
            if rowid in rows
        ]
        return hits, count

    def sightings(self, doc_id: str) -> list[Sighting]:
        rows = self._db.execute(
            "SELECT doc_id, source_id, origin, title, url, source, published FROM sightings "
            "WHERE doc_id = ? ORDER BY seen_at, origin",
            (doc_id,),
        )
        return [Sighting(*r) for r in rows]

    def stats(self) -> dict[str, Any]:
        db = self._db
        total, dups, earliest, latest = db.execute(
            "SELECT count(*), count(duplicate_of), min(published_utc), max(published_utc) FROM documents"
        ).fetchone()
        return {
            "path": self.path,
            "documents": total,
            "near_duplicates": dups,
            "inputs_seen": db.execute("SELECT count(*) FROM sightings").fetchone()[0],
            "undated": db.execute("SELECT count(*) FROM documents WHERE published IS NULL").fetchone()[0],
            "published_from": earliest,
            "published_to": latest,
            "languages": dict(
                db.execute(
                    "SELECT coalesce(language, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"
                ).fetchall()
            ),
            "sources": dict(
                db.execute(
                    "SELECT coalesce(source, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
                ).fetchall()
            ),
            "date_from": dict(
                db.execute(
                    "SELECT coalesce(published_source, 'none'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"
                ).fetchall()
            ),
            "events": dict(db.execute("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()),
            "event_status": dict(
                db.execute("SELECT status, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
            ),
            "migrations": self.migrations(),
        }

    # -- annotations ------------------------------------------------------------------
    def unannotated(self, stages: str, limit: int) -> list[Document]:
        """Documents not yet annotated by exactly these stage versions, oldest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM documents d LEFT JOIN annotated a ON a.doc_rowid = d.rowid "
            "WHERE a.stages IS NULL OR a.stages != ? ORDER BY d.rowid LIMIT ?",
            (stages, limit),
        ).fetchall()
        return [_row_to_document(r) for r in rows]

    def add_annotations(self, stages: str, items: Sequence[tuple[str, Annotations]]) -> None:
        """Replace the annotations of these documents, and bring the entity table up to date,
        in one transaction. Counts and aliases change by what a document's old annotations counted
        and its new ones count (:mod:`storyline.store.tally`), so annotating a document again
        never counts it twice."""
        now = datetime.now(UTC).isoformat()
        db = self._db
        with self.transaction():
            tally = EntityTally()
            for doc_id, ann in items:
                row = db.execute("SELECT rowid FROM documents WHERE id = ?", (doc_id,)).fetchone()
                if row is None:
                    continue
                rowid = row[0]
                before = self._tallied(rowid)
                self.unlink_actors(rowid)
                db.execute("DELETE FROM entity_mentions WHERE doc_rowid = ?", (rowid,))
                db.execute("DELETE FROM time_expressions WHERE doc_rowid = ?", (rowid,))
                self.count_places(rowid, -1)
                db.execute("DELETE FROM place_mentions WHERE doc_rowid = ?", (rowid,))
                db.execute(
                    "DELETE FROM event_actors WHERE event_id IN (SELECT id FROM events WHERE doc_rowid = ?)", (rowid,)
                )
                db.execute("DELETE FROM events WHERE doc_rowid = ?", (rowid,))
                self.forget_clustering(rowid)
                for ev in ann.events:
                    span = value_range(ev.time.value) if ev.time else None
                    db.execute(
                        "INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            ev.id,
                            rowid,
                            ev.trigger.start,
                            ev.type,
                            ev.subtype,
                            ev.cameo,
                            ev.status.value,
                            ev.time.value if ev.time else None,
                            span[0].isoformat() if span else None,
                            span[1].isoformat() if span else None,
                            ev.place.name if ev.place else None,
                            ev.place.country if ev.place else None,
                            ev.confidence,
                            json.dumps(ev.as_dict(), ensure_ascii=False),
                        ),
                    )
                    db.executemany(
                        "INSERT OR IGNORE INTO event_actors VALUES (?, ?, ?)",
                        [(ev.id, a.entity_id, a.role) for a in ev.actors if a.entity_id],
                    )
                self.link_actors(rowid)
                db.executemany(
                    "INSERT OR REPLACE INTO place_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(rowid, p.start, p.end, p.text, p.name, p.country, p.lat, p.lon, p.kind) for p in ann.places],
                )
                self.count_places(rowid, +1)
                db.executemany(
                    "INSERT OR REPLACE INTO entity_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            rowid,
                            e.start,
                            e.end,
                            e.text,
                            e.label,
                            e.entity_id,
                            e.canonical,
                            e.title,
                            e.country,
                            e.variant,
                            e.evidence,
                        )
                        for e in ann.entities
                    ],
                )
                db.executemany(
                    "INSERT OR REPLACE INTO time_expressions VALUES (?, ?, ?, ?, ?, ?)",
                    [(rowid, t.start, t.end, t.text, t.type.value, t.value) for t in ann.times],
                )
                db.execute(
                    "INSERT OR REPLACE INTO annotated VALUES (?, ?, ?, ?)",
                    (rowid, stages, json.dumps(ann.skipped, ensure_ascii=False), now),
                )
                mentioned = sorted({e.entity_id for e in ann.entities} - tally.created)
                if mentioned:
                    marks = ",".join("?" * len(mentioned))
                    held = {r[0] for r in db.execute(f"SELECT id FROM entities WHERE id IN ({marks})", mentioned)}
                    tally.created.update(set(mentioned) - held)
                db.executemany(
                    "INSERT OR IGNORE INTO entities (id, kind, canonical, country) VALUES (?, ?, ?, ?)",
                    [(e.entity_id, entity_kind(e.label, e.country), e.canonical, e.country) for e in ann.entities],
                )
                tally.document(*before, *self._tallied(rowid))
            self._apply_tally(tally)

    def _tallied(self, rowid: int) -> tuple[list[MentionRow], list[ActorRow]]:
        """A document's stored entity mentions and event actors, as the entity tally counts them."""
        return self._db.execute(MENTIONS_OF, (rowid,)).fetchall(), self._db.execute(ACTORS_OF, (rowid,)).fetchall()

    def _apply_tally(self, tally: EntityTally) -> None:
        """Bring the entities and their aliases up to date (:mod:`storyline.store.tally`)."""
        for sql, rows in tally.statements():
            self._db.executemany(sql, rows)

    def annotations(self, doc_id: str) -> Annotations:
        """The stored annotations of one document (empty when it has none yet)."""
        row = self._db.execute(
            "SELECT d.rowid, a.skipped FROM documents d LEFT JOIN annotated a ON a.doc_rowid = d.rowid WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return Annotations()
        rowid = row[0]
        entities = [
            EntityMention(*r)
            for r in self._db.execute(
                "SELECT start, end, text, label, entity_id, canonical, title, country, variant, evidence "
                "FROM entity_mentions WHERE doc_rowid = ? ORDER BY start",
                (rowid,),
            )
        ]
        times = [
            TimeExpression(r[0], r[1], r[2], TimeType(r[3]), r[4])
            for r in self._db.execute(
                "SELECT start, end, text, type, value FROM time_expressions WHERE doc_rowid = ? ORDER BY start",
                (rowid,),
            )
        ]
        places = [
            PlaceMention(*r)
            for r in self._db.execute(
                "SELECT start, end, text, name, country, lat, lon, kind FROM place_mentions WHERE doc_rowid = ? "
                "ORDER BY start",
                (rowid,),
            )
        ]
        events = [
            Event.from_dict(json.loads(r[0]))
            for r in self._db.execute("SELECT data FROM events WHERE doc_rowid = ? ORDER BY start, id", (rowid,))
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
            doubtful = "e.confidence < ?, "
            params.append(query.doubtful_below)
        sql += f" ORDER BY {doubtful}e.date_start IS NULL, e.date_start, d.id, e.start, e.id"
        if query.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [query.limit, query.offset]
        return sql, params

    def events(self, query: EventQuery) -> list[StoredEvent]:
        """Stored events, earliest first (undated ones last), filtered as the query says."""
        found = self._event_select("SELECT d.id, e.data FROM events e JOIN documents d ON d.rowid = e.doc_rowid", query)
        if found is None:
            return []
        return [StoredEvent(r[0], Event.from_dict(json.loads(r[1]))) for r in self._db.execute(*found)]

    def iter_event_rows(self, query: EventQuery) -> Iterator[EventRow]:
        """Stored events as :meth:`events` lists them, each with its evidence sentence, happening,
        storyline and document URL: one query, streamed (no document text is read whole)."""
        found = self._event_select(
            "SELECT d.id, e.data, substr(d.text, json_extract(e.data, '$.sentence.start') + 1, "
            "json_extract(e.data, '$.sentence.end') - json_extract(e.data, '$.sentence.start')), "
            "m.cluster_id, k.storyline, d.url, d.source_id FROM events e JOIN documents d ON d.rowid = e.doc_rowid "
            "LEFT JOIN cluster_members m ON m.event_id = e.id LEFT JOIN clusters k ON k.id = m.cluster_id",
            query,
        )
        if found is None:
            return
        for doc_id, data, evidence, cluster_id, storyline_id, url, source_id in self._db.execute(*found):
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
        return event_where(query, ids, postgres=False)

    def entity_aliases_matching(self, name: str) -> list[tuple[str, str, str | None]]:
        """The entities ``name`` stands for only as another name (an alias, not the id or the
        canonical name): (canonical name, alias as written, variant kind or None)."""
        return [
            (r[0], r[1], r[2])
            for r in self._db.execute(
                "SELECT e.canonical, a.alias, a.variant FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                "WHERE a.alias = ? COLLATE NOCASE AND e.canonical != ? COLLATE NOCASE AND e.id != ? "
                "ORDER BY e.documents DESC",
                (name, name, name),
            )
        ]

    def entity_ids(self, name: str) -> list[str]:
        """The entities a name or id may stand for: by id, canonical name or alias (any case);
        failing those, the entities whose canonical name starts or ends with it as a whole word
        ("Putin" finds Vladimir Putin)."""
        rows = self._db.execute(
            "SELECT id FROM entities WHERE id = ? OR canonical = ? COLLATE NOCASE "
            "UNION SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE",
            (name, name, name),
        ).fetchall()
        if not rows and name.strip():
            word = name.strip().replace("%", "").replace("_", "")
            rows = self._db.execute(
                "SELECT id FROM entities WHERE canonical LIKE ? OR canonical LIKE ?", (f"% {word}", f"{word} %")
            ).fetchall()
        return [r[0] for r in rows]

    def entities(self, kind: str | None = None, limit: int | None = 50, offset: int = 0) -> list[EntityRecord]:
        """Canonical entities, most widely reported first."""
        sql = "SELECT id, kind, canonical, country, mentions, documents FROM entities"
        params: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind.upper())
        sql += " ORDER BY documents DESC, mentions DESC, canonical"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        rows = self._db.execute(sql, params).fetchall()
        aliases: dict[str, dict[str, int]] = {r[0]: {} for r in rows}
        variants: dict[str, dict[str, str]] = {r[0]: {} for r in rows}
        for i in range(0, len(rows), 500):
            chunk = [r[0] for r in rows[i : i + 500]]
            for entity, alias, count, variant in self._db.execute(
                "SELECT entity_id, alias, count, variant FROM entity_aliases "
                f"WHERE entity_id IN ({','.join('?' * len(chunk))}) ORDER BY count DESC, alias",
                chunk,
            ):
                aliases[entity][alias] = count
                if variant:
                    variants[entity][alias] = variant
        return [EntityRecord(r[0], r[1], r[2], r[3], r[4], r[5], aliases[r[0]], variants[r[0]]) for r in rows]

    def people_weights(self) -> dict[str, int]:
        """How many stored documents name each person (canonical name), for resolving spellings."""
        return dict(self._db.execute("SELECT canonical, documents FROM entities WHERE kind = 'PERSON'").fetchall())

    def close(self) -> None:
        self._db.close()
