"""What every part of one push shares: both stores, the report, whose work it is, and the laptop's
ids mapped onto the team store's."""

from __future__ import annotations

from dataclasses import dataclass, field

from review.importing.push.report import PushReport
from review.store import Store


@dataclass
class Pushing:
    """One push under way. The maps take a laptop id to the team store's id; a laptop record
    missing from one is not on the team store (or, for `agents`, maps to None)."""

    source: Store
    target: Store
    report: PushReport
    agents: dict[int, int | None] = field(default_factory=dict)
    conversations: dict[int, int] = field(default_factory=dict)
    reviews: dict[int, int] = field(default_factory=dict)
    categories: dict[int, int] = field(default_factory=dict)
    claimed: set[tuple[str, int]] = field(default_factory=set)  # team-store rows matched already

    @property
    def who(self) -> str:
        """The login whose work the push writes."""
        return self.report.reviewer

    def conversation_name(self, laptop_id: int) -> str:
        """A laptop conversation as the helpdesk names it ("zendesk:4512")."""
        row = self.source.execute(
            "select source, external_id from conversations where id = :c", {"c": laptop_id}
        ).fetchone()
        return f"{row[0]}:{row[1]}" if row else f"conversation {laptop_id}"

    def agent_name(self, laptop_id: int | None) -> str:
        """A laptop agent by name (or helpdesk id)."""
        row = self.source.execute(
            "select coalesce(name, external_id) from agents where id = :a", {"a": laptop_id}
        ).fetchone()
        return str(row[0]) if row else "no agent"
