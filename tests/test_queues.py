"""Review queues: by filters, by sampling n per agent per week with a seed, and the position."""

from __future__ import annotations

from collections import Counter

import pytest

from review.errors import InvalidInput
from review.filters import Filters
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.reviewing.queues import (
    build_queue,
    get_queue,
    list_queues,
    queue_items,
    queue_progress,
    set_queue_position,
    week_of,
)
from review.reviewing.reviews import rate, start_review
from review.reviewing.rubrics import current_rubric
from review.store import connect

# two agents x two weeks x 5 conversations; week of Mon 2024-05-06 and of Mon 2024-05-13
DAYS = ["2024-05-06", "2024-05-08", "2024-05-12", "2024-05-13", "2024-05-19"]


def _store(db):
    records = []
    n = 0
    for agent in ("a1", "a2"):
        for week_start in (0, 3):
            for i in range(5):
                n += 1
                day = DAYS[week_start + (i % (3 if week_start == 0 else 2))]
                records.append(
                    Conversation(
                        "zendesk",
                        str(n),
                        created_at=f"{day}T{10 + i:02d}:00:00Z",
                        channel="chat" if i % 2 else "email",
                        agent=Person("zendesk", agent, "agent", name=agent),
                    )
                )
    records.append(Conversation("zendesk", "orphan", created_at="2024-05-07T10:00:00Z"))
    store_records(db, records)
    conv = dict(db.execute("select id, agent_id from conversations").fetchall())
    created = dict(db.execute("select id, created_at from conversations").fetchall())
    return conv, created


def test_week_of_starts_on_monday():
    assert week_of("2024-05-12T23:59:59Z") == "2024-05-06"
    assert week_of("2024-05-13T00:00:00Z") == "2024-05-13"


def test_filter_queue_lists_matching_conversations_oldest_first(db):
    agent_of, created = _store(db)
    queue = build_queue(db, "Chats", Filters(channels=("chat",)))
    items = queue_items(db, queue.id)
    assert queue.size == len(items) == 8  # i = 1, 3 in each of the four groups
    assert [created[c] for c in items] == sorted(created[c] for c in items)
    assert get_queue(db, queue.id).filters == Filters(channels=("chat",))


def test_sample_per_agent_per_week_is_reproducible_and_skips_reviewed(db):
    agent_of, created = _store(db)
    first = build_queue(db, "Week sample", sample_per_agent_per_week=2, seed=7)
    items = queue_items(db, first.id)
    groups = Counter((agent_of[c], week_of(created[c])) for c in items)
    assert len(items) == 8 and set(groups.values()) == {2} and len(groups) == 4
    assert None not in {agent_of[c] for c in items}  # no agent: never sampled
    again = build_queue(db, "Again", sample_per_agent_per_week=2, seed=7)
    assert queue_items(db, again.id) == items
    others = {tuple(queue_items(db, build_queue(db, "s", None, 2, seed).id)) for seed in range(5)}
    assert len(others) > 1  # the seed matters

    reviewed = items[0]
    review = start_review(db, reviewed, "Lead")
    category = current_rubric(db).categories[0]
    rate(db, review.id, category.id, category.scale_max)  # an opened, empty review is no review
    big = build_queue(db, "All unreviewed", sample_per_agent_per_week=5, seed=1)
    big_items = queue_items(db, big.id)
    assert reviewed not in big_items and len(big_items) == 19
    assert queue_progress(db, first.id) == (1, 8)


def test_sample_combines_with_filters_and_stores_its_seed(db):
    agent_of, _ = _store(db)
    a1 = agent_of[1]
    queue = build_queue(db, "Ana", Filters(agent_ids=(a1,)), sample_per_agent_per_week=3)
    assert queue.seed is not None and queue.sample_per_agent_per_week == 3
    items = queue_items(db, queue.id)
    assert len(items) == 6 and {agent_of[c] for c in items} == {a1}
    rebuilt = build_queue(db, "Ana again", Filters(agent_ids=(a1,)), 3, seed=queue.seed)
    assert queue_items(db, rebuilt.id) == items
    with pytest.raises(InvalidInput):
        build_queue(db, "none", sample_per_agent_per_week=0, seed=1)


def test_the_queue_remembers_the_reviewers_position(db, db_path):
    _store(db)
    queue = build_queue(db, "Chats", Filters(channels=("chat",)), reviewer="Lead")
    set_queue_position(db, queue.id, 5)
    set_queue_position(db, queue.id, 99)  # clamped to the last item
    db.close()
    again = connect(db_path)
    try:
        (stored,) = list_queues(again)
        assert (stored.position, stored.reviewer, stored.name) == (7, "Lead", "Chats")
    finally:
        again.close()


def test_a_review_left_empty_does_not_count_as_reviewed(db):
    from review.filters import conversation_where
    from review.importing.records import Message

    store_records(
        db,
        [
            Conversation(
                "zendesk",
                str(n),
                created_at="2024-05-06T10:00:00Z",
                agent=Person("zendesk", "a1", "agent", "Ann"),
                messages=[Message("m", "customer", "2024-05-06T10:00:00Z", "hi")],
            )
            for n in (1, 2)
        ],
    )
    first, second = (r[0] for r in db.execute("select id from conversations order by id"))
    category = current_rubric(db).categories[0]
    start_review(db, first, "Lena")  # opened, nothing rated
    review = start_review(db, second, "Lena")
    rate(db, review.id, category.id, category.scale_max)

    def reviewed(flag: bool) -> list[int]:
        where, params = conversation_where(Filters(reviewed=flag), "c")
        return [r[0] for r in db.execute(f"select c.id from conversations c where {where}", params)]

    assert reviewed(True) == [second]
    assert reviewed(False) == [first]
