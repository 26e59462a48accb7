"""The Ray engine: ``storyline analyze --engine ray`` stores the same documents, entities, events
and happenings as the local engine, on a local Ray instance and on a running cluster it joins.

Each run is the command a user types, in a process of its own (Ray starts its own processes
and the command shuts them down). Skipped only when Ray is not installed."""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline

from .conftest import CORPUS

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="Ray is not installed (pip install 'storyline[ray]')"
)

_RAY = Path(sys.executable).with_name("ray")


def _analyze(db: Path, *options: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "analyze", str(CORPUS), "--db", str(db), "--json", *options],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _snapshot(db: Path) -> dict[str, Any]:
    """What a run stored, comparable across runs: every column of the documents, entities and
    events tables, and the happenings and storylines, each known by its member documents (so two
    runs agree whatever ids they gave them)."""
    with storyline.open(db) as sl:
        happenings = sl.clusters(limit=None, include_tentative=True)
        members = {c.id: tuple(sorted({s.document_id for s in c.sources})) for c in happenings}
        storylines: dict[str, set[tuple[str, ...]]] = {}
        for c in happenings:
            if c.storyline_id is not None:
                storylines.setdefault(c.storyline_id, set()).add(members[c.id])

        def happening(cid: str | None) -> tuple[str, ...] | None:
            return None if cid is None else members.get(cid, (f"unlisted {cid}",))

        def storyline_of(sid: str | None) -> frozenset[tuple[str, ...]] | None:
            return None if sid is None else frozenset(storylines.get(sid, set()))

        documents = []
        for row in sl.iter_rows("documents"):
            row = dict(row)
            row["event_cluster"], row["storyline"] = happening(row["event_cluster"]), storyline_of(row["storyline"])
            row["happening"] = happening(row["happening"])
            row["events"] = [
                {**e, "cluster": happening(e["cluster"]), "happening": happening(e["happening"])} for e in row["events"]
            ]
            documents.append(row)
        events = []
        for row in sl.iter_rows("events"):
            row = dict(row)
            row["event_cluster"], row["storyline"] = happening(row["event_cluster"]), storyline_of(row["storyline"])
            row["happening"] = happening(row["happening"])
            events.append(row)

        def described(c: Any) -> tuple[Any, ...]:
            sources = sorted((s.document_id, s.event_id or "", s.status) for s in c.sources)
            story = sorted(storylines.get(c.storyline_id or "", set()))
            return (
                members[c.id], c.type, c.subtype, c.start, c.end, c.granularity, c.status, sorted(c.actors.items()),
                c.place, c.label, c.tentative, c.confidence, story, sources,
            )  # fmt: skip

        return {
            "documents": sorted(documents, key=lambda r: r["id"]),
            "entities": sorted((dict(r) for r in sl.iter_rows("entities")), key=lambda r: r["id"]),
            "events": sorted(events, key=lambda r: r["event_id"]),
            "happenings": sorted((described(c) for c in happenings), key=repr),
            "storylines": sorted(sorted(v) for v in storylines.values()),
        }


def _same(local: dict[str, Any], ray: dict[str, Any]) -> None:
    for table in ("documents", "entities", "events", "happenings", "storylines"):
        assert len(ray[table]) == len(local[table]), table
        for mine, theirs in zip(ray[table], local[table], strict=True):
            assert mine == theirs, table


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    report = _analyze(db)
    assert report["articles"] == 44 and report["stored"] > 40 and report["failed"] == 0
    return {"report": report, "snapshot": _snapshot(db)}


def _counts(report: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("inputs", "articles", "stored", "near_duplicates", "already_stored", "failed", "annotated", "clustered")
    return tuple(report[k] for k in keys)


@pytest.mark.slow
def test_ray_on_a_local_instance_stores_what_the_local_engine_stores(local: dict[str, Any], tmp_path: Path) -> None:
    report = _analyze(tmp_path / "ray.db", "--engine", "ray", "--num-workers", "2")
    assert _counts(report) == _counts(local["report"])
    busy = [f"ingest: actors' CPU, {step}" for step in ("read and clean", "extract")]
    busy.append("happenings: actors' CPU, embed")  # the actors did the work, the driver none of it
    assert all(report["stages"][name] > 0 for name in busy), report["stages"]
    snapshot = _snapshot(tmp_path / "ray.db")
    assert len(snapshot["events"]) > 50 and len(snapshot["happenings"]) > 10  # a real comparison
    _same(local["snapshot"], snapshot)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ray_cluster(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A one-node Ray cluster on 127.0.0.1 with one CPU, as ``ray start --head`` starts one, with
    token authentication (Ray's default) on a token of the test's own; yields the environment a
    client needs to join it (the token, as for any Ray client joining an address)."""
    token = tmp_path / "auth_token"
    token.write_text(secrets.token_hex(32), encoding="utf-8")
    env = {
        **os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(token),
    }  # fmt: skip
    port = _free_port()
    command = [str(_RAY), "start", "--head", "--node-ip-address", "127.0.0.1", "--port", str(port)]
    command += ["--num-cpus", "1", "--include-dashboard=false", "--disable-usage-stats"]
    started = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    try:
        assert started.returncode == 0, started.stderr[-3000:]
        yield {**env, "STORYLINE_TEST_RAY_ADDRESS": f"127.0.0.1:{port}"}
    finally:
        subprocess.run([str(_RAY), "stop"], capture_output=True, timeout=120, check=False, env=env)


@pytest.mark.slow
def test_ray_joins_a_running_cluster(local: dict[str, Any], ray_cluster: dict[str, str], tmp_path: Path) -> None:
    address = ray_cluster["STORYLINE_TEST_RAY_ADDRESS"]
    report = _analyze(tmp_path / "cluster.db", "--engine", "ray", "--address", address, env=ray_cluster)
    assert _counts(report) == _counts(local["report"])
    _same(local["snapshot"], _snapshot(tmp_path / "cluster.db"))


def test_engine_options_are_checked(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli.app import app

    runner = CliRunner()
    db = str(tmp_path / "x.db")
    for args, message in [
        (["--engine", "spark"], "choose one of local, ray"),
        (["--address", "127.0.0.1:6379"], "--engine ray"),
        (["--engine", "ray", "--workers", "2"], "--num-workers"),
        (["--engine", "ray", "--num-workers", "0"], "--num-workers"),
    ]:
        result = runner.invoke(app, ["analyze", str(CORPUS / "txt"), "--db", db, *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    with storyline.open(tmp_path / "y.db") as sl, pytest.raises(ValueError, match="unknown engine"):
        sl.analyze(CORPUS / "txt", engine="spark")


def test_a_clear_error_without_ray(tmp_path: Path) -> None:
    hide_ray = (
        "import sys; sys.modules['ray'] = None; sys.argv[0] = 'storyline'; from storyline.cli.app import main; main()"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            hide_ray,
            "analyze",
            str(CORPUS / "txt"),
            "--db",
            str(tmp_path / "x.db"),
            "--engine",
            "ray",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "pip install 'storyline[ray]'" in done.stderr
    with storyline.open(tmp_path / "x.db") as sl:
        assert sl.stats()["documents"] == 0  # refused before anything was read
