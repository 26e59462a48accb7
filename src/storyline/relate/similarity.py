"""How similar two articles are, on each of the SemEval-2022 Task 8 dimensions, and why.

Each article is read once into a :class:`Profile` (its document, annotations and embeddings).
A pair of profiles gives a row of :data:`FEATURES`: embedding cosines (English MiniLM and
multilingual e5), overlaps of canonical entities, names, places, dates, numbers and events, the
gap between their dates, and the language pair. A ridge regression per dimension and per group
of pairs (:data:`GROUPS`, each over its :data:`GROUP_FEATURES`), trained by
``python -m storyline.relate.train`` on SemEval-2022 Task 8 pairs and shipped as
``relate/data/similarity.json``, turns the row into scores on the task's scale: 1 = very similar,
4 = very dissimilar. A profile holds only the encoder passes its pairs' models read. The verdict
and its reasons come from the same evidence, so every score can be traced to what the two articles
share and where they differ.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import numpy as np

from storyline.model import Document
from storyline.model.annotations import Annotations, Event, value_range
from storyline.relate.embed import DIM

NAME = "storyline.similarity.ridge.v1"
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")
VERDICTS = ("duplicate", "same event", "same storyline, different event", "related", "unrelated")

#: Days apart within which two reports of one event may date it differently (a wire story filed at
#: night, an event over a weekend).
SAME_EVENT_DAYS = 3

FEATURES = (
    "minilm",
    "minilm_en",
    "minilm_lead",
    "e5",
    "e5_cross",
    "e5_sq",
    "align_e5",
    "align_e5_best",
    "entities",
    "entities_known",
    "names",
    "places",
    "countries",
    "dates",
    "date_gap",
    "date_gap_known",
    "numbers",
    "words",
    "events",
    "length_ratio",
    "english",
    "cross_language",
)
_ACTORS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»\n]\s*$")


@dataclass
class Profile:
    """What comparison reads of one article: computed once, compared with many.

    The encoder passes a pair's group does not read (:data:`PART_FEATURES`) may be left out (``None``)
    and added later by :func:`complete`, when the article meets a pair that reads them."""

    doc: Document
    annotations: Annotations
    minilm: np.ndarray | None
    e5: np.ndarray
    minilm_lead: np.ndarray | None
    sentences_e5: np.ndarray | None
    """Unit vectors of the article's first :data:`SENTENCES` sentences (multilingual)."""
    entities: dict[str, str] = field(default_factory=dict)
    """Canonical entity id -> canonical name."""
    names: set[str] = field(default_factory=set)
    places: dict[str, str] = field(default_factory=dict)
    """Place name -> its country code (or "")."""
    dates: list[tuple[date, date]] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)

    @property
    def language(self) -> str:
        return self.doc.language or "und"

    @cached_property
    def event_day(self) -> tuple[date, date] | None:
        """The days of the article's main dated event, else its publication day."""
        dated = [e for e in self.annotations.events if e.time and value_range(e.time.value)]
        if dated:
            main = max(dated, key=lambda e: (e.confidence, -e.trigger.start))
            return value_range(main.time.value) if main.time else None
        if self.doc.published is not None:
            day = self.doc.published.value.date()
            return day, day
        return None


#: Sentences of an article compared one by one with the other's (its opening carries the event).
SENTENCES = 12


def lead(text: str, words: int = 60) -> str:
    """The article's opening words (its headline and first sentence, in news style)."""
    return " ".join(text.split()[:words])


#: The encoder passes of a profile beyond its e5 vector ("parts"), and the features each gives:
#: MiniLM over the whole text and its lead; e5 sentence by sentence. A profile
#: computes the parts its pairs' models read (:meth:`SimilarityModel.parts_for`).
PART_FEATURES = {
    "minilm": ("minilm", "minilm_en", "minilm_lead"),
    "sentences_e5": ("align_e5", "align_e5_best"),
}
EVERY_PART = frozenset(PART_FEATURES)


def profiles(docs: Sequence[Document], annotations: Sequence[Annotations], embedder: Any) -> list[Profile]:
    """Profiles of many articles with the e5 vector of each (one batch); :func:`complete` adds the
    parts (:data:`PART_FEATURES`) their pairs read."""
    e5 = embedder.e5([d.titled_text for d in docs])
    return [_profile(doc, ann, None, e5[i], None) for i, (doc, ann) in enumerate(zip(docs, annotations, strict=True))]


def complete(profs: Sequence[Profile], parts: Sequence[frozenset[str]], embedder: Any) -> None:
    """Compute, in batches, each profile's missing parts among ``parts`` (one set per profile)."""
    from storyline.annotate.sentences import sentences

    def cut(p: Profile) -> list[str]:
        text = p.doc.titled_text
        return [text[a:b] for a, b in sentences(text)][:SENTENCES] or [text[:300]]

    need_minilm = [p for p, want in zip(profs, parts, strict=True) if "minilm" in want and p.minilm is None]
    need_e5 = [p for p, want in zip(profs, parts, strict=True) if "sentences_e5" in want and p.sentences_e5 is None]
    if need_minilm:
        texts = [p.doc.titled_text for p in need_minilm]
        whole = embedder.minilm(texts)
        leads = embedder.minilm([lead(t) for t in texts])
        for i, p in enumerate(need_minilm):
            p.minilm, p.minilm_lead = whole[i], leads[i]
    if need_e5:
        for p, vectors in zip(need_e5, _sentence_vectors([cut(p) for p in need_e5], embedder.e5), strict=True):
            p.sentences_e5 = vectors


def _sentence_vectors(cuts: Sequence[Sequence[str]], encode: Any) -> list[np.ndarray]:
    """The vectors of each article's sentences, the sentences of all encoded together, sorted by
    length (batches of like lengths pad little)."""
    flat = [s for c in cuts for s in c]
    vectors = np.empty((len(flat), DIM), dtype=np.float32)
    if flat:
        order = np.argsort([len(s) for s in flat], kind="stable")
        vectors[order] = encode([flat[i] for i in order])
    out, at = [], 0
    for c in cuts:
        out.append(vectors[at : at + len(c)])
        at += len(c)
    return out


def _profile(
    doc: Document,
    ann: Annotations,
    minilm: np.ndarray | None,
    e5: np.ndarray,
    minilm_lead: np.ndarray | None,
    sentences_e5: np.ndarray | None = None,
) -> Profile:
    text = doc.text
    entities = {m.entity_id: m.canonical for m in ann.entities if m.label in _ACTORS}
    places = {p.name: p.country or "" for p in ann.places}
    dates = [r for t in ann.times if t.type in ("DATE", "TIME") and (r := value_range(t.value))]
    names = set()
    for m in _WORD.finditer(text):
        word = m.group()
        opening = m.start() == 0 or _SENTENCE_END.search(text[max(0, m.start() - 3) : m.start()])
        if word[0].isupper() and len(word) > 2 and not opening:
            names.add(word.casefold())  # a capitalised word inside a sentence: a name, in most languages
    words = {w.casefold() for w in _WORD.findall(text) if len(w) >= 4}
    numbers = set(_NUMBER.findall(text))
    return Profile(doc, ann, minilm, e5, minilm_lead, sentences_e5, entities, names, places, dates, numbers, words)


def _alignment(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """How well the sentences of two articles pair up: the mean, over the sentences of each, of
    its best cosine in the other (averaged both ways), and the best pair's cosine."""
    sims = a @ b.T
    mean = (float(sims.max(axis=1).mean()) + float(sims.max(axis=0).mean())) / 2
    return mean, float(sims.max())


def _jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _gap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> int | None:
    """Days between two date ranges (0 when they overlap)."""
    if a is None or b is None:
        return None
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _event_keys(events: Sequence[Event]) -> set[str]:
    keys: set[str] = set()
    for e in events:
        ids = sorted({a.entity_id for a in e.actors if a.entity_id and a.role != "speaker"})
        keys.update(f"{e.type}:{i}" for i in ids)
    return keys


def group_name(a: str, b: str) -> str:
    """The group (:data:`GROUPS`) of a pair of articles in languages ``a`` and ``b``."""
    return "english" if a == b == "en" else "other"


def feature_index(names: Sequence[str]) -> np.ndarray:
    """The positions in :data:`FEATURES` of the named features."""
    return np.array([FEATURES.index(n) for n in names])


def features(a: Profile, b: Profile) -> np.ndarray:
    """The pair's row of :data:`FEATURES`; a feature whose encoder pass either profile lacks
    (:data:`PART_FEATURES`) is NaN, and the model of the pair's group does not read it."""
    english = float(group_name(a.language, b.language) == "english")
    cross = float(a.language != b.language)
    e5 = float(a.e5 @ b.e5)
    known = float(bool(a.entities) and bool(b.entities))
    days_a = {d for r in a.dates for d in _days(r)}
    days_b = {d for r in b.dates for d in _days(r)}
    gap = _gap(a.event_day, b.event_day)
    la, lb = len(a.doc.text) + 1, len(b.doc.text) + 1
    nan = float("nan")
    align_e5, best_e5 = nan, nan
    if a.sentences_e5 is not None and b.sentences_e5 is not None:
        align_e5, best_e5 = _alignment(a.sentences_e5, b.sentences_e5)
    minilm = minilm_lead = nan
    if a.minilm is not None and b.minilm is not None:
        minilm = float(a.minilm @ b.minilm)
        minilm_lead = float(a.minilm_lead @ b.minilm_lead)  # type: ignore[operator]  # set with minilm
    row = {
        "align_e5": align_e5,
        "align_e5_best": best_e5,
        "minilm": minilm,
        "minilm_en": minilm * english,
        "minilm_lead": minilm_lead * english,
        "e5": e5,
        "e5_cross": e5 * cross,
        "e5_sq": e5 * e5,
        "entities": _jaccard(set(a.entities), set(b.entities)),
        "entities_known": known,
        "names": _jaccard(a.names, b.names),
        "places": _jaccard(set(a.places), set(b.places)),
        "countries": _jaccard({c for c in a.places.values() if c}, {c for c in b.places.values() if c}),
        "dates": _jaccard(days_a, days_b),
        "date_gap": math.log1p(min(gap, 3650)) if gap is not None else 0.0,
        "date_gap_known": float(gap is not None),
        "numbers": _jaccard(a.numbers, b.numbers),
        "words": _jaccard(a.words, b.words),
        "events": _jaccard(_event_keys(a.annotations.events), _event_keys(b.annotations.events)),
        "length_ratio": min(la, lb) / max(la, lb),
        "english": english,
        "cross_language": cross,
    }
    return np.array([row[f] for f in FEATURES], dtype=np.float64)


def _days(r: tuple[date, date]) -> list[str]:
    """The days of a date range, for ranges of a week or less (a month or a year says little)."""
    span = (r[1] - r[0]).days
    return [date.fromordinal(r[0].toordinal() + i).isoformat() for i in range(span + 1)] if span <= 7 else []


# -- the model ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ridge:
    """One linear model over some of :data:`FEATURES` (``columns``): standardise them, then a
    weighted sum per dimension."""

    mean: np.ndarray
    scale: np.ndarray
    coef: dict[str, np.ndarray]
    intercept: dict[str, float]
    columns: tuple[str, ...] = FEATURES

    @cached_property
    def _at(self) -> np.ndarray:
        return feature_index(self.columns)

    def predict(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        x = (np.atleast_2d(rows)[:, self._at] - self.mean) / self.scale
        if np.isnan(x).any():
            missing = sorted({self.columns[j] for j in np.nonzero(np.isnan(x).any(axis=0))[0]})
            raise ValueError(f"features {', '.join(missing)} were not computed for a pair that reads them")
        return {d: np.clip(x @ self.coef[d] + self.intercept[d], 1.0, 4.0) for d in self.coef}

    def as_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.columns),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "dimensions": {
                d: {"coef": self.coef[d].round(6).tolist(), "intercept": round(self.intercept[d], 6)} for d in self.coef
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ridge:
        dims = data["dimensions"]
        columns = tuple(data.get("features", FEATURES))
        if unknown := set(columns) - set(FEATURES):
            raise ValueError(f"a similarity model reads features this version lacks ({', '.join(sorted(unknown))})")
        if not len(data["mean"]) == len(data["scale"]) == len(columns):
            raise ValueError(f"a similarity model's group has {len(data['mean'])} means for {len(columns)} features")
        return cls(
            mean=np.array(data["mean"]),
            scale=np.array(data["scale"]),
            coef={d: np.array(v["coef"]) for d, v in dims.items()},
            intercept={d: float(v["intercept"]) for d, v in dims.items()},
            columns=columns,
        )


#: Pairs are scored by the model of their group: two English articles (for which entities, places,
#: events and the English embedder are all there) or any other pair.
GROUPS = ("english", "other")

#: The features each group's model is trained on (``python -m storyline.relate.train``): English
#: pairs do without e5's sentence alignment and the others without MiniLM, for cross-validated
#: figures within 0.002 of every feature's on SemEval-2022 (docs/benchmarks.md), so an article
#: needs only the encoder passes its pairs' groups read.
GROUP_FEATURES = {
    "english": tuple(f for f in FEATURES if f not in PART_FEATURES["sentences_e5"]),
    "other": tuple(f for f in FEATURES if f not in PART_FEATURES["minilm"]),
}


def group_of(rows: np.ndarray) -> np.ndarray:
    """Each row's group index in :data:`GROUPS` (0 for a pair of English articles)."""
    return np.where(np.atleast_2d(rows)[:, FEATURES.index("english")] > 0.5, 0, 1)


@dataclass(frozen=True)
class SimilarityModel:
    """A ridge regression per dimension and per group of pairs (:data:`GROUPS`)."""

    name: str
    features: tuple[str, ...]
    groups: dict[str, Ridge]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(next(iter(self.groups.values())).coef)

    def parts_for(self, a: str, b: str) -> frozenset[str]:
        """The parts (:data:`PART_FEATURES`) the model reads of a pair in languages ``a`` and ``b``."""
        columns = set(self.groups[group_name(a, b)].columns)
        return frozenset(part for part, names in PART_FEATURES.items() if columns & set(names))

    def predict(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Scores per dimension for rows of features, on the 1-4 scale."""
        rows = np.atleast_2d(rows)
        group = group_of(rows)
        out = {d: np.zeros(len(rows)) for d in self.dimensions}
        for g, name in enumerate(GROUPS):
            mask = group == g
            if mask.any():
                for d, v in self.groups[name].predict(rows[mask]).items():
                    out[d][mask] = v
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "features": list(self.features),
            "groups": {g: r.as_dict() for g, r in self.groups.items()},
            "info": self.info,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SimilarityModel:
        names = tuple(data["features"])
        if names != FEATURES:
            raise ValueError(f"similarity model {data.get('name')!r} was trained on other features: retrain it")
        groups = {g: Ridge.from_dict(data["groups"][g]) for g in GROUPS}
        return cls(name=data["name"], features=names, groups=groups, info=data.get("info", {}))


@lru_cache(maxsize=1)
def shipped_model() -> SimilarityModel:
    """The model shipped in the package (``relate/data/similarity.json``)."""
    text = resources.files("storyline.relate").joinpath("data/similarity.json").read_text(encoding="utf-8")
    return SimilarityModel.from_dict(json.loads(text))


# -- comparison -----------------------------------------------------------------------------------
@dataclass
class Comparison:
    """Scores of one pair (1 = very similar ... 4 = very dissimilar), a verdict, and its reasons."""

    id: str
    scores: dict[str, float]
    verdict: str
    reasons: list[str]
    evidence: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **{d: round(self.scores[d], 2) for d in DIMENSIONS if d in self.scores},
            "verdict": self.verdict,
            "reasons": {"text": self.reasons, **self.evidence},
        }


def compare(a: Profile, b: Profile, model: SimilarityModel | None = None, pair_id: str = "") -> Comparison:
    """Compare two profiled articles."""
    model = model or shipped_model()
    row = features(a, b)
    scores = {d: float(v[0]) for d, v in model.predict(row).items()}
    if same_text(a, b):
        # one text read twice is the same on every dimension by definition; the regression, fitted
        # on pairs of different articles, would say otherwise (2.2 overall for a text and itself)
        scores = dict.fromkeys(scores, 1.0)
    return explain(a, b, row, scores, pair_id or f"{a.doc.id}|{b.doc.id}")


def same_text(a: Profile, b: Profile) -> bool:
    """Whether two profiled articles hold one text (white space aside)."""
    return " ".join(a.doc.text.split()) == " ".join(b.doc.text.split())


def compare_documents(
    docs: Sequence[Document], annotations: Sequence[Annotations], embedder: Any, pair_id: str
) -> Comparison:
    """Compare two annotated documents, profiled with the encoder passes the shipped model reads
    of their pair."""
    model = shipped_model()
    first, second = profiles(docs, annotations, embedder)
    parts = model.parts_for(first.language, second.language)
    complete([first, second], [parts, parts], embedder)
    return compare(first, second, model, pair_id)


def explain(a: Profile, b: Profile, row: np.ndarray, scores: dict[str, float], pair_id: str) -> Comparison:
    """The verdict and its reasons, from the pair's evidence and its scores."""
    f = dict(zip(FEATURES, row.tolist(), strict=True))
    shared_ids = set(a.entities) & set(b.entities)
    shared = sorted(a.entities[i] for i in shared_ids)
    only_a = sorted(a.entities[i] for i in set(a.entities) - shared_ids)
    only_b = sorted(b.entities[i] for i in set(b.entities) - shared_ids)
    shared_places = sorted(set(a.places) & set(b.places))
    gap = _gap(a.event_day, b.event_day)
    shared_events, conflicting = _event_relations(a.annotations.events, b.annotations.events)
    cosine = f["minilm"] if f["english"] and not math.isnan(f["minilm"]) else f["e5"]
    identical = same_text(a, b)
    overall = scores.get("overall", 4.0)
    if identical or (cosine >= 0.97 and not f["cross_language"] and f["words"] >= 0.7):
        verdict = "duplicate"
    elif overall <= 1.9 and (gap is None or gap <= SAME_EVENT_DAYS) and not (conflicting and not shared_events):
        verdict = "same event"
    elif (
        (len(shared) >= 2 or scores.get("entities", 4.0) <= 2.0)
        and overall <= 3.0
        and ((gap is not None and gap > SAME_EVENT_DAYS) or conflicting)
    ):
        verdict = "same storyline, different event"
    elif overall <= 2.75:
        verdict = "related"
    else:
        verdict = "unrelated"
    reasons = [f"overall {overall:.1f} on the 1 (same) to 4 (unrelated) scale; text similarity {cosine:.2f}"]
    if identical:
        reasons[0] = "the same text: 1.0 on every dimension"
    if shared:
        reasons.append(f"both name {_listing(shared)}")
    if only_a or only_b:
        reasons.append(f"only the first names {_listing(only_a)}; only the second {_listing(only_b)}")
    if shared_places:
        reasons.append(f"both are set in {_listing(shared_places)}")
    if gap is not None:
        same = "their main events fall on the same days"
        reasons.append(same if gap == 0 else f"their main events are {gap} days apart")
    for s in shared_events[:3]:
        reasons.append(f"both report {s}")
    for c in conflicting[:3]:
        reasons.append(f"a similar event on other dates: {c}")
    if f["cross_language"]:
        reasons.append(f"languages differ ({a.language}, {b.language}): compared in a multilingual space")
    evidence = {
        "cosine": round(cosine, 3),
        "shared_entities": shared,
        "only_first": only_a,
        "only_second": only_b,
        "shared_places": shared_places,
        "date_gap_days": gap,
        "shared_events": shared_events,
        "conflicting_events": conflicting,
    }
    return Comparison(pair_id, scores, verdict, reasons, evidence)


def _listing(items: Sequence[str], most: int = 6) -> str:
    if not items:
        return "no one"
    head = ", ".join(items[:most])
    return head + (f" and {len(items) - most} more" if len(items) > most else "")


def _event_relations(a: Sequence[Event], b: Sequence[Event]) -> tuple[list[str], list[str]]:
    """Events of one kind with a shared actor: the same event when their dates agree, conflicting
    (a similar event on other dates) when they do not."""
    shared, conflicting = [], []
    seen: set[tuple[str, str]] = set()
    for x in a:
        ax = {p.entity_id for p in x.actors if p.entity_id and p.role != "speaker"}
        for y in b:
            if x.type != y.type or (x.subtype or "") != (y.subtype or ""):
                continue
            ay = {p.entity_id for p in y.actors if p.entity_id and p.role != "speaker"}
            if not ax & ay:
                continue
            names = sorted({p.canonical or p.text for p in x.actors if p.entity_id in ax & ay})
            label = f"{x.subtype or x.type.lower()} of {', '.join(names)}"
            rx = value_range(x.time.value) if x.time else None
            ry = value_range(y.time.value) if y.time else None
            gap = _gap(rx, ry)
            when = f" ({x.time.value} / {y.time.value})" if x.time and y.time else ""
            key = (label, when)
            if key in seen:
                continue
            seen.add(key)
            if gap is None or gap <= SAME_EVENT_DAYS:
                shared.append(label + when)
            else:
                conflicting.append(label + when)
    return shared, conflicting
