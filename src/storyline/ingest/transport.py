"""Network access behind a small transport protocol, so tests and callers can replace it.

The default :class:`HttpTransport` refuses URLs whose host resolves to a private,
loopback, link-local or otherwise non-public address (including after redirects)
unless ``allow_private`` is set: a feed must not be able to make storyline read an
intranet page or a cloud metadata endpoint.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPMessage
from typing import IO, Any, Protocol

from storyline.errors import BlockedAddressError, FetchError

USER_AGENT = "storyline/0.1 (+news event intelligence; offline-first)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched resource."""

    url: str
    """The final URL, after redirects."""
    content: bytes
    content_type: str | None
    charset: str | None
    fetched_at: datetime
    etag: str | None = None
    """The validators the server gave (``ETag``, ``Last-Modified``), for a conditional request later."""
    last_modified: str | None = None


class Transport(Protocol):
    """Fetches a URL. Raises :class:`FetchError` (or a subclass) on any failure."""

    def fetch(self, url: str, *, timeout: float, max_bytes: int) -> Fetched: ...


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise unless ``url`` is http(s) and (unless allowed) resolves only to public addresses."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, "fetch", f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    host = parts.hostname
    if not host:
        raise FetchError(url, "fetch", "the URL names no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(url, "fetch", f"cannot resolve host {host!r} ({exc.strerror})") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise BlockedAddressError(
                url,
                "blocked-address",
                f"host {host!r} resolves to non-public address {address}; pass --allow-private to fetch it",
            )


def _guarded_create(allow_private: bool) -> Any:
    """``socket.create_connection`` for an HTTP connection that connects only to an address it
    has checked: the host is resolved once, here, and every address it gives must be public
    (unless allowed), so a name that answers a public address to the check and a private one to
    the connection (DNS rebinding) never reaches the private one."""

    default = getattr(socket, "_GLOBAL_DEFAULT_TIMEOUT", None)

    def create(address: tuple[str, int], timeout: Any = default, source: Any = None) -> socket.socket:
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if not allow_private:
            for info in infos:
                checked = ipaddress.ip_address(info[4][0])
                if not checked.is_global:
                    raise BlockedAddressError(
                        host, "blocked-address", f"host {host!r} resolves to non-public address {checked}"
                    )
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not default:
                    sock.settimeout(timeout)
                if source:
                    sock.bind(source)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"cannot connect to {host}")

    return create


def _proxied(req: urllib.request.Request) -> bool:
    """The request goes through a proxy (plain HTTP: to the proxy; HTTPS: a CONNECT tunnel)."""
    return bool(req.has_proxy() or getattr(req, "_tunnel_host", None))


class _Guarded:
    """What the guarded HTTP and HTTPS handlers share: a connection of ``connection_class`` that
    connects only to addresses it checked (:func:`_guarded_create`), except through a proxy."""

    connection_class: type[http.client.HTTPConnection] = http.client.HTTPConnection
    allow_private = False

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        conn = self.connection_class(host, **kwargs)
        conn._create_connection = _guarded_create(self.allow_private)  # type: ignore[attr-defined]
        return conn

    def _open(self, handler: urllib.request.AbstractHTTPHandler, req: urllib.request.Request) -> Any:
        return handler.do_open(self.connection_class if _proxied(req) else self._connection, req)


class _GuardedHTTPHandler(_Guarded, urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self._open(self, req)  # type: ignore[no-any-return]


class _GuardedHTTPSHandler(_Guarded, urllib.request.HTTPSHandler):
    connection_class = http.client.HTTPSConnection

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self._open(self, req)  # type: ignore[no-any-return]


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> urllib.request.Request | None:
        check_url(newurl, allow_private=self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpTransport:
    """Fetches over HTTP(S) with the standard library, guarding addresses and sizes."""

    def __init__(self, *, allow_private: bool = False, user_agent: str = USER_AGENT) -> None:
        self.allow_private = allow_private
        self.user_agent = user_agent
        self._opener = urllib.request.build_opener(
            _GuardedRedirects(allow_private), _GuardedHTTPHandler(allow_private), _GuardedHTTPSHandler(allow_private)
        )

    def fetch(self, url: str, *, timeout: float, max_bytes: int) -> Fetched:
        fetched = self.fetch_if_changed(url, timeout=timeout, max_bytes=max_bytes)
        assert fetched is not None  # an unconditional request is never answered 304
        return fetched

    def fetch_if_changed(
        self,
        url: str,
        *,
        timeout: float,
        max_bytes: int,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched | None:
        """Fetch ``url``, or None when the server says it has not changed since the fetch that
        gave ``etag``/``last_modified`` (a conditional request, answered 304 without a body).
        ``timeout`` bounds each wait and the whole transfer; the body is read up to ``max_bytes``."""
        check_url(url, allow_private=self.allow_private)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers)
        deadline = time.monotonic() + timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                chunks: list[bytes] = []
                size = 0
                while size <= max_bytes:
                    # read1: what has arrived (at least a byte), so a server trickling bytes is
                    # caught by the deadline rather than after 64 KiB of them
                    chunk = response.read1(min(65536, max_bytes + 1 - size))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if time.monotonic() > deadline:
                        raise FetchError(url, "timeout", f"the body did not arrive within {timeout:g} s")
                if size <= max_bytes and response.length:  # the server closed before its Content-Length
                    raise FetchError(
                        url, "truncated", f"the connection closed {response.length:,} bytes before the body's end"
                    )
                content = b"".join(chunks)
                if len(content) > max_bytes:
                    raise FetchError(url, "too-large", f"response is over the {max_bytes:,}-byte limit")
                content_type = response.headers.get_content_type()
                charset = response.headers.get_content_charset()
                final = response.geturl()
                validators = response.headers.get("ETag"), response.headers.get("Last-Modified")
        except BlockedAddressError as exc:
            if exc.origin == url:
                raise
            # refused when connecting (the name answered otherwise than to the check)
            raise BlockedAddressError(url, exc.code, f"{exc.reason}; pass --allow-private to fetch it") from None
        except FetchError:
            raise
        except http.client.HTTPException as exc:  # a chunked body cut short, a broken status line
            raise FetchError(url, "truncated", f"the answer broke off ({type(exc).__name__})") from None
        except urllib.error.HTTPError as exc:
            if exc.code == 304 and (etag or last_modified):
                return None
            raise FetchError(url, "fetch", f"HTTP {exc.code} {exc.reason}") from None
        except TimeoutError:
            raise FetchError(url, "timeout", f"no answer within {timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise FetchError(url, "timeout", f"no answer within {timeout:g} s") from None
            raise FetchError(url, "fetch", f"cannot fetch ({exc.reason})") from None
        except OSError as exc:
            raise FetchError(url, "fetch", f"cannot fetch ({exc})") from None
        return Fetched(final, content, content_type, charset, datetime.now(UTC), validators[0], validators[1])
