"""Pairwise comparison: the features and verdict rules on hand-built profiles, the pairs reader,
and whole comparisons of sample-corpus articles through the API and the CLI (with the real
embedding models and the shipped model)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli.app import app
from storyline.model import DateSource, Document, Granularity, PublishedDate
from storyline.model.annotations import (
    Annotations,
    EntityMention,
    Event,
    EventActor,
    EventMention,
    EventStatus,
    EventTime,
)
from storyline.relate.pairs import read_pairs
from storyline.relate.similarity import (
    DIMENSIONS,
    FEATURES,
    Comparison,
    Profile,
    SimilarityModel,
    _profile,
    compare,
    explain,
    features,
    shipped_model,
)

from .conftest import CORPUS, EVAL


def _unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return v / np.linalg.norm(v)


def _meeting(day: str, start: int = 0) -> Event:
    mention = EventMention(start, start + 3, "met", 0, 40, EventStatus.OCCURRED)
    return Event(
        id=f"e{day}",
        type="CONSULT",
        subtype="meeting",
        cameo="040",
        trigger=mention,
        actors=[
            EventActor("participant", "Modi", 0, 4, "P:modi", "Narendra Modi"),
            EventActor("participant", "Putin", 9, 14, "P:putin", "Vladimir Putin"),
        ],
        place=None,
        time=EventTime(day, "DATE"),
        status=EventStatus.OCCURRED,
        confidence=0.9,
        mentions=[mention],
    )


def profile(text: str, day: str, vector: np.ndarray, published: date | None = None) -> Profile:
    when = (
        PublishedDate(datetime(published.year, published.month, published.day, tzinfo=UTC), Granularity.DAY,
                      DateSource.METADATA, published.isoformat())
        if published else None
    )  # fmt: skip
    doc = Document(id=text[:8], text=text, source_id="t", origin="t", language="en", published=when)
    ann = Annotations(
        entities=[
            EntityMention(0, 4, "Modi", "PERSON", "P:modi", "Narendra Modi"),
            EntityMention(9, 14, "Putin", "PERSON", "P:putin", "Vladimir Putin"),
        ],
        events=[_meeting(day)],
    )
    return _profile(doc, ann, vector, vector, vector, vector.reshape(1, -1))  # one "sentence": the article


def test_features_of_an_article_with_itself() -> None:
    a = profile("Modi met Putin in Sochi on Monday.", "2018-05-21", _unit(1))
    row = dict(zip(FEATURES, features(a, a), strict=True))
    assert row["minilm"] == pytest.approx(1.0, abs=1e-5) and row["entities"] == 1.0 and row["words"] == 1.0
    assert row["english"] == 1.0 and row["cross_language"] == 0.0 and row["date_gap_known"] == 1.0


def test_a_text_and_itself_score_one_on_every_dimension() -> None:
    """The regression, fitted on pairs of different articles, is not asked about one text read twice
    (white space aside): that is the same on every dimension by definition."""
    a = profile("Modi met Putin in Sochi on Monday.", "2018-05-21", _unit(1))
    b = profile("Modi met  Putin in Sochi\non Monday. ", "2018-05-21", _unit(1))
    result = compare(a, b)
    assert result.verdict == "duplicate" and set(result.scores.values()) == {1.0}
    assert result.reasons[0] == "the same text: 1.0 on every dimension"
    other = profile("Modi met Putin in Sochi on Monday, and they talked.", "2018-05-21", _unit(1))
    assert compare(a, other).reasons[0].startswith("overall ")  # another text: the model's scores


def test_verdicts_follow_the_evidence() -> None:
    sochi = profile("Modi met Putin in Sochi for an informal summit.", "2018-05-21", _unit(1))
    sochi_again = profile("Modi and Putin held talks in Sochi, their informal summit.", "2018-05-22", _unit(2))
    petersburg = profile("Modi met Putin in St Petersburg for the annual summit.", "2017-06-01", _unit(3))
    close = dict.fromkeys(DIMENSIONS, 1.3)
    same = explain(sochi, sochi_again, features(sochi, sochi_again), close, "p")
    assert same.verdict == "same event"
    assert same.evidence["shared_entities"] == ["Narendra Modi", "Vladimir Putin"]
    assert same.evidence["date_gap_days"] == 1 and same.evidence["shared_events"]
    # the same leaders a year apart: a similar story, another event, whatever the scores say
    apart = explain(sochi, petersburg, features(sochi, petersburg), close, "p")
    assert apart.verdict == "same storyline, different event"
    assert apart.evidence["date_gap_days"] > 300 and apart.evidence["conflicting_events"]
    assert any("days apart" in r for r in apart.reasons)
    far = dict.fromkeys(DIMENSIONS, 3.6)
    other = profile("A cyclone made landfall in Odisha.", "2019-05-03", _unit(4))
    other.entities, other.annotations.events[:] = {}, []
    assert explain(sochi, other, features(sochi, other), far, "p").verdict == "unrelated"
    assert explain(sochi, sochi, features(sochi, sochi), close, "p").verdict == "duplicate"


def test_model_round_trip_and_feature_check() -> None:
    model = shipped_model()
    again = SimilarityModel.from_dict(json.loads(json.dumps(model.as_dict())))
    row = np.linspace(0, 1, len(FEATURES))
    assert {d: float(v[0]) for d, v in again.predict(row).items()} == pytest.approx(
        {d: float(v[0]) for d, v in model.predict(row).items()}
    )
    assert set(model.dimensions) == set(DIMENSIONS) and set(model.groups) == {"english", "other"}
    broken = model.as_dict() | {"features": ["minilm"]}
    with pytest.raises(ValueError, match="retrain"):
        SimilarityModel.from_dict(broken)


def test_pairs_reader_reports_bad_lines_and_reads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        '{"id": "a", "text1": "One text.", "text2": "Another.", "lang1": "en", "gold": {"overall": 2}}\n'
        "not json\n"
        '{"id": "b", "text1": "", "text2": "x"}\n'
        '["a list"]\n'
        '{"id": "c", "text1": "Third.", "text2": "Fourth.", "published1": "2019-09-04"}\n',
        encoding="utf-8",
    )
    pairs, errors = read_pairs(path)
    assert [p.id for p in pairs] == ["a", "c"] and pairs[0].gold == {"overall": 2.0}
    assert pairs[1].published1 == "2019-09-04" and pairs[0].languages == "en-?"
    assert [str(e).split(":")[0] for e in errors] == [f"{path}#line={n}" for n in (2, 3, 4)]
    assert all(e.code == "malformed" for e in errors)


# -- whole comparisons, real models ----------------------------------------------------------------
SOCHI_REPORT = CORPUS / "txt" / "sochi-informal-summit-report.md"
SOCHI_PREVIEW = CORPUS / "txt" / "modi-to-fly-to-sochi.txt"
PETERSBURG = CORPUS / "txt" / "st-petersburg-talks-today.txt"
CYCLONE = CORPUS / "html" / "cyclone-fani-landfall-odisha.html"


@pytest.mark.slow
def test_sample_articles_compared() -> None:
    held = storyline.compare_files(SOCHI_REPORT, CORPUS / "html" / "modi-putin-sochi-informal-summit.html")
    assert held.verdict == "same event", held.reasons
    assert {"Narendra Modi", "Vladimir Putin"} <= set(held.evidence["shared_entities"])
    assert "Sochi" in held.evidence["shared_places"]
    year_apart = storyline.compare_files(SOCHI_REPORT, PETERSBURG)
    assert year_apart.verdict == "same storyline, different event", year_apart.reasons
    assert year_apart.evidence["date_gap_days"] > 300
    unrelated = storyline.compare_files(SOCHI_REPORT, CYCLONE)
    assert unrelated.verdict == "unrelated", unrelated.reasons
    assert held.scores["overall"] < year_apart.scores["overall"] < unrelated.scores["overall"]
    assert all(1.0 <= v <= 4.0 for v in held.scores.values())


@pytest.mark.slow
def test_compare_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(SOCHI_REPORT), str(PETERSBURG), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"id", *DIMENSIONS, "verdict", "reasons"}
    assert out["reasons"]["text"] and "shared_entities" in out["reasons"]
    pairs = tmp_path / "pairs.jsonl"
    text1, text2 = SOCHI_REPORT.read_text(encoding="utf-8"), SOCHI_PREVIEW.read_text(encoding="utf-8")
    pairs.write_text(
        json.dumps({"id": "p1", "text1": text1, "text2": text2, "published1": "2018-05-21", "published2": "2018-05-18"})
        + "\n{broken\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compare", "--pairs", str(pairs), "--json"])
    assert result.exit_code == 1  # one line was bad; the good one is still compared
    (line,) = result.stdout.strip().splitlines()
    assert json.loads(line)["id"] == "p1"
    assert "line=2" in result.stderr
    bad = runner.invoke(app, ["compare", "only-one"])
    assert bad.exit_code == 2
    workers = runner.invoke(app, ["compare", str(SOCHI_REPORT), str(PETERSBURG), "--workers", "2"])
    assert workers.exit_code == 2 and "--workers is for --pairs" in workers.output


@pytest.mark.slow
def test_compare_stored_documents(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with storyline.open(db) as sl:
        sl.ingest(SOCHI_REPORT, PETERSBURG)  # not analyzed: compare annotates them on the fly
        ids = [d.id for d in sl.documents()]
        comparison = sl.compare(ids[0][:8], ids[1][:8])
        assert comparison.verdict == "same storyline, different event"
        with pytest.raises(storyline.DocumentNotFound):
            sl.compare(ids[0], "ffffffff")
    result = CliRunner().invoke(app, ["compare", ids[0][:8], "nope1234", "--db", str(db)])
    assert result.exit_code == 1 and "nope1234" in result.stderr


@pytest.mark.eval
@pytest.mark.slow
@pytest.mark.skipif(not (EVAL / "semeval2022-task8" / "pairs.jsonl").is_file(), reason="shared eval data not present")
def test_similarity_on_english_pairs(tmp_path: Path) -> None:
    """The whole path (cleaning, annotation, both embedders, features, shipped model) on the first
    60 English pairs: scores must follow the gold (in-sample for the shipped model, so a floor
    well below the cross-validated figure)."""
    from storyline.evaluate.similarity import evaluate_similarity

    lines = [
        line
        for line in (EVAL / "semeval2022-task8" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
        if '"lang1": "en", "lang2": "en"' in line
    ][:60]
    subset = tmp_path / "en60.jsonl"
    subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scores = evaluate_similarity(subset, k=3)
    assert scores.pairs == 60
    assert scores.shipped["overall"] >= 0.75
    assert scores.cross_validated["overall"] >= 0.6


def test_pairs_sharing_an_article_profile_it_once() -> None:
    from storyline.annotate import Annotator
    from storyline.errors import InputError
    from storyline.relate.pairs import Pair, pair_profiles

    class Counting(Annotator):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[int] = []

        def annotate_many(self, docs, **kwargs):  # type: ignore[no-untyped-def]
            self.seen.append(len(docs))
            return super().annotate_many(docs, **kwargs)

    a, b, c = (p.read_text(encoding="utf-8") for p in (SOCHI_REPORT, SOCHI_PREVIEW, PETERSBURG))
    pairs = [Pair("p1", a, b), Pair("p2", a, c), Pair("p3", c, "  \n ")]
    annotator, cache = Counting(), {}  # type: ignore[var-annotated]
    first = pair_profiles(pairs, annotator=annotator, cache=cache)
    assert annotator.seen == [3]  # a, b and c once each; the blank article never reaches the annotator
    assert first[0][0] is first[1][0]
    assert isinstance(first[2], InputError) and first[2].origin == "pair p3/2"
    again = pair_profiles([Pair("p4", b, c)], annotator=annotator, cache=cache)
    assert annotator.seen == [3] and again[0] == (first[0][1], first[1][1])  # from the cache


GERMAN_REPORT = (
    "Der indische Premierminister Narendra Modi ist am Montag in Sotschi mit dem russischen Präsidenten "
    "Wladimir Putin zu einem informellen Gipfel zusammengekommen. Die beiden sprachen über Handel, "
    "Energie und die Lage in Afghanistan. Ein gemeinsames Abkommen wurde nicht unterzeichnet."
)


class _CountingEmbedder:
    """The real embedder, recording which encoder each call used and on how many texts."""

    def __init__(self) -> None:
        from storyline.relate.embed import shared_embedder

        self.inner = shared_embedder()
        self.calls: list[tuple[str, int]] = []

    def minilm(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(("minilm", len(texts)))
        return self.inner.minilm(texts)

    def e5(self, texts, words=160):  # type: ignore[no-untyped-def]
        self.calls.append(("e5", len(texts)))
        return self.inner.e5(texts, words)


@pytest.mark.slow
def test_a_profile_holds_the_encoder_passes_its_pairs_read() -> None:
    """English pairs are scored without e5's sentence pass and other pairs without MiniLM, so
    neither is computed for an article until a pair that reads it comes; the scores are those of
    a profile with every pass."""
    from storyline.relate.pairs import Pair, pair_profiles
    from storyline.relate.similarity import compare

    report, preview = (p.read_text(encoding="utf-8") for p in (SOCHI_REPORT, SOCHI_PREVIEW))
    embedder, cache = _CountingEmbedder(), {}  # type: ignore[var-annotated]
    ((a, b),) = pair_profiles([Pair("en", report, preview, "en", "en")], embedder=embedder, cache=cache)
    assert a.minilm is not None and a.minilm_lead is not None and a.sentences_e5 is None
    assert [name for name, _ in embedder.calls] == ["e5", "minilm", "minilm"]  # the text; the text and its lead
    english = compare(a, b)
    embedder.calls.clear()
    ((again, german),) = pair_profiles([Pair("x", report, GERMAN_REPORT, "en", "de")], embedder=embedder, cache=cache)
    assert again is a and a.sentences_e5 is not None  # the cached article gets the pass the new pair reads
    assert german.language == "de" and german.minilm is None and german.sentences_e5 is not None
    assert [name for name, _ in embedder.calls] == ["e5", "e5"]  # the German text; both articles' sentences
    assert embedder.calls[1][1] > embedder.calls[0][1]
    with pytest.MonkeyPatch.context() as patch:  # training profiles every part and reads no model (it may refit it)
        patch.setattr("storyline.relate.similarity.shipped_model", lambda: pytest.fail("read the shipped model"))
        ((full_a, full_b),) = pair_profiles([Pair("en", report, preview, "en", "en")], embedder, every_part=True)
    assert full_a.sentences_e5 is not None and full_a is not a
    assert compare(full_a, full_b).scores == pytest.approx(english.scores)
    assert not np.isnan(features(full_a, full_b)).any()
    partial = features(a, german)
    assert np.isnan(partial[FEATURES.index("minilm")]) and not np.isnan(partial[FEATURES.index("align_e5")])
    assert 1.0 <= compare(a, german).scores["overall"] <= 4.0


def test_a_model_refuses_rows_missing_a_feature_it_reads() -> None:
    model = shipped_model()
    row = np.linspace(0, 1, len(FEATURES))
    row[FEATURES.index("english")], row[FEATURES.index("minilm")] = 1.0, np.nan
    with pytest.raises(ValueError, match="minilm"):
        model.predict(row)
    row[FEATURES.index("english")] = 0.0  # the other languages' model does not read MiniLM
    assert 1.0 <= float(model.predict(row)["overall"][0]) <= 4.0
    assert model.parts_for("en", "en") == {"minilm"} and model.parts_for("en", "de") == {"sentences_e5"}


@pytest.mark.slow
def test_pairs_compared_in_workers_as_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Annotation in worker processes (what ``compare --pairs`` does with enough articles) gives
    the same comparisons as in this process."""
    from storyline.annotate.pool import Handover
    from storyline.api import compare_pairs
    from storyline.relate.pairs import Pair

    collect = Handover.collect
    batches: list[int] = []

    def counted(self: Handover, jobs: list, futures: list | None = None) -> object:  # type: ignore[type-arg]
        extracted = collect(self, jobs, futures)  # raises if the pool broke: no silent fallback here
        batches.append(len(jobs))
        return extracted

    monkeypatch.setattr(Handover, "collect", counted)

    report, preview, petersburg = (p.read_text(encoding="utf-8") for p in (SOCHI_REPORT, SOCHI_PREVIEW, PETERSBURG))
    german = Pair("c", petersburg, GERMAN_REPORT, "en", "de")
    pairs = [Pair("a", report, preview), Pair("b", report, petersburg), german]
    here = compare_pairs(pairs, workers=1)
    assert not batches
    there = compare_pairs(pairs, workers=2)
    assert batches == [5]  # the five distinct articles, annotated by the workers
    assert [c.as_dict() for c in here] == [c.as_dict() for c in there]  # type: ignore[union-attr]
    assert [c.id for c in here] == ["a", "b", "c"] and all(isinstance(c, Comparison) for c in here)
