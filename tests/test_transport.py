from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from storyline.config import IngestConfig
from storyline.errors import BlockedAddressError, FetchError, InputError
from storyline.ingest import Source, read
from storyline.ingest.transport import HttpTransport, check_url
from storyline.model import Article, ContentKind


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed":
            body = (
                b"<rss version='2.0'><channel><title>T</title>"
                b"<item><title>A</title><description>Text.</description></item></channel></rss>"
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/redirect-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/secret")
            self.end_headers()
        elif self.path == "/page":
            body = (
                b"<html><head><title>Linked page</title></head><body><article><h1>Linked page</h1>"
                b"<p>The full article text lives on the linked page, well beyond the feed's summary line.</p>"
                b"</article></body></html>"
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers: a feed URL that times out."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/feed"
    sock.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8000/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
    ],
)
def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(BlockedAddressError, match="--allow-private"):
        check_url(url, allow_private=False)
    check_url(url, allow_private=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.example/a", "http:///nohost"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        check_url(url, allow_private=True)


def test_loopback_refused_by_default(server: str) -> None:
    with pytest.raises(BlockedAddressError):
        HttpTransport().fetch(server + "/feed", timeout=2, max_bytes=10_000)


def test_fetch_when_allowed(server: str) -> None:
    fetched = HttpTransport(allow_private=True).fetch(server + "/feed", timeout=2, max_bytes=10_000)
    assert (
        fetched.content.startswith(b"<rss")
        and fetched.content_type == "application/rss+xml"
        and fetched.charset == "utf-8"
    )
    assert fetched.fetched_at.tzinfo is not None


def test_http_errors_and_limits(server: str) -> None:
    transport = HttpTransport(allow_private=True)
    with pytest.raises(FetchError, match="HTTP 404"):
        transport.fetch(server + "/missing", timeout=2, max_bytes=10_000)
    with pytest.raises(FetchError, match="limit") as info:
        transport.fetch(server + "/big", timeout=2, max_bytes=1000)
    assert info.value.code == "too-large"


def test_redirect_to_private_address_is_refused(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the first hop is allowed (loopback stands in for a public host); the redirect target is checked again
    import storyline.ingest.transport as transport_module

    real_check = transport_module.check_url

    def check(url: str, *, allow_private: bool) -> None:
        real_check(url, allow_private=allow_private or url.startswith(server))

    monkeypatch.setattr(transport_module, "check_url", check)
    real_create = transport_module._guarded_create
    monkeypatch.setattr(transport_module, "_guarded_create", lambda allow_private: real_create(True))
    with pytest.raises(BlockedAddressError, match=r"10\.0\.0\.1"):
        HttpTransport(allow_private=False).fetch(server + "/redirect-private", timeout=2, max_bytes=10_000)


def test_timeout(silent_server: str) -> None:
    with pytest.raises(FetchError, match=r"no answer within 0\.3 s") as info:
        HttpTransport(allow_private=True).fetch(silent_server, timeout=0.3, max_bytes=10_000)
    assert info.value.code == "timeout"


def test_fetch_links_on_a_feed_file_uses_the_default_transport(server: str, tmp_path: Path) -> None:
    """No transport injected: --fetch-links still fetches (through the guarded HTTP transport)."""
    feed = tmp_path / "f.rss"
    feed.write_text(
        f"<rss version='2.0'><channel><title>W</title><item><title>One</title><link>{server}/page</link>"
        "<description>Summary only.</description></item></channel></rss>",
        encoding="utf-8",
    )
    (article,) = read(Source(str(feed), path=feed), IngestConfig(fetch_links=True, allow_private=True))
    assert isinstance(article, Article) and article.kind is ContentKind.HTML_PAGE
    assert b"full article text" in bytes(article.content)  # type: ignore[arg-type]
    refused, fallback = read(Source(str(feed), path=feed), IngestConfig(fetch_links=True))
    assert isinstance(refused, InputError) and refused.code == "blocked-address"
    assert isinstance(fallback, Article) and fallback.content == "Summary only."


def test_a_name_that_turns_private_between_check_and_connection_is_refused(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the check hears a public address, the connection would get the loopback;
    # the connection goes only to an address it has checked itself
    import socket

    port = int(server.rsplit(":", 1)[1].split("/")[0])
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example.org":
            address = next(answers, "127.0.0.1")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(BlockedAddressError, match=r"non-public address 127\.0\.0\.1"):
        HttpTransport(allow_private=False).fetch(f"http://rebind.example.org:{port}/page", timeout=2, max_bytes=10_000)


def test_a_trickled_or_cut_body_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import threading
    import time

    def serve(handler: Any) -> int:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)

        def run() -> None:
            conn, _ = listener.accept()
            conn.recv(4096)
            with contextlib.suppress(OSError):
                handler(conn)
            conn.close()
            listener.close()

        threading.Thread(target=run, daemon=True).start()
        return int(listener.getsockname()[1])

    def trickle(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 40\r\n\r\n")
        for _ in range(40):
            conn.sendall(b"x")
            time.sleep(0.1)

    def cut(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n0123456789")

    started = time.monotonic()
    with pytest.raises(FetchError, match="within 1 s") as slow:
        HttpTransport(allow_private=True).fetch(f"http://127.0.0.1:{serve(trickle)}/", timeout=1.0, max_bytes=10_000)
    assert slow.value.code == "timeout" and time.monotonic() - started < 2.5
    with pytest.raises(FetchError, match="closed 90 bytes before") as short:
        HttpTransport(allow_private=True).fetch(f"http://127.0.0.1:{serve(cut)}/", timeout=2.0, max_bytes=10_000)
    assert short.value.code == "truncated"

    def cut_chunked(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n0123456789"
        )

    with pytest.raises(FetchError, match="broke off") as chunked:
        HttpTransport(allow_private=True).fetch(
            f"http://127.0.0.1:{serve(cut_chunked)}/", timeout=2.0, max_bytes=10_000
        )
    assert chunked.value.code == "truncated"
