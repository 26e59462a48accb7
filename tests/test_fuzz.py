"""A short fuzzing run of every reader (``make fuzz`` runs the long one): mutated sample
inputs and arbitrary bytes under every file name keep the contract of ``tests/fuzzing.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean.cleaner import Cleaner
from storyline.config import IngestConfig

from .fuzzing import HANDWRITTEN, check, inputs, seeds

CONFIG = IngestConfig()
NAMES = ["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.csv", "a.rss", "a.xml", "a.warc", "a", "a.json.gz"]


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner(CONFIG)


def test_the_seeds_are_read_without_problems(cleaner: Cleaner, tmp_path: Path) -> None:
    found = seeds()
    assert len(found) >= 30
    for name, data in found:
        outcome = check(name, data, CONFIG, cleaner, tmp_path)
        assert not outcome.problems, (name, outcome.problems)
    for name, data in HANDWRITTEN.items():
        assert check(name, data, CONFIG, cleaner, tmp_path).documents >= 1, name


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_inputs_keep_the_contract(seed: int, cleaner: Cleaner, tmp_path: Path) -> None:
    failures = []
    for name, data in inputs(seed, 250):
        outcome = check(name, data, CONFIG, cleaner, tmp_path)
        if outcome.problems:
            failures.append((name, data[:80], outcome.problems))
    assert not failures, failures[:5]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), name=st.sampled_from(NAMES))
def test_arbitrary_bytes_keep_the_contract(data: bytes, name: str, cleaner: Cleaner, tmp_path: Path) -> None:
    outcome = check(name, data, CONFIG, cleaner, tmp_path)
    assert not outcome.problems, outcome.problems


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(max_size=600),
    name=st.sampled_from(NAMES[:-1]),
    codec=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "utf-8-sig", "latin-1"]),
)
def test_arbitrary_text_in_any_encoding_keeps_the_contract(
    text: str, name: str, codec: str, cleaner: Cleaner, tmp_path: Path
) -> None:
    data = text.encode(codec, errors="replace")
    outcome = check(name, data, CONFIG, cleaner, tmp_path)
    assert not outcome.problems, outcome.problems
