"""LinePattern answers exactly as re.search does, only faster."""

from __future__ import annotations

import random
import re

import pytest

from storyline.clean import caption_model, leftovers
from storyline.clean.patterns import FOLDING_APART, LinePattern, alternatives, folded, required_words


def _line_patterns() -> list[tuple[str, LinePattern]]:
    out = []
    for module in (leftovers, caption_model):
        for name, value in vars(module).items():
            if isinstance(value, LinePattern):
                out.append((f"{module.__name__}.{name}", value))
    return out


def test_folding_apart_is_what_the_engine_folds_unlike_lower() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = [
        ch for ch in map(chr, range(128, 0x110000)) if letter.fullmatch(ch) or any(c.isascii() for c in ch.lower())
    ]
    assert "".join(found) == FOLDING_APART


def test_alternatives_split_at_the_top_level_only() -> None:
    assert alternatives(r"^a|b(?:c|d)|[|x]|\||e") == ["^a", "b(?:c|d)", "[|x]", r"\|", "e"]
    assert alternatives(r"[]|](?:x)|y") == ["[]|](?:x)", "y"]
    assert alternatives(r"[^]|]|z") == ["[^]|]", "z"]
    for pattern in (r"^a|b(?:c|d)|[|x]|\||e", r"[]|](?:x)|y", r"[^]|]|z"):
        assert "|".join(alternatives(pattern)) == pattern


def test_required_words() -> None:
    assert required_words(r"\bcontributed\s+(?:to\s+)?(?:this|the)\b") == {"contributed"}
    assert required_words(r"\b(?:photos?|pics?)\b", re.IGNORECASE) == {"photo", "pic"}
    assert required_words(r"Photo (?:provided|courtesy)") == {"Photo provided", "Photo courtesy"}
    assert required_words(r"REACH\s+out", re.IGNORECASE) == {"reach"}
    assert required_words(r"\d{3}-\d{4}") == {"-"}
    assert required_words(r"(?:x|\d)y?") is None  # one branch needs no literal
    assert required_words(r"\w+") is None
    assert required_words(r"(?:ab)+cd") in ({"ab"}, {"cd"})  # either one is needed


def test_a_line_with_characters_folded_apart_is_searched_in_full() -> None:
    assert folded("Reuters") == "reuters"
    assert folded("REPORTİNG") is None
    pattern = LinePattern(r"\bcontributed\s+to\s+this\s+report\b", re.IGNORECASE)
    # the engine folds "ſ" (long s) and "K" (Kelvin sign) to ASCII letters; str.lower does not
    for line in ("John Doe contributed to thiſ report.", "reached at; contributed to this report"):
        assert pattern.search(line) == bool(pattern.pattern.search(line)) is True
    kelvin = LinePattern(r"\bkyodo\b", re.IGNORECASE)
    assert kelvin.search("\u212ayodo news") is True


def _fuzz_lines(patterns: list[tuple[str, LinePattern]], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = sorted({w for _, p in patterns for w in (p.words or ())})
    filler = "the said (left) photo By Jane Doe / AFP — Reuters: 555-123-4567 a@b.co www.x.org ſ K İ ı ©"
    filler += " | [ ] ."
    lines = []
    for _ in range(n):
        parts = [rng.choice(words + filler.split()) for _ in range(rng.randint(1, 12))]
        line = " ".join(parts)
        roll = rng.random()
        if roll < 0.2:
            line = line.upper()
        elif roll < 0.4:
            line = line.title()
        if rng.random() < 0.3:
            line += rng.choice([".", ")", " )", ":", ""])
        lines.append(line)
    return lines


@pytest.mark.parametrize("seed", [1, 2])
def test_every_shipped_line_pattern_answers_as_re_search(seed: int) -> None:
    patterns = _line_patterns()
    assert len(patterns) >= 14
    lines = [
        *_fuzz_lines(patterns, 4000, seed),
        "Reporting by Jane Doe; Editing by John Roe",
        "The Associated Press contributed to this report.",
        "President A (right) and Prime Minister B shake hands near the palace.",
        "Image 1 of 9",
        "(Photo: Jane Doe / Daily News)",
        "You can reach him at jdoe@example.com or 555-123-4567.",
        "",
    ]
    for name, pattern in patterns:
        for line in lines:
            expected = pattern.pattern.search(line) is not None
            assert pattern.search(line) == expected, (name, line)
            assert pattern.search(line, folded(line)) == expected, (name, line)
            assert pattern.count(line) == len(pattern.pattern.findall(line)), (name, line)


@pytest.mark.parametrize(
    ("pattern", "flags", "lines"),
    [
        (r"^b", re.MULTILINE, ["a\nb", "b", "ab"]),
        (r"^a|b", re.MULTILINE, ["xb", "x\na", "x"]),
        (r"^(a)|(b)\1", 0, ["bb", "ab", "b"]),
        (r"^(?P<n>a)|b(?P=n)", 0, ["ba", "a", "bb"]),
        (r"(a)|^b(?(1)x|y)", 0, ["by", "bx", "a"]),
        (r"^a(?#()|b", 0, ["xb", "a", "x"]),
        (r"^a # x|z", re.VERBOSE, ["z", "a", "x"]),
        (r"a|b # c", re.VERBOSE, ["b", "c", "a"]),
        (r"(?i)foo|bar", 0, ["FOO", "Bar", "baz"]),
        (r"(?x) ^ a | b", 0, ["xb", "a", "x"]),
    ],
)
def test_patterns_that_cannot_be_cut_are_searched_whole(pattern: str, flags: int, lines: list[str]) -> None:
    line_pattern = LinePattern(pattern, flags)
    for line in lines:
        assert line_pattern.search(line) == (re.search(pattern, line, flags) is not None), line
        assert line_pattern.count(line) == len(re.findall(pattern, line, flags)), line
