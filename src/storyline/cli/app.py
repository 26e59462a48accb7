"""storyline's command line. Each command maps to one method of the Python API.

Heavy libraries are imported inside the commands that need them, so ``--help`` is fast.
Exit codes: 0 all well, 1 some inputs failed (the rest was stored) or a lookup failed,
2 usage errors.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from storyline.api import Storyline
    from storyline.config import IngestConfig
    from storyline.model import Document
    from storyline.model.annotations import EntityMention, EventActor
    from storyline.pipeline import IngestReport
    from storyline.store.filters import HappeningFilter

T = TypeVar("T")

app = typer.Typer(
    name="storyline",
    help="News event intelligence: ingest raw news into a clean, de-duplicated, searchable store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# a str, not a Path: a PostgreSQL URL through pathlib would lose the // of its scheme
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="STORYLINE_DB",
        help="The store: a SQLite file, or a PostgreSQL URL (postgresql://user:password@host/db).",
        show_default=True,
    ),
]
DEFAULT_DB = "storyline.db"


def _json_object(what: str) -> Any:
    """The --json option of a command that answers once: ``what`` it writes, as one JSON object."""
    return typer.Option("--json", help=f"Write {what} as one JSON object.")


def _json_lines(each: str) -> Any:
    """The --json option of a listing: one JSON object per line (JSON Lines), one per ``each``,
    and nothing when it finds none. Not one JSON document: ``json.load`` of the whole output fails
    as soon as there are two lines, so read it a line at a time."""
    return typer.Option("--json", help=f"Write one JSON object per line (JSON Lines), one per {each}.")


#: --json of a command that writes one JSON object (the eval commands: their scores).
JsonOption = Annotated[bool, _json_object("the scores")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _shown(db: str) -> str:
    """The store as messages name it: a file's path, or a URL without its password."""
    from storyline.store.urls import redact

    return redact(db)


def _usage(exc: Exception) -> typer.Exit:
    """A caller's mistake said on stderr (with the candidates of an ambiguous name): exit 1 for a
    name that matches nothing, 2 for anything else."""
    from storyline.errors import UsageError

    _err(f"error: {exc}")
    for candidate in getattr(exc, "candidates", ()):
        _err(f"  {candidate}")
    return typer.Exit(1 if isinstance(exc, UsageError) and exc.code == "not-found" else 2)


def _open(db: str, as_json: bool = False) -> Storyline:
    from storyline.api import open as open_store
    from storyline.errors import StoreError

    try:
        return open_store(db)
    except StoreError as exc:
        raise _refused(str(exc), 1, as_json) from None


def _id_prefix_said(exc: Exception, *given: str | None) -> str:
    """The message of a lookup by id that found nothing, saying, when the id given is shorter
    than a prefix can be, how many characters a prefix needs (the id named in the message)."""
    from storyline.api import DocumentNotFound
    from storyline.errors import UsageError
    from storyline.store.base import ID_PREFIX_MIN  # (a shorter id is looked up whole: "show 8" finds none)

    message = str(exc)
    found_none = isinstance(exc, DocumentNotFound) or (isinstance(exc, UsageError) and exc.code == "not-found")
    if found_none and any(g and len(g.strip()) < ID_PREFIX_MIN and repr(g.strip()) in message for g in given):
        message += f"; an id prefix needs at least {ID_PREFIX_MIN} characters"
    elif found_none and any(g and re.search(r"[^0-9a-f]", g.strip()) and repr(g.strip()) in message for g in given):
        # "show ru-1": an input's own id is not a document's, which storyline makes from the text
        message += "; documents have storyline's own ids (storyline ls lists them, an input's own id as source id)"
    return message


def _refused(message: str, code: int, as_json: bool) -> typer.Exit:
    """A whole run refused: the error on stderr and, for --json, as one JSON object on stdout
    (``{"error": ..., "exit": ...}``), so that a caller reading stdout gets valid JSON and the
    reason rather than nothing. Returns the exit to raise."""
    _err(f"error: {message}")
    if as_json:
        typer.echo(json.dumps({"error": message, "exit": code}, ensure_ascii=False))
    return typer.Exit(code)


def _parse_fields(values: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        ours, sep, theirs = value.partition("=")
        if not sep or not ours or not theirs:
            raise typer.BadParameter(
                f"expected OURS=THEIRS (e.g. text=article_body), got {value!r}", param_hint="--field"
            )
        mapping[ours.strip()] = theirs.strip()
    return mapping


def _languages(value: str | None) -> tuple[str, ...]:
    """--languages "en, de" -> ("en", "de"); the default set when not given."""
    from storyline.config import DEFAULT_LANGUAGES

    return tuple(x.strip() for x in value.split(",") if x.strip()) if value else DEFAULT_LANGUAGES


def _config(
    fmt: str | None, fields: list[str], languages: str | None, max_bytes: int | None, encoding: str | None,
    source: str | None, fetch_links: bool, allow_private: bool, timeout: float, batch_size: int,
    published: str | None = None,
) -> IngestConfig:  # fmt: skip
    from storyline.config import IngestConfig
    from storyline.errors import ConfigError

    kwargs: dict[str, Any] = {}
    if max_bytes is not None:
        kwargs["max_document_bytes"] = max_bytes
    try:
        return IngestConfig(
            languages=_languages(languages),
            field_map=_parse_fields(fields),
            format=fmt,
            encoding=encoding,
            source=source,
            published=published,
            fetch_links=fetch_links,
            allow_private=allow_private,
            timeout=timeout,
            batch_size=batch_size,
            **kwargs,
        )
    except ConfigError as exc:
        raise typer.BadParameter(str(exc)) from None


def _print_report(report: IngestReport, as_json: bool, verbose: bool = False) -> None:
    from storyline.timing import format_stages, process_seconds

    seconds = process_seconds()
    if as_json:
        typer.echo(json.dumps({**report.as_dict(), "seconds": seconds}, ensure_ascii=False))
        return
    if verbose:
        if seconds is not None:
            _err(f"{'wall time since the process started':<34}{seconds:>8.2f} s")
            known = sum(v for k, v in report.stages.items() if ": " not in k)
            _err(f"{'start-up (interpreter, imports, store)':<34}{max(0.0, seconds - known):>8.2f} s")
        for line in format_stages(report.stages, seconds):
            _err(line)
    for origin, note in report.notes:
        _err(f"note: {origin}: {note}")
    for error in report.errors:
        _err(f"error: {error}")
    _err(report.summary())


def _run_ingest(
    inputs: list[str],
    db: str,
    as_json: bool,
    workers: int | None,
    config: IngestConfig,
    quiet: bool,
    *,
    analyze: bool,
    verbose: bool = False,
    engine: str = "local",
    address: str | None = None,
    num_workers: int | None = None,
) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from storyline.errors import ConfigError, StoreError

    sl = _open(db, as_json)
    try:
        show = not quiet and not as_json and sys.stderr.isatty()
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[stored]} stored, {task.fields[failed]} failed"),
            TimeElapsedColumn(),
            transient=True,
            disable=not show,
        ) as bar:
            task = bar.add_task("ingesting", total=None, stored=0, failed=0)

            def progress(event: str, report: IngestReport) -> None:
                bar.update(task, completed=report.inputs, stored=report.stored, failed=report.failed)

            try:
                run = sl.analyze if analyze else sl.ingest
                report = run(
                    *inputs, config=config, workers=workers, progress=progress, engine=engine, address=address,
                    num_workers=num_workers,
                )  # fmt: skip
            except ConfigError as exc:
                raise _refused(str(exc), 2, as_json) from None
            except StoreError as exc:
                raise _refused(str(exc), 1, as_json) from None
    finally:
        sl.close()
    _print_report(report, as_json, verbose)
    raise typer.Exit(report.exit_code)


InputsArg = Annotated[
    list[str],
    typer.Argument(metavar="PATH|URL|-", help="Files, folders (read recursively), URLs, or - for standard input."),
]
FormatOpt = Annotated[
    str | None, typer.Option("--format", "-f", help="Force a reader: text, html, json, jsonl, csv, feed, warc.")
]
FieldOpt = Annotated[
    list[str], typer.Option("--field", help="Map a field: OURS=THEIRS, e.g. --field title=headline. Repeatable.")
]
LangOpt = Annotated[
    str | None, typer.Option("--languages", help="Comma-separated ISO 639-1 codes the language detector chooses among.")
]
MaxBytesOpt = Annotated[
    int | None, typer.Option("--max-bytes", help="Largest single document in bytes (default 10 MiB).")
]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="Force the character encoding of byte inputs.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Outlet name for inputs that name none.")]
PublishedOpt = Annotated[
    str | None,
    typer.Option("--published", help="Publication date for inputs that carry none (2018-05-21, 'May 21, 2018')."),
]
FetchOpt = Annotated[bool, typer.Option("--fetch-links", help="Fetch the page behind each feed entry's link.")]
PrivateOpt = Annotated[
    bool, typer.Option("--allow-private", help="Allow fetching private, loopback and link-local addresses.")
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="Seconds to wait for a URL.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", help="Documents written per transaction.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        help="Processes for cleaning and annotating (default: one per core when the input is large enough "
        "to repay starting them; 1 = this process only).",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where the per-document stages run: local (this machine's processes) or ray (Ray Data actors; "
        "pip install 'storyline[ray]').",
    ),
]
AddressOpt = Annotated[
    str | None,
    typer.Option(
        "--address", help="With --engine ray: HOST:PORT of a running Ray cluster to join (default: start a local one)."
    ),
]
NumWorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--num-workers",
        min=1,
        help="With --engine ray: actors per stage (default: one per CPU of the cluster).",
        show_default=False,
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also print the wall time of each stage (start-up included).")
]


def ingest(
    ctx: typer.Context,
    inputs: InputsArg,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_object("the report")] = False,
    fmt: FormatOpt = None,
    field: FieldOpt = [],  # noqa: B006 - typer reads the default, never mutates it
    languages: LangOpt = None,
    max_bytes: MaxBytesOpt = None,
    encoding: EncodingOpt = None,
    source: SourceOpt = None,
    published: PublishedOpt = None,
    fetch_links: FetchOpt = False,
    allow_private: PrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    batch_size: BatchOpt = 64,
    workers: WorkersOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    num_workers: NumWorkersOpt = None,
) -> None:
    """Read, clean, de-duplicate and store news from files, folders, feeds, archives, URLs or stdin."""
    from storyline.distributed import ENGINES

    if engine not in ENGINES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINES)}", param_hint="--engine")
    if engine != "ray" and (address is not None or num_workers is not None):
        raise typer.BadParameter("--address and --num-workers go with --engine ray", param_hint="--engine")
    if engine == "ray" and workers is not None:
        raise typer.BadParameter("--workers is for the local engine; with --engine ray use --num-workers")
    config = _config(
        fmt, field, languages, max_bytes, encoding, source, fetch_links, allow_private, timeout, batch_size, published
    )
    _run_ingest(
        inputs, db, as_json, workers, config, quiet, analyze=ctx.info_name == "analyze", verbose=verbose,
        engine=engine, address=address, num_workers=num_workers,
    )  # fmt: skip


app.command("ingest")(ingest)
app.command(
    "analyze",
    help="Ingest, then annotate (entities, times, places, events) and place documents in happenings and storylines.",
)(ingest)


def _date(doc: Document) -> str:
    return doc.published.isoformat()[:10] if doc.published else "—"


#: How much of a document's text stands in for a title it does not have, where no column width
#: says (``show``, ``search``, ``annotate``).
EXCERPT_CHARS = 80


def _title_shown(title: str | None, text: str, width: int | None = None) -> str:
    """A document's title as the tables show it (cut to ``width`` characters if given). A
    document whose input gave no title has none (null in --json and in exports: none is made up);
    here the opening of its text stands in, in double quotes and cut with "…", so that it is not
    taken for a title. ``ls``, ``show``, ``search`` and ``annotate`` show the same."""
    if title:
        title = " ".join(title.split())
        return title if width is None or len(title) <= width else title[: width - 1] + "…"
    words = " ".join(text.split())
    if not words:
        return "(untitled)"
    room = (width or EXCERPT_CHARS) - 2  # inside the quotes
    if len(words) > room:  # cut at a word where there is one
        cut = words[: room - 1]
        words = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return f'"{words}"'


@app.command("ls")
def list_documents(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("document")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many documents.")] = 20,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    hide_duplicates: Annotated[bool, typer.Option("--hide-duplicates", help="Leave out near-duplicates.")] = False,
    language: Annotated[str | None, typer.Option("--language", help="Only this language (ISO 639-1).")] = None,
    since: Annotated[
        str | None, typer.Option("--from", help="Published on or after this day, month or year (YYYY[-MM[-DD]]).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Published on or before this day, month or year (YYYY[-MM[-DD]]).")
    ] = None,
) -> None:
    """List stored documents in publication order (undated last)."""
    from storyline.model import document_to_dict

    with _open(db) as sl:
        which = sl.document_query(
            limit=limit,
            offset=offset,
            hide_duplicates=hide_duplicates,
            language=language,
            date_from=since,
            date_to=until,
        )
        docs, total = sl.documents(which), sl.count(which)
    if as_json:
        for doc in docs:
            data = document_to_dict(doc)
            data.pop("text")
            typer.echo(json.dumps(data, ensure_ascii=False))
        return
    import shutil

    width = max(100, shutil.get_terminal_size((120, 24)).columns)
    title_width = width - 64
    typer.echo(f"{'id':<10}  {'published':<10}  {'lang':<4}  {'source':<20}  {'title':<{title_width}}  duplicate of")
    for doc in docs:
        title = _title_shown(doc.title, doc.text, title_width)
        source = (doc.source or "")[:20]
        typer.echo(
            f"{doc.id[:10]:<10}  {_date(doc):<10}  {doc.language or '?':<4}  {source:<20}  {title:<{title_width}}  "
            f"{(doc.duplicate_of or '')[:10]}".rstrip()
        )
    typer.echo(f"{len(docs)} of {total} document(s)")


def _actor_shown(actor: EventActor, people: set[str]) -> str:
    """An event's actor as the article view names it: a person named here by a description, a
    pronoun or a group, with those words ("Vladimir Putin ('Russian leader')"), so the reading can
    be checked; else its canonical name (or its words)."""
    name = actor.canonical or actor.text
    if actor.entity_id in people and actor.text:
        said = {w.casefold() for w in re.findall(r"\w+", actor.text)}
        if not said & {w.casefold() for w in re.findall(r"\w+", name)}:
            return f"{name} ({actor.text!r})"
    return str(name)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id or a unique prefix of it (4+ characters).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_object("the document")] = False,
) -> None:
    """Show one document: metadata, text, captions, credits, leftovers and where it came from."""
    from storyline.api import DocumentNotFound
    from storyline.errors import StoreError
    from storyline.model import document_to_dict

    with _open(db) as sl:
        try:
            doc = sl.get(doc_id)
        except (DocumentNotFound, StoreError) as exc:
            _err(f"error: {_id_prefix_said(exc, doc_id)}")
            raise typer.Exit(1) from None
        sightings = sl.sightings(doc.id)
        ann = sl.annotations(doc.id)
        happening_id, storyline_id = sl.placement(doc.id)
        found = sl.clusters(cluster=happening_id, limit=1) if happening_id else []
        line = sl.storyline(storyline_id) if storyline_id else None
    if as_json:
        data = document_to_dict(doc)
        data["seen_in"] = [s.as_dict() for s in sightings]
        data["happening"] = found[0].as_dict() if found else None
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    p = doc.published
    lines = [
        f"id:        {doc.id}",
        f"title:     {_title_shown(doc.title, doc.text)}" + ("" if doc.title else "  (no title: the text's opening)"),
        f"published: {p.isoformat() + f'  ({p.granularity.value}, from {p.source.value}: {p.raw!r})' if p else '—'}",
        f"source:    {doc.source or '—'}    author: {doc.author or '—'}    language: {doc.language or '?'}",
        f"url:       {doc.url or '—'}",
        f"input:     {doc.origin}  (source id {doc.source_id})",
    ]
    if doc.duplicate:
        lines.append(f"duplicate: of {doc.duplicate.of} (similarity {doc.duplicate.similarity:.2f})")
    if len(sightings) > 1:
        lines.append(f"seen in:   {len(sightings)} inputs (same text):")
        lines += [f"           {s.origin}  [{s.source or '?'}] {s.title or ''}" for s in sightings]
    for note in doc.notes:
        lines.append(f"note:      {note}")
    lines += ["", doc.text, ""]
    for label, items in (("caption", doc.captions), ("credit", doc.credits), ("leftover", doc.boilerplate)):
        lines += [f"{label}: {item}" for item in items]
    if ann.entities:
        counts: dict[str, int] = {}
        for e in ann.entities:
            counts[f"{e.canonical} ({e.label})"] = counts.get(f"{e.canonical} ({e.label})", 0) + 1
        lines.append("entities: " + ", ".join(f"{k} x{v}" if v > 1 else k for k, v in counts.items()))
        lines += _variant_lines(ann.entities, "          ")
    for note in ann.skipped:  # what a stage could not read ("entities: no model for language 'sv'")
        lines.append(f"skipped:  {note}")
    if ann.times:
        lines.append("times:    " + ", ".join(f"{t.text!r} = {t.value}" for t in ann.times))
    if ann.places:
        named = dict.fromkeys(f"{p.name} ({p.country or '-'}, {p.lat:.2f}, {p.lon:.2f})" for p in ann.places)
        lines.append("places:   " + ", ".join(named))
    people = {e.entity_id for e in ann.entities if e.label == "PERSON"}
    for ev in ann.events:
        who = ", ".join(_actor_shown(a, people) for a in ev.participants())
        when = f" on {ev.time.value}" if ev.time else ""
        where = f" in {ev.place.name}" if ev.place else ""
        kind = f"{ev.type}/{ev.subtype}" if ev.subtype else ev.type
        lines.append(f"event:    {ev.status.value} {kind}: {who}{where}{when}  ({ev.trigger.text!r})")
    if found:
        # the happening this article mainly reports, and the other articles that report it
        c = found[0]
        lines.append(f"happening: {c.id}  {c.label} ({c.status}, {_counted(c.documents, 'article')}"
                     f"{f', storyline {line.label}' if line else ''})")  # fmt: skip
        others: dict[str, str] = {}
        for src in c.sources:
            if src.document_id != doc.id:
                others.setdefault(
                    src.document_id, f"           {src.document_id[:10]}  {src.status:<10} {src.title or ''}"
                )
        lines += list(others.values())
    typer.echo("\n".join(lines).rstrip())


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words that must all occur; "quoted phrase"; OR between words; prefix*.')
    ],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("match")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many results.")] = 20,
    hide_duplicates: Annotated[bool, typer.Option("--hide-duplicates", help="Leave out near-duplicates.")] = False,
) -> None:
    """Full-text search over titles, texts and captions, best match first. A query that is an
    entity's name or alias also finds the other names it goes by ("Mode" finds Narendra Modi)."""
    with _open(db) as sl:
        expanded, names = sl.search_names(query)
        if names:
            shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
            _err(f"note: {query!r} names an entity: searched for {shown}")
        hits = sl.store.search(expanded, limit=limit, hide_duplicates=hide_duplicates)
    if as_json:
        for hit in hits:
            d = hit.document
            typer.echo(
                json.dumps(
                    {
                        "id": d.id,
                        "score": round(hit.score, 4),
                        "title": d.title,
                        "published": d.published.isoformat() if d.published else None,
                        "duplicate_of": d.duplicate_of,
                        "snippet": hit.snippet,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not hits:
        _err("no matches")
        return
    for hit in hits:
        d = hit.document
        dup = f"  [duplicate of {d.duplicate_of[:10]}]" if d.duplicate_of else ""
        typer.echo(f"{d.id[:10]}  {_date(d)}  {_title_shown(d.title, d.text)}{dup}\n            {hit.snippet}")


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv, parquet (needs -o) or gdelt (events, tab-separated).")
    ] = "jsonl",
    table: Annotated[
        str | None,
        typer.Option("--table", "-t", help="documents (the default), entities or events (the default for gdelt)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    hide_duplicates: Annotated[
        bool, typer.Option("--hide-duplicates", help="Leave out near-duplicates (and their events).")
    ] = False,
    partition: Annotated[
        str | None,
        typer.Option(
            "--partition",
            help="month: write a Parquet dataset to the folder -o DIR, one partition per publication month "
            "(DIR/month=YYYY-MM/part-0.parquet, month=undated without a date), for documents or events.",
        ),
    ] = None,
) -> None:
    """Export a table (documents, entities or events) as JSON Lines, CSV or Parquet (one file, or
    a dataset partitioned by publication month), or the events as a GDELT-style table."""
    from storyline.api import EXPORT_FORMATS, EXPORT_TABLES
    from storyline.exports import PARTITIONS

    if partition is not None:
        if partition not in PARTITIONS:
            raise typer.BadParameter(f"choose one of {', '.join(PARTITIONS)}", param_hint="--partition")
        if fmt != "parquet":
            raise typer.BadParameter("a partitioned export is a Parquet dataset: add -f parquet", param_hint="--format")
        if table == "entities":
            raise typer.BadParameter("entities have no publication month", param_hint="--partition")
        if output is None:
            raise typer.BadParameter("a partitioned export is written to a folder: -o DIR", param_hint="--output")
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    if table is not None and table not in EXPORT_TABLES:
        raise typer.BadParameter(f"choose one of {', '.join(EXPORT_TABLES)}", param_hint="--table")
    if fmt == "gdelt" and table not in (None, "events"):
        raise typer.BadParameter(f"gdelt is a table of events, not of {table}", param_hint="--table")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet is a binary format: give a file with -o FILE", param_hint="--output")
    chosen = table or ("events" if fmt == "gdelt" else "documents")
    with _open(db) as sl:
        target = output if output else sys.stdout
        try:
            n = sl.export(target, format=fmt, table=chosen, hide_duplicates=hide_duplicates, partition=partition)
        except ValueError as exc:  # a folder that is not a previous export's
            _err(f"error: {exc}")
            raise typer.Exit(1) from None
    if output:
        noun = {"documents": "document(s)", "entities": "entities", "events": "event(s)"}[chosen]
        _err(f"exported {n} {noun} to {output}" + (f" (partitioned by {partition})" if partition else ""))


@app.command()
def graph(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="gexf (GEXF 1.3), graphml or json.")] = "gexf",
    output: Annotated[
        Path | None, typer.Option("--out", "--output", "-o", help="Write here instead of standard output.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", "-e", help="Only this entity (name or id) and its neighbours.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10_000, help="How many entities at most.")] = 100,
    min_weight: Annotated[int, typer.Option("--min-weight", min=1, help="Leave out links of fewer shared events.")] = 1,
) -> None:
    """Who acts with whom: entities linked by the events in which both are actors (edge weight:
    shared events), as GEXF or GraphML for Gephi, Cytoscape or networkx, or as JSON."""
    with _open(db) as sl:
        _entities_named(sl, entity)
        if fmt == "json":
            found = sl.entity_graph(entity=entity, limit=limit, min_weight=min_weight)
            text = json.dumps(found, ensure_ascii=False) + "\n"
            if output:
                output.write_text(text, encoding="utf-8")
            else:
                typer.echo(text, nl=False)
        else:
            try:
                found = sl.export_graph(
                    output if output else sys.stdout.buffer, format=fmt, entity=entity, limit=limit,
                    min_weight=min_weight,
                )  # fmt: skip
            except ValueError as exc:
                raise typer.BadParameter(f"{exc}, or json", param_hint="--format") from None
            sys.stdout.flush()
    if output:
        _err(f"wrote {len(found['nodes'])} entities and {len(found['edges'])} links to {output}")


@app.command()
def stats(db: DbOption = DEFAULT_DB, as_json: Annotated[bool, _json_object("the counts")] = False) -> None:
    """Counts: documents, near-duplicates, languages, sources, date range and provenance."""
    with _open(db) as sl:
        data = sl.stats()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    typer.echo(f"store:           {data['path']}")
    typer.echo(
        f"documents:       {data['documents']} ({data['near_duplicates']} near-duplicates, {data['undated']} undated)"
    )
    typer.echo(f"inputs seen:     {data['inputs_seen']}")
    typer.echo(f"published:       {(data['published_from'] or '—')[:10]} … {(data['published_to'] or '—')[:10]}")
    typer.echo("languages:       " + ", ".join(f"{k} {v}" for k, v in data["languages"].items()))
    typer.echo("dates from:      " + ", ".join(f"{k} {v}" for k, v in data["date_from"].items()))
    typer.echo("top sources:     " + ", ".join(f"{k} {v}" for k, v in list(data["sources"].items())[:8]))


@app.command("set-date")
def set_date(
    document: Annotated[str, typer.Argument(help="A stored document: its id or a unique prefix (4+ characters).")],
    when: Annotated[str, typer.Argument(help="Its publication date: 2018-05-21, 'May 21, 2018', RFC 2822, ...")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Give a stored document its publication date (an article with no dateline, say), then
    annotate it again (its relative times resolve against the date) and place it again in
    happenings."""
    from storyline.api import DocumentNotFound
    from storyline.errors import StoreError, UsageError

    with _open(db) as sl:
        try:
            before = sl.get(document)
            after = sl.set_date(before.id, when)
        except (DocumentNotFound, StoreError, UsageError) as exc:
            _err(f"error: {_id_prefix_said(exc, document)}")
            raise typer.Exit(2 if isinstance(exc, UsageError) else 1) from None
        happening, line = sl.placement(after.id)
    old = before.published.value.date().isoformat() if before.published else "undated"
    assert after.published is not None
    typer.echo(f"{after.id}: {old} -> {after.published.value.date().isoformat()} (given); annotated again, "
               f"placed in {happening or 'no happening'}{f' of storyline {line}' if line else ''}")  # fmt: skip


@app.command("copy")
def copy_command(
    source: Annotated[str, typer.Argument(help="The SQLite store to copy (a file).")],
    destination: Annotated[str, typer.Argument(help="An empty PostgreSQL database (postgresql://...).")],
    as_json: Annotated[bool, _json_object("the report")] = False,
) -> None:
    """Copy a whole SQLite store into an empty PostgreSQL database, for when one machine is not
    enough: documents, annotations, happenings, storylines and vectors, in one transaction."""
    from storyline.errors import StoreError
    from storyline.store.transfer import copy_store

    try:
        report = copy_store(source, destination, progress=None if as_json else lambda line: _err(f"  {line}"))
    except StoreError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(report))
        return
    documents = report["rows"].get("documents", 0)
    total = sum(report["seconds"].values())
    typer.echo(f"copied {documents} documents ({sum(report['rows'].values())} rows) to {_shown(destination)} "
               f"in {total:.1f} s")  # fmt: skip


#: The width of the column of kinds in ``storyline entities``; a longer kind (WORK_OF_ART) widens it.
KIND_WIDTH = 8


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("entity")] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            help="Only this kind: PERSON, ORG, PLACE, GROUP, EVENT, LAW, PRODUCT, WORK_OF_ART, "
            "LANGUAGE, MISC; or a label show prints (GPE, LOC, FAC: PLACE; NORP: GROUP).",
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many entities.")] = 30,
) -> None:
    """Canonical entities across the store with their names and counts (after analyze)."""
    chosen = _entity_kind(kind)
    with _open(db) as sl:
        rows = sl.entities(kind=chosen, limit=limit)
        held = 0 if rows or as_json else sl.count_entities()
    if as_json:
        for r in rows:
            typer.echo(
                json.dumps(
                    {"id": r.id, "type": r.kind, "canonical": r.canonical, "country": r.country, "mentions": r.mentions,
                     "documents": r.documents, "aliases": r.aliases, "variants": r.variants},
                    ensure_ascii=False,
                )
            )  # fmt: skip
        return
    if not rows:
        _none_listed("entities", held, {"--type": chosen})
        return
    kind_width = max(KIND_WIDTH, *(len(r.kind) + 1 for r in rows))  # WORK_OF_ART is longer
    typer.echo(f"{'id':<14}{'type':<{kind_width}}{'docs':>5}{'mentions':>10}  canonical  (other names)")
    for r in rows:
        others = [a + (f" [{r.variants[a]}]" if a in r.variants else "") for a in r.aliases if a != r.canonical]
        extra = f"  ({', '.join(others[:6])}{', …' if len(others) > 6 else ''})" if others else ""
        typer.echo(f"{r.id:<14}{r.kind:<{kind_width}}{r.documents:>5}{r.mentions:>10}  {r.canonical}{extra}")


EntitiesOption = Annotated[
    list[str] | None, typer.Option("--entity", "-e", help="Only happenings this entity takes part in (repeatable).")
]
FromOption = Annotated[str | None, typer.Option("--from", help="On or after this date (YYYY, YYYY-MM, YYYY-MM-DD).")]
ToOption = Annotated[str | None, typer.Option("--to", help="On or before this date (YYYY, YYYY-MM, YYYY-MM-DD).")]
AllOption = Annotated[
    bool,
    typer.Option("--all", help="Also tentative happenings (one article whose events are doubtful), hidden by default."),
]
StorylineOption = Annotated[
    str | None,
    typer.Option(
        "--storyline", help="Only this storyline: its id, a unique id prefix, or its label (any case/dashes)."
    ),
]
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status", "-s", help="Only these statuses (repeatable): planned, ongoing, occurred, negated, hypothetical, "
        "referenced.",
    ),
]  # fmt: skip
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind", "--type", "-t", help="Only these kinds (repeatable, or comma-separated): a PLOVER category "
        "(CONSULT) or a subtype (meeting, visit, agreement), in any case.",
    ),
]  # fmt: skip
MinConfidenceOption = Annotated[
    float | None,
    typer.Option("--min-confidence", min=0.0, max=1.0, help="Only happenings placed with at least this confidence."),
]
MinSourcesOption = Annotated[
    int | None, typer.Option("--min-sources", min=1, help="Only happenings reported by at least this many articles.")
]


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("event")] = False,
    entity: Annotated[
        str | None, typer.Option("--entity", "-e", help="Only events this entity takes part in (name or id).")
    ] = None,
    kind: KindOption = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", "-s", help="Only this status: planned, ongoing, occurred, negated, hypothetical, referenced."
        ),
    ] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    document: Annotated[
        str | None, typer.Option("--doc", help="Only the events of this document (id or a prefix of 4+ characters).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many events.")] = 50,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence", min=0.0, max=1.0, help="Only events at least this likely to be right (0-1, calibrated)."
        ),
    ] = None,
) -> None:
    """Events found in stored documents: who did what to whom, where, when, and whether it
    happened (after analyze). Dated events come first, in date order; doubtful ones (less likely
    right than not) after all others. Each line ends with the calibrated probability."""
    from storyline.api import DocumentNotFound
    from storyline.errors import StoreError, StorylineError

    _date_bound(date_from, "--from")
    _date_bound(date_to, "--to")
    # (the noun stays "type", as the option was first called here: "unknown type 'X'; choose ...")
    _event_types_checked(kind, "--type", "type", subtypes=True)
    with _open(db) as sl:
        _entities_named(sl, entity)
        try:
            rows = sl.events(
                entity=entity, type=",".join(_kinds_given(kind)) or None, status=status, date_from=date_from,
                date_to=date_to, document=document, limit=limit, min_confidence=min_confidence,
            )  # fmt: skip
        except (DocumentNotFound, StoreError) as exc:  # an unknown or ambiguous --doc
            _err(f"error: {_id_prefix_said(exc, document)}")
            raise typer.Exit(1) from None
        except ValueError as exc:
            hint = "--status" if "status" in str(exc) else "--from/--to"
            raise typer.BadParameter(str(exc), param_hint=hint) from None
        except StorylineError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(1) from None
        held = 0 if rows or as_json else sl.count_events()
        read = _events_read(sl) if not rows and not as_json and not held else None
    if as_json:
        for r in rows:
            typer.echo(json.dumps({**r.as_dict(), "probability": sl.event_probability(r.event)}, ensure_ascii=False))
        return
    if not rows:
        given = {"--entity": entity, "--type": kind, "--status": status, "--from": date_from, "--to": date_to,
                 "--doc": document, "--min-confidence": min_confidence}  # fmt: skip
        _none_listed("events", held, given, read=read)
        return
    for r in rows:
        e = r.event
        when = _day_shown(e.time.value) + ("*" if e.time.inferred else "") if e.time else "undated"
        who = ", ".join(
            f"{a.canonical or a.text}"
            + ("" if a.role in ("participant", "source") else f" ({a.role}")
            + ("" if a.probability is None else f", learned {a.probability:.2f}")
            + ("" if a.role in ("participant", "source") else ")")
            for a in e.actors
            if a.role != "speaker"
        )
        where = f" @ {e.place.name}" if e.place else ""
        kind_text = f"{e.type}/{e.subtype}" if e.subtype else e.type
        typer.echo(
            f"{when:<12} {e.status.value:<12} {kind_text:<28} {who}{where}  [{r.document_id[:10]}: {e.trigger.text!r}]"
            f"  p={sl.event_probability(e):.2f}"
        )
    if any(r.event.time and r.event.time.inferred for r in rows):  # the footnote of a '*' shown
        typer.echo("(* date inferred from the publication date)")


def _kinds_given(values: list[str] | None) -> list[str]:
    """The kinds --kind/--type/-t gives: repeated, or several to a value separated by commas."""
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@app.command()
def annotate(
    inputs: InputsArg,
    published: Annotated[
        str | None, typer.Option("--published", help="Anchor date (YYYY-MM-DD) for every input's relative times.")
    ] = None,
    keep_text: Annotated[
        bool, typer.Option("--keep-text", help="Annotate the text exactly as given, so offsets refer to the input.")
    ] = False,
    as_json: Annotated[bool, _json_lines("input document")] = False,
    languages: LangOpt = None,
) -> None:
    """Annotate without storing: entities and time expressions, one result per input document.

    A JSON Lines input gives one document per line ({id, title?, text, published?}); results keep
    the ids and the order."""
    from datetime import date

    from storyline.api import annotate_inputs
    from storyline.config import IngestConfig
    from storyline.errors import ConfigError

    anchor = None
    if published:
        try:
            anchor = date.fromisoformat(published)
        except ValueError:
            raise typer.BadParameter(f"expected YYYY-MM-DD, got {published!r}", param_hint="--published") from None
    try:
        config = IngestConfig(languages=_languages(languages))
        found = annotate_inputs(*inputs, config=config, published=anchor, keep_text=keep_text, workers=None)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc)) from None
    for error in found.errors:
        _err(f"error: {error}")
    for doc_id, result in found.results:
        if as_json:
            typer.echo(json.dumps(result.as_dict(doc_id), ensure_ascii=False))
            continue
        d = result.document
        typer.echo(f"{doc_id}  {_title_shown(d.title, d.text)}  [{d.language or '?'}]")
        people: dict[str, list[str]] = {}
        for e in result.annotations.entities:
            people.setdefault(f"{e.canonical} ({e.label})", []).append(e.text)
        for name, forms in people.items():
            variants = sorted(set(forms) - {name.rsplit(" (", 1)[0]})
            typer.echo(f"  {name} x{len(forms)}" + (f"  as {', '.join(variants)}" if variants else ""))
        for line in _variant_lines(result.annotations.entities, "    "):
            typer.echo(line)
        for t in result.annotations.times:
            typer.echo(f"  time {t.text!r} -> {t.type.value} {t.value}")
        for note in result.annotations.skipped:
            typer.echo(f"  skipped: {note}")
    if found.errors:
        raise typer.Exit(1)


def _entities_named(sl: Storyline, names: str | list[str] | None, *, missing_ok: bool = False) -> None:
    """Check the names given to --entity, alike for every command that takes one (events, graph,
    happenings, timeline, alerts add). A name that stands for no entity exits 1 (unless
    ``missing_ok``: an alert may wait for a name the store does not hold yet); a name that stands
    for entities of different names (an alias two people share: "Barrios" for Jorge and Edith
    Barrios) exits 2 and lists them with their ids, one of which can then be given; else a note on
    stderr says when an alias or a spelling variant matched. Entities of one name (a country the
    recogniser also read as an organisation) are one answer, which every listing takes whole, as
    the store's lookup does; so what is checked here is what the listings then pick."""
    from storyline.errors import UsageError

    given = [names] if isinstance(names, str) else list(names or [])
    for name in given:
        try:
            sl.entity_choice(name)
        except UsageError as exc:
            if not (missing_ok and exc.code == "not-found"):
                raise _usage(exc) from None
    _entity_notes(sl, given)


def _entity_notes(sl: Storyline, names: str | list[str] | None) -> None:
    """Say on stderr when an --entity name matched an alias or a corrected spelling, not the name itself."""
    for name in [names] if isinstance(names, str) else names or []:
        for note in sl.entity_notes(name):
            _err(f"note: {note}")


def _variant_lines(entities: list[EntityMention], indent: str) -> list[str]:
    """One line per resolved variant spelling: "Mode -> Narendra Modi, 4 mentions, spelling (evidence)"."""
    found: dict[tuple[str, str], list[EntityMention]] = {}
    for e in entities:
        if e.variant:
            found.setdefault((e.text, e.canonical), []).append(e)
    return [
        f"{indent}{text} -> {canonical}, {len(ms)} mention{'s' if len(ms) > 1 else ''}, {ms[0].variant}"
        + (f" ({ms[0].evidence})" if ms[0].evidence else "")
        for (text, canonical), ms in found.items()
    ]


def _event_types_checked(values: str | list[str] | None, option: str, noun: str, *, subtypes: bool) -> None:
    """Refuse (exit 2, listing the choices) a PLOVER category, or with ``subtypes`` also a
    subtype, that no event can have (:func:`storyline.api.check_event_kinds`, which the Python and
    REST APIs apply too), naming the option."""
    from storyline.api import check_event_kinds
    from storyline.errors import UsageError

    try:
        check_event_kinds(values, noun, subtypes=subtypes)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _entity_kind(value: str | None) -> str | None:
    """The kind ``entities --type`` lists. Entities are stored under a kind (``entity_kind`` of
    the labels the recogniser keeps) while ``show`` prints each mention's label, so both are
    taken: a label as the kind its entities are stored under (GPE, LOC and FAC are PLACE; NORP is
    GROUP, though a nationality that names a country is that country, a PLACE), which a note on
    stderr says. Anything else matches no entity in any store: refused (exit 2) with the choices."""
    if value is None:
        return None
    from storyline.annotate.entities import LABELS
    from storyline.model.annotations import entity_kind

    kinds = sorted({entity_kind(label) for label in LABELS})
    wanted = value.strip().upper()
    if wanted in kinds:
        return wanted
    if wanted in LABELS:
        kind = entity_kind(wanted)
        country = " (a nationality that names a country is listed under PLACE, as the country)"
        _err(f"note: {wanted} entities are listed as {kind}" + (country if wanted == "NORP" else ""))
        return kind
    labels = sorted(set(LABELS) - set(kinds))
    raise typer.BadParameter(
        f"unknown type {value!r}; choose one of {', '.join(kinds)} (or a mention's label: {', '.join(labels)})",
        param_hint="--type",
    )


def _counted(n: int, noun: str, width: int = 0) -> str:
    """ "1 article", "31 articles"; the number right-aligned in ``width``."""
    return f"{n:>{width}} {noun}{'' if n == 1 else 's'}"


def _events_read(sl: Any) -> str | None:
    """What a store whose documents were all analysed but gave no events read: events come from
    English text only, so a store of other languages holds none however often it is analysed.
    None for an empty store or one with documents not yet analysed."""
    stats = sl.stats()
    held = int(stats.get("documents") or 0)
    if not held:
        return None
    if not sl.all_annotated():
        return None  # ingested, or added since: not yet analysed
    languages: dict[str, int] = stats.get("languages") or {}
    english = languages.get("en", 0)
    others = ", ".join(f"{n} {lang}" for lang, n in sorted(languages.items(), key=lambda x: -x[1]) if lang != "en")
    said = f"events are read in English only: {english} of the {held} documents held are English"
    said += f" ({others} in other languages)" if others else ""
    return said + "; run storyline analyze if documents were added since"


def _filters_said(filters: dict[str, Any]) -> str:
    """The filters given, as they would be typed ("--entity 'Narendra Modi' --status planned")."""
    import shlex

    said = []
    for option, value in filters.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            if one is True:
                said.append(option)
            elif one is not None and one is not False:
                said.append(f"{option} {shlex.quote(str(one))}")
    return " ".join(said)


def _none_listed(noun: str, held: int, filters: dict[str, Any], hidden: int = 0, read: str | None = None) -> None:
    """Say on stderr why a listing is empty. A store that holds no {noun} at all has not been
    analysed, and the hint says how, unless ``read`` says what its documents gave (:func:`_events_read`);
    one that does was, and then the filters (named as given) match none, or only tentative
    happenings, ``hidden``: telling such a store to be analysed sends its user the wrong way."""
    if not held:
        _err(f"no {noun} ({read or 'run storyline analyze to annotate documents'})")
        return
    said = _filters_said(filters)
    line = f"no {noun} match {said}" if said else f"no {noun} to list"
    if hidden:
        line += f" ({hidden} tentative {'one is' if hidden == 1 else 'ones are'} hidden: --all shows them)"
    _err(line)


#: A TIMEX3 value within one day ("2020-02-09TMO": that Sunday morning; "2020-02-09T14:30"): the
#: table of events shows its day, so its date column stays one width (--json keeps the value).
_WITHIN_DAY = re.compile(r"([\dX]{4}-[\dX]{2}-[\dX]{2})T")


def _day_shown(value: str) -> str:
    """An event's time as the table of events shows it: the day of a time within a day, else the
    value (a day, a week, a month, a year)."""
    within = _WITHIN_DAY.match(value)
    return within.group(1) if within else value


def _date_bound(value: str | None, name: str) -> None:
    from storyline.model.annotations import value_range

    if value is not None and (not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value) or _no_range(value, value_range)):
        raise typer.BadParameter(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", param_hint=name)


def _no_range(value: str, value_range: Callable[[str], Any]) -> bool:
    try:
        return value_range(value) is None
    except ValueError:  # "2018-13", "2018-02-30"
        return True


def _happening_filter(sl: Storyline, **filters: Any) -> HappeningFilter:
    """The filter of a listing of happenings, names resolved: a note on stderr when a storyline's
    label or an entity's alias matched; a name matching nothing exits 1, an ambiguous one or a bad
    value (a kind no event has) exits 2 (listing the candidates)."""
    from storyline.errors import UsageError

    _entities_named(sl, filters.get("entity"))
    _event_types_checked(filters.get("kind"), "--kind", "kind", subtypes=True)
    try:
        if filters.get("storyline"):
            try:
                line, note = sl.resolve_storyline(filters["storyline"])
            except UsageError as exc:
                if exc.code != "not-found":
                    raise
                raise UsageError(_id_prefix_said(exc, filters["storyline"]), exc.code, exc.candidates) from None
            if note:
                _err(f"note: {note}")
            filters["storyline"] = line
        return sl.happening_filter(**filters)
    except UsageError as exc:
        raise _usage(exc) from None


def _happenings_held(sl: Storyline, which: HappeningFilter) -> tuple[int, int]:
    """For an empty listing of happenings: how many the store holds (tentative ones too), and how
    many of the tentative ones the listing hid would match its filter."""
    held = sl.count_clusters(include_tentative=True)
    hidden = 0 if which.include_tentative or not held else sl.count_clusters(replace(which, include_tentative=True))
    return held, hidden


@app.command("happenings")
def happenings(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("happening")] = False,
    entity: EntitiesOption = None,
    storyline: StorylineOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    status: StatusOption = None,
    kind: KindOption = None,
    min_confidence: MinConfidenceOption = None,
    min_sources: MinSourcesOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many.")] = 50,
    show_all: AllOption = False,
) -> None:
    """Happenings: one real event and every article that announced, reported or recalled it
    (after analyze), in date order, undated ones last, each with how sure placement is."""
    _date_bound(date_from, "--from")
    _date_bound(date_to, "--to")
    with _open(db) as sl:
        which = _happening_filter(
            sl, entity=entity, storyline=storyline, date_from=date_from, date_to=date_to, status=status, kind=kind,
            min_confidence=min_confidence, min_sources=min_sources, include_tentative=show_all,
        )  # fmt: skip
        rows = sl.clusters(which, limit=limit)
        held, hidden = (0, 0) if rows or as_json else _happenings_held(sl, which)
    if as_json:
        for c in rows:
            typer.echo(json.dumps(c.as_dict(), ensure_ascii=False))
        return
    if not rows:
        given = {"--entity": entity, "--storyline": storyline, "--from": date_from, "--to": date_to, "--status": status,
                 "--kind": kind, "--min-confidence": min_confidence, "--min-sources": min_sources}  # fmt: skip
        _none_listed("happenings", held, given, hidden)
        return
    for c in rows:
        when = "undated" if c.start is None else c.start if c.granularity == "day" else f"{c.start}~{c.granularity}"
        sure = "" if c.confidence is None else f", confidence {c.confidence:.2f}"
        mark = " (tentative)" if c.tentative else ""
        typer.echo(f"{when:<16} {c.status:<11} {c.label}{mark}  [{c.id}, {_counted(c.documents, 'article')}{sure}]")


# the old name, for one release: Click says on stderr that it is deprecated
app.command("clusters", deprecated=True, help="The old name of `storyline happenings` (kept for one release).")(
    happenings
)


@app.command()
def storylines(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("storyline")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many.")] = 50,
) -> None:
    """Storylines: happenings of the same actors over time, the largest first."""
    with _open(db) as sl:
        rows = sl.storylines(limit=limit)
        read = None if rows or as_json or sl.count_events() else _events_read(sl)
    if as_json:
        for s in rows:
            typer.echo(json.dumps(s.as_dict(), ensure_ascii=False))
        return
    if not rows:
        # a storyline is happenings of the same actors, who come from events
        _err(f"no storylines ({read or 'run storyline analyze first, or the happenings share no actors'})")
        return
    for s in rows:
        span = "undated" if s.start is None and s.end is None else f"{s.start or '?'} .. {s.end or '?'}"
        happenings, articles = _counted(s.clusters, "happening", 3), _counted(s.documents, "article", 3)
        typer.echo(f"{s.id}  {s.label:<40} {happenings:<14} {articles:<13} {span}")


@app.command()
def timeline(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("entry")] = False,
    entity: EntitiesOption = None,
    storyline: StorylineOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    status: StatusOption = None,
    kind: KindOption = None,
    min_confidence: MinConfidenceOption = None,
    min_sources: MinSourcesOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many entries.")] = 200,
    show_all: AllOption = False,
) -> None:
    """A dated timeline of happenings, planned and held told apart, with the articles and
    evidence sentences behind each entry."""
    _date_bound(date_from, "--from")
    _date_bound(date_to, "--to")
    with _open(db) as sl:
        which = _happening_filter(
            sl, entity=entity, storyline=storyline, date_from=date_from, date_to=date_to, status=status, kind=kind,
            min_confidence=min_confidence, min_sources=min_sources, include_tentative=show_all,
        )  # fmt: skip
        entries = sl.timeline(which, limit=limit)
        held, hidden = (0, 0) if entries or as_json else _happenings_held(sl, replace(which, dated_only=True))
    if as_json:
        for e in entries:
            typer.echo(json.dumps(e.as_dict(), ensure_ascii=False))
        return
    if not entries:
        given = {"--entity": entity, "--storyline": storyline, "--from": date_from, "--to": date_to, "--status": status,
                 "--kind": kind, "--min-confidence": min_confidence, "--min-sources": min_sources}  # fmt: skip
        _none_listed("dated happenings", held, given, hidden)
        return
    for e in entries:
        where = f" in {e.place}" if e.place else ""
        what = e.subtype or e.type.lower()
        typer.echo(f"{e.date:<10} {e.status:<10} {what} — {', '.join(e.actors)}{where}")
        for src in e.sources[:4]:
            # "title: evidence", or what there is of the two (a document may have no title)
            said = ": ".join(part for part in (src.title, src.evidence[:110] if src.evidence else None) if part)
            typer.echo(f"    [{src.document_id[:10]} {src.status}] {said}".rstrip())
        articles = len({src.document_id for src in e.sources})
        shown = len({src.document_id for src in e.sources[:4]})
        if articles > shown:  # the same articles `clusters` and the web UI list for it
            typer.echo(f"    … and {articles - shown} more article{'s' if articles - shown > 1 else ''} "
                       f"(storyline timeline --json lists them all)")  # fmt: skip


@app.command()
def compare(
    first: Annotated[
        str | None, typer.Argument(metavar="A", help="A stored document id (or a prefix of 4+ characters), or a file.")
    ] = None,
    second: Annotated[
        str | None,
        typer.Argument(metavar="B", help="Another stored document id (or a prefix of 4+ characters), or a file."),
    ] = None,
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="JSON Lines of pairs: {id, text1, text2, lang1?, lang2?, title1?, ...}."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Write the comparison of A and B as one JSON object; with --pairs, one JSON object per line "
            "(JSON Lines), one per pair.",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            help="With --pairs: processes that annotate the articles (default: one per core when enough of them "
            "are in a language a recogniser reads; 1 = this process only).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """How similar two articles are (1 = very similar ... 4 = very dissimilar) on geography,
    entities, time, narrative, overall, style and tone; a verdict (duplicate, same event, same
    storyline but a different event, related, unrelated); and the reasons."""
    from storyline.errors import StorylineError

    if pairs is None and (first is None or second is None):
        raise typer.BadParameter("give two documents (ids or files), or --pairs FILE", param_hint="A B")
    if pairs is not None and (first or second):
        raise typer.BadParameter("give either two documents or --pairs, not both", param_hint="--pairs")
    if workers is not None and pairs is None:
        raise typer.BadParameter("--workers is for --pairs (two articles are annotated here)", param_hint="--workers")
    failed = False
    if pairs is not None:
        from storyline.api import compare_pairs
        from storyline.relate.pairs import read_pairs

        if not pairs.is_file():
            raise _refused(f"{pairs}: no such file", 1, as_json)
        rows, errors = read_pairs(pairs)
        compared = compare_pairs(rows, workers=workers)  # None: as many as repay starting them
        errors += [c for c in compared if isinstance(c, StorylineError)]
        for e in errors:
            _err(f"error: {e}")
        failed = bool(errors)
        results = [c for c in compared if not isinstance(c, StorylineError)]
    else:
        assert first is not None and second is not None
        given = [p for p in (first, second) if Path(p).exists()]
        if len(given) == 1:  # two files, or two stored ids: a file beside a missing one is a missing file
            missing = second if given[0] == first else first
            raise _refused(f"{missing}: no such file (A and B are two files, or two stored documents' ids)", 1, as_json)
        try:
            if Path(first).exists() and Path(second).exists():
                from storyline.api import compare_files

                results = [compare_files(first, second, workers=None)]
            else:
                with _open(db, as_json) as sl:
                    results = [sl.compare(first, second)]
        except StorylineError as exc:
            raise _refused(_id_prefix_said(exc, first, second), 1, as_json) from None
    for c in results:
        if as_json:
            typer.echo(json.dumps(c.as_dict(), ensure_ascii=False))
            continue
        typer.echo(f"{c.id}: {c.verdict}")
        typer.echo("  " + "  ".join(f"{d} {v:.1f}" for d, v in c.scores.items()))
        for reason in c.reasons:
            typer.echo(f"  - {reason}")
    if failed:
        raise typer.Exit(1)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML file with a [server] table (token, public_reads, ...).")
    ] = None,
    private: Annotated[bool, typer.Option("--private", help="Reads need the API token too.")] = False,
) -> None:
    """Serve the REST API (under /api/, OpenAPI at /openapi.json, docs at /docs) and the web UI
    (at /) for one store. Writes need the API token: STORYLINE_API_TOKEN or the config's token."""
    from storyline.config import ServerConfig
    from storyline.errors import ConfigError, StorylineError

    try:
        settings = ServerConfig.load(str(config) if config else None, public_reads=False if private else None)
    except ConfigError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None
    try:
        import uvicorn

        from storyline.server.app import create_app

        application = create_app(db, settings)
    except StorylineError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1) from None
    writes = "writes with the API token" if settings.token else "read-only (no API token set)"
    typer.echo(f"storyline: serving {_shown(db)} at http://{host}:{port}/ ({writes}); Ctrl-C stops")
    uvicorn.run(application, host=host, port=port, log_level="warning")


eval_app = typer.Typer(
    name="eval",
    help="Measure storyline against public gold data (passed by path; never bundled).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(eval_app)


def _evaluate(path: Path, run: Callable[[], T], *, folder: bool, errors: tuple[type[Exception], ...]) -> T:
    """Run a scorer on gold data at ``path``: a missing path or unreadable gold data is one line on
    stderr and exit status 1, the same for every eval command."""
    if not (path.is_dir() if folder else path.is_file()):
        _err(f"error: {path}: no such {'folder' if folder else 'file'}")
        raise typer.Exit(1)
    try:
        return run()
    except errors as exc:
        _err(f"error: {exc}" if str(path) in str(exc) else f"error: {path}: {exc}")
        raise typer.Exit(1) from None


@eval_app.command("timeml")
def eval_timeml(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder of TimeML .tml files, e.g. ../shared/eval/tempeval3.")
    ],
    as_json: JsonOption = False,
    errors: Annotated[int, typer.Option("--errors", help="Also list the N commonest misses and wrong values.")] = 0,
) -> None:
    """Time expressions, TempEval-3 style: strict and relaxed span F1, type accuracy, value F1."""
    from storyline.evaluate.timeml import evaluate_timeml

    scores = _evaluate(folder, lambda: evaluate_timeml(folder), folder=True, errors=(FileNotFoundError, ValueError))
    result = scores.as_dict()
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"documents {result['documents']}, gold expressions {result['gold']}, found {result['system']}")
        for kind in ("strict", "relaxed"):
            typer.echo(
                f"{kind + ' span':<14} P {result[kind + '_precision']:.3f}  R {result[kind + '_recall']:.3f}"
                f"  F1 {result[kind + '_f1']:.3f}"
            )
        typer.echo(f"{'type':<14} accuracy {result['type_accuracy']:.3f}  F1 {result['type_f1']:.3f}")
        typer.echo(f"{'value':<14} accuracy {result['value_accuracy']:.3f}  F1 {result['value_f1']:.3f}")
        typer.echo(f"{'value, exact':<14} F1 {result['value_exact_f1']:.3f}  (string equality, no canonical forms)")
    if errors:
        for (text, gold, found), n in scores.value_errors.most_common(errors):
            _err(f"value  {n:>3}  {text!r}: gold {gold}, found {found}")
        for text, n in scores.missed.most_common(errors):
            _err(f"missed {n:>3}  {text!r}")
        for text, n in scores.spurious.most_common(errors):
            _err(f"extra  {n:>3}  {text!r}")


@eval_app.command("ner")
def eval_ner(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="CoNLL file: a token per line, its IOB/BIOES tag last.")],
    language: Annotated[
        str | None,
        typer.Option("--language", "-l", help="The file's language (default: from its name, fr.dev.conll; else en)."),
    ] = None,
    baseline: Annotated[
        bool,
        typer.Option(
            "--baseline", help="Also score the bare model (English: the small one) on the same texts, no repairs."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Named entities, entity level: precision, recall and F1 per type (label mapping in storyline.evaluate.ner)."""
    from storyline.annotate.entities import EntityRecognizer
    from storyline.annotate.spacy_model import MODEL_PACKAGE
    from storyline.evaluate.ner import evaluate_bare, evaluate_ner, language_of_file

    lang = language or language_of_file(path)
    recognizer = EntityRecognizer()
    chosen = recognizer.model_for(lang)
    errors = (ValueError, UnicodeDecodeError)
    result = _evaluate(path, lambda: evaluate_ner(path, recognizer, lang), folder=False, errors=errors).as_dict()
    out: dict[str, Any] = {**result, "language": lang, "model": chosen.name if chosen else None}
    bare = EntityRecognizer(model=MODEL_PACKAGE if lang == "en" else None).model_for(lang)
    if baseline and bare is not None and not bare.loads_model:
        # capitalised names carry no type: there is no bare model to score
        typer.echo(f"no baseline for {lang!r}: {bare.name} is no model (its names have no type)", err=True)
        baseline = False
    if baseline:
        scores = _evaluate(path, lambda: evaluate_bare(path, lang), folder=False, errors=errors).as_dict()
        out["baseline"] = {**scores, "model": f"{bare.name if bare else None} (bare)"}
    if as_json:
        typer.echo(json.dumps(out))
        return
    tables = [("storyline", out["model"], result)]
    if baseline:
        tables.append(("baseline", out["baseline"]["model"], scores))
    for name, model, rows in tables:
        typer.echo(f"{name} ({lang}, {model})")
        typer.echo(f"{'type':<6}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'found':>8}")
        for label, r in rows.items():
            typer.echo(
                f"{label:<6}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}{r['gold']:>8}{r['system']:>8}"
            )
    if baseline:
        gain = result["ALL"]["f1"] - scores["ALL"]["f1"]
        typer.echo(f"F1 storyline {result['ALL']['f1']:.3f}, baseline {scores['ALL']['f1']:.3f} ({gain:+.3f})")


@eval_app.command("captions")
def eval_captions(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The shared eval folder (holding cdcr-gvc/, semeval2022-task8/, ...).")
    ],
    split: Annotated[
        str,
        typer.Option("--split", help="train, dev, check or all (tune on train, report dev; check: never tuned on)."),
    ] = "dev",
    errors: Annotated[int, typer.Option("--errors", help="Also list N missed captions and body lines removed.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Caption and credit lines taken out of the body: precision, recall and F1 against storyline's
    hand-labelled lines of real news text (references into DIR; no text is shipped)."""
    from storyline.evaluate.captions import score

    if split not in ("train", "dev", "check", "all"):
        raise typer.BadParameter(f"{split!r}: choose train, dev, check or all", param_hint="--split")
    scores = _evaluate(
        folder,
        lambda: score(root=folder, split=None if split == "all" else split),
        folder=True,
        errors=(ValueError, UnicodeDecodeError, OSError),
    )
    result = scores.as_dict()
    if as_json:
        typer.echo(json.dumps({"split": split, **result}))
        return
    typer.echo(
        f"{split}: {result['lines']} lines ({result['gold']}), skipped {result['skipped']}\n"
        f"caption and credit lines removed: precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
        f"F1 {result['f1']:.3f}\n"
        f"recall of captions {result['caption_recall']:.3f}, of credits {result['credit_recall']:.3f}; "
        f"body lines removed {result['body_wrongly_removed']}"
    )
    for record, text, kind in scores.wrongly_removed[:errors]:
        typer.echo(f"  removed as {kind}: {text[:120]}  [{record.source}:{record.line}]")
    for record, text in (scores.missed_captions + scores.missed_credits)[:errors]:
        typer.echo(f"  kept ({record.label}): {text[:120]}  [{record.source}:{record.line}]")


@eval_app.command("plover")
def eval_plover(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="PLOVER records.json: coded sentences.")],
    split: Annotated[
        str, typer.Option("--split", help="all, even or odd: the records at even or odd positions only.")
    ] = "all",
    errors: Annotated[int, typer.Option("--errors", help="Also list the first N records coded differently.")] = 0,
    category_model: Annotated[
        bool, typer.Option("--category-model", help="Let the learned category model decide (see event_model).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Event coding: PLOVER category accuracy and macro-F1, source and target actor match,
    actor precision (of the actors named, those matching a gold actor of their role), and the
    event's place where the coders gave one. The
    learned category model (--category-model) was trained on the even records: --split odd is
    its held-out figure."""
    from storyline.annotate import Annotator
    from storyline.annotate.events import plover_category
    from storyline.evaluate.plover import evaluate_plover

    if split not in ("all", "even", "odd"):
        raise typer.BadParameter(f"{split!r}: choose all, even or odd", param_hint="--split")
    annotator = Annotator(category_model="shipped") if category_model else None
    scores, results = _evaluate(
        path,
        lambda: evaluate_plover(path, split, annotator),
        folder=False,
        errors=(ValueError, UnicodeDecodeError, KeyError),
    )
    result = scores.as_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"records {result['records']} ({split}), no event found in {result['no_event']}")
    typer.echo(f"{'category':<14} accuracy {result['category_accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}")
    typer.echo(
        f"{'actors':<14} match {result['actor_match']:.3f}  "
        f"(sources {result['source_match']:.3f}, targets {result['target_match']:.3f}); "
        f"precision {result['actor_precision']:.3f} of {result['actors_found']} named"
    )
    if result["place_records"]:
        typer.echo(
            f"{'places':<14} match {result['place_match']:.3f} of {result['place_records']} records with a location; "
            f"precision {result['place_precision']:.3f} of {result['places_named']} named there; "
            f"{result['places_named_without_gold']} named on records without one"
        )
    shown = 0
    for record, event in results:
        predicted = plover_category(event) if event else "NONE"
        if shown >= errors or predicted == record.category:
            continue
        shown += 1
        typer.echo(f"{record.id}: gold {record.category}, found {predicted}: {record.text[:100]}")


@eval_app.command("event-times")
def eval_event_times(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Folder of TimeML .tml files with events and links (tempeval3/AQUAINT)."),
    ],
    errors: Annotated[int, typer.Option("--errors", help="Also list N dates and statuses that disagree.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Events' dates and statuses against TimeML's temporal links: of storyline's events that are
    TimeML events, how many dates agree with the date a link gives, and how many statuses agree
    with the event's place before, around or after the document's creation time."""
    from storyline.evaluate.event_times import evaluate_event_times

    scores = _evaluate(
        folder, lambda: evaluate_event_times(folder), folder=True, errors=(FileNotFoundError, ValueError)
    )
    result = scores.as_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"documents {result['documents']}, gold events {result['gold_events']}, storyline's event mentions "
        f"{result['storyline_mentions']} ({result['matched_mentions']} on a gold event)"
    )
    typer.echo(
        f"{'dates':<9} {result['date_agree']} of {result['date_given']} given agree ({result['date_agreement']:.3f}); "
        f"{result['date_coarser']} coarser, {result['date_missing']} missing, of {result['dated']} with a gold date; "
        f"publication dates inferred: {result['inferred']}"
    )
    typer.echo(f"{'status':<9} accuracy {result['status_accuracy']:.3f} over {result['status_scored']}, "
               f"{result['status_day']} of them of the creation day (strict, a day's event taken for one "
               f"around the time of writing: {result['status_accuracy_strict']:.3f}; "
               f"gold/storyline: {result['status_table']})")  # fmt: skip
    typer.echo(f"{'negated':<9} precision {result['negated_precision']:.3f}  recall {result['negated_recall']:.3f}")
    for name, word, gold, found in scores.date_errors[:errors]:
        typer.echo(f"  date   {name}: {word!r} gold {gold}, storyline {found}")
    for name, word, gold, found in scores.status_errors[:errors]:
        typer.echo(f"  status {name}: {word!r} gold {gold}, storyline {found}")


@eval_app.command("descriptions")
def eval_descriptions(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Folder with dataset.conll and entity_mentions.json (cdcr-ecbplus-dev/dev, cdcr-meantime).",
        ),
    ],
    errors: Annotated[int, typer.Option("--errors", help="Also list N wrong and N missed resolutions.")] = 0,
    alone: Annotated[
        bool,
        typer.Option("--alone", help="Read each document by itself, not with what the others say of its people."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """People named by a description ("the actress", "the Russian leader") against gold chains: of
    the gold mentions of people headed by a common noun, how many storyline resolves to a person,
    and how many of those to a person of the mention's own chain. The documents are read as one
    store holds them (a person another document places in a country is placed there)."""
    from storyline.evaluate.descriptions import evaluate_descriptions

    scores = _evaluate(
        folder,
        lambda: evaluate_descriptions(folder, alone=alone),
        folder=True,
        errors=(FileNotFoundError, ValueError),
    )
    result = scores.as_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"documents {result['documents']}, descriptions of people {result['descriptions']}, "
        f"resolvable {result['resolvable']} (definite, their person named before)"
    )
    typer.echo(
        f"resolved {result['resolved']}, right {result['right']}: precision {result['precision']:.3f}, "
        f"recall {result['recall']:.3f}"
    )
    for doc, phrase, found, gold in scores.errors[:errors]:
        typer.echo(f"  wrong  {doc}: {phrase!r} -> {found}; gold chain: {gold}")
    for doc, phrase, chain in scores.missed[:errors]:
        typer.echo(f"  missed {doc}: {phrase!r}; gold chain: {' | '.join(chain)}")


@eval_app.command("pronouns")
def eval_pronouns(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="Folder with dataset.conll and entity_mentions.json (cdcr-ecbplus-dev/dev)."
        ),
    ],
    errors: Annotated[int, typer.Option("--errors", help="Also list N wrong resolutions.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """People a "he" or a "she" points back to, against gold chains: of the gold pronouns of
    people, how many storyline points to a person, and how many of those to a person of the
    pronoun's own chain; beside it, the same rule without the agreement of sex, in the same run."""
    from storyline.evaluate.pronouns import evaluate_pronouns

    scores = _evaluate(folder, lambda: evaluate_pronouns(folder), folder=True, errors=(FileNotFoundError, ValueError))
    result = scores.as_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"documents {result['documents']}, pronouns of people {result['sex_agreed']['pronouns']}, "
               f"resolvable {result['sex_agreed']['resolvable']} (their person named before)")  # fmt: skip
    for name, key in (("sex agreed", "sex_agreed"), ("any sex", "any_sex")):
        r = result[key]
        typer.echo(
            f"{name:<10} resolved {r['resolved']}, right {r['right']}, wrong {r['wrong']}: "
            f"precision {r['precision']:.3f}, recall {r['recall']:.3f}"
        )
    for doc, context, found, gold in scores.agreeing.errors[:errors]:
        typer.echo(f"  wrong {doc}: ...{context!r} -> {found}; gold chain: {gold}")


@eval_app.command("casie")
def eval_casie(
    path: Annotated[Path, typer.Argument(metavar="DIR", help="CASIE folder of annotated .json articles.")],
    split: Annotated[
        str, typer.Option("--split", help="all, first or second: the first or second half of the files.")
    ] = "all",
    as_json: JsonOption = False,
) -> None:
    """Event triggers (precision, recall, F1), realis (Actual / Other against storyline's status)
    and, for found events whose gold event has a Place argument, the event's place."""
    from storyline.evaluate.casie import evaluate_casie

    if split not in ("all", "first", "second"):
        raise typer.BadParameter(f"{split!r}: choose all, first or second", param_hint="--split")
    result = _evaluate(
        path,
        lambda: evaluate_casie(path, split),
        folder=True,
        errors=(ValueError, SyntaxError, FileNotFoundError, UnicodeDecodeError),
    ).as_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"articles {result['articles']} ({split}), gold triggers {result['gold_triggers']}, "
               f"storyline's {result['system_triggers']}")  # fmt: skip
    typer.echo(
        f"{'triggers':<10} P {result['trigger_precision']:.3f}  R {result['trigger_recall']:.3f}  "
        f"F1 {result['trigger_f1']:.3f}  (precision of cyber events alone {result['cyber_trigger_precision']:.3f})"
    )
    typer.echo(f"{'realis':<10} accuracy {result['realis_accuracy']:.3f} over {result['realis_scored']} Actual/Other")
    typer.echo(f"{'generic':<10} labelled as {result['generic_labelled_as']}")
    if result["place_scored"]:
        typer.echo(
            f"{'place':<10} match {result['place_match']:.3f} of {result['place_scored']} found events with a gold "
            f"place; precision {result['place_precision']:.3f} of {result['places_named']} named"
        )
    typer.echo("recall by subtype: " + ", ".join(f"{k} {v:.2f}" for k, v in result["recall_by_subtype"].items()))


@eval_app.command("similarity")
def eval_similarity(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="SemEval-2022 Task 8 pairs.jsonl (with gold scores).")],
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Keep the pairs' feature rows in this .npz file between runs.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Article similarity: Pearson correlation with the gold scores, per dimension and per
    language pair, for the shipped model and cross-validated (5 folds)."""
    from storyline.errors import StorylineError
    from storyline.evaluate.similarity import evaluate_similarity

    result = _evaluate(
        path,
        lambda: evaluate_similarity(path, cache),
        folder=False,
        errors=(ValueError, UnicodeDecodeError, KeyError, StorylineError),
    ).as_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"pairs {result['pairs']}; Pearson with gold (the shipped model was trained on these pairs:")
    typer.echo("cross-validated figures score each pair with a model that did not see it)")
    typer.echo(f"{'dimension':<12} {'cross-val.':>10} {'shipped':>8}")
    for dim, value in result["cross_validated"].items():
        typer.echo(f"{dim:<12} {value:>10.3f} {result['shipped'][dim]:>8.3f}")
    typer.echo(f"{'languages':<12} {'pairs':>6} {'cross-val.':>10} {'shipped':>8}  (overall)")
    for group, r in result["by_languages"].items():
        typer.echo(f"{group:<12} {r['pairs']:>6} {r['cross_validated']:>10.3f} {r['shipped']:>8.3f}")
    b = result["baseline_cosine"]
    typer.echo(
        f"baseline: MiniLM cosine alone, English {b['minilm_english']:.3f}; e5 cosine alone, all {b['e5_all']:.3f}"
    )


def _happening_model_config(model: Path | None) -> Any:
    """The placement settings with the happening model file ``--model`` names (None: the shipped
    one), or a usage error naming the file."""
    from storyline.config import ClusterConfig
    from storyline.errors import ConfigError

    if model is None:
        return None
    if not model.is_file():
        raise typer.BadParameter(f"{model}: no such file", param_hint="--model")
    try:
        return ClusterConfig(model=str(model))
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--model") from None


@eval_app.command("cdcr")
def eval_cdcr(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder with dataset.conll (ECB+ train or dev, GVC, MEANTIME).")
    ],
    split: Annotated[
        str, typer.Option("--split", help="all, first or second: the incidents at even or odd places.")
    ] = "all",
    model: Annotated[
        Path | None, typer.Option("--model", help="A happening model file to use instead of the shipped one.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Which documents report the same incident (B-cubed and pairwise precision, recall and F1 of
    storyline's happenings against the gold incidents) and, when the folder has
    event_mentions.json, event mention coreference (MUC, B-cubed, CEAF-e, CoNLL F1)."""
    from storyline.evaluate.cdcr import evaluate_cdcr

    if split not in ("all", "first", "second"):
        raise typer.BadParameter(f"{split!r}: choose all, first or second", param_hint="--split")
    config = _happening_model_config(model)
    result = _evaluate(
        folder, lambda: evaluate_cdcr(folder, config, split), folder=True,
        errors=(ValueError, FileNotFoundError, UnicodeDecodeError),
    ).as_dict()  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"documents {result['documents']} ({split}), incidents {result['incidents']}, "
        f"storyline's happenings {result['clusters']}"
    )
    typer.echo("documents by incident:")
    for kind in ("bcubed", "pairwise"):
        typer.echo(
            f"  {kind:<9} P {result[kind + '_precision']:.3f}  R {result[kind + '_recall']:.3f}  "
            f"F1 {result[kind + '_f1']:.3f}"
        )
    mentions = result.get("mentions")
    if mentions:
        found = mentions["detection"]
        typer.echo(
            f"event mentions: gold {mentions['gold_mentions']} in {mentions['gold_chains']} chains, "
            f"storyline's {mentions['system_mentions']}; found P {found['precision']:.3f} R {found['recall']:.3f}"
        )
        for setting in ("predicted", "matched"):
            scores = mentions[setting]
            parts = "  ".join(f"{name} F1 {scores[name]['f1']:.3f}" for name in ("muc", "bcubed", "ceafe"))
            typer.echo(f"  {setting:<9} {parts}  CoNLL F1 {scores['conll_f1']:.3f}")


@eval_app.command("happenings")
def eval_happenings(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="SemEval-2022 Task 8 pairs.jsonl (with gold scores).")],
    split: Annotated[
        str, typer.Option("--split", help="all, train or dev: the pairs whose id's SHA-1 is even or odd.")
    ] = "all",
    model: Annotated[
        Path | None, typer.Option("--model", help="A happening model file to use instead of the shipped one.")
    ] = None,
    errors: Annotated[int, typer.Option("--errors", min=0, help="Also list N pairs put together wrongly.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Happenings on news placement was never fitted on: of the article pairs people judged,
    which storyline puts in one happening (precision against the pairs judged similar or
    dissimilar, recall of the very similar), by language and by the happening's confidence."""
    from storyline.evaluate.happening_pairs import SPLITS, evaluate_happening_pairs

    if split not in SPLITS:
        raise typer.BadParameter(f"{split!r}: choose {', '.join(SPLITS)}", param_hint="--split")
    config = _happening_model_config(model)
    result = _evaluate(
        path, lambda: evaluate_happening_pairs(path, split, config), folder=False,
        errors=(ValueError,),  # (a UnicodeDecodeError is one)
    ).as_dict()  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result))
        return

    def line(name: str, r: dict[str, Any]) -> str:
        precision = "-" if r["precision"] is None else f"{r['precision']:.3f}"
        recall = "-" if r["recall"] is None else f"{r['recall']:.3f}"
        return (
            f"{name:<12} {r['pairs']:>6} {r['together']:>9} {r['shown']:>6} {precision:>9} "
            f"{r['wrong']:>6} {r['very_wrong']:>5} {recall:>7}"
        )

    typer.echo(
        f"articles {result['articles']} ({result['placed']} placed); pairs of split {split}: {result['pairs']}; "
        "precision: of the pairs shown together and judged, the share judged similar; recall: of the very "
        "similar, the share put together"
    )
    header = ("pairs", 6), ("together", 9), ("shown", 6), ("precision", 9), ("wrong", 6), ("of 4", 5), ("recall", 7)
    typer.echo(f"{'':<12} " + " ".join(f"{name:>{width}}" for name, width in header))
    typer.echo(line("all", result))
    for name, r in result["by_languages"].items():
        typer.echo(line(name, r))
    typer.echo("by the happening's confidence (pairs put together):")
    for name, r in result["by_confidence"].items():
        typer.echo(line(name, r))
    for w in result["wrong_pairs"][:errors]:
        typer.echo(
            f"  wrong {w['pair']} ({w['languages']}): judged {w['overall']:.1f}, confidence "
            f"{w['confidence'] if w['confidence'] is None else round(w['confidence'], 3)}, "
            f"{'shown' if w['shown'] else 'tentative'}"
        )


def _version(value: bool) -> None:
    if value:
        from storyline import __version__

        typer.echo(f"storyline {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """News event intelligence: ingest raw news into a clean, de-duplicated, searchable store."""


def main() -> None:
    """The command line. A caller's mistake that a command does not catch itself (a bad date, an
    unknown name or value) ends it with its message, not a traceback: exit 1 for a name that
    matches nothing, 2 for anything else (the listing of candidates of an ambiguous one first)."""
    from storyline.errors import UsageError

    try:
        try:
            app()
        except UsageError as exc:
            raise SystemExit(_usage(exc).exit_code) from None
    except SystemExit as done:
        _end(done)


def _end(done: SystemExit) -> None:
    """End the process once a command has finished: the handlers registered to run at exit run
    (stopping the annotation workers' server, flushing logs), its output is flushed, and then it
    ends at once, without the interpreter's teardown. That teardown frees every object the
    command built one by one (the encoders' weights, the gazetteer, spaCy's tables): 0.7 s after
    `analyze` of 200 articles had written its report, a tenth of the command
    (docs/benchmarks.md). Stores are closed by the commands themselves; nothing here writes.
    Where something is still running (a child process, a thread that is not a daemon: an
    executor left open, a worker a server did not stop), the normal exit follows instead, which
    waits for them; so does an uncaught error, with its traceback."""
    import atexit
    import contextlib
    import os
    import threading

    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    multiprocessing = sys.modules.get("multiprocessing")
    if others or (multiprocessing is not None and multiprocessing.active_children()):
        raise done
    code = done.code
    if code is not None and not isinstance(code, int):
        with contextlib.suppress(OSError, ValueError):
            print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`storyline ... | head`) or stream
            stream.flush()
    os._exit(code or 0)


# the commands of following the news (sources, watch, alerts) register themselves on `app`
from storyline.cli import follow as _follow  # noqa: E402, F401
