from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.model import (
    Article,
    ContentKind,
    DateSource,
    Document,
    Duplicate,
    Granularity,
    PublishedDate,
    content_id,
    document_from_dict,
    document_to_dict,
)


def test_content_id_folds_case_and_spacing_but_not_words() -> None:
    assert content_id("Modi met Putin.") == content_id("  modi   MET\nputin. ")
    assert content_id("Modi met Putin.") != content_id("Modi met Xi.")
    assert len(content_id("x")) == 20


def test_records_refuse_naive_datetimes_and_empty_text() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        PublishedDate(datetime(2018, 5, 21), Granularity.DAY, DateSource.DATELINE, "May 21, 2018")  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        Article(b"x", ContentKind.SCRAPED_TEXT, "a.txt", "a.txt", fetched_at=datetime(2020, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="empty"):
        Document(id="x", text="   ", source_id="a", origin="a")


def test_published_isoformat_keeps_granularity() -> None:
    v = datetime(2018, 5, 21, 10, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert PublishedDate(v, Granularity.MONTH, DateSource.URL, "/2018/05").isoformat() == "2018-05"
    assert PublishedDate(v, Granularity.DAY, DateSource.URL, "x").isoformat() == "2018-05-21"
    assert PublishedDate(v, Granularity.MINUTE, DateSource.METADATA, "x").isoformat() == "2018-05-21T10:30:00+05:30"


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1).filter(lambda t: t.strip())
_opt = st.none() | st.text(max_size=30)
_dates = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-4))]),
)
_published = st.none() | st.builds(
    PublishedDate,
    _dates,
    st.sampled_from(list(Granularity)),
    st.sampled_from(list(DateSource)),
    st.text(max_size=20),
    st.booleans(),
)
documents = st.builds(
    Document,
    id=st.text(alphabet="0123456789abcdef", min_size=20, max_size=20),
    text=_text,
    source_id=st.text(min_size=1, max_size=20),
    origin=st.text(min_size=1, max_size=40),
    title=_opt,
    url=_opt,
    source=_opt,
    author=_opt,
    published=_published,
    language=st.none() | st.sampled_from(["en", "de", "tr"]),
    captions=st.lists(st.text(max_size=40), max_size=3).map(tuple),
    credits=st.lists(st.text(max_size=40), max_size=3).map(tuple),
    boilerplate=st.lists(st.text(max_size=40), max_size=3).map(tuple),
    fetched_at=st.none() | _dates,
    duplicate=st.none()
    | st.builds(Duplicate, st.text(alphabet="0123456789abcdef", min_size=20, max_size=20), st.floats(0.5, 1.0)),
    notes=st.lists(st.text(max_size=40), max_size=2).map(tuple),
)


@given(documents)
def test_document_dict_round_trip(doc: Document) -> None:
    assert document_from_dict(document_to_dict(doc)) == doc
