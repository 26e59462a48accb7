"""What an event's confidence means: the share of events at that confidence that are real.

An event's ``confidence`` is a score the rules compute (how much of the event the syntax gave).
:class:`Calibration` maps it to a probability learned on data: a step function fit by isotonic
regression (pool-adjacent-violators) on events whose correctness gold data tells, so that of the
events shown at 0.8, about 80% are right. The table ships as ``data/event_confidence.json`` and is
rebuilt by ``python -m storyline.evaluate.confidence`` (see there for the data and the splits).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["Calibration", "fit_isotonic"]


@dataclass(frozen=True)
class Calibration:
    """Steps of raw confidence: from ``starts[i]`` up, the probability is ``values[i]``."""

    starts: tuple[float, ...]
    values: tuple[float, ...]
    info: dict[str, Any]

    @classmethod
    def load(cls, path: Path | None = None) -> Calibration:
        if path is None:
            text = resources.files("storyline.annotate").joinpath("data/event_confidence.json").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        starts = tuple(float(s) for s in data["starts"])
        values = tuple(float(v) for v in data["values"])
        if not starts or len(starts) != len(values) or list(starts) != sorted(starts):
            raise ValueError("event confidence calibration: starts must be sorted and match values")
        if list(values) != sorted(values):
            raise ValueError("event confidence calibration: values must not decrease")
        return cls(starts, values, dict(data.get("info") or {}))

    def as_json(self) -> dict[str, Any]:
        return {"starts": list(self.starts), "values": list(self.values), "info": self.info}

    def probability(self, confidence: float) -> float:
        """The calibrated probability that an event of this raw confidence is right."""
        at = bisect.bisect_right(self.starts, confidence) - 1
        return self.values[max(at, 0)]

    def raw_threshold(self, probability: float) -> float | None:
        """The lowest raw confidence whose calibrated probability reaches ``probability`` (None:
        no confidence does), so a filter on probability is a filter on the stored score."""
        for start, value in zip(self.starts, self.values, strict=True):
            if value >= probability:
                return start
        return None


#: The fewest events a step of the fit may rest on: a smaller step is pooled with its neighbour,
#: so that three wrong events at the bottom do not make a probability of 0 (set by hand).
MIN_STEP_EVENTS = 20


def fit_isotonic(
    pairs: Sequence[tuple[float, bool]], min_events: int = MIN_STEP_EVENTS
) -> tuple[list[float], list[float]]:
    """Pool adjacent violators over (confidence, right) pairs sorted by confidence: the steps of
    a non-decreasing fit, as (starts, values), each step resting on ``min_events`` or more."""
    by_value: dict[float, list[float]] = {}  # equal confidences form one block whatever their outcome
    for confidence, right in pairs:
        totals = by_value.setdefault(confidence, [0.0, 0.0])
        totals[0] += float(right)
        totals[1] += 1.0
    blocks: list[list[float]] = []  # [start, total right, count]
    for confidence in sorted(by_value):
        blocks.append([confidence, *by_value[confidence]])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    i = 0
    while len(blocks) > 1 and i < len(blocks):  # pooling neighbours keeps the steps in order
        if blocks[i][2] >= min_events:
            i += 1
            continue
        j = i + 1 if i + 1 < len(blocks) else i - 1
        low, high = sorted((i, j))
        blocks[low] = [blocks[low][0], blocks[low][1] + blocks[high][1], blocks[low][2] + blocks[high][2]]
        del blocks[high]
        i = low
    starts = [0.0] + [round(b[0], 4) for b in blocks[1:]]
    values = [round(b[1] / b[2], 4) for b in blocks]
    return starts, values
