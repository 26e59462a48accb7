"""The event mentions of a parsed sentence: each trigger word's sense (the lexicon's first sense
whose conditions hold), the senses its arguments refine, and the demands and ultimatums that the
frame of a clause makes. Each mention records its sense and the rule that made it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.annotate.event_lexicon import (
    ACTOR_NOUNS,
    CEREMONY_VERBS,
    COMMITTING_VERBS,
    ENDING_VERBS,
    GETTING_VERBS,
    INVITING_VERBS,
    LEAVING_VERBS,
    LIGHT_VERBS,
    PLANNING_WORDS,
    QUITTING_VERBS,
    REPORTING_VERBS,
    REQUESTING_VERBS,
    RULE_SENSES,
    SENSES,
    WORD_CLASSES,
    YIELDING_VERBS,
    Sense,
    senses_of,
    words,
)
from storyline.annotate.event_lexicon import lemma as lemma_of
from storyline.annotate.event_lexicon import pos as pos_of
from storyline.annotate.events import targets
from storyline.annotate.events.arguments import (
    actor_places,
    destination,
    goes_home,
    noun_args,
    objects_of,
    occasion_places,
    places_of,
    purpose_targets,
    reporter,
    speaker,
    subjects,
    verb_args,
)
from storyline.annotate.events.coding import OUTCOMES, TRAVEL
from storyline.annotate.events.conditions import satisfies
from storyline.annotate.events.raw import RawArg, RawMention, Since
from storyline.annotate.events.sentence import ACTOR_LABELS, NAME_LABELS, Sentence
from storyline.annotate.events.status import WILL, Grammar, expected_with, noun_status, status, unless_clause
from storyline.annotate.events.tokens import ancestors, governing_verb, is_verb, main_clause, says
from storyline.model.annotations import EventStatus

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Prepositions through which a noun trigger is the setting of its clause, not its news.
_BACKGROUND = frozenset({"after", "following", "since", "despite", "amid", "before"})
#: Modifiers that mark an earlier event ("their previous meeting").
_EARLIER = frozenset({"previous", "last", "earlier", "former", "past", "prior"})


def sentence_mentions(s: Sentence, model: targets.TargetModel | None = None) -> list[RawMention]:
    """The sentence's event mentions, verbs first: a verb takes in the noun it acts on
    ("signed an agreement", "agreements were signed") before that noun could count alone.
    ``model``: the learned target model, when it is turned on (:func:`targets.load`, read once
    per batch by the caller)."""
    found: list[RawMention] = []
    for wanted in ("V", "N"):
        for tok in s.doc:
            if tok.i in s.absorbed:
                continue
            pos = "V" if is_verb(tok) else "N" if pos_of(tok) in ("NOUN", "PROPN") else None
            if pos != wanted or _no_trigger(s, tok, pos):
                continue
            for key in trigger_keys(tok, pos):
                sense = next((x for x in SENSES.get((pos, key), ()) if satisfies(s, tok, x)), None)
                if sense is not None:
                    if pos == "V":
                        found.extend(each_occasion(s, _verb_mention(s, tok, sense, f"verb:{key}"), tok, sense))
                    else:
                        found.append(_noun_mention(s, tok, sense, f"noun:{key}"))
                    break
    frames = _frames(s)
    framed = {f.framed for f in frames}
    for m in found:
        if m.start in framed:
            m.main_clause = False  # the demand or ultimatum is what the sentence does
    found.extend(frames)
    if model is not None:
        for m in found:
            targets.add_targets(s, m, model)  # turned on: whom an act is aimed at, learned
    return sorted(found, key=lambda m: m.start)


def trigger_keys(tok: Token, pos: str) -> list[str]:
    """The lexicon keys a token may answer to, phrasal verbs first ("call_off", "call_for",
    "open_fire"), then its lemma (and, for a noun, its own form: "talks")."""
    lemma = lemma_of(tok)
    if pos == "N":
        return [lemma, tok.lower_] if tok.lower_ != lemma else [lemma]
    # an object between the verb and its preposition makes that preposition the object's or the
    # clause's: "called Putin on Saturday" is a call, not "called on" him
    first_object = min((c.i for c in tok.children if c.dep_ in ("dobj", "oprd")), default=None)
    phrasal = [
        f"{lemma}_{c.lower_}"
        for c in tok.children
        if c.dep_ == "prt"
        or (c.dep_ == "prep" and c.lower_ in ("for", "on") and (first_object is None or c.i < first_object))
        # "forced the agency out of the country", "if the forces pull back"
        or (c.dep_ in ("prep", "advmod") and c.lower_ in ("out", "back"))
        or (c.dep_ == "dobj" and c.lower_ == "fire")
    ]
    return [*phrasal, lemma]


#: Verbs that report or give an order a quoted imperative fronts ("Sign the deal, Trump tells Kim").
_ORDERING = REPORTING_VERBS | REQUESTING_VERBS | words("warn")
#: Subjects that make a "must" the speaker's own: no demand on another.
_FIRST_PERSON = frozenset({"we", "i"})  # (not "us": "the US must" is a state)


def _frames(s: Sentence) -> list[RawMention]:
    """Demands and ultimatums that the frame of a clause makes, whatever its verb: "the
    minister said Libya must hand over the suspects" is the minister's demand on Libya
    (CAMEO 10); "it will withdraw its troops unless a ceasefire is arranged" is an ultimatum
    (CAMEO 139) by the subject to whoever the condition falls on."""
    out = []
    for verb in s.doc:
        if not is_verb(verb):
            continue
        must = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "must"), None)
        if must is not None:
            said_by = speaker(s, verb)
            if not said_by:
                continue  # an unattributed "must" is the writer's view or a necessity, not a demand
            subj, _, _ = subjects(verb)
            if any(t.lower_ in _FIRST_PERSON for t in subj):
                continue  # "we must build a partnership": the speaker's own resolve, asked of no one else
            said = reporter(verb)
            args = [replace(a, role="source") for a in said_by] + [s.arg(t, "target") for t in subj]
            grammar = status(said) if said is not None else EventStatus.OCCURRED
            frame = _mention(
                s, must, RULE_SENSES["must"], "frame:must", False, args, places_of(s, verb), grammar, True, frame=True
            )
            frame.framed = s.at(verb)[0]
            out.append(frame)
            continue
        condition = unless_clause(verb)
        if condition is None or not any(c.dep_ == "aux" and c.lower_ in WILL for c in verb.children):
            continue
        mark = next(m for m in condition.children if m.dep_ == "mark")
        subj, _, _ = subjects(verb)
        on, _, _ = subjects(condition)
        args = [s.arg(t, "source") for t in subj] + [s.arg(t, "target") for t in on]
        args += [a for a in verb_args(s, verb, RULE_SENSES["framed"]) if a.role == "target"]
        main = main_clause(verb)
        frame = _mention(
            s,
            mark,
            RULE_SENSES["unless"],
            "frame:unless",
            False,
            args,
            places_of(s, verb),
            EventStatus.OCCURRED,
            main,
            frame=True,
        )
        frame.framed = s.at(verb)[0]
        out.append(frame)
    return out


def _refine(s: Sentence, tok: Token, sense: Sense, args: list[RawArg]) -> str | None:
    """The rule by which the arguments refine a sense, if one does: an attack by aircraft or
    troops is conventional military force (FIGHT), not an unconventional assault (``military``);
    force used by police is repression (``police``, COERCE); "protested" with a reported
    complaint is a verbal protest (``reported-protest``, DISAPPROVE), not a demonstration."""
    sources = [{t.lower_ for t in s.doc if a.start <= s.offset + t.idx < a.end} for a in args if a.role == "source"]
    military = any(w & WORD_CLASSES["military"] and "suicide" not in w for w in sources)
    if sense.type == "ASSAULT" and sense.subtype in ("attack", "bombing", "killing", "assault") and military:
        return "military"
    if sense.type == "FIGHT" and any(w & WORD_CLASSES["police"] for w in sources):
        return "police"  # police firing on a crowd is repression (CAMEO 175), not combat
    if sense.type == "PROTEST" and is_verb(tok):
        # "..., a rights group protested": it reports a complaint (its clause is the complement)
        reporting = any(c.dep_ == "ccomp" for c in tok.children) or (
            tok.dep_ in ("parataxis", "ccomp") and tok.i > tok.head.i
        )
        if reporting:
            return "reported-protest"
    return None


def _verb_mention(s: Sentence, verb: Token, sense: Sense, rule: str) -> RawMention:
    if sense.needs in WORD_CLASSES:
        # "signed an agreement", "imposed sanctions": the object is this event, not another one
        for obj in objects_of(verb):
            if senses_of(obj) and obj.head == verb:
                s.absorbed.add(obj.i)
    args = verb_args(s, verb, sense)
    if sense.type == "PROTEST" and not any(a.role == "target" for a in args):
        args += purpose_targets(s, [verb])  # "rallied to protest against the decision"
    if (refined := _refine(s, verb, sense, args)) is not None:
        sense, rule = RULE_SENSES[refined], f"{rule}+{refined}"
    places = places_of(s, verb, sense)
    if not places and sense.subtype not in TRAVEL:
        places = actor_places(s, verb)
    mention = _mention(s, verb, sense, rule, False, args, places, status(verb), main_clause(verb))
    mention.earlier = repeated(verb)
    mention.home = sense.destination and destination(s, verb) is None and goes_home(verb)
    return mention


#: Adverbs that make a verb's event a habit or a record, not one happening ("have met regularly").
_REPEATED_ADVERBS = frozenset({"repeatedly", "often", "frequently", "regularly", "routinely", "previously"})
#: Quantities of "times" or "occasions" that say so too ("met several times", "on numerous occasions");
#: a count of them does as well (:func:`occasions`).
_MANY = frozenset({"several", "many", "numerous", "multiple", "various", "countless"})
#: Counts of occasions a verb may tell: "met twice", "met three times", "on two occasions".
_ONCE_MORE = {"twice": 2, "thrice": 3}
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
#: The words "times" and "occasions" as written (the parse has no lemmatizer: spaCy's lemma_ is
#: empty there).
_TIMES = frozenset({"time", "times", "occasion", "occasions"})


def occasions(verb: Token) -> int:
    """How many occasions the verb counts ("met twice", "visited three times", "on two
    occasions"); 1 when it counts none."""
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in _ONCE_MORE:
            return _ONCE_MORE[c.lower_]
        counted = [c] if c.dep_ in ("npadvmod", "advmod", "dobj") else []
        counted += [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ == "on" else []
        for x in counted:
            if x.lower_ in _TIMES:
                number = next((_COUNTS[g.lower_] for g in x.children if g.lower_ in _COUNTS), None)
                if number is not None:
                    return number
    return 1


def each_occasion(s: Sentence, mention: RawMention, verb: Token, sense: Sense) -> list[RawMention]:
    """A verb that counts its occasions and lists as many places tells one event per place ("the
    two leaders met twice in June, in Bishkek and on the margins of the G20 summit in Osaka": a
    meeting in Bishkek and one in Osaka), each a record of an earlier meeting; else the mention
    itself. Only a list of the verb's own place phrases counts (:func:`occasion_places`), never
    where its subject is, and only a list as long as the count."""
    count = occasions(verb)
    if count < 2:
        return [mention]
    places = occasion_places(s, verb, sense)
    if len(places) != count or len({p.i for p in places}) != count:
        return [mention]
    # (a counted verb is a record of earlier events already: :func:`repeated`)
    return [
        replace(mention, places=[s.at(place)], occasion=k, args=list(mention.args)) for k, place in enumerate(places)
    ]


def repeated(verb: Token) -> bool:
    """The verb tells a record of earlier events rather than one happening: "the two had met on
    numerous occasions since 2014", "have met several times", "had previously visited". Such an
    event is recalled background (referenced), never the article's news of one meeting."""
    if occasions(verb) > 1:
        return True  # "met twice", "met three times", "on two occasions"
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in _REPEATED_ADVERBS:
            return True
        quantity = c.dep_ in ("npadvmod", "advmod", "dobj") and c.lower_ in _TIMES
        if quantity and any(g.lower_ in _MANY for g in c.children):
            return True
        if c.dep_ == "prep" and c.lower_ in ("on", "since"):
            for obj in c.children:
                if obj.dep_ != "pobj":
                    continue
                if c.lower_ == "on" and obj.lower_ == "occasions":
                    return True  # "on numerous occasions", "on several occasions"
                if c.lower_ == "since" and obj.like_num and len(obj.text) == 4 and verb.tag_ == "VBN":
                    return True  # "have met ... since 2014": a record up to now
    return False


#: Nouns that an event noun before them only qualifies: people, forces, arms, and a few things
#: ("invasion forces", "aid workers", "war games", "war crimes", "attack helicopters", "ceasefire
#: violations"): the phrase names them, not the event.
_QUALIFIED = (
    ACTOR_NOUNS
    | WORD_CLASSES["arms"]
    | WORD_CLASSES["military"]
    | words(
        "games game crimes crime criminal criminals zone zones veteran veterans correspondent correspondents "
        "memorial memorials museum museums film films movie movies hero heroes violation violations breach "
        "breaches charge charges report reports allegation allegations trial trials case cases"
    )
)


def _acronym(s: Sentence, noun: Token) -> bool:
    """Whether a noun is written in capitals in a sentence that is not ("the app, dubbed PACT"):
    the letters of a name. A headline in capitals keeps its words."""
    if len(noun.text) < 3 or not noun.text.isupper():
        return False
    letters = [t for t in s.doc if t.is_alpha and len(t.text) > 1]
    return sum(t.text.isupper() for t in letters) * 2 < len(letters)


def _names_a_kind(noun: Token) -> bool:
    """Whether an event noun only qualifies the noun after it ("invasion forces", "war games")."""
    head = noun.head
    return noun.dep_ == "compound" and head.i > noun.i and (head.lower_ in _QUALIFIED or lemma_of(head) in _QUALIFIED)


def _no_trigger(s: Sentence, tok: Token, pos: str) -> bool:
    """Whether a word the lexicon knows is used here as something else than an event."""
    if pos == "V":
        # "took the injured to hospital": the people it was done to, not the act; "For more
        # information, visit the event page": the reader is told to act, no one acts
        return _people_of(tok) or _imperative(tok)
    return (
        s.entity_label(tok) in NAME_LABELS  # "Asia-Pacific Economic Cooperation", "Nobel Peace Prize"
        or _amount(tok)  # "a great deal to discuss": an amount, not an agreement
        or _acronym(s, tok)  # "Private Automated Contact Tracing (PACT)": a name's letters, not a pact
        or _names_a_kind(tok)  # "invasion forces", "war games", "attack helicopters": a kind of thing
        or _a_deal_left(tok)  # "pulled out of the nuclear agreement": a deal made before, now left
    )


def _a_deal_left(noun: Token) -> bool:
    """Whether an agreement noun names a deal someone leaves ("pulled out of the nuclear agreement",
    "the US withdrawal from the Paris accord", "Washington quit the deal"): the leaving is the
    event (a rejection), the deal was made before, not now."""
    if not says(noun, WORD_CLASSES["agreement"]):
        return False
    if noun.dep_ == "dobj":
        return says(noun.head, QUITTING_VERBS)
    if noun.dep_ != "pobj" or noun.head.lower_ not in ("from", "of"):
        return False
    left = noun.head.head
    if left.lower_ == "out" and left.head.i != left.i:  # "pulled out of"
        left = left.head
    return says(left, LEAVING_VERBS) or left.lower_ == "withdrawal"


def _imperative(verb: Token) -> bool:
    """Whether a verb tells the reader, or someone quoted, to act rather than tells of an act: a
    bare verb with no subject heading its sentence ("Visit the event page", "For details, contact
    the office", "Do not travel to Iraq"), or a quoted order fronted before who gave it ("Sign the
    deal, Trump tells Kim"); not in a question."""
    if verb.tag_ != "VB" or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "auxpass") for c in verb.children):
        return False
    aux = [c for c in verb.children if c.dep_ == "aux"]
    if aux and not (all(a.lower_ in ("do", "don't") for a in aux) and any(c.dep_ == "neg" for c in verb.children)):
        return False  # "will visit", "to visit"; but "Do not travel to Iraq" tells the reader
    if any(t.text == "?" for t in verb.sent):
        return False
    if verb.dep_ == "ROOT":
        return True
    # a quoted order fronted before who gave it: "Sign the deal, Trump tells Kim"
    return verb.dep_ in ("ccomp", "advcl", "parataxis") and verb.i < verb.head.i and lemma_of(verb.head) in _ORDERING


def _people_of(verb: Token) -> bool:
    """Whether a participle stands for the people an act was done to ("the wounded", "the
    injured"): a determiner before it, in a noun's place in the sentence."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj")
        and any(c.dep_ == "det" and c.i < verb.i for c in verb.children)
    )


def _amount(noun: Token) -> bool:
    """ "A great deal", "a good deal": an amount ("knows a great deal about Russia", "a great deal
    to discuss", "means a great deal to India"), unless it is one got or struck, one on or for
    something, or what something was ("got a good deal on the systems", "struck a great deal for
    India", "thought it was a great deal")."""
    if noun.lower_ != "deal" or not any(c.dep_ == "amod" and c.lower_ in ("great", "good") for c in noun.children):
        return False
    if noun.dep_ == "attr" or any(c.dep_ == "prep" and c.lower_ in ("on", "for", "with") for c in noun.children):
        return False  # "he thought it was a great deal": a bargain struck
    # "signing" and "strikes" keep their own lemma in the table (the nouns' senses)
    gets = lemma_of(noun.head) in GETTING_VERBS or noun.head.lower_ in ("signing", "strikes")
    return not (noun.dep_ == "dobj" and gets)


def _noun_mention(s: Sentence, noun: Token, sense: Sense, rule: str) -> RawMention:
    if noun.dep_ == "compound" and pos_of(noun.head) == "NOUN" and noun.head.i > noun.i:
        trigger, noun = noun, noun.head  # "a mediation effort": the effort's phrase carries the syntax
    else:
        trigger = noun
    light = noun.head if noun.dep_ in ("dobj", "nsubjpass", "attr") and _lends(noun.head, sense) else None
    if light is None and noun.dep_ == "pobj" and _lends(noun.head.head, sense) and not expected_with(noun):
        # "took part in talks", "presided over the talks"; not "held talks, with an agreement expected"
        light = noun.head.head
    if light is None and noun.dep_ in ("nsubj", "nsubjpass"):
        light = _raised_light(noun, sense)
    args = noun_args(s, noun, sense)
    if light is None and trigger is noun and sense.type == "CONSULT" and _committed(noun):
        # "She promised cross-party talks with senior MPs": who commits to the act takes part in it
        subj, _, _ = subjects(noun.head)
        args = [s.arg(t, "participant" if sense.symmetric else "source") for t in subj] + args
    places = places_of(s, noun, sense)
    # a noun joined to another takes its phrase's place in the sentence ("for a two-day visit and
    # the annual summit with the president": the summit is what the journey is for too)
    lead = noun
    while lead.dep_ == "conj" and pos_of(lead.head) == "NOUN":
        lead = lead.head
    purpose: tuple[int, int] | None = None
    traveller: tuple[int, int] | None = None
    if lead.i != noun.i and not _journey_for(s, lead):
        lead = noun  # only what a journey is for shares its phrase's place ("for a visit and the summit")
    if light is None and lead.dep_ == "pobj" and lead.head.lower_ in ("for", "at", "to", "in", "during"):
        host = lead.head.head
        if _journey_for(s, lead):
            # what a journey is for: "will travel to St Petersburg on May 31 for the summit"
            purpose = s.subtree(lead.head)
            subj, _, _ = subjects(host)
            traveller = s.at(subj[0]) if subj else None
        side = "participant" if sense.symmetric else "source"
        if is_verb(host) and lemma_of(host) != "be":
            # "will travel to the capital for a summit with the president": who travels, and where
            # to, are the summit's; "invited the president for the summit": so is whom the verb acts on
            subj, _, _ = subjects(host)
            objects = [c for c in host.children if c.dep_ == "dobj" and s.entity_label(c) in ACTOR_LABELS]
            args = [s.arg(t, side) for t in subj + (objects if sense.symmetric else [])] + args
            places = places + places_of(s, host)
            if lemma_of(host) in INVITING_VERBS and (where := destination(s, host, guest=True)) is not None:
                places.append(where)  # "invited the president to X for the summit": the summit is in X
        elif pos_of(host) == "NOUN":  # "the president's visit to the capital for the summit"
            owners = [c for c in host.children if c.dep_ == "poss" and c.tag_ not in ("PRP$",)]
            args = [s.arg(t, side) for t in owners] + args
            places = places + places_of(s, host)
    grammar: Grammar
    if light is not None:
        args = verb_args(s, light, sense, skip=noun) + args
        places = places + places_of(s, light)
        grammar = status(light)
        main = main_clause(light)
    else:
        grammar = noun_status(lead) if purpose is not None else noun_status(noun)
        governing = governing_verb(noun)
        main = main_clause(governing) if governing is not None else noun.dep_ == "ROOT"
        held = noun
        while held.dep_ == "pobj":
            prep = held.head
            if prep.lower_ in _BACKGROUND or (prep.lower_ == "of" and prep.head.lower_ in ("ahead", "wake")):
                main = False  # "after years of occupation", "ahead of the summit": the setting, not the news
                break
            if prep.lower_ != "of":
                break
            held = prep.head  # "after 12 days of battles": the days are the setting, and so their battles
    earlier = any(c.lower_ in _EARLIER for c in noun.children if c.dep_ in ("amod", "advmod")) or any(
        c.dep_ == "poss"
        and c.lower_ in ("year", "month", "week")
        and any(g.lower_ in ("last", "previous") for g in c.children)
        for c in noun.children
    )  # "their previous meeting", "last year's summit"; not "next year's summit"
    if not earlier and noun.dep_ == "pobj" and is_verb(noun.head.head):
        # "his previous visit to Goa having been tied to a BRICS summit": what an earlier event's
        # verb ties it to is earlier too (an event's noun only: "the former minister was arrested
        # for the killing" is no earlier killing)
        told_of = [
            c
            for c in noun.head.head.children
            if c.dep_ in ("nsubj", "nsubjpass") and pos_of(c) == "NOUN" and senses_of(c)
        ]
        earlier = any(m.dep_ == "amod" and m.lower_ in _EARLIER for c in told_of for m in c.children)
    if sense.type == "PROTEST" and not any(a.role == "target" for a in args):
        holders = [noun] + ([noun.head] if noun.dep_ in ("dobj", "nsubj", "nsubjpass") and is_verb(noun.head) else [])
        args += purpose_targets(s, holders)  # "began a hunger strike to protest against ..."
    if (refined := _refine(s, trigger, sense, args)) is not None:
        sense, rule = RULE_SENSES[refined], f"{rule}+{refined}"
    mention = _mention(s, trigger, sense, rule, True, args, places, grammar, main, phrase=noun)
    mention.earlier = earlier
    mention.purpose = purpose
    if purpose is not None:
        mention.traveller = traveller
        mention.habitual = _habitual(lead.head.head)
    if light is None and sense.type in OUTCOMES:
        mention.outcome_of = _yielded_by(s, noun)
    return mention


def _journey_for(s: Sentence, noun: Token) -> bool:
    """Whether a noun is what a journey is for: the object of "for" on a travel verb that goes
    somewhere ("flew to Paris for talks"; not "the prize goes to Abiy for his deal", no journey)."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "for":
        return False
    host = noun.head.head
    if not is_verb(host) or not any(
        x.subtype == "visit" and x.destination for x in SENSES.get(("V", lemma_of(host)), ())
    ):
        return False
    return destination(s, host) is not None and s.entity_label(noun) is None


#: Words of a day or a season a plural of which tells a habit ("on weekends", "summers").
_TIME_WORDS = frozenset({"weekend", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                         "summer", "winter", "spring", "autumn", "morning", "evening", "holiday", "day", "week",
                         "month", "year"})  # fmt: skip
#: Adverbs of a habit: "usually travels to Sochi" is no schedule.
_HABIT = frozenset({"usually", "often", "rarely", "seldom", "always", "regularly", "frequently", "sometimes", "never",
                    "normally", "typically", "generally", "occasionally", "routinely"})  # fmt: skip


def _habitual(verb: Token) -> bool:
    """Whether a verb tells a habit: an adverb of one, or "each"/"every" or a plural day or season
    in its clause ("each summer", "on weekends")."""
    for t in verb.subtree:
        if t.lower_ in _HABIT and t.head.i == verb.i:
            return True
        if t.lower_ in ("each", "every") and t.head.head.i == verb.i:
            return True
        if t.tag_ == "NNS" and t.lower_.removesuffix("s") in _TIME_WORDS and t.head.head.i == verb.i:
            return True
    return False


def _raised_light(noun: Token, sense: Sense) -> Token | None:
    """The passive light verb a noun subject is raised from ("The summit is due to be held in
    India", "the talks are expected to be held in Geneva"): it lends its place and tense as "the
    summit will be held in India" would."""
    x = noun.head
    for _ in range(3):
        if lemma_of(x) not in _RAISING and x.lower_ not in _RAISING:
            return None  # "the campaign does not appear to have been carried out by a state": its maker denied, not it
        x = next((c for c in x.children if c.dep_ in ("acomp", "xcomp")), x)
        if x.dep_ not in ("acomp", "xcomp"):
            return None
        if is_verb(x) and any(c.dep_ == "auxpass" for c in x.children) and _lends(x, sense):
            return x
    return None


#: Words through which a gathering's noun is raised from the verb that holds it: "is due to be
#: held", "are expected to be held", "is set to be convened".
_RAISING = PLANNING_WORDS | {"be"}


def _committed(noun: Token) -> bool:
    """Whether a noun event is what its verb's subject commits to (:data:`COMMITTING_VERBS`):
    "promised talks with MPs", "offered a visit"; not talks "between" two others, which whoever
    proposes them brokers ("the UN proposed talks between the two sides"). Its caller asks it of
    meetings and visits only: on other acts the subject the parse gives was as often not their
    actor as their actor ("the company is offering the ransom as a reward", "a utility for
    Windows, which offers support": CASIE, AQUAINT and SemEval articles, read one by one)."""
    return (
        noun.dep_ == "dobj"
        and is_verb(noun.head)
        and lemma_of(noun.head) in COMMITTING_VERBS
        and not any(c.dep_ == "prep" and c.lower_ in ("between", "among") for c in noun.children)
    )


def _lends(verb: Token, sense: Sense) -> bool:
    """Whether a verb lends its subject and tense to a noun event it governs: a light verb ("held
    talks"), or a verb of presiding for a meeting or a signing ("oversaw the signing")."""
    lemma = lemma_of(verb)
    if lemma in LIGHT_VERBS:
        return True
    ceremony = sense.type == "CONSULT" or sense.subtype == "agreement-signed"
    return ceremony and lemma in CEREMONY_VERBS and is_verb(verb)  # not "the chair of the talks"


def _yielded_by(s: Sentence, noun: Token) -> list[tuple[int, int]]:
    """The words that may name a meeting an agreement or a signing comes of, or goes without
    (:data:`~storyline.annotate.event_lexicon.YIELDING_VERBS` with an object, ``ENDING_VERBS`` with
    "with" or "in", any verb with "without"): the verb and its noun subject ("the talks
    produced an accord", "the summit ended without any agreements", "hosted the prime minister ...
    without a fixed agenda and without the signing of documents"), or the noun it hangs from ("a
    summit without agreements")."""
    if noun.dep_ == "dobj":
        verb, word = noun.head, ""
    elif noun.dep_ == "pobj":
        prep = noun.head
        while prep.dep_ == "conj" and prep.head.i != prep.i:  # "without X and without the signing"
            prep = prep.head
        verb, word = prep.head, prep.lower_
    else:
        return []
    if pos_of(verb) == "NOUN":
        return [s.at(verb)] if word == "without" else []  # "an informal summit, without the signing"
    lemma = lemma_of(verb)
    if not word:
        yields = lemma in YIELDING_VERBS  # "produced an accord"
    else:
        yields = word == "without" or (word in ("with", "in") and lemma in ENDING_VERBS)  # "ended with a deal"
    if not is_verb(verb) or not yields:
        return []  # "discussed the treaty", "condemned the agreement", "talks on a deal": no outcome
    clause = verb
    while (
        clause.dep_ == "conj"
        and is_verb(clause.head)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)
    ):
        clause = clause.head  # "had no set agenda and ended without any agreements": the first verb's subject
    named: list[Token] = []
    for c in [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")][:1]:
        if c.lower_ in ("that", "which") and clause.dep_ == "relcl" and pos_of(clause.head) == "NOUN":
            named.append(clause.head)  # "an informal summit that ... ended without any agreements"
        elif pos_of(c) == "NOUN":
            named.append(c)
    if word == "without" and clause.dep_ == "pcomp" and clause.head.lower_ == "for" and is_verb(clause.head.head):
        # "hosted Modi ... for what both sides described as an informal summit, without the
        # signing of documents": the clause of "for" tells of the hosting
        named.append(clause.head.head)
    return [s.at(verb), *(s.at(c) for c in named)]


def _mention(
    s: Sentence,
    tok: Token,
    sense: Sense,
    rule: str,
    noun: bool,
    args: list[RawArg],
    places: list[Token],
    grammar: Grammar,
    main: bool,
    phrase: Token | None = None,
    frame: bool = False,
) -> RawMention:
    start, end = s.at(tok)
    args = args + ([] if frame else speaker(s, tok))
    phrase = phrase if phrase is not None else tok
    phrase_span = s.phrase(phrase)
    clause = phrase.head if noun and is_verb(phrase.head) else phrase
    clause_start, clause_end = s.subtree(clause)
    seen: set[tuple[int, int]] = set()
    place_spans = []
    for p in places:
        span = s.at(p)
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
        sentence_start=s.offset,
        sentence_end=s.offset + len(s.doc.text),
        clause_start=clause_start,
        clause_end=clause_end,
        phrase_start=min(start, phrase_span[0]),
        phrase_end=max(end, phrase_span[1]),
        status=grammar,
        main_clause=main,
        sense=sense.name,
        rule=rule,
        frame=frame,
        args=_unique(args),
        places=place_spans,
        within=_within_event(s, clause),
        asides=_asides(s, tok, clause),
        during=_during(s, tok, noun),
        reported_at=_report_phrases(s, tok),
        meanwhile=_meanwhile(s, tok, noun),
        since=_since(s, tok),
        traveller=_subject_span(s, tok) if not noun and sense.subtype == "visit" else None,
        habitual=not noun and sense.subtype == "visit" and _habitual(tok),
        undertaken=_undertaken(tok),
    )


#: Verbs whose complement names what their subject undertakes ("agreed to step up cooperation"),
#: still to be done. Not "decide": "she decided to come to Pasadena" tells, as often as not, of a
#: journey made, whose place the story's other events share.
_UNDERTAKING = COMMITTING_VERBS | {"agree"}


def _undertaken(tok: Token) -> bool:
    """Whether the trigger lies in the complement of a verb of agreeing or committing ("agreed to
    step up cooperation in X and to open a sea route", "vowed to rebuild the bridge"): an act
    undertaken, not one told as done (:attr:`RawMention.undertaken`)."""
    a = tok
    while a.head.i != a.i and a.dep_ not in _CLAUSE_EDGES:
        if a.dep_ == "xcomp" and is_verb(a.head) and lemma_of(a.head) in _UNDERTAKING:
            return True
        a = a.head
    return False


#: Where a clause of its own begins: what is undertaken is not looked for past it ("agreed to
#: implement the accord they signed in X": the signing is told as done).
_CLAUSE_EDGES = ("relcl", "acl", "advcl", "ccomp", "parataxis")


def _subject_span(s: Sentence, verb: Token) -> tuple[int, int] | None:
    subj, _, _ = subjects(verb)
    return s.at(subj[0]) if subj else None


def _during(s: Sentence, tok: Token, noun: bool) -> tuple[int, int] | None:
    """The span of a "during" or "at" phrase of the trigger's verb (the trigger itself, or the verb
    a noun trigger is the object of) whose noun is no place word of its own: "concluded during
    Putin's visit to New Delhi", "signed at the summit in Goa"."""
    verb = tok.head if noun and tok.dep_ in ("dobj", "nsubjpass") and is_verb(tok.head) else tok
    if noun and verb.i == tok.i:
        return None
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("during", "at"):
            obj = next((g for g in c.children if g.dep_ == "pobj" and pos_of(g) == "NOUN"), None)
            if obj is not None:
                return s.subtree(obj)
    return None


def _asides(s: Sentence, tok: Token, clause: Token) -> list[tuple[int, int]]:
    """The relative clauses on a subject inside the trigger's clause ("The minister, who arrived on
    Monday, met Putin"): their times are their own. One on the trigger itself ("the summit, which
    will be held on Monday") is not among them, nor one on what the event acts on ("fired the
    shots that killed the doctor in October": the same act)."""
    out = []
    for t in clause.subtree:
        if t.dep_ == "relcl" and t.head.dep_ in ("nsubj", "nsubjpass") and t.head.i != tok.i and tok not in t.subtree:
            out.append(s.subtree(t))
    return out


def _within_event(s: Sentence, clause: Token) -> tuple[int, int] | None:
    """For a clause of "during which", "at which" or another preposition and "which", the span of
    the noun phrase it hangs from ("a two-day visit to Russia, during which he will hold the summit")."""
    if clause.dep_ != "relcl":
        return None
    opener = [t for t in clause.subtree if t.i < clause.i][:2]
    if not (len(opener) == 2 and opener[0].dep_ == "prep" and opener[1].lower_ == "which"):
        return None  # not "where": what it hangs from is a place ("flew on Monday to Sochi, where ...")
    return s.subtree(clause.head)


#: Nouns of a span of time that can open an "after" or "before" clause ("five months after").
_TIME_SPANS = frozenset({"minute", "hour", "day", "week", "fortnight", "month", "year", "decade"})


def _since(s: Sentence, tok: Token) -> Since | None:
    """Where a span of time before "after" or "before" stands, and its clause, when the trigger is
    in that clause ("five months after Modi and Putin met"; "a day after holding talks"; "a day
    after the leaders held the summit, at which they signed agreements")."""

    def is_span(t: Token | None) -> bool:
        return t is not None and t.lower_.removesuffix("s") in _TIME_SPANS

    for x in [tok, *ancestors(tok)]:
        word = amount = said_of = None
        if x.dep_ == "advcl":
            word = next((m for m in x.children if m.dep_ == "mark" and m.lower_ in ("after", "before")), None)
            spans = [c for t in (x, word) if t is not None for c in t.children if c.dep_ == "npadvmod" and is_span(c)]
            amount, said_of = (spans[0] if spans else None), x.head
        elif x.dep_ in ("pcomp", "pobj") and x.head.lower_ in ("after", "before") and x.head.dep_ == "prep":
            word = x.head
            amount = word.head if is_span(word.head) else None
            amount = amount or next((c for c in word.children if c.dep_ == "npadvmod" and is_span(c)), None)
            said_of = amount.head if amount is not None and amount.i == word.head.i else word.head
        if word is not None and amount is not None and amount.i < word.i:
            lead = s.span(amount.left_edge, amount)
            clause = s.span(min(word, x.left_edge, key=lambda t: t.i), x.right_edge)
            verb = said_of if said_of is not None and is_verb(said_of) else governing_verb(amount)
            ahead = verb is not None and status(verb) in (EventStatus.PLANNED, EventStatus.HYPOTHETICAL)
            return Since(*lead, *clause, -1 if word.lower_ == "after" else 1, ahead)
        if x.dep_ in ("ROOT", "ccomp", "parataxis"):
            break
    return None


def _meanwhile(s: Sentence, tok: Token, noun: bool) -> list[tuple[int, int]]:
    """The spans of the "when" clauses on the trigger's verb: the trigger itself, or
    the verb whose object a noun trigger is ("will hold talks when ..."), and the verbs it
    completes ("are expected to sign agreements ... when ...")."""
    verb = tok.head if noun and tok.dep_ in ("dobj", "attr") and is_verb(tok.head) else tok
    if noun and verb.i == tok.i:
        return []
    verbs = [verb]
    while verbs[-1].dep_ == "xcomp" and is_verb(verbs[-1].head) and len(verbs) < 3:
        verbs.append(verbs[-1].head)
    out = []
    for c in (c for v in verbs for c in v.children):
        opened = any(m.dep_ in ("mark", "advmod") and m.lower_ == "when" for m in c.children)
        if c.dep_ == "advcl" and opened:
            out.append(s.subtree(c))
    return out


def _report_phrases(s: Sentence, tok: Token) -> list[tuple[int, int]]:
    """The spans of the phrases that modify the verb reporting ``tok`` ("said on Wednesday", "told
    reporters in Moscow on Friday"), the reported clause left out."""
    verb = reporter(tok)
    if verb is None:
        return []
    out = []
    for c in verb.children:
        if c.dep_ in ("prep", "npadvmod", "advmod") and tok not in c.subtree:
            out.append(s.subtree(c))
    return out


def _unique(args: list[RawArg]) -> list[RawArg]:
    seen: set[tuple[int, int]] = set()
    out = []
    for a in args:
        if (a.start, a.end) not in seen:
            seen.add((a.start, a.end))
            out.append(a)
    return out
