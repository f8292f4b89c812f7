"""Rubrics (versioned), reviews with a rating per category, the undo history, coaching notes with
action items, and review queues.

Was m002_reviews.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.Integer


def _id() -> sa.Column:
    return sa.Column("id", ID, primary_key=True)


def upgrade() -> None:
    op.create_table(
        "rubrics",
        _id(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("toml", sa.Text),
        sa.Column("is_current", sa.Integer, server_default="0"),
    )
    op.create_index("idx_rubrics_name_version", "rubrics", ["name", "version"], unique=True)
    op.create_table(
        "rubric_categories",
        _id(),
        sa.Column("rubric_id", ID, sa.ForeignKey("rubrics.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("scale", sa.Text, nullable=False),  # pass_fail | 1-3 | 1-4 | 1-5
        sa.Column("scale_min", sa.Integer, nullable=False),
        sa.Column("scale_max", sa.Integer, nullable=False),
        sa.Column("weight", sa.Float, server_default="1.0"),
        sa.Column("allow_na", sa.Integer, server_default="0"),
        sa.Column("critical", sa.Integer, server_default="0"),
    )
    op.create_index(
        "idx_rubric_categories_rubric_id_key",
        "rubric_categories",
        ["rubric_id", "key"],
        unique=True,
    )
    op.create_index("idx_rubric_categories_key", "rubric_categories", ["key"])
    op.create_table(
        "reviews",
        _id(),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("rubric_id", ID, sa.ForeignKey("rubrics.id"), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("agent_id", ID, sa.ForeignKey("agents.id")),
        sa.Column("score", sa.Float),  # percent; NULL = no rated category
        sa.Column("critical_failed", sa.Integer, server_default="0"),
        sa.Column("overall_comment", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index(
        "idx_reviews_conversation_id_reviewer",
        "reviews",
        ["conversation_id", "reviewer"],
        unique=True,
    )
    for column in ("rubric_id", "agent_id", "score", "created_at"):
        op.create_index(f"idx_reviews_{column}", "reviews", [column])
    op.create_table(
        "review_ratings",
        sa.Column("review_id", ID, sa.ForeignKey("reviews.id"), primary_key=True),
        sa.Column("category_id", ID, sa.ForeignKey("rubric_categories.id"), primary_key=True),
        sa.Column("rating", sa.Integer),
        sa.Column("is_na", sa.Integer, nullable=False, server_default="0"),
        sa.Column("comment", sa.Text),
    )
    op.create_index("idx_review_ratings_category_id", "review_ratings", ["category_id"])
    op.create_table(
        "undo_log",
        _id(),
        sa.Column("session", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("undone", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows", sa.Text, nullable=False),  # JSON row images
        sa.Column("conversations", sa.Text),
        sa.Column("tables", sa.Text),
    )
    op.create_index("idx_undo_log_session_undone_id", "undo_log", ["session", "undone", "id"])
    op.create_table(
        "coaching_notes",
        _id(),
        sa.Column("agent_id", ID, sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("follow_up", sa.Text),
        sa.Column("followed_up_at", sa.Text),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index("idx_coaching_notes_agent_id", "coaching_notes", ["agent_id"])
    op.create_index("idx_coaching_notes_follow_up", "coaching_notes", ["follow_up"])
    op.create_table(
        "coaching_note_versions",
        sa.Column("note_id", ID, sa.ForeignKey("coaching_notes.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("author", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("follow_up", sa.Text),
        sa.Column("saved_at", sa.Text, nullable=False),
    )
    op.create_table(
        "coaching_note_reviews",
        sa.Column("note_id", ID, sa.ForeignKey("coaching_notes.id"), primary_key=True),
        sa.Column("review_id", ID, sa.ForeignKey("reviews.id"), primary_key=True),
    )
    op.create_index("idx_coaching_note_reviews_review_id", "coaching_note_reviews", ["review_id"])
    op.create_table(
        "action_items",
        _id(),
        sa.Column("note_id", ID, sa.ForeignKey("coaching_notes.id"), nullable=False),
        sa.Column("position", sa.Integer),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("due", sa.Text),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("done_at", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_index("idx_action_items_note_id", "action_items", ["note_id"])
    op.create_table(
        "action_item_categories",
        sa.Column("item_id", ID, sa.ForeignKey("action_items.id"), primary_key=True),
        sa.Column("category_id", ID, sa.ForeignKey("rubric_categories.id"), primary_key=True),
    )
    op.create_table(
        "queues",
        _id(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("reviewer", sa.Text),
        sa.Column("filters", sa.Text),  # JSON of review.filters.Filters
        sa.Column("sample_per_agent_per_week", sa.Integer),
        sa.Column("seed", sa.Integer),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "queue_items",
        sa.Column("queue_id", ID, sa.ForeignKey("queues.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id")),
    )
    op.create_index("idx_queue_items_conversation_id", "queue_items", ["conversation_id"])


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
