"""What the user waits for: whole commands, cold processes, next to spaCy's own full pipeline.

Each measurement is one new process, timed from outside, as a user runs it: interpreter start,
imports, model loads and every stage are inside the clock, and the store is created fresh.

* **baseline**: a Python process that reads the same JSON Lines file and runs spaCy's full
  ``en_core_web_sm`` pipeline over the texts (``nlp.pipe(texts, n_process=2, batch_size=32)``,
  every component: tagger, parser, lemmatizer, NER), what a user would reach for first;
* ``storyline analyze FILE --db NEW`` (ingest, annotate, happenings and storylines);
* ``storyline ingest FILE --db NEW`` (reading, cleaning, near-duplicates, store);
* ``storyline compare --pairs`` (pairs per second, cold process), when asked: with ``--eval``,
  SemEval-2022's English pairs and its pairs with a non-English side, else pairs of the texts;
* ``storyline --help``.

The runs are interleaved (baseline, analyze, ingest, then again) and the best of ``--repeat``
is kept. Peak memory is that of the whole process tree: the summed proportional set sizes of the
process and its workers (shared pages counted once), sampled every 0.1 s (until 2026-12-05 it was
GNU time's ``%M``, the largest single process, which leaves the annotation workers out). The
per-stage breakdown comes from ``analyze --json`` (see ``storyline.timing``).

Texts: with ``--eval DIR``, the English articles of the SemEval-2022 Task 8 pairs in
``DIR/semeval2022-task8/pairs.jsonl`` (real news; not shipped with storyline), else generated
500-word articles. Never commit those texts.

    python benchmarks/end_to_end.py --eval ../shared/eval --n 200
    python benchmarks/end_to_end.py --n 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BASELINE = """
import json, sys, spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(sys.argv[2])
for _ in nlp.pipe(texts, n_process=2, batch_size=32):
    pass
"""


def real_texts(eval_root: Path, n: int) -> list[str]:
    """Distinct English texts of the SemEval-2022 pairs, longest-first order avoided: file order."""
    path = eval_root / "semeval2022-task8" / "pairs.jsonl"
    seen: set[str] = set()
    out: list[str] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            pair = json.loads(line)
            for side in ("1", "2"):
                text = (pair.get(f"text{side}") or "").strip()
                if pair.get(f"lang{side}") == "en" and len(text.split()) >= 80 and text not in seen:
                    seen.add(text)
                    out.append(text)
    if len(out) < n:
        raise SystemExit(f"only {len(out)} English texts in {path}; ask for fewer with --n")
    return out[:n]


def pair_sets(eval_root: Path | None, texts: list[str], n: int) -> dict[str, list[dict[str, str]]]:
    """``n`` pairs to compare: with the eval folder, SemEval-2022's own English pairs and its pairs
    with a non-English side (file order); else pairs of the generated texts."""
    if eval_root is None:
        made = [{"text1": texts[i % len(texts)], "text2": texts[(i * 7 + 1) % len(texts)]} for i in range(n)]
        return {"English": [{**p, "lang1": "en", "lang2": "en"} for p in made]}
    english: list[dict[str, str]] = []
    mixed: list[dict[str, str]] = []
    with (eval_root / "semeval2022-task8" / "pairs.jsonl").open(encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            if not (p.get("text1") or "").strip() or not (p.get("text2") or "").strip():
                continue
            pair = {k: p[k] for k in ("text1", "text2", "lang1", "lang2")}
            (english if p["lang1"] == p["lang2"] == "en" else mixed).append(pair)
    return {"English": english[:n], "other-language": mixed[:n]}


def generated_texts(n: int) -> list[str]:
    from annotate import make_texts

    return make_texts(n, seed=20240601)


def _tree_kb(root: int) -> int:
    """The memory (kB) a process and all its descendants hold now: the sum of their proportional
    set sizes (``Pss`` in Linux's ``/proc/PID/smaps_rollup``: a page shared by n processes counts
    1/n in each, so libraries the workers share count once), or their resident sets where PSS
    cannot be read; 0 where ``/proc`` cannot be read."""
    total, todo = 0, [root]
    while todo:
        proc = Path("/proc") / str(todo.pop())
        try:
            try:
                found = (proc / "smaps_rollup").read_text(encoding="ascii", errors="replace")
                field = "Pss:"
            except OSError:
                found = (proc / "status").read_text(encoding="ascii", errors="replace")
                field = "VmRSS:"
            total += next((int(line.split()[1]) for line in found.splitlines() if line.startswith(field)), 0)
            tasks = list((proc / "task").iterdir())
        except (OSError, ValueError):
            continue  # gone meanwhile
        for task in tasks:
            try:
                todo.extend(int(c) for c in (task / "children").read_text(encoding="ascii").split())
            except (OSError, ValueError):
                continue
    return total


#: How often the memory of a timed command's process tree is read.
SAMPLE_SECONDS = 0.1


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, peak memory in MB and standard output of one cold process. The memory is the
    peak of :func:`_tree_kb` (the process and its workers, shared pages counted once), sampled
    every :data:`SAMPLE_SECONDS`; where ``/proc`` cannot be read, ``/usr/bin/time``'s peak of the
    largest single process."""
    rss_file = cwd / "rss.txt"
    wrapped = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *cmd] if shutil.which("time") else cmd
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err,
    ):
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=out, stderr=err)
        peak = 0
        try:
            while True:
                peak = max(peak, _tree_kb(process.pid))
                try:
                    process.wait(timeout=SAMPLE_SECONDS)  # returns as the command ends: no sleep on the clock
                    break
                except subprocess.TimeoutExpired:
                    continue
        except BaseException:  # interrupted: the command and its workers do not run on
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({process.returncode}): {stderr[-2000:]}")
    largest = int(rss_file.read_text().split()[-1]) if rss_file.exists() else 0
    return seconds, (peak or largest) // 1024, stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=None, help="the shared eval folder (real English news texts)")
    parser.add_argument("--n", type=int, default=200, help="articles (default 200)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each command; the best is kept")
    parser.add_argument("--workers", type=int, default=None, help="pass --workers N to storyline (default: its own)")
    parser.add_argument("--pairs", type=int, default=0, help="also time compare --pairs on this many pairs")
    parser.add_argument("--model", default=None, help="the baseline's spaCy model (default: the small English one)")
    args = parser.parse_args(argv)

    if args.model is None:
        from storyline.annotate.spacy_model import MODEL_PACKAGE

        args.model = MODEL_PACKAGE
    texts = real_texts(args.eval, args.n) if args.eval else generated_texts(args.n)
    words = sum(len(t.split()) for t in texts) / len(texts)
    storyline = str(Path(sys.executable).with_name("storyline"))
    extra = ["--workers", str(args.workers)] if args.workers else []
    with tempfile.TemporaryDirectory(prefix="storyline-e2e-") as tmp:
        work = Path(tmp)
        data = work / "articles.jsonl"
        with data.open("w", encoding="utf-8") as f:
            for i, text in enumerate(texts):
                f.write(json.dumps({"id": f"a{i}", "text": text}, ensure_ascii=False) + "\n")
        (work / "baseline.py").write_text(BASELINE)
        best: dict[str, tuple[float, int]] = {}
        stages: dict[str, float] = {}
        for rep in range(args.repeat):
            runs: list[tuple[str, list[str]]] = [
                ("spaCy full pipeline (baseline)", [sys.executable, "baseline.py", str(data), args.model]),
                ("storyline analyze", [storyline, "analyze", str(data), "--db", f"a{rep}.db", "--json", *extra]),
                ("storyline ingest", [storyline, "ingest", str(data), "--db", f"i{rep}.db", "--json", *extra]),
            ]
            for name, cmd in runs:
                seconds, rss, out = timed(cmd, work)
                print(f"  run {rep + 1}: {name}: {seconds:.1f} s, {rss} MB", flush=True)
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, rss)
                    if name == "storyline analyze":
                        report = json.loads(out.strip().splitlines()[-1])
                        stages = {"process": report.get("seconds") or seconds, **report.get("stages", {})}
        help_seconds = min(timed([storyline, "--help"], work)[0] for _ in range(3))
        pairs_rate: dict[str, float] = {}
        pairs_peak: dict[str, int] = {}
        if args.pairs:
            for kind, chosen in pair_sets(args.eval, texts, args.pairs).items():
                pairs = work / f"pairs-{kind}.jsonl"
                with pairs.open("w", encoding="utf-8") as f:
                    for i, pair in enumerate(chosen):
                        f.write(json.dumps({"id": f"p{i}", **pair}, ensure_ascii=False) + "\n")
                cmd = [storyline, "compare", "--pairs", str(pairs), "--json", "--db", f"c-{kind}.db", *extra]
                seconds, pairs_peak[kind], _ = timed(cmd, work)
                pairs_rate[kind] = len(chosen) / seconds

    base = best["spaCy full pipeline (baseline)"][0]
    kind = "real" if args.eval else "generated"
    print(f"\n{args.n} {kind} articles, {words:.0f} words on average; {os.cpu_count()} cores")
    print(f"{'command (cold process)':<34}{'seconds':>9}{'articles/s':>12}{'x baseline':>12}{'peak MB':>9}")
    rows: list[dict[str, Any]] = []
    for name, (seconds, rss) in best.items():
        print(f"{name:<34}{seconds:>9.1f}{args.n / seconds:>12.1f}{seconds / base:>12.2f}{rss:>9}")
        rows.append({"command": name, "seconds": round(seconds, 2), "ratio": round(seconds / base, 2), "peak_mb": rss})
    print(f"storyline --help: {help_seconds:.2f} s")
    for kind, rate in pairs_rate.items():
        print(
            f"storyline compare --pairs, {kind} pairs: {rate:.1f} pairs/s ({args.pairs} pairs, cold process), "
            f"peak {pairs_peak[kind]} MB"
        )
    if stages:
        from storyline.timing import format_stages

        print("\nstoryline analyze, where the time goes (best run):")
        total = stages.pop("process")
        known = sum(v for k, v in stages.items() if ": " not in k)
        print(f"{'start-up (interpreter, imports, store)':<34}{max(0.0, total - known):>8.2f} s")
        for line in format_stages(stages, total):
            print(line)
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    result = {
        "n": args.n, "texts": "semeval2022-en" if args.eval else "generated", "mean_words": round(words),
        "cores": os.cpu_count(), "rows": rows, "help_seconds": round(help_seconds, 2),
        "compare_pairs_per_s": {k: round(v, 2) for k, v in pairs_rate.items()}, "compare_peak_mb": pairs_peak,
        "analyze_stages": stages,
    }  # fmt: skip
    (out_dir / f"end_to_end_{args.n}.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
