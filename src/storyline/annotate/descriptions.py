"""A person named by what they are: "the Russian leader", "the Indian prime minister", "the actress".

News names a person once and then describes them. A definite description stands for a person of
the same document when the document itself has said that the person is one: by a title ("Prime
Minister Narendra Modi"), a word before the name ("actress Tara Reid", "US bank chief Ben
Bernanke"), an apposition ("Kaoru Yosano, the Japanese minister of fiscal policy"; "the French
president, Emmanuel Macron"), "as" ("named Hugh Jackman as the host") or "is" ("Mr Modi is the
first Indian prime minister to visit"). Whose leader Putin is, the document says, or leaves him
the only leader it has not placed elsewhere; where it places a person nowhere, the country other
documents introduce them with places them (``known``: :func:`known_countries` over a batch, and
what the store learnt from earlier ones), never against what the document says.

A description resolves only to one person: the only person first named before it whose roles
(read anywhere in the document) include the description's (any head of state or government for
"leader"; another office is another role: "former president", "opposition leader", "president of
the European Commission"), and, where it names a country, the only one of those the document
places in that country, else the only one it places nowhere once every other one is placed
elsewhere. Two candidates, or none, leave it
unresolved, and so do "the new prime minister" (which one?) and "the prime minister's spokesman"
(someone of the person's): a wrong person costs more than a missing one.
``storyline eval descriptions`` measures it against the human-participant chains of ECB+ and
MEANTIME (docs/evaluation.md).

The document also tells a person's sex, which a "he" or a "she" must agree with
(:attr:`Person.sex`): by an honorific or a title ("Mrs Reid", "Queen Elizabeth"), by a word that
describes them ("Tara Reid, the actress", "his wife, Emily McDonald"), else by the given name, where
the 1990 United States census found nine in ten or more of its bearers of one sex
(``data/first_names.tsv``, :data:`NAME_SEX_SHARE`). Words of both sexes, or a name of either, leave
it unknown.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Literal

from storyline.annotate.entities import TITLES
from storyline.annotate.event_lexicon import words
from storyline.model.annotations import EntityMention

__all__ = [
    "KNOWN_FROM", "LEADER_ROLES", "NAME_SEX_SHARE", "People", "Person", "Sex", "agreed_countries", "describe_people",
    "known_countries", "name_sex", "place_known", "resolve", "role_matches", "role_of",
]  # fmt: skip

#: Roles a "leader" (without more) may stand for: the heads of a state or a government.
LEADER_ROLES = frozenset(
    {
        "leader", "president", "prime minister", "chancellor", "king", "queen", "emir", "sultan", "monarch",
        "head of state", "head of government", "supreme leader", "taoiseach", "premier", "crown prince",
    }
)  # fmt: skip
#: Roles of more than one word, read as one ("the Indian prime minister" is a prime minister, not
#: a minister): the recogniser's titles and a few more a title before a name rarely carries.
_ROLES_OF_WORDS = frozenset(t for t in TITLES if " " in t) | frozenset(
    {
        "interior minister", "chief executive", "home secretary", "supreme leader", "head coach",
        "secretary general", "secretary-general", "head of state", "head of government",
    }
)  # fmt: skip
#: One role under two names.
_SAME_ROLE = {
    "premier": "prime minister",
    "pm": "prime minister",
    "p.m.": "prime minister",
    "vice-president": "vice president",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "ceo": "chief executive",
    "secretary-general": "secretary general",
}
#: Where the backward scan over the words before a name stops: a function word or a verb of
#: saying ("talks between India and President Putin", "India said Putin ...") puts what comes
#: before it in another phrase.
_STOP = words(
    "a an the and or but nor with without between by for to of in on at from as than into onto over under "
    "about after before since while when that which who whom whose this these those its his her their our "
    "said says say told tells tell met meets meet added adds asked asks called calls thanked thanks "
    "urged urges invited invites welcomed welcomes accompanied accompanying visited visits visiting "
    "is was are were be been being has have had will would could should may might must"
)
#: Words that make a role another office, kept with it: "former president" (Bill Clinton) is not
#: "president", "deputy prime minister" not "prime minister".
_OTHER_OFFICE = words(
    "former ex late deputy vice future next previous past outgoing incoming acting interim designate elect elected"
)
#: Words that leave open which holder a description means: "the new prime minister", "the first
#: president", "the other leader". A description with one is not resolved.
_VAGUE = words("new first second third last other then latest")
#: Honorifics are titles that describe no role. Unlike the recogniser's list
#: (``entities._HONORIFICS``), "pm" is a role here (prime minister), and so is "professor".
_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "prof."})
#: An auxiliary, a modal or "to" just before the words in front of a name: those words are a verb.
_VERB_BEFORE = re.compile(
    r"\b(?:to|will|would|shall|should|can|could|may|might|must|did|does|do|not|never)[ \t]+$", re.IGNORECASE
)
#: A description's article or demonstrative.
_DEFINITE = re.compile(r"(?:the|this|that)\s", re.IGNORECASE)
#: ... before a phrase that leaves it out (the event parser's phrases do).
_DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that)\s+$", re.IGNORECASE)
#: Words that end a describing phrase after its head ("the first Indian prime minister to visit
#: the region", "the actress, who ...").
_PHRASE_END_WORDS = "to|who|which|that|in|at|for|from|with|and|since|on|after|before"
#: Where what describes a name after it ends (an "of" phrase is read apart, :func:`_of_what`):
#: "the Japanese minister of fiscal policy", "the actress, who ...".
_FRAGMENT_END = re.compile(rf"[,;:.!?()\[\]\"“”]|\s(?:of|{_PHRASE_END_WORDS})\s", re.IGNORECASE)
#: Where an "of" phrase after a role ends: "the minister of fiscal policy, said", "the leader of
#: the opposition who".
_COMPLEMENT_END = re.compile(rf"[,;:.!?()\[\]\"“”]|\s(?:said|says|{_PHRASE_END_WORDS})\s", re.IGNORECASE)
_APPOSITION = re.compile(
    r"\s*,\s+(?:the|a|an)\s+|\s+as\s+(?!well\s+as\b|much\s+as\b|soon\s+as\b|long\s+as\b|far\s+as\b)"
    r"(?:the\s+|an?\s+)?(?=[a-z])"
)
_COPULA = re.compile(r"\s+(?:is|was|has\s+been|had\s+been|became|remains|remained)\s+(?:the|a|an)\s+")
_BEFORE_COMMA = re.compile(r"(?:^|[\s(])(?:the|a|an)\s+([^,;:.!?()\"“”\n]{1,60}?),\s*$", re.IGNORECASE)
#: A capitalised word that opens a sentence before a name: "Actress Tara Reid checked in ...".
_OPENING_WORD = re.compile(r"(?:^|\n|[.!?][\"'”’]?[ \t]+)([A-Z][a-z-]+)[ \t]+$")
#: "According to the newspaper's sources, Ross ...": a phrase before a comma that a preposition
#: governs is no apposition.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|of|in|on|at|for|from|by|with|about|after|before|under|over|into|since|during|despite|like)\s+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*")
#: An apposition before a name closes after it ("the French president, Emmanuel Macron, said").
_CLOSES = re.compile(r"\s*(?:[,.;:)]|$)")
#: How far from a name (characters) what describes it may stand: the windows read are 80 before
#: and 120 after it.
_NEAR = 200

Sex = Literal["female", "male"]
#: Words of a title or a role that tell a person's sex ("Mrs", "the actress", "his widow"). Words
#: that once told it and no longer do ("actor", "chairman" of a woman) are left out.
_SEX_WORDS: dict[str, Sex] = {
    **dict.fromkeys(
        words(
            "mr sir lord king prince duke emperor sultan spokesman congressman businessman "
            "man boy father son brother husband widower uncle nephew grandfather grandson boyfriend"
        ),
        "male",
    ),
    **dict.fromkeys(
        words(
            "mrs ms miss madam madame lady dame queen princess duchess empress spokeswoman congresswoman "
            "businesswoman chairwoman woman girl mother daughter sister wife widow aunt niece grandmother "
            "granddaughter girlfriend actress waitress"
        ),
        "female",
    ),
}
#: A given name tells its bearer's sex when at least this share of the 1990 US census's bearers of
#: it were of that sex (``data/first_names.tsv``). On ECB+ train's pronouns (``storyline eval
#: pronouns``, docs/evaluation.md) every value from 0.8 to 0.99 gives the same figures (0.7 one
#: wrong fewer of 32): the data cannot choose, so the value is the prior that a name borne by one
#: bearer in ten of the other sex says too little.
NAME_SEX_SHARE = 0.9


@functools.cache
def name_shares() -> dict[str, float]:
    """Given names (case as the census writes them, "Mary") -> the share of their bearers who are men."""
    table = files("storyline.annotate").joinpath("data/first_names.tsv").read_text(encoding="utf-8")
    out = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            name, share = line.split("\t")
            out[name] = float(share)
    return out


def name_sex(name: str) -> Sex | None:
    """The sex a full name's given name tells ("Tara Reid" -> female), or None: a single word, an
    initial, a name the table lacks or one borne by both sexes."""
    parts = name.split()
    if len(parts) < 2 or len(parts[0].rstrip(".")) < 2:
        return None
    share = name_shares().get(parts[0].capitalize())
    if share is None:
        return None
    return "male" if share >= NAME_SEX_SHARE else "female" if 1 - share >= NAME_SEX_SHARE else None


@dataclass
class Person:
    """What a document says one person is: roles and the countries it places them in, and the sex
    its titles, its describing words or the given name tell."""

    entity_id: str
    canonical: str
    first: int  # where the document first names the person
    roles: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    sex: Sex | None = None
    titles: set[str] = field(default_factory=set)
    """The titles and honorifics the document gives the person ("mrs", "queen"), lower case."""


People = dict[str, Person]


def _normal(role: str) -> str:
    role = role.casefold().strip(" .")
    return _SAME_ROLE.get(role, role)


def role_of(words: Sequence[str]) -> str | None:
    """The role a run of words ends in: "indian prime minister" -> "prime minister", "bank chief"
    -> "chief", "opposition leader" (not a head of state), "former president" (another office:
    the qualifier stays with the role)."""
    words = [w.strip(".'’").casefold() for w in words if w.strip(".'’")]
    if not words:
        return None
    last = words[-1]
    if not last.isalpha() and not re.fullmatch(r"[a-z]+(?:[.-][a-z]+)*\.?", last):
        return None
    role, before = _normal(last), words[:-1]
    for n in (3, 2):  # the longest role of several words the run ends in
        if len(words) >= n and (multi := " ".join(words[-n:])) in _ROLES_OF_WORDS:
            role, before = _normal(multi), words[:-n]
            break
    if role == "leader" and before and before[-1].isalpha() and before[-1] not in _OTHER_OFFICE | _VAGUE:
        role = f"{before[-1]} leader"  # "opposition leader", "rebel leader": no head of state
        before = before[:-1]
    qualifier = next((w for w in reversed(before) if w in _OTHER_OFFICE), None)
    return f"{qualifier} {role}" if qualifier else role


def _words_outside(text: str, start: int, end: int, spans: Sequence[EntityMention]) -> list[str]:
    """The words of ``text[start:end]`` outside the entity mentions there (demonyms, countries), a
    possessive's "'s" dropped."""
    pieces, at = [], start
    for e in spans:
        if e.end <= start or e.start >= end:
            continue
        pieces.append(text[at : max(at, e.start)])
        at = max(at, e.end)
    pieces.append(text[at:end])
    out = []
    for piece in pieces:
        for w in _WORD.findall(piece):
            w = re.sub(r"['’]s$", "", w)
            if w and w.casefold() not in ("the", "a", "an", "this", "that", "'s", "’s"):
                out.append(w)
    return out


def _countries(spans: Sequence[EntityMention], start: int, end: int) -> set[str]:
    return {e.country for e in spans if e.country and e.label in ("NORP", "GPE") and start <= e.start and e.end <= end}


def describe_people(entities: Sequence[EntityMention], text: str, known: Mapping[str, str] | None = None) -> People:
    """What the document says each person it names is. ``known``: the country other documents
    place a person in (entity id -> country), for those this document places nowhere."""
    ents = sorted(entities, key=lambda e: e.start)
    starts = [e.start for e in ents]
    people: People = {}
    for i, m in enumerate(ents):
        if m.label != "PERSON":
            continue
        p = people.setdefault(m.entity_id, Person(m.entity_id, m.canonical, m.start))
        if m.title:
            p.titles.add(m.title.casefold().strip(" ."))
        if m.title and m.title.casefold() not in _HONORIFICS and text[m.start : m.end].startswith(m.title):
            p.roles.add(_normal(m.title))  # the title inside the mention ("President Vladimir Putin")
        # only the mentions near the name can describe it: a long text costs no more per name
        _before(p, m, ents[bisect_left(starts, m.start - _NEAR) : i], text)
        _after(p, m, ents[i + 1 : bisect_right(starts, m.end + _NEAR)], text)
    for p in people.values():
        p.sex = _sex(p)
    if known:
        place_known(people, known)
    return people


def _told(p: Person) -> set[Sex]:
    """The sexes the titles and roles the document gives a person tell, by the head word of each
    ("queen mother" is a mother, "mother of the boy" too)."""
    heads = (phrase.split(" of ")[0].replace(".", " ").split()[-1:] for phrase in p.titles | p.roles)
    return {_SEX_WORDS[w] for head in heads for w in head if w in _SEX_WORDS}


def _sex(p: Person) -> Sex | None:
    """The sex the document's words tell, else the given name's; words of both sexes tell
    nothing, and the name does not settle it then."""
    told = _told(p)
    if told:
        return next(iter(told)) if len(told) == 1 else None
    return name_sex(p.canonical)


def place_known(people: People, known: Mapping[str, str]) -> None:
    """Place each person the document places nowhere in the country ``known`` gives (entity id ->
    country), as other documents do; what the document says stays."""
    for p in people.values():
        if not p.countries and known.get(p.entity_id):
            p.countries.add(known[p.entity_id])


#: Documents that must place a person in one country before others are read with it: one
#: misread line ("In Pakistan Prime Minister Narendra Modi is disliked") places no one.
KNOWN_FROM = 2


def known_countries(documents: Sequence[tuple[Sequence[EntityMention], str]]) -> dict[str, str]:
    """The country each person is placed in by these documents (entity id -> country): where
    :data:`KNOWN_FROM` documents or more place them there, and more than twice as many as in any
    other country."""
    return agreed_countries([describe_people(entities, text) for entities, text in documents])


def agreed_countries(described: Iterable[People]) -> dict[str, str]:
    """:func:`known_countries` of documents already described (one :data:`People` each)."""
    counts: dict[str, Counter[str]] = {}
    for people in described:
        for p in people.values():
            if len(p.countries) == 1:
                counts.setdefault(p.entity_id, Counter())[next(iter(p.countries))] += 1
    out = {}
    for person, c in counts.items():
        (first, n), *rest = c.most_common(2)
        if n >= KNOWN_FROM and (not rest or n > 2 * rest[0][1]):
            out[person] = first
    return out


def _before(p: Person, m: EntityMention, earlier: Sequence[EntityMention], text: str) -> None:
    """ "Russian President Vladimir Putin", "US bank chief Ben Bernanke", "the French president,
    Emmanuel Macron, said"."""
    at = m.start
    window = text[max(0, at - 80) : at]
    comma = _BEFORE_COMMA.search(window)
    if comma and (_PREPOSITION_BEFORE.search(window[: comma.start() + 1]) or not _CLOSES.match(text, m.end)):
        # "According to the newspaper's sources, Ross ...", "After meeting the Indian prime
        # minister, Vladimir Putin flew home": a phrase of its own, no apposition closed after the name
        comma = None
    if comma:
        start = at - len(window) + comma.start(1)
        end = at - len(window) + comma.end(1)
        articles = list(re.finditer(r"(?<!\bof )\b(?:the|a|an)\s+", text[start:end], re.IGNORECASE))
        if articles:  # "the summit between India and the Russian president, ..."
            start += articles[-1].end()
        of = re.search(r"[ \t]of[ \t]", text[start:end])
        head_end = start + of.start() if of else end
        _described_as(p, text, start, head_end, earlier)  # "the president of Russia, Vladimir Putin"
        return
    # back over the title, then at most two lower-case words, then a country adjacent
    pos = at
    title = None
    if m.title:
        title = re.search(re.escape(m.title) + r"[ \t]+$", text[max(0, pos - 40) : pos], re.IGNORECASE)
        if title:
            pos -= len(title.group(0))
    lower: list[str] = []
    for _ in range(2):
        window = text[max(0, pos - 30) : pos]
        w = re.search(r"(?:^|[ \t])([a-z][a-z-]*)[ \t]+$", window) or _OPENING_WORD.search(window)
        if not w or w.group(1).casefold() in _STOP:
            break
        at = pos - len(window) + w.start(1)
        if any(e.start <= at < e.end for e in earlier):
            break  # "Russian President Vladimir Putin" opening a sentence: a country, read below
        lower.insert(0, w.group(1).casefold())
        pos = pos - len(window) + w.start(1)
    if lower and _VERB_BEFORE.search(text, max(0, pos - 12), pos):
        lower = []  # "India will host Vladimir Putin", "to coach Ronaldo": a verb, not what he is
    if title is not None and m.title and m.title.casefold() not in _HONORIFICS:
        # "Former President Bill Clinton" held another's office; "President Vladimir Putin" holds it
        role = role_of([*lower, *m.title.split()])
        if role:
            p.roles.add(role)
    elif lower:
        role = role_of(lower)
        if role:
            p.roles.add(role)
    adjacent = next((e for e in reversed(earlier) if e.end <= pos), None)
    if (
        adjacent is not None
        and adjacent.country
        and adjacent.label in ("NORP", "GPE")
        and re.fullmatch(r"(?:['’]s?)?[ \t]+", text[adjacent.end : pos])
        and not (title is not None and lower)  # "Russia's ally President Bashar al-Assad": not Russia's
        and not re.search(r"\bto[ \t]+$", text[max(0, adjacent.start - 4) : adjacent.start], re.IGNORECASE)
        # "Ambassador to India Nikolay Kudashev" is posted there
    ):
        p.countries.add(adjacent.country)


def _after(p: Person, m: EntityMention, later: Sequence[EntityMention], text: str) -> None:
    """ "Kaoru Yosano, the Japanese minister of fiscal policy", "Mr Modi is the first Indian prime
    minister to visit", "President Putin of Russia"."""
    rest = text[m.end : m.end + 120]
    of = re.match(r"\s+of\s+", rest)
    if of:
        nxt = next((e for e in later if e.start >= m.end), None)
        if nxt is not None and nxt.start == m.end + of.end() and nxt.country and nxt.label == "GPE":
            p.countries.add(nxt.country)
        return
    lead = _APPOSITION.match(rest) or _COPULA.match(rest)
    if not lead:
        return
    start = m.end + lead.end()
    stop = _FRAGMENT_END.search(text, start, start + 80)
    end = stop.start() if stop else min(len(text), start + 80)
    _described_as(p, text, start, end, later)  # "Kaoru Yosano, the minister of fiscal policy"


def _described_as(p: Person, text: str, start: int, end: int, entities: Sequence[EntityMention]) -> None:
    """What a describing phrase ``text[start:end]`` (up to its head word) says of the person: the
    role it ends in, a country beside it, and an "of" phrase after it: a country ("the president
    of Russia") or more of the role ("the president of the European Commission")."""
    words = _words_outside(text, start, end, entities)
    role = role_of(words)
    if not role or not words[-1][:1].islower():
        return
    p.roles.add(role)
    p.countries |= _countries(entities, start, end)
    country, what = _of_what(text, end, entities)
    if country:
        p.countries.add(country)
    elif what:
        p.roles.add(f"{role} of {what}")


def _of_what(text: str, at: int, entities: Sequence[EntityMention]) -> tuple[str | None, str | None]:
    """What an "of" phrase at ``at`` adds to a role: a country ("the president of Russia": its
    country) or the words of what else ("the minister of fiscal policy": "fiscal policy"), up to
    the phrase's end; (None, None) where no "of" phrase starts."""
    of = re.match(r"[ \t]+of[ \t]+(?:the[ \t]+)?", text[at : at + 12])
    if not of:
        return None, None
    start = at + of.end()
    place = next((e for e in entities if e.start == start), None)
    if place is not None and place.country and place.label == "GPE":
        return place.country, None
    stop = _COMPLEMENT_END.search(text, start, start + 60)
    end = stop.start() if stop else min(len(text), start + 60)
    complement = [w.casefold() for w in _WORD.findall(text[start:end]) if w.casefold() not in ("the", "a", "an")]
    return None, " ".join(complement) or None


def role_matches(wanted: str, roles: set[str]) -> bool:
    """Whether a person of these roles is a ``wanted`` (any head of state or government is a "leader")."""
    return wanted in roles or (wanted == "leader" and bool(roles & LEADER_ROLES))


def resolve(start: int, head_end: int, text: str, entities: Sequence[EntityMention], people: People) -> Person | None:
    """The person a definite description ``text[start:head_end]`` (up to its head word, its
    article inside or just before) stands for, or None: "the Russian leader", "the Indian prime
    minister", "Russia's president", "the president of Russia"."""
    phrase = text[start:head_end]
    inside = [e for e in entities if start <= e.start and e.end <= head_end]
    if any(e.label == "PERSON" for e in inside):
        return None
    definite = _DEFINITE.match(phrase) or _DEFINITE_BEFORE.search(text, max(0, start - 6), start)
    possessive = next(
        (e for e in inside if e.start == start and e.label == "GPE" and re.match(r"['’]s?\s", text[e.end : e.end + 3])),
        None,
    )
    if not definite and possessive is None:
        return None
    if re.search(r"\w['’]s?\s", text[possessive.end if possessive else start : head_end]):
        return None  # "the Indian prime minister's spokesman" is someone of the prime minister's
    words = _words_outside(text, start, head_end, inside)
    if not words or not words[-1][:1].islower():
        return None
    wanted = role_of(words)
    if wanted is None or any(w.casefold() in _VAGUE for w in words[:-1]):
        return None  # "the new prime minister", "the other leader": which one, the words leave open
    countries = _countries(inside, start, head_end)
    country, what = _of_what(text, head_end, entities)
    if country:
        countries.add(country)  # "the president of Russia"
    elif what:
        wanted = f"{wanted} of {what}"  # "the leader of the opposition" is no head of state
    candidates = [p for p in people.values() if p.first < start and role_matches(wanted, p.roles)]
    if countries:
        placed = [p for p in candidates if p.countries & countries]
        elsewhere = [p for p in candidates if p.countries and not p.countries & countries]
        # a person the story places nowhere fits only once every other one is placed elsewhere:
        # Modi is the Indian prime minister, so "the Russian leader" is Putin
        candidates = placed or ([p for p in candidates if not p.countries] if elsewhere else [])
    return candidates[0] if len(candidates) == 1 else None
