"""Places found by their names, for the languages no recogniser reads (German, Polish, Turkish,
Arabic: :func:`storyline.annotate.entities.place_names_model`): the countries, the cities the CLDR
names in the language and the big places a text names, as spans for the entity stage to label as
places. Measured on the NER dev files by ``benchmarks/places_languages.py`` (docs/languages.md).
"""

from __future__ import annotations

import difflib
import functools
import importlib
import re

from storyline.annotate.countries import country_table, translated_key
from storyline.annotate.gazetteer import BIG_CITY_PRIORITY, RENAMED_PLACE_PRIORITY, Candidate, Gazetteer, name_key

__all__ = ["PLACE_SPELLING_SIMILARITY", "find_place_names"]

#: How alike (difflib's ratio of the two names, case-folded) another name of a city must be to its
#: own name to be taken, in a language without a recogniser, for that city spelt the language's way
#: ("sotschi" and "sochi" 0.83, "moskau" and "moscow" 0.67; "namen" and "namur" 0.60, "löwen" and
#: "leuven" 0.55). Chosen on GermEval 2014's German dev file (docs/languages.md).
PLACE_SPELLING_SIMILARITY = 0.75
#: The kinds of place, beside cities of :data:`RENAMED_PLACE_PRIORITY`, that a language without a
#: recogniser has found by name (:func:`find_place_names`).
_REGION_KINDS = frozenset({"country", "state", "region", "continent", "sea", "ocean"})
#: A word, hyphens inside it ("Ulan-Ude", "Chanty-Mansyjsk"), for the place names of such a language.
_PLACE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: The articles (and the articles joined to a preposition) of a language that writes its nouns with a
#: capital: a capitalised word after one is a noun ("das Essen", "in der Mitte"), not a city.
_GERMAN_ARTICLES = frozenset({
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "zum", "zur",
    "im", "am", "vom", "beim", "ins",
})  # fmt: skip
_ARTICLES_BEFORE = {"de": _GERMAN_ARTICLES}
#: One-letter Arabic prefixes before a name: and, so, in/with, for, like.
_ARABIC_PREFIXES = frozenset("وفبلك")


def _beside_a_name(text: str, at: int, end: int) -> bool:
    """Whether the word at ``text[at:end]`` stands in a person's name: a capitalised word follows it
    on the line ("Wladimir Putin"), or a given name comes right before it ("Rosa Luxemburg")."""
    if end + 1 < len(text) and text[end] == " " and text[end + 1].isupper():
        return True
    return _after_a_given_name(text, at)


def _after_a_given_name(text: str, at: int) -> bool:
    """Whether a capitalised given name comes right before ``at`` ("Rosa Luxemburg")."""
    before = _PLACE_WORD.findall(text[max(0, at - 30) : at])
    return bool(before) and text[at - 1 : at] == " " and before[-1][:1].isupper() and _given_name(before[-1])


def _after_article(text: str, at: int, language: str) -> bool:
    """Whether an article of ``language`` (:data:`_ARTICLES_BEFORE`) comes right before ``at``."""
    articles = _ARTICLES_BEFORE.get(language)
    if not articles or text[at - 1 : at] != " ":
        return False
    before = _PLACE_WORD.findall(text[max(0, at - 12) : at])
    return bool(before) and before[-1].casefold() in articles


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens a sentence or a line (capitalised whatever it is)."""
    before = text[max(0, at - 3) : at].rstrip(" \t\"'«„“(")
    return not before or before[-1] in ".!?:\n"


@functools.cache
def _stop_words(language: str) -> frozenset[str]:
    try:
        return frozenset(importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
    except (ImportError, AttributeError):
        return frozenset()


def _given_name(word: str) -> bool:
    """Whether ``word`` is a given name (the census names of :mod:`storyline.annotate.descriptions`)
    of three letters or more (the census lists "In", "An" and "Le" too)."""
    from storyline.annotate.descriptions import name_shares

    return len(word) >= 3 and word.capitalize() in name_shares()


def find_place_names(text: str, language: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Where ``text`` names a country (by its name in ``language`` or in English), a city by
    the name the CLDR gives it in ``language`` ("Wien", "Warschau"), or a place by its own name
    in the place index: a state, a region or a sea, a city of a million people, or one of
    100,000 in a country where ``language`` is official (Karlsruhe in German, Manisa in
    Turkish; not Corona, California). A one-word own name is passed over where it opens a
    sentence or is one of the language's function words ("Dabei"), and a given name, or a word
    another capitalised word follows, stands for a city only of a million people ("Paris", not
    "George" nor the "Wladimir" of "Wladimir Putin").
    Names are runs of up to four words, longest first, that open and end with a capital (in a
    script without capitals, any words, also after a one-letter Arabic prefix: "وروسيا", "and
    Russia"), with nothing but single spaces between them; a Turkish suffix after an
    apostrophe stays out ("Türkiye'de"). What a language without a recogniser gets."""
    words = [(m.start(), m.end()) for m in _PLACE_WORD.finditer(text)]
    runs = [  # each run of one to four words, longest first at each word
        [(words[i][0], words[i + n - 1][1]) for n in range(min(4, len(words) - i), 0, -1)
         if all(text[words[k][1] : words[k + 1][0]] == " " for k in range(i, i + n - 1))]
        for i in range(len(words))
    ]  # fmt: skip
    table = country_table()
    named = frozenset(
        table.code_of[country]
        for spans in runs
        for start, end in spans
        if (country := table.country(text[start:end], language)) in table.code_of
    )
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for n, (start, end) in zip(range(len(runs[i]), 0, -1), runs[i], strict=True):
            found = _named_place(gazetteer, text, start, end, language, named)
            if found is not None:
                out.append(found)
                i += n
                break
        else:
            i += 1
    return out


def _named_place(
    gazetteer: Gazetteer, text: str, start: int, end: int, language: str, named: frozenset[str]
) -> tuple[int, int] | None:
    """The span of the place ``text[start:end]`` names, if it names one (:meth:`place_names`;
    ``named``: the ISO codes of the countries the text names)."""
    name = text[start:end]
    cased = name[:1].isupper() and name.split()[-1][:1].isupper()
    tries = [(start, name)] if cased else []
    if not name[:1].isupper() and not name[:1].islower():  # a script without capitals
        tries = [(start, name)]
        if name[:1] in _ARABIC_PREFIXES and len(name) > 3:
            tries.append((start + 1, name[1:]))
    table = country_table()
    near = table.home.get(language, frozenset()) | named
    for at, words in tries:
        one_word = " " not in words
        key = name_key(words)
        # in a script without capitals nothing tells a name from a word: only big places by name
        person = one_word and (not cased or _given_name(words) or _beside_a_name(text, at, end))
        if table.country(words, language):
            # a country's name after a given name is a person's ("Rosa Luxemburg"), and so is an
            # English country's name that the language does not use and that is a given name
            # ("Jordan", "Chad" in German, which writes Jordanien and Tschad; not "Israel")
            own = table.translated.get(language, {}).get(translated_key(words)) is not None
            if one_word and (_after_a_given_name(text, at) or (not own and _given_name(words))):
                continue
            return at, end  # "Deutschland", "Türkiye", "مصر"
        if one_word and ((cased and _opens_sentence(text, at)) or words.casefold() in _stop_words(language)):
            continue  # "Dabei", "Po": a word, though one of a city's other names
        found = gazetteer.candidates(words, language)
        first = max(found, key=lambda c: c.priority, default=None)
        if first is None or (person and first.priority < BIG_CITY_PRIORITY):
            continue  # a given name, or a word beside another name, is a person's ("Wladimir Putin")
        if one_word and first.priority < BIG_CITY_PRIORITY and _after_article(text, at, language):
            continue  # "das Essen", "in der Mitte": a noun, though a city's name; not "das Berlin von heute"
        if key in gazetteer.exonyms.get(language, {}):
            return at, end  # "Wien", "Warschau": the CLDR's names in the language
        if name_key(first.name) != key:
            # another name: only a city's spelt the language's way, near the text's countries
            big = first.priority >= BIG_CITY_PRIORITY
            if _spelling_of_place(key, first) and (big or first.country in near):
                return at, end  # "Sotschi" beside "Russland"; not "Korona" for Corona, California
            continue
        if first.priority >= BIG_CITY_PRIORITY or first.kind in _REGION_KINDS:
            return at, end
        if first.kind == "city" and first.country in near and first.priority >= RENAMED_PLACE_PRIORITY:
            return at, end  # a city of 100,000 where the language is spoken, or in a country named
    return None


def _spelling_of_place(key: str, place: Candidate) -> bool:
    """Whether another name of ``place`` (its :func:`name_key`) is a spelling of its own name in
    another language: five letters or more, for a city of 100,000 people or more, and spelt
    alike (:data:`PLACE_SPELLING_SIMILARITY`): "Sotschi" for Sochi, not "Kanton" for
    Guangzhou or "Adalet" (justice, in Turkish) for Adelaide."""
    if len(key) < 5 or place.kind != "city" or place.priority < RENAMED_PLACE_PRIORITY:
        return False
    return difflib.SequenceMatcher(None, key, name_key(place.name)).ratio() >= PLACE_SPELLING_SIMILARITY
