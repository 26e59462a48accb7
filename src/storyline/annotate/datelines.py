"""Datelines: the place in capitals that opens a wire story ("NEW DELHI — ", "WASHINGTON
(Reuters) - ", "NAIROBI, Kenya (AP) _ "). It says where the story was filed, so the entity stage
reads it as a place (:mod:`storyline.annotate.entities`), the event parse leaves it out of the
sentence's syntax and linking never takes it for an actor, but may take it for where the news of
those days happened (:mod:`storyline.annotate.events`). One definition for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

__all__ = ["LINE_CAPITALS", "mask", "opens_line"]

#: What may follow a dateline's place: a comma, a bracket, a dash, AP's underscore, a colon.
_AFTER = (", ", " (", " -", " —", " –", " _", ": ")

#: Capitals opening a line (a dateline's place, perhaps).
LINE_CAPITALS = re.compile(r"^[ \t]{0,2}([A-Z][A-Z.'’ -]{0,30}[A-Z])(?=[,:( ])", re.M)

#: A whole dateline opening a sentence: the place in capitals, perhaps a region or a date after a
#: comma and an agency in brackets, then a dash, a colon or AP's underscore, before a sentence.
_DATELINE = re.compile(
    r"([A-Z][A-Z.'’ -]*[A-Z])((?:,[^,—–:()\n]{1,30}){0,2}(?:\s*\([^()\n]{1,30}\))?)\s*(?:[—–:_]|-(?=\s))[ \t]*"
    r"(?=[A-Z\"“'‘\d])"  # a sentence follows, not an aside ("NATO — the alliance ...", "IRAN — which ...")
)


_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
#: A dateline whose place is written in title case: it needs the day after it ("Mumbai, Nov 11 -
#: The Indian Navy ...", "Kabul, March 3 (AFP) - "), which no sentence opening with a place has.
_TITLED_DATELINE = re.compile(
    rf"([A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}),\s*{_MONTHS}\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?"
    r"(?:\s*\([^()\n]{1,30}\))?\s*(?:[—–:_]|-(?=\s))[ \t]*(?=[A-Z\"“'‘\d])"
)


def opens_line(text: str, start: int, end: int, shortest: int = 3) -> bool:
    """Whether ``text[start:end]`` is a name in capitals opening a line as a dateline's place
    does, of at least ``shortest`` letters (4 keeps "UN, ..." out of the actors)."""
    line_start = text.rfind("\n", 0, start) + 1
    name = text[start:end]
    if start - line_start < 3 and not name.isupper():
        titled = _TITLED_DATELINE.match(text, start)
        return titled is not None and titled.end(1) == end
    return (
        start - line_start < 3
        and name.isupper()
        and sum(c.isalpha() for c in name) >= shortest
        and text[end : end + 2] in _AFTER
    )


def mask(sentence: str, entities: Sequence[tuple[int, int, str]] = (), places: Collection[str] = ()) -> str:
    """``sentence`` with a dateline at its start blanked out, character for character: where the
    story was filed is no part of its first sentence's syntax, and read as one it becomes the
    subject ("NEW DELHI — Russia and India signed ..." parsed with "DELHI" signing).
    ``entities``: the recogniser's spans, offsets into ``sentence``; bare capitals it labels
    outside ``places`` ("NATO — Allies agreed ...") are the sentence's subject, not a dateline;
    capitals followed by a region, a date or an agency ("WASHINGTON (Reuters) - ") are one
    whatever it says."""
    titled = _TITLED_DATELINE.match(sentence)
    if titled is not None:  # a place and a day: a dateline whatever the recogniser made of it
        return " " * titled.end() + sentence[titled.end() :]
    found = _DATELINE.match(sentence)
    if found is None or sum(c.isalpha() for c in found.group(1)) < 3:
        return sentence
    bare = not found.group(2)  # no region, date or agency after the capitals: they may be a subject
    if bare and any(s < found.end(1) and label not in places for s, _, label in entities):
        return sentence
    return " " * found.end() + sentence[found.end() :]
