"""Saved customers (DOMAIN.md): a conversation where a customer about to leave was kept.

A save records the MRR kept (a partial save, a downgrade instead of a cancellation, keeps only
the new plan's MRR), how it was saved, the agent credited, the date, a story a coach can teach
from, and its status: pending until a billing list shows the customer still paying
(review.retention.billing.confirm_saves), then confirmed, or failed when the list shows them gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from review.changes import Changes
from review.errors import EditConflict, InvalidInput
from review.retention.money import cents_to_decimal, check_currency, check_date, parse_money
from review.retention.outcome import SAVE, insert_tag, refuse_a_second
from review.store import Store
from review.store.undo import Recorder, recorded

# How it was saved, in DOMAIN.md's words: key -> label.
SAVE_METHODS: dict[str, str] = {
    "solved": "Solved the problem",
    "taught": "Taught the product",
    "workaround": "Found a workaround",
    "discount": "Discount or credit",
    "plan_change": "Plan change",
    "pause": "Pause instead of cancel",
    "escalation": "Escalation to a fix",
}
SAVE_STATUSES = ("pending", "confirmed", "failed")


@dataclass(frozen=True)
class Save:
    """One saved customer. `mrr_cents` is exact; `mrr` gives it as a Decimal amount."""

    id: int
    conversation_id: int
    mrr_cents: int
    currency: str
    method: str
    agent_id: int | None
    saved_on: str
    story: str | None
    status: str
    status_checked_on: str | None
    version: int = 1  # goes up at each write: an edit of an older one is refused

    @property
    def mrr(self) -> Decimal:
        return cents_to_decimal(self.mrr_cents)

    @property
    def arr_cents(self) -> int:
        """ARR = 12 * MRR (DOMAIN.md)."""
        return 12 * self.mrr_cents


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_conversation(db: Store, conversation_id: int) -> int:
    """The id if that conversation exists, else InvalidInput."""
    row = db.execute("select id from conversations where id = ?", [conversation_id]).fetchone()
    if row is None:
        raise InvalidInput(f"conversation {conversation_id} does not exist")
    return row[0]


def credited_agent(db: Store, conversation_id: int, agent_id: int | None) -> int | None:
    """The agent a tag on the conversation credits: `agent_id` if that agent exists, None: the
    conversation's own (one read, which also finds the conversation); InvalidInput for a
    conversation or an agent that does not exist."""
    if agent_id is not None:
        check_conversation(db, conversation_id)
        return check_agent(db, agent_id)
    row = db.execute("select agent_id from conversations where id = ?", [conversation_id])
    found = row.fetchone()
    if found is None:
        raise InvalidInput(f"conversation {conversation_id} does not exist")
    return found[0]  # a foreign key: that agent exists


def find_conversation(db: Store, ref: str | int) -> int:
    """A conversation id from what a user types: its id, or the helpdesk's id/number
    ("zendesk:4512" or a bare "4512" when only one source has it)."""
    text = str(ref).strip()
    if ":" in text:
        source, ext = text.split(":", 1)
        rows = db.execute(
            "select id from conversations where source = ? and (external_id = ? or number = ?)",
            [source, ext, ext],
        ).fetchall()
    else:
        rows = db.execute("select id from conversations where id = ?", [text]).fetchall()
        if not rows:
            rows = db.execute(
                "select id from conversations where external_id = ? or number = ?", [text, text]
            ).fetchall()
    if not rows:
        raise InvalidInput(f"no conversation {text!r}")
    if len(rows) > 1:
        raise InvalidInput(f"{text!r} names {len(rows)} conversations; write it as source:id")
    return rows[0][0]


def check_agent(db: Store, agent_id: int | None) -> int | None:
    """The id if that agent exists (None passes), else InvalidInput."""
    if agent_id is None:
        return None
    if db.execute("select 1 from agents where id = ?", [agent_id]).fetchone() is None:
        raise InvalidInput(f"agent {agent_id} does not exist")
    return int(agent_id)


@contextmanager
def write_step(db: Store, session: str | None, label: str) -> Iterator[Recorder | None]:
    """One transaction; with a `session` it is also recorded for undo (review.store.undo), so the
    GUI can take a tag back with Ctrl+Z. Without one (CLI, demo, imports) nothing is recorded."""
    if session is None:
        with db.atomic():
            yield None
    else:
        with recorded(db, session, label) as recorder:
            yield recorder


def change_tag_row(
    db: Store,
    session: str | None,
    label: str,
    table: str,
    row_id: int,
    conversation_id: int,
    values: dict | None = None,
    expected_version: int | None = None,
) -> Changes:
    """Update one row of `table` (saves or losses) with `values`, or delete it when None, as
    one write step (undoable with a session). Its version goes up; with `expected_version`
    (the version its writer saw), a row changed since is left as it is: EditConflict."""
    with write_step(db, session, label) as step:
        taken = db.execute(
            f"update {table} set version = version + 1 where id = :id and "
            "(cast(:expected as integer) is null or version = :expected)",
            {"id": row_id, "expected": expected_version},
        ).rowcount
        if not taken:
            when = db.execute(f"select updated_at from {table} where id = :id", {"id": row_id})
            what = "this saved customer" if table == "saves" else "this lost customer"
            raise EditConflict(what, "someone else", when.scalar())
        if step is not None:
            step.track(table, {"id": row_id})
            step.touch(conversation_id)
        if values is None:
            db.execute(f"delete from {table} where id = ?", [row_id])
        else:
            db.update(table, row_id, values)
    return Changes.of(table, conversation_id)


def _method(method: str) -> str:
    key = method.strip().lower().replace(" ", "_").replace("-", "_")
    if key in SAVE_METHODS:
        return key
    for k, label in SAVE_METHODS.items():
        if label.lower() == method.strip().lower():
            return k
    raise InvalidInput(f"method: {method!r} is not one of {', '.join(SAVE_METHODS)}")


def tag_save(
    db: Store,
    conversation_id: int,
    mrr: Decimal | str,
    currency: str,
    method: str,
    agent_id: int | None = None,
    saved_on: str | date | None = None,
    story: str | None = None,
    *,
    session: str | None = None,
) -> Changes:
    """Tag a conversation as a saved customer, pending until a billing list confirms it.
    A conversation that already has a save or a loss is refused (AlreadyTagged): it ends saved
    or lost, once; its save is changed with update_save.

    `agent_id` None credits the conversation's agent; `saved_on` None is today (UTC);
    `session` records the tag for undo in that undo session.
    """
    agent_id = credited_agent(db, conversation_id, agent_id)  # also: the conversation exists
    refuse_a_second(db, conversation_id, SAVE)  # before the fields: the first thing to know
    now = _now()
    row = {
        "conversation_id": conversation_id,
        "mrr_cents": parse_money(mrr),
        "currency": check_currency(currency),
        "method": _method(method),
        "agent_id": agent_id,
        "saved_on": check_date(saved_on or now[:10], "saved_on"),
        "story": (story or "").strip() or None,
        "status": "pending",
        "created_at": now,
        "updated_at": now,
    }
    label = f"Tag save {row['currency']} {cents_to_decimal(row['mrr_cents'])}"
    with write_step(db, session, label) as step:
        save_id = insert_tag(db, SAVE, row)
        if step is not None:
            step.track_new("saves", {"id": save_id})
            step.touch(conversation_id)
    return Changes.of("saves", conversation_id)


def update_save(
    db: Store,
    save_id: int,
    *,
    session: str | None = None,
    expected_version: int | None = None,
    **values,
) -> Changes:
    """Change fields of a save: mrr, currency, method, agent_id, saved_on, story, status.

    Changing the MRR, customer or date does not reset a confirmed status; set status="pending"
    to have the next billing check look again.
    """
    save = get_save(db, save_id)
    row: dict = {}
    for key, value in values.items():
        if key == "mrr":
            row["mrr_cents"] = parse_money(value)
        elif key == "currency":
            row["currency"] = check_currency(value)
        elif key == "method":
            row["method"] = _method(value)
        elif key == "agent_id":
            row["agent_id"] = check_agent(db, value)
        elif key == "saved_on":
            row["saved_on"] = check_date(value, "saved_on")
        elif key == "story":
            row["story"] = (value or "").strip() or None
        elif key == "status":
            if value not in SAVE_STATUSES:
                raise InvalidInput(f"status: {value!r} is not one of {', '.join(SAVE_STATUSES)}")
            row["status"] = value
        else:
            raise InvalidInput(f"a save has no field {key!r}")
    if not row:
        return Changes()
    row["updated_at"] = _now()
    return change_tag_row(
        db, session, "Edit save", "saves", save_id, save.conversation_id, row, expected_version
    )


def delete_save(
    db: Store, save_id: int, *, session: str | None = None, expected_version: int | None = None
) -> Changes:
    """Remove a save, which frees its conversation to be tagged again; with
    `expected_version`, one changed since it was shown is left as it is (EditConflict)."""
    save = get_save(db, save_id)
    return change_tag_row(
        db, session, "Delete save", "saves", save_id, save.conversation_id, None, expected_version
    )


_COLUMNS = (
    "id, conversation_id, mrr_cents, currency, method, agent_id, saved_on, story, status, "
    "status_checked_on, version"
)


def get_save(db: Store, save_id: int) -> Save:
    """One save, or InvalidInput when there is none with that id."""
    row = db.execute(f"select {_COLUMNS} from saves where id = ?", [save_id]).fetchone()
    if row is None:
        raise InvalidInput(f"save {save_id} does not exist")
    return Save(*row)


def saves_for_conversation(db: Store, conversation_id: int) -> list[Save]:
    """The save tagged on a conversation (one at most since revision 0013), as a list."""
    return [
        Save(*row)
        for row in db.execute(
            f"select {_COLUMNS} from saves where conversation_id = ? order by saved_on, id",
            [conversation_id],
        )
    ]
