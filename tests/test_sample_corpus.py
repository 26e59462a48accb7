"""The bundled sample corpus, checked article by article against examples/manifest.json
(written with the corpus: what a careful reader finds in each file)."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
        docs = sl.documents(limit=None)
        SIGHTINGS.update((d.id, sl.sightings(d.id)) for d in docs)
        yield report, docs


def _matches(origin: str, source_id: str, entry: dict[str, Any]) -> bool:
    path, _, fragment = entry["path"].partition("#")
    full = str(CORPUS / path)
    if not fragment:
        return origin == full
    return origin.startswith(full + "#") and fragment in (source_id, origin.split("#", 1)[1])


def find(docs: list[Document], entry: dict[str, Any]) -> Document:
    """The document an entry became: its own, or, for an exact copy, the one whose text it shares."""
    for doc in docs:
        if _matches(doc.origin, doc.source_id, entry):
            return doc
    for doc in docs:
        if any(_matches(s.origin, s.source_id, entry) for s in SIGHTINGS.get(doc.id, [])):
            return doc
    raise AssertionError(f"{entry['path']} was not stored")


SIGHTINGS: dict[str, list[Any]] = {}


def is_exact_copy(docs: list[Document], entry: dict[str, Any]) -> bool:
    return not any(_matches(d.origin, d.source_id, entry) for d in docs)


def test_every_article_is_stored_once(ingested: tuple[IngestReport, list[Document]]) -> None:
    report, docs = ingested
    assert report.failed == 0, report.errors
    exact = [e for e in ENTRIES if is_exact_copy(docs, e)]
    # the syndicated copy repeats the original's body word for word: one document, two sightings
    # (the copy is read first, from html/, but the original was published earlier and keeps the document)
    assert [e["path"] for e in exact] == ["html/s400-deal-global-desk.html"]
    assert report.stored == len(ENTRIES) - 1 == len(docs) and report.already_stored == 1
    copy = find(docs, exact[0])
    sightings = {s.origin: s for s in SIGHTINGS[copy.id]}
    assert sightings[str(CORPUS / exact[0]["path"])].source == exact[0]["outlet"]
    assert sightings[str(CORPUS / exact[0]["path"])].title == exact[0]["title"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["path"] for e in ENTRIES])
def test_article_matches_manifest(ingested: tuple[IngestReport, list[Document]], entry: dict[str, Any]) -> None:
    docs = ingested[1]
    doc = find(docs, entry)
    if is_exact_copy(docs, entry):
        original = next(e for e in ENTRIES if e["path"] == entry["near_duplicate_of"])
        assert doc.id == find(docs, original).id and doc.text.count("S-400") > 0
        return
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
