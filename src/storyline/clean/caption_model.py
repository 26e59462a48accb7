"""A learned second reading of the lines the caption rules keep in the body.

The rules of :mod:`storyline.clean.leftovers` are anchored and precise, but they know the shapes
they were written for. This model reads every line the rules leave in the body by a few dozen
plain features of its shape and place (its length, how it ends, whether it names a picture, a
source in brackets, an e-mail address or a telephone number, how far into the text it stands,
how long its neighbours are), and a logistic regression says how likely it is to be a caption or
a credit. Lines at or above :attr:`CaptionModel.threshold` leave the body: as a credit when a
credit's marks are on it (a byline, contact details, a time stamp), else as a caption.

The weights, the standardisation and the threshold are in ``data/caption_model.json``, written by
``python -m storyline.clean.train_caption_model EVAL_ROOT`` from the train split of
storyline's caption gold (:mod:`storyline.evaluate.captions`); the threshold is the lowest whose
removals, with the rules', keep a precision of at least ``PRECISION_FLOOR`` on the train split
read out of fold. Figures on the dev split are in docs/evaluation.md.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from storyline.clean.patterns import LinePattern, folded

MODEL_PATH = "data/caption_model.json"

_PICTURE_WORDS = LinePattern(
    r"\b(?:photos?|photograph\w*|pictures?|pics?|images?|videos?|gallery|galleries|credit|courtesy|screen\s?shots?"
    r"|pictured|camera|mug\s?shots?|enlarge|caption|street\s+view|file|foto\w*|bild\w*|zdj\w*|imagen\w*)\b",
    re.IGNORECASE,
)
_BRACKETED_END = re.compile(r"[(\[]([^()\[\]]{1,48})[)\]]\s*\.?$")
_EMAIL = LinePattern(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"\(?\b\d{3}\)?\s*[-–.]?\s*\d{3}\s*[-–.]\s*\d{4}\b")
_URL = LinePattern(r"https?://|\bwww\.", re.IGNORECASE)
_BYLINE = LinePattern(r"^[-–—\s]*(?:by|von|por|par|di|door)\s*:?\s+\S", re.IGNORECASE)
_CONTACT = LinePattern(r"^(?:contact|call|e-?mail|follow|reach|write\s+to)\b", re.IGNORECASE)
_STAMP = LinePattern(r"\b(?:updated|created|posted|published|modified)\b\s*:?", re.IGNORECASE)
_REPORTING = LinePattern(r"\b(?:said|says|told|according|added|stated)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?(?:\s|$)")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’]?$")

#: The features, in the order of the model's weights.
FEATURES = (
    "log_words", "short", "long", "ends_sentence", "ends_bracketed", "ends_colon", "picture_words",
    "copyright", "email", "phone", "url", "byline", "contact", "stamp", "reporting_verb", "sentences",
    "capitalised", "upper_case", "digits", "separators", "first_line", "second_line", "third_line",
    "last_lines", "position", "previous_words", "next_words", "previous_removed", "next_removed", "quoted",
)  # fmt: skip


def line_features(lines: Sequence[str], i: int, removed: Sequence[bool]) -> list[float]:
    """The features of line ``i`` of a text (its lines), ``removed`` saying which lines the rules
    took out of the body."""
    line = lines[i]
    low = folded(line)
    words = line.split()
    alpha = _WORD.findall(line)
    capitalised = sum(1 for w in alpha if w[:1].isupper())
    upper = sum(1 for w in alpha if len(w) > 1 and w.isupper())
    before = len(lines[i - 1].split()) if i > 0 else 0
    after = len(lines[i + 1].split()) if i + 1 < len(lines) else 0
    digits = sum(map(str.isdigit, line))  # a superset of what \d matches: no telephone below 10
    return [
        math.log1p(len(words)),
        float(len(words) <= 4),
        float(len(words) >= 40),
        float(_ENDS_SENTENCE.search(line) is not None),
        float(_BRACKETED_END.search(line) is not None),
        float(line.rstrip().endswith(":")),
        float(min(_PICTURE_WORDS.count(line, low), 2)),
        float("©" in line or "(c)" in (low if low is not None else line.lower())),
        float(_EMAIL.search(line, low)),
        float(digits >= 10 and _PHONE.search(line) is not None),
        float(_URL.search(line, low)),
        float(_BYLINE.search(line, low)),
        float(_CONTACT.search(line, low)),
        float(_STAMP.search(line, low)),
        float(_REPORTING.search(line, low)),
        float(min(len(_SENTENCE_END.findall(line)), 4)),
        capitalised / max(len(alpha), 1),
        upper / max(len(alpha), 1),
        digits / max(len(line), 1),
        float(min(line.count("|") + line.count(" / ") + line.count("/"), 3)),
        float(i == 0),
        float(i == 1),
        float(i == 2),
        float(i >= len(lines) - 2),
        i / max(len(lines) - 1, 1),
        math.log1p(before),
        math.log1p(after),
        float(i > 0 and removed[i - 1]),
        float(i + 1 < len(lines) and removed[i + 1]),
        float(line[:1] in "\"“'‘"),
    ]


def credit_marks(line: str) -> bool:
    """Whether a line the model takes out reads as a credit rather than a caption."""
    low = folded(line)
    return any(p.search(line, low) for p in (_BYLINE, _CONTACT, _EMAIL, _STAMP))


@dataclass(frozen=True)
class CaptionModel:
    weights: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    trained_on: str = ""

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        z = ((rows - self.mean) / self.scale) @ self.weights + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=float)

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "intercept": round(self.intercept, 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
            "threshold": round(self.threshold, 4),
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CaptionModel:
        if data.get("features") != list(FEATURES):
            raise ValueError("caption model: its features are not this version's")
        return cls(
            np.asarray(data["weights"], dtype=float),
            float(data["intercept"]),  # type: ignore[arg-type]
            np.asarray(data["mean"], dtype=float),
            np.asarray(data["scale"], dtype=float),
            float(data["threshold"]),  # type: ignore[arg-type]
            str(data.get("trained_on", "")),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> CaptionModel:
        text = (
            Path(path).read_text(encoding="utf-8")
            if path is not None
            else resources.files("storyline.clean").joinpath(MODEL_PATH).read_text(encoding="utf-8")
        )
        return cls.from_json(json.loads(text))


@lru_cache(maxsize=1)
def shipped_model() -> CaptionModel | None:
    """The model shipped with storyline (None when its file is missing)."""
    try:
        return CaptionModel.load()
    except (OSError, ValueError, KeyError):
        return None
