"""Lost customers (DOMAIN.md) and the taxonomy of reasons they left.

The taxonomy is seeded by the schema (Natural causes has five children); a team adds its own
reasons and may rename one. Renaming keeps the id, so every loss tagged before follows the new
name: a reason is never silently swapped for another.

Each reason says what a loss tagged with it is: a loss, or the right outcome (DOMAIN.md: "Not a
fit", the product was the wrong tool or the customer was abusive). Right outcomes are reported
apart, out of lost MRR and out of the save rate's denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from review.changes import Changes
from review.errors import InvalidInput
from review.retention.money import cents_to_decimal, check_currency, check_date, parse_money
from review.retention.outcome import LOSS as LOST
from review.retention.outcome import insert_tag, refuse_a_second
from review.retention.saves import change_tag_row, check_agent, credited_agent, write_step
from review.store import Store

LOSS = "loss"
RIGHT_OUTCOME = "right_outcome"
OUTCOMES = {LOSS: "a loss", RIGHT_OUTCOME: "the right outcome"}


@dataclass(frozen=True)
class LossReason:
    """One reason in the taxonomy; `parent` is the id of its group (Natural causes) or None;
    `outcome` is LOSS or RIGHT_OUTCOME."""

    id: int
    name: str
    parent: int | None
    builtin: bool
    position: int
    outcome: str = LOSS

    @property
    def right_outcome(self) -> bool:
        """True when a loss with this reason is the right outcome, not a failure."""
        return self.outcome == RIGHT_OUTCOME


@dataclass(frozen=True)
class Loss:
    """One lost customer. `preventable` None means not judged."""

    id: int
    conversation_id: int
    mrr_cents: int
    currency: str
    reason_id: int
    preventable: bool | None
    customer_words: str | None
    agent_id: int | None
    lost_on: str
    version: int = 1  # goes up at each write: an edit of an older one is refused

    @property
    def mrr(self) -> Decimal:
        return cents_to_decimal(self.mrr_cents)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def loss_reasons(db: Store) -> list[LossReason]:
    """Every reason in taxonomy order (a group's children follow it)."""
    return [
        LossReason(r[0], r[1], r[2], bool(r[3]), r[4], r[5])
        for r in db.execute(
            "select id, name, parent, builtin, position, outcome from loss_reasons "
            "order by position, id"
        )
    ]


def find_loss_reason(db: Store, ref: str | int) -> LossReason:
    """A reason by id or by name (case-insensitive; "Natural causes: Budget cut" works too)."""
    reasons = loss_reasons(db)
    text = str(ref).strip()
    if text.isdigit():
        for r in reasons:
            if r.id == int(text):
                return r
    wanted = text.lower().split(":")[-1].strip()
    matches = [r for r in reasons if r.name.lower() == wanted]
    if not matches:
        matches = [r for r in reasons if r.name.lower().startswith(wanted)]
    if len(matches) != 1:
        names = "; ".join(r.name for r in reasons)
        raise InvalidInput(f"reason: {text!r} is not one reason of: {names}")
    return matches[0]


def add_loss_reason(
    db: Store, name: str, parent: int | None = None, outcome: str = LOSS
) -> LossReason:
    """Add a team's own reason (under `parent`, or at the top level) at the end of its group,
    saying whether a loss with it is a loss or the right outcome (`outcome`)."""
    name = _check_name(db, name)
    outcome = check_outcome(outcome)
    if parent is not None and parent not in {r.id for r in loss_reasons(db)}:
        raise InvalidInput(f"parent: there is no reason {parent}")
    with db.atomic():
        # after the group's last child (or at the very end), so a group's children stay together
        position = db.execute(
            "select coalesce(max(position), 0) + 1 from loss_reasons "
            "where cast(:parent as integer) is null or id = :parent or parent = :parent",
            {"parent": parent},
        ).fetchone()[0]
        db.execute(
            "update loss_reasons set position = position + 1 where position >= :position",
            {"position": position},
        )
        reason_id = db.insert(
            "loss_reasons",
            {
                "name": name,
                "parent": parent,
                "builtin": 0,
                "position": position,
                "outcome": outcome,
            },
        )
    return LossReason(reason_id, name, parent, False, position, outcome)


def check_outcome(outcome: str) -> str:
    """LOSS or RIGHT_OUTCOME from what a user typed ("loss", "right outcome", "right-outcome")."""
    key = (outcome or "").strip().lower().replace(" ", "_").replace("-", "_")
    if key not in OUTCOMES:
        raise InvalidInput(
            f"outcome: {outcome!r} is neither 'loss' nor 'right outcome' (a right outcome, "
            "like Not a fit, is left out of lost MRR and the save rate)"
        )
    return key


def set_loss_reason_outcome(db: Store, reason_id: int, outcome: str) -> Changes:
    """Say whether losses with this reason are losses or the right outcome."""
    outcome = check_outcome(outcome)
    with db.atomic():
        cursor = db.execute(
            "update loss_reasons set outcome = :outcome where id = :id",
            {"outcome": outcome, "id": reason_id},
        )
        if cursor.rowcount == 0:
            raise InvalidInput(f"there is no reason {reason_id}")
    return Changes.of(("loss_reasons", "losses"))


def rename_loss_reason(db: Store, reason_id: int, name: str) -> Changes:
    """Rename a reason; its id stays, so losses tagged with it show the new name."""
    name = _check_name(db, name, except_id=reason_id)
    with db.atomic():
        cursor = db.execute("update loss_reasons set name = ? where id = ?", [name, reason_id])
        if cursor.rowcount == 0:
            raise InvalidInput(f"there is no reason {reason_id}")
    return Changes.of(("loss_reasons", "losses"))


def _check_name(db: Store, name: str, except_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("a reason needs a name")
    row = db.execute(
        "select id from loss_reasons where lower(name) = lower(:name) "
        f"and not ({db.dialect.same('id', ':other')})",
        {"name": name, "other": except_id},
    ).fetchone()
    if row:
        raise InvalidInput(f"there is already a reason called {name!r}")
    return name


def tag_loss(
    db: Store,
    conversation_id: int,
    mrr: Decimal | str,
    currency: str,
    reason_id: int,
    preventable: bool | None = None,
    customer_words: str | None = None,
    agent_id: int | None = None,
    lost_on: str | date | None = None,
    *,
    session: str | None = None,
) -> Changes:
    """Tag a conversation as a lost customer with one primary reason. A conversation that
    already has a save or a loss is refused (AlreadyTagged): it ends saved or lost, once; its
    loss is changed with update_loss.

    `agent_id` None takes the conversation's agent; `lost_on` None is today (UTC);
    `session` records the tag for undo in that undo session.
    """
    agent_id = credited_agent(db, conversation_id, agent_id)  # also: the conversation exists
    refuse_a_second(db, conversation_id, LOST)  # before the fields: the first thing to know
    if db.execute("select 1 from loss_reasons where id = ?", [reason_id]).fetchone() is None:
        raise InvalidInput(f"reason: there is no reason {reason_id}")
    now = _now()
    row = {
        "conversation_id": conversation_id,
        "mrr_cents": parse_money(mrr),
        "currency": check_currency(currency),
        "reason_id": reason_id,
        "preventable": None if preventable is None else int(bool(preventable)),
        "customer_words": (customer_words or "").strip() or None,
        "agent_id": agent_id,
        "lost_on": check_date(lost_on or now[:10], "lost_on"),
        "created_at": now,
        "updated_at": now,
    }
    label = f"Tag loss {row['currency']} {cents_to_decimal(row['mrr_cents'])}"
    with write_step(db, session, label) as step:
        loss_id = insert_tag(db, LOST, row)
        if step is not None:
            step.track_new("losses", {"id": loss_id})
            step.touch(conversation_id)
    return Changes.of("losses", conversation_id)


_COLUMNS = (
    "id, conversation_id, mrr_cents, currency, reason_id, preventable, customer_words, "
    "agent_id, lost_on, version"
)


def _loss(row: tuple) -> Loss:
    values = list(row)
    values[5] = None if values[5] is None else bool(values[5])
    return Loss(*values)


def get_loss(db: Store, loss_id: int) -> Loss:
    """One loss, or InvalidInput when there is none with that id."""
    row = db.execute(f"select {_COLUMNS} from losses where id = ?", [loss_id]).fetchone()
    if row is None:
        raise InvalidInput(f"loss {loss_id} does not exist")
    return _loss(row)


def losses_for_conversation(db: Store, conversation_id: int) -> list[Loss]:
    """The loss tagged on a conversation (one at most since revision 0013), as a list."""
    return [
        _loss(r)
        for r in db.execute(
            f"select {_COLUMNS} from losses where conversation_id = ? order by lost_on, id",
            [conversation_id],
        )
    ]


def update_loss(
    db: Store,
    loss_id: int,
    *,
    session: str | None = None,
    expected_version: int | None = None,
    **values,
) -> Changes:
    """Change fields of a loss: mrr, currency, reason_id, preventable, customer_words, agent_id,
    lost_on."""
    loss = get_loss(db, loss_id)
    row: dict = {}
    for key, value in values.items():
        if key == "mrr":
            row["mrr_cents"] = parse_money(value)
        elif key == "currency":
            row["currency"] = check_currency(value)
        elif key == "reason_id":
            if db.execute("select 1 from loss_reasons where id = ?", [value]).fetchone() is None:
                raise InvalidInput(f"reason: there is no reason {value}")
            row["reason_id"] = int(value)
        elif key == "preventable":
            row["preventable"] = None if value is None else int(bool(value))
        elif key == "customer_words":
            row["customer_words"] = (value or "").strip() or None
        elif key == "agent_id":
            row["agent_id"] = check_agent(db, value)
        elif key == "lost_on":
            row["lost_on"] = check_date(value, "lost_on")
        else:
            raise InvalidInput(f"a loss has no field {key!r}")
    if not row:
        return Changes()
    row["updated_at"] = _now()
    return change_tag_row(
        db, session, "Edit loss", "losses", loss_id, loss.conversation_id, row, expected_version
    )


def delete_loss(
    db: Store, loss_id: int, *, session: str | None = None, expected_version: int | None = None
) -> Changes:
    """Remove a loss, which frees its conversation to be tagged again; with
    `expected_version`, one changed since it was shown is left as it is (EditConflict)."""
    loss = get_loss(db, loss_id)
    return change_tag_row(
        db, session, "Delete loss", "losses", loss_id, loss.conversation_id, None, expected_version
    )
