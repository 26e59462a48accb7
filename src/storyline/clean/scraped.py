"""Plain text in the common scraped shape: a title line, an optional dateline and
byline, then the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.clean.dates import parse_dateline
from storyline.model import PublishedDate

#: A first line longer than this is not a headline: the text has no title line.
MAX_TITLE_CHARS = 250
#: How many lines after the title may hold the dateline and byline.
HEADER_LINES = 3
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True, slots=True)
class ScrapedParts:
    title: str | None
    published: PublishedDate | None
    author: str | None
    body: list[str]


def split_scraped(lines: list[str], *, title_line: bool = True) -> ScrapedParts:
    """Take the title (when ``title_line``), dateline and byline off the top of normalised lines."""
    rest = list(lines)
    while rest and not rest[0]:
        rest.pop(0)
    if not rest:
        return ScrapedParts(None, None, None, [])
    title: str | None = None
    first = _MARKDOWN_HEADING.sub("", rest[0]).strip()
    date, author = parse_dateline(first) if title_line else (None, None)
    if title_line and date is None and author is None and len(first) <= MAX_TITLE_CHARS and len(rest) > 1:
        title = first
        rest.pop(0)
    published: PublishedDate | None = date
    seen = 0
    while rest and seen < HEADER_LINES:
        if not rest[0]:
            rest.pop(0)
            continue
        candidate = rest[0].strip("*_").strip()  # Markdown emphasis around the line
        line_date, line_author = parse_dateline(candidate)
        if line_date is None and line_author is None:
            break
        published = published or line_date
        author = author or line_author
        rest.pop(0)
        seen += 1
    return ScrapedParts(title, published, author, rest)
