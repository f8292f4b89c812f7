"""What went wrong with the store when a write failed, in one sentence, and whether to retry.

A write that fails because another program holds the database, the disk is full, the file is
read-only or the disk reported an error has lost nothing: the edit is still in hand and will
go through once the cause is gone. Anything else (a value the domain refuses, a conversation
deleted meanwhile) will fail the same way again and is not retried.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass

from review.errors import DatabaseReadOnly

LOCKED = "locked"
FULL = "full"
READ_ONLY = "read-only"
DISK_ERROR = "disk-error"
UNREACHABLE = "unreachable"

_SENTENCES = {
    LOCKED: "another program is writing to the database (an import?)",
    FULL: "the disk is full",
    READ_ONLY: "the database file is read-only",
    DISK_ERROR: "the disk reported an error while writing",
    UNREACHABLE: "the team store's server cannot be reached",
}
_WAIT_FOR = {
    LOCKED: "as soon as the database is free",
    FULL: "as soon as there is room on the disk",
    READ_ONLY: "as soon as the file can be written",
    DISK_ERROR: "as soon as the disk writes again",
    UNREACHABLE: "as soon as the server answers again",
}


@dataclass(frozen=True)
class StoreProblem:
    """Why the store refused a write for now: `kind` is one of the constants above."""

    kind: str

    @property
    def cause(self) -> str:
        """The cause in words ("the disk is full")."""
        return _SENTENCES[self.kind]

    def sentence(self, what: str = "your edits") -> str:
        """One sentence for the user: what is not saved, why, and that it is kept."""
        return (
            f"Not saved yet: {self.cause}; {what} stay here and are saved {_WAIT_FOR[self.kind]}."
        )


def store_problem(exc: BaseException) -> StoreProblem | None:
    """The StoreProblem behind `exc`, or None when `exc` is not a passing store failure."""
    if isinstance(exc, DatabaseReadOnly):
        return StoreProblem(READ_ONLY)
    if type(exc).__module__.startswith(("sqlalchemy", "psycopg")):
        return _server_problem(exc)
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc).lower()
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return StoreProblem(LOCKED)
        if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
            return StoreProblem(FULL)
        if name.startswith("SQLITE_READONLY") or "readonly database" in text:
            return StoreProblem(READ_ONLY)
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk i/o error" in text:
            return StoreProblem(DISK_ERROR)
        return None
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return StoreProblem(FULL)
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreProblem(READ_ONLY)
        if exc.errno == errno.EIO:
            return StoreProblem(DISK_ERROR)
    return None


def broken_reference(exc: BaseException) -> bool:
    """Whether `exc` is the store refusing a write that would leave a row pointing at one that
    is not there (a foreign key), on either engine."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "FOREIGN KEY" in str(exc)
    if type(exc).__module__.startswith(("sqlalchemy", "psycopg")):
        orig = getattr(exc, "orig", exc)
        return getattr(orig, "sqlstate", None) == "23503"  # foreign_key_violation
    return False


# PostgreSQL's SQLSTATEs of a write that will go through later: a lock or a conflict
# (lock_not_available, serialization_failure, deadlock_detected, query_canceled), a full disk,
# a read-only server (a standby); classes 08 and 57P are the connection lost or refused.
_SERVER_STATES = {
    "55P03": LOCKED,
    "40001": LOCKED,
    "40P01": LOCKED,
    "57014": LOCKED,
    "53100": FULL,
    "25006": READ_ONLY,
}


def _server_problem(exc: BaseException) -> StoreProblem | None:
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return StoreProblem(UNREACHABLE)
    import psycopg

    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, psycopg.InterfaceError) and "closed" in str(orig):
        return StoreProblem(UNREACHABLE)
    if not isinstance(orig, psycopg.Error):
        return None
    state = orig.sqlstate or ""
    if state in _SERVER_STATES:
        return StoreProblem(_SERVER_STATES[state])
    if isinstance(orig, psycopg.OperationalError) and (
        not state or state[:2] == "08" or state[:3] == "57P"
    ):
        return StoreProblem(UNREACHABLE)
    return None
