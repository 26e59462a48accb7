"""How much of a text language identification needs to read: accuracy and processor time per
sample length.

storyline identifies a document's language from the start of its cleaned text
(``storyline.clean.language.SAMPLE_CHARS`` characters). lingua's time grows with the length it
reads, and in an HTML ingest it was about a fifth of all the processor time, so the length is
a trade-off measured here, on two kinds of text with known languages from ``../shared/eval``:

* **news**: the articles of ``semeval2022-task8/pairs.jsonl`` (each text once, with the
  language the data set gives it), cleaned as plain body text as an ingest would clean them;
* **passages**: the NER dev files (``ner/*/xx.dev.conll``, ``xx.devtest.conll`` and
  ``xx.sample.conll``; the language is the file name's), read as ``storyline.evaluate.ner.read_conll``
  reads them: a document per ``-DOCSTART-`` block, or per 20 sentences in a file without them.
  Wikipedia and newswire sentences, dense with names, so harder than news.

For each length it reports the share of texts given their gold language, how many get the same
answer as at the longest length asked for (1,000 characters: the length used before), and the
processor time per text of ``LanguageIdentifier.detect_many`` as the cleaner calls it (lingua's
threads included; texts with too few letters get no language, as there). Run::

    python benchmarks/language_sample.py --eval ../shared/eval [--lengths 1000,500,300] [--json]

The times and answers per length are those of ``detect_many``, which answers plainly English texts
without lingua (``plainly_english``); a line per kind of text then says how many texts that
shortcut answers, whether lingua alone would give each of them English too, and the largest share
of English words in a text of another language (the margin below ``ENGLISH_SHARE``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.clean import Cleaner
from storyline.clean.language import (
    ENGLISH_MIN_WORDS,
    SAMPLE_CHARS,
    LanguageIdentifier,
    english_share,
    plainly_english,
    sample_words,
)
from storyline.config import IngestConfig
from storyline.evaluate.ner import language_of_file, read_conll
from storyline.model import Article, ContentKind, Document

Labelled = list[tuple[str, str]]
"""(text, gold language) pairs."""


def news_texts(eval_root: Path) -> Labelled:
    """The SemEval 2022 task 8 articles, each once, cleaned as plain body text."""
    path = eval_root / "semeval2022-task8" / "pairs.jsonl"
    gold: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for side in ("1", "2"):
                text = record.get("text" + side)
                if text and text not in gold:
                    gold[text] = record["lang" + side]
    texts = list(gold)
    articles = [
        Article(content=t, kind=ContentKind.BODY_TEXT, origin=f"{path}#{i}", source_id=str(i))
        for i, t in enumerate(texts)
    ]
    cleaned = Cleaner(IngestConfig()).clean_many(articles)
    return [(doc.text, gold[t]) for doc, t in zip(cleaned, texts, strict=True) if isinstance(doc, Document)]


#: The NER files read: development splits only (``xx.<split>.conll``; a test split is never read,
#: nor a relabelled copy such as ``en.sample.gpe-adj-as-misc.conll``).
DEV_SPLITS = ("dev", "devtest", "sample")


def passages(eval_root: Path) -> Labelled:
    """The NER dev files' documents with their file's language."""
    out: Labelled = []
    for path in sorted((eval_root / "ner").glob("*/*.conll")):
        parts = path.name.split(".")
        if len(parts) != 3 or parts[1] not in DEV_SPLITS:
            continue
        language = language_of_file(path)
        out.extend((" ".join(doc.tokens), language) for doc in read_conll(path))
    return out


def measure(texts: Labelled, lengths: list[int], identifier: LanguageIdentifier) -> list[dict[str, Any]]:
    """One row per sample length, longest first (the reference the others are compared with)."""
    if not texts:
        return []
    lengths = sorted(lengths, reverse=True)
    plain = [t for t, _ in texts]
    identifier.detect_many(plain, sample=lengths[0])  # untimed: every language's models loaded
    reference: list[str | None] | None = None
    rows = []
    for length in lengths:
        started = time.process_time()
        codes = identifier.detect_many(plain, sample=length)
        seconds = time.process_time() - started
        if reference is None:
            reference = codes
        pairs = list(zip(codes, texts, strict=True))
        wrong = Counter(f"{gold}->{code}" for code, (_, gold) in pairs if code != gold)
        rows.append(
            {
                "chars": length,
                "texts": len(texts),
                "accuracy": round(sum(code == gold for code, (_, gold) in pairs) / len(texts), 4),
                "same_as_longest": sum(a == b for a, b in zip(codes, reference, strict=True)),
                "cpu_ms_per_text": round(seconds / len(texts) * 1000, 3),
                "wrong": dict(wrong.most_common()),
            }
        )
    return rows


def fast_english(texts: Labelled, identifier: LanguageIdentifier) -> dict[str, Any]:
    """How the plain-English shortcut (``storyline.clean.language.plainly_english``) does: the
    texts it answers, whether lingua alone gives each of them English too, and the largest share
    of ``ENGLISH_WORDS`` (``storyline.clean.language``) among the words of a text in another
    language (the margin below ``ENGLISH_SHARE``)."""
    detector = identifier._get()  # lingua alone, without the shortcut
    taken, differ, largest = 0, [], (0.0, "")
    for text, gold in texts:
        sample = text[:SAMPLE_CHARS]
        words = sample_words(sample)
        if gold != "en" and len(words) >= ENGLISH_MIN_WORDS:
            largest = max(largest, (round(english_share(words), 3), gold))
        if plainly_english(sample):
            taken += 1
            found = detector.detect_language_of(sample)
            if found is None or found.iso_code_639_1.name.lower() != "en":
                differ.append((gold, sample[:60]))
    english = sum(gold == "en" for _, gold in texts)
    return {"english": english, "taken": taken, "lingua_differs": differ, "largest_other_share": largest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"), help="the shared eval folder")
    parser.add_argument("--lengths", default="1000,750,500,400,300,200", help="sample lengths, in characters")
    parser.add_argument("--json", action="store_true", help="end with the results as JSON")
    args = parser.parse_args(argv)
    if not (args.eval / "semeval2022-task8" / "pairs.jsonl").exists() or not (args.eval / "ner").is_dir():
        print(f"skipped: {args.eval} holds no semeval2022-task8/pairs.jsonl or ner/", file=sys.stderr)
        return 0
    lengths = [int(x) for x in args.lengths.split(",") if x.strip()]
    detector = LanguageIdentifier(IngestConfig().languages)
    results: dict[str, Any] = {}
    for name, texts in (("news", news_texts(args.eval)), ("passages", passages(args.eval))):
        rows = measure(texts, lengths, detector)
        results[name] = rows
        if not rows:
            print(f"\n{name}: no texts found under {args.eval}")
            continue
        fast = fast_english(texts, detector)
        results[f"{name}_fast_english"] = fast
        print(
            f"\n{name}: the plain-English shortcut answers {fast['taken']} texts ({fast['english']} are English); "
            f"lingua differs on {len(fast['lingua_differs'])}; largest share of English words in another "
            f"language: {fast['largest_other_share'][0]} ({fast['largest_other_share'][1]})"
        )
        print(f"\n{name}: {len(texts)} texts, {dict(Counter(g for _, g in texts).most_common())}")
        print("| characters | accuracy | same answer as the longest | CPU ms per text | wrong (gold->found) |")
        print("| ---: | ---: | ---: | ---: | --- |")
        for row in rows:
            wrong = ", ".join(f"{k} {v}" for k, v in row["wrong"].items()) or "-"
            print(
                f"| {row['chars']} | {row['accuracy']:.4f} | {row['same_as_longest']} of {row['texts']} "
                f"| {row['cpu_ms_per_text']:.3f} | {wrong} |"
            )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
