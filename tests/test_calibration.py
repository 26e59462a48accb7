"""Event confidences calibrated on data: the isotonic fit, the shipped table, and the filters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def test_the_category_model_recodes_only_when_sure() -> None:
    # a tiny model over one embedding number: a sentence whose vector points one way is a DEMAND
    from datetime import date

    import numpy as np

    from storyline.annotate import Annotator
    from storyline.annotate.event_model import STATUSES, CategoryModel, recode
    from storyline.evaluate import gold_document

    categories = ("CONSULT", "DEMAND")
    width = 384 + 2 * len(categories) + len(STATUSES) + 1
    weights = np.zeros((width, 2))
    weights[0] = [-8.0, 8.0]  # the first embedding number decides
    model = CategoryModel(categories, weights, np.zeros(2), 1.0, {}, override_above=0.9)
    text = "Narendra Modi met Vladimir Putin in Sochi on Monday."
    (done,) = Annotator().annotate_many([gold_document(text, "x", date(2018, 5, 22))])
    events = [done.annotations.events]
    assert events[0] and events[0][0].type == "CONSULT"

    def pointing(value: float) -> Any:
        def embed(sentences: Any) -> np.ndarray:
            out = np.zeros((len(sentences), 384))
            out[:, 0] = value
            return out

        return embed

    (kept,) = recode([text], events, model, pointing(-1.0))  # the model agrees with the rules
    assert kept == events[0]
    (unsure,) = recode([text], events, model, pointing(0.1))  # DEMAND, but not surer than 0.9
    assert unsure == events[0]
    (recoded,) = recode([text], events, model, pointing(1.0))
    assert recoded[0].type == "DEMAND" and recoded[0].subtype is None
    assert (recoded[0].trigger.rule or "").endswith("model")
