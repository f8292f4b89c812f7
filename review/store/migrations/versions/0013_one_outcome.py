"""A conversation ends saved or lost, once (DOMAIN.md): one save and one loss at most per
conversation, held by the store itself (unique indexes on saves(conversation_id) and
losses(conversation_id), whatever writes), so saved and lost MRR never count a customer twice.

A store made by an earlier savedesk may hold more: pressing S twice made two saves, and a
conversation could be tagged both saved and lost. Nothing of it is deleted. Per conversation the
tag written last (latest updated_at, else created_at; then the highest id) stays; every other
save or loss of that conversation moves, whole and with its original id, to saves_set_aside or
losses_set_aside with the reason and the moment it was set aside. `savedesk stats` and the app
say how many were set aside (review.retention.set_aside); a person can read them there and
tag again from them.

Revision ID: 0013
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SAVE_COLUMNS = (
    "id", "conversation_id", "mrr_cents", "currency", "method", "agent_id", "saved_on", "story",
    "status", "status_checked_on", "created_at", "updated_at", "version", "author",
    "pushed_digest",
)  # fmt: skip
LOSS_COLUMNS = (
    "id", "conversation_id", "mrr_cents", "currency", "reason_id", "preventable",
    "customer_words", "agent_id", "lost_on", "created_at", "updated_at", "version", "author",
    "pushed_digest",
)  # fmt: skip
INTEGERS = {"id", "conversation_id", "mrr_cents", "agent_id", "reason_id", "preventable", "version"}

SECOND_SAVE = "a second save of the same conversation (the one written last was kept)"
SECOND_LOSS = "a second loss of the same conversation (the one written last was kept)"
LOST_LATER = "the conversation was also tagged lost, later (a conversation ends saved or lost)"
SAVED_LATER = "the conversation was also tagged saved, later (a conversation ends saved or lost)"


def _set_aside_table(name: str, columns: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column("set_aside_id", sa.Integer, primary_key=True),
        *(sa.Column(c, sa.Integer if c in INTEGERS else sa.Text) for c in columns),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("set_aside_at", sa.Text, nullable=False),
    )
    op.create_index(f"idx_{name}_conversation_id", name, ["conversation_id"])


# the rank of each row in its conversation, the one written last first (both engines: window
# functions since SQLite 3.25; "" sorts below every timestamp, so an undated row is older)
_RANKED = (
    "select id, conversation_id, coalesce(updated_at, created_at, '') as written, "
    "row_number() over (partition by conversation_id "
    "order by coalesce(updated_at, created_at, '') desc, id desc) as rank from {table}"
)


def _move(table: str, columns: tuple[str, ...], where: str, reason: str, now: str) -> None:
    """Move the rows of `table` that `where` picks (a condition on `r`, the ranked rows) to
    the table's set-aside table with `reason`."""
    listed = ", ".join(columns)
    picked = f"select r.id from ({_RANKED.format(table=table)}) r where {where}"
    bind = op.get_bind()
    bind.execute(
        sa.text(
            f"insert into {table}_set_aside ({listed}, reason, set_aside_at) "
            f"select {listed}, :reason, :now from {table} where id in ({picked})"
        ),
        {"reason": reason, "now": now},
    )
    bind.execute(sa.text(f"delete from {table} where id in ({picked})"))


def upgrade() -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _set_aside_table("saves_set_aside", SAVE_COLUMNS)
    _set_aside_table("losses_set_aside", LOSS_COLUMNS)
    _move("saves", SAVE_COLUMNS, "r.rank > 1", SECOND_SAVE, now)
    _move("losses", LOSS_COLUMNS, "r.rank > 1", SECOND_LOSS, now)
    # a conversation both saved and lost keeps the one written last (ties: the save stays)
    later = (
        "exists (select 1 from ({other}) o where o.conversation_id = r.conversation_id "
        "and o.written {cmp} r.written)"
    )
    losses = _RANKED.format(table="losses")
    saves = _RANKED.format(table="saves")
    _move("saves", SAVE_COLUMNS, later.format(other=losses, cmp=">"), LOST_LATER, now)
    _move("losses", LOSS_COLUMNS, later.format(other=saves, cmp=">="), SAVED_LATER, now)
    # the old non-unique indexes give way to unique ones of the same column
    with op.batch_alter_table("saves") as batch:
        batch.drop_index("idx_saves_conversation_id")
        batch.create_index("idx_saves_conversation_id", ["conversation_id"], unique=True)
    with op.batch_alter_table("losses") as batch:
        batch.drop_index("idx_losses_conversation_id")
        batch.create_index("idx_losses_conversation_id", ["conversation_id"], unique=True)


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
