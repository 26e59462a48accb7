from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from storyline.clean import text as clean_text
from storyline.clean.leftovers import LineKind, classify, classify_lines, split_leftovers
from storyline.clean.scraped import split_scraped
from storyline.clean.text import normalize_line, normalize_lines, repair_mojibake


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("BugÃ¼n Ankara'da", "Bugün Ankara'da"),
        ("BugÃ1⁄4n Ankara'da", "Bugün Ankara'da"),  # NFKC turned ¼ into 1⁄4
        ("TÃ¼rkiye ve Azerbaycan gÃ¶rÃ¼ÅŸmesi", "Türkiye ve Azerbaycan görüşmesi"),
        ("Itâ€™s the â€œinformalâ€™ summit", "It’s the “informal’ summit"),
    ],
)
def test_repair_mojibake(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == (fixed, True)


@pytest.mark.parametrize(
    "clean", ["Bugün Türkiye", "Façade à Genève", "1/4 of the vote", "São Paulo ½ marathon", "Ünal Ören"]
)
def test_repair_mojibake_leaves_good_text_alone(clean: str) -> None:
    assert repair_mojibake(clean) == (clean, False)


def test_normalize_line_removes_invisible_and_odd_spaces() -> None:
    assert normalize_line("\u00a0Modi\u200b  met\tPutin\u00ad \u2009today\x07 ") == "Modi met Putin today"


def _normalize_line_in_full(line: str) -> str:
    """normalize_line without its shortcuts: every substitution on every line."""
    line = unicodedata.normalize("NFC", line)
    for pattern, replacement in ((clean_text._INVISIBLE, ""), (clean_text._SPACES, " "), (clean_text._CONTROLS, "")):
        line = pattern.sub(replacement, line)
    return clean_text._MULTISPACE.sub(" ", line).strip()


def test_the_shortcuts_look_for_every_character_the_full_passes_touch() -> None:
    """Over every code point: the clean-up's one test finds exactly the characters one of its
    three substitutions touches, and no hint of mojibake starts with a character outside the
    leads the repair looks for first."""
    substitutions = (clean_text._INVISIBLE, clean_text._SPACES, clean_text._CONTROLS)
    tails = ("\u0080", "\u00ff", "\u0152", "\u2122", "1⁄2", "1⁄4", "€")
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        assert bool(clean_text._ODD_CHARACTERS.search(c)) == any(p.search(c) for p in substitutions), hex(code)
        if c not in clean_text._MOJIBAKE_LEADS:
            assert not any(clean_text._MOJIBAKE_HINT.match(c + tail) for tail in tails), hex(code)


@pytest.mark.parametrize("seed", range(3))
def test_normalize_line_and_the_mojibake_repair_answer_as_in_full(seed: int) -> None:
    """The shortcuts (a line with none of the odd characters, no double space, none of the
    characters a mojibake hint starts with) change no answer, on random lines of the characters
    they test (every Latin-1 character among them, not only the leads)."""
    odd = "\t\u00a0\u1680\u2000\u200a\u202f\u205f\u3000\u00ad\u200b\u200c\u2060\ufeff\u180e\x00\x0b\x1f\x7f\x85\x9f"
    alphabet = "ab Zé.,’\u0301\u2122€1⁄4" + odd + "".join(map(chr, range(0x80, 0x100)))
    rng = random.Random(seed)
    for _ in range(3000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert normalize_line(line) == _normalize_line_in_full(line), repr(line)
        if clean_text._MOJIBAKE_HINT.search(line) is None:
            assert repair_mojibake(line) == (line, False)


def test_normalize_lines_joins_hard_wraps_only() -> None:
    lines = normalize_lines("The two leaders met in\nthe resort of Sochi.\nA second paragraph.\r\n\r\nThird")
    assert lines == ["The two leaders met in the resort of Sochi.", "A second paragraph.", "", "Third"]
    # a wrap before a capitalised word cannot be told from a new paragraph: left split
    assert normalize_lines("They met in\nSochi.") == ["They met in", "Sochi."]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # contact details and credits under a label, as press releases and agencies set them
        ("- Compiled by Vera Lind", LineKind.CREDIT),
        ("Autor: pol/leo", LineKind.CREDIT),
        ("Rückfragen & Kontakt:", LineKind.CREDIT),
        ("+43 664 849 15 40", LineKind.CREDIT),
        ("Tel. 0221 555 0192", LineKind.CREDIT),
        ("vera.lind @ example.eu", LineKind.CREDIT),
        ("XYZ 18.01.2020 13:57 - Güncelleme: 18.01.2020 13:57", LineKind.CREDIT),
        # ... but not a date, a range of dates, a web address or a heading that starts alike
        ("2016-09-13", LineKind.BODY),
        ("23.10.2015 - 25.10.2015", LineKind.BODY),
        ("http://www.example.org/2016/07/report.html", LineKind.BODY),
        ("Autor:innen", LineKind.BODY),
        ("1914 1918 1939 1945", LineKind.BODY),
        ("978-3-16-148410-0", LineKind.BODY),
        ("23/10/2015 - 25/10/2015", LineKind.BODY),
        ("Am 18.01.2020 13:57 kam es auf der A3 zu einem schweren Unfall.", LineKind.BODY),
        ("Kontakt: Die Polizei bittet Zeugen, sich unter der Nummer 0221 229-0 zu melden.", LineKind.BODY),
        ("Autor: Der Verfasser ist Professor an der Universität in Bonn.", LineKind.BODY),
        ("- Written by hand, the letter was found in 1945.", LineKind.BODY),
        ("John @ Smith . Jones", LineKind.BODY),
    ],
)
def test_credits_read_after_the_caption_model(line: str, kind: LineKind) -> None:
    story = "The council approved the new budget on Monday after a long debate over the cost of repairs."
    kinds = classify_lines([story, line, story])
    assert kinds[1] is kind and kinds[0] is kinds[2] is LineKind.BODY
    # the rules the caption model is fitted beside leave such lines alone
    assert classify_lines([story, line, story], model=None, late=False)[1] is LineKind.BODY


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Prime Minister Narendra Modi with President Vladimir Putin in Sochi. (Photo: PIB)", LineKind.CAPTION),
        ("File photo: Modi and Putin in St Petersburg on June 1, 2017.", LineKind.CAPTION),
        ("Image: Putin greets Modi at the Kremlin / Eurasia Wire", LineKind.CAPTION),
        ("The leaders walk in the garden. (AP Photo/Alexei Nikolsky)", LineKind.CAPTION),
        ("Russian President Vladimir Putin arrives in New Delhi. | Photo Credit: Reuters", LineKind.CAPTION),
        ("With reporting by Anna Petrova in Moscow; editing by John Hale", LineKind.CREDIT),
        ("Reporting by Asha Rao; Writing by Tom Lee", LineKind.CREDIT),
        ("(With inputs from PTI)", LineKind.CREDIT),
        ("— IANS", LineKind.CREDIT),
        ("(Reuters)", LineKind.CREDIT),
        ("This story was originally published by Delhi Ledger and has been republished here.", LineKind.CREDIT),
        ("(This report has been edited by Deccan Dispatch staff)", LineKind.CREDIT),
        ("Translated and edited by the Moskva Daily Digest English desk.", LineKind.CREDIT),
        ("Kaveri Post News Service", LineKind.CREDIT),
        ("Partager :", LineKind.BOILERPLATE),
        ("Follow Global Desk News on Twitter and Facebook", LineKind.BOILERPLATE),
        ("Lesen Sie auch: Putin trifft Modi", LineKind.BOILERPLATE),
        ("Leave a Reply", LineKind.BOILERPLATE),
        ("Subscribe to our newsletter for daily updates", LineKind.BOILERPLATE),
        ("We use cookies to improve your experience. Accept", LineKind.BOILERPLATE),
        ("Share this:", LineKind.BOILERPLATE),
        ("Also Read: Modi leaves for Russia", LineKind.BOILERPLATE),
        ("Copyright © 2018 Delhi Ledger. All rights reserved.", LineKind.BOILERPLATE),
        # ordinary sentences that merely mention such words stay in the body
        ("Photo-op diplomacy has its limits, officials said.", LineKind.BODY),
        ("Reporters were kept away from the talks in Sochi.", LineKind.BODY),
        ("Copyright infringement cases rose sharply last year.", LineKind.BODY),
        ("Subscribers to the service will see higher prices.", LineKind.BODY),
        ("Modi said the talks were held in a warm atmosphere.", LineKind.BODY),
        ("Sources said the deal could be signed next week.", LineKind.BODY),
        ("The Press Trust of India news service reported the visit.", LineKind.BODY),
        ("This story has many twists, officials said.", LineKind.BODY),
        ("Follow the money, the minister said on Twitter.", LineKind.BODY),
        # agency caption and credit shapes no sample article uses
        (
            "President Ana Lobo (right) and Prime Minister Tomas Berg shake hands near the palace during their "
            "meeting in Geneva in March 2016.",
            LineKind.CAPTION,
        ),
        ("Delegates (L-R) Ines Roth, Pavel Dunaev and Omar Said at the opening session.", LineKind.CAPTION),
        ("Supporters react as the results are announced in the capital.", LineKind.CAPTION),
        ("The minister at the port on Monday. (File photo)", LineKind.CAPTION),
        ("Rescuers search the rubble. View Full Caption Jane Roe / City Desk", LineKind.CAPTION),
        ("Image 1 of / 9 Caption Close Image 1 of 9 Police search the area.", LineKind.CAPTION),
        ("Ein Polizeiwagen im Einsatz. - © Foto: Jan Klee/dpa", LineKind.CAPTION),
        ("Four people were hurt in the crash on Saturday. (Source: WXYZ)", LineKind.CAPTION),
        ("Officers at the scene on Friday night (Lena Hart / Valley Courier)", LineKind.CAPTION),
        ("A suspect is sought after the robbery (Harbor police/KXYZ)", LineKind.CAPTION),
        ("By Kristin Dale", LineKind.CREDIT),
        ("Jane Roe in London contributed to this article.", LineKind.CREDIT),
        ("dpa/est", LineKind.CREDIT),
        # a headline in the present tense, list items and a by-phrase stay in the body
        ("Neighbours react to shooting death of toddler", LineKind.BODY),
        ("- Frischhaltefolie", LineKind.BODY),
        ("- two eggs", LineKind.BODY),
        ("By the end of the week the two sides had signed twelve agreements.", LineKind.BODY),
        ("(c) Subsection (a) does not apply:", LineKind.BODY),
        # a story sentence ending in brackets that pair names or give figures is no photo credit
        ("The pair then lost the doubles final to Rui Costa/Ivan Petrov (Portugal/Bulgaria).", LineKind.BODY),
        ("Second place went to Mia Lund (Eastside Athletics / 1,92 metres)", LineKind.BODY),
    ],
)
def test_classify_lines(line: str, kind: LineKind) -> None:
    assert classify(line) is kind


def test_long_lines_are_always_body() -> None:
    line = "Photo: " + "the leaders discussed trade and defence at length " * 8
    assert classify(line) is LineKind.BODY


def test_a_line_of_names_between_paragraphs_is_a_caption() -> None:
    story = "The two leaders met for three hours on Thursday and agreed to expand their trade in grain and fuel."
    after = "Officials said the talks covered energy, defence and the new rail link that both governments want."
    names = "President Ana Lobo and Prime Minister Tomas Berg"
    heading = "Talks Run Into The Night"
    assert classify_lines([story, names, after])[1] is LineKind.CAPTION
    # two leaders named with their countries and titles: ten words
    leaders = "Russian President Vladimir Putin and Indian Prime Minister Narendra Modi"
    assert classify_lines([story, leaders, after])[1] is LineKind.CAPTION
    # a heading of ordinary words (written in lower case elsewhere) is not a list of names
    text = [story, heading, after + " The talks run late into the night."]
    assert classify_lines(text)[1] is LineKind.BODY
    # nor is a line of names that opens or closes the text, or stands between short lines
    assert classify_lines([names, story])[0] is LineKind.BODY
    assert classify_lines(["Short.", names, "Also short."])[1] is LineKind.BODY


def test_split_leftovers_keeps_order_and_everything() -> None:
    lines = ["First.", "(Photo: PIB)", "Second.", "", "Leave a Reply", "— PTI"]
    split = split_leftovers(lines)
    assert split.body == ("First.", "Second.")
    assert split.captions == ("(Photo: PIB)",)
    assert split.credits == ("— PTI",)
    assert split.boilerplate == ("Leave a Reply",)


def test_split_scraped_title_dateline_byline() -> None:
    parts = split_scraped(["# Modi to fly to Sochi", "May 18, 2018", "*By Asha Rao*", "", "Body one.", "Body two."])
    assert parts.title == "Modi to fly to Sochi"
    assert parts.published is not None and parts.published.isoformat() == "2018-05-18"
    assert parts.author == "Asha Rao"
    assert parts.body == ["Body one.", "Body two."]


def test_split_scraped_without_dateline_keeps_body() -> None:
    parts = split_scraped(["A headline", "The first sentence of the body."])
    assert parts.title == "A headline"
    assert parts.published is None
    assert parts.body == ["The first sentence of the body."]


def test_split_scraped_single_long_line_is_body_not_title() -> None:
    parts = split_scraped(["Only one line of text here."])
    assert parts.title is None
    assert parts.body == ["Only one line of text here."]
