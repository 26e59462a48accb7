"""TempEval-3 style evaluation of time expressions on TimeML files.

For each ``.tml`` file the text inside ``<TEXT>`` is stripped of its tags, the gold
``<TIMEX3>`` spans are kept by character offsets, and the document creation time
(``<DCT>``) is the anchor. Scores, over all files:

- strict span P/R/F1: the same start and end;
- relaxed span P/R/F1: overlapping spans;
- type and value accuracy over the relaxed matches;
- value F1 = relaxed span F1 x value accuracy (and likewise type F1), as TempEval-3 reports.

Values are compared after writing both in one canonical form, because the gold writes some
values in forms ISO 8601 does not: week numbers unpadded (``2000-W7`` for ``2000-W07``), hours
without minutes (``T17`` for ``T17:00``) and decades with a trailing ``X`` (``198X`` for
``198``). Nothing else is forgiven; ``value_exact`` counts plain string equality as well.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from storyline.annotate.times import find_times
from storyline.evaluate import f1
from storyline.model.annotations import TimeExpression, TimeType

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)/?>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class TimeMLDocument:
    name: str
    text: str
    dct: date | None
    gold: list[TimeExpression]


def tagged_text(content: str, tag: str) -> tuple[str, list[tuple[int, int, str, dict[str, str]]]]:
    """The text of TimeML content with its tags removed and entities unescaped, and the spans of
    the ``tag`` elements in it: (start, end, their text stripped, their attributes)."""
    chunks: list[str] = []
    spans: list[tuple[int, int, str, dict[str, str]]] = []
    length = 0
    position = 0
    opened: tuple[int, dict[str, str]] | None = None
    for m in _TAG.finditer(content):
        piece = html.unescape(content[position : m.start()])
        chunks.append(piece)
        length += len(piece)
        position = m.end()
        if m.group(2) != tag:
            continue
        if m.group(1) != "/":
            opened = (length, dict(_ATTR.findall(m.group(3))))
        elif opened is not None:
            start, attrs = opened
            inside = "".join(chunks)[start:length]
            if inside.strip():
                lead, trail = len(inside) - len(inside.lstrip()), len(inside) - len(inside.rstrip())
                spans.append((start + lead, length - trail, inside.strip(), attrs))
            opened = None
    chunks.append(html.unescape(content[position:]))
    return "".join(chunks), spans


@dataclass(frozen=True, slots=True)
class TimeMLFile:
    """What every reader of a TimeML file needs: the file, its ``<TEXT>`` and its creation time."""

    raw: str
    body: str
    """The content of ``<TEXT>``, tags and all."""
    dct: date | None
    """The creation time's day (None when the ``<DCT>`` gives no full date)."""
    dct_tid: str | None
    """The creation time's ``tid``, which temporal links name."""

    def attributes(self, tag: str) -> list[dict[str, str]]:
        """The attributes of every ``<tag ...>`` in the file."""
        return [dict(_ATTR.findall(m.group(1))) for m in re.finditer(rf"<{tag}\b([^>]*)>", self.raw)]


def read_file(path: Path) -> TimeMLFile:
    """A TimeML file's parts; a ValueError naming the file when it has no ``<TEXT>``."""
    raw = path.read_text(encoding="utf-8")
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.DOTALL)
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    dct_tag = re.search(r"<DCT>\s*<TIMEX3([^>]*)>", raw)
    dct_attrs = dict(_ATTR.findall(dct_tag.group(1))) if dct_tag else {}
    day = dct_attrs.get("value", "")[:10]
    dct = date.fromisoformat(day) if re.fullmatch(r"\d{4}-\d\d-\d\d", day) else None
    return TimeMLFile(raw, body.group(1), dct, dct_attrs.get("tid"))


def read_timeml(path: Path) -> TimeMLDocument:
    tml = read_file(path)
    text, spans = tagged_text(tml.body, "TIMEX3")
    gold = [
        TimeExpression(start, end, inside, TimeType(attrs.get("type", "DATE")), attrs.get("value", ""))
        for start, end, inside, attrs in spans
    ]
    return TimeMLDocument(path.name, text, tml.dct, gold)


@dataclass
class TimeScores:
    documents: int = 0
    gold: int = 0
    system: int = 0
    strict_matches: int = 0
    relaxed_gold_matched: int = 0
    relaxed_system_matched: int = 0
    type_correct: int = 0
    value_correct: int = 0
    value_exact: int = 0
    value_errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, float | int]:
        strict_p = self.strict_matches / self.system if self.system else 0.0
        strict_r = self.strict_matches / self.gold if self.gold else 0.0
        relaxed_p = self.relaxed_system_matched / self.system if self.system else 0.0
        relaxed_r = self.relaxed_gold_matched / self.gold if self.gold else 0.0
        relaxed_f1 = f1(relaxed_p, relaxed_r)
        matched = self.relaxed_gold_matched
        type_acc = self.type_correct / matched if matched else 0.0
        value_acc = self.value_correct / matched if matched else 0.0
        exact_acc = self.value_exact / matched if matched else 0.0
        return {
            "documents": self.documents,
            "gold": self.gold,
            "system": self.system,
            "strict_precision": round(strict_p, 4),
            "strict_recall": round(strict_r, 4),
            "strict_f1": round(f1(strict_p, strict_r), 4),
            "relaxed_precision": round(relaxed_p, 4),
            "relaxed_recall": round(relaxed_r, 4),
            "relaxed_f1": round(relaxed_f1, 4),
            "type_accuracy": round(type_acc, 4),
            "value_accuracy": round(value_acc, 4),
            "type_f1": round(relaxed_f1 * type_acc, 4),
            "value_f1": round(relaxed_f1 * value_acc, 4),
            "value_exact_f1": round(relaxed_f1 * exact_acc, 4),
        }


_WEEK = re.compile(r"-W(\d)(?!\d)")
_HOUR = re.compile(r"(T\d\d)$")
_DECADE = re.compile(r"^(\d{2,3})X+$")


def canonical_value(value: str) -> str:
    """``value`` with the gold's non-ISO spellings of weeks, hours and decades made standard."""
    value = _WEEK.sub(r"-W0\1", value)
    value = _HOUR.sub(r"\1:00", value)
    return _DECADE.sub(r"\1", value)


def score_document(doc: TimeMLDocument, found: list[TimeExpression], scores: TimeScores) -> None:
    scores.documents += 1
    scores.gold += len(doc.gold)
    scores.system += len(found)
    used: set[int] = set()
    for g in doc.gold:
        overlapping = [i for i, s in enumerate(found) if s.start < g.end and g.start < s.end and i not in used]
        if not overlapping:
            scores.missed[g.text.lower()] += 1
            continue
        best = min(
            overlapping,
            key=lambda i: (found[i].start != g.start or found[i].end != g.end, abs(found[i].start - g.start)),
        )
        used.add(best)
        s = found[best]
        scores.relaxed_gold_matched += 1
        if (s.start, s.end) == (g.start, g.end):
            scores.strict_matches += 1
        if s.type is g.type:
            scores.type_correct += 1
        if s.value == g.value:
            scores.value_exact += 1
        if canonical_value(s.value) == canonical_value(g.value):
            scores.value_correct += 1
        else:
            scores.value_errors[(g.text.lower(), g.value, s.value)] += 1
    for s in found:
        if any(s.start < g.end and g.start < s.end for g in doc.gold):
            scores.relaxed_system_matched += 1
        else:
            scores.spurious[s.text.lower()] += 1


def evaluate_timeml(folder: Path) -> TimeScores:
    """Score :func:`find_times` on every ``.tml`` file under ``folder``."""
    files = sorted(folder.rglob("*.tml"))
    if not files:
        raise FileNotFoundError(f"{folder}: no .tml files")
    scores = TimeScores()
    for path in files:
        doc = read_timeml(path)
        score_document(doc, find_times(doc.text, doc.dct), scores)
    return scores
