"""Exports: the documents, entities and events tables as JSON Lines, CSV and Parquet; the
GDELT-style event table; the entity graph (its kept counts, GEXF and GraphML); the DataFrames.
Against a real store of the analyzed sample corpus."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli.app import app
from storyline.exports import DOCUMENT_FIELDS, ENTITY_FIELDS, EVENT_FIELDS, GDELT_FIELDS, TABLES
from storyline.model.annotations import Annotations

runner = CliRunner()
MODI, PUTIN = "Narendra Modi", "Vladimir Putin"
_RECOUNT_EDGES = (
    "SELECT x.entity_id, y.entity_id, count(DISTINCT x.event_id), count(DISTINCT e.doc_rowid) FROM event_actors x "
    "JOIN event_actors y ON y.event_id = x.event_id AND y.entity_id > x.entity_id AND y.role != 'speaker' "
    "JOIN events e ON e.id = x.event_id WHERE x.role != 'speaker' GROUP BY 1, 2 ORDER BY 1, 2"
)
_RECOUNT_EVENTS = (
    "SELECT id, (SELECT count(DISTINCT event_id) FROM event_actors WHERE entity_id = entities.id "
    "AND role != 'speaker') FROM entities ORDER BY id"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, analyzed_corpus: Path) -> Path:
    db = tmp_path_factory.mktemp("exports") / "corpus.db"
    shutil.copy(analyzed_corpus, db)
    return db


@pytest.fixture
def sl(corpus: Path) -> Iterator[storyline.Storyline]:
    with storyline.open(corpus) as opened:
        yield opened


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _plain(value: Any) -> Any:
    """A value read back from Parquet by pandas, as JSON Lines would have it."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# -- tables ---------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("table", list(TABLES))
def test_every_format_has_one_row_per_stored_record(corpus: Path, tmp_path: Path, table: str) -> None:
    counts = _counts(corpus)
    assert counts[table] > 0
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"{table}.{fmt}"
        result = runner.invoke(app, ["export", "--db", str(corpus), "--table", table, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"exported {counts[table]} " in result.stderr
    rows = _jsonl(tmp_path / f"{table}.jsonl")
    assert len(rows) == counts[table] and all(list(r) == list(TABLES[table]) for r in rows)
    with (tmp_path / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        table_rows = list(csv.DictReader(f))
    assert len(table_rows) == counts[table] and list(table_rows[0]) == list(TABLES[table])
    # the CSV holds the same values: lists and records as JSON text
    first, first_csv = rows[0], table_rows[0]
    for name, value in first.items():
        if isinstance(value, list | dict):
            assert json.loads(first_csv[name]) == value
        elif value is not None and not isinstance(value, float | bool):
            assert first_csv[name] == str(value)


@pytest.mark.slow
@pytest.mark.parametrize("table", list(TABLES))
def test_parquet_round_trips_through_pandas(sl: storyline.Storyline, tmp_path: Path, table: str) -> None:
    import pandas as pd

    assert sl.export(tmp_path / "t.parquet", table=table, format="parquet") > 0
    sl.export(tmp_path / "t.jsonl", table=table)
    expected = _jsonl(tmp_path / "t.jsonl")
    df = pd.read_parquet(tmp_path / "t.parquet")
    assert list(df.columns) == list(TABLES[table]) and len(df) == len(expected)
    nested = {"seen_in", "entities", "places", "times", "events", "aliases"}
    for got, want in zip(df.to_dict("records"), expected, strict=True):
        back = {k: _plain(v) for k, v in got.items()}
        for name in nested & set(back):
            back[name] = json.loads(back[name])
        assert back == want


@pytest.mark.slow
def test_event_rows(sl: storyline.Storyline) -> None:
    rows = list(sl.iter_rows("events"))
    stored = sl.events(limit=None)
    assert [r["event_id"] for r in rows] == [s.event.id for s in stored]  # same events, same order
    for row, found in zip(rows, stored, strict=True):
        e = found.event
        assert row["document_id"] == found.document_id and row["type"] == e.type and row["cameo"] == e.cameo
        assert row["trigger"] == e.trigger.text and row["evidence"] and e.trigger.text in row["evidence"]
        named = [a for a in e.actors if a.role == "participant"]
        assert row["participants"] == [a.canonical or a.text for a in named]
        assert row["participant_ids"] == [a.entity_id for a in named]
        if e.time and row["date_start"]:
            assert row["date_start"] <= row["date_end"] and row["date_granularity"]
    sochi = [
        r for r in rows
        if r["date_start"] == "2018-05-21" and {MODI, PUTIN} <= {*r["participants"], *r["source_actors"],
                                                                   *r["target_actors"]}
    ]  # fmt: skip
    assert sochi and any(r["event_cluster"] and r["storyline"] for r in sochi)
    assert any(r["place_name"] == "Sochi" and r["place_country"] == "RU" and r["place_lat"] for r in sochi)
    placed = {r["event_id"]: r["event_cluster"] for r in rows}
    for doc in sl.iter_export():
        for e in doc["events"]:
            assert placed[e["id"]] == e["cluster"]  # the events table and the documents agree


# -- the GDELT-style table ------------------------------------------------------------------------
@pytest.mark.slow
def test_gdelt_table(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", "--db", str(corpus), "--format", "gdelt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    assert header == list(GDELT_FIELDS) and len(rows) == _counts(corpus)["events"]
    assert all(len(r) == len(GDELT_FIELDS) for r in rows)
    data = [dict(zip(header, r, strict=True)) for r in rows]
    assert all(d["SQLDATE"] == "" or (len(d["SQLDATE"]) == 8 and d["SQLDATE"].isdigit()) for d in data)
    assert all(d["EventRootCode"] == d["EventCode"][:2] for d in data)
    assert all(d["SOURCEURL"] for d in data)
    meetings = [
        d for d in data
        if {d["Actor1Name"], d["Actor2Name"]} == {MODI, PUTIN} and d["EventCode"].startswith("04")
    ]  # fmt: skip
    assert meetings and all(d["PLOVER"] == "CONSULT" for d in meetings)
    assert any(d["SQLDATE"] == "20180521" and d["ActionGeo_FullName"] == "Sochi" for d in meetings)
    # actor codes only from what an article says: "Indian Prime Minister Narendra Modi"
    codes = {(d[f"Actor{i}Name"], d[f"Actor{i}Code"]) for d in data for i in (1, 2)}
    assert (MODI, "INDGOV") in codes and ("India", "IND") in codes and ("Russia", "RUS") in codes
    assert not any(name == MODI and code.startswith("RUS") for name, code in codes)
    assert not any(name == PUTIN and code.startswith("IND") for name, code in codes)
    # to standard output too, the same table
    printed = runner.invoke(app, ["export", "--db", str(corpus), "--format", "gdelt"])
    assert printed.exit_code == 0 and printed.stdout.splitlines() == lines


# -- the entity graph -----------------------------------------------------------------------------
def _ids(graph: dict[str, Any]) -> dict[str, str]:
    return {n["name"]: n["id"] for n in graph["nodes"]}


def _edge(graph: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    (edge,) = [e for e in graph["edges"] if {e["source"], e["target"]} == {a, b}]
    return edge


@pytest.mark.slow
def test_entity_graph_counts_shared_events(sl: storyline.Storyline) -> None:
    graph = sl.entity_graph()
    assert set(graph) == {"nodes", "edges"} and 0 < len(graph["nodes"]) <= 100
    assert all(set(n) == {"id", "name", "kind", "country", "documents", "weight"} for n in graph["nodes"])
    assert all(set(e) == {"source", "target", "weight", "documents"} for e in graph["edges"])
    weights = [n["weight"] for n in graph["nodes"]]
    assert weights == sorted(weights, reverse=True)
    ids = _ids(graph)
    edge = _edge(graph, ids[MODI], ids[PUTIN])
    # the edge's counts are the stored events in which both act (speakers aside), and their documents
    both = [
        s for s in sl.events(entity=MODI, limit=None)
        if {ids[MODI], ids[PUTIN]} <= {a.entity_id for a in s.event.actors if a.role != "speaker"}
    ]  # fmt: skip
    assert edge["weight"] == len(both) > 0
    assert edge["documents"] == len({s.document_id for s in both}) > 0
    modi = next(n for n in graph["nodes"] if n["name"] == MODI)
    acting = [s for s in sl.events(entity=MODI, limit=None) if any(
        a.entity_id == ids[MODI] and a.role != "speaker" for a in s.event.actors)]  # fmt: skip
    assert modi["weight"] == len(acting) and modi["kind"] == "PERSON"
    assert modi["documents"] == next(e.documents for e in sl.entities(limit=None) if e.canonical == MODI)
    node_ids = set(ids.values())
    assert all({e["source"], e["target"]} <= node_ids for e in graph["edges"])


@pytest.mark.slow
def test_entity_graph_neighbourhood_limit_and_min_weight(sl: storyline.Storyline) -> None:
    around = sl.entity_graph(entity="Putin", limit=6)
    assert around["nodes"][0]["name"] == PUTIN and len(around["nodes"]) == 6
    centre = around["nodes"][0]["id"]
    linked = {e["source"] for e in around["edges"]} | {e["target"] for e in around["edges"]}
    for node in around["nodes"][1:]:
        assert any({centre, node["id"]} == {e["source"], e["target"]} for e in around["edges"]), node
    assert linked <= {n["id"] for n in around["nodes"]}
    strong = sl.entity_graph(min_weight=10)
    assert strong["edges"] and all(e["weight"] >= 10 for e in strong["edges"])
    assert len(sl.entity_graph(limit=3)["nodes"]) == 3
    assert sl.entity_graph(entity="Nobody Anywhere") == {"nodes": [], "edges": []}
    with pytest.raises(ValueError, match="limit"):
        sl.entity_graph(limit=0)
    with pytest.raises(ValueError, match="min_weight"):
        sl.entity_graph(min_weight=0)


@pytest.mark.slow
def test_kept_graph_counts_follow_reannotation_and_migration(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(corpus, db)

    def recount() -> tuple[list[Any], list[Any], list[Any], list[Any]]:
        with sqlite3.connect(db) as con:
            return (
                con.execute("SELECT a, b, events, documents FROM entity_edges ORDER BY a, b").fetchall(),
                con.execute(_RECOUNT_EDGES).fetchall(),
                con.execute("SELECT id, events FROM entities ORDER BY id").fetchall(),
                con.execute(_RECOUNT_EVENTS).fetchall(),
            )

    kept, counted, kept_events, counted_events = recount()
    assert kept == counted and kept_events == counted_events and kept
    with storyline.open(db) as sl:
        doc = next(d for d in sl.iter_export() if len(d["events"]) > 3)
        ann = sl.annotations(doc["id"])
        stages = sl.store._db.execute(  # type: ignore[attr-defined]
            "SELECT stages FROM annotated LIMIT 1"
        ).fetchone()[0]
        sl.store.add_annotations(stages, [(doc["id"], ann)])  # the same again: nothing changes
        assert recount()[0] == kept
        sl.store.add_annotations(stages, [(doc["id"], Annotations())])  # its events gone
        gone = recount()
        assert gone[0] == gone[1] != kept and gone[2] == gone[3]
        sl.store.add_annotations(stages, [(doc["id"], ann)])
        assert recount()[0] == kept
    # a store written before the graph's migration gets the counts from the events it holds
    with sqlite3.connect(db) as con:
        con.executescript(
            "DROP TABLE entity_edges; DROP INDEX entities_events; ALTER TABLE entities DROP COLUMN events; "
            "DELETE FROM migrations WHERE name = '0009_entity_graph';"
        )
    with storyline.open(db) as sl:
        assert sl.entity_graph()["edges"]
    assert recount()[0] == kept


@pytest.mark.slow
def test_graph_files_parse_and_hold_the_modi_putin_edge(corpus: Path, tmp_path: Path) -> None:
    with storyline.open(corpus) as sl:
        graph = sl.entity_graph()
    ids = _ids(graph)
    weight = _edge(graph, ids[MODI], ids[PUTIN])["weight"]
    for fmt in ("gexf", "graphml"):
        out = tmp_path / f"g.{fmt}"
        result = runner.invoke(app, ["graph", "--db", str(corpus), "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert f"wrote {len(graph['nodes'])} entities and {len(graph['edges'])} links" in result.stderr
        root = ET.parse(out).getroot()
        if fmt == "gexf":
            ns = {"g": "http://gexf.net/1.3"}
            assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
            labels = {n.get("label"): n.get("id") for n in root.iterfind(".//g:node", ns)}
            edges = {
                frozenset((e.get("source"), e.get("target"))): float(e.get("weight") or 0)
                for e in root.iterfind(".//g:edge", ns)
            }
        else:
            ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
            assert root.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"
            labels = {
                n.findtext("g:data[@key='label']", namespaces=ns): n.get("id") for n in root.iterfind(".//g:node", ns)
            }
            edges = {
                frozenset((e.get("source"), e.get("target"))): float(
                    e.findtext("g:data[@key='weight']", namespaces=ns) or 0
                )
                for e in root.iterfind(".//g:edge", ns)
            }
        assert len(labels) == len(graph["nodes"]) and len(edges) == len(graph["edges"])
        assert edges[frozenset((labels[MODI], labels[PUTIN]))] == weight > 0


@pytest.mark.slow
def test_graph_files_open_in_networkx(corpus: Path, tmp_path: Path) -> None:
    nx = pytest.importorskip("networkx")
    with storyline.open(corpus) as sl:
        sl.export_graph(tmp_path / "g.gexf", format="gexf")
        graph = sl.export_graph(tmp_path / "g.graphml", format="graphml")
    ids = _ids(graph)
    for read in (nx.read_gexf, nx.read_graphml):
        g = read(tmp_path / f"g.{'gexf' if read is nx.read_gexf else 'graphml'}")
        assert g.number_of_nodes() == len(graph["nodes"]) and g.number_of_edges() == len(graph["edges"])
        assert g.nodes[ids[MODI]]["label"] == MODI and g.nodes[ids[MODI]]["kind"] == "PERSON"
        edge = g.edges[ids[MODI], ids[PUTIN]]
        assert edge["weight"] == _edge(graph, ids[MODI], ids[PUTIN])["weight"] > 0 and edge["documents"] > 0


@pytest.mark.slow
def test_graph_command(corpus: Path) -> None:
    result = runner.invoke(app, ["graph", "--db", str(corpus), "-e", "Modi", "-n", "4", "--format", "json"])
    assert result.exit_code == 0, result.output
    graph = json.loads(result.stdout)
    assert graph["nodes"][0]["name"] == MODI and len(graph["nodes"]) == 4
    printed = runner.invoke(app, ["graph", "--db", str(corpus), "-n", "5"])
    assert printed.exit_code == 0 and ET.fromstring(printed.stdout_bytes).tag == "{http://gexf.net/1.3}gexf"
    unknown = runner.invoke(app, ["graph", "--db", str(corpus), "-e", "Nobody Anywhere"])
    assert unknown.exit_code == 1 and "no entity 'Nobody Anywhere'" in unknown.stderr
    bad = runner.invoke(app, ["graph", "--db", str(corpus), "--format", "dot"])
    assert bad.exit_code == 2 and "gexf, graphml, or json" in bad.stderr


# -- DataFrames -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_dataframes(sl: storyline.Storyline, corpus: Path) -> None:
    import pandas as pd

    counts = _counts(corpus)
    docs = sl.documents_frame()
    assert list(docs.columns) == list(DOCUMENT_FIELDS) and len(docs) == counts["documents"]
    assert isinstance(docs["published"].dtype, pd.DatetimeTZDtype) and str(docs["published"].dt.tz) == "UTC"
    assert docs["published"].dropna().is_monotonic_increasing and docs["published"].notna().sum() > 30
    assert isinstance(docs.loc[0, "entities"], list)
    assert len(sl.documents_frame(since="2019-01-01")) == len(sl.documents(since="2019-01-01", limit=None))
    entities = sl.entities_frame()
    assert list(entities.columns) == list(ENTITY_FIELDS) and len(entities) == counts["entities"]
    assert entities.loc[entities["canonical"] == MODI, "kind"].item() == "PERSON"
    assert len(sl.entities_frame(kind="person")) == len(sl.entities(kind="person", limit=None))
    events = sl.events_frame()
    assert list(events.columns) == list(EVENT_FIELDS) and len(events) == counts["events"]
    # every datetime column of every frame is UTC, calendar days too, so days and instants compare
    assert isinstance(events["date_start"].dtype, pd.DatetimeTZDtype) and events["date_start"].notna().any()
    assert str(events["date_inferred"].dtype) == "boolean"
    putin = sl.events_frame(entity="Putin", status="occurred")
    assert len(putin) == len(sl.events(entity="Putin", status="occurred", limit=None)) > 0
    timeline = sl.timeline_frame(entity=[MODI, PUTIN])
    entries = sl.timeline(entity=[MODI, PUTIN])
    assert len(timeline) == len(entries) > 0 and isinstance(timeline["date"].dtype, pd.DatetimeTZDtype)
    assert list(timeline["event_id"]) == [e.event_id for e in entries]
    assert (timeline["documents"] == [len(e.sources) for e in entries]).all()
    assert timeline["date"].is_monotonic_increasing
    happenings = sl.happenings_frame(status="planned")
    planned = sl.clusters(status="planned", limit=None)
    assert list(happenings["id"]) == [c.id for c in planned] and len(planned) > 0
    assert set(happenings["status"]) == {"planned"} and str(happenings["tentative"].dtype) == "boolean"
    assert isinstance(happenings["start"].dtype, pd.DatetimeTZDtype)
    assert (happenings["start"] >= docs["published"].min() - pd.Timedelta(days=3650)).all()  # days and instants compare
    lines = sl.storylines_frame()
    assert list(lines["id"]) == [s.id for s in sl.storylines(limit=None)] and lines.loc[0, "label"] == "India – Russia"
    assert lines.loc[0, "happenings"] > 10 and isinstance(lines["end"].dtype, pd.DatetimeTZDtype)
    with pytest.raises(ValueError, match="status"):
        sl.events_frame(status="rumoured")


# -- bad inputs -----------------------------------------------------------------------------------
def test_export_refuses_bad_requests(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    with storyline.open(db) as sl:
        with pytest.raises(ValueError, match="jsonl, csv, parquet, gdelt"):
            sl.export(tmp_path / "x", format="xml")
        with pytest.raises(ValueError, match="documents, entities, events"):
            sl.export(tmp_path / "x", table="people")
        with pytest.raises(ValueError, match="file path"):
            sl.export(io.StringIO(), format="parquet")
        with pytest.raises(ValueError, match="table of events"):
            sl.export(tmp_path / "x", format="gdelt", table="entities")
        with pytest.raises(ValueError, match="gexf, graphml"):
            sl.export_graph(tmp_path / "g", format="dot")
        # an empty store exports empty tables (Parquet keeps its schema)
        assert sl.export(tmp_path / "e.parquet", table="events", format="parquet") == 0
        assert sl.events_frame().empty and list(sl.events_frame().columns) == list(EVENT_FIELDS)
    import pandas as pd

    assert list(pd.read_parquet(tmp_path / "e.parquet").columns) == list(EVENT_FIELDS)
    cases = [
        (["--table", "people"], "choose one of documents, entities, events"),
        (["--format", "xml"], "choose one of jsonl, csv, parquet, gdelt"),
        (["--format", "parquet"], "parquet is a binary format: give a file with -o FILE"),
        (["--format", "gdelt", "--table", "documents"], "gdelt is a table of events"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["export", "--db", str(db), *args])
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
        assert result.stdout == ""
