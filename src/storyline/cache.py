"""Where storyline keeps what it builds once and reads back in later processes (the gazetteer's
name index, the country table, the happening index's vectors): ``$STORYLINE_CACHE`` (``off``: nowhere), else
``$XDG_CACHE_HOME/storyline`` or ``~/.cache/storyline``. Everything kept there can be deleted at
any time; it is built again when missing."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
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
    process: whole or not at all, whatever another process or thread does meanwhile (each writes
    a file of its own, then renames it). A file that is absent, unreadable or damaged is built
    again; a value that cannot be written (a read-only folder, a full disk) is kept nowhere, and
    nothing is left half-written."""
    if path is not None:
        try:
            with path.open("rb") as f:
                return cast(T, pickle.load(f))
        except Exception:  # absent, unreadable or damaged: build it again
            pass
    value = build()
    if path is not None:
        partial: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, partial = tempfile.mkstemp(dir=path.parent, prefix=path.stem + ".", suffix=".part")
            with os.fdopen(handle, "wb") as f:
                pickle.dump(value, f, protocol=5)
            Path(partial).replace(path)
            partial = None
        except Exception:  # a read-only home, a full disk: the next process builds it again
            pass
        finally:
            if partial is not None:
                with contextlib.suppress(OSError):
                    Path(partial).unlink()
    return value
