"""Event confidences calibrated on data: the isotonic fit, the shipped table, and the filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.annotate.calibration import Calibration, fit_isotonic
from storyline.cli.app import app


def test_isotonic_fit_never_decreases_and_matches_the_shares() -> None:
    pairs = [(0.1, False), (0.2, False), (0.3, True), (0.4, False), (0.6, True), (0.7, True), (0.9, True)]
    starts, values = fit_isotonic(pairs, min_events=1)
    assert values == sorted(values) and starts == sorted(starts) and starts[0] == 0.0
    calibration = Calibration(tuple(starts), tuple(values), {})
    assert calibration.probability(0.15) == 0.0  # two wrong at the bottom
    assert calibration.probability(0.35) == pytest.approx(0.5)  # 0.3 right and 0.4 wrong pool to a half
    assert calibration.probability(0.95) == 1.0
    assert calibration.raw_threshold(0.5) == pytest.approx(0.3)
    assert calibration.raw_threshold(1.0) == pytest.approx(0.6)
    # the fit reproduces the share right within each step
    for start, value in zip(starts, values, strict=True):
        inside = [ok for c, ok in pairs if calibration.probability(c) == value and c >= start]
        assert sum(inside) / len(inside) == pytest.approx(value)


def test_small_steps_are_pooled_with_their_neighbours() -> None:
    pairs = [(0.05, False)] * 3 + [(0.5, True), (0.5, False)] * 20 + [(0.9, True)] * 30
    starts, values = fit_isotonic(pairs, min_events=20)
    assert values[0] > 0.0  # three wrong events alone do not make a probability of 0
    assert values == sorted(values) and len(starts) == len(values)


def test_the_shipped_calibration_is_monotone_and_says_what_it_was_fit_on(tmp_path: Path) -> None:
    calibration = Calibration.load()
    assert list(calibration.values) == sorted(calibration.values)
    assert "ECB+ train" in calibration.info["fit_on"] and calibration.info["dev_events"] > 0
    bad = tmp_path / "calibration.json"
    bad.write_text(json.dumps({"starts": [0.0, 0.5], "values": [0.6, 0.2]}), encoding="utf-8")
    with pytest.raises(ValueError, match="must not decrease"):
        Calibration.load(bad)


def test_min_confidence_filters_and_doubtful_events_come_last(analyzed_corpus: Path) -> None:
    store = analyzed_corpus
    runner = CliRunner()
    every = [
        json.loads(x)
        for x in runner.invoke(app, ["events", "--db", str(store), "--json", "-n", "1000"]).stdout.splitlines()
    ]
    assert every and all(0.0 <= e["probability"] <= 1.0 for e in every)
    probabilities = [e["probability"] for e in every]
    doubtful = [p < 0.5 for p in probabilities]
    assert doubtful == sorted(doubtful)  # the doubtful ones after all others
    cut = sorted(set(probabilities))[len(set(probabilities)) // 2]
    kept = [
        json.loads(x)
        for x in runner.invoke(
            app, ["events", "--db", str(store), "--json", "-n", "1000", "--min-confidence", str(cut)]
        ).stdout.splitlines()
    ]
    assert kept and len(kept) < len(every) and all(e["probability"] >= cut for e in kept)
    assert len(kept) == sum(p >= cut for p in probabilities)
    bad = runner.invoke(app, ["events", "--db", str(store), "--min-confidence", "1.5"])
    assert bad.exit_code == 2
