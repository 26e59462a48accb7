"""analyze: ingest, then annotate and store entities and time expressions; the entity table."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyline
from storyline.annotate.entities import edit_distance
from storyline.cli.app import app
from storyline.config import IngestConfig

from .conftest import CORPUS, TEST_LANGUAGES
from .helpers import analyzed_text


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("analyze") / "corpus.db"
    with storyline.open(db, IngestConfig(languages=TEST_LANGUAGES)) as sl:
        report = sl.analyze(CORPUS)
        assert report.failed == 0 and report.annotated == report.stored == 43
        # where the time went, stage by stage (the ingest's stages, then annotation and happenings)
        assert {"ingest", "ingest: clean", "annotate", "annotate: recognise", "happenings"} <= set(report.stages)
        assert report.stages["annotate"] >= report.stages["annotate: recognise"] > 0
    yield db


def test_every_person_in_the_corpus_is_one_entity(analyzed: Path) -> None:
    with storyline.open(analyzed) as sl:
        people = sl.entities(kind="PERSON", limit=None)
    by_name = {p.canonical: p for p in people}
    modi = by_name["Narendra Modi"]
    assert {"Modi", "Mode", "Narendra Mode", "Mr Modi"} <= set(modi.aliases)
    assert "Vladimir Putin" in by_name and "Putin" in by_name["Vladimir Putin"].aliases
    assert {"Gokhale", "Vijay Gokhale"} <= set(by_name["Vijay Gokhale"].aliases)
    # no two person entities are spellings of one name (same first name, surname one edit apart)
    full = [p.canonical.split() for p in people if len(p.canonical.split()) > 1]
    for a in full:
        for b in full:
            if a is not b and a[0] == b[0]:
                assert edit_distance(a[-1].casefold(), b[-1].casefold()) > 1, (a, b)
    # and no bare surname stands apart from the full name that carries it
    surnames = {n[-1] for n in full}
    assert not [p.canonical for p in people if " " not in p.canonical and p.canonical in surnames]


def test_annotations_are_stored_per_document_with_offsets(analyzed: Path) -> None:
    with storyline.open(analyzed) as sl:
        (hit,) = [h for h in sl.search('"St. Petersburg" today') if "Mode" in h.document.text]
        ann = sl.annotations(hit.document.id)
        text = hit.document.text
    assert all(text[e.start : e.end] == e.text for e in ann.entities)
    assert all(text[t.start : t.end] == t.text for t in ann.times)
    assert {(t.text, t.value) for t in ann.times} >= {("today", "2017-06-01")}
    assert {e.canonical for e in ann.entities if e.text == "Mode"} == {"Narendra Modi"}
    places = {p.text: (p.name, p.country) for p in ann.places}
    assert places["St. Petersburg"] == ("Saint Petersburg", "RU")
    # "Leningrad" resolves to Saint Petersburg (tests/test_places.py); the medium English model reads
    # "the Siege of Leningrad" as one name, so here Leningrad is a place only where found alone
    assert places.get("Leningrad", ("Saint Petersburg", "RU")) == ("Saint Petersburg", "RU")
    assert all(text[p.start : p.end] == p.text for p in ann.places)


def test_verbose_analyze_prints_where_the_time_went(tmp_path: Path) -> None:
    doc = tmp_path / "talks.txt"
    doc.write_text("Talks held\n2019-09-04\n\nPrime Minister Narendra Modi met President Vladimir Putin in Moscow.\n")
    result = CliRunner().invoke(app, ["analyze", str(doc), "--db", str(tmp_path / "s.db"), "--verbose", "--quiet"])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("wall time since the process started") for line in lines)
    tops = [line.split()[0] for line in lines if line and not line.startswith(" ") and line.endswith("%")]
    assert {"annotate", "happenings", "ingest"} <= set(tops)
    assert any(line.startswith("  recognise") for line in lines)


def test_analyze_again_changes_nothing(analyzed: Path) -> None:
    def snapshot() -> tuple[list[tuple[object, ...]], ...]:
        with sqlite3.connect(analyzed) as con:
            return (
                con.execute("SELECT * FROM entities ORDER BY id").fetchall(),
                con.execute("SELECT * FROM entity_aliases ORDER BY 1, 2").fetchall(),
                con.execute("SELECT * FROM entity_mentions ORDER BY 1, 2").fetchall(),
                con.execute("SELECT * FROM time_expressions ORDER BY 1, 2").fetchall(),
            )

    before = snapshot()
    with storyline.open(analyzed, IngestConfig(languages=TEST_LANGUAGES)) as sl:
        report = sl.analyze(CORPUS)
    assert (report.stored, report.annotated) == (0, 0)
    assert snapshot() == before


def test_non_english_documents_say_what_was_skipped(analyzed: Path) -> None:
    with storyline.open(analyzed) as sl:
        (doc,) = [d for d in sl.documents(limit=None) if d.language == "de"]
        ann = sl.annotations(doc.id)
    # places only, found by their names: "Sotschi" is Sochi; "Wladimir Putin" is neither a place nor read
    assert "Sochi" in {m.canonical for m in ann.entities} and all(m.label in ("GPE", "LOC") for m in ann.entities)
    assert "Vladimir" not in {m.canonical for m in ann.entities}
    assert "entities: no model for language 'de'; places only, found by their names" in ann.skipped


def test_entities_command_and_export(analyzed: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["entities", "--db", str(analyzed), "--type", "PERSON", "--json", "-n", "3"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and {r["canonical"] for r in rows} >= {"Narendra Modi", "Vladimir Putin"}
    assert all(r["type"] == "PERSON" for r in rows)
    result = runner.invoke(app, ["entities", "--db", str(analyzed)])
    assert "Narendra Modi" in result.stdout and "Mode" in result.stdout
    result = runner.invoke(app, ["export", "--db", str(analyzed)])
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    annotated = [d for d in docs if d["entities"]]
    assert len(annotated) >= 38
    for d in annotated[:5]:
        for e in d["entities"]:
            assert d["text"][e["start"] : e["end"]] == e["text"]
    result = runner.invoke(app, ["show", annotated[0]["id"], "--db", str(analyzed)])
    assert "entities: " in result.stdout and "times:    " in result.stdout


def test_a_resolved_misspelling_is_marked_everywhere_the_user_looks(tmp_path: Path) -> None:
    db, _ = analyzed_text(
        tmp_path,
        "Modi and Putin hold talks\n\nMOSCOW, June 1, 2017: Prime Minister Narendra Modi arrived in Moscow on "
        "Thursday. Mode held talks with President Vladimir Putin. Mode said India valued the partnership. "
        "Narendra Modi and Putin signed two agreements. Later Mode visited a factory, and Modi met students. "
        "Mode left on Friday.\n",
        "talks.txt",
    )
    runner = CliRunner()
    listing = runner.invoke(app, ["entities", "--db", db, "--type", "PERSON"])
    assert "Narendra Modi" in listing.stdout and "Mode [spelling]" in listing.stdout
    rows = [json.loads(line) for line in runner.invoke(app, ["entities", "--db", db, "--json"]).stdout.splitlines()]
    (modi,) = [r for r in rows if r["canonical"] == "Narendra Modi"]
    assert modi["variants"] == {"Mode": "spelling"} and modi["aliases"]["Mode"] == 4
    found = runner.invoke(app, ["events", "--db", db, "--entity", "Mode"])
    assert found.exit_code == 0 and "'Mode' is a spelling variant of Narendra Modi" in found.stderr
    assert "spelling variant" not in runner.invoke(app, ["events", "--db", db, "--entity", "Narendra Modi"]).stderr
    with storyline.open(db) as sl:
        (doc,) = sl.documents(limit=None)
    shown = runner.invoke(app, ["show", doc.id, "--db", db]).stdout
    assert "Mode -> Narendra Modi, 4 mentions, spelling" in shown
