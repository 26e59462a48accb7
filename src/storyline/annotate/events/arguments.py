"""Who and where: a trigger's subjects, objects and prepositional phrases as argument phrases by
role (``source``, ``target``, ``participant``, ``speaker``), and the phrases that say where."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.annotate.countries import country_table
from storyline.annotate.event_lexicon import (
    ACTOR_NOUNS,
    CHARGE_NOUNS,
    CONVENING_VERBS,
    DEPARTING_VERBS,
    MOVING_VERBS,
    PLANNING_WORDS,
    RELATIVE_NOUNS,
    REPORTING_VERBS,
    SAYING_VERBS,
    WORD_CLASSES,
    Sense,
    senses_of,
    words,
)
from storyline.annotate.event_lexicon import lemma as lemma_of
from storyline.annotate.event_lexicon import pos as pos_of
from storyline.annotate.events.coding import FORCE, GATHERINGS, LEAVING, SAYING, TAKING_FROM, TRAVEL
from storyline.annotate.events.raw import RawArg
from storyline.annotate.events.sentence import ACTOR_LABELS, PLACE_LABELS, Sentence
from storyline.annotate.events.tokens import (
    ancestors,
    governing_verb,
    is_verb,
    object_control,
    pobjs,
    prep_objects,
    says,
    to_infinitive,
    with_conjuncts,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

_SUBJECTS = ("nsubj", "csubj", "expl")
_OBJECTS = ("dobj", "dative", "oprd", "attr")
#: Words for a place or a gathering, through which a place name says where ("the resort of X").
_PLACE_NOUNS = words(
    "city town village resort capital port region province state island coast summit forum meeting conference "
    "sidelines margins talks venue palace residence house centre center headquarters base area district sector "
    "neighbourhood neighborhood suburb outskirts enclave camp border zone territory county municipality"
)
_TIME_WORDS = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday tomorrow day days week weeks month months "
    "year years morning afternoon evening night weekend time noon midnight dawn dusk hour hours"
)


def objects_of(tok: Token) -> list[Token]:
    """The words that say what a trigger acts on: objects (with their conjuncts and compounds)
    for a verb, modifiers and "of" phrases for a noun."""
    if is_verb(tok):
        heads = [c for c in tok.children if c.dep_ in (*_OBJECTS, "nsubjpass")]
        if not heads and tok.dep_ == "xcomp":  # "agreements are expected to be signed"
            holder = tok.head
            if holder.dep_ == "acomp" and holder.lower_ in PLANNING_WORDS and is_verb(holder.head):
                holder = holder.head  # "agreements were likely to be signed": the subject of "were"
            heads = [c for c in holder.children if c.dep_ in ("nsubjpass", "nsubj")]
        if not heads and _passive_conjunct(tok):  # "arrived on Monday and was received by Putin"
            shared, shared_passive, _ = subjects(tok.head)
            heads = shared or shared_passive
        heads += [g for c in tok.children if c.dep_ == "prt" for g in c.children]
        heads += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "for", "on") for g in c.children]
    else:
        heads = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
        heads += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "for") for g in c.children]
    out = []
    for h in heads:
        for t in (h, *h.conjuncts):
            out.append(t)
            out.extend(c for c in t.children if c.dep_ in ("compound", "amod", "nmod"))
            # "700 kg of medicine", "tons of aid"
            out.extend(g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)
    return out


def destination(s: Sentence, tok: Token, guest: bool = False) -> Token | None:
    """The place a travel verb goes to ("flew to Paris", "arrived in Paris", "reached Paris"; "arrived
    in the Russian capital", "in Kenya's capital": the country's word, which the places stage reads
    as its capital). With ``guest``, where an invitation brings its guest ("invited X to Paris"): a
    "to" or "in" phrase only, never the object, who is the guest, nor "for" ("invited X for talks").
    The object of a verb of leaving is the place left ("left Moscow for Kabul" goes to Kabul)."""
    leaving = lemma_of(tok) in DEPARTING_VERBS
    prepositions = ("to", "in", "into") if guest else ("to", "for") if leaving else ("to", "in", "into", "at", "for")
    if not guest and not leaving and lemma_of(tok) in MOVING_VERBS:
        prepositions = ("to", "into", "for")  # "came to Hamilton"; "came out of the nets in Hamilton" went nowhere
    object_goes_to = not guest and not leaving
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in prepositions:
            for g in c.children:
                if g.dep_ == "pobj" and s.entity_label(g) in PLACE_LABELS:
                    return g
                if g.dep_ == "pobj" and (nation := _capital_of(s, g)) is not None:
                    return nation
                for of in (x for x in g.children if x.dep_ == "prep" and x.lower_ == "of"):
                    for h in of.children:  # "to the seaside resort of X"
                        if h.dep_ == "pobj" and s.entity_label(h) in PLACE_LABELS:
                            return h
        if c.dep_ == "dobj" and object_goes_to and s.entity_label(c) in PLACE_LABELS:
            return c
    return None


def goes_home(tok: Token) -> bool:
    """A journey home: "flew home", "headed back home", "left for home"; not "left home" (a
    journey from it), nor a stay ("spent the night home")."""
    if lemma_of(tok) == "spend":
        return False
    leaving = lemma_of(tok) in DEPARTING_VERBS
    for c in tok.children:
        if c.lower_ == "home" and c.dep_ in ("advmod", "npadvmod", "dobj") and not leaving:
            return True  # "left home": where a journey starts; "left for home" goes there
        if c.dep_ == "prep" and c.lower_ in ("for", "to") and any(g.lower_ == "home" for g in c.children):
            return True
        if c.dep_ == "advmod" and c.lower_ == "back" and any(g.lower_ == "home" for g in c.children):
            return True
    return False


def _capital_of(s: Sentence, g: Token) -> Token | None:
    """The country's word of "the Russian capital" or "Kenya's capital", as the places stage reads
    them: a country (not "the European capital of culture", "the Texas capital"), with "the" or as
    a possessive, and no other word before "capital" ("venture capital", "the regional capital",
    "Chinese capital" are money or another city)."""
    if lemma_of(g) != "capital":
        return None
    before = [x for x in g.children if x.i < g.i and x.dep_ != "punct"]
    nations = [x for x in before if x.dep_ in ("amod", "compound", "poss") and s.entity_label(x) in _NATIONS]
    if len(nations) != 1 or country_table().country(nations[0].text) is None:
        return None
    nation = nations[0]
    the = any(x.dep_ == "det" and x.lower_ == "the" for x in before)
    others = [x for x in before if x.i != nation.i and not (x.dep_ == "det" and x.lower_ == "the")]
    if others or not (the or (nation.dep_ == "poss" and s.entity_label(nation) == "GPE")):
        return None
    return nation


def _passive_conjunct(verb: Token) -> bool:
    """A passive verb joined to another with no subject of its own ("arrived and was received"):
    the subject it shares is what it acts on."""
    return (
        verb.dep_ == "conj"
        and any(c.dep_ == "auxpass" for c in verb.children)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    )


def _done_to(participle: Token) -> bool:
    """Whether the noun a past participle describes is what was done to: "the man killed in the
    shooting", a headline's "Man arrested after crash"; not a reporting clause the parser read so
    (", a rights group protested here Wednesday"), nor a headline verb with its object read as a
    participle ("Trump called Putin on Saturday")."""
    if _after_comma(participle.head):
        return False
    if participle.head.dep_ == "ROOT":
        return not any(c.dep_ in ("dobj", "oprd", "attr") for c in participle.children)
    return True


def _after_comma(noun: Token) -> bool:
    """Whether the phrase of ``noun`` opens right after a comma."""
    first = noun.left_edge
    return first.i > 0 and first.doc[first.i - 1].text == ","


def subjects(verb: Token, depth: int = 0) -> tuple[list[Token], list[Token], list[Token]]:
    """(subjects, passive subjects, agents) of a verb, borrowed from the verb it depends on
    when it has none ("plans to visit", "met and signed")."""
    subj = [
        c
        for c in verb.children
        if c.dep_ in _SUBJECTS and c.lower_ not in ("it", "there") and not _across_colon(c, verb)
    ]
    if verb.dep_ == "relcl" and pos_of(verb.head) in ("NOUN", "PROPN"):
        # "the minister, who arrived on Monday": the relative pronoun stands for the noun it hangs from
        subj = [verb.head if c.lower_ in ("who", "which", "that") else c for c in subj]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass" and not _across_colon(c, verb)]
    agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not (subj or passive) and depth < 3:
        if verb.dep_ == "xcomp" and pos_of(verb.head) == "ADJ" and is_verb(verb.head.head):
            s, p, a = subjects(verb.head.head, depth + 1)  # "it is willing to withdraw"
            subj, agents = s or p, agents or a
        elif _passive_conjunct(verb) and is_verb(verb.head):
            # "arrived on Monday and was received by the president": who arrived was received
            s, p, a = subjects(verb.head, depth + 1)
            passive = s or p
        elif verb.dep_ == "xcomp" and (controller := object_control(verb)) is not None:
            subj = [controller]  # "invited Modi to visit Russia", "urged Ukraine to withdraw": Modi, Ukraine
        elif verb.dep_ in ("xcomp", "conj", "advcl", "ccomp") and is_verb(verb.head):
            s, p, a = subjects(verb.head, depth + 1)
            subj, agents = s or p, agents or a
        elif verb.dep_ == "pcomp" and is_verb(verb.head.head):
            s, p, a = subjects(verb.head.head, depth + 1)  # "met business leaders before flying to Kabul"
            subj, agents = s or p, agents or a
        elif verb.dep_ in ("relcl", "acl") and pos_of(verb.head) in ("NOUN", "PROPN", "PRON"):
            if to_infinitive(verb) and is_verb(verb.head.head):
                # "X signed a deal to buy ...", "she is the first foreign minister to visit ..."
                s, p, a = subjects(verb.head.head, depth + 1)
                subj, agents = s or p, agents or a
            elif verb.dep_ == "acl" and verb.tag_ == "VBN" and _done_to(verb):
                # "the man killed in the shooting": he was killed, he did not kill; but "..., a rights
                # group protested here Wednesday" is a reporting clause the parser read as one
                passive = [verb.head]
            else:
                subj = [verb.head]  # "the minister, who met ...", "troops guarding the border"
    joined = [*(c for t in subj + passive for c in companions(t)), *_companions_of_verb(verb)]
    if subj or not passive:
        subj = [*subj, *joined]
    else:
        passive = [*passive, *joined]  # "Together with his deputy, the minister was arrested"
    return with_conjuncts(subj), with_conjuncts(passive), with_conjuncts(agents)


def _across_colon(subject: Token, verb: Token) -> bool:
    """Whether a colon stands between a subject and the verb after it: a headline's "Police: 3
    arrested in shooting" names who says it, not who was arrested (the parser, reading on into the
    story's first sentence, may hang it on a verb there). A clause's subject never stands before a
    colon its verb follows."""
    if subject.i > verb.i:
        return False
    return any(t.text == ":" for t in subject.doc[subject.i + 1 : verb.i])


def companions(subject: Token) -> list[Token]:
    """Who acts with a subject, by its own phrase: "Rosneft, together with Trafigura and United
    Capital Partners, signed", "Washington along with its allies demanded". Not "alongside",
    which as often says who stood by ("Trump, alongside Putin, criticised the FBI")."""
    return [x for c in subject.children if c.dep_ == "prep" for x in _joint(c)]


def _joint(prep: Token) -> list[Token]:
    """The objects of "together with" or "along with"."""
    if prep.lower_ == "with" and any(m.dep_ == "advmod" and m.lower_ == "together" for m in prep.children):
        return pobjs(prep)
    if prep.lower_ == "along":
        return [x for g in prep.children if g.dep_ == "prep" and g.lower_ == "with" for x in pobjs(g)]
    return []


def _companions_of_verb(verb: Token) -> list[Token]:
    """Who acts with the subject, by a phrase the parser hung on the verb before it: "Modi,
    together with Shinzo Abe, inaugurated the plant" (after the verb, "met Putin together with
    Abe" may be the object's company)."""
    return [x for c in verb.children if c.dep_ == "prep" and c.i < verb.i for x in _joint(c)]


#: Acts that fall on a place, done with a restriction or with forces: imposing or easing a curfew,
#: a ban or martial law, deploying or withdrawing troops, blockading, occupying.
ON_A_PLACE = frozenset(
    {"restrictions", "curfew", "ban", "easing", "troop-withdrawal", "troop-deployment", "ease-blockade", "blockade"}
)
#: What such an act is done with, not to: "imposed martial law", "withdrew its troops",
#: "strengthened its forces", "evacuated 21 settlements". The place named with it is the target.
MEANS = (
    WORD_CLASSES["restrictions"]
    | WORD_CLASSES["blockade"]
    | WORD_CLASSES["troops"]
    | words("law emergency settlement settlements garrison garrisons")
)
_WHERE_IT_FALLS = ("in", "from", "into", "on", "across", "throughout", "to")


def places_it_falls_on(s: Sentence, tok: Token, subtype: str | None = None) -> list[RawArg]:
    """The places in a phrase's "in", "from", "on" ... phrases, as targets: "a curfew in Algiers",
    "its troops from Lebanon", "a blockade on Palestinian lorries", "a curfew on the town of
    Cizre". "From" is where a withdrawal falls but where a deployment comes from: not for those."""
    out = []
    prepositions = [p for p in _WHERE_IT_FALLS if not (p == "from" and subtype == "troop-deployment")]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in prepositions:
            for g in pobjs(c):
                if s.entity_label(g) in PLACE_LABELS:
                    out.append(s.arg(g, "target"))
                    continue
                named = [
                    x
                    for of in g.children
                    if of.dep_ == "prep" and of.lower_ == "of"
                    for x in of.children
                    if x.dep_ == "pobj" and s.entity_label(x) in PLACE_LABELS
                ]  # "on the Kurdish town of Cizre"
                out += [s.arg(x, "target") for x in named] or [
                    s.arg(m, "target") for m in g.children if m.dep_ in ("amod", "compound") and _of_a_state(s, m)
                ]  # "on Palestinian lorries"
    return out


def _of_a_state(s: Sentence, tok: Token) -> bool:
    """A state's name or the word for its people ("Israeli", "American"), not a religion's or a
    people's without a state ("Islamic", "Kurdish")."""
    label = s.entity_label(tok)
    return label == "GPE" or (label == "NORP" and country_table().country(tok.text) is not None)


def owners(s: Sentence, obj: Token) -> list[Token]:
    """Who an object phrase is of: its possessor or a name before it ("Sweden's decision", "U.S.
    request", "Israeli changes"), or who did it ("property seized by government forces")."""
    found = [
        c
        for c in obj.children
        if (
            (c.dep_ in ("poss", "compound", "nmod") and s.entity_label(c) in ACTOR_LABELS)
            or (c.dep_ == "amod" and _of_a_state(s, c))
        )
        and not (s.entity_label(c) == "PERSON" and obj.lower_ in RELATIVE_NOUNS)  # "Putin's brother"
    ]
    found += [
        g
        for c in obj.children
        if c.dep_ == "acl"
        for a in c.children
        if a.dep_ == "agent"
        for g in a.children
        if g.dep_ == "pobj"
    ]
    return found


#: Acts whose "over" phrase is the grievance: "complained over two Israeli air raids".
_GRIEVANCES = frozenset({"DISAPPROVE", "PROTEST", "REJECT", "THREATEN"})
#: Harms a grievance is over, whose nationality names the victims, not whom it is against:
#: "over Palestinian deaths".
_HARMS = words(
    "deaths death casualties killings killing victims injuries suffering plight treatment detention jailing arrest "
    "arrests persecution"
)


def grievance_targets(s: Sentence, tok: Token) -> list[RawArg]:
    """Whom a complaint, a protest or a rejection "over" something is against, where it names no
    target otherwise: whose the grievance is ("over two Israeli air raids": Israel; "over Trump's
    remarks": Trump), not whom it befell ("over Palestinian deaths") nor whom it names further on
    ("over his dealings with Ukraine")."""
    out: list[RawArg] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "over":
            for t in pobjs(c):
                if s.entity_label(t) in ACTOR_LABELS:
                    out.append(s.arg(t, "target"))
                elif not says(t, _HARMS):
                    out += [s.arg(o, "target") for o in owners(s, t)]
    return out


def _split_by_hyphen(tok: Token) -> bool:
    """Whether an object is the first part of a hyphenated word the parser split into objects of
    one verb ("ex" of "ex-wife")."""
    doc = tok.doc
    if tok.whitespace_ or tok.i + 2 >= len(doc):
        return False
    dash, rest = doc[tok.i + 1], doc[tok.i + 2]
    return dash.text == "-" and not dash.whitespace_ and rest.head.i == tok.head.i and rest.dep_ == tok.dep_


def verb_args(s: Sentence, verb: Token, sense: Sense, skip: Token | None = None) -> list[RawArg]:
    """A verb's arguments: its subjects, objects and prepositional phrases, by role."""
    side = "participant" if sense.symmetric else "source"
    other = "participant" if sense.symmetric else "target"
    subj, passive, agents = subjects(verb)
    args = [s.arg(t, side) for t in subj]
    args += [s.arg(t, other) for t in passive]
    args += [s.arg(t, side) for t in agents]
    # the place a journey leaves is neither its host nor where it is ("left Moscow for Kabul")
    left = sense.destination and lemma_of(verb) in DEPARTING_VERBS
    # the object a phrasal trigger is named with is the trigger's own word ("opened fire")
    key = sense.name.split(":")[1] if sense.name.count(":") else ""
    own_object = key.split("_", 1)[1] if "_" in key else None
    for c in verb.children:
        if c.dep_ in _OBJECTS and (skip is None or c.i != skip.i):
            if left and s.entity_label(c) in PLACE_LABELS:
                continue
            if c.dep_ == "dobj" and c.lower_ == own_object:
                continue
            if pos_of(c) == "ADJ" and s.entity_label(c) is None:
                continue  # "was shot dead", "was found guilty": what became of them, no party
            if _split_by_hyphen(c):
                continue  # "his ex-wife" parsed as "his ex", "-", "wife": the word after it stands for all
            if _run_on_object(c):
                continue
            for t in with_conjuncts([c]):
                if sense.subtype in ON_A_PLACE and (t.lower_ in MEANS or lemma_of(t) in MEANS):
                    # "imposed a curfew in Algiers", "tighten the blockade of Serbia": whom it falls
                    # on, not the curfew or the blockade
                    own = {s.at(o) for o in owners(s, t)}  # "withdrew American troops": theirs, not a target
                    args += [a for a in named_inside(s, t, other) if (a.head_start, a.head_end) not in own]
                    args += places_it_falls_on(s, t, sense.subtype)
                    continue
                if t.i in s.absorbed:  # "signed an agreement with X": whom the agreement names
                    args += named_inside(s, t, other)
                    continue
                if s.entity_label(t) in ACTOR_LABELS:
                    args.append(s.arg(t, other))
                elif not sense.symmetric:  # "discussed trade": a topic, not a participant
                    args += inside_object(s, t, other)
        elif c.dep_ == "prep":
            args += prep_args(s, c, sense)
    if sense.destination and (place := destination(s, verb)) is not None:
        args.append(s.arg(place, other))  # "arrived in Amman": the host
    if sense.subtype in ON_A_PLACE and not any(a.role == "target" for a in args):
        args += places_it_falls_on(s, verb, sense.subtype)  # "lifted the state of emergency in West Darfur"
    if sense.type in _GRIEVANCES and not any(a.role == "target" for a in args):
        args += grievance_targets(s, verb)
    if not sense.symmetric and not any(c.dep_ == "dobj" for c in verb.children):
        # "allowed the opposition leader to hold a rally": the parse makes the one let act the
        # subject of what follows; whom the verb acts on all the same
        for c in verb.children:
            if c.dep_ == "ccomp" and to_infinitive(c):
                args += [s.arg(t, other) for t in with_conjuncts([g for g in c.children if g.dep_ == "nsubj"])]
    if not sense.symmetric and not any(a.role == other for a in args) and sense.type in SAYING:
        args += complement_targets(s, verb, threat=sense.type == "THREATEN")
        for c in verb.children:  # "called for sanctions against Nigeria"
            if c.dep_ == "prep" and c.lower_ == "for":
                for g in c.children:
                    if g.dep_ == "pobj":
                        args += named_inside(s, g, other)
    return args


def _run_on_object(obj: Token) -> bool:
    """Whether a direct object is a second one, after the verb's first and a prepositional phrase
    of the verb between them: a verb takes one direct object, before its phrases, so such a noun is
    the phrase's list running on, which the parser broke ("arrested Jane Doe, 24, on charges of
    assault, possession of a firearm while intoxicated, discharge of a firearm ...": "discharge"
    is a charge, not someone arrested)."""
    if obj.dep_ != "dobj":
        return False
    verb = obj.head
    first = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if first is None or first.i >= obj.i:
        return False
    return any(c.dep_ == "prep" and first.i < c.i < obj.i for c in verb.children)


def inside_object(s: Sentence, obj: Token, role: str) -> list[RawArg]:
    """The actor an object phrase stands for when it is not one itself: "rejected a U.S.
    request" (U.S.), "rejected calls by Belarus's rulers", "demanded the withdrawal of Serbian
    forces", "shared evidence with the U.S.". Else the phrase itself ("attacked the convoy")."""
    found = owners(s, obj)  # "proposed Israeli changes", "calls made by X"
    owned = bool(found)  # "Israeli changes to the deal": the changes' owner, not the deal
    for c in obj.children:
        if owned and c.dep_ == "prep" and c.lower_ == "to":
            continue
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "of", "with", "to", "against"):
            found += [g for g in c.children if g.dep_ == "pobj" and pos_of(g) in ("NOUN", "PROPN")]
    if found:
        return [s.arg(t, role) for t in with_conjuncts(found)]
    return [s.arg(obj, role)]


def named_inside(s: Sentence, obj: Token, role: str) -> list[RawArg]:
    """The actors an object phrase names inside it (:func:`inside_object`), not the phrase itself:
    "signed an agreement with X" (X), nothing for "imposed martial law"."""
    return [a for a in inside_object(s, obj, role) if (a.head_start, a.head_end) != s.at(obj)]


#: What a demand asks for someone: its "of" phrase names whom it is for, not whom it is against.
_FOR_SOMEONE = words("release return freedom rights safety protection compensation recognition independence")
#: Verbs that say what a protest is for: "began a hunger strike to protest against Sweden's
#: decision", "to demand the return of property seized by government forces".
PROTEST_PURPOSES = words("protest demand denounce oppose condemn press decry demonstrate")


def purpose_targets(s: Sentence, heads: list[Token]) -> list[RawArg]:
    """Whom a protest is aimed at, read from the purpose it states: the "against", "at", "over" or
    "on" phrase of a purpose verb ("to protest against Sweden's decision": Sweden) or the actors
    its object names ("to demand the return of property seized by Algerian government forces",
    "to protest at the settlement of Russian immigrants"). ``heads``: the trigger and the verb
    that holds it ("began a hunger strike to protest ...")."""
    out: list[RawArg] = []
    for head in heads:
        for c in head.children:
            if c.dep_ not in ("xcomp", "advcl") or lemma_of(c) not in PROTEST_PURPOSES:
                continue
            if not to_infinitive(c):
                continue
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ in ("against", "at", "over", "on"):
                    for x in pobjs(g):
                        named = s.entity_label(x) in ACTOR_LABELS
                        out += [s.arg(x, "target")] if named else [s.arg(o, "target") for o in owners(s, x)]
                elif g.dep_ == "dobj":
                    # whose the act is ("the return of property seized by government forces"), and
                    # whom it is to befall ("the resignation of President X"), not those it is for
                    # ("the release of political prisoners")
                    out += [s.arg(o, "target") for o in owners(s, g)]
                    if not says(g, _FOR_SOMEONE):
                        out += [
                            s.arg(x, "target") for x in prep_objects(g, ("of",)) if s.entity_label(x) in ACTOR_LABELS
                        ]
    return out


#: Verbs whose "in" phrase is where people gather, not what an act falls on: "agreed to meet in
#: Geneva" names no target.
_VENUE_VERBS = words(
    "meet talk hold visit gather convene travel go come attend host stay sit deploy station conduct stage test "
    "build launch base"
)


def _places_in(s: Sentence, prep: Token) -> list[RawArg]:
    """The states and regions an "in" phrase names, as targets."""
    places = [x for x in prep.children if x.dep_ == "pobj" and s.entity_label(x) in ("GPE", "LOC")]
    return [s.arg(t, "target") for t in with_conjuncts(places)]


def complement_targets(s: Sentence, verb: Token, threat: bool = False) -> list[RawArg]:
    """Whom a demand, threat or promise is aimed at, when it says so in its complement:
    "demanded that the US cancel ..." (the US), "threatened to cut off electricity to
    Nakhichevan" (Nakhichevan); for a ``threat``, also the place it would fall on ("threatened
    to ban voting in East Jerusalem"), where a promise's place is only where it is kept ("agreed
    to step up cooperation in the Far East")."""
    out: list[RawArg] = []
    for c in verb.children:
        if c.dep_ == "ccomp":
            out += [
                s.arg(t, "target") for t in with_conjuncts([g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")])
            ]
        elif c.dep_ == "xcomp":
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ in ("to", "for", "with", "against", "on", "from"):
                    # "threatened to arrest him for murder": the offence is no target
                    out += [s.arg(t, "target") for t in pobjs(g) if not grounds(t, g.lower_)]
                elif g.dep_ == "prep" and g.lower_ == "in" and threat and lemma_of(c) not in _VENUE_VERBS:
                    out += _places_in(s, g)  # "threatened to ban voting in East Jerusalem": where it would fall
                elif g.dep_ in ("dobj", "dative") and s.entity_label(g) in ACTOR_LABELS:
                    out.append(s.arg(g, "target"))
                elif g.dep_ == "dobj":
                    out += named_inside(s, g, "target")
                    if threat and lemma_of(c) not in _VENUE_VERBS:  # "threatened to institute a curfew in Algiers"
                        out += [
                            a for p in g.children if p.dep_ == "prep" and p.lower_ == "in" for a in _places_in(s, p)
                        ]
    return [a for a in out if a.pronoun is None or a.pronoun not in ("it", "this", "that")]


def noun_args(s: Sentence, noun: Token, sense: Sense) -> list[RawArg]:
    """A noun trigger's arguments: its possessor, the names modifying it, its prepositional phrases."""
    side = "participant" if sense.symmetric else "source"
    args: list[RawArg] = []
    for c in noun.children:
        if c.dep_ == "poss":
            # "a New Year's shooting", "last year's summit": a time's, not anyone's (but "Theresa
            # May's deal" is hers)
            args += [
                s.arg(t, side)
                for t in with_conjuncts([c])
                if not (is_time_word(t) and s.entity_label(t) not in ACTOR_LABELS)
            ]
        elif c.dep_ in ("compound", "amod", "nmod") and s.entity_label(c) in ACTOR_LABELS:
            # "the France-Germany summit" (France hangs from Germany), "French strikes"
            nested = [
                g for g in c.children if g.dep_ in ("compound", "amod", "nmod") and s.entity_label(g) in ACTOR_LABELS
            ]  # "the 15th India-Russia annual summit": India hangs from Russia as a modifier
            args += [s.arg(t, side) for t in with_conjuncts([c, *nested])]
        elif c.dep_ == "prep":
            args += prep_args(s, c, sense)
        elif c.dep_ in ("acl", "relcl") and sense.type in GATHERINGS:
            args += [s.arg(t, side) for t in convened(s, c)]
    return args


#: Words for the people a gathering brings together, whose "of" or "from" phrase names whom they
#: stand for ("the leaders of Brazil, Russia and India", "ministers from Iran and Iraq").
_DELEGATES = words(
    "leader leaders head heads minister ministers president presidents representative representatives "
    "delegation delegations official officials envoy envoys diplomat diplomats chief chiefs"
)


def convened(s: Sentence, verb: Token) -> list[Token]:
    """The parties a participle or a relative clause on a gathering's noun says it brings
    together: "The BRICS summit, bringing together the leaders of Brazil, Russia, India, China and
    South Africa", "a conference that gathered ministers from Iran and Iraq". "Bring" only with
    "together"; the people's countries stand for them."""
    lemma = lemma_of(verb)
    if lemma not in CONVENING_VERBS or (
        lemma == "bring" and not any(c.dep_ in ("advmod", "prt") and c.lower_ == "together" for c in verb.children)
    ):
        return []
    out: list[Token] = []
    for obj in with_conjuncts([c for c in verb.children if c.dep_ == "dobj"]):
        if lemma_of(obj) in _DELEGATES or obj.lower_ in _DELEGATES:
            # "the leaders of Brazil and Russia", "ministers from Iran"; not "heads of state"
            named = [
                x
                for c in obj.children
                if c.dep_ == "prep" and c.lower_ in ("of", "from")
                for x in pobjs(c)
                if s.entity_label(x) in ACTOR_LABELS
            ]
            out += named or ([obj] if s.entity_label(obj) in ACTOR_LABELS else [])
        elif s.entity_label(obj) in ACTOR_LABELS:
            out.append(obj)
    return out


#: What an act is done with, never a party to it: arms, tools, the body, what is thrown or
#: burnt, and what someone is charged with ("attacked him with a knife", "struck her with a
#: closed fist", "charged with negligent homicide"; the lexicon's arms beside them).
_MEANS = (WORD_CLASSES["arms"] - words("fighter fighters system systems")) | words(
    "weapon weapons gun guns handgun handguns pistol pistols rifle rifles revolver revolvers shotgun shotguns "
    "firearm firearms knife knives machete machetes blade blades axe hammer hammers bat bats stick sticks rod "
    "rods pipe pipes crowbar brick bricks stone stones rock rocks bottle bottles fist fists hand hands foot feet "
    "boot boots belt whip cable chain baton batons truncheon truncheons bullet bullets round rounds shell shells "
    "munition munitions missile missiles rocket rockets mortar mortars bomb bombs grenade grenades explosive "
    "explosives gas acid fire petrol gasoline car cars truck vehicle chest head arm leg neck "
    "homicide manslaughter murder assault negligence abuse possession endangerment recklessness"
)
#: Acts whose "with" phrase is the other side, whoever it names: "clashed with rival fans".
_CONTESTS = words("clash fight battle scuffle brawl tussle wrestle skirmish feud quarrel argue grapple spar")
#: Words for people an act may be done with, beside the lexicon's actors and relatives.
_PEOPLE_WORDS = words(
    "fan fans player players suspect suspects rival rivals colleague colleagues supporter supporters mob "
    "striker strikers mercenary mercenaries gang gangs victim victims team teams crew crews neighbour "
    "neighbours neighbor neighbors teammate teammates opponent opponents ally allies"
)


#: The head words of a street's or a road's name: an act "on" one was done there.
_STREET_WORDS = words(
    "street st avenue ave road rd boulevard blvd drive lane highway interstate freeway expressway parkway "
    "way block route"
)


def _means(s: Sentence, t: Token, prep: Token) -> bool:
    """Whether the object of an act's "with" is what the act is done with rather than a party to
    it: a word of :data:`_MEANS` or a charge, or, except for a contest ("clashed with the mob"),
    a word that names no one (a pronoun, a name, a word for people or a body is a party: "cut
    ties with Qatar", "shared intelligence with the agency")."""
    if says(t, _MEANS) or says(t, CHARGE_NOUNS):
        return True
    party = (
        pos_of(t) in ("PRON", "PROPN")
        or s.entity_label(t) in ACTOR_LABELS
        or any(says(t, group) for group in (ACTOR_NOUNS, RELATIVE_NOUNS, _PEOPLE_WORDS))
    )
    return not party and lemma_of(prep.head) not in _CONTESTS


def prep_args(s: Sentence, prep: Token, sense: Sense) -> list[RawArg]:
    """The arguments a prepositional phrase gives, by what its preposition means for the sense."""
    word = prep.lower_
    objects = pobjs(prep)
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
        return [s.arg(t, "participant" if sense.symmetric else "source") for t in with_conjuncts(holders)]
    elif word == "of" and sense.type in ("CONSULT",):
        role = "participant" if sense.symmetric else "source"  # "the visit of the foreign minister"
    elif word == "to" and sense.type in ("CONSULT", "AID", "SUPPORT", "DEMAND", "THREATEN"):
        role = "target"  # "visit to France", "aid to Pakistan", "appeal to the UN"
    elif word == "from" and (sense.type == "RETREAT" or sense.subtype in TAKING_FROM):
        role = "target"  # "withdrew from Gorazde", "expelled from France"; not "arrested X from Y"
    else:
        return []
    out = []
    for t in objects:
        if pos_of(t) not in ("NOUN", "PROPN", "PRON") or is_time_word(t):
            continue
        if grounds(t, word, sense.symmetric):
            continue  # "arrested on charges of assault": the offence, not whom the act falls on
        if word == "with" and role == "target" and _means(s, t, prep):
            continue  # "attacked him with a knife", "shelled the town with rockets": the means
        if word in ("on", "upon") and is_verb(prep.head) and says(t, _STREET_WORDS):
            continue  # "was shot on Main Street": where, not whom ("marched on the Capitol" keeps it)
        if pos_of(t) == "PRON" or s.entity_label(t) in ACTOR_LABELS or role == "participant":
            out.append(s.arg(t, role))
        else:
            out += inside_object(s, t, role)  # "against Sweden's decision": Sweden
    return out


#: Prepositions through which a charge is what an act is done on: "on charges of", "for", "under".
_GROUNDS = ("on", "for", "with", "under", "over")


def grounds(tok: Token, preposition: str, symmetric: bool = False) -> bool:
    """Whether the object of a preposition names the grounds of an act, not a party to it: a
    charge or an accusation ("on charges of aggravated assault", "on suspicion of murder",
    :data:`~storyline.annotate.event_lexicon.CHARGE_NOUNS`: nothing inside it is a party), or,
    after "for" or "with", an act the lexicon knows ("jailed for the killing", "charged with
    murder"; not the other side of a meeting)."""
    if preposition in _GROUNDS and says(tok, CHARGE_NOUNS):
        return True  # (not "protested against the charges against the journalist": aimed at them)
    act = preposition in ("for", "with") and not symmetric and bool(senses_of(tok))
    return act and tok.tag_ not in ("NNP", "NNPS")


def reporter(tok: Token) -> Token | None:
    """The reporting verb a trigger's clause hangs from ("..., the ministry said")."""
    verb = tok if is_verb(tok) else governing_verb(tok)
    if verb is None:
        return None
    candidates = [c for c in verb.children if c.dep_ in ("parataxis", "ccomp", "advcl")]
    candidates += ancestors(verb)[:4]
    if (
        verb.i != tok.i
        and lemma_of(verb) in SAYING_VERBS
        and not any(tok in c.subtree for c in verb.children if c.dep_ == "dobj")
    ):
        # a noun whose nearest verb is "said": "the vision for cooperation ..., Russian officials
        # said" (a misparse hangs the noun from "said"); the officials report it. Not the object
        # of "claimed" or "reported": "claimed responsibility for the attack"
        candidates.append(verb)
    return next((r for r in candidates if lemma_of(r) in REPORTING_VERBS and r.i != tok.i), None)


def speaker(s: Sentence, tok: Token) -> list[RawArg]:
    """Who reported the event: the subject of the reporting verb its clause hangs from
    ("..., the ministry said"; "Officials said ...")."""
    r = reporter(tok)
    if r is None:
        return []
    subj = [c for c in r.children if c.dep_ in ("nsubj", "nsubjpass")]
    return [s.arg(t, "speaker") for t in subj[:1] if t.lower_ not in ("it", "there")]


def places_of(s: Sentence, tok: Token, sense: Sense | None = None) -> list[Token]:
    """Place words in the trigger's own prepositional phrases ("in Paris", "at the palace"; by
    the trigger's ``sense``: "to France" for travel, "from the town of X" for a withdrawal), or
    its object when that is a place ("visited Paris", "shelled X"; not "criticised X"). A place
    inside the phrase counts only through a word for a place or a gathering ("in the resort of
    X", "at the summit in X", "in the capital Kabul") or through a place phrase of its own words
    ("in an attack on a village in X"); for a meeting or a fight, also on its participants'
    phrase, where the parser hangs the place on the nearer noun ("the summit between the two
    countries in X", "talks with the rebel leaders in X"); for an act of force, also where what
    it hits is ("an ambush on a convoy near X"). "A road map for reactors in X" and "talks on the
    war in X" are not where. Without a sense (the verb a noun trigger hangs from), only the
    places every event has."""
    travel = sense is not None and sense.subtype in TRAVEL
    force = sense is not None and sense.type in FORCE
    out: list[Token] = []
    prepositions, through = _place_words(sense)
    for c in tok.children:
        if c.dep_ == "prep":
            out.extend(_phrase_places(s, c, prepositions, through))
        elif c.dep_ in ("dobj", "npadvmod") and s.entity_label(c) in PLACE_LABELS:
            if c.dep_ == "dobj" and travel and lemma_of(tok) in DEPARTING_VERBS:
                continue  # "left Moscow for Kabul": Moscow is left
            if travel or force or c.dep_ == "npadvmod":  # "visited X", "shelled X"; not "criticised X"
                out.append(c)
        elif c.dep_ == "dobj":  # "meets the president in X": the place hangs from the object itself
            for g in c.children:  # (not "condemned the attack on a village in X": the attack's)
                if g.dep_ == "prep" and g.lower_ in ("in", "at"):
                    for x in g.children:
                        if x.dep_ == "pobj":
                            out.extend(_where(s, x, 1, through))
    return out


def _place_words(sense: Sense | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The prepositions that say where for a sense, and those through which a place may hang below
    the trigger's own phrase: its participants' for a gathering, what it hits for an act of force."""
    travel = sense is not None and sense.subtype in TRAVEL
    force = sense is not None and sense.type in FORCE
    prepositions = _WHERE + (("to", "into", "for") if travel else ())
    prepositions += ("from",) if sense is not None and sense.subtype in LEAVING else ()
    through = (_ALONG if sense is not None and sense.type in GATHERINGS else ()) + (("on",) if force else ())
    return prepositions, through


def _phrase_places(s: Sentence, c: Token, prepositions: tuple[str, ...], through: tuple[str, ...]) -> list[Token]:
    """The places one prepositional phrase of a trigger says it happened in (see :func:`places_of`)."""
    out: list[Token] = []
    if c.lower_ in prepositions:
        for g in with_conjuncts([c2 for c2 in c.children if c2.dep_ == "pobj"]):
            out.extend(_where(s, g, 0, through))
    elif c.lower_ in (*through, "on"):
        for g in with_conjuncts([c2 for c2 in c.children if c2.dep_ == "pobj"]):
            if s.entity_label(g) in PLACE_LABELS:
                continue  # "an attack on X", "a deal with X": a target or a party, not where
            if lemma_of(g) in _PLACE_NOUNS:  # "on the sidelines of the summit in X", "on the town of X"
                out.extend(_where(s, g, 0, through))
            elif c.lower_ in through:
                out.extend(_inner_places(s, g, 1, through))
    return out


def occasion_places(s: Sentence, tok: Token, sense: Sense | None = None) -> list[Token]:
    """Where each occasion was, when a trigger's place phrases are joined as a list: one place per
    phrase ("in Bishkek and on the margins of the G20 summit in Osaka") or per name of one phrase
    ("in Geneva, Vienna and Paris"); none without such a list, or when one of them names no place
    ("at the Kremlin, in Moscow" is one place said twice, not a list)."""
    prepositions, through = _place_words(sense)
    for c in tok.children:
        if c.dep_ != "prep" or c.lower_ not in (*prepositions, *through, "on"):
            continue
        phrases = [c, *(x for x in c.conjuncts if x.tag_ == "IN")]
        if len(phrases) >= 2:
            found = [_phrase_places(s, p, prepositions, through) for p in phrases]
            if all(found):
                return [f[0] for f in found]
        names = pobjs(c)
        if len(names) >= 2 and c.lower_ in prepositions:
            found = [_where(s, g, 0, through) for g in names]
            if all(found):
                return [f[0] for f in found]
    return []


def actor_places(s: Sentence, verb: Token) -> list[Token]:
    """Where a verb's own words leave it unsaid, the place its subject or object is in ("ethnic
    Albanians in southern X are demanding", "police in X confiscated", "guerrillas operating in X
    were disarmed"): the people an event names are where it happens."""
    # its own subjects and objects (a subject borrowed from another verb has that verb's place)
    own = [c for c in verb.children if c.dep_ in (*_SUBJECTS, "nsubjpass", "dobj") and c.lower_ not in ("it", "there")]
    out: list[Token] = []
    for t in with_conjuncts(own):
        phrases = [c for c in t.children if c.dep_ == "prep"]
        # "guerrillas operating in X", "troops based in X"; not "an agreement to build ... in X"
        participles = [c for c in t.children if c.dep_ == "acl" and c.tag_ in ("VBG", "VBN")]
        phrases += [g for c in participles for g in c.children if g.dep_ == "prep"]
        for c in phrases:
            if c.lower_ in _WHERE:
                for x in pobjs(c):
                    out.extend(_where(s, x, 1, ()))
    return out


#: Labels of a country's word before "capital".
_NATIONS = ("NORP", "GPE")
#: Prepositions that say where.
_WHERE = ("in", "at", "near", "outside", "inside")
#: Prepositions of a trigger's participants, whose phrase may carry the event's place on its
#: last noun ("talks with the rebels in X", "a summit between the two countries in X").
_ALONG = ("between", "with", "among")
#: How deep into nested phrases a place is looked for.
_PLACE_DEPTH = 3


def _where(s: Sentence, g: Token, depth: int, through: tuple[str, ...]) -> list[Token]:
    """The places the object of a place preposition names: itself when it is a place, else the
    place a word for a place or a gathering is of, in or named by ("the town of X", "the summit
    in X", "the capital Kabul"), else a place phrase of its own ("in an attack ... in X")."""
    if s.entity_label(g) in PLACE_LABELS:
        return [g]
    out: list[Token] = []
    if lemma_of(g) in _PLACE_NOUNS:
        # "the port of X" or "the summit in X", else "the capital X" (not "the Pacific port city":
        # a sea is not where); "the Russian capital", "Kenya's capital": the places stage names
        # the capital over the country's word, where linking finds it
        for gc in g.children:
            if gc.dep_ == "prep" and gc.lower_ in ("of", "in") and depth < _PLACE_DEPTH:
                for x in gc.children:
                    if x.dep_ == "pobj":
                        out.extend(_where(s, x, depth + 1, through))
        out = out or [x for x in g.children if x.dep_ == "appos" and s.entity_label(x) in PLACE_LABELS]
        if not out and lemma_of(g) == "capital":
            out = [x for x in g.children if x.dep_ in ("amod", "compound", "poss") and s.entity_label(x) in _NATIONS]
    return out or _inner_places(s, g, depth + 1, through)


def _inner_places(s: Sentence, g: Token, depth: int, through: tuple[str, ...]) -> list[Token]:
    """Places in a noun's own place phrase ("the president in X"), also through a word for a
    place it is aimed at ("an attack on a village in X") and through the phrases in ``through``
    ("an ambush on a convoy near X" for an act of force, "a summit between the two countries in
    X" for a gathering); "talks on the war in X" name a topic. Within the depth bound."""
    if depth > _PLACE_DEPTH:
        return []
    out: list[Token] = []
    for gc in g.children:
        if gc.dep_ != "prep":
            continue
        for x in with_conjuncts([c for c in gc.children if c.dep_ == "pobj"]):
            if gc.lower_ in _WHERE:
                out.extend(_where(s, x, depth, through))
            elif s.entity_label(x) in PLACE_LABELS:
                continue  # "an attack on X", "talks with X": a target or a party, not where
            elif gc.lower_ == "on" and lemma_of(x) in _PLACE_NOUNS:
                out.extend(_where(s, x, depth, through))
            elif gc.lower_ in through:
                out.extend(_inner_places(s, x, depth + 1, through))
    return out


def is_time_word(tok: Token) -> bool:
    """Whether a token says when, not who ("on Tuesday", "in 2017")."""
    return tok.lower_ in _TIME_WORDS or lemma_of(tok) in _TIME_WORDS or tok.like_num
