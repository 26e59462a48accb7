"""Writing generated documents into a store for the benchmarks, through the store's own ``add``
(documents with all their metadata columns, the full-text index, and sightings), as an ingest
would, but without cleaning or near-duplicate search: generated texts are distinct by
construction, so each gets an empty fingerprint (no band keys)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storyline.model import Document
from storyline.relate.dedup import Fingerprint
from storyline.store import Store
from storyline.store.base import Sighting

_NO_FINGERPRINT = Fingerprint(np.zeros(0, dtype=np.uint32), [])


def store_documents(store: Store, docs: Sequence[Document]) -> None:
    """Store ``docs`` (one transaction), each seen once, at its own origin."""
    sightings = [
        Sighting(
            d.id,
            d.source_id,
            d.origin,
            d.title,
            d.url,
            d.source,
            d.published.value.isoformat() if d.published else None,
        )
        for d in docs
    ]
    store.add([(d, _NO_FINGERPRINT) for d in docs], sightings)
