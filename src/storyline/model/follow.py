"""Records of following the news: watched sources, saved alert watches and the alerts they raised."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any


def iso(moment: datetime) -> str:
    """A moment as stored: UTC, ISO 8601 to the millisecond (so stored moments sort as text)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


SOURCE_KINDS = ("feed", "page", "folder")
"""A feed (RSS/Atom: its entries are read), a page (read whole when it changes) or a folder
(its new and changed files are read). A URL added without a kind is a feed or a page, as its
first fetch shows (``url`` until then)."""


@dataclass(frozen=True, slots=True)
class WatchedSource:
    """One source ``storyline watch`` reads on a schedule, and the state of its last fetches."""

    id: int
    location: str
    """A URL, or a folder's absolute path."""
    name: str | None
    kind: str
    every_s: int
    added: str
    next_due: str
    last_fetch: str | None = None
    last_success: str | None = None
    last_status: str | None = None
    """What the last fetch did: fetched, unchanged (304 or the same files), failed, or skipped
    (robots.txt disallows it)."""
    etag: str | None = None
    last_modified: str | None = None
    last_error: str | None = None
    errors: int = 0
    """Failures in a row (the back-off grows with them); 0 after a success."""
    fetches: int = 0
    unchanged: int = 0
    bytes: int = 0
    entries_seen: int = 0
    documents: int = 0
    public_only: bool = False
    """Never fetched from a private, loopback or link-local address (a source added through the
    REST API), whatever ``watch --allow-private`` says."""

    @property
    def label(self) -> str:
        return self.name or self.location

    def as_dict(self, *, public: bool = False) -> dict[str, Any]:
        """``public``: as the REST API shows it, a folder by its name only (not its path on the
        machine that reads it)."""
        location = self.location
        if public and self.kind == "folder":
            location = "folder:" + PurePath(location).name
        return {
            "id": self.id,
            "location": location,
            "name": self.name,
            "kind": self.kind,
            "every_seconds": self.every_s,
            "added": self.added,
            "next_due": self.next_due,
            "last_fetch": self.last_fetch,
            "last_success": self.last_success,
            "last_status": self.last_status,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "last_error": self.last_error,
            "errors_in_a_row": self.errors,
            "fetches": self.fetches,
            "unchanged": self.unchanged,
            "bytes": self.bytes,
            "entries_seen": self.entries_seen,
            "documents": self.documents,
            "public_only": self.public_only,
        }


@dataclass(frozen=True, slots=True)
class FetchState:
    """What one fetch of a source leaves for the next: written with the items it read."""

    status: str
    fetched_at: str
    next_due: str
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    bytes: int = 0
    items: dict[str, str] = field(default_factory=dict)
    """Item key (an entry id, a file's path, a page's URL) -> fingerprint of what was read."""
    documents: int = 0


@dataclass(frozen=True, slots=True)
class AlertWatch:
    """A saved watch: which happenings to follow (``spec``: the keyword filters of
    :meth:`storyline.api.Storyline.happening_filter`, plus ``query``) and where to send alerts."""

    id: int
    name: str | None
    spec: dict[str, Any]
    webhook: str | None
    created: str
    has_secret: bool = False

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        parts = [f"{k}={v}" for k, v in sorted(self.spec.items()) if v not in (None, [], "")]
        return ", ".join(parts) or "every happening"

    def as_dict(self, *, public: bool = False) -> dict[str, Any]:
        """``public``: as the REST API shows it, the webhook's scheme and host only (a webhook
        URL is often a secret itself)."""
        webhook = self.webhook
        if public and webhook:
            parts = urllib.parse.urlsplit(webhook)
            webhook = f"{parts.scheme}://{parts.hostname or ''}/…"
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "spec": self.spec,
            "webhook": webhook,
            "signed": self.has_secret,
            "created": self.created,
        }


@dataclass(frozen=True, slots=True)
class Alert:
    """One change a watch was told about, with what it is about and why."""

    id: int
    watch_id: int
    change_key: str
    """What changed, as a key unique within the watch: the same change never alerts twice."""
    kind: str
    happening_id: str | None
    created: str
    payload: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "watch": self.watch_id,
            "kind": self.kind,
            "happening_id": self.happening_id,
            "created": self.created,
            **self.payload,
        }

    @staticmethod
    def from_row(row: tuple[Any, ...]) -> Alert:
        return Alert(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]))
