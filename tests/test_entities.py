"""Entities: spaCy's mentions, repaired and canonicalised. One test per rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.annotate import Annotator
from storyline.annotate.countries import country_table
from storyline.annotate.entities import (
    EntityRecognizer,
    _clean_span,
    _Raw,
    edit_distance,
    entity_id,
    headline_lines,
    propagate_to_headlines,
    recase_headlines,
    split_swallowed,
)
from storyline.annotate.spacy_model import MODEL_PACKAGE
from storyline.cli.app import app
from storyline.model import Document, content_id
from storyline.model.annotations import EntityMention

from .conftest import CORPUS


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


@pytest.fixture(scope="module")
def small() -> EntityRecognizer:
    """The small English model, which takes a lone "Mode" for a person where the medium one reads a
    common noun: for the rules that canonicalise what the recogniser found across articles."""
    return EntityRecognizer(model=MODEL_PACKAGE)


def people(mentions: list[EntityMention]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in mentions:
        if m.label == "PERSON":
            out.setdefault(m.canonical, set()).add(m.text)
    return out


def test_within_document_names_and_titles_are_one_person(recognizer: EntityRecognizer) -> None:
    text = (
        "Prime Minister Narendra Modi met President Vladimir Putin in Sochi. Mr Modi said the talks went well, "
        "and PM Modi later left. Putin saw him off, and Modi thanked him."
    )
    (mentions,) = recognizer.recognise([text])
    assert people(mentions) == {
        "Narendra Modi": {"Narendra Modi", "Modi"},
        "Vladimir Putin": {"Vladimir Putin", "Putin"},
    }
    modi = [m for m in mentions if m.canonical == "Narendra Modi"]
    assert len({m.entity_id for m in modi}) == 1
    assert modi[0].title == "Prime Minister"
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_a_plural_acronym_is_no_person(recognizer: EntityRecognizer) -> None:
    (mentions,) = recognizer.recognise(["Mrs May acknowledged that MPs had clearly turned down her deal."])
    assert [m.text for m in mentions if m.label == "PERSON"] == ["Mrs May"]  # "MPs" is a kind of people


def test_misspelling_resolved_by_a_frequent_name_with_the_same_first_name(recognizer: EntityRecognizer) -> None:
    good = "Prime Minister Narendra Modi met Vladimir Putin. Modi and Putin spoke. Modi left."
    misspelt = "Prime Minister Narendra Mode held talks with Vladimir Putin today. Mode said the ties were strong."
    unrelated = "The designer Anita Mode opened a shop in Milan. Anita Mode sells hats."
    also_good = "Narendra Modi will visit Moscow. Narendra Modi is expected to meet business leaders."
    _, b, c, _ = recognizer.recognise([good, misspelt, unrelated, also_good])
    assert people(b)["Narendra Modi"] == {"Narendra Mode", "Mode"}
    assert {m.entity_id for m in b if m.canonical == "Narendra Modi"} == {entity_id("PERSON", "Narendra Modi")}
    assert "Anita Mode" in people(c)  # a genuine Mode elsewhere stays what it is


def test_a_misspelling_more_frequent_than_the_name_resolves_by_its_article(recognizer: EntityRecognizer) -> None:
    # the misspelt surname, never with a first name, outnumbers the right spelling in its own article
    text = (
        "Prime Minister Narendra Modi arrived in Moscow on Thursday. Mode held talks with President Vladimir Putin. "
        "Mode said India valued the partnership. Narendra Modi and Putin signed two agreements. Later Mode visited "
        "a factory, and Modi met students. Mode left on Friday."
    )
    (mentions,) = recognizer.recognise([text])
    mode = [m for m in mentions if m.text == "Mode"]
    assert len(mode) == 4 and {m.canonical for m in mode} == {"Narendra Modi"}
    assert {m.entity_id for m in mode} == {entity_id("PERSON", "Narendra Modi")}
    assert {m.variant for m in mode} == {"spelling"} and all("Narendra Modi" in (m.evidence or "") for m in mode)
    assert {m.variant for m in mentions if m.text in ("Modi", "Narendra Modi")} == {None}  # shortened, not misspelt


def test_a_near_name_without_shared_context_stays_another_person(small: EntityRecognizer) -> None:
    recognizer = small
    leaders = "Prime Minister Narendra Modi met President Vladimir Putin in Sochi. Modi and Putin spoke for hours."
    football = "Mode, the Leeds striker, scored twice against Chelsea on Saturday. Mode said the team was happy."
    two_people = "Narendra Modi spoke in Delhi. The designer Anita Mode, who lives in Milan, was not there. Mode left."
    _, b = recognizer.recognise([leaders, football])
    assert {m.canonical for m in b if m.text == "Mode"} == {"Mode"} and not any(m.variant for m in b)
    (c,) = recognizer.recognise([two_people])
    assert people(c).get("Anita Mode", set()) >= {"Anita Mode"} and "Narendra Modi" in people(c)
    assert not any(m.variant for m in c)


def test_a_near_name_resolves_across_articles_by_title_or_company(small: EntityRecognizer) -> None:
    recognizer = small
    known = "Prime Minister Narendra Modi met President Vladimir Putin and Xi Jinping. Modi spoke first."
    titled = "Prime Minister Mode arrived in Brasilia on Monday."
    companions = "Mode met Putin and Xi Jinping at the summit. Mode left early."
    _, b, c = recognizer.recognise([known, titled, companions])
    assert {m.canonical for m in b if m.text == "Mode"} == {"Narendra Modi"}
    assert "title" in (next(m for m in b if m.text == "Mode").evidence or "")
    assert {m.canonical for m in c if m.text == "Mode"} == {"Narendra Modi"}
    assert {m.variant for m in c if m.text == "Mode"} == {"spelling"}


def test_single_word_place_taken_for_a_person_is_a_place(recognizer: EntityRecognizer) -> None:
    (mentions,) = recognizer.recognise(["Modi arrived in Vladivostok on Wednesday. Vladivostok hosts the forum."])
    assert {m.label for m in mentions if m.text == "Vladivostok"} <= {"GPE", "LOC"}


def test_demonyms_join_their_country_and_capitals_link_to_it(recognizer: EntityRecognizer) -> None:
    (mentions,) = recognizer.recognise(["Indian officials in New Delhi said India and Russian diplomats agreed."])
    by_text = {m.text: m for m in mentions}
    assert by_text["Indian"].canonical == "India" and by_text["Indian"].entity_id == by_text["India"].entity_id
    assert by_text["Russian"].canonical == "Russia"
    assert by_text["New Delhi"].canonical == "New Delhi" and by_text["New Delhi"].country == "India"


def test_demonyms_of_every_country_are_known() -> None:
    from storyline.annotate.countries import DEMONYMS, NEWS_NAMES

    table = country_table()
    assert table.country("Danish") == "Denmark" and table.country("Somalis") == "Somalia"
    assert table.country("Serbs") == "Serbia" and "swiss" in table.nationalities
    assert table.country("Korean") is None  # two states: no guess
    assert not set(DEMONYMS) & {code for code, _, _, _ in NEWS_NAMES}  # one table per country
    assert all(table.country(forms[0]) for forms in DEMONYMS.values())  # every code is a country


def test_every_country_has_its_official_names_and_capital() -> None:
    table = country_table()
    assert table.country_of["russian federation"] == "Russia"  # pycountry's name, news's canonical one
    assert table.country_of["socialist republic of viet nam"] == "Vietnam"
    assert table.country_of["kenyan"] == "Kenya" and "kenyan" in table.nationalities
    assert "korea, republic of" not in table.country_of  # an index entry, not a name
    assert table.capital_of["nairobi"] == "Kenya" and table.capital_of["new delhi"] == "India"
    assert "victoria" not in table.capital_of  # larger Victorias than the Seychelles' capital exist
    assert table.code_of["United Kingdom"] == "GB"


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("the Britain European Union (EU talks", 4, 31, "Britain European Union"),
        ("Modi's visit", 0, 6, "Modi"),
        ('"Putin, said', 0, 7, "Putin"),
        ("---", 0, 3, None),
        ("the U.S. said", 4, 8, "U.S."),  # an abbreviation keeps its full stop
        ("Acme Inc. said", 0, 9, "Acme Inc."),
        ("in Moscow. Then", 3, 10, "Moscow"),
    ],
)
def test_span_repairs(text: str, start: int, end: int, expected: str | None) -> None:
    fixed = _clean_span(text, start, end)
    assert (text[fixed[0] : fixed[1]] if fixed else None) == expected


@pytest.mark.parametrize(
    ("text", "start", "label", "expected"),
    [
        ("talks with the United States", 11, "GPE", "United States"),  # the model's OntoNotes habit
        ("in the  Gaza Strip", 3, "LOC", "Gaza Strip"),
        ("the EU", 0, "ORG", "EU"),
        ("The Security Council", 0, "ORG", "Security Council"),  # a sentence's article, capitalised
        ("the guards of the palace", 0, "ORG", "the guards of the palace"),  # no name after it
        ("The Magic Flute", 0, "WORK_OF_ART", "The Magic Flute"),  # a work's title keeps it
        ("The Hague", 0, "GPE", "The Hague"),  # the place index names it with its article
        ("the\nUnited States", 0, "GPE", "United States"),  # a hard-wrapped line
        ("the Hague", 0, "GPE", "the Hague"),  # in either case
    ],
)
def test_an_english_span_loses_the_article_read_into_it(
    recognizer: EntityRecognizer, text: str, start: int, label: str, expected: str
) -> None:
    s, e = recognizer._without_article(text, (start, len(text)), label)
    assert text[s:e] == expected


def test_recognised_names_carry_no_article(recognizer: EntityRecognizer) -> None:
    text = "India signed the deal with the United States and the European Union on Monday."
    names = {m.text for m in recognizer.recognise([text])[0]}
    assert {"United States", "European Union"} <= names
    assert not any(n.startswith("the ") for n in names)


SOCHI = (
    "Modi Arrives In Sochi For Informal Summit With Putin\n\n"
    "Prime Minister Narendra Modi arrived in Sochi on Monday for talks with Russian President Vladimir Putin."
)


def test_headline_lines_are_found_and_recased_in_place() -> None:
    assert headline_lines(SOCHI) == [(0, SOCHI.index("\n"))]
    assert headline_lines("Modi met Putin in Sochi on Monday.") == []
    recased = recase_headlines(SOCHI)
    assert len(recased) == len(SOCHI)  # offsets still hold
    assert recased.startswith("Modi arrives in Sochi for informal summit with Putin\n")
    assert recased[recased.index("\n") :] == SOCHI[SOCHI.index("\n") :]  # running text untouched
    # alone, a headline loses only the capitals of words that are surely not names
    assert recase_headlines("Leaders Of Britain Meet At Elysee Palace") == "Leaders of Britain meet at Elysee Palace"


def test_headline_words_are_not_taken_for_names(recognizer: EntityRecognizer) -> None:
    (mentions,) = recognizer.recognise([SOCHI])
    headline = [(m.text, m.label, m.canonical) for m in mentions if m.start < SOCHI.index("\n")]
    assert headline == [
        ("Modi", "PERSON", "Narendra Modi"),
        ("Sochi", "GPE", "Sochi"),
        ("Putin", "PERSON", "Vladimir Putin"),
    ]


def raw(text: str, whole: str, label: str) -> _Raw:
    start = text.index(whole)
    return _Raw(start, start + len(whole), whole, label)


def test_spans_that_swallowed_a_neighbour_are_split() -> None:
    text = "Leaders of Britain France Germany met. Trump Kim summit: Donald Trump met Kim Jong Un."
    mentions = [
        raw(text, "Britain", "GPE"),
        raw(text, "France Germany", "GPE"),
        raw(text, "Trump Kim", "PERSON"),
        raw(text, "Donald Trump", "PERSON"),
        raw(text, "Kim Jong Un", "PERSON"),
    ]
    out = [(m.text, m.label, text[m.start : m.end]) for m in split_swallowed(mentions)]
    assert out == [
        ("Britain", "GPE", "Britain"),
        ("France", "GPE", "France"),
        ("Germany", "GPE", "Germany"),
        ("Trump", "PERSON", "Trump"),
        ("Kim", "PERSON", "Kim"),
        ("Donald Trump", "PERSON", "Donald Trump"),
        ("Kim Jong Un", "PERSON", "Kim Jong Un"),
    ]


def test_one_persons_name_is_not_split() -> None:
    text = "Vladimir Putin spoke. Putin left. Donald Trump came; Donald Trump went. The Russian Far East, the Far East."
    mentions = [raw(text, "Vladimir Putin", "PERSON"), raw(text, "Putin left", "PERSON")]
    mentions[1] = _Raw(mentions[1].start, mentions[1].start + 5, "Putin", "PERSON")
    first = text.index("Donald Trump")
    second = text.index("Donald Trump", first + 1)
    mentions += [_Raw(first, first + 12, "Donald Trump", "PERSON"), _Raw(second, second + 12, "Donald Trump", "PERSON")]
    far_east = text.rindex("Far East")
    mentions += [raw(text, "Russian Far East", "LOC"), _Raw(far_east, far_east + 8, "Far East", "LOC")]
    assert [m.text for m in split_swallowed(mentions)] == [
        "Vladimir Putin", "Putin", "Donald Trump", "Donald Trump", "Russian Far East", "Far East"
    ]  # fmt: skip


def test_a_country_before_an_organisation_named_after_a_big_city_is_cut_off() -> None:
    text = (
        "Modi will attend the India Shanghai Cooperation Organization summit. "
        "China Development Bank and China Mobile Communications Corporation lent money."
    )
    text += " The Delhi Mumbai Industrial Corridor Development Corporation and Indian Shanghai traders."
    mentions = [
        raw(text, "India Shanghai Cooperation Organization", "ORG"),
        raw(text, "China Development Bank", "ORG"),
        raw(text, "China Mobile Communications Corporation", "ORG"),
        raw(text, "Delhi Mumbai Industrial Corridor Development Corporation", "ORG"),  # a city first: whole
        raw(text, "Indian Shanghai traders", "ORG"),  # a nationality first: whole
    ]
    big = {"shanghai", "mumbai"}.__contains__
    out = [(m.text, m.label) for m in split_swallowed(mentions, lambda w: big(w.casefold()))]
    assert out == [
        ("India", "GPE"),
        ("Shanghai Cooperation Organization", "ORG"),
        ("China Development Bank", "ORG"),
        ("China Mobile Communications Corporation", "ORG"),
        ("Delhi Mumbai Industrial Corridor Development Corporation", "ORG"),
        ("Indian Shanghai traders", "ORG"),
    ]
    # without a way to tell a big city, nothing is cut
    assert len(split_swallowed(mentions)) == 5


def test_the_big_city_test_reads_the_gazetteer(recognizer: EntityRecognizer) -> None:
    assert recognizer._big_city("Shanghai") and recognizer._big_city("Mumbai")
    assert not recognizer._big_city("Mobile")  # Mobile, Alabama: 190,000 people, and a common word
    assert not recognizer._big_city("Development")


def test_a_name_with_and_without_an_abbreviations_full_stop_is_one_entity(recognizer: EntityRecognizer) -> None:
    text = "Putin met Modi in St Petersburg. Later he flew back to St. Petersburg for the forum."
    places = [m for m in recognizer.recognise([text])[0] if m.text.startswith("St")]
    assert [m.text for m in places] == ["St Petersburg", "St. Petersburg"]
    assert len({m.entity_id for m in places}) == 1


def test_names_found_in_the_text_are_found_again_in_headlines() -> None:
    text = "Modi Arrives In Sochi\nNarendra Modi arrived in Sochi."
    sochi = text.rindex("Sochi")
    mentions = [raw(text, "Narendra Modi", "PERSON"), _Raw(sochi, sochi + 5, "Sochi", "GPE")]
    out = [(m.text, m.label, m.start) for m in propagate_to_headlines(text, mentions)]
    assert out[:2] == [("Modi", "PERSON", 0), ("Sochi", "GPE", text.index("Sochi"))]
    assert len(out) == 4


def test_edit_distance() -> None:
    assert (
        edit_distance("modi", "mode") == 1
        and edit_distance("modi", "modi") == 0
        and edit_distance("putin", "modi") == 4
    )


def test_other_languages_are_skipped_and_said_so() -> None:
    doc = Document(
        id=content_id("x"),
        text="Das städtische Schwimmbad in Sankt Aurel bleibt bis auf Weiteres geschlossen.",
        source_id="f",
        origin="f",
        language="de",  # no German model (French, Spanish and Russian: tests/test_entities_languages.py)
    )
    (result,) = Annotator().annotate_many([doc])
    ann = result.annotations
    assert ann.entities == []  # German is read for places only, and Sankt Aurel is no place storyline knows
    assert "entities: no model for language 'de'; places only, found by their names" in ann.skipped
    assert "no publication date: relative times left unresolved (XXXX)" in ann.skipped


def test_annotate_cli_keeps_ids_order_and_offsets(tmp_path: Path) -> None:
    lines = [
        {
            "id": "b-2",
            "text": "  Prime Minister Narendra Modi  will meet Vladimir Putin on Friday.",
            "published": "2019-09-18",
        },
        {"id": "a-1", "title": "Empty"},
        {"id": "c-3", "text": "The 32 May 2018 meeting did not happen, said Putin."},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", str(src), "--keep-text", "--json"])
    assert result.exit_code == 1  # the record without text
    assert "line=2: record has no text field" in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["b-2", "c-3"]
    first = out[0]
    assert first["text"] == lines[0]["text"]
    for ann in first["entities"] + first["times"]:
        assert first["text"][ann["start"] : ann["end"]] == ann["text"]
    assert {"text": "Friday", "type": "DATE", "value": "2019-09-20"}.items() <= first["times"][0].items()
    assert {e["canonical"] for e in first["entities"]} >= {"Narendra Modi", "Vladimir Putin"}
    assert out[1]["times"] == []  # "32 May 2018" is no date
    assert set(first) == {
        "id",
        "title",
        "published",
        "language",
        "text",
        "entities",
        "times",
        "places",
        "events",
        "skipped",
    }


def test_annotate_cli_anchor_and_cleaning() -> None:
    path = CORPUS / "txt" / "st-petersburg-talks-today.txt"
    result = CliRunner().invoke(app, ["annotate", str(path), "--json", "--published", "2017-06-01"])
    assert result.exit_code == 0, result.stderr
    (doc,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert doc["title"].startswith("India, Russia hold annual summit")
    assert {"text": "today", "type": "DATE", "value": "2017-06-01"}.items() <= doc["times"][0].items()
    assert any(e["text"] == "Mode" and e["label"] == "PERSON" for e in doc["entities"])


def test_very_long_documents_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.annotate as annotate_module

    monkeypatch.setattr(annotate_module, "MAX_ANNOTATED_CHARS", 2000)
    sentence = "Prime Minister Narendra Modi met President Vladimir Putin in Sochi on Monday. "
    text = sentence * 700  # about 55,000 characters
    doc = Document(id=content_id(text), text=text, source_id="long", origin="long", language="en")
    (result,) = Annotator().annotate_many([doc])
    ann = result.annotations
    assert "text beyond the first 2,000 characters not annotated" in ann.skipped
    assert ann.entities and all(e.end <= 2000 for e in ann.entities)
    assert all(t.end <= 2000 for t in ann.times) and all(p.end <= 2000 for p in ann.places)


def test_annotate_reports_binary_input_with_keep_text(tmp_path: Path) -> None:
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    good = tmp_path / "good.txt"
    good.write_text("Talks\n\nPrime Minister Narendra Modi met President Vladimir Putin today.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", str(bad), str(good), "--keep-text", "--json"])
    assert result.exit_code == 1 and "photo.txt: binary file (a PNG image)" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_a_place_written_in_capitals_takes_the_place_index_spelling(recognizer: EntityRecognizer) -> None:
    text = "VLADIVOSTOK, Sept 4 (Reuters) - Putin met Modi at a forum held in NATO's shadow."
    mentions = {m.text: m for m in recognizer.recognise([text])[0]}
    assert mentions["VLADIVOSTOK"].canonical == "Vladivostok"  # not the dateline's capitals
    assert recognizer._place_spelling("NEW DELHI") == "New Delhi"
    assert recognizer._place_spelling("NATO") == "NATO"  # no place of that name: as written
    from storyline.annotate.entities import _spelt_out

    # an abbreviation stays one, whatever place shares its letters ("Un" in India, "Mena" in Ethiopia)
    assert not _spelt_out("UN") and not _spelt_out("MENA") and _spelt_out("SOCHI") and _spelt_out("NEW DELHI")


def test_a_dateline_is_a_place_whatever_the_model_said(recognizer: EntityRecognizer) -> None:
    # the model called "SOCHI" an organisation here, and passed over "GOA"
    sochi = recognizer.recognise(["SOCHI — President Vladimir Putin hosted Indian Prime Minister Narendra Modi."])[0]
    assert ("SOCHI", "GPE") in {(m.text, m.label) for m in sochi}
    goa = recognizer.recognise(["GOA — Russia and India on Saturday signed 18 documents."])[0]
    assert ("GOA", "GPE") in {(m.text, m.label) for m in goa}
    nato = recognizer.recognise(["NATO — Allies agreed on Monday to send more troops."])[0]
    assert ("NATO", "ORG") in {(m.text, m.label) for m in nato}  # no place of that name: as the model said


def test_a_place_the_model_passed_over_after_a_preposition_is_found(recognizer: EntityRecognizer) -> None:
    from storyline.annotate.entities import _Raw

    text = "his previous visit to Goa was tied to a summit; the talks in Bucharest Airport and in Goa's capital"
    found = {(m.text, m.label) for m in recognizer._missed_places(text, [])}
    # a state the place index lists, a big city only where no capitalised word or "'s" follows it
    assert found == {("Goa", "GPE")}
    assert recognizer._missed_places(text, [_Raw(22, 25, "Goa", "PERSON")]) == []  # a mention holds it
    # a small town's name, a common word or a name after no preposition of place are left alone
    assert recognizer._missed_places("He was born in Hope and moved to Mayo.", []) == []
    assert recognizer._missed_places("Bucharest said on Monday it would act.", []) == []
    # nor across a line break, nor before a dash that makes it a modifier
    assert recognizer._missed_places("He flew to\nGoa. They met in Goa–based offices.", []) == []
    # a one-word "person" that is a state's or a region's own name is that place
    raws = [[_Raw(0, 3, "Goa", "PERSON"), _Raw(10, 18, "Narendra", "PERSON")]]
    recognizer.relabel_places(raws)
    assert [m.label for m in raws[0]] == ["GPE", "PERSON"]


def test_a_region_grows_only_over_words_no_longer_mention_holds() -> None:
    from storyline.annotate.entities import _Raw

    recogniser = EntityRecognizer()
    text = "the Russian Far East Development Fund and the Russian Far East"
    fund = _Raw(12, 37, "Far East Development Fund", "ORG")
    first, second = _Raw(4, 11, "Russian", "NORP"), _Raw(46, 53, "Russian", "NORP")
    found = recogniser._whole_regions(text, [first, fund, second])
    # the fund runs past the region's name: left as the model read it; the second grows whole
    assert [(m.text, m.label) for m in found] == [
        ("Russian", "NORP"),
        ("Far East Development Fund", "ORG"),
        ("Russian Far East", "LOC"),
    ]


def test_the_recogniser_loads_without_the_string_table() -> None:
    """The English model is loaded without its table of strings (the medium model's 709,000: 0.6 s
    and 140 MB less); its entities are those of the model loaded whole."""
    import importlib

    from storyline.annotate import spacy_model
    from storyline.annotate.entities import _NOT_FOR_NER

    recogniser = EntityRecognizer()
    model = recogniser._load("en")
    chosen = recogniser.model_for("en")
    assert chosen is not None and chosen.kind in ("spacy", "spacy-path")
    source = importlib.import_module(chosen.module).model_path() if chosen.kind == "spacy-path" else chosen.module
    whole = spacy_model.load(source, [c for c in _NOT_FOR_NER if c != "strings"])
    assert len(model.vocab.strings) < 10_000 and 10 * len(model.vocab.strings) < len(whole.vocab.strings)
    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "txt").glob("*.txt"))]
    assert len(texts) > 10

    def spans(nlp: Any) -> list[list[tuple[int, int, str]]]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]

    found = spans(model)
    assert sum(map(len, found)) > 100 and found == spans(whole)


def test_one_surname_with_other_given_names_is_two_people(recognizer: EntityRecognizer) -> None:
    siblings = (
        "Jorge Barrios, 45, was shot on Monday. His sister Edith Barrios said the family was in shock. "
        "Barrios said she had warned him."
    )
    family = (
        "Amir Sheikh Tamim bin Hamad al-Thani sent a cable to the president. Deputy Amir Sheikh Abdullah bin "
        "Hamad al-Thani sent one too, as did Prime Minister Sheikh Abdullah bin Nasser bin Khalifa al-Thani."
    )
    pair = "Michael Barrios and his sister Michaela Barrios ran the shop in Lima."
    a, b, c = recognizer.recognise([siblings, family, pair])
    found = people(a)
    assert found["Jorge Barrios"] == {"Jorge Barrios"}
    assert found["Edith Barrios"] == {"Edith Barrios", "Barrios"}  # the surname alone: the nearest named before
    thani = [name for name in people(b) if name.endswith("al-Thani")]
    assert len(thani) == 3 and len({m.entity_id for m in b if m.canonical in thani}) == 3
    assert set(people(c)) == {"Michael Barrios", "Michaela Barrios"}  # a given name's feminine form: two people


def test_given_names_of_one_person() -> None:
    from storyline.annotate.entities import same_given_names
    from storyline.model.annotations import fold_name

    assert same_given_names("Narendra Modi", "Narendra Damodardas Modi")
    assert same_given_names("J. Barrios", "Jorge Barrios")
    assert same_given_names("Barrios", "Edith Barrios")
    assert same_given_names("Jakrapanth Thomma", "Jakraphanth Thomma")  # a letter more inside the name
    assert not same_given_names("Edith Barrios", "Jorge Barrios")
    assert not same_given_names("Francesco Rossi", "Francesca Rossi")
    assert not same_given_names("Abdullah bin Hamad al-Thani", "Abdullah bin Nasser bin Khalifa al-Thani")
    assert not same_given_names("George W. Bush", "George H. W. Bush")  # father and son
    assert same_given_names("George Bush", "George W. Bush") and same_given_names("W. Bush", "George W. Bush")
    assert same_given_names("J.-P. Raffarin", "Jean-Pierre Raffarin")
    assert same_given_names("Jean Pierre Raffarin", "Jean-Pierre Raffarin")
    assert same_given_names("López Gatell", "Hugo López Gatell")  # a double surname without the given name
    assert not same_given_names("Abdullah al-Thani", "Tamim bin Abdullah al-Thani")  # his father's name
    assert same_given_names("Frau Barrios", "Edith Barrios")  # a form of address is no given name
    assert not same_given_names("Don Bacon", "Kevin Bacon")  # "Don" is a given name too
    assert fold_name("Hugo López-Gatell") == fold_name("hugo lópez gatell")


def test_across_articles_an_extra_given_name_proves_nothing(recognizer: EntityRecognizer) -> None:
    son = "George W. Bush spoke in Texas on Monday about the economy and the war in Iraq."
    father = "George H. W. Bush spoke in Texas on Monday about the economy and his library."
    sheikh = "Sheikh Hamad al-Thani met the emir in Doha. Sheikh Tamim bin Hamad al-Thani thanked him in Doha."
    a, b, c = recognizer.recognise([son, father, sheikh])
    assert {m.canonical for m in a if m.label == "PERSON"} == {"George W. Bush"}
    assert {m.canonical for m in b if m.label == "PERSON"} == {"George H. W. Bush"}
    assert len({m.canonical for m in c if m.label == "PERSON"}) == 2


def test_a_form_of_address_before_a_surname_is_a_surname_alone(recognizer: EntityRecognizer) -> None:
    text = (
        "Jorge Barrios, 45, was shot on Monday. His sister Edith Barrios said the family was in shock. "
        "Frau Barrios said she had warned him."
    )
    (mentions,) = recognizer.recognise([text])
    found = people(mentions)
    assert "Jorge Barrios" in found and not any("Frau" in name for name in found)
    frau = [m for m in mentions if m.text.endswith("Barrios") and m.start > text.index("Frau") - 1]
    assert {m.canonical for m in frau} <= {"Edith Barrios"}  # the nearest named before, not the first


def test_a_sovereigns_title_goes_before_a_given_name_not_a_surname(recognizer: EntityRecognizer) -> None:
    # "King" is a child's first name here: not a title before the father's surname
    text = (
        "Lionel Carter said his son was asleep when the shots were fired. King Carter, 6, was killed in the "
        "crossfire on Friday."
    )
    (mentions,) = recognizer.recognise([text])
    found = people(mentions)
    assert found.get("Lionel Carter") == {"Lionel Carter"}, found
    # a sovereign's name alone after it is still the same person
    (mentions,) = recognizer.recognise(["King Abdullah met the envoy in Amman. Abdullah praised the ties."])
    assert len(people(mentions)) == 1, people(mentions)


def test_a_name_written_two_ways_is_one_person_with_its_mark(recognizer: EntityRecognizer) -> None:
    hyphen = "Hugo López-Gatell gave the daily briefing in Mexico City."
    spaced = "Deputy minister Hugo López Gatell said cases in Mexico City would rise. López Gatell spoke on Tuesday."
    one = (
        "Police in Nakhon Ratchasima, Thailand, named the gunman as Jakrapanth Thomma, a soldier. Thomma killed "
        "29 people, Prayut Chan-o-cha said."
    )
    other = (
        "The soldier Jakraphanth Thomma opened fire in a mall in Nakhon Ratchasima, Thailand. Thomma was shot "
        "dead, Prayut Chan-o-cha said."
    )
    alone = "The runner Jakraphant Thomma won the race in Chiang Mai."  # no context shared with the others
    a, b, c, d, e = recognizer.recognise([hyphen, spaced, one, other, alone])
    (lopez,) = [m for m in a if m.label == "PERSON"]
    assert lopez.canonical == "Hugo López Gatell" and lopez.variant == "spelling" and lopez.text == "Hugo López-Gatell"
    assert {m.canonical for m in b if m.label == "PERSON"} == {"Hugo López Gatell"}
    assert not any(m.variant for m in b)
    soldier = {m.canonical for m in c + d if "Thomma" in m.text}
    assert len(soldier) == 1
    variants = [m for m in c + d if m.variant == "spelling"]
    assert len(variants) == 1 and "one letter from" in (variants[0].evidence or "")
    assert {m.canonical for m in e if "Thomma" in m.text} == {"Jakraphant Thomma"}


def test_a_span_without_a_capital_is_no_name(recognizer: EntityRecognizer) -> None:
    from storyline.annotate.entities import _uncapitalised

    (mentions,) = recognizer.recognise(["Firefighters used the water to hose down embers near Mogo on Sunday."])
    assert "hose" not in {m.text for m in mentions}
    assert _uncapitalised("hose") and not _uncapitalised("eBay") and not _uncapitalised("Mogo")
    assert not _uncapitalised("دونالد ترامب")  # a script without capitals: never so


def test_a_surname_alone_goes_to_the_full_name_attested_across_articles(recognizer: EntityRecognizer) -> None:
    # "Kessling" alone, in an article of its own: the full name two articles give, not the one
    # a single article gives (a relative, or a credit's word glued to the name)
    texts = [
        "Senator Maria Kessling spoke in Denver, Colorado, on Monday about the water bill.",
        "Maria Kessling said the water bill would pass in Denver.",
        "Tom Kessling was seen leaving the Capitol.",
        "In Denver, Kessling criticised the Colorado governor on Tuesday.",
    ]
    found = recognizer.recognise(texts)
    assert [m.canonical for m in found[3] if m.label == "PERSON"] == ["Maria Kessling"]
    # ... only where the two articles share what a spelling needs to be resolved: else it stays
    texts[3] = "Kessling resigned as minister on Tuesday."
    found = recognizer.recognise(texts)
    assert [m.canonical for m in found[3] if m.label == "PERSON"] == ["Kessling"]
    # two full names each named in one article only: no telling which one it is
    texts = ["Maria Kessling spoke in Denver.", "Tom Kessling spoke in Boise.", "Kessling criticised the governor."]
    assert [m.canonical for m in recognizer.recognise(texts)[2] if m.label == "PERSON"] == ["Kessling"]


def test_a_name_with_figures_in_it_is_no_person(recognizer: EntityRecognizer) -> None:
    (mentions,) = recognizer.recognise(["The poll had Sanders 51%-4 Trump in Iowa, the paper said."])
    assert not [m for m in mentions if m.label == "PERSON" and any(c.isdigit() for c in m.text)]
