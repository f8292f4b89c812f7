"""Every GUI setting in one place, with its key and default (after Picard's options.py).

Review data (rubrics, tags, notes) lives in the database; only what belongs to this user and
this machine sits in QSettings: the reviewer's name, recent databases, window layout, and where
they left off. `SETTINGS_VERSION` with `_upgrade` changes old shapes, like a schema step.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from review.store.targets import is_server_url, safe_url

SETTINGS_VERSION = 1
MAX_RECENT = 8


@dataclass(frozen=True)
class Setting:
    """A declared setting: its QSettings key and its default."""

    key: str
    default: object


REVIEWER = Setting("reviewer/name", "")
RECENT_FILES = Setting("files/recent", [])
LAST_DATABASE = Setting("files/last", "")
# the last team store connected to (File > Connect to server...), always without a password
LAST_SERVER = Setting("server/last", "")
LAST_VIEW = Setting("state/view", "all")
LAST_CONVERSATION = Setting("state/conversation", 0)
# the queue being worked through, as "<queue id>@<database path>" ("" when not in a queue):
# queue ids are per database, its position is kept in the database itself
LAST_QUEUE = Setting("state/queue", "")
VERSION = Setting("meta/version", 0)


def qsettings() -> QSettings:
    """The application's QSettings (organisation and application names set by the app)."""
    return QSettings()


def get(setting: Setting, store: QSettings | None = None):
    """The setting's value, of the default's type."""
    store = store or qsettings()
    value = store.value(setting.key, setting.default)
    if isinstance(setting.default, list):
        if value is None or value == "":
            return []
        return [value] if isinstance(value, str) else list(value)
    if isinstance(setting.default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return setting.default
    return value if value is not None else setting.default


def put(setting: Setting, value, store: QSettings | None = None) -> None:
    """Store the setting's value."""
    (store or qsettings()).setValue(setting.key, value)


def remember_file(path: str, store: QSettings | None = None) -> list[str]:
    """Put `path` first in the recent files (and as the last one opened); returns the list.
    A server URL is kept without its password (and as the last server too)."""
    store = store or qsettings()
    if is_server_url(path):
        path = safe_url(path)
        put(LAST_SERVER, path, store)
    recent = [p for p in get(RECENT_FILES, store) if p != path]
    recent.insert(0, path)
    recent = recent[:MAX_RECENT]
    put(RECENT_FILES, recent, store)
    put(LAST_DATABASE, path, store)
    return recent


def save_geometry(widget: QWidget, store: QSettings | None = None) -> None:
    """Remember a window's geometry under its object name."""
    (store or qsettings()).setValue(f"geometry/{widget.objectName()}", widget.saveGeometry())


def restore_geometry(widget: QWidget, store: QSettings | None = None) -> bool:
    """Restore a window's geometry; False when none was saved."""
    value = (store or qsettings()).value(f"geometry/{widget.objectName()}")
    return isinstance(value, QByteArray) and widget.restoreGeometry(value)


def save_splitter(splitter: QSplitter, store: QSettings | None = None) -> None:
    """Remember a splitter's sizes under its object name."""
    (store or qsettings()).setValue(f"splitter/{splitter.objectName()}", splitter.saveState())


def restore_splitter(splitter: QSplitter, store: QSettings | None = None) -> bool:
    """Restore a splitter's sizes; False when none were saved."""
    value = (store or qsettings()).value(f"splitter/{splitter.objectName()}")
    return isinstance(value, QByteArray) and splitter.restoreState(value)


def save_header(header: QHeaderView, name: str, store: QSettings | None = None) -> None:
    """Remember a table header's column widths and order."""
    (store or qsettings()).setValue(f"header/{name}", header.saveState())


def restore_header(header: QHeaderView, name: str, store: QSettings | None = None) -> bool:
    """Restore a table header's state; False when none was saved."""
    value = (store or qsettings()).value(f"header/{name}")
    return isinstance(value, QByteArray) and header.restoreState(value)


def upgrade(store: QSettings | None = None) -> None:
    """Bring settings written by an older savedesk to today's shape."""
    store = store or qsettings()
    version = get(VERSION, store)
    if version < 1:
        # version 0 had no settings worth keeping; record the shape we write from now on
        put(VERSION, 1, store)
