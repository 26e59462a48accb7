"""Events' actors are parties, a shooting is a killing only when someone died, and a denial of one
act does not deny another act its object or phrase only mentions. Short sentences written for
these tests (none from a scored article)."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.annotate import Annotator
from storyline.evaluate import gold_document
from storyline.model.annotations import Event, EventStatus

MAY_2021 = date(2021, 5, 12)


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


def events(annotator: Annotator, text: str) -> list[Event]:
    (result,) = annotator.annotate_many([gold_document(text, "t", MAY_2021)])
    return result.annotations.events


def by_trigger(found: list[Event], word: str) -> Event:
    hit = [e for e in found if any(m.text == word for m in e.mentions)]
    assert hit, (word, [(e.type, [m.text for m in e.mentions]) for e in found])
    return hit[0]


def actors(event: Event, role: str) -> set[str]:
    return {a.text for a in event.actors if a.role == role}


# -- 1. an actor is a party: not an origin, a charge, a date or a headline's source ---------------
def test_where_someone_arrested_comes_from_is_no_target(annotator: Annotator) -> None:
    detained = by_trigger(events(annotator, "Officers detained Maria Lopez, 31, from Leeds, on Tuesday."), "detained")
    assert actors(detained, "target") == {"Maria Lopez"}
    # an act that takes someone away from a place still falls on it
    expelled = by_trigger(events(annotator, "Two diplomats were expelled from France."), "expelled")
    assert "France" in actors(expelled, "target")
    withdrew = by_trigger(events(annotator, "Israeli troops withdrew from southern Lebanon."), "withdrew")
    assert "Lebanon" in actors(withdrew, "target")


@pytest.mark.parametrize(
    ("text", "trigger", "targets"),
    [
        (
            "Police arrested a 30-year-old man on charges of robbery and possession of a stolen vehicle.",
            "arrested",
            {"30-year-old man"},
        ),
        ("Deputies arrested Ann Clay on a charge of assault.", "arrested", {"Ann Clay"}),
        ("Prosecutors charged Tom Baker with murder.", "charged", {"Tom Baker"}),
        ("Police arrested three suspects.", "arrested", {"three suspects"}),
    ],
)
def test_a_charge_is_no_target(annotator: Annotator, text: str, trigger: str, targets: set[str]) -> None:
    assert actors(by_trigger(events(annotator, text), trigger), "target") == targets


def test_a_charge_list_the_parser_breaks_names_no_target(annotator: Annotator) -> None:
    # the parser takes "discharge" for a second object of "arrested": a verb has one, before its phrases
    text = (
        "Troopers arrested Dan Cole, 40, on charges of theft, possession of a weapon while drunk, "
        "discharge of a weapon at a house and resisting arrest."
    )
    assert actors(by_trigger(events(annotator, text), "arrested"), "target") == {"Dan Cole"}


@pytest.mark.parametrize(
    "text",
    ["A New Year's shooting wounded a bartender in the town.", "A New Year's Eve stabbing wounded two guests."],
)
def test_an_occasion_or_a_time_is_no_actor(annotator: Annotator, text: str) -> None:
    wounded = by_trigger(events(annotator, text), "wounded")
    assert not any("Year" in a.text for a in wounded.actors), text
    assert actors(wounded, "target")  # whom it was done to stays


def test_a_name_that_is_also_a_word_of_time_stays_an_actor(annotator: Annotator) -> None:
    deal = by_trigger(events(annotator, "Lawmakers debated Theresa May's Brexit deal on Monday."), "deal")
    assert "Theresa May" in {a.canonical or a.text for a in deal.actors}


def test_a_headline_source_before_a_colon_is_no_party(annotator: Annotator) -> None:
    arrested = by_trigger(events(annotator, "Police: two men arrested after a fight outside a pub"), "arrested")
    assert "Police" not in {a.text for a in arrested.actors if a.role != "speaker"}
    assert actors(arrested, "target") == {"two men"}


# -- 2. a shooting is a killing only when a word says someone died -------------------------------
@pytest.mark.parametrize(
    ("text", "trigger", "subtype"),
    [
        ("A shooting outside a bar injured two men.", "shooting", "assault"),
        ("He was shot in the arm during the robbery.", "shot", "assault"),
        ("The attackers wounded three guards.", "wounded", "assault"),
        ("The shooting came hours after a bombing killed four people.", "shooting", "assault"),
        ("Police are investigating the fatal shooting of a teenager.", "shooting", "killing"),
        ("The shooting that left two men dead shocked the town.", "shooting", "killing"),
        ("A gunman shot dead three people at a market.", "shot", "killing"),
        ("The victim died in hospital after the shooting.", "shooting", "killing"),
        ("A clerk died after he was shot by a robber.", "shot", "killing"),
        ("The guard was fatally wounded by a stray round.", "wounded", "killing"),
    ],
)
def test_a_shooting_is_a_killing_only_with_a_death(annotator: Annotator, text: str, trigger: str, subtype: str) -> None:
    # the sense the trigger's own words give it (a shooting and a killing told in one sentence may
    # still be joined as one event, named by the death)
    mention = next(m for e in events(annotator, text) if e.type == "ASSAULT" for m in e.mentions if m.text == trigger)
    assert (mention.sense or "").split(":")[2] == subtype, (text, mention.sense)


def test_a_harm_that_killed_anyone_is_a_killing(annotator: Annotator) -> None:
    # the wounding and the killing of one shooting are one event, named by the death
    found = events(annotator, "Five people were injured and two were killed in the shooting.")
    assault = [e for e in found if e.type == "ASSAULT"]
    assert len(assault) == 1 and assault[0].subtype == "killing"


# -- 3. a denial reaches its own act, not what its object only mentions --------------------------
@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The mayor did not give any details about what caused the explosion.", "explosion", EventStatus.OCCURRED),
        ("Officials did not speak about the attack.", "attack", EventStatus.OCCURRED),
        ("Witnesses did not see who fired at the crowd.", "fired", EventStatus.OCCURRED),
        ("The army did not carry out the attack.", "attack", EventStatus.NEGATED),
        ("No shooting took place at the school.", "shooting", EventStatus.NEGATED),
        ("The gunman did not shoot anyone.", "shoot", EventStatus.NEGATED),
        # what a noun holds unsaid is denied with it: no intention of paying is no payment
        ("The city has no intention of paying the ransom.", "paying", EventStatus.NEGATED),
        # a "that" clause is denied with its verb; a question ("what", "how") takes its act as given
        ("The bank does not believe any customer data was stolen.", "stolen", EventStatus.NEGATED),
        ("The bank does not know what customer data was stolen.", "stolen", EventStatus.OCCURRED),
    ],
)
def test_a_denial_reaches_its_own_act_only(
    annotator: Annotator, text: str, trigger: str, expected: EventStatus
) -> None:
    assert by_trigger(events(annotator, text), trigger).status is expected, text
