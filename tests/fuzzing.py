"""Mutated inputs for every reader, and the contract each reader must keep on them.

The contract (issue 13): any byte string under any name gives documents or clear
:class:`InputError` values, never an exception; every input is accounted for (at least one
document or error comes out of it); every error names its input and fits on one line; no
error is ``internal`` (the code storyline gives an exception it did not expect, i.e. a bug).

Used by ``tests/test_fuzz.py`` (a few hundred inputs in ``make test``) and by
``benchmarks/fuzz.py`` (``make fuzz``: 100,000 inputs and more). Seeds are the bundled sample
corpus, the golden inputs and hand-written shapes of each reader's formats.
"""

from __future__ import annotations

import gzip
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storyline.clean.cleaner import Cleaner
from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.ingest import Source, read
from storyline.model import Article

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = (ROOT / "examples" / "corpus", ROOT / "tests" / "golden")

_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Talks held</title><link>https://example.org/a</link><pubDate>Fri, 01 Jun 2018 10:00:00 +0530</pubDate>
<description>The two leaders held talks in the city on Friday and signed three agreements.</description></item>
</channel></rss>"""
_RDF = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://example.org/"><title>Wire</title></channel>
<item rdf:about="https://example.org/b"><title>Port reopens</title><link>https://example.org/b</link>
<description>The port reopened on Monday after the storm, officials said.</description></item>
</rdf:RDF>"""
_ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<entry><title>Minister visits</title><id>urn:x:1</id><updated>2019-09-04T08:00:00Z</updated>
<content type="html">&lt;p&gt;The minister visited the plant on Wednesday.&lt;/p&gt;</content></entry></feed>"""
_XHTML = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Bridge opens</title></head><body><article>
<h1>Bridge opens</h1><p>The new bridge over the river opened to traffic on Saturday, the city said.</p>
<p>Engineers had worked on it for three years and the cost came to 40 million.</p></article></body></html>"""
_JSON = json.dumps(
    {"title": "Talks", "text": "Leaders met in the capital on Monday.", "published": "2018-05-21T09:00:00+03:00"}
).encode()
_CSV = b"title,text,published\nTalks,Leaders met in the capital on Monday.,2018-05-21\n"

HANDWRITTEN: dict[str, bytes] = {
    "feed.rss": _RSS,
    "feed.rdf": _RDF,
    "feed.atom": _ATOM,
    "page.xhtml": _XHTML,
    "record.json": _JSON,
    "records.jsonl": _JSON + b"\n" + _JSON + b"\n",
    "rows.csv": _CSV,
    "note.txt": b"Port reopens\n\nCHENNAI, June 3 (Wire) - The port reopened on Monday after the storm.\n",
}

# fragments the mutator splices in: each was once (or is likely to be) a reader's undoing
_TOKENS: tuple[bytes, ...] = (
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x1f\x8b", b"\r", b"\x0c", b"\x1b", b"\x85",
    b"<!-- note -->", b"<!DOCTYPE rss>", b"<?xml version='1.0'?>", b"<![CDATA[", b"]]>",
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', b"&e;", b"&amp;", b"&#0;", b"&#xD800;",
    b"<rdf:RDF>", b"<html>", b"</body>", b"<table><tr><td>", b"<script>", b"<meta charset='x-unknown'>",
    b'"\\ud800"', b'"\\udfff"', b"NaN", b"Infinity", b"-1e309", b"99999999999999999999", b"+99:99",
    b"2018-13-45T25:61:61+99:99", b"Mon, 32 Foo 2018 99:99:99 +9999", b"[" * 50, b"{" * 50, b"]}",
    b"*" * 200, b"_" * 200, b"- " * 100, b"(" * 100, b"\xe9", b"\xc3\x28", b"\xed\xa0\x80",
    b"WARC/1.0\r\n", b"Content-Length: 999999\r\n", b"\n\n\n", b" " * 500, b"\t",
    b"Photo: Wire", b"(Reuters) -", b"By STAFF", b"MOSCOW, May 21 -", b"\xe2\x80\x8b", b"\xf0\x9f\x98\x80",
)  # fmt: skip

_EXTENSIONS = (
    ".txt",
    ".md",
    ".html",
    ".xhtml",
    ".json",
    ".jsonl",
    ".csv",
    ".tsv",
    ".rss",
    ".atom",
    ".rdf",
    ".xml",
    ".warc",
    "",
)


def seeds() -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed: the sample corpus, the golden inputs, the handwritten shapes."""
    found: list[tuple[str, bytes]] = []
    for folder in SEED_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.endswith(".expected.json"):
                found.append((path.name, path.read_bytes()))
    found.extend(HANDWRITTEN.items())
    return found


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _splice(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    token = rng.choice(_TOKENS) * (rng.choice((1, 1, 1, 20, 500)))
    return data[:at] + token + data[at:]


def _cut(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 400))
    return data[:a] + data[b:]


def _duplicate(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 2000))
    return data[:b] + data[a:b] * rng.randint(1, 30) + data[b:]


def _reencode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    codec = rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "utf-8-sig", "cp1251"))
    return text.encode(codec, errors="replace")


def _gzip(rng: random.Random, data: bytes) -> bytes:
    packed = gzip.compress(data, mtime=0)
    choice = rng.randrange(3)
    if choice == 0:
        return packed
    if choice == 1:
        return packed[: rng.randrange(2, len(packed) + 1)]
    return _flip(rng, packed)


def _nest(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((100, 1_000, 100_000))
    return b"[" * depth + data + b"]" * rng.choice((0, depth)) if rng.random() < 0.5 else b'{"a":' * depth + b"1"


def _long_line(rng: random.Random, data: bytes) -> bytes:
    unit = rng.choice((b"*", b"ab ", b"word ", b"**bold** ", b"_x_ ", b"lower case text with no stop ", b"- "))
    return data + unit * (rng.randint(20_000, 150_000) // len(unit))


MUTATORS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    _flip, _flip, _truncate, _splice, _splice, _splice, _cut, _duplicate, _reencode, _gzip, _nest, _long_line,
)  # fmt: skip


def mutate(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    """One mutated input: 1-3 mutations of ``data``, sometimes under another file name."""
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(MUTATORS)(rng, data)
    if rng.random() < 0.3:
        stem = name.split(".", 1)[0] or "input"
        name = stem + rng.choice(_EXTENSIONS) + (".gz" if data[:2] == b"\x1f\x8b" and rng.random() < 0.7 else "")
    return name, data


def inputs(seed: int, count: int) -> Iterator[tuple[str, bytes]]:
    """``count`` mutated inputs, the same for the same ``seed``."""
    rng = random.Random(seed)
    pool = seeds()
    for _ in range(count):
        name, data = rng.choice(pool)
        yield mutate(rng, name, data)


@dataclass
class Outcome:
    documents: int = 0
    errors: list[InputError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def check(name: str, data: bytes, config: IngestConfig, cleaner: Cleaner, folder: Path) -> Outcome:
    """Read and clean one input, saved as ``name`` in ``folder`` (so that its extension counts,
    as for a user's file); every break of the contract is listed in ``problems``."""
    outcome = Outcome()
    path = folder / (name or "input")
    path.write_bytes(data)
    started = time.perf_counter()
    articles: list[Article] = []
    try:
        for item in read(Source(str(path), path=path), config):
            if isinstance(item, InputError):
                outcome.errors.append(item)
            elif isinstance(item, Article):
                articles.append(item)
            else:
                outcome.problems.append(f"reader gave a {type(item).__name__}")
        for result in cleaner.clean_many(articles):
            if isinstance(result, InputError):
                outcome.errors.append(result)
            else:
                outcome.documents += 1
    except Exception as exc:  # this is what the contract forbids
        outcome.problems.append(f"raised {type(exc).__name__}: {exc}"[:300])
    outcome.seconds = time.perf_counter() - started
    if not outcome.problems and outcome.documents + len(outcome.errors) == 0:
        outcome.problems.append("silent loss: no document and no error")
    for error in outcome.errors:
        if error.code == "internal":
            outcome.problems.append(str(error))
        if "\n" in str(error) or not str(error).startswith(error.origin):
            outcome.problems.append(f"error not one line naming its input: {str(error)[:200]!r}")
    return outcome


def dump(name: str, data: bytes, folder: Path) -> Path:
    """Keep a failing input for the report (never committed: the caller picks a temp folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{abs(hash(data)) % 10**10:010d}-{name or 'input'}"
    path.write_bytes(data)
    return path


__all__ = ["HANDWRITTEN", "Outcome", "check", "dump", "inputs", "mutate", "seeds"]
