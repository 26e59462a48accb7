"""Evaluation against public gold data (kept outside the repository, passed by path)."""

from __future__ import annotations

import hashlib
import json
import operator
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from storyline.api import Storyline
    from storyline.config import IngestConfig
    from storyline.model import Document

T = TypeVar("T")


def gold_document(text: str, name: str, published: date | None) -> Document:
    """A gold item's text as an English document published on the gold's date (the anchor for
    its relative times)."""
    from storyline.model import DateSource, Document, Granularity, PublishedDate, content_id

    when = (
        PublishedDate(
            datetime(published.year, published.month, published.day, tzinfo=UTC),
            Granularity.DAY,
            DateSource.METADATA,
            published.isoformat(),
        )
        if published
        else None
    )
    return Document(id=content_id(text), text=text, source_id=name, origin=name, language="en", published=when)


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def normalise_name(text: str) -> str:
    """A name as gold and storyline are compared: case, punctuation and "the" set aside."""
    t = re.sub(r"[^\w\s]", " ", text.casefold())
    return " ".join(w for w in t.split() if w != "the")


def place_matches(gold: str, *names: str | None) -> bool:
    """Whether a place (its canonical name or its words) is a gold location: one holds the other's
    words ("Herat" and "province of Herat"; not "Niger" and "Nigeria"). PLOVER's and CASIE's
    scorers both use it."""
    g = f" {normalise_name(gold)} "
    return g.strip() != "" and any((c := f" {normalise_name(n or '')} ").strip() and (c in g or g in c) for n in names)


@contextmanager
def analyzed(
    records: Iterable[dict[str, Any]], cluster: Any = None, ingest: IngestConfig | None = None
) -> Iterator[Storyline]:
    """A fresh store in a temporary folder holding ``records`` (JSON Lines rows, in their order)
    analyzed exactly as any input: ingested, annotated (every core when the corpus repays it)
    and placed in happenings (``cluster``: the placement settings, None for the shipped ones).
    The store and its folder are gone when the block ends."""
    from storyline.api import open as open_store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "documents.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in records:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        with open_store(Path(tmp) / "store.db") as sl:
            sl.ingest(path, config=ingest)
            sl.annotate_pending(workers=None)
            sl.cluster_pending(cluster)
            yield sl


def arrival_order(docs: Iterable[T], key: Callable[[T], str] = operator.attrgetter("key")) -> list[T]:
    """The documents in a fixed shuffled order (by a hash of their ``key``), as news of many
    stories arrives interleaved: the corpora list them story by story, which would make placing
    them one by one easier than it is."""
    return sorted(docs, key=lambda d: hashlib.sha1(key(d).encode()).hexdigest())
