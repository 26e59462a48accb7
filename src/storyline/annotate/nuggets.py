"""Event mentions of any kind (deaths, arrests, earthquakes, fires, launches), found by a learned
table of word forms, and chained across the articles of one happening.

The event stage finds PLOVER acts (who met, signed, attacked whom). Coreference across articles
needs every event word: "the quake", "killed", "evacuated". :data:`TABLE` (``data/nuggets.json``)
holds, for each word form seen in the training data, how often it was an event mention there and
its lemma; a word whose share reaches the table's threshold is an event mention. The table is
learned from ECB+'s training topics by :mod:`storyline.annotate.train_nuggets` (no topic of the dev
split is in it), and is read as it is: a lookup per word, no parse, any language's text (though
only English forms are in it).

Mentions of one happening corefer when they share a lemma (the lemma baseline of event
coreference), and never across happenings: :func:`chain_mentions`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Nugget", "NuggetTable", "chain_mentions", "find_nuggets"]

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Nugget:
    """One event word in a text: its character span, the word and its lemma."""

    start: int
    end: int
    text: str
    lemma: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "lemma": self.lemma}


@dataclass(frozen=True)
class NuggetTable:
    """Word form -> (share of its occurrences that were event mentions, lemma), and the share a
    form needs to count."""

    forms: dict[str, tuple[float, str]]
    threshold: float
    info: dict[str, Any]

    @classmethod
    def load(cls, text: str | None = None) -> NuggetTable:
        if text is None:
            text = resources.files("storyline.annotate").joinpath("data/nuggets.json").read_text(encoding="utf-8")
        data = json.loads(text)
        forms = {str(f): (float(v[0]), str(v[1])) for f, v in data["forms"].items()}
        return cls(forms, float(data["threshold"]), dict(data.get("info") or {}))

    def find(self, text: str) -> list[Nugget]:
        out = []
        for m in _WORD.finditer(text):
            found = self.forms.get(m.group().casefold())
            if found is not None and found[0] >= self.threshold:
                out.append(Nugget(m.start(), m.end(), m.group(), found[1]))
        return out


@lru_cache(maxsize=1)
def _table() -> NuggetTable:
    return NuggetTable.load()


def find_nuggets(text: str) -> list[Nugget]:
    """The event mentions of a text, by the shipped table."""
    return _table().find(text)


def chain_mentions(placed: Iterable[tuple[str, str | None, Nugget]]) -> list[list[tuple[str, Nugget]]]:
    """Chains of coreferent mentions from (document id, its happening, mention): within one
    happening, mentions of one lemma; a document in no happening chains only its own."""
    chains: dict[tuple[str, str], list[tuple[str, Nugget]]] = defaultdict(list)
    for doc_id, happening, nugget in placed:
        chains[(happening or f"doc:{doc_id}", nugget.lemma)].append((doc_id, nugget))
    return list(chains.values())
