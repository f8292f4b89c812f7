"""The list and reader queries (review.reviewing.browse) on real imported sample exports."""

from __future__ import annotations

import pytest

from review.filters import Filters
from review.importing.run import import_files
from review.progress import run_to_end
from review.reviewing import browse
from review.reviewing.browse import ListQuery

pytestmark = pytest.mark.samples


@pytest.fixture
def filled(db, db_path, samples):
    """Twitter threads (27 conversations) and the Airbyte Freshdesk export, imported for real."""
    run_to_end(
        import_files(
            db_path,
            [
                samples / "twitter" / "twcs-sample.csv",
                samples / "freshdesk" / "airbyte-freshdesk-expected_records.jsonl",
            ],
        )
    )
    return db


def test_ids_cover_every_conversation_newest_first(filled):
    ids = browse.conversation_ids(filled)
    total = filled.execute("select count(*) from conversations").fetchone()[0]
    assert len(ids) == total == browse.count_conversations(filled)
    assert total > 27
    rows = browse.rows_by_ids(filled, ids)
    created = [rows[i].created_at for i in ids if rows[i].created_at]
    assert created == sorted(created, reverse=True)


def test_sort_by_agent_ascending_and_descending(filled):
    up = browse.conversation_ids(filled, ListQuery(sort="agent", descending=False))
    down = browse.conversation_ids(filled, ListQuery(sort="agent", descending=True))
    assert up == list(reversed(down))
    rows = browse.rows_by_ids(filled, up)
    named = [rows[i].agent.lower() for i in up if rows[i].agent]
    assert named == sorted(named)


def test_channel_filter_keeps_the_27_twitter_threads(filled):
    ids = browse.conversation_ids(filled, ListQuery(filters=Filters(channels=("social",))))
    assert len(ids) == 27
    assert {r.channel for r in browse.rows_by_ids(filled, ids).values()} == {"social"}


def test_search_matches_review_search(filled):
    from review.store.search import search_conversation_ids

    for word in ("help", "account"):
        got = browse.conversation_ids(filled, ListQuery(search=word))
        assert got and sorted(got) == sorted(search_conversation_ids(filled, word))
    assert browse.conversation_ids(filled, ListQuery(search="zzzqqqxxx")) == []


def test_rows_by_ids_reads_one_page_and_skips_missing(filled):
    ids = browse.conversation_ids(filled)[:5]
    rows = browse.rows_by_ids(filled, [*ids, 999_999])
    assert sorted(rows) == sorted(ids)
    assert all(rows[i].message_count >= 0 for i in ids)


def test_thread_in_time_order_with_roles_notes_and_csat(filled):
    [freshdesk_id] = [
        r[0]
        for r in filled.execute(
            "select id from conversations where source = 'freshdesk' and external_id = '22'"
        )
    ]
    detail = browse.thread(filled, freshdesk_id)
    assert detail.subject == "Test 1"
    times = [m.created_at for m in detail.messages if m.created_at]
    assert times == sorted(times)
    assert any(m.is_internal for m in detail.messages)
    twitter = browse.conversation_ids(filled, ListQuery(filters=Filters(channels=("social",))))
    roles = {m.author_role for cid in twitter for m in browse.thread(filled, cid).messages}
    assert {"customer", "agent"} <= roles
    rated = [
        r[0] for r in filled.execute("select conversation_id from ratings where kind = 'csat'")
    ]
    assert rated
    answer = browse.thread(filled, rated[0]).ratings[0]
    assert (answer.kind, answer.scale, answer.raw_value) == ("csat", "freshdesk-103", "103")
    assert answer.shown == "Extremely happy"  # not "103": Freshdesk's scale, read out
    assert browse.rows_by_ids(filled, rated)[rated[0]].csat == "Extremely happy"
    assert browse.thread(filled, 999_999) is None


@pytest.mark.parametrize(
    ("scale", "raw", "full", "short"),
    [
        ("good-bad", "good", "good", "good"),
        ("1-5", "4", "4 of 5", "4/5"),
        ("0-10", "9", "9 of 10", "9/10"),
        ("freshdesk-103", "102", "Very happy", "Very happy"),
        ("freshdesk-103", "-101", "Unhappy", "Unhappy"),
        ("freshdesk-103", "57", "57", "57"),  # off the scale: shown as it came
        ("great-okay-bad", "okay", "okay", "okay"),
        (None, "7", "7", "7"),
        ("1-5", None, "", ""),
    ],
)
def test_satisfaction_answers_read_as_words_or_out_of_the_scale(scale, raw, full, short):
    assert browse.rating_text(scale, raw) == full
    assert browse.rating_text(scale, raw, short=True) == short


def test_people_and_teams_for_chips(filled):
    agents = browse.agents(filled)
    with_agent = filled.execute(
        "select count(*) from conversations where agent_id is not null"
    ).fetchone()[0]
    assert sum(a.conversations for a in agents) == with_agent
    assert "social" in browse.channels(filled)
    assert browse.statuses(filled)


def test_outcome_and_reviewed_views_start_empty(filled):
    assert browse.conversation_ids(filled, ListQuery(outcome="saved")) == []
    assert browse.conversation_ids(filled, ListQuery(outcome="lost")) == []
    unreviewed = browse.conversation_ids(filled, ListQuery(filters=Filters(reviewed=False)))
    assert len(unreviewed) == browse.count_conversations(filled)


def test_teams_of_the_same_name_in_two_helpdesks_are_one_entry(db):
    from review.importing.records import Conversation, Team
    from review.importing.writer import store_records

    store_records(
        db,
        [
            Conversation("zendesk", "1", team=Team("zendesk", "g1", "Customer Care")),
            Conversation("intercom", "9", team=Team("intercom", "t7", "Customer Care")),
            Conversation("intercom", "10", team=Team("intercom", "t8", "Billing")),
        ],
    )
    teams = {t.name: t for t in browse.teams(db)}
    assert sorted(teams) == ["Billing", "Customer Care"]
    care = teams["Customer Care"]
    assert care.conversations == 2 and len(care.all_ids) == 2
    ids = browse.conversation_ids(db, ListQuery(filters=Filters(team_ids=care.all_ids)))
    assert len(ids) == 2
