"""The figures layer's tables and indexes:
- each loss reason says whether it is a loss or the right outcome (DOMAIN.md: Not a fit);
- per conversation, its first reply time and agent replies with the columns figures filter by
  (review.figures.reply_times), so response figures need not read every message;
- covering indexes for the figure sets' one pass over reviews, ratings and conversations.

Was m006_loss_reason_outcomes, m006_reply_times and m006_figure_indexes.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "loss_reasons", sa.Column("outcome", sa.Text, nullable=False, server_default="loss")
    )
    op.execute(
        "update loss_reasons set outcome = 'right_outcome' "
        "where builtin = 1 and name like 'Not a fit%'"
    )
    op.create_table(
        "reply_times",
        sa.Column("conversation_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.Text),
        sa.Column("agent_id", sa.Integer),
        sa.Column("team_id", sa.Integer),
        sa.Column("channel", sa.Text),
        sa.Column("resolved", sa.Integer, nullable=False, server_default="0"),
        sa.Column("asked_at", sa.Text),
        sa.Column("first_reply_s", sa.Float),
        sa.Column("agent_replies", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index(
        "idx_reply_times_channel_first_reply_s", "reply_times", ["channel", "first_reply_s"]
    )
    op.create_index("idx_reply_times_first_reply_s", "reply_times", ["first_reply_s"])
    op.create_index(
        "idx_reply_times_resolved_agent_replies", "reply_times", ["resolved", "agent_replies"]
    )
    for first in ("created_at", "team_id", "agent_id"):
        columns = [first, "channel", "first_reply_s", "resolved", "agent_replies"]
        # named by their first column: the whole list passes PostgreSQL's 63-character limit
        op.create_index(f"idx_reply_times_by_{first}", "reply_times", columns)
    op.create_table(
        "derived_tables",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("fingerprint", sa.Text),
    )
    indexes = {
        "reviews": ["conversation_id", "score", "rubric_id", "agent_id"],
        "ratings": ["kind", "conversation_id", "positive", "score"],
    }
    for table, columns in indexes.items():
        op.create_index(f"idx_{table}_{'_'.join(columns)}", table, columns)
    for columns in (
        ["created_at", "status", "team_id", "agent_id", "channel"],
        ["team_id", "status", "agent_id", "created_at", "channel"],
    ):
        op.create_index(f"idx_conversations_{'_'.join(columns)}", "conversations", columns)


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
