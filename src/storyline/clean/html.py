"""Web pages and HTML fragments -> text lines plus metadata.

The main text comes from trafilatura, and the page goes through trafilatura's own loader
(:func:`load_page`), so whatever it can read (XHTML with an ``<?xml ...?>`` prolog, stray
control characters, faulty doctypes) storyline reads too. Nothing is removed from the page
before the extractor sees it: captions are read from the page and split off the extractor's
output afterwards, so keeping them never changes what trafilatura selects. Tables are
extracted with the text (one line per row, cells separated by ``|``).

Publication dates are read from the page's own date markup here, so that a date can keep
its time and zone and say where it came from; htmldate's day (its best setting: original
date, extensive search) is found beside it, and the cleaner weighs the two against the URL
(:func:`storyline.clean.dates.choose_page_date`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storyline.clean.dates import parse_metadata_date
from storyline.model import PublishedDate

_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime",
)  # fmt: skip
#: What holds a caption: a <figcaption>, an element of class "caption" (a word of its class list),
#: or whose class holds "wp-caption-text", "image-caption" or "photo-caption", or itemprop="caption".
CAPTION_XPATH = (
    "//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
    " or contains(@class, 'wp-caption-text') or contains(@class, 'image-caption')"
    " or contains(@class, 'photo-caption') or @itemprop='caption']"
)
#: A wider query the engine answers faster (every class test above needs "caption" in the class);
#: :func:`_caption_elements` keeps those of its answers that CAPTION_XPATH would give.
_CAPTION_CANDIDATES = "//figcaption | //*[@itemprop='caption' or contains(@class, 'caption')]"
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "figcaption")
#: htmldate's best setting (its benchmark's "extensive" row): the first publication date, not the
#: last update, searched for in the whole page when the markup names none.
HTMLDATE_OPTIONS: dict[str, Any] = {"original_date": True, "extensive_search": True}
#: trafilatura runs htmldate on its own parse of the page for its metadata; storyline runs htmldate
#: itself (:func:`htmldate_day`), so trafilatura's run is made the cheap one.
_TRAFILATURA_DATE_OPTIONS: dict[str, Any] = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    lines: list[str]
    captions: list[str]
    title: str | None
    author: str | None
    site: str | None
    url: str | None
    published: PublishedDate | None
    """The date the page's own markup states (meta tags, JSON-LD, ``<time>``), with time and zone."""
    htmldate: str | None
    """htmldate's day for the page (``YYYY-MM-DD``; original date, extensive search, with the URL):
    a candidate the cleaner weighs against the markup and the URL."""


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _json_ld_dates(tree: Any) -> Iterator[str]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content())
        except (json.JSONDecodeError, ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    yield item["datePublished"]
                stack.extend(v for k, v in item.items() if k == "@graph")


def page_date(tree: Any) -> PublishedDate | None:
    """The publication date the page's own markup states (meta tags, JSON-LD, <time>)."""
    candidates: list[str] = []
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in _DATE_META:
            candidates.append(meta.get("content"))
    candidates.extend(_json_ld_dates(tree))
    candidates.extend(t.get("datetime") for t in tree.xpath("//time[@datetime]")[:3])
    for value in candidates:
        if value:
            found = parse_metadata_date(value)
            if found is not None:
                return found
    return None


def _caption_elements(tree: Any) -> list[Any]:
    """The elements :data:`CAPTION_XPATH` finds, in document order (found by a cheaper query)."""
    out = []
    for el in tree.xpath(_CAPTION_CANDIDATES):
        names = el.get("class") or ""
        if (
            el.tag == "figcaption"
            or el.get("itemprop") == "caption"
            or "caption" in _XPATH_SPACE.split(names)
            or "wp-caption-text" in names
            or "image-caption" in names
            or "photo-caption" in names
        ):
            out.append(el)
    return out


def _captions(tree: Any) -> list[str]:
    """The captions of a page, read without changing the page."""
    return _caption_texts(_caption_elements(tree))


def _caption_texts(elements: list[Any]) -> list[str]:
    captions: list[str] = []
    for el in elements:
        text = _text(el)
        if text and text not in captions:
            captions.append(text)
    return captions


def _pop_captions(tree: Any) -> list[str]:
    """The captions of a fragment, taken out of it (no extractor runs on fragments)."""
    elements = _caption_elements(tree)
    captions = _caption_texts(elements)
    for el in elements:
        if el.getparent() is not None:
            el.drop_tree()
    return captions


def load_page(content: str | bytes) -> Any:
    """A whole page parsed by trafilatura's own loader, or None when it is no HTML it can read.

    The loader copes with what a plain ``lxml.html`` parse refuses or misreads: an XML
    declaration before ``<html>`` (XHTML), control characters, faulty doctypes.
    """
    from trafilatura.utils import load_html

    try:
        tree = load_html(content)
    except (TypeError, ValueError):
        return None
    return tree


def htmldate_day(content: str | bytes, url: str | None) -> str | None:
    """htmldate's publication day for a page (``YYYY-MM-DD``), or None.

    htmldate is given the page itself, as its own benchmark gives it, not trafilatura's tree:
    its own parse keeps what trafilatura's loader drops (comments, for one), and on htmldate's
    evaluation pages it finds two more right days in 1,000 that way.
    """
    from htmldate import find_date

    try:
        found = find_date(content, url=url, **HTMLDATE_OPTIONS)
    except (TypeError, ValueError, OverflowError, RecursionError):
        return None
    return found if isinstance(found, str) else None


_TABLE_RULE = re.compile(r"\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?")


def _table_rows(lines: list[str]) -> list[str]:
    """trafilatura's table rows (``| North | 48.2% |``) as plain rows (``North | 48.2%``), without
    the Markdown rule under a header row (``|---|---|``)."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("|") and _TABLE_RULE.fullmatch(stripped):
            continue
        if len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|"):
            stripped = stripped[1:-1].strip()
            if not stripped.replace("|", "").strip():
                continue  # a row of empty cells
            out.append(stripped)
            continue
        out.append(line)
    return out


#: A caption at least this long found inside a line of the extractor's output is cut out of it (on
#: short pages trafilatura falls back to the page's whole text, headline and caption run into the body).
MIN_INLINE_CAPTION_CHARS = 20


def _split_captions(lines: list[str], captions: list[str]) -> list[str]:
    """The extractor's lines without the page's captions (kept apart as captions): a line that is
    a caption is dropped, a long caption inside a line is cut out of it."""
    if not captions:
        return lines
    flat_captions = sorted({" ".join(c.split()) for c in captions}, key=len, reverse=True)
    folded = {c.casefold() for c in flat_captions}
    out: list[str] = []
    for line in lines:
        flat = " ".join(line.split())
        if flat.casefold() in folded:
            continue
        cut = flat
        for caption in flat_captions:
            if len(caption) >= MIN_INLINE_CAPTION_CHARS and caption in cut:
                cut = " ".join(cut.replace(caption, " ").split())
        if cut:
            out.append(line if cut == flat else cut)
    return out


def _drop_headline(lines: list[str], title: str | None) -> list[str]:
    """The lines without the headline trafilatura repeats first (or runs into the body when it
    fell back to the page's whole text and gave one line)."""
    title = " ".join((title or "").split())
    if not lines or not title:
        return lines
    first = " ".join(lines[0].split())
    if first == title:
        return lines[1:]
    if len(lines) == 1 and first.startswith(title + " "):
        return [first[len(title) + 1 :]]
    return lines


def extract_page(content: str | bytes, url: str | None = None) -> ExtractedPage | None:
    """Extract the article of a whole page, or None when no article text is found."""
    import trafilatura

    tree = load_page(content)
    if tree is None:
        return None
    published = page_date(tree)
    canonical = next(iter(tree.xpath("//link[@rel='canonical']/@href")), None)
    captions = _captions(tree)
    _cap_metadata(tree)
    try:
        # a tree is copied by bare_extraction before it prunes anything: ours stays whole
        result: Any = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            date_extraction_params=dict(_TRAFILATURA_DATE_OPTIONS),
            # the article with its tables, without reader comments, as plain text
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            deduplicate=False,
        )
    except (TypeError, ValueError, RecursionError):
        return None
    if result is None or not (result.text or "").strip():
        return None
    lines = [line for line in result.text.split("\n") if line.strip()]
    lines = _drop_headline(_split_captions(_table_rows(lines), captions), result.title)
    url = url or canonical or result.url
    return ExtractedPage(
        lines=lines,
        captions=captions,
        title=result.title,
        author=result.author,
        site=result.sitename,
        url=url,
        published=published,
        htmldate=htmldate_day(content, url),
    )


_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


MAX_META_CHARS = 2000
"""Longest ``<meta content>`` handed to the extractor: its metadata patterns (authors, above all)
take time that grows with the square of a value's length, and 50 kB of brackets in an author tag
took a minute. No title, author or date needs more. Set by hand."""


def _cap_metadata(tree: Any) -> None:
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content and len(content) > MAX_META_CHARS:
            meta.set("content", content[:MAX_META_CHARS])


def fragment_lines(content: str) -> tuple[list[str], list[str]]:
    """An HTML fragment (a feed entry's body) -> (paragraph lines, captions)."""
    import lxml.html
    from lxml.etree import ParserError

    # characters XML cannot hold (NUL, most C0 controls): lxml parses past them but then refuses
    # to set any text that contains them, so they go before parsing
    content = _NOT_XML_CHARS.sub("", content)
    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except (ParserError, ValueError):
        return [], []
    captions = _pop_captions(root)
    lines = [_text(el) for el in root.iter(*_BLOCKS) if not any(c.tag in _BLOCKS for c in el)]
    lines = [line for line in lines if line]
    if not lines:
        lines = [line for line in re.split(r"\n\s*\n", root.text_content()) if line.strip()]
    return lines, captions
