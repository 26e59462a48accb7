"""People a "he" or a "she" points back to, against gold chains.

The folder is a cross-document corpus in the format of ``cdcr-ecbplus-dev/{train,dev}``:
``dataset.conll`` (the texts) and ``entity_mentions.json`` (each mention's document, sentence,
tokens and chain). Each document's body is read as :func:`storyline.evaluate.cdcr.read_conll`
rebuilds it and storyline's entities are recognised in it. Every gold mention of a person (type
``HUM``/``PER``) that is a singular personal pronoun ("he", "him", "his", "himself", "she", "her",
"hers", "herself") is given to :func:`storyline.annotate.events.linking.pronoun_antecedent`, with
the entities named before it and what the document says of its people:

- **resolved right**: the person it points to has a mention (storyline's) overlapping a gold
  mention of the pronoun's own chain;
- **resolved wrong**: it points to anyone else (another person, or a person when the pronoun's
  chain holds no one storyline names);
- **resolvable**: the pronoun's chain holds a person storyline names before the pronoun: recall
  is counted over these.

The same pronouns are also resolved without the document's word on its people's sex (the rule
before that agreement), in the same run, so the two figures compare like with like.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.annotate.descriptions import describe_people
from storyline.annotate.events.linking import PRONOUN_SEX, pronoun_antecedent
from storyline.evaluate.chains import PEOPLE_TYPES, Resolutions, gold_documents, mention_span


@dataclass
class PronounResolutions(Resolutions):
    pronouns: int = 0
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(document, the pronoun and the words before it, the person storyline chose, the gold chain)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "pronouns": self.pronouns,
            "resolvable": self.resolvable,
            "resolved": self.resolved,
            "right": self.right,
            "wrong": self.resolved - self.right,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


@dataclass
class PronounScores:
    documents: int = 0
    agreeing: PronounResolutions = field(default_factory=PronounResolutions)
    """As storyline resolves them: the person's sex must agree with the pronoun's."""
    any_sex: PronounResolutions = field(default_factory=PronounResolutions)
    """The rule without the agreement."""

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "sex_agreed": self.agreeing.as_dict(), "any_sex": self.any_sex.as_dict()}


def evaluate_pronouns(folder: Path, recognizer: Any = None) -> PronounScores:
    """Score pronoun resolution on a corpus folder (see the module's notes)."""
    from storyline.annotate.entities import EntityRecognizer

    docs, by_doc = gold_documents(folder)
    recognizer = recognizer or EntityRecognizer()
    found = recognizer.recognise([d.text for d in docs], languages=["en"] * len(docs))
    scores = PronounScores(documents=len(docs))
    for doc, entities in zip(docs, found, strict=True):
        people = describe_people(entities, doc.text)
        persons = sorted((e for e in entities if e.label == "PERSON"), key=lambda e: e.start)
        spans = [(r, *span) for r in by_doc[doc.key] if (span := mention_span(doc, r)) is not None]
        chains: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for r, start, end in spans:
            chains[str(r["coref_chain"])].append((start, end))
        sentence_starts = _sentence_starts(doc.offsets)
        for r, start, end in spans:
            word = doc.text[start:end].lower()
            if not str(r.get("mention_type", "")).startswith(PEOPLE_TYPES) or word not in PRONOUN_SEX:
                continue
            gold = chains[str(r["coref_chain"])]
            own = {e.entity_id for e in persons if any(e.start < b and a < e.end for a, b in gold)}
            earlier = [e for e in persons if e.start <= start]
            resolvable = any(e.entity_id in own for e in earlier)
            sentence_start = sentence_starts.get(int(r["sent_id"]), 0)
            for tally, described in ((scores.agreeing, people), (scores.any_sex, None)):
                tally.pronouns += 1
                tally.resolvable += resolvable
                chosen = pronoun_antecedent(word, earlier, sentence_start, described)
                if chosen is None:
                    continue
                tally.resolved += 1
                if chosen.entity_id in own:
                    tally.right += 1
                    tally.right_resolvable += resolvable
                else:
                    context = doc.text[max(sentence_start, start - 150) : end]
                    names = " | ".join(sorted({doc.text[a:b] for a, b in gold}))
                    tally.errors.append((doc.key, context, chosen.canonical, names))
    return scores


def _sentence_starts(offsets: dict[tuple[int, int], tuple[int, int]]) -> dict[int, int]:
    """Where each sentence of the body starts in its text."""
    out: dict[int, int] = {}
    for (sentence, _), (start, _) in offsets.items():
        out[sentence] = min(start, out.get(sentence, start))
    return out
