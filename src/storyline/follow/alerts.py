"""Alerts: saved watches over happenings, checked after each round, and their delivery.

A watch follows the happenings its filter picks (entities, storyline, kind, status, confidence,
sources; a text query). Each check compares what it follows with what the store holds now and
tells three kinds of change:

* ``new-happening``: a happening the filter picks that the watch did not follow;
* ``status-change``: a followed happening's status moved (planned -> held, planned -> called off,
  held -> denied), with the articles on each side; a happening followed because it was planned
  stays followed when it is held, though the filter asked for planned ones;
* ``new-article``: a followed happening reported by one more article that changed nothing else.

A happening merged into another is followed on in the one its articles went to. A watch starts
from what the store holds when it is added: that is its baseline, not a flood of alerts. Every
alert is stored under a key naming its change (``status:C1234:planned->occurred``), so the same
change never alerts twice, however often a check runs. Alerts go out as JSON lines (``watch``
prints each once), as a signed webhook POST (retried with back-off), and as an Atom feed
(``/api/alerts.atom``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from storyline.cluster.events import status_rank
from storyline.errors import FetchError, InputError, UsageError, internal_error
from storyline.ingest.transport import USER_AGENT, check_url
from storyline.model.clusters import ClusterSource, EventCluster
from storyline.model.follow import Alert, AlertWatch, iso
from storyline.store.filters import HappeningFilter

if TYPE_CHECKING:
    from storyline.api import Storyline
    from storyline.store.follow import FollowTables

#: The keys a watch's spec may hold: the filters of Storyline.happening_filter, and a text query.
SPEC_KEYS = ("entity", "storyline", "kind", "status", "min_confidence", "min_sources", "include_tentative", "query")

#: How a status reads in an alert.
STATUS_WORDS = {
    "planned": "planned",
    "ongoing": "under way",
    "occurred": "held",
    "referenced": "recalled",
    "negated": "called off",
    "hypothetical": "only supposed",
}

#: Webhook calls: tries before an alert's call is given up, and the first pause (doubling).
WEBHOOK_ATTEMPTS = 8
WEBHOOK_RETRY = 30.0
WEBHOOK_MAX_PAUSE = 3600.0
WEBHOOK_TIMEOUT = 10.0
SIGNATURE_HEADER = "X-Storyline-Signature"


def status_word(status: str, before: str | None = None) -> str:
    if status == "negated" and before in ("occurred", "ongoing"):
        return "denied"
    return STATUS_WORDS.get(status, status)


def check_spec(sl: Storyline, spec: dict[str, Any]) -> HappeningFilter | None:
    """The filter a watch's spec stands for, or None while an entity or storyline it names is
    not in the store yet (a watch may be set up before the news it waits for); a UsageError
    names what else in it cannot be (an unknown status or kind, a bad number)."""
    unknown = set(spec) - set(SPEC_KEYS)
    if unknown:
        raise UsageError(f"an alert watch takes {', '.join(SPEC_KEYS)}, not {', '.join(sorted(unknown))}")
    filters = {k: v for k, v in spec.items() if k != "query" and v not in (None, [], "")}
    try:
        return sl.happening_filter(**filters)
    except UsageError as exc:
        if exc.code == "not-found":
            return None
        if exc.code != "ambiguous" or "entity" not in filters:
            raise
    # an alias that has come to name several people since the watch was saved: it keeps watching
    # all of them rather than failing at every round (a new watch is refused an ambiguous name)
    return sl.happening_filter(**filters, every_match=True)


def add_watch(
    sl: Storyline,
    spec: dict[str, Any],
    *,
    name: str | None = None,
    webhook: str | None = None,
    secret: str | None = None,
    now: datetime,
) -> AlertWatch:
    """Save a watch and take what it picks today as its baseline (no alert for what exists)."""
    from storyline.follow.watch import follow_tables

    spec = {k: v for k, v in spec.items() if v not in (None, [], "", False)}
    check_spec(sl, spec)
    if webhook:
        try:
            check_url(webhook, allow_private=True)
        except FetchError as exc:
            raise UsageError(f"webhook {webhook}: {exc.reason}") from None
    store = follow_tables(sl)
    watch = store.add_alert_watch(spec, name=name, webhook=webhook, secret=secret, now=iso(now))
    check_watch(sl, watch, now=now, baseline=True)
    return watch


def check_alerts(sl: Storyline, *, now: datetime) -> tuple[list[Alert], list[InputError]]:
    """Check every watch against the store: the alerts stored (new ones only), and what kept a
    watch from being checked (one watch's trouble never keeps the others from theirs)."""
    from storyline.follow.watch import follow_tables

    out: list[Alert] = []
    problems: list[InputError] = []
    for watch in follow_tables(sl).alert_watches():
        try:
            out.extend(check_watch(sl, watch, now=now))
        except Exception as exc:
            problems.append(internal_error(f"alert watch {watch.id} ({watch.label})", exc))
    return out, problems


def _cluster(sl: Storyline, happening_id: str) -> EventCluster | None:
    found = sl.store.clusters(HappeningFilter.of(cluster_id=happening_id, include_tentative=True), limit=1)
    return found[0] if found else None


def check_watch(sl: Storyline, watch: AlertWatch, *, now: datetime, baseline: bool = False) -> list[Alert]:
    """One watch's check: what changed since the last, as alerts (none when ``baseline``)."""
    from storyline.follow.watch import follow_tables

    store = follow_tables(sl)
    spec = dict(watch.spec)
    query = spec.get("query")
    which = check_spec(sl, spec)
    matching = {c.id: c for c in sl.store.clusters(which, limit=None)} if which is not None else {}
    if query:
        found = {hit.document.id for hit in sl.search(str(query), limit=sl.store.rank_window)}
        matching = {k: c for k, c in matching.items() if any(s.document_id in found for s in c.sources)}
    follows = store.alert_follows(watch.id)
    current = dict(matching)
    # followed happenings the filter no longer picks (a planned one now held), or merged away
    gone = [h for h in follows if h not in current]
    for happening_id in gone:
        cluster = _cluster(sl, happening_id)
        if cluster is not None:
            current[cluster.id] = cluster
    # a followed happening that is no more was merged into another: the one its articles went to
    # (by their main placements) continues it; one article's other happenings are not the same one
    successor: dict[str, str] = {}
    lost = [h for h in gone if h not in current]
    if lost:
        placed = sl.store.document_placements([d for h in lost for d in follows[h][0]])
        for happening_id in lost:
            went: Counter[str] = Counter()
            for d in follows[happening_id][0]:
                target = placed.get(d, (None, None))[0]
                if target:
                    went[target] += 1
            if went:
                cluster_id = went.most_common(1)[0][0]
                cluster = current.get(cluster_id) or _cluster(sl, cluster_id)
                if cluster is not None:
                    current[cluster.id] = cluster
                    successor[happening_id] = cluster.id
    label = watch.label
    alerts: list[tuple[str, str, str | None, dict[str, Any]]] = []
    new_follows: dict[str, tuple[list[str], str]] = {}
    for cluster in current.values():
        docs = {s.document_id for s in cluster.sources}
        before = [h for h in follows if h == cluster.id or successor.get(h) == cluster.id]
        if not before:
            if cluster.id not in matching:
                continue
            new_follows[cluster.id] = (sorted(docs), cluster.status)
            alerts.append(
                (
                    f"new:{cluster.id}",
                    "new-happening",
                    cluster.id,
                    {
                        "what": f"new happening: {cluster.label}",
                        "why": f"it matches the watch {label!r}",
                        "happening": _happening(cluster),
                        "articles": _articles(cluster.sources),
                    },
                )
            )
            continue
        seen = {d for h in before for d in follows[h][0]}
        old = max((follows[h][1] for h in before), key=status_rank)
        fresh = [s for s in cluster.sources if s.document_id not in seen]
        told: set[str] = set()
        new_status = cluster.status
        if status_rank(new_status) > status_rank(old):
            after = [s for s in fresh if s.status == new_status] or [
                s for s in cluster.sources if s.status == new_status
            ]
            alerts.append(_status_alert(cluster, old, new_status, label, before_sources(cluster, seen, old), after))
            told.update(s.document_id for s in after)
        # an article saying it was called off or did not happen: a change only of a happening
        # that was planned, under way or held (as this check leaves it), told once per happening
        standing = new_status if status_rank(new_status) > status_rank(old) else old
        denials = [s for s in fresh if s.status == "negated" and s.document_id not in told]
        if denials and standing in ("planned", "ongoing", "occurred"):
            alerts.append(
                _status_alert(cluster, standing, "negated", label, before_sources(cluster, seen, standing), denials)
            )
            told.update(s.document_id for s in denials)
        for source in fresh:
            if source.document_id in told:
                continue
            alerts.append(
                (
                    f"article:{cluster.id}:{source.document_id}",
                    "new-article",
                    cluster.id,
                    {
                        "what": f"new article on {cluster.label}",
                        "why": f"the watch {label!r} follows this happening",
                        "happening": _happening(cluster),
                        "article": _article(source),
                    },
                )
            )
        new_follows[cluster.id] = (
            sorted(docs | seen),
            new_status if status_rank(new_status) >= status_rank(old) else old,
        )
    dropped = [h for h in follows if h not in new_follows]
    return store.save_alert_check(
        watch.id, new_follows, dropped, [] if baseline else alerts, now=iso(now), webhook=bool(watch.webhook)
    )


def before_sources(cluster: EventCluster, seen: set[str], old: str) -> list[ClusterSource]:
    """The articles that gave the happening its earlier status."""
    known = [s for s in cluster.sources if s.document_id in seen]
    return [s for s in known if s.status == old] or known


def _status_alert(
    cluster: EventCluster, old: str, new: str, label: str, before: list[ClusterSource], after: list[ClusterSource]
) -> tuple[str, str, str | None, dict[str, Any]]:
    change = f"{status_word(old)} -> {status_word(new, old)}"
    return (
        f"status:{cluster.id}:{old}->{new}",
        "status-change",
        cluster.id,
        {
            "what": f"{change}: {cluster.label}",
            "why": f"the watch {label!r} follows this happening",
            "change": {"from": old, "to": new, "words": change},
            "happening": _happening(cluster),
            "before": _articles(before),
            "after": _articles(after),
        },
    )


def _happening(cluster: EventCluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "label": cluster.label,
        "status": cluster.status,
        "start": cluster.start,
        "end": cluster.end,
        "place": cluster.place,
        "country": cluster.country,
        "actors": list(cluster.actors.values()),
        "confidence": cluster.confidence,
        "documents": cluster.documents,
        "link": f"#/event/{cluster.id}",
    }


def _articles(sources: list[ClusterSource]) -> list[dict[str, Any]]:
    """Each article once (a happening holds one source per event mention), with its first evidence."""
    seen: set[str] = set()
    out = []
    for source in sources:
        if source.document_id not in seen:
            seen.add(source.document_id)
            out.append(_article(source))
    return out


def _article(source: ClusterSource) -> dict[str, Any]:
    return {
        "document_id": source.document_id,
        "title": source.title,
        "published": source.published,
        "status": source.status,
        "evidence": source.evidence,
    }


# -- delivery ---------------------------------------------------------------------------------
def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of the body under the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def deliver_webhooks(
    store: FollowTables, *, now: datetime, allow_private: bool = True, retry: float = WEBHOOK_RETRY
) -> tuple[int, int]:
    """POST every alert whose webhook call is due; a failed call is tried again later, waiting
    ``retry`` seconds, then twice as long each time, up to WEBHOOK_ATTEMPTS tries. Each call carries
    the alert's id (``X-Storyline-Alert``), so a receiver can drop one it had before a crash made
    storyline send it again. Returns (sent, failed)."""
    sent = failed = 0
    for alert, url, attempts in list(store.webhook_due(iso(now))):
        body = json.dumps(alert.as_dict(), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Storyline-Alert": str(alert.id)}
        secret = store.alert_secret(alert.watch_id)
        if secret:
            headers[SIGNATURE_HEADER] = sign(secret, body)
        error = None
        try:
            check_url(url, allow_private=allow_private)
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
                response.read(1024)
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, OSError, FetchError) as exc:
            error = str(getattr(exc, "reason", exc))
        attempts += 1
        if error is None:
            store.record_webhook(alert.id, state="sent", attempts=attempts, next_at=None, error=None)
            sent += 1
            continue
        failed += 1
        if attempts >= WEBHOOK_ATTEMPTS:
            store.record_webhook(alert.id, state="failed", attempts=attempts, next_at=None, error=error)
        else:
            pause = min(retry * 2 ** (attempts - 1), WEBHOOK_MAX_PAUSE)
            store.record_webhook(
                alert.id, state="pending", attempts=attempts, next_at=iso(now + timedelta(seconds=pause)), error=error
            )
    return sent, failed


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(alerts: list[Alert], *, store_id: str, base_url: str, updated: datetime) -> bytes:
    """The alerts as an Atom feed (newest first), each entry linking to its happening's page."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"urn:storyline:{store_id}:alerts")
    sub(feed, "title", "storyline alerts")
    sub(feed, "updated", iso(updated))
    sub(feed, "link", rel="self", href=base_url.rstrip("/") + "/api/alerts.atom")
    author = sub(feed, "author")
    sub(author, "name", "storyline")
    for alert in alerts:
        entry = sub(feed, "entry")
        payload = alert.payload
        sub(entry, "id", f"urn:storyline:{store_id}:alert:{alert.id}")
        sub(entry, "title", str(payload.get("what") or alert.kind))
        sub(entry, "updated", alert.created)
        sub(entry, "category", term=alert.kind)
        happening = payload.get("happening") or {}
        if happening.get("link"):
            sub(entry, "link", href=base_url.rstrip("/") + "/" + str(happening["link"]), rel="alternate")
        articles = payload.get("articles") or payload.get("after") or [payload.get("article") or {}]
        lines = [str(payload.get("why") or "")]
        for article in articles:
            if article:
                lines.append(f"{article.get('title') or article.get('document_id')}: {article.get('evidence') or ''}")
        sub(entry, "summary", "\n".join(line for line in lines if line.strip()))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
