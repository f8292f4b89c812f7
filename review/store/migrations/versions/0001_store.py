"""Conversations as imported from helpdesks, with the people in them and the import log.

Was m001_store. Times are ISO 8601 text ("2024-05-01T09:30:00Z") on both engines, so they sort
and compare the same way everywhere.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from review.store import search_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.Integer


def _id() -> sa.Column:
    return sa.Column("id", ID, primary_key=True)


def upgrade() -> None:
    op.create_table(
        "imports",
        _id(),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.Text),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text),
        sa.Column("status", sa.Text, nullable=False),  # running | done | failed
        *(
            sa.Column(name, sa.Integer, server_default="0")
            for name in ("added", "updated", "unchanged", "rejected", "passed_over")
        ),
    )
    op.create_table(
        "import_problems",
        _id(),
        sa.Column("import_id", ID, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("record", sa.Text),
        sa.Column("helpdesk_id", sa.Text),
        sa.Column("field", sa.Text),
        sa.Column("problem", sa.Text, nullable=False),
    )
    op.create_table(
        "teams",
        _id(),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text),
    )
    op.create_index("idx_teams_source_external_id", "teams", ["source", "external_id"], unique=True)
    for people in ("agents", "customers"):
        extra = [sa.Column("team_id", ID, sa.ForeignKey("teams.id"))] if people == "agents" else []
        op.create_table(
            people,
            _id(),
            sa.Column("source", sa.Text, nullable=False),
            sa.Column("external_id", sa.Text, nullable=False),
            sa.Column("name", sa.Text),
            sa.Column("email", sa.Text),
            sa.Column("phone", sa.Text),
            *extra,
        )
        op.create_index(
            f"idx_{people}_source_external_id", people, ["source", "external_id"], unique=True
        )
        op.create_index(f"idx_{people}_email", people, ["email"])
    op.create_table(
        "conversations",
        _id(),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text, nullable=False),  # the helpdesk's own id, as text
        sa.Column("number", sa.Text),
        sa.Column("subject", sa.Text),
        sa.Column("channel", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("created_at", sa.Text),
        sa.Column("updated_at", sa.Text),
        sa.Column("closed_at", sa.Text),
        sa.Column("customer_id", ID, sa.ForeignKey("customers.id")),
        sa.Column("agent_id", ID, sa.ForeignKey("agents.id")),
        sa.Column("team_id", ID, sa.ForeignKey("teams.id")),
        sa.Column("message_count", sa.Integer, server_default="0"),
        sa.Column("custom_fields", sa.Text),  # JSON object
        sa.Column("first_import_id", ID, sa.ForeignKey("imports.id")),
        sa.Column("last_import_id", ID, sa.ForeignKey("imports.id")),
    )
    op.create_index(
        "idx_conversations_source_external_id",
        "conversations",
        ["source", "external_id"],
        unique=True,
    )
    for column in ("agent_id", "team_id", "customer_id", "channel", "status", "created_at"):
        op.create_index(f"idx_conversations_{column}", "conversations", [column])
    op.create_table(
        "messages",
        _id(),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("external_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False, server_default="message"),
        sa.Column("author_role", sa.Text, nullable=False, server_default="unknown"),
        sa.Column("author_external_id", sa.Text),
        sa.Column("author_name", sa.Text),
        sa.Column("is_internal", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.Text),
        sa.Column("body_text", sa.Text),
        sa.Column("body_html", sa.Text),
    )
    op.create_index(
        "idx_messages_conversation_id_external_id",
        "messages",
        ["conversation_id", "external_id"],
        unique=True,
    )
    op.create_index(
        "idx_messages_unknown_author",
        "messages",
        ["author_external_id"],
        sqlite_where=sa.text("author_role = 'unknown'"),
        postgresql_where=sa.text("author_role = 'unknown'"),
    )
    op.create_table("tags", _id(), sa.Column("name", sa.Text, nullable=False))
    op.create_index("idx_tags_name", "tags", ["name"], unique=True)
    op.create_table(
        "conversation_tags",
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), primary_key=True),
        sa.Column("tag_id", ID, sa.ForeignKey("tags.id"), primary_key=True),
        sa.Column("origin", sa.Text, nullable=False),  # helpdesk | user
    )
    op.create_index("idx_conversation_tags_tag_id", "conversation_tags", ["tag_id"])
    op.create_table(
        "ratings",
        _id(),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id")),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),  # csat | nps
        sa.Column("scale", sa.Text),
        sa.Column("raw_value", sa.Text),
        sa.Column("score", sa.Float),
        sa.Column("positive", sa.Integer),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", sa.Text),
    )
    op.create_index(
        "idx_ratings_source_external_id", "ratings", ["source", "external_id"], unique=True
    )
    op.create_index("idx_ratings_conversation_id", "ratings", ["conversation_id"])
    search_tables.create(op.get_bind(), columnsize=True)


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
