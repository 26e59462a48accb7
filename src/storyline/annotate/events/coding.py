"""The PLOVER categories as the rules group them, and the PLOVER coding of an event."""

from __future__ import annotations

from storyline.model.annotations import Event, EventStatus

#: Acts of force: their targets may be things ("shelled positions", "demolished homes").
FORCE = frozenset({"ASSAULT", "FIGHT", "COERCE"})
#: Categories whose target, when no one is named, is the place where they happen.
DOMESTIC = frozenset({"PROTEST", "COERCE", "MOBILIZE", "SANCTION", "ASSAULT", "FIGHT"})
#: Categories of saying and intending: whom they are aimed at may sit in their complement clause.
SAYING = frozenset({"DEMAND", "THREATEN", "AGREE", "REJECT", "DISAPPROVE", "SUPPORT", "AID", "COOPERATE"})
#: Diplomatic categories: their place and date may come from the story's other diplomatic events.
DIPLOMATIC = frozenset({"CONSULT", "SUPPORT", "AGREE", "COOPERATE"})
#: What a gathering may yield (or go without): agreements, signings, cooperation. Their parties
#: and their day may be the gathering's.
OUTCOMES = DIPLOMATIC - {"CONSULT"}
#: Subtypes that go somewhere: "to" and "into" phrases say where they happen.
TRAVEL = frozenset({"visit", "host-visit", "troop-withdrawal", "troop-deployment"})
#: Subtypes that leave somewhere: the place left is where they happen ("withdrew from the town of X").
LEAVING = frozenset({"troop-withdrawal"})
#: Acts of coercion that take someone or something away from a place or a party: their "from"
#: phrase names whom the act falls on ("expelled from France", "seized from the rebels"), as a
#: retreat's does ("withdrew from Gorazde"). Another act's "from" says where its people come from
#: ("arrested Jane Doe, 24, from Springfield"): an origin, not a target.
TAKING_FROM = frozenset({"expulsion", "seizure"})
#: Categories whose participants are together where it happens: "talks with the rebels in X".
GATHERINGS = frozenset({"CONSULT", "FIGHT"})

#: Categories of cooperation and of hostility: an intention to do one is coded, as CAMEO and PLOVER
#: code statements, as AGREE ("will provide aid") or THREATEN ("threatened to impose sanctions").
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "AGREE"})
_HOSTILE = frozenset({"SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE"})
#: Acts of giving way or agreeing: not doing one is a refusal (PLOVER REJECT). Meetings are not here:
#: "denied that talks took place" denies a fact, it refuses nothing.
_YIELDING = frozenset({"AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})


def plover_category(event: Event) -> str:
    """The category an event codes to in PLOVER, which codes intentions as acts of their own: a
    planned cooperative act ("will provide aid", "is willing to withdraw") is AGREE, a planned
    hostile one ("will impose sanctions") is THREATEN. ``event.type`` keeps the act itself, with
    its status beside it; this is for comparing with PLOVER- and CAMEO-coded data. A hostile act
    only supposed ("may impose sanctions if ...") is a conditional threat: THREATEN."""
    if event.status is EventStatus.PLANNED:
        if event.type in _COOPERATIVE:
            return "AGREE"
        if event.type in _HOSTILE:
            return "THREATEN"
    if event.status is EventStatus.HYPOTHETICAL and event.type in _HOSTILE:
        return "THREATEN"  # "may halt mediation if ...": a conditional threat
    if event.status is EventStatus.NEGATED and event.type in _YIELDING:
        return "REJECT"  # "will not accept refugees", "failed to reach agreement": a refusal
    return event.type
