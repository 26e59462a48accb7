"""Subscription lists in OPML, the format feed readers exchange them in (read by ``listparser``)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from storyline.errors import InputError
from storyline.model.follow import WatchedSource


def read_opml(data: bytes, name: str) -> tuple[list[tuple[str, str | None]], list[InputError]]:
    """The feeds an OPML file lists, as (URL, title), and what in it could not be read. listparser
    never resolves XML entities, so a hostile list cannot make it read files or expand bombs."""
    import listparser

    parsed = listparser.parse(data)
    errors: list[InputError] = []
    feeds: list[tuple[str, str | None]] = []
    for feed in parsed.get("feeds") or []:
        url = str(feed.get("url") or "").strip()
        if url:
            feeds.append((url, (feed.get("title") or None)))
    if not feeds:
        problem = str(parsed.get("bozo_exception") or "it lists no feeds")
        errors.append(InputError(name, "malformed" if parsed.get("bozo") else "no-text", f"not a feed list: {problem}"))
    return feeds, errors


def write_opml(sources: list[WatchedSource], *, title: str = "storyline sources") -> bytes:
    """The followed feeds and pages as an OPML 2.0 subscription list (folders are not listed:
    OPML names URLs)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for source in sources:
        if source.kind == "folder":
            continue
        ET.SubElement(
            body,
            "outline",
            type="rss" if source.kind != "page" else "link",
            text=source.label,
            title=source.label,
            xmlUrl=source.location,
        )
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
