"""What the happening model reads of a document, and the features of a document against a happening.

A :class:`Profile` is computed once per document from its text and annotations and kept in the
store (``document_profiles``), so scoring a new article against a happening reads a few stored
rows, never the happening's articles again. The features (:data:`FEATURES`) compare one article
with the members of one candidate happening:

- ``cos_max``, ``cos_mean``: cosine of the multilingual embeddings of the openings (title and lead)
  with the closest member, and on average;
- ``tfidf``: cosine of the article's TF-IDF vector with the happening's (the sum of its members'
  unit vectors); document frequencies come from the store, so rare names weigh most;
- ``people``, ``people_conflict``: overlap (Jaccard) of the surnames of the people named (so a
  German report shares Putin with an English one, and "Mode" with "Modi" once spelling is
  resolved), and whether both name people but share none (two arrests of different people by
  the same police); an article the recogniser could not read offers its capitalised words;
- ``organisations``: overlap of the organisations named (a team, a company, a ministry: shared by
  many happenings, so no conflict is read into naming different ones);
- ``places``, ``place_conflict``: the same for towns, regions and sites (two earthquakes in two
  places);
- ``event_places``, ``event_place_conflict``: the same for the places where the events it reports
  take place (two meetings of the same leaders, one in Sochi, one in St Petersburg);
- ``numbers``, ``number_conflict``: the same for the figures given (casualty counts, amounts,
  magnitudes);
- ``years``, ``year_conflict``: the same for the years named (the same kind of event, another
  year: the 2008 fire and the 2012 one);
- ``kind_agree``, ``kind_conflict``: whether the events the article reports are of a kind the
  happening's are;
- ``dated``, ``gap``, ``inferred``: whether both sides have a day and, when they do,
  ``log(1 + days apart)``, and whether either day was inferred from the dates the text names
  (:func:`inferred_day`) rather than given with the document. No date is a value of its own
  (``dated`` = 0), never a reason to give up: undated articles are placed by content alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np

from storyline.model import Document
from storyline.model.annotations import VAGUE_PLACES, Annotations, EventStatus

__all__ = ["FEATURES", "Profile", "features", "idf_weight", "profile", "tfidf_vector"]

FEATURES = (
    "cos_max", "cos_mean", "tfidf", "people", "people_conflict", "organisations", "places", "place_conflict",
    "event_places", "event_place_conflict", "numbers",
    "number_conflict", "years", "year_conflict", "kind_agree", "kind_conflict", "dated", "gap", "inferred",
)  # fmt: skip

#: Terms kept per document (the most frequent): enough for a cosine, small enough to store.
MAX_TERMS = 120

_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|\d+(?:[.,]\d+)?", re.UNICODE)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
# function words of the languages the recogniser reads, and news words every story uses
_STOP_WORDS = """
a about after again against all also an and any are as at be been before being between both but by
can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not now of off on once
only or other our out over own said same says she should so some such than that the their them then
there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your according told tell reported report reports news year
years time day days week weeks month months one two three first last new also many much like get got
make made people percent per cent mr mrs ms der die das und den dem des ein eine einer eines ist im
mit von zu auf für sich nicht als auch es an le la les un une des du de et en est pour dans qui que
sur par au aux avec ce cette il elle el los las del y con por para una es al lo se su
"""
_STOP = frozenset(_STOP_WORDS.split())
_YEAR = re.compile(r"^(?:19|20)\d\d$")
#: A capitalised word of three letters or more that does not open a sentence.
_INNER_CAPITALS = re.compile(r"(?<=[\w,;] )([A-ZÀ-ÖØ-Þ][\w-]{2,})")


@dataclass
class Profile:
    """What the happening model reads of one document."""

    doc_id: str
    terms: dict[str, int]
    entities: frozenset[str] = frozenset()
    """People (``P:`` and their entity id), their surnames (``S:``) and organisations (``O:`` ...)."""
    places: frozenset[str] = frozenset()
    event_places: frozenset[str] = frozenset()
    """Where the events it reports (not those it recalls) take place: towns and sites."""
    numbers: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    day: date | None = None
    day_inferred: bool = False
    """``day`` was not given with the document but read from the dates its text names."""
    day_evidence: str | None = None
    vector: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32), repr=False)

    @cached_property
    def sublinear(self) -> dict[str, float]:
        """Each term's sublinear frequency, ``1 + log(count)`` (a placing run compares a
        happening's members with many articles: computed once)."""
        return {t: 1.0 + math.log(n) for t, n in self.terms.items()}

    def as_json(self) -> dict[str, Any]:
        return {
            "terms": self.terms,
            "entities": sorted(self.entities),
            "places": sorted(self.places),
            "event_places": sorted(self.event_places),
            "numbers": sorted(self.numbers),
            "kinds": sorted(self.kinds),
            "day": self.day.isoformat() if self.day else None,
            "day_inferred": self.day_inferred,
            "day_evidence": self.day_evidence,
        }

    @classmethod
    def from_json(cls, doc_id: str, data: Mapping[str, Any], vector: np.ndarray) -> Profile:
        day = data.get("day")
        return cls(
            doc_id,
            {str(k): int(v) for k, v in dict(data.get("terms") or {}).items()},
            frozenset(data.get("entities") or ()),
            frozenset(data.get("places") or ()),
            frozenset(data.get("event_places") or ()),
            frozenset(data.get("numbers") or ()),
            frozenset(data.get("kinds") or ()),
            date.fromisoformat(day) if isinstance(day, str) else None,
            bool(data.get("day_inferred")),
            data.get("day_evidence"),
            vector,
        )


def terms_of(text: str) -> dict[str, int]:
    """Lower-cased words of three letters or more that are no function words, and figures."""
    counts: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        w = m.group().casefold()
        if w in _STOP or (len(w) < 3 and not w[0].isdigit()):
            continue
        counts[w] += 1
    return dict(counts.most_common(MAX_TERMS))


def profile(doc: Document, ann: Annotations, day: date | None, vector: np.ndarray) -> Profile:
    """A document's profile: its terms (title counted twice), the people and organisations, places
    and figures it names, the kinds of the events it reports (not those it only recalls, denies or
    supposes), and its day."""
    text = f"{doc.title or ''}\n{doc.title or ''}\n{doc.text}"
    terms = terms_of(text)
    people = {
        f"{'P' if e.label == 'PERSON' else 'O'}:{e.entity_id}"
        for e in ann.entities
        if e.label in ("PERSON", "ORG") and e.entity_id and e.canonical
    }
    # surnames, which an article in another language or with a misspelt first name shares too; a
    # text the recogniser could not read offers its capitalised words inside sentences instead
    people |= {f"S:{e.canonical.split()[-1].casefold()}" for e in ann.entities if e.label == "PERSON" and e.canonical}
    if not ann.entities:
        people |= {f"S:{w.casefold()}" for w in _INNER_CAPITALS.findall(doc.text)}
    places = frozenset(p.name.casefold() for p in ann.places if p.kind not in VAGUE_PLACES)
    numbers = frozenset(w for w in terms if _NUMBER.match(w) and w not in {"0", "1"})
    reported = [
        e for e in ann.events if e.status not in (EventStatus.REFERENCED, EventStatus.NEGATED, EventStatus.HYPOTHETICAL)
    ]
    kinds = frozenset(e.type for e in reported)
    event_places = frozenset(
        e.place.name.casefold() for e in reported if e.place is not None and e.place.kind not in VAGUE_PLACES
    )
    inferred, evidence = (None, None) if day is not None else inferred_day(ann)
    return Profile(
        doc.id, terms, frozenset(people), places, event_places, numbers, kinds, day or inferred,
        inferred is not None, evidence, np.asarray(vector, dtype=np.float32),
    )  # fmt: skip


_DATED = re.compile(r"^(\d{4})-(\d\d)(?:-(\d\d))?$")


def inferred_day(ann: Annotations) -> tuple[date | None, str | None]:
    """For a document that carries no date: the latest day (or month, as its first day) among the
    fully dated expressions of its text ("18 September 2013"), and those words as evidence. News
    reports its own day or the days before it, so the latest date named is the nearest to when it
    was written; a weak signal, and the model knows it is inferred."""
    best: tuple[date, str] | None = None
    for t in ann.times:
        m = _DATED.match(t.value) if t.type.value == "DATE" else None
        if m is None:
            continue
        try:
            day = date(int(m[1]), int(m[2]), int(m[3] or 1))
        except ValueError:
            continue
        if best is None or day > best[0]:
            best = (day, t.text)
    return (best[0], best[1]) if best else (None, None)


def idf_weight(documents: int, total: int) -> float:
    """Inverse document frequency of a term found in ``documents`` of ``total`` documents (smoothed,
    so an unseen term weighs most and none weighs nothing)."""
    return math.log((total + 1) / (documents + 1)) + 1.0


def tfidf_vector(sublinear: Mapping[str, float], idf: Callable[[str], float]) -> dict[str, float]:
    """Sublinear TF-IDF, L2-normalised, of terms whose sublinear frequencies are given
    (:attr:`Profile.sublinear`)."""
    weights = {t: tf * idf(t) for t, tf in sublinear.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _years(numbers: Iterable[str], years: bool) -> frozenset[str]:
    return frozenset(n for n in numbers if bool(_YEAR.match(n)) is years)


def _kind(ids: Iterable[str], prefix: str) -> frozenset[str]:
    return frozenset(i for i in ids if i.startswith(prefix))


def _overlap(mine: frozenset[str], theirs: set[str] | frozenset[str]) -> tuple[float, float]:
    """Jaccard overlap, and 1.0 when both sides name some and share none."""
    if not mine or not theirs:
        return 0.0, 0.0
    shared = len(mine & theirs)
    return shared / len(mine | theirs), float(shared == 0)


def features(doc: Profile, members: Sequence[Profile], idf: Callable[[str], float]) -> list[float]:
    """The features of :data:`FEATURES` for ``doc`` against a happening of ``members``."""
    if not members:
        raise ValueError("a happening to compare with needs at least one member")
    if doc.vector.size and all(m.vector.size == doc.vector.size for m in members):
        cos = np.stack([m.vector for m in members]) @ doc.vector
        cos_max, cos_mean = float(cos.max()), float(cos.mean())
    else:
        cos_max = cos_mean = 0.0
    mine = tfidf_vector(doc.sublinear, idf)
    centroid: dict[str, float] = {}
    for m in members:
        for t, w in tfidf_vector(m.sublinear, idf).items():
            centroid[t] = centroid.get(t, 0.0) + w
    norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
    tfidf = sum(w * centroid.get(t, 0.0) for t, w in mine.items()) / norm
    entities = set().union(*(m.entities for m in members))
    places = set().union(*(m.places for m in members))
    event_places = set().union(*(m.event_places for m in members))
    numbers = set().union(*(m.numbers for m in members))
    kinds = set().union(*(m.kinds for m in members))
    ppl, _ = _overlap(_kind(doc.entities, "S:"), _kind(entities, "S:"))
    _, ppl_conflict = _overlap(_kind(doc.entities, "P:"), _kind(entities, "P:"))
    if ppl > 0:
        ppl_conflict = 0.0  # a surname shared: the same person, spelt or read differently
    org, _ = _overlap(_kind(doc.entities, "O:"), _kind(entities, "O:"))
    plc, plc_conflict = _overlap(doc.places, places)
    evp, evp_conflict = _overlap(doc.event_places, event_places)
    num, num_conflict = _overlap(_years(doc.numbers, False), _years(numbers, False))
    yrs, yrs_conflict = _overlap(_years(doc.numbers, True), _years(numbers, True))
    kind, kind_conflict = _overlap(doc.kinds, kinds)
    gaps = [(abs((doc.day - m.day).days), m.day_inferred) for m in members if doc.day and m.day]
    if gaps:
        days_apart, theirs_inferred = min(gaps)
        dated, gap, inferred = 1.0, math.log1p(days_apart), float(doc.day_inferred or theirs_inferred)
    else:
        dated, gap, inferred = 0.0, 0.0, 0.0
    return [
        cos_max, cos_mean, tfidf, ppl, ppl_conflict, org, plc, plc_conflict, evp, evp_conflict, num, num_conflict,
        yrs, yrs_conflict, float(kind > 0), kind_conflict, dated, gap, inferred,
    ]  # fmt: skip
