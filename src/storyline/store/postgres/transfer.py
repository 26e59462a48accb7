"""Moving a SQLite store into PostgreSQL: every table copied with ``COPY``, in one transaction.

The two backends have the same tables and columns (their migrations carry the same names, one for
one), so a table is copied column by column; what each backend keeps for itself is made again on
this side: the full-text index (``document_search``, from each document's title, text and
captions, as :meth:`PostgresStore.add` makes it) and the identity counters, moved past the copied
row ids. SQLite's own full-text tables are not read. The destination must be empty.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from storyline.errors import StoreError

if TYPE_CHECKING:
    from storyline.store.postgres.store import PostgresStore
    from storyline.store.sqlite.store import SQLiteStore

#: Tables made on this side rather than copied: the migrations record (each store applies its
#: own) and the full-text index (built here from the documents).
NOT_COPIED = frozenset({"migrations", "document_search"})
#: Documents given their full-text entries per statement.
SEARCH_BATCH = 2000


def _destination_tables(dest: PostgresStore) -> dict[str, list[str]]:
    rows = dest._all(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
        "ORDER BY c.table_name, c.ordinal_position"
    )
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def _source_columns(source: SQLiteStore, table: str) -> set[str]:
    return {r[1] for r in source._db.execute(f"PRAGMA table_info({table})")}


def copy_from_sqlite(
    source: SQLiteStore, dest: PostgresStore, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Copy every row of ``source`` into the empty ``dest``; returns the rows copied per table
    and the seconds taken by each step. Raises :class:`StoreError` when the two are not at the
    same schema or ``dest`` already holds documents; nothing is written then, and a failure
    half-way leaves ``dest`` as it was (one transaction)."""
    say = progress or (lambda _: None)
    if source.migrations() != dest.migrations():
        raise StoreError(
            f"{dest.label}: not at the schema of {source.path} (migrations differ); "
            "open both with the same storyline version"
        )
    if dest._value("SELECT count(*) FROM documents"):
        raise StoreError(f"{dest.label}: already holds documents; copy into an empty database")
    tables = {name: cols for name, cols in _destination_tables(dest).items() if name not in NOT_COPIED}
    plan: list[tuple[str, list[str], list[str]]] = []
    for table, columns in sorted(tables.items()):
        have = _source_columns(source, table)
        # SQLite's implicit rowid is a named identity column here
        missing = [c for c in columns if c not in have and c != "rowid"]
        if missing or not have:
            raise StoreError(f"{source.path}: table {table} lacks columns {', '.join(missing) or '(all)'}")
        select = [f'"{c}"' if c in have else "rowid" for c in columns]
        plan.append((table, columns, select))
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    with dest._atomic(bump=True):
        conn = dest._pinned
        assert conn is not None
        for table, columns, select in plan:
            t = time.perf_counter()
            names = ", ".join(f'"{c}"' for c in columns)
            n = 0
            if table == "settings":  # the source's win over the destination's own, but for its identity
                rows = source._db.execute("SELECT name, value FROM settings WHERE name <> 'store_id'").fetchall()
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO settings VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                        rows,
                    )
                n = len(rows)
            else:
                cursor = source._db.execute(f"SELECT {', '.join(select)} FROM {table}")
                with conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    while rows := cursor.fetchmany(5000):
                        for row in rows:
                            copy.write_row(row)
                        n += len(rows)
            counts[table] = n
            seconds[table] = round(time.perf_counter() - t, 2)
            say(f"{table}: {n:,} rows ({seconds[table]:.1f} s)")
        for table, columns, _ in plan:
            for column in ("rowid", "id"):  # an identity column (an id of text has no sequence)
                if column not in columns:
                    continue
                sequence = conn.execute("SELECT pg_get_serial_sequence(%s, %s)", (table, column)).fetchone()
                if sequence and sequence[0]:
                    conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                        f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
                    )
        t = time.perf_counter()
        counts["document_search"] = _index_documents(source, conn)
        seconds["document_search"] = round(time.perf_counter() - t, 2)
        say(f"document_search: {counts['document_search']:,} documents indexed ({seconds['document_search']:.1f} s)")
    t = time.perf_counter()
    with dest._errors(), dest._pool.connection() as conn:
        # the planner's statistics, which a bulk load leaves empty, and the visibility map, which
        # lets a page far into the documents be found in an index alone
        conn.autocommit = True
        try:
            conn.execute("VACUUM (ANALYZE)")
        finally:
            conn.autocommit = False
    seconds["vacuum"] = round(time.perf_counter() - t, 2)
    return {"rows": counts, "seconds": seconds}


def _index_documents(source: SQLiteStore, conn: Any) -> int:
    """The full-text entries of every copied document, as :meth:`PostgresStore.add` writes them."""
    from storyline.store.postgres.store import _SEARCH, _search_columns

    sql = f"INSERT INTO document_search (doc_rowid, search) VALUES (%(rowid)s, {_SEARCH})"
    cursor = source._db.execute("SELECT rowid, title, text, captions FROM documents ORDER BY rowid")
    n = 0
    with conn.cursor() as cur:
        while rows := cursor.fetchmany(SEARCH_BATCH):
            cur.executemany(
                sql,
                [
                    {"rowid": rowid, **_search_columns(title, text, json.loads(captions or "[]"))}
                    for rowid, title, text, captions in rows
                ],
            )
            n += len(rows)
    return n
