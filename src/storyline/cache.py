"""Where storyline keeps what it builds once and reads back in later processes (the gazetteer's
name index, the happening index's vectors): ``$STORYLINE_CACHE`` (``off``: nowhere), else
``$XDG_CACHE_HOME/storyline`` or ``~/.cache/storyline``. Everything kept there can be deleted at
any time; it is built again when missing."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path | None:
    """The cache folder (not created here), or None when caching is off."""
    root = os.environ.get("STORYLINE_CACHE")
    if root == "off":
        return None
    return Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storyline"
