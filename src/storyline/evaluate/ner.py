"""Entity-level evaluation of named entities on CoNLL-format files.

Input: one token per line with its tag in the last column (IOB1, IOB2/BIO or BIOES), blank lines
between sentences, ``-DOCSTART-`` lines between documents (CoNLL-2002/2003 style). Each document's
tokens are joined with single spaces into a text, storyline's recogniser runs on it, and its
entities are compared with the gold ones: a match needs the same tokens and the same type.

Label mapping (storyline/spaCy -> CoNLL):

======================  =====
PERSON                  PER
GPE, LOC, FAC           LOC
ORG                     ORG
NORP, EVENT, LAW,       MISC
PRODUCT, WORK_OF_ART,
LANGUAGE
======================  =====

Gold types outside PER/LOC/ORG/MISC are kept as they are (and so count as misses).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from storyline.annotate.entities import EntityRecognizer
from storyline.evaluate import f1

LABEL_MAP = {
    "PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG", "NORP": "MISC", "EVENT": "MISC",
    "LAW": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LANGUAGE": "MISC",
}  # fmt: skip
_GOLD_ALIASES = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "GPE": "LOC"}


@dataclass
class ConllDocument:
    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def text_and_offsets(self) -> tuple[str, list[tuple[int, int]]]:
        offsets, position = [], 0
        for token in self.tokens:
            offsets.append((position, position + len(token)))
            position += len(token) + 1
        return " ".join(self.tokens), offsets


def read_conll(path: Path) -> list[ConllDocument]:
    docs: list[ConllDocument] = [ConllDocument()]
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "-DOCSTART-":
            if docs[-1].tokens:
                docs.append(ConllDocument())
            continue
        docs[-1].tokens.append(parts[0])
        docs[-1].tags.append(parts[-1])
    return [d for d in docs if d.tokens]


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(first token, last token + 1, type) for IOB1, IOB2 and BIOES tags."""
    spans: set[tuple[int, int, str]] = set()
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        label = _GOLD_ALIASES.get(label, label)
        begins = prefix in ("B", "S") or (prefix == "I" and (start is None or label != kind))
        if start is not None and (prefix == "O" or begins):
            spans.add((start, i, kind))
            start = None
        if prefix in ("B", "I", "S") and (begins or start is None):
            start, kind = i, label
        if prefix in ("E", "S") and start is not None:
            spans.add((start, i + 1, kind))
            start = None
    return spans


@dataclass
class NerScores:
    true_positive: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    system: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, dict[str, float | int]]:
        out: dict[str, dict[str, float | int]] = {}
        for label in [*sorted(set(self.gold) | set(self.system)), "ALL"]:
            tp = sum(self.true_positive.values()) if label == "ALL" else self.true_positive[label]
            g = sum(self.gold.values()) if label == "ALL" else self.gold[label]
            s = sum(self.system.values()) if label == "ALL" else self.system[label]
            p = tp / s if s else 0.0
            r = tp / g if g else 0.0
            out[label] = {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f1(p, r), 4),
                "gold": g,
                "system": s,
            }
        return out


def evaluate_ner(path: Path, recognizer: EntityRecognizer | None = None) -> NerScores:
    recognizer = recognizer or EntityRecognizer()
    docs = read_conll(path)
    if not docs:
        raise ValueError(f"{path}: no tokens found")
    texts, offsets = zip(*(d.text_and_offsets() for d in docs), strict=True)
    found = recognizer.recognise(list(texts))
    scores = NerScores()
    for doc, token_offsets, mentions in zip(docs, offsets, found, strict=True):
        starts = {s: i for i, (s, _) in enumerate(token_offsets)}
        ends = {e: i + 1 for i, (_, e) in enumerate(token_offsets)}
        system = set()
        for m in mentions:
            label = LABEL_MAP.get(m.label)
            if label and m.start in starts and m.end in ends:
                system.add((starts[m.start], ends[m.end], label))
            elif label:  # a span that does not fall on token edges cannot match; it still counts as found
                system.add((-m.start - 1, -m.end - 1, label))
        gold = gold_spans(doc.tags)
        for _, _, label in gold:
            scores.gold[label] += 1
        for _, _, label in system:
            scores.system[label] += 1
        for _, _, label in gold & system:
            scores.true_positive[label] += 1
    return scores
