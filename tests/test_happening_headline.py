"""An article goes with the happening it mainly reports, and a happening is named by what its
articles mainly report: not by a side remark with two named people in it. Texts written for
these tests."""

from __future__ import annotations

from pathlib import Path

import storyline
from storyline.annotate import Annotator
from storyline.cluster import headline_event
from storyline.evaluate import gold_document

SHOOTING = (
    "A man was shot and killed outside a store in Leeds on Sunday night, police said. The gunman fled on foot "
    "after the shooting. The victim, 34, died at the scene. Detectives appealed for witnesses to the shooting. "
    "On Monday, Mayor Ann Cole met Police Chief Tom Reed to discuss safety in the area."
)


def test_the_headline_event_is_the_one_told_in_the_lead_and_most_often() -> None:
    (result,) = Annotator().annotate_many([gold_document(SHOOTING, "t", None)])
    kinds = {e.type for e in result.annotations.events}
    assert {"ASSAULT", "CONSULT"} <= kinds  # the side remark is an event of its own
    head = headline_event(gold_document(SHOOTING, "t", None), result.annotations)
    assert head is not None and head.type == "ASSAULT"


def test_an_article_goes_with_what_it_mainly_reports(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Man shot dead outside Leeds store\n2016-05-02\n\n{SHOOTING}\n", encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as sl:
        sl.analyze(str(tmp_path / "a.txt"))
        placed = sl.store.document_clusters()
        happenings = {c.id: c for c in sl.clusters(limit=None)}
        ((happening, _),) = placed.values()
        assert happenings[happening].type == "ASSAULT", happenings[happening].label
        # the meeting stays a happening of its own, which the article does not mainly report
        assert any(c.type == "CONSULT" for c in happenings.values())
        # and every happening is held by an event of an article or by an article placed in it
        held = {cid for cid, _ in placed.values()}
        held |= {c for doc in placed for c in sl.store.event_clusters(doc).values()}
        assert set(happenings) <= held
