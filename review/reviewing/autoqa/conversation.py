"""The values the quality rules read (a conversation and its messages) and write (findings
with their evidence)."""

from __future__ import annotations

from dataclasses import dataclass

# Message roles as the rules see them: "note" is an internal note the customer never saw.
CUSTOMER, AGENT, BOT, NOTE = "customer", "agent", "bot", "note"
# What a suggestion is: a rating on the category's scale (or N/A), or a flag for a person to
# read that has no rating (rudeness; an update promised and never given).
SCORE, FLAG = "score", "flag"


@dataclass(frozen=True)
class Message:
    """One message: its stored id, who wrote it, its text and when (ISO 8601, or None)."""

    id: int
    role: str
    text: str
    created_at: str | None = None


@dataclass(frozen=True)
class Conversation:
    """What the rules need of one conversation: its messages in order, the customer's name as
    the helpdesk has it, its tags, whether a save or loss was recorded on it, and its stored
    churn signals when there are."""

    id: int
    messages: tuple[Message, ...]
    customer_name: str | None = None
    tags: tuple[str, ...] = ()
    outcome_recorded: bool = False
    # churn signals already found and stored (review.retention.churn, run on import), as
    # (message id, start, end); None: the rules look for them themselves
    signals: tuple[tuple[int, int, int], ...] | None = None

    def by_role(self, *roles: str) -> list[Message]:
        """The messages written by these roles, in order."""
        return [m for m in self.messages if m.role in roles]


@dataclass(frozen=True)
class Evidence:
    """The words a finding rests on: a span [start, end) of one message's text."""

    message_id: int
    start: int
    end: int
    check: str
    text: str

    def as_dict(self) -> dict:
        """For JSON storage."""
        return {
            "message_id": self.message_id,
            "start": self.start,
            "end": self.end,
            "check": self.check,
            "text": self.text,
        }


@dataclass(frozen=True)
class Finding:
    """The outcome of one check on one conversation: found or not, the evidence, a number for
    measuring checks (a readability index, hours of waiting), and a note in words."""

    check: str
    found: bool
    evidence: tuple[Evidence, ...] = ()
    value: float | None = None
    note: str = ""


def evidence(message: Message, start: int, end: int, check: str) -> Evidence:
    """Evidence for the span [start, end) of `message`."""
    return Evidence(message.id, start, end, check, message.text[start:end])
