"""How a happening is filed and found by the parties of the events that may join it, the same on
both store backends (statements written once, with ``?`` for parameters).

A dated happening is filed in ``cluster_keys`` under one key per party (``family:entity``) from its
first day. An event looks for the happenings filed under two of its keys within its window of
days, or under one when it names a single party; a happening of a single party ("Putin said") is
filed a second time under its key with the mark :data:`ONE_PARTY_MARK`, so that an event of two parties
finds it on the one they share. That is what :func:`storyline.cluster.events.compatible` accepts
(two shared parties, one when either side has one). A happening that gains a second party loses
its mark.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.model.clusters import ClusterState

__all__ = ["DROP_MERGED_MARKS", "ONE_PARTY_MARK", "candidate_ids", "filing", "party_keys", "state_keys"]

#: Prefixed to the key of a happening of a single party, filed a second time under it.
ONE_PARTY_MARK = "="

#: Insert a key row (an existing one is kept).
_FILE = "INSERT INTO cluster_keys VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
#: Take a happening's marks away (found by the happening: a mark's key may file thousands of others).
_DROP_MARKS = "DELETE FROM cluster_keys WHERE cluster_id = ? AND substr(key, 1, 1) = ?"
#: After a merge into a happening (its id, the mark, its id again): its marks go when it is filed
#: under two parties of its own family (the other happening's keys may be of another family).
DROP_MERGED_MARKS = (
    _DROP_MARKS + " AND (SELECT count(DISTINCT k.key) FROM cluster_keys k JOIN clusters c ON c.id = k.cluster_id "
    "WHERE k.cluster_id = ? AND substr(k.key, 1, length(c.family) + 1) = c.family || ':') > 1"
)


def party_keys(family: str, parties: Iterable[str]) -> list[str]:
    """The keys a happening (or an event) of ``family`` is filed and found by: one per party."""
    return [f"{family}:{p}" for p in dict.fromkeys(parties)]


def state_keys(state: ClusterState) -> list[str]:
    """The keys a happening is filed under: its actors and its countries."""
    return party_keys(state.family, {**state.actors, **state.countries})


def filing(cluster_id: str, start: date, keys: Sequence[str]) -> list[tuple[str, list[tuple[str, ...]]]]:
    """The statements (each with its rows) that file a dated happening under ``keys`` from its
    first day ``start``: marked when it has a single party, its marks taken away when more."""
    if not keys:
        return []
    day = start.isoformat()
    if len(set(keys)) == 1:
        return [(_FILE, [(keys[0], day, cluster_id), (ONE_PARTY_MARK + keys[0], day, cluster_id)])]
    return [(_DROP_MARKS, [(cluster_id, ONE_PARTY_MARK)]), (_FILE, [(k, day, cluster_id) for k in keys])]


def candidate_ids(keys: Sequence[str], low: date, high: date) -> tuple[str, list[Any]]:
    """A query of the ids of the happenings an event of parties ``keys`` may join, filed between
    ``low`` and ``high``, and its parameters: those filed under two of the keys, or under one when
    the event or the happening has a single party."""
    marks = ",".join("?" * len(keys))
    window = [low.isoformat(), high.isoformat()]
    sql = (
        f"SELECT cluster_id FROM cluster_keys WHERE key IN ({marks}) AND start BETWEEN ? AND ? "
        "GROUP BY cluster_id HAVING count(DISTINCT key) >= ?"
    )
    args: list[Any] = [*keys, *window, min(2, len(set(keys)))]
    if len(set(keys)) > 1:
        sql += f" UNION SELECT cluster_id FROM cluster_keys WHERE key IN ({marks}) AND start BETWEEN ? AND ?"
        args += [*(ONE_PARTY_MARK + k for k in keys), *window]
    return sql, args
