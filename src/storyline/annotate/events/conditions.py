"""The conditions a sense may need (``needs=`` in the lexicon), in one registry.

Each condition is checked twice: before the parse, from a sentence's words and entity labels
(``possible``: a sentence where no sense's condition can hold is not parsed), and after it, on the
trigger (``holds``). A class of words in :data:`~storyline.annotate.event_lexicon.WORD_CLASSES`
is a condition of its own unless registered here: the trigger's objects (or, for a noun, the noun
itself or its modifiers) must hold a word of the class.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.annotate.event_lexicon import (
    ACTOR_NOUNS,
    CANDIDATE_WORDS,
    FORM_SENSES,
    FRAME_WORDS,
    REDUCE_WORDS,
    SENSES,
    WORD_CLASSES,
    Sense,
    words,
)
from storyline.annotate.event_lexicon import lemma as lemma_of
from storyline.annotate.event_lexicon import pos as pos_of
from storyline.annotate.events.arguments import destination, goes_home, objects_of
from storyline.annotate.events.sentence import ACTOR_LABELS, Sentence
from storyline.annotate.events.tokens import is_verb

if TYPE_CHECKING:
    from spacy.tokens import Token

Labels = set[str] | frozenset[str]
Holds = Callable[[Sentence, "Token"], bool]
Possible = Callable[[set[str], Labels], bool]


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition a sense may need."""

    name: str
    holds: Holds
    """After the parse: whether it holds for a trigger token of a parsed sentence."""
    possible: Possible
    """Before the parse: whether it can hold in a sentence with these (lower-case) words and
    entity labels."""


CONDITIONS: dict[str, Condition] = {}
"""Condition name (as the lexicon writes it after ``needs=``) -> the condition."""


def _anywhere(found: set[str], labels: Labels) -> bool:
    return True


def condition(name: str, possible: Possible = _anywhere) -> Callable[[Holds], Holds]:
    """Registers the decorated function as the ``holds`` check of the condition ``name``."""

    def register(holds: Holds) -> Holds:
        if name in CONDITIONS:
            raise ValueError(f"event condition {name!r} registered twice")
        CONDITIONS[name] = Condition(name, holds, possible)
        return holds

    return register


def _with_label(label: str) -> Possible:
    return lambda found, labels: label in labels


def _with_word(wanted: frozenset[str]) -> Possible:
    return lambda found, labels: bool(found & wanted)


def _object_words(tok: Token) -> set[str]:
    objects = objects_of(tok)
    return {t.lower_ for t in objects} | {lemma_of(t) for t in objects}


#: Where a stay is kept, not a visit made: "spent three nights in jail in Ankara".
_CUSTODY = words("jail jails prison prisons custody captivity detention hospital cell cells camp camps")


@condition("stay", _with_word(WORD_CLASSES["stay"]))
def _stay(s: Sentence, tok: Token) -> bool:
    """It spends a stay's length ("spent less than a day in New Delhi"), not in custody ("spent
    three nights in jail in Ankara", "days in captivity in Syria")."""
    if not _object_words(tok) & WORD_CLASSES["stay"]:
        return False
    inside = [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    inside += [g for x in objects_of(tok) for c in x.children if c.dep_ == "prep" for g in c.children]
    return not any(lemma_of(g) in _CUSTODY or g.lower_ in _CUSTODY for g in inside)


@condition("counterpart")
def _counterpart(s: Sentence, tok: Token) -> bool:
    """Whom it acts on, if anyone, is someone: "met the president", "met in Paris"; not "met demands"."""
    direct = [c for c in tok.children if c.dep_ == "dobj"]
    return not direct or any(
        s.entity_label(c) in ACTOR_LABELS
        or pos_of(c) in ("PRON", "PROPN")
        or lemma_of(c) in ACTOR_NOUNS
        or lemma_of(c) == "counterpart"  # "met his French counterpart"
        or any(s.entity_label(g) in ACTOR_LABELS for g in c.children)
        for c in direct
    )


#: What one executes that is no one: code, a plan, an order ("executed arbitrary code").
_TASKS = words(
    "code codes plan plans order orders strategy strategies program programs programme programmes command "
    "commands script scripts task tasks transaction transactions trade trades contract contracts move moves "
    "policy policies function functions instruction instructions query queries payload payloads file files "
    "malware attack attacks manoeuvre manoeuvres maneuver maneuvers warrant warrants will wills deal deals "
    "operation operations project projects agreement agreements"
)


@condition("not-a-task")
def _not_a_task(s: Sentence, tok: Token) -> bool:
    """What it acts on is no task: "executed two prisoners", "was executed"; not "executed arbitrary
    code", "executed the plan"."""
    return not any(lemma_of(c) in _TASKS or c.lower_ in _TASKS for c in tok.children if c.dep_ == "dobj")


@condition("to-meet")
def _to_meet(s: Sentence, tok: Token) -> bool:
    """An invitation to meet or come ("invited Putin to visit India", "invited the president for
    the summit"), not to do something else ("inviting Russian companies to invest")."""
    purposes = [c for c in tok.children if c.dep_ == "xcomp"]
    return not purposes or any(
        lemma_of(c) in _MEETING_VERBS or _consults("V", c) or any(_consults("N", o) for o in objects_of(c))
        for c in purposes
    )


def _consults(pos: str, tok: Token) -> bool:
    """Whether a word has a sense of meeting or visiting ("talks", "summit", "visit")."""
    return any(sense.type == "CONSULT" for form in {tok.lower_, lemma_of(tok)} for sense in SENSES.get((pos, form), ()))


#: Purposes of meeting the lexicon does not list as CONSULT verbs ("invited Modi to attend").
_MEETING_VERBS = words("attend join participate")


@condition("person", _with_label("PERSON"))
def _person(s: Sentence, tok: Token) -> bool:
    """It acts on a person ("called the president", "released the journalist")."""
    return any(s.entity_label(t) == "PERSON" for t in objects_of(tok))


@condition("country", _with_label("GPE"))
def _country(s: Sentence, tok: Token) -> bool:
    """It acts on a country ("recognised Kosovo")."""
    return any(s.entity_label(t) == "GPE" for t in objects_of(tok))


@condition("asylum", _with_word(words("asylum")))
def _asylum(s: Sentence, tok: Token) -> bool:
    return "asylum" in _object_words(tok)


_MILITARY = words("air missile drone military rocket nuclear precision retaliatory artillery")


@condition("labour")
def _labour(s: Sentence, tok: Token) -> bool:
    """A strike by workers, not an air strike: no military modifier, no object."""
    modifiers = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
    return not modifiers & _MILITARY and not any(c.dep_ == "dobj" for c in tok.children)


@condition("relations-or-aid", _with_word(REDUCE_WORDS))
def _relations_or_aid(s: Sentence, tok: Token) -> bool:
    """It acts on relations, aid, talks or trade ("suspended talks", "cut aid")."""
    return bool(_object_words(tok) & REDUCE_WORDS)


@condition("phone", _with_word(WORD_CLASSES["phone"]))
def _phone(s: Sentence, tok: Token) -> bool:
    """A phone word next to it ("a phone call", "a call by telephone")."""
    near = {c.lower_ for c in tok.children} | {g.lower_ for c in tok.children for g in c.children}
    return bool(near & WORD_CLASSES["phone"])


@condition("arms", lambda found, labels: bool(found & WORD_CLASSES["arms"]) or "PRODUCT" in labels)
def _arms(s: Sentence, tok: Token) -> bool:
    """It acts on arms: a word for them, or a product name ("bought 36 Rafales")."""
    objects = objects_of(tok)
    return bool(_object_words(tok) & WORD_CLASSES["arms"] or any(s.entity_label(t) == "PRODUCT" for t in objects))


def _word_class(name: str) -> Holds:
    def holds(s: Sentence, tok: Token) -> bool:
        own = set() if is_verb(tok) else {tok.lower_}
        return bool((_object_words(tok) | own) & WORD_CLASSES[name])

    return holds


for _name in WORD_CLASSES:
    if _name not in CONDITIONS:
        condition(_name, _with_word(WORD_CLASSES[_name]))(_word_class(_name))


def satisfies(s: Sentence, tok: Token, sense: Sense) -> bool:
    """Whether a sense's conditions hold for a trigger token."""
    if sense.destination and destination(s, tok) is None and not (is_verb(tok) and goes_home(tok)):
        return False
    return sense.needs is None or CONDITIONS[sense.needs].holds(s, tok)


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def is_candidate(sentence: str, labels: Labels = frozenset()) -> bool:
    """Whether a sentence may hold an event trigger whose conditions can hold, judged from its
    words and the labels of its entities (a set lookup per word: a regular expression of a
    thousand alternatives costs more than the parse it saves)."""
    found = set(_WORD.findall(sentence.lower()))
    hits = found & CANDIDATE_WORDS
    if hits & FRAME_WORDS:
        return True
    return any(
        sense.needs is None or CONDITIONS[sense.needs].possible(found, labels)
        for w in hits
        for sense in FORM_SENSES.get(w, ())
    )
