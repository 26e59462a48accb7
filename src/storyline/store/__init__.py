"""Stores: a protocol and its backends (SQLite by default)."""

from storyline.store.base import DocumentQuery, EventQuery, EventRow, SearchHit, Sighting, Store, StoredEvent
from storyline.store.sqlite import SQLiteStore

__all__ = [
    "DocumentQuery", "EventQuery", "EventRow", "SQLiteStore", "SearchHit", "Sighting", "Store", "StoredEvent",
    "open_store",
]  # fmt: skip


def open_store(path: str) -> Store:
    """Open the store at ``path``. Today only SQLite files; URLs of other backends come later."""
    if "://" in path and not path.startswith("file://"):
        from storyline.errors import StoreError

        raise StoreError(f"{path}: no store backend for this URL scheme (only SQLite files are supported)")
    return SQLiteStore(path.removeprefix("file://"))
