"""The files savedesk makes are its owner's alone; a read-only file opens read-only; a path with
#, ? or % opens the file it names; another program's SQLite file, even an empty one, is left
alone."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from reports.csv_export import export_csv
from review.errors import DatabaseReadOnly, NotASavedeskDatabase
from review.store import open_store
from review.store.database import is_read_only
from tests.helpers import legacy_database


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_files_are_the_owners_alone(tmp_path):
    path = tmp_path / "new.db"
    db = open_store(path)
    db.execute("insert into settings (key, value) values ('k', 'v')")
    for name in ("new.db", "new.db-wal", "new.db-shm"):
        assert _mode(tmp_path / name) == 0o600, name
    db.close()


def test_the_backup_before_a_migration_is_the_owners_alone(tmp_path):
    path = legacy_database(tmp_path, "after-m001")
    open_store(path).close()
    [backup] = tmp_path.glob("old.db.before-0002.bak*")
    assert _mode(backup) == 0o600


def test_an_export_is_the_owners_alone(db_path, tmp_path):
    out = tmp_path / "conversations.csv"
    export_csv(db_path, "conversations", out)
    assert _mode(out) == 0o600


@pytest.mark.parametrize("name", ["a#b.db", "what?.db", "100%.db", "a b#c?d%25e.db"])
def test_a_path_with_uri_characters_opens_the_file_it_names(tmp_path, name):
    decoy = tmp_path / name.split("#")[0].split("?")[0]  # what an unescaped URI would open
    target = tmp_path / name
    db = open_store(target)
    db.execute("insert into settings (key, value) values ('which', 'the named file')")
    db.close()
    assert target.exists() and target.stat().st_size > 0
    if decoy != target:
        assert not decoy.exists()
    again = open_store(target, create=False)
    assert again.execute("select value from settings where key = 'which'").fetchone() == (
        "the named file",
    )
    again.close()


def test_a_read_only_file_opens_read_only_and_refuses_writes(db_path):
    db_path.chmod(0o444)
    try:
        assert is_read_only(db_path)
        db = open_store(db_path)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("insert into settings (key, value) values ('k', 'v')")
        db.close()
    finally:
        db_path.chmod(0o644)


def test_a_read_only_file_that_needs_migrating_is_refused_untouched(tmp_path):
    path = legacy_database(tmp_path, "after-m001")
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(DatabaseReadOnly, match="read-only"):
            open_store(path)
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak*"))


@pytest.mark.parametrize(
    "pragma", ["pragma application_id = 1234", "pragma user_version = 7", "vacuum"]
)
def test_an_empty_sqlite_file_of_another_program_is_left_alone(tmp_path, pragma):
    path = tmp_path / "theirs.db"
    conn = sqlite3.connect(path)
    conn.execute(pragma)
    conn.commit()
    conn.close()
    assert path.stat().st_size > 0  # an SQLite file, with no table in it
    before = path.read_bytes()
    with pytest.raises(NotASavedeskDatabase, match="savedesk did not make|another program"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_database_savedesk_made_opens_again(tmp_path):
    path = tmp_path / "ours.db"
    open_store(path).close()
    db = open_store(path, create=False)
    assert "conversations" in db.tables()
    db.close()
