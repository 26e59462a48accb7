"""Publication dates from metadata strings, datelines near the top of a text, and URLs.

Strict by design: a line counts as a dateline only when nothing but a date (with an
optional time, zone, "Published:"/"Updated" prefix or byline) is on it, and a date
that cannot exist ("32 May 2018", a year 0 or 10000, a zone "+99:99", an epoch far past
2100) is no date: every function here returns None for it and never raises. Every result
says how precise it is and where it came from.

:func:`choose_page_date` weighs a web page's candidates (its date markup, htmldate's
original-date search, the day in its URL) and says which won when they disagreed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from storyline.model import DateSource, Granularity, PublishedDate

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv januar jän enero ene gennaio gen janeiro januari",
        "february feb février févr fevrier februar febrero febbraio fevereiro fev februari",
        "march mar mars märz maerz marzo março marco maart",
        "april apr avril avr abril aprile",
        "may mai mayo maggio mei maio",
        "june jun juin juni junio giugno junho",
        "july jul juillet juil juli julio luglio julho",
        "august aug août aout agosto augustus ago",
        "september sep sept septembre settembre setembro septiembre set",
        "october oct octobre oktober octubre ottobre outubro okt",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre dezember diciembre dicembre dezembro dic dez",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)

ZONES: dict[str, timedelta] = {
    "UTC": timedelta(0), "GMT": timedelta(0), "Z": timedelta(0), "BST": timedelta(hours=1),
    "CET": timedelta(hours=1), "CEST": timedelta(hours=2), "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3), "MSK": timedelta(hours=3), "IST": timedelta(hours=5, minutes=30),
    "PKT": timedelta(hours=5), "SGT": timedelta(hours=8), "HKT": timedelta(hours=8),
    "CST": timedelta(hours=-6), "JST": timedelta(hours=9), "KST": timedelta(hours=9),
    "AEST": timedelta(hours=10), "EST": timedelta(hours=-5), "EDT": timedelta(hours=-4),
    "PST": timedelta(hours=-8), "PDT": timedelta(hours=-7),
}  # fmt: skip
# CST is ambiguous (US Central, China Standard); news datelines in English mostly mean US.

_MONTH = r"(?P<month>" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = (
    r"(?:[,\s]+(?:at\s+|um\s+|à\s+|a\s+las\s+)?(?P<hour>\d{1,2})[:.h](?P<minute>\d\d)(?::(?P<second>\d\d))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?:hrs|uhr|h))?)?"
)
_ZONE = (
    r"(?:\s*\(?(?P<zone>"
    + "|".join(sorted(ZONES, key=len, reverse=True))
    + r"|[+-]\d\d:?\d\d|UTC[+-]\d{1,2}(?::?\d\d)?)\)?)?"
)
_WEEKDAY = (
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?|montag|dienstag|mittwoch|donnerstag"
    r"|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles"
    r"|jueves|viernes|sábado|domingo),?\s+"
)
_PREFIX = (
    r"^(?:(?:published|updated|posted|last\s+updated|first\s+published|date|dated|veröffentlicht|aktualisiert"
    r"|publié|mis\s+à\s+jour|publicado|actualizado)(?:\s+(?:on|at|am|le|el))?\s*:?\s*)?"
)
_DATE_FORMS = (
    _DAY + r"\s+(?:de\s+)?" + _MONTH + r",?\s+(?:de\s+)?" + _YEAR,  # 01 Jun 2017, 21. Mai 2018, 21 de mayo de 2018
    _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR,  # May 21, 2018
    r"(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)",  # 2018-05-21
    r"(?P<eu_d>\d{1,2})\.(?P<eu_m>\d{1,2})\.(?P<eu_y>(?:19|20)\d\d)",  # 21.05.2018
)
_DATELINE = [
    re.compile(_PREFIX + r"(?:" + _WEEKDAY + r")?" + form + _TIME + _ZONE + r"\s*$", re.IGNORECASE)
    for form in _DATE_FORMS
]
_MONTH_ONLY = re.compile(_PREFIX + _MONTH + r"\s+" + _YEAR + r"\s*$", re.IGNORECASE)
_TIME_ONLY = re.compile(
    r"^(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?\s*(?:hrs)?" + _ZONE + r"\s*$", re.IGNORECASE
)
_BYLINE = re.compile(r"^(?:by|von|par|por)\s+(?P<name>[^\d|•·]{2,80})$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[|•·]\s+|\s+[-–—]\s+(?=\d|[A-Z][a-z]+\s+\d)")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>0[1-9]|1[0-2])(?:[/-](?P<d>0[1-9]|[12]\d|3[01]))?(?=[/_.-]|$)"
    r"|/(?P<cy>(?:19|20)\d\d)(?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])(?=/)"
)


#: The UTC offsets in use on Earth run from UTC-12:00 to UTC+14:00; an offset beyond them ("+99:99",
#: "+23:00") is no zone.
MIN_OFFSET, MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)
#: Publication years storyline accepts; a year outside them (0, 10000, an epoch in 2286) is no date.
MIN_YEAR, MAX_YEAR = 1900, 2099
#: A metadata date or a dateline is short; longer strings are not read (bounded time on any input).
MAX_DATE_CHARS = 200
#: A page's date markup and another candidate (the URL's day, htmldate's) that are more than this many
#: calendar days apart are two different dates, not one instant seen in two zones.
DAYS_APART = 1


#: A clock time followed by a zone offset of sixty minutes or more ("10:30:00+05:75"): no date.
_BAD_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:GMT|UTC)?[+-]\d\d:?[6-9]\d$", re.IGNORECASE)


def _zone(name: str | None) -> timezone | None:
    """The zone a name or offset stands for; None for none, or for an offset no place uses."""
    if not name:
        return None
    upper = name.upper()
    if upper in ZONES:
        return timezone(ZONES[upper])
    m = re.fullmatch(r"(?:UTC)?([+-])(\d{1,2}):?(\d\d)?", upper)
    if not m or int(m.group(3) or 0) >= 60:
        return None
    sign = 1 if m.group(1) == "+" else -1
    offset = sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        return None
    return timezone(offset)


def _plausible(value: datetime) -> bool:
    """A publication date storyline keeps: a year in range and a zone offset some place uses."""
    offset = value.utcoffset()
    return MIN_YEAR <= value.year <= MAX_YEAR and (offset is None or MIN_OFFSET <= offset <= MAX_OFFSET)


def _build(
    year: int, month: int, day: int, groups: dict[str, str | None], raw: str, source: DateSource
) -> PublishedDate | None:
    hour = minute = second = 0
    granularity = Granularity.DAY
    if groups.get("hour") is not None:
        hour, minute = int(groups["hour"] or 0), int(groups["minute"] or 0)
        ampm = (groups.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        granularity = Granularity.MINUTE
        if groups.get("second"):
            second = int(groups["second"] or 0)
            granularity = Granularity.SECOND
    zone = _zone(groups.get("zone"))
    try:
        value = datetime(year, month, day, hour, minute, second, tzinfo=zone or UTC)
    except ValueError:
        return None  # "32 May", "30 February", "25:00"
    return PublishedDate(value, granularity, source, raw, zone_given=zone is not None)


def _from_match(m: re.Match[str], raw: str, source: DateSource) -> PublishedDate | None:
    g = m.groupdict()
    if g.get("iso_y"):
        year, month, day = int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"])
    elif g.get("eu_y"):
        year, month, day = int(g["eu_y"]), int(g["eu_m"]), int(g["eu_d"])
    else:
        month_name = (g.get("month") or "").lower().rstrip(".")
        if month_name not in MONTHS:
            return None
        year, month, day = int(g["year"]), MONTHS[month_name], int(g["day"])
    return _build(year, month, day, g, raw, source)


def parse_date_phrase(text: str, source: DateSource = DateSource.DATELINE) -> PublishedDate | None:
    """A phrase that is exactly one date ("01 Jun 2017", "Updated on Sep 4, 2019, 10:30 IST")."""
    if len(text) > MAX_DATE_CHARS:
        return None
    phrase = text.strip().strip("*_").strip()
    for pattern in _DATELINE:
        m = pattern.match(phrase)
        if m:
            return _from_match(m, text.strip(), source)
    m = _MONTH_ONLY.match(phrase)
    if m:
        month_name = m.group("month").lower().rstrip(".")
        if month_name in MONTHS:
            value = datetime(int(m.group("year")), MONTHS[month_name], 1, tzinfo=UTC)
            return PublishedDate(value, Granularity.MONTH, source, text.strip())
    return None


def parse_dateline(line: str) -> tuple[PublishedDate | None, str | None]:
    """A line near the top of a text: a date, a byline, or both ("By Asha Rao | May 21, 2018").

    Returns (date, author); both None when the line is something else.
    """
    if len(line) > MAX_DATE_CHARS:
        return None, None
    parts = [p.strip() for p in _SEPARATORS.split(line.strip()) if p.strip()]
    if not parts or len(parts) > 4:
        return None, None
    date: PublishedDate | None = None
    author: str | None = None
    for part in parts:
        found = parse_date_phrase(part)
        if found is not None and date is None:
            date = found
            continue
        by = _BYLINE.match(part)
        if by and author is None:
            author = by.group("name").strip()
            continue
        if date is not None and _TIME_ONLY.match(part):
            with_time = parse_date_phrase(f"{date.raw} {part}")
            date = with_time or date
            continue
        return None, None  # something else is on the line: not a dateline
    return date, author


def parse_metadata_date(value: str) -> PublishedDate | None:
    """A date from a metadata field: ISO 8601, RFC 2822 (feeds, HTTP), epoch seconds, or a dateline form.

    None for anything that is no plausible publication date (see the module's docstring); never raises.
    """
    if not isinstance(value, str) or len(value) > MAX_DATE_CHARS:
        return None
    raw = value.strip()
    if not raw or _BAD_OFFSET.search(raw):
        return None
    if re.fullmatch(r"\d{9,10}(?:\.\d{1,9})?", raw):
        try:
            stamp = datetime.fromtimestamp(float(raw), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return PublishedDate(stamp, Granularity.SECOND, DateSource.METADATA, raw, True) if _plausible(stamp) else None
    iso = re.fullmatch(r"((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?", raw)
    if iso:
        year, month, day = int(iso.group(1)), int(iso.group(2) or 1), int(iso.group(3) or 1)
        granularity = Granularity.DAY if iso.group(3) else Granularity.MONTH if iso.group(2) else Granularity.YEAR
        try:
            return PublishedDate(datetime(year, month, day, tzinfo=UTC), granularity, DateSource.METADATA, raw)
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(raw.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", raw) else raw)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is not None:
        if not _plausible(parsed):
            return None
        granularity = Granularity.SECOND if parsed.second or parsed.microsecond else Granularity.MINUTE
        zone_given = parsed.tzinfo is not None
        return PublishedDate(
            parsed if zone_given else parsed.replace(tzinfo=UTC), granularity, DateSource.METADATA, raw, zone_given
        )
    if re.search(r"\d{1,2}\s+\w{3}\s+\d{4}\s+\d\d:\d\d", raw):
        try:
            rfc = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            rfc = None
        if rfc is not None and _plausible(rfc):
            zone_given = rfc.tzinfo is not None
            return PublishedDate(
                rfc if zone_given else rfc.replace(tzinfo=UTC),
                Granularity.SECOND if rfc.second else Granularity.MINUTE,
                DateSource.METADATA,
                raw,
                zone_given,
            )
    return parse_date_phrase(raw, DateSource.METADATA)


def date_from_url(url: str) -> PublishedDate | None:
    """A date in a URL path: /2018/05/21/, /2018-05-21-..., /20180521/ (day) or /2018/05/ (month)."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.IGNORECASE)
    for m in _URL_DATE.finditer(path):
        y = m.group("y") or m.group("cy")
        mo = m.group("m") or m.group("cm")
        d = m.group("d") or m.group("cd")
        try:
            value = datetime(int(y), int(mo), int(d or 1), tzinfo=UTC)
        except ValueError:
            continue
        return PublishedDate(value, Granularity.DAY if d else Granularity.MONTH, DateSource.URL, m.group(0))
    return None


def _day(found: PublishedDate) -> date:
    """The calendar day a date names, in the zone it was given in."""
    return found.value.date()


def _days_apart(a: PublishedDate, b: PublishedDate) -> int:
    return abs((_day(a) - _day(b)).days)


def _utc_instant_on(markup: PublishedDate, day: date) -> bool:
    """Whether a time the markup gives in UTC falls on ``day`` in some zone in use.

    Many sites write their timestamps in UTC ("2023-11-09T01:49:09Z") while the article, its URL
    and its visible date carry the publisher's own day (8 November in California). That day is
    what the article's "yesterday" and "on Tuesday" count from.
    """
    if not markup.zone_given or markup.value.utcoffset() != timedelta(0):
        return False
    if markup.granularity not in (Granularity.MINUTE, Granularity.SECOND):
        return False
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start - MAX_OFFSET <= markup.value < start + timedelta(days=1) - MIN_OFFSET


def _extractor_date(value: str | None, from_url: PublishedDate | None) -> PublishedDate | None:
    """htmldate's day as a PublishedDate: attributed to the URL when the URL holds that same day."""
    if not value:
        return None
    guess = parse_metadata_date(value)
    if guess is None:
        return None
    if from_url is not None and from_url.granularity is Granularity.DAY and _day(from_url) == _day(guess):
        return from_url
    return PublishedDate(guess.value, Granularity.DAY, DateSource.METADATA, value)


def choose_page_date(
    markup: PublishedDate | None, extractor_day: str | None, url: str | None
) -> tuple[PublishedDate | None, str | None]:
    """A web page's publication date from its candidates, and a note when one overruled another.

    ``markup`` is what the page's date markup states (meta tags, JSON-LD, ``<time>``), with its
    time and zone; ``extractor_day`` is htmldate's day (``YYYY-MM-DD``, original date, extensive
    search); ``url`` is the page's address. In order:

    1. A day in the URL is set once, when the site publishes, so it corrects a candidate more than
       a day away from it (a later update, a site-wide default date in a template). The markup
       wins when it agrees with the URL to within a day, keeping its time and zone, unless it is
       a UTC time that falls on the URL's day in the publisher's own zone: then the URL's day wins.
    2. Without a day in the URL, the markup wins unless htmldate's original-date search finds a
       day more than a day away from it (the markup then names an update or a site-wide date more
       often than not: 6 of 11 such pages of htmldate's evaluation set), or the markup is a UTC
       time that falls on htmldate's day in the publisher's zone.

    Returns (None, None) when the page gives no date at all (the cleaner then looks for a dateline
    in the text, then the URL). The note names both candidates when one overruled the other.
    """
    from_url = date_from_url(url) if url else None
    found = _extractor_date(extractor_day, from_url)
    if from_url is not None and from_url.granularity is Granularity.DAY:
        if markup is not None and _days_apart(markup, from_url) <= DAYS_APART:
            if _day(markup) != _day(from_url) and _utc_instant_on(markup, _day(from_url)):
                return from_url, _note(from_url, markup, "a UTC time in the page's metadata")
            return markup, None
        if found is not None and _days_apart(found, from_url) <= DAYS_APART:
            return found, _note(found, markup, "the page's metadata") if markup is not None else None
        if markup is not None:
            return from_url, _note(from_url, markup, "the page's metadata")
        if found is not None:
            return from_url, _note(from_url, found, "htmldate")
        return None, None
    if markup is not None and found is not None and _day(markup) != _day(found):
        if _days_apart(markup, found) > DAYS_APART:
            return found, _note(found, markup, "the page's metadata")
        if _utc_instant_on(markup, _day(found)):
            return found, _note(found, markup, "a UTC time in the page's metadata")
    return (markup or found), None


def _note(winner: PublishedDate, loser: PublishedDate, what: str) -> str:
    by = "the URL" if winner.source is DateSource.URL else "htmldate's original-date search"
    return f"publication date {winner.isoformat()} from {by}, not {loser.raw!r} from {what}"
