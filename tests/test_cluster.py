"""Happenings (event clusters), storylines and timelines: the sample corpus's summits, the rules on
small stores built article by article, and the commands."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli.app import app

from .conftest import CORPUS

#: The sample corpus's India-Russia summits: every article announcing or reporting one (by where it
#: came from), in the order of the summits.
SUMMITS = {
    "2014-12 New Delhi": [
        "txt/putin-india-visit-preview.txt", "records/wire-archive.jsonl#line=1",
        "txt/putin-modi-delhi-summit-kudankulam.txt", "putin-visit-nuclear-roadmap.html",
    ],
    "2015-12 Moscow": [
        "eurasia-wire.rss#ew-3402118", "txt/modi-putin-moscow-summit-ka226.txt", "html/modi-moscow-summit-2015.html",
    ],
    "2016-10 Goa": [
        "txt/goa-bilateral-preview.txt", "goa-brics-modi-putin-bilateral-saturday.html", "eurasia-wire.rss#ew-4019366",
        "txt/goa-summit-agreements.txt",
    ],
    "2017-06 St Petersburg": [
        "records/wire-archive.jsonl#line=2", "html/st-petersburg-declaration.html", "txt/st-petersburg-talks-today.txt",
        "2017-06-02:/world/asia/modi-putin-kudankulam",
    ],
    "2018-05 Sochi": [
        "txt/modi-to-fly-to-sochi.txt", "eurasia-wire.rss#ew-5102477", "html/modi-putin-sochi-informal-summit.html",
        "txt/sochi-informal-summit-report.md",
        "records/wire-archive.jsonl#line=3",  # in German: placed by its nearest articles and the names they share
    ],
    "2018-10 New Delhi": [
        "txt/putin-delhi-visit-s400-expected.txt", "eurasia-wire.rss#ew-5533802", "india-russia-s400",
        "records/wire-archive.jsonl#line=4", "txt/s400-deal-signed-new-delhi.txt",
    ],
    "2019-09 Vladivostok": [
        "txt/modi-vladivostok-visit-preview.md", "html/modi-leaves-for-vladivostok.html", "eurasia-wire.rss#ew-6120931",
        "html/modi-putin-vladivostok-talks.html", "txt/modi-putin-vladivostok-talks.txt",
        "records/wire-archive.jsonl#line=6",
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cluster") / "corpus.db"
    with storyline.open(db) as sl:
        report = sl.analyze(CORPUS)
        assert report.clustered == report.annotated > 40
    return db


def _placement(db: Path) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Origin -> happening, and happening -> storyline."""
    with storyline.open(db) as sl:
        placed = sl.store.document_clusters()
        docs = sl.documents(limit=None)
        happenings = {c.id: c.storyline_id for c in sl.clusters(limit=None)}
    return {d.origin: placed.get(d.id, (None, None))[0] for d in docs}, happenings


def _cluster_of(origins: dict[str, str | None], suffix: str) -> str | None:
    (found,) = [cid for origin, cid in origins.items() if origin.endswith(suffix)]
    return found


@pytest.mark.slow
def test_each_summit_is_one_happening_and_summits_never_merge(corpus_db: Path) -> None:
    origins, storylines = _placement(corpus_db)
    per_summit = {name: {_cluster_of(origins, s) for s in suffixes} for name, suffixes in SUMMITS.items()}
    for name, found in per_summit.items():
        assert len(found) == 1 and None not in found, f"{name}: articles split over {found}"
    ids = [next(iter(found)) for found in per_summit.values()]
    assert len(set(ids)) == len(SUMMITS)  # no two summits merged
    # and all the summits of the two leaders are one storyline
    assert len({storylines[i] for i in ids}) == 1 and storylines[ids[0]] is not None


@pytest.mark.slow
def test_storyline_and_timeline_of_the_two_leaders(corpus_db: Path) -> None:
    with storyline.open(corpus_db) as sl:
        top = sl.storylines(limit=1)[0]
        assert {"India", "Russia", "Narendra Modi", "Vladimir Putin"} <= set(top.entities.values())
        entries = sl.timeline(entity=["Narendra Modi", "Vladimir Putin"])
    dates = [e.date for e in entries]
    assert dates == sorted(dates)
    sochi = [e for e in entries if e.date == "2018-05-21" and e.subtype in ("visit", "summit", "meeting", "host-visit")]
    assert sochi and sochi[0].status == "occurred"
    assert sochi[0].place == "Sochi" and "in Sochi" in sochi[0].description  # where most of its mentions put it
    vladivostok = [e for e in entries if e.date == "2019-09-04" and e.subtype in ("visit", "summit", "meeting")]
    assert [e.place for e in vladivostok] == ["Vladivostok"]
    statuses = {s.status for s in sochi[0].sources}
    assert "planned" in statuses and "occurred" in statuses  # the announcement and the reports, one entry
    assert all(s.evidence for s in sochi[0].sources)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


ANNOUNCE = "May 18, 2018\n\nNarendra Modi will travel to Sochi on May 21 for an informal summit with Vladimir Putin.\n"
REPORT = "May 21, 2018\n\nNarendra Modi and Vladimir Putin held an informal summit in Sochi today.\n"
YEAR_BEFORE = "June 1, 2017\n\nNarendra Modi met Vladimir Putin in St Petersburg today for their annual summit.\n"


@pytest.mark.slow
def test_planned_until_a_report_confirms_it(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with storyline.open(db) as sl:
        sl.analyze(_write(tmp_path, "a.txt", ANNOUNCE))
        (planned,) = [e for e in sl.timeline() if e.subtype in ("visit", "summit")]
        assert planned.status == "planned" and planned.date == "2018-05-21"
        sl.analyze(_write(tmp_path, "b.txt", REPORT))  # incremental: the announcement is not placed again
        held = [e for e in sl.timeline() if e.event_id == planned.event_id]
        assert held and held[0].status == "occurred" and len({s.document_id for s in held[0].sources}) == 2
        sl.analyze(_write(tmp_path, "c.txt", YEAR_BEFORE))
        encounters = [e for e in sl.timeline() if e.subtype in ("visit", "summit", "meeting")]
        assert [e.date for e in encounters] == ["2017-06-01", "2018-05-21"]  # a year apart: two happenings
        assert len({e.storyline_id for e in encounters}) == 1


@pytest.mark.slow
def test_commands_and_export(corpus_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["timeline", "--db", str(corpus_db), "-e", "Putin", "--from", "2019", "--json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and all(r["date"] >= "2019" for r in rows)
    assert {"date", "granularity", "event_id", "type", "status", "actors", "place", "description", "sources"} <= set(
        rows[0]
    )
    assert {"document_id", "title", "evidence"} <= set(rows[0]["sources"][0])
    listed = runner.invoke(app, ["clusters", "--db", str(corpus_db), "--storyline", "nope"])
    assert listed.exit_code == 1 and "no storyline 'nope'" in listed.stderr
    listed = runner.invoke(app, ["clusters", "--db", str(corpus_db), "--from", "1990", "--to", "1991"])
    assert listed.exit_code == 0 and "no happenings" in listed.stderr
    stories = runner.invoke(app, ["storylines", "--db", str(corpus_db), "--json"])
    assert json.loads(stories.stdout.splitlines()[0])["label"] == "India – Russia"
    bad = runner.invoke(app, ["timeline", "--db", str(corpus_db), "--from", "last year"])
    assert bad.exit_code == 2
    export = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["export", "--db", str(corpus_db), "-o", str(export)]).exit_code == 0
    rows = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    by_cluster: dict[str | None, set[str | None]] = defaultdict(set)
    for r in rows:
        by_cluster[r["event_cluster"]].add(r["storyline"])
        for e in r["events"]:
            assert "cluster" in e
    assert any(r["event_cluster"] and r["storyline"] for r in rows)
    assert all(len(s) == 1 for c, s in by_cluster.items() if c)  # a happening has one storyline
