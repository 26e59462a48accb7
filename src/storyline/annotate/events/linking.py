"""Step 2, in the parent after canonicalisation: raw mentions become events. Argument phrases
become canonical entities (or pronouns and "the two leaders" point back to them), places and
times come from the sentence and then from the story (the last event with the same people, the
dateline), the status is settled against the date, and the mentions of one event join."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence, Set
from dataclasses import replace
from datetime import date, timedelta
from typing import Generic, Protocol, TypeVar

import numpy as np

from storyline.annotate import datelines
from storyline.annotate.countries import country_table
from storyline.annotate.descriptions import People, Sex, describe_people, resolve, role_matches, role_of
from storyline.annotate.entities import entity_id
from storyline.annotate.event_lexicon import ACTOR_NOUNS, RELATIVE_NOUNS
from storyline.annotate.events.coding import DIPLOMATIC, DOMESTIC, FORCE, OUTCOMES
from storyline.annotate.events.coreference import corefer, distances_km, merge_actors
from storyline.annotate.events.raw import RawArg, RawMention, Since
from storyline.annotate.events.sentence import ACTOR_LABELS, PLACE_LABELS
from storyline.annotate.events.status import NO_ONE, Unsettled, settle, stated
from storyline.model.annotations import (
    AREA_PLACES,
    EntityMention,
    Event,
    EventActor,
    EventMention,
    EventPlace,
    EventStatus,
    EventTime,
    PlaceMention,
    TimeExpression,
    TimeType,
    value_range,
)

#: The sex a singular pronoun speaks of.
PRONOUN_SEX: dict[str, Sex] = {
    **dict.fromkeys(("he", "him", "his", "himself"), "male"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "female"),
}
#: The singular pronouns an argument may be resolved from (a reflexive is the clause's own subject).
_SINGULAR_PRONOUNS = frozenset(PRONOUN_SEX) - {"himself", "herself"}
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "both"})
#: Pronouns that are never the same person as the other parties of their act ("Smith shot him").
_OBJECT_PRONOUNS = frozenset({"him", "her"})
_GROUP_PEOPLE = re.compile(
    r"^(?:the\s+)?(?:(?:two|both)\s+)?(?:leaders|presidents|men|ministers|prime\s+ministers|heads\s+of\s+state)$"
    r"|^(?:the\s+)?(?:two|both)$",
    re.IGNORECASE,
)
_GROUP_STATES = re.compile(
    r"^(?:the\s+)?(?:two|both)\s+(?:sides|countries|nations|governments|states|neighbours|neighbors|partners)$",
    re.IGNORECASE,
)
#: Wire copy's bare "the sides" ("the sides signed 15 documents"): only the pair of states the
#: story's last event named, never any two countries the text happens to name (sport's sides).
_SIDES = re.compile(r"^(?:the\s+)?sides$", re.IGNORECASE)
_BOUND_BEFORE = re.compile(r"\b(?:by|until|till|since|through|before)\s+(?:the\s+)?$", re.IGNORECASE)
_BOUND_WORD = re.compile(r"(?:by|until|till|since|through|before)\b", re.IGNORECASE)
#: A subordinate clause that dates another act: "since Mr Modi took office in May", "after the
#: vote on Sunday". A time inside one is not the time of an event outside it.
_SUBORDINATING_WORD = re.compile(r"\b(?:since|after|before|until|till|when|while|once)\b", re.IGNORECASE)
#: What may stand between "until" and a month it governs: "until 9 November", "until the 9th of".
_DAY_BEFORE_TIME = re.compile(r"(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?)?", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\b(?:since|after|before|until|till|when|while|once)\b[^,;()–—]*$", re.IGNORECASE)
#: Kinds of place that are a building or a site in a town: an event there is placed in the town
#: the story names near it (its words kept as the place's text).
SITE_KINDS = frozenset({"building", "palace", "shipyard", "site"})
#: How far from a site a town the story names may be to be the site's town (kilometres).
SITE_TOWN_KM = 30.0
#: How a sentence of a story's body ends (a headline has no full stop).
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_WEEKDAY_WORD = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_MONTH_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b", re.IGNORECASE
)
#: The people and the countries the story's last event named together: ``people`` (two or more,
#: "the leaders"), ``pair`` (the last two people named so: "the two leaders", never three) and
#: ``states`` ("the two countries").
Groups = dict[str, list[EventActor]]
_NO_GROUPS: Groups = {"people": [], "pair": [], "states": []}
_TWO = re.compile(r"\b(?:two|both)\b", re.IGNORECASE)
#: Words before a phrase that say another act is for it or ahead of it ("invited X for ...").
_AIMED_AT = re.compile(
    r"\b(?:for|ahead\s+of|before|towards?)\s+(?:(?:the|a|an|this|that|its|their|his|her)\s+)?$", re.IGNORECASE
)


def event_id(doc_id: str, start: int, kind: str, occasion: int = 0) -> str:
    """A stable id: the same document, trigger position and category (and, for the second and
    later occasions one verb tells, which one: ``RawMention.occasion``) give the same id."""
    key = f"{doc_id}|{start}|{kind}" + (f"|{occasion}" if occasion else "")
    return "V" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Spanned)


class _Index(Generic[S]):
    """Spans of one kind in one document, found by position."""

    def __init__(self, items: Sequence[S]) -> None:
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]
        self.longest = max((x.end - x.start for x in self.items), default=0)

    def overlapping(self, start: int, end: int) -> list[S]:
        first, last = bisect_left(self.starts, start - self.longest), bisect_right(self.starts, end)
        return [x for x in self.items[first:last] if x.start < end and start < x.end]

    def before(self, position: int) -> list[S]:
        return self.items[: bisect_right(self.starts, position)]


def link_events(
    doc_id: str,
    text: str,
    raws: Sequence[RawMention],
    entities: Sequence[EntityMention],
    places: Sequence[PlaceMention],
    times: Sequence[TimeExpression],
    anchor: date | None,
    described: People | None = None,
) -> list[Event]:
    """The events of one document: raw mentions linked to its entities, places and times, their
    status settled against the date, and the mentions of one event joined. ``described``: what the
    document (and what other documents know, :func:`~storyline.annotate.descriptions.place_known`)
    says its people are, for descriptions of people; read from the document when not given."""
    raws = _outside_dates(raws, times)
    ents, plcs = _Index(entities), _Index(places)
    dated = _Index([t for t in times if t.type in (TimeType.DATE, TimeType.TIME) and value_range(t.value)])
    timed = _Index(times)
    today = [t for t in times if t.value == (anchor.isoformat() if anchor else None)]
    linked: list[tuple[Event, set[str]]] = []
    firm: set[str] = set()  # events whose status the grammar stated (not a default)
    label_of = {e.entity_id: e.label for e in entities}
    previous: Groups = {"people": [], "pair": [], "states": []}
    pair_end = 0  # where the sentence of the event that named the pair ends
    if described is None or not raws:
        described = describe_people(entities, text) if raws else {}
    # what stands before a noun trigger in its phrase, where the phrase is what another act is for
    # or ahead of: a time there is that event's ("invited the president for next year's summit":
    # next year is the summit's, not the invitation's; but "killed in the 1998 bombings" is when
    # the killing was)
    phrases = [
        (r.phrase_start, r.start)
        for r in raws
        if r.noun and r.phrase_start < r.start and _AIMED_AT.search(text[max(0, r.phrase_start - 20) : r.phrase_start])
    ]
    ordered = sorted(raws, key=lambda r: r.start)
    kept: list[RawMention] = []  # the raw mention of each linked event
    counted: set[str] = set()  # events dated by counting a span of time ("a day after")
    departures: list[tuple[int, EventTime, set[str]]] = []  # journeys home: where, when, who
    for raw in ordered:
        args = [a for a in raw.args if not timed.overlapping(a.head_start, a.head_end)]  # "on Friday" is when
        speaker = [
            a
            for arg in args
            if arg.role == "speaker"
            for a in _actors(arg, ents, _NO_GROUPS, text, [], described=described)
        ]
        parties = [a for a in args if a.role != "speaker"]
        found: dict[int, list[EventActor]] = {}
        for n in sorted(range(len(parties)), key=lambda n: parties[n].pronoun in _OBJECT_PRONOUNS):
            # "Smith shot him": a "him" or "her" is none of the act's other parties, who are read first
            arg = parties[n]
            clause_mates = (
                {a.entity_id for got in found.values() for a in got if a.entity_id}
                if arg.pronoun in _OBJECT_PRONOUNS
                else set()
            )
            found[n] = _learned(
                arg,
                _actors(
                    arg,
                    ents,
                    previous,
                    text,
                    speaker,
                    raw.type in FORCE,
                    raw.sentence_start,
                    described,
                    pair_end,
                    clause_mates,
                ),
            )
        actors = merge_actors([a for n in range(len(parties)) for a in found[n]] + speaker)
        place = _place(raw, plcs, actors, text)
        if raw.home or (raw.subtype == "visit" and place is not None and _goes_home(actors, described, place)):
            # "Putin is scheduled to leave for Moscow", "Mr Putin flew home on Thursday night": the
            # president goes home, which is no visit; when he did, a visit's undated acts are of that day
            when = _read_time(raw, dated, text, phrases, anchor)  # "flies home on Thursday": the coming one
            if when is not None and settle(raw.status, raw.earlier, when, anchor, False) is EventStatus.OCCURRED:
                travellers = {a.entity_id for a in actors if a.entity_id and a.role != "speaker"}
                departures.append((raw.start, when, travellers))
            continue
        if place and raw.type in DOMESTIC and not any(a.role == "target" and a.entity_id for a in actors):
            # a protest, a curfew or a raid that names no one it is aimed at: PLOVER codes where it happened
            where = next((e for e in ents.overlapping(place.start, place.end) if e.label in ACTOR_LABELS), None)
            if where is not None:
                actors.append(
                    EventActor("target", where.text, where.start, where.end, where.entity_id, where.canonical)
                )
        time = _read_time(raw, dated, text, phrases, anchor)
        own_time = time
        if raw.since is not None:
            # "a day after holding talks", "five months after they met": that long before (or
            # after) what the clause is said of
            time = _time_since(raw, raw.since, time, timed, dated, anchor)
        status = settle(raw.status, raw.earlier, time, anchor, _headline(raw, text))
        if (
            status is EventStatus.ONGOING
            and raw.status is Unsettled.PRESENT
            and time is None
            and _itinerary(raw, timed, ents.overlapping(raw.sentence_start, raw.sentence_end))
        ):
            status = EventStatus.PLANNED  # "He travels on to Paris for talks with Macron": the schedule
        if raw.since is not None and time and anchor and status is EventStatus.OCCURRED:
            span = value_range(time.value)
            if span and span[0] > anchor:
                status = EventStatus.PLANNED  # "will arrive on Friday, a day after the summit"
            elif span and span[1] < anchor and raw.since.way < 0 and not raw.since.ahead and time is not own_time:
                # "announced a credit line on Thursday, a day after holding summit talks": an
                # earlier day's event dated only by the news it is told to date is recalled; one
                # with a date of its own is told for itself ("a day after Putin hosted Modi for a
                # dinner on Wednesday evening")
                status = EventStatus.REFERENCED
        said_today = any(raw.sentence_start <= t.start < raw.sentence_end for t in today)
        reported = status in (EventStatus.OCCURRED, EventStatus.ONGOING)
        stated_reported = raw.status in (EventStatus.OCCURRED, EventStatus.ONGOING, Unsettled.FACT)
        if time is None and anchor is not None and reported and (stated_reported or said_today) and raw.since is None:
            # a simple past with no date, or "today": the publication date
            time = EventTime(anchor.isoformat(), TimeType.DATE.value, inferred=True)
        confidence = _confidence(raw, actors, place, time)
        mention = EventMention(
            raw.start,
            raw.end,
            text[raw.start : raw.end],
            raw.sentence_start,
            raw.sentence_end,
            status,
            raw.sense,
            raw.rule,
        )
        event = Event(
            id=event_id(doc_id, raw.start, raw.type, raw.occasion),
            type=raw.type,
            subtype=raw.subtype,
            cameo=raw.cameo,
            trigger=mention,
            actors=actors,
            place=place,
            time=time,
            status=status,
            confidence=confidence,
            mentions=[mention],
        )
        linked.append((event, {a.entity_id for a in actors if a.entity_id}))
        kept.append(raw)
        if raw.since is not None and time is not None and time is not own_time:
            counted.add(event.id)  # a day counted, not one the clause states
        if stated(raw.status) or raw.earlier:
            firm.add(event.id)
        # one side's act on the other that did not or may not happen does not make the two a pair
        # "the two countries" speaks of next ("declined to comment on possible US sanctions
        # against India. The two countries also agreed ...": India and its partner); a meeting
        # that did not happen still does ("did not meet ... They met in ... instead")
        unreal = status in (EventStatus.NEGATED, EventStatus.HYPOTHETICAL)
        one_sided = any(a.role in ("source", "target") for a in actors)
        # nor does a target only the learned model found: it is less sure than one the grammar states
        sides = [
            a
            for a in actors
            if a.entity_id and a.role != "speaker" and a.probability is None and not (unreal and one_sided)
        ]
        people = [a for a in sides if label_of.get(a.entity_id or "") == "PERSON"]
        states = [a for a in sides if a.canonical and country_table().country(a.canonical) == a.canonical]
        if len(people) >= 2:
            previous["people"] = people
        if len(people) == 2:
            previous["pair"] = people  # what "the two leaders" may mean: never three people
            pair_end = raw.sentence_end
        if len(states) >= 2:
            previous["states"] = states
    _outcome_parties(linked, kept)
    events = [e for e, _ in linked]
    dateline = next((p for p in places if datelines.opens_line(text, p.start, p.end)), None)

    def filed_where(event: Event) -> bool:
        """Whether the dateline is where an event without a place of its own happened: "PARIS,
        Sept 4 -": where the story was filed is where its news of those days happened."""
        if dateline is None or anchor is None or event.type not in DIPLOMATIC:
            return False
        span = value_range(event.time.value) if event.time else None
        near = span is None or abs((span[0] - anchor).days) <= 3
        return near and event.status is not EventStatus.REFERENCED

    _inherit_places(events, kept, dateline, filed_where)
    _inherit_dates(events, anchor, counted, departures)
    if dateline is not None:
        for i, event in enumerate(events):
            if event.place is None and filed_where(event):
                events[i] = replace(event, place=_event_place(dateline))
    person_ids = {i for i, label in label_of.items() if label == "PERSON"}
    fresh = {e.id for e, raw in zip(events, kept, strict=True) if _another(raw, text)}
    # a headline's event is the story's news, which the body may bring in as "another" one too
    news = {e.id for e, raw in zip(events, kept, strict=True) if _title_line(raw, text)} | fresh
    apart = {e.id for e, raw in zip(events, kept, strict=True) if raw.noun and _DOER_AFTER.match(text, raw.end)}
    joined = corefer(
        [(e, ids) for e, (_, ids) in zip(events, linked, strict=True)], firm, person_ids, anchor, fresh, apart, news
    )
    # "talks in the Kremlin" of a story that names Moscow are in Moscow, the words kept; once the
    # mentions are joined, which compare places as the text gives them
    return [
        replace(e, place=_city_of(e.place, places)) if e.place is not None and e.place.kind in SITE_KINDS else e
        for e in joined
    ]


#: The word before a noun phrase that brings in one more event of a kind: "another shooting",
#: or "a"/"an" with a word of :data:`_ONE_MORE` ("a second earthquake", "a separate incident").
_DETERMINER_BEFORE = re.compile(r"\b(another|an?)\s+$", re.IGNORECASE)
_ONE_MORE = re.compile(r"(?:second|third|fourth|fifth|separate|new|unrelated|different|further|fresh)\b(?!-)")


#: A word after a noun trigger that makes it what someone is said to have done: "a murder
#: suspect", "the robbery convict". What the sentence tells of that person is another act.
_DOER_AFTER = re.compile(r"[ \t]+(?:suspects?|convicts?|fugitives?|defendants?)\b", re.IGNORECASE)


def _another(raw: RawMention, text: str) -> bool:
    """Whether a noun trigger's phrase says it is another event than those told before it (in
    lower case: "a New York shooting" is none; "a second-degree murder" neither)."""
    if not raw.noun:
        return False
    det = _DETERMINER_BEFORE.search(text, max(raw.sentence_start, raw.phrase_start - 10), raw.phrase_start)
    if det is None:
        return False
    return det.group(1).lower() == "another" or bool(_ONE_MORE.match(text, raw.phrase_start, raw.start))


def _outside_dates(raws: Sequence[RawMention], times: Sequence[TimeExpression]) -> list[RawMention]:
    """The raw mentions whose trigger is not a word of a date or a time of day: "in March 2016" is
    a month, not a protest march, whatever the parse made of the capitalised noun."""
    spans = sorted((t.start, t.end) for t in times if t.type in (TimeType.DATE, TimeType.TIME))
    if not spans:
        return list(raws)
    starts = [s for s, _ in spans]

    def inside(raw: RawMention) -> bool:
        i = bisect_right(starts, raw.start) - 1
        return i >= 0 and spans[i][0] <= raw.start and raw.end <= spans[i][1]

    return [r for r in raws if not inside(r)]


#: Words for no one, or for anyone at all: never an actor.
_NOBODY_IN_PARTICULAR = NO_ONE | {"anyone", "anybody", "anything", "everyone", "everybody"}


def pronoun_antecedent(
    pronoun: str, earlier: Sequence[EntityMention], sentence_start: int, described: People | None = None
) -> EntityMention | None:
    """The person a "he" or a "she" points back to, of the mentions named before it (``earlier``,
    in order): the first person its own sentence names (usually the subject), else the last person
    named before it, passing over a person the document shows to be of the other sex
    (``described``: :attr:`~storyline.annotate.descriptions.Person.sex`): "Tara Reid's rep Jack
    Ketsoyan said she entered rehab" is Reid's news. A person whose sex nothing tells is not
    passed over for one shown to agree: the names the census knows are one country's, and "Modi
    said ... He accepted" is Modi's act, not that of a Dmitry named before him. ``storyline eval
    pronouns`` measures it."""
    sex = PRONOUN_SEX.get(pronoun.lower())
    people = [
        e
        for e in earlier
        if e.label == "PERSON"
        and not (sex and described and (p := described.get(e.entity_id)) is not None and p.sex not in (None, sex))
    ]
    if not people:
        return None
    return next((e for e in people if e.start >= sentence_start), people[-1])


def _learned(arg: RawArg, actors: list[EventActor]) -> list[EventActor]:
    """The actors of a phrase the learned target model found carry its probability."""
    return actors if arg.probability is None else [replace(a, probability=arg.probability) for a in actors]


def _actors(
    arg: RawArg,
    ents: _Index[EntityMention],
    previous: Groups,
    text: str,
    speaker: list[EventActor],
    force: bool = False,
    sentence_start: int = 0,
    described: People | None = None,
    pair_end: int = 0,
    clause_mates: Set[str] = frozenset(),
) -> list[EventActor]:
    """The actors an argument phrase stands for: the entity it names, the person a "he" or "she"
    points back to, the speaker for "it" ("Syria says it is willing"), the participants of the
    last event for "the two leaders", else the phrase, if its head names actors ("police"), or,
    with ``force``, names the target of an act of force ("shelled positions"). ``clause_mates``:
    the entities of the act's other parties, which a "him" or "her" is not."""
    phrase = text[arg.start : arg.end]
    if text[arg.head_start : arg.head_end].lower() in _NOBODY_IN_PARTICULAR or phrase.lower() == "no one":
        return []  # "nobody was killed", "did not kill anyone": no one in particular is a party
    if not any(c.isalnum() for c in phrase):
        return []  # a dash the parser took for an object ("his ex - wife")
    if arg.pronoun:
        if arg.pronoun in ("it", "its", "they", "their", "we", "our") and speaker and speaker[0].entity_id:
            s = speaker[0]
            return [EventActor(arg.role, phrase, arg.start, arg.end, s.entity_id, s.canonical)]
        if arg.pronoun in _SINGULAR_PRONOUNS:
            earlier = [e for e in ents.before(arg.start) if e.entity_id not in clause_mates]
            e = pronoun_antecedent(arg.pronoun, earlier, sentence_start, described)
            if e is not None:
                head = text[arg.head_start : arg.head_end]
                return [EventActor(arg.role, head, arg.head_start, arg.head_end, e.entity_id, e.canonical)]
        they = previous["people"] or previous["states"]
        if arg.pronoun in _PLURAL_PRONOUNS and they:
            return [EventActor(arg.role, phrase, arg.start, arg.end, p.entity_id, p.canonical) for p in they]
        return []  # "it", "we": left unresolved rather than guessed
    inside = ents.overlapping(arg.head_start, arg.head_end) or ents.overlapping(arg.start, arg.end)
    if any(e.label in _NO_PARTY_LABELS for e in ents.overlapping(arg.head_start, arg.head_end)):
        return []  # "a New Year's shooting", "under the Patriot Act": an occasion or a law is no party
    inside = [e for e in inside if e.label in ACTOR_LABELS and not _dateline(e.start, e.end, text)]
    if len(inside) > 1 and all(e.label in ("NORP", "GPE") for e in inside):
        # "Hungarian and Romanian officials": one actor per country named
        return [EventActor(arg.role, e.text, e.start, e.end, e.entity_id, e.canonical) for e in inside]
    if len(inside) == 1 and re.fullmatch(r"[A-Z][a-z]+-[A-Z][a-z]+", inside[0].text):
        pair = [country_table().country(part) for part in inside[0].text.split("-")]
        if all(pair):  # "the France-Germany summit", "Franco-German talks": both countries take part
            e = inside[0]
            return [
                EventActor(arg.role, e.text, e.start, e.end, entity_id("GPE", name, name), name)
                for name in dict.fromkeys(pair)
                if name
            ]
    at_head = next((x for x in inside if x.start <= arg.head_start < x.end), None)
    if at_head is None and described:
        # "the Russian leader", "the Indian prime minister": the person the story said is one
        who = resolve(arg.start, arg.head_end, text, ents.overlapping(arg.start, arg.end), described)
        if who is not None:
            return [EventActor(arg.role, phrase, arg.start, arg.end, who.entity_id, who.canonical)]
    relative = text[arg.head_start : arg.head_end].lower() in RELATIVE_NOUNS
    if at_head is None and relative and any(_possessor(x, text) for x in inside if x.label == "PERSON"):
        # "Putin's brother", "the minister's wife": someone of the person's, not the person
        return [EventActor(arg.role, phrase, arg.start, arg.end)]
    if inside:
        # the entity at the head, else the phrase's person ("French President Emmanuel Macron" -> Macron)
        e = at_head or next((x for x in inside if x.label == "PERSON"), inside[0])
        return [EventActor(arg.role, e.text, e.start, e.end, e.entity_id, e.canonical)]
    bare = re.sub(r"(?:'s|’s|'|’)$", "", phrase.strip())  # "the leaders' meeting"
    if _SIDES.match(bare) and previous["states"]:
        return [EventActor(arg.role, phrase, arg.start, arg.end, p.entity_id, p.canonical) for p in previous["states"]]
    group: list[EventActor] = []
    if _GROUP_STATES.match(bare):  # "both countries"
        # the last two countries named, if both since the sentence of the pair of leaders the last
        # event named ("... Iran and Iraq have long been rivals, but the two countries signed"),
        # else those leaders' countries, else the last two countries named at all
        named = _last_two(ents, arg.start, "states")
        since = len(named) == 2 and all(a.start >= pair_end for a in named)
        group = (
            previous["states"]
            or (named if since else _pair_countries(previous["pair"], described, arg))
            or named
            or previous["people"]
        )
    elif _GROUP_PEOPLE.match(bare):  # "the two leaders" (never three people), "the leaders"
        last = previous["pair"] if _TWO.search(bare) else previous["people"]
        newer = _newer_pair(bare, ents, sentence_start, arg.start, previous["pair"], described)
        group = newer or last or _last_two(ents, arg.start, "people") or previous["states"]
    if group:
        return [EventActor(arg.role, phrase, arg.start, arg.end, p.entity_id, p.canonical) for p in group]
    if _dateline(arg.start, arg.end, text) and not any(
        e.label not in PLACE_LABELS for e in ents.overlapping(arg.start, arg.end)
    ):
        return []  # "NEW DELHI — Russia and India signed ...": where the story was filed, never who acted
    if arg.proper:  # a name the recogniser missed here but found elsewhere: "Macron, who arrived ..."
        name = text[arg.head_start : arg.head_end]
        known = next(
            (e for e in reversed(ents.items) if e.label == "PERSON" and e.canonical.split()[-1] == name), None
        ) or next((e for e in ents.items if e.text == name and e.label in ACTOR_LABELS), None)
        if known is not None:
            return [EventActor(arg.role, name, arg.head_start, arg.head_end, known.entity_id, known.canonical)]
    head = text[arg.head_start : arg.head_end].lower()
    if head not in ACTOR_NOUNS and not arg.proper and not (force and arg.role == "target"):
        return []  # "16 agreements", "the agenda": not who acted or was acted on
    return [EventActor(arg.role, phrase, arg.start, arg.end)]


#: Labels of names that are never a party to an event: an occasion or a holiday ("New Year",
#: "the Olympics"), a law, a language. A phrase whose head the recogniser gave one of these is
#: when, under what or in what something was done, not who did it or to whom.
_NO_PARTY_LABELS = frozenset({"EVENT", "LAW", "LANGUAGE"})


def _possessor(e: EntityMention, text: str) -> bool:
    """Whether the mention is followed by a possessive ("Putin's", "the Gandhis'")."""
    return bool(re.match(r"['’]s?\b|['’](?=\s)", text[e.end : e.end + 3]))


def _newer_pair(
    bare: str,
    ents: _Index[EntityMention],
    sentence_start: int,
    position: int,
    pair: list[EventActor],
    described: People | None,
) -> list[EventActor]:
    """The two people of the group's role ("both leaders", "the two prime ministers") the story
    named since the pair the last event set, when exactly two were and the group's own sentence
    names one of that pair before it: "... the two leaders held the summit. Japan's Prime
    Minister Shinzo Abe and Malaysia's Prime Minister Mahathir Mohamad also spoke. Modi held
    separate meetings with both leaders" means Abe and Mahathir. Officials quoted in between are
    no leaders, and a bare "The leaders also discussed ..." stays with the pair (leaders merely
    mentioned since do not take over); without the people's roles, nothing."""
    words = [w for w in bare.casefold().split() if w not in ("the", "two", "both")]
    if not described or not words or not words[-1].endswith("s") or not pair:
        return []
    wanted = role_of([*words[:-1], words[-1][:-1]])  # "leaders" -> "leader", "prime ministers"
    if wanted is None:
        return []
    old = {a.entity_id for a in pair}
    if not any(e.label == "PERSON" and e.entity_id in old for e in ents.overlapping(sentence_start, position)):
        return []  # the sentence does not set the group against the pair ("Modi held meetings with both leaders")
    since = max(a.start for a in pair)
    seen: dict[str, EntityMention] = {}
    for e in reversed(ents.before(sentence_start)):
        if e.start <= since:
            break
        person = described.get(e.entity_id) if e.label == "PERSON" and e.start < sentence_start else None
        if person is not None and e.entity_id not in old and role_matches(wanted, person.roles):
            seen.setdefault(e.entity_id, e)
    if len(seen) != 2:
        return []  # none, one, or three leaders named since: which two, the words do not say
    return [EventActor("participant", e.text, e.start, e.end, e.entity_id, e.canonical) for e in seen.values()]


def _pair_countries(pair: list[EventActor], described: People | None, arg: RawArg) -> list[EventActor]:
    """The countries of the two people the last event named together, when the story places each
    in one country and the two differ: what "the two countries" means in a story of two leaders
    ("Modi will meet Putin ... The annual summit between the two countries"), before any two
    countries it happened to name last ("... the war in Syria"). Else none."""
    if len(pair) != 2 or not described:
        return []
    people = [described.get(a.entity_id or "") for a in pair]
    countries = [next(iter(p.countries)) for p in people if p is not None and len(p.countries) == 1]
    if len(countries) != 2 or countries[0] == countries[1]:
        return []
    return [EventActor(arg.role, c, arg.start, arg.end, entity_id("GPE", c, c), c) for c in countries]


def _last_two(ents: _Index[EntityMention], position: int, kind: str) -> list[EventActor]:
    """The last two different people (or countries) named before ``position``: what "the two
    leaders" (or "the two countries") points back to when no event has named them together."""
    seen: dict[str, EntityMention] = {}
    for e in reversed(ents.before(position)):
        wanted = e.label == "PERSON" if kind == "people" else bool(e.country and e.canonical == e.country)
        if wanted and e.entity_id not in seen:
            seen[e.entity_id] = e
            if len(seen) == 2:
                return [
                    EventActor("participant", x.text, x.start, x.end, x.entity_id, x.canonical) for x in seen.values()
                ]
    return []


def _dateline(start: int, end: int, text: str) -> bool:
    """ "PARIS, Oct 5 (Reuters) -": a place in capitals opening a paragraph says where the
    story was filed, not who acted (four letters at least: "UN, ..." may act)."""
    return datelines.opens_line(text, start, end, shortest=4)


def _place(raw: RawMention, plcs: _Index[PlaceMention], actors: list[EventActor], text: str) -> EventPlace | None:
    named = [p for start, end in raw.places for p in plcs.overlapping(start, end)]
    if named:  # the most precise: "left for Lyon on a visit to France" is in Lyon
        return _event_place(next((p for p in named if p.kind not in AREA_PLACES), named[0]))
    if raw.subtype in ("visit", "host-visit"):
        for a in actors:  # "visited France": where the visit went
            found = plcs.overlapping(a.start, a.end)
            if found and a.role in ("target", "participant"):
                return _event_place(found[0])
    if raw.type not in DOMESTIC:
        return None  # a meeting's place comes from its own words, its story, or the dateline (see link_events)
    taken = [(a.start, a.end) for a in actors] + [(raw.phrase_start, raw.phrase_end)]
    for p in plcs.overlapping(raw.clause_start, raw.clause_end):  # a protest's: "in X" or "at X" in its clause
        preposition = re.search(r"\b(?:in|at|near|outside)\s+(?:the\s+)?$", text[max(0, p.start - 12) : p.start])
        if preposition and not any(p.start < end and start < p.end for start, end in taken):
            return _event_place(p)
    return None


#: Roles of people posted in another country: where the story places them may be their post.
_ENVOY_ROLES = frozenset({"ambassador", "envoy", "consul", "consul general", "high commissioner", "special envoy"})


def _goes_home(actors: list[EventActor], described: People, place: EventPlace) -> bool:
    """Whether a journey takes its travellers home: to the country, or its capital, that the story
    places every one of them in ("Russian President Vladimir Putin ... is to leave for Moscow").
    A journey within the country ("Modi will travel to Goa") is not one home."""
    table = country_table()
    country = next((name for name, code in table.code_of.items() if code == place.country), None)
    if country is None or place.name not in (country, table.capital_in.get(country)):
        return False
    travellers = [a for a in actors if a.role == "source"]
    people = [described.get(a.entity_id) for a in travellers if a.entity_id]
    if not travellers or len(people) != len(travellers):
        return False
    # an envoy's country may be where they are posted ("Russian Ambassador to India")
    return all(p is not None and p.countries == {country} and not p.roles & _ENVOY_ROLES for p in people)


def _event_place(p: PlaceMention) -> EventPlace:
    return EventPlace(p.name, p.country, p.lat, p.lon, p.text, p.start, p.end, p.kind)


def _time(
    raw: RawMention, dated: _Index[TimeExpression], text: str = "", phrases: Sequence[tuple[int, int]] = ()
) -> EventTime | None:
    """The time expression of the trigger's sentence that dates it, nearest first in its clause;
    not a bound ("by 2025"), not one of another clause, and not one that modifies another event
    noun from before it (``phrases``: the words before each noun trigger in its own phrase, "next
    year's" of "next year's summit"). For an event still to come or only supposed, not the time of
    the report either ("are expected to sign agreements, officials said on Wednesday")."""
    elsewhere = [(a, b) for a, b in phrases if not (a <= raw.start < b) and b != raw.start]
    if raw.status in (EventStatus.PLANNED, EventStatus.HYPOTHETICAL):
        elsewhere += raw.reported_at
    elsewhere += raw.asides  # "The minister, who arrived on Monday, met Putin": Monday is the arrival's
    in_sentence = [
        t
        for t in dated.overlapping(raw.sentence_start, raw.sentence_end)
        # "a target of $30 billion by 2025", "since 2014": a bound, not when the event happened
        if not _BOUND_BEFORE.search(text[max(0, t.start - 16) : t.start])
        and not _BOUND_WORD.match(t.text)
        and not _in_other_clause(raw, t, text)
        and not any(a <= t.start and t.end <= b for a, b in elsewhere)
    ]
    if not in_sentence:
        return None
    journey = False  # the time is the journey's, which what it is for may or may not share
    if raw.purpose is not None:
        # "for talks on Saturday", "for next year's summit" are its own; "travel on May 31 for the
        # summit" may be the summit's (a day's trip) or not ("The summit talks will be held on June
        # 1"): lent, not stated
        own = [t for t in in_sentence if raw.purpose[0] <= t.start < raw.purpose[1]]
        journey = not own
        in_sentence = own or in_sentence
    in_clause = [t for t in in_sentence if raw.clause_start <= t.start < raw.clause_end]
    if raw.within is not None and not in_clause:
        # "left on Tuesday for a visit, during which he will hold the summit": Tuesday is the
        # leaving's; "the 2018 summit, at which they signed" dates the signing
        in_sentence = [t for t in in_sentence if raw.within[0] <= t.start < raw.within[1]]
        if not in_sentence:
            return None
    pool = in_clause or in_sentence
    best = min(pool, key=lambda t: abs(t.start - raw.start))
    return EventTime(best.value, best.type.value, best.text, best.start, best.end, inferred=journey)


_SPAN_VALUE = re.compile(r"P(\d+)([DWMY])|PT(\d+)H")


def _time_since(
    raw: RawMention,
    since: Since,
    own: EventTime | None,
    timed: _Index[TimeExpression],
    dated: _Index[TimeExpression],
    anchor: date | None,
) -> EventTime | None:
    """The time of an event in a clause a span of time opens ("five months after they met"): its
    own date in that clause if it has one; else the date of what the clause is said of moved back
    ("after") or on ("before") by the span, as finely as the span is given (a day, a week, a month,
    a year). What the clause is said of is dated by the sentence's date nearest before the span
    (else after it), or, when the sentence gives none and that is no plan, the publication day.
    Counted, not stated: it lends no date to other events (:func:`_inherit_dates`)."""
    if own is not None and own.start is not None and since.clause_start <= own.start < since.clause_end:
        return own
    amount = next((t for t in timed.overlapping(since.lead_start, since.lead_end) if t.type == TimeType.DURATION), None)
    m = _SPAN_VALUE.fullmatch(amount.value) if amount is not None else None
    if amount is None or m is None:
        return None
    outside = [
        t
        for t in dated.overlapping(raw.sentence_start, raw.sentence_end)
        if not (since.clause_start <= t.start < since.clause_end) and not (since.lead_start <= t.start < since.lead_end)
    ]
    before = [t for t in outside if t.end <= since.lead_start]
    chosen = max(before, key=lambda t: t.start) if before else min(outside, key=lambda t: t.start, default=None)
    if chosen is not None:
        base_range = value_range(chosen.value)
        if base_range is None:
            return None
        base, days = base_range[0], (base_range[1] - base_range[0]).days
    elif anchor is not None and not since.ahead:
        base, days = anchor, 0
    else:
        return None  # "will visit Moscow a day after the summit": a day after a day not given
    unit = m[2] or "H"
    number = int(m[1] or m[3])
    if unit in ("H", "D", "W") and days > 0:
        return None  # counted in days from a month or a year: no day comes out
    if unit == "M" and days > 31:
        return None  # months from a year
    if unit == "H":
        value = (base + timedelta(days=since.way * (number // 24))).isoformat()
    elif unit == "D":
        value = (base + timedelta(days=since.way * number)).isoformat()
    elif unit == "W":
        year, week, _ = (base + timedelta(weeks=since.way * number)).isocalendar()
        value = f"{year}-W{week:02d}"
    elif unit == "M":
        month = base.year * 12 + base.month - 1 + since.way * number
        value = f"{month // 12}-{month % 12 + 1:02d}"
    else:
        value = str(base.year + since.way * number)
    return EventTime(value, TimeType.DATE.value, amount.text, amount.start, amount.end)


def _itinerary(raw: RawMention, timed: _Index[TimeExpression], people: Sequence[EntityMention]) -> bool:
    """Whether an undated present tense tells a journey's schedule: a person's journey to
    somewhere, or what one is for ("He travels on to Paris for talks"), told as no habit ("usually",
    "each summer", a set time). The traveller must be a person (a name in ``people``, the sentence's
    entities, or "he"/"she"): "exports go to Iraq" and "warplanes are headed to Saudi Arabia" are
    no schedule."""
    journey = raw.subtype == "visit" and not raw.noun and bool(raw.places)
    if not (journey or raw.purpose is not None) or raw.habitual or raw.traveller is None:
        return False
    start, end = raw.traveller
    person = any(
        e.label == "PERSON" or e.text.lower() in ("he", "she") for e in people if e.start < end and start < e.end
    )
    pronoun = raw.traveller is not None and any(a.pronoun in ("he", "she") for a in raw.args if a.head_start == start)
    if not (person or pronoun):
        return False  # "the delegation travels to Moscow", "exports go to Iraq": no person's schedule
    return not any(t.type == TimeType.SET for t in timed.overlapping(raw.sentence_start, raw.sentence_end))


def _headline(raw: RawMention, text: str) -> bool:
    """Whether the trigger's sentence is a headline: the text's first line, or a line that ends
    without a full stop ("Modi meets Putin in Sochi")."""
    line_start = text.rfind("\n", 0, raw.sentence_start) + 1
    if line_start == 0 and _opens_text(raw, text):
        return True  # the text's first line
    return _unstopped(text, line_start, raw.sentence_end)


def _title_line(raw: RawMention, text: str) -> bool:
    """Whether the trigger's sentence is the text's first line and ends without a full stop: a
    title, not a story's opening sentence."""
    return _opens_text(raw, text) and _unstopped(text, raw.sentence_start, raw.sentence_start)


def _opens_text(raw: RawMention, text: str) -> bool:
    """Whether nothing but blank space comes before the trigger's sentence."""
    return not text[: raw.sentence_start].strip()


def _unstopped(text: str, start: int, after: int) -> bool:
    """Whether ``text`` from ``start`` to the end of the line holding ``after`` ends without a full stop."""
    line_end = text.find("\n", after)
    return not _SENTENCE_END.search(text[start : line_end if line_end >= 0 else None].rstrip())


def _in_other_clause(raw: RawMention, t: TimeExpression, text: str) -> bool:
    """Whether ``t`` sits in a subordinate clause ("since ... took office in May") that does not
    hold the event's trigger: the time of another act."""
    if any(a <= t.start and t.end <= b for a, b in raw.meanwhile):
        return False  # "will sign agreements when Modi meets Putin on Saturday": then too
    segment_start = max(raw.sentence_start, *(text.rfind(p, raw.sentence_start, t.start) + 1 for p in ",;(–—"))
    if segment_start <= raw.start < t.start:
        # the trigger first, in the same stretch: the time is another act's when a subordinating
        # word opens a clause between them ("the first summit ... since Mr Modi took office in
        # May", "after a June 30 coup"), not when it is the time's own preposition ("postpone the
        # demonstration until 9 November")
        between = text[raw.end : t.start]
        words = list(_SUBORDINATING_WORD.finditer(between))
        if not words or not _SUBORDINATE.search(between):
            return False
        return not _DAY_BEFORE_TIME.fullmatch(between[words[-1].end() :].strip())
    return bool(_SUBORDINATE.search(text[segment_start : t.start]))


def _read_time(
    raw: RawMention, dated: _Index[TimeExpression], text: str, phrases: Sequence[tuple[int, int]], anchor: date | None
) -> EventTime | None:
    """The time that dates a mention (:func:`_time`), read forward for an event still ahead ("will
    hold the summit on Thursday, officials said", "X meets Y on Saturday": the coming day)."""
    time = _time(raw, dated, text, phrases)
    if time and anchor and raw.status in (EventStatus.PLANNED, Unsettled.PRESENT, Unsettled.FACT):
        time = _forward(time, anchor)
    return time


def _forward(time: EventTime, anchor: date) -> EventTime:
    """A planned event's weekday or month, read forward when the time stage read it back: "is
    scheduled to hold the summit on Thursday, officials said" is the coming Thursday."""
    span = value_range(time.value)
    if span is None or span[1] >= anchor or not time.text or re.search(r"\d", time.text):
        return time  # a date the text spells out ("May 10", "in 2017") is not moved
    if re.fullmatch(r"\d{4}-\d\d-\d\d", time.value[:10]) and _WEEKDAY_WORD.search(time.text):
        if (anchor - span[1]).days >= 7:
            return time
        day = date.fromisoformat(time.value[:10]) + timedelta(days=7)
        return replace(time, value=day.isoformat() + time.value[10:])
    if re.fullmatch(r"\d{4}-\d\d", time.value) and _MONTH_WORD.search(time.text):
        return replace(time, value=f"{int(time.value[:4]) + 1}{time.value[4:]}")
    return time


def _confidence(raw: RawMention, actors: list[EventActor], place: EventPlace | None, time: EventTime | None) -> float:
    score = 0.45 if not raw.noun else 0.35
    actors = [a for a in actors if a.probability is None]  # what the grammar states, not what was learned
    linked = [a for a in actors if a.entity_id]
    score += 0.2 if linked else 0.1 if actors else 0.0
    score += 0.1 if len(actors) >= 2 else 0.0
    score += 0.1 if place else 0.0
    score += 0.1 if time and not time.inferred else 0.05 if time else 0.0
    score += 0.05 if stated(raw.status) else 0.0
    score += 0.25 if raw.main_clause else 0.0
    score += 0.05 if raw.frame else 0.0
    return round(min(score, 0.95), 2)


def _outcome_parties(linked: list[tuple[Event, set[str]]], raws: Sequence[RawMention]) -> None:
    """An agreement or a signing that names no party takes the parties of the meeting, summit,
    talks or visit its clause says yielded it or went without it ("the summit between X and Y
    ended without any agreements", "the talks produced an accord", "X hosted Y ... without the
    signing of documents"): the outcomes of a gathering are its parties'."""
    for i, ((event, ids), raw) in enumerate(zip(linked, raws, strict=True)):
        if not raw.outcome_of or any(a.role != "speaker" for a in event.actors):
            continue
        gathering = next(
            (
                other
                for other, _ in linked
                if other.type == "CONSULT"
                and other.trigger.sentence_start == event.trigger.sentence_start
                and any(m.start < end and start < m.end for m in other.mentions for start, end in raw.outcome_of)
            ),
            None,
        )
        if gathering is None:
            continue
        # its sides: the participants of a meeting (not a topic: "talks on Kashmir"), else who
        # hosts and who is hosted; two at least
        sides = [a for a in gathering.actors if a.role == "participant"] or [
            a for a in gathering.actors if a.role in ("source", "target")
        ]
        if len({a.entity_id or a.text for a in sides}) < 2:
            continue
        joined = [EventActor("participant", a.text, a.start, a.end, a.entity_id, a.canonical) for a in sides]
        actors = merge_actors([*event.actors, *joined])
        confidence = _confidence(raw, actors, event.place, event.time)
        linked[i] = (
            replace(event, actors=actors, confidence=confidence),
            ids | {a.entity_id for a in sides if a.entity_id},
        )


def _inherit_places(
    events: list[Event],
    raws: Sequence[RawMention],
    dateline: PlaceMention | None,
    filed_where: Callable[[Event], bool],
) -> None:
    """An event the sentence gives no place for happens where the story puts the same people:
    "the president will arrive in the capital on Wednesday ... he is to hold the summit on
    Thursday" puts the summit in the capital. Only for diplomatic events, from another event of
    the same document (the nearest before it first, then after it) that shares a participant, or
    is dated the same day, within three days, and is not a recalled earlier event. An event placed
    only in a country takes a place in that country from the event it is told within ("left for
    Vladivostok on a visit to Russia, during which he will hold the summit"; ``raws``, the raw
    mention of each event), or from one of the same people and status on the same stated day; one
    placed in a region or a state keeps it ("the first to visit the Russian Far East"). First of
    all, an event told "during" or "at" another (``RawMention.during``: "concluded during Putin's
    visit to New Delhi") takes that one's place, if it has none or only its country. An event
    not planned takes a place only from the events :func:`_lends_to_held` allows: not from a plan
    of another day, nor from what another agreed or promised to do, nor, when the story's
    ``dateline`` will place it (``filed_where``), an area of the dateline's country ("agreed on
    Wednesday to ... after talks" in a story filed in Vladivostok that says Modi is the first
    Indian leader to visit the Russian Far East: the talks are in the town the story was filed
    from, not across the region)."""
    for i, event in enumerate(events):
        if event.type not in DIPLOMATIC:
            continue
        area = event.place is not None and event.place.kind == "country"
        if event.place is not None and not area:
            continue
        raw = raws[i]
        told = raw.during
        host = next(
            (
                o
                for o in events
                if o is not event and o.place and told and any(told[0] <= m.start < told[1] for m in o.mentions)
            ),
            None,
        )
        if host is not None and host.place is not None and (not area or _in_country(host.place, event.place)):
            # "concluded during Putin's visit to New Delhi", "signed at the summit in Goa"
            events[i] = replace(event, place=host.place)
            continue
        ids = {a.entity_id for a in event.participants() if a.entity_id}
        # the story so far first, then what it says next ("signed 15 agreements on Wednesday ... the
        # summit in X on Wednesday")
        for j in [*range(i - 1, -1, -1), *range(i + 1, len(events))]:
            other = events[j]
            if other.place is None or other.type not in DIPLOMATIC or other.status is EventStatus.REFERENCED:
                continue
            if event.status is not EventStatus.PLANNED and not _lends_to_held(
                event, other, raws[j], dateline, filed_where
            ):
                continue
            if event.time and not other.time:
                continue  # an undated event's place says nothing of where a dated one happened
            shared = ids & {a.entity_id for a in other.participants() if a.entity_id}
            same_day = _one_stated_day(event) and _one_stated_day(other)
            if not (shared or (same_day and _dates_compatible(event, other))):
                continue  # neither the same people nor the same (stated) day
            if not _dates_compatible(event, other, days=3):
                continue
            if area and not (_in_country(other.place, event.place) and _refines(event, other, raw)):
                continue
            events[i] = replace(event, place=other.place)
            break


def _lends_to_held(
    event: Event,
    other: Event,
    other_raw: RawMention,
    dateline: PlaceMention | None,
    filed_where: Callable[[Event], bool],
) -> bool:
    """Whether ``other``'s place may be that of ``event``, an event not planned (a plan may share
    the place of a trip promised). Not when ``other`` is planned and ``event`` dated by the text
    to another day (where something is to happen says little of where something dated happened),
    nor when ``other`` is what someone agreed or promised to do ("agreed to step up cooperation
    in X": where it is to be done, not where it was agreed), nor, when the ``dateline`` will place
    ``event``, an area of the dateline's country (its town, within that area, says more)."""
    if (
        other.status is EventStatus.PLANNED
        and event.time is not None
        and not event.time.inferred
        and not _same_stated_day(event, other)
    ):
        return False
    if other_raw.undertaken:
        return False
    return not (
        event.place is None
        and other.place is not None
        and other.place.kind in AREA_PLACES
        and dateline is not None
        and dateline.country is not None
        and other.place.country == dateline.country
        and filed_where(event)
    )


def _refines(event: Event, other: Event, raw: RawMention) -> bool:
    """Whether ``other`` is where ``event`` happened, more precisely: the event it is told within,
    or one of the same people and status on the same stated day ("talks in Russia on Thursday ...
    met in Vladivostok on Thursday"); not a later plan ("met in Sochi on Monday ... will visit
    Russia again later this year")."""
    within = raw.within
    if within is not None and any(within[0] <= m.start < within[1] for m in other.mentions):
        return True
    ids = {a.entity_id for a in event.participants() if a.entity_id}
    shared = ids & {a.entity_id for a in other.participants() if a.entity_id}
    return bool(shared) and event.status is other.status and _same_stated_day(event, other)


def _city_of(site: EventPlace, places: Sequence[PlaceMention]) -> EventPlace:
    """The town of a site, where the story names one within ``SITE_TOWN_KM`` of it (the nearest),
    with the site's words as its text: "talks in the Kremlin ... Moscow" are in Moscow. Else the
    site itself."""
    towns = [p for p in places if p.kind in ("city", "town") and p.country == site.country]
    if not towns:
        return site
    km = distances_km(site, towns)
    nearest = int(np.argmin(km))
    if km[nearest] > SITE_TOWN_KM:
        return site
    town = towns[nearest]
    return replace(site, name=town.name, country=town.country, lat=town.lat, lon=town.lon, kind=town.kind)


def _same_stated_day(a: Event, b: Event) -> bool:
    """Whether the text dates both events to one and the same day."""
    if a.time is None or b.time is None:
        return False
    return _one_stated_day(a) and _one_stated_day(b) and a.time.value[:10] == b.time.value[:10]


def _one_stated_day(event: Event) -> bool:
    """Whether the text gives the event's time as one day (not a month: "earlier this month")."""
    span = value_range(event.time.value) if event.time and not event.time.inferred else None
    return span is not None and span[0] == span[1]


def _in_country(place: EventPlace, country: EventPlace | None) -> bool:
    """Whether a place is a spot (not an area) in the country ``country`` is."""
    if country is None or place.kind in AREA_PLACES:
        return False
    return bool(place.country) and place.country == country.country


_JOURNEYS = ("visit", "host-visit")


def _inherit_dates(
    events: list[Event],
    anchor: date | None,
    counted: Set[str] = frozenset(),
    departures: Sequence[tuple[int, EventTime, set[str]]] = (),
) -> None:
    """(``counted``: events whose day was counted from a span of time, "a day after the talks":
    they lend it to no other.) A past (or denied) event the sentence gives no date for took place when the story's
    dated event did, if that was in the three days before publication ("the summit on Thursday
    ... the president said after the talks", "no agreements were signed", in Friday's paper):
    the nearest such event with the same people, else the latest such day (for an agreement, a
    journey's only where no other event of those days is dated: "arrived on Wednesday ... talks on
    Thursday ... agreed to produce helicopters" is Thursday's); else, for a past event, the
    publication date. A journey home that took place on a stated day (``departures``: where its
    trigger is, its time, its travellers; "Mr Putin flew home on Thursday night") counts as a
    dated journey of its travellers: the visit it ended was that day at the latest."""
    if anchor is None:
        return

    def recent(t: EventTime | None, kinds: tuple[str, ...] = (TimeType.DATE.value,)) -> date | None:
        span = value_range(t.value) if t and not t.inferred and t.type in kinds else None
        return span[0] if span and span[0] == span[1] and 0 <= (anchor - span[0]).days <= 3 else None

    # (place among the events, day, its people, a journey): an event's place is its index; a
    # journey home stands between the events before and after it
    dated: list[tuple[float, date, set[str], bool]] = []
    for i, event in enumerate(events):
        day = recent(event.time)
        # "a day after the talks" dates the talks, not the story's news
        if day is not None and event.type in DIPLOMATIC and event.id not in counted:
            ids = {a.entity_id for a in event.participants() if a.entity_id}
            dated.append((i, day, ids, event.subtype in _JOURNEYS))
    for start, when, who in departures:
        if (day := recent(when, (TimeType.DATE.value, TimeType.TIME.value))) is not None:  # "on Thursday night"
            dated.append((sum(e.trigger.start < start for e in events) - 0.5, day, who, True))
    if not dated:
        return
    for i, event in enumerate(events):
        undated = event.time is None and event.status is EventStatus.NEGATED
        if not (undated or (event.time and event.time.inferred and event.status is EventStatus.OCCURRED)):
            continue
        ids = {a.entity_id for a in event.participants() if a.entity_id}
        # an agreement is made at the talks, not on the day of an arrival: a journey dates it only
        # where nothing else of those days is dated ("visited New Delhi on Wednesday ... signed")
        outcome = event.type in OUTCOMES
        settled = [d for d in dated if not d[3]]
        by_distance = sorted(settled if outcome and settled else dated, key=lambda d: abs(d[0] - i))
        # the dated event sharing most of its people, the nearest of those ("talks on Thursday ...
        # arrived on Wednesday ... the two leaders also discussed" is the talks'); else the
        # story's latest day (a report's news)
        sharing = sorted((d for d in by_distance if ids & d[2]), key=lambda d: -len(ids & d[2]))
        choice = sharing[0] if sharing else max(by_distance, key=lambda d: d[1])
        events[i] = replace(event, time=EventTime(choice[1].isoformat(), TimeType.DATE.value, inferred=True))


def _dates_compatible(a: Event, b: Event, days: int = 0) -> bool:
    """Whether two events' dates (when both have one) can be the same, ``days`` apart at most."""
    if not (a.time and b.time):
        return True
    ra, rb = value_range(a.time.value), value_range(b.time.value)
    if not (ra and rb):
        return True
    return not (ra[1] + timedelta(days=days) < rb[0] or rb[1] + timedelta(days=days) < ra[0])
