"""Calibration sessions (DOMAIN.md "A team on one store"): a manager names conversations and
reviewers; each reviewer scores them blind in a review of its own, tied to the session
(`reviews.calibration_session_id`), so it never mixes with their ordinary review of the same
conversation; when all have finished (or the session is closed) the manager records a
reference rating per category with a note.

A reviewer's ordinary review stays one per conversation (a partial unique index over the
reviews with no session); a session review is one per session, conversation and reviewer.
On PostgreSQL `savedesk admin init` adds who may read and write which rows (policies.py).

Revision ID: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.Integer
NO_SESSION = "calibration_session_id is null"


def upgrade() -> None:
    op.create_table(
        "calibration_sessions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("rubric_id", ID, sa.ForeignKey("rubrics.id"), nullable=False),
        sa.Column("created_by", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="open"),  # or closed
        sa.Column("closed_by", sa.Text),
        sa.Column("closed_at", sa.Text),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("idx_calibration_sessions_status", "calibration_sessions", ["status"])
    op.create_table(
        "calibration_session_conversations",
        sa.Column("session_id", ID, sa.ForeignKey("calibration_sessions.id"), primary_key=True),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "calibration_session_reviewers",
        sa.Column("session_id", ID, sa.ForeignKey("calibration_sessions.id"), primary_key=True),
        sa.Column("reviewer", sa.Text, primary_key=True),
        sa.Column("finished_at", sa.Text),
    )
    op.create_index(
        "idx_calibration_session_reviewers_reviewer", "calibration_session_reviewers", ["reviewer"]
    )
    op.create_table(
        "calibration_references",
        sa.Column("session_id", ID, sa.ForeignKey("calibration_sessions.id"), primary_key=True),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), primary_key=True),
        sa.Column("category_id", ID, sa.ForeignKey("rubric_categories.id"), primary_key=True),
        sa.Column("rating", sa.Integer),
        sa.Column("is_na", sa.Integer, nullable=False, server_default="0"),
        sa.Column("note", sa.Text),
        sa.Column("recorded_by", sa.Text),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(
            sa.Column(
                "calibration_session_id",
                ID,
                sa.ForeignKey("calibration_sessions.id", name="fk_reviews_calibration_session_id"),
            )
        )
        batch.drop_index("idx_reviews_conversation_id_reviewer")
    op.create_index(
        "idx_reviews_conversation_id_reviewer",
        "reviews",
        ["conversation_id", "reviewer"],
        unique=True,
        sqlite_where=sa.text(NO_SESSION),
        postgresql_where=sa.text(NO_SESSION),
    )
    op.create_index(
        "idx_reviews_calibration_session_id_conversation_id_reviewer",
        "reviews",
        ["calibration_session_id", "conversation_id", "reviewer"],
        unique=True,
    )


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
