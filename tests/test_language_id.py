"""Language identification: what it reads of a text, and the benchmark that chose how much."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from storyline.clean.language import MIN_LETTERS, SAMPLE_CHARS, LanguageIdentifier
from storyline.errors import ConfigError
from tests.conftest import ROOT, TEST_LANGUAGES

ENGLISH = (
    "The finance ministers met in the capital on Tuesday to agree a plan for the coming year, "
    "and the talks went on late into the night before a short statement was read to reporters. "
)
GERMAN = (
    "Die Finanzminister trafen sich am Dienstag in der Hauptstadt, um einen Plan für das kommende "
    "Jahr zu vereinbaren, und die Gespräche dauerten bis spät in die Nacht. "
)
FRENCH = (
    "Les ministres des finances se sont réunis mardi dans la capitale pour adopter un plan pour "
    "l'année à venir, et les discussions ont duré tard dans la nuit. "
)


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier(TEST_LANGUAGES)


def test_each_text_gets_its_language_in_order(identifier: LanguageIdentifier) -> None:
    assert identifier.detect_many([GERMAN * 3, ENGLISH * 3, FRENCH * 3]) == ["de", "en", "fr"]


def test_too_few_letters_get_no_language(identifier: LanguageIdentifier) -> None:
    short = "Oslo 2019: 4-1 " + "x" * (MIN_LETTERS - 5)
    assert identifier.detect_many([short, "", ENGLISH]) == [None, None, "en"]


def test_only_the_start_of_a_text_is_read(identifier: LanguageIdentifier) -> None:
    """An English lead of SAMPLE_CHARS characters decides, whatever follows it."""
    lead = (ENGLISH * 10)[:SAMPLE_CHARS]
    assert identifier.detect_many([lead + GERMAN * 20]) == ["en"]
    # the same German text with a lead shorter than the sample is German
    assert identifier.detect_many([ENGLISH[:40] + " " + GERMAN * 20]) == ["de"]


def test_unknown_and_too_few_languages_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown language code"):
        LanguageIdentifier(("en", "xx"))
    with pytest.raises(ConfigError, match="at least two"):
        LanguageIdentifier(("en",))


def _benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("language_sample", ROOT / "benchmarks" / "language_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_benchmark_scores_each_length(identifier: LanguageIdentifier) -> None:
    bench = _benchmark()
    texts = [(ENGLISH * 8, "en"), (GERMAN * 8, "de"), (FRENCH * 8, "fr"), (FRENCH * 8, "es")]
    rows = bench.measure(texts, [1000, 60], identifier)
    assert [r["chars"] for r in rows] == [1000, 60]
    longest = rows[0]
    assert longest["accuracy"] == 0.75 and longest["wrong"] == {"es->fr": 1}
    assert longest["same_as_longest"] == 4
    assert all(r["cpu_ms_per_text"] >= 0 for r in rows)


def test_the_sample_benchmark_reads_its_data_and_skips_without_it(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bench = _benchmark()
    assert bench.main(["--eval", str(tmp_path)]) == 0
    assert "skipped" in capsys.readouterr().err
    (tmp_path / "semeval2022-task8").mkdir()
    pair = {"id": "1_2", "lang1": "en", "lang2": "de", "text1": ENGLISH * 3, "text2": GERMAN * 3}
    (tmp_path / "semeval2022-task8" / "pairs.jsonl").write_text(json.dumps(pair) + "\n", encoding="utf-8")
    (tmp_path / "ner" / "wikineural").mkdir(parents=True)
    conll = "\n\n".join("\n".join(f"{w}\tO" for w in sentence.split()) for sentence in FRENCH.split(", "))
    (tmp_path / "ner" / "wikineural" / "fr.dev.conll").write_text(conll + "\n", encoding="utf-8")
    news = dict((lang, text) for text, lang in bench.news_texts(tmp_path))
    assert set(news) == {"en", "de"} and news["en"].startswith("The finance ministers")
    passages = bench.passages(tmp_path)
    assert passages and {lang for _, lang in passages} == {"fr"}
    assert bench.main(["--eval", str(tmp_path), "--lengths", "500,100"]) == 0
    out = capsys.readouterr().out
    assert "news: 2 texts" in out and "passages: 1 texts" in out
