"""Whether event confidences mean what they say: a reliability table on gold event mentions.

    python -m storyline.evaluate.confidence ../shared/eval/cdcr-ecbplus-dev \\
        [--out src/storyline/annotate/data/event_confidence.json]

Data: ECB+ (``train/`` and ``dev/`` in the CDCR CoNLL form; never committed). Its annotators marked
every event mention of the sentences they validated, so there an event storyline finds is *right*
when its trigger overlaps a gold event mention, and *wrong* otherwise (events in sentences nobody
validated are left out). The calibration (:class:`storyline.annotate.calibration.Calibration`,
isotonic) is fit on ``train``; the reliability table is reported on ``dev``: for bins of calibrated
probability, how many events, their mean probability and the share that were right, and the
expected calibration error (the gap, weighted by events).

What "right" measures is whether an event was found where a real one is mentioned, not its
category, actors or status: ECB+ gives no PLOVER codes.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from storyline.annotate.calibration import Calibration, fit_isotonic

BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.01)


def event_outcomes(folder: Path) -> list[tuple[float, bool]]:
    """(confidence, right) for each event storyline finds in the validated sentences of a CDCR
    folder (``dataset.conll``, ``event_mentions.json`` and, when present, ``event_singletons.json``)."""
    from storyline.annotate import Annotator
    from storyline.evaluate import gold_document
    from storyline.evaluate.cdcr import read_conll, validated_sentences

    docs = read_conll(folder / "dataset.conll")
    validated = validated_sentences(folder) or set()
    gold: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for name in ("event_mentions.json", "event_singletons.json"):
        if (folder / name).is_file():
            for r in json.loads((folder / name).read_text(encoding="utf-8")):
                for token in r.get("tokens_number") or [r["mention_head_id"]]:
                    gold[str(r["conll_doc_key"])].add((int(r["sent_id"]), int(token)))
    annotator = Annotator()
    out: list[tuple[float, bool]] = []
    for i in range(0, len(docs), 32):
        chunk = docs[i : i + 32]
        annotated = annotator.annotate_many([gold_document(d.text, d.key, None) for d in chunk])
        for doc, result in zip(chunk, annotated, strict=True):
            token_at = sorted((span, token) for token, span in doc.offsets.items())
            for event in result.annotations.events:
                t = event.trigger
                tokens = [token for (start, end), token in token_at if start < t.end and t.start < end]
                if not tokens or (doc.key, tokens[0][0]) not in validated:
                    continue
                out.append((event.confidence, any(token in gold[doc.key] for token in tokens)))
    return out


@dataclass
class Reliability:
    rows: list[tuple[str, int, float, float]] = field(default_factory=list)
    """(bin, events, mean probability, share right)."""
    ece: float = 0.0
    events: int = 0
    right: int = 0


def reliability(scored: Sequence[tuple[float, bool]]) -> Reliability:
    """The table for (probability, right) pairs: bins of probability, and the expected calibration
    error (each bin's gap between mean probability and share right, weighted by its events)."""
    out = Reliability(events=len(scored), right=sum(ok for _, ok in scored))
    for lo, hi in pairwise(BINS):
        inside = [(p, ok) for p, ok in scored if lo <= p < hi]
        if not inside:
            continue
        mean = sum(p for p, _ in inside) / len(inside)
        share = sum(ok for _, ok in inside) / len(inside)
        out.rows.append((f"[{lo:.1f}, {min(hi, 1.0):.1f})", len(inside), round(mean, 3), round(share, 3)))
        out.ece += len(inside) * abs(mean - share)
    out.ece = round(out.ece / len(scored), 4) if scored else 0.0
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storyline.evaluate.confidence", description=__doc__)
    parser.add_argument("folder", type=Path, help="an ECB+ folder holding train/ and dev/")
    parser.add_argument("--out", type=Path, default=None, help="write the calibration fit on train here")
    args = parser.parse_args(argv)
    train = event_outcomes(args.folder / "train")
    starts, values = fit_isotonic(train)
    fitted = Calibration(tuple(starts), tuple(values), {})
    dev = event_outcomes(args.folder / "dev")
    table = reliability([(fitted.probability(c), ok) for c, ok in dev])
    raw = reliability(dev)  # the rules' scores read as probabilities, for comparison
    print(f"train: {len(train)} events, {sum(ok for _, ok in train)} right; dev: {table.events}, {table.right} right")
    for name, rows in (("calibrated", table.rows), ("raw score", raw.rows)):
        print(f"{name:<14}{'events':>8}{'mean p':>8}{'right':>8}")
        for label, n, mean, share in rows:
            print(f"{label:<14}{n:>8}{mean:>8.3f}{share:>8.3f}")
    print(f"dev expected calibration error: calibrated {table.ece:.3f}, raw scores {raw.ece:.3f}")
    if args.out is not None:
        info = {
            "fit_on": "ECB+ train (cdcr-ecbplus-dev/train): events in validated sentences, right when the "
            "trigger overlaps a gold event mention",
            "train_events": len(train),
            "dev_events": table.events,
            "dev_ece": table.ece,
            "dev_raw_ece": raw.ece,
            "dev_table": table.rows,
        }
        args.out.write_text(json.dumps(Calibration(tuple(starts), tuple(values), info).as_json()) + "\n", "utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
