"""Annotations: spans of a Document's text, by character offsets. Standard library only."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
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


def value_range(value: str) -> tuple[date, date] | None:
    """The days a TIMEX3 DATE or TIME value covers: "2018-05" is May 2018, "2018-W21" its week,
    "2018-Q2" a quarter. None for durations, references and values with unknown digits."""
    m = re.match(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?|-W(\d\d)|-Q(\d)|-H(\d))?", value)
    if not m or "X" in value[: m.end() + 1]:
        return None
    year = int(m[1])
    try:
        if m[3]:
            d = date(year, int(m[2]), int(m[3]))
            return d, d
        if m[2]:
            month = int(m[2])
            first = date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        if m[4]:
            monday = date.fromisocalendar(year, int(m[4]), 1)
            return monday, monday + timedelta(days=6)
        if m[5] or m[6]:
            months = 3 if m[5] else 6
            index = int(m[5] or m[6]) - 1
            first = date(year, index * months + 1, 1)
            end_month = first.month + months
            nxt = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
    except ValueError:
        return None
    return date(year, 1, 1), date(year, 12, 31)


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
    variant: str | None = None
    """How the mention's form differs from its entity's name when it was not simply shortened:
    ``"spelling"`` for a misspelling resolved to the entity ("Mode" -> Narendra Modi)."""
    evidence: str | None = None
    """Why a variant was resolved to its entity ("Mode is one letter from Modi; named in the same article")."""


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


#: Kinds of place that name no particular spot (a country, a region, a continent): a shared one
#: says little about one happening, and a happening's place is a town before one of these.
VAGUE_PLACES = frozenset({"country", "continent", "region"})
#: Kinds of place that are areas, not spots: the vague ones and a state, a sea, an ocean. An event
#: placed in one may be placed more precisely, so two events in two areas of one country may be one.
AREA_PLACES = VAGUE_PLACES | {"state", "ocean", "sea"}


def fold_name(text: str) -> str:
    """A name as lookups and canonical names compare it: case folded, every dash and run of
    spacing or punctuation between words one space ("India – Russia", "india-russia" and
    "India/Russia" fold alike; so do "López-Gatell" and "López Gatell", "St. Petersburg" and "St
    Petersburg")."""
    return " ".join(re.split(r"[\W_]+", text.casefold())).strip()


def entity_kind(label: str, country: str | None = None) -> str:
    """The family an entity belongs to, whatever label one mention had: PERSON, ORG, PLACE
    (GPE, LOC, FAC, and demonyms of a country), GROUP (other NORP), EVENT, LAW, PRODUCT."""
    if country or label in ("GPE", "LOC", "FAC"):
        return "PLACE"
    if label == "NORP":
        return "GROUP"
    return label


class EventStatus(StrEnum):
    """Whether an event happened, as the text tells it."""

    PLANNED = "planned"
    """Announced or expected: "will meet next week", "are expected to sign"."""
    ONGOING = "ongoing"
    """Under way as the text is written: "are holding talks"."""
    OCCURRED = "occurred"
    """Reported as having happened: "met on Friday", "have signed"."""
    NEGATED = "negated"
    """Said not to have happened, or called off: "denied that any talks took place"."""
    HYPOTHETICAL = "hypothetical"
    """Only supposed: "a deal would signal", "if they meet"."""
    REFERENCED = "referenced"
    """An earlier event recalled in passing: "their previous meeting in 2017"."""


@dataclass(frozen=True, slots=True)
class EventActor:
    """Who takes part in an event: ``role`` is ``source`` (who acts), ``target`` (to whom) or
    ``participant`` (either side of a symmetric event such as a meeting), or ``speaker`` (who
    reported it). ``entity_id``/``canonical`` link to the canonical entity when the words name one."""

    role: str
    text: str
    start: int
    end: int
    entity_id: str | None = None
    canonical: str | None = None
    probability: float | None = None
    """For a target the learned model found (storyline.annotate.events.targets), how likely it is
    to be one; None for an actor the grammar states."""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.probability is None:
            del out["probability"]
        return out


@dataclass(frozen=True, slots=True)
class EventPlace:
    """Where an event happened: a geocoded place mention of the text."""

    name: str
    country: str | None
    lat: float
    lon: float
    text: str
    start: int
    end: int
    kind: str = "place"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EventTime:
    """When: a time expression of the text, or the publication date when the text says "today"
    or reports a simple past with no date (``inferred``; then there is no span). A journey's time
    lent to what the journey is for ("will travel to Sochi on May 21 for a summit") is also
    ``inferred``, with the journey's words as its span: a stated date of the event wins over it."""

    value: str
    type: str
    text: str | None = None
    start: int | None = None
    end: int | None = None
    inferred: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EventMention:
    """One place in the text that speaks of an event: its trigger words and their sentence, and
    what made it: ``sense``, the lexicon sense (``V:meet:meeting:counterpart``), and ``rule``, the
    rule (``verb:meet``, ``noun:summit``, ``frame:must``, ``verb:attack+military``). Both are None
    for events stored before they were recorded."""

    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    status: EventStatus
    sense: str | None = None
    rule: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "trigger": {"start": self.start, "end": self.end, "text": self.text},
            "sentence": {"start": self.sentence_start, "end": self.sentence_end},
            "status": self.status.value,
            "sense": self.sense,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """An event of one document: who did what to whom, where, when, and whether it happened.

    ``type`` is the PLOVER category (CONSULT, AGREE, ASSAULT, ...), ``subtype`` a finer kind
    where the text gives it (meeting, visit, phone call, agreement signed, ...), ``cameo`` the
    CAMEO code that maps to it. The mentions of one event in one article ("will meet", "the
    talks", "their meeting in Sochi") are joined: ``mentions`` lists them in text order; the
    trigger and sentence are the most confident mention's, the status that of the most
    confident mention whose grammar stated one (``trigger.rule`` says which rule made the event,
    to count errors by rule). ``confidence`` is a heuristic score
    between 0 and 1 (how much of the event the syntax gave, not a calibrated probability)."""

    id: str
    type: str
    subtype: str | None
    cameo: str | None
    trigger: EventMention
    actors: list[EventActor]
    place: EventPlace | None
    time: EventTime | None
    status: EventStatus
    confidence: float
    mentions: list[EventMention] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        """The event back from :meth:`as_dict` (as stored and exported)."""

        def mention(m: dict[str, Any]) -> EventMention:
            t, s = m["trigger"], m["sentence"]
            status = EventStatus(m["status"])
            return EventMention(
                t["start"], t["end"], t["text"], s["start"], s["end"], status, m.get("sense"), m.get("rule")
            )

        mentions = [mention(m) for m in d.get("mentions") or []]
        trigger = d["trigger"]
        sentence = d["sentence"]
        main = next(
            (m for m in mentions if (m.start, m.end) == (trigger["start"], trigger["end"])),
            EventMention(
                trigger["start"],
                trigger["end"],
                trigger["text"],
                sentence["start"],
                sentence["end"],
                EventStatus(d["status"]),
            ),
        )
        return cls(
            id=d["id"],
            type=d["type"],
            subtype=d.get("subtype"),
            cameo=d.get("cameo"),
            trigger=main,
            actors=[EventActor(**a) for a in d.get("actors") or []],
            place=EventPlace(**d["place"]) if d.get("place") else None,
            time=EventTime(**d["time"]) if d.get("time") else None,
            status=EventStatus(d["status"]),
            confidence=float(d["confidence"]),
            mentions=mentions or [main],
        )

    def participants(self) -> list[EventActor]:
        """Everyone who takes part, whatever their role, except who reported it."""
        return [a for a in self.actors if a.role != "speaker"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "subtype": self.subtype,
            "cameo": self.cameo,
            "trigger": {"start": self.trigger.start, "end": self.trigger.end, "text": self.trigger.text},
            "actors": [
                {k: v for k, v in a.as_dict().items() if v is not None or k in ("entity_id", "canonical")}
                for a in self.actors
            ],
            "place": self.place.as_dict() if self.place else None,
            "time": self.time.as_dict() if self.time else None,
            "status": self.status.value,
            "sentence": {"start": self.trigger.sentence_start, "end": self.trigger.sentence_end},
            "confidence": self.confidence,
            "mentions": [m.as_dict() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class Annotations:
    """What the annotation stages found in one document, and what they could not do."""

    times: list[TimeExpression] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


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
    variants: dict[str, str] = field(default_factory=dict)
    """The aliases that are variants rather than shortenings, with their kind ("Mode": "spelling")."""
