"""Within one document, the mentions of one event ("will meet", "the talks", "their meeting in
June") are joined into one :class:`~storyline.model.annotations.Event`."""

from __future__ import annotations

from collections.abc import Sequence, Set
from datetime import date

import numpy as np

from storyline.annotate.event_lexicon import graver, happening_family, mention_family
from storyline.model.annotations import (
    AREA_PLACES,
    Event,
    EventActor,
    EventPlace,
    EventStatus,
    EventTime,
    PlaceMention,
    value_range,
)

#: Statuses whose events the publication date does not date: still to come, only supposed, or
#: recalled from before (an inferred date stands only for what the story reports as its news).
_UNDATED_STATUSES = frozenset({EventStatus.PLANNED, EventStatus.HYPOTHETICAL, EventStatus.REFERENCED})


def corefer(
    linked: list[tuple[Event, set[str]]],
    firm: set[str] | frozenset[str] = frozenset(),
    people: set[str] | frozenset[str] = frozenset(),
    anchor: date | None = None,
    fresh: Set[str] = frozenset(),
    apart: Set[str] = frozenset(),
    news: Set[str] = frozenset(),
) -> list[Event]:
    """Join the mentions of one event: same family, compatible actors, dates and places. Each
    event comes with the ids of its linked actors. The joined event's status is that of its most
    confident mention whose grammar said it (``firm`` holds their ids): "the president is
    expected to visit ... the visit" is planned, whatever "the visit" alone would default to;
    but not as held or going on when another mention dates it after the report (``anchor``, the
    publication day): "the talks" of a preview, joined with "the summit that Goa hosts from
    October 15" in a story of October 12, are still to come (see :func:`_status_of`).
    ``people`` holds the entity ids of the document's people (see :func:`compatible`). An event
    in ``fresh`` was brought in as one more ("another shooting", "a second earthquake"): it joins
    none told before it but those in ``news`` (the headline's, and others brought in so: a body
    that repeats its headline's "Another shooting rocks Chicago"), though later mentions may join
    it. An event in ``apart`` names what someone is said to have done ("a murder suspect was
    shot"): it and the other acts its sentence tells do not join (the same word still does: "a
    bombing suspect ... after the bombing of the metro")."""
    events: list[tuple[Event, set[str], Event | None]] = []
    for event, ids in linked:
        target = None
        own_firm = event if event.id in firm else None
        for i in range(len(events) - 1, -1, -1):
            other, other_ids, other_firm = events[i]
            if event.id in fresh and other.id not in news:
                continue  # "another shooting" is not the one told before
            same_sentence = other.trigger.sentence_start == event.trigger.sentence_start
            same_word = other.trigger.text.lower() == event.trigger.text.lower()
            if (other.id in apart or event.id in apart) and same_sentence and not same_word:
                continue  # "a murder suspect was shot": the shot is not the murder
            if own_firm and other_firm and tenses_clash(other_firm.status, own_firm.status):
                continue  # "will host the president on Thursday" is not "met in the capital in May"
            # one side recalled from before, the other still to come, supposed or denied, one of them
            # so by its grammar: "likely to be signed during the visit" is not "Mr Modi's visit
            # last December", "his previous visit ... tied to a BRICS summit" not "the talks are
            # scheduled for Friday"
            pairs = ((other, own_firm), (event, other_firm), (other_firm, event), (own_firm, other))
            if any(_recalled_beside_unreal(recalled, unreal) for recalled, unreal in pairs):
                continue
            if _graver_denied(other_firm, event) or _graver_denied(own_firm, other):
                continue  # "the shooting did not kill anyone": a shooting, and a killing that was not
            if compatible(other, other_ids, event, ids, people):
                target = i
                break
        if target is None:
            events.append((event, ids, own_firm))
            continue
        first, first_ids, first_firm = events[target]
        actors = merge_actors(first.actors + event.actors)
        time = _preciser(first.time, event.time)
        main = first if first.confidence >= event.confidence else event
        firms = [e for e in (first_firm, own_firm) if e is not None]
        deciding = max(firms, key=lambda e: e.confidence) if firms else main
        if time is not None and time.inferred and deciding.status in _UNDATED_STATUSES:
            time = None  # a past mention's publication date is not when a planned or recalled event is
        named = first if graver(first.subtype, event.subtype) == first.subtype else event
        merged = Event(
            id=first.id,
            type=first.type,
            subtype=named.subtype,
            cameo=named.cameo,
            trigger=main.trigger,
            actors=actors,
            place=first.place or event.place,
            time=time,
            status=_status_of(first, deciding, time, anchor),
            confidence=max(first.confidence, event.confidence),
            mentions=first.mentions + event.mentions,
        )
        events[target] = (merged, first_ids | ids, deciding if firms else None)
    return [e for e, _, _ in events]


def _status_of(event: Event, deciding: Event, time: EventTime | None, anchor: date | None) -> EventStatus:
    """The status of joined mentions: the deciding mention's, except that a meeting (a summit,
    talks, a visit: the encounters of :func:`happening_family`) that the joined mentions date
    after the publication day (a stated date, not one inferred) has not been held by then, and is
    planned; unless the deciding mention states that date itself, whose grammar then says it
    (the rules that settle a mention's status keep a stated tense whatever its date). Encounters
    only: they are held on the day they are set for, where the date joined to another kind of act
    is as often a bound or another occasion's ("extended its offer until Nov. 9", "elections ...
    this September"; eight of ten such changes on TimeBank and AQUAINT were wrong), and an
    invitation or a call made before names the day of the meeting it is about."""
    status = deciding.status
    if anchor is None or time is None or time.inferred or status not in (EventStatus.OCCURRED, EventStatus.ONGOING):
        return status
    if happening_family(event.type, event.subtype) != "encounter":
        return status
    span = value_range(time.value)
    if span is None or span[0] <= anchor:
        return status
    own = deciding.time
    if own is not None and not own.inferred and value_range(own.value) == span:
        return status
    return EventStatus.PLANNED


def _preciser(a: EventTime | None, b: EventTime | None) -> EventTime | None:
    """The time a joined event keeps: a stated one over one inferred from the publication date,
    and of two stated ones the narrower when it lies inside the other ("met last week ... met
    on Sunday": Sunday); else the first."""
    if a is None or (a.inferred and b is not None and not b.inferred):
        return b if b is not None else a
    if b is None or b.inferred:
        return a
    ra, rb = value_range(a.value), value_range(b.value)
    if ra and rb and ra[0] <= rb[0] and rb[1] <= ra[1] and rb != ra:
        return b
    return a


def compatible(
    a: Event, a_ids: set[str], b: Event, b_ids: set[str], people: set[str] | frozenset[str] = frozenset()
) -> bool:
    """Whether two events (with the ids of their linked actors) may be one: the same family, no
    actors, dates or places that conflict. Two events that each name two people or more, neither
    all of the other's, are two: Modi's summit with Putin and his meetings with Abe and Mahathir
    share Modi, not the event."""
    if mention_family(a.type, a.subtype) != mention_family(b.type, b.subtype):
        return False
    if a_ids and b_ids and not (a_ids & b_ids):
        return False
    a_people, b_people = _people_of(a, people), _people_of(b, people)
    if len(a_people) >= 2 and len(b_people) >= 2 and not (a_people <= b_people or b_people <= a_people):
        return False
    if a.time and b.time and not (a.time.inferred or b.time.inferred):
        ra, rb = value_range(a.time.value), value_range(b.time.value)
        if ra and rb and (ra[1] < rb[0] or rb[1] < ra[0]):
            return False  # two meetings a year apart
    if a.place and b.place and a.place.name != b.place.name:
        if a.place.country != b.place.country:
            return False
        # talks in the Kremlin and talks in Moscow; not two towns close together (Jabalia, Gaza City)
        near = a.subtype == b.subtype and not {a.place.kind, b.place.kind} <= _SETTLEMENTS and _near(a.place, b.place)
        if a.place.kind not in AREA_PLACES and b.place.kind not in AREA_PLACES and not near:
            return False  # two cities: two places, two meetings (a dinner at the residence, the summit in the city)
    referenced = {EventStatus.REFERENCED}
    return not ({a.status} & referenced) ^ ({b.status} & referenced) or not (a_ids and b_ids)


#: Places closer than this are one place to two mentions of one kind of event, where one of them
#: is a site, not a town: a building and its city ("talks in the Kremlin", "talks in the Russian
#: capital"). Not fit on data: the distance between a city's centre and its landmarks; narrower
#: than ``linking.SITE_TOWN_KM`` (30 km, for placing a site in a town the story names), since
#: joining two mentions into one event is the costlier mistake.
SAME_PLACE_KM = 10.0
_SETTLEMENTS = frozenset({"city", "town", "village"})


def _near(a: EventPlace, b: EventPlace) -> bool:
    return float(distances_km(a, [b])[0]) < SAME_PLACE_KM


def distances_km(place: EventPlace, others: Sequence[EventPlace | PlaceMention]) -> np.ndarray:
    """Great-circle distances in km from ``place`` to each of ``others``."""
    lat = np.radians([p.lat for p in others])
    lon = np.radians([p.lon for p in others])
    la, lo = np.radians(place.lat), np.radians(place.lon)
    a = np.sin((lat - la) / 2) ** 2 + np.cos(la) * np.cos(lat) * np.sin((lon - lo) / 2) ** 2
    return np.asarray(2 * 6371.0 * np.arcsin(np.sqrt(a)))


def _people_of(event: Event, people: set[str] | frozenset[str]) -> set[str]:
    """The people an event names as its sides (speakers aside)."""
    return {a.entity_id for a in event.actors if a.entity_id and a.entity_id in people and a.role != "speaker"}


_PAST = frozenset({EventStatus.OCCURRED, EventStatus.REFERENCED})
_UNREAL = frozenset({EventStatus.PLANNED, EventStatus.HYPOTHETICAL, EventStatus.NEGATED})


def _recalled_beside_unreal(recalled: Event | None, unreal: Event | None) -> bool:
    """An event recalled from before (by its words, its date or its grammar) and one still to
    come, supposed or denied are two events. The caller gives each pair once with the firm
    mention (its status stated by the grammar) on one side and any mention on the other."""
    return (
        recalled is not None
        and unreal is not None
        and recalled.status is EventStatus.REFERENCED
        and unreal.status in _UNREAL
    )


def _graver_denied(denied: Event | None, other: Event) -> bool:
    """A graver act denied by its grammar and a lesser one of its family told beside it are two
    events ("none of the guards were killed" and "the shooting"): the lesser still happened."""
    return (
        denied is not None
        and denied.status is EventStatus.NEGATED
        and denied.subtype != other.subtype
        and graver(denied.subtype, other.subtype) == denied.subtype
    )


def tenses_clash(a: EventStatus, b: EventStatus) -> bool:
    """A report of the past and a plan, a supposition or a denial cannot be one event's two
    mentions, when both say so: "could attack" is not "attacked", "did not sign" not "signed"."""
    return (a in _UNREAL and b in _PAST) or (b in _UNREAL and a in _PAST)


def merge_actors(actors: list[EventActor]) -> list[EventActor]:
    """One actor per entity, its role as a side of the event preferred over its role as speaker
    (one mention reports the summit Modi held, another has Modi hold it); unlinked phrases one per
    span ("the two leaders" may stand for two entities)."""
    out: list[EventActor] = []
    for a in actors:
        if a.entity_id:
            at = next((i for i, b in enumerate(out) if a.entity_id == b.entity_id), None)
            if at is not None and out[at].role == "speaker" and a.role != "speaker":
                out[at] = a
            seen = at is not None
        else:
            seen = any(not b.entity_id and (a.start, a.end) == (b.start, b.end) for b in out)
        if not seen:
            out.append(a)
    return out
