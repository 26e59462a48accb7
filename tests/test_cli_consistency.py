"""The commands agree with each other and with the docs: an --entity name is looked up alike by
every command that takes one, an unknown filter value is refused with the choices, an empty
listing says why, and times, dates and missing titles are shown the same way everywhere."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import storyline

from .conftest import ROOT
from .helpers import analyzed_records
from .helpers import run_cli as run

#: The commands that take --entity/-e and list what it takes part in.
ENTITY_COMMANDS = ("events", "happenings", "timeline", "graph")
#: Three short reports: two people who share a surname (each called "Barrios" in their own
#: report), a protest on "Sunday morning" (a time within a day) in a report with no title, and an
#: undated, planned meeting of two others (an undated storyline).
RECORDS = [
    {
        "id": "a1",
        "title": "Barrios meets Putin",
        "text": "Mayor Jorge Barrios met President Vladimir Putin in Moscow on Monday. Barrios said the talks went "
        "well.",
        "published": "2020-02-11",
    },
    {
        "id": "b1",
        "text": "Edith Barrios led a protest in Lima on Sunday morning. Barrios said the police attacked the "
        "protesters.",
        "published": "2020-02-10",
    },
    {
        "id": "c1",
        "title": "Modi to meet Putin",
        "text": "Prime Minister Narendra Modi will meet President Vladimir Putin in Sochi. The two leaders will sign "
        "agreements.",
    },
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The three reports analysed into a store the tests only read."""
    return analyzed_records(tmp_path_factory.mktemp("consistency"), RECORDS)


def _untitled(db: str) -> str:
    """The id of the report that came without a title."""
    with storyline.open(db) as sl:
        (doc,) = [d for d in sl.documents(limit=None) if d.title is None]
    return doc.id


def _entity_id(db: str, canonical: str) -> str:
    with storyline.open(db) as sl:
        record = sl.entity(canonical)
    assert record is not None and record.canonical == canonical
    return record.id


# -- 1. --entity is looked up alike ---------------------------------------------------------------


@pytest.mark.parametrize("command", ENTITY_COMMANDS)
def test_a_name_that_matches_no_entity_exits_1_in_every_command(store: str, command: str) -> None:
    code, out, err = run(command, "--db", store, "-e", "Nobody Atall")
    assert code == 1 and not out
    assert "error: no entity 'Nobody Atall'" in err and "analyze" not in err


@pytest.mark.parametrize("command", ENTITY_COMMANDS)
def test_an_ambiguous_name_exits_2_listing_the_candidates_in_every_command(store: str, command: str) -> None:
    jorge, edith = _entity_id(store, "Jorge Barrios"), _entity_id(store, "Edith Barrios")
    code, out, err = run(command, "--db", store, "-e", "Barrios")
    assert code == 2 and not out
    assert "entity 'Barrios' is ambiguous" in err and "note:" not in err
    listed = [line.strip() for line in err.splitlines() if line.startswith("  ")]
    assert sorted(listed) == sorted([f"Jorge Barrios (PERSON) [{jorge}]", f"Edith Barrios (PERSON) [{edith}]"])
    # one of the candidates, by the id listed (or by its own full name), is not ambiguous
    for chosen in (edith, "Edith Barrios"):
        code, _, err = run(command, "--db", store, "-e", chosen)
        assert code == 0 and "ambiguous" not in err


def test_an_alert_refuses_an_ambiguous_name_and_still_waits_for_an_unknown_one(store: str, tmp_path: Path) -> None:
    db = str(tmp_path / "copy.db")
    shutil.copy(store, db)
    code, _, err = run("alerts", "add", "--db", db, "-e", "Barrios")
    assert code == 2 and "entity 'Barrios' is ambiguous" in err
    code, _, err = run("alerts", "add", "--db", db, "-e", "Someone Not Named Yet")
    assert code == 0 and "not in the store yet" in err


# -- 2. unknown filter values ---------------------------------------------------------------------


def test_unknown_kinds_and_types_are_refused_with_the_choices_of_the_code(store: str) -> None:
    from storyline.annotate.event_lexicon import RULE_SENSES, SENSES

    senses = [s for found in SENSES.values() for s in found] + list(RULE_SENSES.values())
    categories = {s.type for s in senses}
    subtypes = {s.subtype for s in senses if s.subtype}
    code, out, err = run("events", "--db", store, "--type", "BOGUS")
    assert code == 2 and not out and "unknown type 'BOGUS'" in err and "analyze" not in err
    assert all(c in err for c in categories)
    for command in ("happenings", "timeline"):
        code, out, err = run(command, "--db", store, "--kind", "bogus")
        assert code == 2 and not out and "unknown kind 'bogus'" in err and "analyze" not in err
        assert all(c in err for c in categories) and all(s in err for s in subtypes)
    code, out, err = run("entities", "--db", store, "-t", "FOO")
    assert code == 2 and not out and "unknown type 'FOO'" in err and "PLACE" in err and "WORK_OF_ART" in err
    # known values pass in any case, as the listings compare them
    assert run("events", "--db", store, "--type", "protest")[0] == 0
    assert run("happenings", "--db", store, "--kind", "MEETING,protest")[0] == 0


# -- 3. one vocabulary of entity kinds ------------------------------------------------------------


def test_entities_takes_the_labels_show_prints(store: str) -> None:
    _, shown, _ = run("show", _untitled(store), "--db", store)
    assert "Lima (GPE)" in shown
    code, out, err = run("entities", "--db", store, "-t", "GPE")
    assert code == 0 and "note: GPE entities are listed as PLACE" in err
    assert "Lima" in out and "Moscow" in out and "Vladimir Putin" not in out
    assert run("entities", "--db", store, "-t", "place")[1] == out


def test_the_help_and_docs_of_entities_list_every_kind_an_entity_can_have() -> None:
    from storyline.annotate.entities import LABELS
    from storyline.model.annotations import entity_kind

    kinds = {entity_kind(label) for label in LABELS}
    assert {"PLACE", "GROUP", "WORK_OF_ART", "MISC"} <= kinds
    _, helped, _ = run("entities", "--help")
    docs = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    section = docs.split("\n## storyline entities\n")[1].split("\n## ")[0]
    (row,) = [line for line in section.splitlines() if line.startswith("| `--type`")]
    for kind in kinds:
        assert kind in helped and kind in row, kind


# -- 4. what the tables print ---------------------------------------------------------------------


def test_an_undated_storyline_says_undated(store: str) -> None:
    code, out, _ = run("storylines", "--db", store)
    assert code == 0 and "None" not in out
    (modi,) = [line for line in out.splitlines() if "Narendra Modi" in line]
    assert modi.endswith("article   undated")
    (dated,) = [line for line in out.splitlines() if "Jorge Barrios" in line]
    assert dated.endswith("2020-02-10 .. 2020-02-10")


def test_the_footnote_of_inferred_dates_only_under_a_date_it_explains(store: str) -> None:
    footnote = "(* date inferred from the publication date)"
    _, every, _ = run("events", "--db", store)
    assert footnote in every and any(re.match(r"\S+\* ", line) for line in every.splitlines())
    _, protest, _ = run("events", "--db", store, "--type", "PROTEST")
    assert protest.strip() and "*" not in protest and footnote not in protest


def test_a_time_within_a_day_shows_its_day_in_the_table_and_its_value_in_json(store: str) -> None:
    _, out, _ = run("events", "--db", store)
    lines = [line for line in out.splitlines() if not line.startswith("(")]
    assert "TMO" not in out
    (protest,) = [line for line in lines if "PROTEST" in line]
    assert protest.startswith("2020-02-09 ")
    assert all(line[12] == " " and line[13] != " " for line in lines)  # one column of dates
    _, data, _ = run("events", "--db", store, "--type", "PROTEST", "--json")
    assert json.loads(data)["time"]["value"] == "2020-02-09TMO"


def test_a_timeline_source_without_a_title_shows_no_empty_title(store: str) -> None:
    code, out, _ = run("timeline", "--db", store)
    assert code == 0 and "] :" not in out
    untitled = _untitled(store)[:10]
    assert f"[{untitled} occurred] Edith Barrios led a protest in Lima" in out
    assert "] Barrios meets Putin: Mayor Jorge Barrios met" in out


# -- 5. why a listing is empty --------------------------------------------------------------------


def test_an_empty_listing_of_an_analysed_store_names_its_filters(store: str) -> None:
    for args, said in (
        (("events", "--type", "FIGHT"), "no events match --type FIGHT"),
        (("events", "-e", "Edith Barrios", "--status", "planned"),
         "no events match --entity 'Edith Barrios' --status planned"),
        (("happenings", "--status", "negated"), "no happenings match --status negated"),
        (("timeline", "--kind", "meeting", "--from", "2021"), "no dated happenings match --from 2021 --kind meeting"),
        (("entities", "-t", "LAW"), "no entities match --type LAW"),
    ):  # fmt: skip
        code, out, err = run(*args, "--db", store)
        assert code == 0 and not out and said in err and "analyze" not in err, (args, err)


def test_an_empty_listing_of_a_store_never_analysed_says_to_analyze(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Talks\n2020-02-10\n\nThe two ministers met in Lima on Monday.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert run("ingest", str(text), "--db", db, "--languages", "en,de")[0] == 0
    for command, noun in (("events", "events"), ("happenings", "happenings"), ("timeline", "dated happenings"),
                          ("entities", "entities")):  # fmt: skip
        code, _, err = run(command, "--db", db)
        assert code == 0 and f"no {noun} (run storyline analyze" in err, command


# -- 6. a document without a title ----------------------------------------------------------------


def test_a_document_without_a_title_is_shown_alike_by_every_command(store: str) -> None:
    excerpt = '"Edith Barrios led a protest in Lima on Sunday morning.'
    untitled = _untitled(store)
    _, listed, _ = run("ls", "--db", store)
    (row,) = [line for line in listed.splitlines() if line.startswith(untitled[:10])]
    assert re.search(r'"Edith Barrios led a protest[^"]*…"', row)
    assert "  Barrios meets Putin" in listed  # a title, as it is
    rows = [json.loads(line) for line in run("ls", "--db", store, "--json")[1].splitlines()]
    assert {r["id"]: r["title"] for r in rows}[untitled] is None
    _, shown, _ = run("show", untitled, "--db", store)
    (title,) = [line for line in shown.splitlines() if line.startswith("title:")]
    assert excerpt in title and title.endswith("…\"  (no title: the text's opening)")
    _, found, _ = run("search", "protest", "--db", store)
    assert excerpt in found and "(untitled)" not in found
    assert json.loads(run("search", "protest", "--db", store, "--json")[1])["title"] is None


def test_the_python_and_rest_apis_look_names_up_as_the_commands_do(store: str) -> None:
    from fastapi.testclient import TestClient

    from storyline.errors import UsageError
    from storyline.server.app import ServerConfig, create_app

    edith = _entity_id(store, "Edith Barrios")
    with storyline.open(store) as sl:
        for listing in (sl.events, sl.clusters):
            with pytest.raises(UsageError) as ambiguous:
                listing(entity="Barrios")
            assert ambiguous.value.code == "ambiguous" and len(ambiguous.value.candidates) == 2
            with pytest.raises(UsageError) as missing:
                listing(entity="Nobody Anywhere")
            assert missing.value.code == "not-found"
        assert all(edith in {a.entity_id for a in r.event.actors} for r in sl.events(entity=edith))
    with TestClient(create_app(store, ServerConfig(token="t" * 16)), raise_server_exceptions=False) as client:
        for path in ("/api/events", "/api/happenings", "/api/timeline"):
            assert client.get(path, params={"entity": "Barrios"}).status_code == 400
            assert client.get(path, params={"entity": "Nobody Anywhere"}).status_code == 404
            assert client.get(path, params={"entity": edith}).status_code == 200


def test_the_python_api_refuses_a_kind_no_event_has(store: str) -> None:
    from fastapi.testclient import TestClient

    from storyline.errors import UsageError
    from storyline.server.app import ServerConfig, create_app

    with storyline.open(store) as sl:
        with pytest.raises(UsageError, match="unknown kind 'bogus'; choose a PLOVER category"):
            sl.clusters(kind="bogus")
        with pytest.raises(UsageError, match="unknown type 'BOGUS'"):
            sl.events(type="BOGUS")
        assert sl.clusters(kind="consult,meeting", include_tentative=True) is not None  # known, in any case
    with TestClient(create_app(store, ServerConfig(token="t" * 16)), raise_server_exceptions=False) as client:
        # the REST API's schema takes any string there, and what it takes is not refused: nothing matches
        for path, param in (("/api/happenings", "kind"), ("/api/events", "type")):
            answer = client.get(path, params={param: "bogus"})
            assert answer.status_code == 200 and answer.json()["total"] == 0
        assert client.get("/api/happenings", params={"kind": "meeting"}).status_code == 200


def test_a_refused_run_still_answers_json_on_stdout(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("The council met on the harbour plan and voted to fund the new quay next spring.\n")
    not_a_store = tmp_path / "notes.txt"
    not_a_store.write_text("not a database")
    for args in (
        ("ingest", str(text), "--db", str(not_a_store), "--json"),
        ("analyze", str(text), "--db", str(not_a_store), "--json"),
        ("compare", str(tmp_path / "missing.txt"), str(text), "--json"),
        ("compare", "--pairs", str(tmp_path / "missing.jsonl"), "--json"),
    ):
        code, out, err = run(*args)
        answer = json.loads(out)
        assert code == 1 and answer["exit"] == 1 and answer["error"] in err, args
    code, out, err = run("compare", str(tmp_path / "missing.txt"), str(text))
    assert code == 1 and not out and "missing.txt: no such file" in err  # not "no document with id"


def test_an_exact_name_beats_an_alias_and_a_saved_alert_outlives_an_ambiguous_one(tmp_path: Path) -> None:
    """A country's own name wins over a person's alias ("Jordan", and Michael Jordan called
    "Jordan"), in every listing and the graph; an alert saved on an alias that later names two
    people keeps watching both rather than failing each round."""
    from storyline.follow.alerts import check_spec

    records = tmp_path / "r.jsonl"
    rows = [
        {"id": "j1", "title": "Jordan scores 40", "published": "2020-02-03",
         "text": "Michael Jordan scored 40 points against the Knicks in Chicago on Sunday. Jordan said the team "
                 "played well."},
        {"id": "j2", "title": "King visits Amman", "published": "2020-02-04",
         "text": "King Abdullah met President Emmanuel Macron in Amman, Jordan, on Monday. Jordan and France "
                 "signed a trade agreement."},
        {"id": "b1", "title": "Barrios speaks", "published": "2020-02-05",
         "text": "Mayor Jorge Barrios met President Vladimir Putin in Moscow on Monday. Barrios said the talks "
                 "went well."},
    ]  # fmt: skip
    records.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "j.db")
    assert run("analyze", str(records), "--db", db)[0] == 0
    with storyline.open(db) as sl:
        (country,) = sl.entity_choice("Jordan")
        assert sl.store.entity(country).canonical == "Jordan"
        graph = sl.entity_graph(entity="Jordan")  # no "ambiguous": the country's own name
        assert not graph["nodes"] or country in {node["id"] for node in graph["nodes"]}
        assert all(country in {a.entity_id for a in r.event.actors} for r in sl.events(entity="Jordan"))
        spec = {"entity": "Barrios"}
        assert check_spec(sl, spec) is not None  # one Barrios so far
    more = tmp_path / "more.jsonl"
    more.write_text(
        json.dumps(
            {
                "id": "b2",
                "published": "2020-02-06",
                "text": (
                    "Edith Barrios led a protest in Lima on Sunday. Barrios said the police attacked the protesters."
                ),
            }
        )
        + "\n"
    )
    assert run("analyze", str(more), "--db", db)[0] == 0
    with storyline.open(db) as sl:
        with pytest.raises(Exception, match="ambiguous"):
            sl.clusters(entity="Barrios")
        watched = check_spec(sl, spec)
        assert watched is not None and len(watched.entity_ids[0]) >= 2  # both people, no error
