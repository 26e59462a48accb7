"""Annotation stages: Document -> character-offset annotations of its text.

Each stage declares what it requires and assigns (see :data:`STAGES`) and works on batches:
time expressions (rules, any language's digits, English words), named entities (a model per
language: English, French, Spanish when installed, Russian; see
:data:`storyline.annotate.entities.MODELS`), places (geocoded entity mentions) and events
(English: parse and lexicon).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, NamedTuple, Protocol

from storyline.annotate import descriptions, event_model
from storyline.annotate import entities as entities_module
from storyline.annotate import events as events_module
from storyline.annotate import places as places_module
from storyline.annotate import times as times_module
from storyline.annotate.entities import EntityRecognizer
from storyline.annotate.event_model import CategoryModel, Embed
from storyline.annotate.events import EventParser, RawMention, link_events
from storyline.annotate.events import targets as target_model
from storyline.annotate.gazetteer import Gazetteer
from storyline.annotate.places import Geocoder
from storyline.annotate.times import find_times
from storyline.model import Document
from storyline.model.annotations import Annotations, EntityMention, TimeExpression
from storyline.stages import StageSpec
from storyline.timing import stage

STAGES: tuple[StageSpec, ...] = (
    StageSpec(times_module.NAME, frozenset({"text", "published"}), frozenset({"times"})),
    StageSpec(entities_module.NAME, frozenset({"text", "language"}), frozenset({"entities"})),
    StageSpec(places_module.NAME, frozenset({"entities"}), frozenset({"places"})),
    StageSpec(events_module.NAME, frozenset({"text", "entities", "places", "times"}), frozenset({"events"})),
)

#: Documents longer than this are annotated on their first part only (bounded time and memory).
MAX_ANNOTATED_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Annotated:
    """A document with its annotations (and, in them, what could not be annotated and why)."""

    document: Document
    annotations: Annotations

    def as_dict(self, doc_id: str | None = None) -> dict[str, Any]:
        d, a = self.document, self.annotations
        return {
            "id": doc_id or d.id,
            "title": d.title,
            "published": d.published.value.isoformat() if d.published else None,
            "language": d.language,
            "text": d.text,
            "entities": [{k: v for k, v in e.as_dict().items() if v is not None} for e in a.entities],
            "times": [t.as_dict() for t in a.times],
            "places": [p.as_dict() for p in a.places],
            "events": [e.as_dict() for e in a.events],
            "skipped": a.skipped,
        }


Extracted = tuple[list[list[Any]], list[list[TimeExpression]], list[list[RawMention]]]
"""A batch's raw entity mentions (of the readable texts, in order), time expressions (of every
text) and raw event mentions (of the readable texts)."""
KnownCountries = Callable[[Sequence[str]], Mapping[str, str]]
"""Person entity ids -> the country the store places each in (those it places nowhere left out)."""
DocumentExtraction = tuple[list[Any] | None, list[TimeExpression], list[RawMention] | None]
"""One text's raw entity mentions, time expressions and raw event mentions (None: not read)."""


class Job(NamedTuple):
    """What the per-document extraction reads of one document."""

    text: str
    anchor: date | None
    readable: bool
    language: str | None


def _extract_readable(
    recognizer: EntityRecognizer, parser: EventParser | None, texts: list[str], languages: list[str | None]
) -> tuple[list[list[Any]], list[list[RawMention]]]:
    """Raw entity mentions of texts in a language the recognisers read, and raw event mentions
    of the English ones (the event parse reads English only)."""
    readable = recognizer.readable(texts, languages)  # headlines in sentence case, for the parse as for the recogniser
    with stage("annotate: recognise"):
        raws = recognizer.extract(texts, readable, languages)
    events: list[list[RawMention]] = [[] for _ in texts]
    english = [i for i, lang in enumerate(languages) if recognizer.language_of(lang) == "en"]
    if parser is not None and english:
        with stage("annotate: event parse"):
            parsed = parser.parse(
                [readable[i] for i in english], [[(m.start, m.end, m.label) for m in raws[i]] for i in english]
            )
        for i, found in zip(english, parsed, strict=True):
            events[i] = found
    return raws, events


def extract_jobs(recognizer: EntityRecognizer, parser: EventParser | None, jobs: Sequence[Job]) -> Extracted:
    """The costly, per-document part of annotation: raw entity and event mentions of the texts
    marked readable, and the time expressions of all. Each text's results depend on that text
    alone, so batches can be split among processes (worker processes here, Ray actors in
    :mod:`storyline.distributed`); canonicalisation, places and event linking follow on the
    whole batch (:meth:`Annotator.annotate_many`)."""
    wanted = [(job.text, job.language) for job in jobs if job.readable]
    raws, events = (
        _extract_readable(recognizer, parser, [t for t, _ in wanted], [lang for _, lang in wanted])
        if wanted
        else ([], [])
    )
    with stage("annotate: times"):
        found_times = [find_times(job.text, job.anchor) for job in jobs]
    return raws, found_times, events


def split_extracted(jobs: Sequence[Job], extracted: Extracted) -> list[DocumentExtraction]:
    """:func:`extract_jobs`'s results of a batch, one entry per job (None for the entity and
    event mentions of a text not read)."""
    raws, times, events = iter(extracted[0]), extracted[1], iter(extracted[2])
    return [
        (next(raws), times[i], next(events)) if job.readable else (None, times[i], None) for i, job in enumerate(jobs)
    ]


def join_extracted(parts: Sequence[DocumentExtraction]) -> Extracted:
    """The inverse of :func:`split_extracted`."""
    raws = [p[0] for p in parts if p[0] is not None]
    events = [p[2] for p in parts if p[0] is not None]
    return raws, [p[1] for p in parts], [e if e is not None else [] for e in events]


def extraction_jobs(
    docs: Sequence[Document], recognizer: EntityRecognizer, anchor: date | None = None
) -> tuple[list[Job], list[list[str]]]:
    """What :func:`extract_jobs` reads of each document (its text up to
    :data:`MAX_ANNOTATED_CHARS`, the day relative times are read against, whether a recogniser
    reads its language), and the notes each document gets about what was not annotated."""
    jobs: list[Job] = []
    skipped: list[list[str]] = [[] for _ in docs]
    for i, d in enumerate(docs):
        if len(d.text) > MAX_ANNOTATED_CHARS:
            skipped[i].append(f"text beyond the first {MAX_ANNOTATED_CHARS:,} characters not annotated")
        when = anchor or (d.published.value.date() if d.published else None)
        if when is None:
            skipped[i].append("no publication date: relative times left unresolved (XXXX)")
        jobs.append(Job(d.text[:MAX_ANNOTATED_CHARS], when, recognizer.reads(d.language), d.language))
    for i, d in enumerate(docs):
        skipped[i].extend(recognizer.notes(d.language))  # no model for the language, or a fallback model
    return jobs, skipped


class Extractions(Protocol):
    """Extraction results computed elsewhere (by Ray actors: :mod:`storyline.distributed`),
    found by the job they answer; None where there is none for exactly that job."""

    def get(self, job: Job) -> DocumentExtraction | None: ...


class Annotator:
    """Runs the annotation stages over batches of documents. Build once per process.

    With ``workers`` > 1 (or one and ``forked``), entity extraction and time tagging run in that
    many worker processes (forked from a server that loaded the models once, or spawned, each
    loading them; see :mod:`storyline.annotate.pool`); canonicalisation stays here, so it sees the
    whole batch.
    """

    def __init__(
        self,
        entities: EntityRecognizer | None = None,
        *,
        workers: int = 1,
        geocoder: Geocoder | None = None,
        events: bool = True,
        category_model: CategoryModel | Literal["shipped"] | None = None,
        embed: Embed | None = None,
        forked: bool = False,
    ) -> None:
        gazetteer = Gazetteer()  # built once, shared by both stages
        self.entities = entities or EntityRecognizer(gazetteer=gazetteer)
        self.geocoder = geocoder or Geocoder(gazetteer)
        self.events = EventParser() if events else None
        from storyline.annotate.pool import Handover  # (the pool module imports this one)

        #: The worker processes extraction runs in, and the batches handed to them; none with one
        #: worker, unless ``forked``
        self.handover = Handover(workers, forked=forked, events=events)
        #: Extraction results computed elsewhere (by Ray actors), used where they answer a job
        #: exactly; what they lack is computed as without them
        self.extractions: Extractions | None = None
        #: Decides the category of each sentence's main event ("shipped": the learned model; None,
        #: the default: the rules alone, since on held-out PLOVER records the model changes none
        #: and costs a MiniLM load; see :mod:`storyline.annotate.event_model`). ``embed`` gives
        #: sentences' MiniLM vectors.
        self.category_model = CategoryModel.load() if category_model == "shipped" else category_model
        self._embed = embed
        #: The stage versions recorded with stored annotations; a change re-annotates on the next analyze.
        self.stages = self.stage_names(events, self.category_model is not None)

    @staticmethod
    def stage_names(events: bool = True, category_model: bool = False) -> str:
        """The stage versions an annotator so built records (what :attr:`stages` will be)."""
        names = ";".join(s.name for s in STAGES if events or s.name != events_module.NAME)
        names += ";" + event_model.NAME if events and category_model else ""
        learned = target_model.stage_name() if events else None  # STORYLINE_TARGET_MODEL
        return names + (";" + learned if learned else "")

    def close(self) -> None:
        self.handover.close()

    def prefetch(self, docs: Sequence[Document], *, anchor: date | None = None) -> None:
        """Hand the per-document part of annotating ``docs`` (:func:`extract_jobs`) to the
        workers now, so that they read it while this process finishes the batch before
        (canonicalisation, places, event linking, store writes); the :meth:`annotate_many` of
        the same documents then collects it. Where this annotator would not use workers for
        them, or already holds them, it does nothing. Results are the same either way: each
        document's extraction reads that document alone."""
        if docs and self.extractions is None:
            self.handover.prefetch(extraction_jobs(docs, self.entities, anchor)[0])

    def _extract(self, jobs: list[Job]) -> Extracted:
        """Raw entity and event mentions of the readable texts, and the time expressions of all
        texts: found in :attr:`extractions` when given there, computed here or in the workers."""
        if self.extractions is not None:
            found = [self.extractions.get(job) for job in jobs]
            missing = [i for i, f in enumerate(found) if f is None]
            if missing:
                computed = split_extracted([jobs[i] for i in missing], self._compute([jobs[i] for i in missing]))
                for i, part in zip(missing, computed, strict=True):
                    found[i] = part
            return join_extracted([f for f in found if f is not None])
        return self._compute(jobs)

    def _compute(self, jobs: list[Job]) -> Extracted:
        return self.handover.extract(jobs, here=lambda jobs: extract_jobs(self.entities, self.events, jobs))

    def annotate_many(
        self,
        docs: Sequence[Document],
        *,
        anchor: date | None = None,
        known_people: Mapping[str, int] | None = None,
        known_countries: KnownCountries | None = None,
    ) -> list[Annotated]:
        """Annotate a batch. ``anchor`` overrides each document's publication date for time
        expressions; ``known_people`` (canonical name -> documents) helps resolve spellings;
        ``known_countries`` says, for person entity ids, the country earlier documents (the store)
        placed each in. With what the batch's own documents say, it lets "the Indian leader" of a
        story that never ties Modi to India be Modi (:mod:`storyline.annotate.descriptions`)."""
        jobs, skipped = extraction_jobs(docs, self.entities, anchor)
        texts = [job.text for job in jobs]
        anchors = [job.anchor for job in jobs]
        readable = [i for i, job in enumerate(jobs) if job.readable]
        raws, times, raw_events = self._extract(jobs)
        with stage("annotate: canonicalise"):
            found = self.entities.canonicalise([texts[i] for i in readable], raws, known_people) if readable else []
        entities: list[list[EntityMention]] = [[] for _ in docs]
        events_of: dict[int, list[RawMention]] = {}
        for i, mentions, raw in zip(readable, found, raw_events, strict=True):
            entities[i] = mentions
            events_of[i] = raw
        with stage("annotate: places"):
            places_of = [self.geocoder.geocode(entities[i], texts[i]) for i in range(len(docs))]
        with stage("annotate: event linking"):
            people = self._people(entities, texts, known_countries) if any(events_of.values()) else None
            events = [
                link_events(
                    d.id,
                    texts[i],
                    events_of.get(i, []),
                    entities[i],
                    places_of[i],
                    times[i],
                    anchors[i],
                    people[i] if people else None,
                )
                for i, d in enumerate(docs)
            ]
        if self.category_model is not None and any(events):
            with stage("annotate: category model"):
                events = event_model.recode(texts, events, self.category_model, self._sentence_vectors)
        return [
            Annotated(d, Annotations(times[i], entities[i], skipped[i], places_of[i], events[i]))
            for i, d in enumerate(docs)
        ]

    @staticmethod
    def _people(
        entities: Sequence[Sequence[EntityMention]], texts: Sequence[str], stored: KnownCountries | None
    ) -> list[descriptions.People]:
        """What each document of the batch says its people are, each read once; a person it places
        nowhere placed where the batch's documents agree to, else where the store (``stored``) does."""
        people = [descriptions.describe_people(ents, text) for ents, text in zip(entities, texts, strict=True)]
        known = descriptions.agreed_countries(people)
        unknown = sorted({e.entity_id for ents in entities for e in ents if e.label == "PERSON"} - known.keys())
        if stored is not None and unknown:
            known.update({p: c for p, c in stored(unknown).items() if c})
        for described in people:
            descriptions.place_known(described, known)
        return people

    def _sentence_vectors(self, sentences: Sequence[str]) -> Any:
        if self._embed is None:
            # the embedder of the relating stages, loaded once per process on first use
            from storyline.relate.embed import shared_embedder

            self._embed = shared_embedder().minilm
        return self._embed(sentences)


class _SharedAnnotator(Annotator):
    """An annotator in this process, used by one caller at a time (spaCy's pipelines are not
    for concurrent use), and never closed."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def annotate_many(
        self,
        docs: Sequence[Document],
        *,
        anchor: date | None = None,
        known_people: Mapping[str, int] | None = None,
        known_countries: KnownCountries | None = None,
    ) -> list[Annotated]:
        with self._lock:
            return super().annotate_many(
                docs, anchor=anchor, known_people=known_people, known_countries=known_countries
            )

    def close(self) -> None:
        pass


@functools.lru_cache(maxsize=1)
def shared_annotator() -> Annotator:
    """One in-process annotator per process, its models loaded on first use and kept: for
    callers that annotate now and then (the API's ingests and comparisons, ``compare``), so
    each call does not load the models anew."""
    return _SharedAnnotator()


__all__ = [
    "STAGES",
    "Annotated",
    "Annotator",
    "DocumentExtraction",
    "EntityRecognizer",
    "Extractions",
    "Job",
    "extract_jobs",
    "extraction_jobs",
    "find_times",
    "shared_annotator",
    "split_extracted",
]
