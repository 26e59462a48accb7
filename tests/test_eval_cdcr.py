"""storyline eval cdcr: coreference scores (MUC, B-cubed, CEAF-e), reading the CoNLL corpora,
aligning storyline's event mentions with gold tokens, and the command on the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.evaluate.cdcr import GoldMention, SystemMention, read_conll, score_mentions
from storyline.evaluate.coref import b_cubed, ceaf_e, chains, conll, muc

from .conftest import EVAL

KEY = chains([{"a", "b", "c"}, {"d", "e", "f", "g"}])
RESPONSE = chains([{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}])


def test_muc_counts_links() -> None:
    # key chains need 2 + 3 links; the response cuts them into 2 and 3 pieces (e alone): 1 + 1 kept
    s = muc(KEY, RESPONSE)
    assert s.recall == pytest.approx(2 / 5)
    # response chains have 1 + 1 + 3 links; the key cuts {c,d} in 2, {f,g,h,i} in 3 (h, i missing)
    assert s.precision == pytest.approx(2 / 5)


def test_b_cubed_handles_mentions_one_side_lacks() -> None:
    s = b_cubed(KEY, RESPONSE)
    # a, b: 2/3; c: 1/3; d: 1/4; e: missing, 0; f, g: 2/4 -> over 7 key mentions
    assert s.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 / 4 + 0 + 1 / 2 + 1 / 2) / 7)
    # a, b: 1; c, d: 1/2; f, g: 2/4; h, i: not in the key, 0 -> over 8 response mentions
    assert s.precision == pytest.approx(4 / 8)


def test_ceaf_e_takes_the_best_one_to_one_alignment() -> None:
    # {a,b,c}~{a,b}: 4/5; {d,e,f,g}~{f,g,h,i}: 4/8; together 1.3, better than any other pairing
    s = ceaf_e(KEY, RESPONSE)
    assert s.recall == pytest.approx(1.3 / 2)
    assert s.precision == pytest.approx(1.3 / 3)


def test_identical_partitions_score_one_and_conll_is_the_mean() -> None:
    scores = conll(KEY, KEY)
    assert scores["conll_f1"] == 1.0
    mixed = conll(KEY, RESPONSE)
    mean = (mixed["muc"]["f1"] + mixed["bcubed"]["f1"] + mixed["ceafe"]["f1"]) / 3  # type: ignore[index]
    assert mixed["conll_f1"] == pytest.approx(mean, abs=1e-4)


def test_a_mention_in_two_chains_is_refused() -> None:
    with pytest.raises(ValueError, match="more than one chain"):
        chains([{"a", "b"}, {"b", "c"}])


CONLL = """#begin document (0/111/doc-a); part 0
0/111/doc-a	0	0	2016-11-09	-

0/111/doc-a	1	0	Teen	-
0/111/doc-a	1	1	shot	(1)

0/111/doc-a	2	0	A	-
0/111/doc-a	2	1	teen	-
0/111/doc-a	2	2	was	-
0/111/doc-a	2	3	shot	(1)
0/111/doc-a	2	4	in	-
0/111/doc-a	2	5	Claymont	-
0/111/doc-a	2	6	,	-
0/111/doc-a	2	7	police	-
0/111/doc-a	2	8	said	-
0/111/doc-a	2	9	.	-
0/111/doc-a	2	10	//n	-
0/111/doc-a	2	11	He	-
0/111/doc-a	2	12	died	(2)
0/111/doc-a	2	13	(	-
0/111/doc-a	2	14	later	-
0/111/doc-a	2	15	)	-
0/111/doc-a	2	16	.	-
#end document
#begin document (0/111/doc-b); part 0
0/111/doc-b	0	0	2016-11-10	-

0/111/doc-b	1	0	Claymont	-
0/111/doc-b	1	1	death	(2)

0/111/doc-b	2	0	The	-
0/111/doc-b	2	1	shooting	(1)
0/111/doc-b	2	2	killed	(2)
0/111/doc-b	2	3	a	-
0/111/doc-b	2	4	boy	-
0/111/doc-b	2	5	.	-
#end document
"""


def _gold() -> list[GoldMention]:
    rows = [
        ("a1", "0/111/doc-a", (1, 1), "shoot"), ("a2", "0/111/doc-a", (2, 3), "shoot"),
        ("a3", "0/111/doc-a", (2, 12), "die"), ("b1", "0/111/doc-b", (1, 1), "die"),
        ("b2", "0/111/doc-b", (2, 1), "shoot"), ("b3", "0/111/doc-b", (2, 2), "die"),
    ]  # fmt: skip
    return [GoldMention(*r) for r in rows]


def test_read_conll_rebuilds_prose_and_keeps_each_tokens_place(tmp_path: Path) -> None:
    path = tmp_path / "dataset.conll"
    path.write_text(CONLL, encoding="utf-8")
    a, b = read_conll(path)
    assert (a.key, a.incident, a.published, a.title) == ("0/111/doc-a", "111", "2016-11-09", "Teen shot")
    assert a.text == "A teen was shot in Claymont, police said.\nHe died (later)."
    words = {(2, 0): "A", (2, 3): "shot", (2, 5): "Claymont", (2, 6): ",", (2, 12): "died", (2, 15): ")"}
    assert {token: a.text[slice(*a.offsets[token])] for token in words} == words
    assert (1, 1) not in a.offsets  # the title is not in the text
    assert b.text == "The shooting killed a boy."


def test_score_mentions_aligns_through_what_cleaning_changed(tmp_path: Path) -> None:
    path = tmp_path / "dataset.conll"
    path.write_text(CONLL, encoding="utf-8")
    docs = read_conll(path)
    # the stored text gained a caption line and lost the line break: offsets move, tokens do not
    stored_a = "Buy Photo. " + docs[0].text.replace("\n", " ")
    stored_b = docs[1].text

    def at(text: str, word: str, chain: str) -> SystemMention:
        start = text.index(word)
        return SystemMention(start, start + len(word), chain)

    # the stored title lost its capital (as a cleaner might change it): still aligned
    title_a = docs[0].title.lower()
    headline = title_a.index("shot")
    system = {
        docs[0].key: (
            stored_a,
            [SystemMention(headline, headline + 4, "S", in_title=True), at(stored_a, "shot", "S"),
             at(stored_a, "died", "D"), at(stored_a, "said", "X")],
            title_a,
        ),
        docs[1].key: (stored_b, [at(stored_b, "shooting", "S"), at(stored_b, "killed", "D")], docs[1].title),
    }  # fmt: skip
    result = score_mentions(docs, _gold(), system)
    assert result["gold_mentions"] == 6 and result["gold_chains"] == 2 and result["system_mentions"] == 6
    # 5 of 6 system mentions hit a gold head ("said" is no gold event); 5 of 6 gold mentions found
    assert result["detection"] == {"precision": round(5 / 6, 4), "recall": round(5 / 6, 4)}
    matched = result["matched"]
    # what was found is chained right: precision 1 everywhere; doc b's title mention is missed
    assert matched["bcubed"]["precision"] == 1.0
    assert matched["muc"]["precision"] == 1.0
    assert matched["bcubed"]["recall"] == pytest.approx(round((3 + 4 / 3) / 6, 4))
    # the unmatched "said" is a wrong singleton in the predicted setting only
    assert result["predicted"]["ceafe"]["precision"] < matched["ceafe"]["precision"]


def test_eval_cdcr_runs_end_to_end_on_a_small_corpus(tmp_path: Path) -> None:
    (tmp_path / "dataset.conll").write_text(CONLL, encoding="utf-8")
    gold = [
        {"mention_id": g.id, "conll_doc_key": g.doc, "sent_id": g.head[0], "mention_head_id": g.head[1],
         "coref_chain": g.chain}
        for g in _gold()
    ]  # fmt: skip
    (tmp_path / "event_mentions.json").write_text(json.dumps(gold), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "cdcr", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["documents"] == 2 and scores["incidents"] == 1
    assert scores["mentions"]["gold_mentions"] == 6
    assert set(scores["mentions"]["predicted"]) == {"muc", "bcubed", "ceafe", "conll_f1"}


def test_eval_cdcr_names_a_broken_mentions_file(tmp_path: Path) -> None:
    (tmp_path / "dataset.conll").write_text(CONLL, encoding="utf-8")
    (tmp_path / "event_mentions.json").write_text('[{"mention_id": 1}]', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "cdcr", str(tmp_path)])
    assert result.exit_code != 0
    assert "event_mentions.json" in result.output and "mention 0" in result.output


@pytest.mark.skipif(not (EVAL / "cdcr-gvc" / "dataset.conll").is_file(), reason="shared eval data not present")
def test_gvc_stays_above_its_floor() -> None:
    """GVC was never used for fitting (the happening model saw GVC's train split, not these 74)."""
    from storyline.evaluate.cdcr import evaluate_cdcr

    scores = evaluate_cdcr(EVAL / "cdcr-gvc").as_dict()
    assert scores["bcubed_precision"] >= 0.97 and scores["bcubed_f1"] >= 0.93
    mentions = scores["mentions"]
    assert mentions["detection"]["recall"] >= 0.5
    assert mentions["matched"]["conll_f1"] >= 0.4


@pytest.mark.slow
@pytest.mark.skipif(
    not (EVAL / "cdcr-ecbplus-dev" / "dev" / "dataset.conll").is_file(), reason="shared eval data not present"
)
def test_ecbplus_dev_stays_above_its_floor() -> None:
    """ECB+'s dev topics: two similar events per topic, no dates; the model was fit on train only."""
    from storyline.evaluate.cdcr import evaluate_cdcr

    scores = evaluate_cdcr(EVAL / "cdcr-ecbplus-dev" / "dev").as_dict()
    assert scores["bcubed_precision"] >= 0.9 and scores["bcubed_f1"] >= 0.85
    assert scores["mentions"]["predicted"]["conll_f1"] >= 0.45


def test_only_validated_sentences_are_scored_where_a_corpus_marks_some(tmp_path: Path) -> None:
    from storyline.evaluate.cdcr import score_mentions, validated_sentences

    (tmp_path / "entity_mentions.json").write_text('[{"conll_doc_key": "0/111/doc-a", "sent_id": 2}]', encoding="utf-8")
    assert validated_sentences(tmp_path) == {("0/111/doc-a", 2)}
    (tmp_path / "entity_mentions.json").write_text('[{"sent_id": 2}]', encoding="utf-8")
    with pytest.raises(ValueError, match=r"entity_mentions\.json"):
        validated_sentences(tmp_path)
    assert validated_sentences(tmp_path / "nowhere") is None
    path = tmp_path / "dataset.conll"
    path.write_text(CONLL, encoding="utf-8")
    docs = read_conll(path)
    a = docs[0]
    # two system mentions in sentence 2: scored when it was annotated, passed over when it was not
    system = {
        a.key: (a.text, [SystemMention(*a.offsets[(2, 3)], "x"), SystemMention(*a.offsets[(2, 12)], "y")], a.title)
    }
    assert score_mentions(docs, [], system)["system_mentions"] == 2
    assert score_mentions(docs, [], system, {(a.key, 2)})["system_mentions"] == 2
    assert score_mentions(docs, [], system, {(a.key, 1)})["system_mentions"] == 0
