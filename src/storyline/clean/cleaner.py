"""Article -> Document: decode, extract, repair, split leftovers, date, identify language."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.clean.dates import MAX_YEAR, MIN_YEAR, choose_page_date, date_from_url, parse_metadata_date
from storyline.clean.html import extract_page, fragment_lines
from storyline.clean.language import LanguageIdentifier
from storyline.clean.leftovers import split_leftovers
from storyline.clean.notices import is_notice, notice_page
from storyline.clean.scraped import split_scraped
from storyline.clean.text import normalize_line, normalize_lines, repair_mojibake, strip_markdown, visible_chars
from storyline.config import IngestConfig
from storyline.encoding import decode
from storyline.errors import InputError, internal_error
from storyline.model import (
    Article,
    ContentKind,
    DateSource,
    Document,
    PublishedDate,
    content_id,
)

NAME = "storyline.clean.v1"


@dataclass(slots=True)
class _Draft:
    """A document being put together, before language identification."""

    article: Article
    text: str
    title: str | None
    url: str | None
    source: str | None
    author: str | None
    published: PublishedDate | None
    captions: tuple[str, ...]
    credits: tuple[str, ...]
    boilerplate: tuple[str, ...]
    notes: tuple[str, ...]


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    fixed, _ = repair_mojibake(value)
    return normalize_line(fixed) or None


class Cleaner:
    """Turns Articles into Documents. Holds the language detector; build one per process."""

    name = NAME

    def __init__(self, config: IngestConfig) -> None:
        self.config = config
        self.languages = LanguageIdentifier(config.languages)
        given = parse_metadata_date(config.published) if config.published else None
        self._given = (
            PublishedDate(given.value, given.granularity, DateSource.GIVEN, config.published or "", given.zone_given)
            if given is not None
            else None
        )

    def clean_many(self, articles: list[Article]) -> list[Document | InputError]:
        """Clean a batch; one result per article, in order. Never raises InputError."""
        drafts: list[_Draft | InputError] = []
        for article in articles:
            try:
                drafts.append(self._draft(article))
            except InputError as exc:
                drafts.append(exc)
            except Exception as exc:  # one input's failure must not end the batch
                drafts.append(internal_error(article.origin, exc))
        ready = [d for d in drafts if isinstance(d, _Draft)]
        detected = iter(self.languages.detect_many([d.text for d in ready]))
        out: list[Document | InputError] = []
        for draft in drafts:
            if isinstance(draft, InputError):
                out.append(draft)
                continue
            language = next(detected)
            declared = (draft.article.fields.language or "").strip().lower()[:2] or None
            notes = draft.notes
            if language and declared and declared != language:
                notes = (*notes, f"language given as {declared!r}, detected {language!r}")
            out.append(
                Document(
                    id=content_id(draft.text),
                    text=draft.text,
                    source_id=draft.article.source_id,
                    origin=draft.article.origin,
                    title=draft.title,
                    url=draft.url,
                    source=draft.source,
                    author=draft.author,
                    published=draft.published,
                    language=language or declared,
                    captions=draft.captions,
                    credits=draft.credits,
                    boilerplate=draft.boilerplate,
                    fetched_at=draft.article.fetched_at,
                    notes=notes,
                )
            )
        return out

    def clean(self, article: Article) -> Document:
        """Clean one article (raises InputError when it holds no usable text)."""
        result = self.clean_many([article])[0]
        if isinstance(result, InputError):
            raise result
        return result

    def _draft(self, article: Article) -> _Draft:
        notes: list[str] = []
        content = article.content
        if isinstance(content, bytes):
            content, note = decode(content, article.origin, declared=article.encoding, forced=self.config.encoding)
            if note:
                notes.append(note)
        if not content.strip():
            raise InputError(article.origin, "empty", "empty input (only white space)")
        fields = article.fields
        title, author, site, url = fields.title, fields.author, fields.source, fields.url
        published: PublishedDate | None = None
        date_note: str | None = None
        captions: list[str] = []
        if article.kind is ContentKind.HTML_PAGE:
            page = extract_page(content, url)
            if page is None:
                raise InputError(article.origin, "no-text", "no article text found in the HTML")
            lines, captions = page.lines, page.captions
            title, author, site, url = title or page.title, author or page.author, site or page.site, url or page.url
            published, date_note = choose_page_date(page.published, page.htmldate, url)
        elif article.kind is ContentKind.HTML_FRAGMENT:
            lines, captions = fragment_lines(content)
        else:
            lines = content.split("\n")
        text = "\n".join(lines)
        text, repaired = repair_mojibake(text)
        if repaired:
            notes.append("repaired mojibake (UTF-8 read as Latin-1)")
        normalized = normalize_lines(text)
        if article.kind is ContentKind.MARKDOWN:
            normalized = [strip_markdown(line) for line in normalized]
        parts = split_scraped(normalized, title_line=article.kind in (ContentKind.SCRAPED_TEXT, ContentKind.MARKDOWN))
        title = title or parts.title
        author = author or parts.author
        dateline = parts.published
        normalized = parts.body
        split = split_leftovers(normalized)
        body = "\n\n".join(split.body)
        # (the title too: a scraped page's first line, which on an anti-robot page is half the notice)
        if notice_page([t for t in (title, *split.body) if t]) or (
            not body.strip() and any(is_notice(b) for b in split.boilerplate)
        ):
            raise InputError(
                article.origin, "no-text",
                "a site's notice (cookies, consent, privacy or a robot check), not an article",
            )  # fmt: skip
        if not body.strip():
            raise InputError(
                article.origin, "no-text", "no article text left after removing captions, credits and leftovers"
            )
        # counted as they show: a body of direction marks or lone combining marks is no text
        shown = visible_chars(body, self.config.min_text_chars)
        if shown < self.config.min_text_chars:
            unseen = len(body) - shown
            quoted = "" if unseen else f" ({body[:40]!r})"
            raise InputError(
                article.origin,
                "no-text",
                f"no article text found: only {shown} characters{quoted}, fewer than {self.config.min_text_chars}"
                + (f"; {unseen} more do not show (direction marks, tags, lone combining marks)" if unseen else ""),
            )
        metadata_date = parse_metadata_date(fields.published) if fields.published else None
        if fields.published and metadata_date is None:
            # said, not dropped in silence: "9999-12-31", "0000-00-00", "next Tuesday"
            notes.append(
                f"date {fields.published[:60]!r} not used: not read as one day (a real day from {MIN_YEAR} to "
                f"{MAX_YEAR}, day and month not in doubt, with a zone some place uses)"
            )
        if metadata_date is None and published is not None and date_note:
            notes.append(date_note)  # which of the page's dates won, and over which
        published = metadata_date or published or dateline or (date_from_url(url) if url else None) or self._given
        return _Draft(
            article=article,
            text=body,
            title=_clean_field(title),
            url=url,
            source=_clean_field(site),
            author=_clean_field(author),
            published=published,
            captions=tuple(c for c in (_clean_field(c) for c in [*captions, *split.captions]) if c),
            credits=split.credits,
            boilerplate=split.boilerplate,
            notes=tuple(notes),
        )
