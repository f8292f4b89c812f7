"""Changes another program makes to the open database show up without the user losing their
place: an import from the command line into the database the window has open, conversations
deleted under the list and the reader."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.conversation_model import COLUMN, GONE, ConversationModel
from desktop.reader import GONE_TEXT
from review.reviewing.browse import ListQuery
from tests.gui import show_main_window

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "tests" / "data" / "csv" / "utf8-comma-lf.csv"
SAVEDESK = Path(sys.executable).with_name("savedesk")


def _all_count(window) -> str:
    return window.sidebar.item("all").text(1)


def test_an_import_from_the_command_line_shows_up_within_two_seconds(qtbot, qt_settings, demo_path):
    window = show_main_window(qtbot, demo_path, active=True)
    try:
        window.focus_list()
        for _ in range(3):
            qtbot.keyClick(window.table, Qt.Key.Key_J)
        current = window.current_conversation_id()
        qtbot.waitUntil(lambda: not window.sidebar.counts_pending(), timeout=10_000)
        before = window.model.rowCount()
        assert _all_count(window) == f"{before:,}"
        done = subprocess.run(
            [str(SAVEDESK), "import", str(EXPORT), "--db", str(demo_path), "--json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        imported = window.db.execute("select count(*) from conversations").fetchone()[0] - before
        assert imported > 0
        started = time.monotonic()
        after = before + imported
        qtbot.waitUntil(
            lambda: window.model.rowCount() == after and _all_count(window) == f"{after:,}",
            timeout=2_000,
        )
        assert time.monotonic() - started < 2
        assert window.current_conversation_id() == current  # the user's place is kept
        assert window.model.conversation_id(window.table.currentIndex().row()) == current
        assert window.live.refreshes >= 1
    finally:
        window.close()
        window.db.close()


# Another program deletes conversations the way a careless script would: with the foreign
# keys switched off (SQLite's pragma; on a server, replica mode skips the key triggers).
DELETER = textwrap.dedent(
    """
    import sys
    from review.store import connect
    db = connect(sys.argv[1])
    ids = [int(i) for i in sys.argv[2:]]
    marks = ",".join("?" * len(ids))
    server = sys.argv[1].startswith("postgresql")
    if not server:
        db.execute("pragma foreign_keys = off")
    with db.atomic():
        if server:
            db.execute("set local session_replication_role = replica")
        for table in ("messages", "conversation_tags", "ratings", "churn_signals",
                      "review_ratings", "reviews", "saves", "losses", "queue_items"):
            if table == "review_ratings":
                db.execute(f"delete from review_ratings where review_id in (select id from "
                           f"reviews where conversation_id in ({marks}))", ids)
                continue
            db.execute(f"delete from {table} where conversation_id in ({marks})", ids)
        db.execute(f"delete from conversations where id in ({marks})", ids)
    db.close()
    """
)


def test_conversations_deleted_under_the_list_and_the_reader(qtbot, qt_settings, demo_path):
    window = show_main_window(qtbot, demo_path, active=True)
    try:
        window.focus_list()
        qtbot.keyClick(window.table, Qt.Key.Key_J)
        shown = window.current_conversation_id()
        other = window.model.conversation_id(window.model.rowCount() - 1)
        before = window.model.rowCount()
        subprocess.run(
            [sys.executable, "-c", DELETER, str(demo_path), str(shown), str(other)], check=True
        )
        qtbot.waitUntil(lambda: window.model.rowCount() == before - 2, timeout=2_000)
        assert window.reader.toPlainText() == GONE_TEXT  # says so, instead of failing
        assert other not in window.model.ids()
    finally:
        window.close()
        window.db.close()


def test_a_row_whose_conversation_is_gone_reads_as_gone(qtbot, db):
    model = ConversationModel(db)
    model.set_query(ListQuery())
    model.replace_ids([4242])  # a list read before another program deleted its conversation
    subject = model.index(0, COLUMN["Subject"])
    assert model.data(subject) == GONE
    assert model.data(subject, Qt.ItemDataRole.ForegroundRole).name() == "#9e9e9e"
    assert model.data(model.index(0, COLUMN["Agent"])) == ""
