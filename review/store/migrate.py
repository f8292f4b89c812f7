"""Bringing a store to the schema this savedesk needs: one Alembic chain for both engines.

A SQLite file is upgraded on open, after a backup beside it. A file made by an earlier savedesk
(sqlite-utils steps m001...m004) is first stamped at the revision its last step matches. On a
PostgreSQL server only an admin upgrades (`savedesk admin upgrade URL`): everyone else is told in
one sentence that the server is behind or ahead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

MIGRATIONS = Path(__file__).with_name("migrations")
# the sqlite-utils steps savedesk made files with before, by the revision that makes the same
# schema: a legacy file is stamped at the last revision all of whose steps (and all before) it holds
LEGACY_STEPS = {
    "0001": ("m001_store",),
    "0002": ("m002_reviews",),
    "0003": ("m003_retention",),
    "0004": ("m004_search_rowids",),
    "0005": ("m005_import_ledger",),
    "0006": ("m006_loss_reason_outcomes", "m006_reply_times", "m006_figure_indexes"),
    "0007": ("m007_operations", "m007_drafts"),
    "0008": ("m008_autoqa",),
}


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The revision this savedesk's schema is at."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def chain() -> list[str]:
    """Every revision, oldest first."""
    return [s.revision for s in reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions()))]


def next_after(revision: str | None) -> str:
    """The revision an upgrade from `revision` runs first (head when it is at head)."""
    revisions = chain()
    if revision is None:
        return revisions[0]
    at = revisions.index(revision)
    return revisions[min(at + 1, len(revisions) - 1)]


def known_revisions() -> set[str]:
    """Every revision of the chain, for telling an older store from a newer one."""
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current(connection: Connection) -> str | None:
    """The revision the store is at: None for an empty store; a legacy file's matching revision."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return MigrationContext.configure(connection).get_current_revision()
    if "_sqlite_migrations" in tables:
        return legacy_revision(legacy_steps(connection))
    return None


def is_legacy(connection: Connection) -> bool:
    """True for a file an earlier savedesk made (sqlite-utils steps, not yet stamped)."""
    return "_sqlite_migrations" in inspect(connection).get_table_names()


def legacy_steps(connection: Connection) -> set[str]:
    """The sqlite-utils steps a file made by an earlier savedesk holds."""
    return {
        row[0]
        for row in connection.execute(
            text("select name from _sqlite_migrations where migration_set = 'savedesk'")
        )
    }


def legacy_revision(applied: set[str]) -> str | None:
    """The revision a legacy file with these steps is at (None: not even the first)."""
    at = None
    for revision, steps in LEGACY_STEPS.items():
        if not set(steps) <= applied:
            break
        at = revision
    return at


def legacy_gaps(applied: set[str]) -> list[str]:
    """Steps a legacy file holds beyond its revision: a development build's, which no stamp
    can describe (the file must be made again)."""
    at = legacy_revision(applied) or ""
    later = {s for revision, steps in LEGACY_STEPS.items() if revision > at for s in steps}
    return sorted(applied & later)


def unknown_legacy_steps(connection: Connection) -> list[str]:
    """sqlite-utils steps in a legacy file that no revision matches (a newer savedesk's)."""
    if "_sqlite_migrations" not in inspect(connection).get_table_names():
        return []
    known = {step for steps in LEGACY_STEPS.values() for step in steps}
    return sorted(legacy_steps(connection) - known)


def upgrade(connection: Connection, verify: Callable[[Connection], None] | None = None) -> None:
    """Upgrade the store on `connection` to head, in one transaction (stamping a legacy file);
    `verify` checks the result before it is committed (raising undoes the whole upgrade)."""
    if connection.in_transaction():
        connection.commit()
    config = _config(connection)
    with connection.begin():
        legacy = "_sqlite_migrations" in inspect(connection).get_table_names()
        at = current(connection)
        if legacy:
            connection.execute(text("drop table _sqlite_migrations"))
            if at is not None:
                command.stamp(config, at)
        command.upgrade(config, "head")
        if verify is not None:
            verify(connection)
