"""JSON, JSON Lines and CSV records with the usual field names (or mapped ones)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.ingest.sources import Source
from storyline.model import Article, ContentKind, SourceFields

_HTML_START = re.compile(r"^\s*<(p|div|article|section|h[1-6]|span|br|figure)\b", re.IGNORECASE)
_CONTAINER_KEYS = ("articles", "documents", "items", "data", "records", "results", "docs")


def _pick(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    lowered = {k.lower(): v for k, v in record.items() if isinstance(k, str)}
    for name in names:
        value = record.get(name, lowered.get(name.lower()))
        if value not in (None, "", []):
            return value
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """JSON may escape half of a character ("\\ud800"); such halves cannot be stored or
    written as UTF-8, so each becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return _no_surrogates(", ".join(str(v) for v in value if v not in (None, ""))) or None
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title"))
    return _no_surrogates(str(value).strip()) or None


def _as_date(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            return None  # NaN or infinity: no date (the record is read without one)
        seconds = value / 1000 if value > 10**11 else value  # epoch milliseconds
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
        except (ValueError, OverflowError, OSError):
            return str(value)  # out of any calendar: the cleaner notes it as a date it cannot read
    return _as_text(value)


def record_to_article(
    record: Any, origin: str, config: IngestConfig, *, fallback_source: str | None = None
) -> Article | InputError:
    """One JSON object or CSV row -> an Article, or an InputError naming what is missing."""
    if not isinstance(record, Mapping):
        return InputError(origin, "malformed", f"expected an object, got {type(record).__name__}")
    raw_text = _pick(record, config.names_for("text"))
    # the text is kept exactly as given (annotate --keep-text relies on its offsets); the cleaner normalises it
    text = _no_surrogates(raw_text) if isinstance(raw_text, str) else _as_text(raw_text)
    if not text or not text.strip():
        wanted = ", ".join(config.names_for("text"))
        return InputError(
            origin, "no-text", f"record has no text field (looked for {wanted}; map one with --field text=NAME)"
        )
    if len(text.encode("utf-8")) > config.max_document_bytes:
        return InputError(origin, "too-large", f"record text is over the {config.max_document_bytes:,}-byte limit")
    record_id = _as_text(_pick(record, config.names_for("id")))
    fields = SourceFields(
        title=_as_text(_pick(record, config.names_for("title"))),
        url=_as_text(_pick(record, config.names_for("url"))),
        source=_as_text(_pick(record, config.names_for("source"))) or fallback_source,
        author=_as_text(_pick(record, config.names_for("author"))),
        published=_as_date(_pick(record, config.names_for("published"))),
        language=_as_text(_pick(record, config.names_for("language"))),
    )
    kind = ContentKind.HTML_FRAGMENT if _HTML_START.match(text) else ContentKind.BODY_TEXT
    return Article(content=text, kind=kind, origin=origin, source_id=record_id or origin, fields=fields)


def read_json(source: Source, config: IngestConfig) -> Iterator[Article | InputError]:
    """A JSON file: one object, a list of objects, or an object holding such a list."""
    data = source.read_limited(config.max_file_bytes)
    if not data.strip():
        yield InputError(source.name, "empty", f"empty input ({len(data)} bytes)")
        return
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield InputError(source.name, "encoding", f"invalid UTF-8 at byte {exc.start}; JSON must be UTF-8")
        return
    except json.JSONDecodeError as exc:
        yield InputError(source.name, "malformed", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    except RecursionError:
        yield InputError(source.name, "malformed", "JSON nested too deeply to read")
        return
    except ValueError as exc:  # a number too long to convert (over 4,300 digits)
        yield InputError(source.name, "malformed", f"invalid JSON ({exc})")
        return
    if isinstance(parsed, dict):
        container = next((parsed[k] for k in _CONTAINER_KEYS if isinstance(parsed.get(k), list)), None)
        records: list[Any] = container if container is not None else [parsed]
    elif isinstance(parsed, list):
        records = parsed
    else:
        yield InputError(source.name, "malformed", f"expected a JSON object or list, got {type(parsed).__name__}")
        return
    if not records:
        yield InputError(source.name, "empty", "empty input (the JSON holds no records)")
        return
    if len(records) == 1:
        yield record_to_article(records[0], source.name, config, fallback_source=config.source)
        return
    for i, record in enumerate(records, 1):
        yield record_to_article(record, f"{source.name}#item={i}", config, fallback_source=config.source)


def read_jsonl(source: Source, config: IngestConfig) -> Iterator[Article | InputError]:
    """JSON Lines: one object a line; a bad line is reported and the others are read."""
    if source.size() > config.max_file_bytes:
        yield InputError(source.name, "too-large", f"over the {config.max_file_bytes:,}-byte file limit")
        return
    seen_any = False
    with source.open_decompressed() as stream:
        lineno = 0
        while True:
            try:
                raw = stream.readline(config.max_document_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                yield InputError(source.name, "truncated", f"cannot read past line {lineno} ({exc})")
                return
            if not raw:
                break
            lineno += 1
            origin = f"{source.name}#line={lineno}"
            if len(raw) > config.max_document_bytes and not raw.endswith(b"\n"):
                yield InputError(origin, "too-large", f"line is over the {config.max_document_bytes:,}-byte limit")
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = stream.readline(config.max_document_bytes)
                continue
            if not raw.strip():
                continue
            seen_any = True
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(origin, "encoding", f"invalid UTF-8 at byte {exc.start} of the line")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(origin, "malformed", f"invalid JSON at column {exc.colno}: {exc.msg}")
                continue
            except RecursionError:
                yield InputError(origin, "malformed", "JSON nested too deeply to read")
                continue
            except ValueError as exc:  # a number too long to convert (over 4,300 digits)
                yield InputError(origin, "malformed", f"invalid JSON ({exc})")
                continue
            yield record_to_article(record, origin, config, fallback_source=config.source)
    if not seen_any:
        yield InputError(source.name, "empty", "empty input (no records)")


def read_csv(source: Source, config: IngestConfig) -> Iterator[Article | InputError]:
    """CSV (or TSV) with a header row; a malformed row is reported and the others are read."""
    if source.size() > config.max_file_bytes:
        yield InputError(source.name, "too-large", f"over the {config.max_file_bytes:,}-byte file limit")
        return
    csv.field_size_limit(max(config.max_document_bytes, 131072))
    with source.open_decompressed() as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        delimiter = "\t" if source.name.lower().removesuffix(".gz").endswith(".tsv") else ","
        reader = csv.reader(stream, delimiter=delimiter, strict=True)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            yield InputError(source.name, "malformed", f"unreadable CSV header ({exc})")
            return
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(source.name, "truncated", f"cannot decompress ({exc})")
            return
        if not header or not any(h.strip() for h in header):
            yield InputError(source.name, "empty", "empty input (no header row)")
            return
        header = [h.strip() for h in header]
        row_no = 1
        rows = 0
        while True:
            row_no += 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                yield InputError(
                    f"{source.name}#row={row_no}",
                    "encoding",
                    f"invalid UTF-8 ({exc.reason}); rows from here on are not read",
                )
                return
            except csv.Error as exc:
                yield InputError(f"{source.name}#row={row_no}", "malformed", f"malformed CSV: {exc}")
                return  # the reader's position is lost after a quoting error
            except (OSError, EOFError, zlib.error) as exc:
                yield InputError(f"{source.name}#row={row_no}", "truncated", f"cannot decompress past this row ({exc})")
                return
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            origin = f"{source.name}#row={row_no}"
            if len(row) != len(header):
                yield InputError(origin, "malformed", f"row has {len(row)} fields, the header has {len(header)}")
                continue
            yield record_to_article(dict(zip(header, row, strict=True)), origin, config, fallback_source=config.source)
        if rows == 0:
            yield InputError(source.name, "empty", "empty input (a header row and no records)")
