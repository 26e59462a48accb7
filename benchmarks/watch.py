"""Following sources: ``storyline watch`` over generated feeds served on the loopback.

Three measurements (``make bench`` runs all three; each can run alone):

* ``rounds``: 50 feeds, each on a host of its own (127.0.0.2 to 127.0.0.51, one server each),
  100 rounds with entries arriving at random between them: announcements of meetings between two
  leaders, the reports of those meetings some rounds later, and other news. Counts entries lost
  or stored twice, and checks the alerts of a watch on meetings: each alert given once, and every
  article of every happening the watch picks named by some alert about it (none missed). Then
  rounds with nothing new: their time and the bytes they move against a full fetch of every feed.
  The fetcher keeps its politeness defaults (one request at a time per host, 1 s apart).
* ``memory``: 1,000 rounds with nothing new; the process's resident memory after round 100 and
  after round 1,000.
* ``kill``: the same feeds advanced in epochs, each epoch read by ``storyline watch --once --all``
  as a user's cron would run it (a cold process): once without interruption, and once with each
  epoch's process killed (SIGKILL) at a random moment within the time that epoch's uninterrupted
  run took, then run again (26 kills; a kill that comes after its run ended does not land). The
  two stores must hold the same documents, the same happenings (as sets of documents) and the same
  alerts.

Usage: python benchmarks/watch.py [rounds|memory|kill|all] [--json OUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

LEADERS = [
    ("Prime Minister", "Narendra Modi", "India"),
    ("President", "Vladimir Putin", "Russia"),
    ("Chancellor", "Olaf Scholz", "Germany"),
    ("President", "Emmanuel Macron", "France"),
    ("Prime Minister", "Fumio Kishida", "Japan"),
    ("President", "Joe Biden", "the United States"),
    ("President", "Xi Jinping", "China"),
    ("Prime Minister", "Anthony Albanese", "Australia"),
    ("President", "Luiz Inacio Lula da Silva", "Brazil"),
    ("President", "Cyril Ramaphosa", "South Africa"),
    ("Prime Minister", "Justin Trudeau", "Canada"),
    ("President", "Recep Tayyip Erdogan", "Turkey"),
]
CITIES = ["Geneva", "Vienna", "Helsinki", "Singapore", "Nairobi", "Lisbon", "Oslo", "Jakarta", "Santiago", "Doha"]
PORTS = ["Rotterdam", "Gdansk", "Valencia", "Piraeus", "Genoa", "Antwerp", "Hamburg", "Marseille"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


class World:
    """The news of the run: stories (an announcement, then a report) and other items, released
    into the feeds round by round, always the same for one seed."""

    def __init__(self, feeds: int, rounds: int, seed: int) -> None:
        rng = random.Random(seed)
        self.feeds = feeds
        self.schedule: dict[int, list[tuple[int, dict[str, str]]]] = {r: [] for r in range(rounds)}
        start = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
        n = 0
        for story in range(rounds // 3):
            a, b = rng.sample(range(len(LEADERS)), 2)
            city = rng.choice(CITIES)
            day = start + timedelta(days=7 * story + 3)
            announce_round = rng.randrange(0, max(1, rounds - 6))
            report_round = announce_round + rng.randrange(2, 6)
            for kind, r in (("announce", announce_round), ("report", report_round)):
                n += 1
                published = day - timedelta(days=4) if kind == "announce" else day
                self.schedule[r].append((rng.randrange(feeds), self._story(n, kind, a, b, city, day, published)))
        for r in range(rounds):
            for _ in range(rng.randrange(0, 3)):
                n += 1
                self.schedule[r].append((rng.randrange(feeds), self._other(n, rng, start + timedelta(hours=6 * r))))
        self.released: list[list[dict[str, str]]] = [[] for _ in range(feeds)]
        self.lock = threading.Lock()
        self.version = [0] * feeds

    @staticmethod
    def _story(n: int, kind: str, a: int, b: int, city: str, day: datetime, published: datetime) -> dict[str, str]:
        ta, na, ca = LEADERS[a]
        tb, nb, cb = LEADERS[b]
        date_words = f"{MONTHS[day.month - 1]} {day.day}"
        if kind == "announce":
            title = f"{na} to meet {nb} in {city} on {date_words}"
            body = (
                f"{ta} {na} will travel to {city} to meet {tb} {nb} on {date_words}, officials in both "
                f"capitals said on Thursday. The two leaders are expected to discuss trade, energy and "
                f"regional security during the talks, the foreign ministry of {ca} said in a statement. "
                f"Diplomats said the meeting in {city} would be the first between {na} and {nb} this year, "
                f"and that aides were still preparing the agenda. Officials from {cb} said they hoped the "
                f"visit would open the way to new agreements on investment later in the year."
            )
        else:
            title = f"{na} and {nb} hold talks in {city}"
            body = (
                f"{ta} {na} and {tb} {nb} met in {city} on {date_words} and held talks that officials "
                f"described as frank and useful. The two leaders discussed trade, energy and regional "
                f"security for three hours, according to a statement released after the meeting. {na} "
                f"told reporters in {city} that the talks with {nb} had brought the positions of {ca} and "
                f"{cb} closer, and both sides said their ministers would meet again within months."
            )
        return {"id": f"story-{n}", "title": title, "body": body, "date": format_datetime(published, usegmt=True)}

    @staticmethod
    def _other(n: int, rng: random.Random, when: datetime) -> dict[str, str]:
        port = rng.choice(PORTS)
        rise = rng.randrange(2, 19)
        body = (
            f"The port authority of {port} said cargo traffic rose {rise} per cent in the latest month, "
            f"as new cranes at the container terminal cut the time ships wait at anchor (report {n}). "
            f"Officials said the terminal handled more boxes than in any month before, and the operator "
            f"plans to hire more dock workers before the end of the year. Shipping lines welcomed the "
            f"change, saying faster turnaround lets them keep their schedules across the region."
        )
        return {
            "id": f"other-{n}",
            "title": f"Cargo traffic at {port} rises {rise} per cent ({n})",
            "body": body,
            "date": format_datetime(when, usegmt=True),
        }

    def release(self, r: int) -> int:
        """Put round ``r``'s items in their feeds (newest first, 30 kept). How many."""
        with self.lock:
            for feed, item in self.schedule.get(r, []):
                self.released[feed].insert(0, item)
                del self.released[feed][30:]
                self.version[feed] += 1
            return len(self.schedule.get(r, []))

    def all_items(self, upto: int) -> list[dict[str, str]]:
        return [item for r in range(upto) for _, item in self.schedule.get(r, [])]

    def feed(self, k: int) -> tuple[bytes, str, str]:
        with self.lock:
            items = list(self.released[k])
            version = self.version[k]
        body = "".join(
            f"<item><guid isPermaLink='false'>{i['id']}</guid><title>{i['title']}</title>"
            f"<pubDate>{i['date']}</pubDate><description>{i['body']}</description></item>"
            for i in items
        )
        data = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire {k}</title>'
            f"<link>http://127.0.0.{k + 2}/</link><description>Generated news</description>{body}</channel></rss>"
        ).encode()
        etag = '"' + hashlib.sha1(data).hexdigest()[:20] + '"'
        modified = format_datetime(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=version), usegmt=True)
        return data, etag, modified


def serve(world: World, port: int) -> list[ThreadingHTTPServer]:
    """One server per feed, each on its own loopback address: 50 hosts."""

    def handler_for(k: int) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/feed.xml":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data, etag, modified = world.feed(k)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    servers = []
    for k in range(world.feeds):
        server = ThreadingHTTPServer((f"127.0.0.{k + 2}", port), handler_for(k))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        return int(s.getsockname()[1])


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def add_sources(db: Path, world: World, port: int) -> None:
    import storyline

    with storyline.open(db) as sl:
        for k in range(world.feeds):
            sl.following.add_source(f"http://127.0.0.{k + 2}:{port}/feed.xml", name=f"Wire {k}", every="15m")
        sl.following.add_alert(kind="CONSULT", name="meetings")


def check_store(db: Path, items: list[dict[str, str]], delivered: Counter[int]) -> dict[str, Any]:
    """Entries lost or stored twice, and alerts missed or repeated, from the store itself."""
    import storyline
    from storyline.follow.alerts import check_spec

    with storyline.open(db) as sl:
        conn = sqlite3.connect(db)
        seen = Counter(r[0].rsplit("#", 1)[-1] for r in conn.execute("SELECT origin FROM sightings"))
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        conn.close()
        ids = [i["id"] for i in items]
        lost = [i for i in ids if seen[i] == 0]
        twice = [i for i in ids if seen[i] > 1]
        watch = sl.following.alert_watches()[0]
        alerts = sl.following.store.alerts(limit=None, watch_id=watch.id)
        which = check_spec(sl, watch.spec)
        happenings = sl.store.clusters(which, limit=None) if which is not None else []
        told: dict[str, set[str]] = {}
        pairs: Counter[tuple[str, str]] = Counter()
        for a in alerts:
            named = [x["document_id"] for k in ("articles", "after") for x in a.payload.get(k) or []]
            if a.payload.get("article"):
                named.append(a.payload["article"]["document_id"])
            for d in named:
                told.setdefault(d, set()).add(a.kind)
                if a.kind != "status-change":
                    pairs[(a.happening_id or "", d)] += 1
        placed_docs = {s.document_id for h in happenings for s in h.sources}
        missed = sorted(d for d in placed_docs if d not in told)
        repeated_delivery = [i for i, n in delivered.items() if n > 1]
        undelivered = [a.id for a in alerts if delivered[a.id] == 0]
        repeated_news = [p for p, n in pairs.items() if n > 1]
        statuses = Counter(a.payload.get("change", {}).get("words") for a in alerts if a.kind == "status-change")
    return {
        "entries_published": len(ids),
        "documents": documents,
        "entries_lost": len(lost),
        "entries_stored_twice": len(twice),
        "alerts": len(alerts),
        "alerts_by_kind": dict(Counter(a.kind for a in alerts)),
        "status_changes": dict(statuses),
        "happenings_watched": len(happenings),
        "articles_in_them": len(placed_docs),
        "articles_no_alert_named": len(missed),
        "alerts_delivered_twice": len(repeated_delivery),
        "alerts_not_delivered": len(undelivered),
        "articles_told_new_twice": len(repeated_news),
    }


def rounds_part(args: argparse.Namespace) -> dict[str, Any]:
    import storyline
    from storyline.follow import WatchConfig

    work = Path(tempfile.mkdtemp(prefix="watch-bench-"))
    db = work / "watch.db"
    world = World(args.feeds, args.rounds, args.seed)
    port = free_port()
    servers = serve(world, port)
    add_sources(db, world, port)
    config = WatchConfig(allow_private=True, workers=1)  # the fetcher's politeness defaults
    delivered: Counter[int] = Counter()
    per_round = []
    started = time.perf_counter()
    with storyline.open(db) as sl:
        watcher = sl.following.watcher(config)

        def deliver(alerts: list[Any]) -> None:
            for a in alerts:
                delivered[a.id] += 1

        for r in range(args.rounds):
            released = world.release(r)
            t = time.perf_counter()
            report = watcher.round(deliver=deliver, every_source=True)
            per_round.append(
                {"round": r, "released": released, "new": report.documents_new, "seconds": time.perf_counter() - t,
                 "failed": report.failed, "alerts": len(report.alerts)}
            )  # fmt: skip
            if r % 10 == 9:
                print(f"  round {r + 1}: {report.line()}", file=sys.stderr)
        total = time.perf_counter() - started
        # nothing new: conditional requests against a full fetch of every feed
        full = sum(len(world.feed(k)[0]) for k in range(world.feeds))
        quiet = []
        for _ in range(5):
            # rounds come minutes apart in use; here at least the per-host pause after the last
            # request, which a round started at once would wait out (it measures the pause, not work)
            time.sleep(config.host_delay)
            t = time.perf_counter()
            report = watcher.round(deliver=deliver, every_source=True)
            quiet.append((time.perf_counter() - t, report.bytes, report.requests, report.unchanged))
    cold = whole_command(db)
    stop(servers)
    checked = check_store(db, world.all_items(args.rounds), delivered)
    quiet_seconds = sorted(q[0] for q in quiet)
    return {
        "feeds": args.feeds,
        "rounds": args.rounds,
        "seconds": round(total, 1),
        "round_seconds_max": round(max(p["seconds"] for p in per_round), 2),
        **checked,
        "unchanged_round_seconds_median": round(quiet_seconds[len(quiet_seconds) // 2], 3),
        "unchanged_round_seconds_max": round(quiet_seconds[-1], 3),
        "unchanged_round_bytes": quiet[-1][1],
        "unchanged_round_requests": quiet[-1][2],
        "unchanged_sources": quiet[-1][3],
        "full_fetch_bytes": full,
        "unchanged_bytes_share": round(quiet[-1][1] / full, 4),
        "whole_command_unchanged_seconds": cold,
        "store": str(db),
    }


def whole_command(db: Path) -> float:
    """`storyline watch --once --all` as a user (or cron) runs it, nothing new: a cold process."""
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "storyline.cli", "watch", "--once", "--all", "--allow-private", "--quiet",
         "--db", str(db)],
        check=True, capture_output=True,
    )  # fmt: skip
    return round(time.perf_counter() - t, 2)


def stop(servers: list[ThreadingHTTPServer]) -> None:
    for server in servers:
        server.shutdown()
        server.server_close()


def memory_part(args: argparse.Namespace) -> dict[str, Any]:
    import storyline
    from storyline.follow import WatchConfig

    work = Path(tempfile.mkdtemp(prefix="watch-memory-"))
    db = work / "watch.db"
    world = World(args.feeds, 10, args.seed)
    for r in range(10):
        world.release(r)
    port = free_port()
    servers = serve(world, port)
    add_sources(db, world, port)
    samples: dict[int, float] = {}
    with storyline.open(db) as sl:
        # no pause between requests: a thousand rounds back to back (memory does not depend on it)
        watcher = sl.following.watcher(WatchConfig(allow_private=True, workers=1, host_delay=0.0))
        watcher.round(every_source=True)  # reads everything once: the models are loaded here
        t = time.perf_counter()
        for r in range(1, args.memory_rounds + 1):
            report = watcher.round(every_source=True)
            assert report.documents_new == 0 and report.unchanged == args.feeds, report.line()
            if r in (10, 100, 500, args.memory_rounds):
                samples[r] = round(rss_mb(), 1)
                print(f"  round {r}: {samples[r]} MB", file=sys.stderr)
        seconds = time.perf_counter() - t
    stop(servers)
    first, last = samples[100], samples[args.memory_rounds]
    return {
        "rounds": args.memory_rounds,
        "rss_mb": samples,
        "growth_100_to_last": round((last - first) / first, 4),
        "seconds_per_round": round(seconds / args.memory_rounds, 3),
    }


def snapshot(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    docs = sorted(r[0] for r in conn.execute("SELECT id FROM documents"))
    groups: dict[str, set[str]] = {}
    for doc, cluster in conn.execute(
        "SELECT d.id, dc.cluster_id FROM document_clusters dc JOIN documents d ON d.rowid = dc.doc_rowid"
    ):
        groups.setdefault(cluster, set()).add(doc)
    happenings = sorted(sorted(g) for g in groups.values())
    alerts = sorted(r[0] for r in conn.execute("SELECT change_key FROM alerts"))
    items = conn.execute("SELECT count(*) FROM source_items").fetchone()[0]
    conn.close()
    return {"documents": docs, "happenings": happenings, "alerts": alerts, "items": items}


def kill_part(args: argparse.Namespace) -> dict[str, Any]:
    epochs = args.epochs
    rng = random.Random(args.seed + 1)
    work = Path(tempfile.mkdtemp(prefix="watch-kill-"))
    line = [sys.executable, "-m", "storyline.cli", "watch", "--once", "--all", "--allow-private", "--quiet"]

    def run(db: Path, kills: dict[int, list[float]]) -> tuple[dict[str, Any], list[dict[str, Any]], list[float]]:
        """Each epoch: release its news, then `watch --once --all`, first killed after each of
        the epoch's delays (when still running), then run to the end."""
        world = World(args.feeds, epochs, args.seed)
        port = free_port()
        servers = serve(world, port)
        add_sources(db, world, port)
        log, durations = [], []
        try:
            for epoch in range(epochs):
                world.release(epoch)
                for delay in kills.get(epoch, []):
                    proc = subprocess.Popen(
                        [*line, "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                    )
                    try:
                        proc.wait(timeout=delay)
                        killed = False
                    except subprocess.TimeoutExpired:
                        os.kill(proc.pid, signal.SIGKILL)
                        proc.wait()
                        killed = True
                    log.append({"epoch": epoch, "after": round(delay, 2), "killed": killed})
                t = time.perf_counter()
                subprocess.run([*line, "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
                durations.append(time.perf_counter() - t)
        finally:
            stop(servers)
        return snapshot(db), log, durations

    t = time.perf_counter()
    reference, _, durations = run(work / "reference.db", {})
    reference_seconds = time.perf_counter() - t
    # each kill falls inside the run it interrupts: between a tenth and nine tenths of the time the
    # uninterrupted run of that epoch took (start-up and model loads included)
    kills: dict[int, list[float]] = {}
    for n in range(args.kills):
        epoch = n % epochs
        kills.setdefault(epoch, []).append(rng.uniform(0.1, 0.9) * durations[epoch])
    killed, log, _ = run(work / "killed.db", kills)
    same = {k: killed[k] == reference[k] for k in ("documents", "happenings", "alerts")}
    return {
        "epochs": epochs,
        "kills": len(log),
        "killed_mid_run": sum(1 for entry in log if entry["killed"]),
        "reference_seconds": round(reference_seconds, 1),
        "documents": len(reference["documents"]),
        "happenings": len(reference["happenings"]),
        "alerts": len(reference["alerts"]),
        "same": same,
        "differences": {
            k: {"reference": len(reference[k]), "killed": len(killed[k])} for k, ok in same.items() if not ok
        },
        "log": log,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", nargs="?", default="all", choices=["rounds", "memory", "kill", "all"])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--memory-rounds", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--kills", type=int, default=26)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=OUT / "watch.json")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    if args.part in ("rounds", "all"):
        results["rounds"] = rounds_part(args)
        print(json.dumps(results["rounds"], indent=1))
    if args.part in ("memory", "all"):
        results["memory"] = memory_part(args)
        print(json.dumps(results["memory"], indent=1))
    if args.part in ("kill", "all"):
        results["kill"] = kill_part(args)
        print(json.dumps({k: v for k, v in results["kill"].items() if k != "log"}, indent=1))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
