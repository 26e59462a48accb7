"""The events of the bundled sample corpus, checked one by one against
examples/expected_events.json: what a careful reader finds in each article (every meeting,
summit, visit, phone call and agreement; its participants, place, date and status).

An expected event is found when an event of the article's document has a mention in the
sentence of the expected evidence and:

- the same PLOVER category (and, for CONSULT, the same kind: meetings and summits alike, visits);
- every expected participant among its actors (canonical names);
- the expected place as its place (name or the words of the text), when one is expected;
- a date value starting with the expected one, when one is expected;
- the expected status.

Expected events storyline does not yet get right are listed in tests/sample_event_gaps.json with
what it finds instead; they are strict expected failures, so a fix shows up as a test to update.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.config import IngestConfig
from storyline.model.annotations import Event

from .conftest import CORPUS, ROOT, TEST_LANGUAGES

EXPECTED: dict[str, list[dict[str, Any]]] = json.loads(
    (ROOT / "examples" / "expected_events.json").read_text(encoding="utf-8")
)
GAPS_FILE = Path(__file__).with_name("sample_event_gaps.json")
GAPS: dict[str, str] = json.loads(GAPS_FILE.read_text(encoding="utf-8")) if GAPS_FILE.exists() else {}
_FAMILY = {"meeting": "meet", "summit": "meet", "negotiation": "meet", "host-visit": "meet", "invitation": "meet"}
CASES = [(path, i) for path, events in EXPECTED.items() for i in range(len(events))]


def key(path: str, index: int) -> str:
    return f"{path}::{index}"


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[storyline.Storyline]:
    db = tmp_path_factory.mktemp("sample-events") / "corpus.db"
    with storyline.open(db, IngestConfig(languages=TEST_LANGUAGES)) as sl:
        sl.analyze(CORPUS)
        yield sl


def _matches(origin: str, source_id: str, path: str) -> bool:
    file, _, fragment = path.partition("#")
    full = str(CORPUS / file)
    if not fragment:
        return origin == full
    return origin.startswith(full + "#") and fragment in (source_id, origin.split("#", 1)[1])


def document_of(sl: storyline.Storyline, path: str) -> Any:
    for doc in sl.documents(limit=None):
        if any(_matches(s.origin, s.source_id, path) for s in sl.sightings(doc.id)):
            return doc
    raise AssertionError(f"{path} was not stored")


def _place_key(name: str | None) -> str:
    return re.sub(r"\bst\b\.?", "saint", (name or "").casefold()).replace("-", " ")


def problems(expected: dict[str, Any], text: str, events: list[Event]) -> list[str]:
    """What differs between an expected event and what storyline found (empty: found)."""
    at = text.find(expected["evidence"])
    assert at >= 0, f"evidence not in the text: {expected['evidence']!r}"
    trigger_at = at + expected["evidence"].find(expected["trigger"])
    in_sentence = [e for e in events if any(m.sentence_start <= trigger_at < m.sentence_end for m in e.mentions)]
    by_trigger = [
        e for e in in_sentence if any(m.text.lower().startswith(expected["trigger"][:4].lower()) for m in e.mentions)
    ]
    candidates = by_trigger or in_sentence
    if not candidates:
        return ["not found"]

    def distance(e: Event) -> int:
        return min(abs(m.start - trigger_at) for m in e.mentions if m.sentence_start <= trigger_at < m.sentence_end)

    # the event whose mention in the sentence stands nearest the expected trigger; where one verb
    # tells several occasions ("met twice, in Bishkek and in Osaka"), the one of them that fits best
    nearest = min(distance(e) for e in candidates)
    return min((_differences(expected, e) for e in candidates if distance(e) == nearest), key=len)


def _differences(expected: dict[str, Any], event: Event) -> list[str]:
    out = []
    if event.type != expected["type"]:
        out.append(f"type {event.type}/{event.subtype}")
    elif expected["type"] == "CONSULT" and _FAMILY.get(event.subtype or "", event.subtype) != _FAMILY.get(
        expected["subtype"], expected["subtype"]
    ):
        out.append(f"subtype {event.subtype}")
    found = {a.canonical or a.text for a in event.participants()}
    missing = [p for p in expected["participants"] if p not in found]
    if missing:
        out.append(f"participants without {missing} (found {sorted(found)})")
    places = {_place_key(event.place.name), _place_key(event.place.text)} if event.place else set()
    if expected["place"] and _place_key(expected["place"]) not in places:
        out.append(f"place {event.place.name if event.place else None}")
    if expected["date"] and (event.time is None or not event.time.value.startswith(expected["date"])):
        out.append(f"date {event.time.value if event.time else None}")
    if event.status.value != expected["status"]:
        out.append(f"status {event.status.value}")
    return out


def test_expected_events_are_well_formed() -> None:
    for path, events in EXPECTED.items():
        for e in events:
            assert {"type", "subtype", "participants", "place", "date", "status", "evidence", "trigger"} <= set(e)
            assert e["trigger"] in e["evidence"], path
            assert e["status"] in {"planned", "ongoing", "occurred", "negated", "hypothetical", "referenced"}
    assert set(GAPS) <= {key(p, i) for p, i in CASES}, "a gap names no expected event"


@pytest.mark.parametrize(("path", "index"), CASES, ids=[key(p, i) for p, i in CASES])
def test_expected_event_is_found(analyzed: storyline.Storyline, path: str, index: int, request: Any) -> None:
    if key(path, index) in GAPS:
        request.applymarker(pytest.mark.xfail(reason=GAPS[key(path, index)], strict=True))
    doc = document_of(analyzed, path)
    expected = EXPECTED[path][index]
    assert problems(expected, doc.text, analyzed.annotations(doc.id).events) == []
