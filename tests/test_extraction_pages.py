"""Web pages of the shapes that storyline's extraction once got wrong on real pages (trafilatura's
and htmldate's evaluation sets), each written here in a few lines of our own: an XHTML page with an
``<?xml?>`` prolog, a page whose body went missing when its caption was taken out before
extraction, a table holding the article's figures, a URL date correcting a wrong metadata date,
and a time-zone offset no place uses."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from storyline.clean import Cleaner
from storyline.clean.dates import choose_page_date, parse_dateline, parse_metadata_date
from storyline.clean.html import extract_page
from storyline.errors import InputError
from storyline.model import Article, ContentKind, DateSource, Document, Granularity, SourceFields


@pytest.fixture(autouse=True)
def _quiet_extractors() -> Iterator[None]:
    # trafilatura and htmldate log odd pages at ERROR level; what matters here is what comes out
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def _clean(cleaner: Cleaner, content: str | bytes, url: str | None = None) -> Document:
    article = Article(content, ContentKind.HTML_PAGE, origin="page.html", source_id="page.html")
    if url:
        article = Article(content, ContentKind.HTML_PAGE, "page.html", "page.html", fields=SourceFields(url=url))
    result = cleaner.clean_many([article])[0]
    assert isinstance(result, Document), result
    return result


XHTML = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>Council approves new tram line | Northfield Courier</title></head>
<body><div id="menu"><a href="/">Home</a> <a href="/local">Local</a></div>
<div class="story"><h1>Council approves new tram line</h1>
<p>The city council approved a six-kilometre tram line between the station and the university on Tuesday,
after two years of public hearings.</p>
<p>Construction is due to start next spring and the first trams should run in 2027, the transport committee
said.</p>
</div><div id="footer">Northfield Courier</div></body></html>
"""


@pytest.mark.parametrize("as_text", [False, True], ids=["bytes", "decoded"])
def test_xhtml_page_with_xml_prolog_is_read(cleaner: Cleaner, as_text: bool) -> None:
    # lxml refuses a decoded string that still declares its encoding; trafilatura's loader does not
    doc = _clean(cleaner, XHTML.decode() if as_text else XHTML)
    assert doc.title == "Council approves new tram line"
    assert doc.text.startswith("The city council approved a six-kilometre tram line")
    assert doc.text.endswith("the transport committee said.")
    assert "Home" not in doc.text and "Northfield Courier" not in doc.text


def test_page_with_control_characters_is_read(cleaner: Cleaner) -> None:
    page = XHTML.replace(b"on Tuesday,", b"on Tuesday,\x0b\x01").replace(
        b'<?xml version="1.0" encoding="utf-8"?>\n', b""
    )
    doc = _clean(cleaner, page)
    assert "approved a six-kilometre tram line" in doc.text and "\x01" not in doc.text


# A paywalled article page: headline, a lead paragraph, a photo gallery whose only slide is a caption,
# then the body as bare text in a div, then the subscription box and teaser lists. The run of blank
# lines stands for the template indentation such pages carry: trafilatura weighs what it found against
# the page's whole text and, when it found little, looks again with recall settings. With the caption
# taken out of the page first, that second look kept only headline and lead; the body was lost.
PADDING = "\n" * 1000
CAPTION = "A place at university, but no flat? That is how some first-year students feel now."
BODY = (
    "Time is running out for Mara from Eastfield. The 18-year-old has enrolled at Riverton University to study"
    " law, and for more than a month she has been looking for a room in a shared flat. She reckons she has sent"
    ' 200 applications through the usual websites by now. "It is really ...'
)
LEAD = (
    "Lectures at the university and the colleges are starting. But not everyone who comes to Riverton to study"
    " has found a room yet. For some, only the emergency shelter of the student union is left."
)


def _teaser(kicker: str, headline: str, summary: str = "") -> str:
    more = f"<li><a><div><span>{summary}</span></div></a></li>" if summary else ""
    return (
        f"<div><div><div><ul><li><a><p><span></span><span>{kicker}</span></p><p><strong>{headline}</strong></p>"
        f"</a></li>{more}</ul></div></div></div>"
    )


CAPTION_PAGE = (
    '<html><head><meta charset="utf-8"><title>Students look for rooms</title></head><body><div><div><main>'
    "<section><article><div><div><header><h1>Many students are still desperately looking for a room in Riverton"
    "</h1><section><div><p>By</p><p><a>3</a></p></div></section></header>"
    f"<p>{PADDING}<strong>{LEAD}</strong></p>"
    '<div><div><ul class="slides media-box__gallery--slider">'
    f"<li><figcaption>{CAPTION}</figcaption></li></ul></div></div>"
    f'<div class="article__text box-modul__content "><div>{BODY}</div></div>'
    "</div></div></article></section>"
    "<section><div><div><div><div><div><div><div><p><small>Already a subscriber?<a>Sign in</a></small></p></div>"
    "<div><div><p></p></div></div><div><div><div><p><small><strong>cancel at any time after a month</strong>"
    "</small></p></div></div></div></div><div><p><small></small></p><p>Subscribe</p></div></div></div></div></div>"
    "</div></section>"
    "<section><div><div><div><section><div><section>"
    + _teaser("Young people", "Young, cool, brass bands")
    + "</section></div></section></div></div><div><div><section><div><section>"
    + _teaser("Riverton district court", "Police officer from the Riverton area sentenced after a long trial")
    + _teaser(
        "Mountain rescue",
        "Mountain rescue saves a geocacher from a tree 15 metres up near Riverton",
        "The mountain rescue rarely has a call like this: a 17-year-old geocacher climbs a tree near Riverton."
        " On the way down his rope gets stuck and the rescuers are called for help.",
    )
    + _teaser(
        "Wines, food and live music",
        'New festival "Grapes and Guitars" brings two famous bands to Lakeside in June',
        'Next year Lakeside hosts the first "Grapes and Guitars" festival, which mixes live music with wine and'
        " good food. Among the acts are three well-known bands and two famous ...",
    )
    + "</section></div></section></div></div></div></section></main></div></div></body></html>"
)


def test_caption_kept_apart_without_losing_the_body(cleaner: Cleaner) -> None:
    doc = _clean(cleaner, CAPTION_PAGE)
    assert doc.text.split("\n\n") == [LEAD, BODY]
    assert doc.captions == (CAPTION,)


def test_captions_are_split_from_the_extractors_output_not_the_page() -> None:
    import trafilatura

    page = extract_page(CAPTION_PAGE)
    assert page is not None and page.captions == [CAPTION]
    own = trafilatura.bare_extraction(
        CAPTION_PAGE, include_comments=False, include_tables=True, include_formatting=False, deduplicate=False
    )
    assert own is not None
    # trafilatura itself keeps the caption line here: storyline returns exactly its lines, less the caption
    assert CAPTION in own.text.split("\n")
    assert page.lines == [line for line in own.text.split("\n") if line.strip() and line != CAPTION]


def test_short_page_headline_and_caption_are_cut_from_a_merged_line(cleaner: Cleaner) -> None:
    # one short paragraph: trafilatura falls back to the page's whole text, headline and caption in one line
    body = (
        "The new footbridge over the canal opened on Saturday after two years of work, the council said."
        " It links the station with the old town."
    )
    page = (
        "<!doctype html><html><head><title>Footbridge opens | Canal News</title></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Footbridge opens</h1><figure><img src='b.jpg'>"
        "<figcaption>The footbridge at dawn on Saturday (Photo: City)</figcaption></figure>"
        f"<p>{body}</p></article></body></html>"
    )
    page_lines = extract_page(page)
    assert page_lines is not None and page_lines.lines == [body]
    doc = _clean(cleaner, page)
    assert doc.text == body and doc.title == "Footbridge opens"
    assert doc.captions == ("The footbridge at dawn on Saturday (Photo: City)",)


TABLE_PAGE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Turnout rises in all four districts | Valley Times</title></head>
<body><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article><h1>Turnout rises in all four districts</h1>
<p>Turnout in Sunday's municipal election rose in every district of the valley, the electoral office said on
Monday, with the largest increase in the north.</p>
<table><thead><tr><th>District</th><th>Turnout 2019</th><th>Turnout 2024</th></tr></thead>
<tbody><tr><td>North</td><td>48.2%</td><td>57.9%</td></tr>
<tr><td>East</td><td>51.0%</td><td>55.4%</td></tr>
<tr><td>South</td><td>44.7%</td><td>49.1%</td></tr>
<tr><td>West</td><td>53.3%</td><td>54.0%</td></tr></tbody></table>
<p>Officials credited the longer opening hours of polling stations for the rise.</p>
</article><footer>Valley Times</footer></body></html>"""


def test_table_holding_article_content_is_extracted(cleaner: Cleaner) -> None:
    doc = _clean(cleaner, TABLE_PAGE)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[1:6] == [
        "District | Turnout 2019 | Turnout 2024",
        "North | 48.2% | 57.9%",
        "East | 51.0% | 55.4%",
        "South | 44.7% | 49.1%",
        "West | 53.3% | 54.0%",
    ]
    assert paragraphs[0].startswith("Turnout in Sunday's municipal election")
    assert paragraphs[-1] == "Officials credited the longer opening hours of polling stations for the rise."
    assert "---" not in doc.text


def _dated_page(meta: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Old wiring to blame</title>{meta}</head><body>'
        "<article><h1>Old wiring to blame for the fire at the market hall</h1>"
        "<p>Investigators said on Tuesday that faulty wiring in a storage room caused last week's fire at the"
        " covered market hall, which destroyed eleven stalls.</p>"
        "<p>The market will reopen in temporary tents from Saturday while the hall is repaired, the city's"
        " markets office said.</p></article></body></html>"
    )


URL = "https://www.lakeside-post.example/{}/market-hall-fire-wiring/"


def test_url_date_corrects_a_wrong_metadata_date(cleaner: Cleaner) -> None:
    # a template's site-wide date, ten years before the day in the article's address
    doc = _clean(cleaner, _dated_page('<meta name="date" content="2009-04-11 18:06:36">'), URL.format("2019/10/22"))
    assert doc.published is not None
    assert (doc.published.isoformat(), doc.published.source, doc.published.raw) == (
        "2019-10-22",
        DateSource.URL,
        "/2019/10/22",
    )
    assert doc.notes == (
        "publication date 2019-10-22 from the URL, not '2009-04-11 18:06:36' from the page's metadata",
    )


def test_metadata_date_agreeing_with_the_url_keeps_its_time_and_zone(cleaner: Cleaner) -> None:
    meta = '<meta property="article:published_time" content="2019-10-22T16:05:00+05:30">'
    for url in (URL.format("2019/10/22"), URL.format("2019/10/21"), URL.format("local")):
        doc = _clean(cleaner, _dated_page(meta), url)
        assert doc.published is not None and doc.published.source is DateSource.METADATA
        assert doc.published.isoformat() == "2019-10-22T16:05:00+05:30" and doc.published.zone_given
        assert doc.notes == ()


def test_utc_time_takes_the_publishers_day_from_the_url(cleaner: Cleaner) -> None:
    # written in UTC, early on the 9th: still the 8th where the paper is, as its URL says
    meta = '<meta property="article:published_time" content="2023-11-09T01:49:09+00:00">'
    doc = _clean(cleaner, _dated_page(meta), URL.format("2023/11/08"))
    assert doc.published is not None
    assert (doc.published.isoformat(), doc.published.source) == ("2023-11-08", DateSource.URL)
    assert "2023-11-09T01:49:09+00:00" in doc.notes[0]


def test_choose_page_date_weighs_htmldate_against_the_markup() -> None:
    markup = parse_metadata_date("2019-07-30T10:00:00+02:00")
    assert markup is not None
    # htmldate's original date, weeks earlier: the markup named an update
    date, note = choose_page_date(markup, "2019-06-27", "https://blog.example/elba/260619/police")
    assert date is not None and date.isoformat() == "2019-06-27" and date.granularity is Granularity.DAY
    assert note is not None and "htmldate" in note
    # a day apart in the page's own zone: the markup keeps its time
    assert choose_page_date(markup, "2019-07-29", None) == (markup, None)
    # nothing but htmldate: its day, attributed to the URL when the URL says the same
    date, note = choose_page_date(None, "2019-06-26", "https://x.example/2019/06/26/a")
    assert date is not None and date.source is DateSource.URL and note is None
    assert choose_page_date(None, None, "https://x.example/2019/06/26/a") == (None, None)


@pytest.mark.parametrize("offset", ["+99:99", "-99:99", "+24:00", "+15:00", "+05:75", "UTC+99"])
def test_impossible_zone_offset_is_no_zone_and_never_raises(cleaner: Cleaner, offset: str) -> None:
    date, _ = parse_dateline(f"Published: May 21, 2018 10:30 {offset}")
    assert date is not None and date.isoformat() == "2018-05-21T10:30:00+00:00" and not date.zone_given
    assert parse_metadata_date(f"2018-05-21T10:30:00{offset}") is None
    text = f"Sochi talks end with a deal\nPublished: May 21, 2018 10:30 {offset}\n\n{'The talks ended late. ' * 5}"
    article = Article(
        text, ContentKind.SCRAPED_TEXT, "a.txt", "a.txt", fields=SourceFields(published=f"2018-05-21T10:30{offset}")
    )
    result = cleaner.clean_many([article])[0]
    assert not isinstance(result, InputError), result
    assert result.published is not None and result.published.source is DateSource.DATELINE
    assert not result.published.zone_given


def test_caption_elements_are_those_the_full_caption_query_finds() -> None:
    import lxml.html

    from storyline.clean.html import CAPTION_XPATH, _caption_elements, fragment_lines, load_page

    classes = [
        "caption", " caption ", "x caption y", "x\tcaption\ny", "captions", "caption-text", "Caption",
        "wp-caption-text", "my-image-caption", "photo-caption big", "nocaption", "image_caption", "",
    ]  # fmt: skip
    parts = [f'<div class="{c}">text {i}</div>' for i, c in enumerate(classes)]
    parts += [
        "<figure><figcaption>fig</figcaption></figure>",
        '<span itemprop="caption">prop</span>',
        '<span itemprop="captions">props</span>',
        "<div>plain <b class='caption'>inner</b></div>",
        "<p class='caption' itemprop='caption'>both</p>",
    ]
    page = ("<html><body><article>" + "".join(parts) + "</article></body></html>").encode()
    tree = load_page(page)
    found = _caption_elements(tree)
    assert found == tree.xpath(CAPTION_XPATH)
    assert len(found) == 11  # 7 of the classes, the figcaption, the itemprop, the <b> and the <p>
    fragment = lxml.html.fragment_fromstring("".join(parts), create_parent="div")
    assert _caption_elements(fragment) == fragment.xpath(CAPTION_XPATH)
    lines, captions = fragment_lines("".join(parts))
    assert "text 0" in captions and "text 4" not in captions and lines
