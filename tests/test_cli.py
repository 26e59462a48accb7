"""Every CLI command, through typer's runner and (for exit codes and stdin) a real process."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app

from .conftest import CORPUS, ROOT

runner = CliRunner()
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)  # type: ignore[union-attr]
LANGS = ["--languages", "en,de,fr,es,tr"]


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_command_list() -> None:
    assert COMMANDS == [
        "analyze",
        "annotate",
        "clusters",
        "compare",
        "copy",
        "entities",
        "events",
        "export",
        "graph",
        "happenings",
        "ingest",
        "ls",
        "search",
        "serve",
        "set-date",
        "show",
        "stats",
        "storylines",
        "timeline",
        "watch",
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Usage:" in out and ("--db" in out or command in ("annotate", "copy"))
    # the reference is docs/commands.md (tests/test_docs.py also checks every option there)
    docs = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert re.search(rf"^## storyline {command}\b", docs, re.M), f"`storyline {command}` is not in docs/commands.md"


def test_version_and_no_args() -> None:
    assert run("--version")[1].startswith("storyline ")
    code, out, err = run()
    assert code in (0, 2) and "Usage:" in out + err


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    (folder / "a.txt").write_text(
        "Modi to fly to Sochi\nMay 18, 2018\n\n"
        "Prime Minister Narendra Modi will fly to Sochi to meet President Vladimir Putin on May 21.\n"
        "File photo: Modi and Putin in St Petersburg on June 1, 2017.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Cyclone nears coast\n2019-05-02\n\n"
        "A severe cyclone moved towards the coast of Odisha on Thursday, officials said.\n",
        encoding="utf-8",
    )
    db = folder / "s.db"
    code, _, err = run("ingest", str(folder), "--db", str(db), *LANGS)
    assert code == 0, err
    assert "stored 2 documents" in err
    return db


def test_ingest_json_report(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("Title\n2019-01-01\n\nSome body text for the test.\n")
    code, out, _ = run("ingest", str(f), "--db", str(tmp_path / "s.db"), "--json", *LANGS)
    assert code == 0
    report = json.loads(out)
    stages, seconds = report.pop("stages"), report.pop("seconds")
    assert report == {
        "inputs": 1, "articles": 1, "stored": 1, "near_duplicates": 0, "already_stored": 0,
        "repointed": 0, "annotated": 0, "clustered": 0, "failed": 0, "errors": [], "notes": [],
    }  # fmt: skip
    # where the time went: the stages of the ingest, and the process's whole wall time
    assert {"ingest", "ingest: read", "ingest: clean", "ingest: store writes"} <= set(stages)
    assert stages["ingest"] >= stages["ingest: clean"] >= 0
    assert seconds is None or seconds >= stages["ingest"]


def test_analyze_is_ingest_for_now(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("Title\n\nSome body text for the test.\n")
    code, _, err = run("analyze", str(f), "--db", str(tmp_path / "s.db"), *LANGS)
    assert code == 0 and "stored 1 document" in err


def test_ls(store: Path) -> None:
    code, out, _ = run("ls", "--db", str(store))
    assert code == 0 and "Modi to fly to Sochi" in out and "2018-05-18" in out and "2 of 2" in out
    code, out, _ = run("ls", "--db", str(store), "--json", "--from", "2019-01-01")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["title"] for r in rows] == ["Cyclone nears coast"] and "text" not in rows[0]


def test_show_search_and_prefix(store: Path) -> None:
    code, out, _ = run("search", "Sochi", "--db", str(store), "--json")
    (hit,) = [json.loads(line) for line in out.splitlines()]
    assert hit["title"] == "Modi to fly to Sochi" and "[Sochi]" in hit["snippet"]
    code, out, _ = run("show", hit["id"][:8], "--db", str(store))
    assert code == 0 and "caption: File photo: Modi and Putin in St Petersburg" in out
    assert "published: 2018-05-18  (day, from dateline: 'May 18, 2018')" in out
    code, out, _ = run("show", hit["id"], "--db", str(store), "--json")
    assert json.loads(out)["captions"] == ["File photo: Modi and Putin in St Petersburg on June 1, 2017."]
    code, _, err = run("show", "deadbeef", "--db", str(store))
    assert code == 1 and "no document with id 'deadbeef'" in err
    code, _, err = run("search", "nothing-matches-this", "--db", str(store))
    assert code == 0 and "no matches" in err


def test_export_jsonl_and_csv(store: Path, tmp_path: Path) -> None:
    code, out, _ = run("export", "--db", str(store))
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    needed = {
        "id",
        "source_id",
        "title",
        "url",
        "source",
        "published",
        "language",
        "text",
        "captions",
        "credits",
        "duplicate_of",
        "seen_in",
    }
    assert needed <= set(rows[0])
    target = tmp_path / "out.csv"
    code, _, err = run("export", "--db", str(store), "--format", "csv", "-o", str(target))
    assert code == 0 and "exported 2 document(s)" in err
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["title"] for r in table] == [r["title"] for r in rows]
    assert json.loads(table[0]["captions"]) == rows[0]["captions"]
    code, _, err = run("export", "--db", str(store), "--format", "xml")
    assert code == 2 and "jsonl, csv" in err


def test_stats(store: Path) -> None:
    _, out, _ = run("stats", "--db", str(store), "--json")
    data = json.loads(out)
    assert data["documents"] == 2 and data["languages"] == {"en": 2} and data["date_from"] == {"dateline": 2}
    assert data["migrations"][0] == "0001_documents"
    _, out, _ = run("stats", "--db", str(store))
    assert "documents:       2 (0 near-duplicates, 0 undated)" in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("ingest", "--db", str(tmp_path / "s.db"))[0] == 2  # no inputs
    code, _, err = run("ingest", "x", "--field", "nonsense", "--db", str(tmp_path / "s.db"))
    assert code == 2 and "OURS=THEIRS" in err
    code, _, err = run("ingest", "x", "--format", "pdf", "--db", str(tmp_path / "s.db"))
    assert code == 2 and "unknown format" in err
    code, _, err = run("ingest", "x", "--languages", "en,xx", "--db", str(tmp_path / "s.db"))
    assert code == 2 and "unknown language code 'xx'" in err


def test_real_process_stdin_and_exit_codes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    cmd = [sys.executable, "-m", "storyline.cli", "ingest", "-", "--db", str(db), *LANGS]
    ok = subprocess.run(
        cmd, input=b"From stdin\n2020-02-02\n\nText that arrives on standard input.\n", capture_output=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([*cmd[:4], str(tmp_path / "missing.txt"), *cmd[5:]], capture_output=True, check=False)
    assert bad.returncode == 1 and b"missing.txt: no such file or folder" in bad.stderr
    out = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "ls", "--db", str(db), "--json"], capture_output=True, check=True
    )
    assert json.loads(out.stdout)["origin"] == "<stdin>"


def test_a_finished_command_ends_at_once_with_its_output_whole(tmp_path: Path) -> None:
    """The command line ends the process without the interpreter's teardown once a command is
    done (cli.app._end): what it printed is all there, through a pipe too, the store it wrote
    is whole, and the exit codes are the command's."""
    db = tmp_path / "s.db"
    cli = [sys.executable, "-m", "storyline.cli"]
    ingest = subprocess.run([*cli, "ingest", str(CORPUS / "txt"), "--db", str(db), *LANGS], capture_output=True)
    assert ingest.returncode == 0, ingest.stderr
    assert b"stored 16 documents" in ingest.stderr  # (the summary is said on standard error)
    exported = subprocess.run([*cli, "export", "--db", str(db)], capture_output=True, check=True)
    rows = [json.loads(line) for line in exported.stdout.decode().splitlines()]
    assert len(rows) == 16 and all(row["text"] for row in rows)
    with sqlite3.connect(db) as con:  # written whole: every document, readable by another process
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (16,)
    # a reader that closes the pipe early: no traceback, the command still ends
    head = subprocess.run(f"{shlex.join([*cli, 'export', '--db', str(db)])} | head -c 10", shell=True,
                          capture_output=True, check=False)  # fmt: skip
    assert len(head.stdout) == 10 and b"Traceback" not in head.stderr
    missing = subprocess.run([*cli, "show", "nothing", "--db", str(db)], capture_output=True)
    assert missing.returncode == 1 and b"no document with id 'nothing'" in missing.stderr
    usage = subprocess.run([*cli, "ingest", "--db", str(db)], capture_output=True)
    assert usage.returncode == 2


def test_a_command_that_leaves_work_running_ends_the_normal_way(tmp_path: Path) -> None:
    """Where a thread or a child process is still running when a command is done, _end leaves
    the process to Python's own exit, which waits for the thread and stops an executor's workers
    (ending at once would cut the thread off, and wait forever on the workers)."""
    marker = tmp_path / "thread-finished"
    script = f"""
import threading, time, pathlib
from concurrent.futures import ProcessPoolExecutor
from storyline.cli.app import _end
if __name__ == "__main__":
    pool = ProcessPoolExecutor(1)
    pool.submit(abs, -1).result()  # a worker, waiting for more
    threading.Thread(target=lambda: (time.sleep(0.5), pathlib.Path({str(marker)!r}).write_text("done"))).start()
    _end(SystemExit(3))
"""
    (tmp_path / "leave.py").write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, str(tmp_path / "leave.py")], capture_output=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert marker.read_text() == "done"


def test_store_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 50)
    code, _, err = run("ls", "--db", str(bad))
    assert (
        code == 1
        and err.strip().startswith("error:")
        and "not a storyline store" in err
        and len(err.strip().splitlines()) == 1
    )
