"""Events: who did what to whom, where, when, and whether it happened.

Two steps, so that the costly one can run in worker processes:

1. :meth:`EventParser.parse` reads each sentence that holds a word of the lexicon
   (:mod:`storyline.annotate.event_lexicon`) with spaCy's tagger and dependency parser, and turns
   each trigger into a :class:`RawMention`: the sense (PLOVER category, subtype, CAMEO code), the
   rule that chose it, the argument phrases by role, the phrases that say where, the clause (to
   look for the time in) and what the grammar says of its status.
2. :func:`link_events` ties each raw mention to the document's canonical entities, geocoded places
   and normalised times, settles the status against the date, and joins the mentions of one event
   ("will meet", "the talks", "their meeting in June") into one
   :class:`~storyline.model.annotations.Event`.

Sentences without a lexicon word are never parsed: the parse costs more than the recogniser.

The modules, in the order the data flows through them:

- :mod:`.parse`: which sentences are parsed, and the spaCy model;
- :mod:`.sentence`, :mod:`.tokens`: a parsed sentence's offsets and phrases, and walks over its tree;
- :mod:`.triggers`: trigger words, their senses and rules, and the frames of clauses;
- :mod:`.conditions`: the conditions a sense may need, checked before and after the parse;
- :mod:`.arguments`: subjects, objects and prepositional phrases by role, and places;
- :mod:`.status`: what the grammar says of whether the event happened, settled against the date;
- :mod:`.raw`: what the parse hands to linking;
- :mod:`.linking`: actors, place, time, status and confidence of each event;
- :mod:`.coreference`: the mentions of one event joined;
- :mod:`.coding`: the PLOVER categories as the rules group them, and PLOVER coding.
"""

from __future__ import annotations

from storyline.annotate.events.coding import plover_category
from storyline.annotate.events.linking import link_events
from storyline.annotate.events.parse import EventParser
from storyline.annotate.events.raw import RawMention

NAME = "storyline.events.rules.v41"

__all__ = ["NAME", "EventParser", "RawMention", "link_events", "plover_category"]
