"""Learn the event category model shipped in ``annotate/data/event_category.json``.

    python -m storyline.annotate.train_event_model ../shared/eval/plover \\
        --out src/storyline/annotate/data/event_category.json

Reads the PLOVER records (``records.json``; never committed) and the CAMEO-to-PLOVER table
(``CAMEO2PLOVER-2021.txt``: each CAMEO code's description, e.g. "Express intent to cooperate
economically", and the PLOVER category it maps to). Each record is annotated by the rules alone
(no model), and becomes one row: its sentence's MiniLM embedding and what the rules found. Each
description becomes a row with its embedding and "no rule found" inputs.

Splits. The records at even positions are the training half (the rules were written looking at
them); the odd ones are held out. Hyperparameters (L2 strength, weight of the rule inputs) are
chosen by 5-fold cross-validation on the even records only. Then the odd records are scored in 5
folds, each by a model trained on the even records, the other odd folds and the descriptions:
those per-fold accuracies, next to the rules' on the same folds, are the figures to report. The
shipped model is trained on the even records and the descriptions only, so that
``storyline eval plover --split odd`` stays a held-out figure.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.annotate.event_model import CategoryModel, main_event
from storyline.annotate.events import plover_category
from storyline.annotate.linear import fit

L2 = (0.1, 1.0, 10.0)
RULE_WEIGHTS = (1.0, 2.0, 4.0)
#: How sure the model must be to replace the rules' category (a sentence the rules coded keeps
#: their category below it).
OVERRIDE_ABOVE = (0.0, 0.5, 0.7, 0.9)
FOLDS = 5


def cameo_descriptions(path: Path) -> list[tuple[str, str]]:
    """(description, PLOVER category) for each CAMEO code the table maps."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\d+:\s*([A-Z]+)[^#]*#\s*(.+)$", line.strip())
        if m:
            out.append((m.group(2).strip(), m.group(1)))
    return out


def _accuracy(
    categories: tuple[str, ...],
    rule_weight: float,
    l2: float,
    train: tuple[np.ndarray, list[list[Any]], np.ndarray],
    test: tuple[np.ndarray, list[list[Any]], np.ndarray],
    override_above: float = 0.0,
) -> float:
    """Category accuracy on ``test`` of a model fit on ``train``, deciding as :func:`recode`
    does (:meth:`CategoryModel.choose`): a record where the rules found no event is a miss."""
    k = len(categories)
    probe = CategoryModel(categories, np.zeros((1, k)), np.zeros(k), rule_weight, {})
    w, b = fit(probe.inputs(train[0], train[1]), train[2], k, l2)
    model = CategoryModel(categories, w, b, rule_weight, {}, override_above)
    probabilities = model.probabilities(model.inputs(test[0], test[1]))
    right = 0
    for row, events, gold in zip(probabilities, test[1], test[2], strict=True):
        right += model.choose(row, main_event(events)) == categories[int(gold)]
    return float(right) / len(test[2])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storyline.annotate.train_event_model", description=__doc__)
    parser.add_argument("plover", type=Path, help="folder with records.json and CAMEO2PLOVER-2021.txt")
    parser.add_argument("--out", type=Path, default=None, help="where to write the model (default: print figures only)")
    args = parser.parse_args(argv)

    from storyline.annotate import Annotator
    from storyline.evaluate import gold_document
    from storyline.evaluate.plover import read_plover
    from storyline.relate.embed import Embedder

    records = read_plover(args.plover / "records.json")
    described = cameo_descriptions(args.plover / "CAMEO2PLOVER-2021.txt")
    categories = tuple(sorted({r.category for r in records} | {c for _, c in described}))
    index = {c: i for i, c in enumerate(categories)}
    annotator = Annotator()  # the rules alone
    docs = [gold_document(r.text, r.id, r.date) for r in records]
    found = [a.annotations.events for a in annotator.annotate_many(docs)]
    embedder = Embedder()
    record_x = embedder.minilm([r.text for r in records]).astype(np.float64)
    record_y = np.array([index[r.category] for r in records])
    cameo_x = embedder.minilm([t for t, _ in described]).astype(np.float64)
    cameo_y = np.array([index[c] for _, c in described])
    rules = np.array([index.get(plover_category(m), -1) if (m := main_event(ev)) else -1 for ev in found])

    def part(rows: list[int]) -> tuple[np.ndarray, list[list[Any]], np.ndarray]:
        return record_x[rows], [found[i] for i in rows], record_y[rows]

    def with_cameo(
        p: tuple[np.ndarray, list[list[Any]], np.ndarray],
    ) -> tuple[np.ndarray, list[list[Any]], np.ndarray]:
        return np.vstack([p[0], cameo_x]), p[1] + [[] for _ in described], np.concatenate([p[2], cameo_y])

    even = [i for i in range(len(records)) if i % 2 == 0]
    odd = [i for i in range(len(records)) if i % 2 == 1]
    # hyperparameters: cross-validation on the even (training) records only
    grid: dict[str, float] = {}
    for l2 in L2:
        for weight in RULE_WEIGHTS:
            for above in OVERRIDE_ABOVE:
                folds = [even[f::FOLDS] for f in range(FOLDS)]
                scores = [
                    _accuracy(
                        categories,
                        weight,
                        l2,
                        with_cameo(part([i for g in folds if g is not fold for i in g])),
                        part(fold),
                        above,
                    )
                    for fold in folds
                ]
                grid[f"l2={l2} rule_weight={weight} override_above={above}"] = round(float(np.mean(scores)), 4)
    # the best mean; on a tie the most cautious (highest override_above), then the strongest L2
    best = max(grid, key=lambda key: (grid[key], float(key.split("=")[-1]), float(key.split()[0].split("=")[1])))
    l2, weight, above = (float(part_.split("=")[1]) for part_ in best.split())
    # held-out figures: folds of the odd records
    folds = [odd[f::FOLDS] for f in range(FOLDS)]
    model_folds, rule_folds = [], []
    for fold in folds:
        train = even + [i for g in folds if g is not fold for i in g]
        model_folds.append(round(_accuracy(categories, weight, l2, with_cameo(part(train)), part(fold), above), 4))
        rule_folds.append(round(float(np.mean(rules[fold] == record_y[fold])), 4))
    print(f"chosen on even records (5-fold CV): {best} -> {grid[best]}")
    print(f"odd records, 5 folds: model {model_folds} mean {np.mean(model_folds):.3f}")
    print(f"                      rules {rule_folds} mean {np.mean(rule_folds):.3f}")
    if args.out is None:
        return 0
    k = len(categories)
    probe = CategoryModel(categories, np.zeros((1, k)), np.zeros(k), weight, {})
    x, sentences, y = with_cameo(part(even))
    w, b = fit(probe.inputs(x, sentences), y, k, l2)
    info = {
        "trained_on": "PLOVER records at even positions + CAMEO2PLOVER descriptions",
        "l2": l2,
        "grid_even_cv": grid,
        "odd_folds_model": model_folds,
        "odd_folds_rules": rule_folds,
        "odd_mean_model": round(float(np.mean(model_folds)), 4),
        "odd_mean_rules": round(float(np.mean(rule_folds)), 4),
    }
    args.out.write_text(
        json.dumps(CategoryModel(categories, w, b, weight, info, above).as_json(), separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
