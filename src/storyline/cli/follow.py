"""The commands of following the news: ``sources``, ``watch`` and ``alerts``."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from storyline.cli.app import DEFAULT_DB, DbOption, _entities_named, _err, _json_lines, _json_object, _open, _usage, app

if TYPE_CHECKING:
    from storyline.follow.watch import RoundReport
    from storyline.model.follow import Alert

sources_app = typer.Typer(
    name="sources",
    help="The feeds, pages and folders storyline watch reads on a schedule.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
alerts_app = typer.Typer(
    name="alerts",
    help="Saved watches over happenings, and the alerts they raised.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sources_app)
app.add_typer(alerts_app)

EveryOption = Annotated[str, typer.Option("--every", help="How often to read it: 90s, 15m, 2h, 1d.", show_default=True)]


# -- sources -------------------------------------------------------------------------------------
@sources_app.command("add")
def sources_add(
    location: Annotated[str, typer.Argument(help="An RSS/Atom feed or page URL (http/https), or a folder.")],
    name: Annotated[str | None, typer.Option("--name", help="What to call it (default: its location).")] = None,
    every: EveryOption = "15m",
    kind: Annotated[
        str | None, typer.Option("--kind", help="feed, page or folder (default: as the first fetch shows).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_object("the source added")] = False,
) -> None:
    """Follow a feed, a page or a folder: storyline watch reads it every --every."""
    from storyline.errors import UsageError
    from storyline.follow import format_interval

    with _open(db) as sl:
        try:
            source = sl.following.add_source(location, name=name, every=every, kind=kind)
        except UsageError as exc:
            raise _usage(exc) from None
    if as_json:
        typer.echo(json.dumps(source.as_dict()))
        return
    typer.echo(f"following {source.id}: {source.location} ({source.kind}, every {format_interval(source.every_s)})")


@sources_app.command("ls")
def sources_ls(db: DbOption = DEFAULT_DB, as_json: Annotated[bool, _json_lines("source")] = False) -> None:
    """The followed sources and how their last fetches went."""
    from storyline.follow import format_interval

    with _open(db) as sl:
        rows = sl.following.sources()
    if as_json:
        for s in rows:
            typer.echo(json.dumps(s.as_dict(), ensure_ascii=False))
        return
    if not rows:
        _err("no sources (storyline sources add URL|FOLDER)")
        return
    for s in rows:
        last = s.last_status or "not yet read"
        if s.errors:
            last += f" ({s.errors} in a row: {s.last_error})"
        elif s.last_status == "skipped":
            last += f" ({s.last_error})"
        typer.echo(
            f"{s.id:>4}  {s.kind:<6} every {format_interval(s.every_s):<5} {s.entries_seen:>6} items  "
            f"next {s.next_due[:16].replace('T', ' ')}  {s.label}  [{last}]"
        )


@sources_app.command("rm")
def sources_rm(
    source: Annotated[str, typer.Argument(help="The source's id or location.")], db: DbOption = DEFAULT_DB
) -> None:
    """Stop following a source (its documents stay in the store)."""
    from storyline.errors import UsageError

    with _open(db) as sl:
        try:
            removed = sl.following.remove_source(source)
        except UsageError as exc:
            raise _usage(exc) from None
    typer.echo(f"no longer following {removed.id}: {removed.location}")


@sources_app.command("import")
def sources_import(
    opml: Annotated[Path, typer.Argument(help="An OPML subscription list (as feed readers export).")],
    every: EveryOption = "15m",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Follow every feed of an OPML list; those followed already are said and skipped."""
    from storyline.errors import UsageError

    try:
        data = opml.read_bytes()
    except OSError as exc:
        _err(f"error: {opml}: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    with _open(db) as sl:
        try:
            added, errors = sl.following.import_opml(data, str(opml), every=every)
        except UsageError as exc:
            raise _usage(exc) from None
    for e in errors:
        _err(str(e))
    typer.echo(f"following {len(added)} new source{'s' if len(added) != 1 else ''} from {opml}")
    if errors and not added:
        raise typer.Exit(1)


@sources_app.command("export")
def sources_export(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """The followed feeds and pages as an OPML subscription list."""
    with _open(db) as sl:
        data = sl.following.export_opml()
    if output is None:
        sys.stdout.buffer.write(data + b"\n")
    else:
        output.write_bytes(data)


# -- watch ---------------------------------------------------------------------------------------
@app.command()
def watch(
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (for cron and tests).")] = False,
    every_source: Annotated[
        bool, typer.Option("--all", help="Read every source in the first round, due or not.")
    ] = False,
    rounds: Annotated[int | None, typer.Option("--rounds", help="Stop after this many rounds.")] = None,
    host_delay: Annotated[float, typer.Option("--host-delay", help="Seconds between two requests to one host.")] = 1.0,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a request may take.")] = 20.0,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch URLs on private, loopback or link-local addresses.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines (alerts still print).")] = False,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Write the progress lines (on stderr) as one JSON object per line (JSON Lines); "
            "the alerts on stdout are JSON Lines either way.",
        ),
    ] = False,
) -> None:
    """Read the followed sources in rounds until stopped (Ctrl-C): only what is new is analyzed,
    and every alert watch is checked after each round. Alerts print on stdout as JSON lines, once
    each; a progress line per round goes to stderr (JSON with --json)."""
    from storyline.errors import StoreError
    from storyline.follow import WatchConfig

    config = WatchConfig(host_delay=host_delay, timeout=timeout, allow_private=allow_private)
    stop = threading.Event()
    totals: dict[str, int] = {"rounds": 0, "documents": 0, "alerts": 0, "failed": 0}

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)

    def deliver(alerts: list[Alert]) -> None:
        for alert in alerts:
            sys.stdout.write(json.dumps(alert.as_dict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def progress(report: RoundReport) -> None:
        totals["rounds"] += 1
        totals["documents"] += report.documents_new
        totals["alerts"] += len(report.alerts)
        totals["failed"] += report.failed
        if quiet or (report.due == 0 and not report.alerts):
            return
        _err(json.dumps(report.as_dict(), ensure_ascii=False) if as_json else report.line())
        if not as_json:
            for error in report.errors:
                _err(f"  {error}")

    with _open(db) as sl:
        following = sl.following
        if not following.sources():
            _err("no sources to watch (storyline sources add URL|FOLDER)")
            raise typer.Exit(1)
        watcher = following.watcher(config)
        try:
            if once or every_source:
                progress(watcher.round(deliver=deliver, every_source=every_source))
            if not once:
                limit = None if rounds is None else max(0, rounds - totals["rounds"])
                for report in watcher.rounds(stop=stop, limit=limit, deliver=deliver):
                    progress(report)
        except KeyboardInterrupt:
            pass
        except StoreError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(1) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
    if not once:
        _err(
            f"watched {totals['rounds']} round{'s' if totals['rounds'] != 1 else ''}: {totals['documents']} "
            f"documents new, {totals['alerts']} alerts, {totals['failed']} failed fetches"
        )


# -- alerts --------------------------------------------------------------------------------------
@alerts_app.command("add")
def alerts_add(
    entity: Annotated[
        list[str] | None,
        typer.Option("--entity", "-e", help="An entity every happening must involve (repeat for several)."),
    ] = None,
    storyline: Annotated[str | None, typer.Option("--storyline", help="A storyline: id, prefix or label.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "--type", help="A PLOVER category or subtype.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="planned, occurred, ... (comma-separated).")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Words one of its articles must hold.")] = None,
    min_confidence: Annotated[float | None, typer.Option("--min-confidence")] = None,
    min_sources: Annotated[int | None, typer.Option("--min-sources")] = None,
    name: Annotated[str | None, typer.Option("--name", help="What to call the watch.")] = None,
    webhook: Annotated[str | None, typer.Option("--webhook", help="POST each alert here as JSON.")] = None,
    secret: Annotated[
        str | None,
        typer.Option("--secret", envvar="STORYLINE_WEBHOOK_SECRET", help="Sign webhook calls (HMAC-SHA256)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_object("the saved watch")] = False,
) -> None:
    """Save a watch: after each round of storyline watch, a new happening it picks, a new article on
    one it follows, or a change of status (planned -> held, -> called off, held -> denied) is an
    alert. What the store holds now is its starting point, not alerts."""
    from storyline.errors import UsageError

    with _open(db) as sl:
        try:
            _entities_named(sl, entity, missing_ok=True)
            created = sl.following.add_alert(
                name=name, webhook=webhook, secret=secret, entity=entity, storyline=storyline, kind=kind,
                status=status, query=query, min_confidence=min_confidence, min_sources=min_sources,
            )  # fmt: skip
        except UsageError as exc:
            raise _usage(exc) from None
        followed = sl.following.followed(created.id)
        if entity and not all(sl.store.entity_ids(e) for e in entity):
            _err("note: an entity it names is not in the store yet; the watch waits for it")
    if as_json:
        typer.echo(json.dumps({**created.as_dict(), "following": followed}))
        return
    typer.echo(f"alert watch {created.id}: {created.label} (follows {followed} happenings now)")


@alerts_app.command("ls")
def alerts_ls(db: DbOption = DEFAULT_DB, as_json: Annotated[bool, _json_lines("watch")] = False) -> None:
    """The saved alert watches."""
    with _open(db) as sl:
        rows = [(w, sl.following.followed(w.id)) for w in sl.following.alert_watches()]
    if as_json:
        for w, n in rows:
            typer.echo(json.dumps({**w.as_dict(), "following": n}, ensure_ascii=False))
        return
    if not rows:
        _err("no alert watches (storyline alerts add --entity NAME ...)")
        return
    for w, n in rows:
        hook = f", webhook {w.webhook}{' (signed)' if w.has_secret else ''}" if w.webhook else ""
        typer.echo(f"{w.id:>4}  {w.label}  [follows {n} happenings{hook}]")


@alerts_app.command("rm")
def alerts_rm(
    watch_id: Annotated[int, typer.Argument(help="The watch's id (alerts ls).")], db: DbOption = DEFAULT_DB
) -> None:
    """Delete a saved watch and its alerts."""
    from storyline.errors import UsageError

    with _open(db) as sl:
        try:
            removed = sl.following.remove_alert(watch_id)
        except UsageError as exc:
            raise _usage(exc) from None
    typer.echo(f"deleted alert watch {removed.id}: {removed.label}")


@alerts_app.command("log")
def alerts_log(
    watch_id: Annotated[int | None, typer.Option("--watch", help="Only this watch's alerts.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many, newest first.")] = 20,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, _json_lines("alert")] = False,
) -> None:
    """The alerts raised, newest first."""
    with _open(db) as sl:
        rows = sl.following.alerts(limit=limit, watch_id=watch_id)
    if as_json:
        for a in rows:
            typer.echo(json.dumps(a.as_dict(), ensure_ascii=False))
        return
    if not rows:
        _err("no alerts yet")
        return
    for a in rows:
        typer.echo(f"{a.created[:16].replace('T', ' ')}  [{a.watch_id}] {a.payload.get('what', a.kind)}")
        for side in ("before", "after"):
            for article in a.payload.get(side) or []:
                typer.echo(
                    f"      {side}: {article.get('title') or article.get('document_id')} ({article.get('status')})"
                )
