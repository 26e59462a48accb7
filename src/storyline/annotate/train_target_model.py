"""Fit the event target model (:mod:`storyline.annotate.events.targets`) on PLOVER's coded records.

    python -m storyline.annotate.train_target_model ../shared/eval/plover/records.json

Each record's main event is found with the rules alone (the model off); every candidate phrase of
its sentence (a noun phrase no argument holds) is a row, labelled by whether it names one of the
coders' targets (the same match as ``storyline eval plover``). A logistic regression (L2 1.0, as
the other shipped linear models) is fit on every record and written to ``data/event_targets.json``,
so ``storyline eval plover`` with the model turned on is an in-sample figure. ``--folds`` gives the
figures of records a model did not see: it fits one on the records at even positions and scores
the odd ones with it, then the other way round, each next to the rules alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: L2 penalty of the regression (not tuned: the value the caption and category models use).
L2 = 1.0


def rows(path: Path) -> list[tuple[int, list[str], bool]]:
    """(record position, features, is a target) for every candidate phrase of every record."""
    kept = os.environ.get("STORYLINE_TARGET_MODEL")
    os.environ["STORYLINE_TARGET_MODEL"] = "off"  # the rules alone make the rows
    try:
        return _rows(path)
    finally:
        if kept is None:
            del os.environ["STORYLINE_TARGET_MODEL"]
        else:
            os.environ["STORYLINE_TARGET_MODEL"] = kept


def _rows(path: Path) -> list[tuple[int, list[str], bool]]:
    from storyline.annotate import Annotator
    from storyline.annotate.event_model import main_event
    from storyline.annotate.events.parse import EventParser
    from storyline.annotate.events.targets import candidates, features, trigger_token, wanted
    from storyline.annotate.events.triggers import sentence_mentions
    from storyline.evaluate import gold_document
    from storyline.evaluate.plover import actor_matches, read_plover
    from storyline.model.annotations import EventActor

    records = read_plover(path)
    annotator = Annotator()
    parser = EventParser()
    docs = [gold_document(r.text, r.id, r.date) for r in records]
    out: list[tuple[int, list[str], bool]] = []
    for first in range(0, len(docs), 64):
        for k, annotated in enumerate(annotator.annotate_many(docs[first : first + 64])):
            position = first + k
            record = records[position]
            event = main_event(annotated.annotations.events)
            if event is None:
                continue
            text = annotated.document.text
            spans = [(e.start, e.end, e.label) for e in annotated.annotations.entities]
            for _, s in parser.sentences([text], [spans]):
                mention = next(
                    (m for m in sentence_mentions(s) if (m.start, m.end) == (event.trigger.start, event.trigger.end)),
                    None,
                )
                if mention is None or not wanted(mention):
                    continue
                trigger = trigger_token(s, mention)
                if trigger is None:
                    continue
                for tok in candidates(s, trigger, mention):
                    start, end = s.phrase(tok)
                    phrase = text[start:end]
                    name = next((text[a:b] for a, b, _ in spans if a <= s.at(tok)[0] < b), phrase)
                    said = [EventActor("target", p, start, end) for p in (phrase, name)]
                    hit = any(actor_matches(g, a) for g in record.targets for a in said)
                    out.append((position, features(s, trigger, mention, tok), hit))
    return out


def fit(data: Sequence[tuple[int, list[str], bool]]) -> dict[str, Any]:
    """The model's JSON: a binary logistic regression over the named features."""
    from scipy.sparse import csr_matrix

    from storyline.annotate.linear import fit as fit_linear

    names = sorted({f for _, fs, _ in data for f in fs})
    column = {n: j for j, n in enumerate(names)}
    indptr, indices = [0], []
    for _, fs, _ in data:
        indices += [column[f] for f in dict.fromkeys(fs)]
        indptr.append(len(indices))
    matrix = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(data), len(names)))
    labels = np.array([int(hit) for _, _, hit in data])
    weights, bias = fit_linear(matrix, labels, 2, L2)
    w = weights[:, 1] - weights[:, 0]
    return {
        "meta": {"rows": len(data), "targets": int(labels.sum()), "l2": L2},
        "bias": float(bias[1] - bias[0]),
        "weights": {n: float(w[j]) for n, j in column.items() if abs(w[j]) > 1e-6},
    }


def _score(path: Path, split: str, model: str) -> dict[str, Any]:
    """``storyline eval plover`` of one split with a model file (or ``off``), in a new process."""
    env = {**os.environ, "STORYLINE_TARGET_MODEL": model}
    done = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "eval", "plover", str(path), "--split", split, "--json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    from storyline.annotate.events.targets import MODEL_PATH, TargetModel

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path, help="PLOVER records.json")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--folds", action="store_true", help="also fit on odd, score even; print both folds")
    args = parser.parse_args(argv)
    data = rows(args.records)
    even = [r for r in data if r[0] % 2 == 0]
    odd = [r for r in data if r[0] % 2 == 1]
    model = fit(data)
    model["meta"]["fit_on"] = f"{args.records.name}: every record (figures of records it did not see: --folds)"
    args.out.write_text(json.dumps(TargetModel.from_json(model).as_json(), indent=1) + "\n", encoding="utf-8")
    print(f"{len(data):,} candidate rows ({model['meta']['targets']} targets) -> {args.out}")
    if args.folds:
        with tempfile.TemporaryDirectory() as tmp:
            folds = {"odd": Path(tmp) / "even-fit.json", "even": Path(tmp) / "odd-fit.json"}
            folds["odd"].write_text(json.dumps(fit(even)), encoding="utf-8")
            folds["even"].write_text(json.dumps(fit(odd)), encoding="utf-8")
            for split, fitted in ((k, str(v)) for k, v in folds.items()):
                for name, chosen in (("rules alone", "off"), ("with the model", fitted)):
                    r = _score(args.records, split, chosen)
                    print(
                        f"held out {split:>4} ({name:>14}): category {r['category_accuracy']:.3f}  actors "
                        f"{r['actor_match']:.3f} (sources {r['source_match']:.3f}, targets {r['target_match']:.3f}); "
                        f"precision {r['actor_precision']:.3f} of {r['actors_found']}"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
