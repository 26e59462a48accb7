"""The learned event target model: what it adds, what it leaves alone, how it is marked, read and
made (storyline.annotate.events.targets, storyline.annotate.train_target_model)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from storyline.annotate import Annotator
from storyline.annotate.events import targets
from storyline.annotate.events.parse import EventParser
from storyline.errors import ConfigError
from storyline.evaluate import gold_document
from storyline.model.annotations import Event, EventActor

from .conftest import EVAL

DAY = date(2019, 9, 18)


@pytest.fixture(scope="module")
def annotator() -> Iterator[Annotator]:
    """An annotator with the learned target model turned on (it is off by default)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORYLINE_TARGET_MODEL", "shipped")
        yield Annotator()


def events(annotator: Annotator, text: str) -> list[Event]:
    (result,) = annotator.annotate_many([gold_document(text, "t", DAY)])
    return result.annotations.events


def of_type(found: list[Event], kind: str) -> Event:
    return next(e for e in found if e.type == kind)


def test_a_target_the_rules_miss_is_learned_and_marked(annotator: Annotator) -> None:
    # "to Serbia" hangs from the verb, where no rule reads a target for a sanction
    halted = of_type(events(annotator, "Japan halted economic aid to Serbia on Tuesday."), "SANCTION")
    by_name = {a.canonical or a.text: a for a in halted.actors}
    assert by_name["Japan"].role == "source" and by_name["Japan"].probability is None
    assert by_name["Serbia"].role == "target"
    assert by_name["Serbia"].probability is not None and targets.MIN_PROBABILITY <= by_name["Serbia"].probability < 1


def test_off_by_default_and_when_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = EventParser()
    text = "Japan halted economic aid to Serbia on Tuesday."
    spans = [[(0, 5, "GPE"), (29, 35, "GPE")]]
    for setting in (None, "off", "OFF", " "):
        if setting is None:
            monkeypatch.delenv("STORYLINE_TARGET_MODEL", raising=False)
        else:
            monkeypatch.setenv("STORYLINE_TARGET_MODEL", setting)
        assert targets.load() is None
        mentions = parser.parse([text], spans)[0]
        assert mentions and all(a.probability is None for m in mentions for a in m.args)
    monkeypatch.setenv("STORYLINE_TARGET_MODEL", "shipped")
    learned = parser.parse([text], spans)[0]
    assert any(a.probability is not None and text[a.start : a.end] == "Serbia" for m in learned for a in m.args)
    monkeypatch.setenv("STORYLINE_TARGET_MODEL", str(targets.MODEL_PATH))  # a model file by its path
    assert targets.load() == targets.load() is not None
    for wrong in ("on", "shiped", "/nonexistent/model.json"):  # no silent "off" for a mistyped setting
        monkeypatch.setenv("STORYLINE_TARGET_MODEL", wrong)
        with pytest.raises(ConfigError, match="STORYLINE_TARGET_MODEL"):
            targets.load()


def test_the_model_is_part_of_the_stage_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Stored events are annotated again when the model is turned on, off, or another file."""
    monkeypatch.delenv("STORYLINE_TARGET_MODEL", raising=False)
    off = Annotator.stage_names()
    assert targets.NAME not in off
    monkeypatch.setenv("STORYLINE_TARGET_MODEL", "shipped")
    shipped = Annotator.stage_names()
    assert shipped.startswith(off + ";" + targets.NAME + ":")
    other = tmp_path / "model.json"
    other.write_text(json.dumps(targets.TargetModel({"prep=to": 1.0}, -1.0, {}).as_json()), encoding="utf-8")
    monkeypatch.setenv("STORYLINE_TARGET_MODEL", str(other))
    assert Annotator.stage_names() not in (off, shipped)
    assert targets.NAME not in Annotator.stage_names(events=False)
    # a model file rewritten in place is read again
    assert targets.load() is not None and targets.load().weights == {"prep=to": 1.0}  # type: ignore[union-attr]
    other.write_text(json.dumps(targets.TargetModel({"prep=in": 2.0}, -1.0, {}).as_json()), encoding="utf-8")
    os.utime(other, ns=(1, 2_000_000_000_000_000_000))
    assert targets.load().weights == {"prep=in": 2.0}  # type: ignore[union-attr]


def test_learned_targets_add_nothing_to_confidence(annotator: Annotator, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Japan halted economic aid to Serbia on Tuesday."
    halted = of_type(events(annotator, text), "SANCTION")
    assert any(a.probability is not None for a in halted.actors)
    monkeypatch.setenv("STORYLINE_TARGET_MODEL", "off")
    plain = of_type(events(Annotator(), text), "SANCTION")
    assert all(a.probability is None for a in plain.actors)
    assert halted.confidence == plain.confidence


def test_a_meeting_has_no_learned_target(annotator: Annotator) -> None:
    met = of_type(events(annotator, "Narendra Modi met Vladimir Putin in Sochi on Monday."), "CONSULT")
    assert all(a.probability is None for a in met.actors)
    assert {a.role for a in met.actors} == {"participant"}


def test_a_learned_target_does_not_make_the_pair_the_sides_are(annotator: Annotator) -> None:
    found = events(
        annotator,
        "India and Russia signed a nuclear deal on Thursday. Western nations imposed sanctions against Russia "
        "over the crisis in Ukraine. The sides also agreed to study a free trade zone.",
    )
    sanctions = next(e for e in found if e.trigger.text == "imposed")
    assert any(a.probability is not None for a in sanctions.actors)  # what the model added
    agreed = next(e for e in found if e.trigger.text == "agreed")
    assert {a.canonical for a in agreed.actors} == {"India", "Russia"}


def test_an_actor_keeps_its_probability_through_its_dict() -> None:
    plain = EventActor("target", "Serbia", 0, 6, "gpe:serbia", "Serbia")
    assert "probability" not in plain.as_dict()  # the grammar's actors look as they always did
    learned = EventActor("target", "Serbia", 0, 6, "gpe:serbia", "Serbia", 0.64)
    assert learned.as_dict()["probability"] == 0.64
    assert EventActor(**learned.as_dict()) == learned and EventActor(**plain.as_dict()) == plain


def test_the_model_reads_weights_by_name() -> None:
    model = targets.TargetModel({"prep=to": 2.0, "cat=SANCTION": 1.0}, -2.5, {})
    assert model.probability(["prep=to", "cat=SANCTION"]) == pytest.approx(1 / (1 + 2.718281828**-0.5))
    assert model.probability(["unseen"]) == pytest.approx(1 / (1 + 2.718281828**2.5))
    again = targets.TargetModel.from_json(json.loads(json.dumps(model.as_json())))
    assert again.weights == model.weights and again.bias == model.bias
    shipped = targets.TargetModel.from_json(json.loads(targets.MODEL_PATH.read_text(encoding="utf-8")))
    assert shipped.weights and "fit_on" in shipped.meta


def test_path_names_the_preposition() -> None:
    text = "Japan halted economic aid to Serbia on Tuesday."
    ((_, s),) = list(EventParser().sentences([text], [[(0, 5, "GPE"), (29, 35, "GPE")]]))
    halted = next(t for t in s.doc if t.text == "halted")
    serbia = next(t for t in s.doc if t.text == "Serbia")
    steps = targets.path(halted, serbia)
    assert steps[-1] == "vpobj" and any(x.startswith("vprep:to") for x in steps)
    assert targets.path(halted, halted) == []


def test_training_makes_a_model_from_coded_records(tmp_path: Path) -> None:
    from storyline.annotate.train_target_model import fit, main, rows

    records = [
        {"id": "r1", "event": "SANCTION", "text": "Japan halted economic aid to Serbia on Tuesday.",
         "source": [{"actorText": "Japan"}], "target": [{"actorText": "Serbia"}], "date": "2019-09-17"},
        {"id": "r2", "event": "COERCE", "text": "Turkish authorities imposed a curfew in the town of Cizre.",
         "source": [{"actorText": "Turkish authorities"}], "target": [{"actorText": "Cizre"}], "date": "2019-09-17"},
        {"id": "r3", "event": "THREATEN", "text": "Israel threatened to ban voting in East Jerusalem.",
         "source": [{"actorText": "Israel"}], "target": [{"actorText": "East Jerusalem"}], "date": "2019-09-17"},
    ]  # fmt: skip
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    data = rows(path)
    assert data and {position for position, _, _ in data} <= {0, 1, 2}
    assert any(hit for _, _, hit in data) and not all(hit for _, _, hit in data)
    model = fit(data)
    assert model["meta"]["rows"] == len(data) and model["meta"]["targets"] == sum(h for _, _, h in data)
    out = tmp_path / "model.json"
    assert main([str(path), "--out", str(out)]) == 0
    written = targets.TargetModel.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert written.weights


@pytest.mark.skipif(not (EVAL / "plover" / "records.json").exists(), reason="no PLOVER records in the eval folder")
def test_the_shipped_model_was_fit_on_plover() -> None:
    meta = json.loads(targets.MODEL_PATH.read_text(encoding="utf-8"))["meta"]
    assert meta["rows"] > 500 and meta["targets"] > 50 and "records.json" in meta["fit_on"]


def test_training_leaves_the_setting_as_it_was(tmp_path: Path) -> None:
    from storyline.annotate.train_target_model import rows

    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"id": "r", "event": "AID", "text": "Japan sent aid to Serbia.", "target": []}]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORYLINE_TARGET_MODEL", "shipped")
        rows(path)  # made with the rules alone
        assert targets.load() is not None  # and the setting as it was
