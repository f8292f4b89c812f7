"""What several people editing one store need on both engines: a version on every editable
row (a write that lost the race changes nothing), who last changed a review, who claimed a queue
item, whose undo history a step is, and agents' disputes of their scores (DOMAIN.md).

On PostgreSQL `savedesk admin init` adds what only a server has on top of this (review/store/
roles.py): defaults and triggers that make the writing login the reviewer and the changer, the
roles, row-level security and the audit trail.

Revision ID: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# rows a person edits (coaching_notes has had its version since 0002)
VERSIONED = ("reviews", "review_ratings", "saves", "losses", "queues", "action_items")


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("reviews", sa.Column("updated_by", sa.Text))  # the login, on a server
    op.add_column("reviews", sa.Column("edited_in", sa.Text))  # the undo session that wrote last
    op.add_column("queue_items", sa.Column("claimed_by", sa.Text))
    op.add_column("queue_items", sa.Column("claimed_at", sa.Text))
    op.add_column("undo_log", sa.Column("login", sa.Text))
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "review_id",
            sa.Integer,
            sa.ForeignKey("reviews.id", name="fk_disputes_review_id"),
            nullable=False,
        ),
        sa.Column(  # NULL: the whole review
            "category_id",
            sa.Integer,
            sa.ForeignKey("rubric_categories.id", name="fk_disputes_category_id"),
        ),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("opened_by", sa.Text),
        sa.Column("opened_at", sa.Text, nullable=False),
        sa.Column(
            "status", sa.Text, nullable=False, server_default="open"
        ),  # amended, upheld, rejected
        sa.Column("resolution_note", sa.Text),
        sa.Column("resolved_by", sa.Text),
        sa.Column("resolved_at", sa.Text),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("idx_disputes_review_id", "disputes", ["review_id"])
    op.create_index("idx_disputes_status", "disputes", ["status"])


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
