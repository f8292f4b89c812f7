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
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

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
        """The store as a person reads it: the file's path, or user @ host/database."""
        if self.path is not None:
            return str(self.path)
        return describe_url(self.url or "")

    def title(self) -> str:
        """What the window title shows: the file's name, or user @ host/database."""
        if self.path is not None:
            return self.path.name
        return describe_url(self.url or "")

    def key(self) -> str:
        """The same text for the same store, whoever spells it (an absolute path, or the URL
        without its password): what a journal or a remembered setting is filed under."""
        if self.path is not None:
            return os.path.abspath(self.path)
        return safe_url(self.url or "")


def parse_target(value: str | os.PathLike[str] | Target) -> Target:
    """The Target that `value` names: a URL with a PostgreSQL scheme, otherwise a file path.

    A path is taken literally: `#`, `?` and `%` in a file name are part of the name.
    """
    if isinstance(value, Target):
        return value
    text = os.fspath(value)
    if is_server_url(text):
        return Target(url=text)
    return Target(path=Path(text))


def is_server_url(value: str | os.PathLike[str]) -> bool:
    """True when `value` names a PostgreSQL server rather than a file."""
    return isinstance(value, str) and value.startswith(SERVER_SCHEMES)


def default_target() -> str:
    """The store a command or the app opens when none is named: $SAVEDESK_DB (a path or a URL,
    taken as written), else savedesk.db in the user data folder."""
    named = os.environ.get("SAVEDESK_DB", "").strip()
    if named:
        return named
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("savedesk", appauthor=False)) / "savedesk.db")


def sqlalchemy_url(url: str) -> URL:
    """The SQLAlchemy URL for a libpq-style URL, always through the psycopg 3 driver."""
    from sqlalchemy.engine import make_url  # only for a server: a file opens without it

    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+psycopg")


def safe_url(url: str) -> str:
    """`url` without its password (given before the host or as `?password=`), for messages,
    the title bar and the remembered settings; otherwise as it was written."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not pair.lower().startswith("password=")
    )
    # by hand: urlunsplit would drop the // of an empty host (postgresql:///?service=NAME)
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def url_from_parts(
    host: str, port: str | int | None, database: str, user: str = "", *, service: str = ""
) -> str:
    """The postgresql:// URL for fields typed one by one (a socket folder as host works too);
    a service name alone gives `postgresql:///?service=NAME`. Never holds a password."""
    if service.strip():
        return f"postgresql:///?service={quote(service.strip(), safe='')}"
    query: dict[str, str] = {}
    host = host.strip()
    netloc = quote(user.strip(), safe="") + "@" if user.strip() else ""
    if host.startswith("/"):
        query["host"] = host
    else:
        netloc += host
        if str(port or "").strip():
            netloc += f":{int(str(port).strip())}"
            port = None
    if str(port or "").strip():
        query["port"] = str(int(str(port).strip()))
    url = f"postgresql://{netloc}/{quote(database.strip(), safe='')}"
    return url + ("?" + urlencode(query, safe="/") if query else "")


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
