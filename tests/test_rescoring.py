"""`savedesk rubric rescore`: old reviews re-scored under a newer rubric version, side by side,
their original scores untouched; the figures say when reviews span versions."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.figures.overview import overview
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.reviewing.rescoring import rescore
from review.reviewing.reviews import write_review
from review.reviewing.rubric_files import parse_rubric
from review.reviewing.rubrics import save_rubric

V1 = """
name = "team"
[[category]]
key = "tone"
name = "Tone"
scale = "1-5"
[[category]]
key = "accuracy"
name = "Accuracy"
scale = "pass_fail"
[[category]]
key = "speed"
name = "Speed"
scale = "1-3"
"""
# v2: tone weighs 3, speed is gone, follow-up is new
V2 = """
name = "team"
[[category]]
key = "tone"
name = "Tone"
scale = "1-5"
weight = 3
[[category]]
key = "accuracy"
name = "Accuracy"
scale = "pass_fail"
[[category]]
key = "follow_up"
name = "Follow-up"
scale = "pass_fail"
"""


@pytest.fixture
def reviewed(db):
    store_records(
        db,
        [
            Conversation("t", str(n), created_at=f"2024-05-0{n}T09:00:00Z",
                         agent=Person("t", "a", "agent", name="Ana"))
            for n in (1, 2)
        ],
    )  # fmt: skip
    v1 = save_rubric(db, parse_rubric(V1))
    ids = [r[0] for r in db.execute("select id from conversations order by id")]
    # (5-1)/4 = 1, pass = 1, (1-1)/2 = 0: v1 = 100 * 2/3; v2 = 100 * (3*1 + 1) / 4 = 100
    write_review(db, ids[0], "lead", {"tone": 5, "accuracy": 1, "speed": 1}, rubric_id=v1.id)
    # tone (3-1)/4 = 0.5, fail 0: v1 = 100 * 0.5 / 2 = 25; v2 = 100 * 1.5 / 4 = 37.5
    write_review(db, ids[1], "lead", {"tone": 3, "accuracy": 0}, rubric_id=v1.id)
    v2 = save_rubric(db, parse_rubric(V2))
    assert v2.version == 2
    return v1, v2


def test_old_reviews_are_rescored_under_the_new_version_and_keep_their_scores(db, reviewed):
    v1, v2 = reviewed
    before = db.execute("select id, score from reviews order by id").fetchall()
    result = rescore(db, v2.id)
    assert result.target == "team v2"
    assert [(r.rubric, r.original, r.rescored, r.carried, r.dropped) for r in result.rows] == [
        ("team v1", pytest.approx(200 / 3), 100.0, 2, 1),
        ("team v1", 25.0, 37.5, 2, 0),
    ]
    assert result.rows[1].change == 12.5
    assert result.original.value == pytest.approx((200 / 3 + 25) / 2) and result.original.n == 2
    assert result.rescored.value == pytest.approx(68.75) and result.rescored.few
    assert db.execute("select id, score from reviews order by id").fetchall() == before
    assert rescore(db, v1.id).rows == ()  # no review was made under v2 to rescore back


def test_figures_say_when_reviews_span_versions(db, reviewed):
    v1, v2 = reviewed
    assert overview(db).quality.note == ""
    cid = db.execute("select max(id) from conversations").fetchone()[0]
    write_review(db, cid, "coach", {"tone": 1, "accuracy": 1}, rubric_id=v2.id)
    figure = overview(db).quality
    assert figure.note == "reviews span 2 rubric versions (team v1: n=2, team v2: n=1)"


def test_rescore_from_the_command_line(db_path, db, reviewed):
    v1, v2 = reviewed
    runner = CliRunner()
    out = runner.invoke(cli, ["rubric", "rescore", str(v2.id), "--json", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [r["rescored"] for r in data["reviews"]] == [100.0, 37.5]
    assert data["rescored"]["n"] == 2 and "low" in data["rescored"]
    text = runner.invoke(cli, ["rubric", "rescore", "--db", str(db_path)]).output
    assert "original scores unchanged" in text and "under team v2: 68.8" in text
