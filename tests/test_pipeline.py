from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storyline
from storyline.config import IngestConfig
from storyline.errors import ConfigError
from storyline.pipeline import STAGES, StageSpec, check_stages
from storyline.store.sqlite import SQLiteStore

from .conftest import TEST_LANGUAGES

WORDS = [
    "summit",
    "minister",
    "talks",
    "agreement",
    "energy",
    "defence",
    "trade",
    "visit",
    "treaty",
    "port",
    "railway",
    "reactor",
    "forum",
    "credit",
    "ship",
]


def make_corpus(folder: Path, n: int) -> list[Path]:
    """n distinct small articles (deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        body = " ".join(f"{WORDS[(i * 7 + j * 3) % len(WORDS)]}{(i * 31 + j) % 97}" for j in range(60))
        path = folder / f"a{i:04d}.txt"
        path.write_text(
            f"Article number {i}\n2019-0{1 + i % 9}-1{i % 10}\n\nThe officials said {body}.\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Everything stored, minus ingest timestamps."""
    with sqlite3.connect(db) as con:
        return {
            "documents": con.execute(
                "SELECT id, title, text, published, duplicate_of, minhash FROM documents ORDER BY id"
            ).fetchall(),
            "bands": con.execute(
                "SELECT band, key, (SELECT id FROM documents WHERE rowid = doc_rowid) FROM lsh_bands ORDER BY 1, 2, 3"
            ).fetchall(),
            "sightings": con.execute("SELECT doc_id, source_id, origin FROM sightings ORDER BY 1, 2, 3").fetchall(),
            "fts": con.execute(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'officials' ORDER BY rowid"
            ).fetchall(),
        }


def test_stages_are_checked() -> None:
    check_stages(STAGES)
    with pytest.raises(ConfigError, match="requires text"):
        check_stages([StageSpec("x.v1", frozenset({"text"}), frozenset())])


def test_reingest_changes_nothing(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 12)
    db = tmp_path / "s.db"
    config = IngestConfig(languages=TEST_LANGUAGES, batch_size=5)
    with storyline.open(db, config) as sl:
        first = sl.ingest(tmp_path / "in")
    before = snapshot(db)
    with storyline.open(db, config) as sl:
        again = sl.ingest(tmp_path / "in")
    assert (first.stored, again.stored, again.already_stored) == (12, 0, 12)
    assert snapshot(db) == before


def test_interrupted_ingest_completes_on_rerun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "in", 30)
    config = IngestConfig(languages=TEST_LANGUAGES, batch_size=4)
    with storyline.open(tmp_path / "ref.db", config) as sl:
        sl.ingest(tmp_path / "in")

    calls = {"n": 0}
    real_add = SQLiteStore.add

    def failing_add(self: SQLiteStore, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-write
        real_add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SQLiteStore, "add", failing_add)
    db = tmp_path / "s.db"
    with storyline.open(db, config) as sl, pytest.raises(KeyboardInterrupt):
        sl.ingest(tmp_path / "in")
    assert SQLiteStore(db).count(storyline.store.DocumentQuery()) == 12  # 3 whole batches, nothing partial
    monkeypatch.setattr(SQLiteStore, "add", real_add)
    with storyline.open(db, config) as sl:
        report = sl.ingest(tmp_path / "in")
    assert (report.stored, report.already_stored) == (18, 12)
    assert snapshot(db)["documents"] == snapshot(tmp_path / "ref.db")["documents"]


@pytest.mark.slow
def test_killed_ingest_completes_on_rerun(tmp_path: Path) -> None:
    """A real SIGKILL in the middle of an ingest, then the same command again."""
    make_corpus(tmp_path / "in", 400)
    db = tmp_path / "s.db"
    cmd = [
        sys.executable,
        "-m",
        "storyline.cli",
        "ingest",
        str(tmp_path / "in"),
        "--db",
        str(db),
        "--batch-size",
        "5",
        "--languages",
        "en,de",
        "-q",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as con:
                stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if stored >= 20:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be interrupted"
    assert 0 < stored < 400
    rerun = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 400
        assert con.execute("SELECT count(DISTINCT id) FROM documents").fetchone()[0] == 400
        assert (
            con.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'officials'").fetchone()[0] == 400
        )
        assert con.execute("SELECT count(DISTINCT doc_rowid) FROM lsh_bands").fetchone()[0] == 400


@pytest.mark.slow
def test_two_workers_store_the_same(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 40)
    config = IngestConfig(languages=TEST_LANGUAGES, batch_size=8)
    for name, workers in (("one.db", 1), ("two.db", 2)):
        with storyline.open(tmp_path / name, config) as sl:
            assert sl.ingest(tmp_path / "in", workers=workers).stored == 40
    assert snapshot(tmp_path / "one.db")["documents"] == snapshot(tmp_path / "two.db")["documents"]
