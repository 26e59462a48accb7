"""Train the caption model (:mod:`storyline.clean.caption_model`) on the train split of the caption
gold, choose its threshold out of fold, and report the train and dev figures.

    python -m storyline.clean.train_caption_model ../shared/eval            # writes the shipped model
    python -m storyline.clean.train_caption_model ../shared/eval --out m.json

Examples are the gold lines no longer than a leftover can be
(:data:`~storyline.clean.leftovers.MAX_LEFTOVER_CHARS`), those the rules remove too (on the lines
they were written on, they leave few captions for the model to learn from); a caption or credit
line is a positive. The model reads, in use, only the lines the rules keep. The weights come from
an L2-penalised logistic regression on standardised features. The threshold is chosen on
probabilities read out of fold (five folds, a document's lines in one fold): the lowest at which
the rules' removals and the model's together keep a precision of at least
:data:`PRECISION_FLOOR` on the train split, so the most recall for that precision. The dev split
is read only to report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storyline.clean import leftovers
from storyline.clean.caption_model import FEATURES, MODEL_PATH, CaptionModel, line_features
from storyline.cluster.model import fit_logistic

#: The precision the rules and the model together must keep on the train split (out of fold): a
#: story line taken out of the body costs more than a caption left in.
PRECISION_FLOOR = 0.97
L2 = 1.0
FOLDS = 5


def examples(root: Path, split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Features, labels (1: caption or credit, 0: body) and whether the rules remove it, of every
    gold line of ``split``; and each line's document. A line longer than a leftover can be gets
    label -1 (caption or credit) or -2 (body): kept whatever the model says, it counts in the
    figures only."""
    from storyline.evaluate.captions import load_gold

    loaded = load_gold(root, split)
    kinds = {
        source: leftovers.classify_lines(lines, model=None, late=False) for source, lines in loaded.documents.items()
    }
    rows, labels, by_rules, groups = [], [], [], []
    for record, text in loaded.lines:
        lines = loaded.documents[record.source]
        removed = [k is not leftovers.LineKind.BODY for k in kinds[record.source]]
        should = record.label != "body"
        long = len(text) > leftovers.MAX_LEFTOVER_CHARS
        rows.append([0.0] * len(FEATURES) if long else line_features(lines, record.line, removed))
        labels.append((-1 if should else -2) if long else int(should))
        by_rules.append(removed[record.line])
        groups.append(record.source)
    return np.asarray(rows, dtype=float), np.asarray(labels), np.asarray(by_rules, dtype=bool), groups


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    w, b = fit_logistic((x - mean) / scale, y.astype(float), l2=L2)
    return w, b, mean, scale


def _fold(group: str) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % FOLDS


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """Each usable example's probability from a model fitted without its document's fold."""
    usable = y >= 0
    folds = np.asarray([_fold(g) for g in groups])
    p = np.zeros(len(y))
    for k in range(FOLDS):
        train, test = usable & (folds != k), usable & (folds == k)
        if not test.any():
            continue
        w, b, mean, scale = _fit(x[train], y[train])
        p[test] = 1.0 / (1.0 + np.exp(-(((x[test] - mean) / scale) @ w + b)))
    return p


def figures(p: np.ndarray, y: np.ndarray, by_rules: np.ndarray, threshold: float) -> dict[str, float]:
    """Precision and recall of the rules' removals and the model's (at ``threshold``, on the lines
    the rules keep) together, over every gold line of the split."""
    take = by_rules | ((y >= 0) & (p >= threshold))
    should = (y == 1) | (y == -1)
    right, removed = int((take & should).sum()), int(take.sum())
    return {
        "precision": round(right / removed, 4) if removed else 0.0,
        "recall": round(right / int(should.sum()), 4) if should.any() else 0.0,
        "removed": removed,
    }


def choose_threshold(p: np.ndarray, y: np.ndarray, by_rules: np.ndarray) -> float:
    """The lowest threshold whose figures keep :data:`PRECISION_FLOOR` (1.0, the model never
    removing anything, when none does)."""
    for t in sorted({round(float(v), 4) for v in p[y >= 0]} | {1.0}):
        if t > 0 and figures(p, y, by_rules, t)["precision"] >= PRECISION_FLOOR:
            return t
    return 1.0


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / MODEL_PATH)
    args = parser.parse_args(argv)
    x, y, by_rules, groups = examples(args.eval_root, "train")
    oof = out_of_fold(x, y, groups)
    threshold = choose_threshold(oof, y, by_rules)
    usable = y >= 0
    w, b, mean, scale = _fit(x[usable], y[usable])
    model = CaptionModel(w, b, mean, scale, threshold, f"caption gold, train split ({int(usable.sum())} lines)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.as_json(), indent=1) + "\n", encoding="utf-8")
    print(f"train, out of fold: rules alone {figures(oof, y, by_rules, 2.0)}; with the model at {threshold}: "
          f"{figures(oof, y, by_rules, threshold)}")  # fmt: skip
    dx, dy, dev_rules, _ = examples(args.eval_root, "dev")
    dp = model.probabilities(dx)
    print(
        f"dev: rules alone {figures(dp, dy, dev_rules, 2.0)}; with the model: {figures(dp, dy, dev_rules, threshold)}"
    )
    order = np.argsort(-np.abs(w))
    print("largest weights: " + ", ".join(f"{FEATURES[i]} {w[i]:+.2f}" for i in order[:10]))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
