"""A journal of the edits not yet in the database, so a crash or a kill loses none of them.

Every operation the window hands to its runner is appended here (one JSON line, flushed) before
it reaches the database, and marked done once committed; when nothing is left to write the
file is emptied. A window that opens a database replays what a process that died left in its
journal: the operation ids (review.operations) make a call that did reach the database do
nothing the second time.

One file per process and database, in the settings folder: two windows of two processes on
one database never replay each other's edits while both run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from review.operations import Actor, Call
from review.store.targets import parse_target

log = logging.getLogger("savedesk")


def journal_folder() -> Path:
    """Where journals live: beside the application's settings file."""
    from PySide6.QtCore import QSettings

    return Path(QSettings().fileName()).parent / "journal"


def _stem(db_path: str) -> str:
    return hashlib.sha1(parse_target(db_path).key().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    """An edit from a journal: its operation id, the call and who made it."""

    id: str
    call: Call
    actor: Actor


class Journal:
    """This process's journal for the database at `db_path`."""

    def __init__(self, db_path: str, folder: Path | None = None):
        self.db_path = parse_target(db_path).key()  # a server's URL without its password
        self.folder = folder or journal_folder()
        self.path = self.folder / f"{_stem(db_path)}-{os.getpid()}.jsonl"
        self._lock = threading.Lock()

    def add(self, entry: Entry) -> None:
        """Write the edit down before it is attempted (best effort: a full disk may refuse)."""
        self._append(
            {
                "id": entry.id,
                "db": self.db_path,
                "call": {"name": entry.call.name, "args": entry.call.args},
                "actor": {"session": entry.actor.session, "reviewer": entry.actor.reviewer},
            }
        )

    def done(self, entry_id: str) -> None:
        """The edit is in the database."""
        self._append({"done": entry_id})

    def clear(self) -> None:
        """Nothing is waiting: start the file afresh."""
        with self._lock, contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def _append(self, record: dict) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                with open(self.path, "a", encoding="utf-8") as handle:
                    handle.write(line)
                    handle.flush()
            except OSError as exc:  # the edit is still in memory and on screen
                log.warning("could not write the edit journal %s: %s", self.path, exc)

    def take_orphans(self) -> list[Entry]:
        """The unfinished edits left for this database by processes no longer running, and by
        an earlier window of this one (their files are removed): the caller replays them."""
        entries: list[Entry] = []
        for path in sorted(self.folder.glob(f"{_stem(self.db_path)}-*.jsonl")):
            pid = path.stem.rsplit("-", 1)[-1]
            if path != self.path and pid.isdigit() and _running(int(pid)):
                continue
            entries += read_unfinished(path)
            with contextlib.suppress(OSError):
                path.unlink()
        return entries


def read_unfinished(path: Path) -> list[Entry]:
    """The edits of one journal file not marked done, each with its latest call, in order."""
    calls: dict[str, Entry] = {}
    finished: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # the last line of a process killed mid-write
        if "done" in record:
            finished.add(record["done"])
        elif "id" in record:
            call = Call(record["call"]["name"], record["call"].get("args") or {})
            actor = Actor(record["actor"]["session"], record["actor"].get("reviewer"))
            calls[record["id"]] = Entry(record["id"], call, actor)
    return [entry for key, entry in calls.items() if key not in finished]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
