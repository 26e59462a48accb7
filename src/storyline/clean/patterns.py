"""Regular expressions over short lines, tried only where they can match.

The leftover rules and the caption model ask a dozen patterns of a few dozen alternatives each
whether they match a line. Python's engine tries every alternative at every position of the line,
so most of that time goes to lines no alternative could match. A :class:`LinePattern` answers
exactly as ``re.search`` on the same pattern would, but (unless cutting it at its ``|`` could
change its meaning: backreferences, conditionals, comments, inline flags, MULTILINE, VERBOSE;
such a pattern is searched whole):

- the alternatives anchored at the line's start (``^...``) are tried there only (``re.match``);
- the others are searched for only when the line holds a word that every match of them must hold,
  found from the pattern itself (the longest run of literal characters each alternative
  requires: "contributed" in ``\\bcontributed\\s+(?:to\\s+)?...``, one of "photo" or "image" in
  ``(?:photo|image)s?``). An alternative that requires no literal turns the test off.

Case-insensitive patterns test their words against the lower-cased line. ``str.lower`` and the
engine's case folding agree on every character except four, which fold to an ASCII letter in the
engine only (:data:`FOLDING_APART`, checked against the engine by the tests); a line holding one
of them is searched in full.
"""

from __future__ import annotations

import re
from re import _constants, _parser  # type: ignore[attr-defined]  # the engine's own (private) parser
from typing import Any

#: Characters outside ASCII that ``re.IGNORECASE`` matches to an ASCII letter, or whose
#: ``str.lower()`` holds one: the dotted and dotless i, the long s and the Kelvin sign.
FOLDING_APART = "\u0130\u0131\u017f\u212a"


def folded(line: str) -> str | None:
    """``line`` lower-cased for the case-insensitive word tests, or None when the line holds a
    character the engine folds differently from ``str.lower`` (then patterns search in full)."""
    if not line.isascii() and any(c in line for c in FOLDING_APART):
        return None
    return line.lower()


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (split at ``|`` outside groups and classes)."""
    out: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a "]" first in a class is a literal
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def required_words(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Words at least one of which every match of ``pattern`` holds (lower-cased for a
    case-insensitive pattern), or None when no such words are found."""
    c: Any = _constants  # the engine's own parser and its opcodes (private; Python 3.11 and later)
    try:
        tree = _parser.parse(pattern, flags)
    except re.error:  # pragma: no cover - the caller's compile reports it
        return None
    fold = bool(flags & re.IGNORECASE)
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT}

    def char(op: Any, av: Any) -> str | None:
        if op is c.LITERAL and av < 128:
            ch = chr(av)
            return ch.lower() if fold else ch
        return None

    def prefix(seq: Any) -> str:
        run = ""
        for op, av in seq:
            ch = char(op, av)
            if ch is None:
                break
            run += ch
        return run

    def required(seq: Any) -> frozenset[str] | None:
        candidates: list[frozenset[str]] = []
        run = ""
        for op, av in seq:
            ch = char(op, av)
            if ch is not None:
                run += ch
                continue
            if op is c.BRANCH:
                if run:  # "p(?:hotos?|ics?)": "photo" or "pic"
                    candidates.append(frozenset(run + prefix(branch) for branch in av[1]))
                inner = [required(branch) for branch in av[1]]
                if all(inner):
                    candidates.append(frozenset().union(*inner))  # type: ignore[arg-type]
            elif run:
                candidates.append(frozenset({run}))
            run = ""
            if op is c.SUBPATTERN and not av[1] and not av[2]:
                found = required(av[3])
                if found:
                    candidates.append(found)
            elif op in repeats and av[0] >= 1:
                found = required(av[2])
                if found:
                    candidates.append(found)
        if run:
            candidates.append(frozenset({run}))
        candidates = [w for w in candidates if all(w)]
        if not candidates:
            return None
        return max(candidates, key=lambda words: (min(map(len, words)), -len(words)))

    return required(tree)


#: What makes a pattern mean something else once cut at its "|": backreferences and conditionals
#: (groups are numbered anew), comments (a "(" or "|" inside one), and inline flags at its start
#: (allowed only there).
_UNSPLITTABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?#|^\(\?[aiLmsux]+\)")


def _splittable(pattern: str, flags: int) -> bool:
    """Whether ``pattern`` can be cut into its alternatives without changing what it matches:
    not with MULTILINE (a "^" then also matches after a line break) or VERBOSE (a "|" or "#" may
    be white space or a comment), nor with the constructs of :data:`_UNSPLITTABLE`."""
    return not flags & (re.MULTILINE | re.VERBOSE) and not _UNSPLITTABLE.search(pattern)


class LinePattern:
    """A pattern whose :meth:`search` answers as ``re.search(pattern, line, flags)`` would (as a
    truth value), trying the anchored alternatives at the start only and the others only on lines
    holding a word they require."""

    __slots__ = ("_anywhere", "_fold", "_start", "_words", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = re.compile(pattern, flags)
        flags = self.pattern.flags  # with any inline flags
        if _splittable(pattern, flags):
            parts = alternatives(pattern)
            start = [p[1:] for p in parts if p.startswith("^")]
            anywhere = [p for p in parts if not p.startswith("^")]
            self._start = re.compile("|".join(f"(?:{p})" for p in start), flags) if start else None
            self._anywhere = re.compile("|".join(f"(?:{p})" for p in anywhere), flags) if anywhere else None
        else:  # searched whole, as written
            anywhere = [pattern]
            self._start, self._anywhere = None, self.pattern
        self._fold = bool(flags & re.IGNORECASE)
        words: list[str] = []
        for part in anywhere:
            found = required_words(part, flags)
            if found is None:
                words = []
                break
            words.extend(found)
        self._words: tuple[str, ...] | None = tuple(sorted(set(words))) if words else None

    @property
    def words(self) -> tuple[str, ...] | None:
        """The words the unanchored alternatives need (one of them), or None for no test."""
        return self._words

    def _may_match_anywhere(self, line: str, low: str | None) -> bool:
        if self._words is None:
            return True
        text = line
        if self._fold:
            if low is None:
                return True
            text = low
        for word in self._words:  # noqa: SIM110 (a loop costs less than any() over a generator)
            if word in text:
                return True
        return False

    def search(self, line: str, low: str | None = None) -> bool:
        """Whether the pattern matches somewhere in ``line``; ``low``: :func:`folded` of the
        line, when the caller has it (computed here otherwise)."""
        if self._start is not None and self._start.match(line):
            return True
        if self._anywhere is None:
            return False
        if self._fold and low is None:
            low = folded(line)
        return self._may_match_anywhere(line, low) and self._anywhere.search(line) is not None

    def count(self, line: str, low: str | None = None) -> int:
        """How many times the pattern matches in ``line`` (``len(re.findall(...))``)."""
        return len(self.pattern.findall(line)) if self.search(line, low) else 0
