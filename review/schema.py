"""The savedesk schema as one ordered set of migrations.

Each step is a function `mNNN_name(db)`. An applied step is never edited, only followed by a
new one: a database made by today's code opens with tomorrow's. Steps run in a transaction, so
a failed step leaves the file as it was.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("savedesk")


@migrations()
def m001_store(db: Database) -> None:
    """Conversations as imported from helpdesks, with the people in them and the import log."""
    db["imports"].create(
        {
            "id": int,
            "path": str,
            "format": str,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | done | failed
            "added": int,
            "updated": int,
            "unchanged": int,
            "rejected": int,
            "passed_over": int,
        },
        pk="id",
        not_null={"path", "started_at", "status"},
        defaults={"added": 0, "updated": 0, "unchanged": 0, "rejected": 0, "passed_over": 0},
    )
    db["import_problems"].create(
        {
            "id": int,
            "import_id": int,
            "path": str,
            "record": str,
            "helpdesk_id": str,
            "field": str,
            "problem": str,
        },
        pk="id",
        not_null={"import_id", "problem"},
        foreign_keys=[("import_id", "imports", "id")],
    )
    db["teams"].create(
        {"id": int, "source": str, "external_id": str, "name": str},
        pk="id",
        not_null={"source", "external_id"},
    )
    db["teams"].create_index(["source", "external_id"], unique=True)
    for people in ("agents", "customers"):
        columns = {
            "id": int,
            "source": str,
            "external_id": str,
            "name": str,
            "email": str,
            "phone": str,
        }
        if people == "agents":
            columns["team_id"] = int
        db[people].create(
            columns,
            pk="id",
            not_null={"source", "external_id"},
            foreign_keys=[("team_id", "teams", "id")] if people == "agents" else [],
        )
        db[people].create_index(["source", "external_id"], unique=True)
        db[people].create_index(["email"])
    db["conversations"].create(
        {
            "id": int,
            "source": str,  # zendesk, helpscout, intercom, freshdesk, front, twitter, csv
            "external_id": str,  # the helpdesk's own id, as text (ids may exceed 2**53)
            "number": str,
            "subject": str,
            "channel": str,
            "status": str,
            "created_at": str,  # ISO 8601 UTC, "2024-05-01T09:30:00Z"
            "updated_at": str,
            "closed_at": str,
            "customer_id": int,
            "agent_id": int,
            "team_id": int,
            "message_count": int,  # messages written by people or bots, internal notes included
            "custom_fields": str,  # JSON object
            "content_hash": str,  # of the fields above as last imported: tells "unchanged"
            "first_import_id": int,
            "last_import_id": int,
        },
        pk="id",
        not_null={"source", "external_id"},
        defaults={"message_count": 0},
        foreign_keys=[
            ("customer_id", "customers", "id"),
            ("agent_id", "agents", "id"),
            ("team_id", "teams", "id"),
            ("first_import_id", "imports", "id"),
            ("last_import_id", "imports", "id"),
        ],
    )
    conversations = db["conversations"]
    conversations.create_index(["source", "external_id"], unique=True)
    for column in ("agent_id", "team_id", "customer_id", "channel", "status", "created_at"):
        conversations.create_index([column])
    db["messages"].create(
        {
            "id": int,
            "conversation_id": int,
            "external_id": str,
            "kind": str,  # message | event (assignments, status changes, Help Scout line items)
            "author_role": str,  # customer | agent | bot | system | unknown
            "author_external_id": str,
            "author_name": str,
            "is_internal": int,  # 1 = internal note the customer never saw
            "created_at": str,
            "body_text": str,
            "body_html": str,
            "content_hash": str,
        },
        pk="id",
        not_null={"conversation_id", "external_id", "kind", "author_role", "is_internal"},
        defaults={"kind": "message", "author_role": "unknown", "is_internal": 0},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )
    db["messages"].create_index(["conversation_id", "external_id"], unique=True)
    db["messages"].create_index(["conversation_id", "created_at"])
    db.execute(
        "create index idx_messages_unknown_author on messages(author_external_id) "
        "where author_role = 'unknown'"
    )
    db["tags"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["tags"].create_index(["name"], unique=True)
    db["conversation_tags"].create(
        {"conversation_id": int, "tag_id": int, "origin": str},  # origin: helpdesk | user
        pk=("conversation_id", "tag_id"),
        not_null={"origin"},
        foreign_keys=[("conversation_id", "conversations", "id"), ("tag_id", "tags", "id")],
    )
    db["conversation_tags"].create_index(["tag_id"])
    db["ratings"].create(
        {
            "id": int,
            "conversation_id": int,
            "source": str,
            "external_id": str,
            "kind": str,  # csat | nps
            "scale": str,  # good-bad | 1-5 | 0-10 | freshdesk-103 | great-okay-bad
            "raw_value": str,
            "score": float,  # on the scale's own numbers (good=1, bad=0)
            "positive": int,  # csat only: 1 good or 4-5, 0 otherwise
            "comment": str,
            "created_at": str,
        },
        pk="id",
        not_null={"source", "external_id", "kind"},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )
    db["ratings"].create_index(["source", "external_id"], unique=True)
    db["ratings"].create_index(["conversation_id"])
    # Full-text search. unicode61 folds case and diacritics for Latin and Cyrillic; Chinese has
    # no spaces, so review.search puts each Han character in a token of its own before indexing
    # and turns a Chinese query into a phrase of characters. Unlike the trigram tokenizer this
    # finds two-character words (退款, 取消), which are most Chinese words. The tables are
    # contentless: the text lives once, in messages/conversations.
    db.execute(
        "create virtual table search_messages using fts5("
        "body, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute(
        "create virtual table search_subjects using fts5("
        "subject, content='', tokenize='unicode61 remove_diacritics 2')"
    )
