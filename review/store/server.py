"""Opening a team store on a PostgreSQL server.

Only an admin changes a server's schema (`savedesk admin upgrade URL`): opening a store that is
behind or ahead of this savedesk says so in one sentence and changes nothing. A server that
cannot be reached, a password it refuses and a database that is not savedesk's are each one
sentence too (`connection_error`), naming the store without its password.
"""

from __future__ import annotations

import re

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine

from review.errors import NotASavedeskDatabase, SavedeskError, StoreBehind, StoreTooNew
from review.store import migrate
from review.store.server_store import ServerStore
from review.store.targets import Target, describe_url, safe_url, sqlalchemy_url

CONNECT_TIMEOUT = 10  # seconds before an unreachable host is reported


def server_engine(url: str, role: str | None = None, *, lock_wait: float | None = None) -> Engine:
    """An engine on the PostgreSQL server that `url` names (psycopg 3: libpq is in its wheel,
    so ~/.pgpass and the service file are honoured), with a liveness check before a pooled
    connection is handed out. Sessions run in UTC, so a timestamp without an offset means what
    it means in the SQLite file (review.store.dialect). With `role`, each connection first
    takes that role (`set role`: an admin upgrading as the schema's owner). `lock_wait`: how
    long (seconds) a statement waits for a lock another session holds before it fails as
    "locked" (PostgreSQL's own default waits forever), the server's busy timeout."""
    options = "-c timezone=UTC"
    if lock_wait is not None:
        options += f" -c lock_timeout={int(lock_wait * 1000)}"
    engine = create_engine(
        sqlalchemy_url(url),
        pool_size=2,
        max_overflow=4,
        pool_pre_ping=True,
        connect_args={"options": options, "connect_timeout": CONNECT_TIMEOUT},
    )
    if role is not None:

        @event.listens_for(engine, "connect")
        def _take_role(connection, _record) -> None:
            connection.execute(f"set role {role}")
            connection.commit()

    return engine


def open_server(url: str) -> ServerStore:
    """The team store at `url`, which must be at this savedesk's schema.

    Raises SavedeskError (unreachable, password refused...), NotASavedeskDatabase, StoreBehind
    or StoreTooNew, each one sentence; nothing on the server is changed."""
    from review.store.database import WRITER_TIMEOUT

    engine = server_engine(url, lock_wait=WRITER_TIMEOUT)
    try:
        with engine.connect() as conn:
            at = _revision(conn, url)
        head = migrate.head()
        if at != head:
            if at is not None and at not in migrate.known_revisions():
                raise StoreTooNew(safe_url(url), at)
            raise StoreBehind(safe_url(url), at, head)
        return ServerStore(engine, Target(url=url))
    except SavedeskError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise connection_error(url, exc) from exc


def upgrade_server(url: str, role: str | None = None) -> tuple[str | None, str]:
    """An admin's upgrade of the store at `url` to this savedesk's schema (creating it in an
    empty database), in one transaction: (the revision it was at, the one it is at now).
    `role`: the role that owns the schema, where the login is not its owner."""
    engine = server_engine(url, role)
    try:
        with engine.connect() as conn:
            was = _revision(conn, url)
            if was is not None and was not in migrate.known_revisions():
                raise StoreTooNew(safe_url(url), was)
            migrate.upgrade(conn)
            return was, migrate.head()
    except SavedeskError:
        raise
    except Exception as exc:
        raise connection_error(url, exc) from exc
    finally:
        engine.dispose()


def _revision(conn: Connection, url: str) -> str | None:
    """The store's revision; a database holding other tables and no savedesk schema is
    refused rather than taken for an empty store."""
    at = migrate.current(conn)
    if at is None:
        tables = set(inspect(conn).get_table_names())
        if tables:
            raise NotASavedeskDatabase(
                safe_url(url),
                f"it holds other tables ({', '.join(sorted(tables)[:3])}) and no savedesk schema",
            )
    return at


_QUOTED = re.compile(r'"([^"]*)"')


def connection_error(url: str, exc: BaseException) -> SavedeskError:
    """The one sentence for a server that would not let savedesk in (`exc` from the driver)."""
    where = safe_url(url)
    text = _first_line(exc)
    low = text.lower()
    named = _QUOTED.search(text)
    name = named.group(1) if named else ""
    if "password authentication failed" in low:
        return SavedeskError(
            f"The server at {where} refused the password of {name or 'this user'}: correct it "
            "in your ~/.pgpass or service file and connect again."
        )
    if "no password supplied" in low:
        return SavedeskError(
            f"The server at {where} asks for a password: put it in your ~/.pgpass or service "
            "file (savedesk never stores one) and connect again."
        )
    if "does not exist" in low and low.startswith("database"):
        return SavedeskError(
            f"There is no database {name} on the server at {where}: check its name, or ask an "
            "admin to create it."
        )
    if "does not exist" in low and "role" in low:
        return SavedeskError(f"The server at {where} has no user {name}: ask an admin to add you.")
    if "service" in low and "not found" in low:
        return SavedeskError(
            f"There is no service {name} in your pg_service.conf: check its name ({where})."
        )
    if any(
        words in low
        for words in (
            "connection refused",
            "no such file or directory",
            "could not translate host name",
            "timeout expired",
            "could not connect",
            "server closed the connection",
            "the database system is shutting down",
            "the database system is starting up",
            "no route to host",
        )
    ):
        return SavedeskError(
            f"Cannot reach the team store {describe_url(url)} ({where}): the server is not "
            "answering; check that it is running and that the host and port are right."
        )
    return SavedeskError(f"Cannot open the team store at {where}: {text}.")


def _first_line(exc: BaseException) -> str:
    # libpq's own words, without "connection to server on socket ... failed:" and FATAL:
    text = " ".join(str(getattr(exc, "orig", None) or exc).split())
    if "FATAL:" in text:
        text = text.rsplit("FATAL:", 1)[1]
    elif "failed:" in text:
        text = text.rsplit("failed:", 1)[1]
    return text.strip().rstrip(".") or type(exc).__name__
