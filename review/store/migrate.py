"""Bringing a store to the schema this savedesk needs: one Alembic chain for both engines.

A SQLite file is upgraded on open, after a backup beside it. A file made by an earlier savedesk
(sqlite-utils steps m001...m004) is first stamped at the revision its last step matches. On a
PostgreSQL server only an admin upgrades (`savedesk admin upgrade URL`): everyone else is told in
one sentence that the server is behind or ahead.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

MIGRATIONS = Path(__file__).with_name("migrations")
# the sqlite-utils step each legacy file ends with -> the revision that made the same schema
LEGACY_STEPS = {
    "m001_store": "0001",
    "m002_reviews": "0002",
    "m003_retention": "0003",
    "m004_search_rowids": "0004",
}


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The revision this savedesk's schema is at."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def known_revisions() -> set[str]:
    """Every revision of the chain, for telling an older store from a newer one."""
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current(connection: Connection) -> str | None:
    """The revision the store is at: None for an empty store; a legacy file's matching revision."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return MigrationContext.configure(connection).get_current_revision()
    if "_sqlite_migrations" in tables:
        applied = [
            row[0]
            for row in connection.execute(
                text("select name from _sqlite_migrations where migration_set = 'savedesk'")
            )
        ]
        matched = [LEGACY_STEPS[name] for name in applied if name in LEGACY_STEPS]
        return max(matched) if matched else None
    return None


def unknown_legacy_steps(connection: Connection) -> list[str]:
    """sqlite-utils steps in a legacy file that no revision matches (a newer savedesk's)."""
    if "_sqlite_migrations" not in inspect(connection).get_table_names():
        return []
    return [
        row[0]
        for row in connection.execute(
            text("select name from _sqlite_migrations where migration_set = 'savedesk'")
        )
        if row[0] not in LEGACY_STEPS
    ]


def upgrade(connection: Connection) -> None:
    """Upgrade the store on `connection` to head, in one transaction (stamping a legacy file)."""
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
