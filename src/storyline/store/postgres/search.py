"""Full-text search in PostgreSQL with the matching of the SQLite store's FTS5 index.

PostgreSQL does the matching, ranking and indexing (a ``tsvector`` per document, a GIN index,
``@@`` and ``ts_rank``); storyline does the folding of words, in Python, on both sides, so that a
query matches here what it matches in SQLite whatever the database's locale:

* words are runs of letters and digits (``S-400`` is the words ``s`` and ``400``, as FTS5's
  ``unicode61`` tokenizer splits it, where PostgreSQL's own parser would keep ``s-400`` whole);
* lower case, and Latin letters without their diacritics (``Erdogan`` finds ``Erdoğan``, as
  ``remove_diacritics 2`` does); other scripts keep their marks;
* the ``simple`` configuration then indexes each word as it is: no stemming, no stop words.

A query is read as :func:`storyline.store.sqlite.fts_query` reads it: every word must occur,
``"quoted phrases"`` stay phrases, ``OR`` between words, ``word*`` a prefix; it is never a syntax
error. The snippet (the text around the matches, matched words in brackets) is cut in Python from
the page's documents, as FTS5's ``snippet()`` cuts it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: A word: a run of letters and digits (no underscores), as FTS5's unicode61 tokenizer sees one.
WORD = re.compile(r"[^\W_]+")


def _is_latin(char: str) -> bool:
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF or 0x2C60 <= code <= 0x2C7F or 0xA720 <= code <= 0xA7FF


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as the index keeps it: lower case, Latin letters without diacritics."""
    word = word.lower()
    if word.isascii():
        return word
    out: list[str] = []
    for char in word:
        if _is_latin(char) and not char.isascii():
            base = unicodedata.normalize("NFD", char)
            char = "".join(c for c in base if not unicodedata.combining(c)) or char
        out.append(char)
    return "".join(out)


def index_text(*texts: str | None) -> str:
    """The folded words of ``texts``, one space between them: what ``to_tsvector('simple', ...)``
    indexes word for word."""
    return " ".join(fold(w) for text in texts if text for w in WORD.findall(text))


@dataclass(frozen=True, slots=True)
class TextQuery:
    """A user's query read for PostgreSQL: the ``tsquery`` text, and the phrases it looks for
    (folded words; the last one a prefix when ``prefix``), for snippets."""

    tsquery: str
    phrases: tuple[tuple[tuple[str, ...], bool], ...]

    def __bool__(self) -> bool:
        return bool(self.tsquery)


def _phrase(words: list[str], prefix: bool) -> str:
    lexemes = [f"'{w}'" for w in words]  # folded words hold letters and digits only: nothing to escape
    if prefix:
        lexemes[-1] += ":*"
    joined = " <-> ".join(lexemes)
    return f"({joined})" if len(lexemes) > 1 else joined


def text_query(text: str) -> TextQuery:
    """A user's words -> a ``tsquery``: every word must occur (``&``); "quoted phrases" stay phrases
    (``<->``); OR between words is kept (``|``, binding tighter than the implicit AND, as in FTS5);
    ``word*`` is a prefix (``:*``). Never a syntax error; empty when the query has no words."""
    parts: list[str] = []
    phrases: list[tuple[tuple[str, ...], bool]] = []
    for i, chunk in enumerate(text.split('"')):
        if i % 2 == 1:
            found = [fold(w) for w in WORD.findall(chunk)]
            if found:
                parts.append(_phrase(found, False))
                phrases.append((tuple(found), False))
            continue
        for token in chunk.split():
            if token == "OR" and parts and parts[-1] != "|":
                parts.append("|")
                continue
            found = [fold(w) for w in WORD.findall(token)]
            if found:
                prefix = token.endswith("*")
                parts.append(_phrase(found, prefix))
                phrases.append((tuple(found), prefix))
    while parts and parts[-1] == "|":
        parts.pop()
    out: list[str] = []
    for part in parts:
        if out and part != "|" and out[-1] != "|":
            out.append("&")
        out.append(part)
    return TextQuery(" ".join(out), tuple(phrases))


def _instances(words: list[str], query: TextQuery) -> list[tuple[int, int, int]]:
    """Where the query's phrases occur among ``words``: (phrase, first word, words), by position."""
    found = []
    for at in range(len(words)):
        for n, (phrase, prefix) in enumerate(query.phrases):
            size = len(phrase)
            if at + size > len(words):
                continue
            head, last = phrase[:-1], phrase[-1]
            if list(head) == words[at : at + size - 1] and (
                words[at + size - 1].startswith(last) if prefix else words[at + size - 1] == last
            ):
                found.append((n, at, size))
    return found


def _score(instances: list[tuple[int, int, int]], start: int, tokens: int) -> tuple[int, int, int]:
    """FTS5's score of a window of ``tokens`` words from ``start``: 1000 for each phrase found
    in it, 1 for each further instance; and the span of those instances (first, end)."""
    seen: set[int] = set()
    score, first, last = 0, -1, 0
    for n, at, size in instances:
        if start <= at < start + tokens:
            score += 1 if n in seen else 1000
            seen.add(n)
            first = at if first < 0 else first
            last = at + size
    return score, first, last


def snippet(text: str, query: TextQuery, tokens: int = 16, ellipsis: str = " … ") -> str:
    """The text around the query's matches, as FTS5's ``snippet(documents_fts, 1, '[', ']', ' … ',
    16)`` cuts it: the ``tokens`` words holding the most of the query's phrases (preferring a
    window that starts a sentence), each phrase found in brackets, with an ellipsis where the text
    goes on before or after."""
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    if not spans:
        return ""
    words = [fold(text[s:e]) for s, e in spans]
    instances = _instances(words, query)
    size = len(spans)
    # sentence starts: the first word, and each word after a full stop or colon and a space
    firsts = [0] + [
        i for i in range(1, size)
        if spans[i][0] > spans[i - 1][1] and text[spans[i - 1][1] : spans[i][0]].rstrip()[-1:] in (".", ":")
        and text[spans[i][0] - 1].isspace()
    ]  # fmt: skip
    best_score, best_start = 0, 0
    for _, at, _ in instances:
        score, first, last = _score(instances, at, tokens)
        start = max(0, min(first - (tokens - (last - first)) // 2, size - tokens))
        if score > best_score:
            best_score, best_start = score, start
        if size > tokens:
            sentence = max(f for f in firsts if f <= at)
            if sentence < at:
                score = _score(instances, sentence, tokens)[0] + (120 if sentence == 0 else 100)
                if score > best_score:
                    best_score, best_start = score, sentence
    end = min(best_start + tokens, size)
    marked: dict[int, int] = {}  # first word -> words, of each instance shown
    for _, at, length in instances:
        if best_start <= at < end and all(w not in marked for w in range(at, at + length)):
            marked[at] = min(length, end - at)
    out: list[str] = [ellipsis] if best_start > 0 else []
    position = spans[best_start][0] if best_start > 0 else 0
    i = best_start
    while i < end:
        length = marked.get(i, 0)
        if length:
            out += [text[position : spans[i][0]], "[", text[spans[i][0] : spans[i + length - 1][1]], "]"]
            position, i = spans[i + length - 1][1], i + length
        else:
            i += 1
    if end < size:
        out += [text[position : spans[end - 1][1]], ellipsis]
    else:
        out.append(text[position:])
    return "".join(out)
