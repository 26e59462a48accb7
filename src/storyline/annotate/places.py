"""Places: geocode place mentions (GPE, LOC, FAC) to a named place with country, coordinates and kind,
using the shared name index (:mod:`storyline.annotate.gazetteer`).

Ambiguous names are settled by the document: a candidate in a country the document's other places
point to is preferred (Paris, France in an article about the French cabinet; Paris, Texas beside
Dallas), then the larger place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storyline.annotate.gazetteer import Candidate, Gazetteer, name_key
from storyline.model.annotations import AREA_PLACES, EntityMention, PlaceMention

__all__ = ["CONTEXT_BONUS", "NAME", "OWN_NAME_BONUS", "Gazetteer", "Geocoder"]

NAME = "storyline.places.v3"
#: How much a place called by its own name is preferred to one that merely has the name among its
#: alternates ("New Delhi" is the city of New Delhi, though Delhi, larger, also answers to it).
OWN_NAME_BONUS = 2.5
#: How much a candidate in one of the document's countries is preferred (in priority units, a
#: factor of 10,000 in population: Paris, Texas beside Dallas beats Paris, France).
CONTEXT_BONUS = 4.0


#: What makes a country's name or demonym its capital: "the Russian capital", "Kenya's capital";
#: not "capital-intensive", and not before the capital's own name ("the Congolese capital
#: Brazzaville", "the Dutch capital, Amsterdam": the name says which).
_CAPITAL = re.compile(r"((?:'s|’s)?\s+capital)(?![-\w])(?!,?\s+[A-Z])(?:\s+([a-z]+))?")
_THE = re.compile(r"\b[Tt]he\s+$")
#: Words after "capital" that make it money, a compound or a penalty ("Russian capital flight",
#: "the Indian capital market", "Chinese capital inflows"), not a city.
_NOT_A_CITY = frozenset(
    re.findall(
        r"\w+",
        "flight flights market markets inflow inflows outflow outflows flow flows gain gains spending expenditure "
        "expenditures investment investments control controls account accounts base goods adequacy requirement "
        "requirements ratio ratios structure formation stock stocks reserve reserves injection injections "
        "increase increases raising punishment allocation allocations cost costs budget budgets fund funds "
        "expansion projects project",
    )
)


def _prior(c: Candidate, key: str) -> float:
    """A candidate's preference before context: its priority, more when it is called by its own
    name (``key``, :func:`name_key`)."""
    return c.priority + (OWN_NAME_BONUS if name_key(c.name) == key else 0.0)


class Geocoder:
    """Resolves a document's place mentions, using its other places as context."""

    name = NAME

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def geocode(self, mentions: Sequence[EntityMention], text: str | None = None) -> list[PlaceMention]:
        """The document's places: its place mentions geocoded, and, given its ``text``, the
        capitals it names by their country ("the Russian capital", "Kenya's capital")."""
        out = self._named(mentions)
        if text is not None:
            out = sorted(out + self._capitals(mentions, text), key=lambda p: p.start)
        return out

    def _capitals(self, mentions: Sequence[EntityMention], text: str) -> list[PlaceMention]:
        from storyline.annotate.countries import country_table

        table = country_table()
        out = []
        for m in mentions:
            if m.label not in ("NORP", "GPE") or not m.country:
                continue
            follows = _CAPITAL.match(text, m.end)
            if follows is None or follows.group(2) in _NOT_A_CITY:
                continue  # "Russian capital flight" is money
            possessive = follows.group(1).startswith(("'s", "’s"))
            if not (possessive and m.label == "GPE") and not _THE.search(text, max(0, m.start - 4), m.start):
                continue  # "the Russian capital", "Russia's capital", "the US capital"; not "Chinese capital"
            capital = table.capital_in.get(m.country)
            code = table.code_of.get(m.country)
            place = self._capital(capital, code) if capital and code else None
            if place is not None:
                start, end = m.start, follows.end(1)
                words = text[start:end]
                out.append(PlaceMention(start, end, words, place.name, place.country, place.lat, place.lon, place.kind))
        return out

    def _capital(self, name: str, country: str) -> Candidate | None:
        """The capital itself: the city of that name in the country (not Washington state), its
        own name first ("New Delhi", not Delhi, which also answers to it)."""
        key = name_key(name)
        found = [c for c in self.gazetteer.candidates(name) if c.country == country and c.kind not in AREA_PLACES]
        return max(found, key=lambda c: _prior(c, key), default=None)

    def _named(self, mentions: Sequence[EntityMention]) -> list[PlaceMention]:
        places = [m for m in mentions if m.label in ("GPE", "LOC", "FAC")]
        found = {id(m): self._options(m) for m in places}  # each mention's candidates, and its name
        # context: countries the document points to without doubt (a country named, a demonym,
        # a place with only one reading)
        context: set[str] = set()
        for m in mentions:
            if m.country:
                code = self._country_code(m.country)
                if code:
                    context.add(code)
        for m in places:
            options = found[id(m)][0]
            if len({c.country for c in options}) == 1 and options[0].country:
                context.add(options[0].country)
        out = []
        for m in places:
            options, key = found[id(m)]
            if not options:
                continue

            def score(c: Candidate, key: str = key) -> tuple[float, str]:
                bonus = CONTEXT_BONUS if c.country in context and c.kind != "country" else 0.0
                return _prior(c, key) + bonus, c.name

            best = max(options, key=score)
            out.append(PlaceMention(m.start, m.end, m.text, best.name, best.country, best.lat, best.lon, best.kind))
        return out

    def _options(self, m: EntityMention) -> tuple[list[Candidate], str]:
        """The places a mention may stand for, and the name they were looked up by
        (:func:`name_key`): those its words name, else those its canonical name does. A mention
        the entity stage made a country is that country when its words name no country ("Перу"
        in Russian is Peru, though a Cyrillic name of Perm's shares its stem; "Arménie" in French
        is Armenia, not the Colombian city; "Mexique" is Mexico, not its capital), while a
        country's name that also names other places keeps them all, for the document to choose
        ("Georgia" in English). A mention the entity stage gave a place's name (a city named in
        another language) stands for that place."""
        country = m.country is not None and m.canonical == m.country
        options, key = self.gazetteer.candidates(m.text), name_key(m.text)
        by_words = bool(options)
        if by_words and not country and m.canonical != m.text and not any(c.name == m.canonical for c in options):
            # the entity stage named the place in the document's language ("Sidney" in Turkish is
            # Sydney): the map shows the same place as the entity
            renamed = [c for c in self.gazetteer.candidates(m.canonical) if c.name == m.canonical]
            if renamed:
                return renamed, name_key(m.canonical)
        if not by_words:
            options, key = self.gazetteer.candidates(m.canonical), name_key(m.canonical)
        if country and (not by_words or not any(c.kind == "country" for c in options)):
            # the country's name in the document's language ("Mexique"), or a name the index also
            # gives other places ("Перу")
            by_canonical = options if not by_words else self.gazetteer.candidates(m.canonical)
            return [c for c in by_canonical if c.kind == "country"] or options, key
        return options, key

    def _country_code(self, country_name: str) -> str | None:
        for c in self.gazetteer.candidates(country_name):
            if c.kind == "country":
                return c.country
        return None
