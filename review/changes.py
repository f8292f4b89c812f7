"""What a user action changed, so the GUI refreshes only that (STYLE.md, section 6)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """Conversations touched and tables written by one action. Empty means nothing changed."""

    conversations: frozenset[int] = field(default_factory=frozenset)
    tables: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls, tables: str | tuple[str, ...], conversations: int | tuple[int, ...] | set[int] = ()
    ) -> Changes:
        """Changes naming `tables` and `conversations` (single values or collections)."""
        tables = (tables,) if isinstance(tables, str) else tables
        conversations = (conversations,) if isinstance(conversations, int) else conversations
        return cls(frozenset(conversations), frozenset(tables))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.conversations | other.conversations, self.tables | other.tables)

    def __bool__(self) -> bool:
        return bool(self.conversations or self.tables)
