"""Finding inputs: paths (recursing into folders), standard input and URLs, and sniffing their format."""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from storyline.encoding import ascii_compatible
from storyline.errors import InputError

_EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".md": "text", ".text": "text", "": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".warc": "warc",
}  # fmt: skip
_IGNORED_NAMES = re.compile(r"^(\.|~|#)|\.(db|db-wal|db-shm|lock|pyc|swp)$|~$")
_URL = re.compile(r"^https?://", re.IGNORECASE)
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: a file, standard input, or a fetched URL."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    content_type: str | None = None
    charset: str | None = None
    fetched_at: datetime | None = None

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def open(self) -> BinaryIO:
        """The raw bytes as a stream (gzip-compressed inputs stay compressed)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    def head(self, n: int = 8192) -> bytes:
        with self.open() as f:
            return f.read(n)

    def open_decompressed(self) -> BinaryIO:
        """The bytes as a stream, gzip-decompressed when the input is gzip."""
        if self.head(2) != GZIP_MAGIC:
            return self.open()
        if self.data is not None:
            return gzip.GzipFile(fileobj=io.BytesIO(self.data))  # type: ignore[return-value]
        assert self.path is not None
        return gzip.open(self.path, "rb")  # type: ignore[return-value]

    def read_limited(self, limit: int) -> bytes:
        """All (decompressed) bytes, or an InputError("too-large") past ``limit``."""
        with self.open_decompressed() as f:
            try:
                data = f.read(limit + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError(self.name, "truncated", f"cannot decompress ({exc})") from None
        if len(data) > limit:
            raise InputError(
                self.name,
                "too-large",
                f"over the {_size(limit)} limit for one document ({_size(self.size())}); raise it with --max-bytes",
            )
        return data


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def is_url(spec: str) -> bool:
    return bool(_URL.match(spec))


def expand(specs: list[str], stdin: BinaryIO | None = None) -> Iterator[Source | InputError]:
    """Turn command-line inputs into sources: folders are walked (sorted, hidden files skipped),
    ``-`` is standard input, URLs are left for the caller to fetch (yielded as Source with name=url)."""
    for spec in specs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield Source("<stdin>", data=stream.read())
            continue
        if is_url(spec):
            yield Source(spec)
            continue
        path = Path(spec)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield Source(str(path), path=path)
        elif path.is_symlink():
            yield InputError(spec, "unreadable", "broken symbolic link")
        elif path.exists():
            yield InputError(spec, "unreadable", "not a regular file or folder")
        else:
            yield InputError(spec, "unreadable", "no such file or folder")


def _walk(root: Path) -> Iterator[Source | InputError]:
    """The files under ``root``, sorted, each as a Source, and an error for each thing in it
    that is not read: a folder that cannot be listed (the walk goes on past it), a broken link,
    a link to a folder (not followed: it may lead in a loop or out of the folder given), a FIFO,
    socket or device, and a file gone before it was looked at."""
    unlisted: list[OSError] = []  # os.walk reports a folder it cannot list here, and goes on
    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted.append):
        yield from _unlisted(unlisted, root)
        folders = sorted(d for d in dirnames if not d.startswith("."))
        linked = [d for d in folders if (Path(dirpath) / d).is_symlink()]  # (reported with the files)
        dirnames[:] = [d for d in folders if d not in set(linked)]
        for name in sorted([*filenames, *linked]):
            if _IGNORED_NAMES.search(name):
                continue
            path = Path(dirpath) / name
            if path.is_file():
                yield Source(str(path), path=path)
            elif path.is_symlink():
                reason = "symbolic link to a folder, not followed" if path.is_dir() else "broken symbolic link"
                yield InputError(str(path), "unreadable", reason)
            elif path.exists():
                yield InputError(str(path), "unreadable", "not a regular file or folder")
            else:
                yield InputError(str(path), "unreadable", "no such file (removed while the folder was read)")
    yield from _unlisted(unlisted, root)


def _unlisted(errors: list[OSError], root: Path) -> Iterator[InputError]:
    """The folders os.walk could not list (emptying ``errors``)."""
    for exc in errors:
        reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror or str(exc)
        yield InputError(str(exc.filename or root), "unreadable", f"folder not read ({reason})")
    errors.clear()


def _gunzip_head(head: bytes) -> bytes:
    """Decompress what a partial gzip stream allows (the head of a larger file)."""
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 4096)
    except zlib.error:
        return b""


def sniff(source: Source, head: bytes) -> str:
    """Choose a reader for ``source``: by extension where it is clear, by content otherwise.

    Files named ``.xml``, files with no extension and standard input are read by content.
    """
    name = source.name.lower()
    inner = head
    if head.startswith(GZIP_MAGIC):
        inner = _gunzip_head(head)
        name = name.removesuffix(".gz")
    if inner.startswith((b"WARC/", b"filedesc://")) or name.endswith((".warc", ".arc")):
        return "warc"
    if source.content_type:
        by_type = _by_content_type(source.content_type)
        if by_type:
            return by_type
    ext = Path(name).suffix if source.path is not None else ""
    by_content = _by_content(inner)
    if ext and ext in _EXTENSIONS:
        by_ext = _EXTENSIONS[ext]
        # a feed or archive saved as .html/.txt, or a page saved as .rss, is read for what it
        # holds; other XML-looking content keeps the reader its extension names
        if _is_feed_or_archive(inner) or (by_content == "html" and by_ext == "feed"):
            return by_content
        return by_ext
    return by_content


def _by_content_type(content_type: str) -> str | None:
    ct = content_type.lower()
    if ct in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if ct in ("text/html", "application/xhtml+xml"):
        return "html"
    if ct in ("application/json",):
        return "json"
    if ct in ("application/x-ndjson", "application/jsonl"):
        return "jsonl"
    if ct == "text/csv":
        return "csv"
    if ct == "application/warc":
        return "warc"
    return None


# what may come before a document's first element: white space, comments, processing
# instructions (<?xml ...?>) and a DOCTYPE (with an internal subset in brackets)
_PROLOG = re.compile(rb"(?:\s+|<!--.*?(?:-->|$)|<\?.*?(?:\?>|$)|<!doctype(?:[^\[>]|\[[^\]]*\])*>?)*", re.DOTALL)
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf", b"<channel")


def _document_start(head: bytes) -> bytes:
    """The (lower-cased) head from its first element on, past any prolog."""
    text = ascii_compatible(head)[:4096].lower()
    return text[_PROLOG.match(text).end() :]  # type: ignore[union-attr]


def _is_feed_or_archive(head: bytes) -> bool:
    return ascii_compatible(head).startswith(b"filedesc://") or _document_start(head).startswith(_FEED_ROOTS)


def _by_content(head: bytes) -> str:
    raw = ascii_compatible(head)
    if raw.startswith(b"filedesc://"):
        return "warc"  # the older web-archive format (ARC), read by the same reader
    text = raw[:4096].lower()
    body = _document_start(head)
    if body.startswith(_FEED_ROOTS):
        return "feed"
    if body.startswith(b"<html") or b"<html" in text[:1024] or text.lstrip().startswith(b"<!doctype html"):
        return "html"
    if body.startswith(b"<") and text.lstrip().startswith((b"<?xml", b"<!--", b"<!doctype")):
        return "feed"  # other XML: the feed reader reports it clearly if it is not a feed
    stripped = text.lstrip()
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        first_line = stripped.split(b"\n", 1)[0].rstrip()
        return "jsonl" if first_line.endswith(b"}") else "json"
    return "text"
