"""Train the happening model shipped in ``cluster/data/happening.json``.

    python -m storyline.cluster.train \\
        --train ../shared/eval/cdcr-ecbplus-dev/train ../shared/eval/cdcr-gvc-more/train \\
        --dev ../shared/eval/cdcr-ecbplus-dev/dev ../shared/eval/cdcr-gvc-more/dev \\
        --out src/storyline/cluster/data/happening.json [--cache /tmp/happening-cache]

Reads cross-document coreference corpora in CoNLL form (the data is never committed), analyzes
each one's documents into a fresh store exactly as ``storyline analyze`` would (cleaning,
annotation, the embeddings of the openings) and computes each document's profile. Documents arrive
in a fixed shuffled order (a hash of their key), as news from many topics would, not topic by
topic.

1. **Pairs.** Each training document, in arrival order, is compared with the gold happenings of
   its nearest earlier documents, each represented by its earlier members closest to it, exactly
   as placement will compare it (:func:`storyline.cluster.placement.decide`); the label says
   whether it belongs there.
2. **Fit.** A logistic regression on standardised features (:func:`fit_logistic`).
3. **Thresholds.** Whole placements are simulated on each training corpus
   (:class:`~storyline.cluster.placement.MemoryBackend`) for a grid of ``join`` and ``merge``
   thresholds, and the pair with the best mean B-cubed F0.5 over the training corpora is kept:
   precision weighs twice recall, since a wrong happening costs a user more than a missing one.
4. **Figures.** B-cubed on the ``--dev`` corpora (never used above) is written into the model's
   ``info``, with the training figures beside it, each named by its corpus.

``--cache`` keeps the profiles, since analyzing a thousand documents takes minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.cluster.features import FEATURES, Profile, features, idf_weight
from storyline.cluster.model import HappeningModel, fit_logistic
from storyline.cluster.placement import MemoryBackend
from storyline.config import ClusterConfig

NAME = "storyline.cluster.happening.v1"
JOINS = tuple(round(x, 2) for x in np.arange(0.15, 0.91, 0.05))
MERGES = (0.6, 0.8, 0.9, 0.95, 1.0)
L2 = 1.0
#: Earlier documents each training document is compared with (their gold happenings): more than
#: placement reads (``ClusterConfig.neighbours``), so the fit also sees the farther, harder negatives.
PAIR_NEIGHBOURS = 20


def corpus_profiles(folder: Path, cache: Path | None = None) -> tuple[list[Profile], dict[str, str]]:
    """The profiles of a CoNLL corpus's documents in arrival order, and each one's gold incident."""
    from storyline.api import open as open_store
    from storyline.cluster import VECTOR_MODEL, Clusterer, document_day
    from storyline.cluster.features import profile
    from storyline.config import IngestConfig
    from storyline.evaluate import arrival_order
    from storyline.evaluate.cdcr import read_conll

    # (profiles kept of other vectors, another length read, are not this corpus's profiles now)
    name = hashlib.sha1(f"{folder.resolve()}|{VECTOR_MODEL}".encode()).hexdigest()[:12]
    if cache is not None and (cache / f"{name}.json").is_file():
        data = json.loads((cache / f"{name}.json").read_text(encoding="utf-8"))
        vectors = np.load(cache / f"{name}.npy")
        cached = [Profile.from_json(d["id"], d, vectors[i]) for i, d in enumerate(data["profiles"])]
        return cached, data["gold"]
    docs = arrival_order(read_conll(folder / "dataset.conll"))
    profiles: list[Profile] = []
    gold: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        records = Path(tmp) / "documents.jsonl"
        records.write_text(
            "".join(
                json.dumps({"id": d.key, "title": d.title, "text": d.text, "published": d.published}) + "\n"
                for d in docs
            ),
            encoding="utf-8",
        )
        with open_store(Path(tmp) / "train.db") as sl:
            sl.ingest(records, config=IngestConfig(languages=("en", "de", "fr", "es")))
            sl.annotate_pending(workers=None)  # every core when the corpus repays it
            clusterer = Clusterer(sl.store)
            stored = sl.documents(limit=None)
            keyed = {s.source_id: doc for doc in stored for s in sl.sightings(doc.id)}
            order = [keyed[d.key] for d in docs if d.key in keyed]
            incident = {d.key: d.incident for d in docs}
            vectors = clusterer.embed(order)
            for doc, vector in zip(order, vectors, strict=True):
                p = profile(doc, sl.store.annotations(doc.id), document_day(doc), vector)
                profiles.append(p)
                gold[doc.id] = next(incident[s.source_id] for s in sl.sightings(doc.id) if s.source_id in incident)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        rows = [{"id": p.doc_id, **p.as_json()} for p in profiles]
        (cache / f"{name}.json").write_text(json.dumps({"profiles": rows, "gold": gold}), encoding="utf-8")
        np.save(cache / f"{name}.npy", np.stack([p.vector for p in profiles]))
    return profiles, gold


def pairs(profiles: Sequence[Profile], gold: dict[str, str], config: ClusterConfig) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels: each document against the gold happenings of its nearest earlier
    documents, with document frequencies of the documents before it."""
    rows: list[list[float]] = []
    labels: list[float] = []
    df: dict[str, int] = defaultdict(int)
    vectors = np.stack([p.vector for p in profiles])
    by_incident: dict[str, list[int]] = defaultdict(list)  # the earlier documents of each incident
    for i, doc in enumerate(profiles):
        if i:
            sims = vectors[:i] @ doc.vector
            near = np.argsort(-sims)[: config.neighbours]

            def idf(t: str, total: int = i) -> float:
                return idf_weight(df.get(t, 0), total)

            for incident in {gold[profiles[j].doc_id] for j in near}:
                members = by_incident[incident]
                members = sorted(members, key=lambda j: -sims[j])[: config.max_members]
                rows.append(features(doc, [profiles[j] for j in members], idf))
                labels.append(float(incident == gold[doc.doc_id]))
        by_incident[gold[doc.doc_id]].append(i)
        for t in doc.terms:
            df[t] += 1
    return np.asarray(rows), np.asarray(labels)


BETA = 0.5


def f_beta(precision: float, recall: float, beta: float = BETA) -> float:
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall) if precision + recall else 0.0


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    from storyline.evaluate import f1
    from storyline.evaluate.cdcr import score_clusters

    s = score_clusters(gold, predicted)
    return s.bcubed_precision, s.bcubed_recall, f1(s.bcubed_precision, s.bcubed_recall)


def simulate(profiles: Sequence[Profile], model: HappeningModel, config: ClusterConfig) -> dict[str, str]:
    """Place the documents one by one, as the store would: document id -> happening."""
    backend = MemoryBackend()
    placed = {p.doc_id: backend.place(p, model, config) for p in profiles}
    # a later merge moves earlier documents: read where each ended up
    return {d: backend.happening_of(d) or h for d, h in placed.items()}


def train(train_sets: Sequence[Path], dev_sets: Sequence[Path], cache: Path | None = None) -> HappeningModel:
    config = ClusterConfig()
    corpora = {str(f): corpus_profiles(f, cache) for f in train_sets}
    pairing = ClusterConfig(neighbours=PAIR_NEIGHBOURS)
    xs, ys = zip(*(pairs(p, g, pairing) for p, g in corpora.values()), strict=True)
    x, y = np.vstack(xs), np.concatenate(ys)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    weights, bias = fit_logistic((x - mean) / scale, y, L2)

    def model(join: float, merge: float, info: dict[str, Any] | None = None) -> HappeningModel:
        return HappeningModel(NAME, FEATURES, mean, scale, weights, bias, join, merge, info or {})

    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    grid: dict[str, float] = {}
    for join in JOINS:
        for merge in MERGES:
            if merge < join:
                continue
            m = model(join, merge)
            score = float(np.mean([f_beta(*bcubed(g, simulate(p, m, config))[:2]) for p, g in corpora.values()]))
            grid[f"{join}/{merge}"] = round(score, 4)
            if score > best[0]:
                best = (score, join, merge)
    _, join, merge = best
    chosen = model(join, merge)
    figures: dict[str, Any] = {}
    for kind, sets in (("train", train_sets), ("dev", dev_sets)):
        for folder in sets:
            p, g = corpora[str(folder)] if str(folder) in corpora else corpus_profiles(folder, cache)
            bp, br, bf = bcubed(g, simulate(p, chosen, config))
            figures[f"{kind}: {_name(folder)}"] = {
                "documents": len(p), "bcubed_precision": round(bp, 4), "bcubed_recall": round(br, 4),
                "bcubed_f1": round(bf, 4),
            }  # fmt: skip
    info = {
        "trained_on": [_name(f) for f in train_sets],
        "pairs": len(y),
        "positive_pairs": int(y.sum()),
        "l2": L2,
        "pair_neighbours": PAIR_NEIGHBOURS,
        "placement_neighbours": config.neighbours,
        "thresholds_chosen_on": f"mean B-cubed F{BETA} of whole simulated placements of the training corpora",
        "threshold_grid": grid,
        "figures": figures,
        "note": "dev figures come from corpora the fit and the thresholds never saw",
    }
    return model(join, merge, info)


def _name(folder: Path) -> str:
    parts = folder.resolve().parts
    return "/".join(parts[-2:]) if parts[-1] in ("train", "dev") else parts[-1]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", nargs="+", type=Path, required=True)
    parser.add_argument("--dev", nargs="*", type=Path, default=[])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args(argv)
    model = train(args.train, args.dev, args.cache)
    model.save(args.out)
    print(json.dumps(model.info["figures"], indent=1))
    print("weights:", dict(zip(FEATURES, np.round(model.weights, 3).tolist(), strict=True)))
    print("join", model.join, "merge", model.merge)


if __name__ == "__main__":
    main()
