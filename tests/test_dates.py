from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.clean.dates import date_from_url, parse_dateline, parse_metadata_date
from storyline.model import DateSource, Granularity


@pytest.mark.parametrize(
    ("line", "iso", "granularity"),
    [
        ("01 Jun 2017", "2017-06-01", Granularity.DAY),
        ("May 21, 2018", "2018-05-21", Granularity.DAY),
        ("2018-05-21", "2018-05-21", Granularity.DAY),
        ("Published: 5 October 2018 14:20 IST", "2018-10-05T14:20:00+05:30", Granularity.MINUTE),
        ("Updated on Sep 4, 2019", "2019-09-04", Granularity.DAY),
        ("Thursday, June 1, 2017 at 3:15 pm", "2017-06-01T15:15:00+00:00", Granularity.MINUTE),
        ("21. Mai 2018", "2018-05-21", Granularity.DAY),
        ("21 de mayo de 2018", "2018-05-21", Granularity.DAY),
        ("21.05.2018", "2018-05-21", Granularity.DAY),
        ("May 2018", "2018-05", Granularity.MONTH),
    ],
)
def test_datelines(line: str, iso: str, granularity: Granularity) -> None:
    date, author = parse_dateline(line)
    assert date is not None
    assert date.isoformat() == iso
    assert date.granularity is granularity
    assert date.source is DateSource.DATELINE
    assert author is None


def test_dateline_with_byline_and_time() -> None:
    date, author = parse_dateline("By Asha Rao | May 21, 2018 | 10:30 IST")
    assert author == "Asha Rao"
    assert date is not None and date.value == datetime(
        2018, 5, 21, 10, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert date.zone_given


@pytest.mark.parametrize(
    "line",
    [
        "32 May 2018",
        "30 February 2019",
        "The talks ended on May 21, 2018",
        "Modi to fly to Sochi on May 21",
        "G-20 summit 2018",
        "",
    ],
)
def test_not_datelines(line: str) -> None:
    assert parse_dateline(line) == (None, None)


@pytest.mark.parametrize(
    ("value", "expected", "zone_given"),
    [
        ("2018-10-05T14:20:00+05:30", "2018-10-05T14:20:00+05:30", True),
        ("2018-10-05T08:50:00Z", "2018-10-05T08:50:00+00:00", True),
        ("Fri, 05 Oct 2018 08:50:00 +0000", "2018-10-05T08:50:00+00:00", True),
        ("1538729400", "2018-10-05T08:50:00+00:00", True),
        ("2019-09-04 10:00", "2019-09-04T10:00:00+00:00", False),
    ],
)
def test_metadata_dates(value: str, expected: str, zone_given: bool) -> None:
    found = parse_metadata_date(value)
    assert found is not None
    assert found.value.isoformat() == expected
    assert found.zone_given is zone_given
    assert found.source is DateSource.METADATA


def test_metadata_date_only_is_day_granular() -> None:
    found = parse_metadata_date("2018-10-05")
    assert found is not None and found.granularity is Granularity.DAY and not found.zone_given


@pytest.mark.parametrize("value", ["yesterday", "2018-13-45", "not a date", "32 May 2018"])
def test_bad_metadata_dates(value: str) -> None:
    assert parse_metadata_date(value) is None


@pytest.mark.parametrize(
    ("url", "iso"),
    [
        ("https://x.example/world/2019/09/04/modi-putin.html", "2019-09-04"),
        ("https://x.example/2018-05-21-sochi-summit", "2018-05-21"),
        ("https://x.example/news/20141211/story", "2014-12-11"),
        ("https://x.example/2016/10/goa", "2016-10"),
        ("https://x.example/2018/13/01/x", None),
        ("https://x.example/2019/news", None),
        ("https://2019.example/a", None),
    ],
)
def test_url_dates(url: str, iso: str | None) -> None:
    found = date_from_url(url)
    assert (found.isoformat() if found else None) == iso
    if found:
        assert found.source is DateSource.URL


@given(st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)))  # noqa: DTZ001
def test_iso_metadata_round_trip(value: datetime) -> None:
    value = value.replace(microsecond=0)
    found = parse_metadata_date(value.isoformat())
    assert found is not None and found.value == value


@given(
    st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)),
    st.sampled_from(["%d %b %Y", "%B %d, %Y", "%Y-%m-%d", "%d %B %Y"]),
)
def test_dateline_round_trip(day: object, fmt: str) -> None:
    text = day.strftime(fmt)  # type: ignore[attr-defined]
    date, _ = parse_dateline(text)
    assert date is not None and date.value.date() == day


@pytest.mark.parametrize(
    "value",
    [
        "nan", "NaN", "inf", "-inf", "1e400", "99999999999999999999", "9999999999", "-1538729400",
        "0000-01-01", "0000-01-01T00:00:00", "10000-01-01T00:00:00", "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00", "2018-05-21T10:30:00+99:99", "2018-05-21T10:30:00+23:59",
        "2018-05-21T10:30:00+05:75", "Fri, 05 Oct 10000 08:50:00 +0000", "Fri, 05 Oct 2018 08:50:00 +9999",
        "x" * 100_000,
    ],
)  # fmt: skip
def test_impossible_metadata_dates_are_none(value: str) -> None:
    assert parse_metadata_date(value) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2018-05-21T10:30:00+14:00", "2018-05-21T10:30:00+14:00"),  # Kiribati
        ("2018-05-21T10:30:00-12:00", "2018-05-21T10:30:00-12:00"),
        ("Fri, 05 Oct 2018 08:50:00 +2500", "2018-10-05T08:50:00+00:00"),  # no zone: the clock time as written
    ],
)
def test_zone_offsets_at_the_edges(value: str, iso: str) -> None:
    found = parse_metadata_date(value)
    assert found is not None and found.value.isoformat() == iso


@given(st.text(max_size=60))
def test_date_parsers_never_raise(text: str) -> None:
    for value in (text, f"2018-05-21T10:30:00{text}", f"May 21, 2018 10:30 {text}", f"/2018/05/{text}"):
        parse_metadata_date(value)
        parse_dateline(value)
        date_from_url(value)


@given(st.integers(), st.integers(), st.integers(min_value=-99, max_value=99), st.integers(min_value=0, max_value=99))
def test_numeric_extremes_never_raise(year: int, epoch: int, hours: int, minutes: int) -> None:
    zone = f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:{minutes:02d}"
    for value in (str(epoch), f"{epoch}.5", f"{year:04d}-05-21T10:30:00{zone}", f"21 May {year} 10:30 {zone}"):
        found = parse_metadata_date(value)
        assert found is None or 1900 <= found.value.year <= 2099
    date, _ = parse_dateline(f"May 21, 2018 10:30 {zone}")
    offset = (1 if hours >= 0 else -1) * (abs(hours) * 60 + minutes)
    assert date is not None and date.zone_given is (minutes < 60 and -12 * 60 <= offset <= 14 * 60)
