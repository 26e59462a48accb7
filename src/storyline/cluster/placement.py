"""Content-first placement: which happening an article joins, decided by the happening model.

For a new article, the candidates are the happenings of its nearest articles (by the embeddings of
the openings; :class:`Backend.neighbours`) and any happening its own events joined. Each candidate
is scored by :class:`~storyline.cluster.model.HappeningModel` against up to
``ClusterConfig.max_members`` of its articles, those closest to the new one. The article joins the
best candidate whose probability reaches the model's ``join`` threshold; a second candidate that
reaches ``merge`` is the same happening, placed apart only by the order the articles came in, and
is merged into the first. Otherwise the article starts a happening of its own.

The same loop runs on the store (:class:`storyline.cluster.Clusterer`) and in memory
(:class:`MemoryBackend`), which is how the training script chooses the thresholds on whole
placements rather than on pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from storyline.cluster.features import Profile, features, idf_weight
from storyline.cluster.model import HappeningModel
from storyline.config import ClusterConfig

__all__ = ["Backend", "Decision", "MemoryBackend", "decide"]


class Backend(Protocol):
    """What placement reads: nearest articles, their happenings, profiles, document frequencies."""

    def neighbours(self, profile: Profile, k: int) -> list[tuple[str, float]]: ...
    def happening_of(self, doc_id: str) -> str | None: ...
    def member_profiles(self, happening_ids: Sequence[str], limit: int) -> dict[str, list[Profile]]: ...
    def frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]: ...


@dataclass
class Decision:
    """Where an article goes: the happening it joins (None: a new one), with what probability, the
    other happenings it shows to be the same one, and every candidate's score (the evidence)."""

    happening: str | None
    probability: float
    merge: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


def _idf(backend: Backend, terms: Iterable[str]) -> dict[str, float]:
    total, df = backend.frequencies(terms)
    return {t: idf_weight(n, total) for t, n in df.items()}


class _Weights(dict[str, float]):
    """Terms' weights, and ``default`` for a term not among them (its ``__getitem__`` is the
    lookup the features call for every term of every member: no Python call when found)."""

    def __init__(self, weights: Mapping[str, float], default: float) -> None:
        super().__init__(weights)
        self.default = default

    def __missing__(self, term: str) -> float:
        return self.default


def decide(
    doc: Profile,
    backend: Backend,
    model: HappeningModel,
    config: ClusterConfig,
    also: Iterable[str] = (),
) -> Decision:
    """Score the happenings of ``doc``'s nearest articles (and those in ``also``) and decide."""
    near = [(d, s) for d, s in backend.neighbours(doc, config.neighbours) if d != doc.doc_id]
    candidates: dict[str, None] = {}  # in the order found
    for other, _ in near:
        hid = backend.happening_of(other)
        if hid is not None:
            candidates.setdefault(hid)
    for hid in also:
        candidates.setdefault(hid)
    if not candidates:
        return Decision(None, 0.0)
    profiled = backend.member_profiles(list(candidates), config.max_members * 4)
    terms = set(doc.terms)
    for members in profiled.values():
        for p in members:
            terms.update(p.terms)
    idf = _idf(backend, terms)
    weight = _Weights(idf, max(idf.values(), default=1.0)).__getitem__
    rows, ids = [], []
    groups: dict[str, list[Profile]] = {}
    for hid in candidates:
        group = profiled.get(hid, [])
        if not group:
            continue
        if len(group) > config.max_members and doc.vector.size:
            # the members closest to the article speak for the happening
            sims = [float(p.vector @ doc.vector) if p.vector.size == doc.vector.size else -1.0 for p in group]
            order = np.argsort(sims)[::-1][: config.max_members]
            group = [group[i] for i in order]
        rows.append(features(doc, group, weight))
        ids.append(hid)
        groups[hid] = group
    if not rows:
        return Decision(None, 0.0)
    probs = model.probability(np.asarray(rows))
    scores = {hid: float(p) for hid, p in zip(ids, probs, strict=True)}
    for hid, group in groups.items():
        if _elsewhere(doc, group):
            scores[hid] = min(scores[hid], 0.0)
    best = max(scores, key=lambda h: scores[h])
    if scores[best] < model.join:
        return Decision(None, scores[best], scores=scores)
    merge = [h for h, p in scores.items() if h != best and p >= model.merge]
    return Decision(best, scores[best], merge, scores)


def _elsewhere(doc: Profile, group: Sequence[Profile]) -> bool:
    """A meeting of the same people reported as held somewhere else: both sides report meetings
    (PLOVER's CONSULT: talks, visits, summits), share two or more of the people named, both say
    where theirs took place, and share no such place (the two leaders' summit in Sochi and their
    talks in St Petersburg). The one rule placement keeps beside the model, for what the model's
    training data hardly shows (it holds few meetings); it never joins, it only keeps apart."""
    theirs = set().union(*(m.event_places for m in group))
    people = set().union(*(m.entities for m in group))
    met = "CONSULT" in doc.kinds and any("CONSULT" in m.kinds for m in group)
    shared = len({e for e in doc.entities & people if e.startswith("P:")})
    return met and shared >= 2 and bool(doc.event_places and theirs) and not doc.event_places & theirs


class MemoryBackend:
    """Placement over profiles held in memory (training and evaluation of the thresholds)."""

    def __init__(self) -> None:
        self._profiles: dict[str, Profile] = {}
        self._vectors: list[np.ndarray] = []
        self._ids: list[str] = []
        self._happening: dict[str, str] = {}
        self._members: dict[str, list[str]] = defaultdict(list)
        self._df: dict[str, int] = defaultdict(int)

    def neighbours(self, profile: Profile, k: int) -> list[tuple[str, float]]:
        if not self._ids:
            return []
        sims = np.stack(self._vectors) @ profile.vector
        order = np.argsort(-sims)[:k]
        return [(self._ids[i], float(sims[i])) for i in order]

    def happening_of(self, doc_id: str) -> str | None:
        return self._happening.get(doc_id)

    def member_profiles(self, happening_ids: Sequence[str], limit: int) -> dict[str, list[Profile]]:
        return {h: [self._profiles[d] for d in self._members[h][-limit:] if d in self._profiles] for h in happening_ids}

    def frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        return len(self._profiles), {t: self._df.get(t, 0) for t in terms}

    def place(self, doc: Profile, model: HappeningModel, config: ClusterConfig) -> str:
        """Decide, then record: the article's happening id."""
        decision = decide(doc, self, model, config)
        hid = decision.happening or f"H{len(self._profiles)}"
        for other in decision.merge:
            for d in self._members.pop(other, []):
                self._happening[d] = hid
                self._members[hid].append(d)
        self._happening[doc.doc_id] = hid
        self._members[hid].append(doc.doc_id)
        self._profiles[doc.doc_id] = doc
        self._ids.append(doc.doc_id)
        self._vectors.append(doc.vector)
        for t in doc.terms:
            self._df[t] += 1
        return hid
