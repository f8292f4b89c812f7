"""Which store a person means: a SQLite file path or a PostgreSQL server URL.

A target is what `savedesk --db`, `SAVEDESK_DB` and File > Connect to server... hand over. A
path names the embedded SQLite file (zero set-up, one person); a `postgresql://` URL names a
team's shared server, including libpq's `postgresql:///?service=NAME`. Passwords are never kept
by savedesk: libpq finds them in ~/.pgpass or the service file, so `safe_url` drops any password a
person typed before the URL is shown or remembered.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy.engine import URL, make_url

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


@dataclass(frozen=True)
class Target:
    """A store to open: `path` for a SQLite file, or `url` for a PostgreSQL server."""

    path: Path | None = None
    url: str | None = None

    @property
    def is_server(self) -> bool:
        """True for a PostgreSQL server, False for a local file."""
        return self.url is not None

    def describe(self) -> str:
        """What the window title shows: the file's path, or user @ host/database."""
        if self.path is not None:
            return str(self.path)
        return describe_url(self.url or "")


def parse_target(value: str | os.PathLike[str] | Target) -> Target:
    """The Target that `value` names: a URL with a PostgreSQL scheme, otherwise a file path.

    A path is taken literally: `#`, `?` and `%` in a file name are part of the name.
    """
    if isinstance(value, Target):
        return value
    text = os.fspath(value)
    if text.startswith(SERVER_SCHEMES):
        return Target(url=text)
    return Target(path=Path(text))


def sqlalchemy_url(url: str) -> URL:
    """The SQLAlchemy URL for a libpq-style URL, always through the psycopg 3 driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+psycopg")


def safe_url(url: str) -> str:
    """`url` without its password, for the title bar and the remembered settings."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.password is None:
        return url
    return parsed.set(password=None).render_as_string(hide_password=False)


def describe_url(url: str) -> str:
    """`user @ host/database` for a server URL (a service name or socket folder stands for host)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if "service" in query and not parts.path.strip("/"):
        return f"service {query['service']}"
    user = parts.username or query.get("user") or os.environ.get("PGUSER") or _login()
    host = parts.hostname or query.get("host") or "localhost"
    if host.startswith("/"):
        host = "localhost"
    database = parts.path.strip("/") or query.get("dbname") or user
    return f"{user} @ {host}/{database}"


def _login() -> str:
    try:
        return os.getlogin()
    except OSError:
        import getpass

        return getpass.getuser()
