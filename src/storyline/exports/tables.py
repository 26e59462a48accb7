"""The store's tables as rows, and the rows as JSON Lines, CSV, Parquet or a pandas DataFrame.

Three tables, one row each per stored document, canonical entity or event. Every format carries
the same columns in the same order; they differ only in how a nested value is written:

- JSON Lines: as JSON (lists and objects);
- CSV: lists and objects as JSON text in their cell;
- Parquet: lists of plain strings (captions, actor names and ids, ...) as Parquet lists of strings,
  nested records (``seen_in``, ``entities``, ``events``, ``aliases``, ...) as JSON text, so that a
  file's schema never depends on its content and pandas reads every column without conversion;
  dates stay ISO text, as in the other formats;
- DataFrames (:func:`frame`): lists and records as Python objects, dates as pandas datetimes
  (publication times in UTC, event days as dates without a time zone).
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from storyline.model import EXPORT_FIELDS
from storyline.model.annotations import EntityRecord, EventActor, value_range
from storyline.store.base import EventRow

if TYPE_CHECKING:
    import pandas as pd

TABLE_FORMATS = ("jsonl", "csv", "parquet")

DOCUMENT_FIELDS: tuple[str, ...] = (
    *EXPORT_FIELDS, "seen_in", "entities", "places", "times", "events", "happening", "event_cluster", "storyline",
)  # fmt: skip
ENTITY_FIELDS: tuple[str, ...] = ("id", "kind", "canonical", "country", "mentions", "documents", "aliases")
EVENT_FIELDS: tuple[str, ...] = (
    "event_id", "document_id", "type", "subtype", "cameo", "status",
    "date", "date_start", "date_end", "date_granularity", "date_inferred",
    "place_name", "place_country", "place_lat", "place_lon",
    "source_actors", "source_actor_ids", "target_actors", "target_actor_ids", "participants", "participant_ids",
    "trigger", "evidence", "confidence", "happening", "event_cluster", "storyline",
)  # fmt: skip
TIMELINE_FIELDS: tuple[str, ...] = (
    "date", "granularity", "happening_id", "event_id", "type", "subtype", "status", "actors", "place", "description",
    "storyline", "documents", "sources",
)  # fmt: skip
TABLES: dict[str, tuple[str, ...]] = {"documents": DOCUMENT_FIELDS, "entities": ENTITY_FIELDS, "events": EVENT_FIELDS}

#: Column kinds other than text: ``list`` (a list of strings), ``json`` (a nested record).
_KINDS: dict[str, dict[str, str]] = {
    "documents": {
        "captions": "list", "credits": "list", "boilerplate": "list", "notes": "list",
        "duplicate_similarity": "float",
        "seen_in": "json", "entities": "json", "places": "json", "times": "json", "events": "json",
    },
    "entities": {"mentions": "int", "documents": "int", "aliases": "json"},
    "events": {
        "date_inferred": "bool", "place_lat": "float", "place_lon": "float", "confidence": "float",
        "source_actors": "list", "source_actor_ids": "list", "target_actors": "list", "target_actor_ids": "list",
        "participants": "list", "participant_ids": "list",
    },
}  # fmt: skip
#: Columns a DataFrame holds as datetimes, all timezone-aware (UTC): True for instants, False for
#: calendar days (a day as its first instant in UTC, so that days and instants compare).
_DATES: dict[str, dict[str, bool]] = {
    "documents": {"published": True, "fetched_at": True},
    "events": {"date_start": False, "date_end": False},
    "timeline": {"date": False},
    "happenings": {"start": False, "end": False},
    "storylines": {"start": False, "end": False},
}
#: Columns a DataFrame holds as (nullable) booleans.
_BOOLEANS: dict[str, tuple[str, ...]] = {"events": ("date_inferred",), "happenings": ("tentative",)}
#: The columns of the happening and storyline frames (``as_dict`` of their records, ``events``
#: of a storyline named ``happenings`` as everywhere else).
HAPPENING_FIELDS = (
    "id", "type", "subtype", "start", "end", "granularity", "status", "actors", "place", "label", "storyline",
    "tentative", "confidence", "mentions", "documents", "sources",
)  # fmt: skip
STORYLINE_FIELDS = ("id", "label", "entities", "start", "end", "happenings", "documents")
#: The places of the map (``/api/map``'s ``events``): one row per place with happenings.
PLACE_FIELDS = ("name", "country", "lat", "lon", "events", "planned", "event_ids", "labels")
#: The columns of the listings :func:`write_table` writes besides :data:`TABLES` (JSON Lines and
#: CSV only): the timeline (with ``documents``, how many articles), happenings and map places.
CSV_FIELDS: dict[str, tuple[str, ...]] = {
    "timeline": TIMELINE_FIELDS, "happenings": HAPPENING_FIELDS, "storylines": STORYLINE_FIELDS,
    "places": PLACE_FIELDS,
}  # fmt: skip


def entity_row(e: EntityRecord) -> dict[str, Any]:
    """A row of the entity table: ``aliases`` maps each name used for it to how often."""
    return {
        "id": e.id, "kind": e.kind, "canonical": e.canonical, "country": e.country, "mentions": e.mentions,
        "documents": e.documents, "aliases": dict(e.aliases),
    }  # fmt: skip


def _names(actors: list[EventActor], role: str) -> tuple[list[str], list[str | None]]:
    chosen = [a for a in actors if a.role == role]
    return [a.canonical or a.text for a in chosen], [a.entity_id for a in chosen]


def event_row(r: EventRow) -> dict[str, Any]:
    """A row of the event table. Actors are listed by role, names (canonical, else the words of
    the text) beside their entity ids (null where the words name no entity)."""
    e = r.event
    span = value_range(e.time.value) if e.time else None
    sources, source_ids = _names(e.actors, "source")
    targets, target_ids = _names(e.actors, "target")
    participants, participant_ids = _names(e.actors, "participant")
    return {
        "event_id": e.id,
        "document_id": r.document_id,
        "type": e.type,
        "subtype": e.subtype,
        "cameo": e.cameo,
        "status": e.status.value,
        "date": e.time.value if e.time else None,
        "date_start": span[0].isoformat() if span else None,
        "date_end": span[1].isoformat() if span else None,
        "date_granularity": date_granularity(e.time.value) if e.time else None,
        "date_inferred": e.time.inferred if e.time else None,
        "place_name": e.place.name if e.place else None,
        "place_country": e.place.country if e.place else None,
        "place_lat": e.place.lat if e.place else None,
        "place_lon": e.place.lon if e.place else None,
        "source_actors": sources,
        "source_actor_ids": source_ids,
        "target_actors": targets,
        "target_actor_ids": target_ids,
        "participants": participants,
        "participant_ids": participant_ids,
        "trigger": e.trigger.text,
        "evidence": r.evidence,
        "confidence": e.confidence,
        "happening": r.cluster_id,
        "event_cluster": r.cluster_id,  # the old name of "happening", kept for one release
        "storyline": r.storyline_id,
    }


def date_granularity(value: str) -> str | None:
    """How precise a TIMEX3 date is: day, week, month, quarter, half or year (a season counts as
    its year, as :func:`value_range` reads it); None for durations, references and values with
    unknown digits."""
    if value_range(value) is None:
        return None
    if len(value) >= 10 and value[7] == "-":
        return "day"
    if value[4:6] == "-W":
        return "week"
    if value[4:6] == "-Q":
        return "quarter"
    if value[4:6] == "-H":
        return "half"
    if len(value) >= 7 and value[5:7].isdigit():
        return "month"
    return "year"


# -- writing ----------------------------------------------------------------------------------------
def write_table(rows: Iterable[dict[str, Any]], table: str, format: str, out: TextIO | str | os.PathLike[str]) -> int:
    """Write rows of ``table`` as ``format`` (jsonl, csv or parquet) to a text stream or a file
    (Parquet needs a file). Returns how many rows were written. Besides the three tables, the
    listings of :data:`CSV_FIELDS` (timeline, happenings, storylines, places) can be written as
    JSON Lines or CSV."""
    if format == "parquet":
        if not isinstance(out, str | os.PathLike):
            raise ValueError("parquet is a binary format: give a file path, not a text stream")
        return _write_parquet(rows, table, out)
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline="") as f:
            return write_table(rows, table, format, f)
    if format == "jsonl":
        n = 0
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    if format == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS.get(table) or TABLES[table], lineterminator="\n")
        writer.writeheader()
        n = 0
        for row in rows:
            writer.writerow(
                {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for k, v in row.items()}
            )
            n += 1
        return n
    raise ValueError(f"unknown table format {format!r}; choose one of {', '.join(TABLE_FORMATS)}")


def parquet_schema(table: str) -> Any:
    """The Parquet schema of a table: every column nullable; see the module's docstring."""
    import pyarrow as pa

    types = {
        "str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
        "list": pa.list_(pa.string()), "json": pa.string(),
    }  # fmt: skip
    kinds = _KINDS[table]
    return pa.schema([pa.field(name, types[kinds.get(name, "str")]) for name in TABLES[table]])


def _write_parquet(rows: Iterable[dict[str, Any]], table: str, path: str | os.PathLike[str]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(table)
    nested = [name for name, kind in _KINDS[table].items() if kind == "json"]
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in _batches(rows, 2048):
            for row in batch:
                for name in nested:
                    row[name] = json.dumps(row[name], ensure_ascii=False) if row[name] is not None else None
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


#: How a partitioned dataset can be split: ``month``, the month of publication.
PARTITIONS = ("month",)
#: The partition of documents (and their events) with no publication date.
UNDATED = "undated"
_PART_FILE = re.compile(r"part-\d+\.parquet")


def publication_month(published: str | None) -> str:
    """The partition of a publication time (ISO text): its month ``YYYY-MM`` as published (the
    date in the article's own time zone, the day :func:`storyline.cluster.document_day` gives),
    or ``undated``."""
    return published[:7] if published else UNDATED


def write_partitioned(
    rows: Iterable[dict[str, Any]], table: str, out_dir: str | os.PathLike[str], month: Callable[[dict[str, Any]], str]
) -> int:
    """Write rows of ``table`` as a Parquet dataset with Hive-style partitions,
    ``out_dir/month=YYYY-MM/part-0.parquet`` (``month=undated`` for rows with no date), which
    pyarrow, Ray Data, DuckDB, Spark and BigQuery read as one table with a ``month`` column. Each
    file has the schema of the single-file export (the ``month`` column is in the folder names
    only). ``month`` gives a row's partition. A folder holding a previous partitioned export is
    replaced; any other non-empty folder is refused. Returns how many rows were written."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    root = Path(out_dir)
    _clear_previous_export(root)
    root.mkdir(parents=True, exist_ok=True)
    base = parquet_schema(table)
    schema = base.append(pa.field("month", pa.string(), nullable=False))
    nested = [name for name, kind in _KINDS[table].items() if kind == "json"]
    written = 0

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal written
        for batch in _batches(rows, 2048):
            for row in batch:
                row["month"] = month(row)
                for name in nested:
                    row[name] = json.dumps(row[name], ensure_ascii=False) if row[name] is not None else None
            written += len(batch)
            yield pa.RecordBatch.from_pylist(batch, schema=schema)

    ds.write_dataset(
        batches(), root, schema=schema, format="parquet",
        partitioning=ds.partitioning(pa.schema([schema.field("month")]), flavor="hive"),
        basename_template="part-{i}.parquet", existing_data_behavior="overwrite_or_ignore", preserve_order=True,
    )  # fmt: skip
    return written


def _clear_previous_export(root: Path) -> None:
    """Remove a partitioned export's files from ``root``; refuse a folder holding anything else."""
    if not root.exists():
        return
    if not root.is_dir():
        raise ValueError(f"{root} is a file: a partitioned export is written to a folder")
    entries = list(root.iterdir())
    ours = all(
        e.is_dir()
        and e.name.startswith("month=")
        and all(f.is_file() and _PART_FILE.fullmatch(f.name) for f in e.iterdir())
        for e in entries
    )
    if not ours:
        raise ValueError(f"{root} holds other files than a partitioned export: choose a new or empty folder")
    for folder in entries:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(row))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def frame(rows: Iterable[Mapping[str, Any]], table: str) -> pd.DataFrame:
    """Rows of ``table`` (documents, entities, events, timeline, happenings or storylines) as a
    pandas DataFrame with the table's columns; dates as UTC datetimes, flags as booleans."""
    import pandas as pd

    fields = {"timeline": TIMELINE_FIELDS, "happenings": HAPPENING_FIELDS, "storylines": STORYLINE_FIELDS}.get(
        table
    ) or TABLES[table]
    df = pd.DataFrame.from_records(list(rows), columns=list(fields))
    for name in _DATES.get(table, {}):
        df[name] = pd.to_datetime(df[name], format="ISO8601", utc=True)
    for name in _BOOLEANS.get(table, ()):
        df[name] = df[name].astype("boolean")
    return df
