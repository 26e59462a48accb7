"""Whom an act is aimed at where the rules find it in no fixed place: a small learned model.

The rules of :mod:`.arguments` read a target from a verb's object, from "against", "on" or "to",
and from an object that stands for its actor ("rejected a U.S. request"). Coders of news events
also take as the target what the act's object is about or where it falls: "imposed a curfew in the
town of Cizre" (Cizre), "halted economic aid to Serbia" (Serbia), "demand the resignation of
President X" (X), "a hunger strike to protest against Sweden's decision" (Sweden). Where that is
depends on the act, the preposition and the parse, so it is learned rather than listed.

For each mention of an act that is not symmetric (a meeting's parties are participants, not
targets), every noun phrase of its sentence that no argument holds yet is a candidate. Its
features are named strings: the path of dependency labels from the trigger to the phrase's head
(prepositions by their word), the phrase's entity label or part of speech, the act's category,
whether the rules found a source or a target already and whether the phrase says where; a
logistic regression over them gives the probability that the phrase is a target. Phrases at or
above :data:`MIN_PROBABILITY` become target arguments, and their actors carry that probability
(``EventActor.probability``, shown beside the role as "learned 0.64"); they add nothing to the
event's confidence. The model (``data/event_targets.json``:
each feature's weight, readable) is made by ``python -m storyline.annotate.train_target_model``
from PLOVER's coded records.

**Off by default.** On PLOVER records it did not see, it raises actor match by 0.025 to 0.055
but fewer than half of the targets it adds are the coders' (docs/evaluation.md): more recall for
less precision, which is not the trade storyline makes for what users see. Set
``STORYLINE_TARGET_MODEL=shipped`` to turn it on (or to a path, to read another model file; ``off``
or unset: none). It is where more coded data would go.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.annotate.event_lexicon import pos as pos_of
from storyline.annotate.events.arguments import is_time_word
from storyline.annotate.events.raw import RawArg, RawMention
from storyline.annotate.events.tokens import with_conjuncts
from storyline.errors import ConfigError

if TYPE_CHECKING:
    from spacy.tokens import Token

    from storyline.annotate.events.sentence import Sentence

__all__ = [
    "MIN_PROBABILITY", "MODEL_PATH", "NAME", "TargetModel",
    "add_targets", "candidates", "features", "load", "stage_name", "trigger_token",
]  # fmt: skip

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "event_targets.json"
#: A candidate phrase at or above this probability becomes a target. 0.5: an added target is as
#: likely right as wrong there, so below it the model would add more wrong targets than right ones.
#: Not tuned.
MIN_PROBABILITY = 0.5
#: Paths longer than this many steps are one feature value ("long").
MAX_PATH = 4
#: Dependency labels that open another clause: a path through one leaves the act's own clause.
_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "parataxis"})


def _step(tok: Token) -> str:
    return f"{tok.dep_}:{tok.lower_}" if tok.dep_ in ("prep", "agent") else tok.dep_


def path(trigger: Token, other: Token) -> list[str]:
    """The dependency labels from ``trigger`` up to the word both hang from (``^label``) and down
    to ``other`` (``vlabel``); a preposition's label carries its word (``vprep:in``)."""
    up = [trigger, *trigger.ancestors]
    where = {t.i: k for k, t in enumerate(up)}
    down: list[Token] = []
    t = other
    while t.i not in where:
        down.append(t)
        if t.head.i == t.i:  # another sentence's root: no path
            return ["none"]
        t = t.head
    return [f"^{_step(x)}" for x in up[: where[t.i]]] + [f"v{_step(x)}" for x in reversed(down)]


def candidates(s: Sentence, trigger: Token, mention: RawMention) -> list[Token]:
    """The heads of the sentence's noun phrases that no argument of ``mention`` holds and that do
    not say when: what the model may make a target."""
    held = [(a.start, a.end) for a in mention.args]
    out = []
    for tok in s.doc:
        if tok.i == trigger.i or pos_of(tok) not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "flat"):
            continue
        start, end = s.phrase(tok)
        if start <= s.at(trigger)[0] < end or is_time_word(tok):
            continue
        if any(a < end and start < b for a, b in held):
            continue
        out.append(tok)
    return out


def features(s: Sentence, trigger: Token, mention: RawMention, tok: Token) -> list[str]:
    """The named features of a candidate phrase (its head ``tok``) for a mention's trigger."""
    steps = path(trigger, tok)
    full = "/".join(steps) if len(steps) <= MAX_PATH else "long"
    bare = "/".join(x.split(":")[0] for x in steps) if len(steps) <= MAX_PATH else "long"
    last = "/".join(steps[-2:])
    label = s.entity_label(tok) or pos_of(tok)
    category = mention.type
    preps = [x.split(":")[1] for x in steps if x.startswith("vprep:")]
    crossed = sorted({x[1:] for x in steps if x[1:] in _CLAUSES})
    roles = {a.role for a in mention.args}
    return [
        f"path={full}",
        f"bare={bare}",
        f"last={last}",
        f"label={label}",
        f"cat={category}",
        f"cat|path={category}|{full}",
        f"cat|last={category}|{last}",
        f"cat|label={category}|{label}",
        f"label|last={label}|{last}",
        f"prep={preps[-1] if preps else '-'}",
        f"cat|prep={category}|{preps[-1] if preps else '-'}",
        f"trigger={'noun' if mention.noun else 'verb'}",
        f"side={'before' if tok.i < trigger.i else 'after'}",
        f"clauses={'+'.join(crossed) or '-'}",
        f"steps={min(len(steps), MAX_PATH + 1)}",
        f"has_target={'target' in roles}",
        f"has_source={'source' in roles}",
        f"poss={tok.dep_ == 'poss'}",
        f"cat|where={category}|{s.at(tok) in mention.places}",
    ]


def wanted(mention: RawMention) -> bool:
    """Whether the model looks for a mention's targets: not for a symmetric act, nor a frame."""
    return not (mention.symmetric or mention.frame)


@dataclass(frozen=True)
class TargetModel:
    """A logistic regression over named features: a weight for each feature seen in training."""

    weights: dict[str, float]
    bias: float
    meta: dict[str, Any]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TargetModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(weights, float(data["bias"]), dict(data.get("meta", {})))

    def as_json(self) -> dict[str, Any]:
        ordered = dict(sorted(self.weights.items(), key=lambda kv: (-abs(kv[1]), kv[0])))
        return {"meta": self.meta, "bias": round(self.bias, 6), "weights": {k: round(v, 6) for k, v in ordered.items()}}

    def probability(self, names: list[str]) -> float:
        z = self.bias + sum(self.weights.get(n, 0.0) for n in names)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


#: Recorded with the event stage's name when the model is on: stored events annotated without it
#: (or with another model file) are annotated again on the next ``analyze``.
NAME = "storyline.events.target-model.v1"


@cache
def _read(path: str, modified: int) -> TargetModel:
    return TargetModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def _chosen() -> Path | None:
    value = os.environ.get("STORYLINE_TARGET_MODEL", "").strip()
    if value.lower() in ("", "off"):
        return None
    path = MODEL_PATH if value.lower() == "shipped" else Path(value)
    if not path.is_file():
        raise ConfigError(
            f"STORYLINE_TARGET_MODEL={value!r}: expected 'shipped', 'off' or the path of a model file (no file there)"
        )
    return path


def load() -> TargetModel | None:
    """The model ``STORYLINE_TARGET_MODEL`` asks for: ``shipped``, or a model file's path; unset or
    ``off``, none. Anything else is a :class:`~storyline.errors.ConfigError`."""
    path = _chosen()
    return _read(str(path), path.stat().st_mtime_ns) if path is not None else None


def stage_name() -> str | None:
    """What the model adds to the stage names of stored annotations (None when it is off): its
    version and a digest of its file, so another model file annotates again."""
    path = _chosen()
    if path is None:
        return None
    return f"{NAME}:{hashlib.sha1(path.read_bytes()).hexdigest()[:10]}"


def trigger_token(s: Sentence, mention: RawMention) -> Token | None:
    """The token of the sentence a mention's trigger starts in."""
    return next((t for t in s.doc if s.at(t)[0] <= mention.start < s.at(t)[1]), None)


def add_targets(s: Sentence, mention: RawMention, model: TargetModel | None = None) -> None:
    """Add to a mention the target phrases the model finds (none for a symmetric act or a frame)."""
    model = model if model is not None else load()
    if model is None or not wanted(mention):
        return
    trigger = trigger_token(s, mention)
    if trigger is None:
        return
    # every candidate scored against what the rules found, then added: the order of the
    # sentence's words does not change the answer
    chosen = []
    for tok in candidates(s, trigger, mention):
        p = model.probability(features(s, trigger, mention, tok))
        if p >= MIN_PROBABILITY:
            chosen.append((tok, p))
    held = {(a.start, a.end) for a in mention.args}
    for tok, p in chosen:
        for each in with_conjuncts([tok]):  # "aid for Romania and Poland": both
            arg: RawArg = s.arg(each, "target")
            if (arg.start, arg.end) not in held:
                held.add((arg.start, arg.end))
                arg.probability = round(p, 3)
                mention.args.append(arg)
