"""The bundled sample corpus, checked article by article against examples/manifest.json
(written with the corpus: what a careful reader finds in each file)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.config import IngestConfig
from storyline.model import Document
from storyline.pipeline import IngestReport

from .conftest import CORPUS, MANIFEST, TEST_LANGUAGES

ENTRIES: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
#: Formats whose page chrome (cookie banners, menus) the HTML extractor drops outright.
PAGES = {"html", "warc"}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IngestReport, list[Document]]]:
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with storyline.open(db, IngestConfig(languages=TEST_LANGUAGES)) as sl:
        report = sl.ingest(CORPUS)
        yield report, sl.documents(limit=None)


def find(docs: list[Document], entry: dict[str, Any]) -> Document:
    path, _, fragment = entry["path"].partition("#")
    full = str(CORPUS / path)
    for doc in docs:
        if not fragment and doc.origin == full:
            return doc
        if fragment and doc.origin.startswith(full + "#") and fragment in (doc.source_id, doc.origin.split("#", 1)[1]):
            return doc
    raise AssertionError(f"{entry['path']} was not stored")


def test_every_article_is_stored_once(ingested: tuple[IngestReport, list[Document]]) -> None:
    report, docs = ingested
    assert report.failed == 0, report.errors
    assert report.stored == len(ENTRIES) == len(docs)
    assert len({find(docs, e).id for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["path"] for e in ENTRIES])
def test_article_matches_manifest(ingested: tuple[IngestReport, list[Document]], entry: dict[str, Any]) -> None:
    docs = ingested[1]
    doc = find(docs, entry)
    assert doc.title == entry["title"]
    assert doc.language == entry["language"]
    if entry["published"] is None:
        assert doc.published is None
    else:
        assert doc.published is not None
        assert doc.published.isoformat()[: len(entry["published"])] == entry["published"]
        assert doc.published.source.value == entry["published_from"]
    assert list(doc.captions) == entry["captions"]
    assert list(doc.credits) == entry["credits"]
    if entry["format"] in PAGES:
        assert set(doc.boilerplate) <= set(entry["leftovers"])
    else:
        assert sorted(doc.boilerplate) == sorted(entry["leftovers"])
    for line in [*entry["captions"], *entry["credits"], *entry["leftovers"]]:
        assert line not in doc.text
    original = entry["near_duplicate_of"]
    if original is None:
        assert doc.duplicate_of is None
    else:
        assert doc.duplicate_of == find(docs, next(e for e in ENTRIES if e["path"] == original)).id


def test_repairs_and_misspellings_are_as_written(ingested: tuple[IngestReport, list[Document]]) -> None:
    docs = ingested[1]
    for entry in ENTRIES:
        doc = find(docs, entry)
        for broken, fixed in (entry.get("repairs") or {}).items():
            assert broken not in doc.text and broken not in (doc.title or "")
            assert fixed in doc.text or fixed in (doc.title or "")
        for wrong in entry.get("misspellings") or {}:
            assert wrong in doc.text  # cleaning never rewrites names; entity linking resolves them


def test_each_summit_has_an_announcement_and_a_report(ingested: tuple[IngestReport, list[Document]]) -> None:
    docs = ingested[1]
    events = {e["event"] for e in ENTRIES if e["event"]}
    assert len(events) == 7
    for event in events:
        dated = [(e["role"], find(docs, e).published) for e in ENTRIES if e["event"] == event]
        announced = [p.value for r, p in dated if r == "announcement" and p]
        reported = [p.value for r, p in dated if r == "report" and p]
        assert announced and reported and min(announced) < max(reported), event
