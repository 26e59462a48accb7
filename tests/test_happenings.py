"""The happening model: its features, its fit, the shipped file, and placement by content, dated
or not (undated articles, tentative happenings, damaged vectors)."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

import storyline
from storyline.cluster.features import FEATURES, Profile, features, terms_of
from storyline.cluster.model import HappeningModel, fit_logistic
from storyline.cluster.placement import MemoryBackend
from storyline.config import ClusterConfig


def _unit(seed: int, base: np.ndarray | None = None, noise: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=384) if base is None else base + noise * rng.normal(size=384)
    return (v / np.linalg.norm(v)).astype(np.float32)


def _profile(doc_id: str, text: str, vector: np.ndarray, day: date | None = None, **sets: frozenset[str]) -> Profile:
    return Profile(doc_id, terms_of(text), day=day, vector=vector, **sets)


def test_terms_leave_out_function_words_and_keep_figures() -> None:
    terms = terms_of("The earthquake of magnitude 6.1 struck the town of Aquila; the earthquake killed 295.")
    assert terms["earthquake"] == 2 and "6.1" in terms and "295" in terms
    assert "the" not in terms and "of" not in terms


def test_no_date_is_a_value_of_its_own() -> None:
    v = _unit(1)
    a = _profile("a", "Rescuers searched the rubble in Aquila", v)
    b = _profile("b", "Rescuers searched the rubble in Aquila", v)
    row = dict(zip(FEATURES, features(a, [b], lambda t: 1.0), strict=True))
    assert row["dated"] == 0.0 and row["gap"] == 0.0
    assert row["cos_max"] == pytest.approx(1.0, abs=1e-5) and row["tfidf"] == pytest.approx(1.0)
    a.day, b.day = date(2009, 4, 6), date(2009, 4, 16)
    row = dict(zip(FEATURES, features(a, [b], lambda t: 1.0), strict=True))
    assert row["dated"] == 1.0 and row["gap"] == pytest.approx(math.log1p(10))


def test_conflicts_are_told_from_silence() -> None:
    v = _unit(2)
    a = _profile("a", "arrest", v, entities=frozenset({"P:E1", "S:one"}), places=frozenset({"oslo"}))
    b = _profile("b", "arrest", v, entities=frozenset({"P:E2", "S:two"}), places=frozenset({"oslo"}))
    silent = _profile("c", "arrest", v)
    row = dict(zip(FEATURES, features(a, [b], lambda t: 1.0), strict=True))
    assert row["people_conflict"] == 1.0 and row["place_conflict"] == 0.0 and row["places"] == 1.0
    row = dict(zip(FEATURES, features(a, [silent], lambda t: 1.0), strict=True))
    assert row["people_conflict"] == 0.0 and row["people"] == 0.0
    with pytest.raises(ValueError):
        features(a, [], lambda t: 1.0)


def test_logistic_fit_finds_the_signal() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] - 2 * x[:, 2] + 0.3 * rng.normal(size=400) > 0).astype(float)
    w, b = fit_logistic(x, y, l2=1.0)
    assert w[0] > 1 and w[2] < -2 and abs(w[1]) < 0.5 and abs(b) < 0.5


def test_shipped_model_is_readable_and_says_what_it_was_fit_on() -> None:
    model = HappeningModel.load()
    assert model.features == FEATURES and 0 < model.join <= model.merge <= 1
    info = model.info
    assert info["trained_on"] and all("train" in name for name in info["trained_on"])
    assert any(name.startswith("dev:") for name in info["figures"])
    # content matters more than anything else, and a conflict of names speaks against
    weights = dict(zip(FEATURES, model.weights, strict=True))
    assert weights["tfidf"] > 0 and weights["people_conflict"] < weights["people"]
    with pytest.raises(ValueError):
        HappeningModel.from_json({**model.as_json(), "features": ["cos_max"]})
    with pytest.raises(ValueError):
        HappeningModel.from_json({**model.as_json(), "join": 0.9, "merge": 0.5})


def test_memory_placement_keeps_two_similar_events_apart() -> None:
    """Two earthquakes: one story told by three articles each, with their own places and figures."""
    model = HappeningModel.load()
    config = ClusterConfig()
    base = _unit(3)
    first = _unit(4, base, 0.03)  # two stories close in meaning (cosine about 0.85)
    second = _unit(5, base, 0.03)
    texts = {
        "first": "earthquake magnitude 6.3 struck Aquila Abruzzo killing 295 people rescuers rubble",
        "second": "earthquake magnitude 7.0 struck Haiti Port-au-Prince killing 200000 people rescuers rubble",
    }
    backend = MemoryBackend()
    placed: dict[str, list[str]] = {"first": [], "second": []}
    for i in range(3):
        for name, centre in (("first", first), ("second", second)):
            p = _profile(
                f"{name}{i}", f"{texts[name]} report {i}", _unit(10 + i, centre, 0.01),
                places=frozenset({texts[name].split()[4].casefold()}),
            )  # fmt: skip
            placed[name].append(backend.place(p, model, config))
    ends = {name: {backend.happening_of(f"{name}{i}") for i in range(3)} for name in placed}
    assert len(ends["first"]) == 1 and len(ends["second"]) == 1
    assert ends["first"] != ends["second"]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# two undated reports of the same two leaders, a year apart: one announces, one reports
ANNOUNCED = (
    "Modi to fly to Sochi for informal summit with Putin\n\n"
    "Indian Prime Minister Narendra Modi will travel to Sochi on May 21 for an informal summit with Russian "
    "President Vladimir Putin. The two leaders will hold talks at the Black Sea resort on regional issues, "
    "the foreign ministry in New Delhi said. Modi and Putin are expected to discuss the Iran nuclear deal and "
    "sanctions against Moscow.\n"
)
HELD = (
    "Modi and Putin hold talks in St Petersburg\n\n"
    "Indian Prime Minister Narendra Modi held talks with Russian President Vladimir Putin in St Petersburg "
    "today, and the two sides signed an agreement on two more reactors at Kudankulam. Modi also addressed the "
    "St Petersburg International Economic Forum, where India is the guest country this year.\n"
)


@pytest.mark.slow
def test_undated_reports_a_year_apart_are_two_happenings_of_one_storyline(tmp_path: Path) -> None:
    with storyline.open(tmp_path / "s.db") as sl:
        report = sl.analyze(_write(tmp_path, "a.txt", ANNOUNCED), _write(tmp_path, "b.txt", HELD))
        assert report.stored == 2 and report.clustered == 2
        placed = sl.store.document_clusters()
        (a, b) = (placed[d.id] for d in sorted(sl.documents(limit=None), key=lambda d: d.title or ""))
        assert a[0] is not None and b[0] is not None and a[0] != b[0]  # two happenings
        assert a[1] is not None and a[1] == b[1]  # of one storyline
        shown = sl.clusters(limit=None, include_tentative=True)
        assert all(c.start is None for c in shown)  # undated, and placed all the same


@pytest.mark.slow
def test_given_publication_date_dates_the_happening(tmp_path: Path) -> None:
    with storyline.open(tmp_path / "s.db") as sl:
        sl.analyze(_write(tmp_path, "a.txt", ANNOUNCED), config=storyline.IngestConfig(published="2018-05-18"))
        (doc,) = sl.documents(limit=None)
        assert doc.published is not None and doc.published.source.value == "given"
        dated = [e for e in sl.timeline(include_tentative=True) if e.date == "2018-05-21"]
        assert dated and dated[0].status == "planned"


@pytest.mark.slow
def test_a_document_with_nothing_is_placed_alone_and_a_damaged_vector_is_said(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with storyline.open(db) as sl:
        sl.analyze(_write(tmp_path, "a.txt", "Notice\n\nzzzz qqqq xxxx yyyy wwww vvvv uuuu tttt ssss rrrr pppp oooo\n"))
        (doc,) = sl.documents(limit=None)
        placed = sl.store.document_clusters()[doc.id]
        assert placed[0] is not None  # a happening of its own, undated
        (shown,) = sl.clusters(limit=None, include_tentative=True)
        assert shown.tentative and shown.start is None and not sl.clusters(limit=None)
        from typer.testing import CliRunner

        from storyline.cli.app import app

        hidden = CliRunner().invoke(app, ["clusters", "--db", str(db)])
        listed = CliRunner().invoke(app, ["clusters", "--db", str(db), "--all"])
        assert "no happenings" in hidden.stderr and "(tentative)" in listed.stdout and "undated" in listed.stdout
        with sl.store.transaction():
            sl.store._db.execute("UPDATE document_vectors SET vector = x'0000'")  # damaged on disk
        from storyline.cluster import Clusterer

        clusterer = Clusterer(sl.store)
        assert clusterer.index.ids == []
        assert clusterer.notes and "damaged" in clusterer.notes[0]
        sl.analyze(_write(tmp_path, "b.txt", "Road closed\n\nFlooding closed the road to the valley for a week.\n"))
        assert len(sl.store.document_clusters()) == 2


def test_cluster_config_is_checked() -> None:
    from storyline.errors import ConfigError

    with pytest.raises(ConfigError):
        ClusterConfig(days=-1)
    with pytest.raises(ConfigError):
        ClusterConfig(tentative_below=1.5)
    with pytest.raises(ConfigError):
        ClusterConfig(neighbours=0)
    with pytest.raises(ConfigError):
        storyline.IngestConfig(published="the day after")


def test_model_file_is_json(tmp_path: Path) -> None:
    model = HappeningModel.load()
    path = tmp_path / "m.json"
    model.save(path)
    again = HappeningModel.load(path)
    assert json.loads(path.read_text(encoding="utf-8"))["name"] == model.name
    rows = np.zeros((2, len(FEATURES)))
    assert np.allclose(again.probability(rows), model.probability(rows), atol=1e-5)


def test_event_words_of_any_kind_and_their_chains() -> None:
    from storyline.annotate.nuggets import NuggetTable, chain_mentions, find_nuggets

    found = find_nuggets("An earthquake struck the town and killed 12 people; police arrested two men.")
    assert {n.lemma for n in found} >= {"earthquake", "kill", "arrest"}
    assert all(n.text.casefold() not in ("the", "and", "town") for n in found)
    quake = next(n for n in found if n.lemma == "earthquake")
    chains = chain_mentions([("a", "H1", quake), ("b", "H1", quake), ("c", "H2", quake), ("d", None, quake)])
    assert sorted(len(c) for c in chains) == [1, 1, 2]  # one lemma corefers within one happening only
    table = NuggetTable.load('{"threshold": 0.5, "forms": {"fire": [0.4, "fire"], "blaze": [0.9, "blaze"]}}')
    assert [n.text for n in table.find("A blaze, not a fire.")] == ["blaze"]


def test_a_person_and_their_country_are_one_party_of_a_storyline() -> None:
    from storyline.cluster.events import storyline_key

    india, russia = {"Gi": "India"}, {"Gr": "Russia"}
    modi, putin = {"Pm": "Narendra Modi"}, {"Pp": "Vladimir Putin"}
    # Putin, whom this article ties to no country, stands for Russia as other articles say
    assert storyline_key({**modi, **putin}, {**india, **russia}, {"Pp"}) == ("Gi|Gr", {**india, **russia})
    # Russia and Putin alone are one party: no storyline of two
    assert storyline_key({**putin, **russia}, russia, {"Pp"}) is None
    # a person no article ties to a country is a party of their own
    assert storyline_key(putin, india) == ("Gi|Pp", {**india, **putin})
