"""Exact and near-duplicate detection.

Exact duplicates share a document id (a hash of the folded text). Near-duplicates,
such as syndicated copies with other boilerplate or lightly edited rewrites, are found
with MinHash signatures over word shingles and locality-sensitive hashing:
each signature is cut into ``b`` bands of ``r`` rows, each band hashed to a key, and
documents sharing any key become candidates whose estimated Jaccard similarity is
then checked against the threshold. The band keys are kept in the store, so the index
persists between runs and grows with the store instead of being rebuilt in memory.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from functools import lru_cache
from typing import Protocol

import numpy as np

from storyline.config import DedupConfig
from storyline.model import Document, Duplicate

NAME = "storyline.dedup.minhash.v1"
#: The permutation scheme (datasketch's name for it), named so stored signatures stay comparable.
SCHEME = "affine32"
_SHINGLES_PER_STEP = 4096
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=16)
def band_params(threshold: float, num_perm: int, miss_weight: float = 0.85) -> tuple[int, int]:
    """Bands and rows minimising the weighted false positive and false negative areas of
    the LSH S-curve around ``threshold``. Misses weigh more: a false candidate costs one
    signature comparison, a missed duplicate is lost."""
    best = (1, num_perm)
    best_error = float("inf")
    s_low = np.linspace(0.0, threshold, 200)
    s_high = np.linspace(threshold, 1.0, 200)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = np.trapezoid(1 - (1 - s_low**r) ** b, s_low)
            fn = np.trapezoid((1 - s_high**r) ** b, s_high)
            error = (1 - miss_weight) * fp + miss_weight * fn
            if error < best_error:
                best_error, best = float(error), (b, r)
    return best


def shingles(text: str, size: int) -> list[bytes]:
    """Lower-cased word n-grams; a text shorter than ``size`` words is one shingle.
    (The readable form of what :func:`shingle_hashes` hashes.)"""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)]


# Odd 64-bit multipliers that spread each word's position in a shingle over all bits.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x94D049BB133111EB,
                 0xBF58476D1CE4E5B9, 0x61C8864680B583EB], dtype=np.uint64)  # fmt: skip


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """32-bit hashes of the lower-cased word n-grams of ``text``, vectorised: each word is
    hashed once (CRC-32), and each n-gram combines its words' hashes by position."""
    words = _WORD.findall(text.casefold())
    if not words:
        return np.zeros(0, dtype=np.uint32)
    # (str.encode is UTF-8; mapping the builtins costs a sixth less than a generator expression)
    word_hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    n = max(1, len(words) - size + 1)
    width = min(size, len(words))
    mixed = np.zeros(n, dtype=np.uint64)
    for position in range(width):
        mixed ^= word_hashes[position : position + n] * _MIX[position]
    mixed ^= mixed >> np.uint64(29)
    return (mixed & np.uint64(0xFFFFFFFF)).astype(np.uint32)


class MinHasher:
    """MinHash signatures with fixed permutations (made once, reused for every text).

    Shingles are hashed with numpy (:func:`shingle_hashes`), mixed by the MurmurHash3 finalizer
    and permuted by ``a * h + b`` modulo 2^32 (``a`` odd, so each permutation is a bijection):
    datasketch's ``affine32`` scheme, with its seeded parameters, computed here in numpy so that
    an ingest does not import datasketch (which imports scipy: most of a second per process).
    The signatures are datasketch's to the bit (tests/test_dedup.py checks it).
    """

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        gen = np.random.RandomState(config.seed)  # datasketch's draw, in its order
        a = gen.randint(0, 1 << 31, config.num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, config.num_perm, dtype=np.uint32)
        self._a, self._b = a[None, :], b[None, :]
        self.bands, self.rows = band_params(config.threshold, config.num_perm)

    def signature(self, text: str) -> np.ndarray:
        hashes = shingle_hashes(text, self.config.shingle_words)
        if not len(hashes):
            return np.full(self.config.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        h = hashes.reshape(-1, 1)
        h = h ^ (h >> np.uint32(16))  # the MurmurHash3 finalizer (a bijection on 32 bits)
        h = h * np.uint32(0x85EBCA6B)
        h = h ^ (h >> np.uint32(13))
        h = h * np.uint32(0xC2B2AE35)
        h = h ^ (h >> np.uint32(16))
        signature = np.empty(self.config.num_perm, dtype=np.uint32)
        for at in range(0, len(h), _SHINGLES_PER_STEP):  # bounded memory on a long text
            part = (h[at : at + _SHINGLES_PER_STEP] * self._a + self._b).min(axis=0)
            signature = part if at == 0 else np.minimum(signature, part)
        return signature

    def band_keys(self, signature: np.ndarray) -> list[tuple[int, int]]:
        """(band, key) pairs; keys are signed 64-bit so SQLite can index them."""
        keys = []
        for band in range(self.bands):
            chunk = signature[band * self.rows : (band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8).digest()
            keys.append((band, int.from_bytes(digest, "little", signed=True)))
        return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    duplicate_of: str | None
    signature: np.ndarray
    published: str | None = None
    """Publication time in UTC, ISO 8601 (sorts as text), or None when unknown."""


@dataclass(frozen=True, slots=True)
class Repoint:
    """A stored document whose original changes to a newly arrived, earlier-published one."""

    id: str
    duplicate: Duplicate


class CandidateIndex(Protocol):
    """Where stored documents' band keys and signatures are looked up (the store)."""

    def lsh_candidates(self, keys: Sequence[tuple[int, int]]) -> list[Candidate]: ...

    def duplicate_group(self, root_id: str) -> list[Candidate]:
        """The document ``root_id`` and every stored document marked as its duplicate."""
        ...


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: np.ndarray
    keys: list[tuple[int, int]]


def published_utc(doc: Document) -> str | None:
    """Publication time in UTC as sortable ISO text, or None."""
    return doc.published.value.astimezone(UTC).isoformat() if doc.published else None


class NearDuplicateFinder:
    """Marks each new document that nearly copies another (stored, or earlier in the same
    batch) with the original's id and the estimated similarity.

    The original of a group is the earliest published member, whatever order the inputs
    come in: when a copy arrives that was published before the stored original, it becomes
    the original and the group is re-pointed to it. Members without a date, and ties, keep
    the order of arrival.
    """

    name = NAME

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.hasher = MinHasher(config)

    def mark(
        self, docs: Sequence[Document], index: CandidateIndex
    ) -> tuple[list[tuple[Document, Fingerprint]], list[Repoint]]:
        """The documents (marked) with their fingerprints, and the stored documents to re-point."""
        pending: dict[tuple[int, int], list[str]] = {}
        batch: dict[str, tuple[Document, Fingerprint]] = {}
        repoints: dict[str, tuple[Repoint, Candidate]] = {}
        for doc in docs:
            signature = self.hasher.signature(doc.text)
            keys = self.hasher.band_keys(signature)
            candidates = {c.id: self._current(c, repoints) for c in index.lsh_candidates(keys)}
            for key in keys:
                for other_id in pending.get(key, ()):
                    other, other_fp = batch[other_id]
                    candidates[other_id] = Candidate(
                        other_id, other.duplicate_of, other_fp.signature, published_utc(other)
                    )
            candidates.pop(doc.id, None)
            best: Candidate | None = None
            best_sim = 0.0
            for cand in sorted(candidates.values(), key=lambda c: c.id):
                sim = jaccard(signature, cand.signature)
                if sim >= self.config.threshold and sim > best_sim:
                    best, best_sim = cand, sim
            fingerprint = Fingerprint(signature, keys)
            if best is not None:
                root_id = best.duplicate_of or best.id
                group = self._group(root_id, index, batch, repoints)
                root = next((c for c in group if c.id == root_id), best)
                mine = published_utc(doc)
                if mine is not None and (root.published is None or mine < root.published):
                    for member in group:  # this document is the earliest: it becomes the original
                        dup = Duplicate(doc.id, round(jaccard(signature, member.signature), 4))
                        if member.id in batch:
                            member_doc, member_fp = batch[member.id]
                            batch[member.id] = (replace(member_doc, duplicate=dup), member_fp)
                        else:
                            repoints[member.id] = (Repoint(member.id, dup), replace(member, duplicate_of=doc.id))
                else:
                    doc = replace(doc, duplicate=Duplicate(root_id, round(jaccard(signature, root.signature), 4)))
            batch[doc.id] = (doc, fingerprint)
            for key in keys:
                pending.setdefault(key, []).append(doc.id)
        return list(batch.values()), [r for r, _ in repoints.values()]

    @staticmethod
    def _current(c: Candidate, repoints: dict[str, tuple[Repoint, Candidate]]) -> Candidate:
        """A stored candidate as it will be once this batch's re-points are written."""
        moved = repoints.get(c.id)
        return moved[1] if moved else c

    def _group(
        self,
        root_id: str,
        index: CandidateIndex,
        batch: dict[str, tuple[Document, Fingerprint]],
        repoints: dict[str, tuple[Repoint, Candidate]],
    ) -> list[Candidate]:
        """Members of ``root_id``'s group as they stand now: stored, re-pointed and in this batch."""
        members = {c.id: c for c in map(lambda c: self._current(c, repoints), index.duplicate_group(root_id))}
        members = {k: c for k, c in members.items() if k == root_id or c.duplicate_of == root_id}
        members.update((r.id, c) for r, c in repoints.values() if r.duplicate.of == root_id)
        for doc_id, (doc, fp) in batch.items():
            if doc_id == root_id or doc.duplicate_of == root_id:
                members[doc_id] = Candidate(doc_id, doc.duplicate_of, fp.signature, published_utc(doc))
        return list(members.values())
