"""Calibration sessions (DOMAIN.md "A team on one store") on the suite's store: created by a
manager over conversations and reviewers, scored blind in reviews of their own (apart from the
reviewers' ordinary reviews and from every quality figure), revealed when all have finished or
the session closes, with agreement per category where a rating against an N/A disagrees, and a
reference rating with a note. Who may do what on a team store: test_server_roles_calibration.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from review.errors import InvalidInput
from review.figures.session_agreement import closed_sessions, session_agreement
from review.operations import Actor, Call, run
from review.reviewing import calibration_sessions as cs
from review.reviewing.calibration import NA, krippendorff_alpha_na, percent_agreement_na
from review.reviewing.reviews import rate, review_of, reviews_for_conversation
from review.store import connect
from review.store.undo import undo
from tests.teamdata import NOW, build_team


def test_alpha_counts_a_rating_against_na_as_a_disagreement_pass_fail():
    # pass/fail, two reviewers: (pass, pass), (pass, N/A), (fail, fail). Coincidences
    # o(1,1)=2, o(1,NA)=o(NA,1)=1, o(0,0)=2; n0=2, n1=3, nNA=1, n=6. The ordinal distance of
    # the scale's ends: (n0+n1 - (n0+n1)/2)^2 = 2.5^2 = 6.25, which N/A takes against either.
    # D_o = 2 * 6.25 = 12.5; D_e = 2 * (2*3 + 2*1 + 3*1) * 6.25 = 137.5;
    # alpha = 1 - 5 * 12.5 / 137.5 = 6/11 (on two values and N/A it is the nominal alpha).
    units = [[1, 1], [1, NA], [0, 0]]
    assert krippendorff_alpha_na(units, 0, 1) == pytest.approx(6 / 11)
    assert percent_agreement_na(units) == (pytest.approx(200 / 3), 3)


def test_alpha_with_na_on_an_ordinal_scale_by_hand():
    # 1-3: (1, 2), (3, N/A), (2, 2). n1=1, n2=3, n3=1, nNA=1, n=6. Ordinal distances:
    # d(1,2) = (4 - 2)^2 = 4, d(2,3) = (4 - 2)^2 = 4, d(1,3) = (5 - 1)^2 = 16 = d(NA, any).
    # D_o = 2*4 + 2*16 = 40. D_e = 2 * (1*3*4 + 1*1*16 + 3*1*4 + 1*1*16 + 3*1*16 + 1*1*16)
    # = 240. alpha = 1 - 5 * 40 / 240 = 1/6.
    units = [[1, 2], [3, NA], [2, 2]]
    assert krippendorff_alpha_na(units, 1, 3) == pytest.approx(1 / 6)
    assert percent_agreement_na(units) == (pytest.approx(100 / 3), 3)
    # N/A against N/A agrees; not rated is missing, not a disagreement
    assert percent_agreement_na([[NA, NA], [2, None]]) == (100.0, 1)
    assert krippendorff_alpha_na([[2, None], [3]], 1, 3) is None


@pytest.fixture
def team_db(db_path):
    db = connect(db_path)
    ids = build_team(db, "x")
    yield db, ids
    db.close()


def _session_review(db, ids, session_id: int, conversation: str, reviewer: str) -> int:
    return db.insert(
        "reviews",
        {"conversation_id": ids[conversation], "rubric_id": ids["rubric"], "reviewer": reviewer,
         "created_at": NOW, "updated_at": NOW, "calibration_session_id": session_id},
    )  # fmt: skip


def test_a_session_from_creation_to_its_reference(team_db):
    db, ids = team_db
    db.execute("update rubric_categories set allow_na = 1 where id = :c", {"c": ids["accuracy"]})
    with pytest.raises(InvalidInput, match="at least two reviewers"):
        cs.create_session(db, "Week 2", [ids["c1"]], ["lena"])
    with pytest.raises(InvalidInput, match="needs a name"):
        cs.create_session(db, " ", [ids["c1"]], ["lena", "mo"])
    made = cs.create_session(db, "Week 2", [ids["c3"], ids["c1"]], ["mo", "lena"], by="boss")
    assert (made.status, made.conversations, [r.reviewer for r in made.reviewers]) == (
        "open", (ids["c3"], ids["c1"]), ["lena", "mo"]
    )  # fmt: skip
    assert made.rubric_id == ids["rubric"] and not made.revealed
    with pytest.raises(InvalidInput, match="not a reviewer"):
        cs.scoring_rubric(db, made.id, ids["c1"], "zoe")
    with pytest.raises(InvalidInput, match="not part of"):
        cs.scoring_rubric(db, made.id, ids["c2"], "lena")
    assert cs.unrated(db, made.id, "lena") == 4  # 2 conversations x 2 categories

    # lena already has an ordinary review of c1 (x_lead_a's a_c1 is another's): hers in the
    # session is a second review of c1, apart from it
    ordinary = db.insert(
        "reviews",
        {"conversation_id": ids["c1"], "rubric_id": ids["rubric"], "reviewer": "lena",
         "created_at": NOW, "updated_at": NOW},
    )  # fmt: skip
    rate(db, ordinary, ids["tone"], 1)
    lena = {c: _session_review(db, ids, made.id, c, "lena") for c in ("c1", "c3")}
    mo = {c: _session_review(db, ids, made.id, c, "mo") for c in ("c1", "c3")}
    for review, tone, accuracy in ((lena["c1"], 1, 1), (lena["c3"], 0, 1),
                                   (mo["c1"], 1, None), (mo["c3"], 0, 0)):  # fmt: skip
        rate(db, review, ids["tone"], tone)
        rate(db, review, ids["accuracy"], accuracy, na=accuracy is None)
    assert review_of(db, ids["c1"], "lena").id == ordinary
    assert review_of(db, ids["c1"], "lena", made.id).id == lena["c1"]
    assert lena["c1"] not in {r.id for r in reviews_for_conversation(db, ids["c1"])}
    assert cs.unrated(db, made.id, "lena") == 0

    with pytest.raises(InvalidInput, match="stay hidden"):
        session_agreement(db, made.id)
    with pytest.raises(InvalidInput, match="stay hidden"):
        cs.record_reference(db, made.id, ids["c1"], ids["tone"], 1)
    cs.finish_scoring(db, made.id, "lena")
    with pytest.raises(InvalidInput, match="locked"):
        cs.scoring_rubric(db, made.id, ids["c1"], "lena")
    with pytest.raises(InvalidInput, match="already finished"):
        cs.finish_scoring(db, made.id, "lena")
    with pytest.raises(InvalidInput, match="stay hidden"):
        session_agreement(db, made.id)
    assert cs.finish_scoring(db, made.id, "mo").revealed  # the last one: revealed, still open

    found = session_agreement(db, made.id)
    assert found.reviewers == ("lena", "mo")
    assert [c for c, _ in found.conversations] == [ids["c3"], ids["c1"]]
    tone, accuracy = found.categories
    assert [[cell.rating for cell in row] for row in tone.answers] == [[0, 0], [1, 1]]
    assert (tone.agreement.value, tone.agreement.n) == (100.0, 2)
    assert tone.alpha == pytest.approx(1.0)
    # accuracy: c3 (1, 0), c1 (1, N/A): no pair agrees
    assert accuracy.answers[1][1].na and accuracy.agreement.value == 0.0
    assert accuracy.alpha == pytest.approx(krippendorff_alpha_na([[1, 0], [1, NA]], 0, 1))
    assert accuracy.alpha < 0

    cs.record_reference(db, made.id, ids["c1"], ids["accuracy"], 1, note="The link answered it.",
                        by="boss", session="s")  # fmt: skip
    reference = cs.references(db, made.id)[ids["c1"], ids["accuracy"]]
    assert (reference.rating, reference.is_na, reference.note) == (
        1,
        False,
        "The link answered it.",
    )
    assert reference.recorded_by == (db.signed_in_as() or "boss")
    undo(db, "s")
    assert cs.references(db, made.id) == {}
    assert closed_sessions(db) == []
    closed = cs.close_session(db, made.id, by="boss", expected_version=made.version)
    assert closed.status == "closed" and closed.closed_at
    assert closed_sessions(db) == [made.id]
    with pytest.raises(InvalidInput, match="already closed"):
        cs.close_session(db, made.id)


def test_undoing_a_session_someone_rated_in_says_why_and_changes_nothing(team_db):
    db, ids = team_db
    made = cs.create_session(db, "Rated", [ids["c1"]], ["lena", "mo"], by="boss", session="s")
    review_id = _session_review(db, ids, made.id, "c1", "lena")
    rate(db, review_id, ids["tone"], 1)  # lena's rating, in her own undo history
    with pytest.raises(InvalidInput) as refused:
        undo(db, "s")
    assert str(refused.value) == (
        "Cannot undo New calibration session “Rated”: records made since then depend on it, so "
        "nothing was changed."
    )
    assert cs.get_session(db, made.id).status == "open"
    assert review_of(db, ids["c1"], "lena", made.id).ratings[ids["tone"]].rating == 1
    # the refused undo left no transaction behind: the next write goes through
    closed = cs.close_session(db, made.id, by="boss")
    assert closed.status == "closed"


def test_closing_reveals_and_stops_scoring(team_db):
    db, ids = team_db
    made = cs.create_session(db, "Short", [ids["c1"]], ["lena", "mo"])
    cs.close_session(db, made.id)
    assert session_agreement(db, made.id).categories[0].agreement.n == 0  # nobody rated
    with pytest.raises(InvalidInput, match="is closed"):
        cs.scoring_rubric(db, made.id, ids["c1"], "lena")
    with pytest.raises(InvalidInput, match="is closed"):
        cs.finish_scoring(db, made.id, "lena")


def test_operations_rate_in_the_session_apart_and_finish(team_db):
    db, ids = team_db
    me = db.signed_in_as() or "lena"
    actor = Actor("window", me)
    outcome = run(db, actor, Call("create-calibration-session", {
        "name": "Ops", "conversation_ids": [ids["c1"]], "reviewers": [me, "mo"]}))  # fmt: skip
    session_id = outcome.value
    assert "calibration_sessions" in outcome.changes.tables
    call = {"conversation_id": ids["c1"], "category_id": ids["tone"], "rating": 0,
            "calibration_session_id": session_id}  # fmt: skip
    run(db, actor, Call("rate", call))
    mine = review_of(db, ids["c1"], me, session_id)
    assert mine is not None and mine.ratings[ids["tone"]].rating == 0
    assert review_of(db, ids["c1"], me) is None or review_of(db, ids["c1"], me).id != mine.id
    # the quality figures and the list's score leave session reviews out
    count = db.execute(
        "select count(*) from reviews r where r.conversation_id = :c and "
        "r.calibration_session_id is null", {"c": ids["c1"]},
    ).scalar()  # fmt: skip
    assert count == 2  # a_c1 and b_c1 only
    run(db, actor, Call("finish-calibration-scoring", {"session_id": session_id}))
    with pytest.raises(InvalidInput, match="locked"):
        run(db, actor, Call("rate", {**call, "rating": 1}))
    assert review_of(db, ids["c1"], me, session_id).ratings[ids["tone"]].rating == 0


def test_the_quality_pdf_has_a_section_per_closed_session(team_db, db_path, tmp_path):
    from pypdf import PdfReader

    from reports.build import build_report_now
    from review.filters import Filters

    db, ids = team_db
    db.execute("update rubric_categories set allow_na = 1 where id = :c", {"c": ids["accuracy"]})
    made = cs.create_session(db, "Неделя 12 校准", [ids["c1"], ids["c3"]], ["lena", "mo"])
    still_open = cs.create_session(db, "Still open", [ids["c1"]], ["lena", "mo"])
    for conversation, lena, mo in (("c1", (1, 1), (1, None)), ("c3", (0, 1), (0, 0))):
        for who, (tone, accuracy) in (("lena", lena), ("mo", mo)):
            review = _session_review(db, ids, made.id, conversation, who)
            rate(db, review, ids["tone"], tone)
            rate(db, review, ids["accuracy"], accuracy, na=accuracy is None)
    cs.close_session(db, made.id)
    cs.record_reference(db, made.id, ids["c1"], ids["accuracy"], None, na=True,
                        note="Нет вопроса о точности: N/A.")  # fmt: skip
    path = tmp_path / "quality.pdf"
    build_report_now("quality", db_path, Filters(), "a4", False, path)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())
    if os.environ.get("SAVEDESK_SHOTS"):  # keep the PDF to look at (pdftoppm)
        shutil.copy(path, Path(os.environ["SAVEDESK_SHOTS"]) / "quality-calibration.pdf")
    for expected in ("Calibration session: Неделя 12 校准", "scored blind by lena, mo",
                     "a rating against N/A disagrees", "Нет вопроса о точности: N/A.",
                     "pass / N/A", "100.0%", "0.0%",
                     "whatever the report's period, team and agent filters"):  # fmt: skip
        assert expected in text, expected
    assert "Still open" not in text and still_open.status == "open"
