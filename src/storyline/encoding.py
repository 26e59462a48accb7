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


def wide_unicode(head: bytes) -> str | None:
    """The codec of UTF-16 text that has no byte-order mark, told by the zero bytes ASCII
    characters leave in every other place (``"utf-16-le"`` or ``"utf-16-be"``), else None."""
    sample = head[:256]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.6 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.6 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def ascii_compatible(data: bytes) -> bytes:
    """``data`` as bytes where ASCII markup reads as ASCII: UTF-16/32 (by its byte-order mark, or
    by the zero bytes ASCII text leaves in it) re-encoded as UTF-8, a UTF-8 mark dropped; any other
    bytes returned as they are (the same object)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="ignore").encode("utf-8")
    wide = wide_unicode(data)
    if wide:
        return data.decode(wide, errors="ignore").encode("utf-8")
    return data


def binary_kind(head: bytes) -> str | None:
    """Say what binary format ``head`` (the first few KiB) is, or None if it looks like text."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if any(head.startswith(bom) for bom, enc in _BOMS if enc.startswith("utf-16") or enc == "utf-32"):
        return None  # UTF-16/32 text has NUL bytes by design
    if wide_unicode(head):
        return None
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


STRAY_BYTES_MAX_SHARE = 0.001
"""UTF-8 text with invalid bytes is kept as UTF-8 (each bad byte replaced) when the bad bytes
are at most this share of the input (and there are at most :data:`STRAY_BYTES_MAX`), and
either the input says it is UTF-8 or it holds valid multi-byte UTF-8 elsewhere: decoding the
whole input in a legacy codec instead would garble every correct character. Set by hand."""
STRAY_BYTES_MAX = 64


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None  # a name no codec answers to (charset=x-unknown): as if none were given


_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes, *, said_utf8: bool) -> tuple[str, str] | None:
    """UTF-8 with a few stray bytes: the text with U+FFFD for each, and a note; else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= 0 or bad > STRAY_BYTES_MAX or bad > max(1, STRAY_BYTES_MAX_SHARE * len(data)):
        return None
    if not said_utf8 and not _MULTIBYTE.search(data):
        return None  # plain ASCII with a few high bytes: a legacy single-byte codec fits better
    return text, f"UTF-8 with {bad} invalid byte(s), replaced by U+FFFD"


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
    wide = wide_unicode(data[:8192])
    if wide:
        return data.decode(wide, errors="replace"), f"decoded as {wide} (no byte-order mark)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        first_error = exc
    named = [_codec(candidate) for candidate in (declared, declared_encoding(data))]
    mended = _mostly_utf8(data, said_utf8="utf-8" in named)
    if mended is not None:
        return mended
    for candidate in named:
        if candidate and candidate != "utf-8":
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
