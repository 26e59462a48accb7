"""The SQLite store's entity graph: who acts with whom.

The counts are kept as documents are annotated, not computed when asked, so a graph of the
heaviest actors of a large store is a few index lookups: ``entities.events`` holds the events each
entity is an actor in, and ``entity_edges`` (one row per pair, ``a < b``) the events in which both
are actors and the documents reporting such an event. Speakers (who reported an event) are not
actors here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from storyline.model.graph import EntityGraph, GraphEdge, GraphNode

_PAIRS = (
    "SELECT x.entity_id, y.entity_id, count(DISTINCT x.event_id) FROM events e "
    "JOIN event_actors x ON x.event_id = e.id AND x.role != 'speaker' "
    "JOIN event_actors y ON y.event_id = e.id AND y.role != 'speaker' AND y.entity_id > x.entity_id "
    "WHERE e.doc_rowid = ? GROUP BY x.entity_id, y.entity_id"
)
_NODE_COLUMNS = "id, canonical, kind, country, documents, events"


class GraphTables:
    """Mixed into :class:`SQLiteStore`: the entity graph's upkeep and reads."""

    _db: sqlite3.Connection

    # -- upkeep (inside the annotation transaction) -----------------------------------------------
    def unlink_actors(self, doc_rowid: int) -> None:
        """Before a document's events are replaced: take its pairs of actors out of the graph."""
        pairs = self._db.execute(_PAIRS, (doc_rowid,)).fetchall()
        self._db.executemany(
            "UPDATE entity_edges SET events = events - ?, documents = documents - 1 WHERE a = ? AND b = ?",
            [(n, a, b) for a, b, n in pairs],
        )
        self._db.executemany(
            "DELETE FROM entity_edges WHERE a = ? AND b = ? AND events <= 0", [(a, b) for a, b, _ in pairs]
        )

    def link_actors(self, doc_rowid: int) -> None:
        """After a document's events are stored: add its pairs of actors to the graph."""
        self._db.executemany(
            "INSERT INTO entity_edges (a, b, events, documents) VALUES (?, ?, ?, 1) ON CONFLICT (a, b) "
            "DO UPDATE SET events = events + excluded.events, documents = documents + 1",
            self._db.execute(_PAIRS, (doc_rowid,)).fetchall(),
        )

    # -- reading ------------------------------------------------------------------------------------
    def entity_graph(
        self, entity_ids: Sequence[str] | None = None, limit: int = 100, min_weight: int = 1
    ) -> EntityGraph:
        """The ``limit`` entities that are actors in the most events, and the edges among them of
        at least ``min_weight`` shared events; or, with ``entity_ids``, those entities and their
        ``limit`` - 1 (or fewer) neighbours with the most shared events, and the edges among all of them."""
        db = self._db
        if entity_ids is None:
            rows = db.execute(
                f"SELECT {_NODE_COLUMNS} FROM entities WHERE events > 0 ORDER BY events DESC, documents DESC, id "
                "LIMIT ?",
                (limit,),
            ).fetchall()
        else:
            centre = list(dict.fromkeys(entity_ids))[:limit]
            if not centre:
                return EntityGraph()
            marks = ",".join("?" * len(centre))
            neighbours = [
                r[0]
                for r in db.execute(
                    f"SELECT other FROM (SELECT b AS other, events FROM entity_edges WHERE a IN ({marks}) "
                    f"AND events >= ? UNION ALL SELECT a, events FROM entity_edges WHERE b IN ({marks}) "
                    f"AND events >= ?) WHERE other NOT IN ({marks}) GROUP BY other ORDER BY sum(events) DESC, other "
                    "LIMIT ?",
                    [*centre, min_weight, *centre, min_weight, *centre, limit - len(centre)],
                )
            ]
            order = {eid: i for i, eid in enumerate(centre + neighbours)}
            found = db.execute(
                f"SELECT {_NODE_COLUMNS} FROM entities WHERE id IN ({','.join('?' * len(order))})", list(order)
            ).fetchall()
            rows = sorted(found, key=lambda r: order[r[0]])
        nodes = [GraphNode(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]
        if len(nodes) < 2:
            return EntityGraph(nodes)
        ids = [n.id for n in nodes]
        marks = ",".join("?" * len(ids))
        edges = [
            GraphEdge(*r)
            for r in db.execute(
                f"SELECT a, b, events, documents FROM entity_edges WHERE a IN ({marks}) AND b IN ({marks}) "
                "AND events >= ? ORDER BY events DESC, documents DESC, a, b",
                [*ids, *ids, min_weight],
            )
        ]
        return EntityGraph(nodes, edges)
