"""Coreference scores over chains of mentions: MUC, B-cubed, CEAF-e and their mean, the CoNLL F1.

A chain is a set of mention ids. The key (gold) and the response (system) need not hold the same
mentions: a mention only the response has lowers precision, one only the key has lowers recall,
as in the reference scorer's handling of predicted mentions (Pradhan et al. 2014). Singleton
chains count in B-cubed and CEAF-e and, having no links, add nothing to MUC.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.evaluate import f1

Chain = frozenset[Hashable]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def chains(groups: Iterable[Iterable[Hashable]]) -> list[Chain]:
    """Non-empty chains as frozensets; a mention in two chains is an error in the caller's data."""
    out = [frozenset(g) for g in groups]
    out = [c for c in out if c]
    seen: set[Hashable] = set()
    for c in out:
        if seen & c:
            raise ValueError(f"mention {next(iter(seen & c))!r} is in more than one chain")
        seen |= c
    return out


def _muc_side(a: Sequence[Chain], b: Sequence[Chain]) -> float:
    """MUC recall of ``b`` against ``a`` (swap them for precision): per chain of ``a``, its links
    minus the pieces ``b`` cuts it into (a mention ``b`` lacks is a piece of its own)."""
    where = {m: i for i, c in enumerate(b) for m in c}
    num = den = 0
    for c in a:
        pieces = {where.get(m, ("missing", m)) for m in c}
        num += len(c) - len(pieces)
        den += len(c) - 1
    return num / den if den else 0.0


def muc(key: Sequence[Chain], response: Sequence[Chain]) -> Score:
    return Score(_muc_side(response, key), _muc_side(key, response))


def _b3_side(a: Sequence[Chain], b: Sequence[Chain]) -> float:
    where = {m: c for c in b for m in c}
    total = sum(len(c) for c in a)
    if not total:
        return 0.0
    got = 0.0
    for c in a:
        for m in c:
            other = where.get(m)
            if other is not None:
                got += len(c & other) / len(c)
    return got / total


def b_cubed(key: Sequence[Chain], response: Sequence[Chain]) -> Score:
    return Score(_b3_side(response, key), _b3_side(key, response))


def ceaf_e(key: Sequence[Chain], response: Sequence[Chain]) -> Score:
    """Entity-based CEAF: the one-to-one alignment of key and response chains that maximises the
    summed similarity 2|K∩R| / (|K| + |R|) (the Hungarian method), over the number of chains."""
    if not key or not response:
        return Score(0.0, 0.0)
    from scipy.optimize import linear_sum_assignment

    index = {m: j for j, c in enumerate(response) for m in c}
    sim = np.zeros((len(key), len(response)))
    for i, k in enumerate(key):
        for m in k:
            j = index.get(m)
            if j is not None:
                sim[i, j] += 1
    sizes_k = np.array([len(k) for k in key], dtype=float)[:, None]
    sizes_r = np.array([len(r) for r in response], dtype=float)[None, :]
    sim = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    best = float(sim[rows, cols].sum())
    return Score(best / len(response), best / len(key))


def conll(key: Sequence[Chain], response: Sequence[Chain]) -> dict[str, dict[str, float] | float]:
    """MUC, B-cubed and CEAF-e of ``response`` against ``key``, and the CoNLL F1 (their mean F1)."""
    scores = {"muc": muc(key, response), "bcubed": b_cubed(key, response), "ceafe": ceaf_e(key, response)}
    out: dict[str, dict[str, float] | float] = {name: s.as_dict() for name, s in scores.items()}
    out["conll_f1"] = round(sum(s.f1 for s in scores.values()) / 3, 4)
    return out
