"""The PostgreSQL store (``pip install storyline[postgres]``): chosen by a ``postgresql://`` or
``postgres://`` URL, imported only then. See docs/postgres.md."""

from storyline.store.postgres.search import text_query
from storyline.store.postgres.store import PostgresStore
from storyline.store.urls import redact

__all__ = ["PostgresStore", "redact", "text_query"]
