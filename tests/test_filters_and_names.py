"""Happenings found by name and filtered for doubt and kind, alike in the Python API, the CLI and
the REST API, on both store backends (the analysed sample corpus)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import storyline
from storyline.cli.app import app
from storyline.config import ServerConfig
from storyline.errors import UsageError
from storyline.model.clusters import StorylineRecord
from storyline.server.app import create_app
from storyline.store.filters import HappeningFilter

from .postgres_server import Analyzed


@pytest.fixture(scope="module")
def sl(analyzed_store: Analyzed) -> Iterator[storyline.Storyline]:
    with storyline.open(analyzed_store.location) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(analyzed_store: Analyzed) -> Iterator[TestClient]:
    with TestClient(create_app(analyzed_store.location, ServerConfig()), raise_server_exceptions=False) as c:
        yield c


def _india_russia(sl: storyline.Storyline) -> StorylineRecord:
    return next(s for s in sl.storylines(limit=None) if s.label == "India – Russia")


def test_a_storyline_is_found_by_id_prefix_or_label(sl: storyline.Storyline) -> None:
    line = _india_russia(sl)
    assert sl.resolve_storyline(line.id) == (line.id, None)
    assert sl.resolve_storyline(line.id[:6]) == (line.id, None)
    assert sl.resolve_storyline("India – Russia") == (line.id, None)
    for spelled in ("india-russia", "INDIA - RUSSIA", " India/Russia "):
        found, note = sl.resolve_storyline(spelled)
        assert found == line.id and note is not None and "India – Russia" in note
    with pytest.raises(UsageError) as missing:
        sl.resolve_storyline("Atlantis – Russia")
    assert missing.value.code == "not-found" and "Atlantis" in str(missing.value)
    by_label = sl.timeline(storyline="india-russia", limit=None)
    assert by_label == sl.timeline(storyline=line.id, limit=None) and len(by_label) > 5


def test_an_ambiguous_label_lists_the_candidates(sl: storyline.Storyline, monkeypatch: pytest.MonkeyPatch) -> None:
    twins = [StorylineRecord(f"Stwin{i}", "Alpha – Beta", {}, None, None, 1, 1) for i in range(2)]
    monkeypatch.setattr(sl.store, "storylines", lambda limit=50, offset=0: twins)
    with pytest.raises(UsageError) as ambiguous:
        sl.resolve_storyline("alpha-beta")
    assert ambiguous.value.code == "ambiguous"
    assert ambiguous.value.candidates == ("Alpha – Beta [Stwin0]", "Alpha – Beta [Stwin1]")
    with pytest.raises(UsageError) as by_prefix:
        sl.resolve_storyline("Stwi")
    assert by_prefix.value.code == "ambiguous"


def test_filters_pick_what_they_say_and_counts_agree(sl: storyline.Storyline) -> None:
    every = sl.clusters(limit=None, include_tentative=True)
    planned = sl.clusters(status="planned", limit=None)
    assert planned and {c.status for c in planned} == {"planned"}
    assert sl.count_clusters(status="planned") == len(planned)
    meetings = sl.clusters(kind="meeting", limit=None)
    assert meetings and all(c.subtype == "meeting" or c.type == "MEETING" for c in meetings)
    consult = sl.clusters(kind="consult", limit=None)
    assert {c.id for c in meetings} <= {c.id for c in consult} and {c.type for c in consult} == {"CONSULT"}
    # the fewest sources counts the articles every listing shows for a happening
    solid = sl.clusters(min_sources=3, limit=None, include_tentative=True)
    assert solid and {c.id for c in solid} == {c.id for c in every if c.documents >= 3}
    sure = sl.clusters(min_confidence=0.9, limit=None)
    assert sure and all(c.confidence is not None and c.confidence >= 0.9 for c in sure)
    assert len(sure) < len(sl.clusters(limit=None))
    both = sl.happening_filter(status=["planned", "occurred"], min_sources=2)
    found = sl.clusters(both, limit=None)
    assert {c.status for c in found} <= {"planned", "occurred"} and all(c.documents >= 2 for c in found)
    assert sl.count_clusters(both) == len(found)
    dated = sl.timeline(both, limit=None)
    assert [e.event_id for e in dated] == [c.id for c in found if c.start is not None]
    assert sl.count_clusters(replace(both, dated_only=True)) == len(dated)


def test_bad_filter_values_and_unknown_names_are_usage_errors(sl: storyline.Storyline) -> None:
    for bad in ({"status": "bogus"}, {"min_confidence": 1.5}, {"min_sources": 0}):
        with pytest.raises(UsageError) as raised:
            sl.clusters(**bad)
        assert raised.value.code == "invalid"
    with pytest.raises(UsageError) as unknown:
        sl.timeline(entity="Nobody Atall")
    assert unknown.value.code == "not-found" and "Nobody Atall" in str(unknown.value)
    with pytest.raises(UsageError):
        sl.clusters(HappeningFilter(), status="planned")  # one or the other
    with pytest.raises(UsageError):
        HappeningFilter(status=("held",))


def test_the_cli_finds_storylines_by_label_and_exits_as_it_should(analyzed_store: Analyzed) -> None:
    db = analyzed_store.location
    runner = CliRunner()
    found = runner.invoke(app, ["timeline", "--db", db, "--storyline", "india-russia"])
    assert found.exit_code == 0 and "is 'India – Russia'" in found.stderr and "Sochi" in found.stdout
    missing = runner.invoke(app, ["timeline", "--db", db, "--storyline", "Atlantis"])
    assert missing.exit_code == 1 and "no storyline 'Atlantis'" in missing.stderr
    bad = runner.invoke(app, ["clusters", "--db", db, "--status", "bogus"])
    assert bad.exit_code == 2 and "unknown status 'bogus'" in bad.stderr
    nobody = runner.invoke(app, ["clusters", "--db", db, "--entity", "Nobody Atall"])
    assert nobody.exit_code == 1 and "no entity 'Nobody Atall'" in nobody.stderr
    planned = runner.invoke(app, ["clusters", "--db", db, "--status", "planned", "--json"])
    assert planned.exit_code == 0 and planned.stdout.strip()
    assert all('"status": "planned"' in line for line in planned.stdout.splitlines())
    solid = runner.invoke(app, ["timeline", "--db", db, "--kind", "meeting", "--min-sources", "3"])
    assert solid.exit_code == 0 and "meeting" in solid.stdout


def _page(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_rest_api_takes_the_same_names_and_filters(client: TestClient, sl: storyline.Storyline) -> None:
    line = _india_russia(sl)
    by_label = _page(client, "/api/timeline", storyline="India-Russia", limit=500)
    assert by_label == _page(client, "/api/timeline", storyline=line.id, limit=500) and by_label["total"] > 5
    assert client.get(f"/api/storylines/{line.id[:6]}").json()["id"] == line.id
    assert client.get("/api/storylines/india-russia").json()["id"] == line.id
    missing = client.get("/api/timeline", params={"storyline": "Atlantis"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not-found"
    assert client.get("/api/clusters", params={"entity": "Nobody Atall"}).status_code == 404
    assert client.get("/api/clusters", params={"status": "bogus"}).status_code == 422
    planned = _page(client, "/api/clusters", status="planned", limit=500)
    assert planned["total"] == len(planned["items"]) == sl.count_clusters(status="planned") > 0
    solid = _page(client, "/api/clusters", min_sources=3, kind="meeting", tentative="true", limit=500)
    assert {c["id"] for c in solid["items"]} == {
        c.id for c in sl.clusters(min_sources=3, kind="meeting", include_tentative=True, limit=None)
    }
    assert client.get("/api/map", params={"storyline": "india-russia"}).status_code == 200


ANNOUNCEMENT = (
    "Modi to travel to Sochi for talks with Putin\n\n"
    "Prime Minister Narendra Modi will travel to Sochi on May 21 for an informal summit with Russian President "
    "Vladimir Putin, the foreign ministry said. The two leaders are expected to discuss the Iran nuclear deal, "
    "trade and defence cooperation during the one-day visit to the Black Sea resort.\n"
)


def test_a_user_gives_an_undated_article_its_date(analyzed_corpus: Path, tmp_path: Path) -> None:
    """A plain-text announcement with no dateline joins the Sochi summit by its nearest articles
    only, its "May 21" having no year; `storyline set-date` gives it its date, annotates it again
    and places it again: the same happening, now as the announcement of the trip."""
    db = str(tmp_path / "corpus.db")
    Path(db).write_bytes(analyzed_corpus.read_bytes())
    article = tmp_path / "announcement.txt"
    article.write_text(ANNOUNCEMENT)

    def sochi(sl: storyline.Storyline) -> dict[str, set[str]]:
        may = sl.timeline(entity=["Narendra Modi", "Vladimir Putin"], date_from="2018-05", date_to="2018-05")
        return {e.event_id: {s.status for s in e.sources if s.document_id == doc_id} for e in may}

    with storyline.open(db) as sl:
        doc_id = sl.analyze(article).stored_ids[0]
        assert sl.get(doc_id).published is None
        undated = sl.stats()["undated"]
        before = {k: v for k, v in sochi(sl).items() if v}
        # without a year its own event is undated: it joined by its nearest articles, and the
        # event it mainly reports, the planned trip, speaks for it there
        assert len(before) == 1 and set().union(*before.values()) == {"planned"}
        assert sl.store.document_clusters()[doc_id][0] == next(iter(before))
    runner = CliRunner()
    bad = runner.invoke(app, ["set-date", doc_id[:8], "someday", "--db", db])
    assert bad.exit_code == 2 and "'someday' is not a date" in bad.stderr
    missing = runner.invoke(app, ["set-date", "ffffffff", "2018-05-18", "--db", db])
    assert missing.exit_code == 1
    done = runner.invoke(app, ["set-date", doc_id[:8], "May 18, 2018", "--db", db])
    assert done.exit_code == 0, done.output
    assert "undated -> 2018-05-18 (given)" in done.stdout
    with storyline.open(db) as sl:
        published = sl.get(doc_id).published
        assert published is not None and published.source.value == "given"
        assert published.value.date().isoformat() == "2018-05-18"
        assert sl.stats()["undated"] == undated - 1
        after = {k: v for k, v in sochi(sl).items() if v}
        # annotated again: "May 21" is 2018-05-21 now, and its planned trip joins the same happening
        assert list(after) == list(before) and set().union(*after.values()) == {"planned"}
        assert any(e.time and e.time.value == "2018-05-21" for e in sl.annotations(doc_id).events)


def test_the_analyst_questions_take_one_command_each(analyzed_corpus: Path) -> None:
    """On the sample corpus: when did Modi and Putin meet, and which meetings were only planned;
    which articles report the same happening as the Sochi announcement; the India-Russia
    storyline."""
    db = str(analyzed_corpus)
    runner = CliRunner()
    leaders = ["-e", "Narendra Modi", "-e", "Vladimir Putin"]
    met = runner.invoke(app, ["timeline", "--db", db, *leaders, "--kind", "CONSULT", "--json"])
    dates = {json.loads(line)["date"] for line in met.stdout.splitlines()}
    assert met.exit_code == 0 and {"2017-06-01", "2018-05-21"} <= dates
    planned = runner.invoke(app, ["clusters", "--db", db, *leaders, "--status", "planned", "--json"])
    assert planned.exit_code == 0
    # every summit of theirs the corpus announces, it also reports held: none is only planned (the
    # 2014 Delhi summit's preview, "the first ... since Mr Modi took office in May", once made one)
    assert planned.stdout.strip() == "", planned.stdout
    for line in planned.stdout.splitlines():
        happening = json.loads(line)
        # only planned: announced, and no article reports it held
        assert happening["status"] == "planned"
        assert {s["status"] for s in happening["sources"]} <= {"planned", "similar"}
    announcement = runner.invoke(app, ["show", "dcc704ec32", "--db", db])
    assert announcement.exit_code == 0
    same = announcement.stdout.split("happening: ", 1)[1]
    assert "2018-05-21" in same.splitlines()[0] and "storyline India – Russia" in same.splitlines()[0]
    for report in ("Modi, Putin hold 'informal' talks in Sochi", "Putin and Modi hold first informal summit in Sochi"):
        assert report in same
    story = runner.invoke(app, ["timeline", "--db", db, "--storyline", "India-Russia", "--json"])
    entries = [json.loads(line) for line in story.stdout.splitlines()]
    assert story.exit_code == 0 and len(entries) > 10
    assert {"2016-10-15", "2017-06-01", "2018-05-21"} <= {e["date"] for e in entries}


def test_one_word_for_happenings_with_the_old_names_kept(
    client: TestClient, sl: storyline.Storyline, analyzed_store: Analyzed
) -> None:
    assert sl.happenings(status="planned", limit=None) == sl.clusters(status="planned", limit=None)
    assert sl.count_happenings(min_sources=2) == sl.count_clusters(min_sources=2) > 0
    new = _page(client, "/api/happenings", status="planned", limit=100)
    assert new == _page(client, "/api/clusters", status="planned", limit=100) and new["total"] > 0
    one = new["items"][0]["id"]
    assert client.get(f"/api/happenings/{one}").json() == client.get(f"/api/clusters/{one}").json()
    assert client.get("/api/happenings/Cnothing").status_code == 404
    schema = client.get("/openapi.json").json()["paths"]
    assert (
        schema["/api/clusters"]["get"].get("deprecated") is True
        and "deprecated" not in schema["/api/happenings"]["get"]
    )
    runner = CliRunner()
    old = runner.invoke(app, ["clusters", "--db", analyzed_store.location, "--status", "planned"])
    current = runner.invoke(app, ["happenings", "--db", analyzed_store.location, "--status", "planned"])
    assert old.exit_code == current.exit_code == 0 and old.stdout == current.stdout != ""
    assert "deprecated" in old.stderr and "deprecated" not in current.stderr


def test_a_search_for_a_name_finds_its_other_spellings(
    sl: storyline.Storyline, client: TestClient, analyzed_store: Analyzed
) -> None:
    """One report spells the prime minister "Mode"; searching that spelling finds every article
    about him, and searching his name finds that report; a phrase stays a phrase."""
    mode = {h.document.id for h in sl.store.search("Mode", limit=100)}
    assert mode and len(mode) < 5  # the words themselves: the misspelt report only
    found = {h.document.id for h in sl.search("Mode", limit=100)}
    named = {h.document.id for h in sl.search("Narendra Modi", limit=100)}
    assert mode <= found == named and len(found) > 20
    query, names = sl.search_names("mode")
    assert {"Narendra Modi", "Mode"} <= set(names) and '"Narendra Modi"' in query
    assert sl.search_names('"informal summit"') == ('"informal summit"', [])
    assert sl.search_names("informal summit") == ("informal summit", [])
    page = _page(client, "/api/search", q="Mode", limit=50)
    assert page["matches"] == len(found) and "Narendra Modi" in page["names"]
    assert _page(client, "/api/search", q="summit", limit=5)["names"] is None
    printed = CliRunner().invoke(app, ["search", "Mode", "--db", analyzed_store.location, "--limit", "3"])
    assert printed.exit_code == 0 and "'Mode' names an entity: searched for" in printed.stderr


def test_pages_of_happenings_add_up_to_the_whole_list(sl: storyline.Storyline) -> None:
    """Pages cut anywhere, also across the dated ones and the undated ones after them, give the
    whole listing in its order (SQLite reads the two parts separately)."""
    whole = [c.id for c in sl.clusters(limit=None, include_tentative=True)]
    dated = [c.id for c in sl.clusters(limit=None, include_tentative=True) if c.start is not None]
    assert len(dated) < len(whole) and whole[: len(dated)] == dated  # undated last
    for size in (1, 4, 7):
        pages = [
            c.id
            for offset in range(0, len(whole) + size, size)
            for c in sl.clusters(limit=size, offset=offset, include_tentative=True)
        ]
        assert pages == whole
    assert sl.clusters(limit=5, offset=len(whole), include_tentative=True) == []


def test_a_storyline_of_tentative_happenings_only_is_found_by_its_id(
    sl: storyline.Storyline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listings hide such a storyline, but its id still names it (for --all)."""
    tentative = [c for c in sl.clusters(limit=None, include_tentative=True) if c.tentative and c.storyline_id]
    line = tentative[0].storyline_id if tentative else None
    if line is None:  # the sample corpus has none: make the store look as if it had one
        line = _india_russia(sl).id
        monkeypatch.setattr(sl.store, "storyline", lambda storyline_id: None)
    assert sl.resolve_storyline(line) == (line, None)
    with pytest.raises(UsageError):
        sl.resolve_storyline("Snot-a-storyline")


def test_every_listing_of_events_takes_one_checked_filter(sl: storyline.Storyline) -> None:
    # events, count_events and events_frame read one filter record: the same checks, the same rows
    for listing in (sl.events, sl.count_events, sl.events_frame):
        with pytest.raises(UsageError, match="unknown status"):
            listing(status="bogus")
        with pytest.raises(UsageError, match="probability"):
            listing(min_confidence=1.5)
    which = sl.event_query(status="planned", limit=None)
    listed = sl.events(which)
    assert listed and len(listed) == sl.count_events(which) == len(sl.events_frame(which))
    assert sl.count_events(status="planned") == len(listed)
    assert {e.event.status for e in listed} == {"planned"}


def test_every_listing_of_documents_takes_one_checked_filter(sl: storyline.Storyline, analyzed_store: Analyzed) -> None:
    # documents, count and documents_frame read one filter record: the same checks, the same rows
    for listing in (sl.documents, sl.count, sl.documents_frame):
        with pytest.raises(UsageError, match="not a date"):
            listing(date_from="2018-13")
    which = sl.document_query(date_from="2018", date_to="2018-05", entity="Modi", limit=None)
    listed = sl.documents(which)
    assert listed and len(listed) == sl.count(which) == len(sl.documents_frame(which))
    assert all(d.published and "2018-01-01" <= d.published.value.date().isoformat() <= "2018-05-31" for d in listed)
    # the older names of the bounds mean the same, and a page counts the whole listing
    assert sl.count(since="2018-01-01", until="2018-05-31", entity="Modi") == len(listed)
    assert sl.count(replace(which, limit=1)) == len(listed)
    # the CLI's total is that of the filtered listing, and a bad date ends it with exit 2, no traceback
    runner = CliRunner()
    shown = runner.invoke(
        app, ["ls", "--db", analyzed_store.location, "--from", "2018", "--to", "2018", "--limit", "1"]
    )
    assert shown.exit_code == 0, shown.output
    assert f"1 of {sl.count(date_from='2018', date_to='2018')} document(s)" in shown.output
    bad = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "ls", "--db", analyzed_store.location, "--from", "2018-13"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "not a date" in bad.stderr and "Traceback" not in bad.stderr


def test_a_search_for_a_place_finds_it_in_other_languages(sl: storyline.Storyline, client: TestClient) -> None:
    """The German report writes Sochi "Sotschi" (its text never says "Sochi"): a search for Sochi
    finds it, through the place's names in other languages, while a word that names no place
    searches for itself alone."""
    german = [d for d in sl.documents(limit=None) if d.language == "de" and "Sotschi" in d.text]
    assert german and "Sochi" not in german[0].text
    assert german[0].id not in {h.document.id for h in sl.store.search("Sochi", limit=100)}
    query, names = sl.search_names("Sochi")
    assert '"Sotschi"' in query
    assert "Sotschi" in names and names[:2] != ["Sotschi"]  # its own names first
    assert all(len(n.replace(" ", "")) >= 5 for n in names if n not in ("Sochi", "SOCHI"))
    found = {h.document.id for h in sl.search("Sochi", limit=100)}
    assert german[0].id in found
    assert german[0].id in {d["id"] for d in _page(client, "/api/search", q="Sochi", limit=50)["items"]}
    assert sl.search_names("agreement") == ("agreement", [])
