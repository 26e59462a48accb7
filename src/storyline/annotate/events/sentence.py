"""One parsed sentence: its tokens' offsets in the document, the entity spans in it, its phrases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.annotate.event_lexicon import lemma as lemma_of
from storyline.annotate.event_lexicon import pos as pos_of
from storyline.annotate.event_lexicon import words
from storyline.annotate.events.raw import RawArg

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Entity labels of places.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels of who may act or be acted on.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
#: People through whom a body acts: "leaders of the coalition", "members of the association".
_MEMBERS = words("leaders members officials representatives delegates envoys spokesmen activists")
#: Bodies that act through their members, when no name is recognised in them.
_BODIES = words("coalition party alliance association union movement council committee group government front")
#: Entity labels of names: a noun inside one is part of the name, not a trigger ("Nobel Peace Prize").
NAME_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"})


class Sentence:
    """One parsed sentence, where it starts in the document, and the entity spans in it."""

    def __init__(self, doc: Doc, offset: int, entities: list[tuple[int, int, str]]) -> None:
        self.doc = doc
        self.offset = offset
        self.entities = entities
        """The entity spans (document offsets and label) that start in this sentence."""
        self.absorbed: set[int] = set()
        """Noun triggers already part of a verb's event ("signed an agreement")."""

    def at(self, tok: Token) -> tuple[int, int]:
        """A token's span in document offsets."""
        return self.offset + tok.idx, self.offset + tok.idx + len(tok.text)

    def entity_label(self, tok: Token) -> str | None:
        start, end = self.at(tok)
        for e_start, e_end, label in self.entities:
            if e_start < end and start < e_end:
                return label
        return None

    def span(self, first: Token, last: Token) -> tuple[int, int]:
        """The characters from one token to another, both in."""
        return self.offset + first.idx, self.offset + last.idx + len(last.text)

    def subtree(self, tok: Token) -> tuple[int, int]:
        """The characters a token's whole subtree spans (its clause or phrase, everything in it)."""
        return self.span(tok.left_edge, tok.right_edge)

    def phrase(self, tok: Token) -> tuple[int, int]:
        """The noun phrase a token heads: its name words, modifiers and possessor, without
        relative clauses or prepositional phrases, and without a leading determiner."""
        keep = {tok.i}
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                modifier = c.dep_ in ("compound", "amod", "poss", "nmod", "flat", "nummod", "case", "npadvmod")
                hyphen = c.dep_ == "punct" and c.text in "-–" and c.i < tok.i
                if (modifier or hyphen) and c.i not in keep:
                    keep.add(c.i)
                    stack.append(c)
        lo, hi = min(keep), max(keep)
        while lo < tok.i and self.doc[lo].dep_ in ("det", "punct"):
            lo += 1
        return self.span(self.doc[lo], self.doc[hi])

    def arg(self, tok: Token, role: str) -> RawArg:
        """The argument phrase a token heads, in a role; a common noun's name in apposition stands
        for it ("talks with the newly elected French president, Emmanuel Macron": Macron)."""
        of = tok.dep_ == "pobj" and tok.head.lower_ == "of"  # "governor of the region, Oleg Chemezov": whose name?
        if pos_of(tok) == "NOUN" and tok.tag_ != "NNS" and not of and self.entity_label(tok) is None:
            named = next((c for c in tok.children if c.dep_ == "appos" and self.entity_label(c) == "PERSON"), None)
            # not past an "of" phrase, whose noun the name may be ("the killer of the journalist,
            # Jamal Khashoggi"), nor for a plural ("the two leaders, Modi and Putin": both)
            between = named is not None and any(c.dep_ == "prep" and tok.i < c.i < named.i for c in tok.children)
            if named is not None and not between:
                tok = named
        if tok.lower_ in _MEMBERS:
            # "leaders of the opposition coalition agreed", "members of the Association of African
            # Jurists investigated", "activists from the Fatah Party": the body acts through them
            body = next(
                (
                    g
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ in ("of", "from")
                    for g in c.children
                    if g.dep_ == "pobj"
                ),
                None,
            )
            whose = ("ORG", "NORP", "GPE") if body is not None and body.head.lower_ == "of" else ("ORG",)
            if (
                body is not None
                and not list(body.conjuncts)  # "leaders of Hamas and Islamic Jihad met": both sides, not the first
                and (self.entity_label(body) in whose or lemma_of(body) in _BODIES)
            ):
                tok = body  # not "activists from Germany": people from a country are not the state
        start, end = self.phrase(tok)
        head_start, head_end = self.at(tok)
        pronoun = tok.lower_ if pos_of(tok) == "PRON" or tok.tag_ in ("PRP", "PRP$") else None
        return RawArg(role, start, end, head_start, head_end, pronoun, pos_of(tok) == "PROPN")
