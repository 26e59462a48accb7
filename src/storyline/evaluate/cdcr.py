"""Cross-document event coreference at the level of documents: which articles report the same
incident. Reads a corpus in the CoNLL format of the cross-document coreference sets (GVC,
MEANTIME): ``#begin document (topic/subtopic/doc)``, then one token a line (doc, sentence,
token index, token, tags). The subtopic is the incident (the gold cluster); in GVC the first
sentence of each document is its date.

The documents are analyzed into a fresh store exactly as any input would be (cleaning,
annotation, events, clustering), and each document's happening is compared with its incident:

- B-cubed precision, recall and F1 over documents (a document no happening holds is a cluster of
  its own);
- pairwise precision, recall and F1 (pairs of documents put together, against pairs of the same
  incident).

Nothing is tuned here: the clustering settings are :class:`storyline.config.ClusterConfig`'s
defaults, chosen on the sample corpus.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.evaluate import f1

_BEGIN = re.compile(r"#begin document \(([^)]*)\)")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


@dataclass(frozen=True)
class CdcrDocument:
    key: str
    incident: str
    text: str
    title: str
    published: str | None


def read_conll(path: Path) -> list[CdcrDocument]:
    """The documents of a CDCR CoNLL file, each with its incident (the subtopic of its key)."""
    sentences: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    order: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            m = _BEGIN.match(line)
            if m:
                if m[1] not in sentences:
                    order.append(m[1])
                    sentences[m[1]] = defaultdict(list)
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or line.startswith("#"):
                continue
            doc, sent, token = parts[0], parts[1], parts[3]
            if doc not in sentences:
                order.append(doc)
            sentences[doc][int(sent)].append(token)
    out = []
    for key in order:
        pieces = key.split("/")
        if len(pieces) < 3:
            raise ValueError(f"{path}: document key {key!r} is not topic/subtopic/document")
        sents = [" ".join(tokens) for _, tokens in sorted(sentences[key].items())]
        published = sents[0] if sents and _DATE.match(sents[0]) else None
        body = sents[1:] if published else sents
        if not body:
            continue
        title, text = body[0], "\n\n".join(body[1:]) or body[0]
        out.append(CdcrDocument(key, pieces[1], _detokenise(text), _detokenise(title), published))
    return out


def _detokenise(text: str) -> str:
    text = re.sub(r" ([.,;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return text.replace(" n't", "n't").replace(" 's", "'s").replace("//n", "\n")


@dataclass
class CdcrScores:
    documents: int = 0
    incidents: int = 0
    clusters: int = 0
    bcubed_precision: float = 0.0
    bcubed_recall: float = 0.0
    pairwise_precision: float = 0.0
    pairwise_recall: float = 0.0
    unplaced: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "incidents": self.incidents,
            "clusters": self.clusters,
            "unplaced": self.unplaced,
            "bcubed_precision": round(self.bcubed_precision, 4),
            "bcubed_recall": round(self.bcubed_recall, 4),
            "bcubed_f1": round(f1(self.bcubed_precision, self.bcubed_recall), 4),
            "pairwise_precision": round(self.pairwise_precision, 4),
            "pairwise_recall": round(self.pairwise_recall, 4),
            "pairwise_f1": round(f1(self.pairwise_precision, self.pairwise_recall), 4),
        }


def score_clusters(gold: dict[str, str], predicted: dict[str, str]) -> CdcrScores:
    """B-cubed and pairwise scores of a clustering of items (``predicted``: item -> cluster)."""
    items = sorted(gold)
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for i in items:
        by_gold[gold[i]].add(i)
        by_pred[predicted[i]].add(i)
    p = r = 0.0
    for i in items:
        same = len(by_gold[gold[i]] & by_pred[predicted[i]])
        p += same / len(by_pred[predicted[i]])
        r += same / len(by_gold[gold[i]])
    pairs_gold = {(a, b) for a, b in combinations(items, 2) if gold[a] == gold[b]}
    pairs_pred = {(a, b) for a, b in combinations(items, 2) if predicted[a] == predicted[b]}
    both = len(pairs_gold & pairs_pred)
    return CdcrScores(
        documents=len(items),
        incidents=len(by_gold),
        clusters=len(by_pred),
        bcubed_precision=p / len(items) if items else 0.0,
        bcubed_recall=r / len(items) if items else 0.0,
        pairwise_precision=both / len(pairs_pred) if pairs_pred else 1.0,
        pairwise_recall=both / len(pairs_gold) if pairs_gold else 1.0,
    )


def evaluate_cdcr(folder: Path, config: Any = None, split: str = "all") -> CdcrScores:
    """Analyze the documents of ``folder/dataset.conll`` into a fresh store and score which
    documents storyline puts in one happening against their incidents. ``split``: ``first`` or
    ``second`` keeps the incidents at even or odd places in id order (so settings can be chosen on
    one half and scored on the other)."""
    from storyline.api import open as open_store
    from storyline.config import IngestConfig

    path = folder / "dataset.conll"
    if not path.is_file():
        raise FileNotFoundError(f"{folder}: no dataset.conll")
    docs = read_conll(path)
    if split in ("first", "second"):
        incidents = sorted({d.incident for d in docs})
        keep = set(incidents[split == "second" :: 2])
        docs = [d for d in docs if d.incident in keep]
    if not docs:
        raise ValueError(f"{path}: no documents")
    with tempfile.TemporaryDirectory() as tmp:
        records = Path(tmp) / "documents.jsonl"
        with records.open("w", encoding="utf-8") as out:
            for d in docs:
                row = {"id": d.key, "title": d.title, "text": d.text, "published": d.published}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        with open_store(Path(tmp) / "cdcr.db") as sl:
            sl.ingest(records, config=IngestConfig(languages=("en", "de", "fr", "es")))
            sl.annotate_pending()
            sl.cluster_pending(config)
            placed = sl.store.document_clusters()
            by_key: dict[str, str] = {}
            for doc in sl.documents(limit=None):
                for sighting in sl.sightings(doc.id):
                    by_key[sighting.source_id] = placed.get(doc.id, (None, None))[0] or f"alone:{sighting.source_id}"
    gold = {d.key: d.incident for d in docs}
    # a document the ingest refused (too short, another language) counts, on its own
    predicted = {k: by_key.get(k, f"alone:{k}") for k in gold}
    scores = score_clusters(gold, predicted)
    scores.unplaced = sum(1 for k in gold if predicted[k].startswith("alone:"))
    return scores
