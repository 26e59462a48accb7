"""Golden files: each input in tests/golden/ is cleaned and compared with the reviewed
expected document in <input>.expected.json. Regenerate (then review the diff!) with
STORYLINE_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storyline.clean import Cleaner
from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.ingest import Source, read
from storyline.model import Document, document_to_dict

from .conftest import GOLDEN

INPUTS = sorted(p for p in GOLDEN.iterdir() if not p.name.endswith(".expected.json"))


def _clean(path: Path, cleaner: Cleaner, config: IngestConfig) -> list[dict[str, object]]:
    out = []
    for item in read(Source(str(path), path=path), config):
        assert not isinstance(item, InputError), item
        result = cleaner.clean_many([item])[0]
        assert isinstance(result, Document), result
        data = document_to_dict(result)
        data["origin"] = data["origin"].replace(str(GOLDEN), "golden")
        if data["source_id"].startswith(str(GOLDEN)):
            data["source_id"] = data["source_id"].replace(str(GOLDEN), "golden")
        out.append(data)
    return out


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_golden(path: Path, cleaner: Cleaner, config: IngestConfig) -> None:
    expected_path = path.with_name(path.name + ".expected.json")
    got = _clean(path, cleaner, config)
    if os.environ.get("STORYLINE_UPDATE_GOLDEN"):
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected
