"""Unicode, white space and mojibake repair for scraped text."""

from __future__ import annotations

import re
import unicodedata

# NFKC turns "¼" into the three characters "1⁄4". When that happens to the second
# byte of double-encoded UTF-8 ("Ã¼" for "ü"), the usual repair no longer sees it.
_NFKC_MOJIBAKE = re.compile(r"([ÃÂÅÄÐÑØ])(1⁄4|1⁄2|3⁄4)")
_FRACTIONS = {"1⁄4": "¼", "1⁄2": "½", "3⁄4": "¾"}
# the characters normalize_line replaces by a space, drops as invisible, drops as controls
_SPACE_CHARS = r"\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE_CHARS = r"\u00ad\u200b-\u200d\u2060\ufeff\u180e"
_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SPACES = re.compile(f"[{_SPACE_CHARS}]+")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_CONTROLS = re.compile(f"[{_CONTROL_CHARS}]")
_MULTISPACE = re.compile(r" {2,}")
_SENTENCE_END_CHARS = frozenset(""".!?:;"”’'»)]""")
_MOJIBAKE_HINT = re.compile(r"[ÃÂÅÄÐÑØâ][\u0080-\u00ff\u0152-\u2122]|[ÃÂ]1⁄[24]|â€")
#: The characters every match of the hint starts with: a text with none of them (most texts) is
#: not searched (a substring test per character costs a fiftieth of the search).
_MOJIBAKE_LEADS = "ÃÂÅÄÐÑØâ"
#: Any character one of the three substitutions of :func:`normalize_line` would touch.
_ODD_CHARACTERS = re.compile(f"[{_INVISIBLE_CHARS}{_SPACE_CHARS}{_CONTROL_CHARS}]")


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 that was decoded as Latin-1/Windows-1252 ("BugÃ¼n" -> "Bugün"),
    including the NFKC-mangled form "BugÃ1⁄4n". Returns the text and whether it changed."""
    if not any(c in text for c in _MOJIBAKE_LEADS) or not _MOJIBAKE_HINT.search(text):
        return text, False
    import ftfy

    pre = _NFKC_MOJIBAKE.sub(lambda m: m.group(1) + _FRACTIONS[m.group(2)], text)
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        fix_line_breaks=False,
        normalization="NFC",
        explain=False,
    )
    fixed = ftfy.fix_text(pre, config)
    return fixed, fixed != text


def normalize_line(line: str) -> str:
    """One line: NFC, no invisible or control characters, single spaces, stripped."""
    line = unicodedata.normalize("NFC", line)
    if _ODD_CHARACTERS.search(line):  # (one scan; most lines hold none)
        line = _INVISIBLE.sub("", line)
        line = _SPACES.sub(" ", line)
        line = _CONTROLS.sub("", line)
    if "  " in line:
        line = _MULTISPACE.sub(" ", line)
    return line.strip()


def visible_chars(text: str, enough: int) -> int:
    """How many characters of ``text`` show, counted up to ``enough`` (the count stops there).

    Format characters (direction marks, embeddings and isolates, tag characters), which
    normalize_line keeps because right-to-left text needs them, do not show; nor does a
    combining mark or variation selector with no character under it (U+0301 three hundred times).
    A mark on a letter shows with it (a decomposed accent, an Indic vowel sign); white space
    counts once something that shows came before it."""
    count = 0
    on_base = False  # whether the last character counted can carry a combining mark
    for c in text:
        category = unicodedata.category(c)
        if category == "Cf":
            continue
        if category in ("Mn", "Me"):
            if not on_base:
                continue
        elif c.isspace():
            if not count:
                continue  # white space before anything that shows ("\u200f " sixty times) shows nothing
            on_base = False
        else:
            on_base = True
        count += 1
        if count >= enough:
            break
    return count


def normalize_lines(text: str) -> list[str]:
    """Text -> cleaned lines, with blank lines kept as "" (paragraph breaks) and
    hard-wrapped lines (a line not ending a sentence followed by one starting in
    lower case) joined back together."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    out: list[str] = []
    parts: list[str] = []  # the pieces of the line being joined (kept apart: joining once is linear)
    for raw in text.split("\n"):
        line = normalize_line(raw)
        if line and parts and parts[-1] and parts[-1][-1] not in _SENTENCE_END_CHARS and line[0].islower():
            parts.append(line)
            continue
        if parts:
            out.append(" ".join(parts))
        parts = [line]
    if parts:
        out.append(" ".join(parts))
    return out


def paragraphs(lines: list[str]) -> list[str]:
    """Non-empty lines as paragraphs (scraped text puts one paragraph on a line)."""
    return [line for line in lines if line]


# bounded spans: on a 150 kB line of unclosed brackets or asterisks, an unbounded span would
# scan to the end of the line from every opening mark (quadratic time)
_MD_LINK = re.compile(r"!?\[([^\[\]]{0,500})\]\(([^()\s]{0,2000})(?:\s[^()]{0,300})?\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)([^\n]{1,500}?)(?<=\S)\1")
_MD_BLOCK = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))")


def strip_markdown(line: str) -> str:
    """Markdown markup off one line: headings, quotes, list bullets, emphasis, links (text kept)."""
    line = _MD_BLOCK.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPHASIS.sub(r"\2", line)
