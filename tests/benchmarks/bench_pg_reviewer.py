"""One simulated reviewer of `make bench-pg`, run in a process of its own with its own login.

`savedesk_reviewer` works through the shared queue with savedesk's real operations, each timed
as the app runs it (review.operations.run in its own transaction, or the reader's query):
claim the next conversation (claim-next), open it (the reader's thread query), rate three
categories (rate, each with the version the reviewer last saw), tag it saved or lost
(tag-save / tag-loss) and write a coaching note on its agent (save-note).

`floor_reviewer` does the same user-visible work with bare psycopg statements on its own
connection as the same login (under the same row-level security and audit triggers): the
same claim statement, the conversation and its messages, the rows of a review and its ratings,
a save or loss row and a note row, with no version checks, undo history, operation ids or
validation. It claims from a queue of its own so both halves review fresh conversations.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

OPS = ("claim", "open", "rate", "tag", "note")
RATINGS_PER_CONVERSATION = 3


@dataclass
class Plan:
    """What every reviewer of one run gets: where, what to claim from, for how long."""

    url: str  # with the reviewer's login put in by `login_url`
    queue_id: int
    conversations: int  # each reviewer's share: it stops after this many
    think_ms: float  # mean pause between two actions (a person reading), exponential
    categories: list[tuple[int, int, int]]  # (category id, scale min, scale max)
    reason_id: int
    seed: int


@dataclass
class Result:
    """One reviewer's timings (seconds, per operation), what it claimed, the ratings it
    wrote ((conversation, category) -> rating) and the conflicts it was told of."""

    login: str
    times: dict[str, list[float]] = field(default_factory=lambda: {op: [] for op in OPS})
    claimed: list[int] = field(default_factory=list)
    ratings: dict[tuple[int, int], int] = field(default_factory=dict)
    conflicts: list[tuple[int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def login_url(url: str, login: str) -> str:
    """The server URL of `url` signed in as `login` (the throwaway server trusts local logins)."""
    head, rest = url.split("://", 1)
    return f"{head}://{login}@{rest.split('@', 1)[1]}"


def _timed(result: Result, op: str, fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    result.times[op].append(time.perf_counter() - started)
    return value


def _think(rng: random.Random, plan: Plan) -> None:
    if plan.think_ms > 0:
        time.sleep(rng.expovariate(1000 / plan.think_ms))


def savedesk_reviewer(plan: Plan, login: str, start) -> Result:
    """Review `plan.conversations` conversations of the queue through savedesk's operations."""
    from review.errors import EditConflict
    from review.operations import Actor, Call, run
    from review.operations.core import load_operations
    from review.reviewing.reviews import review_of
    from review.reviewing.thread import thread
    from review.store import connect

    result = Result(login)
    rng = random.Random(plan.seed)
    db = connect(login_url(plan.url, login))
    actor = Actor(f"bench-{login}", login)
    try:
        # where the app is by the time a person claims: signed in, its modules loaded (else
        # each reviewer's first claim would time 20 processes importing at once on 2 cores)
        load_operations()
        db.signed_in_as()
        start.wait()
        for n in range(plan.conversations):
            claim = _timed(
                result, "claim", run, db, actor, Call("claim-next", {"queue_id": plan.queue_id})
            )
            conversation_id = claim.value
            if conversation_id is None:
                break
            result.claimed.append(conversation_id)
            _think(rng, plan)
            detail = _timed(result, "open", thread, db, conversation_id)
            _think(rng, plan)
            for category_id, low, high in rng.sample(plan.categories, RATINGS_PER_CONVERSATION):
                own = review_of(db, conversation_id, login)  # what the panel shows after a write
                rating = rng.randint(low, high)
                args = {"conversation_id": conversation_id, "category_id": category_id,
                        "rating": rating, "expected_version": own.version if own else None}  # fmt: skip
                try:
                    _timed(result, "rate", run, db, actor, Call("rate", args))
                    result.ratings[(conversation_id, category_id)] = rating
                except EditConflict:
                    result.conflicts.append((conversation_id, category_id))
                _think(rng, plan)
            if n % 2:
                tag = Call("tag-save", {"conversation_id": conversation_id, "mrr": "49.00",
                                        "currency": "USD", "method": "discount"})  # fmt: skip
            else:
                tag = Call("tag-loss", {"conversation_id": conversation_id, "mrr": "19.00",
                                        "currency": "USD", "reason_id": plan.reason_id})  # fmt: skip
            _timed(result, "tag", run, db, actor, tag)
            _think(rng, plan)
            own = review_of(db, conversation_id, login)
            note = Call("save-note", {"agent_id": detail.agent_id, "text": f"Bench note {n}",
                                      "review_ids": [own.id], "follow_up": None, "items": []})  # fmt: skip
            _timed(result, "note", run, db, actor, note)
            _think(rng, plan)
    except Exception as exc:  # noqa: BLE001 - reported by the bench
        result.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
    return result


# The floor's statements: what savedesk's operations write and read, as plain rows.
_CLAIM = (
    "update queue_items set claimed_by = session_user, claimed_at = %(now)s "
    "where queue_id = %(q)s and position = (select position from queue_items "
    "where queue_id = %(q)s and conversation_id is not null and claimed_by is null "
    "order by position limit 1 for update skip locked) returning conversation_id"
)
_HEAD = (
    "select c.id, c.subject, c.agent_id, a.name from conversations c "
    "left join agents a on a.id = c.agent_id where c.id = %(c)s"
)
_MESSAGES = (
    "select id, author_role, created_at, body_text from messages where conversation_id = %(c)s "
    "order by created_at, id"
)
_REVIEW = (
    "insert into reviews (conversation_id, rubric_id, reviewer, agent_id, created_at, updated_at) "
    "values (%(c)s, %(rubric)s, session_user, %(agent)s, %(now)s, %(now)s) returning id"
)
_RATING = (
    "insert into review_ratings (review_id, category_id, rating, is_na) "
    "values (%(r)s, %(cat)s, %(rating)s, 0)"
)
_TOUCH = "update reviews set version = version + 1, updated_at = %(now)s where id = %(r)s"
_SAVE = (
    "insert into saves (conversation_id, mrr_cents, currency, method, agent_id, saved_on, "
    "status, created_at) values (%(c)s, 4900, 'USD', 'discount', %(agent)s, %(day)s, "
    "'pending', %(now)s)"
)
_LOSS = (
    "insert into losses (conversation_id, mrr_cents, currency, reason_id, agent_id, lost_on, "
    "created_at) values (%(c)s, 1900, 'USD', %(reason)s, %(agent)s, %(day)s, %(now)s)"
)
_NOTE = (
    "insert into coaching_notes (agent_id, author, text, version, created_at, updated_at) "
    "values (%(agent)s, session_user, %(text)s, 1, %(now)s, %(now)s)"
)


def _open(conn, conversation_id: int) -> tuple:
    params = {"c": conversation_id}
    return conn.execute(_HEAD, params).fetchone(), conn.execute(_MESSAGES, params).fetchall()


def floor_reviewer(plan: Plan, login: str, start, rubric_id: int) -> Result:
    """The same work as `savedesk_reviewer` in bare psycopg statements (see the docstring)."""
    import psycopg

    result = Result(login)
    rng = random.Random(plan.seed)
    conn = psycopg.connect(login_url(plan.url, login), autocommit=True)
    now = "2026-12-02T08:00:00Z"

    def tx(statements):
        with conn.transaction():
            return [conn.execute(sql, params).fetchall() if fetch else conn.execute(sql, params)
                    for sql, params, fetch in statements][-1]  # fmt: skip

    try:
        start.wait()
        for n in range(plan.conversations):
            rows = _timed(result, "claim", tx, [(_CLAIM, {"now": now, "q": plan.queue_id}, True)])
            if not rows:
                break
            c = rows[0][0]
            result.claimed.append(c)
            _think(rng, plan)
            head = _timed(result, "open", _open, conn, c)
            agent = head[0][2]
            _think(rng, plan)
            review_id = None
            for category_id, low, high in rng.sample(plan.categories, RATINGS_PER_CONVERSATION):
                rating = rng.randint(low, high)
                started = time.perf_counter()
                with conn.transaction():
                    if review_id is None:
                        review_id = conn.execute(
                            _REVIEW, {"c": c, "rubric": rubric_id, "agent": agent, "now": now}
                        ).fetchone()[0]
                    else:
                        conn.execute(_TOUCH, {"r": review_id, "now": now})
                    conn.execute(_RATING, {"r": review_id, "cat": category_id, "rating": rating})
                result.times["rate"].append(time.perf_counter() - started)
                result.ratings[(c, category_id)] = rating
                _think(rng, plan)
            params = {"c": c, "agent": agent, "day": "2026-12-01", "now": now,
                      "reason": plan.reason_id, "text": f"Floor note {n}"}  # fmt: skip
            _timed(result, "tag", tx, [(_SAVE if n % 2 else _LOSS, params, False)])
            _think(rng, plan)
            _timed(result, "note", tx, [(_NOTE, params, False)])
            _think(rng, plan)
    except Exception as exc:  # noqa: BLE001 - reported by the bench
        result.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()
    return result
