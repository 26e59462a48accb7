"""Fetching politely: one request at a time per host, a pause between them, robots.txt obeyed.

:class:`PoliteTransport` wraps any transport with the methods of
:class:`~storyline.ingest.transport.HttpTransport`; everything ``storyline watch`` fetches (feeds,
pages, the article pages feed entries link to) goes through one, shared by the round's threads.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from storyline.errors import ConfigError, FetchError
from storyline.ingest.transport import USER_AGENT, Fetched, HttpTransport

#: robots.txt of a host is read again after this long (a day, as the large crawlers do).
ROBOTS_TTL = 24 * 3600.0
#: A robots.txt the host failed to serve (5xx, no answer) is asked for again after this long.
ROBOTS_RETRY = 300.0
#: robots.txt is small: a larger answer is cut here (Google reads the first 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)?\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """``"15m"``, ``"90s"``, ``"2h"``, ``"1d"`` or plain seconds, as whole seconds (at least 1)."""
    match = _INTERVAL.match(text)
    if not match:
        raise ConfigError(f"not an interval: {text!r} (write 90s, 15m, 2h or 1d)")
    seconds = float(match.group(1)) * _UNIT[(match.group(2) or "s")[0]]
    if seconds < 1:
        raise ConfigError(f"interval {text!r} is under a second")
    return int(seconds)


def format_interval(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(slots=True)
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = 0.0
    robots: object | None = None
    robots_read: float = -ROBOTS_TTL
    robots_failed: bool = False
    robots_text: str | None = None


def robots_file() -> Path | None:
    """Where the robots.txt rules read are kept between processes (a cron-run ``watch --once``
    need not ask every host again), or None when caching is off."""
    from storyline.cache import cache_root

    root = cache_root()
    return root / "robots.json" if root is not None else None


class PoliteTransport:
    """Fetches through ``inner``, one request at a time per host with at least ``delay`` seconds
    between two (or the host's robots.txt ``Crawl-delay``, when longer, up to ``max_delay``), and
    only what the host's robots.txt allows storyline's user agent. Counts the bytes it moved."""

    def __init__(
        self,
        inner: HttpTransport,
        *,
        delay: float = 1.0,
        max_delay: float = 30.0,
        robots: bool = True,
        timeout: float = 20.0,
    ) -> None:
        self.inner = inner
        #: the transport of sources that may never reach a private address (added through the REST
        #: API): the same hosts' pauses and rules, its own address guard
        self.public = (
            inner
            if not getattr(inner, "allow_private", False)
            else HttpTransport(allow_private=False, user_agent=getattr(inner, "user_agent", USER_AGENT))
        )
        self.delay = delay
        self.max_delay = max_delay
        self.robots = robots
        self.timeout = timeout
        self.user_agent = getattr(inner, "user_agent", USER_AGENT)
        self._hosts: dict[str, _Host] = {}
        self._guard = threading.Lock()
        self.bytes = 0
        self.requests = 0
        self._kept = robots_file() if robots else None
        self._load_robots()

    def _load_robots(self) -> None:
        """The rules kept by an earlier process, each as old as it was when read (wall clock)."""
        if self._kept is None or not self._kept.is_file():
            return
        from protego import Protego

        try:
            kept = json.loads(self._kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # a damaged file is read again from the hosts
        now, wall = time.monotonic(), time.time()
        for key, entry in kept.items() if isinstance(kept, dict) else ():
            try:
                age = wall - float(entry["read"])
                text = entry.get("text")
            except (KeyError, TypeError, ValueError):
                continue
            if not 0 <= age < ROBOTS_TTL:
                continue
            host = self._hosts.setdefault(key, _Host())
            host.robots_read = now - age
            host.robots_text = text if isinstance(text, str) else None
            host.robots = Protego.parse(host.robots_text) if host.robots_text is not None else None

    def save_robots(self) -> None:
        """Keep the rules read (the hosts that answered; not those that failed) for later processes."""
        if self._kept is None:
            return
        now, wall = time.monotonic(), time.time()
        kept = {
            key: {"read": wall - (now - host.robots_read), "text": host.robots_text}
            for key, host in list(self._hosts.items())
            if not host.robots_failed and now - host.robots_read < ROBOTS_TTL
        }
        try:
            self._kept.parent.mkdir(parents=True, exist_ok=True)
            partial = self._kept.with_name(f"{self._kept.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps(kept), encoding="utf-8")
            partial.replace(self._kept)
        except OSError:
            pass  # a cache that cannot be written costs only the next process a request per host

    def _host(self, url: str) -> tuple[str, _Host]:
        parts = urllib.parse.urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._guard:
            return key, self._hosts.setdefault(key, _Host())

    def _wait(self, host: _Host, extra: float) -> None:
        pause = host.last + max(self.delay, min(extra, self.max_delay)) - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def _allowed(self, key: str, host: _Host, url: str, inner: HttpTransport) -> float:
        """Raise FetchError("robots") unless robots.txt allows ``url``; the crawl delay it asks.
        Called with the host's lock held. A robots.txt that is missing (4xx) allows everything; one
        the host fails to serve (5xx, no answer) makes the host wait for a later round, as crawlers
        do, since it may forbid what it cannot say."""
        if not self.robots:
            return 0.0
        from protego import Protego

        now = time.monotonic()
        # a robots.txt the host failed to serve is asked for again only after ROBOTS_RETRY
        # seconds: until then the host's URLs wait (each asking again could cost a timeout)
        if now - host.robots_read >= (ROBOTS_RETRY if host.robots_failed else ROBOTS_TTL):
            self._wait(host, 0.0)
            try:
                got = inner.fetch(key + "/robots.txt", timeout=self.timeout, max_bytes=ROBOTS_MAX_BYTES)
            except FetchError as exc:
                self._count(0)
                if exc.code == "blocked-address":  # the host itself is refused: say so, not "robots"
                    raise FetchError(url, exc.code, exc.reason) from None
                code = re.match(r"HTTP (\d{3})", exc.reason)
                if code and code.group(1).startswith("4"):
                    host.robots, host.robots_failed, host.robots_text = None, False, None
                else:
                    host.robots, host.robots_failed = None, True
            else:
                self._count(len(got.content))
                host.robots_text = got.content.decode("utf-8", "replace")
                host.robots = Protego.parse(host.robots_text)
                host.robots_failed = False
            finally:
                host.last = time.monotonic()
                host.robots_read = now
        if host.robots_failed:
            raise FetchError(url, "robots", f"{key}/robots.txt could not be read; trying again in a later round")
        rules = host.robots
        if rules is None:
            return 0.0
        if not rules.can_fetch(url, self.user_agent):  # type: ignore[attr-defined]
            raise FetchError(url, "robots", f"{key}/robots.txt does not allow storyline to fetch it")
        delay = rules.crawl_delay(self.user_agent)  # type: ignore[attr-defined]
        return float(delay or 0.0)

    def fetch_if_changed(
        self,
        url: str,
        *,
        timeout: float,
        max_bytes: int,
        etag: str | None = None,
        last_modified: str | None = None,
        public_only: bool = False,
    ) -> Fetched | None:
        inner = self.public if public_only else self.inner
        key, host = self._host(url)
        with host.lock:
            extra = self._allowed(key, host, url, inner)
            self._wait(host, extra)
            got: Fetched | None = None
            try:
                got = inner.fetch_if_changed(
                    url, timeout=timeout, max_bytes=max_bytes, etag=etag, last_modified=last_modified
                )
            finally:
                host.last = time.monotonic()
                self._count(len(got.content) if got is not None else 0)
        return got

    def _count(self, body: int) -> None:
        """One request made and the body bytes it brought (the hosts' threads share the counts)."""
        with self._guard:
            self.requests += 1
            self.bytes += body

    def fetch(self, url: str, *, timeout: float, max_bytes: int) -> Fetched:
        got = self.fetch_if_changed(url, timeout=timeout, max_bytes=max_bytes)
        assert got is not None
        return got

    def view(self, *, public_only: bool) -> PublicView | PoliteTransport:
        """This fetcher as one source may use it: a source added through the REST API only ever
        reaches public addresses (after every redirect too), with the same per-host pauses."""
        return PublicView(self) if public_only else self


class PublicView:
    """A :class:`PoliteTransport` that reaches public addresses only."""

    def __init__(self, polite: PoliteTransport) -> None:
        self.polite = polite

    def fetch_if_changed(
        self, url: str, *, timeout: float, max_bytes: int, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched | None:
        return self.polite.fetch_if_changed(
            url, timeout=timeout, max_bytes=max_bytes, etag=etag, last_modified=last_modified, public_only=True
        )

    def fetch(self, url: str, *, timeout: float, max_bytes: int) -> Fetched:
        got = self.fetch_if_changed(url, timeout=timeout, max_bytes=max_bytes)
        assert got is not None
        return got
