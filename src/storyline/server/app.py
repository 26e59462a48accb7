"""The REST API (under ``/api/``) and the web UI (at ``/``), one FastAPI app over one store.

Every error, whatever raised it, answers with one JSON shape::

    {"error": {"status": 404, "code": "not_found", "message": "no document with id 'abcd' ..."}}

(``detail`` is added where there is more to say, e.g. which query parameter is wrong). Listings
are pages: ``{"items": [...], "total": N, "limit": L, "offset": O, "next_offset": O + L | null}``.
Writes (``POST /api/ingest``) need the API token; reads need it too when the config says so.
"""

from __future__ import annotations

import asyncio
import calendar
import hmac
import io
import json
import multiprocessing
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import AfterValidator, BaseModel, Field
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.api import DocumentNotFound, Storyline
from storyline.api import open as open_store
from storyline.config import ServerConfig
from storyline.errors import StoreLockedError, StorylineError, UsageError
from storyline.model import Document
from storyline.model.annotations import EventStatus
from storyline.server import pages
from storyline.store.urls import is_url

STATIC = Path(__file__).with_name("static")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    411: "length_required",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    503: "busy",
}


class ApiError(Exception):
    """An error answered with the API's one error shape."""

    def __init__(self, status: int, message: str, code: str | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.detail = detail


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(description="A stable machine-readable code: not_found, unauthorized, invalid_request, ...")
    message: str = Field(description="One line naming what was wrong and why.")
    detail: Any = Field(default=None, description="More, where there is more: the parameters that were wrong.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class Page(BaseModel):
    items: list[dict[str, Any]]
    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page, or null on the last.")
    matches: int | None = Field(
        default=None,
        description="Searches only: how many documents match (counted up to 10,000; see matches_more); the best "
        "of the newest 10,000 are ranked and paged.",
    )
    matches_more: bool | None = Field(
        default=None, description="Searches only: true when more documents match than were counted (matches)."
    )
    names: list[str] | None = Field(
        default=None,
        description="Searches only: when the query is an entity's name or alias, every name searched for.",
    )


class IngestDocument(BaseModel):
    text: str = Field(min_length=1)
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None


class IngestRequest(BaseModel):
    documents: list[IngestDocument] = Field(min_length=1)


class DateRequest(BaseModel):
    date: str = Field(min_length=4, max_length=100, description="2018-05-21, 'May 21, 2018', RFC 2822, ...")


class SourceRequest(BaseModel):
    url: str = Field(min_length=1, max_length=2000, description="An http or https URL of a feed or page.")
    name: str | None = Field(default=None, max_length=200)
    every: str = Field(default="15m", max_length=20, description="How often to read it: 90s, 15m, 2h, 1d.")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": code.replace("_", " ")}
    for status, code in _CODES.items()
    if status not in (405, 415)
}


def _error(
    status: int, message: str, code: str | None = None, detail: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code or _CODES.get(status, "error"), "message": message}
    if detail is not None:
        body["detail"] = detail
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"error": body}, status_code=status, headers=headers or None)


class _Pool:
    """Open stores lent to one request at a time: a request takes one (opening a new one when
    all are lent), uses it alone, and gives it back. SQLite connections are never shared between
    requests, and there are never more than the most requests served at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._free: queue.SimpleQueue[Storyline] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._open: list[Storyline] = []
        self._closed = False

    def take_free(self) -> Storyline | None:
        """A store nobody uses, or None when all are lent (never blocks: safe on the event loop)."""
        try:
            return self._free.get_nowait()
        except queue.Empty:
            return None

    def open(self) -> Storyline:
        """One more store, to lend (opening reads the file: run it in a thread)."""
        sl = Storyline(self.path)
        with self._lock:
            self._open.append(sl)
        return sl

    def give_back(self, sl: Storyline) -> None:
        if self._closed:
            sl.close()
        else:
            self._free.put(sl)

    def close(self) -> None:
        """At shutdown: close every store; one lent out closes when it comes back."""
        with self._lock:
            self._closed = True
            for sl in self._open:
                sl.close()
            self._open.clear()
        self._free = queue.SimpleQueue()


class _SecurityHeaders:
    """Says on every response that the page loads nothing from elsewhere, so no injected link or
    script can run. Plain ASGI: an ``@app.middleware("http")`` function would run every request
    in a task of its own and stream every response through it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
                headers.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _ingest(db: str, kind: str, payload: Any) -> dict[str, Any]:
    """One ingest through the API, run in the ingest process: records (``kind`` "records") or
    files ("items") cleaned, de-duplicated, annotated and clustered; the report as the API gives it.
    ``kind`` "set-date": a document's publication date given (``payload``: its id and the date),
    the document annotated and placed again; the API's answer."""
    with Storyline(db) as sl:
        if kind == "set-date":
            doc_id, when = payload
            try:
                doc = sl.set_date(doc_id, when)
            except (UsageError, DocumentNotFound) as exc:
                return {"error": str(exc), "not_found": isinstance(exc, DocumentNotFound)}
            happening, story = sl.placement(doc.id)
            assert doc.published is not None
            return {
                "id": doc.id, "published": doc.published.value.isoformat(), "published_from": "given",
                "happening": happening, "storyline": story,
            }  # fmt: skip
        report = sl.analyze_records(payload) if kind == "records" else sl.analyze_items(payload)
    result = report.as_dict()
    result["stored_ids"] = list(report.stored_ids)
    return result


class _IngestProcess:
    """Ingests through the API run one at a time in a process of their own, spawned at the first.
    Loading the annotation models and annotating hold the interpreter for seconds; in the server's
    own process reads would wait meanwhile (with two clients ingesting, reads of the sample store
    fell to a fifth, p99 about 1 s: benchmarks/api_load.py)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    async def run(self, db: str, kind: str, payload: Any) -> dict[str, Any]:
        with self._lock:
            if self._closed:
                raise ApiError(503, "the server is stopping; try again shortly")
            if self._pool is None:
                # spawn, not fork: the server runs threads (see storyline.pipeline)
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            pool = self._pool
        try:
            result: dict[str, Any] = await asyncio.wrap_future(pool.submit(_ingest, db, kind, payload))
        except BrokenProcessPool:
            with self._lock:  # the next ingest starts a new process
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False)
            raise ApiError(503, "the ingest process stopped before it finished; try again") from None
        return result

    def pids(self) -> list[int]:
        """The ingest process's id (none before the first ingest)."""
        with self._lock:
            pool = self._pool
        return list(getattr(pool, "_processes", None) or {}) if pool is not None else []

    def close(self) -> None:
        """At shutdown: the ingest under way finishes, those waiting are cancelled."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


MAX_PAGE = 1000
#: Threads serving reads (and other sync endpoints). Reads are mostly Python work under one
#: interpreter lock: threads beyond a couple only contend for it (on 2 cores, 2 threads serve
#: about 15% more reads than anyio's default 40, at half the p99; benchmarks/api_load.py), while
#: two let one read's SQLite work, which releases the lock, overlap another's Python.
READ_THREADS = 2


def _token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-token")


def _check(request: Request, config: ServerConfig) -> None:
    given = _token(request)
    if given is None:
        raise ApiError(401, "this needs the API token (Authorization: Bearer TOKEN or X-API-Token: TOKEN)")
    if config.token is None or not hmac.compare_digest(given.encode(), config.token.encode()):
        raise ApiError(401, "the API token is not valid")


async def reader(request: Request) -> AsyncIterator[Storyline]:
    """A store lent for one read (public unless the config says otherwise). Taken and given back
    on the event loop: a sync dependency would cost two more hops to a worker thread per request.
    Only opening one more store, when every open one is lent, runs in a thread."""
    config: ServerConfig = request.app.state.config
    if not config.public_reads:
        _check(request, config)
    pool: _Pool = request.app.state.stores
    sl = pool.take_free()
    if sl is None:
        sl = await run_in_threadpool(pool.open)
    try:
        yield sl
    finally:
        pool.give_back(sl)


def writer(request: Request) -> str:
    """The store's path, for a write: the API token is needed, and writes are off without one."""
    config: ServerConfig = request.app.state.config
    if config.token is None:
        raise ApiError(403, "writes are disabled: the server has no API token (set STORYLINE_API_TOKEN)")
    _check(request, config)
    pool: _Pool = request.app.state.stores
    return pool.path


Read = Annotated[Storyline, Depends(reader)]
Write = Annotated[str, Depends(writer)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
_DATE = r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


def _day_in_month(value: str | None) -> str | None:
    """A bound the pattern let through with a day past its month's end (2023-02-31) means that
    month's last day."""
    if value is None or len(value) < 10:
        return value
    year, month, day = (int(x) for x in value.split("-"))
    return f"{year:04d}-{month:02d}-{min(day, calendar.monthrange(year, month)[1]):02d}"


DateFrom = Annotated[
    str | None,
    Query(alias="from", pattern=_DATE, description="YYYY, YYYY-MM or YYYY-MM-DD."),
    AfterValidator(_day_in_month),
]
DateTo = Annotated[
    str | None,
    Query(alias="to", pattern=_DATE, description="YYYY, YYYY-MM or YYYY-MM-DD."),
    AfterValidator(_day_in_month),
]


class _HappeningFilters:
    """The filters of happenings and timelines, as query parameters."""

    def __init__(self, filters: dict[str, Any]) -> None:
        # a kind no event has lists nothing here: the OpenAPI schema takes any string for it, and
        # a value the schema takes is not refused (the CLI and the Python API refuse it)
        self.filters = {**filters, "check_kinds": False}


async def _happening_filters(
    entity: Annotated[list[str] | None, Query(description="Entities taking part (all of them).")] = None,
    storyline: Annotated[
        str | None, Query(description="A storyline: its id, a unique id prefix, or its label (any case, any dashes).")
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    tentative: Annotated[
        bool, Query(description="Also tentative happenings (one article whose events are doubtful).")
    ] = False,
    status: Annotated[
        list[EventStatus] | None, Query(description="Only happenings of these statuses (planned, occurred, ...).")
    ] = None,
    kind: Annotated[
        list[str] | None, Query(description="Only these kinds: a PLOVER category (CONSULT) or a subtype (meeting).")
    ] = None,
    min_confidence: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Only happenings placed with at least this confidence.")
    ] = None,
    min_sources: Annotated[
        int | None, Query(ge=1, le=1_000_000_000, description="Only happenings reported by this many articles.")
    ] = None,
) -> _HappeningFilters:
    # async: a sync dependency would cost a hop to a worker thread and back per request
    return _HappeningFilters({
        "entity": entity, "storyline": storyline, "date_from": date_from, "date_to": date_to,
        "include_tentative": tentative, "status": [s.value for s in status] if status else None, "kind": kind,
        "min_confidence": min_confidence, "min_sources": min_sources,
    })  # fmt: skip


Happenings = Annotated[_HappeningFilters, Depends(_happening_filters)]


class _DocumentFilters:
    """The filters of documents and searches, as query parameters: ``q`` and the keywords of
    :meth:`Storyline.document_query`."""

    def __init__(self, q: str | None, filters: dict[str, Any]) -> None:
        self.q, self.filters = q, filters


async def _document_filters(
    q: Annotated[str | None, Query(description="Full-text search; best matches first.")] = None,
    entity: Annotated[str | None, Query(description="Entity id, canonical name or alias.")] = None,
    place: Annotated[str | None, Query(description="A place name or a country code.")] = None,
    language: Annotated[str | None, Query(description="ISO 639-1 code.")] = None,
    event_type: Annotated[str | None, Query(description="PLOVER category (CONSULT, AGREE, ...).")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    hide_duplicates: bool = False,
) -> _DocumentFilters:
    return _DocumentFilters(q, {
        "entity": entity, "place": place, "language": language, "event_type": event_type,
        "date_from": date_from, "date_to": date_to, "hide_duplicates": hide_duplicates,
    })  # fmt: skip


DocumentFilters = Annotated[_DocumentFilters, Depends(_document_filters)]


#: The formats of a listing's export (``/api/export/...``) and how many rows at most.
TableFormat = Annotated[
    Literal["csv", "json", "jsonl"],
    Query(description="csv (lists and records as JSON text in their cell), json (one array) or jsonl."),
]
ExportLimit = Annotated[int | None, Query(ge=1, le=10_000_000, description="At most this many rows (all).")]


def create_app(db: str | Path, config: ServerConfig | None = None) -> FastAPI:
    """The app serving the store at ``db``."""
    config = config or ServerConfig()
    path = str(db)
    # a PostgreSQL URL (postgresql://...) is a store too; one that cannot be opened says why below
    if not is_url(path) and not Path(path).is_file():
        raise StorylineError(f"{path}: no such store (create one with storyline analyze ... --db {path})")
    Storyline(path).close()  # opening checks it is a store and brings its schema up to date
    stores = _Pool(path)
    ingests = _IngestProcess()
    comparing = anyio.CapacityLimiter(2)  # comparisons run the embedding models: two at a time, in threads of their own

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = READ_THREADS
        yield
        stores.close()
        ingests.close()

    app = FastAPI(
        title="storyline",
        summary="News event intelligence over your own documents.",
        description=(
            "Documents, entities, events, happenings (event clusters), storylines and timelines of one "
            "storyline store. Every error has the shape {error: {status, code, message, detail?}}; "
            "listings are pages {items, total, limit, offset, next_offset}. Writes need the API token "
            "(Authorization: Bearer TOKEN or X-API-Token: TOKEN)."
        ),
        version=_version(),
        responses=ERRORS,
        lifespan=lifespan,
    )
    app.state.stores = stores
    app.state.ingests = ingests
    app.state.config = config

    # -- errors -------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message, exc.code, exc.detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail) if exc.detail else _CODES.get(exc.status_code, "error").replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such address: {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return _error(exc.status_code, message, headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "invalid")}
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"where": "request", "problem": "invalid"}
        return _error(422, f"{first['where']}: {first['problem']}", detail=problems)

    @app.exception_handler(DocumentNotFound)
    async def _not_found(request: Request, exc: DocumentNotFound) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError) -> JSONResponse:
        # a name that matches nothing is not found; an ambiguous one lists what it could mean
        if exc.code == "not-found":
            return _error(404, str(exc), code="not-found")
        return _error(400, str(exc), code=exc.code, detail=[{"candidate": c} for c in exc.candidates] or None)

    @app.exception_handler(ValueError)
    async def _bad_value(request: Request, exc: ValueError) -> JSONResponse:
        # the facade raises ValueError (and AmbiguousIdError) for values a caller got wrong
        return _error(400, str(exc))

    @app.exception_handler(StoreLockedError)
    async def _busy(request: Request, exc: StoreLockedError) -> JSONResponse:
        return _error(503, f"{exc}; try again shortly", headers={"Retry-After": "5"})

    app.add_middleware(_SecurityHeaders)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        return _error(500, f"internal error ({type(exc).__name__}); the server log has the details")

    # aggregates over the whole store (stats, map, graph, storylines) are kept until the next
    # write to the store; pages of documents, search and timelines never are
    cache: dict[tuple[Any, ...], tuple[int, Any]] = {}
    cache_lock = threading.Lock()

    def cached(sl: Storyline, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        generation = sl.generation()
        with cache_lock:
            hit = cache.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]
        value = compute()
        with cache_lock:
            if len(cache) > 256:
                cache.clear()
            cache[key] = (generation, value)
        return value

    def page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
        after = offset + len(items)
        return {
            "items": items, "total": total, "limit": limit, "offset": offset,
            "next_offset": after if after < total and items else None,
        }  # fmt: skip

    # -- documents ------------------------------------------------------------------------
    @app.get("/api/documents", response_model=Page, tags=["documents"])
    def list_documents(sl: Read, which: DocumentFilters, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        """Documents in publication order, or best first with ``q``; filters combine."""
        query = sl.document_query(limit=limit, offset=offset, **which.filters)
        q = which.q
        if q:
            hits, matches, ranked, names = pages.search_page(sl, q, query)
            summaries = pages.summaries(sl, [h.document for h in hits])
            items = [
                {**d, "score": round(h.score, 3), "snippet": h.snippet} for d, h in zip(summaries, hits, strict=True)
            ]
            # a search ranks at most the store's rank window of matches: those are the pages there are
            result = page(items, ranked, limit, offset)
            result["matches"], result["matches_more"] = min(matches, ranked), matches > ranked
            result["names"] = names or None
            return result
        docs, total = pages.document_page(sl, query)
        return page(pages.summaries(sl, docs), total, limit, offset)

    @app.get("/api/search", response_model=Page, tags=["documents"])
    def search(
        sl: Read,
        q: Annotated[str, Query(min_length=1, description="Words to find in titles, texts and captions.")],
        limit: Limit = 20,
        offset: Offset = 0,
        hide_duplicates: bool = False,
    ) -> dict[str, Any]:
        """Full-text search, best first, with a highlighted snippet per document."""
        which = _DocumentFilters(q, {"hide_duplicates": hide_duplicates})
        return list_documents(sl, which, limit, offset)

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def get_document(sl: Read, doc_id: str) -> dict[str, Any]:
        """One document (id or unique prefix of 4+ characters) with its annotations, the events
        it reports with their happenings, and where it was seen."""
        return pages.record(sl, doc_id)

    # -- entities, events -----------------------------------------------------------------
    @app.get("/api/entities", response_model=Page, tags=["entities"])
    def list_entities(
        sl: Read,
        limit: Limit = 50,
        offset: Offset = 0,
        kind: Annotated[str | None, Query(description="PERSON, ORG, GPE, LOC, NORP, ...")] = None,
    ) -> dict[str, Any]:
        """Canonical entities, the most widely reported first."""
        rows = sl.entities(kind=kind, limit=limit, offset=offset)
        return page([asdict(r) for r in rows], sl.count_entities(kind=kind), limit, offset)

    @app.get("/api/entities/{entity}", tags=["entities"])
    def get_entity(sl: Read, entity: str) -> dict[str, Any]:
        """One entity by id, canonical name or alias, with its other names and how widely it is
        reported."""
        record = sl.entity(entity)
        if record is None:
            raise ApiError(404, f"no entity {entity!r} in the store")
        return asdict(record)

    @app.get("/api/events", response_model=Page, tags=["events"])
    def list_events(
        sl: Read,
        limit: Limit = 50,
        offset: Offset = 0,
        entity: str | None = None,
        type: Annotated[str | None, Query(description="PLOVER category.")] = None,
        status: Annotated[EventStatus | None, Query(description="Whether it happened, as the article says.")] = None,
        document: Annotated[str | None, Query(description="A document id or prefix.")] = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        min_confidence: Annotated[
            float | None, Query(ge=0.0, le=1.0, description="Only events at least this likely right (calibrated).")
        ] = None,
    ) -> dict[str, Any]:
        """Events of single documents, earliest first, doubtful ones last; each with its calibrated
        ``probability`` of being right."""
        which = sl.event_query(
            entity=entity, type=type, status=status.value if status else None, date_from=date_from, date_to=date_to,
            document=document, min_confidence=min_confidence, limit=limit, offset=offset, check_kinds=False,
        )  # fmt: skip
        found = sl.events(which)
        items = [{**e.as_dict(), "probability": sl.event_probability(e.event)} for e in found]
        return page(items, sl.count_events(which), limit, offset)

    # -- happenings, storylines, timeline ---------------------------------------------------
    @app.get("/api/happenings", response_model=Page, tags=["happenings"])
    def list_happenings(sl: Read, which: Happenings, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Happenings (one real event reported by many articles), earliest first, with sources."""
        picked = sl.happening_filter(**which.filters)
        found = sl.clusters(picked, limit=limit, offset=offset)
        return page([c.as_dict() for c in found], sl.count_clusters(picked), limit, offset)

    @app.get("/api/happenings/{happening_id}", tags=["happenings"])
    def get_happening(sl: Read, happening_id: str) -> dict[str, Any]:
        """One happening by id, with its sources."""
        found = sl.clusters(cluster=happening_id, limit=1)
        if not found:
            raise ApiError(404, f"no happening with id {happening_id!r}")
        return found[0].as_dict()

    @app.get("/api/clusters", response_model=Page, tags=["happenings"], deprecated=True)
    def list_clusters(sl: Read, which: Happenings, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """The old path of ``/api/happenings`` (served until the next release)."""
        return list_happenings(sl, which, limit, offset)

    @app.get("/api/clusters/{cluster_id}", tags=["happenings"], deprecated=True)
    def get_cluster(sl: Read, cluster_id: str) -> dict[str, Any]:
        """The old path of ``/api/happenings/{id}``."""
        return get_happening(sl, cluster_id)

    @app.get("/api/storylines", response_model=Page, tags=["happenings"])
    def list_storylines(sl: Read, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Storylines, the longest first."""

        def compute() -> dict[str, Any]:
            rows = sl.storylines(limit=limit, offset=offset)
            return page([r.as_dict() for r in rows], sl.count_storylines(), limit, offset)

        result: dict[str, Any] = cached(sl, ("storylines", limit, offset), compute)
        return result

    @app.get("/api/storylines/{storyline_id}", tags=["happenings"])
    def get_storyline(sl: Read, storyline_id: str) -> dict[str, Any]:
        """One storyline, by id, unique id prefix or label."""
        record = sl.storyline(sl.resolve_storyline(storyline_id)[0])
        if record is None:
            raise ApiError(404, f"no storyline with id {storyline_id!r}")
        return record.as_dict()

    @app.get("/api/timeline", response_model=Page, tags=["happenings"])
    def timeline(sl: Read, which: Happenings, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        """Dated entries in order: each happening with its status and its sources' evidence."""
        picked = replace(sl.happening_filter(**which.filters), dated_only=True)
        entries = sl.timeline(picked, limit=limit, offset=offset)
        return page([e.as_dict() for e in entries], sl.count_clusters(picked), limit, offset)

    # -- compare, graph, map, stats ----------------------------------------------------------
    @app.get("/api/compare", tags=["relating"])
    async def compare(
        sl: Read,
        a: Annotated[str, Query(min_length=1, description="A document id or prefix.")],
        b: Annotated[str, Query(min_length=1, description="Another document id or prefix.")],
    ) -> dict[str, Any]:
        """How similar two stored articles are (SemEval scale, 1 = very similar), the verdict and
        the reasons."""
        # seconds of model work: in threads of its own, never holding the read threads
        result: dict[str, Any] = await anyio.to_thread.run_sync(lambda: sl.compare(a, b).as_dict(), limiter=comparing)
        return result

    @app.get("/api/graph", tags=["entities"])
    def graph(
        sl: Read,
        entity: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 60,
        min_weight: Annotated[int, Query(ge=1, le=1_000_000_000)] = 1,
    ) -> dict[str, Any]:
        """Who appears with whom: entities as nodes, edges weighted by the events they share."""
        result: dict[str, Any] = cached(
            sl, ("graph", entity, limit, min_weight),
            lambda: sl.entity_graph(entity=entity, limit=limit, min_weight=min_weight),
        )  # fmt: skip
        return result

    @app.get("/api/map", tags=["places"])
    def map_points(
        sl: Read,
        storyline: str | None = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    ) -> dict[str, Any]:
        """Points to draw: happenings at their places, and places mentioned, counted."""
        result: dict[str, Any] = cached(
            sl, ("map", storyline, date_from, date_to, limit),
            lambda: sl.map_points(storyline=storyline, date_from=date_from, date_to=date_to, limit=limit),
        )  # fmt: skip
        return result

    @app.get("/api/stats", tags=["store"])
    def stats(sl: Read) -> dict[str, Any]:
        """What the store holds."""

        def compute() -> dict[str, Any]:
            data = sl.stats()
            data.pop("path", None)
            return data

        result: dict[str, Any] = cached(sl, ("stats",), compute)
        return result

    # -- exports: what a view of the web UI shows, as a file --------------------------------------
    # the writers of `storyline export` and `storyline graph`: the same columns, the same bytes
    _FORMATS = {
        "csv": ("text/csv; charset=utf-8", "csv"), "json": ("application/json", "json"),
        "jsonl": ("application/x-ndjson", "jsonl"), "gexf": ("application/gexf+xml", "gexf"),
        "graphml": ("application/graphml+xml", "graphml"),
    }  # fmt: skip

    def as_file(rows: Iterable[dict[str, Any]], table: str, format: str, name: str) -> Response:
        """Rows of ``table`` as a download ``name.format``: CSV and JSON Lines by
        :func:`storyline.exports.write_table`, JSON as one array of the same rows."""
        from storyline.exports import write_table

        if format == "json":
            body = json.dumps(list(rows), ensure_ascii=False) + "\n"
        else:
            buffer = io.StringIO()
            write_table(rows, table, format, buffer)
            body = buffer.getvalue()
        media, ext = _FORMATS[format]
        disposition = f'attachment; filename="{name}.{ext}"'
        return Response(body.encode("utf-8"), media_type=media, headers={"Content-Disposition": disposition})

    @app.get("/api/export/documents", tags=["exports"], response_class=Response)
    def export_documents(
        sl: Read, which: DocumentFilters, format: TableFormat = "csv", limit: ExportLimit = None
    ) -> Response:
        """The documents ``/api/documents`` lists with these filters, every page, as rows of the
        documents table of ``storyline export`` (with their annotations): ``documents.csv``,
        ``documents.json`` or ``documents.jsonl``. With ``q``, the matches best first (at most
        the store's rank window)."""
        query = sl.document_query(limit=limit, offset=0, **which.filters)
        if which.q:
            window = sl.store.rank_window
            ranked = pages.search_page(sl, which.q, replace(query, limit=min(limit or window, window)))
            docs: Iterable[Document] = [hit.document for hit in ranked[0]]
        else:
            docs = sl.store.iter_documents(query)
        return as_file(sl.document_rows(docs), "documents", format, "documents")

    @app.get("/api/export/entities", tags=["exports"], response_class=Response)
    def export_entities(
        sl: Read,
        format: TableFormat = "csv",
        kind: Annotated[str | None, Query(description="PERSON, ORG, GPE, LOC, NORP, ...")] = None,
        limit: ExportLimit = None,
    ) -> Response:
        """Canonical entities, the most widely reported first, as rows of the entities table:
        ``entities.csv``, ``.json`` or ``.jsonl``."""
        from storyline.exports import entity_row

        rows = (entity_row(e) for e in sl.entities(kind=kind, limit=limit))
        return as_file(rows, "entities", format, "entities")

    @app.get("/api/export/happenings", tags=["exports"], response_class=Response)
    def export_happenings(
        sl: Read, which: Happenings, format: TableFormat = "csv", limit: ExportLimit = None
    ) -> Response:
        """The happenings ``/api/happenings`` lists with these filters, every page: ``happenings.csv``
        (actors, place and sources as JSON text), ``.json`` or ``.jsonl``."""
        rows = (c.as_dict() for c in sl.clusters(sl.happening_filter(**which.filters), limit=limit))
        return as_file(rows, "happenings", format, "happenings")

    @app.get("/api/export/timeline", tags=["exports"], response_class=Response)
    def export_timeline(
        sl: Read, which: Happenings, format: TableFormat = "csv", limit: ExportLimit = None
    ) -> Response:
        """The entries ``/api/timeline`` lists with these filters, every page, each with
        ``documents`` (how many articles report it): ``timeline.csv`` (actors and sources as JSON
        text), ``.json`` or ``.jsonl``; the rows of :meth:`Storyline.timeline_frame`."""
        entries = sl.timeline(sl.happening_filter(**which.filters), limit=limit)
        rows = ({**e.as_dict(), "documents": len(e.sources)} for e in entries)
        return as_file(rows, "timeline", format, "timeline")

    @app.get("/api/export/map", tags=["exports"], response_class=Response)
    def export_map(
        sl: Read,
        format: TableFormat = "csv",
        storyline: str | None = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    ) -> Response:
        """The places of ``/api/map`` with their happenings, the busiest first: ``places.csv``
        (name, country, lat, lon, events, planned, event_ids, labels), ``.json`` or ``.jsonl``."""
        points = sl.map_points(storyline=storyline, date_from=date_from, date_to=date_to, limit=limit)
        return as_file(points["events"], "places", format, "places")

    @app.get("/api/export/graph", tags=["exports"], response_class=Response)
    def export_graph(
        sl: Read,
        format: Annotated[
            Literal["gexf", "graphml", "json"], Query(description="gexf (GEXF 1.3), graphml or json.")
        ] = "gexf",
        entity: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 60,
        min_weight: Annotated[int, Query(ge=1, le=1_000_000_000)] = 1,
    ) -> Response:
        """``/api/graph`` as a file for Gephi, Cytoscape or networkx, as ``storyline graph`` writes
        it: ``graph.gexf``, ``graph.graphml`` or ``graph.json``."""
        from storyline.exports import write_graph

        found = sl.entity_graph(entity=entity, limit=limit, min_weight=min_weight)
        if format == "json":
            body = (json.dumps(found, ensure_ascii=False) + "\n").encode("utf-8")
        else:
            buffer = io.BytesIO()
            write_graph(found, format, buffer)
            body = buffer.getvalue()
        media, ext = _FORMATS[format]
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="graph.{ext}"'})

    # -- writing -----------------------------------------------------------------------------
    @app.post(
        "/api/ingest",
        tags=["store"],
        status_code=200,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["documents"],
                            "properties": {
                                "documents": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": IngestDocument.model_json_schema(),
                                }
                            },
                        }
                    },
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                        }
                    },
                },
            }
        },
    )
    async def ingest(request: Request, db: Write) -> dict[str, Any]:
        """Add documents: a JSON body ``{"documents": [{"text": ..., "title"?, "url"?,
        "published"?, "id"?, "source"?, "language"?}]}`` or ``multipart/form-data`` files (any
        format storyline reads). They are cleaned, de-duplicated, annotated and clustered; bad
        ones are reported in ``errors`` while the rest is stored."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > config.max_upload:
            raise ApiError(413, f"the request body is {int(length):,} bytes; the limit is {config.max_upload:,}")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            body = await _read_limited(request, config.max_upload)
            try:
                parsed = IngestRequest.model_validate_json(body)
            except ValueError as exc:
                problem = _first_problem(exc)
                raise ApiError(422, f"the JSON body is not {{documents: [{{text, ...}}]}}: {problem}") from None
            # the n-th document's errors name it request.jsonl#line=n
            job: tuple[str, Any] = ("records", [d.model_dump(exclude_none=True) for d in parsed.documents])

        elif kind == "multipart/form-data":
            if not (length and length.isdigit()):
                # a form is spooled whole before it can be read: its size must be known first
                raise ApiError(411, "send files with a Content-Length header")
            items: list[tuple[str, bytes]] = []
            async with request.form(max_files=1000) as form:
                # every file, also several under one field name (curl -F f=@a -F f=@b, <input multiple>)
                files = [v for _, v in form.multi_items() if not isinstance(v, str)]
                if not files:
                    raise ApiError(422, "the form has no files")
                for n, f in enumerate(files):
                    items.append((Path(f.filename or "").name or f"upload-{n + 1}", await f.read()))
            job = ("items", items)

        else:
            raise ApiError(415, f"send application/json or multipart/form-data, not {kind or 'nothing'}")

        # in the ingest process, one at a time; one from elsewhere (the command line) holding the
        # writer lock answers 503
        return await ingests.run(db, *job)

    @app.post("/api/documents/{doc_id}/date", tags=["documents"])
    async def set_document_date(doc_id: str, body: DateRequest, db: Write) -> dict[str, Any]:
        """Give a document its publication date (an article with no dateline), as
        ``storyline set-date`` does: it is annotated again (its relative times resolve against the
        date) and placed again in happenings. Token needed."""
        result = await ingests.run(db, "set-date", (doc_id, body.date))
        if "error" in result:
            raise ApiError(404 if result["not_found"] else 400, result["error"])
        return result

    # -- following the news: sources and alerts ------------------------------------------------
    @app.get("/api/sources", tags=["following"])
    def list_sources(sl: Read) -> dict[str, Any]:
        """The sources ``storyline watch`` reads, with the state of their last fetches."""
        return {"items": [s.as_dict(public=True) for s in sl.following.sources()]}

    @app.post("/api/sources", tags=["following"], status_code=201)
    def add_source(body: SourceRequest, db: Write) -> dict[str, Any]:
        """Follow a feed or page (an http or https URL). A URL whose host resolves to a private,
        loopback or link-local address is refused, here and after each redirect when fetched;
        folders and other schemes can only be added from the command line."""
        with open_store(db) as sl:
            added = sl.following.add_source(body.url, name=body.name, every=body.every, public_only=True)
            return added.as_dict(public=True)

    @app.delete("/api/sources/{source_id}", tags=["following"])
    def remove_source(source_id: Annotated[int, PathParam(ge=1, le=2**62)], db: Write) -> dict[str, Any]:
        """Stop following a source (its documents stay)."""
        with open_store(db) as sl:
            return {"removed": sl.following.remove_source(str(source_id)).as_dict(public=True)}

    @app.get("/api/alert-watches", tags=["following"])
    def list_alert_watches(sl: Read) -> dict[str, Any]:
        """The saved alert watches (``storyline alerts add``)."""
        following = sl.following
        watches = following.alert_watches()
        return {"items": [{**w.as_dict(public=True), "following": following.followed(w.id)} for w in watches]}

    @app.get("/api/alerts", tags=["following"])
    def list_alerts(
        sl: Read,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        watch: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    ) -> dict[str, Any]:
        """The alerts raised, newest first: each says what changed (a new happening, a new article
        on a followed one, a change of status), why, and the articles on each side."""
        return {"items": [a.as_dict() for a in sl.following.alerts(limit=limit, watch_id=watch)]}

    @app.get(
        "/api/alerts.atom",
        tags=["following"],
        response_class=Response,
        responses={200: {"content": {"application/atom+xml": {}}}},
    )
    def alerts_atom(request: Request, sl: Read) -> Response:
        """The newest 100 alerts as an Atom feed, for any feed reader."""
        from storyline.follow.alerts import atom_feed

        alerts = sl.following.alerts(limit=100)
        updated = datetime.fromisoformat(alerts[0].created) if alerts else datetime.now(UTC)
        body = atom_feed(alerts, store_id=sl.store.store_id(), base_url=str(request.base_url), updated=updated)
        return Response(body, media_type="application/atom+xml")

    # -- the web UI ----------------------------------------------------------------------------
    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def index() -> Response:
        page_file = STATIC / "index.html"
        if not page_file.is_file():
            return HTMLResponse("<h1>storyline</h1><p>The web UI is not built into this install.</p>")
        return FileResponse(page_file, media_type="text/html")

    @app.get("/static/{name:path}", include_in_schema=False)
    def static(name: str) -> Response:
        target = (STATIC / name).resolve()
        if not target.is_file() or STATIC.resolve() not in target.parents:
            raise ApiError(404, f"no such file: /static/{name}")
        return FileResponse(target, headers={"Cache-Control": "public, max-age=3600"})

    return app


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"the request body passes the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _first_problem(exc: ValueError) -> str:
    errors: Callable[[], list[dict[str, Any]]] | None = getattr(exc, "errors", None)
    if errors:
        e = errors()[0]
        where = ".".join(str(p) for p in e.get("loc", ())) or "body"
        return f"{where}: {e.get('msg', 'invalid')}"
    return str(exc).splitlines()[0]


def _version() -> str:
    from storyline import __version__

    return __version__
