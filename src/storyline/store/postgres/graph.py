"""The PostgreSQL store's entity graph: who acts with whom, kept up to date as documents are
annotated, as the SQLite store keeps it (see store/sqlite/graph.py)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model.graph import EntityGraph, GraphEdge, GraphNode
from storyline.store.postgres.db import Database

_PAIRS = (
    "SELECT x.entity_id, y.entity_id, count(DISTINCT x.event_id) FROM events e "
    "JOIN event_actors x ON x.event_id = e.id AND x.role <> 'speaker' "
    "JOIN event_actors y ON y.event_id = e.id AND y.role <> 'speaker' AND y.entity_id > x.entity_id "
    "WHERE e.doc_rowid = %s GROUP BY x.entity_id, y.entity_id"
)
_NODE_COLUMNS = "id, canonical, kind, country, documents, events"


class GraphTables(Database):
    """Mixed into :class:`PostgresStore`: the entity graph's upkeep and reads."""

    # -- upkeep (inside the annotation transaction) -----------------------------------------------
    def unlink_actors(self, doc_rowid: int) -> None:
        """Before a document's events are replaced: take its pairs of actors out of the graph."""
        pairs = self._all(_PAIRS, (doc_rowid,))
        self._many(
            "UPDATE entity_edges SET events = events - %s, documents = documents - 1 WHERE a = %s AND b = %s",
            [(n, a, b) for a, b, n in pairs],
        )
        self._many("DELETE FROM entity_edges WHERE a = %s AND b = %s AND events <= 0", [(a, b) for a, b, _ in pairs])

    def link_actors(self, doc_rowid: int) -> None:
        """After a document's events are stored: add its pairs of actors to the graph."""
        self._many(
            "INSERT INTO entity_edges (a, b, events, documents) VALUES (%s, %s, %s, 1) ON CONFLICT (a, b) "
            "DO UPDATE SET events = entity_edges.events + excluded.events, documents = entity_edges.documents + 1",
            self._all(_PAIRS, (doc_rowid,)),
        )

    # -- reading ------------------------------------------------------------------------------------
    def entity_graph(
        self, entity_ids: Sequence[str] | None = None, limit: int = 100, min_weight: int = 1
    ) -> EntityGraph:
        """The ``limit`` entities that are actors in the most events, and the edges among them of
        at least ``min_weight`` shared events; or, with ``entity_ids``, those entities and their
        ``limit`` - 1 (or fewer) neighbours with the most shared events, and the edges among all of them."""
        if entity_ids is None:
            rows = self._all(
                f"SELECT {_NODE_COLUMNS} FROM entities WHERE events > 0 ORDER BY events DESC, documents DESC, id "
                "LIMIT %s",
                (limit,),
            )
        else:
            centre = list(dict.fromkeys(entity_ids))[:limit]
            if not centre:
                return EntityGraph()
            neighbours = [
                r[0]
                for r in self._all(
                    "SELECT other FROM (SELECT b AS other, events FROM entity_edges WHERE a = ANY(%(centre)s) "
                    "AND events >= %(weight)s UNION ALL SELECT a, events FROM entity_edges WHERE b = ANY(%(centre)s) "
                    "AND events >= %(weight)s) AS n WHERE other <> ALL(%(centre)s) GROUP BY other "
                    "ORDER BY sum(events) DESC, other LIMIT %(limit)s",
                    {"centre": centre, "weight": min_weight, "limit": limit - len(centre)},
                )
            ]
            order = {eid: i for i, eid in enumerate(centre + neighbours)}
            found = self._all(f"SELECT {_NODE_COLUMNS} FROM entities WHERE id = ANY(%s)", (list(order),))
            rows = sorted(found, key=lambda r: order[r[0]])
        nodes = [GraphNode(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]
        if len(nodes) < 2:
            return EntityGraph(nodes)
        ids = [n.id for n in nodes]
        edges = [
            GraphEdge(*r)
            for r in self._all(
                "SELECT a, b, events, documents FROM entity_edges WHERE a = ANY(%(ids)s) AND b = ANY(%(ids)s) "
                "AND events >= %(weight)s ORDER BY events DESC, documents DESC, a, b",
                {"ids": ids, "weight": min_weight},
            )
        ]
        return EntityGraph(nodes, edges)
