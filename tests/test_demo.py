"""The demo database: built from the shipped exports, it shows every feature on believable data."""

from __future__ import annotations

import re

import pytest

from review.demo import build_demo, demo_folder
from review.reviewing.coaching import category_effect
from review.store import connect

CHANNELS = {"email", "chat", "phone", "web", "social", "messaging"}
SOURCES = {"zendesk", "intercom", "helpscout", "freshdesk", "csv"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = build_demo(path)
    db = connect(path)
    yield db, summary
    db.close()


def one(db, sql: str, params=()) -> int:
    return db.execute(sql, params).fetchone()[0]


def test_every_export_imports_and_the_summary_says_so(demo):
    db, summary = demo
    assert not [line for line in summary if "not an export" in line or ": " in line[:3]]
    assert re.match(r"\d+ conversations, \d+ messages \(\d+ internal notes\)", summary[0])
    assert one(db, "select count(*) from imports where status != 'done'") == 0
    assert one(db, "select count(*) from import_problems") == 0
    assert {r[0] for r in db.execute("select distinct source from conversations")} == SOURCES


def test_conversations_languages_and_channels(demo):
    db, _ = demo
    assert 300 <= one(db, "select count(*) from conversations") <= 400
    assert {r[0] for r in db.execute("select distinct channel from conversations")} == CHANNELS
    bodies = [r[0] for r in db.execute("select body_text from messages where kind = 'message'")]
    simplified = sum(1 for b in bodies if re.search(r"[这们个说门来为对]", b))
    traditional = sum(1 for b in bodies if re.search(r"[這們個說門來為對]", b))
    cyrillic = sum(1 for b in bodies if re.search(r"[а-яА-ЯёЁ]", b))
    english = sum(1 for b in bodies if re.search(r"\b(the|thanks|please)\b", b, re.I))
    assert simplified > 100 and traditional > 20 and cyrillic > 150 and english > 400
    # every conversation has a customer, an agent, and a customer message before the first reply
    assert one(db, "select count(*) from conversations where agent_id is null") == 0
    assert one(db, "select count(*) from conversations where customer_id is null") == 0
    assert one(db, "select count(*) from messages where author_role = 'unknown'") == 0


def test_roles_notes_bots_and_ratings(demo):
    db, _ = demo
    roles = dict(
        db.execute(
            "select author_role, count(*) from messages where kind = 'message' group by 1"
        ).fetchall()
    )
    assert roles["customer"] > 500 and roles["agent"] > 400 and roles["bot"] >= 10
    assert one(db, "select count(*) from messages where is_internal = 1") >= 50
    kinds = dict(db.execute("select kind, count(*) from ratings group by 1").fetchall())
    assert kinds["csat"] >= 100 and kinds["nps"] >= 10
    scales = {r[0] for r in db.execute("select distinct scale from ratings")}
    assert {"good-bad", "1-5", "freshdesk-103", "0-10"} <= scales
    positive = one(db, "select avg(positive) from ratings where kind = 'csat'")
    assert 0.6 < positive < 0.95  # believable: mostly happy, not all
    assert one(db, "select count(distinct team_id) from agents") >= 3
    assert 8 <= one(db, "select count(*) from agents") <= 12


def test_reviews_by_two_reviewers_with_overlap_and_agents_that_differ(demo):
    db, _ = demo
    reviewers = dict(db.execute("select reviewer, count(*) from reviews group by 1").fetchall())
    assert len(reviewers) == 2 and min(reviewers.values()) >= 80
    both = one(
        db,
        "select count(*) from (select conversation_id from reviews group by 1 "
        "having count(distinct reviewer) = 2)",
    )
    assert 20 <= both <= 60
    means = dict(
        db.execute(
            "select a.name, avg(r.score) from reviews r join agents a on a.id = r.agent_id "
            "where r.score is not null group by a.id having count(*) >= 5"
        ).fetchall()
    )
    assert max(means.values()) - min(means.values()) > 15  # some agents clearly better
    assert means["Maya Patel"] > means["Tom Becker"]
    assert one(db, "select count(*) from review_ratings where is_na = 1") > 100
    assert one(db, "select count(*) from reviews where overall_comment is not null") == sum(
        reviewers.values()
    )


def test_saves_losses_billing_and_churn_signals(demo):
    db, _ = demo
    statuses = dict(db.execute("select status, count(*) from saves group by 1").fetchall())
    assert set(statuses) == {"pending", "confirmed", "failed"}
    assert statuses["confirmed"] > statuses["failed"]
    reasons = one(db, "select count(distinct reason_id) from losses")
    assert reasons >= 8
    assert one(db, "select count(*) from losses where customer_words is not null") >= 30
    assert one(db, "select count(distinct currency) from saves") >= 3
    assert one(db, "select count(*) from billing_records") > 1000
    assert one(db, "select count(distinct conversation_id) from churn_signals") >= 50
    languages = {r[0] for r in db.execute("select distinct language from churn_signals")}
    assert len(languages) >= 3


def test_coaching_notes_show_an_effect(demo):
    db, _ = demo
    assert one(db, "select count(*) from coaching_notes") >= 4
    assert one(db, "select count(*) from coaching_note_reviews") >= 8
    items = db.execute("select id, done from action_items").fetchall()
    assert {done for _, done in items} == {0, 1}
    tom_item = one(
        db,
        "select i.id from action_items i join coaching_notes n on n.id = i.note_id "
        "join agents a on a.id = n.agent_id where a.name = 'Tom Becker' and i.text like '%follow-up%'",
    )
    effects = category_effect(db, tom_item)
    measured = [e for e in effects if e.before is not None and e.since is not None]
    assert measured and all(e.since >= e.before for e in measured)
    assert any(e.since > e.before for e in measured)


def test_queues_exist(demo):
    db, _ = demo
    sizes = dict(
        db.execute(
            "select q.name, count(i.conversation_id) from queues q "
            "left join queue_items i on i.queue_id = q.id group by q.id"
        ).fetchall()
    )
    assert len(sizes) == 2 and all(n > 0 for n in sizes.values())


def test_exports_stay_small():
    total = sum(p.stat().st_size for p in demo_folder().rglob("*") if p.is_file())
    assert total < 4_000_000
