"""Train the similarity model shipped in ``relate/data/similarity.json``.

    python -m storyline.relate.train ../shared/eval/semeval2022-task8/pairs.jsonl \\
        --out src/storyline/relate/data/similarity.json [--cache /tmp/pairs.npz]

Reads SemEval-2022 Task 8 pairs (the data is never committed), profiles both articles of each
pair, and fits one ridge regression per dimension and per group of pairs, on that group's
standardised features (:data:`~storyline.relate.similarity.GROUP_FEATURES`). The ridge strength is
chosen by k-fold cross-validation over folds of whole pairs; the figures written into the model's
``info`` are cross-validated (each pair scored by a model that never saw it), so they say how the
model does on pairs it was not trained on. ``--cache`` keeps the feature rows, since profiling
about 1,800 articles with two embedders takes minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.relate.similarity import (
    DIMENSIONS,
    FEATURES,
    GROUP_FEATURES,
    GROUPS,
    NAME,
    Ridge,
    SimilarityModel,
    feature_index,
    group_of,
)

ALPHAS = (0.1, 1.0, 3.0, 10.0, 30.0, 100.0)


def standardisation(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of each feature (scale 1 for a constant feature)."""
    scale = x.std(axis=0)
    return x.mean(axis=0), np.where(scale > 1e-9, scale, 1.0)


def fit_ridge(
    x: np.ndarray, y: np.ndarray, alpha: float, standard: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Coefficients and intercept of a ridge regression on standardised ``x``, and the mean and
    scale used to standardise it (``standard``, or those of ``x``)."""
    mean, scale = standard or standardisation(x)
    z = (x - mean) / scale
    target = y - y.mean()
    coef = np.linalg.solve(z.T @ z + alpha * np.eye(z.shape[1]), z.T @ target)
    return coef, float(y.mean()), mean, scale


def folds(ids: Sequence[str], k: int) -> np.ndarray:
    """A fold number per pair, fixed by a hash of its id (stable across runs and machines)."""
    return np.array([int(hashlib.sha1(i.encode()).hexdigest(), 16) % k for i in ids])


def cross_validated(x: np.ndarray, y: np.ndarray, fold: np.ndarray, alpha: float) -> np.ndarray:
    """Each row's prediction by a model fitted on the other folds."""
    out = np.zeros(len(y))
    for f in np.unique(fold):
        test = fold == f
        coef, icpt, mean, scale = fit_ridge(x[~test], y[~test], alpha)
        out[test] = np.clip((x[test] - mean) / scale @ coef + icpt, 1.0, 4.0)
    return out


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 2 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def grouped_cv(
    x: np.ndarray,
    y: np.ndarray,
    fold: np.ndarray,
    alphas: dict[str, float],
    columns: dict[str, tuple[str, ...]] | None = None,
) -> np.ndarray:
    """Cross-validated predictions with one model per group of pairs (:data:`GROUPS`), each on its
    group's features (``columns``, by default :data:`GROUP_FEATURES`)."""
    columns = columns or GROUP_FEATURES
    out = np.full(len(y), np.nan)
    group = group_of(x)
    for g, name in enumerate(GROUPS):
        mask = group == g
        if mask.sum() >= 2 * len(np.unique(fold[mask])):
            xs = x[mask][:, feature_index(columns[name])]
            out[mask] = cross_validated(xs, y[mask], fold[mask], alphas[name])
    return out


def train(
    x: np.ndarray, gold: dict[str, np.ndarray], ids: Sequence[str], langs: Sequence[str], k: int = 5
) -> tuple[SimilarityModel, dict[str, Any]]:
    """The model fitted on all pairs, with the ridge strength per group and dimension that
    cross-validation chose, and the cross-validated figures."""
    fold = folds(ids, k)
    group = group_of(x)
    english = np.array([lang == "en-en" for lang in langs])
    report: dict[str, Any] = {}
    fitted: dict[str, dict[str, tuple[np.ndarray, float, np.ndarray, np.ndarray]]] = {g: {} for g in GROUPS}
    for dim in DIMENSIONS:
        y = gold[dim]
        alphas = {}
        for g, name in enumerate(GROUPS):
            mask = (group == g) & ~np.isnan(y)
            at = feature_index(GROUP_FEATURES[name])
            xs, ys, fs = x[mask][:, at], y[mask], fold[mask]
            alphas[name] = max(ALPHAS, key=lambda a: pearson(cross_validated(xs, ys, fs, a), ys))
            # one standardisation per group (all its rows), shared by its dimensions
            fitted[name][dim] = fit_ridge(xs, ys, alphas[name], standardisation(x[group == g][:, at]))
        ok = ~np.isnan(y)
        predicted = grouped_cv(x[ok], y[ok], fold[ok], alphas)
        report[dim] = {
            "alpha": alphas,
            "pearson_cv": round(pearson(predicted, y[ok]), 4),
            "pearson_cv_english": round(pearson(predicted[english[ok]], y[ok][english[ok]]), 4),
        }
    groups = {}
    for name in GROUPS:
        dims = fitted[name]
        first = next(iter(dims.values()))
        coef, intercept = {d: v[0] for d, v in dims.items()}, {d: v[1] for d, v in dims.items()}
        groups[name] = Ridge(first[2], first[3], coef, intercept, GROUP_FEATURES[name])
    per_group = {n: int((group == g).sum()) for g, n in enumerate(GROUPS)}
    info = {"folds": k, "pairs": len(ids), "pairs_per_group": per_group}
    model = SimilarityModel(NAME, FEATURES, groups, {**info, "cv": report})
    return model, report


def load_rows(pairs_path: Path, cache: Path | None) -> tuple[np.ndarray, dict[str, np.ndarray], list[str], list[str]]:
    """Feature rows, gold scores, ids and language pairs of a pairs file (from ``cache`` when it
    holds rows of the same file, features, entity stage and recognisers)."""
    from storyline.annotate.entities import NAME as ENTITIES
    from storyline.annotate.entities import EntityRecognizer
    from storyline.relate.pairs import feature_rows, pair_profiles, read_pairs

    recogniser = EntityRecognizer()  # which recognisers read the pairs' languages changes the rows
    readers = ",".join(f"{lang}={recogniser.recogniser_name(lang)}" for lang in sorted(recogniser.languages))
    stamp = hashlib.sha1(pairs_path.read_bytes()).hexdigest() + ":" + ",".join(FEATURES) + f":{ENTITIES}:{readers}"
    if cache is not None and cache.exists():
        data = np.load(cache, allow_pickle=False)
        if str(data["stamp"]) == stamp:
            gold = {d: data[f"gold_{d}"] for d in DIMENSIONS}
            return data["x"], gold, [str(i) for i in data["ids"]], [str(i) for i in data["langs"]]
    pairs, errors = read_pairs(pairs_path)
    for e in errors:  # on stderr: standard output may be the caller's JSON
        print(f"skipped {e}", file=sys.stderr)
    profiled = pair_profiles(pairs, every_part=True)
    for p, prof in zip(pairs, profiled, strict=True):
        if isinstance(prof, Exception):
            print(f"skipped pair {p.id}: {prof}", file=sys.stderr)
    pairs = [p for p, prof in zip(pairs, profiled, strict=True) if not isinstance(prof, Exception)]
    x = feature_rows([prof for prof in profiled if not isinstance(prof, Exception)])
    gold = {d: np.array([p.gold.get(d, np.nan) for p in pairs]) for d in DIMENSIONS}
    ids = [p.id for p in pairs]
    langs = [p.languages for p in pairs]
    if cache is not None:
        np.savez(
            cache, x=x, ids=np.array(ids), langs=np.array(langs), stamp=np.array(stamp),
            **{f"gold_{d}": gold[d] for d in DIMENSIONS},
        )  # fmt: skip
    return x, gold, ids, langs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train storyline's similarity model on SemEval-2022 Task 8 pairs.")
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "similarity.json")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    x, gold, ids, langs = load_rows(args.pairs, args.cache)
    model, report = train(x, gold, ids, langs, args.folds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.as_dict(), indent=1) + "\n", encoding="utf-8")
    for dim, r in report.items():
        print(
            f"{dim:10s} cross-validated Pearson {r['pearson_cv']:.3f} (English {r['pearson_cv_english']:.3f}), "
            f"ridge strength {r['alpha']}"
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
