"""Gold chains of people in a cross-document corpus, as ``storyline eval descriptions`` and
``storyline eval pronouns`` read them, and the tally of resolutions made against them.

The folder is in the format of ``cdcr-ecbplus-dev/{train,dev}`` or ``cdcr-meantime``:
``dataset.conll`` (the texts, each document's body rebuilt by
:func:`storyline.evaluate.cdcr.read_conll`) and ``entity_mentions.json`` (each mention's document,
sentence, tokens, head and chain).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.evaluate.cdcr import CdcrDocument, read_conll

#: The gold's mention types for a person or a group of people.
PEOPLE_TYPES = ("HUM", "PER")


def read_mentions(folder: Path) -> list[dict[str, Any]]:
    """The gold mentions of ``folder/entity_mentions.json``; a clear error for a missing or
    malformed file."""
    path = folder / "entity_mentions.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (a folder with dataset.conll and entity_mentions.json)")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(rows, list):
        raise ValueError(f"{path}: not a list of mentions")
    for n, r in enumerate(rows):
        if not isinstance(r, dict) or not {"conll_doc_key", "sent_id", "tokens_number", "coref_chain"} <= r.keys():
            raise ValueError(f"{path}: mention {n} lacks conll_doc_key, sent_id, tokens_number or coref_chain")
    return rows


def gold_documents(folder: Path) -> tuple[list[CdcrDocument], dict[str, list[dict[str, Any]]]]:
    """The documents of the folder that hold gold mentions, and those mentions by document key."""
    conll = folder / "dataset.conll"
    if not conll.is_file():
        raise FileNotFoundError(f"{conll}: no such file")
    docs = read_conll(conll)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in read_mentions(folder):
        by_doc[str(r["conll_doc_key"])].append(r)
    return [d for d in docs if by_doc.get(d.key)], by_doc


def mention_span(doc: CdcrDocument, mention: dict[str, Any]) -> tuple[int, int] | None:
    """Where a gold mention stands in its document's body; None when it is in the title or the
    text lost one of its tokens."""
    tokens = [doc.offsets.get((int(mention["sent_id"]), int(t))) for t in mention["tokens_number"]]
    if not tokens or any(t is None for t in tokens):
        return None
    return min(t[0] for t in tokens if t), max(t[1] for t in tokens if t)


@dataclass
class Resolutions:
    """Mentions resolved against the gold: ``right`` of ``resolved``, and of the ``resolvable``
    (their person named before them) ``right_resolvable``."""

    resolvable: int = 0
    resolved: int = 0
    right: int = 0
    right_resolvable: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.resolved if self.resolved else 0.0

    @property
    def recall(self) -> float:
        return self.right_resolvable / self.resolvable if self.resolvable else 0.0
