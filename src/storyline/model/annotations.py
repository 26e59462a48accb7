"""Annotations: spans of a Document's text, by character offsets. Standard library only."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class TimeType(StrEnum):
    """TimeML TIMEX3 types."""

    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class _Span:
    """What every annotation shares: a valid span of the text, and its exported form.
    (No slots of its own, so the dataclasses below keep theirs.)"""

    __slots__ = ()
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def as_dict(self) -> dict[str, Any]:
        """The annotation as exported (enum values as their strings)."""
        return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class TimeExpression(_Span):
    """A time expression with its TIMEX3 value, e.g. "on May 21" -> DATE 2018-05-21.

    Values follow TimeML: ``2018-05-21``, ``2018-05`` (a month, not a day), ``2018-W21``,
    ``2018-Q2``, ``2018-SU``, ``2018-05-21TMO`` (morning), ``P3Y`` (a duration),
    ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``, with ``X`` for unknown digits.
    """

    start: int
    end: int
    text: str
    type: TimeType
    value: str


@dataclass(frozen=True, slots=True)
class EntityMention(_Span):
    """A named entity mention, linked to its canonical entity.

    ``label`` is spaCy's (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, PRODUCT), after repairs;
    ``entity_id`` is stable: the same label family and canonical name give the same id in any
    document or run; ``title`` is a title or role found with a person ("Prime Minister").
    """

    start: int
    end: int
    text: str
    label: str
    entity_id: str
    canonical: str
    title: str | None = None
    country: str | None = None
    """The country a demonym, country name or capital stands for ("Indian", "New Delhi" -> India)."""


@dataclass(frozen=True, slots=True)
class PlaceMention(_Span):
    """A place mention geocoded: the place's name, ISO 3166-1 country code, coordinates and kind
    (country, state, city, region, sea, village, ...)."""

    start: int
    end: int
    text: str
    name: str
    country: str | None
    lat: float
    lon: float
    kind: str


def entity_kind(label: str, country: str | None = None) -> str:
    """The family an entity belongs to, whatever label one mention had: PERSON, ORG, PLACE
    (GPE, LOC, FAC, and demonyms of a country), GROUP (other NORP), EVENT, LAW, PRODUCT."""
    if country or label in ("GPE", "LOC", "FAC"):
        return "PLACE"
    if label == "NORP":
        return "GROUP"
    return label


@dataclass(frozen=True, slots=True)
class Annotations:
    """What the annotation stages found in one document, and what they could not do."""

    times: list[TimeExpression] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A canonical entity across the store: its names and how widely it is reported."""

    id: str
    kind: str
    canonical: str
    country: str | None
    mentions: int
    documents: int
    aliases: dict[str, int]
