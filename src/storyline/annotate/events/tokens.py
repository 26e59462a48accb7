"""Walks over the dependency tree that the rules share: tokens only, no sentence needed."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from storyline.annotate.event_lexicon import OBJECT_CONTROL_VERBS, REPORTING_VERBS, REQUESTING_PREPOSITIONS
from storyline.annotate.event_lexicon import lemma as lemma_of
from storyline.annotate.event_lexicon import pos as pos_of

if TYPE_CHECKING:
    from spacy.tokens import Token


def is_verb(tok: Token) -> bool:
    return pos_of(tok) in ("VERB", "AUX")


def ancestors(tok: Token) -> list[Token]:
    """The heads above a token, nearest first, six at most."""
    out = []
    t = tok
    for _ in range(6):
        if t.head.i == t.i:  # the root is its own head (spaCy makes a new Token each time: compare places)
            break
        t = t.head
        out.append(t)
    return out


def governing_verb(tok: Token) -> Token | None:
    """The verb a token hangs from (itself, when it is the root verb), six heads up at most."""
    t = tok
    for _ in range(6):
        if t.dep_ == "ROOT" or t.head.i == t.i:
            return t if is_verb(t) else None
        t = t.head
        if is_verb(t):
            return t
    return None


def main_clause(verb: Token) -> bool:
    """Whether a verb's clause is what the sentence reports, not its setting or a side remark."""
    t = verb
    while t.dep_ in ("conj", "xcomp", "acomp") and t.head.i != t.i:
        t = t.head  # "is willing to withdraw", "plans to visit": the act is what the clause is about
    if t.dep_ == "ROOT":
        return True
    # "X will visit Y, officials said" / "officials said X will visit Y": reported main events
    return t.dep_ in ("ccomp", "parataxis") and lemma_of(t.head) in REPORTING_VERBS and t.head.dep_ == "ROOT"


def says(tok: Token, wanted: Collection[str]) -> bool:
    """Whether a word, as written (lower case) or by its lemma, is one of ``wanted``."""
    return tok.lower_ in wanted or lemma_of(tok) in wanted


def prep_objects(tok: Token, prepositions: Collection[str]) -> list[Token]:
    """The objects of a word's prepositions among ``prepositions`` ("killed in a crash": the
    crash; a passive's "by" agent counts as "by")."""
    return [
        g
        for c in tok.children
        if c.dep_ in ("prep", "agent") and c.lower_ in prepositions
        for g in c.children
        if g.dep_ == "pobj"
    ]


def with_conjuncts(tokens: list[Token]) -> list[Token]:
    """The tokens and their conjuncts ("France and Germany"), each once, in order."""
    out: list[Token] = []
    for t in tokens:
        for x in (t, *t.conjuncts):
            if x not in out:
                out.append(x)
    return out


def pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition, with their conjuncts ("in Paris and Berlin")."""
    return with_conjuncts([g for g in prep.children if g.dep_ == "pobj"])


def to_infinitive(verb: Token) -> bool:
    """Whether a verb is a "to" infinitive ("to withdraw", "allowed X to hold")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def object_control(verb: Token) -> Token | None:
    """The object of the verb an infinitive completes, where it is the infinitive's subject:
    "invited Modi to visit Russia", "urged Ukraine to withdraw", "called on Ukraine to withdraw"
    (``event_lexicon.OBJECT_CONTROL_VERBS``, ``REQUESTING_PREPOSITIONS``)."""
    head = verb.head
    if verb.dep_ != "xcomp" or not is_verb(head) or not to_infinitive(verb):
        return None
    lemma = lemma_of(head)
    if lemma in OBJECT_CONTROL_VERBS:
        return next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i), None)
    preposition = REQUESTING_PREPOSITIONS.get(lemma)
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == preposition and c.i < verb.i:
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None
