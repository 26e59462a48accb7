"""Language identification with lingua, restricted to a configured set of languages."""

from __future__ import annotations

import re
from typing import Any

from storyline.errors import ConfigError

#: Texts with fewer letters than this get no language: too little evidence.
MIN_LETTERS = 20
#: Only the start of a long text is looked at; language rarely changes mid-article. lingua's
#: time grows with what it reads (0.46-0.49 ms of processor time a text at 500 characters,
#: 0.80-0.92 at 1,000). Chosen with ``benchmarks/language_sample.py`` on ../shared/eval: at 500 characters
#: 1,808 SemEval 2022 news articles in 7 languages get the same answers as at 1,000, and 1,163 of
#: 1,164 NER dev passages in 9 languages (300 did as well there, but on the same sentences cut
#: into 1,000-character passages it changed 6 answers in 1,959 where 500 changed one).
SAMPLE_CHARS = 500
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+")
#: Common words of English, rare in the text of the other default languages (Dutch writes "of" and
#: "been" too; "to", a Polish word, and "in", "was", "will", German and Dutch ones, are left out).
ENGLISH_WORDS = frozenset(
    "the and of that with for which would this from have has were been their said".split()  # noqa: SIM905
)
#: Function words of the other languages written in Latin letters that English never writes as
#: words of its own (not "die", "met", "do", "con", "per", nor the "de", "la", "van" of names).
#: Two of them in a sample leave it to lingua, whatever its English words: an article in Dutch or
#: Italian that quotes English is not English.
OTHER_WORDS = frozenset(
    (  # noqa: SIM905 (word lists are easier to read as text)
        "der das und nicht ist sich mit auf dem des eine einer zum zur "  # German
        "het een niet zijn voor dat ook naar bij wordt werd "  # Dutch
        "les des est une dans pour pas qui sur avec ils elle aux "  # French
        "el los las del que por una para como pero "  # Spanish
        "il della che non sono gli alla delle nel "  # Italian
        "os das uma com dos pelo pela "  # Portuguese
        "jest nie się sie że ze przez oraz "  # Polish (also as written without its letters)
        "ve bir bu için icin ile olarak"  # Turkish
    ).split()
)
#: A sample whose words are at least this share of :data:`ENGLISH_WORDS` (with "the" twice, at
#: least :data:`ENGLISH_MIN_WORDS` words, nearly all in ASCII letters, and fewer than two of
#: :data:`OTHER_WORDS`) is English without asking lingua, which costs about 0.4 ms a text.
#: Measured with ``benchmarks/language_sample.py`` on ../shared/eval: among texts in other
#: languages the largest share is 0.071 (a Russian passage naming English songs), 0.039 in news;
#: see docs/benchmarks.md for how many English texts take this path.
ENGLISH_SHARE = 0.12
ENGLISH_MIN_WORDS = 30


def sample_words(sample: str) -> list[str]:
    """A sample's words, in lower case, as the English shortcut reads them."""
    words: list[str] = _WORD.findall(sample.lower())
    return words


def english_share(words: list[str]) -> float:
    """The share of :data:`ENGLISH_WORDS` among words (0 for none)."""
    return sum(w in ENGLISH_WORDS for w in words) / len(words) if words else 0.0


def plainly_english(sample: str) -> bool:
    """Whether a sample reads as English by its commonest words alone (see :data:`ENGLISH_SHARE`)."""
    words = sample_words(sample)
    if len(words) < ENGLISH_MIN_WORDS or words.count("the") < 2:
        return False
    if english_share(words) < ENGLISH_SHARE:
        return False
    if sum(w in OTHER_WORDS for w in words) >= 2:
        return False
    ascii_words = sum(1 for w in words if w.isascii())
    return ascii_words >= 0.95 * len(words)


class LanguageIdentifier:
    """Chooses among ``languages`` (ISO 639-1 codes). The detector is built on first use."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        from lingua import IsoCode639_1

        codes = []
        for code in languages:
            try:
                codes.append(getattr(IsoCode639_1, code.upper()))
            except AttributeError:
                raise ConfigError(f"unknown language code {code!r} (expected ISO 639-1, e.g. en, de)") from None
        if len(codes) < 2:
            raise ConfigError("language detection needs at least two languages to choose from")
        self._codes = codes
        self._english = "en" in {c.lower() for c in languages}
        self._detector: Any = None

    def _get(self) -> Any:
        if self._detector is None:
            from lingua import LanguageDetectorBuilder

            self._detector = LanguageDetectorBuilder.from_iso_codes_639_1(*self._codes).build()
        return self._detector

    def detect_many(self, texts: list[str], sample: int = SAMPLE_CHARS) -> list[str | None]:
        """ISO 639-1 code per text, read from its first ``sample`` characters, or None for texts
        too short to tell."""
        samples = [t[:sample] for t in texts]
        todo = [i for i, t in enumerate(samples) if len(_LETTER.findall(t)) >= MIN_LETTERS]
        out: list[str | None] = [None] * len(texts)
        if self._english:
            plain = {i for i in todo if plainly_english(samples[i])}
            for i in plain:
                out[i] = "en"
            todo = [i for i in todo if i not in plain]
        if not todo:
            return out
        found = self._get().detect_languages_in_parallel_of([samples[i] for i in todo])
        for i, language in zip(todo, found, strict=True):
            out[i] = language.iso_code_639_1.name.lower() if language is not None else None
        return out
