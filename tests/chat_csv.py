"""A chat export in the generic CSV shape, written for a test and imported."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from tests.helpers import import_paths

HEADER = ["Conversation ID", "Created at", "Author", "Role", "Message", "Subject", "Channel",
          "Status", "Customer", "Agent"]  # fmt: skip


def import_chats(
    db_path,
    folder: Path,
    messages: Iterable[tuple[str, str, str, str, str, str]],
    *,
    subject: str,
    channel: str,
    status: str,
    agent: Callable[[str], str],
) -> Path:
    """Write `messages` ((conversation, time, author, role, text, customer) each; every
    conversation with `subject`, `channel`, `status` and the agent `agent(conversation)`) as
    folder/chats.csv and import it into `db_path`; returns the file's path."""
    path = folder / "chats.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for cid, at, author, role, text, customer in messages:
            out.writerow([cid, at, author, role, text, subject, channel, status, customer,
                          agent(cid)])  # fmt: skip
    import_paths(db_path, path)
    return path
