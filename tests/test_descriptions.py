"""People named by a description: "the Russian leader", "the Indian prime minister", "the actress"
(storyline.annotate.descriptions), in events' actors and against gold chains."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storyline.annotate import Annotator
from storyline.annotate.descriptions import describe_people, known_countries, resolve, role_of
from storyline.annotate.entities import EntityRecognizer
from storyline.evaluate.descriptions import evaluate_descriptions
from storyline.model.annotations import Event

from .conftest import EVAL
from .helpers import analyzed_text
from .test_events import events, names


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


def resolved(recognizer: EntityRecognizer, text: str, description: str, nth: int = 0) -> str | None:
    """Whom the ``nth`` occurrence of ``description`` in ``text`` resolves to."""
    (entities,) = recognizer.recognise([text], languages=["en"])
    at = [m.start() for m in re.finditer(re.escape(description), text)][nth]
    person = resolve(at, at + len(description), text, entities, describe_people(entities, text))
    return person.canonical if person else None


def test_roles_read_from_words() -> None:
    assert role_of(["first", "Indian", "prime", "minister"]) == "prime minister"
    assert role_of(["premier"]) == "prime minister"
    assert role_of(["bank", "chief"]) == "chief"
    assert role_of(["head", "of", "state"]) == "head of state"
    assert role_of([]) is None


def test_a_leader_of_a_country_the_story_leaves_no_one_else(recognizer: EntityRecognizer) -> None:
    text = (
        "Prime Minister Narendra Modi and President Vladimir Putin held talks in Vladivostok. "
        "Mr Modi is the first Indian prime minister to visit the region. "
        "The Russian leader accepted an invitation to travel to India."
    )
    # Modi is placed in India by the text itself, so the only leader left for Russia is Putin
    assert resolved(recognizer, text, "The Russian leader") == "Vladimir Putin"
    # "first" leaves open which prime minister; the sentence itself says Modi is one
    assert resolved(recognizer, text, "the first Indian prime minister") is None


def test_two_leaders_the_story_places_nowhere_stay_unresolved(recognizer: EntityRecognizer) -> None:
    text = (
        "President Vladimir Putin and Prime Minister Narendra Modi held talks in the Kremlin. "
        "The Indian leader arrived in the Russian capital on Wednesday."
    )
    assert resolved(recognizer, text, "The Indian leader") is None


def test_a_role_only_one_person_has(recognizer: EntityRecognizer) -> None:
    text = (
        "Actress Tara Reid checked into a clinic on Tuesday, her publicist Jack Ketsoyan said. "
        "The actress had been filming in Canada."
    )
    assert resolved(recognizer, text, "The actress") == "Tara Reid"
    text = (
        "Kaoru Yosano, the Japanese minister of fiscal policy, said markets were calm. "
        "The minister added that the French president, Emmanuel Macron, would visit Tokyo. "
        "The French president spoke later."
    )
    assert resolved(recognizer, text, "The minister") == "Kaoru Yosano"
    assert resolved(recognizer, text, "The French president", 0) == "Emmanuel Macron"
    text = "The academy named Australian actor Hugh Jackman as the host of the show. The host will sing."
    assert resolved(recognizer, text, "The host") == "Hugh Jackman"


def test_no_resolution_without_the_role_or_before_the_name(recognizer: EntityRecognizer) -> None:
    # no one was said to be an actress; a description before the name points forward to nobody
    assert resolved(recognizer, "Tara Reid checked into a clinic. The actress was tired.", "The actress") is None
    text = "The minister said on Monday that talks would go on. Minister Sergei Lavrov arrived later."
    assert resolved(recognizer, text, "The minister") is None
    # a phrase a preposition governs before a comma is no apposition
    text = "According to the newspaper's sources, Gary Ross was in talks. The sources said so."
    assert resolved(recognizer, text, "The sources") is None
    # two people with the role: nobody
    text = "Comedian and host Billy Crystal praised actor Hugh Jackman as the host of the show. The host sang."
    assert resolved(recognizer, text, "The host") is None
    # an indefinite description is someone new
    text = "Prime Minister Narendra Modi spoke. A prime minister from Europe answered."
    assert resolved(recognizer, text, "A prime minister") is None


_PUTIN = "President Vladimir Putin"


@pytest.mark.parametrize(
    ("text", "description", "expected"),
    [
        # a person the story places nowhere fits a country only once every other one is placed elsewhere
        (
            "India's Prime Minister Narendra Modi met President Vladimir Putin. India's president spoke.",
            "India's president",
            None,
        ),
        (
            "Talks between India and President Vladimir Putin ended. The Indian president spoke.",
            "The Indian president",
            None,
        ),
        (
            "President Barack Obama met Chinese officials. The Chinese president will visit.",
            "The Chinese president",
            None,
        ),
        # another office, or which holder the words leave open
        ("Prime Minister Theresa May resigned. The new prime minister will be chosen.", "The new prime minister", None),
        ("Former President Bill Clinton spoke. The president was absent.", "The president", None),
        ("Nick Clegg, the deputy prime minister, spoke. The prime minister was absent.", "The prime minister", None),
        # a leader of something else is no head of state
        (
            f"Russian opposition leader Alexei Navalny criticised {_PUTIN}. The Russian leader replied.",
            "The Russian leader",
            None,
        ),
        # a description with more after it, or a possessive inside it
        ("Prime Minister Narendra Modi spoke. The leader of the opposition replied.", "The leader", None),
        ("President Barack Obama spoke. The president of the European Commission replied.", "The president", None),
        (
            "Kremlin spokesman Dmitry Peskov spoke. The prime minister's spokesman replied.",
            "The prime minister's spokesman",
            None,
        ),
        # a phrase before a comma that is no apposition
        (
            "After meeting the Indian prime minister, Vladimir Putin flew home. The Indian prime minister stayed.",
            "The Indian prime minister",
            None,
        ),
        # "as well as" is no "as": Putin is not made the Indian prime minister
        (
            "Vladimir Putin as well as the Indian prime minister, Narendra Modi, came. The Indian prime minister left.",
            "The Indian prime minister",
            "Narendra Modi",
        ),
        # a country of a neighbouring phrase is not the person's
        (
            "The summit between India and the Russian president, Vladimir Putin, opened. The Indian leader spoke.",
            "The Indian leader",
            None,
        ),
        (
            f"Russia's ally President Bashar al-Assad spoke. {_PUTIN} replied. The Russian president left.",
            "The Russian president",
            None,
        ),
    ],
)
def test_no_wrong_person(recognizer: EntityRecognizer, text: str, description: str, expected: str | None) -> None:
    # the description opens the last sentence and is given up to its head word, as the event parse gives it
    last = text.rindex(". ") + 2
    assert text[last:].startswith(description)
    (entities,) = recognizer.recognise([text], languages=["en"])
    person = resolve(last, last + len(description), text, entities, describe_people(entities, text))
    assert (person.canonical if person else None) == expected


def test_a_verb_before_a_name_is_no_role(recognizer: EntityRecognizer) -> None:
    text = "India will host President Vladimir Putin next week. The host said preparations were complete."
    assert resolved(recognizer, text, "The host") is None
    text = "The club hired Carlo Ancelotti to coach Ronaldo. The coach spoke on Monday."
    assert resolved(recognizer, text, "The coach") is None


def test_someone_of_the_person_s_is_not_the_person(recognizer: EntityRecognizer) -> None:
    text = "Kremlin spokesman Dmitry Peskov spoke. The spokesman replied."
    assert resolved(recognizer, text, "The spokesman") == "Dmitry Peskov"  # the role alone fits him
    text = "Kremlin spokesman Dmitry Peskov spoke. The prime minister's spokesman replied."
    assert resolved(recognizer, text, "The prime minister's spokesman") is None


def test_a_role_of_something(recognizer: EntityRecognizer) -> None:
    text = (
        "President Barack Obama met the president of the European Commission, Jose Manuel Barroso, on Monday. "
        "The president of the European Commission said trade was discussed. The president said so too."
    )
    # the description up to its head word, as the event parse gives it; the "of" phrase is read after it
    assert resolved(recognizer, text, "The president", 0) == "Jose Manuel Barroso"
    assert resolved(recognizer, text, "The president", 1) is None  # two presidents
    text = "Kaoru Yosano, the Japanese minister of fiscal policy, spoke. The minister of fiscal policy said more."
    assert resolved(recognizer, text, "The minister") == "Kaoru Yosano"


def test_the_office_a_qualifier_names(recognizer: EntityRecognizer) -> None:
    text = "Former President Bill Clinton spoke in Harlem. The former president praised the mayor."
    assert resolved(recognizer, text, "The former president") == "Bill Clinton"
    text = "Russia's President Vladimir Putin spoke. The president of Russia left for Sochi."
    assert resolved(recognizer, text, "The president") == "Vladimir Putin"


def test_events_name_the_person_a_description_stands_for(annotator: Annotator) -> None:
    text = (
        "Prime Minister Narendra Modi and President Vladimir Putin held talks in Vladivostok on Wednesday. "
        "Mr Modi is the first Indian prime minister to visit the region. "
        "The Russian leader accepted an invitation to travel to India for the next annual summit."
    )
    travel = next(e for e in events(annotator, text) if e.trigger.text == "travel")
    assert "Vladimir Putin" in names(travel, "source")
    actor = next(a for a in travel.actors if a.canonical == "Vladimir Putin")
    assert actor.text == "Russian leader"  # the words of the text are kept


def test_an_invitation_is_to_meet_or_come(annotator: Annotator) -> None:
    kinds = {e.subtype for e in events(annotator, "Mr Modi invited Russian companies to invest in India.")}
    assert "invitation" not in kinds
    for text in (
        "Mr Modi invited President Vladimir Putin to visit India next year.",
        "Mr Modi invited President Vladimir Putin for the annual summit.",
        "Mr Modi invited President Vladimir Putin to hold talks in Delhi.",
    ):
        assert "invitation" in {e.subtype for e in events(annotator, text)}, text


def test_eval_descriptions_on_a_small_corpus(tmp_path: Path) -> None:
    sentences = ["A title", "Actress Tara Reid checked into rehab .", "The actress was tired .", "The actress left ."]
    rows = [
        f"t/1/a\t{n}\t{i}\t{word}\t-" for n, sentence in enumerate(sentences) for i, word in enumerate(sentence.split())
    ]
    conll = "#begin document (t/1/a); part 0\n" + "\n".join(rows) + "\n"
    (tmp_path / "dataset.conll").write_text(conll, encoding="utf-8")
    mention = {"conll_doc_key": "t/1/a", "mention_type": "HUM", "coref_chain": "reid", "doc_id": "a"}
    gold = [
        {**mention, "sent_id": 1, "tokens_number": [1, 2], "mention_head_id": 2, "mention_head_pos": "PROPN"},
        {**mention, "sent_id": 2, "tokens_number": [1], "mention_head_id": 1, "mention_head_pos": "NOUN"},
        {**mention, "sent_id": 3, "tokens_number": [1], "mention_head_id": 1, "mention_head_pos": "NOUN",
         "coref_chain": "someone else"},
    ]  # fmt: skip
    (tmp_path / "entity_mentions.json").write_text(json.dumps(gold), encoding="utf-8")
    scores = evaluate_descriptions(tmp_path)
    # the first "The actress" is Tara Reid's chain; the second is, by this gold, someone else's
    assert (scores.descriptions, scores.resolvable, scores.resolved, scores.right) == (2, 1, 2, 1)
    assert scores.precision == 0.5 and scores.recall == 1.0
    assert scores.errors and scores.errors[0][1] == "The actress"


def test_eval_descriptions_names_a_bad_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"dataset\.conll"):
        evaluate_descriptions(tmp_path)
    (tmp_path / "dataset.conll").write_text("", encoding="utf-8")
    (tmp_path / "entity_mentions.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="not JSON"):
        evaluate_descriptions(tmp_path)


@pytest.mark.skipif(not (EVAL / "cdcr-meantime" / "entity_mentions.json").is_file(), reason="no shared eval data")
def test_eval_descriptions_on_meantime() -> None:
    scores = evaluate_descriptions(EVAL / "cdcr-meantime")
    # the figures docs/evaluation.md gives (MEANTIME was never read while writing the rules)
    assert (scores.documents, scores.descriptions, scores.resolvable, scores.resolved, scores.right) == (
        30,
        19,
        2,
        2,
        2,
    )


def test_both_leaders_named_since_the_last_pair(annotator: Annotator) -> None:
    text = (
        "Prime Minister Narendra Modi and President Vladimir Putin held their annual summit on Wednesday. "
        "Japanese Prime Minister Shinzo Abe and Malaysian Prime Minister Mahathir Mohamad also addressed the forum. "
        "Modi held separate meetings with both leaders on the sidelines."
    )
    found = events(annotator, text)
    meetings = next(e for e in found if e.trigger.text == "meetings")
    # the two leaders named since the summit, not the summit's pair; the meetings stay their own event
    assert {"Shinzo Abe", "Mahathir Mohamad", "Narendra Modi"} <= names(meetings)
    assert "Vladimir Putin" not in names(meetings)
    summit = next(e for e in found if e.trigger.text == "summit")
    assert "Shinzo Abe" not in names(summit)


@pytest.mark.parametrize("group", ["both leaders", "the two leaders", "the two prime ministers"])
def test_the_two_named_since_against_one_of_the_pair(annotator: Annotator, group: str) -> None:
    text = (
        "Prime Minister Narendra Modi and President Vladimir Putin held their annual summit on Wednesday. "
        "Japanese Prime Minister Shinzo Abe and Malaysian Prime Minister Mahathir Mohamad also addressed the forum. "
        f"Modi held separate meetings with {group} on the sidelines."
    )
    meetings = next(e for e in events(annotator, text) if any(m.text == "meetings" for m in e.mentions))
    assert {"Shinzo Abe", "Mahathir Mohamad"} <= names(meetings), group
    assert "Vladimir Putin" not in names(meetings), group


def _last_event(annotator: Annotator, text: str) -> Event:
    """The event the text mentions last (the one its last sentence is about)."""
    return max(events(annotator, text), key=lambda e: max(m.start for m in e.mentions))


_BARE = "The two leaders also discussed Afghanistan."
_AGAINST = "Modi then held talks with both leaders."


@pytest.mark.parametrize(
    ("middle", "groups"),
    [
        # one leader named since, beside one of the pair: not a new pair
        (
            "Putin, who described Japanese Prime Minister Shinzo Abe as a close friend, praised India.",
            (_BARE, _AGAINST),
        ),
        # two leaders merely mentioned since: a bare "the two leaders" stays with the pair
        ("US President Donald Trump and Chinese President Xi Jinping are due in Osaka next month.", (_BARE,)),
        # three leaders named since: which two, the words do not say
        (
            "Japanese Prime Minister Shinzo Abe, Malaysian Prime Minister Mahathir Mohamad and Mongolian "
            "President Khaltmaagiin Battulga spoke.",
            (_BARE, _AGAINST),
        ),
    ],
)
def test_the_pair_stays_unless_two_new_leaders_are_set_against_it(
    annotator: Annotator, middle: str, groups: tuple[str, ...]
) -> None:
    text = f"Prime Minister Narendra Modi and President Vladimir Putin met in Sochi on Monday. {middle} "
    for group in groups:
        assert {"Narendra Modi", "Vladimir Putin"} <= names(_last_event(annotator, text + group)), (middle, group)


def test_leaders_named_before_the_pair_are_not_the_new_pair(annotator: Annotator) -> None:
    text = (
        "Japanese Prime Minister Shinzo Abe and Malaysian Prime Minister Mahathir Mohamad spoke on Monday. "
        "Prime Minister Narendra Modi and President Vladimir Putin met in Sochi on Tuesday. "
        "Modi then held talks with both leaders."
    )
    assert "Shinzo Abe" not in names(_last_event(annotator, text))


def test_officials_quoted_since_the_pair_are_not_the_two_leaders(annotator: Annotator) -> None:
    text = (
        "Prime Minister Narendra Modi and President Vladimir Putin met in Sochi on Monday. "
        "Foreign Secretary Vijay Gokhale and Kremlin aide Yuri Ushakov briefed reporters. "
        "The two leaders also discussed Afghanistan."
    )
    talks = next(e for e in events(annotator, text) if any(m.text == "discussed" for m in e.mentions))
    assert {"Narendra Modi", "Vladimir Putin"} <= names(talks)
    assert not {"Vijay Gokhale", "Yuri Ushakov"} & names(talks)


def test_a_side_of_an_event_is_not_only_its_speaker() -> None:
    from storyline.annotate.events.coreference import merge_actors
    from storyline.model.annotations import EventActor

    speaker = EventActor("speaker", "Modi", 0, 4, "Emodi", "Narendra Modi")
    side = EventActor("participant", "Modi", 40, 44, "Emodi", "Narendra Modi")
    other = EventActor("participant", "Putin", 50, 55, "Eputin", "Vladimir Putin")
    merged = merge_actors([speaker, other, side])
    assert [(a.role, a.canonical) for a in merged] == [
        ("participant", "Narendra Modi"),
        ("participant", "Vladimir Putin"),
    ]
    assert [a.role for a in merge_actors([side, speaker])] == ["participant"]


def test_the_article_view_shows_the_words_that_named_a_person(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli.app import app

    db, doc_id = analyzed_text(
        tmp_path,
        "Modi and Putin meet in Vladivostok\n\n"
        "Prime Minister Narendra Modi and President Vladimir Putin held talks in Vladivostok on Wednesday. "
        "Mr Modi is the first Indian prime minister to visit the region. "
        "The Russian leader accepted an invitation to travel to India for the next annual summit.\n",
    )
    runner = CliRunner()
    shown = runner.invoke(app, ["show", doc_id, "--db", db])
    assert shown.exit_code == 0, shown.output
    travel = next(line for line in shown.output.splitlines() if "('travel')" in line)
    assert "Vladimir Putin ('Russian leader')" in travel
    # a person named by name is shown by name alone
    talks = next(line for line in shown.output.splitlines() if "('talks')" in line)
    assert "Narendra Modi" in talks and "('Narendra Modi')" not in talks and "('Modi')" not in talks


UNTIED = (
    "President Vladimir Putin and Prime Minister Narendra Modi held talks in the Kremlin on Thursday. "
    "The Indian leader arrived in the Russian capital on Wednesday."
)
TIED = "Indian Prime Minister Narendra Modi met Russian President Vladimir Putin in Sochi on Monday."
TIED_AGAIN = "Russian President Vladimir Putin hosted Indian Prime Minister Narendra Modi in Moscow."


def test_what_other_documents_say_of_a_person_places_them(recognizer: EntityRecognizer) -> None:
    untied, tied, again = recognizer.recognise([UNTIED, TIED, TIED_AGAIN], languages=["en"] * 3)
    assert known_countries([(untied, UNTIED), (tied, TIED)]) == {}  # one document places no one
    known = known_countries([(untied, UNTIED), (tied, TIED), (again, TIED_AGAIN)])
    assert sorted(known.values()) == ["India", "Russia"]
    at = UNTIED.index("The Indian leader")
    alone = resolve(at, at + len("The Indian leader"), UNTIED, untied, describe_people(untied, UNTIED))
    assert alone is None  # the story by itself ties neither leader to a country
    helped = resolve(at, at + len("The Indian leader"), UNTIED, untied, describe_people(untied, UNTIED, known))
    assert helped is not None and helped.canonical == "Narendra Modi"


def test_what_a_document_says_wins_over_the_others(recognizer: EntityRecognizer) -> None:
    text = "Russian President Vladimir Putin met Prime Minister Narendra Modi. The Russian leader left on Friday."
    (own,) = recognizer.recognise([text], languages=["en"])
    putin = next(e.entity_id for e in own if e.canonical == "Vladimir Putin")
    people = describe_people(own, text, {putin: "France"})
    assert people[putin].countries == {"Russia"}


def test_documents_that_disagree_place_no_one(recognizer: EntityRecognizer) -> None:
    texts = ["Indian Prime Minister John Smith spoke on Monday.", "British Prime Minister John Smith spoke on Monday."]
    found = recognizer.recognise(texts, languages=["en", "en"])
    assert known_countries(list(zip(found, texts, strict=True))) == {}


def test_an_event_names_the_person_other_documents_of_the_batch_place(annotator: Annotator) -> None:
    from datetime import date

    from storyline.evaluate import gold_document

    untied, _, _ = annotator.annotate_many(
        [
            gold_document(UNTIED, "untied", date(2015, 12, 25)),
            gold_document(TIED, "tied", date(2018, 5, 21)),
            gold_document(TIED_AGAIN, "again", date(2019, 9, 4)),
        ]
    )
    arrived = next(e for e in untied.annotations.events if e.trigger.text == "arrived")
    assert "Narendra Modi" in names(arrived, "source")
    (alone,) = annotator.annotate_many([gold_document(UNTIED, "untied", date(2015, 12, 25))])
    arrived = next(e for e in alone.annotations.events if e.trigger.text == "arrived")
    assert "Narendra Modi" not in names(arrived, "source")


def test_the_store_places_a_person_for_a_later_document(tmp_path: Path) -> None:
    import storyline

    first, second = tmp_path / "tied.txt", tmp_path / "untied.txt"
    # (enough plain English around the names for the language to be read as English)
    first.write_text(
        "Modi meets Putin\n\n" + TIED + " The two leaders discussed trade and energy, officials said after "
        "the meeting, and they also talked about the situation in their region.\n\n" + TIED_AGAIN + "\n",
        encoding="utf-8",
    )
    second.write_text("Modi in Moscow\n\n" + UNTIED + "\n", encoding="utf-8")
    with storyline.open(str(tmp_path / "s.db")) as sl:
        sl.analyze([str(first)])
        sl.analyze([str(second)])  # another run: what the store learnt from the first places Modi
        doc = next(d for d in sl.documents(limit=None) if "Indian leader" in d.text)
        arrived = next(e for e in sl.annotations(doc.id).events if e.trigger.text == "arrived")
    assert "Narendra Modi" in names(arrived, "source")


def test_one_misread_document_places_no_one(annotator: Annotator) -> None:
    from datetime import date

    from storyline.evaluate import gold_document

    _, story = annotator.annotate_many(
        [
            gold_document("In Pakistan Prime Minister Narendra Modi is widely disliked.", "a", date(2019, 1, 1)),
            gold_document(
                "Prime Minister Narendra Modi met President Xi Jinping in Wuhan on Monday. "
                "The Pakistani leader criticised the meeting.",
                "b",
                date(2019, 1, 2),
            ),
        ]
    )
    criticised = next(e for e in story.annotations.events if e.trigger.text == "criticised")
    assert "Narendra Modi" not in names(criticised, "source")
