"""What the REST API and the web UI show of documents: pages of listings and searches, the
summary each listing row gives, and a document's whole record. Built on the
:class:`~storyline.api.Storyline` facade (whose :meth:`~storyline.api.Storyline.document_query`
builds the filters), which keeps to what a Python user calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.api import Storyline
from storyline.model import Document, document_to_dict
from storyline.store.base import DocumentQuery, SearchHit

__all__ = ["document_page", "record", "search_page", "summaries"]


def document_page(sl: Storyline, query: DocumentQuery) -> tuple[list[Document], int]:
    """One page of documents (publication order) and how many match in all."""
    return sl.store.documents(query), sl.store.count(query)


def search_page(sl: Storyline, text: str, query: DocumentQuery) -> tuple[list[SearchHit], int, int, list[str]]:
    """One page of full-text matches, best first; how many documents match, counted up to the
    store's ``rank_window`` + 1 (more than the window: more match than were counted); how many of
    them can be paged through (a search ranks at most the ``rank_window`` newest); and the names
    the search looked for when ``text`` names an entity (:meth:`Storyline.search_names`)."""
    expanded, names = sl.search_names(text)
    hits, matches = sl.store.search_page(expanded, query)
    return hits, matches, min(matches, sl.store.rank_window), names


def summaries(sl: Storyline, docs: Sequence[Document]) -> list[dict[str, Any]]:
    """Documents as a listing shows them: id, title, date, language, source, URL, the opening
    words, and the happening and storyline each reports (one query for them all)."""
    placed = sl.store.document_placements([d.id for d in docs])
    out = []
    for doc in docs:
        p = doc.published
        happening, story = placed.get(doc.id, (None, None))
        out.append(
            {
                "id": doc.id,
                "title": doc.title,
                "published": p.value.isoformat() if p else None,
                "language": doc.language,
                "source": doc.source,
                "url": doc.url,
                "duplicate_of": doc.duplicate.of if doc.duplicate else None,
                "opening": " ".join(doc.text[:240].split()),
                "happening": happening,
                "event_cluster": happening,  # the old name of "happening", kept for one release
                "storyline": story,
            }
        )
    return out


def record(sl: Storyline, doc_id: str) -> dict[str, Any]:
    """A document as the API gives it: its fields, where it was seen, its entities, places,
    times, events (each with its happening) and the happening and storyline it reports."""
    doc = sl.get(doc_id)
    data = document_to_dict(doc)
    ann = sl.store.annotations(doc.id)
    joined = sl.store.event_clusters(doc.id)
    happening, story = sl.placement(doc.id)
    data.update(
        seen_in=[s.as_dict() for s in sl.store.sightings(doc.id)],
        entities=[e.as_dict() for e in ann.entities],
        places=[p.as_dict() for p in ann.places],
        times=[t.as_dict() for t in ann.times],
        events=[
            {
                **e.as_dict(),
                "happening": joined.get(e.id),
                "cluster": joined.get(e.id),
                "probability": sl.event_probability(e),
            }
            for e in ann.events
        ],
        happening=happening,
        event_cluster=happening,  # the old name of "happening", kept for one release
        storyline=story,
        skipped=list(ann.skipped),
    )
    return data
