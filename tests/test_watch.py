"""Following sources: storyline watch over feeds, pages and folders served on the loopback, and
alerts on what changed. Nothing is fetched from outside (pytest-httpserver on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

import storyline
from storyline.api import Storyline
from storyline.cli.app import app
from storyline.errors import UsageError
from storyline.follow import WatchConfig
from storyline.follow.alerts import SIGNATURE_HEADER, deliver_webhooks
from storyline.follow.watch import follow_tables
from storyline.model.follow import iso

from .conftest import CORPUS
from .postgres_server import Backend

#: Loopback servers, no pause between requests, short waits: the tests' watch settings.
FAST = WatchConfig(host_delay=0.0, timeout=3.0, allow_private=True, workers=1, settle=0.0)

ARTICLE = (
    "The port authority of {city} said on Tuesday that cargo traffic rose for a third month, as new "
    "cranes at the container terminal cut the time ships wait at anchor. Officials of the authority told "
    "reporters that the terminal handled more boxes in {month} than in any month before, and that the "
    "operator plans to hire two hundred dock workers before the end of the year. Shipping lines welcomed "
    "the change, saying the faster turnaround lets them keep their schedules across the region."
)


def _feed(entries: list[dict[str, str]], title: str = "Harbour wire") -> bytes:
    items = "".join(
        f"<item><guid>{e['id']}</guid><title>{e['title']}</title><link>{e.get('link', '')}</link>"
        f"<pubDate>{e.get('date', 'Tue, 02 Jun 2020 10:00:00 GMT')}</pubDate>"
        f"<description><![CDATA[{e['body']}]]></description></item>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.test/</link>{items}</channel></rss>"
    ).encode()


def _entry(n: int, **extra: str) -> dict[str, str]:
    city = ["Rotterdam", "Gdansk", "Valencia", "Piraeus", "Genoa", "Antwerp", "Hamburg", "Marseille"][n % 8]
    body = ARTICLE.format(city=city, month=f"month {n}")
    return {"id": f"e{n}", "title": f"Cargo rises at {city} port ({n})", "body": body, **extra}


class FeedServer:
    """A feed whose entries the test changes between rounds, with an ETag and Last-Modified that
    change with it, answering conditional requests with 304."""

    def __init__(self, server: HTTPServer, path: str = "/feed.xml") -> None:
        self.server, self.path = server, path
        self.entries: list[dict[str, str]] = []
        self.requests: list[dict[str, str | None]] = []
        self.modified = datetime(2020, 6, 2, 10, 0, tzinfo=UTC)
        server.expect_request(path).respond_with_handler(self.handle)

    def set(self, entries: list[dict[str, str]]) -> None:
        self.entries = entries
        self.modified += timedelta(minutes=5)

    @property
    def body(self) -> bytes:
        return _feed(self.entries)

    def handle(self, request: Request) -> Response:
        body = self.body
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        self.requests.append(
            {"if-none-match": request.headers.get("If-None-Match"), "user-agent": request.headers.get("User-Agent")}
        )
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(
            body,
            content_type="application/rss+xml",
            headers={"ETag": etag, "Last-Modified": format_datetime(self.modified, usegmt=True)},
        )

    @property
    def url(self) -> str:
        return self.server.url_for(self.path)


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps robots.txt rules in a cache of its own (the loopback server's address is
    the same for every test)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("STORYLINE_CACHE", str(cache))
    return cache


@pytest.fixture
def web(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    """The loopback server, with no robots.txt (404: everything allowed)."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    yield httpserver


@pytest.fixture
def sl(tmp_path: Path) -> Iterator[Storyline]:
    with storyline.open(tmp_path / "watch.db") as s:
        yield s


def _round(sl: Storyline, config: WatchConfig = FAST, **kwargs: Any) -> Any:
    return sl.following.watcher(config).round(every_source=True, **kwargs)


def test_feed_rounds_read_only_what_is_new_and_ask_conditionally(web: HTTPServer, sl: Storyline) -> None:
    feed = FeedServer(web)
    feed.set([_entry(1), _entry(2)])
    source = sl.following.add_source(feed.url, name="Harbour wire", every="15m")
    first = _round(sl)
    assert (first.fetched, first.entries_new, first.documents_new, first.failed) == (1, 2, 2, 0), first.errors
    state = sl.following.source(str(source.id))
    assert state.kind == "feed" and state.etag and state.last_modified and state.entries_seen == 2

    second = _round(sl)  # nothing new: the server answers 304 and nothing is read
    assert (second.fetched, second.unchanged, second.entries_new, second.bytes) == (0, 1, 0, 0)
    assert feed.requests[-1]["if-none-match"] == state.etag
    assert "storyline" in (feed.requests[-1]["user-agent"] or "")

    feed.set([_entry(3), _entry(1), _entry(2)])  # one new entry on top
    third = _round(sl)
    assert (third.entries_new, third.documents_new) == (1, 1)
    assert sl.stats()["documents"] == 3
    # a changed entry (same id, new text) is read again; its old text stays stored
    feed.set([_entry(3), {**_entry(1), "body": _entry(1)["body"] + " A correction was added later."}, _entry(2)])
    assert _round(sl).entries_new == 1
    assert sl.stats()["documents"] == 4


def test_a_teaser_entry_is_followed_to_its_article_page(web: HTTPServer, sl: Storyline) -> None:
    page = (
        "<html><head><title>Cranes cut waiting times</title></head><body><article><h1>Cranes cut waiting "
        f"times</h1><p>{ARTICLE.format(city='Valencia', month='May')}</p><p>The terminal will add a second "
        "berth next spring, the operator said in a statement to shareholders.</p></article></body></html>"
    )
    web.expect_request("/story/1.html").respond_with_data(page, content_type="text/html")
    feed = FeedServer(web)
    teaser = {
        "id": "t1",
        "title": "Cranes cut waiting times",
        "body": "Ships wait less.",
        "link": web.url_for("/story/1.html"),
    }
    feed.set([teaser])
    sl.following.add_source(feed.url)
    report = _round(sl)
    assert report.documents_new == 1
    doc = sl.documents(limit=1)[0]
    assert "second berth next spring" in doc.text  # the page's text, not the teaser


def test_a_failing_source_waits_longer_each_time_and_never_stops_the_others(web: HTTPServer, sl: Storyline) -> None:
    feed = FeedServer(web)
    feed.set([_entry(1)])
    web.expect_request("/broken.xml").respond_with_data("boom", status=500)
    web.expect_request("/loop").respond_with_response(Response(status=302, headers={"Location": "/loop"}))
    web.expect_request("/huge.xml").respond_with_data(b"<rss>" + b"x" * 300_000, content_type="application/rss+xml")

    def slow(request: Request) -> Response:
        time.sleep(2.0)
        return Response(_feed([_entry(9)]), content_type="application/rss+xml")

    web.expect_request("/slow.xml").respond_with_handler(slow)
    sl.following.add_source(feed.url, every="1m")  # first: the one-threaded server is then free
    for path in ("/broken.xml", "/loop", "/huge.xml", "/slow.xml"):
        sl.following.add_source(web.url_for(path), every="1m")
    config = WatchConfig(host_delay=0.0, timeout=1.0, allow_private=True, max_bytes=100_000, workers=1, settle=0.0)
    report = _round(sl, config)
    assert (report.failed, report.fetched, report.documents_new) == (4, 1, 1)
    reasons = {e.origin.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert "HTTP 500" in reasons["broken.xml"]
    assert "redirect" in reasons["loop"].lower()
    assert "limit" in reasons["huge.xml"]
    assert "within 1 s" in reasons["slow.xml"]
    broken = sl.following.source(web.url_for("/broken.xml"))
    wait = datetime.fromisoformat(broken.next_due) - datetime.fromisoformat(broken.last_fetch or "")
    assert broken.errors == 1 and broken.last_error and wait == timedelta(minutes=2)
    _round(sl, config)
    broken = sl.following.source(web.url_for("/broken.xml"))
    wait = datetime.fromisoformat(broken.next_due) - datetime.fromisoformat(broken.last_fetch or "")
    assert broken.errors == 2 and wait == timedelta(minutes=4)
    fine = sl.following.source(feed.url)
    assert fine.errors == 0 and fine.last_status == "unchanged"


def test_robots_txt_is_obeyed(httpserver: HTTPServer, sl: Storyline) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    feed = FeedServer(httpserver, "/private/feed.xml")
    feed.set([_entry(1)])
    open_feed = FeedServer(httpserver, "/public/feed.xml")
    open_feed.set([_entry(2)])
    sl.following.add_source(feed.url)
    sl.following.add_source(open_feed.url)
    report = _round(sl)
    assert (report.skipped, report.fetched, report.documents_new) == (1, 1, 1)
    assert not feed.requests  # never asked for
    assert "robots.txt" in (sl.following.source(feed.url).last_error or "")
    # a later process (a cron-run watch --once) keeps to the rules read, without asking again
    asked = sum(1 for request, _ in httpserver.log if request.path == "/robots.txt")
    again = _round(sl)
    assert (again.skipped, again.unchanged) == (1, 1)
    assert sum(1 for request, _ in httpserver.log if request.path == "/robots.txt") == asked == 1


def test_a_folder_gives_its_new_and_changed_files(tmp_path: Path, sl: Storyline) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Port traffic\n\n" + ARTICLE.format(city="Genoa", month="March"))
    sl.following.add_source(str(inbox))
    assert _round(sl).documents_new == 1
    assert _round(sl).unchanged == 1
    (inbox / "b.txt").write_text("More traffic\n\n" + ARTICLE.format(city="Hamburg", month="April"))
    report = _round(sl)
    assert (report.entries_new, report.documents_new) == (1, 1)
    # a file changed a moment ago may still be being written: the next round reads it
    (inbox / "c.txt").write_text("Still arriving\n\n" + ARTICLE.format(city="Antwerp", month="May"))
    patient = WatchConfig(host_delay=0.0, workers=1)
    assert _round(sl, patient).entries_new == 0
    os.utime(inbox / "c.txt", (time.time() - 10, time.time() - 10))
    assert _round(sl, patient).entries_new == 1


def test_sources_are_checked_when_added(sl: Storyline, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="only http and https"):
        sl.following.add_source("file:///etc/passwd")
    with pytest.raises(UsageError, match="no such folder"):
        sl.following.add_source(str(tmp_path / "nowhere"))
    with pytest.raises(UsageError, match="non-public address"):
        sl.following.add_source("http://127.0.0.1:9/feed.xml", public_only=True)
    with pytest.raises(UsageError, match="interval"):
        sl.following.add_source(str(tmp_path), every="soon")
    sl.following.add_source(str(tmp_path))
    with pytest.raises(UsageError, match="followed already"):
        sl.following.add_source(str(tmp_path))


def test_opml_in_and_out(sl: Storyline, tmp_path: Path) -> None:
    opml = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY boom "boomboomboom">]>
<opml version="2.0"><head><title>Desk</title></head><body>
<outline text="World"><outline type="rss" text="Wire &boom;" xmlUrl="https://news.example.org/world.rss"/>
<outline type="rss" text="&secret;" xmlUrl="https://news.example.org/asia.rss"/></outline>
<outline type="rss" text="Local" xmlUrl="ftp://news.example.org/local.rss"/>
</body></opml>"""
    added, errors = sl.following.import_opml(opml, "desk.opml")
    assert [s.location for s in added] == ["https://news.example.org/world.rss", "https://news.example.org/asia.rss"]
    assert all("root:" not in (s.name or "") for s in added)  # no entity was resolved
    assert len(errors) == 1 and "ftp://" in errors[0].origin
    again, errors = sl.following.import_opml(opml, "desk.opml")
    assert not again and any("followed already" in e.reason for e in errors)
    exported = sl.following.export_opml()
    import listparser

    assert [f.url for f in listparser.parse(exported).feeds] == [s.location for s in added]


def _analyze_sochi(folder: Path, name: str) -> None:
    shutil.copy2(CORPUS / "txt" / name, folder / name)  # with its own (settled) modification time


def test_a_planned_meeting_reported_held_alerts_once_naming_both_articles(backend: Backend, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with storyline.open(backend.location("alerts")) as sl:
        sl.following.add_source(str(inbox))
        watch = sl.following.add_alert(entity=["Narendra Modi", "Vladimir Putin"], kind="CONSULT")
        assert sl.following.followed(watch.id) == 0  # an empty store: nothing to follow yet
        elsewhere = sl.following.add_alert(kind="CONSULT", query="Vladivostok")  # words no article holds
        worded = sl.following.add_alert(kind="CONSULT", query='"informal summit"')

        _analyze_sochi(inbox, "modi-to-fly-to-sochi.txt")
        first = _round(sl)
        new = [a for a in first.alerts if a.kind == "new-happening" and a.watch_id == watch.id]
        assert len(new) == 1 and new[0].payload["happening"]["status"] == "planned"
        assert not [a for a in first.alerts if a.watch_id == elsewhere.id]
        assert [a.happening_id for a in first.alerts if a.watch_id == worded.id] == [new[0].happening_id]
        assert new[0].payload["happening"]["start"] == "2018-05-21"
        announced = new[0].payload["articles"][0]["document_id"]

        _analyze_sochi(inbox, "sochi-informal-summit-report.md")
        second = _round(sl)
        changes = [a for a in second.alerts if a.kind == "status-change" and a.watch_id == watch.id]
        assert len(changes) == 1, [a.payload["what"] for a in second.alerts]
        change = changes[0]
        assert change.payload["change"]["words"] == "planned -> held"
        assert change.happening_id == new[0].happening_id
        assert [a["document_id"] for a in change.payload["before"]] == [announced]
        reported = {a["document_id"] for a in change.payload["after"]}
        assert reported and announced not in reported
        assert all(a["evidence"] for a in change.payload["before"] + change.payload["after"])

        # checking again, in this process or a new one, tells nothing twice
        assert _round(sl).alerts == []
        from storyline.follow.alerts import check_alerts

        assert check_alerts(sl, now=datetime.now(UTC)) == ([], [])
        logged = sl.following.alerts(watch_id=watch.id)
        assert [a.kind for a in logged] == ["status-change", "new-happening"]


def test_alerts_reach_a_signed_webhook_retried_after_a_failure(web: HTTPServer, sl: Storyline, tmp_path: Path) -> None:
    calls: list[tuple[bytes, dict[str, str]]] = []

    def receiver(request: Request) -> Response:
        calls.append((request.get_data(), dict(request.headers)))
        return Response("try later", status=503) if len(calls) == 1 else Response("ok")

    web.expect_request("/hook", method="POST").respond_with_handler(receiver)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sl.following.add_source(str(inbox))
    sl.following.add_alert(entity=["Narendra Modi"], webhook=web.url_for("/hook"), secret="s3cret", name="Modi")
    _analyze_sochi(inbox, "modi-to-fly-to-sochi.txt")
    report = _round(sl)
    assert report.alerts and len(calls) == len(report.alerts)  # each alert called once; the first call failed
    store = follow_tables(sl)
    later = datetime.now(UTC) + timedelta(hours=1)
    sent, failed = deliver_webhooks(store, now=later)
    assert (sent, failed) == (1, 0) and len(calls) == len(report.alerts) + 1  # only the failed one, again
    body, headers = calls[-1]
    assert json.loads(body)["id"] == json.loads(calls[0][0])["id"]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == expected
    assert json.loads(body)["id"] == int(headers["X-Storyline-Alert"])
    assert deliver_webhooks(store, now=later + timedelta(hours=1)) == (0, 0)  # never twice


def test_watch_command_prints_each_alert_once(tmp_path: Path) -> None:
    runner = CliRunner()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = str(tmp_path / "cli.db")
    assert runner.invoke(app, ["sources", "add", str(inbox), "--every", "1m", "--db", db]).exit_code == 0
    added = runner.invoke(app, ["alerts", "add", "-e", "Vladimir Putin", "--name", "Putin", "--db", db])
    assert added.exit_code == 0 and "alert watch 1: Putin" in added.stdout
    _analyze_sochi(inbox, "modi-to-fly-to-sochi.txt")
    first = runner.invoke(app, ["watch", "--once", "--db", db])
    assert first.exit_code == 0, first.stderr
    alerts = [json.loads(line) for line in first.stdout.splitlines()]
    assert alerts and all(a["watch"] == 1 for a in alerts)
    assert "1 due, 1 fetched" in first.stderr
    second = runner.invoke(app, ["watch", "--once", "--all", "--db", db])
    assert second.exit_code == 0 and second.stdout == ""
    listed = runner.invoke(app, ["sources", "ls", "--db", db])
    assert "folder" in listed.stdout and "[unchanged]" in listed.stdout
    log = runner.invoke(app, ["alerts", "log", "--db", db])
    assert "new happening" in log.stdout
    assert runner.invoke(app, ["alerts", "rm", "7", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["sources", "rm", "1", "--db", db]).exit_code == 0


def test_follow_state_is_kept_in_either_backend(backend: Backend) -> None:
    with storyline.open(backend.location("state")) as sl:
        store = follow_tables(sl)
        source = sl.following.add_source("https://news.example.org/world.rss", every="15m")
        from storyline.model.follow import FetchState

        now = iso(datetime.now(UTC))
        store.record_fetch(
            source.id,
            FetchState("fetched", now, now, etag='"v1"', last_modified="Tue, 02 Jun 2020 10:00:00 GMT", bytes=10,
                       items={"a": "1", "b": "2"}, documents=2),
            kind="feed",
        )  # fmt: skip
        store.record_fetch(source.id, FetchState("failed", now, now, error="HTTP 500 Server Error"))
        state = sl.following.source(source.location)
        assert (state.kind, state.etag, state.errors, state.entries_seen, state.last_error) == (
            "feed", '"v1"', 1, 2, "HTTP 500 Server Error"
        )  # fmt: skip
        assert store.seen_items(source.id, ["a", "c"]) == {"a": "1"}
        # counters past 2**31 (a big feed over weeks), a key with a NUL byte (feeds carry anything)
        big = FetchState("fetched", now, now, etag='"v2"', bytes=3 * 2**31, items={"nul\x00key": "3"}, documents=1)
        store.record_fetch(source.id, big)
        assert sl.following.source(source.location).bytes == 3 * 2**31 + 10
        assert store.seen_items(source.id, ["nul\x00key"]) == {"nul\x00key": "3"}
        # a fetch that robots.txt forbade keeps the validators and the last success
        later = iso(datetime.now(UTC) + timedelta(minutes=15))
        store.record_fetch(source.id, FetchState("skipped", later, later, error="robots.txt does not allow it"))
        state = sl.following.source(source.location)
        assert (state.etag, state.last_success, state.last_fetch, state.errors) == ('"v2"', now, later, 0)
        # removed while a round was reading it: its state is dropped, nothing fails
        sl.following.remove_source(str(source.id))
        store.record_fetch(source.id, FetchState("fetched", now, now, items={"z": "9"}))
        assert sl.following.sources() == []


def test_rest_api_refuses_private_sources_and_serves_alerts_as_atom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket
    from xml.etree import ElementTree as ET

    from fastapi.testclient import TestClient

    from storyline.server.app import ServerConfig, create_app

    path = tmp_path / "api.db"
    with storyline.open(path) as sl:
        watch = sl.following.add_alert(entity=["Narendra Modi"], name="Modi")
        now = iso(datetime.now(UTC))
        payload = {
            "what": "planned -> held: meeting of Narendra Modi",
            "why": "followed",
            "happening": {"id": "C1", "link": "#/event/C1"},
            "after": [{"title": "Held", "evidence": "They met."}],
        }
        change = ("status:C1:planned->occurred", "status-change", "C1", payload)
        follow_tables(sl).save_alert_check(watch.id, {}, [], [change], now=now, webhook=False)
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example.org":  # a public address, without asking a resolver (offline)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    app = create_app(path, ServerConfig(token="t0ken-for-tests"))
    auth = {"Authorization": "Bearer t0ken-for-tests"}
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/api/sources", json={"url": "https://news.example.org/world.rss"}).status_code == 401
        for bad in ("http://127.0.0.1:8080/feed", "http://169.254.169.254/latest/meta-data", "file:///etc/passwd"):
            answer = client.post("/api/sources", json={"url": bad}, headers=auth)
            assert answer.status_code == 400, (bad, answer.text)
        added = client.post(
            "/api/sources", json={"url": "https://news.example.org/world.rss", "every": "30m"}, headers=auth
        )
        assert added.status_code == 201 and added.json()["every_seconds"] == 1800
        assert [s["location"] for s in client.get("/api/sources").json()["items"]] == [
            "https://news.example.org/world.rss"
        ]
        assert client.delete(f"/api/sources/{added.json()['id']}", headers=auth).status_code == 200
        assert client.delete(f"/api/sources/{added.json()['id']}", headers=auth).status_code == 404
        listed = client.get("/api/alerts").json()["items"]
        assert [a["kind"] for a in listed] == ["status-change"]
        feed = client.get("/api/alerts.atom")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(feed.content)
        atom = "{http://www.w3.org/2005/Atom}"
        entries = root.findall(f"{atom}entry")
        assert len(entries) == 1 and entries[0].findtext(f"{atom}title", "").startswith("planned -> held")
        assert entries[0].find(f"{atom}link").get("href", "").endswith("/#/event/C1")  # type: ignore[union-attr]
        assert client.get("/api/alert-watches").json()["items"][0]["label"] == "Modi"


def _placements(path: str) -> tuple[list[str], list[list[str]], int]:
    import sqlite3

    conn = sqlite3.connect(path)
    groups: dict[str, set[str]] = {}
    for doc, cluster in conn.execute(
        "SELECT d.id, dc.cluster_id FROM document_clusters dc JOIN documents d ON d.rowid = dc.doc_rowid"
    ):
        groups.setdefault(cluster, set()).add(doc)
    docs = sorted(r[0] for r in conn.execute("SELECT id FROM documents"))
    mentions = conn.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]
    conn.close()
    return docs, sorted(sorted(g) for g in groups.values()), mentions


def test_rounds_store_what_one_analyze_would(tmp_path: Path) -> None:
    files = sorted((CORPUS / "txt").iterdir())[:6]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with storyline.open(tmp_path / "watched.db") as sl:
        sl.following.add_source(str(inbox))
        for group in (files[:3], files[3:]):
            for f in group:
                shutil.copy(f, inbox / f.name)
            _round(sl)
    with storyline.open(tmp_path / "once.db") as sl:
        sl.analyze(*[str(inbox / f.name) for f in files])
    watched, once = _placements(str(tmp_path / "watched.db")), _placements(str(tmp_path / "once.db"))
    assert watched == once and len(watched[0]) == 6


def test_a_source_added_through_the_api_never_reaches_a_private_address(
    web: HTTPServer, sl: Storyline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a public name when added, the loopback when fetched: a watch that may fetch private
    # addresses for its command-line sources still refuses this one
    import socket

    feed = FeedServer(web)
    feed.set([_entry(1)])
    real = socket.getaddrinfo
    where = {"news.example.org": "93.184.216.34"}

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        if host in where:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (where[host], web.port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    source = sl.following.add_source(f"http://news.example.org:{web.port}/feed.xml", public_only=True)
    assert source.public_only
    where["news.example.org"] = "127.0.0.1"
    sl.following.add_source(feed.url)  # from the command line: the loopback is allowed (FAST)
    report = _round(sl)
    assert (report.fetched, report.failed) == (1, 1)
    assert "non-public address 127.0.0.1" in (sl.following.source(source.location).last_error or "")


def test_watch_runs_until_interrupted_and_sums_up(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Port traffic\n\n" + ARTICLE.format(city="Genoa", month="March"))
    os.utime(inbox / "a.txt", (time.time() - 60, time.time() - 60))  # written a minute ago: settled
    db = str(tmp_path / "run.db")
    with storyline.open(db) as sl:
        sl.following.add_source(str(inbox), every="1h")
    # Ctrl-C as a terminal gives it, even where these tests run as a shell's background job
    # (which starts with SIGINT ignored, and a child inherits that)
    run = (
        "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "sys.argv = ['storyline', *sys.argv[1:]]; runpy.run_module('storyline.cli', run_name='__main__')"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", run, "watch", "--db", db],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the first round's progress line
    assert "1 due, 1 fetched" in first and "documents: 1 new" in first
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "watched 1 round: 1 documents new, 0 alerts, 0 failed fetches" in err


def test_entries_without_an_id_or_twice_in_a_feed_are_read_once(web: HTTPServer, sl: Storyline) -> None:
    feed = FeedServer(web)
    twice = _entry(2)
    nameless = {"id": "", "title": "A note without a guid", "body": _entry(3)["body"]}
    feed.set([_entry(1), twice, twice, nameless])
    sl.following.add_source(feed.url)
    assert _round(sl).entries_new == 3
    feed.set([_entry(4), _entry(1), twice, twice, nameless])  # changed: one new entry on top
    assert _round(sl).entries_new == 1


def test_a_teaser_whose_page_fails_is_tried_again(web: HTTPServer, sl: Storyline) -> None:
    text = ARTICLE.format(city="Oslo", month="June")
    page = f"<html><body><article><h1>Cranes</h1><p>{text}</p></article></body></html>"
    answers = iter([Response("busy", status=503)])

    def story(request: Request) -> Response:
        return next(answers, Response(page, content_type="text/html"))

    web.expect_request("/story/2.html").respond_with_handler(story)
    feed = FeedServer(web)
    feed.set([{"id": "t2", "title": "Cranes", "body": "Ships wait less.", "link": web.url_for("/story/2.html")}])
    sl.following.add_source(feed.url)
    first = _round(sl)
    assert first.documents_new == 0 and any("tried again later" in e.reason for e in first.errors)
    second = _round(sl)  # the old validators: the feed is read again, and the entry with it
    assert second.documents_new == 1 and "Oslo" in sl.documents(limit=1)[0].text
    assert _round(sl).entries_new == 0
    # a page that is gone for good: the entry is read from the feed's own text, once
    web.expect_request("/story/3.html").respond_with_data("gone", status=404)
    gone = {"id": "t3", "title": "Quay works", "body": ARTICLE.format(city="Bergen", month="July"),
            "link": web.url_for("/story/3.html")}  # fmt: skip
    feed.set([gone, feed.entries[0]])
    third = _round(sl)
    assert third.documents_new == 1 and any("using the feed's text" in e.reason for e in third.errors)
    assert _round(sl).entries_new == 0


def test_alert_changes_are_told_of_the_happening_they_belong_to(sl: Storyline, monkeypatch: pytest.MonkeyPatch) -> None:
    # happenings set by hand: what the check sees, round by round
    from storyline.follow.alerts import check_watch
    from storyline.model.clusters import ClusterSource, EventCluster

    world: dict[str, EventCluster] = {}
    placements: dict[str, tuple[str | None, str | None]] = {}

    def happening(hid: str, status: str, *docs: tuple[str, str]) -> None:
        sources = [ClusterSource(d, f"ev-{d}", s, title=d, evidence=f"{d} says so") for d, s in docs]
        day = "2024-05-21"
        count = len({d for d, _ in docs})
        world[hid] = EventCluster(
            hid, "CONSULT", "meeting", "meeting", day, day, "day", status, label=f"meeting {hid}", sources=sources,
            documents=count,
        )  # fmt: skip
        for d, _ in docs:
            placements.setdefault(d, (hid, None))

    def clusters(which: Any = None, *, limit: int | None = 50, offset: int = 0) -> list[EventCluster]:
        wanted = getattr(which, "cluster_id", None)
        return [c for c in world.values() if wanted in (None, c.id)]

    monkeypatch.setattr(sl.store, "clusters", clusters)
    monkeypatch.setattr(sl.store, "document_placements", lambda ids: {d: placements[d] for d in ids if d in placements})
    now = datetime.now(UTC)
    happening("C1", "planned", ("announce", "planned"))
    watch = sl.following.add_alert(name="meetings")  # follows C1 from the start
    # a second happening sharing the announcement (one article reports two happenings): a new one,
    # not a status change of the first
    happening("C2", "occurred", ("announce", "referenced"), ("other", "occurred"))
    told = check_watch(sl, watch, now=now)
    assert [(a.kind, a.happening_id) for a in told] == [("new-happening", "C2")]
    # the report of C1, and then its denial: planned -> held, held -> denied, each once
    happening("C1", "occurred", ("announce", "planned"), ("report", "occurred"))
    assert [(a.kind, a.payload.get("change", {}).get("words")) for a in check_watch(sl, watch, now=now)] == [
        ("status-change", "planned -> held")
    ]
    happening("C1", "occurred", ("announce", "planned"), ("report", "occurred"), ("denial", "negated"))
    denied = check_watch(sl, watch, now=now)
    assert [(a.kind, a.payload["change"]["words"]) for a in denied] == [("status-change", "held -> denied")]
    assert [x["document_id"] for x in denied[0].payload["after"]] == ["denial"]
    # one more denial of a denied happening is a new article, not "called off -> called off"
    happening("C3", "negated", ("gone", "negated"))
    check_watch(sl, watch, now=now)  # C3 is new
    happening("C3", "negated", ("gone", "negated"), ("gone-too", "negated"))
    assert [a.kind for a in check_watch(sl, watch, now=now)] == ["new-article"]
    # C1 merged into C4: followed on there, its new article told as such
    del world["C1"]
    for d in ("announce", "report", "denial"):
        placements[d] = ("C4", None)
    happening(
        "C4", "occurred", ("announce", "planned"), ("report", "occurred"), ("denial", "negated"), ("late", "occurred")
    )
    assert [(a.kind, a.happening_id) for a in check_watch(sl, watch, now=now)] == [("new-article", "C4")]
    assert check_watch(sl, watch, now=now) == []


def test_a_store_of_every_earlier_follow_schema_opens(tmp_path: Path) -> None:
    # made before 0016 (0015 already holding public_only), and made with 0016 adding it
    import sqlite3

    path = tmp_path / "old.db"
    with storyline.open(path) as sl:
        sl.following.add_source(str(tmp_path))
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM migrations WHERE name = '0016_follow_counters'")
    conn.commit()
    conn.close()
    with storyline.open(path) as sl:
        assert [s.location for s in sl.following.sources()] == [str(tmp_path)]
        assert "0016_follow_counters" in sl.store.migrations()
