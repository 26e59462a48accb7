"""storyline eval ner: CoNLL reading, span decoding and entity-level scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.evaluate.ner import gold_spans, read_conll

CONLL = """-DOCSTART- -X- O O

Prime NNP O O
Minister NNP O O
Narendra NNP B-NP B-PER
Modi NNP I-NP I-PER
met VBD B-VP O
President NNP B-NP O
Vladimir NNP I-NP B-PER
Putin NNP I-NP I-PER
in IN B-PP O
Sochi NNP B-NP B-LOC
. . O O

-DOCSTART- -X- O O

The DT B-NP O
United NNP I-NP B-ORG
Nations NNP I-NP I-ORG
met VBD B-VP O
in IN B-PP O
Geneva NNP B-NP B-LOC
. . O O
"""


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], {(0, 2, "PER"), (3, 4, "LOC")}),
        (["I-PER", "I-PER", "O", "I-LOC", "B-LOC"], {(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC")}),  # IOB1
        (["S-ORG", "B-PER", "E-PER", "O"], {(0, 1, "ORG"), (1, 3, "PER")}),  # BIOES
        (["B-PERSON", "I-PERSON"], {(0, 2, "PER")}),
        (["O", "O"], set()),
    ],
)
def test_gold_spans(tags: list[str], spans: set[tuple[int, int, str]]) -> None:
    assert gold_spans(tags) == spans


def test_eval_ner_scores_storyline_on_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    docs = read_conll(path)
    assert [len(d.tokens) for d in docs] == [11, 7]
    result = CliRunner().invoke(app, ["eval", "ner", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["ALL"]["gold"] == 5
    assert scores["PER"]["recall"] == 1.0  # Narendra Modi, Vladimir Putin
    assert 0.0 < scores["ALL"]["f1"] <= 1.0
    missing = CliRunner().invoke(app, ["eval", "ner", str(tmp_path / "none.conll")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr
