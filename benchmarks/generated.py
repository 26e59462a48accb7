"""Writing generated documents into a store for the benchmarks, through the store's own ``add``
(documents with all their metadata columns, the full-text index, and sightings), as an ingest
would, but without cleaning or near-duplicate search: generated texts are distinct by
construction, so each gets an empty fingerprint (no band keys). And the benchmarks' model of
document vectors (:func:`story_vector`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storyline.model import Document
from storyline.relate.dedup import Fingerprint
from storyline.store import Store
from storyline.store.base import Sighting

_NO_FINGERPRINT = Fingerprint(np.zeros(0, dtype=np.uint32), [])

#: The generated worlds have a story (a happening) every this many documents...
DOCUMENTS_PER_STORY = 4
#: ...and a document's vector is its story's random vector plus Gaussian noise of this much per
#: dimension, at unit length.
STORY_NOISE = 0.35


def story_vector(story: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A document vector (or, for rows of story vectors, one a row) near its story's: the story's
    vector plus noise of :data:`STORY_NOISE`, at unit length."""
    v = story + rng.normal(scale=STORY_NOISE, size=story.shape).astype(np.float32)
    if v.ndim == 1:
        return np.asarray(v / np.linalg.norm(v), dtype=np.float32)
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


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
