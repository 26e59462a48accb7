"""Language identification: what it reads of a text, and the benchmark that chose how much."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from storyline.clean.language import (
    ENGLISH_SHARE,
    ENGLISH_WORDS,
    MIN_LETTERS,
    SAMPLE_CHARS,
    LanguageIdentifier,
    plainly_english,
)
from storyline.errors import ConfigError

from .conftest import ROOT, TEST_LANGUAGES

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
    """An English lead of SAMPLE_CHARS characters decides, whatever follows it; lingua is given
    that lead and nothing more."""
    lead = (ENGLISH * 10)[:SAMPLE_CHARS]
    assert identifier.detect_many([lead + GERMAN * 20]) == ["en"]
    assert identifier.detect_many([ENGLISH[:40] + " " + GERMAN * 20]) == ["de"]  # a short lead does not
    given: list[str] = []

    class Recording:
        def detect_languages_in_parallel_of(self, samples: list[str]) -> list[None]:
            given.extend(samples)
            return [None] * len(samples)

    recording = LanguageIdentifier(TEST_LANGUAGES)
    recording._detector = Recording()
    text = (GERMAN * 10)[:SAMPLE_CHARS] + ENGLISH * 20  # a German lead: lingua decides
    assert recording.detect_many([text]) == [None]
    assert recording.detect_many([text], sample=60) == [None]
    assert given == [text[:SAMPLE_CHARS], text[:60]]


def test_plainly_english_text_is_answered_without_lingua() -> None:
    class Refusing:
        def detect_languages_in_parallel_of(self, samples: list[str]) -> list[None]:
            raise AssertionError(f"lingua asked about {samples}")

    quick = LanguageIdentifier(TEST_LANGUAGES)
    quick._detector = Refusing()
    assert quick.detect_many([ENGLISH * 3, "", "Oslo 4-1"]) == ["en", None, None]
    with pytest.raises(AssertionError):
        quick.detect_many([GERMAN * 3])
    # where English is not among the languages asked for, lingua chooses among them
    other = LanguageIdentifier(("de", "nl"))
    other._detector = Refusing()
    with pytest.raises(AssertionError):
        other.detect_many([ENGLISH * 3])


def test_the_english_shortcut_reads_commonest_words() -> None:
    assert plainly_english(ENGLISH * 3)
    assert not plainly_english(ENGLISH[:120])  # fewer words than ENGLISH_MIN_WORDS: too little to go by
    assert not plainly_english(GERMAN * 3) and not plainly_english(FRENCH * 3)
    # a Dutch text with English titles in it, and English words among Cyrillic ones
    dutch = "Het is zo dat de band met The Wall en The Final Cut de wereld rond ging, en dat was het. " * 3
    assert not plainly_english(dutch)
    russian = "Так « The Wall » и « The Final Cut » были записаны в Лондоне, и это было в том году. " * 3
    assert not plainly_english(russian)
    # an article in another language that quotes English is left to lingua by its own words
    quote = '"The president said that the talks with the leaders would continue" '
    dutch_news = (
        f"De minister zei maandag in Den Haag tegen journalisten dat {quote}en dat het kabinet de komende "
        f"weken verder zal onderhandelen met de partners in Brussel. Ook de oppositie sprak van een signaal, {quote}"
    )
    assert not plainly_english(dutch_news)
    assert sum(w in ENGLISH_WORDS for w in dutch_news.lower().split()) >= ENGLISH_SHARE * len(dutch_news.split())
    assert len(ENGLISH_WORDS) > 10 and 0 < ENGLISH_SHARE < 0.5


def test_unknown_and_too_few_languages_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown language code"):
        LanguageIdentifier(("en", "xx"))
    with pytest.raises(ConfigError, match="at least two"):
        LanguageIdentifier(("en",))


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("language_sample", ROOT / "benchmarks" / "language_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _ByLength:
    """A stand-in identifier whose answer for a text depends on how much of it it reads."""

    def __init__(self) -> None:
        self.samples: list[int] = []

    def detect_many(self, texts: list[str], sample: int = 1000) -> list[str | None]:
        self.samples.append(sample)
        return [text[:sample].split()[-1] if len(text) > sample else text.split()[-1] for text in texts]


def test_the_sample_benchmark_scores_each_length_against_the_longest() -> None:
    bench = _benchmark()
    texts = [("aa " * 10 + "en", "en"), ("aa " * 10 + "de", "de"), ("bb " * 10 + "fr", "es"), ("de", "de")]
    identifier = _ByLength()
    rows = bench.measure(texts, [20, 1000], identifier)
    assert identifier.samples == [1000, 1000, 20]  # an untimed pass first, then longest first
    longest, short = rows
    assert longest["chars"] == 1000 and longest["accuracy"] == 0.75 and longest["wrong"] == {"es->fr": 1}
    # at 20 characters the first three texts end on "aa"/"bb", not their last word
    assert short["chars"] == 20 and short["same_as_longest"] == 1
    assert short["accuracy"] == 0.25 and short["wrong"] == {"en->aa": 1, "de->aa": 1, "es->bb": 1}
    assert bench.measure([], [20], identifier) == []


def test_the_sample_benchmark_reads_its_data_and_skips_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _benchmark()
    assert bench.main(["--eval", str(tmp_path)]) == 0
    assert "skipped" in capsys.readouterr().err
    (tmp_path / "semeval2022-task8").mkdir()
    pair = {"id": "1_2", "lang1": "en", "lang2": "de", "text1": ENGLISH * 3, "text2": GERMAN * 3}
    (tmp_path / "semeval2022-task8" / "pairs.jsonl").write_text(json.dumps(pair) + "\n", encoding="utf-8")
    (tmp_path / "ner" / "wikineural").mkdir(parents=True)
    conll = "\n\n".join("\n".join(f"{w}\tO" for w in sentence.split()) for sentence in FRENCH.split(", "))
    (tmp_path / "ner" / "wikineural" / "fr.dev.conll").write_text(conll + "\n", encoding="utf-8")
    (tmp_path / "ner" / "wikineural" / "it.test.conll").write_text(conll + "\n", encoding="utf-8")  # never read
    news = dict((lang, text) for text, lang in bench.news_texts(tmp_path))
    assert set(news) == {"en", "de"} and news["en"].startswith("The finance ministers")
    passages = bench.passages(tmp_path)
    assert passages and {lang for _, lang in passages} == {"fr"}
    assert bench.main(["--eval", str(tmp_path), "--lengths", "500,100"]) == 0
    out = capsys.readouterr().out
    assert "news: 2 texts" in out and "passages: 1 texts" in out
