"""People named by a description ("the actress", "the Russian leader") against gold chains.

The folder is a cross-document corpus in the format of ``cdcr-ecbplus-dev/{train,dev}`` or
``cdcr-meantime``: ``dataset.conll`` (the texts) and ``entity_mentions.json`` (each mention's
document, sentence, tokens, head and chain). Each document's body is read as
:func:`storyline.evaluate.cdcr.read_conll` rebuilds it, storyline's entities are recognised in it,
and every gold mention of a person or group (type ``HUM``/``PER``) whose head is a common noun is
given to :func:`storyline.annotate.descriptions.resolve`, from its first token to its head:

- **resolved right**: the person it resolves to has a mention (storyline's) overlapping a gold
  mention of the description's own chain;
- **resolved wrong**: any other resolution (another person, or a description of nobody named);
- **resolvable**: a definite description ("the", "this", "that") whose chain holds a proper name
  the document gives before it: recall is counted over these.

Precision is right / resolved; recall is the resolvable ones resolved right / resolvable. A
mention ECB+ gives by its head alone is read back to its article ("the [actress]"); the chain's
other mentions are compared as the gold gives them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.annotate.descriptions import agreed_countries, describe_people, place_known, resolve
from storyline.annotate.event_lexicon import words
from storyline.evaluate.chains import PEOPLE_TYPES, Resolutions, gold_documents, mention_span

#: The words a gold mention of a head alone leaves out: its article and modifiers, back to "the".
_LEAD = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat)[ \t]+((?:[\w'’-]+[ \t]+){0,3})$")
_NOT_A_MODIFIER = words(
    "a an the this that these those and or but as at by for from in into of on to with who which whom whose "
    "is was are were be been has have had said says told tells picked named ordered asked"
)


@dataclass
class DescriptionScores(Resolutions):
    documents: int = 0
    descriptions: int = 0  # gold nominal mentions of people tried
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # doc, description, storyline, gold chain
    missed: list[tuple[str, str, list[str]]] = field(default_factory=list)  # doc, description, gold chain

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "descriptions": self.descriptions,
            "resolvable": self.resolvable,
            "resolved": self.resolved,
            "right": self.right,
            "right_resolvable": self.right_resolvable,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


def evaluate_descriptions(folder: Path, recognizer: Any = None, *, alone: bool = False) -> DescriptionScores:
    """Score description resolution on a corpus folder (see the module's notes). The corpus's
    documents are read as one store holds them: a person another document places in a country is
    placed there (:func:`~storyline.annotate.descriptions.known_countries`); ``alone``: each
    document by itself."""
    from storyline.annotate.entities import EntityRecognizer

    docs, by_doc = gold_documents(folder)
    recognizer = recognizer or EntityRecognizer()
    found = recognizer.recognise([d.text for d in docs], languages=["en"] * len(docs))
    scores = DescriptionScores(documents=len(docs))
    described = [describe_people(entities, d.text) for d, entities in zip(docs, found, strict=True)]
    if not alone:
        known = agreed_countries(described)
        for people in described:
            place_known(people, known)
    for doc, entities, people in zip(docs, found, described, strict=True):
        spans: list[tuple[dict[str, Any], int, int, int]] = []  # mention, start, head end, end (as the gold gives them)
        for r in by_doc[doc.key]:
            span = mention_span(doc, r)
            if span is None:
                continue  # in the title, or tokens the text lost
            start, end = span
            head = doc.offsets.get((int(r["sent_id"]), int(r.get("mention_head_id", r["tokens_number"][-1]))))
            spans.append((r, start, head[1] if head else end, end))
        by_chain: dict[str, list[int]] = defaultdict(list)
        for n, (r, _, _, _) in enumerate(spans):
            by_chain[str(r["coref_chain"])].append(n)
        for n, (r, start, head_end, _) in enumerate(spans):
            if not str(r.get("mention_type", "")).startswith(PEOPLE_TYPES) or r.get("mention_head_pos") != "NOUN":
                continue
            scores.descriptions += 1
            chain = str(r["coref_chain"])
            start = _with_article(doc.text, start)
            phrase = doc.text[start:head_end]
            named_before = any(
                spans[k][0].get("mention_head_pos") == "PROPN" and spans[k][1] < start for k in by_chain[chain]
            )
            resolvable = named_before and phrase.casefold().startswith(("the ", "this ", "that "))
            scores.resolvable += resolvable
            gold = sorted({doc.text[spans[k][1] : spans[k][3]] for k in by_chain[chain]})
            person = resolve(start, head_end, doc.text, entities, people)
            if person is None:
                if resolvable:
                    scores.missed.append((doc.key, phrase, gold))
                continue
            scores.resolved += 1
            own = [(e.start, e.end) for e in entities if e.entity_id == person.entity_id]
            others = [spans[k] for k in by_chain[chain] if k != n]
            if any(a < d and c < b for a, b in own for _, c, _, d in others):
                scores.right += 1
                scores.right_resolvable += resolvable
            else:
                scores.errors.append((doc.key, phrase, person.canonical, " | ".join(gold)))
    return scores


def _with_article(text: str, start: int) -> int:
    """Where a mention given by its head alone ("the [actress]", as ECB+ marks it) starts with its
    article: back over at most three words of its own line that are no function word or verb of
    saying, to "the", "this" or "that"; else where it starts."""
    if re.match(r"(?:the|this|that)\s", text[start : start + 5], re.IGNORECASE):
        return start
    lead = _LEAD.search(text, max(0, start - 60), start)
    if lead is None or any(w.casefold() in _NOT_A_MODIFIER for w in lead.group(1).split()):
        return start
    return lead.start()
