"""Automatic quality suggestions, kept apart from people's ratings: one row per conversation and
rubric category with its evidence (JSON spans of messages) and the rule-set version; an auto
score per conversation; agreement with people per category and language. A rating accepted from
a suggestion says so (`review_ratings.suggested_by`), so agreement leaves it out. A queue may be
the N lowest auto scores of its filters.

Was m008_autoqa.

Revision ID: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "autoqa_suggestions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.Integer, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("category_key", sa.Text, nullable=False),
        sa.Column("rating", sa.Integer),
        sa.Column("is_na", sa.Integer, nullable=False, server_default="0"),
        sa.Column("kind", sa.Text, nullable=False),  # score | flag
        sa.Column("reason", sa.Text),
        sa.Column("evidence", sa.Text),  # JSON [{message_id, start, end, check, text}]
        sa.Column("ruleset", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_index(
        "idx_autoqa_suggestions_conversation_id_category_key",
        "autoqa_suggestions",
        ["conversation_id", "category_key"],
        unique=True,
    )
    op.create_table(
        "autoqa_scores",
        sa.Column(
            "conversation_id",
            sa.Integer,
            sa.ForeignKey("conversations.id"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("author_kind", sa.Text, nullable=False),  # person | bot | none
        sa.Column("score", sa.Float),
        sa.Column("categories", sa.Integer, nullable=False),
        sa.Column("ruleset", sa.Text, nullable=False),
        sa.Column("scored_at", sa.Text, nullable=False),
    )
    for column in ("score", "language", "author_kind"):
        op.create_index(f"idx_autoqa_scores_{column}", "autoqa_scores", [column])
    op.create_table(
        "autoqa_agreement",
        sa.Column("category_key", sa.Text, primary_key=True),
        sa.Column("language", sa.Text, primary_key=True),
        sa.Column("pairs", sa.Integer, nullable=False),
        sa.Column("kappa", sa.Float),
        sa.Column("agreement", sa.Float),
        sa.Column("kappa_low", sa.Float),
        sa.Column("kappa_high", sa.Float),
        sa.Column("offered", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ruleset", sa.Text),
        sa.Column("computed_at", sa.Text, nullable=False),
    )
    op.add_column("review_ratings", sa.Column("suggested_by", sa.Text))
    op.add_column("queues", sa.Column("lowest_auto_score", sa.Integer))


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
