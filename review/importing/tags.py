"""Helpdesk tags on conversations: replaced by each newer export, never touching the tags a
reviewer added in savedesk (origin 'user')."""

from __future__ import annotations

from collections.abc import Iterable

from review.store import Store


def clean_tags(names: Iterable[str]) -> set[str]:
    """The tag names worth keeping: strings, trimmed, not empty."""
    return {n.strip() for n in names if isinstance(n, str) and n.strip()}


class TagWriter:
    """Tag ids by name (cached) and the helpdesk tags of stored conversations."""

    def __init__(self, db: Store):
        self.db = db
        self._ids: dict[str, int] = {}

    def tag_id(self, name: str) -> int:
        """The id of tag `name`, created when new."""
        if name not in self._ids:
            self.db.execute(
                "insert into tags (name) values (:name) on conflict do nothing", {"name": name}
            )
            self._ids[name] = self.db.execute(
                "select id from tags where name = :name", {"name": name}
            ).scalar()
        return self._ids[name]

    def set_helpdesk_tags(
        self, conversation_id: int, names: Iterable[str], gaps_only: bool = False
    ) -> bool:
        """Make the conversation's helpdesk tags exactly `names`; True when that changed them.
        With `gaps_only` (a record no newer than the one stored) they are set only where the
        conversation has none, never taken back."""
        wanted = clean_tags(names)
        current = {
            name: tag_id
            for tag_id, name in self.db.execute(
                "select t.id, t.name from conversation_tags ct join tags t on t.id = ct.tag_id "
                "where ct.conversation_id = :id and ct.origin = 'helpdesk'",
                {"id": conversation_id},
            )
        }
        if wanted == set(current) or (gaps_only and current):
            return False
        for name in set(current) - wanted:
            self.db.execute(
                "delete from conversation_tags "
                "where conversation_id = :id and tag_id = :tag and origin = 'helpdesk'",
                {"id": conversation_id, "tag": current[name]},
            )
        for name in wanted - set(current):
            self.db.execute(
                "insert into conversation_tags (conversation_id, tag_id, origin) "
                "values (:id, :tag, 'helpdesk') on conflict do nothing",
                {"id": conversation_id, "tag": self.tag_id(name)},
            )
        return True
