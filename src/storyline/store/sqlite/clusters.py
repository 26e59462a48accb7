"""The SQLite store's tables of happenings (event clusters), storylines and document vectors."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import numpy as np

from storyline.model.clusters import ClusterSource, ClusterState, EventCluster, HappeningEvidence, StorylineRecord
from storyline.store.filters import HappeningFilter, happening_where
from storyline.store.keys import DROP_MERGED_MARKS, ONE_PARTY_MARK, candidate_ids, filing, state_keys
from storyline.store.rows import (
    HAPPENING_PROFILES,
    cluster_from_row,
    entity_pairs,
    member_profiles,
    storyline_pairs,
    vectors_from_rows,
)

_CLUSTER_COLUMNS = (
    "id, family, type, subtype, start, end, granularity, status, actors, countries, place, country, lat, lon, "
    "label, storyline, tentative, confidence"
)
#: What matching writes; tentative and confidence are written by placement (set_happening_confidence).
_SAVED_COLUMNS = _CLUSTER_COLUMNS.removesuffix(", tentative, confidence")


class ClusterTables:
    """Mixed into :class:`SQLiteStore`: reads and writes of happenings and storylines."""

    _db: sqlite3.Connection

    # -- clustering ---------------------------------------------------------------------------
    def unclustered(self, limit: int) -> list[str]:
        """Ids of annotated documents not yet placed in a happening, oldest first."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT d.id FROM documents d JOIN annotated a ON a.doc_rowid = d.rowid "
                "LEFT JOIN document_clusters c ON c.doc_rowid = d.rowid WHERE c.doc_rowid IS NULL "
                "ORDER BY d.rowid LIMIT ?",
                (limit,),
            )
        ]

    def cluster_candidates(self, keys: Sequence[str], low: date, high: date) -> list[ClusterState]:
        """Happenings whose first day falls between ``low`` and ``high`` that an event of parties
        ``keys`` may join (storyline.store.keys)."""
        if not keys:
            return []
        sql, args = candidate_ids(keys, low, high)
        rows = self._db.execute(f"SELECT {_CLUSTER_COLUMNS} FROM clusters WHERE id IN ({sql})", args).fetchall()
        return [_state(r) for r in rows]

    def save_cluster(self, state: ClusterState, kind: str, subtype: str | None, place: dict[str, Any] | None,
                     label: str, keys: Sequence[str]) -> None:  # fmt: skip
        """Insert or update a cluster, and index it under ``keys``."""
        p = place or {}
        self._db.execute(
            f"INSERT INTO clusters ({_SAVED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT storyline FROM clusters WHERE id = ?)) ON CONFLICT(id) DO UPDATE SET start = excluded.start, "
            "end = excluded.end, granularity = excluded.granularity, status = excluded.status, "
            "actors = excluded.actors, countries = excluded.countries, place = coalesce(clusters.place, "
            "excluded.place), country = coalesce(clusters.country, excluded.country), lat = coalesce(clusters.lat, "
            "excluded.lat), lon = coalesce(clusters.lon, excluded.lon), label = excluded.label",
            (
                state.id, state.family, kind, subtype, _iso(state.start), _iso(state.end),
                state.granularity, state.status, json.dumps(state.actors, ensure_ascii=False),
                json.dumps(state.countries, ensure_ascii=False), p.get("name"), state.country or p.get("country"),
                p.get("lat"), p.get("lon"), label, state.id,
            ),
        )  # fmt: skip
        self._file(state, keys)
        self._db.execute("DELETE FROM cluster_entities WHERE cluster_id = ?", (state.id,))
        self._db.executemany(
            "INSERT OR IGNORE INTO cluster_entities VALUES (?, ?)",
            [(entity_id, state.id) for entity_id in {*state.actors, *state.countries}],
        )

    def _file(self, state: ClusterState, keys: Sequence[str]) -> None:
        """File a dated happening under ``keys`` from its first day (an undated one is matched by
        content, not by its parties' days), marked while it has a single party."""
        if state.start is None or state.end is None:
            return
        for sql, rows in filing(state.id, state.start, keys):
            self._db.executemany(sql, rows)
        self._db.execute(
            "INSERT INTO settings VALUES ('cluster_max_span_days', ?) ON CONFLICT(name) DO UPDATE SET "
            "value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
            (str((state.end - state.start).days),),
        )

    def merge_clusters(self, into: str, other: str) -> None:
        """Fold cluster ``other`` into ``into``: its members, documents and keys move; it goes."""
        db = self._db
        db.execute("UPDATE cluster_members SET cluster_id = ? WHERE cluster_id = ?", (into, other))
        db.execute("UPDATE document_clusters SET cluster_id = ? WHERE cluster_id = ?", (into, other))
        db.execute(
            "INSERT OR IGNORE INTO cluster_keys SELECT key, start, ? FROM cluster_keys WHERE cluster_id = ?",
            (into, other),
        )
        db.execute("DELETE FROM cluster_keys WHERE cluster_id = ?", (other,))
        db.execute(DROP_MERGED_MARKS, (into, ONE_PARTY_MARK, into))  # a happening of one party that gained another
        db.execute(
            "INSERT OR IGNORE INTO cluster_entities SELECT entity_id, ? FROM cluster_entities WHERE cluster_id = ?",
            (into, other),
        )
        db.execute("DELETE FROM cluster_entities WHERE cluster_id = ?", (other,))
        db.execute(
            "UPDATE clusters SET storyline = coalesce(storyline, (SELECT storyline FROM clusters WHERE id = ?)) "
            "WHERE id = ?",
            (other, into),
        )
        db.execute("DELETE FROM clusters WHERE id = ?", (other,))

    def add_member(self, event_id: str, cluster_id: str, doc_id: str, status: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO cluster_members SELECT ?, ?, rowid, ? FROM documents WHERE id = ?",
            (event_id, cluster_id, status, doc_id),
        )

    def set_document_cluster(self, doc_id: str, cluster_id: str | None, how: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO document_clusters SELECT rowid, ?, ? FROM documents WHERE id = ?",
            (cluster_id, how, doc_id),
        )

    def document_cluster(self, doc_id: str) -> str | None:
        row = self._db.execute(
            "SELECT c.cluster_id FROM document_clusters c JOIN documents d ON d.rowid = c.doc_rowid WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        return row[0] if row else None

    def storyline_for(self, key: str, label: str, entities: dict[str, str]) -> str:
        """The id of the storyline with this key, created when new; ``entities`` join its key entities."""
        row = self._db.execute("SELECT id, entities FROM storylines WHERE key = ?", (key,)).fetchone()
        before: set[str] = set()
        if row:
            sid = str(row[0])
            known = json.loads(row[1])
            before = set(known)  # the entities storyline_entities holds for it, kept alike
            if entities.keys() - known.keys():
                known.update(entities)
                self._db.execute(
                    "UPDATE storylines SET entities = ? WHERE id = ?", (json.dumps(known, ensure_ascii=False), sid)
                )
        else:
            sid = _storyline_id(key)
            data = json.dumps(entities, ensure_ascii=False)
            self._db.execute("INSERT INTO storylines VALUES (?, ?, ?, ?)", (sid, key, label, data))
        self._db.executemany("INSERT OR IGNORE INTO storyline_entities VALUES (?, ?)", [(e, sid) for e in entities])
        self._db.executemany(
            "INSERT OR IGNORE INTO storyline_pairs VALUES (?, ?, ?)", storyline_pairs(sid, before, entities)
        )
        return sid

    def storyline_overlaps(self, groups: Sequence[Sequence[str]]) -> list[tuple[str, set[str]]]:
        """Storylines sharing two or more entities of one of ``groups`` (two countries, or two
        people): (key, every entity of the groups it shares), most shared first, then the oldest.
        Found through their pairs of entities, so a country in thousands of storylines costs no
        more than a rare one."""
        pairs = entity_pairs(groups)
        if not pairs:
            return []
        every = sorted({e for group in groups for e in group})
        shared: dict[str, set[str]] = {}
        order: dict[str, int] = {}
        for key, rowid, entity in self._db.execute(
            f"SELECT s.key, s.rowid, e.entity_id FROM storyline_entities e JOIN storylines s ON s.id = e.storyline_id "
            f"WHERE e.entity_id IN ({','.join('?' * len(every))}) AND e.storyline_id IN (SELECT storyline_id "
            f"FROM storyline_pairs WHERE (a, b) IN (VALUES {','.join(['(?, ?)'] * len(pairs))}))",
            [*every, *(x for pair in pairs for x in pair)],
        ):
            shared.setdefault(key, set()).add(entity)
            order[key] = rowid
        return sorted(shared.items(), key=lambda kv: (-len(kv[1]), order[kv[0]]))

    def set_storyline(self, cluster_id: str, storyline_id: str) -> None:
        self._db.execute("UPDATE clusters SET storyline = ? WHERE id = ?", (storyline_id, cluster_id))

    def add_person_countries(self, pairs: dict[str, tuple[str, str]]) -> None:
        """One more article introduces each person (id) with a country (id, name)."""
        self._db.executemany(
            "INSERT INTO person_countries VALUES (?, ?, ?, 1) ON CONFLICT(person, country) DO UPDATE SET "
            "documents = documents + 1",
            [(person, country, name) for person, (country, name) in pairs.items()],
        )

    def person_countries(self, people: Sequence[str]) -> dict[str, tuple[str, str]]:
        """The country each of ``people`` is most often introduced with, where any article did."""
        out: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(people)):
            for person, country, name in self._db.execute(
                "SELECT person, country, name FROM person_countries WHERE person IN "
                f"({','.join('?' * len(chunk))}) ORDER BY documents, country DESC",
                chunk,
            ):
                out[person] = (country, name)  # the most frequent comes last
        return out

    def placement_version(self) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE name = 'placement_version'").fetchone()
        return str(row[0]) if row else None

    def reset_placements(self, version: str) -> None:
        """Forget every placement, happening, storyline, profile and vector (made by another
        placement version), so that every annotated document is placed again; record ``version``."""
        for table in (
            "document_clusters", "cluster_members", "cluster_keys", "cluster_entities", "clusters", "storylines",
            "storyline_entities", "storyline_pairs", "document_profiles", "term_frequencies", "document_vectors",
            "person_countries",
        ):  # fmt: skip
            self._db.execute(f"DELETE FROM {table}")
        self._db.execute("DELETE FROM settings WHERE name IN ('profiled_documents', 'cluster_max_span_days')")
        self._count_vector_removal()
        self._db.execute(
            "INSERT INTO settings VALUES ('placement_version', ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (version,),
        )

    def cluster_state(self, cluster_id: str) -> ClusterState | None:
        row = self._db.execute(f"SELECT {_CLUSTER_COLUMNS} FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
        return _state(row) if row is not None else None

    def save_cluster_state(self, state: ClusterState) -> None:
        """Write back what matching keeps of a happening (after a merge): its parties, days, status."""
        self._db.execute(
            "UPDATE clusters SET actors = ?, countries = ?, start = ?, end = ?, granularity = ?, status = ?, "
            "country = coalesce(country, ?), storyline = coalesce(storyline, ?) WHERE id = ?",
            (
                json.dumps(state.actors, ensure_ascii=False), json.dumps(state.countries, ensure_ascii=False),
                _iso(state.start), _iso(state.end), state.granularity, state.status, state.country, state.storyline,
                state.id,
            ),
        )  # fmt: skip
        self._db.executemany(
            "INSERT OR IGNORE INTO cluster_entities VALUES (?, ?)",
            [(entity_id, state.id) for entity_id in {*state.actors, *state.countries}],
        )
        # a merged happening is filed under every party it now has, from its first day as it is now
        # (the other's keys came under its own family and days); one saved with none keeps none
        if self._db.execute("SELECT 1 FROM cluster_keys WHERE cluster_id = ? LIMIT 1", (state.id,)).fetchone():
            self._file(state, state_keys(state))

    def describe_happening(
        self, cluster_id: str, kind: str, subtype: str | None, label: str | None, place: dict[str, Any] | None
    ) -> None:
        """Write what the votes over a happening's events chose: its kind, its title (unchanged
        when None) and its place (unchanged when None)."""
        p = place or {}
        self._db.execute(
            "UPDATE clusters SET type = ?, subtype = ?, label = coalesce(?, label), place = coalesce(?, place), "
            "country = CASE WHEN ? IS NULL THEN country ELSE ? END, lat = coalesce(?, lat), lon = coalesce(?, lon) "
            "WHERE id = ?",
            (kind, subtype, label, p.get("name"), p.get("name"), p.get("country"), p.get("lat"), p.get("lon"),
             cluster_id),
        )  # fmt: skip

    def set_happening_confidence(self, cluster_id: str, confidence: float, tentative: bool) -> None:
        self._db.execute(
            "UPDATE clusters SET confidence = ?, tentative = ? WHERE id = ?", (confidence, int(tentative), cluster_id)
        )

    def happening_support(self, cluster_id: str) -> tuple[int, int]:
        """How many articles report a happening (with an event of theirs in it, or placed in it),
        and how many of them mainly report it (placed in it)."""
        row = self._db.execute(
            "SELECT count(DISTINCT doc_rowid), count(DISTINCT CASE WHEN main THEN doc_rowid END) FROM ("
            "SELECT doc_rowid, 0 AS main FROM cluster_members WHERE cluster_id = ? UNION ALL "
            "SELECT doc_rowid, 1 FROM document_clusters WHERE cluster_id = ?)",
            (cluster_id, cluster_id),
        ).fetchone()
        return int(row[0]), int(row[1])

    def happening_evidence(self, cluster_id: str) -> list[HappeningEvidence]:
        """The member events of a happening, for the votes that describe it."""
        return [
            HappeningEvidence(r[0], r[1], r[2], float(r[3]), r[4], r[5], r[6], r[7], r[8], int(r[9] or 1))
            for r in self._db.execute(
                "SELECT e.type, e.subtype, m.status, e.confidence, json_extract(e.data, '$.place.name'), "
                "json_extract(e.data, '$.place.country'), json_extract(e.data, '$.place.lat'), "
                "json_extract(e.data, '$.place.lon'), json_extract(e.data, '$.place.kind'), "
                "json_array_length(e.data, '$.mentions') FROM cluster_members m "
                "JOIN events e ON e.id = m.event_id WHERE m.cluster_id = ?",
                (cluster_id,),
            )
        ]

    # -- document profiles (what the happening model reads) and term frequencies ---------------
    def add_profile(self, doc_id: str, data: dict[str, Any]) -> None:
        """Keep a document's profile; its terms count once more in the document frequencies
        (once per document: a profile written again does not count twice)."""
        row = self._db.execute(
            "SELECT d.rowid, p.doc_rowid FROM documents d LEFT JOIN document_profiles p ON p.doc_rowid = d.rowid "
            "WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return
        self._db.execute(
            "INSERT OR REPLACE INTO document_profiles VALUES (?, ?)", (row[0], json.dumps(data, ensure_ascii=False))
        )
        if row[1] is None:
            self._db.executemany(
                "INSERT INTO term_frequencies VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET documents = documents + 1",
                [(t,) for t in data.get("terms", {})],
            )
            self._db.execute(
                "INSERT INTO settings VALUES ('profiled_documents', '1') ON CONFLICT(name) DO UPDATE SET "
                "value = CAST(value AS INTEGER) + 1"
            )

    def happening_profiles(
        self, cluster_ids: Sequence[str], limit: int, model: str
    ) -> dict[str, list[tuple[str, str, bytes | None]]]:
        """For each happening, the profiles (JSON text) and vectors of ``model`` of its latest
        ``limit`` documents (:data:`~storyline.store.rows.HAPPENING_PROFILES`)."""
        query = HAPPENING_PROFILES.format(p="?")
        return {c: member_profiles(self._db.execute(query, (c, limit, model))) for c in dict.fromkeys(cluster_ids)}

    def term_frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many documents have a profile, and in how many of them each term appears."""
        row = self._db.execute("SELECT value FROM settings WHERE name = 'profiled_documents'").fetchone()
        out = dict.fromkeys(terms, 0)
        for chunk in _chunks(list(out)):
            for term, n in self._db.execute(
                f"SELECT term, documents FROM term_frequencies WHERE term IN ({','.join('?' * len(chunk))})", chunk
            ):
                out[term] = int(n)
        return (int(row[0]) if row else 0), out

    # -- document vectors ---------------------------------------------------------------------
    def add_vector(self, doc_id: str, model: str, vector: np.ndarray) -> bool:
        """Keep a document's vector of ``model``, in place of any it had (one per document): one of
        another model it replaces counts as removed (:meth:`vector_state`). True when it replaced
        one of the same model (the document placed again): a happening index holding the old one
        must be told (:meth:`storyline.cluster.Clusterer.place_many`)."""
        row = self._db.execute(
            "SELECT d.rowid, v.model FROM documents d LEFT JOIN document_vectors v ON v.doc_rowid = d.rowid "
            "WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return False
        if row[1] is not None and row[1] != model:
            self._count_vector_removal()  # counted first: a count without its removal only costs a comparison
        self._db.execute(
            "INSERT OR REPLACE INTO document_vectors VALUES (?, ?, ?)",
            (row[0], model, np.asarray(vector, dtype=np.float32).tobytes()),
        )
        return bool(row[1] == model)

    def _count_vector_removal(self) -> None:
        self._db.execute(
            "INSERT INTO settings VALUES ('vector_removals', '1') ON CONFLICT(name) DO UPDATE SET "
            "value = CAST(value AS INTEGER) + 1"
        )

    def vectors(
        self, model: str, dim: int | None = None, ids: Sequence[str] | None = None
    ) -> tuple[list[str], np.ndarray, list[str]]:
        """Stored document vectors of ``model`` (of the documents ``ids`` only, when given):
        document ids and an (n, dim) array in the order they were stored, and the ids of documents
        whose stored vector is damaged (not ``dim`` 32-bit floats), left out."""
        if ids is None:
            found: Iterable[tuple[str, Any]] = self._db.execute(
                "SELECT d.id, v.vector FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid "
                "WHERE v.model = ? ORDER BY v.doc_rowid",
                (model,),
            )
        else:
            wanted = list(dict.fromkeys(ids))
            found = [
                row
                for i in range(0, len(wanted), 500)
                for row in self._db.execute(
                    "SELECT d.id, v.vector FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid "
                    f"WHERE v.model = ? AND d.id IN ({','.join('?' * len(wanted[i : i + 500]))}) ORDER BY v.doc_rowid",
                    (model, *wanted[i : i + 500]),
                )
            ]
        return vectors_from_rows(found, dim)

    def vector_ids(self, model: str) -> list[str]:
        """The documents that have a stored vector of ``model``, in the order they were stored."""
        return [r[0] for r in self._db.execute(
            "SELECT d.id FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid WHERE v.model = ? "
            "ORDER BY v.doc_rowid",
            (model,),
        )]  # fmt: skip

    def vectors_after(self, model: str, after: int, dim: int | None = None) -> tuple[list[str], np.ndarray, list[str]]:
        """As :meth:`vectors`, of the documents whose rowid is above ``after`` only."""
        return vectors_from_rows(
            self._db.execute(
                "SELECT d.id, v.vector FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid "
                "WHERE v.model = ? AND v.doc_rowid > ? ORDER BY v.doc_rowid",
                (model, after),
            ),
            dim,
        )

    def vector_state(self, model: str) -> tuple[int, int, int]:
        """How many stored vectors of ``model`` there are, the highest document rowid among them
        (0: none), and how many vectors of any model were ever removed (replaced by one of another
        model, or reset): what tells whether a copy of them is still whole (read from the index
        of document_vectors on (model, doc_rowid) alone)."""
        row = self._db.execute(
            "SELECT count(*), coalesce(max(doc_rowid), 0), "
            "(SELECT value FROM settings WHERE name = 'vector_removals') FROM document_vectors WHERE model = ?",
            (model,),
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2] or 0)

    def store_id(self) -> str:
        """This store's identity, made on first asking (a random hex string kept in its settings,
        not copied by ``storyline copy``): what caches of it are kept under."""
        self._db.execute("INSERT OR IGNORE INTO settings VALUES ('store_id', ?)", (uuid.uuid4().hex,))
        return str(self._db.execute("SELECT value FROM settings WHERE name = 'store_id'").fetchone()[0])

    # -- reading ------------------------------------------------------------------------------
    def clusters(
        self, which: HappeningFilter | None = None, *, limit: int | None = 50, offset: int = 0
    ) -> list[EventCluster]:
        """Happenings in date order (undated ones last), with their sources: those ``which``
        picks (tentative ones only when it asks for them)."""
        which = which or HappeningFilter()
        where, params = happening_where(which, self.max_span(), postgres=False)

        def page(extra: str, order: str, limit: int | None, offset: int) -> list[sqlite3.Row]:
            sql = f"SELECT {_CLUSTER_COLUMNS} FROM clusters WHERE " + " AND ".join([*where, extra])
            sql += f" ORDER BY {order}" + (" LIMIT ? OFFSET ?" if limit is not None else "")
            return self._db.execute(sql, [*params, limit, offset] if limit is not None else params).fetchall()

        # dated ones in the order of the start index (read only as far as the page goes), then the
        # undated ones; SQLite would sort every match to put NULLs last in one query
        rows = page("start IS NOT NULL", "start, id", limit, offset)
        undated = not (which.dated_only or which.date_from or which.date_to)
        if undated and (limit is None or len(rows) < limit):
            skip = 0
            if offset and not rows:
                dated = f"SELECT count(*) FROM clusters WHERE {' AND '.join([*where, 'start IS NOT NULL'])}"
                skip = max(0, offset - int(self._db.execute(dated, params).fetchone()[0]))
            rows += page("start IS NULL", "id", None if limit is None else limit - len(rows), skip)
        ids = [r["id"] for r in rows]
        sources = self._sources(ids)
        out = []
        for r in rows:
            cluster = _cluster(r, sources.get(r["id"], []))
            out.append(cluster)
        return out

    def max_span(self) -> int:
        """The most days any stored happening spans."""
        row = self._db.execute("SELECT value FROM settings WHERE name = 'cluster_max_span_days'").fetchone()
        return int(row[0]) if row else 0

    def _sources(self, ids: Sequence[str]) -> dict[str, list[ClusterSource]]:
        """Per happening, its articles: each event mention with its evidence sentence, then the
        articles placed there by their nearest neighbours (with their opening as evidence)."""
        out: dict[str, list[ClusterSource]] = defaultdict(list)
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for cluster_id, doc_id, event_id, status, title, published, evidence in self._db.execute(
                "SELECT m.cluster_id, d.id, m.event_id, m.status, d.title, d.published, "
                "substr(d.text, json_extract(e.data, '$.sentence.start') + 1, "
                "json_extract(e.data, '$.sentence.end') - json_extract(e.data, '$.sentence.start')) "
                "FROM cluster_members m JOIN documents d ON d.rowid = m.doc_rowid "
                f"LEFT JOIN events e ON e.id = m.event_id WHERE m.cluster_id IN ({marks}) "
                "ORDER BY m.cluster_id, d.published, d.id, e.start, e.id",
                chunk,
            ):
                sentence = " ".join((evidence or "").split()) or None
                out[cluster_id].append(ClusterSource(doc_id, event_id, status, title, sentence, published))
            # articles placed here by their nearest neighbours, with no event of their own in it
            for cluster_id, doc_id, title, published, opening in self._db.execute(
                "SELECT c.cluster_id, d.id, d.title, d.published, substr(d.text, 1, 300) FROM document_clusters c "
                f"JOIN documents d ON d.rowid = c.doc_rowid WHERE c.cluster_id IN ({marks}) "
                "AND NOT EXISTS (SELECT 1 FROM cluster_members m WHERE m.cluster_id = c.cluster_id "
                "AND m.doc_rowid = c.doc_rowid) ORDER BY c.cluster_id, d.published, d.id",
                chunk,
            ):
                text = " ".join(opening.split())
                out[cluster_id].append(ClusterSource(doc_id, None, "similar", title, text, published))
        return out

    def storylines(self, limit: int | None = 50, offset: int = 0) -> list[StorylineRecord]:
        sql = (
            "SELECT s.id, s.label, s.entities, min(c.start), max(c.end), count(DISTINCT c.id), "
            "count(DISTINCT m.doc_rowid) FROM storylines s JOIN clusters c ON c.storyline = s.id AND c.tentative = 0 "
            "LEFT JOIN cluster_members m ON m.cluster_id = c.id GROUP BY s.id "
            "ORDER BY count(DISTINCT c.id) DESC, min(c.start)"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [limit, offset]
        return [
            StorylineRecord(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5], r[6])
            for r in self._db.execute(sql, params).fetchall()
        ]

    def document_clusters(self) -> dict[str, tuple[str | None, str | None]]:
        """Document id -> (its happening, that happening's storyline)."""
        return {
            r[0]: (r[1], r[2])
            for r in self._db.execute(
                "SELECT d.id, c.cluster_id, k.storyline FROM document_clusters c "
                "JOIN documents d ON d.rowid = c.doc_rowid LEFT JOIN clusters k ON k.id = c.cluster_id"
            )
        }

    def event_clusters(self, doc_id: str) -> dict[str, str]:
        """Event id -> cluster id, for one document's events."""
        return {
            r[0]: r[1]
            for r in self._db.execute(
                "SELECT m.event_id, m.cluster_id FROM cluster_members m JOIN documents d ON d.rowid = m.doc_rowid "
                "WHERE d.id = ?",
                (doc_id,),
            )
        }

    def forget_clustering(self, doc_rowid: int) -> None:
        """A document annotated anew is clustered anew; happenings it alone held go with it."""
        held = {
            r[0]
            for r in self._db.execute(
                "SELECT cluster_id FROM cluster_members WHERE doc_rowid = ? UNION "
                "SELECT cluster_id FROM document_clusters WHERE doc_rowid = ? AND cluster_id IS NOT NULL",
                (doc_rowid, doc_rowid),
            )
        }
        self._db.execute("DELETE FROM cluster_members WHERE doc_rowid = ?", (doc_rowid,))
        self._db.execute("DELETE FROM document_clusters WHERE doc_rowid = ?", (doc_rowid,))
        for cid in sorted(held):
            if self._db.execute(
                "SELECT 1 FROM cluster_members WHERE cluster_id = ? UNION ALL "
                "SELECT 1 FROM document_clusters WHERE cluster_id = ? LIMIT 1",
                (cid, cid),
            ).fetchone():
                continue
            self._db.execute("DELETE FROM clusters WHERE id = ?", (cid,))
            self._db.execute("DELETE FROM cluster_keys WHERE cluster_id = ?", (cid,))
            self._db.execute("DELETE FROM cluster_entities WHERE cluster_id = ?", (cid,))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _storyline_id(key: str) -> str:
    import hashlib

    return "S" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()


def _state(r: sqlite3.Row) -> ClusterState:
    return ClusterState(
        id=r["id"],
        family=r["family"],
        actors=json.loads(r["actors"]),
        start=date.fromisoformat(r["start"]) if r["start"] else None,
        end=date.fromisoformat(r["end"]) if r["end"] else None,
        granularity=r["granularity"],
        country=r["country"],
        status=r["status"],
        countries=json.loads(r["countries"]),
        storyline=r["storyline"],
    )


def _cluster(r: sqlite3.Row, sources: list[ClusterSource]) -> EventCluster:
    return cluster_from_row(dict(r), sources)


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(ids), size):
        yield list(ids[i : i + size])
