"""How often a shooting, a stabbing or a wounding is read as a killing where the annotators saw a
death, on the Gun Violence Corpus (GVC and GVC-more dev).

GVC marks each event mention with its kind (``death``, ``hitting``, ``firing_a_gun``, ...) but
not storyline's distinction between a killing (CAMEO 1823) and an assault (182). So a sentence
holding a gold ``death`` mention stands in for "this harm killed someone": each storyline mention
of a shooting, a stabbing or a wounding (not the death words themselves) is scored killing or
assault against it. The yardstick is rough (GVC marks the deaths of its incident only, and a
sentence may tell a death in another clause), so compare runs of the same yardstick, not the
figure with anything else.

    python benchmarks/death_cue.py ../shared/eval [--errors FILE]

Skips (exit 0, a message) when the corpora are absent.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

from storyline.annotate import Annotator
from storyline.evaluate import gold_document
from storyline.evaluate.cdcr import read_conll

#: The corpora read, under the eval root: (CoNLL file, event mentions).
SETS = (
    ("cdcr-gvc/dataset.conll", "cdcr-gvc/event_mentions.json"),
    ("cdcr-gvc-more/dev/dataset.conll", "cdcr-gvc-more/dev/event_mentions.json"),
)
#: Triggers that are themselves words of death: left out, as they say so by definition.
DEATH_TRIGGERS = frozenset({"killed", "kill", "kills", "killing", "murder", "murdered", "dead", "died", "death"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", type=Path)
    parser.add_argument("--errors", type=Path, help="write the disagreements here (JSON)")
    args = parser.parse_args(argv)
    if not all((args.eval_root / c).is_file() and (args.eval_root / m).is_file() for c, m in SETS):
        print(f"skipped: the GVC corpora are not under {args.eval_root}")
        return 0
    annotator = Annotator()
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    errors = []
    for conll, mentions in SETS:
        docs = read_conll(args.eval_root / conll)
        deaths: dict[str, set[int]] = defaultdict(set)  # document -> sentences with a gold death
        for m in json.loads((args.eval_root / mentions).read_text(encoding="utf-8")):
            if m["description"].split(".")[1:2] == ["death"]:
                deaths[m["conll_doc_key"]].add(m["sent_id"])
        golds = [gold_document(d.text, d.key, date.fromisoformat(d.published) if d.published else None) for d in docs]
        for doc, result in zip(docs, annotator.annotate_many(golds), strict=True):
            spans = sorted((a, s) for (s, _), (a, _b) in doc.offsets.items())
            starts = [a for a, _ in spans]
            for event in result.annotations.events:
                for m in event.mentions if event.type == "ASSAULT" else ():
                    parts = (m.sense or "").split(":")
                    kind = parts[2] if len(parts) > 2 else ""
                    if kind not in ("killing", "assault") or m.text.lower() in DEATH_TRIGGERS:
                        continue
                    at = bisect.bisect_right(starts, m.start) - 1
                    if at < 0:
                        continue
                    sentence = spans[at][1]
                    gold, said = sentence in deaths[doc.key], kind == "killing"
                    counts[("t" if gold == said else "f") + ("p" if said else "n")] += 1
                    if gold != said:
                        errors.append({"document": doc.key, "sentence": sentence, "trigger": m.text, "read": kind})
    tp, fp, fn, tn = counts["tp"], counts["fp"], counts["fn"], counts["tn"]
    total = tp + fp + fn + tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"harm mentions {total}: killing precision {precision:.3f} recall {recall:.3f}, "
        f"agreement {(tp + tn) / total if total else 0.0:.3f} (tp {tp}, fp {fp}, fn {fn}, tn {tn})"
    )
    if args.errors:
        args.errors.write_text(json.dumps(errors, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
