"""One description of "which conversations" shared by the list, queues, metrics and reports.

`Filters` is plain data; `conversation_where` turns it into SQL over `conversations c`.
Every figure in a report states its filters: `describe()` gives the words for that.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta


@dataclass(frozen=True)
class Filters:
    """Which conversations. Empty tuples and None mean "no restriction".

    Dates are "YYYY-MM-DD", both ends inclusive, on the conversation's created_at (UTC).
    `reviewed`/`churn_signal`: None = either, True/False = only with/without.
    `csat`: "positive" | "negative" | "any" (has a rating) | None.
    """

    date_from: str | None = None
    date_to: str | None = None
    agent_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    csat: str | None = None
    reviewed: bool | None = None
    churn_signal: bool | None = None
    min_messages: int | None = None
    max_messages: int | None = None
    conversation_ids: tuple[int, ...] | None = None  # an explicit set (search results, a chart bar)

    def is_empty(self) -> bool:
        """True when no restriction is set."""
        return all(getattr(self, f.name) in (None, ()) for f in fields(self))

    def describe(self) -> str:
        """The filters in words for report headers ("all conversations" when empty)."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"created {self.date_from or '…'} to {self.date_to or '…'}")
        for name, label in (
            ("agent_ids", "agents"),
            ("team_ids", "teams"),
            ("channels", "channels"),
            ("statuses", "statuses"),
            ("sources", "sources"),
            ("tags", "tags"),
        ):
            value = getattr(self, name)
            if value:
                parts.append(f"{label}: {', '.join(map(str, value))}")
        if self.csat:
            parts.append(f"CSAT {self.csat}")
        if self.reviewed is not None:
            parts.append("reviewed" if self.reviewed else "not reviewed")
        if self.churn_signal is not None:
            parts.append("with churn signal" if self.churn_signal else "without churn signal")
        if self.min_messages is not None or self.max_messages is not None:
            parts.append(f"{self.min_messages or 0}–{self.max_messages or '∞'} messages")
        if self.conversation_ids is not None:
            parts.append(f"{len(self.conversation_ids)} chosen conversations")
        return "; ".join(parts) if parts else "all conversations"


# A conversation counts as reviewed once a review of it holds a rating or an N/A: a review
# opened and left empty (or whose only rating was undone) does not.
REVIEWED_CONVERSATIONS = (
    "select r.conversation_id from reviews r where r.calibration_session_id is null and exists (select 1 from review_ratings rr "
    "where rr.review_id = r.id and (rr.rating is not null or rr.is_na = 1))"
)


def conversation_where(f: Filters, alias: str = "c") -> tuple[str, dict]:
    """(SQL condition, named parameters) selecting the conversations `f` describes.

    The condition refers to the conversations table as `alias`; it is "1 = 1" when `f` is empty.
    """
    a = alias
    clauses: list[str] = []
    params: dict = {}

    def add_in(column: str, values: tuple, key: str) -> None:
        names = []
        for i, value in enumerate(values):
            params[f"{key}{i}"] = value
            names.append(f":{key}{i}")
        clauses.append(f"{column} in ({', '.join(names)})")

    if f.date_from:
        clauses.append(f"{a}.created_at >= :date_from")
        params["date_from"] = f.date_from
    if f.date_to:  # before the next day: every timestamp of date_to, on either engine
        clauses.append(f"{a}.created_at < :date_after")
        params["date_after"] = (date.fromisoformat(f.date_to) + timedelta(days=1)).isoformat()
    if f.agent_ids:
        add_in(f"{a}.agent_id", f.agent_ids, "agent")
    if f.team_ids:
        add_in(f"{a}.team_id", f.team_ids, "team")
    if f.channels:
        add_in(f"{a}.channel", f.channels, "channel")
    if f.statuses:
        add_in(f"{a}.status", f.statuses, "status")
    if f.sources:
        add_in(f"{a}.source", f.sources, "source")
    if f.tags:
        names = []
        for i, tag in enumerate(f.tags):
            params[f"tag{i}"] = tag
            names.append(f":tag{i}")
        clauses.append(
            f"{a}.id in (select ct.conversation_id from conversation_tags ct join tags t "
            f"on t.id = ct.tag_id where t.name in ({', '.join(names)}))"
        )
    if f.csat == "positive":
        clauses.append(
            f"{a}.id in (select conversation_id from ratings where kind = 'csat' and positive = 1)"
        )
    elif f.csat == "negative":
        clauses.append(
            f"{a}.id in (select conversation_id from ratings where kind = 'csat' and positive = 0)"
        )
    elif f.csat == "any":
        clauses.append(f"{a}.id in (select conversation_id from ratings where kind = 'csat')")
    if f.reviewed is not None:
        clauses.append(f"{a}.id {'' if f.reviewed else 'not '}in ({REVIEWED_CONVERSATIONS})")
    if f.churn_signal is not None:
        clauses.append(
            f"{a}.id {'' if f.churn_signal else 'not '}in (select conversation_id from churn_signals)"
        )
    if f.min_messages is not None:
        clauses.append(f"{a}.message_count >= :min_messages")
        params["min_messages"] = f.min_messages
    if f.max_messages is not None:
        clauses.append(f"{a}.message_count <= :max_messages")
        params["max_messages"] = f.max_messages
    if f.conversation_ids is not None:
        ids = ",".join(str(int(i)) for i in f.conversation_ids) or "null"
        clauses.append(f"{a}.id in ({ids})")
    return (" and ".join(clauses) if clauses else "1 = 1"), params
