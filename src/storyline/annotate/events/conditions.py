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
    CLAIMING_VERBS,
    DEMAND_MOVING_VERBS,
    FORM_SENSES,
    FRAME_WORDS,
    REDUCE_WORDS,
    SUPPLYING_VERBS,
    TELLING_VERBS,
    WORD_CLASSES,
    Sense,
    consults,
    words,
)
from storyline.annotate.event_lexicon import lemma as lemma_of
from storyline.annotate.event_lexicon import pos as pos_of
from storyline.annotate.events.arguments import destination, goes_home, objects_of
from storyline.annotate.events.sentence import ACTOR_LABELS, PLACE_LABELS, Sentence
from storyline.annotate.events.status import NO_ONE, denied_itself
from storyline.annotate.events.tokens import ancestors, is_verb, prep_objects, says, to_infinitive, with_conjuncts

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


#: Words that make an exercise, a drill or games an armed force's: "joint military exercises",
#: "naval drills", "war games"; not "an evacuation exercise", "fire drills", "79 games".
_ARMED = words(
    "military joint naval navy war army armies air airborne combat tactical live-fire anti-terror anti-terrorist "
    "anti-terrorism counter-terrorism counterterrorism defence defense amphibious missile nuclear strategic maritime "
    "armed troops wargames militaries navies forces warships marines soldiers jets ships sailors submarines "
    "paratroopers"
)


@condition("armed", lambda found, labels: bool(found & _ARMED or labels & {"GPE", "NORP"}))
def _armed(s: Sentence, tok: Token) -> bool:
    """An exercise of armed forces: a word for them among the noun's modifiers, or as the subject
    of the verb that holds it ("the two militaries held regular exercises")."""
    around = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "npadvmod", "poss")]
    if any(says(c, _ARMED) for c in around):
        return True
    # who holds it: the subject of the verb it is the object of, directly or through a phrase
    # ("troops will take part in the Zapad exercises"); a country holding exercises or drills holds
    # an armed one ("Russia held exercises in the Black Sea"), but a country plays games
    verb, steps = tok, 0
    while verb.dep_ in ("dobj", "pobj", "prep", "nsubjpass") and steps < 4:
        verb, steps = verb.head, steps + 1
    if verb is tok or not is_verb(verb):
        return False
    holders = with_conjuncts([c for c in verb.children if c.dep_ == "nsubj"])
    if any(says(c, _ARMED) for c in holders):
        return True
    # a country's drills of another kind: "evacuation drills", "exercises to test its pandemic
    # response", "drills to prepare for the polls"
    other_kind = any(c.dep_ == "compound" and not c.text[:1].isupper() for c in tok.children) or any(
        c.dep_ in ("acl", "relcl", "advcl", "xcomp") and any(a.lower_ == "to" for a in c.children)
        for c in (*tok.children, *verb.children)
    )
    return not other_kind and tok.lower_ != "games" and any(s.entity_label(c) in ("GPE", "NORP") for c in holders)


#: What kills or destroys with no one acting: a fire, a crash, a storm, a disease.
_NO_ONE_ACTING = words(
    "fire fires housefire blaze blazes flames crash crashes accident accidents collision collisions derailment "
    "flood floods flooding earthquake earthquakes quake quakes tremor landslide landslides mudslide mudslides "
    "avalanche avalanches storm storms cyclone cyclones hurricane hurricanes typhoon typhoons tornado tornadoes "
    "tsunami eruption lightning drought heatwave stampede disease diseases virus illness cancer pandemic epidemic "
    "famine heat cold outbreak outbreaks rains smog cholera pollution car cars truck trucks vehicle vehicles "
    "train trains bus buses van vans lorry motorcycle motorbike suv"
)
#: What "the heat", "the cold" or "an outbreak" of is, when it is fighting: "killed in the heat of
#: battle", "in an outbreak of violence" are killings.
_VIOLENCE = words("violence fighting clashes clash battle battles war unrest riots rioting hostilities combat attacks")
#: Illnesses written as names: "Ebola killed 11,000 people".
_ILLNESS_NAMES = words("ebola covid covid-19 aids hiv malaria cholera coronavirus sars mers")
#: Words before a named storm: "Cyclone Fani", "Hurricane Katrina", "Storm Ciara".
_NAMED_STORMS = words("cyclone hurricane typhoon storm tropical")
_REFLEXIVES = words("himself herself themselves itself myself yourself ourselves")


def _no_one(cause: Token) -> bool:
    """Whether a phrase's head is a fire, a crash, a storm or an illness ("a car crash", "Cyclone
    Fani"), not a name ("Operation Desert Storm") nor fire someone shoots or sets."""
    if cause.tag_ in ("NNP", "NNPS") and cause.lower_ not in _ILLNESS_NAMES:  # a name, but "Ebola" kills
        return any(c.dep_ == "compound" and c.lower_ in _NAMED_STORMS for c in cause.children)
    if cause.lower_ == "wave" and any(c.lower_ in ("heat", "cold") for c in cause.children):
        return True  # "a heat wave"
    of_what = [g for c in cause.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    if any(g.lower_ in _VIOLENCE for g in of_what):
        return False  # "the heat of battle", "an outbreak of violence"
    return cause.lower_ in _NO_ONE_ACTING and not _gunfire(cause)  # the word itself: "the storming" is no storm


@condition("someone-acting")
def _someone_acting(s: Sentence, tok: Token) -> bool:
    """Someone kills or destroys, not a fire, a crash or a storm: "killed in a car crash", "Cyclone
    Fani killed 12 people", "floods destroyed the bridge" are no assault; "Militants destroyed the
    school by fire" is."""
    objects = with_conjuncts([c for c in tok.children if c.dep_ == "dobj"])
    if objects and all(c.lower_ in _REFLEXIVES for c in objects):
        return False  # "Heaton injured himself"; not "the bomber killed himself and 20 others"
    subjects = with_conjuncts([c for c in tok.children if c.dep_ in ("nsubj", "csubj")])
    if any(_no_one(c) for c in subjects):
        return False  # "Cyclone Fani killed 12 people", "floods destroyed the bridge"
    if any(_someone(s, c) for c in subjects):
        return True  # "militants destroyed the school by fire": they acted
    if any(_no_one(c) for c in prep_objects(tok, ("in", "by", "during"))):
        return False  # "killed in a car crash"
    # "nine people were killed after heavy monsoon rains struck the capital"
    causes = [
        g
        for c in tok.children
        if c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in ("after", "as", "when", "because") for m in c.children)
        for g in c.children
        if g.dep_ in ("nsubj", "nsubjpass")
    ]
    return not any(_no_one(c) for c in with_conjuncts(causes))


#: Words that tell a death: a shooting or a stabbing is a killing only with one of them.
_DEATH = words(
    "kill kills killed killing killings dead death deaths die dies died dying fatal fatally deadly lethal murder "
    "murders murdered slain slay slaying slayings homicide homicides manslaughter lifeless mortally succumb "
    "succumbed succumbs suicide suicides"
)
#: Dependencies that open a clause of its own: what it tells is another act.
_CLAUSES = ("advcl", "ccomp", "parataxis", "relcl", "acl", "csubj")


def _own_clause(tok: Token) -> bool:
    """Whether a verb heads a clause of its own below its head: a subordinate or relative clause,
    or a conjunct with its own subject ("gunmen shot three people, and a bomb killed two")."""
    if not is_verb(tok):
        return False
    if tok.dep_ in _CLAUSES:
        return True
    return tok.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _clause_words(tok: Token, skip: Token | None = None) -> list[Token]:
    """A word and the words below it in its own clause (not in a clause of their own)."""
    out = [tok]
    for c in tok.children:
        if (skip is None or c.i != skip.i) and not _own_clause(c):
            out += _clause_words(c)
    return out


#: What one attacks in words, not by force: a view, a plan, a record, a decision.
_STANDS = words(
    "plan plans policy policies decision decisions remark remarks comment comments record stance proposal "
    "proposals bill bills idea ideas statement statements handling approach leadership claim claims rhetoric "
    "agenda budget ruling rulings strategy response views view tweet tweets speech speeches reform reforms "
    "legislation failure failures conduct performance silence inaction"
)
#: Where words are said: "attacked the media in a speech".
_SAID_IN = words(
    "speech speeches tweet tweets statement statements interview interviews op-ed column debate debates "
    "address letter editorial remarks podcast"
)


@condition("in-words")
def _in_words(s: Sentence, tok: Token) -> bool:
    """An attack made in words: on a view, a plan or a decision ("attacked the plan", "attacked
    the decision to cut funding"), on someone over or for one ("attacked Bloomberg over his
    record", "attacked him for his views"; not "for his money", "over the killing"), as something
    ("attacked the plan as reckless"), or in a speech, a tweet or an interview."""
    if any(says(c, _STANDS) for c in tok.children if c.dep_ == "dobj"):
        return True
    for c in tok.children:
        if c.dep_ != "prep":
            continue
        objects = prep_objects(tok, (c.lower_,))
        if c.lower_ in ("over", "for") and any(says(g, _STANDS) for g in objects):
            return True  # not "for his money", "over a parking dispute", "over the killing"
        if c.lower_ == "as" and any(g.dep_ in ("amod", "acomp", "pobj") and pos_of(g) == "ADJ" for g in c.children):
            return True
        if c.lower_ == "in" and any(says(g, _SAID_IN) for g in objects):
            return True
    return False


@condition("a-death", _with_word(_DEATH))
def _a_death(s: Sentence, tok: Token) -> bool:
    """Someone acting killed: a word of death in the trigger's own phrase ("a fatal shooting",
    "the shooting that killed two"), on the words it is told with ("killed in the shooting", "shot
    dead", "shot and killed", "died after the shooting", "the shooting death of"), not in another
    clause of the sentence ("the shooting came a day after a bombing killed five"). A shooting
    that wounds ("a shooting injured one", "was shot in the leg") is an assault, no killing."""
    if not _someone_acting(s, tok):
        return False
    found = _clause_words(tok)
    # a clause on the trigger itself: "the shooting that killed two", "a shooting leaving two dead"
    found += [w for c in tok.children if c.dep_ in ("relcl", "acl") for w in _clause_words(c)]
    x = tok
    # up to the clause it is told in, and the clauses joined to it ("one man was killed and two
    # were injured in the shooting"), not into a clause it is subordinate to
    while x.head.i != x.i and (x.dep_ == "conj" or not _own_clause(x)):
        found += _clause_words(x.head, skip=x)
        x = x.head
    # ... of which only the words it hangs from count: "died after he was shot", "a man injured
    # in the shooting has died" (not "the shooting came after a bombing killed five")
    found += ancestors(x)
    return any(says(w, _DEATH) and _tells_a_death(w, tok) for w in found)


#: Nouns a word of death may name a count of ("the shooting's death toll rose to five").
_DEATH_COUNTS = words("toll tolls count tally")


def _tells_a_death(w: Token, trigger: Token) -> bool:
    """Whether a word of death near a trigger tells that someone died: not when it is denied
    ("nobody was killed", "none of the victims died", "did not kill anyone", "was not fatal",
    "there were no deaths") nor when it only sorts another noun ("a homicide detective was shot",
    "a murder suspect", "a suicide bomber"), nor when it was only tried ("attempted murder")."""
    if w.dep_ == "compound" and w.head.i != trigger.i:
        # "the death toll", "a murder-suicide": the noun it sorts tells a death
        return lemma_of(w.head) in _DEATH_COUNTS or (says(w.head, _DEATH) and _tells_a_death(w.head, trigger))
    if denied_itself(w) or any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in w.children):
        return False
    if w.head.lower_ in NO_ONE:
        return False  # "five were shot, none fatally"
    if any(
        c.dep_ in ("amod", "compound") and (c.lower_ == "attempted" or lemma_of(c) == "attempt") for c in w.children
    ):
        return False  # "attempted murder", "an attempted murder-suicide"
    # "the shooting was not fatal", "it was not deadly"
    return not (w.dep_ in ("acomp", "attr", "oprd") and w.head.i != trigger.i and denied_itself(w.head))


#: Kinds of support that are a service or a device, not one side backing another: "on life
#: support", "technical support", "customer support", "income support" (not "air support": backing).
_SERVICES = words("life technical tech customer income price child user hardware software it")


@condition("backing")
def _backing(s: Sentence, tok: Token) -> bool:
    """Support given by one side to another, not a service or a device ("on life support")."""
    return not any(c.dep_ in ("compound", "amod") and says(c, _SERVICES) for c in tok.children)


#: What is offered that is no pledge: a view of something ("offers a glimpse of the Arctic's
#: future", "offered an opinion", "offered more details").
_VIEWS = words(
    "glimpse glimpses insight insights view views window look clue clues reminder example examples lesson lessons "
    "picture snapshot perspective hint hints opinion opinions details explanation explanations comment comments "
    "analysis"
)


#: What leaks that is no data: "a gas leak", "an oil leak", "a radiation leak".
_SPILLS = words(
    "gas oil water fuel diesel chemical chemicals radiation radioactive ammonia pipeline sewage petrol methane coolant"
)


@condition("not-a-spill")
def _not_a_spill(s: Sentence, tok: Token) -> bool:
    """A leak of data or documents, not of gas, oil or radiation ("a fire from a gas leak")."""
    leaked = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
    leaked += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    return not any(c.lower_ in _SPILLS for c in leaked)


@condition("not-a-view")
def _not_a_view(s: Sentence, tok: Token) -> bool:
    """An offer of something to do or give ("offered to mediate", "offered $125 a share"), not a
    view ("the spill offers a glimpse of the Arctic's future", "offered an opinion")."""
    return not any(c.dep_ == "dobj" and says(c, _VIEWS) for c in tok.children)


def _someone(s: Sentence, tok: Token) -> bool:
    """Whether a subject is someone: a name of people, a country or a group, a word for people who
    act, or a personal pronoun."""
    return (
        s.entity_label(tok) in ("PERSON", "ORG", "NORP", "GPE")
        or tok.lower_ in _SHOOTERS
        or lemma_of(tok) in ACTOR_NOUNS
        or tok.lower_ in ("he", "she", "they", "we", "i")
    )


#: What makes "fire" shooting or arson: "killed by sniper fire", "heavy fire", "live fire",
#: "security forces' fire", "an arson fire".
_GUNFIRE = words(
    "gun sniper snipers tank tanks artillery mortar mortars machine-gun machinegun rocket rockets army police enemy "
    "friendly hostile heavy small-arms automatic cross return naval live government regime security arson"
)


def _gunfire(cause: Token) -> bool:
    """ "Fire" that someone shoots or sets: a shooter, a weapon or an arsonist before it ("Israeli
    fire", "sniper fire", "security forces' fire"), or where it came from ("fire from Israeli tanks")."""
    if cause.lower_ not in ("fire", "fires"):
        return False
    for c in cause.children:
        if c.dep_ in ("amod", "compound", "nmod") and (c.text[:1].isupper() or c.lower_ in _GUNFIRE):
            return True  # "Israeli fire", "sniper fire", "live fire"
        named = c.text[:1].isupper() and c.lower_ not in _CALENDAR_WORDS  # "Israel's", not "Sunday's"
        if c.dep_ == "poss" and (c.lower_ in _GUNFIRE or c.lower_ in _SHOOTERS or named):
            return True  # "security forces' fire", "Israel's fire"
        if (
            c.dep_ == "prep"
            and c.lower_ == "from"
            and any(g.dep_ == "pobj" and (g.lower_ in _GUNFIRE or g.lower_ in _SHOOTERS) for g in c.children)
        ):
            return True  # "fire from Israeli tanks"; not "a fire from a gas leak"
        if c.dep_ == "acl" and c.lower_ in ("set", "started", "lit") and any(g.dep_ == "agent" for g in c.children):
            return True  # "a fire set by rebels"
    return False


#: Names of days and months: "Sunday's fire" is no one's.
_CALENDAR_WORDS = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december"
)


#: What one battles that is no armed enemy: an illness, a blaze, a social ill ("a battle with
#: cancer", "firefighters battled the blaze", "the fight against poverty").
#: What a war or a battle is fought over or with when no one takes up arms.
_UNARMED = words(
    "trade price prices tariff tariffs currency currencies bidding culture cultural legal court courtroom custody "
    "budget ratings propaganda media words word subscription streaming talent"
)
_NO_ENEMY = _NO_ONE_ACTING | words(
    "addiction addictions depression obesity poverty hunger corruption inflation crisis crises climate "
    "unemployment illiteracy dementia leukaemia leukemia lymphoma tumour tumor covid covid-19 coronavirus malaria "
    "ebola aids hiv tuberculosis infection infections injury injuries wildfire wildfires bushfire bushfires"
)


@condition("an-enemy")
def _an_enemy(s: Sentence, tok: Token) -> bool:
    """A fight against someone, not against an illness, a blaze or a social ill: "a battle with
    lymphoma cancer", "firefighters battled the blaze", "the war on poverty" are no fighting."""
    # the phrase may hang on the noun, on the verb holding it ("lost her battle with cancer") or on
    # the noun a verb holds ("fought a long battle with cancer")
    holders = [tok]
    if tok.dep_ == "dobj" and is_verb(tok.head):
        holders.append(tok.head)
    holders += [c for c in tok.children if c.dep_ == "dobj"]
    opponents = [c for c in tok.children if c.dep_ == "dobj"]
    for h in holders:
        opponents += prep_objects(h, ("with", "against", "on"))
    for o in with_conjuncts(opponents):
        named = {o.lower_} | {c.lower_ for c in o.children if c.dep_ == "compound"}  # "climate change"
        if named & _NO_ENEMY and not _gunfire(o):
            return False
    # "a trade war", "a price war", "a legal battle", "a war of words": fought with no arms
    if tok.lower_ not in ("war", "wars", "battle", "battles"):
        return True  # ("political fighting left 20 dead" is fighting)
    kinds = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
    kinds |= {o.lower_ for o in prep_objects(tok, ("of",))}
    return not kinds & _UNARMED


def _object_heads(tok: Token, prepositions: tuple[str, ...] = ()) -> list[Token]:
    """The heads of what a verb acts on, with their conjuncts: its direct object or passive
    subject, and the objects of ``prepositions`` ("provided Ukraine with intelligence"); not their
    modifiers ("abusing government funds" acts on funds)."""
    heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] + prep_objects(tok, prepositions)
    return with_conjuncts(heads)


@condition("someone-acted-on")
def _someone_acted_on(s: Sentence, tok: Token) -> bool:
    """It is done to someone: "abused immigrants", "molested two boys"; not "abused his power",
    "abused government funds"."""
    return any(_someone(s, t) or says(t, _HARMED) for t in _object_heads(tok))


#: People an act is done to, beside the actors' words: "abused detainees", "abused children".
_HARMED = words(
    "immigrant immigrants migrant migrants detainee detainees prisoner prisoners child children girl girls boy "
    "boys woman women man men person persons people patient patients student students inmate inmates worker "
    "workers victim victims refugee refugees civilian civilians citizen citizens resident residents minor minors"
)


#: What a charge made in words is made in: "charged in a statement that ...".
_STATEMENTS = words(
    "statement statements interview interviews letter letters speech speeches tweet tweets post posts report "
    "reports article articles editorial op-ed complaint lawsuit suit filing"
)


@condition("charged-someone")
def _charged_someone(s: Sentence, tok: Token) -> bool:
    """A charge brought against someone ("charged him with murder", "he was charged", "agents
    charged in the bombing"), not one made in words ("..., a human rights group charged on
    Saturday", "charged in a statement that ..."), a price ("charged $500 for the repair",
    "customers were charged for services") nor a battery's ("the buses will be charged overnight")."""
    priced = ("npadvmod", "dobj", "dative")
    if any(c.like_num or c.lower_ in _PRICES for c in tok.children if c.dep_ in priced):
        return False  # "charged $500", "charged extra", "charged a fee"
    crimes = prep_objects(tok, ("with", "over")) + [t for t in prep_objects(tok, ("in",)) if not says(t, _STATEMENTS)]
    parties = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if tok.dep_ == "acl" and crimes:
        parties.append(tok.head)  # "agents charged in the bombing"; not "a group charged on Saturday"
    if any(_someone(s, t) or says(t, _HARMED) or t.lower_ in _CHARGED for t in parties):
        return True
    return bool(crimes)  # "the whistleblower was charged with ...", "caught and charged in federal court"


#: What a price charged is: "charged $500", "charged extra", "charged a fee".
_PRICES = words("$ € £ extra fee fees price prices rate rates interest")

#: Who is charged, beside the actors' words and those an act is done to.
_CHARGED = words("him them suspect suspects accused defendant defendants agent agents teenager teen teens youth driver")


@condition("someone-to")
def _someone_to(s: Sentence, tok: Token) -> bool:
    """Letting someone do something: "allowed the opposition leader to hold a rally", "decided to
    allow the candidate to run", "the opposition leader was allowed to travel"; not "the law allows
    banks to charge", "allowed the case to proceed"."""
    done = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and is_verb(c)]
    if not any(to_infinitive(d) for d in done):
        return False
    who = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    who += [g for d in done for g in d.children if g.dep_ == "nsubj"]
    return any(s.entity_label(t) == "PERSON" or says(t, _PEOPLE_LET) for t in with_conjuncts(who))


#: People who are let do what they were kept from: "allowed the opposition to rally".
_PEOPLE_LET = words(
    "candidate candidates opposition leader leaders party parties protester protesters demonstrator "
    "demonstrators journalist journalists refugee refugees prisoner prisoners detainee detainees activist "
    "activists dissident dissidents observer observers inspector inspectors monitor monitors"
)

#: Foreigners on duty whom a state may put out: "expelled the UN monitors", "threw out foreign
#: journalists" (the lexicon's "international" class, without workers and staff in general).
_ON_DUTY = WORD_CLASSES["international"] - words("staff workers")


@condition("a-body", lambda found, labels: bool(labels & {"ORG", "GPE"}) or bool(found & _ON_DUTY))
def _a_body(s: Sentence, tok: Token) -> bool:
    """It puts out an organisation, a state or foreigners on duty: "forced the UN refugee agency
    out of the country", "Russia was kicked out of the G8" (CAMEO 166); not a person out of a
    job, nor a company's own workers."""
    return any(s.entity_label(t) in ("ORG", "GPE") or says(t, _ON_DUTY) for t in objects_of(tok))


#: What makes intelligence something other than a state's: "artificial intelligence".
_NOT_SPYING = words("artificial business market emotional competitive")


@condition("military-intelligence", _with_word(words("intelligence reconnaissance")))
def _military_intelligence(s: Sentence, tok: Token) -> bool:
    """It hands over intelligence ("providing aerial photographs and other military intelligence
    to Macedonia", "provided Ukraine with intelligence", CAMEO 072), not artificial intelligence
    nor intelligence officers."""
    return any(
        t.lower_ in ("intelligence", "reconnaissance")
        and not any(c.lower_ in _NOT_SPYING for c in t.children if c.dep_ in ("amod", "compound"))
        for t in _object_heads(tok, ("with",))
    )


#: Forces that are strengthened or increased ("strengthened its forces", "increased its troops"):
#: the lexicon's troops without "units" and "personnel", which sales and staff have too.
_FORCES = WORD_CLASSES["troops"] - words("units personnel")


@condition("more-forces", _with_word(_FORCES))
def _more_forces(s: Sentence, tok: Token) -> bool:
    """What grows is armed forces: "has strengthened its forces in Lebanon", "its armed forces
    were increased"; not "sales increased to five million units"."""
    return any(says(t, _FORCES) for t in _object_heads(tok))


#: What one accepts for oneself, not as a commitment: "accepting bribes", "accepted the award".
_GAINS = words(
    "bribe bribes gift gifts money cash payment payments kickback kickbacks donation donations award awards prize "
    "prizes honour honor fee fees"
)


@condition("not-a-gain")
def _not_a_gain(s: Sentence, tok: Token) -> bool:
    """Accepting a proposal, a deal or terms, not taking a gain ("accused of accepting bribes")."""
    return not any(says(t, _GAINS) for t in _object_heads(tok))


@condition("someone-does")
def _someone_does(s: Sentence, tok: Token) -> bool:
    """Someone does it, where a subject is named: "the two sides exchanged views", not "signals
    that smartphones regularly exchange"."""
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    return not subj or any(_someone(s, t) for t in with_conjuncts(subj))


def _broken(tok: Token) -> list[Token]:
    """What a verb of breaking in acts on: its object or passive subject, or the noun its
    participle describes ("compromised data", "records compromised")."""
    heads = _object_heads(tok)
    if tok.dep_ in ("amod", "acl") and tok.head.i != tok.i:
        heads += [t for t in with_conjuncts([tok.head]) if t not in heads]
    return heads


#: What is harmed, not broken into, when it is compromised: "without compromising their privacy".
_VALUES = words(
    "privacy integrity ability principle principles value values safety health position independence credibility "
    "reputation quality standard standards ethics judgment judgement neutrality impartiality"
)


@condition("something-broken")
def _something_broken(s: Sentence, tok: Token) -> bool:
    """Something is broken into: "compromised the servers", "the app has been compromised",
    "compromised data"; not a value put at risk ("without compromising their privacy") nor a
    compromise made ("agreed to compromise on the budget")."""
    broken = _broken(tok)
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    return (bool(broken) or passive) and not any(says(t, _VALUES) for t in broken)


@condition("no-object")
def _no_object(s: Sentence, tok: Token) -> bool:
    """Compromising, not compromising something: "agreed to compromise on the budget", not
    "without compromising their privacy" (which endangers it) nor "the servers were compromised"."""
    return not _broken(tok) and not any(c.dep_ == "auxpass" for c in tok.children)


#: What a breach is of when it is a wrong in law, not a break-in: "breach of trust", "breach of
#: contract", "breach of the peace".
_DUTIES = words(
    "trust contract contracts duty duties peace promise promises rule rules law laws obligation obligations "
    "confidence protocol regulation regulations covenant warranty bail etiquette privilege faith"
)


@condition("not-a-duty")
def _not_a_duty(s: Sentence, tok: Token) -> bool:
    """A break-in, not a legal wrong: "a data breach", not "charges of fraud, breach of trust"."""
    return not any(says(t, _DUTIES) for t in prep_objects(tok, ("of",)))


#: Subjects that demand as a task requires, not as people ask: "the issue will demand delicate
#: negotiation".
_NEEDS = words(
    "issue issues situation problem problems task job work challenge challenges process project crisis "
    "circumstances nature role position"
)


@condition("not-a-need")
def _not_a_need(s: Sentence, tok: Token) -> bool:
    """Someone demands ("protesters demanded his resignation"), not a task that requires ("the
    issue of migration will demand delicate negotiation")."""
    return not any(says(t, _NEEDS) for t in tok.children if t.dep_ == "nsubj")


#: More words for people an act is done to.
_PEOPLE_HARMED = words("villager villagers farmer farmers worker workers priest priests monk monks nun nuns")


def _a_quantity(tok: Token) -> bool:
    """A number, a share or a sum ("5%", "2 percent", "20 paise", "$3 billion")."""
    return tok.like_num or tok.lower_ in ("%", "percent", "per", "cent") or any(c.like_num for c in tok.children)


def _relative_head(tok: Token) -> Token:
    """What a relative pronoun stands for ("soldiers who beat a prisoner": soldiers), else itself."""
    if tok.lower_ in ("who", "that", "which") and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


_PEOPLE = _HARMED | _CHARGED | _PEOPLE_LET | _PEOPLE_HARMED


def _a_person(s: Sentence, tok: Token) -> bool:
    """A person or people: a name of a person, a word for people, a personal pronoun."""
    tok = _relative_head(tok)
    return (
        s.entity_label(tok) == "PERSON"
        or says(tok, _PEOPLE)
        or tok.lower_ in ("he", "she", "they", "we", "i", "him", "her", "them", "us", "me")
    )


@condition("a-refusal")
def _a_refusal(s: Sentence, tok: Token) -> bool:
    """Someone declines something or to do something ("declined the invitation", "declined to
    comment", "asked to comment, he declined"), not a quantity that falls ("trade has declined
    this year", "sales declined 5%", "Tesla declined 5% on Monday")."""
    if any(_a_quantity(c) for c in tok.children if c.dep_ in ("dobj", "npadvmod", "advmod")):
        return False  # "output declined a further 2 percent", "the rupee declines 20 paise"
    if _refuses_to_tell(tok) or any(o.lower_ == "comment" for o in prep_objects(tok, ("for",))):
        return False  # "declined to comment", "declined for comment": no act refused, nothing said
    if any(c.dep_ in ("dobj", "xcomp", "nsubjpass") for c in tok.children):
        return True  # "the invitation was declined"
    # bare: a person or an official declines ("asked about it, the minister declined"); a
    # company, a currency or a share that "declined sharply" fell
    return any(_a_person(s, t) or says(t, _SPEAKERS) for t in tok.children if t.dep_ == "nsubj")


@condition("not-to-tell")
def _not_to_tell(s: Sentence, tok: Token) -> bool:
    """A refusal of an act ("refused to resign", "refused the offer"), not of a comment ("refused
    to comment", "refused to say"): declining to tell is no event between the two sides."""
    return not _refuses_to_tell(tok)


def _refuses_to_tell(tok: Token) -> bool:
    """ "Declined to comment", "refused to say", "declined comment": the refusal is of telling,
    to no one in particular and of nothing named. Refusing to talk to a party ("refused to talk
    to the government", "to testify against the president") or to tell a thing ("refused to
    disclose its nuclear sites") is a refusal to act."""

    def bare(verb: Token) -> bool:
        return not any(
            c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and c.lower_ in ("to", "with", "against"))
            for c in verb.children
        )

    return any(
        (c.dep_ == "xcomp" and lemma_of(c) in TELLING_VERBS and bare(c))
        or (c.dep_ == "dobj" and c.lower_ in ("comment", "comments"))
        for c in tok.children
    )


#: Who declines where no object says what: people who speak for others.
_SPEAKERS = words("minister ministers spokesman spokeswoman spokesperson official officials president leader")
#: What an army withdraws: its forces, its presence.
_FORCES_WITHDRAWN = _FORCES | words("force troop peacekeepers contingent garrison presence military")
#: Where forces withdraw from, when no name says it: "withdrew from the town".
_PLACE_WORDS = words(
    "town towns city cities area areas zone zones region regions border borders territory territories village "
    "villages base bases country island islands province provinces camp camps position positions front line "
    "lines capital enclave strip valley heights coast peninsula district districts port ports airport"
)
#: What one withdraws from to reject it: an agreement, talks, a body ("withdrew from the WHO").
_DEALS = WORD_CLASSES["agreement"] | words(
    "talks negotiations partnership alliance coalition union organisation organization treaty pact"
)


def _a_place(s: Sentence, tok: Token) -> bool:
    return s.entity_label(tok) in PLACE_LABELS or says(tok, _PLACE_WORDS)


def _forces_word(tok: Token) -> bool:
    return says(tok, _ARMED_PEOPLE)


@condition("forces-away")
def _forces_away(s: Sentence, tok: Token) -> bool:
    """Forces withdrawn, or withdrawing from a place ("withdrew its troops", "troops were
    withdrawn", "Israel's withdrawal from the zone", "Iraq was ready to withdraw", "rebels
    retreated"), not an offer, charges or a player ("withdrew its offer", "the charges were
    withdrawn", "Nishikori's withdrawal", "withdrawals from the fund")."""
    verb = is_verb(tok)
    if verb:
        taken = [_relative_head(c) for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    else:  # "the withdrawal of forces", "a troop withdrawal" (but "the US withdrawal" is the US's)
        taken = prep_objects(tok, ("of",))
        taken += [c for c in tok.children if c.dep_ == "compound" and s.entity_label(c) not in ("GPE", "NORP")]
    if taken:
        return any(_forces_word(t) for t in with_conjuncts(taken))
    away = prep_objects(tok, ("from",))
    if away:
        return any(_a_place(s, t) for t in with_conjuncts(away))
    if verb:
        at, who = tok, [c for c in tok.children if c.dep_ == "nsubj"]
        while not who and at.dep_ in ("xcomp", "acomp") and at.head.i != at.i:
            at = at.head  # "Iraq was ready to withdraw", "Syria is willing to withdraw"
            who = [c for c in at.children if c.dep_ == "nsubj"]
        who = [_relative_head(t) for t in who]
    else:  # "the Israeli withdrawal", "Syria's withdrawal"
        if any(says(t, _DEALS) for t in s.doc):
            return False  # "the Iran nuclear deal after the US withdrawal": from the deal, or from where?
        who = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound")]
    return any(s.entity_label(t) in ("GPE", "NORP") or _forces_word(t) for t in who)


@condition("from-a-deal", _with_word(_DEALS))
def _from_a_deal(s: Sentence, tok: Token) -> bool:
    """Withdrawing from an agreement, talks or a body ("the US withdrawal from the nuclear
    agreement", "withdrew from the WHO", "pulled out of the deal"): a rejection of it, no retreat
    of forces."""
    away = prep_objects(tok, ("from",))
    away += [o for c in tok.children if c.lower_ == "out" for o in prep_objects(c, ("of",))]  # "pulled out of"
    return any(says(t, _DEALS) or s.entity_label(t) == "ORG" for t in with_conjuncts(away))


_ELECTION_WORDS = words(
    "election elections electoral referendum referendums plebiscite ballot ballots poll polls polling voter "
    "voters electorate candidate candidates primary primaries caucus caucuses runoff runoffs run-off midterm "
    "midterms constituency constituencies turnout"
)
#: Bodies whose vote is a decision, not an election ("the committee voted for the cut").
_VOTING_BODIES = words(
    "council councils committee committees lawmakers parliament parliaments senate house board cabinet court "
    "justices members panel assembly congress mps legislators senators representatives shareholders directors "
    "leadership experts jury"
)


@condition("an-election", lambda found, labels: bool(found & _ELECTION_WORDS) or "NORP" in labels)
def _an_election(s: Sentence, tok: Token) -> bool:
    """A vote of an election or a referendum: a people votes ("Iraqis voted on Sunday") or the
    sentence speaks of an election ("voters went to the polls", "voted in the referendum"); a
    committee's, a court's or a parliament's vote is none ("the court upheld the law by a 6-3
    vote", "the committee voted for the cut", "lawmakers voted on the bill ahead of the
    election")."""
    voters = [_relative_head(c) for c in tok.children if c.dep_ == "nsubj"]
    if any(says(t, _VOTING_BODIES) for t in voters):
        return False
    if any(s.entity_label(t) == "NORP" for t in voters):
        return True  # "Scots voted against independence"
    return any(says(t, _ELECTION_WORDS) for t in s.doc)


#: How a beating is told apart from a win: "beat him to death", "beat up", "severely beaten".
_BEATING_MANNER = words("severely brutally badly savagely mercilessly viciously violently unconscious")
_MORE_BEATERS = words("mob mobs thugs gang gangs men assailants attackers")
_WEAPONS = words(
    "stick sticks baton batons club clubs rod rods pipe pipes belt belts fists hammer hammers whip whips cable "
    "cables truncheon truncheons rifle rifles butts bats bat stones"
)


@condition("a-beating")
def _a_beating(s: Sentence, tok: Token) -> bool:
    """Someone beaten ("police beat the protesters", "was beaten to death", "beat him up", "beat
    him with sticks", "a teenager was beaten and robbed"), not a rival, a record or a deadline
    ("Trump would beat every Democrat", "the Lakers were beaten by the Celtics", "beat the world
    record with a time of 9.58 seconds", "scammers beat them to it")."""
    if any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
        return True
    if any(o.lower_ == "death" for o in prep_objects(tok, ("to",))):
        return True
    if any(says(o, _WEAPONS) for o in prep_objects(tok, ("with",))):
        return True  # "beat him with sticks"
    beaten = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if not any(_a_person(s, t) for t in beaten):
        return False  # a team, a country, a record, the heat
    if any(s.entity_label(t) in ("ORG", "GPE", "NORP") for t in prep_objects(tok, ("by",))):
        return False  # "were beaten by the Celtics": a side won
    if any(c.dep_ == "nsubjpass" for c in tok.children) or any(
        c.dep_ in ("advmod", "oprd", "acomp") and c.lower_ in _BEATING_MANNER for c in tok.children
    ):
        return True  # "a teenager was beaten", "beat the activist unconscious"
    beaters = [_relative_head(t) for t in tok.children if t.dep_ == "nsubj"]
    return any(says(t, _BEATERS) for t in beaters)


@condition("a-guest")
def _a_guest(s: Sentence, tok: Token) -> bool:
    """Whom one hosts is a person or a state ("Putin hosted Modi", "was hosted by Mr Modi", "host
    the prime minister", "hosted a dinner for the Indian prime minister"), not a team, a
    website, troops, refugees or an event ("Pittsburgh hosts the San Jose Sharks", "sites hosted
    on the servers", "Germany hosts US troops", "Goa has hosted big events before")."""
    guests = [t for t in objects_of(tok) if t.dep_ not in ("amod", "compound", "nmod")]
    guests += _object_heads(tok, ("for",))
    # "hosted a dinner for the Indian prime minister"
    guests += [o for t in _object_heads(tok) for o in prep_objects(t, ("for",))]
    return any(
        s.entity_label(t) in ("PERSON", "GPE")
        or (
            says(t, ACTOR_NOUNS)
            and not says(t, _NO_GUESTS)
            and s.entity_label(t) not in ("ORG", "FAC", "EVENT", "WORK_OF_ART")  # "the International Criminal Court"
        )
        or t.lower_ in ("him", "her", "them", "us")
        for t in guests
    )


#: What makes "demand" a market's: "oil demand", "rising demand", "weak global demand".
_MARKET_DEMAND = words(
    "oil industry consumer consumers global domestic strong stronger weak weaker rising falling flagging soft "
    "softer low lower high higher decreased increased increasing slowing sluggish market energy power "
    "electricity steel export exports import imports peak pent-up aggregate seasonal travel housing fuel gas food "
    "labour labor customer customers retail overall underlying robust tepid solid healthy buoyant"
)
#: What a demand "for" something asks for, where it is a claim: an act, a payment, a release.
_CLAIMED = WORD_CLASSES["ransom"] | words(
    "ransomware extortion financial money payment payments cash bitcoin amount sum fee million billion release return "
    "apology justice ceasefire independence wages withdrawal removal approval dismissal reversal talks inquiry"
)
_ACTS = ("tion", "sion", "ment", "ance", "ence")


@condition("a-claim")
def _a_claim(s: Sentence, tok: Token) -> bool:
    """A claim made on someone ("the protesters' demands", "a ransom demand", "the demand for his
    extradition", "the demand for payment", "Beijing's demand for an apology"), not a market's
    demand ("oil demand", "China's demand for coal", "to meet industry demand for electricity",
    "demand picked up", "supply and demand", "watch on demand")."""
    if tok.lower_ == "demand" and tok.dep_ == "pobj" and tok.head.lower_ == "on" and not list(tok.children):
        return False  # "watch on demand" (but "its position on US demands")
    modifiers = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod")]
    if any(says(c, _CLAIMED) for c in tok.children):
        return True  # "a much higher ransom demand", "the ransom demand dropped", "demand ransom"
    if tok.dep_ in ("nsubjpass", "dobj") and says(tok.head, CLAIMING_VERBS):
        return True  # "a demand was made for £120,000", "received a demand"
    if tok.lower_ == "demands":
        return True  # plural: claims ("growing demands for reform")
    if any(says(m, _MARKET_DEMAND) for m in with_conjuncts(modifiers)):
        return False
    if tok.dep_ in ("nsubj", "nsubjpass") and says(tok.head, DEMAND_MOVING_VERBS):
        return False  # "demand surged", "the global demand picks up", "demand remained weak"
    if tok.dep_ == "dobj" and says(tok.head, SUPPLYING_VERBS):
        return False
    if (tok.dep_ == "conj" and tok.head.lower_ == "supply") or any(c.lower_ == "supply" for c in tok.conjuncts):
        return False  # "supply and demand"
    asked = prep_objects(tok, ("for",))
    if asked:
        return any(says(t, _CLAIMED) or t.lower_.endswith(_ACTS) or t.like_num for t in asked)
    # no "for": a claim only where someone makes it ("their demand", "the demand of the protesters",
    # "a demand that he resign") or one told of before ("the demand was a significant increase");
    # "demand remained weak" is a market's
    return (
        any(c.dep_ == "poss" for c in tok.children)
        or any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
        or any(s.entity_label(o) is not None or says(o, ACTOR_NOUNS) for o in prep_objects(tok, ("of",)))
        or any(c.dep_ in ("acl", "relcl", "ccomp") for c in tok.children)
    )


#: Words of a market's rise: "funds hop on board this rally", "a relief rally in stocks".
_MARKETS = words(
    "stock stocks share shares market markets index indices dow nasdaq equities equity bond bonds price prices "
    "investors investor funds traders oil gold dollar yen euro bitcoin rupee yuan sterling futures bull"
)


@condition("not-a-market", lambda found, labels: True)
def _not_a_market(s: Sentence, tok: Token) -> bool:
    """A rally of people, not of a market: no word of markets in the sentence, unless it also
    names protesters ("a rally in stocks", "funds hop on board this rally" are none)."""
    words_here = {t.lower_ for t in s.doc}
    return not (words_here & _MARKETS) or bool(words_here & _PROTESTERS)


_PROTESTERS = words("protesters protestors demonstrators supporters marchers activists crowd crowds police")

#: What makes an alert a notice, not forces on alert: "weather alerts", "an Amber Alert".
_NOTICES = words(
    "weather news breaking email e-mail text amber travel health flood storm tsunami fire app traffic air-quality "
    "heat snow wind tornado hurricane price job google"
)


@condition("not-a-notice")
def _not_a_notice(s: Sentence, tok: Token) -> bool:
    """Forces put on alert ("on high alert", "a military alert"), not a notice ("weather alerts")."""
    return not any(c.dep_ in ("compound", "amod", "nmod") and says(c, _NOTICES) for c in tok.children)


@condition("a-request")
def _a_request(s: Sentence, tok: Token) -> bool:
    """Asking for something to be done ("asked Putin to visit", "asked for help", "asked the UN for
    aid"), not asking a question ("asked her name", "asked whether ...", "when asked about ...")."""
    return any(
        (c.dep_ == "xcomp" and c.tag_.startswith("VB"))
        or (c.dep_ == "prep" and c.lower_ == "for")
        or (c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
        for c in tok.children
    )  # "asked that the troops be withdrawn" too


@condition("to-call")
def _to_call(s: Sentence, tok: Token) -> bool:
    """Calling a person on the telephone ("called the president", "called him on Monday"), not
    calling them something ("called Putin a great leader", "called Mead 'one of the most
    influential artists'")."""
    called = objects_of(tok)
    person = any(s.entity_label(t) == "PERSON" or t.lower_ in ("him", "her") for t in called)
    return person and not any(
        c.dep_ in ("oprd", "attr", "acomp") and s.entity_label(c) != "PERSON" for c in tok.children
    )


@condition("a-captive")
def _a_captive(s: Sentence, tok: Token) -> bool:
    """A release of people held: of prisoners or of a named person ("the release of the
    hostages", "Navalny's release"), or from custody ("his release from prison"); not a film's,
    an album's or a report's release."""
    # who is released: the head of its "of" phrase, else its possessor ("his release"); never a
    # word describing something else ("the release of the Indian film", "of official data")
    held = with_conjuncts([g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children])
    if not held:
        held = [c for c in tok.children if c.dep_ == "poss"]
    if any(s.entity_label(t) in ("PERSON", "NORP") or says(t, _HELD_PEOPLE) for t in held):
        return True  # "his release", "the release of 50 Palestinians", "of two French journalists"
    places = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "from" for g in c.children]
    return any(says(g, _CUSTODY) or g.lower_ == "arrest" for g in places)


#: People whose release is news: those held, and whoever a possessive pronoun names ("his release").
_HELD_PEOPLE = WORD_CLASSES["prisoners"] | words(
    "his her their journalist journalists reporter reporters crew crews sailor sailors fishermen girls boys children "
    "women men people civilians activist activists national nationals citizen citizens student students tourist "
    "tourists detainee captive seamen pilot pilots soldier soldiers troops official officials worker workers leader "
    "leaders protester protesters demonstrator demonstrators rebel rebels militant militants diplomat diplomats "
    "opposition dissident dissidents"
)


#: What is fired at someone: "fired rockets", "fired tear gas", "fired shots".
_AMMUNITION = WORD_CLASSES["arms"] | words(
    "rocket rockets shell shells bullet bullets shots gunshot gunshots round rounds salvo salvoes salvos gas "
    "grenade grenades mortar mortars volley volleys projectile projectiles"
)
#: Whom or what one fires on: people, forces and places ("fired on protesters", "at the crowd").
_FIRED_ON = ACTOR_NOUNS | words(
    "crowd crowds civilians people positions village villages town towns car cars vehicle vehicles checkpoint "
    "checkpoints post posts base bases convoy convoys patrol patrols house houses building buildings ship ships boat "
    "boats plane planes us them drone drones aircraft jet jets helicopter helicopters"
)


#: Who fires weapons: "troops fired", "a gunman fired".
_SHOOTERS = words(
    "troops soldier soldiers police policeman policemen officer officers gunman gunmen militant militants rebel "
    "rebels insurgent insurgents guerrilla guerrillas fighter fighters army armies navy forces guard guards sniper "
    "snipers attacker attackers assailant assailants shooter shooters militia militias warship warships tank tanks"
)
#: Forces and fighters, who withdraw (``forces-away``), beat (``a-beating``) and are no guests.
_ARMED_PEOPLE = _FORCES_WITHDRAWN | _SHOOTERS
_BEATERS = _SHOOTERS | _MORE_BEATERS
_NO_GUESTS = _ARMED_PEOPLE | _HARMED


@condition("at-someone")
def _at_someone(s: Sentence, tok: Token) -> bool:
    """Firing a weapon or at someone ("fired rockets at Israel", "troops fired on protesters"), not
    a footballer who "fired past the keeper" or "into the corner", nor firing a coach."""
    direct = with_conjuncts([c for c in tok.children if c.dep_ == "dobj"])
    if any(s.entity_label(c) == "PERSON" or c.lower_ in _DISMISSED_PEOPLE for c in direct):
        return False  # "the army fired its chief of staff": a sacking
    if any(says(c, _AMMUNITION) for c in objects_of(tok)):
        return True
    shooters = with_conjuncts([c for c in tok.children if c.dep_ == "nsubj"])
    if any(says(c, _SHOOTERS) for c in shooters):
        return True  # "troops fired at stone-throwers", "gunmen fired into the air"
    aimed = prep_objects(tok, ("on", "at", "upon"))
    return any(
        s.entity_label(g) in ACTOR_LABELS
        or g.lower_ in _FIRED_ON
        or any(c.dep_ == "compound" and c.lower_ in _FIRED_ON for c in g.children)
        for g in with_conjuncts(aimed)
    )


#: People one dismisses from a post or, in sport, from the crease: "dismissed the minister".
_DISMISSED_PEOPLE = words(
    "him her minister ministers official officials chief head director manager coach general commander aide "
    "aides staff employee employees judge governor batsman batter"
)


@condition("not-a-person")
def _not_a_person(s: Sentence, tok: Token) -> bool:
    """What is dismissed is a claim, not a person: "dismissed the report"; "dismissed Agar" (a
    batsman out), "dismissed the health minister" (sacked) are no rejection."""
    dismissed = with_conjuncts([c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")])
    return not any(s.entity_label(t) == "PERSON" or says(t, _DISMISSED_PEOPLE) for t in dismissed)


@condition("not-an-attempt")
def _not_an_attempt(s: Sentence, tok: Token) -> bool:
    """What is sought is a thing, not an act of one's own: "sought compensation", "seeking a
    meeting"; "seeking to bring back the momentum", "sought to ease tensions" tell an attempt."""
    return not any(c.dep_ == "xcomp" and c.tag_.startswith("VB") for c in tok.children)


@condition("to-meet")
def _to_meet(s: Sentence, tok: Token) -> bool:
    """An invitation to meet or come ("invited Putin to visit India", "invited the president for
    the summit"), not to do something else ("inviting Russian companies to invest")."""
    purposes = [c for c in tok.children if c.dep_ == "xcomp"]
    return not purposes or any(
        lemma_of(c) in _MEETING_VERBS or consults(c, "V") or any(consults(o) for o in objects_of(c)) for c in purposes
    )


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
    """A strike by workers, not an air strike: no military modifier, no object, and not
    something struck ("a baby struck by a bullet", "was struck by a car": workers strike, nothing
    strikes them)."""
    modifiers = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
    struck = tok.tag_ == "VBN" and any(
        c.dep_ in ("auxpass", "agent") or (c.dep_ == "prep" and c.lower_ == "by") for c in tok.children
    )
    return not modifiers & _MILITARY and not any(c.dep_ == "dobj" for c in tok.children) and not struck


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
