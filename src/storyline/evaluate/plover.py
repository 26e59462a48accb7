"""Event coding against PLOVER-coded sentences (``records.json`` of the PLOVER project: one
sentence per record, with its event category, source and target actors and date).

Each sentence is annotated as a document published on the record's date. Its *main event* is the
event storyline is most confident of (confidence counts the main clause and the arguments the
syntax gave); a sentence where storyline finds none counts as a miss. Scores:

- category accuracy: the main event's PLOVER category equals the record's (PLOVER codes an
  intention as an act of its own, so a planned cooperative event counts as AGREE and a planned
  hostile one as THREATEN: :func:`storyline.annotate.events.plover_category`);
- macro-F1 over the record's categories (precision and recall per category, averaged);
- actor match: the share of the record's actors that the main event names in a matching role
  (a gold source matches an actor whose role is source or participant, a gold target one whose
  role is target or participant). Two actor phrases match when one contains the other after case,
  punctuation and a leading "the" are set aside, or the actor's canonical entity is named in the
  gold phrase ("Hungarian" matches Hungary);
- actor precision: the share of the actors the main event names as source, target or participant
  (speakers aside) that match one of the record's actors in that role. Actor match alone would
  reward naming every phrase of the sentence;
- place: of the records whose coders gave the event's location (``eventLoc``, 26 of the 200),
  the share whose main event has that place (one name containing the other after case and
  punctuation are set aside, by whole words: "Herat" matches "province of Herat", "Niger" does
  not match "Nigeria"), and of the main events that name a place there, the share naming the
  right one (a place named where the coders gave none is counted apart: PLOVER's coders give a
  location for few records, so it is not an error by itself).

Records are split by position into halves (``even``: 0, 2, 4, ...; ``odd``: 1, 3, 5, ...) so that a
lexicon tuned while looking at one half can be scored on the other.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from storyline.annotate.event_model import main_event
from storyline.annotate.events import plover_category
from storyline.evaluate import f1, gold_document, normalise_name, place_matches
from storyline.model.annotations import Event, EventActor


@dataclass(frozen=True, slots=True)
class PloverRecord:
    id: str
    text: str
    category: str
    sources: list[str]
    targets: list[str]
    date: date | None
    place: str | None = None
    """The coders' event location (``eventLoc.name``), where they gave one."""


def read_plover(path: Path) -> list[PloverRecord]:
    """The coded records of a PLOVER ``records.json`` (documentation records skipped)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of records")
    out: list[PloverRecord] = []
    for r in data:
        if not isinstance(r, dict) or r.get("event") in (None, "DOCUMENT") or not r.get("text"):
            continue
        when = None
        if isinstance(r.get("date"), str) and re.fullmatch(r"\d{4}-\d\d-\d\d", r["date"]):
            when = date.fromisoformat(r["date"])
        out.append(
            PloverRecord(
                id=str(r.get("id", len(out))),
                text=r["text"],
                category=str(r["event"]).upper(),
                sources=[a.get("actorText", "") for a in r.get("source") or [] if isinstance(a, dict)],
                targets=[a.get("actorText", "") for a in r.get("target") or [] if isinstance(a, dict)],
                date=when,
                place=str(r["eventLoc"].get("name") or "") or None if isinstance(r.get("eventLoc"), dict) else None,
            )
        )
    return out


def actor_matches(gold: str, actor: EventActor) -> bool:
    g = normalise_name(gold)
    if not g:
        return False
    for candidate in (actor.text, actor.canonical or ""):
        c = normalise_name(candidate)
        if c and (c in g or g in c):
            return True
    return False


@dataclass
class PloverScores:
    records: int = 0
    correct: int = 0
    no_event: int = 0
    gold_actors: int = 0
    matched_actors: int = 0
    gold_sources: int = 0
    matched_sources: int = 0
    gold_targets: int = 0
    matched_targets: int = 0
    found_actors: int = 0
    """Actors the main events name as source, target or participant."""
    right_actors: int = 0
    """Of those, the ones matching a gold actor of a role they may stand for."""
    gold_places: int = 0
    """Records whose coders gave the event's location."""
    named_places: int = 0
    """Of those, the ones whose main event names a place."""
    right_places: int = 0
    """Of those, the ones whose main event's place is the coders'."""
    unasked_places: int = 0
    """Records without the coders' location whose main event names a place."""
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(gold category, predicted category or NONE) -> records."""

    def add(self, record: PloverRecord, event: Event | None) -> None:
        self.records += 1
        predicted = plover_category(event) if event else "NONE"
        self.pairs[(record.category, predicted)] += 1
        self.correct += predicted == record.category
        self.no_event += event is None
        actors = event.actors if event else []
        for gold_list, roles, kind in (
            (record.sources, ("source", "participant"), "s"),
            (record.targets, ("target", "participant"), "t"),
        ):
            for gold in gold_list:
                hit = any(a.role in roles and actor_matches(gold, a) for a in actors)
                self.gold_actors += 1
                self.matched_actors += hit
                if kind == "s":
                    self.gold_sources += 1
                    self.matched_sources += hit
                else:
                    self.gold_targets += 1
                    self.matched_targets += hit
        if not record.place:
            self.unasked_places += event is not None and event.place is not None
        else:
            self.gold_places += 1
            place = event.place if event else None
            self.named_places += place is not None
            self.right_places += place is not None and place_matches(record.place, place.name, place.text)
        for a in event.participants() if event else []:
            self.found_actors += 1
            golds = (record.sources if a.role != "target" else []) + (record.targets if a.role != "source" else [])
            self.right_actors += any(actor_matches(g, a) for g in golds)

    def macro_f1(self) -> float:
        categories = sorted({g for g, _ in self.pairs})
        scores = []
        for c in categories:
            tp = self.pairs[(c, c)]
            predicted = sum(n for (_, p), n in self.pairs.items() if p == c)
            gold = sum(n for (g, _), n in self.pairs.items() if g == c)
            scores.append(f1(tp / predicted if predicted else 0.0, tp / gold if gold else 0.0))
        return sum(scores) / len(scores) if scores else 0.0

    def as_dict(self) -> dict[str, Any]:
        def share(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "records": self.records,
            "category_accuracy": share(self.correct, self.records),
            "macro_f1": round(self.macro_f1(), 4),
            "actor_match": share(self.matched_actors, self.gold_actors),
            "source_match": share(self.matched_sources, self.gold_sources),
            "target_match": share(self.matched_targets, self.gold_targets),
            "actor_precision": share(self.right_actors, self.found_actors),
            "actors_found": self.found_actors,
            "no_event": self.no_event,
            "place_records": self.gold_places,
            "place_match": share(self.right_places, self.gold_places),
            "place_precision": share(self.right_places, self.named_places),
            "places_named": self.named_places,
            "places_named_without_gold": self.unasked_places,
        }


def evaluate_plover(
    path: Path, split: str = "all", annotator: Any = None
) -> tuple[PloverScores, list[tuple[PloverRecord, Event | None]]]:
    """Score storyline's events on the records of ``path`` (``split``: all, even or odd)."""
    records = read_plover(path)
    if split in ("even", "odd"):
        records = [r for i, r in enumerate(records) if i % 2 == (split == "odd")]
    return score_records(records, annotator)


def score_records(
    records: list[PloverRecord], annotator: Any = None
) -> tuple[PloverScores, list[tuple[PloverRecord, Event | None]]]:
    """Score storyline's events (``annotator``'s, by default a new one's) on ``records``."""
    from storyline.annotate import Annotator

    annotator = annotator or Annotator()
    docs = [gold_document(r.text, r.id, r.date) for r in records]
    scores = PloverScores()
    results = []
    for i in range(0, len(docs), 64):
        for record, annotated in zip(records[i : i + 64], annotator.annotate_many(docs[i : i + 64]), strict=True):
            event = main_event(annotated.annotations.events)
            scores.add(record, event)
            results.append((record, event))
    return scores, results
