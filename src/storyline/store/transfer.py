"""Copying a whole store into a new, empty one of another backend: a SQLite file into PostgreSQL,
when one machine (one writer, one file) is no longer enough. See docs/postgres.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.errors import StoreError
from storyline.store.urls import POSTGRES_SCHEMES, redact


def copy_store(source: str, destination: str, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Copy the SQLite store at ``source`` into the empty PostgreSQL database at ``destination``
    (its tables are made there). Returns the rows copied per table and the seconds per step."""
    from storyline.store import open_store
    from storyline.store.sqlite.store import SQLiteStore

    if source.startswith(POSTGRES_SCHEMES):
        raise StoreError(f"{redact(source)}: copying out of PostgreSQL is not supported (only SQLite -> PostgreSQL)")
    if not destination.startswith(POSTGRES_SCHEMES):
        raise StoreError(f"{destination}: the destination must be a postgresql:// URL (SQLite -> PostgreSQL)")
    path = source.removeprefix("file://")
    if not Path(path).is_file():
        raise StoreError(f"{source}: no such store file")
    from storyline.store.postgres.transfer import copy_from_sqlite

    src = SQLiteStore(path, create=False)
    try:
        dest = open_store(destination)
        try:
            return copy_from_sqlite(src, dest, progress)  # type: ignore[arg-type]
        finally:
            dest.close()
    finally:
        src.close()
