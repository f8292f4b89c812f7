"""What several people editing one store need on both engines: a version on every editable
row (a write that lost the race changes nothing), who last changed a review, who claimed a queue
item, and whose undo history a step is.

On PostgreSQL `savedesk admin init` adds what only a server has on top of this (review/store/
roles.py): defaults and triggers that make the writing login the reviewer and the changer, the
roles, row-level security and the audit trail.

Revision ID: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
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


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
