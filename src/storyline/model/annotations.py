"""Annotations: spans of a Document's text, by character offsets. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TimeType(StrEnum):
    """TimeML TIMEX3 types."""

    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression with its TIMEX3 value, e.g. "on May 21" -> DATE 2018-05-21.

    Values follow TimeML: ``2018-05-21``, ``2018-05`` (a month, not a day), ``2018-W21``,
    ``2018-Q2``, ``2018-SU``, ``2018-05-21TMO`` (morning), ``P3Y`` (a duration),
    ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``, with ``X`` for unknown digits.
    """

    start: int
    end: int
    text: str
    type: TimeType
    value: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")
