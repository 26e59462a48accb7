"""The export routes behind the web UI's export buttons (``/api/export/...``): each view's listing,
with the view's filters, as the files ``storyline export`` and ``storyline graph`` write."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli.app import app as cli
from storyline.config import ServerConfig
from storyline.exports import DOCUMENT_FIELDS, ENTITY_FIELDS
from storyline.exports.tables import HAPPENING_FIELDS, PLACE_FIELDS, TIMELINE_FIELDS
from storyline.server.app import create_app

GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def client(analyzed_corpus: Path) -> Iterator[TestClient]:
    with TestClient(create_app(analyzed_corpus), raise_server_exceptions=False) as c:
        yield c


def _csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response


def test_timeline_export_is_the_timeline_with_its_filters(client: TestClient) -> None:
    filters = {"entity": ["Narendra Modi", "Vladimir Putin"], "from": "2018", "to": "2019"}
    listed = _get(client, "/api/timeline", **filters, limit=1000).json()
    assert listed["total"] > 3
    response = _get(client, "/api/export/timeline", **filters, format="csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="timeline.csv"'
    header, rows = _csv(response.text)
    assert header == list(TIMELINE_FIELDS)
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in listed["items"]]
    # lists as JSON text in their cell; documents counts the articles
    first = listed["items"][0]
    assert json.loads(rows[0]["actors"]) == first["actors"]
    assert int(rows[0]["documents"]) == len(first["sources"])

    as_json = _get(client, "/api/export/timeline", **filters, format="json")
    assert as_json.headers["content-disposition"] == 'attachment; filename="timeline.json"'
    assert [e["event_id"] for e in as_json.json()] == [e["event_id"] for e in listed["items"]]
    lines = _get(client, "/api/export/timeline", **filters, format="jsonl").text.splitlines()
    assert [json.loads(line) for line in lines] == as_json.json()


def test_timeline_export_has_every_page(client: TestClient) -> None:
    total = _get(client, "/api/timeline", limit=1).json()["total"]
    _, rows = _csv(_get(client, "/api/export/timeline").text)
    assert len(rows) == total > 20
    _, some = _csv(_get(client, "/api/export/timeline", limit=5).text)
    assert len(some) == 5


def test_happenings_export(client: TestClient) -> None:
    listed = _get(client, "/api/happenings", status="planned", limit=1000).json()
    header, rows = _csv(_get(client, "/api/export/happenings", status="planned").text)
    assert header == list(HAPPENING_FIELDS)
    assert [r["id"] for r in rows] == [c["id"] for c in listed["items"]] and rows
    assert {r["status"] for r in rows} == {"planned"}


def test_documents_export_is_storyline_exports_file(client: TestClient, analyzed_corpus: Path) -> None:
    runner = CliRunner()
    for fmt in ("csv", "jsonl"):
        exported = runner.invoke(cli, ["export", "--db", str(analyzed_corpus), "-f", fmt])
        assert exported.exit_code == 0, exported.output
        response = _get(client, "/api/export/documents", format=fmt)
        assert response.text == exported.stdout
    header, rows = _csv(_get(client, "/api/export/documents").text)
    assert header == list(DOCUMENT_FIELDS)
    assert len(rows) == _get(client, "/api/documents", limit=1).json()["total"]


def test_documents_export_keeps_the_search_and_filters(client: TestClient) -> None:
    found = _get(client, "/api/documents", q="Sochi", limit=1000).json()
    _, rows = _csv(_get(client, "/api/export/documents", q="Sochi").text)
    assert [r["id"] for r in rows] == [d["id"] for d in found["items"]] and len(rows) == found["total"]
    named = _get(client, "/api/documents", entity="Narendra Modi", language="en", limit=1000).json()
    as_json = _get(client, "/api/export/documents", entity="Narendra Modi", language="en", format="json").json()
    assert [d["id"] for d in as_json] == [d["id"] for d in named["items"]]
    assert len(as_json) == named["total"] > 5
    assert all(d["entities"] for d in as_json), "each row carries its annotations"


def test_entities_export(client: TestClient, analyzed_corpus: Path) -> None:
    exported = CliRunner().invoke(cli, ["export", "--db", str(analyzed_corpus), "-f", "csv", "-t", "entities"])
    response = _get(client, "/api/export/entities")
    assert response.text == exported.stdout
    header, rows = _csv(_get(client, "/api/export/entities", kind="PERSON").text)
    assert header == list(ENTITY_FIELDS) and rows and {r["kind"] for r in rows} == {"PERSON"}


def test_map_export(client: TestClient) -> None:
    points = _get(client, "/api/map", limit=500).json()["events"]
    response = _get(client, "/api/export/map", limit=500)
    assert response.headers["content-disposition"] == 'attachment; filename="places.csv"'
    header, rows = _csv(response.text)
    assert header == list(PLACE_FIELDS)
    assert [r["name"] for r in rows] == [p["name"] for p in points] and len(rows) >= 5
    assert _get(client, "/api/export/map", limit=500, format="json").json() == points


def test_graph_export_is_storyline_graphs_file(client: TestClient, analyzed_corpus: Path) -> None:
    shown = _get(client, "/api/graph", entity="Narendra Modi", limit=30).json()
    response = _get(client, "/api/export/graph", entity="Narendra Modi", limit=30)
    assert response.headers["content-type"].startswith("application/gexf+xml")
    assert response.headers["content-disposition"] == 'attachment; filename="graph.gexf"'
    root = ET.fromstring(response.content)
    nodes = root.findall(f"./{GEXF}graph/{GEXF}nodes/{GEXF}node")
    assert [n.get("id") for n in nodes] == [n["id"] for n in shown["nodes"]] and len(nodes) > 3
    assert len(root.findall(f"./{GEXF}graph/{GEXF}edges/{GEXF}edge")) == len(shown["edges"])
    written = CliRunner().invoke(
        cli, ["graph", "--db", str(analyzed_corpus), "-e", "Narendra Modi", "-n", "30", "-f", "gexf"]
    )
    assert written.exit_code == 0, written.output
    assert response.text == written.stdout
    graphml = _get(client, "/api/export/graph", limit=30, format="graphml")
    assert graphml.headers["content-disposition"] == 'attachment; filename="graph.graphml"'
    assert ET.fromstring(graphml.content).tag.endswith("graphml")
    assert (
        _get(client, "/api/export/graph", limit=30, format="json").json() == _get(client, "/api/graph", limit=30).json()
    )


def test_export_errors_have_the_api_shape(client: TestClient, analyzed_corpus: Path) -> None:
    wrong = client.get("/api/export/timeline", params={"format": "xlsx"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_request"
    unknown = client.get("/api/export/timeline", params={"entity": "Nobody Atall"})
    assert unknown.status_code == 404 and "Nobody Atall" in unknown.json()["error"]["message"]
    bad_date = client.get("/api/export/documents", params={"from": "soon"})
    assert bad_date.status_code == 422
    assert client.get("/api/export/graph", params={"format": "csv"}).status_code == 422
    with TestClient(create_app(analyzed_corpus, ServerConfig(token="export-t0ken", public_reads=False))) as private:
        assert private.get("/api/export/documents").status_code == 401
        allowed = private.get("/api/export/entities", headers={"Authorization": "Bearer export-t0ken"})
        assert allowed.status_code == 200


def test_export_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for name in ("documents", "entities", "happenings", "timeline", "map", "graph"):
        assert f"/api/export/{name}" in paths
    docs = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    for name in ("documents", "entities", "happenings", "timeline", "map", "graph"):
        assert f"/api/export/{name}" in docs, name
