"""Whether an event happened: what the grammar around its trigger says, then settled against the
date ("met on May 21" occurred; "the summit on May 21" in an April article is planned).

The grammar gives an :class:`~storyline.model.annotations.EventStatus` where it states one
("will meet": planned; "did not meet": negated; "would signal": hypothetical; "are holding talks":
ongoing; "met": occurred), else an :class:`Unsettled` reading the date decides.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from storyline.annotate.event_lexicon import (
    CANCELLING_VERBS,
    CONTENT_NOUNS,
    DENYING_OBJECT_VERBS,
    DENYING_VERBS,
    OCCURRING_VERBS,
    PARTAKING_VERBS,
    PLANNING_WORDS,
    REPORTING_VERBS,
    REQUESTING_PREPOSITIONS,
    REQUESTING_VERBS,
    TELLING_VERBS,
    consults,
    words,
)
from storyline.annotate.event_lexicon import lemma as lemma_of
from storyline.annotate.event_lexicon import pos as pos_of
from storyline.annotate.events.tokens import ancestors, governing_verb, is_verb, object_control, to_infinitive
from storyline.model.annotations import EventStatus, EventTime, value_range

if TYPE_CHECKING:
    from spacy.tokens import Token


class Unsettled(StrEnum):
    """What the grammar says when it states no status; the date settles it."""

    PRESENT = "present"
    """A present tense ("meets", "supplies", "an agreement is signed"): planned, ongoing or
    occurred by the date; undated, ongoing in a story's body and occurred in a headline."""
    UNKNOWN = "unknown"
    """Nothing: planned when dated ahead, else occurred."""
    FACT = "fact"
    """A present that states a fact of the past ("is the first prime minister to visit the
    region"): planned when dated ahead, else occurred, on the publication day when undated."""


Grammar = EventStatus | Unsettled
"""What the grammar around a trigger says of its event."""


def stated(grammar: Grammar) -> bool:
    """Whether the grammar stated the event's status (a fact in the present counts), rather than
    left it to the date."""
    return isinstance(grammar, EventStatus) or grammar is Unsettled.FACT


#: Auxiliaries of the future (and "would", which frames a conditional).
WILL = frozenset({"will", "shall", "'ll", "wo", "would"})
_NEGATED, _HYPOTHETICAL = EventStatus.NEGATED, EventStatus.HYPOTHETICAL
_PLANNED, _ONGOING, _OCCURRED = EventStatus.PLANNED, EventStatus.ONGOING, EventStatus.OCCURRED


def status(verb: Token, own_negation: bool = True) -> Grammar:
    """What the grammar around a verb says of its event (``own_negation=False``: as if the verb
    itself were not denied)."""
    aux = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if own_negation and denied_itself(verb):
        return _NEGATED
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
        return _HYPOTHETICAL
    chain = ancestors(verb)
    # "witnesses did not see who fired at the crowd", "did not release any information about what
    # led up to the shooting": a question told inside another clause ("who", "what", "how", "why")
    # takes its act as given, and denying the seeing or the information does not deny it (nor does
    # denying a noun deny such a question in its phrase: "denied any knowledge of who carried out
    # the attack"). A "that" clause is denied with its verb ("do not believe the data was stolen"),
    # a "whether" clause is left open, and a noun's own content is denied with the noun ("no
    # intention of paying", "no evidence of it being exploited")
    asked = topic = False
    below = verb
    for a in _within_clause(verb, chain):
        lemma = lemma_of(a)
        asked = asked or _embedded_question(below)
        topic = topic or (asked and below.dep_ == "prep" and pos_of(a) in ("NOUN", "PROPN"))
        below = a
        if not topic and (lemma in DENYING_VERBS or (lemma in ("fail", "refuse", "decline") and verb.dep_ == "xcomp")):
            return _NEGATED
        if lemma in ("cancel", "scrap", "abandon", "drop") and verb.dep_ in ("dobj", "xcomp"):
            return _NEGATED
        if denied_itself(a) and lemma not in REPORTING_VERBS and not asked:
            return _NEGATED  # "did not plan to meet", "no agreements are expected to be signed"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in a.children):
            return _HYPOTHETICAL
    if unless_clause(verb) is not None:
        return _HYPOTHETICAL  # "will withdraw unless ...": conditional (the ultimatum is the event)
    if any(a in ("will", "shall", "'ll", "wo") for a in aux):
        return _PLANNED
    head = verb.head
    headline = (verb.dep_ == "ROOT" and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)) or (
        # the name the parser made the root of a headline ("Modi to meet Putin"): a capitalised word
        # opening it, with no subject or auxiliary of its own
        verb.dep_ in ("xcomp", "advcl")
        and head.dep_ == "ROOT"
        and head.i - head.sent.start <= 3
        and head.text[:1].isupper()
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in head.children)
    )
    if aux == ["to"] and headline:
        return _PLANNED  # a headline's "Lao PM to visit Vietnam", "Modi to meet Putin": what is to come
    if any(a in ("may", "might", "could", "should", "can", "must") for a in aux):
        return _HYPOTHETICAL
    if "would" in aux:
        reported = any(lemma_of(a) in REPORTING_VERBS and a.tag_ == "VBD" for a in chain)
        return _PLANNED if reported else _HYPOTHETICAL
    head = verb.head
    if verb.dep_ in ("acl", "relcl") and to_infinitive(verb) and pos_of(head) in ("NOUN", "PROPN"):
        governing = governing_verb(head)
        if any(c.lower_ in _ORDINALS for c in head.children):
            # "the first foreign leader to visit": a fact, as its verb tells it; in the present
            # ("is the first prime minister to visit the region") as nothing more is said, so the
            # date decides ("is the first ... to visit Israel next week" is planned), else it was made
            found = status(governing) if governing is not None else _OCCURRED
            return Unsettled.FACT if found is Unsettled.PRESENT else found
        if lemma_of(head) in _ARTEFACTS and governing is not None and status(governing) is _OCCURRED:
            # "released an update to fix the flaw", "sent emails to trick users": what a thing
            # made or sent does, it did, as the making went
            return _OCCURRED
        return _PLANNED  # "an invitation to travel", "a deal to buy missile systems"
    infinitive = verb.dep_ == "advcl" and to_infinitive(verb)
    if (verb.dep_ == "xcomp" or infinitive) and head.i != verb.i:
        h = lemma_of(head)
        if h == "be" and any(t.lower_ in _ORDINALS and t.dep_ == "amod" and t.i < verb.i for t in head.subtree):
            # "was among the first world leaders to congratulate him" (the parser hangs the
            # infinitive on "was"): a fact, as "was" tells it, not "is to visit"
            found = status(head)
            return Unsettled.FACT if found is Unsettled.PRESENT else found
        if h in PLANNING_WORDS or h in ("go", "be") or (h in ("set", "due") and pos_of(head) in ("VERB", "ADJ", "AUX")):
            return _PLANNED  # "plans to visit", "is going to sign", "is to visit", "are set to meet"
        if h in ("postpone", "delay"):
            return _PLANNED
        asked = h in REQUESTING_VERBS and (
            object_control(verb) is not None or any(c.dep_ == "auxpass" for c in head.children)
        )
        if verb.dep_ == "xcomp" and (asked or (h in REQUESTING_PREPOSITIONS and object_control(verb) is not None)):
            return _HYPOTHETICAL  # "urged Ukraine to withdraw", "was urged to", "called on X to": asked, not done
        return status(head)  # "flew to the capital to meet the president": as the flying went
    if verb.dep_ in ("conj",) and pos_of(head) in ("VERB", "AUX") and not aux:
        return status(head) if verb.tag_ in ("VB", "VBN") else tense(verb, aux)
    return tense(verb, aux)


#: Tags of a verb or an auxiliary with a tense: a past, a present, a modal.
_TENSED = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: Tags of the words that open a question: "who", "what", "which", "whose", "how", "why", "where".
_WH = frozenset({"WP", "WP$", "WDT", "WRB"})


def _embedded_question(verb: Token) -> bool:
    """Whether a verb heads a question told inside another clause, with a tense of its own: "(did
    not see) who fired", "(no details about) what led up to the shooting", "(don't know) what
    information was compromised", "(has not learned) how the data was stolen". Such a question
    takes its act as given. Not "whether" or "if" (left open), nor a relative clause on a noun
    ("the man who fired"), nor a clause with no tense ("how to respond")."""
    if verb.dep_ not in ("ccomp", "pcomp", "advcl", "xcomp", "csubj") or not is_verb(verb):
        return False
    tensed = verb.tag_ in _TENSED or any(c.dep_ in ("aux", "auxpass") and c.tag_ in _TENSED for c in verb.children)
    return tensed and verb.left_edge.tag_ in _WH and verb.left_edge.lower_ != "that"


#: Words that make "the first ... to visit" a fact about who did it, not a plan.
_ORDINALS = frozenset({"first", "last", "only", "second", "third"})


def _within_clause(verb: Token, chain: list[Token]) -> list[Token]:
    """The heads above a verb whose negation, denial or condition is the verb's own: up to the
    noun a relative clause or a participle hangs from ("it was not part of the ceremony, where documents were
    exchanged" denies the part, not the exchange; but "denied reports that they met" denies the
    meeting: a report's clause is what it says), the verb of the clause a conjunct with its own
    subject or auxiliary, or after "but", is joined to ("made no plans, but it has engaged in
    talks"; "did not attend the talks but met the envoy"), and the verb that reports the clause
    ("did not mention him, but said the team made visits")."""
    out = []
    t = verb
    for a in chain:
        if t.dep_ == "relcl" and a.lower_ not in CONTENT_NOUNS:
            break
        if t.dep_ == "acl" and t.tag_ in ("VBN", "VBG") and a.lower_ not in _SAYING_NOUNS and _reduced(t):
            break  # "did not release the name of the man killed", "no charges related to the shooting"
        if t.dep_ == "conj" and (
            any(c.dep_ in ("nsubj", "nsubjpass", "auxpass") or (c.dep_ == "aux" and c.tag_ != "TO") for c in t.children)
            or any(c.dep_ == "cc" and c.lower_ in ("but", "yet") for c in a.children)
        ):
            break
        out.append(a)
        if lemma_of(a) in REPORTING_VERBS and pos_of(a) in ("VERB", "AUX"):
            break
        t = a
    return out


#: Modifiers that make a noun's event a supposition.
_MAYBE = frozenset({"possible", "potential", "probable", "hypothetical", "prospective", "eventual"})
#: What an event not yet held is said to be: "a summit is not possible this year", "a deal is
#: not imminent" deny the event itself.
_LIKELY = _MAYBE | frozenset({"likely", "imminent", "certain", "near", "close", "feasible", "option", "planned"})


#: Nouns whose participle says what they say ("a document agreeing to hand him over", "reports
#: claiming they met"): denied with them, unlike one that describes ("the injunction blocking his
#: return", "the man killed").
_SAYING_NOUNS = CONTENT_NOUNS | frozenset({"document", "documents", "letter", "letters", "petition", "petitions"})


def _reduced(participle: Token) -> bool:
    """A participle with no clause of its own ("the man killed in the shooting"), not a clause the
    parser hangs the same way ("no evidence that the man was murdered")."""
    return not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in participle.children)


#: Verbs that tell an event's own course ("talks to resume", "summit to open", "to take place"),
#: not its purpose: those whose denial denies their subject, and a few more.
_COURSE_VERBS = OCCURRING_VERBS | words("continue reopen restart convene")


def _of_its_course(verb: Token) -> bool:
    """Whether an infinitive after an event's noun tells when or whether the event itself takes
    place: a verb of its course, or a passive ("to be held", "to be signed")."""
    return lemma_of(verb) in _COURSE_VERBS or any(c.dep_ == "auxpass" for c in verb.children)


def noun_status(noun: Token) -> Grammar:
    """What the grammar around a noun trigger says of its event ("ahead of the summit")."""
    modifiers = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "advmod")}
    if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
        return _NEGATED
    if modifiers & PLANNING_WORDS or expected_with(noun):
        return _PLANNED
    if modifiers & _MAYBE:
        return _HYPOTHETICAL  # "possible sanctions", "a potential strike"
    if (
        noun.dep_ == "ROOT"
        and not noun.sent[-1].is_punct
        and any(c.dep_ in ("acl", "relcl") and to_infinitive(c) and _of_its_course(c) for c in noun.children)
    ):
        # a headline's "Talks to resume next week", "Summit to be held in Goa"; not what it is for
        # ("Talks to end war", "A rally to mark the anniversary")
        return _PLANNED
    head = noun.head
    if noun.dep_ == "pobj":
        word = head.lower_
        if (word in ("of",) and head.head.lower_ == "ahead") or word == "before":
            return _PLANNED  # "ahead of the summit"
        if word in ("after", "since", "following"):
            return _OCCURRED
        if word == "without":
            return _NEGATED  # "ended without any agreements"
        if lemma_of(noun) == "way" and word == "on":
            return _PLANNED  # "is on his way to the capital"
        verb = governing_verb(noun)
        if verb is not None and lemma_of(verb) in ("invite", "plan", "propose", "schedule"):
            return _PLANNED  # "invited the president for next year's summit"
        if verb is not None and lemma_of(verb) != "be":
            # "during the summit, they signed"; "flew in for the summit"; "did not fly to Moscow
            # for talks" denies the talks, but "gave no details about the talks" the details, and
            # "no data was accessed in the attack", "did not speak at the summit" the access and
            # the speaking: a phrase of the setting is not what the verb's denial denies
            if head.head.i == verb.i and (word in _TOPIC or (word == "on" and lemma_of(verb) in TELLING_VERBS)):
                # "declined to comment on the shooting", "will not speak about the attack": what is
                # told of is not what the telling's denial, plan or supposition is about
                found = status(verb, own_negation=False)
                if found is _NEGATED or (_known(noun) and found in (_PLANNED, _HYPOTHETICAL)):
                    return Unsettled.UNKNOWN
                return found
            setting = word in _SETTING and not _takes_part(verb)
            return _denied_event(verb, frees=head.head.i != verb.i or setting)
        be = head.head
        if word == "for" and lemma_of(be) == "be" and is_verb(be) and status(be) is _PLANNED and consults(noun):
            # "The visit, for the annual summit, will be his first trip": the purpose the parser
            # hangs on "be" is still to come with it (not a reason: "will be in prison for the killing")
            return _PLANNED
        if word == "in" and lemma_of(be) == "be" and be.dep_ == "ROOT" and status(be) is Unsettled.PRESENT:
            return Unsettled.PRESENT  # "both sides are in talks": as a present tense ("... next week")
    if noun.dep_ in ("dobj", "nsubjpass", "xcomp") and lemma_of(head) in CANCELLING_VERBS:
        return _PLANNED if lemma_of(head) in ("postpone", "delay") else _NEGATED
    if noun.dep_ in ("dobj",) and lemma_of(head) in DENYING_OBJECT_VERBS:
        return _NEGATED  # "denied the allegations": what was alleged did not happen
    if noun.dep_ == "dobj" and lemma_of(head) in PLANNING_WORDS and lemma_of(head) != "agree":
        return _PLANNED  # "promised cross-party talks", "proposed a meeting"
    if noun.dep_ == "attr" and pos_of(head) in ("VERB", "AUX"):
        return status(head)  # "the visit will be his first trip": as "will be" says
    if noun.dep_ == "pobj" and pos_of(head.head) == "NOUN" and head.head.i != noun.i:
        return noun_status(head.head)  # "the visit, for the annual summit, will be ..."
    if noun.dep_ in ("nsubj", "nsubjpass") and pos_of(head) in ("VERB", "AUX"):
        if lemma_of(head) == "be" and any(
            c.dep_ in ("acomp", "attr", "xcomp") and lemma_of(c) in PLANNING_WORDS for c in head.children
        ):
            return _PLANNED  # "the summit is due to be held", "the visit is expected"
        # "talks took place", "the summit will open", "the summit is expected to ..."; but
        # "the talks did not result in changes" denies the result, not the talks
        about_itself = _denies_its_subject(head)
        found = _denied_event(head, frees=not about_itself)
        if (
            found is _HYPOTHETICAL
            and _known(noun)
            and not about_itself
            and not _conditional(head)
            and not any(c.dep_ == "aux" and c.lower_ in ("would", "'d") for c in head.children)
        ):
            # "the leak could affect thousands more": what the leak may do is supposed, not the leak
            return Unsettled.UNKNOWN
        return found
    return Unsettled.UNKNOWN


#: Words that, in a "with" phrase beside a clause, say its noun is still to come: "talks open
#: today, with an agreement expected", "with a deal likely", "with the vote due on Friday".
_AWAITED = frozenset({"expect", "expected", "likely", "due", "schedule", "scheduled", "plan", "planned", "set"})
#: What an awaited event may be expected to do that is its own happening ("expected to be held",
#: "to take place", "to go ahead", "to resume"): not what it brings ("to take effect", "to go to
#: parliament", "to create jobs").
_HAPPENS = OCCURRING_VERBS | {"be", "come"}  # "take" and "go" only as "take place", "go ahead"


def expected_with(noun: Token) -> bool:
    """A noun event a "with" phrase says is awaited, set off by a comma beside a clause that tells
    something else: "are holding talks today, with an agreement on the plant expected to be the
    main outcome"; "the talks ended on Monday, with a deal expected"; "with the summit set for
    Monday". The word that awaits it may hang from a noun of the event's own phrase (the parser
    often puts "expected" on "the plant"). Not a verb's own "with" ("dealt with the protest,
    planned by students": no comma), and not what the event is expected to bring ("to take
    effect", "to create jobs"): only the bare word, "to be held" and the verbs of happening await
    the event itself. "Expected to be" and a description of it ("the main outcome", "the
    deadliest") awaits it only beside a clause that is not done: "were killed on Monday, with the
    attack expected to be the deadliest this year" describes an attack that happened. "Set" needs
    what it is set for or to ("set for Monday", "set to resume"; not "set in a resort")."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "with":
        phrase, prep = noun, noun.head
    elif noun.dep_ == "nsubj" and noun.head.dep_ == "pcomp" and noun.head.head.lower_ == "with":
        phrase, prep = noun.head, noun.head.head  # "with an agreement likely": the noun is the adjective's subject
    else:
        return False
    if prep.i == 0 or prep.doc[prep.i - 1].text != ",":
        return False
    clause = prep.head
    done = is_verb(clause) and (clause.tag_ == "VBD" or status(clause) in (_OCCURRED, EventStatus.REFERENCED))
    for t in phrase.subtree:
        if lemma_of(t) not in _AWAITED or t.dep_ not in ("acl", "pcomp", "amod") or t.tag_ not in ("VBN", "JJ"):
            continue
        then = [c for c in t.children if c.dep_ in ("xcomp", "advcl", "pcomp")]
        if lemma_of(t) == "set" and not then and not any(c.dep_ == "prep" and c.lower_ == "for" for c in t.children):
            continue
        if all(_happens(c) for c in then) and not (done and any(_described(c) for c in then)):
            return True
    return False


def _happens(verb: Token) -> bool:
    """An infinitive that tells the event take place: "to be", "to be held", "to take place", "to
    go ahead"."""
    lemma = lemma_of(verb)
    if any(c.dep_ == "auxpass" for c in verb.children):
        return True  # "expected to be held", "to be signed"
    if lemma == "take":
        return any(c.dep_ == "dobj" and c.lower_ == "place" for c in verb.children)
    if lemma == "go":
        return any(c.lower_ in ("ahead", "forward") for c in verb.children)
    return lemma in _HAPPENS


def _described(verb: Token) -> bool:
    """ "To be" and a description ("to be the deadliest", "to be the main outcome")."""
    return lemma_of(verb) == "be" and any(c.dep_ in ("attr", "acomp") for c in verb.children)


#: Things made or sent whose infinitive does what they are for once they are made: an update, a
#: patch, an e-mail ("released an update to plug a flaw", "sent emails to trick users"). After any
#: other noun the infinitive is still to come ("signed a deal to buy", "pressure to resign",
#: "legislation to ban protests", "the battle to block the nominee").
_ARTEFACTS = frozenset(
    {
        "update", "updates", "patch", "patches", "fix", "fixes", "version", "versions", "release", "software",
        "tool", "tools", "code", "email", "emails", "e-mail", "e-mails", "message", "messages", "malware", "app",
        "apps", "script", "scripts", "firmware", "plugin", "plug-in", "advisory", "bulletin", "link", "links",
        "website", "site", "page", "pages", "text", "texts",
    }
)  # fmt: skip

#: Prepositions of the setting an act took place in ("in the attack", "at the summit", "during
#: the talks"): denying the act does not deny the setting.
_SETTING = frozenset({"in", "at", "during", "amid", "amidst", "throughout"})


#: Prepositions of what is spoken or known of ("did not speak about the attack", "knew nothing
#: about the shooting"): denying the speaking does not deny what it is about.
_TOPIC = frozenset({"about", "regarding", "concerning"})


def _takes_part(verb: Token) -> bool:
    """ "Engaged in talks", "took part in the invasion": the "in" phrase is what is done."""
    lemma = lemma_of(verb)
    return lemma in PARTAKING_VERBS or (lemma == "take" and any(c.lower_ == "part" for c in verb.children))


def _known(noun: Token) -> bool:
    """A noun event the text points to as one it knows: "the leak", "this attack", "its breach"
    (not "a war", "any attack", which a modal may suppose whole)."""
    return any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")) or c.dep_ == "poss"
        for c in noun.children
    )


def _conditional(verb: Token) -> bool:
    """A clause with a condition anywhere in it ("if held, the referendum could split the country",
    "unless talks resume")."""
    return any(t.dep_ == "mark" and t.lower_ in ("if", "unless") for t in verb.subtree)


def _denied_event(verb: Token, *, frees: bool) -> Grammar:
    """What the grammar of the verb an event noun depends on says of the event: the verb's own
    status, except that where the verb's own denial ``frees`` the event, the event takes what
    the rest of the verb's grammar says. A denial from above ("denied that talks took place")
    always denies the event."""
    found = status(verb)
    if found is _NEGATED and frees and denied_itself(verb):
        return status(verb, own_negation=False)
    return found


def _denies_its_subject(verb: Token) -> bool:
    """Whether denying ``verb`` denies the event that is its subject: a passive ("the summit was
    not held, planned, approved"), "be" with no quality told ("the summit is not on"), a planning
    word ("is not expected") and a verb of taking place ("did not happen", "never materialised",
    "did not go ahead") do; an active verb that says something else does not ("those talks did
    not result in any changes", "the aid is not helping": the talks were held), nor "be" with a
    quality ("the shooting was not fatal")."""
    lemma = lemma_of(verb)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if lemma == "be":
        # "the shooting was not fatal", "the meeting was not a success": what is denied is what the
        # event was, not that it was; "the visit is not expected" is still denied
        told = [c for c in verb.children if c.dep_ in ("acomp", "attr")]
        return not told or any(
            lemma_of(c) in PLANNING_WORDS or lemma_of(c) in OCCURRING_VERBS or c.lower_ in _LIKELY for c in told
        )
    return passive or lemma in OCCURRING_VERBS or lemma in PLANNING_WORDS


def denied_itself(verb: Token) -> bool:
    """Whether the verb itself is denied: "did not meet", "signed no agreements"."""
    return any(c.dep_ == "neg" for c in verb.children) or says_no(verb)


def unless_clause(verb: Token) -> Token | None:
    """The "unless" clause of a verb ("will withdraw unless talks resume")."""
    return next(
        (
            c
            for c in verb.children
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        ),
        None,
    )


#: How badly someone was harmed, said of "none" after the act: "five were shot, none fatally".
_HARM_DEGREES = frozenset({"fatally", "seriously", "critically", "badly", "gravely", "mortally", "severely"})
#: Words that name no one and nothing: "nobody was hurt", "none of them died", "signed nothing".
NO_ONE = frozenset({"nobody", "noone", "none", "nothing", "neither"})


def says_no(verb: Token) -> bool:
    """ "No agreements were signed", "signed no agreements", "nobody was killed", "none of the
    victims died": a "no" (or "neither") on the subject or object, or a subject or object that
    names no one."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj")
        and (
            # (not "five were shot, none fatally": a remark on how, after the act told)
            (c.lower_ in NO_ONE and not any(d.dep_ == "advmod" and d.lower_ in _HARM_DEGREES for d in c.children))
            or any(d.dep_ == "det" and d.lower_ in ("no", "neither") for d in c.children)
        )
        for c in verb.children
    )


def tense(verb: Token, aux: list[str]) -> Grammar:
    """What a verb's tense and auxiliaries say, when nothing around it says more."""
    tag = verb.tag_
    be_present = any(a in ("is", "are", "am", "'s", "'re", "'m") for a in aux)
    if tag == "VBG" and be_present:
        return _ONGOING  # "are holding talks"
    if tag == "VBN" and "being" in aux and be_present:
        return _ONGOING  # "talks are being held"
    if tag == "VBD" or (tag == "VBN" and any(a in ("has", "have", "had", "was", "were", "'ve") for a in aux)):
        return _OCCURRED
    if tag == "VBG" and any(a in ("was", "were") for a in aux):
        return _OCCURRED
    if tag in ("VBZ", "VBP"):
        return Unsettled.PRESENT
    if tag == "VBN" and be_present:
        return Unsettled.PRESENT  # "an agreement is signed"
    return Unsettled.UNKNOWN


def settle(
    grammar: Grammar, earlier: bool, time: EventTime | None, anchor: date | None, headline: bool = False
) -> EventStatus:
    """The status: the grammar's, weighed against the date. ``earlier``: the words mark an earlier
    event ("their previous meeting"). ``headline``: the trigger stands in a headline, whose
    present tense tells a finished act ("Modi meets Putin in Sochi")."""
    if earlier and grammar not in (_NEGATED, _HYPOTHETICAL):
        return EventStatus.REFERENCED  # "their previous meeting", "his previous visit to the city"
    if grammar in (_NEGATED, _HYPOTHETICAL, _PLANNED, _ONGOING):
        return EventStatus(grammar)
    span = value_range(time.value) if time else None
    if span and anchor:
        if span[0] > anchor and isinstance(grammar, Unsettled):
            return _PLANNED  # "the summit on May 21", in an April article
        days_before = (anchor - span[1]).days
        if days_before > 30:
            return EventStatus.REFERENCED  # "their previous meeting", "when they met in 2017"
    present = grammar is Unsettled.PRESENT
    if present and span and anchor and span[0] <= anchor <= span[1] and (span[1] - span[0]).days < 7:
        return _ONGOING  # "talks are under way today"; not "the summit is in 2018"
    if present and span is None and not headline:
        # an undated present in a story's body tells what holds as the text is written ("Russia
        # supplies the reactors", "the council insists"), not a finished act
        return _ONGOING
    return _OCCURRED
