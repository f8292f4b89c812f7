"""What `savedesk push` needs to carry a lead's saved customers, lost customers and coaching
notes into a team store (issue #15, item 6):
- saves and losses say whose work they are (`author`: the login that recorded them; on a team
  store the server fills it in, as it does a coaching note's);
- saves, losses and coaching notes keep the fingerprint of what the last push wrote
  (`pushed_digest`), so a later push can tell a row still as pushed (a newer laptop edit may
  update it) from one a colleague changed since (a conflict: never overwritten).

Revision ID: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("saves", "losses"):
        op.add_column(table, sa.Column("author", sa.Text))
    for table in ("saves", "losses", "coaching_notes"):
        op.add_column(table, sa.Column("pushed_digest", sa.Text))


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
