"""Events across documents: one real happening reported by many articles (an
:class:`EventCluster`), storylines of happenings (a :class:`StorylineRecord`), and the dated
entries of a timeline. Standard library only, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class ClusterState:
    """What matching reads of a stored cluster."""

    id: str
    family: str
    actors: dict[str, str]
    start: date | None
    end: date | None
    granularity: str
    country: str | None
    status: str
    countries: dict[str, str] = field(default_factory=dict)
    storyline: str | None = None


@dataclass(frozen=True, slots=True)
class HappeningEvidence:
    """One member event of a happening, as the votes that describe the happening read it."""

    type: str
    subtype: str | None
    status: str
    confidence: float
    place: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_kind: str | None = None
    mentions: int = 1
    """How many times its article tells it: what an article tells again and again is what it is about."""


@dataclass(frozen=True, slots=True)
class ClusterSource:
    """One article's word on a happening: its event, status and evidence sentence."""

    document_id: str
    event_id: str | None
    """None for an article placed by its nearest neighbours (its status is then ``similar``)."""
    status: str
    title: str | None = None
    evidence: str | None = None
    published: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "event_id": self.event_id,
            "status": self.status,
            "title": self.title,
            "evidence": self.evidence,
            "published": self.published,
        }


@dataclass(slots=True)
class EventCluster:
    """One happening: the event mentions of every article that announced, reported or recalled it.

    ``status`` is the happening's, as the articles establish it: ``occurred`` (or ``ongoing``) once
    any article reports it so, ``planned`` while only announcements speak of it, ``referenced`` when
    it is known only from later articles looking back."""

    id: str
    type: str
    subtype: str | None
    family: str
    start: str | None
    """First day (ISO date) of the happening, when known."""
    end: str | None
    granularity: str
    """day, week, month or year: how precisely the articles date it."""
    status: str
    actors: dict[str, str] = field(default_factory=dict)
    """Canonical entity id -> canonical name, most often named first."""
    place: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    label: str = ""
    storyline_id: str | None = None
    tentative: bool = False
    """Reported by one article whose events are doubtful: kept, but hidden unless asked for."""
    confidence: float | None = None
    """How sure placement is that its articles report one happening (the happening model's
    probability for the last article that joined; the best event's confidence for one article)."""
    mentions: int = 0
    documents: int = 0
    sources: list[ClusterSource] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "subtype": self.subtype,
            "start": self.start,
            "end": self.end,
            "granularity": self.granularity,
            "status": self.status,
            "actors": [{"entity_id": k, "canonical": v} for k, v in self.actors.items()],
            "place": {"name": self.place, "country": self.country, "lat": self.lat, "lon": self.lon}
            if self.place
            else None,
            "label": self.label,
            "storyline": self.storyline_id,
            "tentative": self.tentative,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "mentions": self.mentions,
            "documents": self.documents,
            "sources": [s.as_dict() for s in self.sources],
        }


@dataclass(slots=True)
class StorylineRecord:
    """Happenings of the same actors continuing over time (all the India-Russia summits)."""

    id: str
    label: str
    entities: dict[str, str] = field(default_factory=dict)
    """The storyline's key entities: id -> canonical name."""
    start: str | None = None
    end: str | None = None
    clusters: int = 0
    documents: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "entities": [{"entity_id": k, "canonical": v} for k, v in self.entities.items()],
            "start": self.start,
            "end": self.end,
            "events": self.clusters,
            "documents": self.documents,
        }


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated line of a timeline: a happening, what it is, and the articles that say so."""

    date: str
    granularity: str
    event_id: str
    type: str
    subtype: str | None
    status: str
    actors: list[str]
    place: str | None
    description: str
    storyline_id: str | None
    sources: list[ClusterSource]

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "granularity": self.granularity,
            "happening_id": self.event_id,
            "event_id": self.event_id,  # the old name of "happening_id", kept for one release
            "type": self.type,
            "subtype": self.subtype,
            "status": self.status,
            "actors": self.actors,
            "place": self.place,
            "description": self.description,
            "storyline": self.storyline_id,
            "sources": [
                {"document_id": s.document_id, "title": s.title, "evidence": s.evidence, "status": s.status}
                for s in self.sources
            ],
        }


def describe(kind: str, actors: dict[str, str], place: str | None, start: str) -> str:
    """A happening in words: "summit of Narendra Modi and Vladimir Putin in Sochi, 2018-05-21"."""
    who = " and ".join(list(actors.values())[:3])
    where = f" in {place}" if place else ""
    return f"{kind.replace('-', ' ')} of {who}{where}, {start}"
