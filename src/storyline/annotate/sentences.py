"""Sentence boundaries for the rule-based stages: fast, offset-preserving, and aware of the
abbreviations news is full of ("U.S. officials", "10 p.m. Tuesday", "Mr. Smith")."""

from __future__ import annotations

import re
from collections.abc import Iterator

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“(])|\n\s*\n")
_LINE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“(])|\n\s*")
# a full stop after these ends an abbreviation, not a sentence
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b[ap]\.m|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Rev|No|Jan|Feb|Mar|Apr|Jun|Jul|"
    r"Aug|Sept?|Oct|Nov|Dec|Mt|Ft|vs))\.$"
)


def sentences(text: str, *, lines: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text``. A blank line always ends a sentence; with
    ``lines``, so does every line break (headlines and captions are lines of their own)."""
    start = 0
    for m in (_LINE_END if lines else _SENTENCE_END).finditer(text):
        end = m.start()
        breaks = m.group().count("\n")
        hard = breaks >= 2 or (lines and breaks >= 1)  # a blank line (or, with lines, any line break) always ends
        if not hard and end > 0 and text[end - 1] == "." and _ABBREVIATION.search(text, max(start, end - 8), end):
            continue
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)
