"""Plain text files in the scraped shape, and single HTML pages: one file, one article."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.ingest.sources import Source, is_url
from storyline.model import Article, ContentKind, SourceFields


def _one(source: Source, config: IngestConfig, kind: ContentKind) -> Iterator[Article | InputError]:
    data = source.read_limited(config.max_document_bytes)
    if not data.strip():
        yield InputError(source.name, "empty", f"empty input ({len(data)} bytes)")
        return
    yield Article(
        content=data,
        kind=kind,
        origin=source.name,
        source_id=source.name,
        fields=SourceFields(url=source.name if is_url(source.name) else None, source=config.source),
        fetched_at=source.fetched_at,
        encoding=source.charset,
    )


def read_text(source: Source, config: IngestConfig) -> Iterator[Article | InputError]:
    """A .txt/.md file (or stdin): title line, optional dateline and byline, then the body."""
    markdown = source.name.lower().removesuffix(".gz").endswith((".md", ".markdown"))
    yield from _one(source, config, ContentKind.MARKDOWN if markdown else ContentKind.SCRAPED_TEXT)


def read_html(source: Source, config: IngestConfig) -> Iterator[Article | InputError]:
    """A saved or fetched web page; the cleaner extracts the article from it."""
    yield from _one(source, config, ContentKind.HTML_PAGE)
