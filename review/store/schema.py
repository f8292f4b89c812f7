"""The savedesk schema as one ordered set of migrations.

Each step is a function `mNNN_name(db)`. An applied step is never edited, only followed by a
new one: a database made by today's code opens with tomorrow's. Steps run in a transaction, so
a failed step leaves the file as it was.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from review.store.search import rebuild_index

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
        },
        pk="id",
        not_null={"conversation_id", "external_id", "kind", "author_role", "is_internal"},
        defaults={"kind": "message", "author_role": "unknown", "is_internal": 0},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )
    db["messages"].create_index(["conversation_id", "external_id"], unique=True)
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
    # no spaces, so review.store.search puts each Han character in a token of its own before indexing
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


@migrations()
def m002_reviews(db: Database) -> None:
    """Rubrics (versioned), reviews with a rating per category, the undo history, coaching
    notes with action items, and review queues."""
    db["rubrics"].create(
        {
            "id": int,
            "name": str,
            "version": int,
            "created_at": str,
            "toml": str,  # the rubric as a file, for export and for the record
            "is_current": int,  # 1 on the rubric new reviews use
        },
        pk="id",
        not_null={"name", "version", "created_at"},
        defaults={"is_current": 0},
    )
    db["rubrics"].create_index(["name", "version"], unique=True)
    db["rubric_categories"].create(
        {
            "id": int,
            "rubric_id": int,
            "position": int,
            "key": str,
            "name": str,
            "description": str,
            "scale": str,  # pass_fail | 1-3 | 1-4 | 1-5
            "scale_min": int,
            "scale_max": int,
            "weight": float,
            "allow_na": int,
            "critical": int,
        },
        pk="id",
        not_null={"rubric_id", "position", "key", "name", "scale", "scale_min", "scale_max"},
        defaults={"allow_na": 0, "critical": 0, "weight": 1.0},
        foreign_keys=[("rubric_id", "rubrics", "id")],
    )
    db["rubric_categories"].create_index(["rubric_id", "key"], unique=True)
    db["rubric_categories"].create_index(["key"])
    db["reviews"].create(
        {
            "id": int,
            "conversation_id": int,
            "rubric_id": int,
            "reviewer": str,
            "agent_id": int,
            "score": float,  # percent, NULL = no rated category; kept current at every write
            "critical_failed": int,
            "overall_comment": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"conversation_id", "rubric_id", "reviewer", "created_at", "updated_at"},
        defaults={"critical_failed": 0},
        foreign_keys=[
            ("conversation_id", "conversations", "id"),
            ("rubric_id", "rubrics", "id"),
            ("agent_id", "agents", "id"),
        ],
    )
    reviews = db["reviews"]
    reviews.create_index(["conversation_id", "reviewer"], unique=True)
    for column in ("rubric_id", "agent_id", "score", "created_at"):
        reviews.create_index([column])
    db["review_ratings"].create(
        {
            "review_id": int,
            "category_id": int,
            "rating": int,  # NULL when N/A or not rated yet (a comment alone)
            "is_na": int,
            "comment": str,
        },
        pk=("review_id", "category_id"),
        not_null={"is_na"},
        defaults={"is_na": 0},
        foreign_keys=[("review_id", "reviews", "id"), ("category_id", "rubric_categories", "id")],
    )
    db["review_ratings"].create_index(["category_id"])
    db["undo_log"].create(
        {
            "id": int,
            "session": str,  # the GUI's session id: each session undoes only its own steps
            "label": str,  # "Rate 'Tone' 4"
            "created_at": str,
            "undone": int,  # 1 = undone, can be redone
            "rows": str,  # JSON [{table, key, before, after}] row images
            "conversations": str,  # JSON list of conversation ids touched
            "tables": str,  # JSON list of tables written
        },
        pk="id",
        not_null={"session", "label", "created_at", "undone", "rows"},
        defaults={"undone": 0},
    )
    db["undo_log"].create_index(["session", "undone", "id"])
    db["coaching_notes"].create(
        {
            "id": int,
            "agent_id": int,
            "author": str,
            "text": str,
            "follow_up": str,  # YYYY-MM-DD or NULL
            "followed_up_at": str,
            "version": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"agent_id", "text", "version", "created_at", "updated_at"},
        defaults={"version": 1},
        foreign_keys=[("agent_id", "agents", "id")],
    )
    db["coaching_notes"].create_index(["agent_id"])
    db["coaching_notes"].create_index(["follow_up"])
    db["coaching_note_versions"].create(
        {
            "note_id": int,
            "version": int,
            "author": str,
            "text": str,
            "follow_up": str,
            "saved_at": str,
        },
        pk=("note_id", "version"),
        not_null={"text", "saved_at"},
        foreign_keys=[("note_id", "coaching_notes", "id")],
    )
    db["coaching_note_reviews"].create(
        {"note_id": int, "review_id": int},
        pk=("note_id", "review_id"),
        foreign_keys=[("note_id", "coaching_notes", "id"), ("review_id", "reviews", "id")],
    )
    db["coaching_note_reviews"].create_index(["review_id"])
    db["action_items"].create(
        {
            "id": int,
            "note_id": int,
            "position": int,
            "text": str,
            "due": str,  # YYYY-MM-DD or NULL
            "done": int,
            "done_at": str,
            "created_at": str,
        },
        pk="id",
        not_null={"note_id", "text", "done", "created_at"},
        defaults={"done": 0},
        foreign_keys=[("note_id", "coaching_notes", "id")],
    )
    db["action_items"].create_index(["note_id"])
    db["action_item_categories"].create(
        {"item_id": int, "category_id": int},
        pk=("item_id", "category_id"),
        foreign_keys=[
            ("item_id", "action_items", "id"),
            ("category_id", "rubric_categories", "id"),
        ],
    )
    db["queues"].create(
        {
            "id": int,
            "name": str,
            "reviewer": str,
            "filters": str,  # JSON of review.filters.Filters
            "sample_per_agent_per_week": int,
            "seed": int,
            "position": int,  # where the reviewer is (0-based index into queue_items)
            "created_at": str,
        },
        pk="id",
        not_null={"name", "position", "created_at"},
        defaults={"position": 0},
    )
    db["queue_items"].create(
        {"queue_id": int, "position": int, "conversation_id": int},
        pk=("queue_id", "position"),
        foreign_keys=[("queue_id", "queues", "id"), ("conversation_id", "conversations", "id")],
    )
    db["queue_items"].create_index(["conversation_id"])


@migrations()
def m003_retention(db: Database) -> None:
    """Saved and lost customers, the loss-reason taxonomy, billing lists, churn signals found in
    customer messages, customer counts entered per period, and domain settings.

    Money is INTEGER cents (`mrr_cents`) with its ISO 4217 `currency`: sums stay exact.
    """
    db["settings"].create({"key": str, "value": str}, pk="key", not_null={"value"})
    db["saves"].create(
        {
            "id": int,
            "conversation_id": int,
            "mrr_cents": int,  # MRR kept; a partial save (downgrade) keeps the new plan's MRR
            "currency": str,
            "method": str,  # one of review.retention.saves.SAVE_METHODS
            "agent_id": int,  # the agent credited
            "saved_on": str,  # YYYY-MM-DD
            "story": str,
            "status": str,  # pending | confirmed | failed
            "status_checked_on": str,  # YYYY-MM-DD of the billing check that set the status
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"conversation_id", "mrr_cents", "currency", "method", "saved_on", "status"},
        defaults={"status": "pending"},
        foreign_keys=[("conversation_id", "conversations", "id"), ("agent_id", "agents", "id")],
    )
    for column in ("conversation_id", "agent_id", "saved_on", "status"):
        db["saves"].create_index([column])
    db["loss_reasons"].create(
        {"id": int, "name": str, "parent": int, "builtin": int, "position": int},
        pk="id",
        not_null={"name", "builtin", "position"},
        defaults={"builtin": 0, "position": 0},
        foreign_keys=[("parent", "loss_reasons", "id")],
    )
    db["loss_reasons"].create_index(["name"], unique=True)
    taxonomy = [
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
    position = 0
    for name, children in taxonomy:
        position += 1
        parent = (
            db["loss_reasons"].insert({"name": name, "builtin": 1, "position": position}).last_pk
        )
        for child in children:
            position += 1
            db["loss_reasons"].insert(
                {"name": child, "parent": parent, "builtin": 1, "position": position}
            )
    db["losses"].create(
        {
            "id": int,
            "conversation_id": int,
            "mrr_cents": int,
            "currency": str,
            "reason_id": int,
            "preventable": int,  # 1 yes, 0 no, NULL not judged
            "customer_words": str,
            "agent_id": int,
            "lost_on": str,  # YYYY-MM-DD
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"conversation_id", "mrr_cents", "currency", "reason_id", "lost_on"},
        foreign_keys=[
            ("conversation_id", "conversations", "id"),
            ("reason_id", "loss_reasons", "id"),
            ("agent_id", "agents", "id"),
        ],
    )
    for column in ("conversation_id", "reason_id", "agent_id", "lost_on"):
        db["losses"].create_index([column])
    db["billing_imports"].create(
        {"id": int, "path": str, "imported_at": str, "records": int},
        pk="id",
        not_null={"path", "imported_at"},
    )
    db["billing_records"].create(
        {
            "id": int,
            "customer_key": str,  # the customer's id in the list, else their email (lower case)
            "customer_email": str,  # lower case, when the list gives one
            "status": str,  # active | cancelled (normalised from the list's words)
            "mrr_cents": int,
            "currency": str,
            "as_of": str,  # YYYY-MM-DD
            "import_id": int,
        },
        pk="id",
        not_null={"customer_key", "status", "mrr_cents", "as_of"},
        foreign_keys=[("import_id", "billing_imports", "id")],
    )
    db["billing_records"].create_index(["customer_key", "as_of"])
    db["billing_records"].create_index(["customer_email", "as_of"])
    db["billing_records"].create_index(["as_of"])
    db["churn_signals"].create(
        {
            "id": int,
            "conversation_id": int,
            "message_id": int,
            "phrase": str,  # the phrase-list entry that matched
            "matched": str,  # the words of the message it matched
            "intent": str,  # cancel | refund | downgrade | close_account | export_data | ...
            "language": str,  # en | zh-Hans | zh-Hant | ru (of the phrase list)
        },
        pk="id",
        not_null={"conversation_id", "message_id", "phrase", "intent", "language"},
        foreign_keys=[("conversation_id", "conversations", "id"), ("message_id", "messages", "id")],
    )
    db["churn_signals"].create_index(["conversation_id"])
    db["churn_signals"].create_index(["message_id", "intent"], unique=True)
    db["period_counts"].create(
        {
            "period_start": str,  # YYYY-MM-DD
            "period_end": str,  # YYYY-MM-DD, inclusive
            "customers_start": int,
            "customers_end": int,
            "customers_new": int,
            "customers_lost": int,  # NULL: taken as start + new - end
        },
        pk=("period_start", "period_end"),
        not_null={"customers_start", "customers_end", "customers_new"},
    )


@migrations()
def m004_search_rowids(db: Database) -> None:
    """Message search rows keyed by conversation and message together (review.store.search.message_rowid),
    so a search finds its conversations from the index alone. The tables are remade without the
    per-row column sizes (columnsize=0: only bm25 ranking reads them, and savedesk lists hits by
    date), which makes indexing a third faster; then refilled from the stored text."""
    for table, column in (("search_messages", "body"), ("search_subjects", "subject")):
        db.execute(f"drop table if exists {table}")
        db.execute(
            f"create virtual table {table} using fts5({column}, content='', columnsize=0, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
    rebuild_index(db)


@migrations()
def m008_autoqa(db: Database) -> None:
    """Automatic quality suggestions, kept apart from people's ratings: one row per conversation
    and rubric category with the evidence (JSON spans of messages) and the rule-set version; an
    auto score per conversation; agreement with people per category and language. A rating
    accepted from a suggestion says so (`review_ratings.suggested_by`: the rule-set version), so
    agreement leaves it out. A queue may be the N lowest auto scores of its filters."""
    db["autoqa_suggestions"].create(
        {
            "id": int,
            "conversation_id": int,
            "category_key": str,  # the rubric category's key (tone, effort, ...)
            "rating": int,  # on the current rubric's scale; NULL for N/A or a flag
            "is_na": int,
            "kind": str,  # score | flag (a flag is for a person to read, never a rating)
            "reason": str,
            "evidence": str,  # JSON [{message_id, start, end, check, text}]
            "ruleset": str,
            "created_at": str,
        },
        pk="id",
        not_null={"conversation_id", "category_key", "is_na", "kind", "ruleset", "created_at"},
        defaults={"is_na": 0},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )
    db["autoqa_suggestions"].create_index(["conversation_id", "category_key"], unique=True)
    db["autoqa_scores"].create(
        {
            "conversation_id": int,
            "language": str,  # en | ru | zh-Hans | zh-Hant
            "author_kind": str,  # person | bot | none: bots are scored apart from people
            "score": float,  # percent like a review's score; NULL when nothing was scored
            "categories": int,  # how many categories the score rests on
            "ruleset": str,
            "scored_at": str,
        },
        pk="conversation_id",
        not_null={"language", "author_kind", "categories", "ruleset", "scored_at"},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )
    for column in ("score", "language", "author_kind"):
        db["autoqa_scores"].create_index([column])
    db["autoqa_agreement"].create(
        {
            "category_key": str,
            "language": str,
            "pairs": int,
            "kappa": float,  # Cohen's kappa, quadratic weights; NULL when undefined
            "agreement": float,  # percent of pairs that agree exactly
            "kappa_low": float,  # bootstrap 95% interval of kappa
            "kappa_high": float,
            "offered": int,  # 1 when the category passes the bar (review.reviewing.autoqa.agreement)
            "ruleset": str,
            "computed_at": str,
        },
        pk=("category_key", "language"),
        not_null={"pairs", "offered", "computed_at"},
        defaults={"offered": 0},
    )
    db["review_ratings"].add_column("suggested_by", str)
    db["queues"].add_column("lowest_auto_score", int)


@migrations()
def m006_loss_reason_outcomes(db: Database) -> None:
    """Each loss reason says whether a loss tagged with it is a loss or the right outcome
    (DOMAIN.md: "Not a fit" is the right outcome, kept out of lost MRR and the save rate)."""
    db["loss_reasons"].add_column("outcome", str, not_null_default="loss")
    db.execute(
        "update loss_reasons set outcome = 'right_outcome' "
        "where builtin = 1 and name like 'Not a fit%'"
    )


@migrations()
def m006_reply_times(db: Database) -> None:
    """Per conversation, when the customer first wrote, how long the first agent reply took and
    how many replies the agents sent (with its creation, assignee, team, channel and whether it
    was resolved, so figures over a period, team or agent need not look the conversation up):
    derived by review.figures.reply_times and refreshed after imports, so response figures
    need not read every message."""
    db["reply_times"].create(
        {
            "conversation_id": int,
            "created_at": str,
            "agent_id": int,
            "team_id": int,
            "channel": str,
            "resolved": int,
            "asked_at": str,
            "first_reply_s": float,
            "agent_replies": int,
        },
        pk="conversation_id",
        not_null={"agent_replies", "resolved"},
        defaults={"agent_replies": 0, "resolved": 0},
    )
    db["reply_times"].create_index(["channel", "first_reply_s"])
    db["reply_times"].create_index(["first_reply_s"])
    db["reply_times"].create_index(["resolved", "agent_replies"])
    for first in ("created_at", "team_id", "agent_id"):
        db["reply_times"].create_index(
            [first, "channel", "first_reply_s", "resolved", "agent_replies"]
        )
    db["derived_tables"].create({"name": str, "fingerprint": str}, pk="name")


@migrations()
def m006_figure_indexes(db: Database) -> None:
    """Covering indexes for the figures: scored reviews and satisfaction ratings read in the
    order of their conversations, so a figure set's one pass over each table finds every
    conversation it joins in order instead of at random (twice as fast at 1,000,000); and the
    conversations of a period or a team with the columns figures count them by, read from the
    index alone (ten times as fast as looking each row up)."""
    db["reviews"].create_index(["conversation_id", "score", "rubric_id", "agent_id"])
    db["ratings"].create_index(["kind", "conversation_id", "positive", "score"])
    db["conversations"].create_index(["created_at", "status", "team_id", "agent_id", "channel"])
    db["conversations"].create_index(["team_id", "status", "agent_id", "created_at", "channel"])


@migrations()
def m005_import_ledger(db: Database) -> None:
    """The import history: one row per import (what the user named, when, its whole ledger as
    shown at the end), and each file's row pointing at it."""
    db["import_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "paths": str,  # JSON list of what the user named
            "strict": int,
            "status": str,  # running | done | refused
            "ledger": str,  # JSON: review.importing.ledger.ImportReport.as_dict()
        },
        pk="id",
        not_null={"started_at", "status"},
    )
    db["imports"].add_column("run_id", int, fk="import_runs", fk_col="id")
    db["imports"].add_column("read", int)
    db["imports"].add_column("error", str)
    # when the helpdesk last changed a message: an older snapshot never overwrites a newer one
    db["messages"].add_column("updated_at", str)
    # a digest of the source record a conversation was last read from: on re-import, a record
    # whose digest is stored is not even parsed again (looked up by the digest alone)
    db["conversations"].add_column("record_digest", str)
    db["conversations"].create_index(["record_digest"])


@migrations()
def m007_operations(db: Database) -> None:
    """The operation path (review.operations): `undo_log.merge_key` lets the edits of one text
    field, written through as they are typed, share one undo step; `applied_operations` holds
    the id of each operation the app wrote, so one replayed after a crash is never applied twice.
    """
    db.execute("alter table undo_log add column merge_key text")
    db["applied_operations"].create(
        {"id": str, "name": str, "applied_at": str},
        pk="id",
        not_null={"name", "applied_at"},
    )
    db["applied_operations"].create_index(["applied_at"])


@migrations()
def m007_drafts(db: Database) -> None:
    """Text typed into a dialog before its OK (a save's story, a loss's customer's words, a
    coaching note), kept as it is typed so a crash loses none of it; keyed by what it is for."""
    db["drafts"].create(
        {"key": str, "text": str, "updated_at": str}, pk="key", not_null={"text", "updated_at"}
    )
