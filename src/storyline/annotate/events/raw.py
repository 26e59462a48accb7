"""What the parse hands to linking: raw mentions and their argument phrases, by character offsets
into the document text (plain records, so worker processes can send them back)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from storyline.annotate.events.status import Grammar


@dataclass(slots=True)
class RawArg:
    """An argument phrase of a trigger, by character offsets into the document text."""

    role: str
    start: int
    end: int
    head_start: int
    head_end: int
    pronoun: str | None = None
    proper: bool = False
    """The head is a proper noun (a name the recogniser may have missed)."""
    probability: float | None = None
    """For a target the learned model found (:mod:`.targets`), how likely it is to be one; None
    for a phrase the grammar gives."""


class Since(NamedTuple):
    """Where an "after" or "before" clause and the span of time that opens it stand."""

    lead_start: int
    lead_end: int
    """The span of time ("five months")."""
    clause_start: int
    clause_end: int
    """The clause, from "after" or "before" to its end."""
    way: int
    """-1 for "after" (the clause's event came that long before what it is said of), +1 for "before"."""
    ahead: bool
    """What the clause is said of is still to come ("will visit Moscow a day after the summit")."""


@dataclass(slots=True)
class RawMention:
    """What the parse says about one trigger, before linking to entities, places and times."""

    start: int
    end: int
    type: str
    subtype: str | None
    cameo: str | None
    symmetric: bool
    noun: bool
    sentence_start: int
    sentence_end: int
    clause_start: int
    clause_end: int
    phrase_start: int
    phrase_end: int
    """The trigger's own phrase ("the France-Germany summit"): its place words name participants."""
    status: Grammar
    """What the grammar says: a status, or a present tense, or nothing (see :mod:`.status`)."""
    main_clause: bool
    sense: str
    """The lexicon sense that made it (:attr:`~storyline.annotate.event_lexicon.Sense.name`)."""
    rule: str
    """The rule that made it: ``verb:<key>`` or ``noun:<key>`` for a trigger word under its lexicon
    key, ``frame:must`` or ``frame:unless`` for a frame; ``+<rule>`` when a rule refined the sense
    (``verb:attack+military``)."""
    frame: bool = False
    """A demand or an ultimatum read from the frame of another act ("X said Y must ...",
    "will withdraw unless ..."): what the sentence does, so it ranks above the act it frames."""
    framed: int = -1
    """For a frame, where the framed act's verb starts."""
    earlier: bool = False
    """Marked as an earlier event ("their previous meeting", "last year's summit")."""
    args: list[RawArg] = field(default_factory=list)
    places: list[tuple[int, int]] = field(default_factory=list)
    """Phrases that say where ("in Paris", "to France"), nearest the trigger first."""
    within: tuple[int, int] | None = None
    """For a clause of "during which", "at which" (a preposition and "which"), the phrase of the
    event it hangs from ("a two-day visit to Russia, during which he will hold the summit"): the times of the
    sentence outside that phrase are not this event's ("left on Tuesday")."""
    asides: list[tuple[int, int]] = field(default_factory=list)
    """Relative clauses inside the trigger's clause about someone or something else ("The minister,
    who arrived on Monday, met Putin"): a time there is not this event's."""
    purpose: tuple[int, int] | None = None
    """For a noun event a journey is for ("will travel to St Petersburg on May 31 for the summit
    with Putin on June 1"), its "for" phrase: a time there is its own; the journey's is only lent."""
    traveller: tuple[int, int] | None = None
    """For a journey, or what one is for, the head word of who travels."""
    occasion: int = 0
    """Which of several occasions one verb tells ("met twice, in Bishkek and in Osaka": 0 for
    Bishkek, 1 for Osaka), each with its own place: one event each."""
    undertaken: bool = False
    """What a verb of agreeing or committing has its subject undertake ("agreed to step up
    cooperation in Russia's Far East", "promised to build a plant in X"): its place is where it is
    to be done, not where anything was agreed, so it lends its place to no other event."""
    home: bool = False
    """A journey home ("Mr Putin flew home on Thursday night"): no visit, but the day a visit ended."""
    habitual: bool = False
    """The journey's verb tells a habit ("usually travels to Sochi", "each summer")."""
    during: tuple[int, int] | None = None
    """The phrase of "during" or "at" on the event's verb ("concluded during Putin's visit to New
    Delhi", "signed at the summit in Goa"): an event told there is where this one happened."""
    reported_at: list[tuple[int, int]] = field(default_factory=list)
    """The phrases that modify the verb reporting the event ("officials said on Wednesday"): when
    the report was made, not when a planned event will be."""
    meanwhile: list[tuple[int, int]] = field(default_factory=list)
    """Clauses of "when" on the event's own verb ("will sign agreements when Modi meets
    Putin on Saturday"): what they date, the event happens at too."""
    since: Since | None = None
    """For an event in a clause of "after" or "before" that a span of time opens ("five months
    after Modi and Putin met", "a day after holding talks")."""
    outcome_of: list[tuple[int, int]] = field(default_factory=list)
    """For an agreement or a signing that a verb yields or goes without, the verb's word and its
    noun subject's ("the summit ended without any agreements", "the talks produced an accord",
    "hosted the prime minister ... without the signing of documents"): the participants of the
    meeting one of them names are this event's when it names none."""
