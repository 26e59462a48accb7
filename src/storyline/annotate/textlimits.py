"""Bounds on what the language models are given, so one odd input cannot take minutes.

spaCy's tokenizer strips punctuation from a word's end one character at a time, searching the
whole word again each time: a 100,000-character run of ``*`` took over a minute. No word of
news is that long, so over-long runs of non-space characters are blanked out before a model
reads the text, character for character, so that every offset stays the same.
"""

from __future__ import annotations

import re

MAX_WORD_CHARS = 200
"""Longest run of non-space characters a model is given (longer ones become spaces; a URL of
news rarely reaches 200 characters). Set by hand."""

_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


def mask_long_words(text: str) -> str:
    """``text`` with every run of more than :data:`MAX_WORD_CHARS` non-space characters
    replaced by as many spaces (the same length, so offsets into it are offsets into ``text``)."""
    if len(text) <= MAX_WORD_CHARS:
        return text
    return _LONG_WORD.sub(lambda m: " " * len(m.group(0)), text)
