"""Event mentions across documents -> happenings (event clusters) -> storylines, incrementally.

Each article's events are read into a :class:`Signature`: the family of the event (meetings and
visits are one family, since a leader's visit and the talks it was for are one happening), the
canonical actors, the countries they stand for, the days it covers, its place and status. A new
signature looks only at the clusters that share one of its keys (``family:actor``) and whose days
come within :data:`ClusterConfig.days` of its own: an indexed lookup in the store, so the cost per
document stays flat as the store grows. It joins the best compatible cluster, else it starts one:

- the family must match;
- the actors must overlap: two shared actors when both sides name two or more, else one;
- the days must agree (within ``days``; a month-long "in May" must contain the other's days);
- the countries of the two places must not differ.

So two meetings of the same leaders a year apart stay apart, and an announcement ("will fly to
Sochi on May 21") joins the reports of the meeting it announced. An event an article only recalls
("their meeting in June 2017") joins the happening it recalls, or starts one marked
``referenced`` when it is dated to a month or better; a report of it, read later, confirms it.
How a document is given the happening it mainly reports, and how documents whose events cannot be
placed find theirs among their nearest neighbours, is in :mod:`storyline.cluster`.

Storylines group clusters by the pair of countries their actors stand for ("Narendra Modi" is
India's when an article calls him "Indian Prime Minister"), else by their two leading actors.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from storyline.annotate.countries import country_table
from storyline.annotate.entities import entity_id
from storyline.annotate.event_lexicon import happening_family
from storyline.config import ClusterConfig
from storyline.model.annotations import Annotations, EntityMention, Event, EventStatus, value_range
from storyline.model.clusters import ClusterState, describe
from storyline.store.keys import party_keys

NAME = "storyline.cluster.placement.v2"

_STATE_LABELS = frozenset({"GPE", "NORP"})
#: The longest span (days) an event may give a happening it starts ("in May" may, "last year" may
#: not): so a happening found by its first day started at most this long before the event's.
MAX_START_SPAN = 31
_RANK = {"occurred": 4, "ongoing": 3, "planned": 2, "referenced": 1}
#: Words that may stand between a nationality and a name ("Indian Prime Minister Narendra Modi").
_TITLE_GAP = re.compile(r"^[\s\w.'-]{0,40}$")


def family(event: Event) -> str:
    """The event's family across articles (:func:`~storyline.annotate.event_lexicon.happening_family`)."""
    return happening_family(event.type, event.subtype)


@dataclass
class Signature:
    """What clustering reads of one event."""

    event: Event
    document_id: str
    family: str
    actors: dict[str, str]
    """Linked actors (not speakers): entity id -> canonical name."""
    countries: dict[str, str]
    """The countries the actors stand for: entity id -> name."""
    start: date
    end: date
    country: str | None
    may_create: bool
    """Dated precisely enough (a month at most) to start a cluster of its own; a vaguer one ("last
    year's summit") may only join one."""

    @property
    def parties(self) -> dict[str, str]:
        """Actors and the countries they stand for."""
        return {**self.actors, **self.countries}

    @property
    def keys(self) -> list[str]:
        return party_keys(self.family, self.parties)

    @property
    def granularity(self) -> str:
        span = (self.end - self.start).days
        return "day" if span == 0 else "week" if span < 7 else "month" if span <= 31 else "year"


def affiliations(text: str, entities: Sequence[EntityMention]) -> dict[str, tuple[str, str]]:
    """The country a person stands for in this article: a nationality or country named just before
    their name, with only a title between ("Russian President Vladimir Putin")."""
    out: dict[str, tuple[str, str]] = {}
    states = [e for e in entities if _is_country(e)]
    for person in (e for e in entities if e.label == "PERSON"):
        before = [s for s in states if s.end <= person.start and person.start - s.end <= 40]
        if not before:
            continue
        state = before[-1]
        if _TITLE_GAP.match(text[state.end : person.start]) and person.entity_id not in out:
            out[person.entity_id] = (state.entity_id, state.canonical)
    return out


class _Reader:
    """What one article says of who its events' actors are and which countries they stand for."""

    def __init__(self, text: str, annotations: Annotations) -> None:
        self.aff = affiliations(text, annotations.entities)
        self.state_ids = {e.entity_id: e.canonical for e in annotations.entities if _is_country(e)}
        self.labels = {e.entity_id: e.label for e in annotations.entities}

    def parties(self, e: Event) -> tuple[dict[str, str], dict[str, str]]:
        """An event's linked actors (not speakers; entity id -> name) and the countries they stand
        for (a visit to a country is an encounter with it: Modi's trip to Sochi meets Russia)."""
        actors = {
            a.entity_id: a.canonical or a.text
            for a in e.actors
            if a.entity_id and a.role != "speaker" and _is_actor(self.labels.get(a.entity_id), a.canonical or a.text)
        }
        countries: dict[str, str] = {}
        for a in actors:
            if a in self.state_ids:
                countries[a] = self.state_ids[a]
            elif a in self.aff:
                countries[self.aff[a][0]] = self.aff[a][1]
        if actors and e.place and e.place.country and family(e) == "encounter":
            name = _country_names().get(e.place.country)
            if name:
                countries.setdefault(entity_id("GPE", name, e.place.country), name)
        return actors, countries


def parties(text: str, annotations: Annotations, event: Event) -> tuple[dict[str, str], dict[str, str]]:
    """The linked actors of one event of an article and the countries they stand for."""
    return _Reader(text, annotations).parties(event)


def signatures(doc_id: str, text: str, annotations: Annotations) -> list[Signature]:
    """The article's events that can be clustered: reported, planned or recalled (not denied or
    supposed), naming at least one linked actor, and dated."""
    reader = _Reader(text, annotations)
    out = []
    for e in annotations.events:
        if e.status in (EventStatus.NEGATED, EventStatus.HYPOTHETICAL) or e.time is None:
            continue
        span = value_range(e.time.value)
        if span is None:
            continue
        actors, countries = reader.parties(e)
        if not actors:
            continue
        days = (span[1] - span[0]).days
        out.append(
            Signature(
                event=e,
                document_id=doc_id,
                family=family(e),
                actors=actors,
                countries=countries,
                start=span[0],
                end=span[1],
                country=e.place.country if e.place else None,
                may_create=days <= MAX_START_SPAN,
            )
        )
    return out


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country code -> canonical country name."""
    return {code: name for name, code in country_table().code_of.items()}


def _is_country(e: EntityMention) -> bool:
    """A country or its people ("Russia", "Russian"), not a city or a mixed adjective."""
    return e.label in _STATE_LABELS and country_table().country(e.canonical) == e.canonical


def _is_actor(label: str | None, name: str) -> bool:
    """People, organisations and states act; a city named as a visit's destination does not (it
    is the place)."""
    if label in ("GPE", "LOC", "FAC"):
        return country_table().country(name) == name
    return label is not None


def compatible(sig: Signature, c: ClusterState, days: int) -> int:
    """How many actors a signature shares with a cluster it may join (0: it may not)."""
    if sig.family != c.family:
        return 0
    if c.start is None or c.end is None:
        return 0  # an undated happening is matched by content, not by its parties' days
    mine, theirs = sig.parties.keys(), c.actors.keys() | c.countries.keys()
    shared = len(mine & theirs)
    if shared == 0 or shared < min(2, len(mine), len(theirs)):
        return 0
    if sig.country and c.country and sig.country != c.country and shared < 2:
        return 0  # (two leaders both named outweigh a place, which a dateline may have given wrongly)
    slack = timedelta(days=days)
    if sig.granularity in ("day", "week") and c.granularity in ("day", "week"):
        if sig.start > c.end + slack or c.start > sig.end + slack:
            return 0
    elif sig.end < c.start or c.end < sig.start:
        return 0  # "in May" holds May 21; it does not hold June 1
    return shared


def choose(sig: Signature, candidates: Sequence[ClusterState], config: ClusterConfig) -> ClusterState | None:
    """The cluster a signature joins: the compatible one sharing most actors, nearest in time."""
    scored = [(compatible(sig, c, config.days), c) for c in candidates]
    fits = [(n, c) for n, c in scored if n > 0]
    if not fits:
        return None
    if not sig.may_create and len(fits) > 1:
        return None  # "last year's summit": join a happening only when just one fits
    return max(
        fits, key=lambda t: (t[0], -abs(((t[1].start or sig.start) - sig.start).days), _RANK.get(t[1].status, 0))
    )[1]


def cluster_id(sig: Signature) -> str:
    return "C" + hashlib.blake2b(f"{sig.document_id}|{sig.event.id}".encode(), digest_size=6).hexdigest()


def storyline_key(
    actors: dict[str, str], countries: dict[str, str], represented: set[str] | frozenset[str] = frozenset()
) -> tuple[str, dict[str, str]] | None:
    """The storyline a cluster belongs to: the pair of countries its actors stand for, else its two
    leading actors that stand for no country of it (``represented``: people known to stand for
    one). None for a happening of a single party ("Russia" and "Vladimir Putin" are one)."""
    if len(countries) >= 2:
        chosen = dict(sorted(countries.items(), key=lambda kv: kv[1])[:2])
    else:
        parties = {a: n for a, n in actors.items() if a not in represented and a not in countries}
        if countries and parties:
            chosen = {**dict(list(countries.items())[:1]), **dict(list(parties.items())[:1])}
        elif len(parties) >= 2:
            chosen = dict(list(parties.items())[:2])
        else:
            return None
    return "|".join(sorted(chosen)), chosen


def status_rank(status: str) -> int:
    """How firm a happening's status is: occurred over ongoing over planned over referenced
    (any other, such as negated, ranks lowest)."""
    return _RANK.get(status, 0)


def merge_status(old: str, new: EventStatus | str) -> str:
    """A happening's status: the firmest any article gives it (a report beats an announcement)."""
    value = new.value if isinstance(new, EventStatus) else new
    return value if _RANK.get(value, 0) > _RANK.get(old, 0) else old


def label(family_name: str, subtype: str | None, actors: dict[str, str], place: str | None, start: date) -> str:
    return describe(subtype or family_name, actors, place, start.isoformat())
