"""How much of a non-English text's places storyline puts on the map, on the NER dev files.

The NER dev files mark places (LOC) but not where they are, so this measures coverage, not
coordinates: of the gold place spans, how many storyline's recogniser finds and the place stage
geocodes (a place mention on exactly that span); of the places it geocodes, how many sit on a gold
place span (a proxy for precision: a geocoded span that is no gold place is at best a place the
annotators called otherwise); and how many geocoded mentions carry a country's English name as
their entity, the same entity an English article's mention of that country gets.

    python benchmarks/places_languages.py ../shared/eval [--show N]

``--show N`` prints N geocoded mentions per file, chosen at random (seed 0), for reading by hand.
Skips (exit 0, a message) when the files are absent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from storyline.annotate.countries import country_table
from storyline.annotate.entities import EntityRecognizer
from storyline.annotate.gazetteer import Gazetteer
from storyline.annotate.places import Geocoder
from storyline.evaluate.ner import gold_spans, language_of_file, on_tokens, read_conll

#: The dev files of the languages other than English, under the eval root.
FILES = (
    "ner/wikineural/fr.dev.conll",
    "ner/conll2002/es.dev.conll",
    "ner/wikineural/ru.dev.conll",
    "ner/conll2002/nl.dev.conll",
    "ner/wikineural/it.dev.conll",
    "ner/wikineural/pt.dev.conll",
    # no recogniser: places found by their names only
    "ner/germeval2014/de.dev.conll",
    "ner/wikineural/pl.dev.conll",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval_root", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print this many geocoded mentions per file")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    paths = [args.eval_root / f for f in FILES if (args.eval_root / f).exists()]
    if not paths:
        print(f"skipped: none of the NER dev files under {args.eval_root}")
        return 0
    gazetteer = Gazetteer()
    recogniser = EntityRecognizer(gazetteer=gazetteer)
    geocoder = Geocoder(gazetteer)
    countries = set(country_table().code_of)
    rows = []
    head = (("gold LOC", 8), ("geocoded", 9), ("recall", 7), ("places", 7), ("on gold", 8), ("share", 6))
    head += (("as country", 10),)
    print(f"{'file':<28} " + " ".join(f"{name:>{width}}" for name, width in head))
    for path in paths:
        language = language_of_file(path)
        if not recogniser.reads(language):
            print(f"{path.name}: no recogniser for {language!r}, skipped")
            continue
        docs = read_conll(path)
        texts = [d.text_and_offsets()[0] for d in docs]
        found = recogniser.recognise(texts, languages=[language] * len(texts))
        gold_total = geocoded_gold = places_total = on_gold = as_country = 0
        shown: list[str] = []
        for doc, text, mentions in zip(docs, texts, found, strict=True):
            places = geocoder.geocode(mentions, text)
            by_span = {(m.start, m.end): m for m in mentions}
            gold = {(s, e) for s, e, label in gold_spans(doc.tags) if label == "LOC"}
            spans = on_tokens(doc, [(p.start, p.end, "LOC") for p in places])
            placed = {(s, e) for s, e, _ in spans}
            gold_total += len(gold)
            geocoded_gold += len(gold & placed)
            places_total += len(placed)
            on_gold += len(placed & gold)
            for p in places:
                m = by_span.get((p.start, p.end))
                if m is not None and m.canonical in countries:
                    as_country += 1
                shown.append(f"  {p.text!r} -> {p.name}, {p.country} ({p.kind}); entity {m.canonical if m else None!r}")
        recall = geocoded_gold / gold_total if gold_total else 0.0
        share = on_gold / places_total if places_total else 0.0
        name = "/".join(path.parts[-2:])
        cells = f"{gold_total:>8} {geocoded_gold:>9} {recall:>7.3f} {places_total:>7} {on_gold:>8} {share:>6.3f}"
        print(f"{name:<28} {cells} {as_country:>10}")
        rows.append(
            {
                "file": name,
                "language": language,
                "gold_loc": gold_total,
                "geocoded_gold": geocoded_gold,
                "recall": round(recall, 4),
                "places": places_total,
                "on_gold": on_gold,
                "on_gold_share": round(share, 4),
                "entity_is_a_country": as_country,
            }
        )
        if args.show:
            for line in random.Random(0).sample(shown, min(args.show, len(shown))):
                print(line)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
