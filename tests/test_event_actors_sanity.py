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


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # a word of death that is denied tells that nobody died
        ("No one died in the shooting at the mall.", "shooting"),
        ("None of the guards died in the shooting.", "shooting"),
        ("Nobody was killed in the shooting near the station.", "shooting"),
        ("The shooting was not fatal, the sheriff said.", "shooting"),
        ("There were no deaths in the shooting.", "shooting"),
        # ... and one that only sorts another noun tells no death either
        ("A homicide detective was shot in the arm on Tuesday.", "shot"),
    ],
)
def test_a_denied_or_sorting_death_word_makes_no_killing(annotator: Annotator, text: str, trigger: str) -> None:
    mention = next(m for e in events(annotator, text) if e.type == "ASSAULT" for m in e.mentions if m.text == trigger)
    assert (mention.sense or "").split(":")[2] == "assault", (text, mention.sense)


def test_a_death_toll_still_tells_a_death(annotator: Annotator) -> None:
    mention = by_trigger(events(annotator, "The death toll from the shooting rose to five."), "shooting").mentions[0]
    assert (mention.sense or "").split(":")[2] == "killing", mention.sense


def test_a_quality_denied_does_not_deny_the_event(annotator: Annotator) -> None:
    # "was not fatal" says what the shooting was, not that it did not happen
    assert by_trigger(events(annotator, "The shooting was not fatal."), "shooting").status is EventStatus.OCCURRED
    # a killing of nobody did not happen, and "nobody" or "anyone" is no one's name
    killed = by_trigger(events(annotator, "Nobody was killed in the blast."), "killed")
    assert killed.status is EventStatus.NEGATED and not actors(killed, "target")
    shoot = by_trigger(events(annotator, "The gunman did not shoot anyone."), "shoot")
    assert not actors(shoot, "target")


def test_a_graver_act_denied_beside_a_lesser_one_is_another_event(annotator: Annotator) -> None:
    found = events(annotator, "The shooting did not kill anyone, officials said.")
    shooting, kill = by_trigger(found, "shooting"), by_trigger(found, "kill")
    assert shooting is not kill
    assert (shooting.subtype, shooting.status) == ("assault", EventStatus.OCCURRED)
    assert (kill.subtype, kill.status) == ("killing", EventStatus.NEGATED)


def test_what_a_document_not_signed_says_is_denied_with_it(annotator: Annotator) -> None:
    found = events(annotator, "He did not sign a document agreeing to hand the boy over.")
    assert by_trigger(found, "agreeing").status is EventStatus.NEGATED


def test_a_dateline_in_title_case_with_its_day_is_no_actor(annotator: Annotator) -> None:
    arrested = by_trigger(events(annotator, "Mumbai, Nov 11 - The navy arrested 26 pirates on Friday."), "arrested")
    assert "Mumbai" not in {a.text for a in arrested.actors}
    # a place opening a sentence with no day after it may still act
    held = by_trigger(events(annotator, "Mumbai, the host city, held talks with Delhi on Friday."), "talks")
    assert "Mumbai" in {a.text for a in held.actors}


def test_a_dash_is_no_actor(annotator: Annotator) -> None:
    shot = by_trigger(events(annotator, "Police say he shot his ex-wife and two other women."), "shot")
    assert all(any(c.isalnum() for c in a.text) for a in shot.actors), [a.text for a in shot.actors]


def test_what_became_of_the_target_is_no_actor(annotator: Annotator) -> None:
    shot = by_trigger(events(annotator, "A man was shot dead outside a bar in Leeds."), "shot")
    assert "dead" not in {a.text for a in shot.actors}
    assert actors(shot, "target") >= {"man"}


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
        # what a telling is about is not what its denial or its future is about
        ("The sheriff declined to comment on the shooting.", "shooting", EventStatus.OCCURRED),
        ("The mayor has not commented on the attack.", "attack", EventStatus.OCCURRED),
        ("The mayor will not speak about the attack.", "attack", EventStatus.OCCURRED),
        # nor does the denial of a noun reach what a participle on it tells
        ("No charges related to the shooting have been filed.", "shooting", EventStatus.OCCURRED),
        ("Police have not released the name of the man killed in the shooting.", "killed", EventStatus.OCCURRED),
        # a supposed act is supposed
        ("A spokesman declined to comment on possible sanctions.", "sanctions", EventStatus.HYPOTHETICAL),
        # a clause of its own the parser hangs on a noun is still denied with it
        ("Police found no evidence that the man was murdered in Chicago.", "murdered", EventStatus.NEGATED),
        # an event not held said not to be possible or near is denied
        ("A summit between the two leaders is not possible this year.", "summit", EventStatus.NEGATED),
        ("A deal with the union is not imminent, officials said.", "deal", EventStatus.NEGATED),
    ],
)
def test_a_denial_reaches_its_own_act_only(
    annotator: Annotator, text: str, trigger: str, expected: EventStatus
) -> None:
    assert by_trigger(events(annotator, text), trigger).status is expected, text


def test_something_struck_is_no_strike_of_workers(annotator: Annotator) -> None:
    assert not [e for e in events(annotator, "A girl was struck by a stray bullet on Sunday.") if e.type == "PROTEST"]
    # nor is a car that strikes someone acting on them
    assert not events(annotator, "A pedestrian was struck by a car in Boston.")
    assert by_trigger(events(annotator, "Dock workers struck on Monday over pay."), "struck").type == "PROTEST"


@pytest.mark.parametrize(
    "text", ["The trade war with Washington hurt exports.", "The two firms are locked in a price war."]
)
def test_a_war_fought_with_no_arms_is_no_fighting(annotator: Annotator, text: str) -> None:
    assert not [e for e in events(annotator, text) if e.type == "FIGHT"]


def test_a_war_fought_with_arms_is_still_fighting(annotator: Annotator) -> None:
    assert by_trigger(events(annotator, "The war in Syria killed thousands."), "war").type == "FIGHT"
    assert by_trigger(events(annotator, "Political fighting left 20 dead."), "fighting").type == "FIGHT"


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Lao PM to visit Vietnam soon", "visit"),
        ("Ministers to meet rebels in Doha on Friday", "meet"),
        ("Modi to meet Putin", "meet"),
    ],
)
def test_a_headline_to_infinitive_is_still_to_come(annotator: Annotator, text: str, trigger: str) -> None:
    assert by_trigger(events(annotator, text), trigger).status is EventStatus.PLANNED


def test_a_time_of_day_is_no_actor(annotator: Annotator) -> None:
    arrested = by_trigger(events(annotator, "Police arrested two men on Wednesday noon."), "arrested")
    assert actors(arrested, "target") == {"two men"}


def test_none_told_after_the_act_denies_only_the_death(annotator: Annotator) -> None:
    shot = by_trigger(events(annotator, "Five people were shot, none fatally."), "shot")
    assert (shot.subtype, shot.status) == ("assault", EventStatus.OCCURRED)
    killed = by_trigger(events(annotator, "The gunman killed nobody."), "killed")
    assert killed.status is EventStatus.NEGATED
    # "else" is no remark on how: nobody else was harmed
    injured = by_trigger(events(annotator, "Nobody else was injured in the attack."), "injured")
    assert injured.status is EventStatus.NEGATED


def test_support_as_a_service_is_no_backing(annotator: Annotator) -> None:
    assert not [e for e in events(annotator, "The boy was on life support after the crash.") if e.type == "SUPPORT"]
    assert by_trigger(events(annotator, "Russia voiced support for the bid."), "support").type == "SUPPORT"
    # air support is one side backing another
    assert by_trigger(events(annotator, "The US provided air support to the rebels."), "support").type == "SUPPORT"


def test_a_hyphenated_object_the_parser_split_is_one_target(annotator: Annotator) -> None:
    shot = by_trigger(events(annotator, "He shot his ex-wife on Sunday."), "shot")
    assert "his ex" not in {a.text for a in shot.actors}
