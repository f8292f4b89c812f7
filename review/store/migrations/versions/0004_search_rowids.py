"""Message search rows keyed by conversation and message together, so a search finds its
conversations from the index alone; the FTS5 tables remade without per-row column sizes (only
bm25 ranking reads them) and refilled from the stored text. PostgreSQL's search tables were made
in this shape by 0001: nothing to do there.

Was m004_search_rowids.

Revision ID: 0004
"""

from __future__ import annotations

from alembic import op

from review.store import search_tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    search_tables.drop(bind)
    search_tables.create(bind, columnsize=False)
    search_tables.refill(bind)


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
