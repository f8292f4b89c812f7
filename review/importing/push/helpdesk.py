"""The helpdesk's records a push carries: teams, agents and customers, and conversations with
their messages, each merged by the helpdesk's own id. One the team store has already is left as
it is there, so two leads who imported the same export create no duplicates and pushing again
adds nothing. Only a login that may import (an admin) adds any; a lead's push maps onto what
the team store has."""

from __future__ import annotations

from review.importing.push.report import PushReport
from review.store import Store


def push_people(
    source: Store,
    target: Store,
    table: str,
    importing: bool,
    report: PushReport,
    teams: dict[int, int | None] | None = None,
) -> dict[int, int | None]:
    """Teams, agents (with `teams` mapped) or customers by helpdesk id (an agent the team
    store knows under another helpdesk id, by name when one agent has it): source id -> target
    id (None: not on the team store)."""
    columns = ["source", "external_id", "name"] + (["email", "phone"] if table != "teams" else [])
    there = target.execute(f"select id, source, external_id, name from {table}").fetchall()
    found = {(r[1], r[2]): r[0] for r in there}
    names: dict[str, list[int]] = {}
    for r in there:
        names.setdefault(r[3], []).append(r[0])
    mapping: dict[int, int | None] = {}
    for row in source.execute(
        f"select id, {', '.join(columns)}"
        + (", team_id" if table == "agents" else "")
        + f" from {table} order by id"
    ):
        key = (row[1], row[2])
        if key in found:
            mapping[row[0]] = found[key]
            report.add(table, "already there")
            continue
        if table == "agents" and row[3] and len(names.get(row[3], ())) == 1:
            mapping[row[0]] = names[row[3]][0]
            report.add(table, "already there (by name)")
            continue
        if not importing:
            mapping[row[0]] = None
            report.add(table, "not on the team store")
            continue
        values = dict(zip(columns, row[1 : 1 + len(columns)], strict=True))
        if table == "agents":
            values["team_id"] = (teams or {}).get(row[-1]) if row[-1] is not None else None
        mapping[row[0]] = found[key] = target.insert(table, values)
        report.add(table, "added")
    return mapping


CONVERSATION_COLUMNS = (
    "source", "external_id", "number", "subject", "channel", "status", "created_at",
    "updated_at", "closed_at", "message_count", "custom_fields", "record_digest",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "external_id", "kind", "author_role", "author_external_id", "author_name", "is_internal",
    "created_at", "updated_at", "body_text", "body_html",
)  # fmt: skip


def push_conversations(
    source: Store,
    target: Store,
    ids: dict[str, dict[int, int | None]],
    importing: bool,
    report: PushReport,
) -> dict[int, int]:
    """Conversations by helpdesk id, with their messages where added: source id -> target id
    (only those the team store has, or now has)."""
    found = {
        (r[1], r[2]): r[0]
        for r in target.execute("select id, source, external_id from conversations")
    }
    mapping: dict[int, int] = {}
    rows = source.execute(
        f"select id, agent_id, team_id, customer_id, {', '.join(CONVERSATION_COLUMNS)} "
        "from conversations order by id"
    ).fetchall()
    for row in rows:
        key = (row[4], row[5])
        if key in found:
            mapping[row[0]] = found[key]
            report.add("conversations", "already there")
            continue
        if not importing:
            report.add("conversations", "not on the team store (an admin imports them)")
            continue
        values = dict(zip(CONVERSATION_COLUMNS, row[4:], strict=True))
        values["agent_id"] = ids["agents"].get(row[1]) if row[1] is not None else None
        values["team_id"] = ids["teams"].get(row[2]) if row[2] is not None else None
        values["customer_id"] = ids["customers"].get(row[3]) if row[3] is not None else None
        new_id = target.insert("conversations", values)
        mapping[row[0]] = found[key] = new_id
        messages = [
            {"conversation_id": new_id, **dict(zip(MESSAGE_COLUMNS, m, strict=True))}
            for m in source.execute(
                f"select {', '.join(MESSAGE_COLUMNS)} from messages "
                "where conversation_id = :c order by id",
                {"c": row[0]},
            )
        ]
        target.insert_rows("messages", messages)
        report.add("conversations", "added")
        report.add("messages", "added", len(messages))
    return mapping
