"""The SQLite store's serving side: counts for pages, single records, the map's points and the
cache counter, each one aggregate query (no query per row) so pages stay fast on large stores;
and the upkeep of the place-per-month counts the map reads, as documents are annotated."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from storyline.model.annotations import EntityRecord
from storyline.model.clusters import StorylineRecord
from storyline.store.base import EventQuery
from storyline.store.filters import HappeningFilter, happening_where


class ServingQueries:
    """Mixed into :class:`SQLiteStore`."""

    _db: sqlite3.Connection

    def _event_filters(self, query: EventQuery) -> tuple[list[str], list[Any]] | None:
        raise NotImplementedError  # the store's own

    def max_span(self) -> int:
        raise NotImplementedError  # the cluster tables'

    def count_events(self, query: EventQuery) -> int:
        """How many stored events match ``query`` (its limit and offset aside)."""
        found = self._event_filters(query)
        if found is None:
            return 0
        where, params = found
        sql = "SELECT count(*) FROM events e JOIN documents d ON d.rowid = e.doc_rowid"
        return int(self._db.execute(sql + (" WHERE " + " AND ".join(where) if where else ""), params).fetchone()[0])

    def generation(self) -> int:
        """A counter every write transaction raises (new documents or sightings, annotations,
        clustering): aggregates over the whole store are cached against it."""
        row = self._db.execute("SELECT value FROM settings WHERE name = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def count_places(self, doc_rowid: int, sign: int) -> None:
        """Add (``sign`` +1) or take away (-1) one document's places in the month counts."""
        month = self._db.execute(
            "SELECT coalesce(substr(published_utc, 1, 7), '') FROM documents WHERE rowid = ?", (doc_rowid,)
        ).fetchone()
        if month is None:
            return
        self._db.execute(
            "INSERT INTO place_months SELECT ?, name, coalesce(country, ''), lat, lon, ? FROM "
            "(SELECT DISTINCT name, country, lat, lon FROM place_mentions WHERE doc_rowid = ?) WHERE true "
            "ON CONFLICT(month, name, lat, lon) DO UPDATE SET documents = documents + excluded.documents",
            (month[0], sign, doc_rowid),
        )
        if sign < 0:
            self._db.execute("DELETE FROM place_months WHERE month = ? AND documents <= 0", (month[0],))

    def document_placements(self, doc_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """For each of these documents placed in a happening: that happening and its storyline."""
        out: dict[str, tuple[str | None, str | None]] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[i : i + 500])
            for doc_id, cluster, story in self._db.execute(
                "SELECT d.id, c.cluster_id, k.storyline FROM documents d JOIN document_clusters c "
                "ON c.doc_rowid = d.rowid LEFT JOIN clusters k ON k.id = c.cluster_id "
                f"WHERE d.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[doc_id] = (cluster, story)
        return out

    def count_entities(self, kind: str | None = None) -> int:
        if kind:
            return int(self._db.execute("SELECT count(*) FROM entities WHERE kind = ?", (kind.upper(),)).fetchone()[0])
        return int(self._db.execute("SELECT count(*) FROM entities").fetchone()[0])

    def entity(self, entity_id: str) -> EntityRecord | None:
        row = self._db.execute(
            "SELECT id, kind, canonical, country, mentions, documents FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        if row is None:
            return None
        rows = self._db.execute(
            "SELECT alias, count, variant FROM entity_aliases WHERE entity_id = ? ORDER BY count DESC, alias",
            (entity_id,),
        ).fetchall()
        aliases = {alias: count for alias, count, _ in rows}
        variants = {alias: variant for alias, _, variant in rows if variant}
        return EntityRecord(row[0], row[1], row[2], row[3], row[4], row[5], aliases, variants)

    def count_clusters(self, which: HappeningFilter | None = None) -> int:
        where, params = happening_where(which or HappeningFilter(), self.max_span(), postgres=False)
        sql = "SELECT count(*) FROM clusters" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self._db.execute(sql, params).fetchone()[0])

    def count_storylines(self) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM storylines s WHERE EXISTS "
                "(SELECT 1 FROM clusters c WHERE c.storyline = s.id AND c.tentative = 0)"
            ).fetchone()[0]
        )

    def storyline(self, storyline_id: str) -> StorylineRecord | None:
        row = self._db.execute(
            "SELECT s.id, s.label, s.entities, min(c.start), max(c.end), count(DISTINCT c.id), "
            "count(DISTINCT m.doc_rowid) FROM storylines s JOIN clusters c ON c.storyline = s.id AND c.tentative = 0 "
            "LEFT JOIN cluster_members m ON m.cluster_id = c.id WHERE s.id = ? GROUP BY s.id",
            (storyline_id,),
        ).fetchone()
        return StorylineRecord(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5], row[6]) if row else None

    def map_points(
        self,
        *,
        storyline: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 1000,
    ) -> dict[str, Any]:
        """What a map draws, the most frequent first: happenings at their places (one point per
        place, with how many happenings, how many of them only planned, and the first ids and
        labels), and the places articles mention, counted by documents. With a date range the
        mentions are those of the documents published in its months; with a storyline, those of
        the articles of its happenings."""
        # the happenings shown: the same filters as every listing of happenings
        where, params = happening_where(
            HappeningFilter(storyline=storyline, date_from=date_from, date_to=date_to),
            self.max_span(),
            postgres=False,
        )
        shown = " AND ".join(where) or "1"
        events = []
        for name, country, lat, lon, count, planned, ids, labels in self._db.execute(
            "SELECT place, country, lat, lon, count(*), sum(status = 'planned'), json_group_array(id), "
            f"json_group_array(label) FROM clusters WHERE lat IS NOT NULL AND {shown} "
            "GROUP BY lat, lon ORDER BY count(*) DESC LIMIT ?",
            [*params, limit],
        ):
            point = {"name": name, "country": country, "lat": lat, "lon": lon, "events": count}
            point.update(planned=int(planned or 0), event_ids=json.loads(ids)[:20], labels=json.loads(labels)[:5])
            events.append(point)
        mentions = []
        if storyline:
            # the mentions in the articles of the storyline's happenings (a few documents)
            sql = (
                "SELECT p.name, p.country, p.lat, p.lon, count(DISTINCT p.doc_rowid) FROM place_mentions p "
                "WHERE p.doc_rowid IN (SELECT doc_rowid FROM cluster_members WHERE cluster_id IN "
                f"(SELECT id FROM clusters WHERE {shown})) "
                "GROUP BY p.name COLLATE NOCASE, p.lat, p.lon ORDER BY 5 DESC LIMIT ?"
            )
            rows = self._db.execute(sql, [*params, limit]).fetchall()
        else:
            # the documents published in the months of the range that name each place
            clauses, bounds = [], []
            if date_from:
                clauses.append("month >= ?")
                bounds.append(date_from[:7])
            if date_to:
                clauses.append("month <= ? AND month != ''")
                bounds.append(date_to[:7])
            sql = (
                "SELECT name, nullif(country, ''), lat, lon, sum(documents) FROM place_months"
                + (" WHERE " + " AND ".join(clauses) if clauses else "")
                + " GROUP BY name, lat, lon ORDER BY 5 DESC LIMIT ?"
            )
            rows = self._db.execute(sql, [*bounds, limit]).fetchall()
        for name, country, lat, lon, docs in rows:
            mentions.append({"name": name, "country": country, "lat": lat, "lon": lon, "documents": docs})
        return {"events": events, "mentions": mentions}
