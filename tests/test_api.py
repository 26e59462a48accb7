from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyline
from storyline.clean import Cleaner
from storyline.errors import InputError
from storyline.model import Article, ContentKind, Document

PUBLIC = {
    "Article", "BlockedAddressError", "ConfigError", "ContentKind", "DedupConfig", "Document",
    "DocumentNotFound", "FetchError", "IngestConfig", "IngestReport", "InputError", "PublishedDate",
    "SourceFields", "StoreError", "StoreLockedError", "StoreSchemaError", "Storyline", "StorylineError",
    "__version__", "annotate_inputs", "compare_files", "compare_pairs", "open",
}  # fmt: skip


def test_public_api_is_curated_and_resolves() -> None:
    assert set(storyline.__all__) == PUBLIC
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None
    with pytest.raises(AttributeError):
        _ = storyline.not_a_name  # type: ignore[attr-defined]


def test_cli_start_imports_no_heavy_library() -> None:
    code = (
        "import sys; from storyline.cli.app import app; import storyline; "
        "heavy = [m for m in ('trafilatura', 'lingua', 'datasketch', 'numpy', 'warcio', 'feedparser', 'ftfy') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_get_unknown_raises_document_not_found(tmp_path: Path) -> None:
    with storyline.open(tmp_path / "s.db") as sl, pytest.raises(storyline.DocumentNotFound, match="no document"):
        sl.get("0123456789")


def test_export_rejects_unknown_format(tmp_path: Path) -> None:
    with storyline.open(tmp_path / "s.db") as sl, pytest.raises(ValueError, match="jsonl, csv"):
        sl.export(tmp_path / "x", format="xml")


_any_text = st.text(
    alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from("\n\r\t \u00a0\u200bÃ¼â€™")),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(text=_any_text, kind=st.sampled_from([ContentKind.SCRAPED_TEXT, ContentKind.BODY_TEXT, ContentKind.MARKDOWN]))
def test_cleaner_never_crashes_and_output_is_normalised(cleaner: Cleaner, text: str, kind: ContentKind) -> None:
    (result,) = cleaner.clean_many([Article(text, kind, "fuzz", "fuzz")])
    if isinstance(result, InputError):
        assert result.code in ("empty", "no-text") and result.origin == "fuzz"
        return
    assert isinstance(result, Document)
    body = result.text
    assert body == body.strip() and "\r" not in body and "\n\n\n" not in body and "\t" not in body
    assert not any(line != line.strip() for line in body.split("\n"))
    assert len(body) >= cleaner.config.min_text_chars
    assert result.id == storyline.model.content_id(body)
