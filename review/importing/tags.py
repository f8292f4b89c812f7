"""Helpdesk tags on conversations: replaced by each newer export, never touching the tags a
reviewer added in savedesk (origin 'user')."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def clean_tags(names: Iterable[str]) -> set[str]:
    """The tag names worth keeping: strings, trimmed, not empty."""
    return {n.strip() for n in names if isinstance(n, str) and n.strip()}


class TagWriter:
    """Tag ids by name (cached) and the helpdesk tags of stored conversations."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._ids: dict[str, int] = {}

    def tag_id(self, name: str) -> int:
        """The id of tag `name`, created when new."""
        if name not in self._ids:
            self.conn.execute("insert or ignore into tags (name) values (?)", [name])
            self._ids[name] = self.conn.execute(
                "select id from tags where name = ?", [name]
            ).fetchone()[0]
        return self._ids[name]

    def set_helpdesk_tags(self, conversation_id: int, names: Iterable[str]) -> bool:
        """Make the conversation's helpdesk tags exactly `names`; True when that changed them."""
        wanted = clean_tags(names)
        current = {
            name: tag_id
            for tag_id, name in self.conn.execute(
                "select t.id, t.name from conversation_tags ct join tags t on t.id = ct.tag_id "
                "where ct.conversation_id = ? and ct.origin = 'helpdesk'",
                [conversation_id],
            )
        }
        if wanted == set(current):
            return False
        for name in set(current) - wanted:
            self.conn.execute(
                "delete from conversation_tags "
                "where conversation_id = ? and tag_id = ? and origin = 'helpdesk'",
                [conversation_id, current[name]],
            )
        for name in wanted - set(current):
            self.conn.execute(
                "insert or ignore into conversation_tags (conversation_id, tag_id, origin) "
                "values (?, ?, 'helpdesk')",
                [conversation_id, self.tag_id(name)],
            )
        return True
