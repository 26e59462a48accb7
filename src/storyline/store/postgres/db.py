"""The PostgreSQL store's connections: a pool shared by the store's reads, one connection held
for each write transaction, the locks that keep writers from overlapping, and the migrations.

Where the SQLite store relies on SQLite (one write transaction at a time, ``BEGIN IMMEDIATE``;
a lock file beside the database for a whole ingest), this store takes PostgreSQL advisory locks,
keyed by the store's schema:

* every write transaction first takes ``pg_advisory_xact_lock(<writes>)``: write transactions of
  any number of processes and machines run one after another, each seeing all that the ones
  before it committed (READ COMMITTED), as SQLite's do; the lock goes with the commit or rollback.
  A writer waits up to :data:`LOCK_WAIT` seconds, as SQLite's busy timeout, then fails with
  :class:`~storyline.errors.StoreLockedError`;
* :meth:`Database.writer_lock` (a whole ingest, annotation or clustering run) takes the session
  lock ``pg_try_advisory_lock(<writer>)`` on a connection it holds: a second writer is refused at
  once, as the lock file refuses it; the server drops the lock if the holder's connection dies.

Readers take no lock: any number of processes (API servers) read while one writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg
import psycopg.errors
from psycopg_pool import ConnectionPool, PoolTimeout

from storyline.errors import StoreError, StoreLockedError, StoreSchemaError
from storyline.store.postgres.migrations import MIGRATIONS
from storyline.store.urls import redact

if TYPE_CHECKING:
    from psycopg.rows import TupleRow

    Connection = psycopg.Connection[TupleRow]

#: How long a write transaction waits for the one before it (seconds), as SQLite's busy timeout.
LOCK_WAIT = 30
#: How long opening the store waits for the server to answer (seconds).
CONNECT_TIMEOUT = 10
#: Connections a store keeps open at most: a write transaction holds one, the writer lock one,
#: a listing being streamed one, and the reads made meanwhile one.
POOL_SIZE = 4

Params = Sequence[Any] | Mapping[str, Any]


def _reason(exc: BaseException) -> str:
    """A driver's message in one line (libpq's say which host and port, never the password)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.removeprefix("connection failed: ")


def _key(*parts: str) -> int:
    """A 64-bit advisory lock key for these names."""
    digest = hashlib.blake2b(":".join(("storyline", *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _clean(value: Any) -> Any:
    """PostgreSQL's text cannot hold U+0000: it is written, and looked up, as U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _params(params: Params) -> Params:
    if isinstance(params, Mapping):
        return {k: _clean(v) for k, v in params.items()}
    return [_clean(v) for v in params]


class Database:
    """The connection layer the store's tables are built on. Each read borrows a pooled
    connection for one statement (autocommit); inside a transaction (:meth:`_atomic`, a write;
    :meth:`_index_reads`) every statement of the thread that opened it runs on the transaction's
    connection, so it sees its own writes; other threads using the same store object read on
    connections of their own."""

    path: str
    """The URL the store was opened with (with its password: another process opens it again)."""
    label: str
    """The URL without its password, for messages."""

    def _connect(self, url: str, pool_size: int = POOL_SIZE) -> None:
        self.path = url
        self.label = redact(url)
        # the connection of the transaction this thread has open on the store, if any
        self._local = threading.local()
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
                encoding = conn.execute("SHOW server_encoding").fetchone()
                if encoding is None or encoding[0].upper() not in ("UTF8", "UTF-8"):
                    raise StoreError(
                        f"{self.label}: the database's encoding is {encoding[0] if encoding else '?'}; "
                        "storyline needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')"
                    )
                row = conn.execute("SELECT current_database(), current_schema()").fetchone()
                if row is None or row[1] is None:
                    raise StoreError(
                        f"{self.label}: no schema to keep the store in: the search_path names none that exists "
                        "(CREATE SCHEMA ... first)"
                    )
                self.schema = str(row[1])
                self._write_key = _key("writes", self.schema)
                self._writer_key = _key("writer", self.schema)
                self._migrate(conn)
        except psycopg.Error as exc:
            raise StoreError(f"{self.label}: cannot open the PostgreSQL store ({_reason(exc)})") from None
        except ValueError as exc:  # a malformed URL
            raise StoreError(f"{self.label}: not a PostgreSQL URL ({_reason(exc)})") from None
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            url,
            min_size=1,
            max_size=max(2, pool_size),
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
            open=False,
            name=f"storyline {self.label}",
            timeout=LOCK_WAIT,
            num_workers=1,  # the pool's own threads (reconnecting, growing): the server opens a store per request
        )
        self._pool.open()

    # -- schema -----------------------------------------------------------------------------------
    def _migrate(self, conn: Connection) -> None:
        """Apply the migrations not yet recorded, each in a transaction of its own under the
        migration lock (two processes opening a new store at once apply each exactly once).
        An up-to-date store is only read: a role that may only read can open it."""
        if self._applied(conn) >= {name for name, _ in MIGRATIONS}:
            return
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_key("migrate", self.schema),))
            conn.execute(
                'CREATE TABLE IF NOT EXISTS migrations (name text COLLATE "C" PRIMARY KEY, applied_at text NOT NULL)'
            )
        for name, sql in MIGRATIONS:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_key("migrate", self.schema),))
                if conn.execute("SELECT 1 FROM migrations WHERE name = %s", (name,)).fetchone():
                    continue
                conn.execute(sql)
                conn.execute("INSERT INTO migrations VALUES (%s, %s)", (name, datetime.now(UTC).isoformat()))

    def _applied(self, conn: Connection) -> set[str]:
        row = conn.execute("SELECT to_regclass('migrations')").fetchone()
        applied = {r[0] for r in conn.execute("SELECT name FROM migrations")} if row and row[0] else set()
        unknown = applied - {name for name, _ in MIGRATIONS}
        if unknown:
            raise StoreSchemaError(
                f"{self.label}: written by a newer storyline (migrations {', '.join(sorted(unknown))}); "
                "upgrade storyline"
            )
        return applied

    def migrations(self) -> list[str]:
        return [r[0] for r in self._all("SELECT name FROM migrations ORDER BY name")]

    # -- statements -------------------------------------------------------------------------------
    @contextmanager
    def _errors(self) -> Iterator[None]:
        """What the server or the pool could not do, as a StoreError naming the store."""
        try:
            yield
        except psycopg.errors.LockNotAvailable:
            raise StoreLockedError(
                f"{self.label}: another storyline process kept the store locked for {LOCK_WAIT} s"
            ) from None
        except psycopg.OperationalError as exc:
            raise StoreError(f"{self.label}: {_reason(exc)}") from None
        except PoolTimeout:
            raise StoreError(f"{self.label}: no connection to the server was free for {LOCK_WAIT} s") from None

    @property
    def _pinned(self) -> Connection | None:
        """The connection of the transaction this thread has open, which its statements join."""
        conn: Connection | None = getattr(self._local, "conn", None)
        return conn

    @contextmanager
    def _pin(self, conn: Connection, *, writing: bool) -> Iterator[None]:
        self._local.conn, self._local.writing, self._local.bump = conn, writing, False
        try:
            yield
        finally:
            self._local.conn, self._local.writing, self._local.bump = None, False, False

    @contextmanager
    def _cursor(self) -> Iterator[psycopg.Cursor[TupleRow]]:
        conn = self._pinned
        if conn is not None:
            with self._errors(), conn.cursor() as cur:
                yield cur
            return
        with self._errors(), self._pool.connection() as pooled, pooled.cursor() as cur:
            yield cur

    def _all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            cur.execute(sql, _params(params))
            return cur.fetchall()

    def _one(self, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
        with self._cursor() as cur:
            cur.execute(sql, _params(params))
            return cur.fetchone()

    def _value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._one(sql, params)
        return row[0] if row else None

    def _run(self, sql: str, params: Params = ()) -> int:
        """Run a statement; how many rows it changed."""
        with self._atomic(), self._cursor() as cur:
            cur.execute(sql, _params(params))
            return cur.rowcount

    def _many(self, sql: str, rows: Iterable[Params]) -> None:
        batch = [_params(r) for r in rows]
        if not batch:
            return
        with self._atomic(), self._cursor() as cur:
            cur.executemany(sql, batch)

    def _stream(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        """Rows read a few hundred at a time (a server-side cursor on a connection of their own),
        so the store can be used while they are read; inside a transaction, all at once."""
        if self._pinned is not None:
            yield from self._all(sql, params)
            return
        with (
            self._errors(),
            self._pool.connection() as conn,
            conn.transaction(),
            conn.cursor(name="storyline_stream") as cur,
        ):
            cur.itersize = 500
            cur.execute(sql, _params(params))
            yield from cur

    # -- writing ----------------------------------------------------------------------------------
    @contextmanager
    def _atomic(self, *, bump: bool = False) -> Iterator[None]:
        """A write transaction: taken after the one before it (the writes lock), committed whole or
        rolled back whole; a write transaction already open in this thread takes this one in.
        ``bump`` raises the store's generation (see :meth:`transaction`)."""
        if self._pinned is not None:
            if not self._local.writing:
                raise RuntimeError("a write inside a read transaction of the store")  # a bug of storyline's
            self._local.bump = self._local.bump or bump
            yield
            return
        with self._errors(), self._pool.connection() as conn, conn.transaction():
            conn.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}s'")
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._write_key,))
            conn.execute("SET LOCAL lock_timeout = 0")
            with self._pin(conn, writing=True):
                self._local.bump = bump
                yield
                if self._local.bump:
                    conn.execute(
                        "INSERT INTO settings VALUES ('generation', '1') ON CONFLICT (name) DO UPDATE "
                        "SET value = (settings.value::bigint + 1)::text"
                    )

    @contextmanager
    def _index_reads(self) -> Iterator[None]:
        """Reads, in one transaction, that are to use the indexes rather than read every row.
        PostgreSQL prices a full-text match (``@@``) as if its ``tsvector`` were at hand, not
        stored out of line (TOAST), so for a word most documents hold it would read and unpack
        every document's index entry to count the matches (450 ms for 200,000 documents) where the
        GIN index counts them in a tenth of that: here it is told not to scan whole tables."""
        if self._pinned is not None:
            yield
            return
        with self._errors(), self._pool.connection() as conn, conn.transaction():
            conn.execute("SET LOCAL enable_seqscan = off")
            with self._pin(conn, writing=False):
                yield

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: committed whole, or rolled back whole on any error. Each raises
        the store's generation, the counter caches of aggregates are kept against."""
        with self._atomic(bump=True):
            yield

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the store's single-writer lock (a session advisory lock) for a whole ingest."""
        with self._errors(), self._pool.connection() as conn:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self._writer_key,)).fetchone()
            if not row or not row[0]:
                raise StoreLockedError(f"{self.label}: another storyline process is writing to this store")
            try:
                yield
            finally:
                with contextlib.suppress(psycopg.Error):  # a connection lost has lost its lock with it
                    conn.execute("SELECT pg_advisory_unlock(%s)", (self._writer_key,))

    def generation(self) -> int:
        """A counter every write transaction raises: aggregates are cached against it."""
        value = self._value("SELECT value FROM settings WHERE name = 'generation'")
        return int(value) if value is not None else 0

    def close(self) -> None:
        self._pool.close()
