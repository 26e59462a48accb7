from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import storyline
from storyline.config import DedupConfig, IngestConfig
from storyline.errors import ConfigError, StoreSchemaError
from storyline.model import Document, content_id
from storyline.relate.dedup import MinHasher, NearDuplicateFinder, band_params, jaccard, shingle_hashes, shingles

from .conftest import TEST_LANGUAGES

BASE = (
    "India and Russia on Friday concluded a contract worth about $5.4 billion for five S-400 Triumf "
    "surface-to-air missile systems, going ahead with the biggest defence purchase between the two "
    "countries in years despite the threat of sanctions from the United States. Prime Minister Narendra "
    "Modi and President Vladimir Putin also agreed on cooperation in space, railways and nuclear energy "
    "after talks at Hyderabad House in New Delhi, officials said. The two leaders said the partnership "
    "had grown stronger, and India will send an astronaut into space with Russian help by 2022."
)
REWRITE = (
    BASE.replace("concluded", "signed")
    .replace("biggest", "largest")
    .replace("officials said", "officials told reporters")
    + " Analysts said the deal was expected."
)
OTHER = (
    "Prime Minister Narendra Modi and President Vladimir Putin held informal talks in Sochi on Monday, "
    "taking a boat ride on the Black Sea and discussing terrorism, Afghanistan and energy. No agreements "
    "were signed at the one-day meeting, which officials described as a chance for frank conversation."
)


def _doc(text: str, i: int = 0) -> Document:
    return Document(id=content_id(text), text=text, source_id=f"s{i}", origin=f"o{i}")


class EmptyIndex:
    def lsh_candidates(self, keys: object) -> list[object]:
        return []

    def duplicate_group(self, root_id: str) -> list[object]:
        return []


def test_band_params_favour_recall_at_threshold() -> None:
    b, r = band_params(0.5, 128)
    assert b * r <= 128
    assert 1 - (1 - 0.5**r) ** b > 0.8  # a pair right at the threshold is usually a candidate
    assert 1 - (1 - 0.2**r) ** b < 0.1  # an unrelated pair rarely is


def test_shingles() -> None:
    assert shingles("The talks, in Sochi!", 3) == [b"the talks in", b"talks in sochi"]
    assert shingles("Two words", 3) == [b"two words"]
    assert shingles("", 3) == []


def test_shingle_hashes_follow_the_shingles() -> None:
    text = "The talks, in Sochi! The talks in Goa."
    hashes = shingle_hashes(text, 3)
    assert hashes.dtype == np.uint32 and len(hashes) == len(shingles(text, 3)) == 6
    assert hashes[0] == hashes[4]  # "the talks in" twice
    assert len(set(hashes.tolist())) == 5
    assert (shingle_hashes(text.upper(), 3) == hashes).all()
    assert len(shingle_hashes("Two words", 3)) == 1 and len(shingle_hashes("", 3)) == 0
    assert shingle_hashes("a b c", 3)[0] != shingle_hashes("c b a", 3)[0]  # order matters


def test_signature_similarity_orders_pairs() -> None:
    h = MinHasher(DedupConfig())
    base, rewrite, other = (h.signature(t) for t in (BASE, REWRITE, OTHER))
    assert jaccard(base, base) == 1.0
    assert jaccard(base, rewrite) > 0.5
    assert jaccard(base, other) < 0.2


def test_signatures_are_datasketchs_to_the_bit() -> None:
    """Signatures stored by earlier versions (made by datasketch) stay comparable."""
    import operator

    from datasketch import MinHash

    config = DedupConfig()
    ours = MinHasher(config)
    long_text = " ".join(f"word{i % 977} other{i % 13}" for i in range(6000))  # more shingles than one step
    for text in (BASE, REWRITE, OTHER, "Two words", "", long_text):
        m = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32", hashfunc=operator.index)
        hashes = shingle_hashes(text, config.shingle_words)
        if len(hashes):
            m.update_batch(hashes)
        assert (ours.signature(text) == np.asarray(m.hashvalues, dtype=np.uint32)).all(), text[:40]


def test_finder_marks_within_a_batch_and_points_to_the_original() -> None:
    finder = NearDuplicateFinder(DedupConfig())
    marked, repoints = finder.mark(
        [_doc(BASE, 0), _doc(OTHER, 1), _doc(REWRITE, 2), _doc(REWRITE + " Extra line here.", 3)], EmptyIndex()
    )  # type: ignore[arg-type]
    assert repoints == []
    dups = [d.duplicate for d, _ in marked]
    assert dups[0] is None and dups[1] is None
    assert dups[2] is not None and dups[2].of == content_id(BASE) and dups[2].similarity > 0.5
    assert dups[3] is not None and dups[3].of == content_id(BASE)  # the root, not the rewrite


def test_dedup_config_is_validated() -> None:
    with pytest.raises(ConfigError):
        DedupConfig(threshold=1.5)
    with pytest.raises(ConfigError):
        DedupConfig(num_perm=4)


def _write(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"{title}\n2018-10-05\n\n{body}\n", encoding="utf-8")
    return path


def test_near_duplicates_persist_across_runs(tmp_path: Path) -> None:
    config = IngestConfig(languages=TEST_LANGUAGES)
    original = _write(tmp_path, "a.txt", "S-400 deal signed", BASE)
    copy = _write(
        tmp_path,
        "b.txt",
        "Syndicated: S-400 deal",
        BASE + " The ministry gave no details.\n\nThis story was first published by Eurasia Wire.",
    )
    credit_only = _write(tmp_path, "b2.txt", "Same text, other credit", BASE + "\n\n(With inputs from PTI)")
    rewrite = _write(tmp_path, "c.txt", "India buys S-400", REWRITE)
    other = _write(tmp_path, "d.txt", "Sochi talks", OTHER)
    with storyline.open(tmp_path / "s.db", config) as sl:
        first = sl.ingest(original)
        second = sl.ingest(copy, credit_only, rewrite, other)  # a later run sees the earlier one's index
        assert (first.stored, second.stored, second.near_duplicates, second.already_stored) == (1, 3, 2, 1)
        docs = {d.title: d for d in sl.documents(limit=None)}
        root = docs["S-400 deal signed"].id
        assert docs["Syndicated: S-400 deal"].duplicate_of == root
        assert docs["Syndicated: S-400 deal"].credits == ("This story was first published by Eurasia Wire.",)
        assert docs["India buys S-400"].duplicate_of == root
        assert docs["Sochi talks"].duplicate_of is None
        assert [d.title for d in sl.documents(limit=None, hide_duplicates=True)] == ["S-400 deal signed", "Sochi talks"]


def test_exact_duplicate_is_one_document_with_two_sightings(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", "Title one", BASE)
    b = _write(tmp_path, "b.txt", "Title one", BASE.replace("  ", " ").upper())  # same text, other case
    with storyline.open(tmp_path / "s.db", IngestConfig(languages=TEST_LANGUAGES)) as sl:
        report = sl.ingest(a, b)
        assert (report.stored, report.already_stored) == (1, 1)
        (doc,) = sl.documents()
        assert {s.origin for s in sl.sightings(doc.id)} == {str(a), str(b)}


def test_store_refuses_other_dedup_settings(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", "Title", BASE)
    with storyline.open(tmp_path / "s.db", IngestConfig(languages=TEST_LANGUAGES)) as sl:
        sl.ingest(a)
    other = IngestConfig(languages=TEST_LANGUAGES, dedup=DedupConfig(threshold=0.8))
    with storyline.open(tmp_path / "s.db", other) as sl, pytest.raises(StoreSchemaError, match="other settings"):
        sl.ingest(a)


def test_earliest_published_is_the_original_whatever_the_order(tmp_path: Path) -> None:
    """The copy is ingested first (and in an earlier run); the original, published earlier, arrives later."""
    config = IngestConfig(languages=TEST_LANGUAGES)
    copy = tmp_path / "copy.txt"
    copy.write_text(f"Copy\n2018-10-06\n\n{BASE} Republished.\n", encoding="utf-8")
    rewrite = tmp_path / "rewrite.txt"
    rewrite.write_text(f"Rewrite\n2018-10-07\n\n{REWRITE}\n", encoding="utf-8")
    original = tmp_path / "original.txt"
    original.write_text(f"Original\n2018-10-05\n\n{BASE}\n", encoding="utf-8")
    with storyline.open(tmp_path / "s.db", config) as sl:
        sl.ingest(copy, rewrite)
        report = sl.ingest(original)
        assert report.repointed == 2
        docs = {d.title: d for d in sl.documents(limit=None)}
    root = docs["Original"]
    assert root.duplicate_of is None
    assert (
        docs["Copy"].duplicate_of == root.id
        and docs["Copy"].duplicate is not None
        and docs["Copy"].duplicate.similarity > 0.8
    )
    assert docs["Rewrite"].duplicate_of == root.id
    # the same inputs in the other order give the same groups
    with storyline.open(tmp_path / "t.db", config) as sl:
        sl.ingest(original, copy, rewrite)
        again = {d.title: d.duplicate_of for d in sl.documents(limit=None)}
    assert again == {t: d.duplicate_of for t, d in docs.items()}


def test_earlier_original_within_one_batch(tmp_path: Path) -> None:
    copy = tmp_path / "a.txt"
    copy.write_text(f"Copy\n2018-10-06\n\n{BASE} Republished.\n", encoding="utf-8")
    original = tmp_path / "b.txt"
    original.write_text(f"Original\n2018-10-05\n\n{BASE}\n", encoding="utf-8")
    with storyline.open(tmp_path / "s.db", IngestConfig(languages=TEST_LANGUAGES)) as sl:
        report = sl.ingest(copy, original)
        docs = {d.title: d for d in sl.documents(limit=None)}
    assert (report.stored, report.near_duplicates, report.repointed) == (2, 1, 0)
    assert docs["Copy"].duplicate_of == docs["Original"].id and docs["Original"].duplicate_of is None


def test_exact_copy_published_earlier_takes_over_the_metadata(tmp_path: Path) -> None:
    later = tmp_path / "later.txt"
    later.write_text(f"Republished headline\n2018-10-06\n\n{BASE}\n", encoding="utf-8")
    first = tmp_path / "first.txt"
    first.write_text(f"Original headline\n2018-10-05\n\n{BASE}\n", encoding="utf-8")
    with storyline.open(tmp_path / "s.db", IngestConfig(languages=TEST_LANGUAGES)) as sl:
        sl.ingest(later)
        report = sl.ingest(first)
        (doc,) = sl.documents()
        assert report.already_stored == 1 and doc.title == "Original headline"
        assert doc.published is not None and doc.published.isoformat() == "2018-10-05"
        assert [h.document.id for h in sl.search("Original headline")] == [doc.id]  # full-text index follows
        assert sl.search('"Republished headline"') == []
        assert {s.title for s in sl.sightings(doc.id)} == {"Original headline", "Republished headline"}
        again = sl.ingest(later)  # a later copy again changes nothing
        assert again.already_stored == 1 and sl.get(doc.id).title == "Original headline"
