"""The main window on a real database: lazy list, J/K, search, sidebar views, chips, opening files."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from desktop import conversation_model, errors
from desktop.app import application, open_window, run_app
from review.importing.run import import_files
from review.progress import run_to_end
from review.reviewing import browse
from review.store import connect
from tests.gui import show_main_window
from tests.helpers import legacy_database

pytestmark = pytest.mark.samples


@pytest.fixture
def filled_path(db_path, samples):
    run_to_end(
        import_files(
            db_path,
            [
                samples / "twitter" / "twcs-sample.csv",
                samples / "freshdesk" / "airbyte-freshdesk-expected_records.jsonl",
            ],
        )
    )
    return db_path


@pytest.fixture
def window(qtbot, qt_settings, filled_path):
    win = show_main_window(qtbot, filled_path)
    yield win
    win.close()
    win.db.close()


def _db_ids(path, **query):
    db = connect(path)
    try:
        return browse.conversation_ids(db, browse.ListQuery(**query))
    finally:
        db.close()


def test_list_shows_every_conversation_and_loads_only_visible_pages(window, filled_path):
    ids = _db_ids(filled_path)
    assert window.model.rowCount() == len(ids)
    assert window.model.ids() == ids
    assert window.model.page_loads == 1  # ~120 rows: the first page only
    assert window.count_label.text() == f"{len(ids):,} conversations"


def test_sidebar_counts_fill_in_from_a_worker_and_match_the_store(window, qtbot, filled_path):
    from desktop.sidebar import BASIC_VIEWS

    qtbot.waitUntil(lambda: not window.sidebar.counts_pending())
    for view in BASIC_VIEWS:
        expected = len(_db_ids(filled_path, filters=view.filters, outcome=view.outcome))
        assert window.sidebar.item(view.key).text(1) == f"{expected:,}"
    assert window.sidebar.item("all").text(1) == f"{window.model.rowCount():,}"


def test_page_cache_stays_bounded_while_scrolling(window, monkeypatch):
    monkeypatch.setattr(conversation_model, "PAGE_SIZE", 10)
    monkeypatch.setattr(conversation_model, "MAX_PAGES", 3)
    window.model.reload()
    model = window.model
    for row in range(model.rowCount()):
        assert model.data(model.index(row, 1)) is not None
    assert model.cached_pages() == 3
    assert model.page_loads >= -(-model.rowCount() // 10)
    # what the cache serves after evictions is still each id's own row
    for row in (0, model.rowCount() // 2, model.rowCount() - 1):
        assert model.row_data(row).id == model.conversation_id(row)


def test_j_and_k_walk_the_list_in_its_order(window, qtbot, filled_path):
    ids = _db_ids(filled_path)
    assert window.reader.conversation_id() is None
    qtbot.keyClick(window.sidebar, Qt.Key.Key_J)  # J works wherever the focus is (not typing)
    assert window.reader.conversation_id() == ids[0]
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.reader.conversation_id() == ids[2]
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    assert window.reader.conversation_id() == ids[1]
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.reader.conversation_id() == ids[2]
    assert window.reader.detail.subject == browse.thread(window.db, ids[2]).subject


def test_typing_j_in_the_search_box_searches_instead_of_moving(window, qtbot, filled_path):
    window.focus_search()
    qtbot.keyClicks(window.search, "help")
    assert window.search.text() == "help"  # the J went into the field, not to the list
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # Enter: into the results, on the first
    expected = _db_ids(filled_path, search="help")
    assert expected
    assert window.model.ids() == expected
    assert window.reader.conversation_id() == expected[0]
    window.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(_db_ids(filled_path)), timeout=20_000)


def test_sidebar_agent_view_and_channel_chip(window, qtbot, filled_path):
    agent = max(browse.agents(window.db), key=lambda a: a.conversations)
    assert window.sidebar.select_key(f"agent:{agent.id}")
    assert window.model.rowCount() == agent.conversations
    window.sidebar.select_key("all")
    chip = window.filter_bar.chips["Channel"]
    chip.select("social")
    assert window.model.rowCount() == 27
    assert window.model.ids() == _db_ids(filled_path, filters=browse.Filters(channels=("social",)))
    window.filter_bar.clear()
    assert window.model.rowCount() == len(_db_ids(filled_path))


def test_reader_shows_roles_internal_note_and_csat(window, filled_path):
    db = window.db
    [cid] = [
        r[0]
        for r in db.execute(
            "select id from conversations where source='freshdesk' and external_id='22'"
        )
    ]
    assert window.select_conversation(cid)
    text = window.reader.toPlainText()
    assert "Test 1" in text
    assert "Internal note — not seen by the customer" in text
    rated = db.execute("select conversation_id from ratings where kind='csat'").fetchone()[0]
    window.select_conversation(rated)
    assert "CSAT:" in window.reader.toPlainText()


def test_clicking_a_header_sorts_in_sql(window, qtbot, filled_path):
    header = window.table.horizontalHeader()
    agent_column = [name for name, _ in conversation_model.COLUMNS].index("Agent")
    header.setSortIndicator(agent_column, Qt.SortOrder.AscendingOrder)
    assert window.model.ids() == _db_ids(filled_path, sort="agent", descending=False)


def test_state_is_remembered_between_runs(qtbot, qt_settings, filled_path):
    application()
    first = open_window(filled_path)
    qtbot.addWidget(first)
    first.show()
    ids = _db_ids(filled_path)
    first.sidebar.select_key("to-review")
    first.select_conversation(ids[3])
    first.close()
    first.db.close()
    second = open_window(filled_path)
    qtbot.addWidget(second)
    second.restore_state()
    assert second.sidebar.current_key() == "to-review"
    assert second.reader.conversation_id() == ids[3]
    second.close()
    second.db.close()


def test_the_header_menu_chooses_columns_and_the_choice_is_remembered(
    qtbot, qt_settings, filled_path
):
    application()
    first = open_window(filled_path)
    qtbot.addWidget(first)
    first.show()
    assert "Team" not in first.column_menu.shown() and "Channel" in first.column_menu.shown()
    menu = first.column_menu.menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert list(actions)[: len(conversation_model.COLUMNS)] == [
        name for name, _ in conversation_model.COLUMNS
    ]
    assert not actions["Subject"].isEnabled()  # the one column a list cannot do without
    actions["Channel"].trigger()
    actions["Team"].trigger()
    shown = first.column_menu.shown()
    assert "Channel" not in shown and "Team" in shown
    team = [name for name, _ in conversation_model.COLUMNS].index("Team")
    assert first.table.columnWidth(team) > 0
    first.close()
    first.db.close()

    second = open_window(filled_path)
    qtbot.addWidget(second)
    second.restore_state()
    assert second.column_menu.shown() == shown
    again = {a.text(): a for a in second.column_menu.menu().actions() if a.text()}
    assert again["Team"].isChecked() and not again["Channel"].isChecked()
    again["Show the usual columns"].trigger()
    assert "Channel" in second.column_menu.shown() and "Team" not in second.column_menu.shown()
    second.close()
    second.db.close()


def test_a_file_that_is_not_a_savedesk_database_is_refused_untouched(
    qtbot, qt_settings, tmp_path, monkeypatch
):
    application()
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, title="": shown.append(exc))
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"these are my notes, not a database\n" * 10)
    before = notes.read_bytes()
    assert run_app(str(notes)) == 1
    assert notes.read_bytes() == before
    assert "is not a savedesk database" in str(shown[0])


def test_an_older_database_is_backed_up_then_migrated(qtbot, qt_settings, tmp_path):
    application()
    old = legacy_database(tmp_path, "after-m001")
    win = open_window(old)
    qtbot.addWidget(win)
    assert "reviews" in win.db.tables()
    backups = list(tmp_path.glob("old.db.before-0002.bak*"))
    assert len(backups) == 1
    win.close()
    win.db.close()
    shutil.rmtree(tmp_path / "settings", ignore_errors=True)


def test_a_first_run_opens_at_a_useful_size_and_later_runs_keep_the_users(
    qtbot, qt_settings, filled_path
):
    application()
    first = open_window(filled_path)
    qtbot.addWidget(first)
    first.restore_state()  # nothing saved yet
    screen = first.screen().availableGeometry()
    assert first.width() >= min(1280, screen.width())
    assert first.height() >= min(800, screen.height())
    chosen = (min(700, screen.width() - 20), min(500, screen.height() - 20))
    first.resize(*chosen)
    first.close()  # saves the geometry
    first.db.close()
    second = open_window(filled_path)
    qtbot.addWidget(second)
    second.restore_state()
    assert (second.width(), second.height()) == chosen
    second.close()
    second.db.close()


def test_a_first_run_opens_on_the_newest_conversation(qtbot, qt_settings, filled_path):
    application()
    win = open_window(filled_path)
    qtbot.addWidget(win)
    win.restore_state()  # nothing remembered yet
    assert win.current_conversation_id() == _db_ids(filled_path)[0]
    assert win.reader.conversation_id() == win.current_conversation_id()
    win.close()
    win.db.close()
