"""Screenshots of the real windows, for looking at: `python -m desktop.screenshots --db DB --out DIR`.

Runs under the current display (Xvfb in `make screenshots`) at 1280x800 and 1920x1080 and saves
PNGs of the main window, the reader on a Chinese and a Russian conversation, the review panel,
both tagging dialogs, the shortcut sheet, the dashboard and a report dialog. It works on a
temporary copy of the database (the review it types is not kept) and with throwaway settings
(the user's are not touched).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

SIZES = ((1280, 800), (1920, 1080))
_HAN = re.compile("[\u4e00-\u9fff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


def _find(db, pattern: re.Pattern, limit: int = 2000, least: int = 4) -> int | None:
    from review.reviewing import browse

    for cid in browse.conversation_ids(db)[:limit]:
        detail = browse.thread(db, cid)
        text = " ".join([detail.subject or "", *(m.body_text for m in detail.messages[:3])])
        if len(pattern.findall(text)) >= least and len(detail.messages) >= 2:
            return cid
    return None


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _wait(app, done, timeout: float = 60.0) -> None:
    """Run the event loop until `done()` (a job finishing off the GUI thread) or `timeout` s."""
    import time

    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _drawn(widget) -> bool:
    """True once Qt's PDF view has rendered its page (it draws off the GUI thread)."""
    image = widget.grab().toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)
    }
    return len(colours) > 3


def _pages(window):
    """The coaching page (on an agent with notes) and the calibration page, opened."""
    from review.reviewing.coaching import due_follow_ups

    pages = getattr(window, "pages", None)
    if pages is None:
        return
    due = due_follow_ups(window.db, "9999-12-31")
    yield "coaching", pages.show_coaching(due[0].agent_id if due else None)
    yield "calibration", pages.show_calibration()


def take(db_path: str, out: Path) -> list[Path]:
    """Take every screenshot into `out`; returns the files written."""
    from PySide6.QtCore import QSettings

    work = Path(tempfile.mkdtemp(prefix="savedesk-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work))
    copy = work / "copy.db"
    shutil.copy(db_path, copy)

    from desktop import settings
    from desktop.app import application, open_window
    from review.reviewing.queues import list_queues

    app = application()
    settings.put(settings.REVIEWER, "Lena Gruber")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(widget, name: str) -> None:
        _settle(app)
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    try:
        for width, height in SIZES:
            tag = f"{width}x{height}"
            window = open_window(copy)
            window.resize(width, height)
            window.show()
            _settle(app, 10)
            _wait(
                app, lambda w=window: not w.sidebar.counts_pending()
            )  # counted off the GUI thread
            window.move(1)
            save(window, f"main-{tag}")
            menu = window.column_menu.menu()
            menu.popup(window.table.mapToGlobal(window.table.rect().topLeft()))
            save(menu, f"column-menu-{tag}")
            menu.close()
            window.search.setText("refund")
            window._search_now()
            window.move(1)
            window.go_to_hit(1)
            window.go_to_hit(1)  # the second hit chosen, as after pressing F3 twice
            save(window, f"search-{tag}")
            window.search.clear()
            window._search_now()
            queues = list_queues(window.db)
            if queues and window.queues.open_queue(queues[-1].id):  # the churn-risk queue
                save(window, f"queue-{tag}")
                dialog = window.queues.new_queue()
                dialog.sample.setChecked(True)
                save(dialog, f"queue-dialog-{tag}")
                dialog.reject()
                window.sidebar.select_key("all")
            for name, pattern, least in (
                ("chinese", _HAN, 4),
                ("russian", _CYRILLIC, 4),
                ("emoji", _EMOJI, 1),
            ):
                cid = _find(window.db, pattern, least=least)
                if cid is not None and window.select_conversation(cid):
                    save(window, f"reader-{name}-{tag}")
                    save(window.reader, f"reader-only-{name}-{tag}")
            panel = window.review_panel
            if window.current_conversation_id() is not None:
                for position in (4, 5, 3):
                    panel.rate_position(position)
                panel.mark_na()
                _wait(app, window.ops.settled)  # written through the runner
                save(window, f"review-{tag}")
                save(panel, f"review-panel-{tag}")
                dialog = window.review_actions.tag_save()
                dialog.mrr.setText("abc")
                dialog.check()
                save(dialog, f"save-dialog-invalid-{tag}")
                dialog.mrr.setText("49.00")
                dialog.story.setPlainText("Offered a pause instead of a cancellation; she stayed.")
                dialog.check()
                save(dialog, f"save-dialog-{tag}")
                dialog.reject()
                dialog = window.review_actions.tag_loss()
                dialog.mrr.setText("120")
                dialog.check()
                save(dialog, f"loss-dialog-{tag}")
                dialog.reject()
            sheet = window.review_actions.show_sheet()
            save(sheet, f"shortcuts-{tag}")
            sheet.reject()
            for name, widget in _pages(window):  # windows of their own, at the same size
                widget.resize(width, height)
                save(widget, f"{name}-{tag}")
                if name == "coaching":
                    dialog = widget.new_note()
                    save(dialog, f"coaching-note-dialog-{tag}")
                    dialog.reject()
                widget.close()
            dashboard = window.show_dashboard()  # a window of its own, at the same size
            dashboard.resize(width, height)
            _settle(app, 10)
            save(dashboard, f"dashboard-{tag}")
            dashboard.close()
            dialog = window.reports_menu.open("saved-revenue")
            _wait(app, lambda dialog=dialog: dialog.preview is not None)
            _wait(app, lambda dialog=dialog: _drawn(dialog.preview_area.viewport()), 10)
            save(dialog, f"report-dialog-{tag}")
            dialog.reject()
            window.close()
            window.db.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the savedesk database to show")
    parser.add_argument("--out", required=True, help="folder for the PNG files")
    args = parser.parse_args(argv)
    if not Path(args.db).is_file():
        print(f"{args.db}: no such database (make demo builds one)", file=sys.stderr)
        return 1
    for path in take(args.db, Path(args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
