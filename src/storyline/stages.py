"""Stages declare what they require and what they assign, so a pipeline can be checked before it runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storyline.errors import ConfigError


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    requires: frozenset[str]
    assigns: frozenset[str]


def check_stages(stages: Iterable[StageSpec]) -> None:
    """Raise ConfigError when a stage requires something no earlier stage assigns."""
    available: set[str] = set()
    for stage in stages:
        missing = stage.requires - available
        if missing:
            raise ConfigError(
                f"stage {stage.name} requires {', '.join(sorted(missing))}, which no earlier stage assigns"
            )
        available |= stage.assigns
