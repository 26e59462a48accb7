"""Events: who did what to whom, where, when, and whether it happened.

Two steps, so that the costly one can run in worker processes:

1. :meth:`EventParser.parse` reads each sentence that holds a word of the lexicon
   (:mod:`storyline.annotate.event_lexicon`) with spaCy's tagger and dependency parser, and turns
   each trigger into a :class:`RawMention`: the sense (PLOVER category, subtype, CAMEO code), the
   argument phrases by role, the phrases that say where, the clause (to look for the time in) and
   the status the grammar gives ("will meet": planned; "did not meet": negated; "would signal":
   hypothetical; "are holding talks": ongoing; "met": occurred).
2. :func:`link_events` ties each raw mention to the document's canonical entities, geocoded places
   and normalised times, settles the status against the date ("met on May 21" is occurred, "the
   summit on May 21" in an April article is planned, "their meeting in 2017" in a 2018 article is
   referenced), and joins the mentions of one event ("will meet", "the talks", "their meeting in
   Sochi") into one :class:`~storyline.model.annotations.Event`.

Sentences without a lexicon word are never parsed: the parse costs more than the recogniser.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from storyline.annotate.countries import country_table
from storyline.annotate.entities import entity_id
from storyline.annotate.event_lexicon import (
    ACTOR_NOUNS,
    CANCELLING_VERBS,
    DENYING_VERBS,
    LIGHT_VERBS,
    PLANNING_WORDS,
    REDUCE_WORDS,
    REPORTING_VERBS,
    SENSES,
    WORD_CLASSES,
    Sense,
    is_candidate,
    words,
)
from storyline.annotate.event_lexicon import (
    lemma as lemma_of,
)
from storyline.annotate.event_lexicon import (
    pos as pos_of,
)
from storyline.annotate.sentences import sentences
from storyline.annotate.spacy_model import MODEL_PACKAGE
from storyline.annotate.spacy_model import load as load_model
from storyline.model.annotations import (
    EntityMention,
    Event,
    EventActor,
    EventMention,
    EventPlace,
    EventStatus,
    EventTime,
    PlaceMention,
    TimeExpression,
    TimeType,
    value_range,
)

NAME = "storyline.events.rules.v1"
#: The model's components the parse does not need: the recogniser runs on its own, and lemmas and
#: parts of speech come from the tagger's tags and the lexicon's word lists (a third of the time).
_NOT_FOR_PARSE = ("ner", "attribute_ruler", "lemmatizer")
#: Sentences longer than this are parsed on their first part only (a run-on "sentence" of a list).
MAX_SENTENCE_CHARS = 2_000

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_BACKGROUND = frozenset({"after", "following", "since", "despite", "amid", "before"})
_NAME_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"})
_TRAVEL = frozenset({"visit", "host-visit", "troop-withdrawal", "troop-deployment"})
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
#: Acts of force: their targets may be things ("shelled positions", "demolished homes").
_FORCE = frozenset({"ASSAULT", "FIGHT", "COERCE"})
#: Categories whose target, when no one is named, is the place where they happen.
_DOMESTIC = frozenset({"PROTEST", "COERCE", "MOBILIZE", "SANCTION", "ASSAULT", "FIGHT"})
_SINGULAR_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "both"})
_EARLIER = frozenset({"previous", "last", "earlier", "former", "past", "prior"})
_MILITARY = frozenset(
    {"air", "missile", "drone", "military", "rocket", "nuclear", "precision", "retaliatory", "artillery"}
)
_SUBJECTS = ("nsubj", "csubj", "expl")
#: Words for a place or a gathering, through which a place name says where ("the resort of Sochi").
_PLACE_NOUNS = words(
    "city town village resort capital port region province state island coast summit forum meeting conference "
    "sidelines margins talks venue palace residence house centre center headquarters base"
)
#: Categories of saying and intending: whom they are aimed at may sit in their complement clause.
_SAYING = frozenset({"DEMAND", "THREATEN", "AGREE", "REJECT", "DISAPPROVE", "SUPPORT", "AID", "COOPERATE"})
_OBJECTS = ("dobj", "dative", "oprd", "attr")


@dataclass(slots=True)
class RawArg:
    """An argument phrase of a trigger, by character offsets into the document text."""

    role: str
    start: int
    end: int
    head_start: int
    head_end: int
    pronoun: str | None = None
    proper: bool = False
    """The head is a proper noun (a name the recogniser may have missed)."""


@dataclass(slots=True)
class RawMention:
    """What the parse says about one trigger, before linking to entities, places and times."""

    start: int
    end: int
    type: str
    subtype: str | None
    cameo: str | None
    symmetric: bool
    noun: bool
    sentence_start: int
    sentence_end: int
    clause_start: int
    clause_end: int
    phrase_start: int
    phrase_end: int
    """The trigger's own phrase ("the India-Russia summit"): its place words name participants."""
    status: str
    """planned, ongoing, occurred, negated, hypothetical, present (a present tense), or unknown."""
    main_clause: bool
    frame: bool = False
    """A demand or an ultimatum read from the frame of another act ("X said Y must ...",
    "will withdraw unless ..."): what the sentence does, so it ranks above the act it frames."""
    framed: int = -1
    """For a frame, where the framed act's verb starts."""
    earlier: bool = False
    """Marked as an earlier event ("their previous meeting", "last year's summit")."""
    args: list[RawArg] = field(default_factory=list)
    places: list[tuple[int, int]] = field(default_factory=list)
    """Phrases that say where ("in Sochi", "to Russia"), nearest the trigger first."""


# -- step 1: the parse -------------------------------------------------------------------------
class EventParser:
    """Finds event triggers and their arguments. Loads spaCy's tagger and parser on first use;
    build one per process."""

    def __init__(self, model: str = MODEL_PACKAGE, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Any = None

    def _load(self) -> Any:
        if self._nlp is None:
            self._nlp = load_model(self.model, _NOT_FOR_PARSE)
        return self._nlp

    def parse(self, texts: Sequence[str], entities: Sequence[Sequence[tuple[int, int, str]]]) -> list[list[RawMention]]:
        """Raw event mentions of each text. ``entities`` gives each text's entity spans and labels
        (the recogniser's, before canonicalisation): a few senses depend on them ("called Putin")."""
        jobs: list[tuple[int, int, str, list[tuple[int, int, str]]]] = []
        for i, text in enumerate(texts):
            spans = sorted(entities[i])
            starts = [s for s, _, _ in spans]
            for start, end in sentences(text, lines=True):
                sentence = text[start : min(end, start + MAX_SENTENCE_CHARS)]
                inside = spans[bisect_left(starts, start) : bisect_left(starts, start + len(sentence))]
                if is_candidate(sentence, {label for _, _, label in inside}):
                    jobs.append((i, start, sentence, inside))
        out: list[list[RawMention]] = [[] for _ in texts]
        if not jobs:
            return out
        nlp = self._load()
        for (i, offset, _, inside), doc in zip(
            jobs, nlp.pipe([j[2] for j in jobs], batch_size=self.batch_size), strict=True
        ):
            out[i].extend(_Sentence(doc, offset, inside).mentions())
        return out


class _Sentence:
    """One parsed sentence and the entity spans that fall in it."""

    def __init__(self, doc: Any, offset: int, entities: list[tuple[int, int, str]]) -> None:
        self.doc = doc
        self.offset = offset
        self.entities = entities
        """The entity spans that start in this sentence."""
        self.absorbed: set[int] = set()  # noun triggers already part of a verb's event

    # character offsets of tokens and phrases, in document coordinates
    def at(self, tok: Any) -> tuple[int, int]:
        return self.offset + tok.idx, self.offset + tok.idx + len(tok.text)

    def entity_label(self, tok: Any) -> str | None:
        start, end = self.at(tok)
        for e_start, e_end, label in self.entities:
            if e_start < end and start < e_end:
                return label
        return None

    def phrase(self, tok: Any) -> tuple[int, int]:
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
        return self.offset + self.doc[lo].idx, self.offset + self.doc[hi].idx + len(self.doc[hi].text)

    def arg(self, tok: Any, role: str) -> RawArg:
        start, end = self.phrase(tok)
        head_start, head_end = self.at(tok)
        pronoun = tok.lower_ if pos_of(tok) == "PRON" or tok.tag_ in ("PRP", "PRP$") else None
        return RawArg(role, start, end, head_start, head_end, pronoun, pos_of(tok) == "PROPN")

    # -- triggers and senses
    def mentions(self) -> list[RawMention]:
        """The sentence's event mentions, verbs first: a verb takes in the noun it acts on
        ("signed an agreement", "agreements were signed") before that noun could count alone."""
        found: list[RawMention] = []
        for wanted in ("V", "N"):
            for tok in self.doc:
                if tok.i in self.absorbed:
                    continue
                pos = "V" if pos_of(tok) in ("VERB", "AUX") else "N" if pos_of(tok) in ("NOUN", "PROPN") else None
                if pos != wanted:
                    continue
                if pos == "N" and self.entity_label(tok) in _NAME_LABELS:
                    continue  # "Asia-Pacific Economic Cooperation", "Nobel Peace Prize": part of a name
                sense = None
                for key in self.keys(tok, pos):
                    sense = next((s for s in SENSES.get((pos, key), ()) if self.satisfies(tok, s)), None)
                    if sense is not None:
                        break
                if sense is not None:
                    found.append(self.verb_mention(tok, sense) if pos == "V" else self.noun_mention(tok, sense))
        frames = self.frames()
        framed = {f.framed for f in frames}
        for m in found:
            if m.start in framed:
                m.main_clause = False  # the demand or ultimatum is what the sentence does
        found.extend(frames)
        return sorted(found, key=lambda m: m.start)

    def frames(self) -> list[RawMention]:
        """Demands and ultimatums that the frame of a clause makes, whatever its verb: "the
        minister said Libya must hand over the suspects" is the minister's demand on Libya
        (CAMEO 10); "it will withdraw its troops unless a ceasefire is arranged" is an ultimatum
        (CAMEO 139) by the subject to whoever the condition falls on."""
        out = []
        for verb in self.doc:
            if pos_of(verb) not in ("VERB", "AUX"):
                continue
            must = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "must"), None)
            if must is not None:
                speaker = self.speaker(verb)
                if not speaker:
                    continue  # an unattributed "must" is the writer's view or a necessity, not a demand
                subj, _, _ = self.subjects(verb)
                reporter = self.reporter(verb)
                args = [replace(a, role="source") for a in speaker] + [self.arg(t, "target") for t in subj]
                status = self.status(reporter) if reporter is not None else "occurred"
                sense = Sense("V", "DEMAND", "demand", "100")
                frame = self.mention(must, sense, False, args, self.places_of(verb), status, True, frame=True)
                frame.framed = self.at(verb)[0]
                out.append(frame)
                continue
            condition = _condition(verb)
            if condition is None or not any(c.dep_ == "aux" and c.lower_ in _WILL for c in verb.children):
                continue
            mark = next(m for m in condition.children if m.dep_ == "mark")
            subj, _, _ = self.subjects(verb)
            on, _, _ = self.subjects(condition)
            args = [self.arg(t, "source") for t in subj] + [self.arg(t, "target") for t in on]
            args += [a for a in self.verb_args(verb, _ANY_SENSE) if a.role == "target"]
            sense = Sense("V", "THREATEN", "ultimatum", "139")
            main = self.main_clause(verb)
            frame = self.mention(mark, sense, False, args, self.places_of(verb), "occurred", main, frame=True)
            frame.framed = self.at(verb)[0]
            out.append(frame)
        return out

    @staticmethod
    def keys(tok: Any, pos: str) -> list[str]:
        """The lexicon keys a token may answer to, phrasal verbs first ("call_off", "call_for",
        "open_fire"), then its lemma (and, for a noun, its own form: "talks")."""
        lemma = lemma_of(tok)
        if pos == "N":
            return [lemma, tok.lower_] if tok.lower_ != lemma else [lemma]
        phrasal = [
            f"{lemma}_{c.lower_}"
            for c in tok.children
            if c.dep_ == "prt"
            or (c.dep_ == "prep" and c.lower_ in ("for", "on"))
            or (c.dep_ == "dobj" and c.lower_ == "fire")
        ]
        return [*phrasal, lemma]

    def objects(self, tok: Any) -> list[Any]:
        """The words that say what a trigger acts on: objects (with their conjuncts and compounds)
        for a verb, modifiers and "of" phrases for a noun."""
        if pos_of(tok) in ("VERB", "AUX"):
            heads = [c for c in tok.children if c.dep_ in (*_OBJECTS, "nsubjpass")]
            if not heads and tok.dep_ == "xcomp":  # "agreements are expected to be signed"
                heads = [c for c in tok.head.children if c.dep_ in ("nsubjpass", "nsubj")]
            heads += [g for c in tok.children if c.dep_ == "prt" for g in c.children]
            heads += [
                g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "for", "on") for g in c.children
            ]
        else:
            heads = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
            heads += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "for") for g in c.children]
        words = []
        for h in heads:
            for t in (h, *h.conjuncts):
                words.append(t)
                words.extend(c for c in t.children if c.dep_ in ("compound", "amod", "nmod"))
                # "700 kg of medicine", "tons of aid"
                words.extend(g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)
        return words

    def satisfies(self, tok: Any, sense: Sense) -> bool:
        if sense.destination and not self.destination(tok):
            return False
        needs = sense.needs
        if needs is None:
            return True
        objects = self.objects(tok)
        words = {t.lower_ for t in objects} | {lemma_of(t) for t in objects}
        if needs == "counterpart":  # "met Putin", "met in Sochi"; not "met demands"
            direct = [c for c in tok.children if c.dep_ == "dobj"]
            return not direct or any(
                self.entity_label(c) in _ACTOR_LABELS
                or pos_of(c) in ("PRON", "PROPN")
                or lemma_of(c) in ACTOR_NOUNS
                or lemma_of(c) == "counterpart"  # "met his Russian counterpart"
                or any(self.entity_label(g) in _ACTOR_LABELS for g in c.children)
                for c in direct
            )
        if needs == "person":
            return any(self.entity_label(t) == "PERSON" for t in objects)
        if needs == "country":
            return any(self.entity_label(t) == "GPE" for t in objects)
        if needs == "asylum":
            return "asylum" in words
        if needs == "labour":
            modifiers = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
            return not modifiers & _MILITARY and not any(c.dep_ == "dobj" for c in tok.children)
        if needs == "relations-or-aid":
            return bool(words & REDUCE_WORDS)
        if needs == "phone":
            near = {c.lower_ for c in tok.children} | {g.lower_ for c in tok.children for g in c.children}
            return bool(near & WORD_CLASSES["phone"])
        own = {tok.lower_} if pos_of(tok) not in ("VERB", "AUX") else set()
        return (
            bool((words | own) & WORD_CLASSES[needs])
            if needs != "arms"
            else bool(words & WORD_CLASSES["arms"] or any(self.entity_label(t) == "PRODUCT" for t in objects))
        )

    def destination(self, tok: Any) -> Any | None:
        """The place a travel verb goes to ("flew to Sochi", "arrived in Sochi", "reached Sochi")."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "in", "into", "at", "for"):
                for g in c.children:
                    if g.dep_ == "pobj" and self.entity_label(g) in _PLACE_LABELS:
                        return g
                    for of in (x for x in g.children if x.dep_ == "prep" and x.lower_ == "of"):
                        for h in of.children:  # "to the Black Sea resort of Sochi"
                            if h.dep_ == "pobj" and self.entity_label(h) in _PLACE_LABELS:
                                return h
            if c.dep_ == "dobj" and self.entity_label(c) in _PLACE_LABELS:
                return c
        return None

    # -- mentions
    def adjust(self, tok: Any, sense: Sense, args: list[RawArg]) -> Sense:
        """Senses the arguments refine: an attack by aircraft or troops is conventional military
        force (FIGHT), not an unconventional assault; "protested" with a reported complaint is
        a verbal protest (DISAPPROVE), not a demonstration; force used by police is repression
        (COERCE)."""
        sources = [
            {t.lower_ for t in self.doc if a.start <= self.offset + t.idx < a.end} for a in args if a.role == "source"
        ]
        military = any(w & WORD_CLASSES["military"] and "suicide" not in w for w in sources)
        if sense.type == "ASSAULT" and sense.subtype in ("attack", "bombing", "killing") and military:
            return Sense(sense.pos, "FIGHT", "military-force", "190")
        if sense.type == "FIGHT" and any(w & WORD_CLASSES["police"] for w in sources):
            # police firing on a crowd is repression (CAMEO 175), not combat
            return Sense(sense.pos, "COERCE", "repression", "175")
        if sense.type == "PROTEST" and pos_of(tok) in ("VERB", "AUX"):
            # "..., a rights group protested": it reports a complaint (its clause is the complement)
            reporting = any(c.dep_ == "ccomp" for c in tok.children) or (
                tok.dep_ in ("parataxis", "ccomp") and tok.i > tok.head.i
            )
            if reporting:
                return Sense(sense.pos, "DISAPPROVE", "complaint", "114")
        return sense

    def verb_mention(self, verb: Any, sense: Sense) -> RawMention:
        if sense.needs in WORD_CLASSES:
            # "signed an agreement", "imposed sanctions": the object is this event, not another one
            for obj in self.objects(verb):
                if (("N", lemma_of(obj)) in SENSES or ("N", obj.lower_) in SENSES) and obj.head == verb:
                    self.absorbed.add(obj.i)
        args = self.verb_args(verb, sense)
        sense = self.adjust(verb, sense, args)
        places = self.places_of(verb, travel=sense.subtype in _TRAVEL)
        status = self.status(verb)
        return self.mention(verb, sense, False, args, places, status, self.main_clause(verb))

    def noun_mention(self, noun: Any, sense: Sense) -> RawMention:
        if noun.dep_ == "compound" and pos_of(noun.head) == "NOUN" and noun.head.i > noun.i:
            trigger, noun = noun, noun.head  # "a mediation effort": the effort's phrase carries the syntax
        else:
            trigger = noun
        light = noun.head if noun.dep_ in ("dobj", "nsubjpass", "attr") and lemma_of(noun.head) in LIGHT_VERBS else None
        if light is None and noun.dep_ == "pobj" and lemma_of(noun.head.head) in LIGHT_VERBS:
            light = noun.head.head  # "took part in talks"
        args = self.noun_args(noun, sense)
        places = self.places_of(noun, travel=sense.subtype in _TRAVEL)
        if light is None and noun.dep_ == "pobj" and noun.head.lower_ in ("for", "at", "to", "in", "during"):
            host = noun.head.head
            side = "participant" if sense.symmetric else "source"
            if pos_of(host) in ("VERB", "AUX") and lemma_of(host) != "be":
                # "will travel to Sochi for a summit with Putin": who travels, and where to, are the summit's;
                # "invited Putin to India for the summit": so is whom the verb acts on
                subj, _, _ = self.subjects(host)
                objects = [c for c in host.children if c.dep_ == "dobj" and self.entity_label(c) in _ACTOR_LABELS]
                args = [self.arg(t, side) for t in subj + (objects if sense.symmetric else [])] + args
                places = places + self.places_of(host)
            elif pos_of(host) == "NOUN":  # "Putin's visit to New Delhi for the summit with Modi"
                owners = [c for c in host.children if c.dep_ == "poss" and c.tag_ not in ("PRP$",)]
                args = [self.arg(t, side) for t in owners] + args
                places = places + self.places_of(host)
        if light is not None:
            args = self.verb_args(light, sense, skip=noun) + args
            places = places + self.places_of(light)
            status = self.status(light)
            main = self.main_clause(light)
        else:
            status = self.noun_status(noun)
            governing = self.governing_verb(noun)
            main = self.main_clause(governing) if governing is not None else noun.dep_ == "ROOT"
            prep = noun.head
            if noun.dep_ == "pobj" and (
                prep.lower_ in _BACKGROUND or (prep.lower_ == "of" and prep.head.lower_ in ("ahead", "wake"))
            ):
                main = False  # "after years of occupation", "ahead of the summit": the setting, not the news
        earlier = any(c.lower_ in _EARLIER for c in noun.children if c.dep_ in ("amod", "advmod")) or any(
            c.dep_ == "poss"
            and c.lower_ in ("year", "month", "week")
            and any(g.lower_ in ("last", "previous") for g in c.children)
            for c in noun.children
        )  # "their previous meeting", "last year's summit"; not "next year's summit"
        sense = self.adjust(trigger, sense, args)
        mention = self.mention(trigger, sense, True, args, places, status, main, phrase=noun)
        mention.earlier = earlier
        return mention

    def reporter(self, tok: Any) -> Any | None:
        """The reporting verb a trigger's clause hangs from ("..., the ministry said")."""
        verb = tok if pos_of(tok) in ("VERB", "AUX") else self.governing_verb(tok)
        if verb is None:
            return None
        candidates = [c for c in verb.children if c.dep_ in ("parataxis", "ccomp", "advcl")]
        candidates += self.ancestors(verb)[:4]
        return next((r for r in candidates if lemma_of(r) in REPORTING_VERBS and r is not verb), None)

    def speaker(self, tok: Any) -> list[RawArg]:
        """Who reported the event: the subject of the reporting verb its clause hangs from
        ("..., the ministry said"; "Officials said ...")."""
        r = self.reporter(tok)
        if r is None:
            return []
        subj = [c for c in r.children if c.dep_ in ("nsubj", "nsubjpass")]
        return [self.arg(t, "speaker") for t in subj[:1] if t.lower_ not in ("it", "there")]

    def mention(
        self,
        tok: Any,
        sense: Sense,
        noun: bool,
        args: list[RawArg],
        places: list[Any],
        status: str,
        main: bool,
        phrase: Any | None = None,
        frame: bool = False,
    ) -> RawMention:
        start, end = self.at(tok)
        args = args + ([] if frame else self.speaker(tok))
        phrase = phrase if phrase is not None else tok
        phrase_span = self.phrase(phrase)
        clause = phrase.head if noun and pos_of(phrase.head) in ("VERB", "AUX") else phrase
        sub = list(clause.subtree)
        seen: set[tuple[int, int]] = set()
        place_spans = []
        for p in places:
            span = self.at(p)
            if span not in seen:
                seen.add(span)
                place_spans.append(span)
        return RawMention(
            start=start,
            end=end,
            type=sense.type,
            subtype=sense.subtype,
            cameo=sense.cameo,
            symmetric=sense.symmetric,
            noun=noun,
            sentence_start=self.offset,
            sentence_end=self.offset + len(self.doc.text),
            clause_start=self.offset + sub[0].idx,
            clause_end=self.offset + sub[-1].idx + len(sub[-1].text),
            phrase_start=min(start, phrase_span[0]),
            phrase_end=max(end, phrase_span[1]),
            status=status,
            main_clause=main,
            frame=frame,
            args=_unique(args),
            places=place_spans,
        )

    # -- arguments
    def subjects(self, verb: Any, depth: int = 0) -> tuple[list[Any], list[Any], list[Any]]:
        """(subjects, passive subjects, agents) of a verb, borrowed from the verb it depends on
        when it has none ("plans to visit", "met and signed")."""
        subj = [c for c in verb.children if c.dep_ in _SUBJECTS and c.lower_ not in ("it", "there")]
        if verb.dep_ == "relcl" and pos_of(verb.head) in ("NOUN", "PROPN"):
            # "Modi, who arrived in Moscow": the relative pronoun stands for the noun it hangs from
            subj = [verb.head if c.lower_ in ("who", "which", "that") else c for c in subj]
        passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not (subj or passive) and depth < 3:
            if verb.dep_ == "xcomp" and pos_of(verb.head) == "ADJ" and pos_of(verb.head.head) in ("VERB", "AUX"):
                s, p, a = self.subjects(verb.head.head, depth + 1)  # "it is willing to withdraw"
                subj, agents = s or p, agents or a
            elif verb.dep_ in ("xcomp", "conj", "advcl", "ccomp") and pos_of(verb.head) in ("VERB", "AUX"):
                s, p, a = self.subjects(verb.head, depth + 1)
                subj, agents = s or p, agents or a
            elif verb.dep_ == "pcomp" and pos_of(verb.head.head) in ("VERB", "AUX"):
                s, p, a = self.subjects(verb.head.head, depth + 1)  # "met business leaders before flying to Kabul"
                subj, agents = s or p, agents or a
            elif verb.dep_ in ("relcl", "acl") and pos_of(verb.head) in ("NOUN", "PROPN", "PRON"):
                infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
                if infinitive and pos_of(verb.head.head) in ("VERB", "AUX"):
                    # "India signed a deal to buy ...", "Modi is the first Indian prime minister to visit ..."
                    s, p, a = self.subjects(verb.head.head, depth + 1)
                    subj, agents = s or p, agents or a
                else:
                    subj = [verb.head]  # "Modi, who met Putin"
        return _with_conjuncts(subj), _with_conjuncts(passive), _with_conjuncts(agents)

    def verb_args(self, verb: Any, sense: Sense, skip: Any | None = None) -> list[RawArg]:
        side = "participant" if sense.symmetric else "source"
        other = "participant" if sense.symmetric else "target"
        subj, passive, agents = self.subjects(verb)
        args = [self.arg(t, side) for t in subj]
        args += [self.arg(t, other) for t in passive]
        args += [self.arg(t, side) for t in agents]
        for c in verb.children:
            if c.dep_ in _OBJECTS and c is not skip:
                for t in _with_conjuncts([c]):
                    if t.i in self.absorbed:  # "signed an agreement with Russia": whom the agreement names
                        args += [a for a in self.inside_object(t, other) if (a.head_start, a.head_end) != self.at(t)]
                        continue
                    if self.entity_label(t) in _ACTOR_LABELS:
                        args.append(self.arg(t, other))
                    elif not sense.symmetric:  # "discussed trade": a topic, not a participant
                        args += self.inside_object(t, other)
            elif c.dep_ == "prep":
                args += self.prep_args(c, sense)
        if sense.destination and (place := self.destination(verb)) is not None:
            args.append(self.arg(place, other))  # "arrived in Amman": the host
        if not sense.symmetric and not any(a.role == other for a in args) and sense.type in _SAYING:
            args += self.complement_targets(verb)
            for c in verb.children:  # "called for sanctions against Nigeria"
                if c.dep_ == "prep" and c.lower_ == "for":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            args += [
                                a for a in self.inside_object(g, other) if (a.head_start, a.head_end) != self.at(g)
                            ]
        return args

    def inside_object(self, obj: Any, role: str) -> list[RawArg]:
        """The actor an object phrase stands for when it is not one itself: "rejected a U.S.
        request" (U.S.), "rejected calls by Belarus's rulers", "demanded the withdrawal of Serbian
        forces", "shared evidence with the U.S.". Else the phrase itself ("attacked the convoy")."""
        found = [
            c for c in obj.children if c.dep_ in ("poss", "compound", "nmod") and self.entity_label(c) in _ACTOR_LABELS
        ]
        for c in obj.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of", "with", "to", "against"):
                found += [g for g in c.children if g.dep_ == "pobj" and pos_of(g) in ("NOUN", "PROPN")]
            if c.dep_ == "acl":  # "an appeal for deploying troops" has no actor; "calls made by X" does
                found += [g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        if found:
            return [self.arg(t, role) for t in _with_conjuncts(found)]
        return [self.arg(obj, role)]

    def complement_targets(self, verb: Any) -> list[RawArg]:
        """Whom a demand, threat or promise is aimed at, when it says so in its complement:
        "demanded that the US cancel ..." (the US), "threatened to cut off electricity to
        Nakhichevan" (Nakhichevan)."""
        out: list[RawArg] = []
        for c in verb.children:
            if c.dep_ == "ccomp":
                out += [
                    self.arg(t, "target")
                    for t in _with_conjuncts([g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")])
                ]
            elif c.dep_ == "xcomp":
                for g in c.children:
                    if g.dep_ == "prep" and g.lower_ in ("to", "for", "with", "against", "on", "from"):
                        out += [
                            self.arg(t, "target") for t in _with_conjuncts([x for x in g.children if x.dep_ == "pobj"])
                        ]
                    elif g.dep_ in ("dobj", "dative") and self.entity_label(g) in _ACTOR_LABELS:
                        out.append(self.arg(g, "target"))
                    elif g.dep_ == "dobj":
                        out += [a for a in self.inside_object(g, "target") if (a.head_start, a.head_end) != self.at(g)]
        return [a for a in out if a.pronoun is None or a.pronoun not in ("it", "this", "that")]

    def noun_args(self, noun: Any, sense: Sense) -> list[RawArg]:
        side = "participant" if sense.symmetric else "source"
        args: list[RawArg] = []
        for c in noun.children:
            if c.dep_ == "poss":
                args += [self.arg(t, side) for t in _with_conjuncts([c])]
            elif c.dep_ in ("compound", "amod", "nmod") and self.entity_label(c) in _ACTOR_LABELS:
                # "the India-Russia summit" (India hangs from Russia), "Indian strikes"
                nested = [
                    g for g in c.children if g.dep_ in ("compound", "amod") and self.entity_label(g) in _ACTOR_LABELS
                ]
                args += [self.arg(t, side) for t in _with_conjuncts([c, *nested])]
            elif c.dep_ == "prep":
                args += self.prep_args(c, sense)
        return args

    def prep_args(self, prep: Any, sense: Sense) -> list[RawArg]:
        word = prep.lower_
        objects = _with_conjuncts([g for g in prep.children if g.dep_ == "pobj"])
        if word in ("with", "between", "among", "alongside"):
            role = "participant" if sense.symmetric else "target"
        elif word in ("against", "on", "upon", "towards", "toward"):
            role = "target"
        elif word == "by":
            role = "participant" if sense.symmetric else "source"
        elif word == "in" and any(lemma_of(g) == "presence" for g in prep.children if g.dep_ == "pobj"):
            # "documents were exchanged in the presence of the two leaders"
            holders = [
                x for g in prep.children for of in g.children if of.dep_ == "prep" and of.lower_ == "of"
                for x in of.children if x.dep_ == "pobj"
            ]  # fmt: skip
            return [self.arg(t, "participant" if sense.symmetric else "source") for t in _with_conjuncts(holders)]
        elif word == "of" and sense.type in ("CONSULT",):
            role = "participant" if sense.symmetric else "source"  # "the visit of the Indian leader"
        elif word == "to" and sense.type in ("CONSULT", "AID", "SUPPORT", "DEMAND", "THREATEN"):
            role = "target"  # "visit to Russia", "aid to Pakistan", "appeal to the UN"
        elif word == "from" and sense.type in ("RETREAT", "COERCE"):
            role = "target"  # "withdrew from Gorazde", "expelled from Russia"
        else:
            return []
        out = []
        for t in objects:
            if pos_of(t) not in ("NOUN", "PROPN", "PRON") or _time_word(t):
                continue
            if pos_of(t) == "PRON" or self.entity_label(t) in _ACTOR_LABELS or role == "participant":
                out.append(self.arg(t, role))
            else:
                out += self.inside_object(t, role)  # "against Sweden's decision": Sweden
        return out

    def places_of(self, tok: Any, travel: bool = False) -> list[Any]:
        """Place words in the trigger's own prepositional phrases ("in Sochi", "at the Kremlin",
        "to Russia" for travel), or its object when that is a place ("visited Sochi"). A place
        inside the phrase counts only through a word for a place or a gathering ("in the resort
        of Sochi", "at the summit in Sochi"): "a road map for reactors in India" is not where."""
        out = []
        prepositions = ("in", "at", "near", "outside", "inside") + (("to", "into", "for") if travel else ())
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in prepositions:
                for g in _with_conjuncts([c2 for c2 in c.children if c2.dep_ == "pobj"]):
                    if self.entity_label(g) in _PLACE_LABELS:
                        out.append(g)
                    elif lemma_of(g) in _PLACE_NOUNS:
                        for gc in g.children:
                            if gc.dep_ == "prep" and gc.lower_ in ("of", "in"):
                                out.extend(x for x in gc.children if self.entity_label(x) in _PLACE_LABELS)
            elif c.dep_ in ("dobj", "npadvmod") and self.entity_label(c) in _PLACE_LABELS:
                out.append(c)
            elif c.dep_ == "dobj":  # "meets Putin in Goa": the place hangs from the object
                for g in c.children:
                    if g.dep_ == "prep" and g.lower_ in ("in", "at"):
                        out.extend(x for x in g.children if x.dep_ == "pobj" and self.entity_label(x) in _PLACE_LABELS)
        return out

    # -- status
    @staticmethod
    def governing_verb(tok: Any) -> Any | None:
        t = tok
        for _ in range(6):
            if t.dep_ == "ROOT" or t.head is t:
                return t if pos_of(t) in ("VERB", "AUX") else None
            t = t.head
            if pos_of(t) in ("VERB", "AUX"):
                return t
        return None

    @staticmethod
    def main_clause(verb: Any) -> bool:
        t = verb
        while t.dep_ in ("conj", "xcomp", "acomp") and t.head is not t:
            t = t.head  # "is willing to withdraw", "plans to visit": the act is what the clause is about
        if t.dep_ == "ROOT":
            return True
        # "X will visit Y, officials said" / "officials said X will visit Y": reported main events
        return t.dep_ in ("ccomp", "parataxis") and lemma_of(t.head) in REPORTING_VERBS and t.head.dep_ == "ROOT"

    def status(self, verb: Any) -> str:
        """What the grammar around a verb says of its event."""
        aux = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(c.dep_ == "neg" for c in verb.children) or _says_no(verb):
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
            return "hypothetical"
        chain = self.ancestors(verb)
        for a in chain:
            lemma = lemma_of(a)
            if lemma in DENYING_VERBS or (lemma in ("fail", "refuse", "decline") and verb.dep_ == "xcomp"):
                return "negated"
            if lemma in ("cancel", "scrap", "abandon", "drop") and verb.dep_ in ("dobj", "xcomp"):
                return "negated"
            if (any(c.dep_ == "neg" for c in a.children) or _says_no(a)) and lemma not in REPORTING_VERBS:
                return "negated"  # "did not plan to meet", "no agreements are expected to be signed"
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in a.children):
                return "hypothetical"
        if _condition(verb) is not None:
            return "hypothetical"  # "will withdraw unless ...": conditional (the ultimatum is the event)
        if any(a in ("will", "shall", "'ll", "wo") for a in aux):
            return "planned"
        if any(a in ("may", "might", "could", "should", "can", "must") for a in aux):
            return "hypothetical"
        if "would" in aux:
            reported = any(lemma_of(a) in REPORTING_VERBS and a.tag_ == "VBD" for a in chain)
            return "planned" if reported else "hypothetical"
        head = verb.head
        to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if verb.dep_ in ("acl", "relcl") and to and pos_of(head) in ("NOUN", "PROPN"):
            if any(c.lower_ in ("first", "last", "only", "second", "third") for c in head.children):
                governing = self.governing_verb(head)  # "the first Indian prime minister to visit": a fact
                return self.status(governing) if governing is not None else "occurred"
            return "planned"  # "an invitation to travel to India", "a deal to buy S-400 systems"
        infinitive = verb.dep_ == "advcl" and to
        if (verb.dep_ == "xcomp" or infinitive) and head is not verb:
            h = lemma_of(head)
            if (
                h in PLANNING_WORDS
                or h in ("go", "be")
                or (h in ("set", "due") and pos_of(head) in ("VERB", "ADJ", "AUX"))
            ):
                return "planned"  # "plans to visit", "is going to sign", "is to visit", "are set to meet"
            if h in ("postpone", "delay"):
                return "planned"
            return self.status(head)  # "went to Sochi to meet Putin": as the going went
        if verb.dep_ in ("conj",) and pos_of(head) in ("VERB", "AUX") and not aux:
            return self.status(head) if verb.tag_ in ("VB", "VBN") else _tense(verb, aux)
        return _tense(verb, aux)

    def noun_status(self, noun: Any) -> str:
        modifiers = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "advmod")}
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return "negated"
        if modifiers & PLANNING_WORDS:
            return "planned"
        head = noun.head
        if noun.dep_ == "pobj":
            word = head.lower_
            if (word in ("of",) and head.head.lower_ == "ahead") or word == "before":
                return "planned"  # "ahead of the summit"
            if word in ("after", "since", "following"):
                return "occurred"
            if word == "without":
                return "negated"  # "ended without any agreements"
            if lemma_of(noun) == "way" and word == "on":
                return "planned"  # "is on his way to Russia"
            verb = self.governing_verb(noun)
            if verb is not None and lemma_of(verb) in ("invite", "plan", "propose", "schedule"):
                return "planned"  # "invited Putin to India for next year's summit"
            if verb is not None and lemma_of(verb) != "be":
                return self.status(verb)  # "during the summit, they signed"; "flew in for the summit"
        if noun.dep_ in ("dobj", "nsubjpass", "xcomp") and lemma_of(head) in CANCELLING_VERBS:
            return "planned" if lemma_of(head) in ("postpone", "delay") else "negated"
        if noun.dep_ in ("dobj",) and lemma_of(head) in DENYING_VERBS:
            return "negated"
        if noun.dep_ == "dobj" and lemma_of(head) in PLANNING_WORDS and lemma_of(head) != "agree":
            return "planned"  # "promised cross-party talks", "proposed a meeting"
        if noun.dep_ == "attr" and pos_of(head) in ("VERB", "AUX"):
            return self.status(head)  # "the visit will be his first trip": as "will be" says
        if noun.dep_ == "pobj" and pos_of(head.head) == "NOUN" and head.head is not noun:
            return self.noun_status(head.head)  # "the visit, for the annual summit, will be ..."
        if noun.dep_ in ("nsubj", "nsubjpass") and pos_of(head) in ("VERB", "AUX"):
            if lemma_of(head) == "be" and any(
                c.dep_ in ("acomp", "attr", "xcomp") and lemma_of(c) in PLANNING_WORDS for c in head.children
            ):
                return "planned"  # "the summit is due to be held", "the visit is expected"
            # "talks took place", "the summit will open", "the summit is expected to ..."
            return self.status(head)
        return "unknown"

    @staticmethod
    def ancestors(tok: Any) -> list[Any]:
        out = []
        t = tok
        for _ in range(6):
            if t.head is t:
                break
            t = t.head
            out.append(t)
        return out


_TIME_WORDS = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday tomorrow day days week weeks month months "
    "year years morning afternoon evening night weekend time"
)


_WILL = frozenset({"will", "shall", "'ll", "wo", "would"})
_ANY_SENSE = Sense("V", "OTHER", None, None)


def _condition(verb: Any) -> Any | None:
    """The "unless" clause of a verb ("will withdraw unless talks resume")."""
    return next(
        (
            c
            for c in verb.children
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        ),
        None,
    )


def _time_word(tok: Any) -> bool:
    """Whether a token says when, not who ("on Tuesday", "in 2017")."""
    return tok.lower_ in _TIME_WORDS or lemma_of(tok) in _TIME_WORDS or tok.like_num


def _says_no(verb: Any) -> bool:
    """ "No agreements were signed", "signed no agreements": a "no" on the subject or object."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj") and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        for c in verb.children
    )


def _tense(verb: Any, aux: list[str]) -> str:
    tag = verb.tag_
    be_present = any(a in ("is", "are", "am", "'s", "'re", "'m") for a in aux)
    if tag == "VBG" and be_present:
        return "ongoing"  # "are holding talks"
    if tag == "VBN" and "being" in aux and be_present:
        return "ongoing"  # "talks are being held"
    if tag == "VBD" or (tag == "VBN" and any(a in ("has", "have", "had", "was", "were", "'ve") for a in aux)):
        return "occurred"
    if tag == "VBG" and any(a in ("was", "were") for a in aux):
        return "occurred"
    if tag in ("VBZ", "VBP"):
        return "present"
    if tag == "VBN" and be_present:
        return "present"  # "an agreement is signed": headline present
    return "unknown"


def _with_conjuncts(tokens: list[Any]) -> list[Any]:
    out = []
    for t in tokens:
        for x in (t, *t.conjuncts):
            if x not in out:
                out.append(x)
    return out


def _unique(args: list[RawArg]) -> list[RawArg]:
    seen: set[tuple[int, int]] = set()
    out = []
    for a in args:
        if (a.start, a.end) not in seen:
            seen.add((a.start, a.end))
            out.append(a)
    return out


# -- step 2: linking -----------------------------------------------------------------------------
def event_id(doc_id: str, start: int, kind: str) -> str:
    """A stable id: the same document, trigger position and category give the same id."""
    return "V" + hashlib.blake2b(f"{doc_id}|{start}|{kind}".encode(), digest_size=6).hexdigest()


class _Index:
    """Spans of one kind in one document, found by position."""

    def __init__(self, items: Sequence[Any]) -> None:
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]
        self.longest = max((x.end - x.start for x in self.items), default=0)

    def overlapping(self, start: int, end: int) -> list[Any]:
        first, last = bisect_left(self.starts, start - self.longest), bisect_right(self.starts, end)
        return [x for x in self.items[first:last] if x.start < end and start < x.end]

    def before(self, position: int) -> list[Any]:
        return self.items[: bisect_right(self.starts, position)]


def link_events(
    doc_id: str,
    text: str,
    raws: Sequence[RawMention],
    entities: Sequence[EntityMention],
    places: Sequence[PlaceMention],
    times: Sequence[TimeExpression],
    anchor: date | None,
) -> list[Event]:
    """The events of one document: raw mentions linked to its entities, places and times, their
    status settled against the date, and the mentions of one event joined."""
    ents, plcs = _Index(entities), _Index(places)
    dated = _Index([t for t in times if t.type in (TimeType.DATE, TimeType.TIME) and value_range(t.value)])
    timed = _Index(times)
    today = [t for t in times if t.value == (anchor.isoformat() if anchor else None)]
    linked: list[tuple[Event, set[str]]] = []
    firm: set[str] = set()  # events whose status the grammar stated (not a default)
    label_of = {e.entity_id: e.label for e in entities}
    previous: dict[str, list[EventActor]] = {"people": [], "states": []}
    for raw in sorted(raws, key=lambda r: r.start):
        args = [a for a in raw.args if not timed.overlapping(a.head_start, a.head_end)]  # "on Friday" is when
        speaker = [a for arg in args if arg.role == "speaker" for a in _actors(arg, ents, _NO_GROUPS, text, [])]
        actors = _merge_actors(
            [
                a
                for arg in args
                if arg.role != "speaker"
                for a in _actors(arg, ents, previous, text, speaker, raw.type in _FORCE, raw.sentence_start)
            ]
            + speaker
        )
        place = _place(raw, plcs, actors, text)
        if place and raw.type in _DOMESTIC and not any(a.role == "target" and a.entity_id for a in actors):
            # a protest, a curfew or a raid that names no one it is aimed at: PLOVER codes where it happened
            where = next((e for e in ents.overlapping(place.start, place.end) if e.label in _ACTOR_LABELS), None)
            if where is not None:
                actors.append(
                    EventActor("target", where.text, where.start, where.end, where.entity_id, where.canonical)
                )
        time = _time(raw, dated, text)
        if time and anchor and raw.status in ("planned", "present"):
            # "will hold the summit on Thursday, officials said", "Modi meets Putin on Saturday": ahead
            time = _forward(time, anchor)
        status = _settle(raw, time, anchor)
        said_today = any(raw.sentence_start <= t.start < raw.sentence_end for t in today)
        reported = status in (EventStatus.OCCURRED, EventStatus.ONGOING)
        if time is None and anchor is not None and reported and (raw.status in ("occurred", "ongoing") or said_today):
            # a simple past with no date, or "today": the publication date
            time = EventTime(anchor.isoformat(), TimeType.DATE.value, inferred=True)
        confidence = _confidence(raw, actors, place, time)
        mention = EventMention(
            raw.start, raw.end, text[raw.start : raw.end], raw.sentence_start, raw.sentence_end, status
        )
        event = Event(
            id=event_id(doc_id, raw.start, raw.type),
            type=raw.type,
            subtype=raw.subtype,
            cameo=raw.cameo,
            trigger=mention,
            actors=actors,
            place=place,
            time=time,
            status=status,
            confidence=confidence,
            mentions=[mention],
        )
        linked.append((event, {a.entity_id for a in actors if a.entity_id}))
        if raw.status not in ("unknown", "present") or raw.earlier:
            firm.add(event.id)
        sides = [a for a in actors if a.entity_id and a.role != "speaker"]
        people = [a for a in sides if label_of.get(a.entity_id or "") == "PERSON"]
        states = [a for a in sides if a.canonical and country_table().country(a.canonical) == a.canonical]
        if len(people) >= 2:
            previous["people"] = people
        if len(states) >= 2:
            previous["states"] = states
    events = [e for e, _ in linked]
    _inherit_places(events)
    _inherit_dates(events, anchor)
    dateline = next((p for p in places if _dateline_text(p.start, p.end, p.text, text)), None)
    if dateline is not None and anchor is not None:
        # "VLADIVOSTOK, Sept 4 -": where the story was filed is where its news of those days happened
        for i, event in enumerate(events):
            span = value_range(event.time.value) if event.time else None
            near = span is None or abs((span[0] - anchor).days) <= 3
            if (
                event.place is None
                and event.type in _DIPLOMATIC
                and near
                and event.status is not EventStatus.REFERENCED
            ):
                events[i] = replace(event, place=_event_place(dateline))
    return _corefer([(e, ids) for e, (_, ids) in zip(events, linked, strict=True)], firm)


def _last_two(ents: _Index, position: int, kind: str) -> list[EventActor]:
    """The last two different people (or countries) named before ``position``: what "the two
    leaders" (or "the two countries") points back to when no event has named them together."""
    seen: dict[str, EntityMention] = {}
    for e in reversed(ents.before(position)):
        wanted = e.label == "PERSON" if kind == "people" else bool(e.country and e.canonical == e.country)
        if wanted and e.entity_id not in seen:
            seen[e.entity_id] = e
            if len(seen) == 2:
                return [
                    EventActor("participant", x.text, x.start, x.end, x.entity_id, x.canonical) for x in seen.values()
                ]
    return []


_DIPLOMATIC = frozenset({"CONSULT", "SUPPORT", "AGREE", "COOPERATE"})
_NO_GROUPS: dict[str, list[EventActor]] = {"people": [], "states": []}


def _inherit_places(events: list[Event]) -> None:
    """An event the sentence gives no place for happens where the story puts the same people:
    "Putin will arrive in New Delhi on Wednesday ... he is to hold the summit with Modi on
    Thursday" puts the summit in New Delhi. Only for diplomatic events, from another event of the
    same document (the nearest before it first, then after it) that shares a participant, or is
    dated the same day, within three days, and is not a recalled earlier event."""
    for i, event in enumerate(events):
        if event.place is not None or event.type not in _DIPLOMATIC:
            continue
        ids = {a.entity_id for a in event.participants() if a.entity_id}
        # the story so far first, then what it says next ("signed 15 agreements on Wednesday ... the
        # summit in Vladivostok on Wednesday")
        for other in [*reversed(events[:i]), *events[i + 1 :]]:
            if other.place is None or other.type not in _DIPLOMATIC or other.status is EventStatus.REFERENCED:
                continue
            shared = ids & {a.entity_id for a in other.participants() if a.entity_id}
            same_day = bool(event.time and other.time and not event.time.inferred and not other.time.inferred)
            if not (shared or (same_day and _dates_compatible(event, other))):
                continue  # neither the same people nor the same (stated) day
            if not _dates_compatible(event, other, days=3):
                continue
            events[i] = replace(event, place=other.place)
            break


def _inherit_dates(events: list[Event], anchor: date | None) -> None:
    """A past (or denied) event the sentence gives no date for took place when the story's
    dated event did, if that was in the three days before publication ("the summit on Thursday
    ... Putin said after the talks", "no agreements were signed", in Friday's paper): the nearest
    such event with the same people, else the latest such day; else, for a past event, the
    publication date."""
    if anchor is None:
        return
    dated: list[tuple[int, date]] = []
    for i, event in enumerate(events):
        t = event.time
        span = value_range(t.value) if t and not t.inferred and t.type == TimeType.DATE.value else None
        if span and span[0] == span[1] and 0 <= (anchor - span[0]).days <= 3 and event.type in _DIPLOMATIC:
            dated.append((i, span[0]))
    if not dated:
        return
    for i, event in enumerate(events):
        undated = event.time is None and event.status is EventStatus.NEGATED
        if not (undated or (event.time and event.time.inferred and event.status is EventStatus.OCCURRED)):
            continue
        ids = {a.entity_id for a in event.participants() if a.entity_id}
        by_distance = sorted(dated, key=lambda d: abs(d[0] - i))
        sharing = [d for d in by_distance if ids & {a.entity_id for a in events[d[0]].participants() if a.entity_id}]
        # the same people's nearest dated event; else the story's latest day (a report's news)
        choice = sharing[0] if sharing else max(by_distance, key=lambda d: d[1])
        events[i] = replace(event, time=EventTime(choice[1].isoformat(), TimeType.DATE.value, inferred=True))


def _dates_compatible(a: Event, b: Event, days: int = 0) -> bool:
    """Whether two events' dates (when both have one) can be the same, ``days`` apart at most."""
    if not (a.time and b.time):
        return True
    ra, rb = value_range(a.time.value), value_range(b.time.value)
    if not (ra and rb):
        return True
    return not (ra[1] + timedelta(days=days) < rb[0] or rb[1] + timedelta(days=days) < ra[0])


_GROUP_PEOPLE = re.compile(
    r"^(?:the\s+)?(?:(?:two|both)\s+)?(?:leaders|presidents|men|ministers|prime\s+ministers|heads\s+of\s+state)$"
    r"|^(?:the\s+)?(?:two|both)$",
    re.IGNORECASE,
)
_GROUP_STATES = re.compile(
    r"^(?:the\s+)?(?:two|both)\s+(?:sides|countries|nations|governments|states|neighbours|neighbors|partners)$",
    re.IGNORECASE,
)


def _actors(
    arg: RawArg,
    ents: _Index,
    previous: dict[str, list[EventActor]],
    text: str,
    speaker: list[EventActor],
    force: bool = False,
    sentence_start: int = 0,
) -> list[EventActor]:
    """The actors an argument phrase stands for: the entity it names, the person a "he" or "she"
    points back to, the speaker for "it" ("Syria says it is willing"), the participants of the
    last event for "the two leaders", else the phrase, if its head names actors ("police"), or,
    with ``force``, names the target of an act of force ("shelled positions")."""
    phrase = text[arg.start : arg.end]
    if arg.pronoun:
        if arg.pronoun in ("it", "its", "they", "their", "we", "our") and speaker and speaker[0].entity_id:
            s = speaker[0]
            return [EventActor(arg.role, phrase, arg.start, arg.end, s.entity_id, s.canonical)]
        if arg.pronoun in _SINGULAR_PRONOUNS:
            people = [e for e in ents.before(arg.start) if e.label == "PERSON"]
            if people:
                # the sentence's first person (usually its subject), else the last person named before
                e = next((x for x in people if x.start >= sentence_start), people[-1])
                head = text[arg.head_start : arg.head_end]
                return [EventActor(arg.role, head, arg.head_start, arg.head_end, e.entity_id, e.canonical)]
        group = previous["people"] or previous["states"]
        if arg.pronoun in _PLURAL_PRONOUNS and group:
            return [EventActor(arg.role, phrase, arg.start, arg.end, p.entity_id, p.canonical) for p in group]
        return []  # "it", "we": left unresolved rather than guessed
    inside = ents.overlapping(arg.head_start, arg.head_end) or ents.overlapping(arg.start, arg.end)
    inside = [e for e in inside if e.label in _ACTOR_LABELS and not _dateline(e, text)]
    if len(inside) > 1 and all(e.label in ("NORP", "GPE") for e in inside):
        # "Hungarian and Romanian officials": one actor per country named
        return [EventActor(arg.role, e.text, e.start, e.end, e.entity_id, e.canonical) for e in inside]
    if len(inside) == 1 and re.fullmatch(r"[A-Z][a-z]+-[A-Z][a-z]+", inside[0].text):
        pair = [country_table().country(part) for part in inside[0].text.split("-")]
        if all(pair):  # "the India-Russia summit", "Russian-Indian talks": both countries take part
            e = inside[0]
            return [
                EventActor(arg.role, e.text, e.start, e.end, entity_id("GPE", name, name), name)
                for name in dict.fromkeys(pair)
                if name
            ]
    if inside:
        # the entity at the head, else the phrase's person ("Russian President Vladimir Putin" -> Putin)
        e = next((x for x in inside if x.start <= arg.head_start < x.end), None) or next(
            (x for x in inside if x.label == "PERSON"), inside[0]
        )
        return [EventActor(arg.role, e.text, e.start, e.end, e.entity_id, e.canonical)]
    bare = re.sub(r"(?:'s|’s|'|’)$", "", phrase.strip())  # "the leaders' meeting"
    for pattern, first, second in ((_GROUP_STATES, "states", "people"), (_GROUP_PEOPLE, "people", "states")):
        if pattern.match(bare):  # "the two leaders", "both countries"
            group = previous[first] or _last_two(ents, arg.start, first) or previous[second]
            if group:
                return [EventActor(arg.role, phrase, arg.start, arg.end, p.entity_id, p.canonical) for p in group]
    if arg.proper:  # a name the recogniser missed here but found elsewhere: "Modi, who arrived ..."
        name = text[arg.head_start : arg.head_end]
        known = next(
            (e for e in reversed(ents.items) if e.label == "PERSON" and e.canonical.split()[-1] == name), None
        ) or next((e for e in ents.items if e.text == name and e.label in _ACTOR_LABELS), None)
        if known is not None:
            return [EventActor(arg.role, name, arg.head_start, arg.head_end, known.entity_id, known.canonical)]
    head = text[arg.head_start : arg.head_end].lower()
    if head not in ACTOR_NOUNS and not arg.proper and not (force and arg.role == "target"):
        return []  # "16 agreements", "the agenda": not who acted or was acted on
    return [EventActor(arg.role, phrase, arg.start, arg.end)]


def _dateline(e: EntityMention, text: str) -> bool:
    """ "NEW DELHI, Oct 5 (Reuters) -": a place in capitals opening a paragraph says where the
    story was filed, not who acted."""
    return _dateline_text(e.start, e.end, e.text, text)


def _dateline_text(start: int, end: int, name: str, text: str) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    opening = start - line_start < 3 and text[end : end + 2] in (", ", " (", " -", " —")
    return opening and name.isupper() and len(name) > 3


def _merge_actors(actors: list[EventActor]) -> list[EventActor]:
    out: list[EventActor] = []
    for a in actors:
        # one actor per entity; unlinked phrases one per span ("the two leaders" may stand for two entities)
        if a.entity_id:
            seen = any(a.entity_id == b.entity_id for b in out)
        else:
            seen = any(not b.entity_id and (a.start, a.end) == (b.start, b.end) for b in out)
        if not seen:
            out.append(a)
    return out


def _place(raw: RawMention, plcs: _Index, actors: list[EventActor], text: str) -> EventPlace | None:
    named = [p for start, end in raw.places for p in plcs.overlapping(start, end)]
    if named:  # the most precise: "left for Vladivostok on a visit to Russia" is in Vladivostok
        return _event_place(next((p for p in named if p.kind not in _AREAS), named[0]))
    if raw.subtype in ("visit", "host-visit"):
        for a in actors:  # "visited Russia": where the visit went
            found = plcs.overlapping(a.start, a.end)
            if found and a.role in ("target", "participant"):
                return _event_place(found[0])
    if raw.type not in _DOMESTIC:
        return None  # a meeting's place comes from its own words, its story, or the dateline (see link_events)
    taken = [(a.start, a.end) for a in actors] + [(raw.phrase_start, raw.phrase_end)]
    for p in plcs.overlapping(raw.clause_start, raw.clause_end):  # a protest's: "in X" or "at X" in its clause
        preposition = re.search(r"\b(?:in|at|near|outside)\s+(?:the\s+)?$", text[max(0, p.start - 12) : p.start])
        if preposition and not any(p.start < end and start < p.end for start, end in taken):
            return _event_place(p)
    return None


def _event_place(p: PlaceMention) -> EventPlace:
    return EventPlace(p.name, p.country, p.lat, p.lon, p.text, p.start, p.end, p.kind)


_BOUND_BEFORE = re.compile(r"\b(?:by|until|till|since|through|before)\s+(?:the\s+)?$", re.IGNORECASE)
_BOUND_WORD = re.compile(r"(?:by|until|till|since|through|before)\b", re.IGNORECASE)


def _time(raw: RawMention, dated: _Index, text: str = "") -> EventTime | None:
    in_sentence = [
        t
        for t in dated.overlapping(raw.sentence_start, raw.sentence_end)
        # "a target of $30 billion by 2025", "since 2014": a bound, not when the event happened
        if not _BOUND_BEFORE.search(text[max(0, t.start - 16) : t.start]) and not _BOUND_WORD.match(t.text)
    ]
    if not in_sentence:
        return None
    in_clause = [t for t in in_sentence if raw.clause_start <= t.start < raw.clause_end]
    pool = in_clause or in_sentence
    best = min(pool, key=lambda t: abs(t.start - raw.start))
    return EventTime(best.value, best.type.value, best.text, best.start, best.end)


_WEEKDAY_WORD = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_MONTH_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b", re.IGNORECASE
)


def _forward(time: EventTime, anchor: date) -> EventTime:
    """A planned event's weekday or month, read forward when the time stage read it back: "is
    scheduled to hold the summit with Modi on Thursday, officials said" is the coming Thursday."""
    span = value_range(time.value)
    if span is None or span[1] >= anchor or not time.text or re.search(r"\d", time.text):
        return time  # a date the text spells out ("May 10", "in 2017") is not moved
    if re.fullmatch(r"\d{4}-\d\d-\d\d", time.value[:10]) and _WEEKDAY_WORD.search(time.text):
        if (anchor - span[1]).days >= 7:
            return time
        day = date.fromisoformat(time.value[:10]) + timedelta(days=7)
        return replace(time, value=day.isoformat() + time.value[10:])
    if re.fullmatch(r"\d{4}-\d\d", time.value) and _MONTH_WORD.search(time.text):
        return replace(time, value=f"{int(time.value[:4]) + 1}{time.value[4:]}")
    return time


def _settle(raw: RawMention, time: EventTime | None, anchor: date | None) -> EventStatus:
    """The status: the grammar's, weighed against the date."""
    grammar = raw.status
    if raw.earlier and grammar not in ("negated", "hypothetical"):
        return EventStatus.REFERENCED  # "their previous meeting", "his previous visit to Goa"
    if grammar in ("negated", "hypothetical", "planned", "ongoing"):
        return EventStatus(grammar)
    span = value_range(time.value) if time else None
    if span and anchor:
        if span[0] > anchor and grammar in ("present", "unknown"):
            return EventStatus.PLANNED  # "the summit on May 21", in an April article
        days_before = (anchor - span[1]).days
        if days_before > 30:
            return EventStatus.REFERENCED  # "their previous meeting", "when they met in 2017"
    if grammar == "present" and span and anchor and span[0] <= anchor <= span[1] and (span[1] - span[0]).days < 7:
        return EventStatus.ONGOING  # "talks are under way today"; not "the summit is in 2018"
    return EventStatus.OCCURRED


def _confidence(raw: RawMention, actors: list[EventActor], place: EventPlace | None, time: EventTime | None) -> float:
    score = 0.45 if not raw.noun else 0.35
    linked = [a for a in actors if a.entity_id]
    score += 0.2 if linked else 0.1 if actors else 0.0
    score += 0.1 if len(actors) >= 2 else 0.0
    score += 0.1 if place else 0.0
    score += 0.1 if time and not time.inferred else 0.05 if time else 0.0
    score += 0.05 if raw.status not in ("unknown", "present") else 0.0
    score += 0.25 if raw.main_clause else 0.0
    score += 0.05 if raw.frame else 0.0
    return round(min(score, 0.95), 2)


#: Categories of cooperation and of hostility: an intention to do one is coded, as CAMEO and PLOVER
#: code statements, as AGREE ("will provide aid") or THREATEN ("threatened to impose sanctions").
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "AGREE"})
_HOSTILE = frozenset({"SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE"})
#: Acts of giving way or agreeing: not doing one is a refusal (PLOVER REJECT). Meetings are not here:
#: "denied that talks took place" denies a fact, it refuses nothing.
_YIELDING = frozenset({"AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
#: (A hypothetical hostile act, "may halt mediation if ...", codes as THREATEN too.)


def plover_category(event: Event) -> str:
    """The category an event codes to in PLOVER, which codes intentions as acts of their own: a
    planned cooperative act ("will provide aid", "is willing to withdraw") is AGREE, a planned
    hostile one ("will impose sanctions") is THREATEN. ``event.type`` keeps the act itself, with
    its status beside it; this is for comparing with PLOVER- and CAMEO-coded data. A hostile act
    only supposed ("may impose sanctions if ...") is a conditional threat: THREATEN."""
    if event.status is EventStatus.PLANNED:
        if event.type in _COOPERATIVE:
            return "AGREE"
        if event.type in _HOSTILE:
            return "THREATEN"
    if event.status is EventStatus.HYPOTHETICAL and event.type in _HOSTILE:
        return "THREATEN"  # "may halt mediation if ...": a conditional threat
    if event.status is EventStatus.NEGATED and event.type in _YIELDING:
        return "REJECT"  # "will not accept refugees", "failed to reach agreement": a refusal
    return event.type


# -- within-document coreference -----------------------------------------------------------------
_FAMILY = {
    "meeting": "meet", "summit": "meet", "negotiation": "meet", "phone-call": "call", "visit": "visit",
    "host-visit": "meet", "invitation": "meet", "agreement-signed": "agree", "agreement-reached": "agree",
    "agreement": "agree",
}  # fmt: skip


_AREAS = frozenset({"country", "state", "region", "continent", "ocean", "sea"})


def _family(e: Event) -> str:
    return f"{e.type}:{_FAMILY.get(e.subtype or '', e.subtype or '')}"


def _compatible(a: Event, a_ids: set[str], b: Event, b_ids: set[str]) -> bool:
    if _family(a) != _family(b):
        return False
    if a_ids and b_ids and not (a_ids & b_ids):
        return False
    if a.time and b.time and not (a.time.inferred or b.time.inferred):
        ra, rb = value_range(a.time.value), value_range(b.time.value)
        if ra and rb and (ra[1] < rb[0] or rb[1] < ra[0]):
            return False  # two meetings a year apart
    if a.place and b.place and a.place.name != b.place.name:
        if a.place.country != b.place.country:
            return False
        if a.place.kind not in _AREAS and b.place.kind not in _AREAS:
            return False  # Sochi and St Petersburg: two places, two meetings
    referenced = {EventStatus.REFERENCED}
    return not ({a.status} & referenced) ^ ({b.status} & referenced) or not (a_ids and b_ids)


def _tenses_clash(a: EventStatus, b: EventStatus) -> bool:
    """A plan and a report of the past cannot be one event's two mentions, when both say so."""
    past = {EventStatus.OCCURRED, EventStatus.REFERENCED}
    return (a is EventStatus.PLANNED and b in past) or (b is EventStatus.PLANNED and a in past)


def _corefer(linked: list[tuple[Event, set[str]]], firm: set[str] | frozenset[str] = frozenset()) -> list[Event]:
    """Join the mentions of one event: same family, compatible actors, dates and places. The
    joined event's status is that of its most confident mention whose grammar said it (``firm``
    holds their ids): "Putin is expected to visit ... the visit" is planned, whatever "the visit"
    alone would default to."""
    events: list[tuple[Event, set[str], Event | None]] = []
    for event, ids in linked:
        target = None
        own_firm = event if event.id in firm else None
        for i in range(len(events) - 1, -1, -1):
            other, other_ids, other_firm = events[i]
            if own_firm and other_firm and _tenses_clash(other_firm.status, own_firm.status):
                continue  # "will host Putin on Thursday" is not "met in Sochi in May"
            if _compatible(other, other_ids, event, ids):
                target = i
                break
        if target is None:
            events.append((event, ids, own_firm))
            continue
        first, first_ids, first_firm = events[target]
        actors = _merge_actors(first.actors + event.actors)
        time = first.time if first.time and not first.time.inferred else event.time or first.time
        main = first if first.confidence >= event.confidence else event
        firms = [e for e in (first_firm, own_firm) if e is not None]
        deciding = max(firms, key=lambda e: e.confidence) if firms else main
        merged = Event(
            id=first.id,
            type=first.type,
            subtype=first.subtype,
            cameo=first.cameo,
            trigger=main.trigger,
            actors=actors,
            place=first.place or event.place,
            time=time,
            status=deciding.status,
            confidence=max(first.confidence, event.confidence),
            mentions=first.mentions + event.mentions,
        )
        events[target] = (merged, first_ids | ids, deciding if firms else None)
    return [e for e, _, _ in events]
