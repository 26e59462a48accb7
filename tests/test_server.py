"""The REST API against the real app and a real store of the sample corpus, in each backend
(SQLite, and PostgreSQL as `storyline serve --db postgresql://...` serves it): pages and filters,
records, timelines, comparison, the one error shape for every kind of bad request, tokens, and
ingest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli.app import app as cli
from storyline.config import ServerConfig
from storyline.errors import ConfigError
from storyline.server.app import create_app

from .postgres_server import Analyzed

TOKEN = "test-token-0123"


@pytest.fixture(scope="module")
def client(analyzed_store: Analyzed) -> Iterator[TestClient]:
    app = create_app(analyzed_store.location, ServerConfig(token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def writable(analyzed_store: Analyzed, tmp_path: Path) -> str:
    """A store of the test's own holding the analyzed corpus (a file, or a PostgreSQL database)."""
    return analyzed_store.copy(tmp_path)


def _is_error(response: Any, status: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    if status == 200:  # a request that looks wrong but is not
        return {}
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status and isinstance(error["code"], str) and error["message"]
    for word in words:
        assert word in error["message"], error["message"]
    return dict(error)


def test_documents_page_through_the_whole_store(client: TestClient) -> None:
    total = client.get("/api/stats").json()["documents"]
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get("/api/documents", params={"limit": 10, "offset": offset}).json()
        assert page["total"] == total and page["limit"] == 10
        seen += [d["id"] for d in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == total
    dated = [d for d in client.get("/api/documents", params={"limit": 100}).json()["items"] if d["published"]]
    assert [d["published"][:10] for d in dated] == sorted(d["published"][:10] for d in dated)


def test_document_filters_combine(client: TestClient) -> None:
    modi = client.get("/api/documents", params={"entity": "Narendra Modi", "limit": 100}).json()
    everything = client.get("/api/documents", params={"limit": 100}).json()
    assert 0 < modi["total"] < everything["total"]
    first = client.get(f"/api/documents/{modi['items'][0]['id']}").json()
    assert any(e["canonical"] == "Narendra Modi" for e in first["entities"])
    sochi = client.get("/api/documents", params={"place": "Sochi", "limit": 100}).json()
    assert sochi["total"] >= 3
    for d in sochi["items"]:
        places = client.get(f"/api/documents/{d['id']}").json()["places"]
        assert any(p["name"] == "Sochi" for p in places)
    in_2018 = client.get("/api/documents", params={"from": "2018", "to": "2018", "limit": 100}).json()
    assert in_2018["total"] and all(d["published"].startswith("2018") for d in in_2018["items"])
    both = client.get("/api/documents", params={"place": "Sochi", "from": "2018", "to": "2018-05"}).json()
    assert 0 < both["total"] <= sochi["total"]
    meetings = client.get("/api/documents", params={"event_type": "consult", "language": "en"}).json()
    assert meetings["total"] > 5
    assert client.get("/api/documents", params={"entity": "Nobody Atall"}).json()["total"] == 0


def test_search_is_paged_with_snippets(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Sochi", "limit": 2}).json()
    assert hits["total"] >= 3 and len(hits["items"]) == 2 and hits["next_offset"] == 2
    assert all("[" in h["snippet"] and h["score"] > 0 for h in hits["items"])
    rest = client.get("/api/search", params={"q": "Sochi", "limit": 2, "offset": 2}).json()
    assert not {h["id"] for h in hits["items"]} & {h["id"] for h in rest["items"]}
    assert client.get("/api/documents", params={"q": "Sochi"}).json()["total"] == hits["total"]


def test_document_record_has_annotations_events_and_clusters(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "Sochi informal summit", "limit": 1}).json()["items"][0]
    doc = client.get(f"/api/documents/{hit['id'][:8]}").json()  # a unique prefix is enough
    assert doc["id"] == hit["id"] and doc["text"] and doc["seen_in"]
    assert doc["event_cluster"] and any(e["cluster"] == doc["event_cluster"] for e in doc["events"])
    for e in doc["entities"]:
        assert doc["text"][e["start"] : e["end"]] == e["text"]
    cluster = client.get(f"/api/clusters/{doc['event_cluster']}").json()
    assert any(s["document_id"] == doc["id"] for s in cluster["sources"])
    story = client.get(f"/api/storylines/{doc['storyline']}").json()
    assert {e["canonical"] for e in story["entities"]} >= {"Narendra Modi", "Vladimir Putin"}


def test_timeline_shows_the_sochi_summit_held_with_evidence(client: TestClient) -> None:
    params = [("entity", "Narendra Modi"), ("entity", "Vladimir Putin"), ("from", "2018-05"), ("to", "2018-05")]
    page = client.get("/api/timeline", params=params).json()
    sochi = [e for e in page["items"] if e["place"] == "Sochi" and e["date"] == "2018-05-21"]
    assert sochi and sochi[0]["status"] == "occurred"
    assert all(s["document_id"] and s["evidence"] for s in sochi[0]["sources"])
    everything = client.get("/api/timeline", params={"limit": 1000}).json()
    assert [e["date"] for e in everything["items"]] == sorted(e["date"] for e in everything["items"])
    assert everything["total"] == len(everything["items"]) > 20 and everything["next_offset"] is None
    paged: list[str] = []
    offset: int | None = 0
    while offset is not None:
        one = client.get("/api/timeline", params={"limit": 7, "offset": offset}).json()
        paged += [e["event_id"] for e in one["items"]]
        offset = one["next_offset"]
    assert paged == [e["event_id"] for e in everything["items"]]  # pages follow one another


def test_entities_events_storylines_map_and_compare(client: TestClient) -> None:
    people = client.get("/api/entities", params={"kind": "person", "limit": 5}).json()
    assert people["total"] >= 5 and {"Narendra Modi", "Vladimir Putin"} <= {p["canonical"] for p in people["items"]}
    modi = client.get("/api/entities/Mode").json()  # the misspelling is an alias
    assert modi["canonical"] == "Narendra Modi" and "Mode" in modi["aliases"]
    events = client.get("/api/events", params={"entity": "Putin", "type": "CONSULT", "limit": 5}).json()
    assert len(events["items"]) == 5 and events["next_offset"] == 5
    every = client.get("/api/events", params={"entity": "Putin", "type": "CONSULT", "limit": 1000}).json()
    assert events["total"] == every["total"] == len(every["items"]) > 5
    assert all(e["type"] == "CONSULT" for e in events["items"])
    lines = client.get("/api/storylines").json()
    assert lines["total"] == len(lines["items"]) >= 1
    points = client.get("/api/map").json()
    delhi = [p for p in points["events"] if p["name"] == "New Delhi"]
    assert delhi and delhi[0]["events"] >= 2 and 28 < delhi[0]["lat"] < 29
    assert any(p["name"] == "Sochi" for p in points["mentions"])
    india_russia = next(s["id"] for s in lines["items"] if s["label"] == "India – Russia")
    story = client.get("/api/map", params={"storyline": india_russia}).json()
    assert {"Sochi", "New Delhi"} <= {p["name"] for p in story["events"]} and story["mentions"]
    assert sum(p["events"] for p in story["events"]) <= sum(p["events"] for p in points["events"])
    in_2018 = client.get("/api/map", params={"from": "2018", "to": "2018"}).json()
    assert any(p["name"] == "Sochi" for p in in_2018["events"])
    assert not any(p["name"] == "Goa" for p in in_2018["events"])  # the Goa summit was in 2016
    a, b = (h["id"] for h in client.get("/api/search", params={"q": "Sochi", "limit": 2}).json()["items"])
    compared = client.get("/api/compare", params={"a": a, "b": b}).json()
    assert compared["verdict"] and 1 <= compared["overall"] <= 4 and compared["reasons"]["text"]


@pytest.mark.parametrize(
    ("method", "url", "status", "word"),
    [
        ("get", "/api/documents/ffffffffffff", 404, "ffffffffffff"),
        ("get", "/api/clusters/Cnothere", 404, "Cnothere"),
        ("get", "/api/storylines/Snothere", 404, "Snothere"),
        ("get", "/api/entities/Nobody%20Atall", 404, "Nobody Atall"),
        ("get", "/api/no/such/thing", 404, "/api/no/such/thing"),
        ("get", "/api/documents?limit=0", 422, "limit"),
        ("get", "/api/documents?limit=abc", 422, "limit"),
        ("get", "/api/timeline?from=20x", 422, "from"),
        ("get", "/api/documents?to=2024-13", 422, "to"),
        ("get", "/api/events?status=maybe", 422, "status"),
        ("get", "/api/documents?from=2018&to=2017-02-31", 200, ""),
        ("get", "/api/compare?a=ffffffffffff&b=eeeeeeeeeeee", 404, "ffffffffffff"),
        ("get", "/api/search", 422, "q"),
        ("delete", "/api/documents", 405, ""),
    ],
)
def test_bad_requests_get_the_one_error_shape(
    client: TestClient, method: str, url: str, status: int, word: str
) -> None:
    _is_error(client.request(method, url), status, word)


def test_writes_need_the_token(client: TestClient) -> None:
    body = {"documents": [{"text": "x" * 40}]}
    assert _is_error(client.post("/api/ingest", json=body), 401, "token")["code"] == "unauthorized"
    wrong = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer not-the-token"})
    assert "WWW-Authenticate" in wrong.headers
    _is_error(wrong, 401, "not valid")
    _is_error(client.post("/api/ingest", json=body, headers={"X-API-Token": "nope"}), 401)


def test_without_a_configured_token_writes_are_off(analyzed_store: Analyzed) -> None:
    with TestClient(create_app(analyzed_store.location), raise_server_exceptions=False) as c:
        response = c.post("/api/ingest", json={"documents": [{"text": "x" * 40}]}, headers={"X-API-Token": "x" * 9})
        _is_error(response, 403, "disabled")


def test_private_reads_need_the_token(analyzed_store: Analyzed) -> None:
    config = ServerConfig(token=TOKEN, public_reads=False)
    with TestClient(create_app(analyzed_store.location, config), raise_server_exceptions=False) as c:
        _is_error(c.get("/api/documents"), 401)
        assert c.get("/api/documents", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert c.get("/").status_code == 200  # the page itself; its data calls carry the token


def test_malformed_and_oversized_ingests_are_refused_and_nothing_is_lost(writable: str) -> None:
    config = ServerConfig(token=TOKEN, max_upload=4096)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(writable, config), raise_server_exceptions=False) as c:
        before = c.get("/api/stats").json()["documents"]
        bad = c.post("/api/ingest", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
        _is_error(bad, 422, "JSON")
        _is_error(c.post("/api/ingest", json={"documents": []}, headers=auth), 422, "documents")
        _is_error(c.post("/api/ingest", json={"documents": [{"title": "no text"}]}, headers=auth), 422, "text")
        huge = {"documents": [{"text": "word " * 2000}]}
        assert _is_error(c.post("/api/ingest", json=huge, headers=auth), 413, "4,096")["code"] == "too_large"
        _is_error(c.post("/api/ingest", content=b"hello", headers={**auth, "Content-Type": "text/plain"}), 415)
        chunked = c.post(
            "/api/ingest",
            content=iter([b"--x\r\n"]),
            headers={**auth, "Content-Type": "multipart/form-data; boundary=x"},
        )
        _is_error(chunked, 411, "Content-Length")
        assert c.get("/api/stats").json()["documents"] == before


def test_ingest_json_and_files_store_analyze_and_report_bad_ones(writable: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = (
        "Prime Minister Narendra Modi met President Vladimir Putin in Kazan on Tuesday for talks on trade "
        "and energy, officials said. The two leaders agreed to expand cooperation."
    )
    with TestClient(create_app(writable, ServerConfig(token=TOKEN)), raise_server_exceptions=False) as c:
        before = c.get("/api/stats").json()["documents"]
        body = {"documents": [{"text": text, "title": "Modi and Putin meet in Kazan", "published": "2024-10-22"},
                              {"text": "too short"}]}  # fmt: skip
        report = c.post("/api/ingest", json=body, headers=auth).json()
        assert report["stored"] == 1 and report["failed"] == 1 and report["annotated"] == 1
        assert report["errors"][0]["input"] == "request.jsonl#line=2"
        new = c.get(f"/api/documents/{report['stored_ids'][0]}").json()
        assert new["title"] == "Modi and Putin meet in Kazan" and any(p["name"] == "Kazan" for p in new["places"])
        assert any(e["type"] == "CONSULT" for e in new["events"])
        files = {"file": ("kazan-follow-up.txt", b"Leaders gathered in Kazan.\n\n" + text.encode() * 2, "text/plain")}
        second = c.post("/api/ingest", files=files, headers=auth).json()
        assert second["inputs"] == 1 and second["failed"] == 0
        assert c.get("/api/stats").json()["documents"] == before + 1 + second["stored"]


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/search", "/api/entities", "/api/events",
                 "/api/clusters", "/api/storylines", "/api/timeline", "/api/compare", "/api/stats", "/api/ingest",
                 "/api/graph", "/api/map"):  # fmt: skip
        assert path in spec["paths"], path
    assert "ErrorResponse" in spec["components"]["schemas"]
    assert "swagger" in client.get("/docs").text.lower()


def test_server_config_reads_file_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text('[server]\ntoken = "from-the-file"\npublic_reads = false\nmax_upload_mb = 2\n', encoding="utf-8")
    config = ServerConfig.load(str(path), environ={})
    assert (config.token, config.public_reads, config.max_upload) == ("from-the-file", False, 2 * 1024 * 1024)
    env = ServerConfig.load(str(path), environ={"STORYLINE_API_TOKEN": "from-the-env", "STORYLINE_PUBLIC_READS": "yes"})
    assert (env.token, env.public_reads) == ("from-the-env", True)
    path.write_text("[server]\ntokn = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="tokn"):
        ServerConfig.load(str(path), environ={})
    with pytest.raises(ConfigError, match="8 characters"):
        ServerConfig(token="short")
    with pytest.raises(ConfigError, match="no token"):
        ServerConfig(public_reads=False)


def test_serve_names_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "none.db" in result.output and "no such store" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[server\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db"), "--config", str(bad)])
    assert result.exit_code == 2 and "not TOML" in result.output


def test_the_page_is_served_at_the_root_and_may_load_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<script" in page.text and "app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200
    for sneaky in ("/static/..%2fapp.py", "/static/../app.py", "/static/%2e%2e/%2e%2e/pyproject.toml"):
        _is_error(client.get(sneaky), 404)


def test_an_ambiguous_prefix_is_the_callers_error(
    client: TestClient, analyzed_store: Analyzed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from storyline.errors import AmbiguousIdError

    def ambiguous(self: object, prefix: str) -> str:
        raise AmbiguousIdError(f"id prefix {prefix!r} is ambiguous; give more characters")

    # the sample corpus has no two ids sharing four characters, so the store is told to find two
    monkeypatch.setattr(analyzed_store.backend(tmp_path).store_class, "resolve", ambiguous)
    _is_error(client.get("/api/documents/abcd"), 400, "ambiguous", "abcd")
    _is_error(client.get("/api/compare", params={"a": "abcd", "b": "abce"}), 400, "ambiguous")


def test_a_search_pages_through_what_it_ranks(
    client: TestClient, analyzed_store: Analyzed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    full = client.get("/api/search", params={"q": "Modi", "limit": 5}).json()
    assert full["matches"] == full["total"] > 10 and full["matches_more"] is False
    monkeypatch.setattr(analyzed_store.backend(tmp_path).module, "RANK_WINDOW", 6)
    capped = client.get("/api/search", params={"q": "Modi", "limit": 5, "offset": 5}).json()
    # counted only up to the window: "6 and more"
    assert capped["matches"] == capped["total"] == 6 and capped["matches_more"] is True
    assert len(capped["items"]) == 1 and capped["next_offset"] is None


def test_a_store_locked_by_another_writer_answers_busy(writable: str) -> None:
    import storyline

    with TestClient(create_app(writable, ServerConfig(token=TOKEN)), raise_server_exceptions=False) as c:
        with storyline.open(writable) as other, other.store.writer_lock():
            response = c.post(
                "/api/ingest", json={"documents": [{"text": "word " * 40}]}, headers={"X-API-Token": TOKEN}
            )
        error = _is_error(response, 503, "try again")
        assert error["code"] == "busy" and response.headers["retry-after"] == "5"
        assert c.get("/api/stats").status_code == 200  # reads go on


def test_tentative_happenings_are_hidden_unless_asked_for(client: TestClient) -> None:
    shown = client.get("/api/clusters", params={"limit": 500}).json()
    everything = client.get("/api/clusters", params={"limit": 500, "tentative": "true"}).json()
    assert 0 < shown["total"] < everything["total"]
    assert not any(c["tentative"] for c in shown["items"])
    hidden = [c for c in everything["items"] if c["tentative"]]
    assert hidden and all(c["confidence"] is not None for c in everything["items"])
    # asked for by id, a tentative happening is shown with its mark
    one = client.get(f"/api/clusters/{hidden[0]['id']}").json()
    assert one["tentative"] is True


def test_a_document_is_given_its_date_through_the_api(writable: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(writable, ServerConfig(token=TOKEN)), raise_server_exceptions=False) as c:
        doc = c.get("/api/documents", params={"limit": 1}).json()["items"][0]
        path = f"/api/documents/{doc['id']}/date"
        _is_error(c.post(path, json={"date": "2018-05-18"}), 401, "token")
        _is_error(c.post(path, json={"date": "someday"}, headers=auth), 400, "not a date")
        _is_error(c.post("/api/documents/ffffffffffff/date", json={"date": "2018-05-18"}, headers=auth), 404)
        given = c.post(path, json={"date": "2018-05-18"}, headers=auth)
        assert given.status_code == 200, given.text
        assert given.json()["published"].startswith("2018-05-18") and given.json()["published_from"] == "given"
        record = c.get(f"/api/documents/{doc['id']}").json()
        assert record["published"].startswith("2018-05-18") and record["published_from"] == "given"
