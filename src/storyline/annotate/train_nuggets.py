"""Learn the table of event words shipped in ``annotate/data/nuggets.json``.

    python -m storyline.annotate.train_nuggets ../shared/eval/cdcr-ecbplus-dev/train \\
        --out src/storyline/annotate/data/nuggets.json [--dev ../shared/eval/cdcr-ecbplus-dev/dev]

Reads a corpus in the CDCR CoNLL form with its gold event mentions (``event_mentions.json`` and,
when present, ``event_singletons.json``; the data is never committed). Only the sentences its
annotators validated count (those holding any gold mention, events or entities): in the others an
event word is unmarked, not absent. For each word form, the share of its occurrences that head a
gold event mention, and the gold lemma it had most often. Forms seen fewer than ``--min-count``
times are left out. The threshold is the share that maximises mention F1 on the training corpus;
``--dev`` reports precision and recall on a corpus the table never saw.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)

Key = tuple[str, int, int]  # document, sentence, token


def read(folder: Path) -> tuple[dict[Key, str], set[Key], dict[Key, str]]:
    """Tokens of the validated sentences, and the head tokens of gold event mentions with their lemma."""
    mentions: list[dict[str, Any]] = []
    for name in ("event_mentions.json", "event_singletons.json"):
        if (folder / name).is_file():
            mentions += json.loads((folder / name).read_text(encoding="utf-8"))
    others = (
        json.loads((folder / "entity_mentions.json").read_text(encoding="utf-8"))
        if (folder / "entity_mentions.json").is_file()
        else []
    )
    validated = {(str(m["conll_doc_key"]), int(m["sent_id"])) for m in mentions + others}
    heads = {
        (str(m["conll_doc_key"]), int(m["sent_id"]), int(m["mention_head_id"])): str(
            m.get("mention_head_lemma") or m.get("mention_head") or ""
        ).casefold()
        for m in mentions
    }
    tokens: dict[Key, str] = {}
    with (folder / "dataset.conll").open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or line.startswith("#"):
                continue
            if (parts[0], int(parts[1])) in validated:
                tokens[(parts[0], int(parts[1]), int(parts[2]))] = parts[3]
    return tokens, set(heads), heads


def learn(tokens: dict[Key, str], heads: dict[Key, str], min_count: int) -> dict[str, tuple[float, str]]:
    seen: Counter[str] = Counter()
    events: Counter[str] = Counter()
    lemmas: dict[str, Counter[str]] = defaultdict(Counter)
    for key, word in tokens.items():
        form = word.casefold()
        if not form[:1].isalpha():
            continue
        seen[form] += 1
        if key in heads:
            events[form] += 1
            lemmas[form][heads[key] or form] += 1
    return {f: (round(events[f] / seen[f], 4), lemmas[f].most_common(1)[0][0]) for f in events if seen[f] >= min_count}


def score(
    table: dict[str, tuple[float, str]], threshold: float, tokens: dict[Key, str], heads: set[Key]
) -> dict[str, float]:
    found = {k for k, w in tokens.items() if table.get(w.casefold(), (0.0, ""))[0] >= threshold}
    tp = len(found & heads)
    p = tp / len(found) if found else 0.0
    r = tp / len(heads) if heads else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--dev", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--min-count", type=int, default=1)
    args = parser.parse_args(argv)
    tokens, head_keys, heads = read(args.train)
    table = learn(tokens, heads, args.min_count)
    scores = {t: score(table, t, tokens, head_keys) for t in THRESHOLDS}
    threshold = max(THRESHOLDS, key=lambda t: scores[t]["f1"])
    info: dict[str, Any] = {
        "trained_on": args.train.resolve().parent.name + "/" + args.train.name,
        "min_count": args.min_count,
        "threshold_chosen_on": "mention F1 on the training corpus",
        "train": scores[threshold],
    }
    if args.dev is not None:
        dev_tokens, dev_heads, _ = read(args.dev)
        info["dev: " + args.dev.resolve().parent.name + "/" + args.dev.name] = score(
            table, threshold, dev_tokens, dev_heads
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # one form a line, so the file reads (and diffs) as a table
    rows = ",\n".join(
        f"  {json.dumps(f, ensure_ascii=False)}: [{share}, {json.dumps(lemma, ensure_ascii=False)}]"
        for f, (share, lemma) in sorted(table.items())
    )
    head = json.dumps({"threshold": threshold, "info": info}, ensure_ascii=False, indent=1)[:-2]
    args.out.write_text(f'{head},\n "forms": {{\n{rows}\n }}\n}}\n', encoding="utf-8")
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
