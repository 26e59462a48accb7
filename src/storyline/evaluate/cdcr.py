"""Cross-document event coreference: which articles report the same incident, and which event
mentions across them speak of the same event.

Reads a corpus in the CoNLL format of the cross-document coreference sets (GVC,
MEANTIME): ``#begin document (topic/subtopic/doc)``, then one token a line (doc, sentence,
token index, token, tags). The subtopic is the incident (the gold cluster); in GVC the first
sentence of each document is its date.

The documents are analyzed into a fresh store exactly as any input would be (cleaning,
annotation, events, clustering), and each document's happening is compared with its incident:

- B-cubed precision, recall and F1 over documents (a document no happening holds is a cluster of
  its own);
- pairwise precision, recall and F1 (pairs of documents put together, against pairs of the same
  incident);
- when the folder has ``event_mentions.json`` (gold mentions with their chains), MUC, B-cubed,
  CEAF-e and CoNLL F1 of the event mentions storyline found and chained (see
  :func:`score_mentions`).

Nothing is tuned here: placement uses the shipped happening model, whose weights and thresholds
were fit on the training splits (ECB+ train, GVC train; :mod:`storyline.cluster.train`).
Documents are analyzed in a fixed shuffled order (:func:`arrival_order`), not story by story.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.evaluate import arrival_order, f1

_BEGIN = re.compile(r"#begin document \(([^)]*)\)")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


Token = tuple[int, int]  # (sentence, token) in the CoNLL file


@dataclass(frozen=True)
class CdcrDocument:
    key: str
    incident: str
    text: str
    title: str
    published: str | None
    # where each token of the body landed in ``text``, and each token of the title in ``title``
    offsets: dict[Token, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
    title_offsets: dict[Token, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)


def read_conll(path: Path) -> list[CdcrDocument]:
    """The documents of a CDCR CoNLL file, each with its incident (the subtopic of its key) and the
    place of each token in the text rebuilt from them."""
    sentences: dict[str, dict[int, list[tuple[int, str]]]] = {}
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
                sentences[doc] = defaultdict(list)
            sentences[doc][int(sent)].append((int(parts[2]), token))
    out = []
    for key in order:
        pieces = key.split("/")
        if len(pieces) < 3:
            raise ValueError(f"{path}: document key {key!r} is not topic/subtopic/document")
        sents = sorted(sentences[key].items())
        first = " ".join(t for _, t in sents[0][1]) if sents else ""
        published = first if _DATE.match(first) else None
        body = sents[1:] if published else sents
        if not body:
            continue
        title, title_offsets = _join([body[0]])
        text, offsets = _join(body[1:] or body[:1])
        out.append(CdcrDocument(key, pieces[1], text, title, published, offsets, title_offsets))
    return out


_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", "%", ")", "]", "'", "n't", "'s"}
_NO_SPACE_AFTER = {"(", "[", "$"}


def _join(sentences: list[tuple[int, list[tuple[int, str]]]]) -> tuple[str, dict[Token, tuple[int, int]]]:
    """Text from tokens, spaced as prose ("shot , he said" -> "shot, he said"; the token "//n" is
    a line break; sentences are paragraphs), and each token's character span in it."""
    parts: list[str] = []
    offsets: dict[Token, tuple[int, int]] = {}
    length = 0
    for n, (sent, tokens) in enumerate(sentences):
        if n:
            parts.append("\n\n")
            length += 2
        previous = None
        for index, token in tokens:
            if token == "//n":
                parts.append("\n")
                length += 1
                previous = None
                continue
            if previous is not None and token not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
                parts.append(" ")
                length += 1
            offsets[(sent, index)] = (length, length + len(token))
            parts.append(token)
            length += len(token)
            previous = token
    return "".join(parts), offsets


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
    # event mention coreference (when the folder has event_mentions.json): see score_mentions
    mentions: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
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
        if self.mentions is not None:
            out["mentions"] = self.mentions
        return out


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
    from storyline.config import IngestConfig
    from storyline.evaluate import analyzed

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
    docs = arrival_order(docs)
    records = ({"id": d.key, "title": d.title, "text": d.text, "published": d.published} for d in docs)
    by_key: dict[str, str] = {}
    system: dict[str, tuple[str, list[SystemMention], str]] = {}
    with analyzed(records, config, IngestConfig(languages=("en", "de", "fr", "es"))) as sl:
        placed = sl.store.document_clusters()
        for doc in sl.documents(limit=None):
            keys = [s.source_id for s in sl.sightings(doc.id)]
            for key in keys:
                by_key[key] = placed.get(doc.id, (None, None))[0] or f"alone:{key}"
            if keys:
                found = (
                    doc.text,
                    _system_mentions(sl, doc.id, placed.get(doc.id, (None, None))[0]),
                    doc.title or "",
                )
                system.update((key, found) for key in keys)
    gold = {d.key: d.incident for d in docs}
    # a document the ingest refused (too short, another language) counts, on its own
    predicted = {k: by_key.get(k, f"alone:{k}") for k in gold}
    scores = score_clusters(gold, predicted)
    scores.unplaced = sum(1 for k in gold if predicted[k].startswith("alone:"))
    gold_mentions = folder / "event_mentions.json"
    if gold_mentions.is_file():
        gold_list = read_gold_mentions(gold_mentions)
        if (folder / "event_singletons.json").is_file():
            # events no other mention corefers with are gold mentions too, each its own chain
            gold_list += read_gold_mentions(folder / "event_singletons.json")
        scores.mentions = score_mentions(docs, gold_list, system, validated_sentences(folder))
    return scores


@dataclass(frozen=True)
class SystemMention:
    start: int  # character span of the trigger in the stored text (or title)
    end: int
    chain: str  # the happening the event joined, else the event itself
    in_title: bool = False


@dataclass(frozen=True)
class GoldMention:
    id: str
    doc: str
    head: Token
    chain: str


def _system_mentions(sl: Any, doc_id: str, happening: str | None) -> list[SystemMention]:
    """Every event mention of a stored document: the triggers of its events and the event words
    of any kind (:mod:`storyline.annotate.nuggets`), chained as storyline chains them: within the
    document's happening, by lemma (a document in no happening chains only its own)."""
    from storyline.annotate.nuggets import find_nuggets

    doc = sl.get(doc_id)
    nuggets = find_nuggets(doc.text)
    lemma_at = {n.start: n.lemma for n in nuggets}
    spans = {(n.start, n.end): n.lemma for n in nuggets}
    for event in sl.annotations(doc_id).events:
        for m in event.mentions or [event.trigger]:
            spans.setdefault((m.start, m.end), lemma_at.get(m.start, m.text.casefold()))
    where = happening or f"doc:{doc_id}"
    body = [SystemMention(a, b, f"{where}/{lemma}") for (a, b), lemma in sorted(spans.items())]
    titles = [SystemMention(n.start, n.end, f"{where}/{n.lemma}", True) for n in find_nuggets(doc.title or "")]
    return titles + body


def validated_sentences(folder: Path) -> set[tuple[str, int]] | None:
    """The sentences a corpus annotated, where only some were (ECB+, MEANTIME: the folder has
    ``entity_mentions.json``): those holding any gold mention. None where every sentence was."""
    if not (folder / "entity_mentions.json").is_file():
        return None
    out: set[tuple[str, int]] = set()
    for name in ("event_mentions.json", "event_singletons.json", "entity_mentions.json"):
        if (folder / name).is_file():
            try:
                rows = json.loads((folder / name).read_text(encoding="utf-8"))
                out.update((str(r["conll_doc_key"]), int(r["sent_id"])) for r in rows)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(
                    f"{folder / name}: not a list of mentions with conll_doc_key and sent_id ({exc})"
                ) from None
    return out


def read_gold_mentions(path: Path) -> list[GoldMention]:
    """The gold event mentions of ``event_mentions.json``: document key, head token and chain."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    out = []
    for n, r in enumerate(rows):
        try:
            head = (int(r["sent_id"]), int(r["mention_head_id"]))
            out.append(GoldMention(str(r["mention_id"]), str(r["conll_doc_key"]), head, str(r["coref_chain"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: mention {n} lacks or garbles {exc}") from None
    return out


def _aligner(source: str, stored: str) -> list[int]:
    """For each character of ``stored`` (the text after cleaning), its place in ``source`` (the
    text the tokens built), or -1 where cleaning changed it."""
    out = [-1] * len(stored)
    matcher = SequenceMatcher(None, source, stored, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        out[b : b + size] = range(a, a + size)
    return out


def score_mentions(
    docs: list[CdcrDocument],
    gold: list[GoldMention],
    system: dict[str, tuple[str, list[SystemMention], str]],
    validated: set[tuple[str, int]] | None = None,
) -> dict[str, Any]:
    """Event mention coreference across the documents: MUC, B-cubed, CEAF-e and CoNLL F1.

    A system mention matches the gold mention whose head token its trigger covers (triggers are
    one or two words; gold mentions can be longer). Two settings:

    - ``predicted``: every system mention counts; one no gold mention matches lowers precision.
      The gold data marks only the events of its incidents (GVC: the shootings, deaths and
      injuries), so a correctly found event of another kind counts as wrong here.
    - ``matched``: only the system mentions that match a gold mention count (the unmatched
      ones are dropped), so the score is that of the chaining itself; missed gold mentions still
      lower recall.

    ``detection`` gives how many gold mentions a system mention found (head match). Where the
    corpus annotated only some sentences (``validated``: document key and sentence), system
    mentions elsewhere are not scored: an unannotated sentence holds no gold to match them."""
    from storyline.evaluate.coref import chains, conll

    keys = {d.key for d in docs}
    gold = [g for g in gold if g.doc in keys]
    heads = {(g.doc, g.head): g for g in gold}
    response: dict[str, list[Hashable]] = defaultdict(list)
    matched: dict[str, list[Hashable]] = defaultdict(list)
    taken: set[str] = set()
    found = 0
    for d in docs:
        if d.key not in system:
            continue
        stored, mentions, stored_title = system[d.key]
        where = {False: _aligner(d.text, stored), True: _aligner(d.title, stored_title)}
        token_at: dict[bool, dict[int, Token]] = {False: {}, True: {}}
        for in_title, offsets in ((False, d.offsets), (True, d.title_offsets)):
            for token, (a, b) in offsets.items():
                for i in range(a, b):
                    token_at[in_title][i] = token
        for m in mentions:
            tokens = []
            aligned, at = where[m.in_title], token_at[m.in_title]
            for i in range(m.start, min(m.end, len(aligned))):
                t = at.get(aligned[i])
                if t is not None and t not in tokens:
                    tokens.append(t)
            if validated is not None and (not tokens or (d.key, tokens[0][0]) not in validated):
                continue
            hit = next((heads[(d.key, t)] for t in tokens if (d.key, t) in heads), None)
            if hit is not None and hit.id not in taken:
                taken.add(hit.id)
                found += 1
                response[m.chain].append(hit.id)
                matched[m.chain].append(hit.id)
            else:
                response[m.chain].append((d.key, m.start, m.end))
    key_chains: dict[str, list[Hashable]] = defaultdict(list)
    for g in gold:
        key_chains[g.chain].append(g.id)
    key = chains(key_chains.values())
    system_count = sum(len(v) for v in response.values())
    return {
        "gold_mentions": len(gold),
        "gold_chains": len(key),
        "system_mentions": system_count,
        "detection": {
            "precision": round(found / system_count, 4) if system_count else 0.0,
            "recall": round(found / len(gold), 4) if gold else 0.0,
        },
        "predicted": conll(key, chains(response.values())),
        "matched": conll(key, chains(matched.values())),
    }
