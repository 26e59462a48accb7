"""Where storyline keeps what it builds once and reads back in later processes (the gazetteer's
name index, the country table, the happening index's vectors): ``$STORYLINE_CACHE`` (``off``: nowhere), else
``$XDG_CACHE_HOME/storyline`` or ``~/.cache/storyline``. Everything kept there can be deleted at
any time; it is built again when missing."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar, cast

T = TypeVar("T")


def cache_root() -> Path | None:
    """The cache folder (not created here), or None when caching is off."""
    root = os.environ.get("STORYLINE_CACHE")
    if root == "off":
        return None
    return Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storyline"


def kept_file(stem: str, sources: Sequence[Path], packages: Sequence[str] = ()) -> Path | None:
    """The cache file for something built from ``sources`` (files: code and data) with the
    installed ``packages``: its name holds a digest of them all, so a change to any builds it
    anew. None when caching is off, or a source cannot be read (then build, keep nothing)."""
    import hashlib
    import importlib.metadata

    folder = cache_root()
    if folder is None:
        return None
    digest = hashlib.sha1()
    try:
        for part in sources:
            digest.update(part.read_bytes())
        for package in packages:
            digest.update(importlib.metadata.version(package).encode())
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    return folder / f"{stem}-{digest.hexdigest()[:16]}.pickle"


def kept(path: Path | None, build: Callable[[], T]) -> T:
    """What ``path`` (:func:`kept_file`) holds, else ``build()``, written there for the next
    process: whole or not at all, whatever another process does meanwhile. A file that is absent,
    unreadable or damaged is built again; a folder that cannot be written keeps nothing."""
    if path is not None:
        try:
            with path.open("rb") as f:
                return cast(T, pickle.load(f))
        except Exception:  # absent, unreadable or damaged: build it again
            pass
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            with partial.open("wb") as f:
                pickle.dump(value, f, protocol=5)
            partial.replace(path)
        except OSError:
            pass  # a read-only home: the next process builds it again
    return value
