"""Review queues: a fixed list of conversations to review, built from filters or by sampling.

Sampling takes n random conversations per agent per ISO week (Monday to Sunday, UTC) from those
the filters select, leaving out conversations already reviewed by anyone and those with no
agent or no date. The same seed over the same data gives the same queue; a queue built without
a seed stores the seed it drew, so it can be rebuilt. The queue keeps the reviewer's position.

Several reviewers working one queue claim its items one at a time (`claim_next`): an item is
claimed by one person only, however many claim at once.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from review.changes import Changes
from review.errors import InvalidInput, NotFound
from review.filters import REVIEWED_CONVERSATIONS, Filters, conversation_where
from review.store import Store
from review.store.claims import skip_locked
from review.store.undo import now_utc


@dataclass(frozen=True)
class Queue:
    """A stored queue; `position` is the 0-based index of the reviewer's current item."""

    id: int
    name: str
    filters: Filters
    sample_per_agent_per_week: int | None
    seed: int | None
    position: int
    size: int
    reviewer: str | None = None
    created_at: str = ""
    lowest_auto_score: int | None = None  # the queue is the N lowest auto scores


def filters_to_json(filters: Filters) -> str:
    """Filters as a JSON object (for storage)."""
    return json.dumps(asdict(filters), ensure_ascii=False)


def filters_from_json(text: str | None) -> Filters:
    """Filters back from filters_to_json (unknown keys are ignored)."""
    data = json.loads(text) if text else {}
    known = {f.name for f in fields(Filters)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
    return Filters(**values)


def week_of(timestamp: str) -> str:
    """The Monday (YYYY-MM-DD) starting the week of an ISO timestamp."""
    day = date.fromisoformat(timestamp[:10])
    return (day - timedelta(days=day.weekday())).isoformat()


def sample_conversations(
    db: Store, filters: Filters, per_agent_per_week: int, seed: int
) -> list[int]:
    """n random unreviewed conversations per agent per week among `filters`, in the order
    week, agent, time."""
    if per_agent_per_week < 1:
        raise InvalidInput("Sample at least 1 conversation per agent per week.")
    where, params = conversation_where(filters, "c")
    groups: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for cid, agent_id, created_at in db.execute(
        f"""select c.id, c.agent_id, c.created_at from conversations c
             where {where} and c.agent_id is not null and c.created_at is not null
               and c.id not in ({REVIEWED_CONVERSATIONS})
             order by c.id""",
        params,
    ):
        groups[week_of(created_at), agent_id].append((created_at, cid))
    rng = random.Random(seed)
    chosen: list[tuple[str, int, str, int]] = []
    for (week, agent_id), members in sorted(groups.items()):
        picked = rng.sample(members, min(per_agent_per_week, len(members)))
        chosen += [(week, agent_id, created_at, cid) for created_at, cid in picked]
    return [cid for *_, cid in sorted(chosen)]


def lowest_auto_scores(db: Store, filters: Filters, n: int) -> list[int]:
    """The `n` unreviewed conversations among `filters` with the lowest automatic quality
    score (review.reviewing.autoqa), lowest first; bot-only conversations left out."""
    if n < 1:
        raise InvalidInput("Take at least 1 conversation.")
    where, params = conversation_where(filters, "c")
    return [
        row[0]
        for row in db.execute(
            f"""select c.id from conversations c join autoqa_scores s on s.conversation_id = c.id
                 where {where} and s.score is not null and s.author_kind = 'person'
                   and c.id not in ({REVIEWED_CONVERSATIONS})
                 order by s.score, c.created_at, c.id limit :lowest_n""",
            {**params, "lowest_n": n},
        )
    ]


def build_queue(
    db: Store,
    name: str,
    filters: Filters | None = None,
    sample_per_agent_per_week: int | None = None,
    seed: int | None = None,
    reviewer: str | None = None,
    lowest_auto_score: int | None = None,
) -> Queue:
    """Store a queue named `name` of the conversations `filters` select (oldest first), of a
    sample of them (see the module doc), or of the `lowest_auto_score` lowest automatic scores
    among them. Returns it with position 0."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A queue needs a name.")
    filters = filters or Filters()
    if lowest_auto_score is not None:
        ids = lowest_auto_scores(db, filters, lowest_auto_score)
    elif sample_per_agent_per_week is not None:
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        ids = sample_conversations(db, filters, sample_per_agent_per_week, seed)
    else:
        where, params = conversation_where(filters, "c")
        ids = [
            r[0]
            for r in db.execute(
                f"select c.id from conversations c where {where} order by c.created_at, c.id",
                params,
            )
        ]
    with db.atomic():
        queue_id = db.execute(
            "insert into queues (name, reviewer, filters, sample_per_agent_per_week, seed, "
            "position, created_at, lowest_auto_score) values (?, ?, ?, ?, ?, 0, ?, ?) returning id",
            [
                name,
                reviewer,
                filters_to_json(filters),
                sample_per_agent_per_week,
                seed,
                now_utc(),
                lowest_auto_score,
            ],
        ).scalar()
        db.executemany(
            "insert into queue_items (queue_id, position, conversation_id) values (?, ?, ?)",
            [(queue_id, position, cid) for position, cid in enumerate(ids)],
        )
    return get_queue(db, queue_id)


def get_queue(db: Store, queue_id: int) -> Queue:
    """The stored queue; NotFound if absent."""
    row = db.execute(
        "select q.id, q.name, q.filters, q.sample_per_agent_per_week, q.seed, q.position, "
        "(select count(*) from queue_items i where i.queue_id = q.id), q.reviewer, q.created_at, "
        "q.lowest_auto_score "
        "from queues q where q.id = ?",
        [queue_id],
    ).fetchone()
    if row is None:
        raise NotFound("queue", queue_id)
    return Queue(row[0], row[1], filters_from_json(row[2]), *row[3:])


def list_queues(db: Store) -> list[Queue]:
    """Every queue, newest first."""
    ids = [r[0] for r in db.execute("select id from queues order by created_at desc, id desc")]
    return [get_queue(db, i) for i in ids]


def queue_items(db: Store, queue_id: int) -> list[int]:
    """The queue's conversation ids in order."""
    get_queue(db, queue_id)
    return [
        r[0]
        for r in db.execute(
            "select conversation_id from queue_items where queue_id = ? order by position",
            [queue_id],
        )
    ]


def set_queue_position(db: Store, queue_id: int, pos: int) -> Changes:
    """Remember that the reviewer is at item `pos` (clamped to the queue)."""
    queue = get_queue(db, queue_id)
    pos = max(0, min(int(pos), max(queue.size - 1, 0)))
    with db.atomic():
        db.execute("update queues set position = ? where id = ?", [pos, queue_id])
    return Changes.of("queues")


def queue_progress(db: Store, queue_id: int) -> tuple[int, int]:
    """(items reviewed by anyone, items) of the queue."""
    get_queue(db, queue_id)
    row = db.execute(
        "select count(distinct i.position) filter (where i.conversation_id in "
        f"({REVIEWED_CONVERSATIONS})), count(distinct i.position) from queue_items i "
        "where i.queue_id = ?",
        [queue_id],
    ).fetchone()
    return row[0], row[1]


def delete_queue(db: Store, queue_id: int) -> Changes:
    """Delete a queue (its conversations and reviews stay)."""
    get_queue(db, queue_id)
    with db.atomic():
        db.execute("delete from queue_items where queue_id = ?", [queue_id])
        db.execute("delete from queues where id = ?", [queue_id])
    return Changes.of(("queues", "queue_items"))


@dataclass(frozen=True)
class Claim:
    """A queue item a reviewer claimed: the conversation to review next."""

    queue_id: int
    position: int
    conversation_id: int
    claimed_by: str
    claimed_at: str


def claim_next(db: Store, queue_id: int, reviewer: str) -> Claim | None:
    """Claim the queue's next item nobody has claimed or reviewed, for `reviewer` (on a team
    store, the signed-in login); None when none is left. An item the reviewer claimed and has
    not reviewed yet comes back first, so a claim survives a restart."""
    who = db.signed_in_as() or (reviewer or "").strip()
    if not who:
        raise InvalidInput("Claiming a conversation needs the reviewer's name.")
    # its own transaction, or the caller's (an operation's) as it is: the claim's last
    # statement is its only write, so nothing needs a savepoint of its own
    with nullcontext() if db.in_transaction else db.atomic():
        open_items = (
            "from queue_items where queue_id = :q and conversation_id is not null "
            f"and conversation_id not in ({REVIEWED_CONVERSATIONS})"
        )
        held = db.execute(
            f"select position, conversation_id, claimed_at {open_items} and claimed_by = :who "
            "order by position limit 1",
            {"q": queue_id, "who": who},
        ).fetchone()
        if held is not None:
            return Claim(queue_id, held[0], held[1], who, held[2])
        now = now_utc()
        row = db.execute(
            "update queue_items set claimed_by = :who, claimed_at = :now "
            "where queue_id = :q and position = ("
            f"select position {open_items} and claimed_by is null "
            f"order by position limit 1{skip_locked(db)}) "
            "returning position, conversation_id",
            {"q": queue_id, "who": who, "now": now},
        ).fetchone()
        if row is None:
            get_queue(db, queue_id)  # NotFound rather than "nothing left" for a queue not there
    return Claim(queue_id, row[0], row[1], who, now) if row is not None else None


def release_claim(db: Store, queue_id: int, position: int) -> None:
    """Give a claimed item back to the queue (the claimer moved on without reviewing it)."""
    with db.atomic():
        db.execute(
            "update queue_items set claimed_by = null, claimed_at = null "
            "where queue_id = :q and position = :p",
            {"q": queue_id, "p": position},
        )
