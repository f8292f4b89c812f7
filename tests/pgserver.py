"""A throwaway PostgreSQL server for the tests and benchmarks: started, used, stopped by pid.

Debian's postgresql-15 keeps its binaries in /usr/lib/postgresql/15/bin, off PATH. initdb
refuses to run as root, and CI runs as root, so as root the cluster belongs to an unprivileged
user (created once with useradd). The server listens on a private Unix socket only, in a folder
of its own, on a port no other server here uses; nothing outside this machine can reach it.
`initdb --locale=C.UTF-8` makes lower() fold Cyrillic, as savedesk's search needs.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "savedesk-pg"
BIN_DIRS = (
    "/usr/lib/postgresql/15/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/17/bin",
)
INSTALL_LINE = "apt-get install -y --no-install-recommends postgresql-15"


class ServerUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says the one line that fixes it."""


def bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None where PostgreSQL is not installed."""
    for folder in BIN_DIRS:
        if Path(folder, "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


@dataclass
class Server:
    """A running throwaway server: connect as `superuser` through the socket in `socket_dir`."""

    root: Path
    socket_dir: Path
    port: int
    superuser: str
    pid: int

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        """A postgresql:// URL for `database` over the private socket."""
        return (
            f"postgresql://{user or self.superuser}@/{database}"
            f"?host={self.socket_dir}&port={self.port}"
        )

    def stop(self) -> None:
        """Stop the server by its pid (a fast shutdown) and remove its files."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_orphans(parent: Path) -> None:
    """Stop the servers whose test run was killed before it could stop them (SIGKILL, a CI
    timeout): a server outliving its run would hold memory and a port until the machine restarts."""
    for root in parent.glob("savedesk-pg-*"):
        try:
            owner = int((root / "owner.pid").read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((root / "data" / "postmaster.pid").read_text().split("\n", 1)[0])
            if b"postgres" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                raise OSError("the pid is no longer that server's")
            Server(root=root, socket_dir=root / "socket", port=0, superuser="", pid=pid).stop()
        shutil.rmtree(root, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> tuple[str, int, int] | None:
    """The unprivileged (name, uid, gid) to run the server as, or None when not root."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVER_USER,
            ],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(SERVER_USER)
    return entry.pw_name, entry.pw_uid, entry.pw_gid


def _run_as(owner: tuple[str, int, int] | None, args: list[str]) -> subprocess.CompletedProcess:
    def demote() -> None:
        if owner is not None:
            os.setgid(owner[2])
            os.setuid(owner[1])

    return subprocess.run(
        args,
        preexec_fn=demote if owner else None,
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )


def start(parent: Path | None = None) -> Server:
    """Start a fresh server in a new folder under `parent` (the system's temp folder by default).

    Raises ServerUnavailable, naming the apt line, where PostgreSQL is not installed.
    """
    binaries = bin_dir()
    if binaries is None:
        raise ServerUnavailable(f"PostgreSQL is not installed; as root run: {INSTALL_LINE}")
    owner = _server_user()
    _stop_orphans(Path(parent or tempfile.gettempdir()))
    root = Path(tempfile.mkdtemp(prefix="savedesk-pg-", dir=parent))
    (root / "owner.pid").write_text(str(os.getpid()))
    data, sockets = root / "data", root / "socket"
    sockets.mkdir()
    if owner is not None:
        for folder in (root, sockets):
            os.chown(folder, owner[1], owner[2])
    superuser = owner[0] if owner else pwd.getpwuid(os.geteuid()).pw_name
    done = _run_as(
        owner,
        [str(binaries / "initdb"), "-D", str(data), "-U", superuser, "--auth=trust",
         "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
    )  # fmt: skip
    if done.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise ServerUnavailable(f"initdb failed: {done.stderr.strip()}")
    port = _free_port()
    options = (
        f"-k {sockets} -p {port} -c listen_addresses='' -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    done = _run_as(
        owner,
        [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "server.log"),
         "-w", "-t", "60", "start"],
    )  # fmt: skip
    if done.returncode != 0:
        log = (root / "server.log").read_text(errors="replace")[-2000:]
        shutil.rmtree(root, ignore_errors=True)
        raise ServerUnavailable(f"the PostgreSQL server did not start: {log.strip()}")
    pid = int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    return Server(root=root, socket_dir=sockets, port=port, superuser=superuser, pid=pid)
