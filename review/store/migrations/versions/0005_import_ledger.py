"""The import history: one row per import (what the user named, when, its whole ledger as shown
at the end), each file's row pointing at it; when the helpdesk last changed a message (an older
snapshot never overwrites a newer one); a digest of the record a conversation was last read from
(on re-import, a record whose digest is stored is not parsed again).

Was m005_import_ledger.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text),
        sa.Column("paths", sa.Text),  # JSON list of what the user named
        sa.Column("strict", sa.Integer),
        sa.Column("status", sa.Text, nullable=False),  # running | done | refused
        sa.Column("ledger", sa.Text),  # JSON: review.importing.ledger.ImportReport.as_dict()
    )
    # SQLite adds a column with a reference only by remaking the table (batch mode)
    with op.batch_alter_table("imports") as batch:
        batch.add_column(
            sa.Column(
                "run_id", sa.Integer, sa.ForeignKey("import_runs.id", name="fk_imports_run_id")
            )
        )
        batch.add_column(sa.Column("read", sa.Integer))
        batch.add_column(sa.Column("error", sa.Text))
    op.add_column("messages", sa.Column("updated_at", sa.Text))
    op.add_column("conversations", sa.Column("record_digest", sa.Text))
    op.create_index("idx_conversations_record_digest", "conversations", ["record_digest"])


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
