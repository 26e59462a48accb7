"""``storyline watch``: rounds over the followed sources, reading only what is new.

A round:

1. picks the sources that are due (``next_due`` has passed);
2. fetches them, a thread per host and one request at a time per host
   (:class:`~storyline.follow.fetching.PoliteTransport`): a feed or a page with a conditional
   request (an unchanged one answers 304 and costs nothing), a folder by listing its files;
3. reads what is new: the feed entries not read before (an entry whose body is only a teaser is
   followed to its article page), a changed page, the new or changed files of a folder;
4. analyzes all of it in one go, exactly as ``storyline analyze`` would (documents, annotations,
   happenings);
5. then records each source's state (validators, the items read, when it is due again; a failing
   source waits longer each time, up to ``max_backoff``);
6. then checks the alert watches (:mod:`storyline.follow.alerts`).

Why this order survives a kill at any point: documents are keyed by their text, so articles read
again after a kill between steps 4 and 5 are found stored already and not stored twice, and a
document stored but not yet annotated or placed is taken up by the next analysis. The alerts are
checked whenever the store's generation (which every write of documents, annotations or
happenings raises, by any process) differs from the one recorded after the last check, so a
check a kill interrupted runs again, and so does one owed to another writer's changes; alerts are
keyed by the change they tell, so none is stored twice.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.config import IngestConfig
from storyline.errors import FetchError, InputError, StoreLockedError, internal_error
from storyline.follow.fetching import PoliteTransport
from storyline.ingest import HttpTransport, Source, read
from storyline.ingest.feeds import is_summary_only, read_feed
from storyline.ingest.sources import expand, is_url, sniff
from storyline.model import Article
from storyline.model.follow import FetchState, WatchedSource, iso
from storyline.store.follow import FollowTables

if TYPE_CHECKING:
    from storyline.api import Storyline
    from storyline.model.follow import Alert

#: The store setting holding the store's generation when the alerts were last checked.
ALERTS_CHECKED = "alerts_checked_generation"


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """How ``storyline watch`` fetches. The numbers are chosen, not fit: they are the politeness
    and patience figures common crawlers use, and the tests set smaller ones."""

    host_delay: float = 1.0
    """Seconds between two requests to one host (robots.txt's Crawl-delay, when longer, wins)."""
    timeout: float = 20.0
    """Seconds a request may take, waiting and transferring."""
    max_bytes: int = 10 * 1024 * 1024
    """The most a feed or page may be; a larger answer is a failure of the source."""
    summary_words: int = 120
    """A feed entry without full content and with a summary shorter than this is followed to its page."""
    max_backoff: int = 6 * 3600
    """The longest a failing source waits (its interval doubles with each failure in a row)."""
    robots: bool = True
    fetch_threads: int = 8
    """Hosts fetched at once (each host still one request at a time)."""
    allow_private: bool = False
    """Fetch URLs that resolve to private or loopback addresses (sources added on the command
    line may; the REST API never lets a caller add one)."""
    workers: int | None = None
    """Processes analysis cleans with (None: as ``storyline analyze`` chooses)."""
    settle: float = 2.0
    """A folder's file changed less than this many seconds ago is left to the next round: it may
    still be being written."""


@dataclass(slots=True)
class SourceResult:
    source: WatchedSource
    status: str = "unchanged"
    articles: list[Article | InputError] = field(default_factory=list)
    items: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    kind: str | None = None
    bytes: int = 0


@dataclass(slots=True)
class RoundReport:
    """What one round did."""

    started: str
    seconds: float = 0.0
    due: int = 0
    fetched: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    entries_new: int = 0
    documents_new: int = 0
    already_stored: int = 0
    happenings_new: int = 0
    happenings_changed: int = 0
    bytes: int = 0
    requests: int = 0
    errors: list[InputError] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)

    def line(self) -> str:
        parts = [
            f"{self.due} due",
            f"{self.fetched} fetched",
            f"{self.unchanged} unchanged",
            f"{self.failed} failed",
        ]
        if self.skipped:
            parts.append(f"{self.skipped} not allowed")
        return (
            f"{self.started[:19].replace('T', ' ')} sources: {', '.join(parts)}; "
            f"documents: {self.documents_new} new ({self.entries_new} entries read, {self.already_stored} "
            f"stored already); happenings: {self.happenings_new} new, {self.happenings_changed} changed; "
            f"alerts: {len(self.alerts)} ({self.seconds:.1f} s)"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "started": self.started,
            "seconds": round(self.seconds, 3),
            "sources": {
                "due": self.due,
                "fetched": self.fetched,
                "unchanged": self.unchanged,
                "failed": self.failed,
                "not_allowed": self.skipped,
            },
            "entries_read": self.entries_new,
            "documents_new": self.documents_new,
            "already_stored": self.already_stored,
            "happenings_new": self.happenings_new,
            "happenings_changed": self.happenings_changed,
            "bytes": self.bytes,
            "requests": self.requests,
            "errors": [{"input": e.origin, "code": e.code, "reason": e.reason} for e in self.errors],
            "alerts": [a.as_dict() for a in self.alerts],
        }


def _source_kind(location: str) -> str:
    return "url" if is_url(location) else "folder"


def follow_tables(sl: Storyline) -> FollowTables:
    store = sl.store
    assert isinstance(store, FollowTables), "every store holds the follow tables"
    return store


class Watcher:
    """Runs rounds over a store's sources. Build once per process; the fetcher (its per-host
    pauses and robots.txt cache) is kept across rounds."""

    def __init__(
        self,
        sl: Storyline,
        config: WatchConfig | None = None,
        *,
        transport: HttpTransport | None = None,
        ingest: IngestConfig | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.sl = sl
        self.store = follow_tables(sl)
        self.config = config or WatchConfig()
        self.ingest = ingest or sl.config
        inner = transport or HttpTransport(allow_private=self.config.allow_private)
        self.fetcher = PoliteTransport(
            inner, delay=self.config.host_delay, robots=self.config.robots, timeout=self.config.timeout
        )
        self.clock = clock or (lambda: datetime.now(UTC))

    # -- one round -----------------------------------------------------------------------------
    def round(self, *, deliver: Callable[[list[Alert]], None] | None = None, every_source: bool = False) -> RoundReport:
        """Fetch the due sources (``every_source``: all of them, due or not), analyze what is new,
        record their state and check the alerts; ``deliver`` is given the alerts not yet given
        (once each, oldest first). One failing source never stops the others: its failure is in the
        report and in its state."""
        from storyline.follow.alerts import check_alerts, deliver_webhooks

        started = time.perf_counter()
        now = self.clock()
        report = RoundReport(iso(now))
        bytes_before, requests_before = self.fetcher.bytes, self.fetcher.requests
        due = self.store.watched_sources(due_by=None if every_source else iso(now))
        report.due = len(due)
        results = self._fetch_all(due)
        articles: list[Article | InputError] = []
        for result in results:
            articles.extend(result.articles)
            report.entries_new += sum(1 for a in result.articles if isinstance(a, Article))
            if result.status == "failed":
                report.failed += 1
                report.errors.append(InputError(result.source.location, "fetch", result.error or "failed"))
            elif result.status == "skipped":
                report.skipped += 1
            elif result.status == "unchanged":
                report.unchanged += 1
            else:
                report.fetched += 1
        analyzed = True
        if articles:
            before = self._happening_count()
            try:
                analysis = self.sl.analyze(articles=articles, workers=self.config.workers)
            except StoreLockedError as exc:
                # another process is writing (an analyze, an ingest through the API): what was read
                # is read again next round (its sources' state is not recorded), and the watch goes on
                analyzed = False
                report.errors.append(InputError(str(self.sl.path), "unreadable", f"not analyzed this round: {exc}"))
            else:
                report.documents_new = analysis.stored
                report.already_stored = analysis.already_stored
                report.errors.extend(analysis.errors)
                touched = {c for c, _ in self.sl.store.document_placements(analysis.stored_ids).values() if c}
                report.happenings_new = max(0, self._happening_count() - before)
                report.happenings_changed = max(0, len(touched) - report.happenings_new)
        done = self.clock()
        for result in results:
            if result.articles and not analyzed:
                continue
            try:
                self.store.record_fetch(result.source.id, self._state(result, done), kind=result.kind)
            except Exception as exc:  # one source's state must not keep the others' from being kept
                report.errors.append(internal_error(result.source.location, exc))
        # the alerts are checked whenever documents or happenings changed since the last check,
        # by this watch or by any other writer (the store's generation moves with them, not with
        # the state of sources and alerts); a check a kill interrupted leaves it unrecorded
        generation = self.store.generation()
        if str(generation) != self.store.follow_setting(ALERTS_CHECKED):
            report.alerts, problems = check_alerts(self.sl, now=done)
            report.errors.extend(problems)
            self.store.set_follow_setting(ALERTS_CHECKED, str(generation))
        if deliver is not None:
            pending = self.store.unprinted_alerts()
            if pending:
                deliver(pending)
                self.store.mark_alerts_printed([a.id for a in pending])
        deliver_webhooks(self.store, now=self.clock(), allow_private=True)
        self.fetcher.save_robots()
        report.bytes = self.fetcher.bytes - bytes_before
        report.requests = self.fetcher.requests - requests_before
        report.seconds = time.perf_counter() - started
        return report

    def _happening_count(self) -> int:
        from storyline.store.filters import HappeningFilter

        return self.sl.store.count_clusters(HappeningFilter.of(include_tentative=True))

    def _state(self, result: SourceResult, now: datetime) -> FetchState:
        source = result.source
        if result.status == "failed":
            wait = min(source.every_s * 2 ** min(source.errors + 1, 16), max(self.config.max_backoff, source.every_s))
        else:
            wait = source.every_s
        return FetchState(
            status=result.status,
            fetched_at=iso(now),
            next_due=iso(now + timedelta(seconds=wait)),
            etag=result.etag,
            last_modified=result.last_modified,
            error=result.error,
            bytes=result.bytes,
            items=result.items,
            documents=sum(1 for a in result.articles if isinstance(a, Article)),
        )

    # -- fetching ------------------------------------------------------------------------------
    def _fetch_all(self, due: list[WatchedSource]) -> list[SourceResult]:
        """Each due source fetched and read: hosts side by side, one host's sources in turn."""
        by_host: dict[str, list[WatchedSource]] = defaultdict(list)
        for source in due:
            host = urllib.parse.urlsplit(source.location).netloc.lower() if is_url(source.location) else ""
            by_host[host].append(source)
        results: dict[int, SourceResult] = {}
        lock = threading.Lock()

        def run(sources: list[WatchedSource]) -> None:
            for source in sources:
                result = self._fetch_one(source)
                with lock:
                    results[source.id] = result

        groups = list(by_host.values())
        if len(groups) <= 1:
            for group in groups:
                run(group)
        else:
            with ThreadPoolExecutor(min(self.config.fetch_threads, len(groups))) as pool:
                list(pool.map(run, groups))
        return [results[s.id] for s in due]

    def _fetch_one(self, source: WatchedSource) -> SourceResult:
        result = SourceResult(source)
        try:
            if source.kind == "folder":
                self._read_folder(source, result)
            else:
                self._read_url(source, result)
        except FetchError as exc:
            result.status = "skipped" if exc.code == "robots" else "failed"
            result.error = exc.reason
            result.articles = []
            result.items = {}
        except Exception as exc:  # a bug of storyline's must not stop the other sources
            result.status = "failed"
            result.error = internal_error(source.location, exc).reason
            result.articles = []
            result.items = {}
        return result

    def _read_url(self, source: WatchedSource, result: SourceResult) -> None:
        fetcher = self.fetcher.view(public_only=source.public_only)
        got = fetcher.fetch_if_changed(
            source.location,
            timeout=self.config.timeout,
            max_bytes=self.config.max_bytes,
            etag=source.etag,
            last_modified=source.last_modified,
        )
        if got is None:  # 304: nothing new, and the validators stay
            result.status = "unchanged"
            result.etag, result.last_modified = source.etag, source.last_modified
            return
        result.bytes = len(got.content)
        result.etag, result.last_modified = got.etag, got.last_modified
        data = Source(
            source.location, data=got.content, content_type=got.content_type, charset=got.charset,
            fetched_at=got.fetched_at,
        )  # fmt: skip
        kind = "feed" if sniff(data, data.head()) == "feed" else "page"
        result.kind = kind if kind != source.kind else None
        if kind == "page":
            fingerprint = hashlib.blake2b(got.content, digest_size=10).hexdigest()
            if self.store.seen_items(source.id, [source.location]).get(source.location) == fingerprint:
                result.status = "unchanged"
                return
            result.status = "fetched"
            result.items = {source.location: fingerprint}
            result.articles = list(read(data, self._ingest_config(source)))
            return
        result.status = "fetched"
        # the entries are few (a feed holds tens): their fingerprints are asked for at once
        import feedparser

        from storyline.ingest.feeds import entry_identity

        try:
            parsed = feedparser.parse(got.content, sanitize_html=False, resolve_relative_uris=False)
            keys = [entry_identity(e) for e in parsed.get("entries") or []]
        except Exception:  # the reader below reports what is wrong with the feed
            keys = []
        seen = self.store.seen_items(source.id, keys)

        def want(key: str, fingerprint: str) -> bool:
            # read once: an entry seen with this text before, or a second entry of the same key
            if seen.get(key) == fingerprint or key in result.items:
                return False
            result.items[key] = fingerprint
            return True

        def unread(key: str) -> None:
            # its page failed: the entry is tried again when the feed is next read, which the old
            # validators make sure of (the new ones would have the server answer 304)
            result.items.pop(key, None)
            result.etag, result.last_modified = source.etag, source.last_modified

        words = self.config.summary_words
        result.articles = list(
            read_feed(
                data,
                self._ingest_config(source),
                fetcher,
                want=want,
                follow=lambda entry: is_summary_only(entry, words),
                unread=unread,
            )
        )

    def _ingest_config(self, source: WatchedSource) -> IngestConfig:
        from dataclasses import replace

        return replace(
            self.ingest,
            source=source.name or self.ingest.source,
            timeout=self.config.timeout,
            allow_private=self.config.allow_private,
        )

    def _read_folder(self, source: WatchedSource, result: SourceResult) -> None:
        root = Path(source.location)
        if not root.is_dir():
            raise FetchError(source.location, "fetch", "the folder is gone or is not a folder")
        known = self.store.known_items(source.id)
        changed: list[Source] = []
        for item in expand([str(root)]):
            if isinstance(item, InputError):
                result.articles.append(item)
                continue
            assert item.path is not None
            try:
                stat = item.path.stat()
            except OSError as exc:
                result.articles.append(InputError(item.name, "unreadable", exc.strerror or str(exc)))
                continue
            key = os.path.relpath(item.path, root)
            fingerprint = f"{stat.st_size}:{stat.st_mtime_ns}"
            if time.time() - stat.st_mtime < self.config.settle:
                continue  # still being written, perhaps: the next round reads it
            if known.get(key) != fingerprint:
                result.items[key] = fingerprint
                changed.append(item)
        result.status = "fetched" if changed else "unchanged"
        config = self._ingest_config(source)
        result.articles.extend(a for item in changed for a in read(item, config))

    # -- running until stopped -------------------------------------------------------------------
    def rounds(
        self,
        *,
        stop: threading.Event | None = None,
        limit: int | None = None,
        tick: float = 1.0,
        deliver: Callable[[list[Alert]], None] | None = None,
    ) -> Iterator[RoundReport]:
        """Rounds until ``stop`` is set (or ``limit`` rounds ran): a round whenever a source is
        due, else a pause of at most ``tick`` seconds to look again."""
        stop = stop or threading.Event()
        ran = 0
        while not stop.is_set() and (limit is None or ran < limit):
            report = self.round(deliver=deliver)
            ran += 1
            yield report
            stop.wait(self._until_due(tick))

    def _until_due(self, tick: float) -> float:
        due = [s.next_due for s in self.store.watched_sources()]
        if not due:
            return tick
        wait = (datetime.fromisoformat(min(due)) - self.clock()).total_seconds()
        return max(0.0, min(wait, tick))
