"""Caption/credit gold: its loader, its integrity against the shared eval data, and score()."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from storyline.clean.leftovers import LineKind
from storyline.evaluate.captions import (
    GOLD_PATH,
    GoldLine,
    detokenize,
    line_sha1,
    load_gold,
    main,
    read_gold,
    score,
    split_lines,
)

from .conftest import EVAL

GOLD_SOURCES = ("cdcr-gvc", "cdcr-gvc-more", "semeval2022-task8", "tempeval3")


def test_the_gold_stores_references_and_labels_only() -> None:
    for raw in GOLD_PATH.read_text(encoding="utf-8").splitlines():
        record = json.loads(raw)
        assert set(record) == {"source", "line", "sha1", "label", "split"}
        assert len(record["sha1"]) == 12
    gold = read_gold()
    documents: dict[str, set[str]] = {}
    for record in gold:
        documents.setdefault(record.source, set()).add(record.split)
    assert all(not {"train", "dev"} <= splits for splits in documents.values()), "a document is train or dev"
    # The check lines are more lines of train documents, labelled after the model was fitted.
    assert all("dev" not in splits for splits in documents.values() if "check" in splits)
    assert {record.split for record in gold} == {"train", "dev", "check"}


def test_lines_are_split_and_normalised_one_way() -> None:
    assert split_lines("  Photo:\tAP \r\n\r\nBody  text.\rLast\n") == ["Photo: AP", "Body text.", "Last"]
    tokens = '" Pow , pow , " said Lay , 69 . ( AP Photo ) It \'s $ 5 .'
    assert detokenize(tokens.split()) == '"Pow, pow," said Lay, 69. (AP Photo) It\'s $5.'


def test_score_counts_removals_against_the_gold() -> None:
    texts = {
        "doc-a": ["A headline", "Photo: Jane Doe / AP", "The mayor spoke on Monday.", "By John Smith"],
        "doc-b": ["Police tape. (Photo: File)", "Reporting by A; Editing by B", "Seen in the photo, he smiled."],
    }
    labels = {
        ("doc-a", 0): "body", ("doc-a", 1): "caption", ("doc-a", 2): "body", ("doc-a", 3): "credit",
        ("doc-b", 0): "caption", ("doc-b", 1): "credit", ("doc-b", 2): "body",
    }  # fmt: skip
    gold = [
        GoldLine(source, line, line_sha1(texts[source][line]), label, "train" if source == "doc-a" else "dev")
        for (source, line), label in labels.items()
    ]
    gold.append(GoldLine("doc-b", 0, "000000000000", "caption", "dev"))  # its text changed: skipped

    def one(line: str) -> LineKind:
        if "photo" in line.casefold():
            return LineKind.CAPTION
        return LineKind.CREDIT if line.startswith("By ") else LineKind.BODY

    def classify(lines: list[str]) -> list[LineKind]:
        return [one(line) for line in lines]

    scores = score(classify, gold=gold, texts=texts)
    # removed: "Photo: Jane Doe / AP", "By John Smith", "Police tape. (Photo: File)" (right) and
    # "Seen in the photo, he smiled." (wrong); kept: "Reporting by A; Editing by B" (a miss)
    assert (scores.lines, scores.skipped, scores.removed, scores.correct, scores.gold_removable) == (7, 1, 4, 3, 4)
    assert scores.precision == pytest.approx(0.75)
    assert scores.recall == pytest.approx(0.75)
    assert scores.f1 == pytest.approx(0.75)
    assert [text for _, text, _ in scores.wrongly_removed] == ["Seen in the photo, he smiled."]
    assert [text for _, text in scores.missed_credits] == ["Reporting by A; Editing by B"]
    assert scores.missed_captions == []
    assert scores.recall_of("caption") == 1.0 and scores.recall_of("credit") == pytest.approx(0.5)

    train = score(classify, split="train", gold=gold, texts=texts)
    assert (train.lines, train.precision, train.recall) == (4, 1.0, 1.0)
    dev = score(classify, split="dev", gold=gold, texts=texts)
    assert (dev.lines, dev.removed, dev.correct, dev.skipped) == (3, 2, 1, 1)


def test_the_entry_point_names_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere")]) == 1
    assert "no such folder" in capsys.readouterr().err


@pytest.mark.eval
@pytest.mark.skipif(not all((EVAL / name).is_dir() for name in GOLD_SOURCES), reason="shared eval data not present")
def test_every_gold_line_still_reads_from_the_shared_eval_data() -> None:
    loaded = load_gold(EVAL)
    assert loaded.skipped == 0
    counts = Counter((record.split, record.label) for record, _ in loaded.lines)
    removable = {split: counts[(split, "caption")] + counts[(split, "credit")] for split in ("train", "dev")}
    assert sum(removable.values()) >= 150
    assert counts[("train", "body")] + counts[("dev", "body")] >= 300
    assert min(removable.values()) >= 75
    assert counts[("check", "caption")] + counts[("check", "credit")] >= 25


@pytest.mark.eval
@pytest.mark.skipif(not all((EVAL / name).is_dir() for name in GOLD_SOURCES), reason="shared eval data not present")
def test_the_caption_model_never_learns_from_the_check_lines() -> None:
    """The training examples are the train split's lines, none of the check lines of the same
    documents."""
    from storyline.clean.train_caption_model import examples

    gold = read_gold()
    _, labels, _, _ = examples(EVAL, "train")
    assert len(labels) == sum(record.split == "train" for record in gold)
    assert any(record.split == "check" for record in gold)


def test_the_caption_model_reads_what_the_rules_keep() -> None:
    """The learned second reading takes a contact line the rules keep out of the body, as a
    credit, and leaves a story sentence; with ``model=None`` the rules alone decide."""
    from storyline.clean.caption_model import FEATURES, line_features, shipped_model
    from storyline.clean.leftovers import classify_lines

    model = shipped_model()
    assert model is not None and 0 < model.threshold <= 1 and len(model.weights) == len(FEATURES)
    story = (
        "The city council voted on Tuesday to close the old bridge for repairs, and officials said the work "
        "would take most of the summer before traffic could return."
    )
    contact = "Contact Jane Roe: jroe@example.com or 555-123-4567."
    lines = [story, contact, story, "The mayor said the bridge would reopen in September.", story]
    assert len(line_features(lines, 1, [False] * 5)) == len(FEATURES)
    assert classify_lines(lines, model=None) == [LineKind.BODY] * 5
    assert classify_lines(lines) == [LineKind.BODY, LineKind.CREDIT, LineKind.BODY, LineKind.BODY, LineKind.BODY]


@pytest.mark.eval
@pytest.mark.skipif(not (EVAL / "cdcr-gvc").is_dir(), reason="shared eval data not present")
def test_the_shipped_caption_model_is_what_its_training_script_writes(tmp_path: Path) -> None:
    from storyline.clean import train_caption_model
    from storyline.clean.caption_model import MODEL_PATH, CaptionModel

    out = tmp_path / "model.json"
    train_caption_model.main([str(EVAL), "--out", str(out)])
    shipped = Path(train_caption_model.__file__).resolve().parent / MODEL_PATH
    assert CaptionModel.load(out).as_json() == CaptionModel.load(shipped).as_json()
    dev = score(root=EVAL, split="dev")
    assert dev.precision >= 0.98 and dev.recall >= 0.64  # rules alone: 0.986 / 0.560
