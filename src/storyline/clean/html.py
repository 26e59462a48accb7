"""Web pages and HTML fragments -> text lines plus metadata.

The main text comes from trafilatura. Captions are taken out of the tree first
(trafilatura drops figure captions, and we want to keep them); publication dates are
read from the page's own date markup here, so that a date can keep its time and zone
and say where it came from.
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
_CAPTION_XPATH = (
    "//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
    " or contains(@class, 'wp-caption-text') or contains(@class, 'image-caption')"
    " or contains(@class, 'photo-caption') or @itemprop='caption']"
)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "figcaption")


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    lines: list[str]
    captions: list[str]
    title: str | None
    author: str | None
    site: str | None
    url: str | None
    published: PublishedDate | None
    trafilatura_date: str | None
    """trafilatura's own date guess (day precision, provenance unknown): a last resort."""


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _json_ld_dates(tree: Any) -> Iterator[str]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content())
        except (json.JSONDecodeError, ValueError):
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


def _pop_captions(tree: Any) -> list[str]:
    captions: list[str] = []
    for el in tree.xpath(_CAPTION_XPATH):
        text = _text(el)
        if text and text not in captions:
            captions.append(text)
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    return captions


def parse_html(content: str) -> Any:
    import lxml.html

    try:
        return lxml.html.document_fromstring(content)
    except Exception:
        return None


def extract_page(content: str, url: str | None = None) -> ExtractedPage | None:
    """Extract the article of a whole page, or None when no article text is found."""
    import trafilatura

    tree = parse_html(content)
    if tree is None:
        return None
    published = page_date(tree)
    canonical = next(iter(tree.xpath("//link[@rel='canonical']/@href")), None)
    captions = _pop_captions(tree)
    result: Any = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    if result is None or not (result.text or "").strip():
        return None
    lines = [line for line in result.text.split("\n") if line.strip()]
    if lines and result.title and lines[0].strip() == result.title.strip():
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    return ExtractedPage(
        lines=lines,
        captions=captions,
        title=result.title,
        author=result.author,
        site=result.sitename,
        url=url or canonical or result.url,
        published=published,
        trafilatura_date=result.date,
    )


def fragment_lines(content: str) -> tuple[list[str], list[str]]:
    """An HTML fragment (a feed entry's body) -> (paragraph lines, captions)."""
    import lxml.html
    from lxml.etree import ParserError

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
