"""The auto quality score as a figure: the rules' scores of the people's conversations, with
their own n, and the bots' apart; never in people's quality score. `savedesk stats` prints the
same numbers the figure gives."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.figures.auto_quality import auto_quality
from review.figures.overview import overview
from review.figures.scope import read_scope
from review.reviewing.autoqa.run import score_conversations
from review.store import connect
from tests.chat_csv import import_chats

ROWS = [
    ("p-1", "2026-05-04 08:00:00Z", "Ann", "customer", "Hi, my export is empty.", "Ann"),
    ("p-1", "2026-05-04 08:20:00Z", "Olga", "agent",
     "Hello Ann, sorry about that! Open Settings > Export and click Export again. "
     "Have a great day!", "Ann"),
    ("p-2", "2026-05-05 08:00:00Z", "Bob", "customer", "Where is my invoice?", "Bob"),
    ("p-2", "2026-05-05 09:00:00Z", "Olga", "agent", "It is under Billing.", "Bob"),
    ("b-1", "2026-05-06 08:00:00Z", "Cai", "customer", "How do I reset my password?", "Cai"),
    ("b-1", "2026-05-06 08:00:05Z", "Helper Bot", "bot",
     "Hi Cai! Open Settings > Security and click Reset password. Anything else?", "Cai"),
]  # fmt: skip


@pytest.fixture
def scored(db_path, tmp_path):
    import_chats(db_path, tmp_path, ROWS, subject="Help", channel="chat", status="closed",
                 agent=lambda cid: "" if cid.startswith("b") else "Olga")  # fmt: skip
    db = connect(db_path)
    score_conversations(db)
    yield db
    db.close()


def _stored(db, kind: str) -> list[float]:
    return [
        r[0]
        for r in db.execute(
            "select score from autoqa_scores where author_kind = :k and score is not null",
            {"k": kind},
        ).fetchall()
    ]


def test_people_and_bots_are_scored_apart_each_with_its_own_n(scored):
    people, bots = _stored(scored, "person"), _stored(scored, "bot")
    assert len(people) == 2 and len(bots) == 1  # the bot-only conversation is the bots'
    figure = auto_quality(read_scope(scored, None))
    assert figure.people.n == 2 and figure.people.value == pytest.approx(sum(people) / 2)
    assert figure.bots.n == 1 and figure.bots.value == pytest.approx(bots[0])
    assert "not a person's" in figure.people.note and "rules autoqa-" in figure.people.note
    # never in people's quality score: nobody reviewed anything
    assert overview(scored).quality.n == 0


def test_stats_prints_the_figure_beside_the_quality_score(scored, db_path):
    figure = auto_quality(read_scope(scored, None))
    result = CliRunner().invoke(cli, ["stats", "--json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["auto_quality_score"]["value"] == pytest.approx(figure.people.value)
    assert out["auto_quality_score"]["n"] == 2
    assert out["auto_quality_score_bots"]["n"] == 1
    assert out["quality_score"]["n"] == 0
    wide = {"COLUMNS": "250"}  # rich wraps to the terminal
    text = CliRunner().invoke(cli, ["stats", "--db", str(db_path)], env=wide).output
    assert "Auto quality score (rules)" in text and f"{figure.people.value:.1f}" in text
    assert "bots' conversations" in text
