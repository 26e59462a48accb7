"""The PLOVER category of an event, decided by a small learned model where the rules stop
generalising.

The lexicon and the parse stay the candidate finder: they say where an event is, who takes part
and whether it happened. Which category the main event of a sentence codes to is decided by a
multinomial logistic regression over two groups of named inputs:

- the sentence's MiniLM embedding (384 numbers: what the sentence is about);
- what the rules found in it: the main event's PLOVER category (one-hot), every event's category
  weighted by its confidence, the main event's status, and "no event".

The model (``data/event_category.json``: categories, weights, the figures it was chosen on) is
learned by :mod:`storyline.annotate.train_event_model` from the PLOVER records of the shared eval
data and the CAMEO-to-PLOVER table's descriptions. It is applied by :func:`recode`: when it
prefers another category than the rules for a sentence's main event, the event takes that
category (its finer kind, which came from the rule, is dropped) and its trigger records that the
model decided (``rule`` ends in ``+model``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.annotate.events import plover_category
from storyline.annotate.linear import softmax
from storyline.model.annotations import Event, EventStatus

__all__ = ["NAME", "CategoryModel", "recode", "rule_features"]

#: The stage version recorded with annotations it decided.
NAME = "storyline.events.category-model.v1"

#: The statuses the model reads, in the order of its inputs.
STATUSES = tuple(s.value for s in EventStatus)

Embed = Callable[[Sequence[str]], np.ndarray]


def main_event(events: Sequence[Event]) -> Event | None:
    """The event a sentence is mainly about: the most confident; on a tie (confidence stops at
    0.95) a frame, which holds another event as its condition or demand ("will withdraw ...
    unless ...", "must ..."), then the earliest."""
    return max(events, key=lambda e: (e.confidence, _frame(e), -e.trigger.start)) if events else None


def _frame(event: Event) -> bool:
    return any((m.rule or "").startswith("frame:") for m in event.mentions or [event.trigger])


def rule_features(events: Sequence[Event], categories: Sequence[str]) -> np.ndarray:
    """What the rules found in one sentence, as the model's second group of inputs."""
    k = len(categories)
    index = {c: i for i, c in enumerate(categories)}
    out = np.zeros(2 * k + len(STATUSES) + 1, dtype=np.float64)
    main = main_event(events)
    if main is None:
        out[-1] = 1.0
        return out
    for e in events:
        at = index.get(plover_category(e))
        if at is not None:
            out[k + at] += e.confidence
    at = index.get(plover_category(main))
    if at is not None:
        out[at] = 1.0
    out[2 * k + STATUSES.index(main.status.value)] = 1.0
    return out


@dataclass(frozen=True)
class CategoryModel:
    """Categories, weights over [embedding, rule_weight * rule features], and how it was fit."""

    categories: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    rule_weight: float
    info: dict[str, Any]
    override_above: float = 0.0
    """The model replaces the rules' category only when its probability exceeds this."""

    @classmethod
    def load(cls, path: Path | None = None) -> CategoryModel:
        if path is None:
            text = resources.files("storyline.annotate").joinpath("data/event_category.json").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        return cls.from_json(json.loads(text))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CategoryModel:
        categories = tuple(str(c) for c in data["categories"])
        weights = np.asarray(data["weights"], dtype=np.float64)
        bias = np.asarray(data["bias"], dtype=np.float64)
        expected = 384 + 2 * len(categories) + len(STATUSES) + 1
        if weights.shape != (expected, len(categories)) or bias.shape != (len(categories),):
            raise ValueError(f"event category model: weights {weights.shape}, expected ({expected}, {len(categories)})")
        return cls(
            categories, weights, bias, float(data["rule_weight"]), dict(data.get("info") or {}),
            float(data.get("override_above", 0.0)),
        )  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories),
            "rule_weight": self.rule_weight,
            "override_above": self.override_above,
            "weights": np.round(self.weights, 5).tolist(),
            "bias": np.round(self.bias, 5).tolist(),
            "info": self.info,
        }

    def inputs(self, embeddings: np.ndarray, sentences: Sequence[Sequence[Event]]) -> np.ndarray:
        rules = np.array([rule_features(events, self.categories) for events in sentences]).reshape(len(sentences), -1)
        return np.hstack([np.asarray(embeddings, dtype=np.float64), self.rule_weight * rules])

    def probabilities(self, inputs: np.ndarray) -> np.ndarray:
        return softmax(inputs @ self.weights + self.bias)

    def choose(self, row: np.ndarray, main: Event | None) -> str | None:
        """The category a sentence's main event takes given the model's probabilities ``row``:
        the model's when it is surer than :attr:`override_above`, else the rules'. None where
        the rules found no event: the model decides categories, it does not find events."""
        if main is None:
            return None
        at = int(row.argmax())
        return self.categories[at] if row[at] > self.override_above else plover_category(main)


def recode(
    texts: Sequence[str], events: Sequence[Sequence[Event]], model: CategoryModel, embed: Embed
) -> list[list[Event]]:
    """The events of each text, each sentence's main event in the category the model prefers."""
    groups: list[tuple[int, list[Event]]] = []
    for d, doc_events in enumerate(events):
        by_sentence: dict[tuple[int, int], list[Event]] = {}
        for e in doc_events:
            by_sentence.setdefault((e.trigger.sentence_start, e.trigger.sentence_end), []).append(e)
        groups += [(d, group) for group in by_sentence.values()]
    out = [list(doc_events) for doc_events in events]
    if not groups:
        return out
    sentences = [texts[d][g[0].trigger.sentence_start : g[0].trigger.sentence_end] for d, g in groups]
    probabilities = model.probabilities(model.inputs(embed(sentences), [g for _, g in groups]))
    for (d, group), row in zip(groups, probabilities, strict=True):
        main = main_event(group)
        category = model.choose(row, main)
        if main is None or category is None or category == plover_category(main):
            continue
        rule = main.trigger.rule
        trigger = replace(main.trigger, rule=f"{rule}+model" if rule else "model")
        recoded = replace(main, type=category, subtype=None, cameo=None, trigger=trigger)
        out[d] = [recoded if e is main else e for e in out[d]]
    return out
