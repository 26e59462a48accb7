"""Stores: a protocol and its backends (SQLite by default; PostgreSQL for a ``postgresql://`` URL)."""

from storyline.store.base import DocumentQuery, EventQuery, EventRow, SearchHit, Sighting, Store, StoredEvent
from storyline.store.sqlite import SQLiteStore
from storyline.store.urls import POSTGRES_SCHEMES, is_url

__all__ = [
    "DocumentQuery", "EventQuery", "EventRow", "SQLiteStore", "SearchHit", "Sighting", "Store", "StoredEvent",
    "is_url", "open_store",
]  # fmt: skip


def open_store(path: str) -> Store:
    """Open the store at ``path``: a SQLite file (created when missing; ``file://`` optional), or a
    PostgreSQL database by URL (``postgresql://user:password@host:5432/db``; the store's tables
    are made in the connection's current schema)."""
    from storyline.errors import StoreError

    if path.startswith(POSTGRES_SCHEMES):
        try:
            from storyline.store.postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(
                f"{path.split('://', 1)[0]}:// stores need psycopg ({exc.name} is not installed): "
                "pip install 'storyline[postgres]'"
            ) from None
        return PostgresStore(path)
    if path.startswith(("postgresql:/", "postgres:/")):  # a URL through pathlib.Path loses a slash
        raise StoreError(
            f"{path.split(':', 1)[0]}:/...: not a URL (its // is lost: was it passed as a Path? pass the URL as a str)"
        )
    if is_url(path):
        scheme = path.split("://", 1)[0]
        raise StoreError(
            f"{scheme}://...: no store backend for this URL scheme (SQLite files and postgresql:// URLs are supported)"
        )
    return SQLiteStore(path.removeprefix("file://"))
