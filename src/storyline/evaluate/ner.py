"""Entity-level evaluation of named entities on CoNLL-format files.

Input: one token per line with its tag in the last column (IOB1, IOB2/BIO or BIOES), blank lines
between sentences, ``-DOCSTART-`` lines between documents (CoNLL-2002/2003 style); a file without
``-DOCSTART-`` lines is cut into documents of :data:`SENTENCES_PER_DOCUMENT` sentences. Each
document's tokens are joined with single spaces into a text, storyline's recogniser for the
file's language runs on it (the language is given, or read from a file name such as
``fr.dev.conll``, else English), and its entities are compared with the gold ones: a match
needs the same tokens and the same type. :func:`evaluate_bare` scores a model as it comes, with
none of storyline's repairs, on the same texts.

Label mapping (storyline/spaCy -> CoNLL):

======================  =====
PERSON                  PER
GPE, LOC, FAC           LOC
ORG                     ORG
NORP, EVENT, LAW,       MISC
PRODUCT, WORK_OF_ART,
LANGUAGE, MISC
======================  =====

(A bare French, Spanish or Russian model's PER, ORG, LOC and MISC are scored as they are.)

Gold types outside PER/LOC/ORG/MISC are kept as they are (and so count as misses).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.annotate.entities import EntityRecognizer
from storyline.annotate.spacy_model import MODEL_PACKAGE
from storyline.evaluate import f1

LABEL_MAP = {
    "PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG", "NORP": "MISC", "EVENT": "MISC",
    "LAW": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LANGUAGE": "MISC", "MISC": "MISC", "PER": "PER",
}  # fmt: skip
_GOLD_ALIASES = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "GPE": "LOC"}
#: Documents of a file without ``-DOCSTART-`` lines: this many sentences each (about a news article).
SENTENCES_PER_DOCUMENT = 20
_LANGUAGE_IN_NAME = re.compile(r"^([a-z]{2})[._-]")


def language_of_file(path: Path) -> str:
    """The language a file's name gives ("fr.dev.conll" -> "fr"), else English."""
    found = _LANGUAGE_IN_NAME.match(path.name)
    return found.group(1) if found else "en"


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


def read_conll(path: Path, sentences: int = SENTENCES_PER_DOCUMENT) -> list[ConllDocument]:
    """The file's documents: one per ``-DOCSTART-`` block, or, in a file with none, one per
    ``sentences`` sentences."""
    lines = path.read_text(encoding="utf-8").splitlines()
    marked = any(line.startswith("-DOCSTART-") for line in lines)
    docs: list[ConllDocument] = [ConllDocument()]
    count, in_sentence = 0, False
    for line in lines:
        parts = line.split()
        if not parts:
            if in_sentence and not marked:
                count += 1
                if count >= sentences:
                    docs.append(ConllDocument())
                    count = 0
            in_sentence = False
            continue
        if parts[0] == "-DOCSTART-":
            if docs[-1].tokens:
                docs.append(ConllDocument())
            continue
        in_sentence = True
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


def _documents(path: Path) -> list[ConllDocument]:
    docs = read_conll(path)
    if not docs:
        raise ValueError(f"{path}: no tokens found")
    return docs


def evaluate_ner(path: Path, recognizer: EntityRecognizer | None = None, language: str | None = None) -> NerScores:
    """storyline's entities of the file's texts, scored; ``language`` defaults to the file name's."""
    recognizer = recognizer or EntityRecognizer()
    language = language or language_of_file(path)
    if not recognizer.reads(language):
        raise ValueError(" ".join(recognizer.notes(language)).removeprefix("entities: "))
    docs = _documents(path)
    texts = [d.text_and_offsets()[0] for d in docs]
    found = recognizer.recognise(texts, languages=[language] * len(texts))
    return score_documents(docs, [[(m.start, m.end, m.label) for m in mentions] for mentions in found])


def evaluate_bare(path: Path, language: str | None = None, model: str | None = None) -> NerScores:
    """A model as it comes (NER only, none of storyline's repairs) on the same texts as
    :func:`evaluate_ner`: by default for English the small spaCy model, the plain baseline;
    for other languages the model storyline uses."""
    language = language or language_of_file(path)
    recognizer = EntityRecognizer(model=model or (MODEL_PACKAGE if language == "en" else None))
    if not recognizer.reads(language):
        raise ValueError(" ".join(recognizer.notes(language)).removeprefix("entities: "))
    docs = _documents(path)
    return score_documents(docs, recognizer.model_spans(language, [d.text_and_offsets()[0] for d in docs]))


def on_tokens(doc: ConllDocument, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Character spans of the document's text as (first token, last token + 1, label); a span off
    the token edges becomes (-start - 1, -end - 1, label), which matches no gold span."""
    token_offsets = doc.text_and_offsets()[1]
    starts = {s: i for i, (s, _) in enumerate(token_offsets)}
    ends = {e: i + 1 for i, (_, e) in enumerate(token_offsets)}
    return [
        (starts[s], ends[e], label) if s in starts and e in ends else (-s - 1, -e - 1, label) for s, e, label in spans
    ]


def score_documents(docs: Sequence[ConllDocument], found: Sequence[Sequence[tuple[int, int, str]]]) -> NerScores:
    """Each document's found (start, end, label) character spans against its gold, labels mapped
    by :data:`LABEL_MAP` (a label it lacks is not scored)."""
    scores = NerScores()
    for doc, mentions in zip(docs, found, strict=True):
        mapped = [(s, e, LABEL_MAP[name]) for s, e, name in mentions if name in LABEL_MAP]
        system = set(on_tokens(doc, mapped))  # a span off the token edges cannot match; it still counts as found
        gold = gold_spans(doc.tags)
        for _, _, label in gold:
            scores.gold[label] += 1
        for _, _, label in system:
            scores.system[label] += 1
        for _, _, label in gold & system:
            scores.true_positive[label] += 1
    return scores
