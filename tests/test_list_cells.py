"""Each column of the conversation list shows its own field of the row, as the user reads it."""

from __future__ import annotations

from desktop.conversation_model import COLUMNS, _row_cells
from review.reviewing.browse import ListRow


def test_each_column_shows_its_field():
    row = ListRow(
        id=7,
        created_at="2024-05-01T09:30:00Z",
        subject="Отмена подписки 退款",
        customer="Ann",
        agent="Bo",
        team="Billing",
        channel="email",
        status="open",
        message_count=12,
        csat="good",
        nps=None,
        score=86.6,
        reviews=1,
        churn_signal=True,
        saved=True,
        lost=False,
    )
    cells = dict(zip([name for name, _ in COLUMNS], _row_cells(row), strict=True))
    created = cells.pop("Created")
    assert len(created) == 16 and created[4] == "-" and created[10] == " "  # local wall time
    assert cells == {
        "Subject": "Отмена подписки 退款",
        "Customer": "Ann",
        "Agent": "Bo",
        "Team": "Billing",
        "Channel": "email",
        "Status": "open",
        "Msgs": "12",
        "CSAT": "good",
        "Score": "87",
        "Signals": "⚑ churn ✔ saved",
    }


def test_a_row_with_nothing_shows_blanks_not_none():
    row = ListRow(
        7, None, None, None, None, None, None, None, 0, None, None, None, 0, False, False, False
    )
    assert _row_cells(row) == ("", "(no subject)", "", "", "", "", "", "0", "", "", "")
