"""Learn a language's span model (:mod:`storyline.annotate.span_model`) from a CoNLL file.

    python -m storyline.annotate.train_span_model ../shared/eval/ner/conll2002/es.dev.conll

The file is read as ``storyline eval ner`` reads it (documents of 20 sentences when it marks
none). The language's recogniser reads each document; its spans, with the runs of capitalised
words it left out (:func:`storyline.annotate.entities.with_capitalised`, so that the model can
also add names the recogniser missed; ``--recogniser-only`` leaves them out), are trimmed as
annotation trims them (:meth:`EntityRecognizer.trimmed`), and each trimmed span is labelled with the gold type of
the same tokens, or ``O``. The figures are out of fold: the documents are cut into five
contiguous blocks (neighbouring documents, often one story's, stay in one block), and each block
is scored by a model learned on the other four. Printed per fold: entity F1 of the recogniser's
spans as they come, trimmed, and trimmed and typed by the model; and storyline's whole recogniser
with that fold's model (its other repairs included: what ``storyline eval ner`` scores), with its
precision and recall. For a language with no recogniser installed (Dutch), the "recogniser's spans" are
runs of capitalised words (:func:`storyline.annotate.span_model.capitalised_names`), which carry
no type: the first two figures are 0 there. ``--capitalised`` learns on a language's capitalised
names although its model is installed: the model Spanish uses without the opt-in recogniser. The
shipped model is then learned on every document and written, with those figures, to
``data/span_labels_<lang>.json`` (``-capitalised`` before ``.json`` for capitalised names).

Settings (not searched on the folds): a feature is kept when it occurs in at least
:data:`MIN_COUNT` training spans; L2 penalty :data:`L2`. The model is learned for the recogniser
installed (its module and version, ``EntityRecognizer.recogniser_name``) and applies to no other.
A new model file changes annotations: raise the entity stage's version
(``storyline.annotate.entities.NAME``) with it, so that stores re-annotate.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from scipy import sparse

from storyline.annotate.entities import (
    WITH_CAPITALISED,
    EntityRecognizer,
    _clean_span,
    capitalised_names_model,
    with_capitalised,
)
from storyline.annotate.linear import fit
from storyline.annotate.span_model import FUNCTION_WORDS, LABELS, SpanModel, file_name
from storyline.evaluate.ner import ConllDocument, gold_spans, language_of_file, on_tokens, read_conll, score_documents

MIN_COUNT = 2
L2 = 1.0
FOLDS = 5
DATA = Path(__file__).resolve().parent / "data"


def _matrix(rows: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    data, cols, pointer = [], [], [0]
    for row in rows:
        at = sorted({vocabulary[f] for f in row if f in vocabulary})
        cols += at
        data += [1.0] * len(at)
        pointer.append(len(cols))
    return sparse.csr_matrix((data, cols, pointer), shape=(len(rows), len(vocabulary)))


def learn(rows: Sequence[Sequence[str]], labels: Sequence[str], language: str, recogniser: str) -> SpanModel:
    counts = Counter(f for row in rows for f in set(row))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}
    y = np.array([LABELS.index(label) for label in labels])
    weights, bias = fit(_matrix(rows, vocabulary), y, len(LABELS), L2, iterations=600, rate=1.0)
    return SpanModel(language, recogniser, vocabulary, weights, bias, {})


def _f1(docs: Sequence[ConllDocument], found: Sequence[Sequence[tuple[int, int, str]]]) -> float:
    return _figures(docs, found)["f1"]


def _figures(docs: Sequence[ConllDocument], found: Sequence[Sequence[tuple[int, int, str]]]) -> dict[str, float]:
    scores = score_documents(docs, found).as_dict()["ALL"]
    return {k: round(float(scores[k]), 4) for k in ("precision", "recall", "f1")}


@contextmanager
def _using(recogniser: EntityRecognizer, language: str, model: SpanModel) -> Iterator[None]:
    """The recogniser with ``model`` as the language's span model, for the time of the block."""
    recogniser._span_models[language] = model
    try:
        yield
    finally:
        recogniser._span_models.pop(language, None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("conll", type=Path, help="a CoNLL file with gold entities (e.g. conll2002/es.dev.conll)")
    parser.add_argument("--language", help="the file's language (default: from its name)")
    parser.add_argument(
        "--capitalised",
        action="store_true",
        help="learn on the language's capitalised names, as read where its model is not installed",
    )
    parser.add_argument(
        "--recogniser-only",
        action="store_true",
        help="learn on the recogniser's spans alone, without the capitalised names it missed",
    )
    parser.add_argument(
        "--out", type=Path, help="where to write the model (default: data/span_labels_<lang>[-capitalised].json)"
    )
    args = parser.parse_args(argv)
    language = args.language or language_of_file(args.conll)
    if language not in FUNCTION_WORDS:
        parser.error(f"spans are trimmed and retyped only for {sorted(FUNCTION_WORDS)}, not {language!r}")
    recogniser = (
        EntityRecognizer(models={language: (capitalised_names_model(language),)})
        if args.capitalised
        else EntityRecognizer()
    )
    name = recogniser.recogniser_name(language)
    if name is None:
        parser.error(f"no recogniser installed for {language!r}")
    print(f"learning the span model of {language!r} read by {name}")
    docs = read_conll(args.conll)
    texts = [d.text_and_offsets()[0] for d in docs]
    model_spans = recogniser.model_spans(language, texts)
    chosen = recogniser.model_for(language)
    # a recogniser's model also gets the capitalised names it missed as candidates (its spans
    # alone: --recogniser-only); capitalised names are the candidates already where none is installed
    union = chosen is not None and chosen.loads_model and not args.recogniser_only
    candidates = "recogniser" if not union else WITH_CAPITALISED
    if union:
        model_spans = [with_capitalised(t, spans, language) for t, spans in zip(texts, model_spans, strict=True)]
    as_given = [
        [(*fixed, label) for s, e, label in spans if (fixed := _clean_span(t, s, e))]
        for t, spans in zip(texts, model_spans, strict=True)
    ]
    trimmed = [recogniser.trimmed(t, spans, language) for t, spans in zip(texts, model_spans, strict=True)]
    rows_of = [recogniser.span_rows(t, spans, language) for t, spans in zip(texts, trimmed, strict=True)]
    labels_of: list[list[str]] = []
    for doc, spans in zip(docs, trimmed, strict=True):
        gold = {(s, e): label for s, e, label in gold_spans(doc.tags)}
        labels_of.append([gold.get((s, e), "O") for s, e, _ in on_tokens(doc, spans)])
    blocks = [range(i * len(docs) // FOLDS, (i + 1) * len(docs) // FOLDS) for i in range(FOLDS)]
    folds = []
    for block in blocks:
        train = [i for i in range(len(docs)) if i not in block]
        model = learn([r for i in train for r in rows_of[i]], [y for i in train for y in labels_of[i]], language, name)
        model.info["candidates"] = candidates
        part = [docs[i] for i in block]
        typed = [
            [(s, e, new) for (s, e, _), new in zip(trimmed[i], model.labels(rows_of[i]), strict=True) if new != "O"]
            for i in block
        ]
        with _using(recogniser, language, model):  # the whole recogniser, its other repairs included
            found = recogniser.recognise([texts[i] for i in block], languages=[language] * len(block))
        whole = _figures(part, [[(m.start, m.end, m.label) for m in ms] for ms in found])
        folds.append(
            {
                "documents": len(block),
                "as_given": _f1(part, [as_given[i] for i in block]),
                "trimmed": _f1(part, [trimmed[i] for i in block]),
                "typed": _f1(part, typed),
                "storyline": whole["f1"],
                "storyline_precision": whole["precision"],
                "storyline_recall": whole["recall"],
            }
        )
        print(json.dumps(folds[-1]))
    mean = {k: round(float(np.mean([f[k] for f in folds])), 4) for k in folds[0] if k != "documents"}
    print("mean over folds:", json.dumps(mean))
    model = learn([r for rows in rows_of for r in rows], [y for ys in labels_of for y in ys], language, name)
    info = {
        "data": f"{args.conll.parent.name}/{args.conll.name}",
        "sha1": hashlib.sha1(args.conll.read_bytes()).hexdigest()[:12],
        "spans": sum(map(len, rows_of)),
        "min_count": MIN_COUNT,
        "l2": L2,
        "folds": folds,
        "mean_f1_out_of_fold": mean,
        "trained_by": "python -m storyline.annotate.train_span_model",
        "candidates": candidates,
    }
    model = SpanModel(model.language, model.recogniser, model.features, model.weights, model.bias, info)
    out = args.out or DATA / file_name(language, capitalised=chosen is not None and not chosen.loads_model)
    out.write_text(model.dumps(), encoding="utf-8")
    print(f"wrote {out} ({len(model.features)} features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
