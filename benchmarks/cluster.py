"""Incremental clustering cost as the store grows: documents are placed in happenings batch after
batch, and the time per document is measured at the start (the first 1,000) and at the end (the
last 1,000 of 100,000).

The documents are generated: each reports one of many happenings (a meeting, an agreement or an
attack of two actors from a pool of thousands, on a day within ten years), with its events,
entity mentions and publication date, and a document vector near its happening's (unit vectors,
as the e5 embedder gives). Generated vectors stand in for the embedder so that the figure is the
clustering's own cost (index search, candidate lookups, writes), not the model's; the embedder's
cost per document is constant and is measured by ``benchmarks/annotate.py``-style runs. Document
rows are written through the store's ``add`` without cleaning or near-duplicate search (the
ingest path is measured by ``ingest_html.py``).

    python benchmarks/cluster.py              # 100,000 documents
    python benchmarks/cluster.py --n 5000 --json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

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
    EventStatus,
    EventTime,
)
from storyline.store.sqlite.store import SQLiteStore

KINDS = (("CONSULT", "meeting"), ("AGREE", "agreement"), ("ASSAULT", "attack"))


class Generator:
    def __init__(self, n: int, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        self.stories = max(10, n // DOCUMENTS_PER_STORY)
        self.people = [f"Person{i:05d}" for i in range(max(200, n // 20))]
        start = date(2015, 1, 1).toordinal()
        self.story_day = self.rng.integers(start, start + 3650, self.stories)
        self.story_actors = self.rng.integers(0, len(self.people), (self.stories, 2))
        self.story_kind = self.rng.integers(0, len(KINDS), self.stories)
        self.story_vec = self.rng.normal(size=(self.stories, 384)).astype(np.float32)

    def document(self, i: int) -> tuple[Document, Annotations, np.ndarray]:
        s = int(self.rng.integers(0, self.stories))
        names = [self.people[a] for a in self.story_actors[s]]
        text = f"{names[0]} and {names[1]} were reported today. Document {i}."
        day = date.fromordinal(int(self.story_day[s]) + int(self.rng.integers(0, 2)))
        entities = [
            EntityMention(0, len(names[0]), names[0], "PERSON", f"P{names[0]}", names[0]),
            EntityMention(len(names[0]) + 5, len(names[0]) + 5 + len(names[1]), names[1], "PERSON", f"P{names[1]}",
                          names[1]),
        ]  # fmt: skip
        kind, subtype = KINDS[int(self.story_kind[s])]
        mention = EventMention(0, 3, "met", 0, len(text), EventStatus.OCCURRED)
        event = Event(
            id=f"ev{i}", type=kind, subtype=subtype, cameo=None, trigger=mention,
            actors=[EventActor("participant", m.text, m.start, m.end, m.entity_id, m.canonical) for m in entities],
            place=None, time=EventTime(day.isoformat(), "DATE"), status=EventStatus.OCCURRED, confidence=0.9,
            mentions=[mention],
        )  # fmt: skip
        published = PublishedDate(
            datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=12),
            Granularity.DAY, DateSource.METADATA, day.isoformat(),
        )  # fmt: skip
        doc = Document(id=f"d{i:07d}", text=text, source_id=str(i), origin="generated", language="en",
                       published=published)  # fmt: skip
        return doc, Annotations(entities=entities, events=[event]), story_vector(self.story_vec[s], self.rng)


def run(n: int, batch: int) -> dict[str, Any]:
    gen = Generator(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        vectors: dict[str, np.ndarray] = {}
        clusterer = Clusterer(store, embed=None)
        clusterer.embed = lambda docs: np.vstack([vectors[d.id] for d in docs])  # type: ignore[method-assign]
        per_doc: list[float] = []
        for start in range(0, n, batch):
            items = [gen.document(i) for i in range(start, min(n, start + batch))]
            store_documents(store, [d for d, _, _ in items])
            for d, _, v in items:
                vectors[d.id] = v
            t = time.perf_counter()
            clusterer.place_many([d for d, _, _ in items], [a for _, a, _ in items])
            per_doc.extend([(time.perf_counter() - t) / len(items)] * len(items))
        happenings = store._db.execute("SELECT count(*) FROM clusters").fetchone()[0]
        store.close()
    first = float(np.mean(per_doc[:1000])) * 1000
    last = float(np.mean(per_doc[-1000:])) * 1000
    return {
        "documents": n,
        "happenings": happenings,
        "generated_stories": gen.stories,
        "ms_per_document_first_1000": round(first, 3),
        "ms_per_document_last_1000": round(last, 3),
        "ratio_last_to_first": round(last / first, 2),
        "total_seconds": round(float(np.sum(per_doc)), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.n, args.batch)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:32s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
