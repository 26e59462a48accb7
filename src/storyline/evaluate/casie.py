"""Event triggers and realis against CASIE (cyber-security news annotated with events: a trigger
span, the "nugget", for each event mention, and its realis: Actual, Other or Generic).

Each article's ``content`` is annotated as a document published on its ``info.date``. Scores:

- trigger detection: a gold nugget is found when a storyline event mention's trigger overlaps it;
  precision counts storyline's mentions that overlap some nugget (any event type: CASIE annotates
  only cyber events, so storyline's other events in the same articles count against precision),
  and, beside it, the precision of storyline's cyber events alone (breach, phishing, ransomware,
  exploitation, vulnerability found, patch);
- realis, over the nuggets found: storyline's status of the mention set against the gold realis,
  ``occurred``/``ongoing``/``referenced`` as Actual and ``planned``/``hypothetical``/``negated`` as
  Other. storyline has no status for Generic ("phishing attacks often ..."); how it labels the
  gold Generic mentions is reported beside the accuracy, which is over Actual and Other;
- place, over the nuggets found whose event has a ``Place`` argument (a country, region or city
  where the attack or breach happened): the share whose storyline event has that place (its
  words overlap the argument, or one name holds the other: "UK" and "the UK"), and of those
  whose event names a place, the share naming the right one. No place rule was written looking
  at these arguments.

Articles are also split by file order into halves (``first``, ``second``): the cyber words of the
event lexicon were chosen while looking at nuggets of the first half only.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from storyline.evaluate import f1, gold_document, place_matches

REALIS = {
    "occurred": "Actual", "ongoing": "Actual", "referenced": "Actual",
    "planned": "Other", "hypothetical": "Other", "negated": "Other",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CasieArticle:
    name: str
    text: str
    published: date | None
    nuggets: list[tuple[int, int, str, str]]
    """(start, end, subtype, realis) of each gold event mention."""
    places: dict[tuple[int, int], list[tuple[int, int, str]]] = field(default_factory=dict)
    """(start, end) of a nugget -> the (start, end, text) of its ``Place`` arguments."""


def read_casie(path: Path) -> CasieArticle:
    data = json.loads(path.read_text(encoding="utf-8"))
    text = data.get("content")
    if not isinstance(text, str):
        raise ValueError(f"{path}: no content")
    when = None
    raw = str((data.get("info") or {}).get("date") or "")
    m = re.fullmatch(r"(\d{4})[_-](\d\d)[_-](\d\d)", raw)
    if m:
        try:
            when = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            when = None
    events = data.get("cyberevent") or {}
    if isinstance(events, str):  # some releases store the annotation as a Python literal
        events = ast.literal_eval(events)
    nuggets = []
    places: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for hopper in events.get("hopper", []):
        for e in hopper.get("events", []):
            n = e.get("nugget") or {}
            if isinstance(n.get("startOffset"), int) and isinstance(n.get("endOffset"), int):
                nuggets.append((n["startOffset"], n["endOffset"], str(e.get("subtype")), str(e.get("realis"))))
                for a in e.get("argument") or []:
                    if (a.get("role") or {}).get("type") == "Place" and isinstance(a.get("startOffset"), int):
                        at = (n["startOffset"], n["endOffset"])
                        places.setdefault(at, []).append((a["startOffset"], a["endOffset"], str(a.get("text", ""))))
    return CasieArticle(path.name, text, when, nuggets, places)


@dataclass
class CasieScores:
    articles: int = 0
    gold: int = 0
    system: int = 0
    gold_found: int = 0
    system_matched: int = 0
    cyber_system: int = 0
    cyber_matched: int = 0
    realis_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(gold realis, storyline's realis) over the nuggets found."""
    found_by_subtype: Counter[str] = field(default_factory=Counter)
    gold_by_subtype: Counter[str] = field(default_factory=Counter)
    place_gold: int = 0
    """Nuggets found whose gold event has a place."""
    place_named: int = 0
    """Of those, the ones whose storyline event names a place."""
    place_right: int = 0
    """Of those, the ones naming the gold place."""

    def as_dict(self) -> dict[str, Any]:
        p = self.system_matched / self.system if self.system else 0.0
        r = self.gold_found / self.gold if self.gold else 0.0
        scored = {k: v for k, v in self.realis_pairs.items() if k[0] in ("Actual", "Other")}
        correct = sum(v for (g, s), v in scored.items() if g == s)
        total = sum(scored.values())
        generic = Counter({s: v for (g, s), v in self.realis_pairs.items() if g == "Generic"})
        return {
            "articles": self.articles,
            "gold_triggers": self.gold,
            "system_triggers": self.system,
            "trigger_precision": round(p, 4),
            "trigger_recall": round(r, 4),
            "trigger_f1": round(f1(p, r), 4),
            "cyber_trigger_precision": round(self.cyber_matched / self.cyber_system, 4) if self.cyber_system else 0.0,
            "realis_accuracy": round(correct / total, 4) if total else 0.0,
            "realis_scored": total,
            "generic_labelled_as": dict(generic),
            "place_scored": self.place_gold,
            "place_match": round(self.place_right / self.place_gold, 4) if self.place_gold else 0.0,
            "place_precision": round(self.place_right / self.place_named, 4) if self.place_named else 0.0,
            "places_named": self.place_named,
            "recall_by_subtype": {
                k: round(self.found_by_subtype[k] / v, 4) for k, v in sorted(self.gold_by_subtype.items())
            },
        }


#: storyline's subtypes for the kinds of event CASIE annotates.
CYBER = frozenset({"data-breach", "phishing", "ransomware", "exploitation", "vulnerability-found", "patch"})


def _overlaps(mention: Any, nuggets: list[tuple[int, int, str, str]]) -> bool:
    return any(mention.start < end and start < mention.end for start, end, _, _ in nuggets)


def _same_place(place: Any, gold: list[tuple[int, int, str]]) -> bool:
    return any(
        (place.start < end and start < place.end) or place_matches(text, place.name, place.text)
        for start, end, text in gold
    )


def evaluate_casie(folder: Path, split: str = "all", annotator: Any = None) -> CasieScores:
    """Score storyline's event triggers and statuses on the CASIE articles under ``folder``."""
    from storyline.annotate import Annotator

    files = sorted(folder.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"{folder}: no CASIE .json files")
    half = len(files) // 2
    if split == "first":
        files = files[:half]
    elif split == "second":
        files = files[half:]
    articles = [read_casie(f) for f in files]
    annotator = annotator or Annotator()
    scores = CasieScores()
    for i in range(0, len(articles), 32):
        chunk = articles[i : i + 32]
        docs = [gold_document(a.text, a.name, a.published) for a in chunk]
        for article, annotated in zip(chunk, annotator.annotate_many(docs), strict=True):
            mentions = [m for e in annotated.annotations.events for m in e.mentions]
            event_of = {id(m): e for e in annotated.annotations.events for m in e.mentions}
            cyber = [m for e in annotated.annotations.events if e.subtype in CYBER for m in e.mentions]
            scores.articles += 1
            scores.gold += len(article.nuggets)
            scores.system += len(mentions)
            for start, end, subtype, realis in article.nuggets:
                scores.gold_by_subtype[subtype] += 1
                hit = next((m for m in mentions if m.start < end and start < m.end), None)
                if hit is None:
                    continue
                scores.gold_found += 1
                scores.found_by_subtype[subtype] += 1
                scores.realis_pairs[(realis, REALIS[hit.status.value])] += 1
                if gold_places := article.places.get((start, end)):
                    scores.place_gold += 1
                    place = event_of[id(hit)].place
                    scores.place_named += place is not None
                    scores.place_right += place is not None and _same_place(place, gold_places)
            scores.system_matched += sum(_overlaps(m, article.nuggets) for m in mentions)
            scores.cyber_system += len(cyber)
            scores.cyber_matched += sum(_overlaps(m, article.nuggets) for m in cyber)
    return scores
