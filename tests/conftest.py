"""Shared fixtures. Qt draws offscreen: set before anything imports Qt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from review.store import connect, open_store  # noqa: E402

# CI runs the property tests on a fixed sequence of examples, so a run fails only on a change,
# never on the luck of the draw; developers' runs keep exploring new examples (and the
# examples that once failed are replayed from .hypothesis/ on that machine).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_store(path).close()
    return path


@pytest.fixture
def db_path(tmp_path, _migrated_template) -> Path:
    """A fresh, migrated, empty savedesk database file (a copy of a once-migrated template)."""
    path = tmp_path / "savedesk.db"
    shutil.copy(_migrated_template, path)
    return path


@pytest.fixture
def db(db_path):
    """An open connection (sqlite_utils.Database) to a fresh savedesk database."""
    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def samples() -> Path:
    """../shared/samples, or skip the test where that folder is absent."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return SAMPLES


@pytest.fixture
def qt_settings(tmp_path):
    """GUI settings (QSettings) kept in tmp_path, so desktop tests never read or write the user's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, built once per test run (a few seconds); copy it before changing it."""
    from review.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def demo_path(tmp_path, demo_template) -> Path:
    """A fresh copy of the demo database for one test."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path
