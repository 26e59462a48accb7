"""What the command line, the REST API and Python callers do with sources and alerts: one place
that checks what they are given (``sl.following``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import ConfigError, FetchError, InputError, UsageError
from storyline.follow.fetching import parse_interval
from storyline.follow.watch import WatchConfig, Watcher, follow_tables
from storyline.ingest.sources import is_url
from storyline.ingest.transport import check_url
from storyline.model.follow import SOURCE_KINDS, Alert, AlertWatch, WatchedSource, iso

if TYPE_CHECKING:
    from storyline.api import Storyline
    from storyline.ingest.transport import HttpTransport

DEFAULT_EVERY = "15m"


class Following:
    """Sources and alert watches of one store."""

    def __init__(self, sl: Storyline, clock: Callable[[], datetime] | None = None) -> None:
        self.sl = sl
        self.store = follow_tables(sl)
        self.clock = clock or (lambda: datetime.now(UTC))

    # -- sources -------------------------------------------------------------------------------
    def add_source(
        self,
        location: str,
        *,
        name: str | None = None,
        every: str | int = DEFAULT_EVERY,
        kind: str | None = None,
        public_only: bool = False,
    ) -> WatchedSource:
        """Follow a feed or page (an http(s) URL) or a folder. ``public_only`` (the REST API's
        way) refuses a URL whose host resolves to a private, loopback or link-local address. A
        UsageError says what is wrong with the location."""
        every_s = every if isinstance(every, int) else _interval(every)
        if kind is not None and kind not in SOURCE_KINDS:
            raise UsageError(f"a source is a {', '.join(SOURCE_KINDS)}, not {kind!r}")
        location = location.strip()
        if is_url(location):
            try:
                check_url(location, allow_private=not public_only)
            except FetchError as exc:
                raise UsageError(f"{location}: {exc.reason}") from None
            if kind == "folder":
                raise UsageError(f"{location} is a URL, not a folder")
            kind = kind or "url"
        elif "://" in location or location.lower().startswith(("file:", "data:", "javascript:")):
            raise UsageError(f"{location}: only http and https URLs and folders are followed")
        else:
            if public_only:
                raise UsageError(f"{location}: only http and https URLs can be added here")
            path = Path(location).expanduser()
            if not path.is_dir():
                what = "a file (read it once with storyline analyze)" if path.is_file() else "no such folder"
                raise UsageError(f"{location}: {what}", "not-found" if not path.exists() else "invalid")
            if kind not in (None, "folder"):
                raise UsageError(f"{location} is a folder, not a {kind}")
            location, kind = str(path.resolve()), "folder"
        return self.store.add_source(
            location, name=name, kind=kind, every_s=every_s, now=iso(self.clock()), public_only=public_only
        )

    def sources(self) -> list[WatchedSource]:
        return self.store.watched_sources()

    def source(self, ref: str) -> WatchedSource:
        source = self.store.watched_source(ref)
        if source is None:
            raise UsageError(f"no followed source {ref!r} (storyline sources ls lists them)", "not-found")
        return source

    def remove_source(self, ref: str) -> WatchedSource:
        source = self.source(ref)
        self.store.remove_source(source.id)
        return source

    def import_opml(
        self, data: bytes, name: str, *, every: str | int = DEFAULT_EVERY, public_only: bool = False
    ) -> tuple[list[WatchedSource], list[InputError]]:
        """Follow every feed an OPML list names; one already followed or not allowed is reported,
        and the others are added."""
        from storyline.follow.opml import read_opml

        feeds, errors = read_opml(data, name)
        added: list[WatchedSource] = []
        for url, title in feeds:
            try:
                added.append(self.add_source(url, name=title, every=every, public_only=public_only))
            except UsageError as exc:
                errors.append(InputError(f"{name}#{url}", "unsupported", str(exc)))
        return added, errors

    def export_opml(self) -> bytes:
        from storyline.follow.opml import write_opml

        return write_opml(self.sources())

    # -- alert watches ---------------------------------------------------------------------------
    def add_alert(
        self,
        *,
        name: str | None = None,
        webhook: str | None = None,
        secret: str | None = None,
        **spec: Any,
    ) -> AlertWatch:
        """Save a watch (``spec``: entity, storyline, kind, status, min_confidence, min_sources,
        include_tentative, query); what it picks today is its baseline."""
        from storyline.follow.alerts import add_watch

        if secret and not webhook:
            raise UsageError("a secret signs webhook calls: give --webhook too")
        return add_watch(self.sl, spec, name=name, webhook=webhook, secret=secret, now=self.clock())

    def alert_watches(self) -> list[AlertWatch]:
        return self.store.alert_watches()

    def remove_alert(self, watch_id: int) -> AlertWatch:
        watch = self.store.alert_watch(watch_id)
        if watch is None:
            raise UsageError(f"no alert watch {watch_id} (storyline alerts ls lists them)", "not-found")
        self.store.remove_alert_watch(watch_id)
        return watch

    def alerts(self, *, limit: int | None = 50, watch_id: int | None = None) -> list[Alert]:
        return self.store.alerts(limit=limit, watch_id=watch_id)

    def followed(self, watch_id: int) -> int:
        """How many happenings a watch follows now."""
        return len(self.store.alert_follows(watch_id))

    # -- watching --------------------------------------------------------------------------------
    def watcher(self, config: WatchConfig | None = None, *, transport: HttpTransport | None = None) -> Watcher:
        return Watcher(self.sl, config, transport=transport, clock=self.clock)


def _interval(text: str) -> int:
    try:
        return parse_interval(text)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
