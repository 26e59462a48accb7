"""Who acts with whom: a graph of canonical entities linked by the events they take part in
together. Standard library only, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class GraphNode:
    """An entity of the graph. ``documents``: stored documents that mention it; ``weight``: stored
    events in which it is an actor (any role but the speaker who reported it)."""

    id: str
    name: str
    kind: str
    country: str | None
    documents: int
    weight: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "documents": self.documents,
            "weight": self.weight,
        }


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """Two entities that act together. ``weight``: stored events in which both are actors;
    ``documents``: stored documents reporting at least one such event."""

    source: str
    target: str
    weight: int
    documents: int

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "weight": self.weight, "documents": self.documents}


@dataclass(frozen=True, slots=True)
class EntityGraph:
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {"nodes": [n.as_dict() for n in self.nodes], "edges": [e.as_dict() for e in self.edges]}
