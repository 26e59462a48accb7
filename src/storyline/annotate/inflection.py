"""Word forms of names in other languages, for looking them up whatever their grammatical case:
Russian names without their case endings (:func:`case_free`) or in each of their case forms
(:func:`russian_forms`), and Polish names of countries in theirs (:func:`polish_forms`). Used by
the country table (:mod:`storyline.annotate.countries`) and the place index
(:mod:`storyline.annotate.gazetteer`).
"""

from __future__ import annotations

import re

#: A letter of the Cyrillic script.
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: Russian case endings of nouns and adjectives that end in a consonant, longest first: what
#: :func:`case_free` cuts before the vowels.
_RU_CASE_ENDINGS = (
    "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ом", "ем", "ам", "ям", "ах", "ях", "ых", "их", "ым",
    "им", "ой", "ей", "ий", "ый",
)  # fmt: skip
_RU_FINALS = "аяоеуюыиьй"
#: The case forms of a noun in "-ия" ("Россия", "России", "Россию", "Россией"), which keep their
#: "ия" in the key so that "Александрия" is not the name "Александр".
_RU_IA = re.compile(r"и(?:я|и|ю|ей|ею)$")


def case_free(name: str) -> str:
    """A Cyrillic name as its grammatical cases share it: case-folded, "ё" as "е", each word without
    its case ending and final vowels, keeping at least three letters ("Южной Корее", "Южная
    Корея" -> "южн кор"; "Китаем", "Китай" -> "кит"; "США" stays); a noun in "-ия" keeps it
    ("России", "Россией", "Россия" -> "россия"). A name in another script comes back
    case-folded, its spaces made single."""
    words = name.casefold().split()
    if not CYRILLIC.search(name):
        return " ".join(words)
    out = []
    for word in words:
        word = word.replace("ё", "е")
        ia = _RU_IA.search(word)
        if ia is not None and ia.start() >= 3:
            out.append(word[: ia.start()] + "ия")
            continue
        for ending in _RU_CASE_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        while len(word) > 3 and word[-1] in _RU_FINALS:
            word = word[:-1]
        out.append(word)
    return " ".join(out)


def russian_forms(word: str) -> set[str]:
    """A Russian noun's case forms, case-folded, by its ending (singular, as a country's name is):
    "Китай" -> китай, китая, китаю, китае, китаем; "Куба" -> кубы, кубе, кубу, кубой, ...; "Чад"
    -> чада, чаду, чаде, чадом; "Нидерланды" -> нидерландов, нидерландах, ...; a name ending in
    another vowel, or written in capitals, does not decline ("Перу", "Мали", "США")."""
    w = word.casefold().replace("ё", "е")
    if word.isupper() or len(w) < 2:
        return {w}
    stem, last = w[:-1], w[-1]
    endings = {
        "а": ("а", "ы", "и", "е", "у", "ой", "ою"),
        "я": ("я", "и", "е", "ю", "ей", "ею"),
        "й": ("й", "я", "ю", "е", "ем"),
        "ь": ("ь", "и", "ью", "я", "ю", "е", "ем"),
        "ы": ("ы", "", "ов", "ам", "ами", "ах"),  # a plural name: "Нидерланды", "Филиппин", "Нидерландах"
    }
    if last in endings:
        return {stem + ending for ending in endings[last]}
    if last in "оеиуыэю":
        return {w}
    forms = {w, w + "а", w + "у", w + "е", w + "ом"}
    if len(w) > 4 and w[-2] in "ео":  # a vowel that drops out: "Египет" -> египта, египте
        forms |= {w[:-2] + last + ending for ending in ("а", "у", "е", "ом")}
    return forms


#: The Polish locative's consonant changes before "-e"/"-ie" ("Kanada" -> "Kanadzie", "Egipt" ->
#: "Egipcie", "Katar" -> "Katarze", "Łotwa" -> "Łotwie"), longest first.
_PL_LOCATIVE = (("st", "ście"), ("d", "dzie"), ("t", "cie"), ("r", "rze"), ("ł", "le"), ("k", "ce"), ("g", "dze"))


def _polish_word_forms(word: str) -> set[str]:
    """A Polish word of a country's name in its cases (case-folded), as a noun and, where it could
    be one, as an adjective: "Rosja" -> rosji, rosję, rosją; "Polska" -> polski, polsce, polskę;
    "Ukraina" -> ukrainy, ukrainie, ukrainę; "Iran" -> iranu, iranie, iranem; "Chiny" -> chin,
    chinach; "Niemcy" -> niemczech; "Wielka" -> wielkiej; "Zjednoczone" -> zjednoczonych. Regular
    patterns only: the irregular genitives ("Niemiec", "Węgier") are not made."""
    w = word.casefold()
    out = {w}
    if len(w) < 3:
        return out
    stem = w[:-1]
    if w.endswith(("ja", "ia", "ea")):  # Rosja, Hiszpania, Korea
        return out | {stem + "i", stem + "ę", stem + "ą"}
    if w.endswith(("ka", "ga")):  # Polska, Ameryka; Wielka (an adjective)
        loc = stem[:-1] + ("ce" if w.endswith("ka") else "dze")
        return out | {stem + "i", loc, stem + "ę", stem + "ą", stem + "iej"}
    if w.endswith("a"):  # Ukraina, Kanada, Łotwa; Południowa, Saudyjska (adjectives)
        loc = next((stem[: -len(c)] + e for c, e in _PL_LOCATIVE if stem.endswith(c)), stem + "ie")
        return out | {stem + "y", stem + "i", loc, stem + "ę", stem + "ą", stem + "ej"}
    if w.endswith("ie"):  # Indie
        return out | {w[:-2] + "ii", w[:-2] + "iach", w[:-2] + "iom"}
    if w.endswith("e"):  # Zjednoczone (a plural adjective)
        return out | {stem + "ych", stem + "ym", stem + "ymi"}
    if w.endswith("y"):  # Chiny, Czechy, Włochy, Stany (plural nouns)
        plural = {stem, stem + "ach", stem + "om", stem + "ami", stem + "ów"}
        if stem.endswith("ch"):  # Włochy -> Włoszech
            plural.add(stem[:-2] + "szech")
        elif stem.endswith(("c", "r")):  # Niemcy -> Niemczech, Węgry -> Węgrzech
            plural.add(stem + "zech")
        return out | plural
    if w[-1] in "śńźć":  # Białoruś
        return out | {stem + {"ś": "si", "ń": "ni", "ź": "zi", "ć": "ci"}[w[-1]] + suffix for suffix in ("", "ą")}
    # a consonant: Iran, Irak, Egipt, Izrael
    velar = w.endswith(("k", "g", "ch"))
    loc = (
        w + "u"
        if velar or w.endswith(("l", "j"))
        else next((w[: -len(c)] + e for c, e in _PL_LOCATIVE if w.endswith(c)), w + "ie")
    )
    return out | {w + "u", w + "a", loc, w + ("iem" if velar else "em"), w + "owi"}


def polish_forms(name: str) -> set[str]:
    """A Polish country's name in its cases, word by word ("Wielka Brytania" -> "wielkiej brytanii",
    ...; "Stany Zjednoczone" -> "stanach zjednoczonych", ...): every combination of its words'
    forms, a few of them no Polish, which no text writes."""
    forms = [""]
    for word in name.split():
        forms = [f"{done} {form}".strip() for done in forms for form in _polish_word_forms(word)]
    return set(forms)
