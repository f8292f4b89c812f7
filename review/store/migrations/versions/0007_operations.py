"""The operation path (review.operations): the edits of one text field, written through as
typed, share one undo step (`undo_log.merge_key`); each operation the app wrote is remembered, so
one replayed after a crash is never applied twice; and text typed into a dialog before its OK is
kept as a draft, so a crash loses none of it.

Was m007_operations and m007_drafts.

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("undo_log", sa.Column("merge_key", sa.Text))
    op.create_table(
        "applied_operations",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("applied_at", sa.Text, nullable=False),
    )
    op.create_index("idx_applied_operations_applied_at", "applied_operations", ["applied_at"])
    op.create_table(
        "drafts",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
