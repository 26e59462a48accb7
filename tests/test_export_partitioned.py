"""The partitioned Parquet export: a dataset by publication month that pyarrow (and so Ray, DuckDB,
Spark, BigQuery) reads as one table, against the analyzed sample corpus."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli.app import app
from storyline.exports import TABLES

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, analyzed_corpus: Path) -> Path:
    db = tmp_path_factory.mktemp("partitioned") / "corpus.db"
    shutil.copy(analyzed_corpus, db)
    return db


def _months(db: Path, sql: str) -> Counter[str]:
    """Expected rows per partition, from the store itself: the month as published (the first
    seven characters of the ISO time in the article's own zone), or undated."""
    with sqlite3.connect(db) as con:
        return Counter(m or "undated" for (m,) in con.execute(sql))


def _read(root: Path) -> tuple[list[dict[str, object]], list[str]]:
    dataset = ds.dataset(root, format="parquet", partitioning="hive")
    return dataset.to_table().to_pylist(), [Path(f).relative_to(root).as_posix() for f in dataset.files]


@pytest.mark.slow
def test_documents_by_publication_month(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "documents"
    result = runner.invoke(
        app, ["export", "--db", str(corpus), "-f", "parquet", "--partition", "month", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows, files = _read(out)
    expected = _months(corpus, "SELECT substr(published, 1, 7) FROM documents")
    assert Counter(str(r["month"]) for r in rows) == expected
    assert len(expected) > 3 and "undated" in expected  # the corpus spans years and has undated pages
    assert sorted(files) == sorted(f"month={m}/part-0.parquet" for m in expected)
    # every file holds the table's columns, as the single-file export does; the month is in the path
    for f in files:
        assert pq.read_schema(out / f).names == list(TABLES["documents"])
    with storyline.open(corpus) as sl:
        stored = {r["id"]: r for r in sl.iter_rows("documents")}
    assert {str(r["id"]) for r in rows} == set(stored)
    for r in rows:
        published = stored[str(r["id"])]["published"]
        assert r["published"] == published
        assert r["month"] == (published[:7] if published else "undated")
    # the dataset filters by partition without reading the others
    may = ds.dataset(out, format="parquet", partitioning="hive").to_table(filter=ds.field("month") == "2018-05")
    assert may.num_rows == expected["2018-05"] > 0


@pytest.mark.slow
def test_events_by_their_documents_month_and_a_second_export_replaces_the_first(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "events"
    with storyline.open(corpus) as sl:
        assert sl.export(out, format="parquet", table="events", partition="month") > 0
        n = sl.export(out, format="parquet", table="events", partition="month", hide_duplicates=True)
        documents = {d.id: d for d in sl.documents(limit=None)}
        events = list(sl.iter_rows("events", hide_duplicates=True))
    rows, files = _read(out)
    assert len(rows) == n == len(events)  # the second export replaced the first, nothing left over
    assert {r["event_id"] for r in rows} == {e["event_id"] for e in events}
    for r in rows:
        published = documents[str(r["document_id"])].published
        assert r["month"] == (published.value.isoformat()[:7] if published else "undated")
    assert all(f.endswith("/part-0.parquet") and f.startswith("month=") for f in files)


def test_partitioned_export_refusals(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    storyline.open(db).close()
    cases = [
        (["-f", "jsonl", "--partition", "month", "-o", str(tmp_path / "a")], "Parquet dataset"),
        (["-f", "parquet", "--partition", "month"], "-o DIR"),
        (["-f", "parquet", "--partition", "month", "-t", "entities", "-o", str(tmp_path / "b")], "no publication"),
        (["-f", "parquet", "--partition", "year", "-o", str(tmp_path / "c")], "choose one of month"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["export", "--db", str(db), *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    # a folder holding anything but a previous export is never emptied
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "parquet", "--partition", "month", "-o", str(mine)])
    assert result.exit_code == 1 and "choose a new or empty folder" in result.output
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    # an empty store gives an empty dataset
    empty = tmp_path / "empty"
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "parquet", "--partition", "month", "-o", str(empty)])
    assert result.exit_code == 0, result.output
    assert empty.is_dir() and not any(empty.iterdir())
