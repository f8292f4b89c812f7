"""The coaching page's record tabs: the agent's reviews, saves and losses in the period, each
row opening its conversation in the main window (double-click or Enter)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTableWidgetItem

from desktop.dashboard_tables import KEY_ROLE, ReadOnlyTable, read_only_item
from desktop.formatting import score_text
from review.figures.agents import agent_losses, agent_reviews, agent_saves
from review.figures.scope import Scope
from review.retention.money import cents_to_decimal
from review.retention.saves import SAVE_METHODS

PREVENTABLE = {True: "yes", False: "no", None: "not judged"}


def _money(cents: int, currency: str) -> str:
    return f"{cents_to_decimal(cents):,.2f} {currency}"


class RecordTable(ReadOnlyTable):
    """A read-only table whose rows are conversations; `open_conversation(id)` on activation."""

    open_conversation = Signal(int)

    def __init__(self, name: str, headers: list[str], parent=None):
        super().__init__(name, headers, parent, stretch=1)
        self.setToolTip("Double-click or Enter opens the conversation in the main window")
        self.itemDoubleClicked.connect(self._open)
        self.itemActivated.connect(self._open)

    def fill(self, rows: list[tuple[int, list[str]]]) -> None:
        """One row per (conversation id, texts)."""
        self.setRowCount(len(rows))
        for row, (conversation_id, texts) in enumerate(rows):
            for column, text in enumerate(texts):
                self.setItem(row, column, read_only_item(text, data=conversation_id))

    def _open(self, item: QTableWidgetItem) -> None:
        conversation_id = item.data(KEY_ROLE)
        if conversation_id is not None:
            self.open_conversation.emit(int(conversation_id))


def record_tables(parent) -> tuple[RecordTable, RecordTable, RecordTable]:
    """The reviews, saves and losses tables."""
    return (
        RecordTable("agent-reviews", ["Date", "Conversation", "Reviewer", "Score"], parent),
        RecordTable("agent-saves", ["Saved on", "Conversation", "MRR", "How", "Status"], parent),
        RecordTable(
            "agent-losses",
            ["Lost on", "Conversation", "MRR", "Reason", "Preventable", "Outcome"],
            parent,
        ),
    )


def fill_records(
    scope: Scope, agent_id: int, reviews: RecordTable, saves: RecordTable, losses: RecordTable
) -> tuple[int, int, int]:
    """Fill the three tables with the agent's records in `scope`; (reviews, saves, losses)."""
    mine = agent_reviews(scope, agent_id)
    reviews.fill(
        [
            (
                r.conversation_id,
                [
                    (r.created_at or "")[:10],
                    r.subject or "(no subject)",
                    r.reviewer,
                    score_text(r.score) or "no score",
                ],
            )
            for r in mine
        ]  # fmt: skip
    )
    kept = agent_saves(scope, agent_id)
    saves.fill(
        [
            (
                s.conversation_id,
                [
                    s.saved_on,
                    s.subject or "(no subject)",
                    _money(s.mrr_cents, s.currency),
                    SAVE_METHODS.get(s.method, s.method),
                    s.status,
                ],
            )
            for s in kept
        ]  # fmt: skip
    )
    lost = agent_losses(scope, agent_id)
    losses.fill(
        [
            (
                x.conversation_id,
                [
                    x.lost_on,
                    x.subject or "(no subject)",
                    _money(x.mrr_cents, x.currency),
                    x.reason,
                    PREVENTABLE[x.preventable],
                    "right outcome" if x.right_outcome else "loss",
                ],
            )
            for x in lost
        ]  # fmt: skip
    )
    return len(mine), len(kept), len(lost)
