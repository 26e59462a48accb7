"""The SQLite store's tables of happenings (event clusters), storylines and document vectors."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from storyline.model.clusters import ClusterSource, ClusterState, EventCluster, StorylineRecord, describe

_CLUSTER_COLUMNS = (
    "id, family, type, subtype, start, end, granularity, status, actors, countries, place, country, lat, lon, "
    "label, storyline"
)


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

    def cluster_candidates(self, keys: Sequence[str], start: date, end: date, slack: int) -> list[ClusterState]:
        """Clusters holding any of ``keys`` whose first day falls near ``start``..``end`` (clusters
        span a month at most when they start, so the window reaches back a month more)."""
        if not keys:
            return []
        low = (start - timedelta(days=31 + slack)).isoformat()
        high = (end + timedelta(days=slack)).isoformat()
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT {_CLUSTER_COLUMNS} FROM clusters WHERE id IN (SELECT cluster_id FROM cluster_keys "
            f"WHERE key IN ({marks}) AND start BETWEEN ? AND ?)",
            (*keys, low, high),
        ).fetchall()
        return [_state(r) for r in rows]

    def save_cluster(self, state: ClusterState, kind: str, subtype: str | None, place: dict[str, Any] | None,
                     label: str, keys: Sequence[str]) -> None:  # fmt: skip
        """Insert or update a cluster, and index it under ``keys``."""
        p = place or {}
        self._db.execute(
            f"INSERT INTO clusters ({_CLUSTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT storyline FROM clusters WHERE id = ?)) ON CONFLICT(id) DO UPDATE SET start = excluded.start, "
            "end = excluded.end, granularity = excluded.granularity, status = excluded.status, "
            "actors = excluded.actors, countries = excluded.countries, place = coalesce(clusters.place, "
            "excluded.place), country = coalesce(clusters.country, excluded.country), lat = coalesce(clusters.lat, "
            "excluded.lat), lon = coalesce(clusters.lon, excluded.lon), label = excluded.label",
            (
                state.id, state.family, kind, subtype, state.start.isoformat(), state.end.isoformat(),
                state.granularity, state.status, json.dumps(state.actors, ensure_ascii=False),
                json.dumps(state.countries, ensure_ascii=False), p.get("name"), state.country or p.get("country"),
                p.get("lat"), p.get("lon"), label, state.id,
            ),
        )  # fmt: skip
        self._db.executemany(
            "INSERT OR IGNORE INTO cluster_keys VALUES (?, ?, ?)",
            [(k, state.start.isoformat(), state.id) for k in keys],
        )
        self._db.execute(
            "INSERT INTO settings VALUES ('cluster_max_span_days', ?) ON CONFLICT(name) DO UPDATE SET "
            "value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
            (str((state.end - state.start).days),),
        )
        self._db.execute("DELETE FROM cluster_entities WHERE cluster_id = ?", (state.id,))
        self._db.executemany(
            "INSERT OR IGNORE INTO cluster_entities VALUES (?, ?)",
            [(entity_id, state.id) for entity_id in {*state.actors, *state.countries}],
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
        if row:
            sid = str(row[0])
            known = json.loads(row[1])
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
        return sid

    def storyline_overlaps(self, entity_ids: Sequence[str]) -> list[tuple[str, set[str]]]:
        """Storylines sharing entities with ``entity_ids``: (key, the shared ids), most shared first."""
        if not entity_ids:
            return []
        marks = ",".join("?" * len(entity_ids))
        shared: dict[str, set[str]] = {}
        for key, entity in self._db.execute(
            f"SELECT s.key, e.entity_id FROM storyline_entities e JOIN storylines s ON s.id = e.storyline_id "
            f"WHERE e.entity_id IN ({marks}) ORDER BY s.rowid",
            list(entity_ids),
        ):
            shared.setdefault(key, set()).add(entity)
        return sorted(shared.items(), key=lambda kv: -len(kv[1]))

    def set_storyline(self, cluster_id: str, storyline_id: str) -> None:
        self._db.execute("UPDATE clusters SET storyline = ? WHERE id = ?", (storyline_id, cluster_id))

    # -- document vectors ---------------------------------------------------------------------
    def add_vector(self, doc_id: str, model: str, vector: np.ndarray) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO document_vectors SELECT rowid, ?, ? FROM documents WHERE id = ?",
            (model, np.asarray(vector, dtype=np.float32).tobytes(), doc_id),
        )

    def vectors(self, model: str) -> tuple[list[str], np.ndarray]:
        """Every stored document vector of ``model``: document ids and an (n, dim) array."""
        ids, rows = [], []
        for doc_id, blob in self._db.execute(
            "SELECT d.id, v.vector FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid "
            "WHERE v.model = ? ORDER BY v.doc_rowid",
            (model,),
        ):
            ids.append(doc_id)
            rows.append(np.frombuffer(blob, dtype=np.float32))
        return ids, (np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32))

    # -- reading ------------------------------------------------------------------------------
    def clusters(
        self,
        *,
        entity_ids: Sequence[Sequence[str]] | None = None,
        storyline: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        cluster_id: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[EventCluster]:
        """Happenings in date order, with their sources."""
        where, params = cluster_filters(entity_ids, storyline, date_from, date_to, cluster_id, self.max_span())
        sql = f"SELECT {_CLUSTER_COLUMNS} FROM clusters"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY start, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        rows = self._db.execute(sql, params).fetchall()
        ids = [r["id"] for r in rows]
        sources = self._sources(ids)
        votes = self._place_votes(ids)
        out = []
        for r in rows:
            cluster = _cluster(r, sources.get(r["id"], []))
            self._vote_place(cluster, votes.get(r["id"]))
            out.append(cluster)
        return out

    def max_span(self) -> int:
        """The most days any stored happening spans."""
        row = self._db.execute("SELECT value FROM settings WHERE name = 'cluster_max_span_days'").fetchone()
        return int(row[0]) if row else 0

    def _place_votes(self, ids: Sequence[str]) -> dict[str, Counter[tuple[str, str | None, float, float, int]]]:
        """Per happening, how many of its event mentions give each place (name, country, lat, lon,
        whether it is a city or finer)."""
        out: dict[str, Counter[tuple[str, str | None, float, float, int]]] = defaultdict(Counter)
        for chunk in _chunks(ids):
            for cluster_id, name, country, lat, lon, kind in self._db.execute(
                "SELECT m.cluster_id, json_extract(e.data, '$.place.name'), json_extract(e.data, '$.place.country'), "
                "json_extract(e.data, '$.place.lat'), json_extract(e.data, '$.place.lon'), "
                "json_extract(e.data, '$.place.kind') FROM cluster_members m JOIN events e ON e.id = m.event_id "
                f"WHERE m.cluster_id IN ({','.join('?' * len(chunk))}) AND json_extract(e.data, '$.place.name') "
                "IS NOT NULL",
                chunk,
            ):
                specific = int(kind not in ("country", "continent", "region"))
                out[cluster_id][(name, country, lat, lon, specific)] += 1
        return out

    def _vote_place(
        self, cluster: EventCluster, votes: Counter[tuple[str, str | None, float, float, int]] | None
    ) -> None:
        """The happening's place: the one most of its mentions give (a city before a country on a
        tie), not whichever came first; its description follows."""
        if not votes:
            return
        (name, country, lat, lon, _), _ = max(votes.items(), key=lambda kv: (kv[1], kv[0][4]))
        if name != cluster.place:
            cluster.place, cluster.country, cluster.lat, cluster.lon = name, country, lat, lon
            if cluster.family != "document":
                cluster.label = describe(cluster.subtype or cluster.family, cluster.actors, name, cluster.start or "")

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
                "ORDER BY m.cluster_id, d.published, d.id, e.start",
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
            "count(DISTINCT m.doc_rowid) FROM storylines s JOIN clusters c ON c.storyline = s.id "
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
        held = [
            r[0] for r in self._db.execute("SELECT cluster_id FROM cluster_members WHERE doc_rowid = ?", (doc_rowid,))
        ]
        self._db.execute("DELETE FROM cluster_members WHERE doc_rowid = ?", (doc_rowid,))
        self._db.execute("DELETE FROM document_clusters WHERE doc_rowid = ?", (doc_rowid,))
        for cid in held:
            if self._db.execute("SELECT 1 FROM cluster_members WHERE cluster_id = ? LIMIT 1", (cid,)).fetchone():
                continue
            self._db.execute("DELETE FROM clusters WHERE id = ?", (cid,))
            self._db.execute("DELETE FROM cluster_keys WHERE cluster_id = ?", (cid,))
            self._db.execute("DELETE FROM cluster_entities WHERE cluster_id = ?", (cid,))
            self._db.execute("UPDATE document_clusters SET cluster_id = NULL WHERE cluster_id = ?", (cid,))


def _storyline_id(key: str) -> str:
    import hashlib

    return "S" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()


def cluster_filters(
    entity_ids: Sequence[Sequence[str]] | None,
    storyline: str | None,
    date_from: str | None,
    date_to: str | None,
    cluster_id: str | None,
    max_span: int = 366,
) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (and their parameters) that pick happenings: each group of entity ids
    has one taking part, of a storyline, overlapping a date range, or one id. Every listing, count
    and map of happenings filters through here."""
    where: list[str] = []
    params: list[Any] = []
    if entity_ids is not None:
        # every given entity (any of the ids its name may stand for) takes part, as an actor or as
        # a country an actor stands for
        for ids in entity_ids:
            if not ids:
                return ["0"], []
            marks = ",".join("?" * len(ids))
            where.append(f"id IN (SELECT cluster_id FROM cluster_entities WHERE entity_id IN ({marks}))")
            params += list(ids)
    if storyline:
        where.append("storyline = ?")
        params.append(storyline)
    if date_from:
        where.append("end >= ?")
        params.append(date_from)
        # no happening spans more than max_span days, so one ending in the range started at most
        # that long before it: a bound on the start index, not a scan of every earlier happening
        earliest = date.fromisoformat(date_from[:10]) - timedelta(days=max_span)
        where.append("start >= ?")
        params.append(earliest.isoformat())
    if date_to:
        where.append("start <= ?")
        params.append(date_to)
    if cluster_id:
        where.append("id = ?")
        params.append(cluster_id)
    return where, params


def _state(r: sqlite3.Row) -> ClusterState:
    return ClusterState(
        id=r["id"],
        family=r["family"],
        actors=json.loads(r["actors"]),
        start=date.fromisoformat(r["start"]),
        end=date.fromisoformat(r["end"]),
        granularity=r["granularity"],
        country=r["country"],
        status=r["status"],
        countries=json.loads(r["countries"]),
        storyline=r["storyline"],
    )


def _cluster(r: sqlite3.Row, sources: list[ClusterSource]) -> EventCluster:
    return EventCluster(
        id=r["id"],
        type=r["type"],
        subtype=r["subtype"],
        family=r["family"],
        start=r["start"],
        end=r["end"],
        granularity=r["granularity"],
        status=r["status"],
        actors=json.loads(r["actors"]),
        place=r["place"],
        country=r["country"],
        lat=r["lat"],
        lon=r["lon"],
        label=r["label"],
        storyline_id=r["storyline"],
        mentions=len(sources),
        documents=len({s.document_id for s in sources}),
        sources=sources,
    )


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(ids), size):
        yield list(ids[i : i + size])
