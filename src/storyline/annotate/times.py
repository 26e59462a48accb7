"""Time expressions: find DATE, TIME, DURATION and SET expressions and give each its
TimeML TIMEX3 value, anchored to the document's publication date and aware of tense.

Rules, not a model: each pattern below recognises one shape of expression and a small
function turns the match into a value. Relative expressions ("on Friday", "in February",
"last week", "a year earlier") are resolved against the anchor (the publication date) and
the tense of their sentence: "will meet on Friday" looks forward, "met on Friday" back.
"A year earlier" follows the last date the text spoke of, as news does ("profit in the
third quarter ... a year earlier" means that quarter a year before).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from storyline.annotate.sentences import sentences
from storyline.model.annotations import TimeExpression, TimeType, value_range

NAME = "storyline.times.rules.v7"

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5,
    "couple": 2, "dozen": 12,
}  # fmt: skip
_VAGUE = {"several", "few", "a few", "many", "some", "numerous"}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_UNIT = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y",
    "decade": "DE", "century": "CE", "quarter": "Q", "weekend": "WE",
}  # fmt: skip

# -- building blocks of the patterns ---------------------------------------------------------
_NUM_WORD = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen|dozen|a\s+couple\s+of|couple\s+of|several|a\s+few|few|many|some|numerous|an?|half\s+an?"
NUM = rf"(?:\d+(?:\s+1/2|½)|\d+(?:\.\d+)?|{_NUM_WORD})"
UNITS = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|quarters?)"
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
PART = r"(?:morning|afternoon|evening|night)"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_UNITS_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TENS_WORD = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_TEENS_WORD = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
SPOKEN_YEAR = (
    rf"(?:nineteen[- ](?:{_TENS_WORD}(?:[- ]{_UNITS_WORD})?|{_TEENS_WORD})"
    rf"|(?<=the year )two[- ]thousand(?:\s+and)?(?:\s+{_UNITS_WORD})?)"
)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
MOD = r"(?:(?:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|sometime|about|around|almost|nearly|roughly|more\s+than|less\s+than|at\s+least|only|just|over)\s+)?"
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|going\s+to|is\s+to|are\s+to|plans?\s+to|scheduled|expected\s+to|"
    r"expects?\s+to|intends?\s+to|would|next(?!\s+to\b)|upcoming|coming|to\s+be\s+held|due\s+to|set\s+to|until|planning|"
    r"as\s+(?:early|soon)\s+as|effective)\b",
    re.IGNORECASE,
)
_STRONG_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|going\s+to|is\s+to|are\s+to|scheduled\s+(?:to|for)|expected\s+to|due\s+to|set\s+to|"
    r"plans?\s+to|planned\s+to|planning\s+to|would|to\s+be\s+held|next(?!\s+to\b)|until|before|as\s+(?:early|soon)\s+as)\b[^,;]{0,60}$",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|says|ago|last|earlier|previous|yesterday|reported|announced|began|came|went|"
    r"took|gave|made|met|held|rose|fell|left|won|lost|told|saw|(?<!\bbe\s)(?<!\bbeen\s)(?<!being\s)"
    r"(?!(?:expect|schedul|plann|propos|unit|need|bas|intend|want|hop)ed\b)[a-z]{3,}ed)\b",
    re.IGNORECASE,
)


@dataclass
class _Context:
    """What a rule needs: the anchor, the sentence's tense, and the last date spoken of."""

    anchor: date | None
    sentence: str = ""
    reference: str | None = None
    """The last explicit DATE value in the text (a day, month, quarter or year)."""
    span: tuple[int, int] = (0, 0)
    """Where in the sentence the expression being resolved stands."""
    tense: str | None = None
    """The tense cue nearest the expression: "future", "past", or None."""
    _cues: list[tuple[int, int, str]] = field(default_factory=list)

    def read_sentence(self, sentence: str) -> None:
        """Start on a sentence: find its tense cues once."""
        self.sentence = sentence
        self._cues = sorted(
            (m.start(), m.end(), tense)
            for pattern, tense in ((_FUTURE, "future"), (_PAST, "past"))
            for m in pattern.finditer(sentence)
        )

    def focus(self, start: int, end: int) -> None:
        """Resolve the expression at ``start:end`` next: the nearest tense cue outside it decides."""
        self.span = (start, end)
        best: tuple[int, str] | None = None
        for cue_start, cue_end, tense in self._cues:
            if start <= cue_start < end:
                continue  # the expression's own words ("last week") are not its tense
            # a cue after the expression is usually a reporting verb ("..., Castro said"): it counts less
            distance = start - cue_end if cue_end <= start else (cue_start - end) * 4
            if best is None or distance < best[0]:
                best = (distance, tense)
        self.tense = best[1] if best else None

    @property
    def future(self) -> bool:
        return self.tense == "future"

    @property
    def clearly_future(self) -> bool:
        """A strong future cue shortly before the expression, in the same clause."""
        return bool(_STRONG_FUTURE.search(self.sentence[: self.span[0]]))

    @property
    def past(self) -> bool:
        return self.tense == "past"


Handler = Callable[[re.Match[str], _Context], tuple[TimeType, str] | None]


@dataclass
class _Rule:
    pattern: re.Pattern[str]
    handler: Handler
    sets_reference: bool = False
    anaphoric: bool = False
    """Counts from the last date spoken of ("the next day"): a date earlier in its own sentence
    counts too, when the candidates are weighed."""


_RULES: list[_Rule] = []


def rule(
    pattern: str, *, flags: int = re.IGNORECASE, reference: bool = False, anaphoric: bool = False
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        # the pattern grouped: the word boundaries hold for every one of its alternatives
        compiled = re.compile(rf"(?<![\w$.-])(?:{pattern})(?![\w%-])", flags)
        _RULES.append(_Rule(compiled, handler, reference, anaphoric))
        return handler

    return register


# -- value helpers -----------------------------------------------------------------------------
def number(text: str) -> float | None:
    """A number written in digits or words; None for vague amounts ("several")."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in _VAGUE:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    half = re.fullmatch(r"(\d+)\s*(?:1/2|½)", t)
    if half:
        return int(half[1]) + 0.5
    if t.startswith("half"):
        return 0.5
    if t == "a dozen":
        return 12
    if t in ("a couple of", "couple of"):
        return 2
    total = 0.0
    for word in t.split():
        if word not in _NUMBER_WORDS:
            return None
        total += _NUMBER_WORDS[word]
    return total or None


def year_number(text: str) -> int:
    """A year in digits or spoken words ("nineteen ninety-six", "two thousand and one")."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t.isdigit():
        return int(t)
    words = [w for w in t.split() if w != "and"]
    if words[:2] == ["two", "thousand"]:
        return 2000 + int(sum(_NUMBER_WORDS[w] for w in words[2:]))
    return 1900 + int(sum(_NUMBER_WORDS[w] for w in words[1:]))  # "nineteen" + the rest


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _unit_letter(unit: str) -> str:
    u = unit.lower().rstrip("s")
    return _UNIT["century" if u.startswith("centur") else u]


def duration_value(amount: float | None, unit: str) -> str:
    """P3Y, PT24H, P1DE, PXM ..."""
    letter = _unit_letter(unit)
    if letter == "Q":
        return f"P{_fmt(amount * 3)}M" if amount else "PXM"
    if letter in ("DE", "CE"):  # TimeML writes decades and centuries in years
        return f"P{_fmt(amount * (10 if letter == 'DE' else 100))}Y" if amount else "PXY"
    time_unit = unit.lower().rstrip("s") in ("hour", "minute", "second")
    n = _fmt(amount) if amount else "X"
    if amount and not float(amount).is_integer() and (letter, time_unit) in _SMALLER:
        # "5 1/2 hours" is PT5H30M, "2 1/2 years" P2Y6M: TimeML wants whole numbers of units
        smaller, per, smaller_is_time = _SMALLER[letter, time_unit]
        whole, rest = int(amount), round(amount % 1 * per)
        date_part = f"{whole}{letter}" if whole and not time_unit else ""
        time_part = f"{whole}{letter}" if whole and time_unit else ""
        if smaller_is_time:
            time_part += f"{rest}{smaller}"
        else:
            date_part += f"{rest}{smaller}"
        return "P" + date_part + (f"T{time_part}" if time_part else "")
    return f"PT{n}{letter}" if time_unit else f"P{n}{letter}"


# (unit letter, is a time of day) -> the next smaller unit, how many of it make one, and whether it is a time of day
_SMALLER = {
    ("Y", False): ("M", 12, False), ("M", False): ("D", 30, False), ("W", False): ("D", 7, False),
    ("D", False): ("H", 24, True), ("H", True): ("M", 60, True), ("M", True): ("S", 60, True),
}  # fmt: skip


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def _at_granularity(d: date, unit: str) -> str:
    letter = _unit_letter(unit)
    if letter in ("Y", "DE", "CE"):
        return f"{d.year:04d}"
    if letter == "M" and unit.lower().startswith("month"):
        return f"{d.year:04d}-{d.month:02d}"
    if letter == "Q":
        return f"{d.year:04d}-Q{_quarter(d)}"
    if letter in ("W", "WE"):
        return _iso_week(d)
    return d.isoformat()


def _step(d: date, amount: int, unit: str) -> date:
    """``d`` moved by ``amount`` units (negative: back)."""
    letter = _unit_letter(unit)
    if letter in ("D",) or unit.lower().startswith(("hour", "minute", "second")):
        return d + timedelta(days=amount)
    if letter in ("W", "WE"):
        return d + timedelta(weeks=amount)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}[letter] * amount
    y, m = _shift_months(d.year, d.month, months)
    return date(y, m, min(d.day, 28))


def _day_or_time(day: date, hour: str | None, minute: str | None) -> tuple[TimeType, str]:
    """A DATE, or a TIME when the expression also gave the hour and minute."""
    if hour:
        return TimeType.TIME, f"{day.isoformat()}T{hour}:{minute}"
    return TimeType.DATE, day.isoformat()


# -- when a number of four digits is not a year --------------------------------------------------
#: Time zones a clock time is written with ("1052 GMT (1852 HKT)").
_ZONES = (
    r"(?:GMT|UTC|[ECMP][SD]T|AK[SD]T|H[SD]T|[AN]ST|ADT|NDT|BST|IST|WET|WEST|CET|CEST|EET|EEST|MSK|"
    r"GST|PKT|ICT|WIB|SGT|MYT|PHT|HKT|CST|JST|KST|AE[SD]T|AC[SD]T|AWST|NZ[SD]T|SAST|WAT|CAT|EAT)"
)
#: What follows a clock time of 24 hours and never a year.
_CLOCK_AFTER = re.compile(rf"\s*(?:\(?{_ZONES}\b|local\s+time\b)")
_HOURS_AFTER = re.compile(r"\s*(?:hours|hrs)\b", re.IGNORECASE)
_CLOCK_BEFORE = re.compile(rf"\b{_ZONES}\s*[(/]\s*$")  # "1052 GMT (1852 HKT)": the second clock
#: A 24-hour clock time written as such: with a leading 0, a zone, "local time" or "hours".
_CLOCK_TIME = re.compile(rf"(?<![\d.,])(?:0\d{{3}}|\d{{4}}(?=\s*(?:\(?{_ZONES}\b|local\s+time\b|hours\b|hrs\b)))(?!\d)")
_AT_BEFORE = re.compile(r"\bat\s+$", re.IGNORECASE)
#: What follows "at 1745" told as a time of day: the clause goes on, not a noun ("at 2008 levels").
_CLOCK_END = re.compile(r"\s*(?:[,.;:)]|$|(?:on|in|and|when|after|before|to|until|the)\b)")
#: The other group of a telephone or serial number: three digits, or five or more (a group of four
#: beside it is a range of years, "1990 - 1995"; of two, a season, "2014-15").
_GROUP_BEFORE = re.compile(
    r"(?:(?<![\d,.])(?:\d{1,3}|\d{5,})[-\u2013.]|\(\d{3}\)\s*(?:\d{3}\s*[-\u2013.]?\s*)?|\d{2,4}\s+\d{3}\s+)$"
)
_GROUP_AFTER = re.compile(r"(?:[-\u2013.](?:\d{3}|\d{5,})|\s+\d{3}\s*[-\u2013.\s]\s*\d{3,4})(?!\d)")
#: Part of a longer number: a decimal ("2082.1") or thousands ("1999,000").
_NUMBER_AFTER = re.compile(r"\.\d|,\d{3}(?!\d)")
#: A street number: the block of a street, or a name and a street's kind after it.
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Place|Pl|Court|Ct|Terrace|"
    r"Highway|Hwy|Parkway|Pkwy|Square|Sq|Plaza|Circle|Pike)"
)
_BLOCK_AFTER = re.compile(r"\s+block\b", re.IGNORECASE)
_STREET_AFTER = re.compile(rf"\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){{1,3}}{_STREET}\b\.?")
#: Where a street number stands: after "at", "on", "to", a comma ... ("the 1987 Wall Street crash"
#: and "2011 Tahrir Square protests" are years; "lives at 1750 Harbor View Road" is not).
_ADDRESS_BEFORE = re.compile(
    r"(?:[,;:(]|\b(?:at|on|to|near|outside|inside|behind|opposite|into|onto|lives|lived|located))\s*$", re.IGNORECASE
)
#: Before a year that qualifies a count or an amount ("in 2000 people", "in 2010 dollars").
_MODIFIER_BEFORE = re.compile(
    r"(?:\b(?:the|its|his|her|their|our|in|of|since|by|until|during|from|before|after|"
    r"fiscal|calendar)|'s)\s+$",
    re.IGNORECASE,
)
#: Amounts: a unit or currency of the number.
_UNIT_AFTER = re.compile(
    r"\s*(?:%|percent\b|per\s*cent\b|points\b|pts\b|km\b|kms\b|kilomet(?:er|re)s?\b|miles?\b|mi\b|"
    r"met(?:er|re)s?\b|m\b|feet\b|ft\b|yards?\b|kg\b|kilos?\b|kilograms?\b|tons?\b|tonnes?\b|pounds\b|lbs?\b|"
    r"ounces\b|oz\b|liters?\b|litres?\b|gallons?\b|barrels?\b|acres?\b|hectares?\b|sq\b|square\s+(?:feet|foot|met|kilomet|mi)|mph\b|kph\b|"
    r"km/h\b|cc\b|hp\b|[kMG]W\b|MHz\b|GHz\b)",
)
_COUNT_AFTER = re.compile(
    r"\s*(?:dollars|euros?|yen|yuan|rupees|pesos|rubles|people|persons|troops|soldiers)\b", re.IGNORECASE
)
#: Words that make the number after them a count: "more than 1500", "at least 2000", "nearly 1800"
#: (not after a preposition of time: "since at least 2012", "in nearly 1990" are years).
_QUANTITY_BEFORE = re.compile(
    r"(?<!\bsince )(?<!\bin )(?<!\bfrom )(?<!\buntil )(?<!\bby )(?<!\bto )(?<!\bbefore )(?<!\bafter )"
    r"\b(?:(?:more|fewer|less)\s+than|at\s+least|nearly|almost|an\s+estimated)\s+$",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?:[$\u20ac\u00a3\u00a5\u20b9]|\b(?:Rs|USD|EUR|GBP|US\$)\.?)\s*$")
#: A label whose number is the name of a thing: a flight, a room, a resolution, a model.
_LABEL_BEFORE = re.compile(
    r"(?:#|\b(?:No|Nos|[Nn]umber|[Ff]light|[Rr]oom|[Rr]oute|[Hh]ighway|Interstate|[Rr]esolution|[Aa]rticle|"
    r"[Ss]ection|[Cc]hapter|[Mm]odel|[Tt]ype|[Vv]ersion|[Ss]uite|[Aa]pt|[Aa]partment|[Uu]nit|"
    r"P\.?O\.?\s+Box|[Bb]ox|[Gg]ate|[Pp]latform|[Bb]us|[Tt]rain|[Cc]hannel|[Pp]ier|[Ee]xit|[Pp]age|pp?|"
    r"[Vv]ol|[Vv]olume)\.?)\s*#?\s*$"
)
#: The other end of a range of numbers or clock times ("from 0800 to 1700", "between 1500 and 2000").
_JOIN = r"(?:-|\u2013|\bto\b|\buntil\b|\btill\b|\bthrough\b)"
_NUMBER_RANGE_AFTER = re.compile(rf"\s*{_JOIN}\s*(\d{{4}})(?!\d|[.,]\d)")
_NUMBER_RANGE_BEFORE = re.compile(rf"(?<![\d.,])(\d{{4}})(?:\s*\(?{_ZONES}\)?|\s+hours|\s+hrs)?\s*{_JOIN}\s*$")
_BETWEEN_AFTER = re.compile(r"\s+and\s+(\d{4})(?!\d|[.,]\d)")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_BETWEEN_AND_BEFORE = re.compile(rf"\bbetween\s+(\d{{4}})(?:\s*\(?{_ZONES}\)?|\s+hours|\s+hrs)?\s+and\s+$", re.I)


def _clock_digits(digits: str) -> bool:
    """Whether four digits make a time of 24 hours (1852: 18:52)."""
    return int(digits[:2]) <= 23 and int(digits[2:]) <= 59


def is_year(text: str, start: int, end: int, *, neighbours: bool = True) -> bool:
    """Whether the four digits at ``text[start:end]`` can be a year where they stand: not a part
    of a telephone, serial or decimal number, not a clock time (with its zone, "hours", or a 24-hour
    time at the other end of its range), not a street number, an amount with its unit or currency,
    nor the number of a flight, a room, a resolution or a model. A number that starts with 0
    ("0735") is a clock time, never a year."""
    digits, before, after = text[start:end], text[:start], text[end:]
    if digits.startswith("0"):
        return False
    if _NUMBER_AFTER.match(after) or _GROUP_BEFORE.search(before) or _GROUP_AFTER.match(after):
        return False
    if _HOURS_AFTER.match(after) and not _MODIFIER_BEFORE.search(before):
        return False  # "at 1900 hours" (not "in 2014 hours of footage were lost")
    if _clock_digits(digits):
        if _CLOCK_AFTER.match(after) or _CLOCK_BEFORE.search(before):
            return False
        # "at 1745" in a sentence that tells the time so elsewhere ("crossed at 0630 local time")
        if (
            _AT_BEFORE.search(before)
            and _CLOCK_END.match(after)
            and any(c.start() != start for c in _CLOCK_TIME.finditer(text))
        ):
            return False
    if _BLOCK_AFTER.match(after) or (_STREET_AFTER.match(after) and _ADDRESS_BEFORE.search(before)):
        return False
    if _UNIT_AFTER.match(after) or _CURRENCY_BEFORE.search(before) or _LABEL_BEFORE.search(before):
        return False
    if _COUNT_AFTER.match(after) and not _MODIFIER_BEFORE.search(before):
        return False
    if _QUANTITY_BEFORE.search(before):
        return False  # "wounded more than 1500", "at least 2000 were arrested": a count
    if neighbours:  # the other end of a range: "from 0800 to 1700", "between 1500 - 2000 people"
        later = _NUMBER_RANGE_AFTER.match(after) or (
            _BETWEEN_AFTER.match(after) if _BETWEEN_BEFORE.search(before) else None
        )
        if later and not is_year(text, end + later.start(1), end + later.end(1), neighbours=False):
            return False
        earlier = _NUMBER_RANGE_BEFORE.search(before) or _BETWEEN_AND_BEFORE.search(before)
        if earlier and not is_year(text, earlier.start(1), earlier.end(1), neighbours=False):
            return False
    return True


# -- the rules ---------------------------------------------------------------------------------
@rule(r"((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::\d\d)?)?", reference=True)
def _iso(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    return _day_or_time(day, m[4], m[5])


@rule(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d\d)(?:\s+(\d\d):(\d\d)(?::\d\d)?)?", reference=True)
def _us_numeric(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    month, day_, year = int(m[1]), int(m[2]), int(m[3])
    if year < 100:
        year += 1900 if year > 30 else 2000
    try:
        d = date(year, month, day_)
    except ValueError:
        return None
    return _day_or_time(d, m[4], m[5])


#: What joins the two ends of a range of dates, or two dates of a list ("January to November 2014").
_TO = r"\s*(?:-|\u2013|\u2014|\b(?:to|through|thru|until|till|and|or)\b)\s*"
_EDGE = r"(?:(?:early|late|mid)[- ]?)?"
#: A range's end with a year, after a month (and day) without one: its month and its year.
_RANGE_END = re.compile(rf"{_TO}{_EDGE}(?:{DAY}\s+(?:of\s+)?)?({MONTH})(?:\s+{DAY})?,?\s+({YEAR})(?!\d)", re.I)
#: ... or only the day that ends it, in the same month ("Jan. 5 to 9, 2014").
_RANGE_END_DAY = re.compile(rf"{_TO}{DAY},?\s+({YEAR})(?!\d)", re.I)
#: A range's start with a year, before a month without one.
_RANGE_START = re.compile(
    rf"(?:({MONTH})(?:\s+{DAY})?|{DAY}\s+(?:of\s+)?({MONTH})),?\s+({YEAR}){_TO}{_EDGE}(?:{DAY}\s+(?:of\s+)?)?$", re.I
)
#: Words before a month that place it themselves ("last January"): a range does not.
_RELATIVE_WORDS = {"last", "next", "this", "coming", "past"}


def _range_year(sentence: str, start: int, end: int, month: int, *, days: bool = False) -> int | None:
    """The year of a month (or a month's day) that has none of its own, at ``start:end``, from the
    other end of the range or list it is in ("from January to November 2014": 2014; "between March
    and June 2016": 2016; "January 2014 to March": 2014). A range that crosses a new year puts its
    start in the year before its end ("from November to February 2015": November 2014)."""
    later = _RANGE_END.match(sentence, end)
    if later:
        year = int(later[2])
        return year - 1 if month > _month(later[1]) else year
    if days:
        same_month = _RANGE_END_DAY.match(sentence, end)
        if same_month:
            return int(same_month[1])
    earlier = _RANGE_START.search(sentence, 0, start)
    if earlier:
        year = int(earlier[3])
        return year + 1 if month < _month(earlier[1] or earlier[2]) else year
    return None


def _resolve_month_day(month: int, day_: int, ctx: _Context) -> str | None:
    if ctx.anchor is None:
        return f"XXXX-{month:02d}-{day_:02d}"
    candidates = []
    for year in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        try:
            candidates.append(date(year, month, day_))
        except ValueError:
            continue
    if not candidates:
        return None
    anchor = ctx.anchor
    return min(candidates, key=lambda c: _distance((c - anchor).days, ctx)).isoformat()


def _distance(days: int, ctx: _Context) -> float:
    """How far a reading lies from the anchor, weighted 3.5 times when on the other side from the tense (no ties)."""
    future = ctx.future
    wrong_side = (days < 0) if future else (days > 0)  # with no cue, news looks back
    return abs(days) * (3.5 if wrong_side else 1)


@rule(rf"{MOD}(?:{WEEKDAY},?\s+)?({MONTH})\s+({DAY})(?:,?\s+({YEAR}))?", reference=True)
def _month_day(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if m[1].lower() == "may" and m[1] != "May":
        return None
    day_ = int(re.sub(r"\D", "", m[2]))
    year = m[3] or _range_year(m.string, m.start(1), m.end(), _month(m[1]), days=True)
    if year:  # its own, or that of the other end of its range ("from Jan. 5 to March 3, 2014")
        try:
            return TimeType.DATE, date(int(year), _month(m[1]), day_).isoformat()
        except ValueError:
            return None
    value = _resolve_month_day(_month(m[1]), day_, ctx)
    return (TimeType.DATE, value) if value else None


@rule(rf"{MOD}(?:{WEEKDAY},?\s+)?(?:the\s+)?({DAY})\s+(?:of\s+)?({MONTH}),?\s+({YEAR})", reference=True)
def _day_month_year(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    try:
        return TimeType.DATE, date(int(m[3]), _month(m[2]), int(re.sub(r"\D", "", m[1]))).isoformat()
    except ValueError:
        return None


@rule(rf"{MOD}({MONTH}),?\s+(?:of\s+)?({YEAR}|{SPOKEN_YEAR})\b", reference=True)
def _month_year(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if re.search(r"\d\s*$", m.string[: m.start()]):
        return None  # "32 May 2018": the day made the date impossible; no month is read from it either
    return TimeType.DATE, f"{year_number(m[2]):04d}-{_month(m[1]):02d}"


@rule(
    r"(?:((?i:in|since|by|until|till|from|during|through|before|after|early|late|mid|last|next|this|coming|past))[- ])?"
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+((?i:this|last|next))\s+year)?(?!\s*\d)",  # a day after the month is the month-day rule's
    flags=0,
    reference=True,
)
def _month_alone(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    month = MONTHS[m[2].lower()]
    rel = (m[1] or "").lower()
    in_range = None if m[3] or rel in _RELATIVE_WORDS else _range_year(m.string, m.start(2), m.end(), month)
    if m[2] in ("May", "March") and not (m[1] or m[3] or in_range):
        return None  # alone, "May" and "March" are too often a verb or a name
    if in_range:  # "from January to November 2014": the year the range gives
        return TimeType.DATE, f"{in_range:04d}-{month:02d}"
    if ctx.anchor is None:
        return TimeType.DATE, f"XXXX-{month:02d}"
    year = ctx.anchor.year
    if m[3]:  # "in June last year"
        year += {"this": 0, "last": -1, "next": 1}[m[3].lower()]
    elif rel in ("last", "past"):
        year -= 1 if month >= ctx.anchor.month else 0
    elif rel in ("next", "coming"):
        year += 1 if month <= ctx.anchor.month else 0
    elif rel in ("by", "until", "till", "through"):
        year += 1 if month < ctx.anchor.month else 0  # a deadline: the next such month
    elif rel != "this":
        anchor_index = ctx.anchor.year * 12 + ctx.anchor.month
        year = min(
            (ctx.anchor.year + k for k in (-1, 0, 1)),
            key=lambda y: _distance(y * 12 + month - anchor_index, ctx),
        )
    return TimeType.DATE, f"{year:04d}-{month:02d}"


@rule(
    rf"{MOD}(?:(?:in|of|since|until|by|from|during|before|after|fiscal|calendar|the\s+year)\s+)?({YEAR})"
    r"(?:[-\u2013/](\d\d(?:\d\d)?)(?!\d))?(?:'s)?",
    reference=True,
)
def _year(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if re.search(rf"{MONTH},?\s*$", m.string[: m.start()], re.IGNORECASE):
        return None  # part of a month-year that its own rule declined (an impossible date)
    if m[2] and int(m[2]) != (int(m[1]) + 1) % 10 ** len(m[2]):
        return None  # "2014-15", "1999-2000": a season or a fiscal year, from its first year; "2014-05" is not
    if not is_year(m.string, m.start(1), m.end(1)):
        return None  # a telephone number, a clock time, a street number, an amount, a flight ...
    return TimeType.DATE, m[1]


@rule(rf"{MOD}(?:(?:in|of|since|until|by|the\s+year)\s+)?({SPOKEN_YEAR})\b", reference=True)
def _spoken_year(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    """Years as broadcast transcripts write them: "nineteen ninety-six", "the year two thousand"."""
    return TimeType.DATE, f"{year_number(m[1]):04d}"


@rule(rf"(?:the\s+)?({'|'.join(_SEASONS)})\s+(?:of\s+)?({YEAR}|{SPOKEN_YEAR})\b", reference=True)
def _season_year(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    return TimeType.DATE, f"{year_number(m[2]):04d}-{_SEASONS[m[1].lower()]}"


@rule(r"(?:the\s+)?(?:(?:early|late|mid)[- ])?(\d\d\d)0s|(?:the\s+)?'(\d)0s")
def _decade(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if m[1]:
        return TimeType.DATE, m[1]
    return TimeType.DATE, f"19{m[2]}"


def _weekday_date(target: int, rel: str, ctx: _Context) -> date:
    """The day named by a weekday ("Friday", "next Friday", "this Friday") in this context."""
    assert ctx.anchor is not None
    delta = (target - ctx.anchor.weekday()) % 7
    if rel in ("next", "coming") or (not rel and (ctx.clearly_future or ctx.future)):
        return ctx.anchor + timedelta(days=delta or (7 if rel else 0))
    if rel == "this":
        return ctx.anchor + timedelta(days=delta if ctx.future else delta - 7 if delta else 0)
    # past, or no sign: news reports the recent past
    back = (ctx.anchor.weekday() - target) % 7
    return ctx.anchor - timedelta(days=back or (7 if rel in ("last", "previous") else 0))


@rule(
    rf"{MOD}(?:(last|next|this|coming|past)\s+)?({WEEKDAY})(?:'s)?(?:\s+({PART}))?", flags=re.IGNORECASE, reference=True
)
def _weekday(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    target = WEEKDAYS[m[2].lower()]
    part = _PARTS[m[3].lower()] if m[3] else ""
    if ctx.anchor is None:
        return TimeType.DATE, "XXXX-WXX-" + str(target + 1)
    day_ = _weekday_date(target, (m[1] or "").lower(), ctx)
    if part:
        return TimeType.TIME, f"{day_.isoformat()}T{part}"
    return TimeType.DATE, day_.isoformat()


@rule(rf"(today|tonight|yesterday|tomorrow|last\s+night|this\s+{PART})(?:\s+({PART}))?", reference=True)
def _deictic_day(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    word = " ".join(m[1].lower().split())
    if ctx.anchor is None:
        return None
    offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
    d = (ctx.anchor + timedelta(days=offset)).isoformat()
    if word in ("tonight", "last night"):
        return TimeType.TIME, f"{d}TNI"
    if word.startswith("this"):
        return TimeType.TIME, f"{d}T{_PARTS[word.split()[-1]]}"
    if m[2]:
        return TimeType.TIME, f"{d}T{_PARTS[m[2].lower()]}"
    return TimeType.DATE, d


_ANAPHORIC_UNIT = r"(day|morning|afternoon|evening|night|week|month|quarter|year)"


def _reference_date(ctx: _Context, unit: str) -> date | None:
    """The last date the text spoke of, when it is as precise as ``unit`` needs (a day for a day
    or a part of one; a month for a month; a quarter, a month or a day for a quarter; any of them
    for a year; a week takes a day)."""
    ref = ctx.reference or ""
    day = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", ref[:10])
    month = re.match(r"(\d{4})-(\d\d)(?!\d)", ref)
    quarter = re.match(r"(\d{4})-Q([1-4])", ref)
    year = re.match(r"(\d{4})(?!\d)", ref)
    if day:
        return date(int(day[1]), int(day[2]), int(day[3]))
    if unit in ("month", "quarter", "year") and month:
        return date(int(month[1]), int(month[2]), 1)
    if unit in ("quarter", "year") and quarter:
        return date(int(quarter[1]), 3 * int(quarter[2]) - 2, 1)
    if unit == "year" and year:
        return date(int(year[1]), 1, 1)
    return None


#: The value of a day, month, week, quarter or year counted from a date too coarse to count from
#: ("in 2017 ... the next month"): a date of the story, not of the publication, but unknown.
_UNKNOWN = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX", "year": "XXXX"}


def _unknown_value(unit: str, known: str = "") -> tuple[TimeType, str]:
    """An unknown day, week, month, quarter or year, keeping the year and month ``known`` of it
    ("that same day", after "in October 1998": ``1998-10-XX``, as TimeML writes it)."""
    value = _UNKNOWN.get("day" if unit in _PARTS else unit, "XXXX-XX-XX")
    year = re.match(r"\d{4}", known)
    month = re.match(r"\d{4}-(\d\d)(?!\d)", known)
    if year:
        value = year[0] + value[4:]
    if month and value.startswith(f"{year[0] if year else 'XXXX'}-XX"):
        value = value[:5] + month[1] + value[7:]
    if unit in _PARTS:
        return TimeType.TIME, f"{value}T{_PARTS[unit]}"
    return TimeType.DATE, value


def _story_reference(ctx: _Context) -> bool:
    """Whether the text has spoken of a date yet (a calendar value, not "now" or "recently")."""
    return bool(ctx.reference and re.match(r"\d{4}", ctx.reference))


def _anaphoric_value(d: date, unit: str) -> tuple[TimeType, str]:
    if unit in _PARTS:
        return TimeType.TIME, f"{d.isoformat()}T{_PARTS[unit]}"
    return TimeType.DATE, _at_granularity(d, unit)


@rule(
    rf"((?:earlier|later)\s+)?(that|the\s+same|that\s+same)\s+{_ANAPHORIC_UNIT}"
    r"(?!\s+(?:last|next|this|a|one)\s+year|\s+a\s+year)",  # "the same month last year": another rule's
    reference=True,
    anaphoric=True,
)
def _that_day(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    """ "That day", "later the same day", "earlier that year": the day, month or year of the last
    date the text spoke of (a story's time moves with its dates, not with the publication's). No
    such date: no value is guessed; one too coarse: an unknown one. A bare "that" must follow a
    preposition or open a clause ("on that day", "That year, ..."), not a verb ("said that morning
    prayers ...")."""
    unit = m[3].lower()
    if not m[1] and m[2].lower() == "that" and not _OPENS_TIME.search(ctx.sentence[: ctx.span[0]]):
        return None
    if not _story_reference(ctx):
        return None
    d = _reference_date(ctx, unit)
    return _anaphoric_value(d, unit) if d else _unknown_value(unit, ctx.reference or "")


#: What may stand before a bare "that day": a preposition, or the opening of a clause.
_OPENS_TIME = re.compile(
    r"(?:^|[,;:(\u2014\u2013-]|\b(?:on|of|in|by|until|till|since|for|during|from|at|after|before|and))\s*$",
    re.IGNORECASE,
)


@rule(
    rf"the\s+(next|following|previous|preceding)\s+{_ANAPHORIC_UNIT}|the\s+(day)\s+(before|after)",
    reference=True,
    anaphoric=True,
)
def _next_day(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    """ "The next day", "the following month", "the previous week", "the day before": one step
    from the last date the text spoke of (not from the publication date, which "next month" and
    "tomorrow" count from). Ahead of the time of writing ("expects to hire in the next year",
    "over the next month"), a week, month, quarter or year counts from the publication, as "next
    year" does: that is left to the rule for those."""
    unit = (m[2] or m[3]).lower()
    word = (m[1] or m[4]).lower()
    if m[4] and re.match(r"\s*\w", ctx.sentence[m.end() :]):
        return None  # "the day before the vote", "the day after he arrived": counted from an event
    ahead = ctx.future or re.search(r"\b(?:in|over|during|within|for)\s*$", ctx.sentence[: ctx.span[0]], re.I)
    if not _story_reference(ctx) or (unit in _UNKNOWN and word == "next" and ahead):
        return None
    d = _reference_date(ctx, unit)
    if d is None:
        return _unknown_value(unit)
    step_unit = "day" if unit in _PARTS else unit
    d = _step(d, -1 if word in ("previous", "preceding", "before") else 1, step_unit)
    return _anaphoric_value(d, unit)


@rule(r"(now|currently|nowadays|at\s+present|at\s+the\s+moment|these\s+days)")
def _present(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    return TimeType.DATE, "PRESENT_REF"


@rule(r"(recently|the\s+past|formerly|in\s+the\s+past)")
def _past_ref(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    return TimeType.DATE, "PAST_REF"


@rule(r"(?:in\s+)?(the\s+future|the\s+near\s+future|the\s+coming\s+(?:years|months|weeks|days))")
def _future_ref(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    return TimeType.DATE, "FUTURE_REF"


_REL_UNIT = r"(week|month|year|quarter|weekend|decade|century|spring|summer|fall|autumn|winter|season)"


@rule(
    rf"{MOD}(last|next|this|coming|past|previous|current|the\s+(?:latest|current|past|previous|coming|next|last|full|fiscal)|the|earlier\s+this|later\s+this|(?:a|one)\s+year\s+earlier|(?:a|one)\s+year\s+ago|a\s+year\s+before)\s+{_REL_UNIT}",
    reference=True,
)
def _relative_unit(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    rel = " ".join(m[1].lower().split())
    unit = m[2].lower()
    if ctx.anchor is None:
        return None
    if unit in _SEASONS:
        year = ctx.anchor.year + (1 if rel in ("next", "coming", "the coming", "the next") else 0)
        year -= 1 if rel in ("last", "past", "previous", "the past", "the previous", "the last") else 0
        return TimeType.DATE, f"{year}-{_SEASONS[unit]}"
    if unit == "season":
        return None
    if rel == "the":
        if unit == "quarter":
            if ctx.reference and re.fullmatch(r"\d{4}-Q\d", ctx.reference):
                return TimeType.DATE, ctx.reference
            return TimeType.DATE, _at_granularity(_step(ctx.anchor, -1, unit), unit)
        if unit == "weekend":
            return TimeType.DATE, _weekend(ctx)
    if rel in ("the", "the full", "the fiscal") and unit == "year":
        if re.match(r"\s*-|\s+(?:two|end)", m.string[m.end() :]):
            return None  # "the year-ago quarter", "the year ended ...", "the year two thousand": other rules'
        # "for the year", "the full year": the year being reported on
        return TimeType.DATE, ctx.reference[:4] if ctx.reference else str(ctx.anchor.year)
    if rel == "the":
        return None  # "the week", "the month": too vague alone
    if "year earlier" in rel or "year ago" in rel or "year before" in rel:
        return TimeType.DATE, _year_back(ctx, unit)
    step = {"last": -1, "past": -1, "previous": -1, "the past": -1, "the previous": -1, "the last": -1,
            "next": 1, "coming": 1, "the coming": 1, "the next": 1}.get(rel, 0)  # fmt: skip
    if rel in ("the latest", "the current", "current") and unit == "quarter":
        if ctx.reference and re.fullmatch(r"\d{4}-Q\d", ctx.reference):
            return TimeType.DATE, ctx.reference
        if rel == "the latest":  # the last quarter with results: the one before the anchor's
            return TimeType.DATE, _at_granularity(_step(ctx.anchor, -1, unit), unit)
    if unit == "weekend":
        return TimeType.DATE, _weekend(ctx, step)
    return TimeType.DATE, _at_granularity(_step(ctx.anchor, step, unit), unit)


def _weekend(ctx: _Context, step: int = 0) -> str:
    assert ctx.anchor is not None
    d = ctx.anchor + timedelta(weeks=step)
    if not step and ctx.past and ctx.anchor.weekday() < 5:
        d -= timedelta(weeks=1)
    return _iso_week(d) + "-WE"


def _year_back(ctx: _Context, unit: str = "year") -> str:
    """A year before the last date spoken of (at its granularity), else before the anchor."""
    ref = ctx.reference
    if ref:
        q = re.fullmatch(r"(\d{4})-Q(\d)", ref)
        if q:
            return f"{int(q[1]) - 1}-Q{q[2]}"
        mo = re.fullmatch(r"(\d{4})-(\d\d)", ref)
        if mo:
            return f"{int(mo[1]) - 1}-{mo[2]}"
        y = re.match(r"(\d{4})", ref)
        if y:  # a year, or a day or week of it: "a year earlier" is the year before
            return str(int(y[1]) - 1)
    if ctx.anchor is None:
        return "PAST_REF"  # no date to count back from (an undated document whose last date has no year)
    return str(ctx.anchor.year - 1)


@rule(r"(?:the\s+)?(?:fiscal\s+)?year(?=\s+end(?:ed|ing)\b)")
def _year_ended(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    """ "the year ended Sept. 30": a year-long period; the date that ends it is tagged on its own."""
    return TimeType.DURATION, "P1Y"


@rule(r"(?:(since|by|until|before|at|around)\s+)?(?:the\s+)?year[- ]end\b(?![- ]?(?:ed|ing))")
def _year_end(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if ctx.anchor is None:
        return TimeType.DATE, "XXXX-12-31"
    since = (m[1] or "").lower() == "since" or (not m[1] and ctx.past)
    return TimeType.DATE, f"{ctx.anchor.year - (1 if since else 0)}-12-31"


@rule(r"(?:a\s+|one\s+)?year[- ](?:earlier|ago|before)")
def _year_earlier(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if ctx.anchor is None and not ctx.reference:
        return None
    return TimeType.DATE, _year_back(ctx)


@rule(rf"{MOD}({NUM})\s+{UNITS.replace('(?:', '(', 1)}\s+(ago|earlier|later|from\s+now|hence)")
def _units_ago(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    amount = number(m[1])
    unit = m[2]
    word = m[3].lower()
    # ("three days after the vote" is left to the duration rule: a span from another event, not a date)
    if ctx.anchor is None:
        return None
    if amount is None:
        return TimeType.DATE, "PAST_REF" if word in ("ago", "earlier") else "FUTURE_REF"
    sign = -1 if word in ("ago", "earlier") else 1
    if unit.lower().startswith(("hour", "minute", "second")):
        return TimeType.DATE, ctx.anchor.isoformat()
    if unit.lower().startswith("year") and m[3].lower() in ("earlier", "before") and amount == 1:
        return TimeType.DATE, _year_back(ctx)
    return TimeType.DATE, _at_granularity(_step(ctx.anchor, sign * int(amount), unit), unit)


@rule(
    rf"(?:(?:for|over|during|in|within|the\s+(?:past|last|next|first|latest|previous|coming|full))\s+)?(?:the\s+)?{MOD}({NUM})\s+{UNITS.replace('(?:', '(', 1)}(\s+and\s+a\s+half)?(?:'s)?"
)
def _duration(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if m[2].lower() == "second" and m[1].lower() in ("a", "an"):
        return None  # "a second term": an ordinal
    amount = number(m[1])
    if amount is not None and m[3]:
        amount += 0.5
    if amount is not None and amount >= 1000 and re.fullmatch(r"\d{4}", m[1]):
        return None  # "the 1988 quarter": a year, not a count
    if re.match(r"\s*-?\s*old\b|-", m.string[m.end() : m.end() + 5]):
        return None
    return TimeType.DURATION, duration_value(amount, m[2])


@rule(
    rf"({NUM})[- ]({UNITS.replace('(?:', '').replace(')', '').replace('s?', '')})(?:[- ]old|[- ]long)?",
    flags=re.IGNORECASE,
)
def _duration_adjective(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if "-" not in m.group(0) or m.group(0).lower().endswith("old"):
        return None  # "a 6-year-old" is an age, not a time
    return TimeType.DURATION, duration_value(number(m[1]), m[2])


@rule(
    r"(?:the\s+)?(?:past\s+|last\s+|recent\s+)?(years|months|weeks|days|decades|hours|quarters)(?!\s+(?:ago|earlier|later))"
)
def _vague_duration(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if re.search(r"\d\s*$", m.string[: m.start()]):
        return None  # "at 1800 hours" is a clock time, not a vague duration
    return TimeType.DURATION, duration_value(None, m[1])


@rule(
    rf"{MOD}(?:the\s+|(this|last|next)\s+year's\s+|({YEAR})\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)[- ](quarter|half)(?:\s+(?:of\s+)?(?:fiscal\s+)?({YEAR}))?",
    reference=True,
)
def _quarter_rule(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    n = _ORDINALS[m[3].lower()]
    kind = "Q" if m[4].lower() == "quarter" else "H"
    explicit = m[5] or m[2]
    if explicit:
        year = int(explicit)
    elif m[1] and ctx.anchor is not None:
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m[1].lower()]
    elif ctx.anchor is not None:
        current = _quarter(ctx.anchor) if kind == "Q" else (1 if ctx.anchor.month <= 6 else 2)
        year = ctx.anchor.year - (1 if n > current and not ctx.future else 0)
    else:
        return TimeType.DATE, f"XXXX-{kind}{n}"
    return TimeType.DATE, f"{year}-{kind}{n}"


@rule(
    r"(daily|weekly|monthly|hourly|every\s+(day|week|month|year|quarter)|each\s+(day|week|month|year)|(?:a|per)\s+(day|week|month|year)(?=\s*[,.;]|\s*$))"
)
def _set(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    word = m[1].lower()
    unit = m[2] or m[3] or m[4] or word
    letter = {"dai": "D", "day": "D", "wee": "W", "mon": "M", "ann": "Y", "yea": "Y", "qua": "Q", "hou": "H"}[unit[:3]]
    if letter == "Q":
        return TimeType.SET, "P3M"
    return TimeType.SET, f"PT1{letter}" if letter == "H" else f"P1{letter}"


_ZONE = r"(?:\s+\(?(?:[ECMP][SD]T|GMT|UTC|BST|CET)\)?)"


@rule(
    rf"(?:at\s+)?(?:(\d{{1,2}})(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?)|(noon|midnight)){_ZONE}?"
    rf"(?:,?\s+(?:on\s+)?({WEEKDAY}|today|yesterday|tomorrow))?"
)
def _clock(m: re.Match[str], ctx: _Context) -> tuple[TimeType, str] | None:
    if m[4]:
        hour, minute = (12 if m[4].lower() == "noon" else 24), 0
        if not m[5]:
            return None  # "noon" alone: a time of day with no day to hang it on
    else:
        hour, minute = int(m[1]), int(m[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        if m[3].lower().startswith("p") and hour < 12:
            hour += 12
        elif m[3].lower().startswith("a") and hour == 12:
            hour = 0
    if ctx.anchor is None:
        return TimeType.TIME, f"XXXX-XX-XXT{hour:02d}:{minute:02d}"
    d = ctx.anchor
    if m[5]:
        word = m[5].lower()
        if word in WEEKDAYS:
            d = _weekday_date(WEEKDAYS[word], "", ctx)
        else:
            d = ctx.anchor + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(word, 0))
    return TimeType.TIME, f"{d.isoformat()}T{hour:02d}:{minute:02d}"


# -- the tagger ------------------------------------------------------------------------------
@dataclass
class _Candidate:
    start: int
    end: int
    rule: _Rule
    match: re.Match[str]
    order: int = field(default=0)


# Every rule needs one of these in its sentence; most sentences of news have none, and skip the rules.
_HINT = re.compile(
    rf"\d|{MONTH}|{WEEKDAY}|\b(?:today|tonight|yesterday|tomorrow|now|nowadays|current(?:ly)?|present|moment|"
    r"recent(?:ly)?|past|formerly|future|(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|"
    r"centur(?:y|ies)|quarters?|seasons?|weekends?|spring|summer|fall|autumn|winter|noon|midnight|mornings?|"
    r"afternoons?|evenings?|nights?|overnight|daily|weekly|monthly|hourly|annual(?:ly)?|ago|earlier|later|"
    r"nineteen|thousand|half|fiscal)\b)",
    re.IGNORECASE,
)


def _date_before(candidates: list[_Candidate], c: _Candidate, ctx: _Context) -> str | None:
    """The value of the last explicit date before ``c`` in its sentence (for weighing an anaphoric
    candidate before the sentence is read in order)."""
    before = [d for d in candidates if d.end <= c.start and d.rule.sets_reference and not d.rule.anaphoric]
    for d in sorted(before, key=lambda d: (-d.end, d.start)):
        ctx.focus(d.start, d.end)
        result = d.rule.handler(d.match, ctx)
        if result is not None and result[0] is TimeType.DATE and re.match(r"\d{4}", result[1]):
            return result[1]
    return None


def find_times(text: str, anchor: date | None = None) -> list[TimeExpression]:
    """All time expressions in ``text``, left to right, relative ones resolved against ``anchor``."""
    ctx = _Context(anchor)
    out: list[TimeExpression] = []
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        if not _HINT.search(sentence):
            continue
        ctx.read_sentence(sentence)
        candidates: list[_Candidate] = []
        for order, r in enumerate(_RULES):
            for m in r.pattern.finditer(sentence):
                if m.end() > m.start():
                    candidates.append(_Candidate(m.start(), m.end(), r, m, order))
        # longest first, then the earlier rule; a candidate its rule declines leaves room for others
        candidates.sort(key=lambda c: (-(c.end - c.start), c.order, c.start))
        taken: list[tuple[_Candidate, TimeType, str]] = []
        for c in candidates:
            if any(c.start < t.end and t.start < c.end for t, _, _ in taken):
                continue
            carried = ctx.reference
            if c.rule.anaphoric:  # "arrived on March 3 and left the next day": March 3 counts
                ctx.reference = _date_before(candidates, c, ctx) or carried
            ctx.focus(c.start, c.end)
            result = c.rule.handler(c.match, ctx)
            ctx.reference = carried
            if result is not None:
                taken.append((c, *result))
        for c, _, _ in sorted(taken, key=lambda t: t[0].start):
            ctx.focus(c.start, c.end)
            result = c.rule.handler(c.match, ctx)  # again, in text order: the reference moves along
            if result is None:
                continue
            kind, value = result
            start, end = s_start + c.start, s_start + c.end
            out.append(TimeExpression(start, end, text[start:end], kind, value))
            if c.rule.sets_reference and kind is TimeType.DATE and re.match(r"\d{4}", value):
                ctx.reference = _moved_to(ctx.reference, value, text[start:end])
    return out


#: The present year, month or week named as such: the time around the story, not a step in it.
_CURRENT = re.compile(r"(?:this|the\s+current)\s+(?:year|month|week)", re.IGNORECASE)


def _moved_to(reference: str | None, value: str, words: str) -> str:
    """The story's date after it names ``value`` in ``words``: ``value``, unless the words name the
    present year, month or week and it holds the date the story is at ("On Friday ... the partner
    country this year. He leaves later the same day": still Friday). "Earlier this year", "this
    weekend", a season or a year of its own ("In 2017, ...") move the story as any date does."""
    if reference is None or not _CURRENT.fullmatch(words.strip()):
        return value
    wide, narrow = value_range(value), value_range(reference)
    if wide and narrow and wide[0] <= narrow[0] and narrow[1] <= wide[1] and wide != narrow:
        return reference
    return value
