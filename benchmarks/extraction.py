"""Main text and publication dates of real web pages: storyline against trafilatura and htmldate.

What is measured
----------------
**Main text**, on trafilatura's own evaluation corpus (``tests/evaldata.json`` with the pages
in ``tests/eval/`` and ``tests/cache/`` of https://github.com/adbar/trafilatura, 990 pages in
many languages). Each page carries hand-picked snippets that must appear in the main text
("with") and snippets of boilerplate that must not ("without"). The scoring is the one of
trafilatura's ``tests/eval_common.py``: white space is normalised, a "with" snippet found in the
output is a true positive (missing: a false negative), a "without" snippet found is a false
positive (missing: a true negative); precision, recall, accuracy and F1 are taken over the
summed counts. A crash or an empty result counts as a full miss, as there. Three extractors run
on the same bytes in the same run:

* **storyline**: the whole cleaner (``storyline.clean.Cleaner``, default configuration) on the
  page's bytes as an ``html-page`` article, given nothing else (as trafilatura is), scored on the
  stored document text (the headline, captions, credit lines and scraper leftovers are kept in
  their own fields, not in the text);
* **trafilatura (defaults)**: ``trafilatura.extract(page)``;
* **trafilatura (benchmark settings)**: ``extract(page, fast=False, include_comments=False,
  include_tables=True, include_formatting=False)``, the settings of trafilatura's own
  benchmark (``EXTRACT_OPTS`` in its ``tests/eval_common.py``).

**Publication dates**, on htmldate's evaluation corpus (``tests/eval_default.json`` and
``tests/eval_mediacloud_2020.json`` with the pages in ``tests/test_set/``, ``tests/cache/`` and
``tests/eval/`` of https://github.com/adbar/htmldate, 1,000 pages, each with a gold day; 5 have
none and count as a miss for everyone, as in htmldate's own ``tests/evaluation.py``). A result
counts as right when it is that day (storyline's date is taken in the zone the page gave, or as
written when it gave none); no date counts as a miss. In the same run:

* **storyline**: the publication date of the cleaned document (``Document.published``), with
  the page's URL, as storyline gets it when it fetches a page or reads a web archive; and
  without the URL, as htmldate's own benchmark runs;
* **htmldate default**: ``find_date(page)`` (extensive search, the last-modified date);
* **htmldate best**: ``find_date(page, original_date=True, extensive_search=True)``, the
  "extensive" row of htmldate's own benchmark; and once more with the URL.

Getting the pages
-----------------
The pages are public test material of those projects; they are fetched at run time and never
committed here::

    git clone --depth 1 https://github.com/adbar/trafilatura /tmp/trafilatura
    git clone --depth 1 https://github.com/adbar/htmldate /tmp/htmldate
    python benchmarks/extraction.py --pages /tmp/trafilatura/tests --dates-pages /tmp/htmldate/tests

``--pages`` and ``--dates-pages`` take either the ``tests`` folder or the repository root.
``--limit N`` runs the first N pages of each corpus (a quick look); ``--workers`` spreads pages
over processes (each page still goes through every extractor in the same process). The table
is printed; the figures, with the settings, versions and the pages each method got wrong,
are written to ``benchmarks/out/extraction.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out" / "extraction.json"

TEXT_METHODS = ("storyline", "trafilatura (defaults)", "trafilatura (benchmark settings)")
DATE_METHODS = (
    "storyline, with URL",
    "storyline, without URL",
    "htmldate default",
    "htmldate best (original_date, extensive)",
    "htmldate best, with URL",
)
#: trafilatura's benchmark settings (tests/eval_common.py, EXTRACT_OPTS, with fast=False).
BENCHMARK_SETTINGS: dict[str, Any] = {
    "fast": False,
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
}

# -- corpora -------------------------------------------------------------------------------


def _tests_dir(path: Path, marker: str) -> Path:
    for candidate in (path, path / "tests"):
        if (candidate / marker).is_file():
            return candidate
    raise SystemExit(f"error: no {marker} in {path} or {path / 'tests'} (see --help for how to get the pages)")


def _resolve(root: Path, name: str, subdirs: Iterable[str]) -> Path:
    for sub in subdirs:
        path = root / sub / name
        if path.is_file():
            return path
    raise SystemExit(f"error: page {name} not found under {root}")


def text_corpus(pages: Path) -> list[dict[str, Any]]:
    """trafilatura's evaluation pages: url, file path, "with" and "without" snippets."""
    root = _tests_dir(pages, "evaldata.json")
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    return [
        {"url": url, "path": str(_resolve(root, item["file"], ("cache", "eval"))), **item}
        for url, item in sorted(data.items())
    ]


def date_corpus(pages: Path) -> list[dict[str, Any]]:
    """htmldate's evaluation pages: url, file path and gold date (YYYY-MM-DD)."""
    root = _tests_dir(pages, "eval_default.json")
    out: list[dict[str, Any]] = []
    for name in ("eval_mediacloud_2020.json", "eval_default.json"):  # htmldate's own order
        data = json.loads((root / name).read_text(encoding="utf-8"))
        out.extend(
            {"url": url, "path": str(_resolve(root, item["file"], ("test_set", "cache", "eval"))), **item}
            for url, item in data.items()
        )
    return out


def htmldate_document(raw: bytes) -> str | bytes:
    """A page as htmldate's benchmark hands it to find_date (tests/evaluation.py, load_document)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import detect

        guessed = detect(raw)["encoding"]
        if guessed:
            try:
                return raw.decode(guessed)
            except (UnicodeDecodeError, LookupError):
                pass
        return raw


# -- scoring -------------------------------------------------------------------------------


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def count_item(item: dict[str, Any], result: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as trafilatura's tests/eval_common.py counts them."""
    if isinstance(result, str):
        found = norm(result)
        tp = sum(1 for w in item["with"] if norm(w) in found)
        fp = sum(1 for w in item["without"] if norm(w) in found)
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    seconds: float = 0.0
    pages: int = 0
    empty: int = 0
    errors: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("tp", "fp", "fn", "tn", "seconds", "pages", "empty", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wrong.extend(other.wrong)

    def scores(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        accuracy = (self.tp + self.tn) / total if total else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0
        return {"precision": precision, "recall": recall, "accuracy": accuracy, "f1": f1}

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: round(v, 4) for k, v in self.scores().items()},
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "pages": self.pages,
            "empty": self.empty,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "wrong_pages": sorted(self.wrong),
        }


# -- runners (one set per worker process) --------------------------------------------------

_CLEANER: Any = None


def _cleaner() -> Any:
    global _CLEANER
    if _CLEANER is None:
        from storyline.clean import Cleaner
        from storyline.config import IngestConfig

        _CLEANER = Cleaner(IngestConfig())
    return _CLEANER


def storyline_document(raw: bytes, path: str, url: str | None) -> Any:
    """The cleaned document storyline makes of a page, or None when it refuses the page."""
    from storyline.model import Article, ContentKind, Document, SourceFields

    article = Article(raw, ContentKind.HTML_PAGE, origin=path, source_id=url or path, fields=SourceFields(url=url))
    result = _cleaner().clean_many([article])[0]
    return result if isinstance(result, Document) else None


def run_text_storyline(raw: bytes, item: dict[str, Any]) -> str | None:
    doc = storyline_document(raw, item["path"], None)
    return doc.text if doc is not None else None


def run_text_trafilatura(raw: bytes, item: dict[str, Any]) -> str | None:
    import trafilatura

    result: str | None = trafilatura.extract(raw)
    return result


def run_text_benchmark(raw: bytes, item: dict[str, Any]) -> str | None:
    import trafilatura

    result: str | None = trafilatura.extract(raw, **BENCHMARK_SETTINGS)
    return result


TEXT_RUNNERS: dict[str, Callable[[bytes, dict[str, Any]], str | None]] = {
    "storyline": run_text_storyline,
    "trafilatura (defaults)": run_text_trafilatura,
    "trafilatura (benchmark settings)": run_text_benchmark,
}


def _storyline_day(raw: bytes, item: dict[str, Any], url: str | None) -> str | None:
    doc = storyline_document(raw, item["path"], url)
    if doc is None or doc.published is None:
        return None
    day: str = doc.published.value.date().isoformat()
    return day


def _htmldate(raw: bytes, url: str | None, **options: Any) -> str | None:
    from htmldate import find_date

    result: str | None = find_date(htmldate_document(raw), url=url, **options)
    return result


DATE_RUNNERS: dict[str, Callable[[bytes, dict[str, Any]], str | None]] = {
    "storyline, with URL": lambda raw, item: _storyline_day(raw, item, item["url"]),
    "storyline, without URL": lambda raw, item: _storyline_day(raw, item, None),
    "htmldate default": lambda raw, item: _htmldate(raw, None),
    "htmldate best (original_date, extensive)": lambda raw, item: _htmldate(
        raw, None, original_date=True, extensive_search=True
    ),
    "htmldate best, with URL": lambda raw, item: _htmldate(raw, item["url"], original_date=True, extensive_search=True),
}


def _quiet() -> None:
    import logging

    logging.disable(logging.CRITICAL)  # trafilatura and htmldate log every odd page


def text_chunk(items: list[dict[str, Any]]) -> dict[str, Tally]:
    _quiet()
    tallies = {name: Tally() for name in TEXT_RUNNERS}
    for item in items:
        raw = Path(item["path"]).read_bytes()
        for name, run in TEXT_RUNNERS.items():
            start = time.perf_counter()
            try:
                result = run(raw, item)
            except Exception:
                result = None
                tallies[name].errors += 1
            tallies[name].seconds += time.perf_counter() - start
            tp, fp, fn, tn = count_item(item, result)
            tally = tallies[name]
            tally.tp, tally.fp, tally.fn, tally.tn, tally.pages = (
                tally.tp + tp,
                tally.fp + fp,
                tally.fn + fn,
                tally.tn + tn,
                tally.pages + 1,
            )
            if not result:
                tally.empty += 1
            if fp or fn:
                tally.wrong.append(f"{item['file']} tp={tp} fp={fp} fn={fn}")
    return tallies


def date_chunk(items: list[dict[str, Any]]) -> dict[str, Tally]:
    _quiet()
    tallies = {name: Tally() for name in DATE_RUNNERS}
    for item in items:
        raw = Path(item["path"]).read_bytes()
        for name, run in DATE_RUNNERS.items():
            tally = tallies[name]
            start = time.perf_counter()
            try:
                result = run(raw, item)
            except Exception:
                result = None
                tally.errors += 1
            tally.seconds += time.perf_counter() - start
            tally.pages += 1
            if result is None:
                tally.empty += 1
                tally.fn += 1  # htmldate's evaluate_result: no date for a dated page
                tally.wrong.append(f"{item['file']} gold={item['date']} got=None")
            elif isinstance(item["date"], str) and result == item["date"]:
                tally.tp += 1
            else:
                tally.fp += 1
                tally.wrong.append(f"{item['file']} gold={item['date']} got={result}")
    return tallies


def _run(
    chunk: Callable[[list[dict[str, Any]]], dict[str, Tally]], items: list[dict[str, Any]], workers: int
) -> dict[str, Tally]:
    size = max(1, min(25, len(items) // (workers * 4) or 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    totals: dict[str, Tally] = {}
    if workers <= 1:
        results: Iterable[dict[str, Tally]] = map(chunk, chunks)
        for done, result in enumerate(results, 1):
            _merge(totals, result)
            _progress(done, len(chunks))
        return totals
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for done, result in enumerate(pool.map(chunk, chunks), 1):
            _merge(totals, result)
            _progress(done, len(chunks))
    return totals


def _merge(totals: dict[str, Tally], result: dict[str, Tally]) -> None:
    for name, tally in result.items():
        totals.setdefault(name, Tally()).add(tally)


def _progress(done: int, total: int) -> None:
    if done == total or done % 10 == 0:
        print(f"  {done}/{total} chunks", file=sys.stderr, flush=True)


# -- report --------------------------------------------------------------------------------


def _table(title: str, totals: dict[str, Tally], columns: tuple[str, ...]) -> str:
    lines = [title, "", "| method | pages | " + " | ".join(columns) + " | no result | errors | seconds |"]
    lines.append("| --- | ---: | " + " | ".join("---:" for _ in columns) + " | ---: | ---: | ---: |")
    for name, tally in totals.items():
        scores = tally.scores()
        cells = " | ".join(f"{scores[c]:.3f}" for c in columns)
        lines.append(f"| {name} | {tally.pages} | {cells} | {tally.empty} | {tally.errors} | {tally.seconds:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, help="trafilatura's tests folder (evaldata.json, eval/, cache/)")
    parser.add_argument("--dates-pages", type=Path, help="htmldate's tests folder (eval_default.json, test_set/, ...)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each corpus")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON results (default {OUT})")
    args = parser.parse_args(argv)
    if args.pages is None and args.dates_pages is None:
        parser.error("give --pages and/or --dates-pages")
    report: dict[str, Any] = {
        "run": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "versions": {p: version(p) for p in ("storyline", "trafilatura", "htmldate", "lxml")},
        "workers": args.workers,
    }
    if args.pages is not None:
        items = text_corpus(args.pages)[: args.limit]
        print(f"main text: {len(items)} pages of trafilatura's evaluation set", file=sys.stderr)
        start = time.perf_counter()
        totals = _run(text_chunk, items, args.workers)
        report["main_text"] = {
            "pages": len(items),
            "corpus": "trafilatura tests/evaldata.json (tests/eval, tests/cache)",
            "benchmark_settings": BENCHMARK_SETTINGS,
            "wall_seconds": round(time.perf_counter() - start, 1),
            "methods": {name: totals[name].as_dict() for name in TEXT_METHODS},
        }
        print(_table(f"Main text, {len(items)} pages", totals, ("precision", "recall", "accuracy", "f1")))
        print()
    if args.dates_pages is not None:
        items = date_corpus(args.dates_pages)[: args.limit]
        print(f"dates: {len(items)} pages of htmldate's evaluation set", file=sys.stderr)
        start = time.perf_counter()
        totals = _run(date_chunk, items, args.workers)
        report["dates"] = {
            "pages": len(items),
            "pages_without_gold_date": sum(1 for item in items if not isinstance(item["date"], str)),
            "corpus": "htmldate tests/eval_mediacloud_2020.json + tests/eval_default.json",
            "wall_seconds": round(time.perf_counter() - start, 1),
            "methods": {name: totals[name].as_dict() for name in DATE_METHODS},
        }
        print(_table(f"Publication dates, {len(items)} pages", totals, ("accuracy", "precision", "recall", "f1")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
