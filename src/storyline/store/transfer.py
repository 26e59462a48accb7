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
            report = copy_from_sqlite(src, dest, progress)  # type: ignore[arg-type]
            report["happening_indexes"] = _carry_indexes(src.store_id(), dest.store_id())
            return report
        finally:
            dest.close()
    finally:
        src.close()


def _carry_indexes(source_id: str, dest_id: str) -> int:
    """The source's happening indexes kept in the cache folder, kept for the copy too: it holds the
    same vectors, so its first placement reads the index instead of building it (minutes at a
    million documents). Returns how many files were copied; a failure only costs that build."""
    import shutil

    from storyline.cache import cache_root

    root = cache_root()
    folder = root / "happening-index" if root is not None else None
    if folder is None or not folder.is_dir():
        return 0
    copied = 0
    for kept in sorted(folder.glob(f"{source_id}-*")):
        target = folder / (dest_id + kept.name[len(source_id) :])
        tmp = target.with_name(target.name + ".copy.tmp")
        try:
            shutil.copyfile(kept, tmp)
            tmp.replace(target)
            copied += 1
        except OSError:
            tmp.unlink(missing_ok=True)
    return copied
