"""Happenings on news placement was never fitted on: SemEval-2022 Task 8's pairs of articles.

The happening model's weights and thresholds were fitted on English reports of accidents, crimes
and disasters (ECB+ train, GVC train). The pairs file of SemEval-2022 Task 8 in ../shared/eval
holds 917 pairs of news articles in seven languages (English, German, Spanish, Turkish, Polish,
Arabic, French) and German-English pairs, each judged by people on how similar the two are
``overall`` (1 very similar ... 4 very dissimilar: whether they tell the same story). Its
articles carry no dates, and most of its pairs are of one topic, so the dissimilar ones are hard:
two reports of one country's lockdown on different days, two news items on one film.

Every article of the file is analyzed into one fresh store, as ``storyline analyze`` would (the
other pairs' articles are there too, as other news would be), in a fixed shuffled order (a hash
of the article's id); its language is detected, not read from the file, as a user's would be.
Then, for the pairs of ``split``:

- **together**: the pairs whose two articles storyline put in one happening, all of them and
  those a user sees by default (the happening not tentative);
- **precision**: of the pairs shown together (their happening not tentative) and judged either
  similar (``overall`` 2 or less) or dissimilar (3 or more), the share judged similar; a pair
  judged 2.5 counts as neither;
- **wrong**: the pairs shown together that were judged dissimilar, and very dissimilar (4);
- **recall**: of the pairs judged very similar (1.5 or less), the share put together. Two reports
  of one story need not report one happening (a profile and a news item), so this is a floor;
- the same by language and by the happening's confidence, so a user can see what a confidence
  means on such news.

The split is by pair, by the SHA-1 of its id (even: ``train``, odd: ``dev``), so that anything
chosen with these figures can be chosen on one half and reported on the other. Nothing in
placement was fitted on these pairs (the article similarity model of ``storyline compare`` was;
placement does not read it).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPLITS = ("all", "train", "dev")
#: ``overall`` at or under this: the two articles tell the same story (similar).
SIMILAR = 2.0
#: ...at or under this: very similar, the pairs recall is counted on.
VERY_SIMILAR = 1.5
#: ...at or over this: they tell different stories (dissimilar).
DISSIMILAR = 3.0
#: The happening's confidence, in these bands (the join threshold is the lowest it can take).
BANDS = ((0.0, 0.6), (0.6, 0.9), (0.9, 0.99), (0.99, 1.01))


@dataclass(frozen=True)
class GoldPair:
    """One judged pair: the two articles' ids, their languages, the ``overall`` score."""

    id: str
    first: str
    second: str
    languages: str
    overall: float

    @property
    def split(self) -> str:
        return "train" if int(hashlib.sha1(self.id.encode()).hexdigest(), 16) % 2 == 0 else "dev"


def read_pairs(path: Path) -> tuple[list[GoldPair], dict[str, tuple[str, str]]]:
    """The judged pairs of a SemEval-2022 Task 8 ``pairs.jsonl`` (read by
    :func:`storyline.relate.pairs.read_pairs`, as ``compare --pairs`` reads them) and each
    article's text and language (an article in several pairs is read once). A line that is not a
    pair with two texts, or a pair without two article ids and an ``overall`` score, is named in a
    ValueError."""
    from storyline.relate import pairs as relate

    read, errors = relate.read_pairs(path)
    if errors:
        where, _, line = errors[0].origin.rpartition("#line=")
        raise ValueError(f"{where}:{line}: not a judged pair with two texts ({errors[0].reason})")
    pairs: list[GoldPair] = []
    texts: dict[str, tuple[str, str]] = {}
    for p in read:
        ids = p.id.split("_")
        if len(ids) != 2 or "overall" not in p.gold:
            raise ValueError(f"{path}: pair {p.id!r}: not two article ids joined by _ with an overall score")
        for key, text, language in ((ids[0], p.text1, p.lang1), (ids[1], p.text2, p.lang2)):
            texts.setdefault(key, (text, str(language)))
        languages = p.lang1 if p.lang1 == p.lang2 else f"{p.lang1}-{p.lang2}"
        pairs.append(GoldPair(p.id, ids[0], ids[1], str(languages), p.gold["overall"]))
    if not pairs:
        raise ValueError(f"{path}: no pairs")
    return pairs, texts


@dataclass
class Tally:
    pairs: int = 0
    together: int = 0
    shown: int = 0
    similar: int = 0  # put together (shown) and judged similar
    wrong: int = 0  # put together (shown) and judged dissimilar
    very_wrong: int = 0
    very_similar: int = 0
    very_similar_together: int = 0

    def add(self, pair: GoldPair, together: bool, shown: bool) -> None:
        self.pairs += 1
        self.together += together
        self.shown += shown
        if shown and pair.overall <= SIMILAR:
            self.similar += 1
        if shown and pair.overall >= DISSIMILAR:
            self.wrong += 1
            self.very_wrong += pair.overall >= 4.0
        if pair.overall <= VERY_SIMILAR:
            self.very_similar += 1
            self.very_similar_together += together

    def as_dict(self) -> dict[str, Any]:
        judged = self.similar + self.wrong
        return {
            "pairs": self.pairs, "together": self.together, "shown": self.shown,
            "precision": round(self.similar / judged, 4) if judged else None,
            "wrong": self.wrong, "very_wrong": self.very_wrong,
            "recall": round(self.very_similar_together / self.very_similar, 4) if self.very_similar else None,
            "very_similar": self.very_similar,
        }  # fmt: skip


@dataclass
class HappeningPairScores:
    split: str
    articles: int
    placed: int
    overall: Tally = field(default_factory=Tally)
    by_languages: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_confidence: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    wrong: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "split": self.split, "articles": self.articles, "placed": self.placed,
            **self.overall.as_dict(),
            "by_languages": {k: v.as_dict() for k, v in sorted(self.by_languages.items())},
            # (only pairs put together are counted by confidence: no recall there)
            "by_confidence": {k: {**v.as_dict(), "recall": None} for k, v in sorted(self.by_confidence.items())},
            "wrong_pairs": self.wrong,
        }  # fmt: skip


def _band(confidence: float | None) -> str:
    if confidence is None:
        return "unknown"
    for low, high in BANDS:
        if low <= confidence < high:
            return f"{low:.2f}-{min(high, 1.0):.2f}"
    return "unknown"


def score(
    pairs: list[GoldPair],
    placed: dict[str, tuple[str, float | None, bool]],
    split: str = "all",
    articles: int = 0,
) -> HappeningPairScores:
    """Score ``placed`` (article id -> its happening, the happening's confidence, whether it is
    tentative) on the pairs of ``split``. An article not placed (refused at ingest) is a
    happening of its own."""
    if split not in SPLITS:
        raise ValueError(f"split {split!r}: choose one of {', '.join(SPLITS)}")
    out = HappeningPairScores(split, articles, len(placed))
    for pair in pairs:
        if split != "all" and pair.split != split:
            continue
        a, b = placed.get(pair.first), placed.get(pair.second)
        together = a is not None and b is not None and a[0] == b[0]
        shown = together and a is not None and not a[2]
        out.overall.add(pair, together, shown)
        out.by_languages[pair.languages].add(pair, together, shown)
        if together and a is not None:
            out.by_confidence[_band(a[1])].add(pair, together, shown)
            if pair.overall >= DISSIMILAR:
                out.wrong.append({"pair": pair.id, "overall": pair.overall, "languages": pair.languages,
                                  "confidence": a[1], "shown": shown})  # fmt: skip
    return out


def evaluate_happening_pairs(path: Path, split: str = "all", config: Any = None) -> HappeningPairScores:
    """Analyze every article of the pairs file into a fresh store and score the pairs of
    ``split`` (see the module's docstring)."""
    from storyline.evaluate import analyzed, arrival_order

    if split not in SPLITS:
        raise ValueError(f"split {split!r}: choose one of {', '.join(SPLITS)}")
    pairs, texts = read_pairs(path)
    records = ({"id": key, "text": texts[key][0]} for key in arrival_order(texts, key=str))
    placed: dict[str, tuple[str, float | None, bool]] = {}
    with analyzed(records, config) as sl:
        happenings = sl.store.document_clusters()
        state = {h.id: (h.confidence, h.tentative) for h in sl.clusters(limit=None, include_tentative=True)}
        for doc in sl.documents(limit=None):
            hid = happenings.get(doc.id, (None, None))[0]
            if hid is None:
                continue
            confidence, tentative = state.get(hid, (None, False))
            for sighting in sl.sightings(doc.id):  # an article the file holds twice: both keys
                placed[sighting.source_id] = (hid, confidence, bool(tentative))
    return score(pairs, placed, split, len(texts))
