"""What a listing picks, as SQL for either store backend, written once: happenings (for listings,
counts, timelines and maps: a frozen, validated :class:`HappeningFilter` and
:func:`happening_where`) and events (:func:`event_where` over an ``EventQuery``), so the two
stores filter alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from storyline.errors import UsageError
from storyline.model.annotations import EventStatus

if TYPE_CHECKING:
    from storyline.store.base import DocumentQuery, EventQuery

STATUSES = tuple(s.value for s in EventStatus)


@dataclass(frozen=True, slots=True)
class HappeningFilter:
    """Happenings with every one of these: an actor (or a country one stands for) from each group
    of ``entity_ids``; of ``storyline``; overlapping ``date_from``..``date_to`` (ISO days); the
    one ``cluster_id``; dated only (``dated_only``); a status among ``status`` and a kind among
    ``kind`` (a PLOVER category such as ``CONSULT`` or a subtype such as ``meeting``); placed with
    at least ``min_confidence``; reported by at least ``min_sources`` articles. Tentative
    happenings (one article, no confident event) only with ``include_tentative`` or by id."""

    entity_ids: tuple[tuple[str, ...], ...] | None = None
    storyline: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    cluster_id: str | None = None
    include_tentative: bool = False
    dated_only: bool = False
    status: tuple[str, ...] = field(default=())
    kind: tuple[str, ...] = field(default=())
    min_confidence: float | None = None
    min_sources: int | None = None

    def __post_init__(self) -> None:
        unknown = [s for s in self.status if s not in STATUSES]
        if unknown:
            raise UsageError(f"unknown status {', '.join(map(repr, unknown))}; choose from {', '.join(STATUSES)}")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise UsageError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")
        if self.min_sources is not None and not 1 <= self.min_sources <= 2**62:
            raise UsageError(f"min_sources must be from 1 to 2**62, got {self.min_sources}")
        if any(not k.strip() for k in self.kind):
            raise UsageError("an empty kind")

    @classmethod
    def of(
        cls,
        *,
        entity_ids: Sequence[Sequence[str]] | None = None,
        status: str | Sequence[str] | None = None,
        kind: str | Sequence[str] | None = None,
        **rest: Any,
    ) -> HappeningFilter:
        """Built from the loose forms callers hold (a list of lists, one status or several)."""
        return cls(
            entity_ids=None if entity_ids is None else tuple(tuple(g) for g in entity_ids),
            status=_strings(status, str.lower),
            kind=_strings(kind, str.strip),
            **rest,
        )


def _strings(value: str | Sequence[str] | None, norm: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(norm(v) for item in items for v in item.split(",") if v.strip())


def _any_of(column: str, values: Sequence[Any], params: list[Any], *, postgres: bool) -> str:
    """``column`` is one of ``values``: its condition, its parameters added to ``params``."""
    if postgres:
        params.append(list(values))
        return f"{column} = ANY(%s)"
    params.extend(values)
    return f"{column} IN ({','.join('?' * len(values)) or 'NULL'})"


def document_where(q: DocumentQuery, t: str = "", *, postgres: bool) -> tuple[str, list[Any]]:
    """The WHERE clause (with its leading `` WHERE ``, or nothing) and parameters of a document
    query over ``documents`` (``t``: the table's alias and a dot), in SQLite's or PostgreSQL's terms."""
    mark = "%s" if postgres else "?"
    clauses: list[str] = []
    params: list[Any] = []
    if q.hide_duplicates:
        clauses.append(f"{t}duplicate_of IS NULL")
    for condition, value in (
        (f"{t}language = {mark}", q.language),
        (f"{t}source = {mark}", q.source),
        (f"{t}published_utc >= {mark}", q.since),
        (f"{t}published_utc < {mark}", q.until + "\uffff" if q.until else None),
    ):
        if value:
            clauses.append(condition)
            params.append(value)
    if q.entity_ids is not None:
        ids = _any_of("entity_id", q.entity_ids, params, postgres=postgres)
        clauses.append(f"{t}rowid IN (SELECT doc_rowid FROM entity_mentions WHERE {ids})")
    if q.place:
        # a place by its name in any case, or a country by its code
        named = 'lower(name) = lower(%s COLLATE "C")' if postgres else "name = ? COLLATE NOCASE"
        clauses.append(
            f"{t}rowid IN (SELECT doc_rowid FROM place_mentions WHERE {named} "
            f"UNION SELECT doc_rowid FROM place_mentions WHERE country = {mark})"
        )
        params += [q.place, q.place.upper()]
    if q.event_type:
        clauses.append(f"{t}rowid IN (SELECT doc_rowid FROM events WHERE type = {mark})")
        params.append(q.event_type.upper())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def happening_where(f: HappeningFilter, max_span: int, *, postgres: bool) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (joined by AND) and parameters that pick the happenings ``f`` asks for,
    over the ``clusters`` table, in SQLite's (``?``) or PostgreSQL's (``%s``) terms. ``max_span``
    is the most days a stored happening spans: a lower bound on the start, so a date range reads
    the start index rather than every earlier happening."""
    mark = "%s" if postgres else "?"
    end = '"end"' if postgres else "end"
    where: list[str] = []
    params: list[Any] = []

    def any_of(column: str, values: Sequence[Any]) -> str:
        return _any_of(column, values, params, postgres=postgres)

    if not f.include_tentative and not f.cluster_id:
        where.append("tentative = 0")
    if f.dated_only:
        where.append("start IS NOT NULL")
    for ids in f.entity_ids or ():
        if not ids:
            return ["false" if postgres else "0"], []
        where.append(f"id IN (SELECT cluster_id FROM cluster_entities WHERE {any_of('entity_id', ids)})")
    if f.storyline:
        where.append(f"storyline = {mark}")
        params.append(f.storyline)
    if f.date_from:
        where.append(f"{end} >= {mark}")
        params.append(f.date_from)
        earliest = date.fromisoformat(f.date_from[:10]) - timedelta(days=max_span)
        where.append(f"start >= {mark}")
        params.append(earliest.isoformat())
    if f.date_to:
        where.append(f"start <= {mark}")
        params.append(f.date_to)
    if f.cluster_id:
        where.append(f"id = {mark}")
        params.append(f.cluster_id)
    if f.status:
        where.append(any_of("status", f.status))
    if f.kind:
        types = [k.upper() for k in f.kind]
        subtypes = [k.lower() for k in f.kind]
        where.append(f"({any_of('type', types)} OR {any_of('subtype', subtypes)})")
    if f.min_confidence is not None:
        where.append(f"confidence >= {mark}")
        params.append(f.min_confidence)
    if f.min_sources is not None:
        # the articles of a happening: those whose events joined it and those placed in it (the
        # same articles every listing shows as its sources)
        where.append(
            "(SELECT count(*) FROM (SELECT doc_rowid FROM cluster_members WHERE cluster_id = clusters.id "
            f"UNION SELECT doc_rowid FROM document_clusters WHERE cluster_id = clusters.id) AS s) >= {mark}"
        )
        params.append(f.min_sources)
    return where, params


def event_where(
    query: EventQuery, entity_ids: Sequence[str] | None, *, postgres: bool
) -> tuple[list[str], list[Any]] | None:
    """The conditions of an event query on ``events e JOIN documents d`` and their parameters, in
    SQLite's or PostgreSQL's terms; ``entity_ids`` are those ``query.entity`` stands for (None when
    it names none: then nothing matches, and None is returned)."""
    mark = "%s" if postgres else "?"
    where: list[str] = []
    params: list[Any] = []
    if query.entity:
        if not entity_ids:
            return None
        actors = _any_of("entity_id", entity_ids, params, postgres=postgres)
        where.append(f"e.id IN (SELECT event_id FROM event_actors WHERE {actors})")
    kinds = [k.strip() for k in (query.type or "").split(",") if k.strip()]
    if kinds:  # a PLOVER category or a subtype, as happenings are matched
        types = _any_of("e.type", [k.upper() for k in kinds], params, postgres=postgres)
        where.append(f"({types} OR {_any_of('e.subtype', [k.lower() for k in kinds], params, postgres=postgres)})")
    for condition, value in (
        ("e.status", query.status.lower() if query.status else None),
        ("d.id", query.document_id),
    ):
        if value:
            where.append(f"{condition} = {mark}")
            params.append(value)
    if query.date_from:
        where.append(f"e.date_end >= {mark}")
        params.append(query.date_from)
    if query.date_to:
        where.append(f"e.date_start <= {mark}")
        params.append(query.date_to)
    if query.hide_duplicates:
        where.append("d.duplicate_of IS NULL")
    if query.min_confidence is not None:
        where.append(f"e.confidence >= {mark}")
        params.append(query.min_confidence)
    return where, params
