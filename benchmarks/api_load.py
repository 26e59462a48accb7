"""Load on the REST API: requests per second, p50/p95/p99 latency and errors of the read
endpoints under concurrent clients, first alone, then with authenticated ingests going on beside
them, against ``storyline serve`` on the sample store. Loopback only, bounded in time.

The store is the bundled sample corpus analysed (built once into ``benchmarks/out/api-sample.db``
by ``storyline analyze``, then reused; ``--rebuild`` builds it again); each run serves a copy, so
the ingests never touch it. The server is started here, on 127.0.0.1 and a free port, with a fresh
API token; ``--concurrency`` client threads, each on its own keep-alive connection, send requests
drawn at random from every read endpoint with parameters drawn from the store (documents,
entities, happenings, storylines, search words). A request is an error when it fails, answers
anything but 200, or answers something that is not a JSON object. Ingests (``--ingesters``
threads, each posting one new document at a time with the token) must answer 200 and store their
document; afterwards each stored document must be readable.

    python benchmarks/api_load.py                          # 60 s of reads, then 60 s with ingests
    python benchmarks/api_load.py --seconds 10 --ingest-seconds 0 --concurrency 4

Prints a table per phase and writes ``benchmarks/out/api-load.json``. Also reported: the CPU
seconds the server used per request (steadier across machines than requests per second) and the
CPU the client itself took from the machine's cores. Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
OUT = ROOT / "benchmarks" / "out"
HOST = "127.0.0.1"  # loopback only: the script never sends a request anywhere else
MAX_SECONDS = 600


@dataclass(slots=True)
class Sample:
    """What the requests are drawn from."""

    documents: list[str]
    entities: list[str]
    names: list[str]
    clusters: list[str]
    storylines: list[str]
    words: list[str]


def sample(db: Path) -> Sample:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:

        def column(sql: str) -> list[str]:
            return [str(r[0]) for r in conn.execute(sql)]

        titles = column("SELECT title FROM documents WHERE title IS NOT NULL")
        words = sorted(
            {w.strip(".,:;'\"()").lower() for t in titles for w in t.split()}
            - {"the", "a", "an", "of", "in", "to", "and", "for", "on", "at", "with"}
        )
        return Sample(
            documents=column("SELECT id FROM documents"),
            entities=column("SELECT id FROM entities ORDER BY documents DESC LIMIT 40"),
            names=column(
                "SELECT canonical FROM entities WHERE kind IN ('PERSON', 'GPE') ORDER BY documents DESC LIMIT 20"
            ),
            clusters=column("SELECT id FROM clusters"),
            storylines=column("SELECT id FROM storylines"),
            words=[w for w in words if len(w) > 3 and w.isalpha()],
        )
    finally:
        conn.close()


def read_mix(s: Sample) -> dict[str, Callable[[random.Random], str]]:
    """Endpoint name -> a maker of one request path (parameters drawn at random)."""
    q = quote
    return {
        "documents": lambda r: f"/api/documents?limit=20&offset={r.randrange(0, 40)}",
        "documents?entity": lambda r: f"/api/documents?limit=20&entity={q(r.choice(s.names))}",
        "document": lambda r: f"/api/documents/{r.choice(s.documents)}",
        "search": lambda r: f"/api/search?q={q(r.choice(s.words))}&limit=20",
        "entities": lambda r: f"/api/entities?limit=50&offset={r.choice((0, 0, 50))}",
        "entity": lambda r: f"/api/entities/{q(r.choice(s.entities))}",
        "events": lambda r: f"/api/events?limit=50&entity={q(r.choice(s.names))}",
        "clusters": lambda r: (
            "/api/clusters?limit=50" + r.choice(("", "&from=2018", f"&entity={q(r.choice(s.names))}"))
        ),
        "cluster": lambda r: f"/api/clusters/{r.choice(s.clusters)}",
        "storylines": lambda r: "/api/storylines?limit=50",
        "storyline": lambda r: f"/api/storylines/{r.choice(s.storylines)}",
        "timeline": lambda r: "/api/timeline" + r.choice(("", f"?entity={q(r.choice(s.names))}", "?from=2018&to=2019")),
        "graph": lambda r: "/api/graph" + r.choice(("", f"?entity={q(r.choice(s.names))}")),
        "map": lambda r: "/api/map" + r.choice(("", "?from=2018&to=2019")),
        "stats": lambda r: "/api/stats",
    }


@dataclass(slots=True)
class Record:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


class Client:
    """One keep-alive connection to the server."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            raise

    def close(self) -> None:
        self.conn.close()


def _problem(status: int, body: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
    try:
        data = json.loads(body)
    except ValueError:
        return "not JSON"
    return None if isinstance(data, dict) else "not a JSON object"


def reader(port: int, mix: dict[str, Callable[[random.Random], str]], until: float, seed: int, out: Record) -> None:
    rng = random.Random(seed)
    client = Client(port, timeout=60.0)
    names = list(mix)
    try:
        while time.monotonic() < until:
            name = rng.choice(names)
            path = mix[name](rng)
            started = time.perf_counter()
            try:
                status, body = client.request("GET", path)
            except (OSError, http.client.HTTPException) as exc:
                out.errors[name].append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            problem = _problem(status, body)
            if problem:
                out.errors[name].append(f"{path}: {problem}")
            else:
                out.latencies[name].append(elapsed)
    finally:
        client.close()


@dataclass(slots=True)
class Ingests:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)


_STORY = (
    "Prime Minister Narendra Modi met President Vladimir Putin in {city} on Tuesday for talks on trade, energy "
    "and defence, officials said. The two leaders discussed the supply of fuel for the Kudankulam reactors and "
    "a new shipping corridor. Report number {n} of the load test, filed {stamp}."
)
_CITIES = ("Sochi", "New Delhi", "Vladivostok", "Moscow", "Goa", "St Petersburg")


def ingester(port: int, token: str, until: float, number: int, pause: float, out: Ingests) -> None:
    rng = random.Random(1000 + number)
    client = Client(port, timeout=600.0)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    n = 0
    try:
        while time.monotonic() < until:
            n += 1
            text = _STORY.format(city=rng.choice(_CITIES), n=f"{number}-{n}", stamp=secrets.token_hex(8))
            body = json.dumps(
                {"documents": [{"title": f"Load test report {number}-{n}", "text": text, "published": "2019-09-04"}]}
            ).encode()
            started = time.perf_counter()
            try:
                status, answer = client.request("POST", "/api/ingest", body, headers)
            except (OSError, http.client.HTTPException) as exc:
                out.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            out.latencies.append(time.perf_counter() - started)
            problem = _problem(status, answer)
            if problem:
                out.errors.append(problem)
                continue
            report = json.loads(answer)
            if report.get("stored") != 1 or report.get("failed"):
                out.errors.append(f"ingest stored {report.get('stored')}, failed {report.get('failed')}")
            out.stored.extend(report.get("stored_ids", []))
            time.sleep(pause)
    finally:
        client.close()


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def phase(
    name: str, port: int, mix: dict[str, Callable[[random.Random], str]], seconds: float, concurrency: int,
    server_pid: int, *, token: str | None = None, ingesters: int = 0, pause: float = 1.0, seed: int = 0,
) -> dict[str, Any]:  # fmt: skip
    """Hammer the read endpoints for ``seconds`` from ``concurrency`` threads (and ingest beside
    them); the figures of the phase."""
    records = [Record() for _ in range(concurrency)]
    ingests = [Ingests() for _ in range(ingesters)]
    until = time.monotonic() + seconds
    readers = [
        threading.Thread(target=reader, args=(port, mix, until, seed * 1000 + i, records[i]))
        for i in range(concurrency)
    ]
    writers = [
        threading.Thread(target=ingester, args=(port, token, until, i + 1, pause, ingests[i])) for i in range(ingesters)
    ]
    cpu_server, cpu_client, started = _cpu_seconds(server_pid), time.process_time(), time.monotonic()
    for t in readers + writers:
        t.start()
    for t in readers:
        t.join()
    # the reads' figures end with the reads; an ingest under way is waited for after
    elapsed = time.monotonic() - started
    cpu_server, cpu_client = _cpu_seconds(server_pid) - cpu_server, time.process_time() - cpu_client
    for t in writers:
        t.join()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    for r in records:
        for k, v in r.latencies.items():
            latencies[k] += v
        for k, e in r.errors.items():
            errors[k] += e
    rows = {}
    for endpoint in mix:
        ok = latencies.get(endpoint, [])
        rows[endpoint] = {
            "requests": len(ok) + len(errors.get(endpoint, [])),
            "per_second": round((len(ok) + len(errors.get(endpoint, []))) / elapsed, 1),
            "p50_ms": round(percentile(ok, 50) * 1000, 2),
            "p95_ms": round(percentile(ok, 95) * 1000, 2),
            "p99_ms": round(percentile(ok, 99) * 1000, 2),
            "errors": len(errors.get(endpoint, [])),
        }
    every = [x for v in latencies.values() for x in v]
    total = len(every) + sum(len(e) for e in errors.values())
    result: dict[str, Any] = {
        "phase": name,
        "seconds": round(elapsed, 1),
        "concurrency": concurrency,
        "requests": total,
        "per_second": round(total / elapsed, 1),
        "p50_ms": round(percentile(every, 50) * 1000, 2),
        "p95_ms": round(percentile(every, 95) * 1000, 2),
        "p99_ms": round(percentile(every, 99) * 1000, 2),
        "errors": sum(len(e) for e in errors.values()),
        "error_samples": [e for v in errors.values() for e in v][:10],
        "server_cpu_ms_per_request": round(1000 * cpu_server / max(1, total), 3),
        "server_cpu_share": round(cpu_server / elapsed, 2),
        "client_cpu_share": round(cpu_client / elapsed, 2),
        "endpoints": rows,
    }
    if ingesters:
        took = [x for i in ingests for x in i.latencies]
        result["ingests"] = {
            "threads": ingesters,
            "requests": len(took),
            "stored": sum(len(i.stored) for i in ingests),
            "p50_s": round(percentile(took, 50), 2),
            "max_s": round(max(took, default=float("nan")), 2),
            "errors": sum(len(i.errors) for i in ingests),
            "error_samples": [e for i in ingests for e in i.errors][:10],
            "stored_ids": [d for i in ingests for d in i.stored],
        }
    return result


def show(result: dict[str, Any]) -> None:
    print(
        f"\n{result['phase']}: {result['requests']} requests in {result['seconds']} s from {result['concurrency']} "
        f"clients = {result['per_second']} requests/s; p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"p99 {result['p99_ms']} ms; {result['errors']} errors; server CPU {result['server_cpu_ms_per_request']} ms "
        f"per request ({result['server_cpu_share']} cores), client {result['client_cpu_share']} cores"
    )
    print(f"  {'endpoint':<18}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for endpoint, row in result["endpoints"].items():
        print(
            f"  {endpoint:<18}{row['requests']:>9}{row['per_second']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['errors']:>8}"
        )
    for sample_error in result["error_samples"]:
        print(f"  error: {sample_error}")
    if "ingests" in result:
        i = result["ingests"]
        print(
            f"  ingests: {i['requests']} from {i['threads']} threads, {i['stored']} documents stored, "
            f"p50 {i['p50_s']} s, slowest {i['max_s']} s, {i['errors']} errors"
        )
        for sample_error in i["error_samples"]:
            print(f"  ingest error: {sample_error}")


def storyline_command() -> list[str]:
    script = Path(sys.executable).with_name("storyline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "storyline.cli"]


def build(db: Path) -> None:
    """The sample corpus analysed into ``db``."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        fresh = Path(tmp) / db.name
        print(f"building {db}: storyline analyze {CORPUS}", flush=True)
        subprocess.run([*storyline_command(), "analyze", str(CORPUS), "--db", str(fresh), "--quiet"], check=True)
        with sqlite3.connect(fresh) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.move(fresh, db)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/stats")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the reads-only phase (default 60)")
    parser.add_argument(
        "--ingest-seconds",
        type=float,
        default=None,
        help="length of the phase with ingests (default: --seconds; 0: none)",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="client threads reading (default 8)")
    parser.add_argument("--ingesters", type=int, default=2, help="threads ingesting in the second phase (default 2)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds each ingester waits between ingests")
    parser.add_argument(
        "--db", type=Path, default=OUT / "api-sample.db", help="the analysed sample store (built if absent)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the sample store again")
    parser.add_argument("--out", type=Path, default=OUT / "api-load.json")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    ingest_seconds = args.seconds if args.ingest_seconds is None else args.ingest_seconds
    if not (0 < args.seconds <= MAX_SECONDS and 0 <= ingest_seconds <= MAX_SECONDS):
        parser.error(f"phases last more than 0 and at most {MAX_SECONDS} seconds")
    if not 1 <= args.concurrency <= 256 or not 0 <= args.ingesters <= 16:
        parser.error("--concurrency is 1 to 256, --ingesters 0 to 16")
    if args.rebuild or not args.db.exists():
        build(args.db)
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "phases": []}
    failed = False
    with tempfile.TemporaryDirectory(prefix="storyline-api-load-") as tmp:
        db = Path(tmp) / "served.db"
        shutil.copy(args.db, db)
        s = sample(db)
        mix = read_mix(s)
        token = secrets.token_urlsafe(24)
        port = free_port()
        env = {**os.environ, "STORYLINE_API_TOKEN": token}
        log = Path(tmp) / "server.log"
        with log.open("wb") as err:
            server = subprocess.Popen(
                [*storyline_command(), "serve", "--db", str(db), "--host", HOST, "--port", str(port)],
                stdout=subprocess.DEVNULL, stderr=err, env=env,
            )  # fmt: skip
        try:
            wait_ready(port, server)
            print(
                f"serving {len(s.documents)} documents, {len(s.clusters)} happenings, {len(s.storylines)} storylines "
                f"at http://{HOST}:{port}/ (pid {server.pid}); {len(mix)} read endpoints",
                flush=True,
            )
            phase("warm-up", port, mix, 3.0, 2, server.pid, seed=args.seed)
            reads = phase("reads", port, mix, args.seconds, args.concurrency, server.pid, seed=args.seed + 1)
            show(reads)
            result["phases"].append(reads)
            failed |= reads["errors"] > 0
            if ingest_seconds and args.ingesters:
                mixed = phase(
                    "reads with ingests", port, mix, ingest_seconds, args.concurrency, server.pid, token=token,
                    ingesters=args.ingesters, pause=args.pause, seed=args.seed + 2,
                )  # fmt: skip
                # every document an ingest stored is there to read
                client = Client(port, timeout=60.0)
                unreadable = [
                    d for d in mixed["ingests"]["stored_ids"] if client.request("GET", f"/api/documents/{d}")[0] != 200
                ]
                client.close()
                mixed["ingests"]["unreadable"] = len(unreadable)
                show(mixed)
                print(f"  stored by ingests and not readable after: {len(unreadable)}")
                result["phases"].append(mixed)
                failed |= mixed["errors"] > 0 or mixed["ingests"]["errors"] > 0 or bool(unreadable)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            tail = log.read_text(errors="replace")[-3000:]
            if failed and tail:
                print(f"server log (end):\n{tail}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
