"""Timelines: happenings in date order, each with what it was, who took part, where, whether it
happened, and the articles (with their evidence sentences) that say so.

A happening known only from later articles looking back is on the timeline too, as
``referenced`` (when they date it to a month or better); one that articles have only announced
shows as ``planned`` until a report of it arrives, and from then on as ``occurred``. An entry's
date is as precise as the articles give it: a day, or the first day of a week, a month (written
``2018-05``) or a year.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model.clusters import ClusterSource, EventCluster, TimelineEntry

__all__ = ["timeline_entries"]


def timeline_entries(clusters: Sequence[EventCluster]) -> list[TimelineEntry]:
    """Timeline entries of happenings, earliest first (undated ones are never clusters), in the
    store's order (first day, then id), so that pages of a long timeline follow one another."""
    entries = []
    for c in sorted(clusters, key=lambda c: (c.start or "", c.id)):
        if c.start is None:
            continue
        entries.append(
            TimelineEntry(
                date=_at_granularity(c.start, c.granularity),
                granularity=c.granularity,
                event_id=c.id,
                type=c.type,
                subtype=c.subtype,
                status=c.status,
                actors=list(c.actors.values()),
                place=c.place,
                description=c.label,
                storyline_id=c.storyline_id,
                sources=_one_per_article(c.sources),
            )
        )
    return entries


def _one_per_article(sources: Sequence[ClusterSource]) -> list[ClusterSource]:
    """Each article once, by its first mention of the happening (its lead says what the article
    is: "will fly to Sochi" in an announcement, even if a later line quotes an official)."""
    seen: set[str] = set()
    out = []
    for s in sources:
        if s.document_id not in seen:
            seen.add(s.document_id)
            out.append(s)
    return out


def _at_granularity(day: str, granularity: str) -> str:
    """The date as precisely as the articles give it: 2018-05-21, 2018-05 or 2018."""
    if granularity == "month":
        return day[:7]
    if granularity == "year":
        return day[:4]
    return day
