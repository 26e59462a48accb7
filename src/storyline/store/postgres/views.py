"""The PostgreSQL store's serving side, as the SQLite store's (store/sqlite/views.py): counts for
pages, single records, the map's points and the cache counter, each one aggregate query; and the
upkeep of the place-per-month counts the map reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storyline.model.annotations import EntityRecord
from storyline.model.clusters import StorylineRecord
from storyline.store.base import EventQuery
from storyline.store.filters import HappeningFilter, happening_where
from storyline.store.postgres.db import Database


class ServingQueries(Database):
    """Mixed into :class:`PostgresStore`."""

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
        return int(self._value(sql + (" WHERE " + " AND ".join(where) if where else ""), params))

    def count_places(self, doc_rowid: int, sign: int) -> None:
        """Add (``sign`` +1) or take away (-1) one document's places in the month counts."""
        month = self._one(
            "SELECT coalesce(substr(published_utc, 1, 7), '') FROM documents WHERE rowid = %s", (doc_rowid,)
        )
        if month is None:
            return
        with self._atomic():
            self._run(
                "INSERT INTO place_months SELECT %(month)s, name, min(coalesce(country, '')), lat, lon, %(sign)s "
                "FROM (SELECT DISTINCT name, country, lat, lon FROM place_mentions WHERE doc_rowid = %(rowid)s) AS p "
                "GROUP BY name, lat, lon "
                "ON CONFLICT (month, name, lat, lon) DO UPDATE SET "
                "documents = place_months.documents + excluded.documents",
                {"month": month[0], "sign": sign, "rowid": doc_rowid},
            )
            if sign < 0:
                self._run("DELETE FROM place_months WHERE month = %s AND documents <= 0", (month[0],))

    def document_placements(self, doc_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """For each of these documents placed in a happening: that happening and its storyline."""
        if not doc_ids:
            return {}
        return {
            doc_id: (cluster, story)
            for doc_id, cluster, story in self._all(
                "SELECT d.id, c.cluster_id, k.storyline FROM documents d JOIN document_clusters c "
                "ON c.doc_rowid = d.rowid LEFT JOIN clusters k ON k.id = c.cluster_id WHERE d.id = ANY(%s)",
                (list(doc_ids),),
            )
        }

    def count_entities(self, kind: str | None = None) -> int:
        if kind:
            return int(self._value("SELECT count(*) FROM entities WHERE kind = %s", (kind.upper(),)))
        return int(self._value("SELECT count(*) FROM entities"))

    def entity(self, entity_id: str) -> EntityRecord | None:
        row = self._one(
            "SELECT id, kind, canonical, country, mentions, documents FROM entities WHERE id = %s", (entity_id,)
        )
        if row is None:
            return None
        rows = self._all(
            "SELECT alias, count, variant FROM entity_aliases WHERE entity_id = %s ORDER BY count DESC, alias",
            (entity_id,),
        )
        aliases = {alias: count for alias, count, _ in rows}
        variants = {alias: variant for alias, _, variant in rows if variant}
        return EntityRecord(row[0], row[1], row[2], row[3], row[4], row[5], aliases, variants)

    def count_clusters(self, which: HappeningFilter | None = None) -> int:
        where, params = happening_where(which or HappeningFilter(), self.max_span(), postgres=True)
        sql = "SELECT count(*) FROM clusters" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self._value(sql, params))

    def count_storylines(self) -> int:
        return int(
            self._value(
                "SELECT count(*) FROM storylines s WHERE EXISTS "
                "(SELECT 1 FROM clusters c WHERE c.storyline = s.id AND c.tentative = 0)"
            )
        )

    def storyline(self, storyline_id: str) -> StorylineRecord | None:
        row = self._one(
            'SELECT s.id, s.label, s.entities, min(c.start), max(c."end"), count(DISTINCT c.id), '
            "count(DISTINCT m.doc_rowid) FROM storylines s JOIN clusters c ON c.storyline = s.id AND c.tentative = 0 "
            "LEFT JOIN cluster_members m ON m.cluster_id = c.id WHERE s.id = %s GROUP BY s.id",
            (storyline_id,),
        )
        if row is None:
            return None
        return StorylineRecord(row[0], row[1], json.loads(row[2]), row[3], row[4], int(row[5]), int(row[6]))

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
        where, params = happening_where(
            HappeningFilter(storyline=storyline, date_from=date_from, date_to=date_to),
            self.max_span(),
            postgres=True,
        )
        shown = " AND ".join(where) or "true"
        events = []
        for name, country, lat, lon, count, planned, ids, labels in self._all(
            "SELECT min(place), min(country), lat, lon, count(*), count(*) FILTER (WHERE status = 'planned'), "
            "(array_agg(id ORDER BY start NULLS LAST, id))[1:20], "
            "(array_agg(label ORDER BY start NULLS LAST, id))[1:5] "
            f"FROM clusters WHERE lat IS NOT NULL AND {shown} "
            "GROUP BY lat, lon ORDER BY count(*) DESC, lat, lon LIMIT %s",
            [*params, limit],
        ):
            point = {"name": name, "country": country, "lat": lat, "lon": lon, "events": int(count)}
            point.update(planned=int(planned or 0), event_ids=list(ids), labels=list(labels))
            events.append(point)
        if storyline:
            # the mentions in the articles of the storyline's happenings (a few documents)
            rows = self._all(
                "SELECT min(p.name), min(p.country), p.lat, p.lon, count(DISTINCT p.doc_rowid) FROM place_mentions p "
                "WHERE p.doc_rowid IN (SELECT doc_rowid FROM cluster_members WHERE cluster_id IN "
                f"(SELECT id FROM clusters WHERE {shown})) "
                "GROUP BY lower(p.name), p.lat, p.lon ORDER BY 5 DESC, 1, 3, 4 LIMIT %s",
                [*params, limit],
            )
        else:
            # the documents published in the months of the range that name each place
            clauses, bounds = [], []
            if date_from:
                clauses.append("month >= %s")
                bounds.append(date_from[:7])
            if date_to:
                clauses.append("month <= %s AND month <> ''")
                bounds.append(date_to[:7])
            rows = self._all(
                "SELECT name, nullif(min(country), ''), lat, lon, sum(documents)::bigint FROM place_months"
                + (" WHERE " + " AND ".join(clauses) if clauses else "")
                + " GROUP BY name, lat, lon ORDER BY 5 DESC, 1, 3, 4 LIMIT %s",
                [*bounds, limit],
            )
        mentions = [
            {"name": name, "country": country, "lat": lat, "lon": lon, "documents": int(docs)}
            for name, country, lat, lon, docs in rows
        ]
        return {"events": events, "mentions": mentions}
