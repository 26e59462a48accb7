"""The API against its own OpenAPI spec (schemathesis): generated requests, valid and not, over
every operation, on the sample corpus's store. Each response must match its declared schema
(errors the one error shape), no request may cause a server error, and a request the spec allows
must not be refused."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from storyline.server.app import create_app

from .postgres_server import Analyzed


@pytest.fixture(scope="module")
def api_schema(analyzed_store: Analyzed) -> schemathesis.schemas.BaseSchema:
    # no API token: writes answer 403, as the spec declares, and the store stays as it is; in each
    # backend (SQLite, and PostgreSQL as `storyline serve --db postgresql://...` serves it)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(analyzed_store.location))


def _operations() -> list[str]:
    return [
        "GET /api/documents", "GET /api/search", "GET /api/documents/{doc_id}", "GET /api/entities",
        "GET /api/entities/{entity}", "GET /api/events", "GET /api/happenings", "GET /api/happenings/{happening_id}",
        "GET /api/clusters", "GET /api/clusters/{cluster_id}",
        "GET /api/storylines", "GET /api/storylines/{storyline_id}", "GET /api/timeline", "GET /api/compare",
        "GET /api/graph", "GET /api/map", "GET /api/stats", "POST /api/ingest",
        "POST /api/documents/{doc_id}/date",
        "GET /api/sources", "POST /api/sources", "DELETE /api/sources/{source_id}", "GET /api/alert-watches",
        "GET /api/alerts", "GET /api/alerts.atom",
        "GET /api/export/documents", "GET /api/export/entities", "GET /api/export/happenings",
        "GET /api/export/timeline", "GET /api/export/map", "GET /api/export/graph",
    ]  # fmt: skip


def test_the_spec_lists_every_operation(api_schema: schemathesis.schemas.BaseSchema) -> None:
    found = {f"{r.ok().method.upper()} {r.ok().path}" for r in api_schema.get_all_operations()}
    assert found == set(_operations())


@pytest.mark.parametrize("operation", _operations())
def test_operation_keeps_its_contract(api_schema: schemathesis.schemas.BaseSchema, operation: str) -> None:
    method, path = operation.split(" ")
    op = api_schema[path][method]

    @given(op.as_strategy())
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate()

    check()
