"""storyline: open news event intelligence.

The public API: :func:`open` a store, then ingest, list, search and export documents.
Names are imported on first use, so ``import storyline`` (and the CLI's start) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "open": "storyline.api",
    "annotate_inputs": "storyline.api",
    "compare_files": "storyline.api",
    "compare_pairs": "storyline.api",
    "Storyline": "storyline.api",
    "DocumentNotFound": "storyline.api",
    "IngestConfig": "storyline.config",
    "DedupConfig": "storyline.config",
    "StorylineError": "storyline.errors",
    "ConfigError": "storyline.errors",
    "InputError": "storyline.errors",
    "FetchError": "storyline.errors",
    "BlockedAddressError": "storyline.errors",
    "StoreError": "storyline.errors",
    "StoreLockedError": "storyline.errors",
    "StoreSchemaError": "storyline.errors",
    "Article": "storyline.model",
    "ContentKind": "storyline.model",
    "Document": "storyline.model",
    "PublishedDate": "storyline.model",
    "SourceFields": "storyline.model",
    "IngestReport": "storyline.pipeline",
}

__all__ = sorted([*_EXPORTS, "__version__"])

if TYPE_CHECKING:
    from storyline.api import DocumentNotFound, Storyline, annotate_inputs, compare_files, compare_pairs, open
    from storyline.config import DedupConfig, IngestConfig
    from storyline.errors import (
        BlockedAddressError,
        ConfigError,
        FetchError,
        InputError,
        StoreError,
        StoreLockedError,
        StoreSchemaError,
        StorylineError,
    )
    from storyline.model import Article, ContentKind, Document, PublishedDate, SourceFields
    from storyline.pipeline import IngestReport


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'storyline' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
