"""Article similarity against SemEval-2022 Task 8 pairs: Pearson correlation of storyline's scores
with the gold scores, per dimension and per language pair.

Two figures are given for each. ``shipped`` scores the pairs with the model in the package. That
model was trained on ``pairs.jsonl`` itself, so on that file it is an in-sample figure.
``cross-validated`` scores each pair with a model fitted on the other folds (the same recipe as
``python -m storyline.relate.train``): the figure to quote for pairs the model has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from storyline.relate.similarity import DIMENSIONS, GROUPS, shipped_model
from storyline.relate.train import folds, grouped_cv, load_rows, pearson


@dataclass
class SimilarityScores:
    pairs: int = 0
    shipped: dict[str, float] = field(default_factory=dict)
    cross_validated: dict[str, float] = field(default_factory=dict)
    by_languages: dict[str, dict[str, float]] = field(default_factory=dict)
    """Language pair -> {pairs, shipped, cross_validated} on ``overall``."""
    baseline: dict[str, float] = field(default_factory=dict)
    """Embedding cosine alone on ``overall`` (sign turned: high cosine, low score)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "shipped": self.shipped,
            "cross_validated": self.cross_validated,
            "by_languages": self.by_languages,
            "baseline_cosine": self.baseline,
        }


def evaluate_similarity(path: Path, cache: Path | None = None, k: int = 5) -> SimilarityScores:
    from storyline.relate.similarity import FEATURES

    x, gold, ids, langs = load_rows(path, cache)
    model = shipped_model()
    predicted = model.predict(x)
    fold = folds(ids, k)
    default = dict.fromkeys(GROUPS, 10.0)
    alphas = {d: model.info.get("cv", {}).get(d, {}).get("alpha", default) for d in DIMENSIONS}
    columns = {g: model.groups[g].columns for g in GROUPS}  # each group's model reads these
    scores = SimilarityScores(pairs=len(ids))
    cv: dict[str, np.ndarray] = {}
    for dim in DIMENSIONS:
        y = gold[dim]
        ok = ~np.isnan(y)
        if ok.sum() < 2:
            continue
        scores.shipped[dim] = round(pearson(predicted[dim][ok], y[ok]), 4)
        cv[dim] = np.full(len(y), np.nan)
        cv[dim][ok] = grouped_cv(x[ok], y[ok], fold[ok], alphas[dim], columns)
        scores.cross_validated[dim] = round(pearson(cv[dim][ok], y[ok]), 4)
    langs_arr = np.array(langs)
    y = gold["overall"]
    ok = ~np.isnan(y)  # pairs with an overall score
    english = (langs_arr == "en-en") & ok
    minilm = x[:, FEATURES.index("minilm")]
    e5 = x[:, FEATURES.index("e5")]
    scores.baseline = {
        "minilm_english": round(pearson(-minilm[english], y[english]), 4),
        "e5_all": round(pearson(-e5[ok], y[ok]), 4),
    }
    groups = ["all", "en-en", *sorted(set(langs))]
    for group in dict.fromkeys(groups):
        mask = ok if group == "all" else (langs_arr == group) & ok
        if mask.sum() < 3:
            continue
        scores.by_languages[group] = {
            "pairs": int(mask.sum()),
            "shipped": round(pearson(predicted["overall"][mask], y[mask]), 4),
            "cross_validated": round(pearson(cv["overall"][mask], y[mask]), 4) if "overall" in cv else float("nan"),
        }
    return scores
