"""A GDELT-style event table: one tab-separated line per stored event, with a header line.

The columns borrow GDELT 2.0's names where the meaning is the same, so tools written for GDELT
event files can read it; where storyline knows something GDELT has no column for (the PLOVER
category, the event's status, the precision of its date, the storyline document) the column has
its own name. What is not known is left empty. Differences from GDELT that matter:

- ``GLOBALEVENTID`` is storyline's event id (a stable text id, not a number);
- ``SQLDATE`` (YYYYMMDD) is the first day of the event's own date, empty when the text dates it
  not at all, not the day the article was published; ``DateGranularity`` tells whether that date
  is a day, week, month, quarter, half or year;
- ``Actor1`` is who acts (the first ``source`` actor, else the first ``participant``) and
  ``Actor2`` to whom (the first ``target``, else the next participant); speakers are not actors;
- actor codes are CAMEO-style but derived only from what the text says: the ISO 3166-1 alpha-3
  code of the country the actor is or stands for (a country, its people or its capital; a person
  when the article names a country just before their name and title, "Indian Prime Minister
  Narendra Modi"), followed for a person by a CAMEO role when the article gives them a title:
  ``GOV`` (president, prime minister, minister, king, governor, ambassador, ...), ``MIL``
  (general, admiral, ...), ``LEG`` (senator, representative) or ``JUD`` (judge, justice). So
  Modi is ``INDGOV``, Russia ``RUS``, a minister of no named country empty;
- ``ActionGeo_CountryCode`` is the ISO 3166-1 alpha-2 code of the event's place (GDELT uses FIPS
  10-4 codes there);
- ``SOURCEURL`` is the document's URL, else its source id (a file path or a record id).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TextIO

from storyline.exports.tables import date_granularity
from storyline.model.annotations import EntityMention, Event, EventActor, value_range
from storyline.store.base import EventRow, Store

GDELT_FIELDS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "Actor1Name", "Actor1Code", "Actor2Name", "Actor2Code", "EventCode",
    "EventRootCode", "PLOVER", "Status", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat",
    "ActionGeo_Long", "SOURCEURL", "DocumentId", "DateGranularity",
)  # fmt: skip

#: Titles (lower case, as the recogniser keeps them) -> the CAMEO role they give a person.
_ROLES: dict[str, str] = {
    **dict.fromkeys(
        (
            "prime minister", "deputy prime minister", "foreign minister", "defence minister", "defense minister",
            "finance minister", "external affairs minister", "home minister", "chief minister", "president",
            "vice president", "vice-president", "chancellor", "secretary of state", "foreign secretary", "king",
            "queen", "crown prince", "premier", "pm", "minister", "ambassador", "governor", "gov.", "mayor",
        ),
        "GOV",
    ),
    **dict.fromkeys(("general", "gen.", "admiral", "adm.", "lt.", "col."), "MIL"),
    **dict.fromkeys(("senator", "sen.", "rep."), "LEG"),
    **dict.fromkeys(("judge", "justice", "chief justice"), "JUD"),
}  # fmt: skip


#: Between a country and a person's name: "'s" and capitalised title words, on one line.
_TITLE_ONLY = re.compile(r"^(?:'s)? +(?:[A-Z][\w.-]* +){0,4}$")


@dataclass(frozen=True, slots=True)
class _Context:
    """What one document says of its entities: the country each stands for, and the CAMEO role
    a person's title gives them."""

    countries: dict[str, str]
    roles: dict[str, str]


def gdelt_rows(rows: Iterable[EventRow], store: Store) -> Iterator[list[str]]:
    """Each event as a list of the :data:`GDELT_FIELDS` values (text; empty when unknown)."""
    contexts: dict[str, _Context] = {}
    for r in rows:
        e = r.event
        if r.document_id not in contexts:
            contexts[r.document_id] = _context(store, r.document_id)
        ctx = contexts[r.document_id]
        first, second = _two_actors(e)
        span = value_range(e.time.value) if e.time else None
        place = e.place
        yield [
            e.id,
            span[0].strftime("%Y%m%d") if span else "",
            _name(first),
            _code(first, ctx),
            _name(second),
            _code(second, ctx),
            e.cameo or "",
            (e.cameo or "")[:2],
            e.type,
            e.status.value,
            place.name if place else "",
            (place.country or "") if place else "",
            _number(place.lat) if place else "",
            _number(place.lon) if place else "",
            r.url or r.source_id or "",
            r.document_id,
            (date_granularity(e.time.value) or "") if e.time else "",
        ]


def write_gdelt(rows: Iterable[list[str]], out: TextIO | str | os.PathLike[str]) -> int:
    """Write the header and the rows, tab-separated (tabs and line breaks inside a value become
    spaces). Returns how many events were written."""
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline="") as f:
            return write_gdelt(rows, f)
    out.write("\t".join(GDELT_FIELDS) + "\n")
    n = 0
    for row in rows:
        out.write("\t".join(" ".join(v.split()) if any(c in v for c in "\t\r\n") else v for v in row) + "\n")
        n += 1
    return n


def _two_actors(e: Event) -> tuple[EventActor | None, EventActor | None]:
    acting = [a for a in e.actors if a.role != "speaker"]
    sources = [a for a in acting if a.role == "source"]
    targets = [a for a in acting if a.role == "target"]
    participants = [a for a in acting if a.role == "participant"]
    leading = sources or participants
    first = leading[0] if leading else None
    others = [a for a in targets + participants if first is None or _key(a) != _key(first)]
    return first, (others[0] if others else None)


def _key(a: EventActor) -> str:
    return a.entity_id or (a.canonical or a.text).casefold()


def _name(a: EventActor | None) -> str:
    return (a.canonical or a.text) if a else ""


def _number(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def _code(a: EventActor | None, ctx: _Context) -> str:
    if a is None:
        return ""
    from storyline.annotate.countries import country_table

    country = ctx.countries.get(a.entity_id or "") or country_table().country(a.canonical or a.text)
    iso3 = _alpha3(country) if country else None
    if not iso3:
        return ""
    return iso3 + ctx.roles.get(a.entity_id or "", "")


@cache
def _alpha3(country: str) -> str | None:
    import pycountry

    from storyline.annotate.countries import country_table

    code = country_table().code_of.get(country)
    record = pycountry.countries.get(alpha_2=code) if code else None
    return record.alpha_3 if record is not None else None


def _affiliations(text: str, mentions: Sequence[EntityMention]) -> dict[str, str]:
    """People the text introduces with their country: "Indian Prime Minister Narendra Modi",
    "Russia's President Vladimir Putin" (a country or its people, then only capitalised title
    words on the same line, then the name). Person entity id -> country name."""
    out: dict[str, str] = {}
    states = [m for m in mentions if m.country and m.label in ("GPE", "NORP")]
    for person in mentions:
        if person.label != "PERSON" or person.entity_id in out:
            continue
        before = [s for s in states if s.end <= person.start and person.start - s.end <= 40]
        if before and before[-1].country and _TITLE_ONLY.match(text[before[-1].end : person.start]):
            out[person.entity_id] = before[-1].country
    return out


def _context(store: Store, doc_id: str) -> _Context:
    """The countries the document's entities are or stand for (a country, its people, its capital,
    or the country named just before a person's name), and the role each person's title gives."""
    doc = store.get(doc_id)
    mentions = store.annotations(doc_id).entities
    countries = {m.entity_id: m.country for m in mentions if m.country}
    if doc is not None:
        for person, country in _affiliations(doc.text, mentions).items():
            countries.setdefault(person, country)
    roles: dict[str, str] = {}
    for m in mentions:
        role = _ROLES.get((m.title or "").casefold()) if m.label == "PERSON" else None
        if role:
            roles.setdefault(m.entity_id, role)
    return _Context(countries, roles)
