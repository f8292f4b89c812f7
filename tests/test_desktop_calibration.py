"""The calibration page on the demo database: the conversations two reviewers reviewed, chosen
with the mouse, show the same agreement figures as review.reviewing.calibration for them, the
percent agreement with its Wilson interval over the reviewer pairs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.calibration_page import FIXED_COLUMNS, alpha_text
from review.figures.values import wilson
from review.reviewing.calibration import calibration
from tests.gui import show_main_window


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path, reviewer="Lena Gruber")
    yield win
    if win.pages.calibration is not None:
        win.pages.calibration.close()
    win.close()
    win.db.close()


def _shown(page) -> dict[str, tuple[str, str, str, str]]:
    table = page.agreement
    return {
        table.item(r, 0).text(): tuple(table.item(r, c).text() for c in range(1, 5))
        for r in range(table.rowCount())
        if table.item(r, 1) is not None
    }


def _agreement(percent: float | None, pairs: int) -> str:
    if percent is None:
        return "no data"
    low, high = wilson(round(percent * pairs / 100), pairs)
    few = ", few" if pairs < 10 else ""
    return f"{percent:.1f}% ({low:.1f}–{high:.1f}%{few})" if pairs > 0 else "no data"


def _expected(result) -> dict[str, tuple[str, str, str, str]]:
    return {
        c.name: (_agreement(c.percent_agreement, c.pairs), alpha_text(c.alpha), str(c.units),
                 str(c.pairs))
        for c in result.categories
    }  # fmt: skip


def test_lists_conversations_reviewed_twice_and_agrees_with_the_domain(window, qtbot):
    page = window.pages.show_calibration()
    qtbot.waitExposed(page)
    everything = calibration(window.db)
    assert page.conversations.rowCount() == everything.conversations == 30
    qtbot.waitUntil(
        lambda: page.result is not None and page.result.conversations == 30, timeout=20_000
    )
    assert _shown(page) == _expected(everything)
    assert page.spreads.rowCount() == len(everything.spreads)

    # choose three conversations with the mouse: a click, then Ctrl+clicks
    table = page.conversations
    rows = [0, 2, 5]
    for i, row in enumerate(rows):
        rect = table.visualItemRect(table.item(row, 1))
        modifier = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    ids = sorted(table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows)
    qtbot.waitUntil(
        lambda: page.result is not None and page.result.conversations == 3, timeout=20_000
    )
    assert page.chosen() == ids
    chosen = calibration(window.db, ids)
    assert _shown(page) == _expected(chosen)
    # each reviewer's rating side by side: two reviewers on each of three conversations
    assert page.agreement.columnCount() == len(FIXED_COLUMNS) + 6
    headers = [
        page.agreement.horizontalHeaderItem(c).text()
        for c in range(len(FIXED_COLUMNS), page.agreement.columnCount())
    ]
    assert headers[0].startswith(f"#{ids[0]}\n")
    spreads = {s.conversation_id: s for s in chosen.spreads}
    for r in range(page.spreads.rowCount()):
        cid = int(page.spreads.item(r, 0).text().split()[0][1:])
        assert (
            page.spreads.item(r, 4).text() == f"{spreads[cid].maximum - spreads[cid].minimum:.1f}"
        )


def test_a_rating_where_reviewers_differ_is_marked(window, qtbot):
    page = window.pages.show_calibration()
    page.choose([page.conversations.item(0, 0).data(Qt.ItemDataRole.UserRole)])
    page.show_chosen()
    table = page.agreement
    found_disagreement = False
    for r in range(table.rowCount()):
        first, second = (table.item(r, len(FIXED_COLUMNS) + k) for k in (0, 1))
        differ = first.text() != second.text() and "N/A" not in (first.text(), second.text())
        marked = first.background().style() != Qt.BrushStyle.NoBrush
        assert marked == differ
        found_disagreement |= differ
    assert found_disagreement
