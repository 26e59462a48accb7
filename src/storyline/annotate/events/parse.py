"""Step 1, in the worker processes: the sentences that may hold an event are parsed, and each
trigger becomes a :class:`~storyline.annotate.events.raw.RawMention`."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from storyline.annotate import datelines
from storyline.annotate.events import targets
from storyline.annotate.events.conditions import is_candidate
from storyline.annotate.events.raw import RawMention
from storyline.annotate.events.sentence import PLACE_LABELS, Sentence
from storyline.annotate.events.triggers import sentence_mentions
from storyline.annotate.sentences import sentences
from storyline.annotate.spacy_model import MODEL_PACKAGE
from storyline.annotate.spacy_model import load as load_model
from storyline.annotate.textlimits import mask_long_words

if TYPE_CHECKING:
    from spacy.language import Language

#: The model's components the parse does not need: the recogniser runs on its own, and lemmas and
#: parts of speech come from the tagger's tags and the lexicon's word lists (a third of the time).
_NOT_FOR_PARSE = ("ner", "attribute_ruler", "lemmatizer")
#: Sentences longer than this are parsed on their first part only (a run-on "sentence" of a list).
MAX_SENTENCE_CHARS = 2_000


class EventParser:
    """Finds event triggers and their arguments. Loads spaCy's tagger and parser on first use;
    build one per process."""

    def __init__(self, model: str = MODEL_PACKAGE, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Language | None = None

    @property
    def loaded(self) -> bool:
        """Whether the tagger and parser are loaded in this process already."""
        return self._nlp is not None

    def _load(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model(self.model, _NOT_FOR_PARSE)
        return self._nlp

    def parse(self, texts: Sequence[str], entities: Sequence[Sequence[tuple[int, int, str]]]) -> list[list[RawMention]]:
        """Raw event mentions of each text. ``entities`` gives each text's entity spans and labels
        (the recogniser's, before canonicalisation): a few senses depend on them ("called the
        president")."""
        out: list[list[RawMention]] = [[] for _ in texts]
        model = targets.load()  # STORYLINE_TARGET_MODEL, read once a batch
        for i, sentence in self.sentences(texts, entities):
            out[i].extend(sentence_mentions(sentence, model))
        return out

    def sentences(
        self, texts: Sequence[str], entities: Sequence[Sequence[tuple[int, int, str]]]
    ) -> Iterator[tuple[int, Sentence]]:
        """The parsed sentences of each text that may hold an event, with the text's index."""
        jobs: list[tuple[int, int, str, list[tuple[int, int, str]]]] = []
        for i, text in enumerate(texts):
            spans = sorted(entities[i])
            starts = [s for s, _, _ in spans]
            for start, end in sentences(text, lines=True):
                sentence = mask_long_words(text[start : min(end, start + MAX_SENTENCE_CHARS)])
                inside = spans[bisect_left(starts, start) : bisect_left(starts, start + len(sentence))]
                local = [(s - start, e - start, label) for s, e, label in inside]
                sentence = datelines.mask(sentence, local, PLACE_LABELS)
                if is_candidate(sentence, {label for _, _, label in inside}):
                    jobs.append((i, start, sentence, inside))
        if not jobs:
            return
        nlp = self._load()
        for (i, offset, _, inside), doc in zip(
            jobs, nlp.pipe([j[2] for j in jobs], batch_size=self.batch_size), strict=True
        ):
            yield i, Sentence(doc, offset, inside)
