from storyline.store.sqlite.store import SQLiteStore, fts_query

__all__ = ["SQLiteStore", "fts_query"]
