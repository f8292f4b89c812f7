"""One desktop session on the big database, timed step by step in this process.

Run as `python -m tests.benchmarks.desktop_session DB`; prints @@RESULT@@ with the times.
Each step ends when Qt has painted its result (the table's or the reader's viewport).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


class _PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def _until_painted(app: QApplication, widget) -> None:
    watch = _PaintWatch()
    widget.installEventFilter(watch)
    widget.update()
    deadline = time.monotonic() + 60
    while not watch.painted and time.monotonic() < deadline:
        app.processEvents()
    widget.removeEventFilter(watch)


def _plain_table_page_paint(app: QApplication, window, repeats: int = 200) -> float:
    """Qt's own cost of painting one page of the list: a plain QTableView of the same size over
    a QStandardItemModel (C++, no Python per cell) holding the strings the last page showed."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    model = window.model
    columns = [c for c in range(model.columnCount()) if not window.table.isColumnHidden(c)]
    first = window.table.rowAt(0)
    rows = range(max(0, first), model.rowCount())[:60]
    plain = QStandardItemModel(len(rows), len(columns))
    for r, row in enumerate(rows):
        for c, column in enumerate(columns):
            plain.setItem(r, c, QStandardItem(str(model.data(model.index(row, column)) or "")))
    table = QTableView()
    table.setModel(plain)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.resize(window.table.size())
    for c, column in enumerate(columns):
        table.setColumnWidth(c, window.table.columnWidth(column))
    table.show()
    app.processEvents()
    started = time.perf_counter()
    for _ in range(repeats):
        table.viewport().repaint()
    elapsed = (time.perf_counter() - started) / repeats
    table.close()
    return elapsed


def _plain_text_conversation(app: QApplication, window, conversation_id: int) -> float:
    """Qt's own cost of showing the conversation: its bodies as plain text in a QTextBrowser of
    the reader's size, set and painted."""
    from PySide6.QtWidgets import QTextBrowser

    bodies = [
        row[0] or ""
        for row in window.db.execute(
            "select body_text from messages where conversation_id = ? order by created_at",
            [conversation_id],
        )
    ]
    browser = QTextBrowser()
    browser.resize(window.reader.size())
    browser.show()
    app.processEvents()
    started = time.perf_counter()
    browser.setPlainText("\n\n".join(bodies))
    _until_painted(app, browser.viewport())
    elapsed = time.perf_counter() - started
    browser.close()
    return elapsed


def main(db_path: str, search_term: str, long_conversation: int) -> None:
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # throwaway settings
    from desktop.app import application, open_window

    app = application()
    result = {}

    started = time.perf_counter()
    window = open_window(db_path)
    window.resize(1280, 800)
    window.show()
    _until_painted(app, window.table.viewport())
    result["open_s"] = time.perf_counter() - started
    result["rows"] = window.model.rowCount()

    bar = window.table.verticalScrollBar()
    pages = 0
    started = time.perf_counter()
    while bar.value() < bar.maximum():
        bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        window.table.viewport().repaint()
        pages += 1
    app.processEvents()
    result["scroll_s"] = time.perf_counter() - started
    result["scroll_pages"] = pages
    result["qt_page_paint_s"] = _plain_table_page_paint(app, window)

    started = time.perf_counter()
    window.search.setText(search_term)
    window.search.returnPressed.emit()
    _until_painted(app, window.table.viewport())
    result["search_s"] = time.perf_counter() - started
    result["search_rows"] = window.model.rowCount()

    window.search.clear()
    window.search.returnPressed.emit()
    app.processEvents()
    started = time.perf_counter()
    window.reader.show_conversation(long_conversation)
    _until_painted(app, window.reader.viewport())
    result["open_conversation_s"] = time.perf_counter() - started
    result["qt_conversation_s"] = _plain_text_conversation(app, window, long_conversation)

    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    print("@@RESULT@@" + json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
