"""Rough edges of the command line an analyst ran into: what --json writes (one JSON object, or
one per line) is what the help and the docs say; `events` takes the kinds `happenings` and
`timeline` take (a category or a subtype, by --kind, --type or -t) and matches them alike; an id
prefix too short to be one is said to be so."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.store.base import ID_PREFIX_MIN

from .conftest import ROOT
from .helpers import analyzed_records
from .helpers import run_cli as run
from .test_docs import cli_commands, command_sections

#: A meeting, a killing and an attack, and an undated planned meeting.
RECORDS = [
    {
        "id": "a1",
        "title": "Barrios meets Putin",
        "text": "Mayor Jorge Barrios met President Vladimir Putin in Moscow on Monday. Barrios said the talks went "
        "well.",
        "published": "2020-02-11",
    },
    {
        "id": "k1",
        "title": "Gunmen kill two",
        "text": "Gunmen killed two soldiers in Kabul on Tuesday. The Taliban attacked a checkpoint near the airport.",
        "published": "2020-02-12",
    },
    {
        "id": "c1",
        "title": "Modi to meet Putin",
        "text": "Prime Minister Narendra Modi will meet President Vladimir Putin in Sochi. The two leaders will sign "
        "agreements.",
    },
]
#: The commands whose --json writes one JSON object per line (JSON Lines), one per item found.
LISTINGS = {
    "ls", "search", "entities", "events", "happenings", "clusters", "storylines", "timeline", "annotate",
    "sources ls", "alerts ls", "alerts log",
}  # fmt: skip
JSON_LINES = "one JSON object per line (JSON Lines)"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The reports analysed into a store the tests only read."""
    return analyzed_records(tmp_path_factory.mktemp("rough"), RECORDS)


def _doc_id(db: str, title: str) -> str:
    with storyline.open(db) as sl:
        (doc,) = [d for d in sl.documents(limit=None) if d.title == title]
    return doc.id


def _json_help() -> dict[str, str]:
    """Every command that takes --json, with what its help says --json writes."""
    return {
        name: param.help or ""
        for name, command in cli_commands().items()
        for param in getattr(command, "params", [])
        if "--json" in getattr(param, "opts", ())
    }


# -- 1. what --json writes ------------------------------------------------------------------------


def test_every_json_option_says_which_of_the_two_forms_it_writes() -> None:
    helps = _json_help()
    assert set(helps) >= LISTINGS | {"show", "stats", "ingest", "compare", "eval timeml"}
    for name, said in helps.items():
        if name in LISTINGS:
            assert JSON_LINES in said, (name, said)
        elif name == "compare":  # two documents: one object; --pairs: one per pair
            assert "as one JSON object" in said and f"with --pairs, {JSON_LINES}" in said, said
        elif name == "watch":  # its progress lines on stderr; its alerts are JSON Lines anyway
            assert JSON_LINES in said and "stderr" in said, said
        else:
            assert said.endswith("as one JSON object.") and "per line" not in said, (name, said)


def test_the_docs_say_what_the_help_says_of_json() -> None:
    sections = command_sections()
    for name, said in _json_help().items():
        section = sections["ingest" if name == "analyze" else name]  # (analyze: "every option of ingest")
        if f"| `--json` | {said} |" in section:
            continue
        # the commands of following the news have a shorter line or row of their own
        form = JSON_LINES if name in LISTINGS or name == "watch" else "as one JSON object"
        assert form in section.replace("\n", " "), (name, section)
    overview = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8").split("\n## storyline ingest")[0]
    assert "Machine-readable JSON output" not in (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert JSON_LINES in overview and "Extra data" in overview
    for name in LISTINGS:
        assert f"`{name}`" in overview, name


@pytest.mark.parametrize(
    ("name", "args"),
    [("ls", ()), ("search", ("Putin",)), ("entities", ()), ("events", ()), ("happenings", ("--all",)),
     ("storylines", ()), ("timeline", ()), ("sources ls", ()), ("alerts ls", ()), ("alerts log", ()),
     ("show", ("DOC",)), ("stats", ())],
    ids=lambda v: v if isinstance(v, str) else "",
)  # fmt: skip
def test_json_output_has_the_form_the_help_names(store: str, name: str, args: tuple[str, ...]) -> None:
    given = [_doc_id(store, "Barrios meets Putin") if a == "DOC" else a for a in args]
    code, out, err = run(*name.split(), *given, "--db", store, "--json")
    assert code == 0, err
    if JSON_LINES in _json_help()[name]:
        rows = [json.loads(line) for line in out.splitlines()]
        assert all(isinstance(r, dict) for r in rows)
        if len(rows) > 1:  # the analyst's json.load of the whole: not one JSON document
            with pytest.raises(json.JSONDecodeError, match="Extra data"):
                json.loads(out)
    else:
        assert isinstance(json.loads(out), dict) and len(out.strip().splitlines()) == 1


def test_annotate_writes_a_json_line_per_input_document(tmp_path: Path) -> None:
    records = tmp_path / "two.jsonl"
    records.write_text("".join(json.dumps(r) + "\n" for r in RECORDS[:2]), encoding="utf-8")
    code, out, err = run("annotate", str(records), "--json", "--languages", "en,de")
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a1", "k1"]


# -- 2. events takes the kinds happenings and timeline take ---------------------------------------


def _kind_option(command: str) -> Any:
    (param,) = [p for p in getattr(cli_commands()[command], "params", []) if "--type" in p.opts]
    return param


def test_events_happenings_and_timeline_take_the_same_kind_option() -> None:
    events = _kind_option("events")
    for other in ("happenings", "timeline"):
        param = _kind_option(other)
        assert (sorted(param.opts), param.multiple, param.help) == (sorted(events.opts), events.multiple, events.help)
    assert sorted(events.opts) == ["--kind", "--type", "-t"] and events.multiple
    docs = command_sections()
    rows = {c: [r for r in docs[c].splitlines() if r.startswith("| `--kind`, `--type`, `-t` |")] for c in
            ("events", "happenings", "timeline")}  # fmt: skip
    assert rows["events"] == rows["happenings"] == rows["timeline"] and len(rows["events"]) == 1


def _events(store: str, *args: str) -> list[dict[str, Any]]:
    code, out, err = run("events", "--db", store, "--json", *args)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["document_id"], json.dumps(row["trigger"], sort_keys=True)


@pytest.mark.parametrize(
    "kinds",
    [["killing"], ["ASSAULT"], ["assault"], ["Killing"], ["meeting"], ["CONSULT"], ["killing,meeting"],
     ["killing", "meeting"]],
    ids=lambda k: " ".join(k),
)  # fmt: skip
def test_events_matches_a_category_or_a_subtype_as_happenings_do(store: str, kinds: list[str]) -> None:
    every = _events(store, "-n", "1000")
    assert {r["subtype"] for r in every} >= {"killing", "meeting"}
    given = [v for k in kinds for v in k.split(",")]
    types, subtypes = {v.upper() for v in given}, {v.lower() for v in given}
    expected = [_key(r) for r in every if r["type"] in types or (r["subtype"] or "") in subtypes]
    assert expected
    for option in ("-t", "--type", "--kind"):
        args = [a for k in kinds for a in (option, k)]
        assert [_key(r) for r in _events(store, *args)] == expected, option


def test_events_of_a_subtype_are_picked_by_the_store_up_to_the_limit(store: str) -> None:
    every = _events(store, "-n", "1000")
    meetings = [_key(r) for r in every if r["subtype"] == "meeting"]
    # other events come between the meetings: the limit counts meetings, not events read
    assert len(meetings) >= 2 and [_key(r) for r in every].index(meetings[1]) > 2
    for limit in (1, 2, 50):
        assert [_key(r) for r in _events(store, "-t", "meeting", "-n", str(limit))] == meetings[:limit]
    # the Python API takes the same kinds, and counts them the same way
    with storyline.open(store) as sl:
        assert [(e.document_id, e.event.id) for e in sl.events(type="meeting", limit=None)] == [
            (e.document_id, e.event.id) for e in sl.events(limit=None) if e.event.subtype == "meeting"
        ]
        assert sl.count_events(sl.event_query(type="meeting,killing", limit=None)) == sum(
            1 for e in sl.events(limit=None) if e.event.subtype in ("meeting", "killing")
        )
    code, out, err = run("events", "--db", store, "-t", "killing")
    assert code == 0 and out.splitlines() and all("ASSAULT/killing " in line for line in out.splitlines()), err


def test_events_refuses_an_unknown_kind_with_the_choices_of_happenings(store: str) -> None:
    code, out, err = run("events", "--db", store, "-t", "bogus")
    assert code == 2 and not out and "unknown type 'bogus'" in err
    _, _, theirs = run("happenings", "--db", store, "-t", "bogus")
    choices = re.compile(r"; choose (.*)", re.S)
    mine, expected = choices.search(err), choices.search(theirs)
    assert mine and expected and " ".join(mine.group(1).split()) == " ".join(expected.group(1).split())
    assert "or a subtype (" in mine.group(1) and "killing" in mine.group(1)
    code, _, err = run("events", "--db", store, "--kind", "killing,bogus")
    assert code == 2 and "'bogus'" in err and "'killing'" not in err


# -- 3. an id prefix shorter than a prefix can be -------------------------------------------------


def test_the_minimum_named_is_the_stores(store: str) -> None:
    doc = _doc_id(store, "Gunmen kill two")
    with storyline.open(store) as sl:
        assert sl.store.resolve(doc[:ID_PREFIX_MIN]) == doc
        assert sl.store.resolve(doc[: ID_PREFIX_MIN - 1]) is None


def test_a_short_document_id_says_how_long_a_prefix_must_be(store: str) -> None:
    doc, other = _doc_id(store, "Gunmen kill two"), _doc_id(store, "Barrios meets Putin")
    hint = f"an id prefix needs at least {ID_PREFIX_MIN} characters"
    short = doc[: ID_PREFIX_MIN - 1]
    for args in (
        ("show", "8"),
        ("show", short),
        ("set-date", short, "2020-02-12"),
        ("events", "--doc", short),
        ("compare", short, other),
        ("compare", other, short),
    ):
        code, out, err = run(*args, "--db", store)
        assert code == 1 and not out, (args, out, err)
        assert f"no document with id {args[1] if args[0] == 'show' else short!r}" in err and hint in err, (args, err)
    code, out, err = run("compare", other, short, "--db", store, "--json")
    assert code == 1 and hint in json.loads(out)["error"]
    # a prefix long enough says nothing of its length; one of a stored id finds it
    code, _, err = run("show", "ffffffff", "--db", store)
    assert code == 1 and "no document with id 'ffffffff'" in err and "prefix" not in err
    assert run("show", doc[:ID_PREFIX_MIN], "--db", store)[0] == 0
    assert run("events", "--doc", doc[:ID_PREFIX_MIN], "--db", store)[0] == 0


def test_a_short_storyline_id_says_how_long_a_prefix_must_be(store: str) -> None:
    with storyline.open(store) as sl:
        line = sl.storylines(limit=1)[0].id
    for command in ("happenings", "timeline"):
        code, out, err = run(command, "--db", store, "--storyline", line[:3])
        assert code == 1 and not out and f"no storyline {line[:3]!r}" in err
        assert f"an id prefix needs at least {ID_PREFIX_MIN} characters" in err
        assert run(command, "--db", store, "--storyline", line[:ID_PREFIX_MIN])[0] == 0


def test_an_ambiguous_doc_prefix_of_events_exits_1_as_show_does(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.errors import AmbiguousIdError
    from storyline.store.sqlite.store import SQLiteStore

    def ambiguous(self: Any, prefix: str) -> str:
        raise AmbiguousIdError(f"id prefix {prefix!r} is ambiguous; give more characters")

    monkeypatch.setattr(SQLiteStore, "resolve", ambiguous)
    for args in (("show", "abcd"), ("events", "--doc", "abcd")):
        code, out, err = run(*args, "--db", store)
        assert code == 1 and not out and "error: id prefix 'abcd' is ambiguous" in err, (args, err)
        assert "--from/--to" not in err


def test_a_store_of_other_languages_says_why_it_holds_no_events(tmp_path: Path) -> None:
    text = "Bundeskanzler Olaf Scholz hat am Dienstag in Berlin den französischen Präsidenten getroffen."
    db = analyzed_records(tmp_path, [{"id": "de-1", "title": "Scholz trifft Macron", "text": text}])
    for command in ("events", "storylines"):
        code, _, err = run(command, "--db", db)
        assert code == 0
        assert "events are read in English only: 0 of the 1 documents held are English (1 de" in err, err
        assert "run storyline analyze to annotate" not in err


def test_show_says_what_a_stage_could_not_read(tmp_path: Path) -> None:
    text = "Bundeskanzler Olaf Scholz hat am Dienstag in Berlin den französischen Präsidenten getroffen."
    db = analyzed_records(tmp_path, [{"id": "de-1", "title": "Scholz trifft Macron", "text": text}])
    _, listed, _ = run("ls", "--db", db, "--json")
    code, out, _ = run("show", json.loads(listed.splitlines()[0])["id"], "--db", db)
    assert code == 0
    assert "skipped:  entities: no model for language 'de'" in out


def test_show_by_an_input_s_own_id_says_where_ids_come_from(tmp_path: Path) -> None:
    text = "Bundeskanzler Olaf Scholz hat am Dienstag in Berlin den französischen Präsidenten getroffen."
    db = analyzed_records(tmp_path, [{"id": "de-1", "title": "Scholz trifft Macron", "text": text}])
    code, _, err = run("show", "de-1", "--db", db)
    assert code == 1 and "no document with id 'de-1'" in err
    assert "storyline ls lists them, an input's own id as source id" in err
