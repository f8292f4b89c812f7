"""The floor of launching savedesk to its first painted list: a bare PySide6 window (a
QMainWindow holding a QTableView over a QStandardItemModel) showing the first page of the list,
read with the list's own SQL (review.reviewing.first_page and browse.rows_by_ids, through
sqlite-utils as savedesk reads it). Timed from this module's first line to the table painted.

`python -m tests.benchmarks.desktop_launch_floor DB`; prints @@RESULT@@ {"launch_s": ...}.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402

from tests.benchmarks.desktop_session import until_painted  # noqa: E402


def main(db_path: str) -> None:
    from review.reviewing import browse
    from review.reviewing.first_page import first_ids
    from review.store import connect

    app = QApplication(sys.argv[:1])
    db = connect(db_path, read_only=True)
    ids, _complete = first_ids(db, browse.ListQuery())
    rows = browse.rows_by_ids(db, ids[:256])
    model = QStandardItemModel(len(ids), 8)
    for r, cid in enumerate(ids[:256]):
        row = rows[cid]
        for c, value in enumerate(
            (row.created_at, row.subject, row.customer, row.agent, row.channel, row.status,
             row.message_count, row.score)
        ):  # fmt: skip
            model.setItem(r, c, QStandardItem("" if value is None else str(value)))
    window = QMainWindow()
    table = QTableView(window)
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    until_painted(app, table.viewport())
    print("@@RESULT@@" + json.dumps({"launch_s": time.perf_counter() - STARTED}))
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
