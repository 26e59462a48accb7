"""Events' dates and statuses against TimeML's temporal links (storyline eval event-times)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.annotate import Annotator
from storyline.cli.app import app
from storyline.evaluate.event_times import evaluate_event_times, read_event_times

from .conftest import EVAL

# A TimeML file as TempEval-3 writes them: events, times, instances and links (some written time ->
# event), the creation time in <DCT>.
SENTENCES = (
    'Narendra Modi <EVENT eid="e1" class="OCCURRENCE">met</EVENT> Vladimir Putin in Sochi on '
    '<TIMEX3 tid="t1" type="DATE" value="2019-09-16">Monday</TIMEX3>.',
    'The two leaders will <EVENT eid="e2" class="OCCURRENCE">sign</EVENT> an agreement in '
    '<TIMEX3 tid="t2" type="DATE" value="2019-10">October</TIMEX3>.',
    'India did not <EVENT eid="e3" class="OCCURRENCE">attack</EVENT> Pakistan &amp; its allies.',
    'Modi <EVENT eid="e4" class="OCCURRENCE">visited</EVENT> Moscow in '
    '<TIMEX3 tid="t3" type="DATE" value="2018">2018</TIMEX3>.',
)
TML = (
    """<?xml version="1.0" ?>
<TimeML>
<DOCID>t1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2019-09-18" functionInDocument="CREATION_TIME">2019-09-18</TIMEX3></DCT>
<TEXT>
"""
    + "\n".join(SENTENCES)
    + """
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="FUTURE" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="PAST" aspect="NONE" polarity="NEG" pos="VERB"/>
<MAKEINSTANCE eventID="e4" eiid="ei4" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
<TLINK lid="l3" relType="INCLUDES" timeID="t2" relatedToEventInstance="ei2"/>
<TLINK lid="l4" relType="BEFORE" timeID="t0" relatedToEventInstance="ei2"/>
<TLINK lid="l5" relType="IS_INCLUDED" eventInstanceID="ei4" relatedToTime="t3"/>
<TLINK lid="l6" relType="BEFORE" eventInstanceID="ei4" relatedToEventInstance="ei1"/>
</TimeML>
"""
)


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "t1.tml").write_text(TML, encoding="utf-8")
    return tmp_path


def test_gold_dates_and_relations_come_from_the_links(folder: Path) -> None:
    doc = read_event_times(folder / "t1.tml")
    assert doc.dct == date(2019, 9, 18)
    got = {g.text: (g.date, g.relation, g.negated) for g in doc.events}
    assert got == {
        "met": ("2019-09-16", "before", False),
        "sign": ("2019-10", "after", False),  # written time -> event, turned round
        "attack": (None, None, True),
        "visited": ("2018", None, False),  # a link to another event gives no date
    }
    assert all(doc.text[g.start : g.end] == g.text for g in doc.events)
    assert "Pakistan & its allies" in doc.text  # entities unescaped, tags gone


def test_a_file_marking_most_events_negative_has_its_polarity_left_out(folder: Path, annotator: Annotator) -> None:
    # files of ten events or more where nearly every event is "NEG" (some of AQUAINT's) say nothing
    # of negation; a short file with one denial and few events is believed
    extra = "".join(
        f'<MAKEINSTANCE eventID="e1" eiid="ei{n}" tense="PAST" aspect="NONE" polarity="NEG" pos="VERB"/>\n'
        for n in range(10, 17)
    )
    many = TML.replace('polarity="POS"', 'polarity="NEG"', 2).replace("<TLINK", extra + "<TLINK", 1)
    (folder / "t1.tml").write_text(many, encoding="utf-8")
    assert {g.negated for g in read_event_times(folder / "t1.tml").events} == {None}
    scores = evaluate_event_times(folder, annotator)
    assert not scores.negation and scores.matched > 0
    (folder / "t1.tml").write_text(TML.replace('polarity="POS"', 'polarity="NEG"', 2), encoding="utf-8")
    assert [g.negated for g in read_event_times(folder / "t1.tml").events] == [True, True, True, False]


def test_storyline_events_are_scored_against_the_gold(folder: Path, annotator: Annotator) -> None:
    scores = evaluate_event_times(folder, annotator)
    result = scores.as_dict()
    assert result["documents"] == 1 and result["gold_events"] == 4
    assert result["storyline_mentions"] == result["matched_mentions"] == 4  # each a storyline event
    # Monday is 16 September, October 2019 holds the planned signing, the visit was in 2018
    assert (result["dated"], result["date_agree"]) == (3, 3)
    assert result["status_table"] == {"before/occurred": 1, "after/planned": 1}
    assert (result["negated_precision"], result["negated_recall"]) == (1.0, 1.0)


def test_an_event_of_the_creation_day_may_be_over_under_way_or_to_come(folder: Path, annotator: Annotator) -> None:
    # "met" linked as inside the creation time (a day in TimeML): written event -> time, or turned round
    for link in (
        '<TLINK lid="l2" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t0"/>',
        '<TLINK lid="l2" relType="INCLUDES" timeID="t0" relatedToEventInstance="ei1"/>',
    ):
        tml = TML.replace('<TLINK lid="l2" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>', link)
        (folder / "t1.tml").write_text(tml, encoding="utf-8")
        assert {g.text: g.relation for g in read_event_times(folder / "t1.tml").events}["met"] == "day"
        result = evaluate_event_times(folder, annotator).as_dict()
        assert result["status_table"] == {"day/occurred": 1, "after/planned": 1}
        assert (result["status_accuracy"], result["status_accuracy_strict"], result["status_day"]) == (1.0, 0.5, 1)
    # an event that spans the time of writing stays "overlap": the meeting told as over disagrees
    tml = TML.replace('relType="BEFORE" eventInstanceID="ei1"', 'relType="INCLUDES" eventInstanceID="ei1"')
    (folder / "t1.tml").write_text(tml, encoding="utf-8")
    scores = evaluate_event_times(folder, annotator)
    assert scores.as_dict()["status_table"] == {"overlap/occurred": 1, "after/planned": 1}
    assert scores.status_accuracy() == 0.5 and scores.status_errors[0][1:] == ("met", "overlap", "occurred")


def test_a_wrong_date_is_counted_and_listed(folder: Path, annotator: Annotator) -> None:
    (folder / "t1.tml").write_text(TML.replace('value="2019-09-16"', 'value="2019-09-09"'), encoding="utf-8")
    scores = evaluate_event_times(folder, annotator)
    assert scores.date["disagree"] == 1
    assert scores.date_errors[0][1:] == ("met", "2019-09-09", "2019-09-16")


def test_the_command_reports_and_refuses_a_missing_folder(folder: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["eval", "event-times", str(folder), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["documents"] == 1
    missing = runner.invoke(app, ["eval", "event-times", str(folder / "nope")])
    assert missing.exit_code == 1 and "no such folder" in missing.output


@pytest.mark.skipif(not (EVAL / "tempeval3" / "AQUAINT").is_dir(), reason="no shared eval data")
def test_aquaint_is_read_whole() -> None:
    docs = [read_event_times(p) for p in sorted((EVAL / "tempeval3" / "AQUAINT").glob("*.tml"))]
    assert len(docs) == 73 and all(d.dct is not None for d in docs)
    assert sum(len(d.events) for d in docs) == 4431
    assert sum(1 for d in docs for g in d.events if g.date) > 500
