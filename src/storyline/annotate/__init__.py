"""Annotation stages: Document -> character-offset annotations of its text.

Each stage declares what it requires and assigns (see :data:`STAGES`) and works on batches.
Today: time expressions (rules, any language's digits, English words) and named entities
(spaCy, English). Places and events follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storyline.annotate.entities import EntityRecognizer
from storyline.annotate.times import find_times
from storyline.model import Document
from storyline.model.annotations import Annotations, EntityMention, TimeExpression
from storyline.pipeline import StageSpec

STAGES: tuple[StageSpec, ...] = (
    StageSpec("storyline.times.rules.v1", frozenset({"text", "published"}), frozenset({"times"})),
    StageSpec("storyline.entities.spacy.v1", frozenset({"text", "language"}), frozenset({"entities"})),
)

#: Documents longer than this are annotated on their first part only (bounded time and memory).
MAX_ANNOTATED_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Annotated:
    """A document with its annotations, and what could not be annotated and why."""

    document: Document
    times: list[TimeExpression] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def annotations(self) -> Annotations:
        return Annotations(self.times, self.entities, self.skipped)

    def as_dict(self, doc_id: str | None = None) -> dict[str, Any]:
        d = self.document
        return {
            "id": doc_id or d.id,
            "title": d.title,
            "published": d.published.value.isoformat() if d.published else None,
            "language": d.language,
            "text": d.text,
            "entities": [
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "label": e.label,
                    "entity_id": e.entity_id,
                    "canonical": e.canonical,
                    **({"title": e.title} if e.title else {}),
                    **({"country": e.country} if e.country else {}),
                }
                for e in self.entities
            ],
            "times": [
                {"start": t.start, "end": t.end, "text": t.text, "type": t.type.value, "value": t.value}
                for t in self.times
            ],
            "places": [],
            "skipped": self.skipped,
        }


class Annotator:
    """Runs the annotation stages over batches of documents. Build once per process."""

    def __init__(self, entities: EntityRecognizer | None = None) -> None:
        self.entities = entities or EntityRecognizer()

    #: The stage versions recorded with stored annotations; a change re-annotates on the next analyze.
    stages = ";".join(stage.name for stage in STAGES)

    def annotate_many(
        self, docs: Sequence[Document], *, anchor: date | None = None, known_people: Mapping[str, int] | None = None
    ) -> list[Annotated]:
        """Annotate a batch. ``anchor`` overrides each document's publication date for time
        expressions; ``known_people`` (canonical name -> documents) helps resolve spellings."""
        skipped: list[list[str]] = [[] for _ in docs]
        texts = []
        for i, d in enumerate(docs):
            if len(d.text) > MAX_ANNOTATED_CHARS:
                skipped[i].append(f"text beyond the first {MAX_ANNOTATED_CHARS:,} characters not annotated")
            texts.append(d.text[:MAX_ANNOTATED_CHARS])
        times = []
        for i, (d, text) in enumerate(zip(docs, texts, strict=True)):
            when = anchor or (d.published.value.date() if d.published else None)
            if when is None:
                skipped[i].append("no publication date: relative times left unresolved (XXXX)")
            times.append(find_times(text, when))
        readable = [i for i, d in enumerate(docs) if self.entities.reads(d.language)]
        for i, d in enumerate(docs):
            if i not in readable:
                skipped[i].append(f"entities: no model for language {d.language!r}")
        found = self.entities.recognise([texts[i] for i in readable], known_people) if readable else []
        entities: list[list[EntityMention]] = [[] for _ in docs]
        for i, mentions in zip(readable, found, strict=True):
            entities[i] = mentions
        return [Annotated(d, times[i], entities[i], skipped[i]) for i, d in enumerate(docs)]


__all__ = ["STAGES", "Annotated", "Annotator", "EntityRecognizer", "find_times"]
