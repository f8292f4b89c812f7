"""Several reviewers claiming from one queue at once never get the same conversation.

On the suite's store (a SQLite file, or a server database in the PostgreSQL pass) with threads
each on its own connection; then on the session's server with the leads' own logins, where the
claim is `for update skip locked` and row-level security keeps a lead to their queues.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from review.errors import NotAllowed, NotFound
from review.operations import Actor, Call, run
from review.reviewing.queues import claim_next
from review.store import connect
from review.store.roles import add_person
from tests.conftest import ON_SERVER
from tests.teamdata import NOW, Team, team_store

# on a server the claimer is the signed-in login, not a name: there the leads' test below
# claims with a login each (the suite's server database has just one, its superuser)
on_the_file = pytest.mark.skipif(ON_SERVER, reason="a server claims as the login: see below")
ITEMS = 40
CLAIMERS = 6


def _queue(db, conversation_ids, reviewer=None) -> int:
    queue_id = db.insert("queues", {"name": "Shared", "reviewer": reviewer, "created_at": NOW})
    db.insert_rows(
        "queue_items",
        [
            {"queue_id": queue_id, "position": p, "conversation_id": c}
            for p, c in enumerate(conversation_ids)
        ],
    )
    return queue_id


def _conversations(db, n: int) -> list[int]:
    return [
        db.insert("conversations", {"source": "q", "external_id": f"q{i}", "created_at": NOW})
        for i in range(n)
    ]


def _claim_all(targets: list, queue_id: int, names: list[str]) -> dict[str, list[int]]:
    """Each claimer on its own connection claims (and at once reviews nothing) until the queue
    is empty, all starting together; what each got."""
    got: dict[str, list[int]] = {name: [] for name in names}
    failures: list[BaseException] = []
    start = threading.Barrier(len(names))

    def claimer(target, name: str) -> None:
        db = connect(target)
        try:
            start.wait()
            while True:
                claim = claim_next(db, queue_id, name)
                if claim is None:
                    return
                got[name].append(claim.conversation_id)
                _done(db, queue_id, claim.position)  # reviewed: the next claim is a new one
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)
        finally:
            db.close()

    threads = [
        threading.Thread(target=claimer, args=(t, n)) for t, n in zip(targets, names, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    return got


def _done(db, queue_id: int, position: int) -> None:
    """The claimer reviewed the item (a rated review, written as rows)."""
    row = db.execute(
        "select conversation_id, claimed_by from queue_items where queue_id = :q and position = :p",
        {"q": queue_id, "p": position},
    ).fetchone()
    review_id = db.insert(
        "reviews",
        {"conversation_id": row[0], "rubric_id": 1, "reviewer": row[1], "created_at": NOW,
         "updated_at": NOW},
    )  # fmt: skip
    db.insert(
        "review_ratings",
        {"review_id": review_id, "category_id": 1, "rating": 1, "is_na": 0},
        returning="review_id",
    )


def _rubric(db) -> None:
    rubric = db.insert("rubrics", {"name": "R", "version": 1, "created_at": NOW, "is_current": 1})
    db.insert(
        "rubric_categories",
        {"rubric_id": rubric, "position": 1, "key": "k", "name": "K", "scale": "pass_fail",
         "scale_min": 0, "scale_max": 1},
    )  # fmt: skip


@on_the_file
def test_concurrent_claims_never_give_one_conversation_twice(db_path):
    db = connect(db_path)
    _rubric(db)
    conversations = _conversations(db, ITEMS)
    queue_id = _queue(db, conversations)
    db.close()
    names = [f"reviewer {n}" for n in range(CLAIMERS)]
    got = _claim_all([db_path] * CLAIMERS, queue_id, names)
    claimed = Counter(c for items in got.values() for c in items)
    assert sorted(claimed) == sorted(conversations)  # every item claimed ...
    assert set(claimed.values()) == {1}  # ... exactly once


@on_the_file
def test_a_claim_not_yet_reviewed_comes_back_to_its_holder(db_path):
    db = connect(db_path)
    _rubric(db)
    conversations = _conversations(db, 3)
    queue_id = _queue(db, conversations)
    first = claim_next(db, queue_id, "Lena")
    assert first is not None and first.conversation_id == conversations[0]
    assert claim_next(db, queue_id, "Lena").conversation_id == conversations[0]
    assert claim_next(db, queue_id, "Omar").conversation_id == conversations[1]
    outcome = run(db, Actor("w", "Kai"), Call("claim-next", {"queue_id": queue_id}))
    assert outcome.value == conversations[2]
    assert claim_next(db, queue_id, "Mia") is None
    db.close()


# --- on a server, as the leads themselves ---------------------------------------------------------


@pytest.fixture(scope="module")
def team(pg_server, pg_databases) -> Team:
    return team_store(pg_server, pg_databases)


def test_leads_claim_with_skip_locked_under_row_level_security(team):
    root = connect(team.url())
    conversations = _conversations(root, ITEMS)
    shared = _queue(root, conversations)  # an open queue: every lead may claim from it
    mine = _queue(root, conversations[:2], reviewer=team.logins["lead_a"])
    root.close()
    # one claimer per person: a claim not yet reviewed comes back to its holder by design
    leads = ["lead_a", "lead_b"]
    for n in range(CLAIMERS - 2):
        team.logins[f"lead_{n}"] = f"p{team.database}_lead_{n}"
        add_person(team.url(), team.logins[f"lead_{n}"], "lead", teams=("A", "B"))
        leads.append(f"lead_{n}")
    got = _claim_all([team.url(n) for n in leads], shared, [team.logins[n] for n in leads])
    claimed = Counter(c for items in got.values() for c in items)
    assert sorted(claimed) == sorted(conversations) and set(claimed.values()) == {1}
    # a queue assigned to lead A is not there for lead B, nor is A's claim to take
    b = connect(team.url("lead_b"))
    with pytest.raises(NotFound):
        claim_next(b, mine, "ignored")
    for queue_id in (mine, shared):
        assert (
            b.execute(
                "update queue_items set claimed_by = :me where queue_id = :q and claimed_by <> :me",
                {"me": team.logins["lead_b"], "q": queue_id},
            ).rowcount
            == 0
        )
    with pytest.raises(NotAllowed):  # nor to claim in another's name
        b.execute(
            "update queue_items set claimed_by = :other where queue_id = :q",
            {"other": team.logins["lead_a"], "q": shared},
        )
    b.close()
