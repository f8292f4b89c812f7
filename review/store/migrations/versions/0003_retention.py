"""Saved and lost customers, the loss-reason taxonomy, billing lists, churn signals, customer
counts per period, and domain settings. Money is integer cents with its ISO 4217 currency.

Was m003_retention.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.Integer

TAXONOMY = [
    ("Poor service experience", []),
    ("Ineffective onboarding (never reached first value)", []),
    ("Success drop-off (used it, stopped seeing value)", []),
    (
        "Natural causes",
        [
            "Champion or staff change",
            "Process change",
            "Business closed or moved",
            "Outgrew the product",
            "Budget cut",
        ],
    ),
    ("Pushed too hard (aggressive upsell or sales)", []),
    ("Price", []),
    ("Missing feature", []),
    ("Bugs or reliability", []),
    ("Switched to a competitor", []),
    ("Not a fit (the product was the wrong tool, or the customer was abusive)", []),
    ("Other", []),
]


def _id() -> sa.Column:
    return sa.Column("id", ID, primary_key=True)


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "saves",
        _id(),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("mrr_cents", sa.Integer, nullable=False),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("agent_id", ID, sa.ForeignKey("agents.id")),
        sa.Column("saved_on", sa.Text, nullable=False),
        sa.Column("story", sa.Text),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("status_checked_on", sa.Text),
        sa.Column("created_at", sa.Text),
        sa.Column("updated_at", sa.Text),
    )
    for column in ("conversation_id", "agent_id", "saved_on", "status"):
        op.create_index(f"idx_saves_{column}", "saves", [column])
    reasons = op.create_table(
        "loss_reasons",
        _id(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("parent", ID, sa.ForeignKey("loss_reasons.id")),
        sa.Column("builtin", sa.Integer, nullable=False, server_default="0"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("idx_loss_reasons_name", "loss_reasons", ["name"], unique=True)
    bind, position = op.get_bind(), 0
    for name, children in TAXONOMY:
        position += 1
        parent = bind.execute(
            reasons.insert().returning(reasons.c.id),
            {"name": name, "parent": None, "builtin": 1, "position": position},
        ).scalar_one()
        for child in children:
            position += 1
            bind.execute(
                reasons.insert(),
                {"name": child, "parent": parent, "builtin": 1, "position": position},
            )
    op.create_table(
        "losses",
        _id(),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("mrr_cents", sa.Integer, nullable=False),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("reason_id", ID, sa.ForeignKey("loss_reasons.id"), nullable=False),
        sa.Column("preventable", sa.Integer),
        sa.Column("customer_words", sa.Text),
        sa.Column("agent_id", ID, sa.ForeignKey("agents.id")),
        sa.Column("lost_on", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text),
        sa.Column("updated_at", sa.Text),
    )
    for column in ("conversation_id", "reason_id", "agent_id", "lost_on"):
        op.create_index(f"idx_losses_{column}", "losses", [column])
    op.create_table(
        "billing_imports",
        _id(),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("imported_at", sa.Text, nullable=False),
        sa.Column("records", sa.Integer),
    )
    op.create_table(
        "billing_records",
        _id(),
        sa.Column("customer_key", sa.Text, nullable=False),
        sa.Column("customer_email", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("mrr_cents", sa.Integer, nullable=False),
        sa.Column("currency", sa.Text),
        sa.Column("as_of", sa.Text, nullable=False),
        sa.Column("import_id", ID, sa.ForeignKey("billing_imports.id")),
    )
    op.create_index(
        "idx_billing_records_customer_key_as_of", "billing_records", ["customer_key", "as_of"]
    )
    op.create_index(
        "idx_billing_records_customer_email_as_of", "billing_records", ["customer_email", "as_of"]
    )
    op.create_index("idx_billing_records_as_of", "billing_records", ["as_of"])
    op.create_table(
        "churn_signals",
        _id(),
        sa.Column("conversation_id", ID, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("phrase", sa.Text, nullable=False),
        sa.Column("matched", sa.Text),
        sa.Column("intent", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
    )
    op.create_index("idx_churn_signals_conversation_id", "churn_signals", ["conversation_id"])
    op.create_index(
        "idx_churn_signals_message_id_intent",
        "churn_signals",
        ["message_id", "intent"],
        unique=True,
    )
    op.create_table(
        "period_counts",
        sa.Column("period_start", sa.Text, primary_key=True),
        sa.Column("period_end", sa.Text, primary_key=True),
        sa.Column("customers_start", sa.Integer, nullable=False),
        sa.Column("customers_end", sa.Integer, nullable=False),
        sa.Column("customers_new", sa.Integer, nullable=False),
        sa.Column("customers_lost", sa.Integer),
    )


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
