"""Throughput of storyline's annotation (entities, time expressions, places, events) on 500-word
articles, set against spaCy's full en_core_web_sm pipeline on the same texts, in the same run,
and the time the event stage adds (storyline with and without it).

The baseline is what a user would reach for first: ``nlp.pipe(texts, n_process=2)`` with every
component of the model (tagger, parser, lemmatizer, NER). storyline runs only the tokeniser and
NER, then its own canonicalisation and time-expression rules. The ratio is storyline's documents
per second divided by the baseline's.

    python benchmarks/annotate.py            # 1,000 articles
    python benchmarks/annotate.py --n 200 --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_html import PageMaker
from storyline.annotate import Annotator
from storyline.annotate.spacy_model import MODEL_PACKAGE
from storyline.model import Document, content_id


def make_texts(n: int, seed: int, words: int = 500) -> list[str]:
    maker = PageMaker(seed)
    texts = []
    for _ in range(n):
        sentences: list[str] = []
        count = 0
        while count < words:
            sentence = maker._sentence()
            sentences.append(sentence)
            count += len(sentence.split())
        texts.append("\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)))
    return texts


def time_spacy_full(texts: list[str], processes: int) -> float:
    import spacy

    nlp = spacy.load(MODEL_PACKAGE)
    nlp("warm up")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=processes, batch_size=32):
        pass
    return time.perf_counter() - start


def time_storyline(texts: list[str], workers: int, events: bool = True) -> float:
    docs = [
        Document(id=content_id(t), text=t, source_id=str(i), origin=str(i), language="en") for i, t in enumerate(texts)
    ]
    annotator = Annotator(workers=workers, events=events)
    # load the models, and start the workers: a batch smaller than two per worker stays in-process
    annotator.annotate_many(docs[: 2 * max(workers, 1)], anchor=date(2024, 5, 1))
    start = time.perf_counter()
    for i in range(0, len(docs), 128):
        annotator.annotate_many(docs[i : i + 128], anchor=date(2024, 5, 1))
    elapsed = time.perf_counter() - start
    annotator.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--json", action="store_true", help="also print the results as one JSON object")
    args = parser.parse_args(argv)
    texts = make_texts(args.n, args.seed)
    mean_words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{args.n} generated articles, {mean_words:.0f} words on average; {os.cpu_count()} cores")
    rows: list[tuple[str, float]] = [
        ("spaCy en_core_web_sm, full pipeline, 2 processes", time_spacy_full(texts, 2)),
        ("storyline annotate, no events, 1 process", time_storyline(texts, 1, events=False)),
        ("storyline annotate, 1 process", time_storyline(texts, 1)),
        ("storyline annotate, no events, 2 processes", time_storyline(texts, 2, events=False)),
        ("storyline annotate, 2 processes", time_storyline(texts, 2)),
    ]
    base = args.n / rows[0][1]
    print(f"\n{'method':<50}{'seconds':>9}{'docs/s':>9}{'ratio':>8}")
    results: dict[str, Any] = {"n": args.n, "mean_words": round(mean_words), "cores": os.cpu_count(), "rows": []}
    for name, seconds in rows:
        rate = args.n / seconds
        print(f"{name:<50}{seconds:>9.2f}{rate:>9.1f}{rate / base:>8.2f}")
        results["rows"].append({"method": name, "seconds": round(seconds, 2), "docs_per_s": round(rate, 1)})
    print("ratio = docs/s divided by the full spaCy pipeline's docs/s")
    for n in (1, 2):
        without = dict(rows)[f"storyline annotate, no events, {n} process{'es' if n > 1 else ''}"]
        with_events = dict(rows)[f"storyline annotate, {n} process{'es' if n > 1 else ''}"]
        added = with_events / without - 1
        print(f"the event stage adds {added:.0%} to annotation time with {n} process{'es' if n > 1 else ''}")
        results[f"event_stage_added_{n}"] = round(added, 3)
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
