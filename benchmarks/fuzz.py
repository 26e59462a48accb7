"""The long fuzzing campaign (``make fuzz``): mutated inputs through every reader and the
cleaner, checking the contract of ``tests/fuzzing.py`` (no exception, no silent loss, one-line
errors naming their input, no internal errors) and that no input takes over ``--hang`` seconds.

    python benchmarks/fuzz.py [--inputs 100000] [--workers 2] [--seed 1] [--keep DIR]

Failing inputs are written to ``--keep`` (a temporary folder by default; never commit them).
Prints a summary and writes ``benchmarks/out/fuzz.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import check, dump, inputs  # noqa: E402

from storyline.clean.cleaner import Cleaner  # noqa: E402
from storyline.config import IngestConfig  # noqa: E402


class Hang(BaseException):  # not an Exception: no catch-all in storyline may swallow it
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def run_share(args: tuple[int, int, float, str]) -> dict[str, object]:
    """One worker's share: ``count`` inputs from ``seed``."""
    seed, count, hang, keep = args
    config = IngestConfig()
    cleaner = Cleaner(config)
    signal.signal(signal.SIGALRM, _alarm)
    problems: Counter[str] = Counter()
    examples: dict[str, str] = {}
    slowest: list[tuple[float, str, int]] = []
    documents = errors = failed = hangs = 0
    codes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for name, data in inputs(seed, count):
            signal.setitimer(signal.ITIMER_REAL, hang)
            try:
                outcome = check(name, data, config, cleaner, folder)
            except Hang:
                hangs += 1
                kept = dump(name, data, Path(keep))
                problems["hang"] += 1
                examples.setdefault("hang", str(kept))
                continue
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            documents += outcome.documents
            errors += len(outcome.errors)
            codes.update(e.code for e in outcome.errors)
            slowest = sorted([*slowest, (outcome.seconds, name, len(data))], reverse=True)[:5]
            if outcome.problems:
                failed += 1
                kept = dump(name, data, Path(keep))
                for problem in outcome.problems:
                    key = problem.split(": ", 1)[-1][:80]
                    problems[key] += 1
                    examples.setdefault(key, str(kept))
    return {
        "inputs": count, "documents": documents, "errors": errors, "failed": failed, "hangs": hangs,
        "codes": dict(codes), "problems": dict(problems), "examples": examples, "slowest": slowest,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang", type=float, default=10.0, help="seconds after which one input counts as a hang")
    parser.add_argument("--keep", default=None, help="folder for failing inputs (default: a temporary one)")
    args = parser.parse_args()
    keep = args.keep or tempfile.mkdtemp(prefix="storyline-fuzz-")
    shares = 8 * args.workers
    per = -(-args.inputs // shares)
    jobs = [(args.seed * 1000 + i, min(per, args.inputs - i * per), args.hang, keep) for i in range(shares)]
    jobs = [j for j in jobs if j[1] > 0]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        parts = pool.map(run_share, jobs, chunksize=1)
    seconds = time.perf_counter() - started
    total: dict[str, object] = {"seconds": round(seconds, 1), "seed": args.seed, "kept_in": keep}
    for key in ("inputs", "documents", "errors", "failed", "hangs"):
        total[key] = sum(int(p[key]) for p in parts)  # type: ignore[call-overload]
    problems: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for p in parts:
        problems.update(p["problems"])  # type: ignore[arg-type]
        codes.update(p["codes"])  # type: ignore[arg-type]
        examples.update(p["examples"])  # type: ignore[arg-type]
    slowest = sorted((tuple(s) for p in parts for s in p["slowest"]), reverse=True)[:5]  # type: ignore[attr-defined]
    total.update(problems=dict(problems), error_codes=dict(codes), examples=examples, slowest=slowest)
    print(
        f"fuzz: {total['inputs']:,} inputs in {seconds:.0f} s ({int(total['inputs']) / seconds:.0f}/s), "  # type: ignore[call-overload]
        f"{total['documents']:,} documents, {total['errors']:,} input errors; "
        f"{total['failed']} broke the contract, {total['hangs']} hangs over {args.hang:g} s"
    )
    print("error codes:", ", ".join(f"{c} {n}" for c, n in codes.most_common()))
    print("slowest:", "; ".join(f"{s:.2f} s {name} ({size:,} bytes)" for s, name, size in slowest))
    for problem, n in problems.most_common(20):
        print(f"  {n:6d}  {problem}   e.g. {examples.get(problem)}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "fuzz.json").write_text(json.dumps(total, indent=2, default=str) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
