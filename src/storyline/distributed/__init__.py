"""Running the per-document stages on a cluster, under an existing engine.

:mod:`storyline.distributed.ray_runner` runs reading, cleaning, the costly annotation extraction
and the embeddings as Ray Data ``map_batches`` steps on actor pools; what must see the whole store
stays on the driver. Ray is an optional extra (``pip install storyline[ray]``), imported only
when that runner is used: importing this package imports nothing of it.
"""

from __future__ import annotations

ENGINES = ("local", "ray")
"""Where ``ingest`` and ``analyze`` run their per-document stages: ``local`` (this process, or
its pool of worker processes) or ``ray`` (a Ray cluster, local or joined)."""

__all__ = ["ENGINES"]
