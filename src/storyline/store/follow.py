"""The tables of following the news (sources, alert watches, alerts), one SQL for both backends.

Both backends hold the same tables (migration ``0015_follow``) and these statements are plain
SQL both accept (``?`` placeholders, which the PostgreSQL store turns into ``%s``;
``ON CONFLICT``; ``RETURNING``). A backend gives three primitives: :meth:`_f_rows`,
:meth:`_f_write` (one write statement, in the transaction open in this thread if any) and
:meth:`_f_transaction` (a write transaction that leaves the store's generation alone: what
sources and alerts hold is no part of the aggregates cached against it, so a round that reads
nothing new leaves those caches, and the alert check, alone).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

from storyline.errors import UsageError
from storyline.model.follow import Alert, AlertWatch, FetchState, WatchedSource

_SOURCE_COLUMNS = (
    "id, location, name, kind, every_s, added, next_due, last_fetch, last_success, last_status, etag, "
    "last_modified, last_error, errors, fetches, unchanged, bytes, entries_seen, documents, public_only"
)
_ALERT_COLUMNS = "id, watch_id, change_key, kind, happening_id, created, payload"
#: Items whose fingerprints are asked for in one statement at most.
_CHUNK = 500


class FollowTables:
    """Sources, alert watches and alerts: the methods both stores share."""

    # -- the backend's primitives -------------------------------------------------------------
    def _f_rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _f_write(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one write statement; the rows it returns (``RETURNING``), else []."""
        raise NotImplementedError

    def _f_transaction(self) -> AbstractContextManager[None]:
        """A write transaction that does not raise the store's generation."""
        raise NotImplementedError

    def generation(self) -> int:
        raise NotImplementedError

    # -- sources ------------------------------------------------------------------------------
    def add_source(
        self, location: str, *, name: str | None, kind: str, every_s: int, now: str, public_only: bool = False
    ) -> WatchedSource:
        """Follow a source; a UsageError when it is followed already. ``public_only``: it may never
        be fetched from a private address, whatever the watch allows (added through the REST API)."""
        if self._f_rows("SELECT 1 FROM sources WHERE location = ?", (location,)):
            raise UsageError(f"{location} is followed already")
        rows = self._f_write(
            "INSERT INTO sources (location, name, kind, every_s, added, next_due, public_only) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (location, name, kind, every_s, now, now, 1 if public_only else 0),
        )
        source = self.watched_source(str(rows[0][0]))
        assert source is not None
        return source

    def watched_sources(self, *, due_by: str | None = None) -> list[WatchedSource]:
        """Every followed source in the order added, or those due by ``due_by`` (ISO)."""
        if due_by is None:
            rows = self._f_rows(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY id")
        else:
            rows = self._f_rows(
                f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE next_due <= ? ORDER BY next_due, id", (due_by,)
            )
        return [_source(r) for r in rows]

    def watched_source(self, ref: str) -> WatchedSource | None:
        """A source by its id or its location."""
        if ref.isdigit():
            rows = self._f_rows(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (int(ref),))
            if rows:
                return _source(rows[0])
        rows = self._f_rows(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE location = ?", (ref,))
        return _source(rows[0]) if rows else None

    def remove_source(self, source_id: int) -> bool:
        with self._f_transaction():
            self._f_write("DELETE FROM source_items WHERE source_id = ?", (source_id,))
            return bool(self._f_write("DELETE FROM sources WHERE id = ? RETURNING id", (source_id,)))

    def seen_items(self, source_id: int, items: Sequence[str]) -> dict[str, str]:
        """Which of ``items`` the source has given before, with the fingerprint read then."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(items))
        # PostgreSQL keeps a NUL byte of a key as U+FFFD: a key comes back as it was asked for
        asked = {_folded(k): k for k in unique}
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._f_rows(
                f"SELECT item, fingerprint FROM source_items WHERE source_id = ? AND item IN ({marks})",
                (source_id, *chunk),
            )
            found.update((asked.get(_folded(r[0]), r[0]), r[1]) for r in rows)
        return found

    def known_items(self, source_id: int) -> dict[str, str]:
        """Every item the source has given (a folder's files), with its fingerprint."""
        rows = self._f_rows("SELECT item, fingerprint FROM source_items WHERE source_id = ?", (source_id,))
        return {r[0]: r[1] for r in rows}

    def record_fetch(self, source_id: int, state: FetchState, *, kind: str | None = None) -> None:
        """What a fetch of the source did, and the items it read, in one transaction (so the
        next round neither reads them again nor misses them)."""
        failed = state.status == "failed"
        # a fetch that failed or was not allowed keeps the validators and the last success it had
        kept = state.status in ("failed", "skipped")
        with self._f_transaction():
            updated = self._f_write(
                "UPDATE sources SET last_fetch = ?, next_due = ?, last_status = ?, "
                "etag = CASE WHEN ? THEN etag ELSE ? END, "
                "last_modified = CASE WHEN ? THEN last_modified ELSE ? END, "
                "last_error = ?, errors = CASE WHEN ? THEN errors + 1 ELSE 0 END, "
                "last_success = CASE WHEN ? THEN last_success ELSE ? END, "
                "fetches = fetches + 1, unchanged = unchanged + ?, bytes = bytes + ?, "
                "entries_seen = entries_seen + ?, documents = documents + ?, kind = coalesce(?, kind) "
                "WHERE id = ? RETURNING id",
                (
                    state.fetched_at, state.next_due, state.status,
                    kept, state.etag, kept, state.last_modified,
                    state.error, failed, kept, state.fetched_at,
                    1 if state.status == "unchanged" else 0, state.bytes,
                    len(state.items), state.documents, kind, source_id,
                ),
            )  # fmt: skip
            if not updated:
                return  # removed while it was being read: its items go with it
            rows = [(source_id, item, fp, state.fetched_at) for item, fp in state.items.items()]
            for row in rows:
                self._f_write(
                    "INSERT INTO source_items (source_id, item, fingerprint, seen) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (source_id, item) DO UPDATE SET fingerprint = excluded.fingerprint, "
                    "seen = excluded.seen",
                    row,
                )

    # -- alert watches --------------------------------------------------------------------------
    def add_alert_watch(
        self, spec: dict[str, Any], *, name: str | None, webhook: str | None, secret: str | None, now: str
    ) -> AlertWatch:
        rows = self._f_write(
            "INSERT INTO alert_watches (name, spec, webhook, secret, created) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (name, json.dumps(spec, sort_keys=True), webhook, secret, now),
        )
        watch = self.alert_watch(int(rows[0][0]))
        assert watch is not None
        return watch

    def alert_watches(self, *, watch_id: int | None = None) -> list[AlertWatch]:
        """The saved watches (or the one of ``watch_id``), in the order saved."""
        sql = "SELECT id, name, spec, webhook, created, secret FROM alert_watches"
        rows = (
            self._f_rows(sql + " ORDER BY id") if watch_id is None else self._f_rows(sql + " WHERE id = ?", (watch_id,))
        )
        return [AlertWatch(r[0], r[1], json.loads(r[2]), r[3], r[4], bool(r[5])) for r in rows]

    def alert_watch(self, watch_id: int) -> AlertWatch | None:
        found = self.alert_watches(watch_id=watch_id)
        return found[0] if found else None

    def alert_secret(self, watch_id: int) -> str | None:
        rows = self._f_rows("SELECT secret FROM alert_watches WHERE id = ?", (watch_id,))
        return rows[0][0] if rows else None

    def remove_alert_watch(self, watch_id: int) -> bool:
        with self._f_transaction():
            for table in ("alerts", "alert_follows"):
                self._f_write(f"DELETE FROM {table} WHERE watch_id = ?", (watch_id,))
            return bool(self._f_write("DELETE FROM alert_watches WHERE id = ? RETURNING id", (watch_id,)))

    def alert_follows(self, watch_id: int) -> dict[str, tuple[list[str], str]]:
        """The happenings a watch follows: id -> (its documents, its status) when last checked."""
        rows = self._f_rows("SELECT happening_id, documents, status FROM alert_follows WHERE watch_id = ?", (watch_id,))
        return {r[0]: (json.loads(r[1]), r[2]) for r in rows}

    def save_alert_check(
        self,
        watch_id: int,
        follows: dict[str, tuple[list[str], str]],
        dropped: Sequence[str],
        alerts: Sequence[tuple[str, str, str | None, dict[str, Any]]],
        *,
        now: str,
        webhook: bool,
    ) -> list[Alert]:
        """One watch's check, whole or not at all: what it follows now, and its new alerts
        ``(change_key, kind, happening_id, payload)``; an alert whose change was told already is
        not stored again. Returns the alerts stored."""
        stored: list[Alert] = []
        with self._f_transaction():
            for happening_id in dropped:
                self._f_write(
                    "DELETE FROM alert_follows WHERE watch_id = ? AND happening_id = ?", (watch_id, happening_id)
                )
            for happening_id, (documents, status) in follows.items():
                self._f_write(
                    "INSERT INTO alert_follows (watch_id, happening_id, documents, status) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (watch_id, happening_id) DO UPDATE SET documents = excluded.documents, "
                    "status = excluded.status",
                    (watch_id, happening_id, json.dumps(sorted(documents)), status),
                )
            for key, kind, about, payload in alerts:
                rows = self._f_write(
                    "INSERT INTO alerts (watch_id, change_key, kind, happening_id, created, payload, webhook_state, "
                    "webhook_next) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (watch_id, change_key) DO NOTHING "
                    "RETURNING id",
                    (
                        watch_id, key, kind, about, now, json.dumps(payload, ensure_ascii=False),
                        "pending" if webhook else None, now if webhook else None,
                    ),
                )  # fmt: skip
                if rows:
                    stored.append(Alert(int(rows[0][0]), watch_id, key, kind, about, now, payload))
        return stored

    def alerts(
        self, *, limit: int | None = 100, watch_id: int | None = None, after_id: int | None = None
    ) -> list[Alert]:
        """Alerts, newest first (or, ``after_id`` given, those after it, oldest first)."""
        where: list[str] = []
        params: list[Any] = []
        if watch_id is not None:
            where.append("watch_id = ?")
            params.append(watch_id)
        if after_id is not None:
            where.append("id > ?")
            params.append(after_id)
        sql = f"SELECT {_ALERT_COLUMNS} FROM alerts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id" + ("" if after_id is not None else " DESC")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Alert.from_row(r) for r in self._f_rows(sql, params)]

    def unprinted_alerts(self) -> list[Alert]:
        return [
            Alert.from_row(r)
            for r in self._f_rows(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE printed = 0 ORDER BY id")
        ]

    def mark_alerts_printed(self, ids: Sequence[int]) -> None:
        if ids:
            with self._f_transaction():
                for i in ids:
                    self._f_write("UPDATE alerts SET printed = 1 WHERE id = ?", (i,))

    def webhook_due(self, now: str) -> Iterator[tuple[Alert, str, int]]:
        """Alerts whose webhook call is due: (alert, webhook URL, attempts so far)."""
        rows = self._f_rows(
            "SELECT a.id, a.watch_id, a.change_key, a.kind, a.happening_id, a.created, a.payload, w.webhook, "
            "a.webhook_attempts FROM alerts a JOIN alert_watches w ON w.id = a.watch_id "
            "WHERE a.webhook_state = 'pending' AND a.webhook_next <= ? ORDER BY a.id",
            (now,),
        )
        for r in rows:
            if r[7]:
                yield Alert.from_row(r[:7]), r[7], int(r[8])

    def record_webhook(
        self, alert_id: int, *, state: str, attempts: int, next_at: str | None, error: str | None
    ) -> None:
        self._f_write(
            "UPDATE alerts SET webhook_state = ?, webhook_attempts = ?, webhook_next = ?, webhook_error = ? "
            "WHERE id = ?",
            (state, attempts, next_at, error, alert_id),
        )

    # -- a flag kept across processes ---------------------------------------------------------
    def follow_setting(self, name: str) -> str | None:
        rows = self._f_rows("SELECT value FROM settings WHERE name = ?", (name,))
        return rows[0][0] if rows else None

    def set_follow_setting(self, name: str, value: str) -> None:
        self._f_write(
            "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )


def _source(row: tuple[Any, ...]) -> WatchedSource:
    return replace(WatchedSource(*row[:-1]), public_only=bool(row[-1]))  # the last column


def _folded(key: str) -> str:
    return key.replace("\x00", "\ufffd")
