"""Opening a team store on a PostgreSQL server.

Only an admin changes a server's schema (`savedesk admin upgrade URL`): opening a store that is
behind or ahead of this savedesk says so in one sentence and changes nothing.
"""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from review.errors import SavedeskError, StoreBehind, StoreTooNew
from review.store import migrate
from review.store.store import ServerStore
from review.store.targets import Target, safe_url, sqlalchemy_url


def server_engine(url: str, role: str | None = None) -> Engine:
    """An engine on the PostgreSQL server that `url` names (psycopg 3: libpq is in its wheel),
    with a liveness check before a pooled connection is handed out. With `role`, each
    connection first takes that role (`set role`: an admin upgrading as the schema's owner)."""
    engine = create_engine(sqlalchemy_url(url), pool_size=2, max_overflow=4, pool_pre_ping=True)
    if role is not None:

        @event.listens_for(engine, "connect")
        def _take_role(connection, _record) -> None:
            connection.execute(f"set role {role}")
            connection.commit()

    return engine


def open_server(url: str) -> ServerStore:
    """The team store at `url`, which must be at this savedesk's schema."""
    engine = server_engine(url)
    try:
        with engine.connect() as conn:
            at = migrate.current(conn)
    except SavedeskError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise SavedeskError(
            f"Cannot reach the team store at {safe_url(url)}: {_first_line(exc)}."
        ) from exc
    head = migrate.head()
    if at != head:
        engine.dispose()
        if at is not None and at not in migrate.known_revisions():
            raise StoreTooNew(safe_url(url), at)
        raise StoreBehind(safe_url(url), at, head)
    return ServerStore(engine, Target(url=url))


def upgrade_server(url: str, role: str | None = None) -> tuple[str | None, str]:
    """An admin's upgrade of the store at `url` to this savedesk's schema (creating it in an
    empty database), in one transaction: (the revision it was at, the one it is at now).
    `role`: the role that owns the schema, where the login is not its owner."""
    engine = server_engine(url, role)
    try:
        with engine.connect() as conn:
            was = migrate.current(conn)
            if was is not None and was not in migrate.known_revisions():
                raise StoreTooNew(safe_url(url), was)
            migrate.upgrade(conn)
            return was, migrate.head()
    finally:
        engine.dispose()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
