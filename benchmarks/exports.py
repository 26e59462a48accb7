"""The entity graph and the table exports on a large store.

Generated documents (100,000 by default) are annotated into a new store through the store's own
``add_annotations``, so the graph's counts are kept as they are in real use. Each document reports
a few events of one to three actors drawn from thousands of entities with a Zipf-like law (a few
hubs in many events, many entities in few), as news has. Then, in the same process:

- ``entity_graph()`` (the 100 heaviest actors and the links among them), around a hub and around a
  rare entity, each timed as the best of five runs, against the same graph computed by joining
  ``event_actors`` with itself at query time (the baseline the kept counts replace);
- each table export (entities, events; documents with ``--documents``) and the GDELT-style table,
  once each, to files in a temporary folder.

    python benchmarks/exports.py              # 100,000 documents
    python benchmarks/exports.py --n 5000 --json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

import storyline
from generated import store_documents  # benchmarks/generated.py
from storyline.model import DateSource, Document, Granularity, PublishedDate
from storyline.model.annotations import (
    Annotations,
    EntityMention,
    Event,
    EventActor,
    EventMention,
    EventStatus,
    EventTime,
)
from storyline.store.sqlite.store import SQLiteStore

KINDS = (("CONSULT", "meeting", "040"), ("AGREE", "agreement", "030"), ("ASSAULT", "attack", "190"))


def annotations(i: int, rng: np.random.Generator, cdf: np.ndarray, n_events: int) -> tuple[str, Annotations]:
    """A document's text and annotations: ``n_events`` events, each of one to three actors drawn
    from the cumulative distribution ``cdf`` over entities."""
    parts: list[str] = []
    mentions: list[EntityMention] = []
    events: list[Event] = []
    day = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 3650)))
    start = 0
    for k in range(n_events):
        drawn = np.searchsorted(cdf, rng.random(int(rng.integers(1, 4))))
        names = [f"Person{a:05d}" for a in sorted({int(a) for a in drawn})]
        actors = []
        pos = start
        for name in names:
            mentions.append(EntityMention(pos, pos + len(name), name, "PERSON", "P" + name[6:], name))
            actors.append(EventActor("participant", name, pos, pos + len(name), "P" + name[6:], name))
            pos += len(name) + 5
        sentence = " and ".join(names) + " met today."
        verb = start + sentence.index(" met ") + 1
        trigger = EventMention(verb, verb + 3, "met", start, start + len(sentence), EventStatus.OCCURRED)
        kind, subtype, cameo = KINDS[int(rng.integers(0, len(KINDS)))]
        events.append(
            Event(
                id=f"ev{i}-{k}", type=kind, subtype=subtype, cameo=cameo, trigger=trigger, actors=actors, place=None,
                time=EventTime(day.isoformat(), "DATE"), status=EventStatus.OCCURRED, confidence=0.9,
                mentions=[trigger],
            )
        )  # fmt: skip
        parts.append(sentence)
        start += len(sentence) + 1
    return " ".join(parts), Annotations(entities=mentions, events=events)


def build(path: Path, n: int, entities: int, batch: int = 500, seed: int = 11) -> float:
    """Write ``n`` generated documents with their annotations; returns the annotation seconds."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, entities + 1) ** 1.05
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    store = SQLiteStore(path)
    spent = 0.0
    for first in range(0, n, batch):
        docs = [(i, *annotations(i, rng, cdf, int(rng.integers(2, 7)))) for i in range(first, min(n, first + batch))]
        now = datetime.now(UTC)
        when = PublishedDate(now, Granularity.SECOND, DateSource.METADATA, now.isoformat())
        store_documents(
            store,
            [
                Document(id=f"d{i:07d}", text=text, source_id=str(i), origin="generated", language="en",
                         url=f"https://news.example/{i}", published=when)
                for i, text, _ in docs
            ],
        )  # fmt: skip
        t = time.perf_counter()
        store.add_annotations("bench", [(f"d{i:07d}", ann) for i, _, ann in docs])
        spent += time.perf_counter() - t
    store.close()
    return spent


def best(fn: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def baseline_graph(store: SQLiteStore, limit: int = 100) -> int:
    """The same graph without kept counts: actors and pairs counted from event_actors when asked."""
    db = store._db
    top = [
        r[0]
        for r in db.execute(
            "SELECT entity_id FROM event_actors WHERE role != 'speaker' GROUP BY entity_id "
            "ORDER BY count(DISTINCT event_id) DESC LIMIT ?",
            (limit,),
        )
    ]
    marks = ",".join("?" * len(top))
    return len(
        db.execute(
            "SELECT x.entity_id, y.entity_id, count(DISTINCT x.event_id) FROM event_actors x JOIN event_actors y "
            "ON y.event_id = x.event_id AND y.entity_id > x.entity_id AND y.role != 'speaker' "
            f"WHERE x.role != 'speaker' AND x.entity_id IN ({marks}) AND y.entity_id IN ({marks}) GROUP BY 1, 2",
            [*top, *top],
        ).fetchall()
    )


def run(n: int, entities: int, documents: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        annotate_seconds = build(db, n, entities)
        out: dict[str, Any] = {"documents": n, "entities": entities, "annotate_seconds": round(annotate_seconds, 1)}
        with storyline.open(db) as sl:
            out["events"] = sl.store._db.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[attr-defined]
            out["edges"] = sl.store._db.execute("SELECT count(*) FROM entity_edges").fetchone()[0]  # type: ignore[attr-defined]
            graph = sl.entity_graph()
            out["graph_nodes"], out["graph_edges"] = len(graph["nodes"]), len(graph["edges"])
            out["entity_graph_ms"] = round(best(lambda: sl.entity_graph()) * 1000, 2)
            out["entity_graph_hub_ms"] = round(best(lambda: sl.entity_graph(entity="P00000")) * 1000, 2)
            rare = f"P{entities // 2:05d}"
            out["entity_graph_rare_ms"] = round(best(lambda: sl.entity_graph(entity=rare)) * 1000, 2)
            out["entity_graph_500_ms"] = round(best(lambda: sl.entity_graph(limit=500)) * 1000, 2)
            baseline = best(lambda: baseline_graph(sl.store), runs=1)  # type: ignore[arg-type]
            out["baseline_query_time_graph_ms"] = round(baseline * 1000, 1)
            out["ratio_baseline_to_entity_graph"] = round(baseline * 1000 / out["entity_graph_ms"], 1)
            tables = [("entities", "jsonl"), ("events", "jsonl"), ("events", "csv"), ("events", "parquet")]
            if documents:
                tables += [("documents", "jsonl"), ("documents", "parquet")]
            for table, fmt in tables:
                t = time.perf_counter()
                sl.export(Path(tmp) / f"{table}.{fmt}", table=table, format=fmt)
                out[f"export_{table}_{fmt}_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            sl.export(Path(tmp) / "events.tsv", format="gdelt")
            out["export_gdelt_s"] = round(time.perf_counter() - t, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--documents", action="store_true", help="Also time the documents table exports.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.n, args.entities, args.documents)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:34s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
