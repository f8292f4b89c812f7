"""The Reports menu on the demo database: a real PDF built through the dialog off the GUI thread
(checked with pypdf), the preview in Qt's own PDF viewer, a CSV export, Cancel leaving no file, Ctrl+P
choosing the report of the current view, and the choices remembered."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QFileDialog

from review.store import connect
from tests.gui import show_main_window

BUILD = 90_000  # ms: a report of the demo takes a few seconds on a busy machine


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path)
    yield win
    win.close()
    win.db.close()


def _save_as(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "PDF"))


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _confirmed_in_usd(window) -> str:
    """Confirmed saved MRR at the demo's exchange rates, to the cent, worked out here."""
    from decimal import Decimal

    from review.demo import RATES

    db = connect(window.db_path)
    try:
        rows = db.execute(
            "select currency, sum(mrr_cents) from saves where status = 'confirmed' "
            "group by currency"
        ).fetchall()
    finally:
        db.close()
    rates = {"USD": Decimal(1), **{k: Decimal(v) for k, v in RATES.items()}}
    total = sum(Decimal(cents) * rates[cur] for cur, cents in rows) / 100
    return f"{total.quantize(Decimal('0.01')):,.2f}"


def test_saved_revenue_report_is_built_through_the_dialog(qtbot, window, tmp_path, monkeypatch):
    window.reports_menu.actions["saved-revenue"].trigger()
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    dialog.whole.setChecked(True)
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    out = tmp_path / "out" / "saved.pdf"
    out.parent.mkdir()
    _save_as(monkeypatch, out)
    with qtbot.waitSignal(dialog.saved, timeout=BUILD) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [out]
    assert dialog.runner.result.pages >= 2
    text = _text(out)
    assert "Saved recurring revenue" in text
    assert f"{_confirmed_in_usd(window)} USD" in text  # confirmed MRR in the base currency
    page = PdfReader(str(out)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert sorted(p.name for p in out.parent.iterdir()) == ["saved.pdf"]  # no partial left
    assert dialog.status.text() == "Saved saved.pdf"


def test_coaching_review_for_the_chosen_agent(qtbot, window, tmp_path, monkeypatch):
    window.reports_menu.actions["coaching"].trigger()
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    assert dialog.agent.findData(None) == -1  # a coaching review is always for one agent
    dialog.agent.setCurrentIndex(dialog.agent.findText("Emma Fischer"))
    dialog.whole.setChecked(True)
    out = tmp_path / "coaching.pdf"
    _save_as(monkeypatch, out)
    with qtbot.waitSignal(dialog.saved, timeout=BUILD):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = _text(out)
    assert "Coaching review" in text and "Emma Fischer" in text


def test_cancel_leaves_no_file_and_keeps_an_older_one(qtbot, window, tmp_path, monkeypatch):
    window.reports_menu.actions["quality"].trigger()
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    out = tmp_path / "quality.pdf"
    out.write_bytes(b"an older report")
    _save_as(monkeypatch, out)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    runner = dialog.runner
    with qtbot.waitSignal(runner.cancelled, timeout=BUILD):
        runner.progress.connect(lambda _step: dialog.cancel_button.click())
    assert out.read_bytes() == b"an older report"
    assert sorted(p.name for p in tmp_path.iterdir() if "quality" in p.name) == ["quality.pdf"]
    assert dialog.status.text() == "Cancelled: nothing was saved"
    assert dialog.isVisible()  # Cancel stopped the build, not the dialog
    assert dialog.save_button.isEnabled() and dialog.cancel_button.text() == "Close"
    fresh = tmp_path / "fresh.pdf"
    _save_as(monkeypatch, fresh)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.runner.cancelled, timeout=BUILD):
        dialog.runner.progress.connect(lambda _step: dialog.cancel_button.click())
    assert not fresh.exists()


def test_preview_shows_the_first_page_with_qts_own_pdf_viewer(qtbot, window, monkeypatch):
    # no poppler and no pypdf, as in an installed app: Qt's PDF module draws the page
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setitem(sys.modules, "pypdf", None)
    window.reports_menu.actions["saved-revenue"].trigger()
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=BUILD)
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.document.pageCount() == dialog.preview.pages >= 1
    assert "Saved recurring revenue" in dialog.document.getAllText(0).text()
    qtbot.waitUntil(lambda: _drawn(dialog.preview_area.viewport().grab().toImage()), timeout=BUILD)
    assert dialog.status.text().startswith("Preview: page 1 of ")


def _drawn(image) -> bool:
    """More than a blank page: text and rules in several colours."""
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)
    }
    return len(colours) > 3


def test_csv_export_through_the_dialog(qtbot, window, tmp_path, monkeypatch):
    window.reports_menu.actions["saves"].trigger()
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    assert not dialog.preview_area.isVisibleTo(dialog)
    dialog.whole.setChecked(True)
    out = tmp_path / "saves.csv"
    _save_as(monkeypatch, out)
    with qtbot.waitSignal(dialog.saved, timeout=BUILD):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows Chinese and Russian
    rows = data.decode("utf-8-sig").splitlines()
    assert len(rows) - 1 == dialog.runner.result == 61  # every demo save, header apart


def test_ctrl_p_opens_the_report_of_the_current_view(qtbot, window):
    agent_key = next(k for k in window.sidebar._items if k.startswith("agent:"))
    window.sidebar.select_key(agent_key)
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    assert dialog.kind == "coaching"
    assert dialog.agent.currentData() == int(agent_key.split(":")[1])
    dialog.reject()
    window.sidebar.select_key("all")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.reports_menu.dialog.kind == "saved-revenue"
    window.reports_menu.dialog.reject()


def test_choices_are_remembered(qtbot, window, tmp_path, monkeypatch):
    window.reports_menu.actions["quality"].trigger()
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    dialog.mask.setChecked(True)
    out = tmp_path / "q.pdf"
    _save_as(monkeypatch, out)
    with qtbot.waitSignal(dialog.saved, timeout=BUILD):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog.reject()
    again = window.reports_menu.open_current()
    qtbot.addWidget(again)
    assert again.kind == "quality"  # the last report made
    assert again.paper_key() == "letter" and again.mask.isChecked()
    again.reject()


def test_a_cancelled_builds_late_signals_leave_the_next_build_alone(
    qtbot, window, tmp_path, monkeypatch
):
    """Cancel, then Save at once: the first build's `ended` may reach the dialog after the
    second build started. It must not mark the dialog idle, or Cancel would close it instead."""
    window.reports_menu.actions["quality"].trigger()
    dialog = window.reports_menu.dialog
    qtbot.addWidget(dialog)
    first_runner = dialog.save_to(tmp_path / "first.pdf")
    with qtbot.waitSignal(first_runner.cancelled, timeout=BUILD):
        dialog.cancel_button.click()
    second_runner = dialog.save_to(tmp_path / "second.pdf")
    first_runner.ended.emit()  # delivered late, after the second build began
    first_runner.cancelled.emit()
    assert dialog.saving
    assert dialog.cancel_button.text() == "Cancel"
    assert dialog.status.text() != "Cancelled: nothing was saved"
    with qtbot.waitSignal(second_runner.cancelled, timeout=BUILD):
        dialog.cancel_button.click()
    assert dialog.isVisible()
    assert not (tmp_path / "second.pdf").exists()
