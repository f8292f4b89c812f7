"""What the team store's row-level security reads by the signed-in login: a lead's own reviews
(`savedesk.calibrated_conversations()`, once per statement that reads reviews) by an index
rather than a scan of every review. Harmless on a SQLite file, where the reviewer's own
reviews are looked up the same way.

Revision ID: 0014
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("idx_reviews_reviewer", "reviews", ["reviewer"])


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
