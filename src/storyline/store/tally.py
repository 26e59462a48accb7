"""Entities' counts and aliases brought up to date by differences, not recounted.

When a document's annotations are replaced, what its old annotations counted is taken off and
what its new ones count is added: each entity's mentions, documents and events (events in which it
is an actor other than a speaker) and each alias's count. Recounting an entity from all its
mentions instead costs as much as it has mentions, in every batch that mentions it, so a batch
naming the United States in a store of a million articles paid for every article that ever named
it; by differences a batch costs what it holds.

The one figure that cannot be taken off is an alias's variant (the greatest variant of the
mentions with that text): when a mention carrying one goes, that alias's variant is read again
from the stored mentions (:attr:`EntityTally.recheck`). Both stores read a document's rows with
:data:`MENTIONS_OF` and :data:`ACTORS_OF` and apply :meth:`EntityTally.statements`: SQL both
accept (``?`` placeholders, which the PostgreSQL store turns into ``%s``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

__all__ = ["ACTORS_OF", "MENTIONS_OF", "ActorRow", "EntityTally", "MentionRow"]

#: A document's stored entity mentions and event actors, as the tally counts them (by its rowid).
MENTIONS_OF = "SELECT entity_id, text, variant FROM entity_mentions WHERE doc_rowid = ?"
ACTORS_OF = (
    "SELECT a.entity_id, a.event_id, a.role FROM events e JOIN event_actors a ON a.event_id = e.id "
    "WHERE e.doc_rowid = ?"
)  # fmt: skip

#: (entity id, text, variant) of one stored entity mention
MentionRow = tuple[str, str, str | None]
#: (entity id, event id, role) of one stored event actor
ActorRow = tuple[str, str, str]


class EntityTally:
    """The changes to entities and aliases made by replacing documents' annotations."""

    def __init__(self) -> None:
        self.mentions: Counter[str] = Counter()
        self.documents: Counter[str] = Counter()
        self.events: Counter[str] = Counter()
        self.aliases: Counter[tuple[str, str]] = Counter()
        self.variants: dict[tuple[str, str], str] = {}
        """The greatest variant added to each alias."""
        self.recheck: set[tuple[str, str]] = set()
        """Aliases that lost a mention carrying a variant: their variant is to be read again."""
        self.entities: set[str] = set()
        """Every entity whose figures may have changed."""
        self.created: set[str] = set()
        """Entities whose row was made in this batch: counted whole, not by differences (an event
        may have named one as an actor before any mention made its row: "Franco-German talks")."""

    def document(
        self,
        before: Iterable[MentionRow],
        before_actors: Iterable[ActorRow],
        after: Iterable[MentionRow],
        after_actors: Iterable[ActorRow],
    ) -> None:
        """One document's mentions and event actors as stored before and after its annotations
        were replaced."""
        self._count(before, before_actors, -1)
        self._count(after, after_actors, +1)

    def _count(self, mentions: Iterable[MentionRow], actors: Iterable[ActorRow], sign: int) -> None:
        present: set[str] = set()
        for entity, text, variant in mentions:
            present.add(entity)
            self.mentions[entity] += sign
            self.aliases[entity, text] += sign
            if variant is not None:
                if sign < 0:
                    self.recheck.add((entity, text))
                else:
                    known = self.variants.get((entity, text))
                    if known is None or variant > known:
                        self.variants[entity, text] = variant
        for entity in present:
            self.documents[entity] += sign
        acting = {(entity, event) for entity, event, role in actors if role != "speaker"}
        for entity, _ in acting:
            self.events[entity] += sign
        self.entities |= present
        self.entities.update(entity for entity, _, _ in actors)

    def count_rows(self) -> list[tuple[int, int, int, str]]:
        """(mentions, documents, events, entity id) to add, for entities whose figures changed
        (not those :attr:`created`)."""
        return [
            (self.mentions[e], self.documents[e], self.events[e], e)
            for e in sorted(self.entities - self.created)
            if self.mentions[e] or self.documents[e] or self.events[e]
        ]

    def alias_rows(self) -> list[tuple[str, str, int, str | None]]:
        """(entity id, alias, count to add, greatest variant added) for aliases that changed."""
        return [(e, text, self.aliases[e, text], self.variants.get((e, text))) for e, text in self.touched_aliases()]

    def touched_aliases(self) -> list[tuple[str, str]]:
        """Aliases whose count or variant may have changed (those left with no mention are dropped)."""
        return sorted({k for k, n in self.aliases.items() if n} | set(self.variants))

    def statements(self) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """What brings the entity and alias tables up to date: (SQL, rows to run it with) in order.
        Entities :attr:`created` are counted whole; aliases and entities left with no mention go."""
        created = sorted(self.created)
        every = sorted(self.entities)
        return [
            (
                "UPDATE entities SET mentions = mentions + ?, documents = documents + ?, events = events + ? "
                "WHERE id = ?",
                list(self.count_rows()),
            ),
            (
                "INSERT INTO entity_aliases (entity_id, alias, count, variant) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (entity_id, alias) DO UPDATE SET count = entity_aliases.count + excluded.count, "
                "variant = CASE WHEN excluded.variant IS NOT NULL AND (entity_aliases.variant IS NULL "
                "OR excluded.variant > entity_aliases.variant) THEN excluded.variant ELSE entity_aliases.variant END",
                list(self.alias_rows()),
            ),
            (
                "UPDATE entity_aliases SET variant = (SELECT max(variant) FROM entity_mentions "
                "WHERE entity_id = ? AND text = ?) WHERE entity_id = ? AND alias = ?",
                [(e, t, e, t) for e, t in sorted(self.recheck)],
            ),
            (
                "UPDATE entities SET mentions = (SELECT count(*) FROM entity_mentions WHERE entity_id = ?), "
                "documents = (SELECT count(DISTINCT doc_rowid) FROM entity_mentions WHERE entity_id = ?), "
                "events = (SELECT count(DISTINCT event_id) FROM event_actors WHERE entity_id = ? "
                "AND role <> 'speaker') WHERE id = ?",
                [(e, e, e, e) for e in created],
            ),
            ("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ? AND count <= 0", self.touched_aliases()),
            (
                "DELETE FROM entity_aliases WHERE entity_id = ? "
                "AND EXISTS (SELECT 1 FROM entities WHERE id = ? AND mentions <= 0)",
                [(e, e) for e in every],
            ),
            ("DELETE FROM entities WHERE id = ? AND mentions <= 0", [(e,) for e in every]),
        ]
