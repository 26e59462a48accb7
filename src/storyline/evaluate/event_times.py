"""When events happened and whether they had, against the events and temporal links of TimeML.

TempEval-3's TimeBank and AQUAINT files mark every event word (``<EVENT>``), its polarity
(``<MAKEINSTANCE polarity="NEG">``), the time expressions, the document's creation time (the
``<DCT>``) and temporal links between them (``<TLINK>``). Two things follow for an event word:

- its **date**, where a link puts the event inside a dated time expression (``IS_INCLUDED``,
  ``DURING`` or ``SIMULTANEOUS`` with a ``DATE`` whose value is a year, month or day, or the day
  of a ``TIME``; or the time ``INCLUDES`` the event), the most precise such date;
- its **place in time against the creation time**, where a link relates the two: ``before``
  (BEFORE, IBEFORE: the event is over when the text is written), ``after`` (AFTER, IAFTER: still
  to come), ``day`` (IS_INCLUDED, DURING, SIMULTANEOUS: the event lies within the creation time,
  which TimeML gives as a day, so it may be over, under way or still to come when the text is
  written: "the president said today", "talks open later today") or ``overlap`` (INCLUDES,
  BEGINS, ENDS, BEGUN_BY, ENDED_BY: the event spans the time of writing, or starts or ends with
  it); where several links relate the two, the last one read.

Each file is annotated as a document published on its creation time. Every mention of a storyline
event whose trigger overlaps a gold event word is scored against that word:

- date: of the mentions whose word has a gold date, how many storyline dates agree (the same day,
  month or year at the gold's precision; a more precise storyline date inside the gold's counts),
  disagree, are coarser than the gold's, or are missing; dates storyline inferred from the
  publication date (no time expression of the text) are counted apart too;
- status against the creation time: ``planned`` should be ``after``, ``occurred`` and
  ``referenced`` ``before``, ``ongoing`` ``overlap``; an event of the creation ``day`` agrees with
  ``occurred``, ``ongoing`` and ``planned`` alike, not with ``referenced`` (a recalled earlier
  event); ``negated`` and ``hypothetical`` say nothing of the time and are left out. The
  confusion table, and the strict accuracy that takes a ``day`` event for ``overlap`` (as this
  command did until 2026-12-06), are printed too;
- negation: storyline's ``negated`` against the gold's ``polarity="NEG"``, in the files whose
  polarities can be trusted (:data:`NEGATED_SHARE_TRUSTED`).

storyline's event lexicon knows diplomatic, political, conflict and cyber events; TimeML marks
every event (sales, rises, statements), so most gold words are no storyline event. The figures say
how right storyline's dates and statuses are on the events it finds, on text none of its event
rules was written on. Tune on TimeBank, report AQUAINT (or the other way round, and say so).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from storyline.evaluate import gold_document
from storyline.evaluate.timeml import read_file, tagged_text
from storyline.model.annotations import Event, EventStatus

_DATE_VALUE = re.compile(r"^\d{4}(?:-\d\d(?:-\d\d)?)?$")
#: Links that put an event inside a time: (relation as written event -> time, as written time -> event).
_INSIDE = ({"IS_INCLUDED", "DURING", "SIMULTANEOUS"}, {"INCLUDES", "DURING_INV", "SIMULTANEOUS"})
_BEFORE = {"BEFORE", "IBEFORE"}
_AFTER = {"AFTER", "IAFTER"}
#: ... and those that make it touch or span the time (an event ended by the creation time lasted up to it).
_OVERLAP = {"IS_INCLUDED", "INCLUDES", "SIMULTANEOUS", "DURING", "DURING_INV", "BEGINS", "ENDS", "BEGUN_BY",
            "ENDED_BY", "IDENTITY"}  # fmt: skip
#: ... of which these (as written event -> time) put the event inside the creation day.
_WITHIN = _INSIDE[0] | {"IDENTITY"}
#: A link written time -> event, as event -> time ("the creation time INCLUDES the event": the
#: event IS_INCLUDED in it).
_TURNED = {"BEFORE": "AFTER", "AFTER": "BEFORE", "IBEFORE": "IAFTER", "IAFTER": "IBEFORE", "ENDED_BY": "ENDS",
           "ENDS": "ENDED_BY", "BEGUN_BY": "BEGINS", "BEGINS": "BEGUN_BY", "INCLUDES": "IS_INCLUDED",
           "IS_INCLUDED": "INCLUDES", "DURING_INV": "DURING", "DURING": "DURING_INV"}  # fmt: skip
#: A file of :data:`NEGATED_TRUSTED_BELOW` events or more where more than this share of them is
#: marked negative has its polarities set wrongly (25 of AQUAINT's 73 files mark nearly every event
#: NEG: "said", "demand", "maintains"; in the other files and in TimeBank, 0 to 10% are): its
#: negation is not scored.
NEGATED_SHARE_TRUSTED = 0.5
#: Files with fewer events than this are trusted whatever their share (a few negatives in a short
#: file say nothing of its annotation). Set by hand.
NEGATED_TRUSTED_BELOW = 10
#: What each storyline status says of the event against the time of writing (negated and
#: hypothetical say nothing of it). Looked up by the status or its value alike (a StrEnum).
STATUS_RELATION: dict[str, str] = {
    EventStatus.PLANNED: "after",
    EventStatus.OCCURRED: "before",
    EventStatus.REFERENCED: "before",
    EventStatus.ONGOING: "overlap",
}
#: The statuses that agree with an event of the creation day: it may have happened that morning,
#: be under way, or be still to come that evening.
DAY_STATUSES = frozenset({EventStatus.OCCURRED, EventStatus.ONGOING, EventStatus.PLANNED})


def status_agrees(relation: str, status: str, strict: bool = False) -> bool:
    """Whether a storyline status agrees with the gold relation to the creation time (``strict``:
    a ``day`` event counts as ``overlap``, as before 2026-12-06)."""
    if relation == "day":
        return STATUS_RELATION.get(status) == "overlap" if strict else status in DAY_STATUSES
    return STATUS_RELATION.get(status) == relation


@dataclass(frozen=True, slots=True)
class GoldEvent:
    start: int
    end: int
    text: str
    date: str | None
    """The most precise date a link puts the event in (``1998-08-07``, ``1998-08``, ``1998``)."""
    relation: str | None
    """``before``, ``after``, ``day`` (inside the creation day) or ``overlap`` (spanning the time of
    writing): the event against the creation time."""
    negated: bool | None
    """The instance's ``polarity="NEG"``; None where the file's polarities cannot be trusted
    (:data:`NEGATED_SHARE_TRUSTED`)."""


@dataclass(frozen=True, slots=True)
class EventTimeDocument:
    name: str
    text: str
    dct: date | None
    events: list[GoldEvent]


def _relation(rel: str) -> str | None:
    """The event's place against the creation time, from a link written event -> creation time."""
    if rel in _BEFORE:
        return "before"
    if rel in _AFTER:
        return "after"
    if rel in _WITHIN:
        return "day"
    if rel in _OVERLAP:
        return "overlap"
    return None


def read_event_times(path: Path) -> EventTimeDocument:
    """A TimeML file's text (tags removed), creation date and gold events with what its links say."""
    tml = read_file(path)
    dct, dct_tid = tml.dct, tml.dct_tid
    timexes = {a["tid"]: a for a in tml.attributes("TIMEX3") if "tid" in a}
    text, tagged = tagged_text(tml.body, "EVENT")
    spans = {attrs["eid"]: (start, end, word) for start, end, word, attrs in tagged if attrs.get("eid")}
    instances = {a["eiid"]: a for a in tml.attributes("MAKEINSTANCE") if "eiid" in a}
    dates: dict[str, str] = {}
    relations: dict[str, str] = {}
    for a in tml.attributes("TLINK"):
        rel = a.get("relType", "")
        if "eventInstanceID" in a and "relatedToTime" in a:
            ei, tid, inside = a["eventInstanceID"], a["relatedToTime"], rel in _INSIDE[0]
        elif "timeID" in a and "relatedToEventInstance" in a:
            ei, tid, inside = a["relatedToEventInstance"], a["timeID"], rel in _INSIDE[1]
            rel = _TURNED.get(rel, rel)
        else:
            continue
        if tid == dct_tid:
            if (r := _relation(rel)) is not None:
                relations[ei] = r
            value = dct.isoformat() if dct else ""
        else:
            timex = timexes.get(tid, {})
            # a date, or the day of a time ("1998-08-07T14:00")
            value = timex.get("value", "")[:10] if timex.get("type") in ("DATE", "TIME") else ""
        if inside and _DATE_VALUE.match(value) and len(value) > len(dates.get(ei, "")):
            dates[ei] = value
    events = []
    negative = sum(1 for inst in instances.values() if inst.get("polarity") == "NEG")
    trusted = len(instances) < NEGATED_TRUSTED_BELOW or negative <= NEGATED_SHARE_TRUSTED * len(instances)
    for ei, inst in instances.items():
        span = spans.get(inst.get("eventID", ""))
        if span is None:
            continue
        start, end, word = span
        negated = inst.get("polarity") == "NEG" if trusted else None
        events.append(GoldEvent(start, end, word, dates.get(ei), relations.get(ei), negated))
    events.sort(key=lambda e: (e.start, e.end))
    return EventTimeDocument(path.name, text, dct, events)


def _day_part(value: str) -> str:
    """The calendar part of a storyline time value (``2018-10-04TEV`` -> ``2018-10-04``)."""
    m = re.match(r"\d{4}(?:-\d\d(?:-\d\d)?)?", value)
    return m.group(0) if m else ""


@dataclass
class EventTimeScores:
    documents: int = 0
    gold_events: int = 0
    storyline_mentions: int = 0
    matched: int = 0
    date: Counter[str] = field(default_factory=Counter)
    """Over matched mentions whose word has a gold date: agree, disagree, coarser, missing."""
    inferred: Counter[str] = field(default_factory=Counter)
    """The same, for the mentions whose date storyline inferred from the publication date."""
    status: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(gold relation, storyline status) -> mentions."""
    negation: Counter[tuple[bool, bool]] = field(default_factory=Counter)
    """(gold negated, storyline negated) -> mentions."""
    date_errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(document, word, gold date, storyline date) of the disagreements."""
    status_errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(document, word, gold relation, storyline status)."""

    def _status_counts(self, strict: bool = False) -> tuple[int, int]:
        """(mentions scored for status, those right): statuses that say when, against the gold."""
        scored = {k: n for k, n in self.status.items() if k[1] in STATUS_RELATION}
        return sum(scored.values()), sum(n for (g, s), n in scored.items() if status_agrees(g, s, strict))

    def status_accuracy(self, strict: bool = False) -> float:
        scored, right = self._status_counts(strict)
        return right / scored if scored else 0.0

    def as_dict(self) -> dict[str, Any]:
        dated = sum(self.date.values())
        given = dated - self.date["missing"]
        scored, _ = self._status_counts()
        neg_tp = self.negation[(True, True)]
        neg_fp = self.negation[(False, True)]
        neg_fn = self.negation[(True, False)]
        return {
            "documents": self.documents,
            "gold_events": self.gold_events,
            "storyline_mentions": self.storyline_mentions,
            "matched_mentions": self.matched,
            "dated": dated,
            "date_given": given,
            "date_agree": self.date["agree"],
            "date_agreement": round(self.date["agree"] / given, 4) if given else 0.0,
            "date_disagree": self.date["disagree"],
            "date_coarser": self.date["coarser"],
            "date_missing": self.date["missing"],
            "inferred": dict(self.inferred),
            "status_scored": scored,
            "status_accuracy": round(self.status_accuracy(), 4),
            "status_accuracy_strict": round(self.status_accuracy(strict=True), 4),
            "status_day": sum(n for (g, s), n in self.status.items() if g == "day" and s in STATUS_RELATION),
            "status_table": {f"{g}/{s}": n for (g, s), n in sorted(self.status.items())},
            "negated_precision": round(neg_tp / (neg_tp + neg_fp), 4) if neg_tp + neg_fp else 0.0,
            "negated_recall": round(neg_tp / (neg_tp + neg_fn), 4) if neg_tp + neg_fn else 0.0,
        }


def score_document(doc: EventTimeDocument, events: list[Event], scores: EventTimeScores) -> None:
    """Score one document's storyline events against its gold event words."""
    scores.documents += 1
    scores.gold_events += len(doc.events)
    for event in events:
        for mention in event.mentions or [event.trigger]:
            scores.storyline_mentions += 1
            gold = next((g for g in doc.events if g.start < mention.end and mention.start < g.end), None)
            if gold is None:
                continue
            scores.matched += 1
            status = event.status.value
            if gold.negated is not None:
                scores.negation[(gold.negated, event.status is EventStatus.NEGATED)] += 1
            if gold.relation is not None:
                scores.status[(gold.relation, status)] += 1
                if status in STATUS_RELATION and not status_agrees(gold.relation, status):
                    scores.status_errors.append((doc.name, gold.text, gold.relation, status))
            if gold.date:
                value = _day_part(event.time.value) if event.time else ""
                if not value:
                    verdict = "missing"
                elif value[: len(gold.date)] == gold.date:
                    verdict = "agree"
                elif len(value) < len(gold.date) and gold.date.startswith(value):
                    verdict = "coarser"
                else:
                    verdict = "disagree"
                    scores.date_errors.append((doc.name, gold.text, gold.date, event.time.value if event.time else ""))
                scores.date[verdict] += 1
                if event.time is not None and event.time.inferred:
                    scores.inferred[verdict] += 1


def evaluate_event_times(folder: Path, annotator: Any = None) -> EventTimeScores:
    """Annotate every ``.tml`` file under ``folder`` (as a document of its creation date) and score
    its events."""
    from storyline.annotate import Annotator

    paths = sorted(folder.rglob("*.tml")) if folder.is_dir() else [folder]
    if not paths:
        raise ValueError(f"{folder}: no .tml files")
    annotator = annotator or Annotator()
    scores = EventTimeScores()
    for i in range(0, len(paths), 32):
        docs = [read_event_times(p) for p in paths[i : i + 32]]
        inputs = [gold_document(d.text, d.name, d.dct) for d in docs]
        for doc, annotated in zip(docs, annotator.annotate_many(inputs), strict=True):
            score_document(doc, annotated.annotations.events, scores)
    return scores
