"""Where savedesk's data lives: a SQLite file (one person, no set-up) or a PostgreSQL server (a
team). `open_store(target)` opens either; every query in review/ runs through the Store it
returns, and nothing outside this package asks which engine is behind it.
"""

from __future__ import annotations

import os

from review.store.store import Rows, Store
from review.store.targets import Target, parse_target

__all__ = ["Rows", "Store", "Target", "connect", "open_store", "parse_target"]


def open_store(
    target: str | os.PathLike[str] | Target,
    *,
    create: bool = True,
    read_only: bool | None = None,
    timeout: float | None = None,
) -> Store:
    """Open the store `target` names: a file path (created and upgraded as needed, see
    review.store.database.open_file) or a postgresql:// URL (at this savedesk's schema)."""
    where = parse_target(target)
    if where.url is not None:
        from review.store.server import open_server

        return open_server(where.url)
    from review.store.database import WRITER_TIMEOUT, open_file

    assert where.path is not None
    return open_file(
        where.path,
        create=create,
        read_only=read_only,
        timeout=WRITER_TIMEOUT if timeout is None else timeout,
    )


def connect(
    target: str | os.PathLike[str] | Target,
    *,
    read_only: bool = False,
    timeout: float | None = None,
) -> Store:
    """A store on `target` without checks or upgrades (for jobs and tests): the file's
    connection with savedesk's settings, or the server's."""
    where = parse_target(target)
    if where.url is not None:
        from review.store.database import WRITER_TIMEOUT
        from review.store.server import ServerStore, server_engine

        wait = WRITER_TIMEOUT if timeout is None else timeout
        return ServerStore(server_engine(where.url, lock_wait=wait), where, read_only=read_only)
    from review.store.database import WRITER_TIMEOUT
    from review.store.database import connect as connect_file

    assert where.path is not None
    return connect_file(
        where.path, read_only=read_only, timeout=WRITER_TIMEOUT if timeout is None else timeout
    )
