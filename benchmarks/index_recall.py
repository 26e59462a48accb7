"""What the happening index finds: near recall and search time of faiss HNSW on the store
benchmark's kind of vectors (docs/scaling.md, "What the index finds at a million").

Vectors are made as the store benchmark makes them (``generated.story_vector``): a happening every
four documents, each document its happening's random 384-dimensional vector plus Gaussian noise
of 0.35 per dimension, unit length. They are added 64 at a time, as placement adds a batch. *Near recall* is the share
of the exact ten nearest with a cosine of at least 0.5 (the same happening's other documents)
that the index returns, over ``--queries`` new vectors; the search time is one query of ten at a
time, per ``efSearch`` value.

    python benchmarks/index_recall.py --n 100000 --search 64,128,256
    python benchmarks/index_recall.py --n 1000000 --links 16
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from generated import DOCUMENTS_PER_STORY, story_vector  # benchmarks/generated.py

NEAR = 0.5
K = 10


def main(argv: list[str] | None = None) -> int:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="vectors held")
    parser.add_argument("--links", type=int, default=32, help="HNSW links per vector (ClusterConfig.hnsw_links)")
    parser.add_argument("--construction", type=int, default=40, help="faiss's efConstruction")
    parser.add_argument("--search", default="64", help="efSearch values, comma-separated (ClusterConfig.hnsw_search)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    happenings = rng.normal(size=(max(1, args.n // DOCUMENTS_PER_STORY), 384)).astype(np.float32)

    def vectors(n: int) -> np.ndarray:
        return story_vector(happenings[rng.integers(0, len(happenings), n)], rng)

    index = faiss.IndexHNSWFlat(384, args.links, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = args.construction
    exact = faiss.IndexFlatIP(384)
    started = time.perf_counter()
    for at in range(0, args.n, 64):
        batch = vectors(min(64, args.n - at))
        index.add(batch)
        exact.add(batch)
    built = time.perf_counter() - started
    queries = vectors(args.queries)
    scores, truth = exact.search(queries, K)
    near = [set(truth[i][scores[i] >= NEAR].tolist()) for i in range(len(queries))]
    wanted = sum(len(x) for x in near)
    print(f"{args.n:,} vectors, {args.links} links, efConstruction {args.construction}: built in {built:.0f} s")
    for ef in (int(x) for x in args.search.split(",")):
        index.hnsw.efSearch = ef
        started = time.perf_counter()
        found = [index.search(q.reshape(1, -1), K)[1][0] for q in queries]
        per_search = (time.perf_counter() - started) / len(queries) * 1e3
        hit = sum(len(near[i] & set(found[i].tolist())) for i in range(len(queries)))
        print(f"  efSearch {ef}: near recall {hit / max(wanted, 1):.3f} of {wanted}, {per_search:.2f} ms a search")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
