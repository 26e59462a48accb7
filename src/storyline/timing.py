"""Wall time per stage of a command, as the user waits for it (``analyze --verbose``/``--json``).

Stages are timed where they run in this process; work sent to worker processes is timed as
the wait for it (the stage's name says ``(workers)``). Stages nest: a stage's time includes the
stages inside it, and the report lists both (``annotate`` and ``annotate: recognise``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = {}
_calls: dict[str, int] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the wall time of the ``with`` block to stage ``name``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - started
        _calls[name] = _calls.get(name, 0) + 1


def add_time(name: str, seconds: float) -> None:
    """Add ``seconds`` measured elsewhere to stage ``name``."""
    _totals[name] = _totals.get(name, 0.0) + seconds
    _calls[name] = _calls.get(name, 0) + 1


def reset() -> None:
    _totals.clear()
    _calls.clear()


def snapshot() -> dict[str, float]:
    """Seconds per stage so far, rounded to the millisecond, in the order stages first ran."""
    return {name: round(seconds, 3) for name, seconds in _totals.items()}


def mark() -> tuple[dict[str, float], dict[str, int]]:
    """The running totals now, for :func:`since`."""
    return dict(_totals), dict(_calls)


def since(before: tuple[dict[str, float], dict[str, int]]) -> dict[str, float]:
    """Seconds per stage spent since ``before`` (an earlier :func:`mark`): what one call took,
    whatever ran in this process before it. A stage that ran is listed even if it took no
    measurable time."""
    totals, calls = before
    return {
        name: round(seconds - totals.get(name, 0.0), 3)
        for name, seconds in _totals.items()
        if _calls.get(name, 0) > calls.get(name, 0)
    }


def process_seconds() -> float | None:
    """Seconds since this process started (interpreter start-up and imports included), read from
    ``/proc``; None where there is no ``/proc``."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start time, in ticks since boot
    except (OSError, ValueError, IndexError):
        return None
    return round(max(0.0, uptime - started), 3)


def format_stages(stages: dict[str, float], total: float | None = None) -> list[str]:
    """Lines of a breakdown, longest top-level stages first, nested ones under their parent."""
    tops = [n for n in stages if ": " not in n]
    lines = []
    for top in sorted(tops, key=lambda n: -stages[n]):
        share = f" {stages[top] / total:>4.0%}" if total else ""
        lines.append(f"{top:<34}{stages[top]:>8.2f} s{share}")
        inner = [n for n in stages if n.startswith(top + ": ")]
        for name in sorted(inner, key=lambda n: -stages[n]):
            lines.append(f"  {name[len(top) + 2 :]:<32}{stages[name]:>8.2f} s")
    return lines


__all__ = ["add_time", "format_stages", "mark", "process_seconds", "reset", "since", "snapshot", "stage"]
