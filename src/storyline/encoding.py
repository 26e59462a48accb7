"""Turning bytes into text: binary detection and character encodings. No I/O."""

from __future__ import annotations

import codecs
import re

from storyline.errors import InputError

# Magic numbers of binary formats people are likely to point storyline at by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"RIFF", "a media file"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)""",
    re.IGNORECASE,
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def binary_kind(head: bytes) -> str | None:
    """Say what binary format ``head`` (the first few KiB) is, or None if it looks like text."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if any(head.startswith(bom) for bom, enc in _BOMS if enc.startswith("utf-16") or enc == "utf-32"):
        return None  # UTF-16/32 text has NUL bytes by design
    if b"\x00" in head:
        return "binary data"
    if head and len(_CONTROL.findall(head)) / len(head) > 0.05:
        return "binary data"
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML meta tag or XML declaration names in the first 4 KiB, if valid."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(
    data: bytes, origin: str, *, declared: str | None = None, forced: str | None = None
) -> tuple[str, str | None]:
    """Decode ``data`` to text. Returns the text and a note when it was not plain UTF-8.

    Order: a forced encoding; a byte-order mark; UTF-8; the encoding the HTTP header or
    the document declares; then statistical detection. Raises :class:`InputError`
    ("binary", "encoding") when the bytes are not text.
    """
    kind = binary_kind(data[:8192])
    if kind is not None:
        raise InputError(origin, "binary", f"binary file ({kind}), not text")
    if forced:
        try:
            return data.decode(forced), None
        except UnicodeDecodeError as exc:
            raise InputError(
                origin, "encoding", f"not valid {forced} text ({exc.reason} at byte {exc.start})"
            ) from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), None
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        first_error = exc
    for candidate in (declared, declared_encoding(data)):
        if candidate and codecs.lookup(candidate).name != "utf-8":
            try:
                return data.decode(candidate), f"decoded as {candidate} (declared)"
            except (UnicodeDecodeError, LookupError):
                pass
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data[:200_000]) if m.encoding not in ("utf_8", "ascii")]
    if matches:
        best = min(matches, key=lambda m: m.chaos)
        encoding = best.encoding
        # Windows-1252 is by far the commonest legacy encoding of web text; when the
        # detector says the bytes decode the same in it, say so rather than cp1250.
        if "cp1252" in best.could_be_from_charset:
            encoding = "cp1252"
        if best.chaos < 0.2:
            try:
                return data.decode(encoding), f"not UTF-8; decoded as {encoding} (detected)"
            except UnicodeDecodeError:
                pass
    raise InputError(
        origin,
        "encoding",
        f"invalid UTF-8 ({first_error.reason} at byte {first_error.start}) and no other "
        "encoding fits; convert the file or pass --encoding",
    )
