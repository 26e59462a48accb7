"""Time expressions: one test per rule the annotation issue names, and the TimeML scorer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.annotate.times import duration_value, find_times, number
from storyline.evaluate.timeml import TimeScores, canonical_value, evaluate_timeml, read_timeml, score_document
from storyline.model.annotations import TimeExpression, TimeType

from .conftest import EVAL

SEPT_2019 = date(2019, 9, 18)  # a Wednesday


def times(text: str, anchor: date | None = SEPT_2019) -> list[tuple[str, str, str]]:
    return [(t.text, t.type.value, t.value) for t in find_times(text, anchor)]


def test_future_date_resolves_forward() -> None:
    assert times("Modi will meet Putin on October 5 in New Delhi.") == [("October 5", "DATE", "2019-10-05")]


def test_weekday_follows_tense() -> None:
    assert times("The leaders met on Friday.") == [("Friday", "DATE", "2019-09-13")]
    assert times("The leaders will meet on Friday.") == [("Friday", "DATE", "2019-09-20")]
    assert times("They meet next Friday.") == [("next Friday", "DATE", "2019-09-20")]


def test_today_is_the_publication_date() -> None:
    assert times("Talks are being held in St Petersburg today.") == [("today", "DATE", "2019-09-18")]


def test_month_keeps_month_granularity() -> None:
    assert times("In February, prices rose.") == [("In February", "DATE", "2019-02")]
    assert times("The vote will take place in November.") == [("in November", "DATE", "2019-11")]


def test_duration_relative_to_another_event() -> None:
    assert times("The deal was signed three days after the vote.") == [("three days", "DURATION", "P3D")]


def test_years_ago_since_and_within() -> None:
    assert times("The moon landing was 50 years ago.") == [("50 years ago", "DATE", "1969")]
    assert times("The war has gone on since 2011.") == [("since 2011", "DATE", "2011")]
    assert times("A decision is due within a month.") == [("within a month", "DURATION", "P1M")]


def test_no_false_times() -> None:
    assert times("It ended a five-year war.") == [("five-year", "DURATION", "P5Y")]
    assert times("India bought the Su-30 jets before the G-20 summit.") == []
    assert times("A 6-year-old boy and 300 people.") == []
    assert times("May I ask what March means?") == []
    assert times("The meeting of 32 May 2018 never took place.") == []


def test_relative_units_quarters_and_reference() -> None:
    got = times("Profit rose in the third quarter from $5 million a year earlier. Last week and next year.")
    assert got == [
        ("the third quarter", "DATE", "2019-Q3"),
        ("a year earlier", "DATE", "2018-Q3"),
        ("Last week", "DATE", "2019-W37"),
        ("next year", "DATE", "2020"),
    ]


def test_that_day_and_the_next_follow_the_story_not_the_publication() -> None:
    # the last date the text spoke of anchors them, and they move it along
    assert times("Modi met Putin on June 1, 2017. He left for Paris later the same day.") == [
        ("June 1, 2017", "DATE", "2017-06-01"),
        ("later the same day", "DATE", "2017-06-01"),
    ]
    assert times("The talks opened on Monday. The next day the sides signed a deal; the next morning they left.") == [
        ("Monday", "DATE", "2019-09-16"),
        ("The next day", "DATE", "2019-09-17"),
        ("the next morning", "TIME", "2019-09-18TMO"),
    ]
    assert times("In 1998 the company grew. The following year it shrank. That year was hard.") == [
        ("In 1998", "DATE", "1998"),
        ("The following year", "DATE", "1999"),
        ("That year", "DATE", "1999"),
    ]
    assert times("The minister arrived on March 3. The day before, officials met.")[1] == (
        "The day before",
        "DATE",
        "2019-03-02",
    )
    # counted from an event, or with no date before it: no value is guessed; from a date too coarse
    # to count a day from, an unknown day
    assert times("He arrived on March 3, the day before the vote.") == [("March 3", "DATE", "2019-03-03")]
    assert times("He arrived in May 2016 and left the next morning.")[1] == (
        "the next morning",
        "TIME",
        "XXXX-XX-XXTMO",
    )
    assert times("The next day was sunny.") == []
    # with no date before it, "the next year" is the publication's next year, as "next year" is;
    # ahead of the time of writing too, whatever the story spoke of before
    assert times("Profits should rise in the next year.") == [("the next year", "DATE", "2020")]
    assert times("It was founded in 2015. It expects to hire staff in the next year.")[1] == (
        "the next year",
        "DATE",
        "2020",
    )
    # "today", "yesterday" are dates the story spoke of too
    same_day = times("The talks open today. He leaves later the same day.")
    assert same_day[1] == ("later the same day", "DATE", "2019-09-18")
    # a date earlier in the same sentence counts; a quarter counts by quarters
    assert times("He arrived on March 3 and left the next day.")[1] == ("the next day", "DATE", "2019-03-04")
    assert times("Revenue rose in the third quarter of 2018. It fell in the following quarter. That quarter ...")[
        1:
    ] == [("the following quarter", "DATE", "2018-Q4"), ("That quarter", "DATE", "2018-Q4")]
    # a date too coarse to count from gives what is known of it, no more
    assert times("They met in October 1998. That same day, they signed.")[1] == ("That same day", "DATE", "1998-10-XX")
    # a year, month or week that holds the story's day does not move the story off it; another does
    friday = times(
        "On Friday he speaks at the forum, where India is the partner this year. He leaves later the same day."
    )
    assert friday[0][2] == "2019-09-13" and friday[-1] == ("later the same day", "DATE", "2019-09-13")
    moved = times("They met on June 1, 2017. In 2018 the talks resumed. That same day, they signed.")
    assert moved[-1] == ("That same day", "DATE", "2018-XX-XX")
    earlier = times("On Friday he spoke. Earlier this year, he visited Japan. The next month, he went to China.")
    assert earlier[-1] == ("The next month", "DATE", "XXXX-XX")  # "earlier this year" is a step in the story
    month = times("They met on June 1, 2017, the second meeting that month. The next day they signed.")
    assert month[-1] == ("The next day", "DATE", "2017-06-02")
    assert times("Talks were held in 2017. The next month they left.")[1] == ("The next month", "DATE", "XXXX-XX")
    # not inside longer words, not after a verb's "that", not "the same month last year"
    assert times("Talks were held on Monday. In the following years they met.")[1] == ("years", "DURATION", "PXY")
    assert times("The talks ended on Monday. He said that morning prayers were cancelled.") == [
        ("Monday", "DATE", "2019-09-16")
    ]
    assert times("Sales fell in August. They rose from the same month last year.")[1:] == [
        ("last year", "DATE", "2018")
    ]


def test_full_dates_times_and_sets() -> None:
    assert times("On May 21, 2018 at 3:30 p.m. the talks began; they meet every year.") == [
        ("May 21, 2018", "DATE", "2018-05-21"),
        ("at 3:30 p.m.", "TIME", "2019-09-18T15:30"),
        ("every year", "SET", "P1Y"),
    ]
    assert times("now", None) == [("now", "DATE", "PRESENT_REF")]


def test_without_an_anchor_relative_dates_stay_unresolved() -> None:
    assert times("They met on Friday in February.", None) == [
        ("Friday", "DATE", "XXXX-WXX-5"),
        ("in February", "DATE", "XXXX-02"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three", 3),
        ("twenty four", 24),
        ("twenty-four", 24),
        ("a", 1),
        ("12", 12),
        ("a couple of", 2),
        ("several", None),
    ],
)
def test_number_words(text: str, value: float | None) -> None:
    assert number(text) == value


@pytest.mark.parametrize(
    ("amount", "unit", "value"),
    [
        (3, "years", "P3Y"),
        (24, "hours", "PT24H"),
        (2, "decades", "P20Y"),
        (None, "months", "PXM"),
        (2, "quarters", "P6M"),
        (5.5, "hours", "PT5H30M"),
        (2.5, "years", "P2Y6M"),
        (1.5, "days", "P1DT12H"),
        (1.5, "minutes", "PT1M30S"),
    ],
)
def test_duration_values(amount: float | None, unit: str, value: str) -> None:
    assert duration_value(amount, unit) == value


def test_abbreviations_do_not_end_the_sentence() -> None:
    # "a.m." and "U.S." used to cut the sentence, leaving "Tuesday" without its clock time or its tense
    seized = times("He was seized at 10 p.m. Tuesday, police said.")
    assert seized == [("at 10 p.m. Tuesday", "TIME", "2019-09-17T22:00")]
    assert times("The envoy will land in the U.S. Friday.") == [("Friday", "DATE", "2019-09-20")]


def test_clock_times_with_zones_noon_and_midnight() -> None:
    assert times("He will leave at 4 a.m. EDT Thursday.") == [("at 4 a.m. EDT Thursday", "TIME", "2019-09-19T04:00")]
    assert times("Talks broke off at noon Monday.") == [("at noon Monday", "TIME", "2019-09-16T12:00")]
    assert times("The offer expired at midnight Friday.") == [("at midnight Friday", "TIME", "2019-09-13T24:00")]
    assert times("Lunch is at noon.") == []  # no day to hang it on


def test_future_cues_and_their_false_friends() -> None:
    assert times("They plan to leave as early as Tuesday.") == [("Tuesday", "DATE", "2019-09-24")]
    assert times("The office has scheduled a news conference Thursday.") == [("Thursday", "DATE", "2019-09-19")]
    # "next to" is a place, not a time; "be paid" is a passive, not a past tense
    assert times("A bomb ripped through a building next to the embassy Friday.") == [("Friday", "DATE", "2019-09-13")]
    assert times("It would be paid in January.") == [("in January", "DATE", "2020-01")]
    assert times("The loan must be repaid by February.") == [("by February", "DATE", "2020-02")]


def test_months_with_year_words_and_days_after_prepositions() -> None:
    assert times("In June last year, the party split.") == [("In June last year", "DATE", "2018-06")]
    assert times("The ban runs until March 6.") == [("March 6", "DATE", "2020-03-06")]


def test_spoken_years_and_seasons() -> None:
    assert times("It was built in nineteen ninety-six.") == [("in nineteen ninety-six", "DATE", "1996")]
    assert times("The goal for the year two thousand.") == [("the year two thousand", "DATE", "2000")]
    assert times("January nineteen ninety-seven.") == [("January nineteen ninety-seven", "DATE", "1997-01")]
    assert times("It snowed in the winter of 1994.") == [("the winter of 1994", "DATE", "1994-WI")]


def test_fractions_and_halves() -> None:
    assert times("She spent 5 1/2 hours in Nairobi.") == [("5 1/2 hours", "DURATION", "PT5H30M")]
    assert times("The flight took an hour and a half.") == [("an hour and a half", "DURATION", "PT1H30M")]


def test_year_end_financial_years_and_last_night() -> None:
    assert times("Net income for the year ended March 31 fell.") == [
        ("the year", "DURATION", "P1Y"),
        ("March 31", "DATE", "2019-03-31"),
    ]
    assert times("Sales for the full year rose.") == [("the full year", "DATE", "2019")]
    assert times("The deal should close by year-end.") == [("by year-end", "DATE", "2019-12-31")]
    assert times("Shares are up 4% since year-end.") == [("since year-end", "DATE", "2018-12-31")]
    assert times("Police reported last night that two men fled.") == [("last night", "TIME", "2019-09-17TNI")]
    assert times("In today's editions, the paper said.") == [("today", "DATE", "2019-09-18")]


def test_recent_units_are_durations() -> None:
    assert times("Prices fell in recent months.") == [("recent months", "DURATION", "PXM")]
    assert times("Prices have fallen recently.") == [("recently", "DATE", "PAST_REF")]


@pytest.mark.parametrize(
    ("gold", "ours", "same"),
    [("2000-W7", "2000-W07", True), ("1989-11-06T17", "1989-11-06T17:00", True), ("198X", "198", True),
     ("1989-WXX", "1989-W43", False), ("1949-XX", "1949", False), ("2000-W17", "2000-W07", False)],
)  # fmt: skip
def test_scorer_forgives_only_spellings_of_the_same_value(gold: str, ours: str, same: bool) -> None:
    assert (canonical_value(gold) == canonical_value(ours)) is same


def test_spans_point_into_the_text() -> None:
    text = "On Friday, Modi said the summit would be held in October."
    for t in find_times(text, SEPT_2019):
        assert text[t.start : t.end] == t.text


TML = """<?xml version="1.0" ?>
<TimeML><DOCID>X</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2019-09-18" functionInDocument="CREATION_TIME">20190918</TIMEX3></DCT>
<TEXT>
The leaders met <TIMEX3 tid="t1" type="DATE" value="2019-09-13">Friday</TIMEX3> &amp; will meet again
<TIMEX3 tid="t2" type="DATE" value="2019-10">in October</TIMEX3> for
<TIMEX3 tid="t3" type="DURATION" value="P2D">two days</TIMEX3>.
</TEXT></TimeML>
"""


def test_timeml_reader_and_scores(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(TML, encoding="utf-8")
    doc = read_timeml(path)
    assert doc.dct == SEPT_2019
    assert [(g.text, doc.text[g.start : g.end], g.value) for g in doc.gold] == [
        ("Friday", "Friday", "2019-09-13"),
        ("in October", "in October", "2019-10"),
        ("two days", "two days", "P2D"),
    ]
    assert "&" in doc.text
    scores = TimeScores()
    system = [
        TimeExpression(doc.gold[0].start, doc.gold[0].end, "Friday", TimeType.DATE, "2019-09-13"),  # exact
        TimeExpression(doc.gold[1].start + 3, doc.gold[1].end, "October", TimeType.DATE, "2020-10"),  # overlap, wrong
        TimeExpression(0, 3, "The", TimeType.DATE, "PAST_REF"),  # spurious
    ]
    score_document(doc, system, scores)
    result = scores.as_dict()
    assert (result["gold"], result["system"]) == (3, 3)
    assert result["strict_precision"] == round(1 / 3, 4) and result["strict_recall"] == round(1 / 3, 4)
    assert result["relaxed_precision"] == round(2 / 3, 4) and result["relaxed_recall"] == round(2 / 3, 4)
    assert result["value_accuracy"] == 0.5 and result["value_f1"] == round(2 / 3 * 0.5, 4)
    assert scores.missed["two days"] == 1 and scores.spurious["the"] == 1
    full = evaluate_timeml(tmp_path)
    assert full.as_dict()["value_f1"] == 1.0  # storyline's own tagger gets this small document right


@pytest.mark.eval
@pytest.mark.skipif(not (EVAL / "tempeval3").is_dir(), reason="shared eval data not present")
def test_tempeval3_floor() -> None:
    """Floors that may only rise: the figures measured when this tagger was written, rounded down."""
    result = evaluate_timeml(EVAL / "tempeval3").as_dict()
    assert result["documents"] == 256
    assert result["relaxed_f1"] >= 0.93
    assert result["value_f1"] >= 0.79


def test_a_line_break_ends_a_sentence_even_after_an_abbreviation() -> None:
    from storyline.annotate.sentences import sentences

    text = "Talks with the U.S.\nModi arrives on Monday."
    assert [text[a:b] for a, b in sentences(text, lines=True)] == ["Talks with the U.S.", "Modi arrives on Monday."]
    assert len(list(sentences("Talks with the U.S. Officials said so."))) == 1


def test_a_year_earlier_in_an_undated_document() -> None:
    """Without a publication date, "a year earlier" counts back from the last full date given, and
    from nothing at all when there is none (it used to fail an assertion)."""
    found = times("The plant opened on May 16, 2019. A year earlier, the site was a field.", anchor=None)
    assert ("A year earlier", "DATE", "2018") in found
    found = times("On May 16 a ban began. A year earlier, it was a field.", anchor=None)
    assert not any(text.startswith("A year") and value[:1].isdigit() for text, _, value in found)  # no year made up


NOV_2015 = date(2015, 11, 7)


def _years(text: str) -> list[str]:
    """The values of the expressions found that are a year and nothing more."""
    return [value for _, _, value in times(text, NOV_2015) if len(value) == 4 and value.isdigit()]


@pytest.mark.parametrize(
    "text",
    [
        "For tickets call (318) 442 - 1769 before Friday.",  # a telephone number, tokenised
        "For tickets call 318 442 1769 or 318.442.1769.",
        "Call the hotline on 1800 552 0913.",
        "Posted: 0915 GMT (1715 HKT).",  # clock times with their zones
        "The curfew begins at 1900 hours.",
        "Polls close at 1630 UTC.",
        "Shops are open from 0800 to 1700 daily.",  # a 24-hour span
        "Troops crossed at 0630 local time and left at 1745.",  # told as a 24-hour time in its sentence
        "The index closed at 1987.4 points, and 2031.25 later.",  # decimals
        "The fire started in the 1900 block of Elm Street.",  # addresses
        "He lives at 1750 Harbor View Road.",
        "The convoy drove 1800 km and spent £1950 on fuel.",  # amounts
        "Between 1500 - 2000 people marched.",
        "Passengers of Flight 1549 landed; Resolution 1973 was adopted.",  # labels and models
        "A Model 1600 press was sold.",
        "Police wounded more than 1500 protesters and arrested at least 2000.",  # counts
    ],
)
def test_a_number_that_cannot_be_a_year_is_none(text: str) -> None:
    assert _years(text) == []


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("The war ended in 1945.", ["1945"]),
        ("The 2014 election was close.", ["2014"]),
        ("Prices have risen since 1999.", ["1999"]),
        ("He left at 1999 prices, after the 1987 Wall Street crash.", ["1999", "1987"]),
        ("In 2011 300 people were hurt.", ["2011"]),
        ("Sales rose in 1994, 1995 and 1997.", ["1994", "1995", "1997"]),
        ("The plan ran from 1990 - 1995.", ["1990", "1995"]),
        ("They met in Hong Kong in 1852.", ["1852"]),
        # a number beside it in the next sentence, or after a spaced dash, is no telephone number
        ("The war started in 2014. 500 people have died since.", ["2014"]),
        ("The war started in 2014 - 300 people were killed.", ["2014"]),
        ("The club lost 3-1. 2015 will be better.", ["2015"]),
        # a zone's letters before it, "at" before a noun, a square after it: still a year
        ("The GST 2017 reform passed.", ["2017"]),
        ("Prices stayed at 2008 levels until the market opened at 0600 GMT.", ["2008"]),
        ("2011 Tahrir Square protests changed Egypt.", ["2011"]),
        ("In 2014 hours of footage were lost.", ["2014"]),
        # a word of quantity after a preposition of time, or a year's own modifier: still a year
        ("He has ruled the country since at least 2012.", ["2012"]),
        ("Labour led in some 2015 polls.", ["2015"]),
        ("Prices rose steadily up to 2008, when the crisis hit.", ["2008"]),
    ],
)
def test_real_years_are_kept(text: str, years: list[str]) -> None:
    assert _years(text) == years


def test_decades_months_and_seasons_of_years_are_kept() -> None:
    assert times("It was popular in the 1990s.", NOV_2015) == [("the 1990s", "DATE", "199")]
    assert times("It rained in May 2014.", NOV_2015) == [("May 2014", "DATE", "2014-05")]
    assert times("The 2014-15 season ended.", NOV_2015) == [("2014-15", "DATE", "2014")]
    assert times("The 1999-2000 budget passed.", NOV_2015) == [("1999-2000", "DATE", "1999")]
    assert times("The 2014-05 report.", NOV_2015) == []  # not a season: no year is made of it


def test_a_month_in_a_range_takes_the_year_of_its_other_end() -> None:
    assert times("Floods hit the coast from January to November 2014.", NOV_2015) == [
        ("from January", "DATE", "2014-01"),
        ("November 2014", "DATE", "2014-11"),
    ]
    assert times("Prices fell between March and June 2016.") == [
        ("March", "DATE", "2016-03"),
        ("June 2016", "DATE", "2016-06"),
    ]
    assert times("Prices fell from January 2014 to March.") == [
        ("January 2014", "DATE", "2014-01"),
        ("March", "DATE", "2014-03"),
    ]
    assert times("Snow fell from November 2014 to February.") == [
        ("November 2014", "DATE", "2014-11"),
        ("February", "DATE", "2015-02"),
    ]
    assert times("Snow fell from November to February 2015.") == [
        ("from November", "DATE", "2014-11"),
        ("February 2015", "DATE", "2015-02"),
    ]
    assert times("The strike ran from Jan. 5 to March 3, 2014.") == [
        ("Jan. 5", "DATE", "2014-01-05"),
        ("March 3, 2014", "DATE", "2014-03-03"),
    ]
