"""Named entities: spaCy's recogniser, repaired for news, then canonicalised.

Within a document, "Prime Minister Narendra Modi", "Mr Modi", "PM Modi" and "Modi" are one
person: mentions cluster on the surname, the fullest name is the canonical one, and titles
("Prime Minister") are kept as attributes. Across the documents of a batch, a rare spelling
one letter away from a frequent name with the same first name or title ("Narendra Mode", four
times in one article) is resolved to it, while an unrelated person who happens to share the
misspelt surname keeps their own entity. Every country's names and demonyms join it, and
capitals are linked to their country ("Indian", "Russian Federation", "New Delhi" -> India,
Russia, India; see :mod:`storyline.annotate.countries`).

Before the model reads a text, lines in headline casing are put in sentence case (the model
takes "Arrives In Sochi For" for a facility); after it, spans that swallowed a neighbouring name
are cut in two, and names the article gives are found again in its headlines.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.annotate.countries import country_table
from storyline.annotate.gazetteer import Gazetteer
from storyline.annotate.spacy_model import MODEL_PACKAGE
from storyline.annotate.spacy_model import load as load_model
from storyline.model.annotations import EntityMention, entity_kind

NAME = "storyline.entities.spacy.v2"
LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})
#: The model's components the recogniser does not need.
_NOT_FOR_NER = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")

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


def _full_name_words(mentions: list[_Raw]) -> set[str]:
    """The words of the multi-word person names among ``mentions`` (case-folded): "Modi" of
    "Narendra Modi", and "Kim" of "Kim Jong Un", whose surname comes first."""
    return {
        word.casefold()
        for m in mentions
        if m.label == "PERSON" and " " in m.text
        for word in _strip_title(m.text)[0].split()
    }


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


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
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


def split_swallowed(mentions: list[_Raw]) -> list[_Raw]:
    """Split spans that swallowed a neighbouring name: "Britain European Union", "France Germany",
    "Trump Kim". A span is cut in two only when each side is, on its own, a name this document
    (or the country table) knows, and two sides of a person's name belong to different people;
    "Donald Trump" stays whole because both its words are one person's, and "Russian Far East"
    because a nationality word in front qualifies what follows."""
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
                # a nationality before a name qualifies it ("Russian Far East"): never a cut
                if left and right and not left[1] & right[1] and left[0] != "NORP":
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


def _strip_title(name: str) -> tuple[str, str | None]:
    """ "President Vladimir Putin" -> ("Vladimir Putin", "President")."""
    words = name.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        head = " ".join(words[:n])
        if head.casefold() in _TITLES:
            return " ".join(words[n:]), head
    return name, None


class EntityRecognizer:
    """Finds and canonicalises entities. Loads spaCy (tokeniser and NER only) on first use; build one per process."""

    name = NAME

    #: Languages the model reads. Other texts get no entities, and the caller is told so.
    languages = frozenset({"en"})

    def __init__(self, model: str = MODEL_PACKAGE, batch_size: int = 16, gazetteer: Gazetteer | None = None) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Any = None
        self._gazetteer = gazetteer
        self._headline_names: frozenset[str] | None = None

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

    def reads(self, language: str | None) -> bool:
        """Whether this recogniser can annotate text in ``language`` (None: unknown, tried as English)."""
        return language is None or language in self.languages

    def _load(self) -> Any:
        if self._nlp is None:
            # the model's NER carries its own embedding layer; the shared "tok2vec" feeds only the
            # tagger and parser, so it goes too (same entities, about 1.6 times as fast)
            self._nlp = load_model(self.model, _NOT_FOR_NER)
        return self._nlp

    def recognise(self, texts: Sequence[str], known: Mapping[str, int] | None = None) -> list[list[EntityMention]]:
        """Entity mentions of each text, canonicalised within each text and across the batch.

        ``known`` maps people already known (canonical names, e.g. from the store) to the number
        of documents naming them, so that a new batch resolves spellings against them too."""
        return self.canonicalise(texts, self.extract(texts), known)

    def readable(self, texts: Sequence[str]) -> list[str]:
        """The texts as the models should read them: headline lines in sentence case (same length)."""
        return [recase_headlines(t, self.headline_names) for t in texts]

    def extract(self, texts: Sequence[str], readable: Sequence[str] | None = None) -> list[list[_Raw]]:
        """The recogniser's repaired mentions of each text, not yet canonicalised. This is the
        costly part; it can run in worker processes, while canonicalisation sees the whole batch.
        ``readable`` is :meth:`readable` of the texts, when the caller has it already."""
        nlp = self._load()
        raws: list[list[_Raw]] = []
        readable = readable if readable is not None else self.readable(texts)
        for text, doc in zip(texts, nlp.pipe(readable, batch_size=self.batch_size), strict=True):
            mentions = []
            for ent in doc.ents:
                if ent.label_ not in LABELS:
                    continue
                fixed = _clean_span(text, ent.start_char, ent.end_char)
                if fixed is not None:
                    mentions.append(_Raw(fixed[0], fixed[1], text[fixed[0] : fixed[1]], ent.label_))
            mentions = split_swallowed(mentions)
            raws.append(propagate_to_headlines(text, mentions))
        self.relabel_cities(raws)  # here, so that what reads these spans (the event parse) sees "Sochi" as a place
        return raws

    # -- canonicalisation ------------------------------------------------------------------
    def canonicalise(
        self, texts: Sequence[str], raws: list[list[_Raw]], known: Mapping[str, int] | None = None
    ) -> list[list[EntityMention]]:
        self._relabel_by_vote(raws)
        self.relabel_cities(raws)
        people_per_doc = [self._people(text, mentions) for text, mentions in zip(texts, raws, strict=True)]
        resolved = self._resolve_people([p for doc in people_per_doc for p in doc], known or {})
        countries = country_table()
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
                country = countries.country(m.text) if label in ("GPE", "NORP", "LOC") else None
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
                        country=country or (countries.capital_of.get(key) if label in ("GPE", "LOC") else None),
                    )
                )
            out.append(doc_out)
        return out

    @staticmethod
    def _relabel_by_vote(raws: list[list[_Raw]]) -> None:
        """A one-word name the model calls a person here and a place (or organisation) more often
        elsewhere in the batch is relabelled ("Vladivostok", "Goa"), unless its document also
        gives it as part of a fuller name."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for mentions in raws:
            for m in mentions:
                votes[m.text.casefold()][m.label] += 1
        for mentions in raws:
            name_words = _full_name_words(mentions)
            for m in mentions:
                key = m.text.casefold()
                if m.label != "PERSON" or " " in m.text or key in name_words:
                    continue
                label, count = votes[key].most_common(1)[0]
                if label != "PERSON" and count > votes[key]["PERSON"]:
                    m.label = label

    def relabel_cities(self, raws: list[list[_Raw]]) -> None:
        """A one-word "person" that is a known city, and no part of a fuller name in its document,
        is the city ("Vladivostok")."""
        for mentions in raws:
            name_words = _full_name_words(mentions)
            for m in mentions:
                key = m.text.casefold()
                if m.label == "PERSON" and " " not in m.text and key not in name_words and self.gazetteer.is_city(key):
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
