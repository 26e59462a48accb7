"""Durability under kill -9: ``storyline ingest`` and ``storyline analyze`` killed with SIGKILL at
random points, then run again to completion, and the store checked after every kill and every
completed run.

The bundled sample corpus is copied to a temporary folder once; each command is first run there
cleanly into a fresh store, twice (the runs must agree; the second is the reference: which
documents, sightings, near-duplicate marks, annotations and happenings a complete run gives, and
when it first committed). Each round then starts a fresh store, runs the command and kills it
after a random delay, once or up to ``--kills`` times in a row, and finally runs it to completion.
The delay is uniform from a little before the reference's first commit (one time in five, from a
little before its store file appeared: the start-up before writes nothing) to the reference's end
(following the machine's speed as it changes: see ``Reference.horizon``). After every kill the
store must be consistent (whatever had been committed, nothing half-written); after the final run
it must also be complete and the same as the reference. What is checked:

- ``PRAGMA integrity_check`` is ``ok``, and FTS5's own ``integrity-check`` of the full-text index
  against the documents table passes; the index has one row per document and none other;
- documents: the same set of ids as the reference (a missing one is a *loss*), no id or text twice,
  the same near-duplicate marks, sightings and band keys, none of them pointing at a missing document;
- annotations (analyze): mentions, time expressions, places and events only of existing documents
  marked annotated, event actors of existing events; the counters kept as documents are annotated
  (entities' mentions, documents and events, aliases, the entity graph's edges, the map's place
  counts per month) equal to a recount; when complete, every document annotated by the same stages
  and with as many of each as the reference;
- happenings (analyze): members of existing happenings and events (in the event's own document),
  placed documents annotated and placed in an existing happening, every happening held by a
  member or a placed document, keys, entities and storylines of existing ones, one profile and one
  vector per placed document, term frequencies and the profiled-documents counter equal to a
  recount; when complete, every annotated document placed, the documents grouped into happenings
  exactly as in the reference.

    python benchmarks/durability.py                       # 100 rounds of ingest and 100 of analyze
    python benchmarks/durability.py --rounds 20 --command ingest
    python benchmarks/durability.py --command analyze --kills 2 --seed 3

Prints one line per round and a summary (rounds, kills that landed, losses, inconsistencies);
writes the whole result as JSON to ``benchmarks/out/durability-<command>.json``. Exit status 1
when anything was lost or inconsistent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
OUT = ROOT / "benchmarks" / "out"

#: Tables whose rows point at a document by ``doc_rowid``.
_DOC_TABLES = (
    "entity_mentions", "time_expressions", "place_mentions", "events", "annotated", "document_clusters",
    "cluster_members", "document_vectors", "document_profiles",
)  # fmt: skip
#: Annotation tables written in the same transaction as the document's ``annotated`` mark.
_ANNOTATION_TABLES = ("entity_mentions", "time_expressions", "place_mentions", "events")
#: Tables whose row counts a completed run must share with the reference.
_COUNTED = (
    "documents", "sightings", "lsh_bands", "entity_mentions", "time_expressions", "place_mentions", "events",
    "event_actors", "entities", "entity_aliases", "entity_edges", "place_months", "annotated", "clusters",
    "cluster_members", "document_clusters", "storylines", "document_profiles", "document_vectors",
)  # fmt: skip

#: (what is wrong, a query counting the rows where it is) for any state a kill may leave.
ORPHANS: tuple[tuple[str, str], ...] = (
    ("ids stored twice", "SELECT count(*) - count(DISTINCT id) FROM documents"),
    ("texts stored twice", "SELECT count(*) FROM (SELECT 1 FROM documents GROUP BY text HAVING count(*) > 1)"),
    ("sightings of no document", "SELECT count(*) FROM sightings WHERE doc_id NOT IN (SELECT id FROM documents)"),
    ("documents never sighted", "SELECT count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM sightings)"),
    ("band keys of no document", "SELECT count(*) FROM lsh_bands WHERE doc_rowid NOT IN (SELECT rowid FROM documents)"),
    (
        "near-duplicates of a missing document",
        "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL "
        "AND duplicate_of NOT IN (SELECT id FROM documents)",
    ),
    (
        "full-text rows of no document",
        "SELECT count(*) FROM documents_fts_docsize WHERE id NOT IN (SELECT rowid FROM documents)",
    ),
    (
        "documents missing from the full-text index",
        "SELECT count(*) FROM documents WHERE rowid NOT IN (SELECT id FROM documents_fts_docsize)",
    ),
    *(
        (
            f"{table} of no document",
            f"SELECT count(*) FROM {table} WHERE doc_rowid NOT IN (SELECT rowid FROM documents)",
        )
        for table in _DOC_TABLES
    ),
    *(
        (
            f"{table} of a document not marked annotated",
            f"SELECT count(*) FROM {table} WHERE doc_rowid NOT IN (SELECT doc_rowid FROM annotated)",
        )
        for table in _ANNOTATION_TABLES
    ),
    ("event actors of no event", "SELECT count(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)"),
    ("mentions of no entity", "SELECT count(*) FROM entity_mentions WHERE entity_id NOT IN (SELECT id FROM entities)"),
    (
        "entities never mentioned",
        "SELECT count(*) FROM entities WHERE id NOT IN (SELECT entity_id FROM entity_mentions)",
    ),
    (
        "entity counters out of step",
        "SELECT count(*) FROM entities e "
        "WHERE mentions != (SELECT count(*) FROM entity_mentions WHERE entity_id = e.id) "
        "OR documents != (SELECT count(DISTINCT doc_rowid) FROM entity_mentions WHERE entity_id = e.id) "
        "OR events != (SELECT count(DISTINCT event_id) FROM event_actors WHERE entity_id = e.id AND role != 'speaker')",
    ),
    (
        "entity aliases out of step",
        "SELECT count(*) FROM (SELECT * FROM (SELECT entity_id, alias, count FROM entity_aliases EXCEPT "
        "SELECT entity_id, text, count(*) FROM entity_mentions GROUP BY entity_id, text) UNION ALL "
        "SELECT * FROM (SELECT entity_id, text, count(*) FROM entity_mentions GROUP BY entity_id, text EXCEPT "
        "SELECT entity_id, alias, count FROM entity_aliases))",
    ),
    (
        "entity graph edges out of step",
        "WITH recount AS (SELECT x.entity_id AS a, y.entity_id AS b, count(DISTINCT x.event_id) AS events, "
        "count(DISTINCT e.doc_rowid) AS documents FROM event_actors x JOIN event_actors y ON y.event_id = x.event_id "
        "AND y.entity_id > x.entity_id AND y.role != 'speaker' JOIN events e ON e.id = x.event_id "
        "WHERE x.role != 'speaker' GROUP BY x.entity_id, y.entity_id) "
        "SELECT count(*) FROM (SELECT * FROM (SELECT a, b, events, documents FROM entity_edges EXCEPT "
        "SELECT * FROM recount) UNION ALL SELECT * FROM (SELECT * FROM recount EXCEPT "
        "SELECT a, b, events, documents FROM entity_edges))",
    ),
    (
        "map place counts out of step",
        "WITH recount AS (SELECT coalesce(substr(d.published_utc, 1, 7), '') AS month, p.name, "
        "coalesce(p.country, '') AS country, p.lat, p.lon, count(DISTINCT p.doc_rowid) AS documents "
        "FROM place_mentions p JOIN documents d ON d.rowid = p.doc_rowid GROUP BY 1, p.name, p.lat, p.lon) "
        "SELECT count(*) FROM (SELECT * FROM (SELECT month, name, country, lat, lon, documents FROM place_months "
        "EXCEPT SELECT * FROM recount) UNION ALL SELECT * FROM (SELECT * FROM recount EXCEPT "
        "SELECT month, name, country, lat, lon, documents FROM place_months))",
    ),
    (
        "happening members of no happening",
        "SELECT count(*) FROM cluster_members WHERE cluster_id NOT IN (SELECT id FROM clusters)",
    ),
    (
        "happening members of no event",
        "SELECT count(*) FROM cluster_members WHERE event_id NOT IN (SELECT id FROM events)",
    ),
    (
        "happening members in another document than their event",
        "SELECT count(*) FROM cluster_members m JOIN events e ON e.id = m.event_id WHERE e.doc_rowid != m.doc_rowid",
    ),
    (
        "documents placed in no existing happening",
        "SELECT count(*) FROM document_clusters WHERE cluster_id IS NOT NULL "
        "AND cluster_id NOT IN (SELECT id FROM clusters)",
    ),
    (
        "placed documents not annotated",
        "SELECT count(*) FROM document_clusters WHERE doc_rowid NOT IN (SELECT doc_rowid FROM annotated)",
    ),
    (
        "happenings held by no member or document",
        "SELECT count(*) FROM clusters WHERE id NOT IN (SELECT cluster_id FROM cluster_members) "
        "AND id NOT IN (SELECT cluster_id FROM document_clusters WHERE cluster_id IS NOT NULL)",
    ),
    (
        "happening keys of no happening",
        "SELECT count(*) FROM cluster_keys WHERE cluster_id NOT IN (SELECT id FROM clusters)",
    ),
    (
        "happening entities of no happening",
        "SELECT count(*) FROM cluster_entities WHERE cluster_id NOT IN (SELECT id FROM clusters)",
    ),
    (
        "happenings in a missing storyline",
        "SELECT count(*) FROM clusters WHERE storyline IS NOT NULL AND storyline NOT IN (SELECT id FROM storylines)",
    ),
    (
        "storyline entities of no storyline",
        "SELECT count(*) FROM storyline_entities WHERE storyline_id NOT IN (SELECT id FROM storylines)",
    ),
    (
        "placed documents without a profile",
        "SELECT count(*) FROM document_clusters WHERE doc_rowid NOT IN (SELECT doc_rowid FROM document_profiles)",
    ),
    (
        "profiles of documents not placed",
        "SELECT count(*) FROM document_profiles WHERE doc_rowid NOT IN (SELECT doc_rowid FROM document_clusters)",
    ),
    (
        "placed documents without a vector",
        "SELECT count(*) FROM document_clusters WHERE doc_rowid NOT IN (SELECT doc_rowid FROM document_vectors)",
    ),
    (
        "vectors of documents not placed",
        "SELECT count(*) FROM document_vectors WHERE doc_rowid NOT IN (SELECT doc_rowid FROM document_clusters)",
    ),
    (
        "profiled-documents counter out of step",
        "SELECT abs(coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE name = 'profiled_documents'), 0) "
        "- (SELECT count(*) FROM document_profiles))",
    ),
)
#: Checks only a completed analyze must pass.
COMPLETE_ANALYSIS: tuple[tuple[str, str], ...] = (
    ("documents not annotated", "SELECT count(*) FROM documents WHERE rowid NOT IN (SELECT doc_rowid FROM annotated)"),
    (
        "annotated documents not placed in a happening",
        "SELECT count(*) FROM annotated WHERE doc_rowid NOT IN (SELECT doc_rowid FROM document_clusters)",
    ),
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a store holds, in the terms a complete run is compared on."""

    documents: dict[str, str | None]
    """Document id -> the id it is a near-duplicate of."""
    sightings: frozenset[tuple[str, str, str]]
    counts: dict[str, int]
    stages: frozenset[str]
    """The annotation stage versions documents were annotated by."""
    happenings: frozenset[frozenset[str]]
    """The documents placed in each happening (ids, not the happenings' own ids)."""


@dataclass(slots=True)
class Problem:
    kind: str
    """``loss`` (a document of the reference missing) or ``inconsistency``."""
    what: str
    rows: int = 1


@dataclass(slots=True)
class Kill:
    delay: float
    killed: bool
    """False when the run had ended before the delay was up."""
    documents: int
    annotated: int
    placed: int
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class Round:
    number: int
    command: str
    kills: list[Kill]
    final_seconds: float
    final_exit: int
    problems: list[Problem]

    @property
    def losses(self) -> int:
        return sum(p.rows for p in self.problems if p.kind == "loss")

    @property
    def inconsistencies(self) -> int:
        found = [p for k in self.kills for p in k.problems] + self.problems
        return sum(1 for p in found if p.kind != "loss")


def connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, timeout=30.0, isolation_level=None)
    conn.execute("PRAGMA query_only=ON")
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def snapshot(db: Path) -> Snapshot:
    with contextlib.closing(connect(db)) as conn:
        tables = _tables(conn)
        documents = {r[0]: r[1] for r in conn.execute("SELECT id, duplicate_of FROM documents")}
        sightings = frozenset(conn.execute("SELECT doc_id, origin, source_id FROM sightings").fetchall())
        counts = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in _COUNTED if t in tables}
        stages = frozenset(r[0] for r in conn.execute("SELECT DISTINCT stages FROM annotated"))
        groups: dict[str, set[str]] = {}
        for doc_id, cluster in conn.execute(
            "SELECT d.id, c.cluster_id FROM document_clusters c JOIN documents d ON d.rowid = c.doc_rowid"
        ):
            groups.setdefault(cluster or f"none:{doc_id}", set()).add(doc_id)
    return Snapshot(documents, sightings, counts, stages, frozenset(frozenset(g) for g in groups.values()))


def check(
    db: Path, reference: Snapshot | None = None, *, complete: bool = False, analyzed: bool = False
) -> list[Problem]:
    """What is wrong with the store at ``db``: always its integrity, its full-text index and
    whether any row points at a missing one or a counter is out of step; when ``complete``, also
    whether it holds what ``reference`` (a clean run's snapshot) holds, and (``analyzed``) whether
    every document is annotated and placed (and, when the reference holds annotations, whether
    they are the same)."""
    problems: list[Problem] = []
    if not db.exists():
        return problems  # killed before the store was created: nothing to be inconsistent
    with contextlib.closing(sqlite3.connect(db, timeout=30.0, isolation_level=None)) as conn:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(Problem("inconsistency", "integrity_check: " + "; ".join(result[:5])))
            return problems
        tables = _tables(conn)
        if "documents_fts" in tables:
            try:
                conn.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(Problem("inconsistency", f"full-text index integrity-check: {exc}"))
        checks = list(ORPHANS) + (list(COMPLETE_ANALYSIS) if complete and analyzed else [])
        for what, sql in checks:
            if not _needs(sql) <= tables:
                continue  # killed before the migration that makes that table
            n = int(conn.execute(sql).fetchone()[0])
            if n:
                problems.append(Problem("inconsistency", what, n))
        if "term_frequencies" in tables:
            recount: Counter[str] = Counter()
            for (data,) in conn.execute("SELECT data FROM document_profiles"):
                recount.update(json.loads(data).get("terms", {}).keys())
            stored = dict(conn.execute("SELECT term, documents FROM term_frequencies").fetchall())
            wrong = {t for t in recount.keys() | stored.keys() if recount.get(t, 0) != stored.get(t, 0)}
            if wrong:
                problems.append(Problem("inconsistency", "term frequencies out of step", len(wrong)))
    if complete and reference is not None:
        # annotations and happenings are compared when the reference has them (an analyze's)
        problems += compare(snapshot(db), reference, analyzed=bool(reference.stages))
    return problems


def _needs(sql: str) -> set[str]:
    """The tables a check's query reads (those of the store it names after FROM or JOIN)."""
    words = sql.replace("(", " ").replace(")", " ").replace(",", " ").split()
    return {words[i + 1] for i, w in enumerate(words[:-1]) if w in ("FROM", "JOIN") and words[i + 1].islower()} - {
        "recount"
    }


def compare(found: Snapshot, reference: Snapshot, *, analyzed: bool) -> list[Problem]:
    """How a completed run's store differs from the reference's."""
    problems: list[Problem] = []
    missing = reference.documents.keys() - found.documents.keys()
    if missing:
        problems.append(Problem("loss", f"documents missing: {', '.join(sorted(missing)[:5])}", len(missing)))
    extra = found.documents.keys() - reference.documents.keys()
    if extra:
        problems.append(
            Problem("inconsistency", f"documents a clean run does not store: {sorted(extra)[:5]}", len(extra))
        )
    marks = {
        k for k in found.documents.keys() & reference.documents.keys() if found.documents[k] != reference.documents[k]
    }
    if marks:
        problems.append(Problem("inconsistency", "near-duplicate marks differ from a clean run", len(marks)))
    if found.sightings != reference.sightings:
        problems.append(
            Problem("inconsistency", "sightings differ from a clean run", len(found.sightings ^ reference.sightings))
        )
    tables = ("documents", "sightings", "lsh_bands") if not analyzed else _COUNTED
    for table in tables:
        if found.counts.get(table) != reference.counts.get(table):
            problems.append(
                Problem(
                    "inconsistency",
                    f"{table}: {found.counts.get(table)} rows, a clean run has {reference.counts.get(table)}",
                )
            )
    if analyzed:
        if found.stages != reference.stages:
            problems.append(
                Problem("inconsistency", f"annotated by {sorted(found.stages)}, not {sorted(reference.stages)}")
            )
        if found.happenings != reference.happenings:
            differ = len(found.happenings ^ reference.happenings)
            problems.append(Problem("inconsistency", "documents grouped into happenings unlike a clean run", differ))
    return problems


# -- running and killing ------------------------------------------------------------------------
def storyline_command() -> list[str]:
    script = Path(sys.executable).with_name("storyline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "storyline.cli"]


def command_line(command: str, corpus: Path, db: Path, batch_size: int, workers: int) -> list[str]:
    line = [*storyline_command(), command, str(corpus), "--db", str(db), "--quiet", "--batch-size", str(batch_size)]
    return line + (["--workers", str(workers)] if workers > 1 else [])


def start(line: Sequence[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as err:
        return subprocess.Popen(line, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)


def _progress(db: Path) -> tuple[int, int, int]:
    """(documents, annotated, placed) in the store now; zeros where there is nothing yet."""
    if not db.exists():
        return 0, 0, 0
    out = []
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30.0)) as conn:
            for table in ("documents", "annotated", "document_clusters"):
                try:
                    out.append(int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]))
                except sqlite3.OperationalError:
                    out.append(0)  # not made yet
    except sqlite3.OperationalError:
        return 0, 0, 0
    return out[0], out[1], out[2]


def kill_after(proc: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL the run after ``delay`` seconds (its workers too); False if it ended before."""
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with contextlib.suppress(ProcessLookupError):  # workers of --workers N go with it: none is left writing
        os.killpg(proc.pid, signal.SIGKILL)
    return True


def kill_when(proc: subprocess.Popen[bytes], db: Path, reached: tuple[int, int, int], extra: float = 0.0) -> bool:
    """SIGKILL the run as soon as the store holds at least ``reached`` (documents, annotated,
    placed), plus ``extra`` seconds; False if it ended before."""
    while proc.poll() is None:
        now = _progress(db)
        if all(a >= b for a, b in zip(now, reached, strict=True)):
            return kill_after(proc, extra)
        time.sleep(0.01)
    return False


def run_to_end(line: Sequence[str], log: Path) -> tuple[int, float]:
    started = time.monotonic()
    proc = start(line, log)
    return proc.wait(), time.monotonic() - started


@dataclass(slots=True)
class Reference:
    snapshot: Snapshot
    seconds: float
    """How long a clean run takes (the second of two: the first warms the disk cache)."""
    created: float
    """When in it the store file appeared (before that, a kill can only find nothing)."""
    phases: dict[str, float]
    """When in it the store first held documents, all of them, annotations, placements."""
    horizon: float = 0.0
    """Kills fall before this: at first the clean run's duration; then, as the machine's speed
    changes, the duration of a round's run from an empty store that ended before its kill, grown
    by 5% after every such run that was killed (at most twice the clean run's)."""


def reference_run(command: str, corpus: Path, work: Path, batch_size: int, workers: int) -> Reference:
    """Two clean runs into fresh stores, which must agree: the second, watched, is the reference."""
    log = work / "reference.log"
    analyzed = command == "analyze"
    first = work / f"reference-{command}-1.db"
    code, _ = run_to_end(command_line(command, corpus, first, batch_size, workers), log)
    if code != 0:
        raise SystemExit(f"the clean {command} run failed with exit code {code}; see {log}")
    db = work / f"reference-{command}.db"
    started = time.monotonic()
    proc = start(command_line(command, corpus, db, batch_size, workers), log)
    created = 0.0
    phases: dict[str, float] = {}
    while proc.poll() is None:
        now = time.monotonic() - started
        if not created and db.exists():
            created = now
        docs, annotated, placed = _progress(db)
        for name, reached in (("documents", docs), ("annotated", annotated), ("placed", placed)):
            if reached and name not in phases:
                phases[name] = round(now, 3)
        time.sleep(0.01)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"the clean {command} run failed with exit code {proc.returncode}; see {log}")
    problems = check(db, complete=True, analyzed=analyzed)
    if problems:
        raise SystemExit(f"the clean {command} run's store is itself inconsistent: {problems}")
    reference = snapshot(db)
    differ = compare(snapshot(first), reference, analyzed=analyzed)
    if differ:
        raise SystemExit(f"two clean {command} runs disagree, so a run after a kill cannot be compared: {differ}")
    return Reference(reference, seconds, created, phases, seconds)


def kill_window(reference: Reference, rng: random.Random) -> float:
    """Where a kill's random delay starts: mostly a little before the first documents are
    committed (what comes before, imports and reading the first inputs, writes nothing), one
    time in five a little before the store file appears (to kill while its schema is made)."""
    created = max(0.0, reference.created - 0.1)
    if rng.random() < 0.2:
        return created
    return max(created, reference.phases.get("documents", created) - 0.25)


def one_round(
    number: int, command: str, corpus: Path, work: Path, reference: Reference, rng: random.Random, *,
    kills: int, batch_size: int, workers: int,
) -> Round:  # fmt: skip
    db = work / f"round-{command}-{number}.db"
    log = work / f"round-{command}-{number}.log"
    line = command_line(command, corpus, db, batch_size, workers)
    analyzed = command == "analyze"
    done: list[Kill] = []
    for i in range(rng.randint(1, kills)):
        delay = rng.uniform(kill_window(reference, rng), reference.horizon)
        started = time.monotonic()
        killed = kill_after(start(line, log), delay)
        if i == 0:  # a run from an empty store: the horizon follows how long such a run takes now
            if killed:
                reference.horizon = min(reference.horizon * 1.05, 2 * reference.seconds)
            else:
                reference.horizon = max(time.monotonic() - started, reference.phases.get("documents", 0.0) + 0.1)
        docs, annotated, placed = _progress(db)
        done.append(Kill(round(delay, 3), killed, docs, annotated, placed, check(db, analyzed=analyzed)))
    code, seconds = run_to_end(line, log)
    problems = [] if code == 0 else [Problem("inconsistency", f"the run after the kill exited with {code}")]
    problems += check(db, reference.snapshot, complete=True, analyzed=analyzed)
    for path in work.glob(f"round-{command}-{number}.db*"):
        path.unlink()
    if not problems and not any(k.problems for k in done):
        log.unlink(missing_ok=True)
    return Round(number, command, done, round(seconds, 3), code, problems)


def _describe(r: Round, total: int) -> str:
    kills = ", ".join(
        (f"{k.delay:.2f}s->{k.documents}/{total}" + (f" a{k.annotated} p{k.placed}" if r.command == "analyze" else ""))
        if k.killed
        else f"{k.delay:.2f}s (ended first)"
        for k in r.kills
    )
    verdict = "ok" if not r.losses and not r.inconsistencies else f"{r.losses} lost, {r.inconsistencies} inconsistent"
    details = "; ".join(p.what for k in r.kills for p in k.problems) + "; ".join(p.what for p in r.problems)
    return f"{r.command} round {r.number:3d}: killed at {kills}; re-run {r.final_seconds:.1f}s: {verdict}" + (
        f" ({details})" if details else ""
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=100, help="rounds per command (default 100)")
    parser.add_argument("--command", choices=("ingest", "analyze", "both"), default="both")
    parser.add_argument("--kills", type=int, default=2, help="at most this many kills in a row per round (default 2)")
    parser.add_argument("--batch-size", type=int, default=4, help="documents per ingest transaction (default 4)")
    parser.add_argument("--workers", type=int, default=1, help="ingest's --workers (default 1)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="input folder (default: the sample corpus)")
    parser.add_argument("--out", type=Path, default=None, help="JSON result (default benchmarks/out/durability-*.json)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.kills < 1:
        parser.error("--rounds and --kills are at least 1")
    commands = ("ingest", "analyze") if args.command == "both" else (args.command,)
    rng = random.Random(args.seed)
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "rounds": args.rounds, "kills_per_round": args.kills,
        "batch_size": args.batch_size, "workers": args.workers, "seed": args.seed, "cpus": os.cpu_count(),
        "commands": {},
    }  # fmt: skip
    failed = False
    out = args.out or OUT / f"durability-{args.command}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="storyline-durability-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        for command in commands:
            reference = reference_run(command, corpus, work, args.batch_size, args.workers)
            total = len(reference.snapshot.documents)
            print(
                f"{command}: a clean run stores {total} documents in {reference.seconds:.1f}s (store made at "
                f"{reference.created:.2f}s; first reached: {reference.phases}); kills fall after "
                f"{max(0.0, reference.phases.get('documents', 0.0) - 0.25):.2f}s (one in five after "
                f"{max(0.0, reference.created - 0.1):.2f}s) and before {reference.seconds:.2f}s",
                flush=True,
            )
            rounds: list[Round] = []
            started = time.monotonic()
            for n in range(1, args.rounds + 1):
                r = one_round(
                    n, command, corpus, work, reference, rng,
                    kills=args.kills, batch_size=args.batch_size, workers=args.workers,
                )  # fmt: skip
                rounds.append(r)
                print(_describe(r, total), flush=True)
                if r.losses or r.inconsistencies:
                    failed = True
                    keep = OUT / f"durability-{command}-round-{n}.log"
                    OUT.mkdir(parents=True, exist_ok=True)
                    if (work / f"round-{command}-{n}.log").exists():
                        shutil.copy(work / f"round-{command}-{n}.log", keep)
                # written after every round: a long run stopped early keeps what it measured
                summary = _summary(reference, rounds, command, time.monotonic() - started)
                result["commands"][command] = {"summary": summary, "rounds": [_round_dict(r) for r in rounds]}
                out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
            print(
                f"{command}: {summary['rounds']} rounds, {summary['kills_landed']} kills landed "
                f"({summary['kills_by_state']}), {summary['losses']} documents lost, "
                f"{summary['inconsistencies']} inconsistencies, {summary['seconds']}s",
                flush=True,
            )
    print(f"wrote {out}")
    return 1 if failed else 0


def _summary(reference: Reference, rounds: Sequence[Round], command: str, seconds: float) -> dict[str, Any]:
    total = len(reference.snapshot.documents)
    kills = [k for r in rounds for k in r.kills]
    landed = [k for k in kills if k.killed]
    return {
        "documents": total,
        "reference_seconds": round(reference.seconds, 2),
        "kill_horizon_seconds": round(reference.horizon, 2),
        "reference_store_created": round(reference.created, 2),
        "reference_phases": reference.phases,
        "rounds": len(rounds),
        "kills": len(kills),
        "kills_landed": len(landed),
        "kills_by_state": _states(landed, total, command),
        "losses": sum(r.losses for r in rounds),
        "inconsistencies": sum(r.inconsistencies for r in rounds),
        "failed_reruns": sum(1 for r in rounds if r.final_exit != 0),
        "seconds": round(seconds, 1),
    }


def _states(kills: Sequence[Kill], total: int, command: str) -> dict[str, int]:
    """Where the kills landed, by what the store held after them."""
    out: Counter[str] = Counter()
    for k in kills:
        if k.documents == 0:
            out["no documents yet"] += 1
        elif k.documents < total:
            out["some documents"] += 1
        elif command == "ingest" or k.annotated == 0:
            out["all documents" + (", none annotated" if command == "analyze" else "")] += 1
        elif k.placed == 0:
            out["annotated, none placed"] += 1
        else:
            out["placed"] += 1
    return dict(out)


def _round_dict(r: Round) -> dict[str, Any]:
    return {**asdict(r), "losses": r.losses, "inconsistencies": r.inconsistencies}


if __name__ == "__main__":
    raise SystemExit(main())
