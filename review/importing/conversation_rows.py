"""How an import finds, adds and updates a conversation's own row (the conversations table).

Part of the import writer (review.importing.writer), inside its transaction: a new conversation's
row is buffered with an id handed out here and written with the next batch; a stored one is
updated in place, never rolled back by an export that is not newer.
"""

from __future__ import annotations

from collections.abc import Callable

from review.importing.message_writer import MessageWriter
from review.importing.seen import SeenKeys
from review.store import Store
from review.store.bulk import BulkWriter
from review.store.search_rows import subject_unindexed, subjects_indexed

_CONVERSATION_FIELDS = (
    "number",
    "subject",
    "channel",
    "status",
    "created_at",
    "updated_at",
    "closed_at",
    "customer_id",
    "agent_id",
    "team_id",
    "custom_fields",
)

_CONVERSATION_COLUMNS = (
    "id",
    "source",
    "external_id",
    *_CONVERSATION_FIELDS,
    "first_import_id",
    "last_import_id",
    "record_digest",
    "message_count",  # last: filled in as the row is written (StoreWriter._flush_own)
)


class ConversationRows:
    """The conversation-row half of StoreWriter (which holds the state named here)."""

    db: Store
    import_id: int | None
    messages: MessageWriter
    _bulk: BulkWriter
    _seen: SeenKeys
    _next_conversation_id: int
    _conversation_rows: list[tuple]
    _subject_rows: list[tuple]
    _pending_conversations: set[tuple[str, str]]
    _digests: list[dict]
    _is_fresh: Callable[[str, str], bool]
    _flush: Callable[[], None]

    def _upsert_conversation(
        self, source: str, external_id: str, values: dict, digest: str | None = None
    ) -> tuple[int, str, bool]:
        """The conversation's id, "added", "updated" or "unchanged", and whether the stored row
        is at least as new as `values` (so the record may fill gaps and never roll back)."""
        row = self._find_conversation(
            source, external_id, f"id, record_digest, {', '.join(_CONVERSATION_FIELDS)}"
        )
        if row is None:
            conversation_id = self._next_conversation_id
            self._next_conversation_id += 1
            fields = tuple(map(values.get, _CONVERSATION_FIELDS))
            self._conversation_rows.append(
                (
                    conversation_id,
                    source,
                    external_id,
                    *fields,
                    self.import_id,
                    self.import_id,
                    digest,
                    0,
                )
            )
            self._pending_conversations.add((source, external_id))
            if self._is_fresh("conversations", source):
                self._seen.add((source, external_id))
            if fields[1]:  # subject
                self._subject_rows.append((conversation_id, fields[1]))
            return conversation_id, "added", False
        conversation_id, old_digest, *old_values = row
        if digest is not None and digest != old_digest:
            # not part of the conversation's data: storing it is no update
            self._digests.append({"digest": digest, "id": conversation_id})
        old = dict(zip(_CONVERSATION_FIELDS, old_values, strict=True))
        stale = _not_newer(values.get("updated_at"), old["updated_at"])
        if stale:
            # An export no newer than the one stored may fill gaps, never roll fields back;
            # two files of one version (a list and a single ticket) then never flip-flop.
            merged = {
                k: (old[k] if old[k] is not None else values.get(k)) for k in _CONVERSATION_FIELDS
            }
        else:
            merged = {
                k: (values.get(k) if values.get(k) is not None else old[k])
                for k in _CONVERSATION_FIELDS
            }
        if merged == old:
            return conversation_id, "unchanged", stale
        self._flush()
        assignments = ", ".join(f"{k} = :{k}" for k in _CONVERSATION_FIELDS)
        self.db.execute(
            f"update conversations set {assignments}, last_import_id = :run where id = :id",
            {**merged, "run": self.import_id, "id": conversation_id},
        )
        self.messages.changed(conversation_id)  # its reply times copy status, team, assignee
        if merged["subject"] != old["subject"]:
            if old["subject"]:
                self._bulk.write([subject_unindexed(self.db, conversation_id, old["subject"])])
            if merged["subject"]:
                self._bulk.write(
                    [subjects_indexed(self.db, [(conversation_id, merged["subject"])])]
                )
        return conversation_id, "updated", stale

    def _find_conversation(
        self, source: str, external_id: str, columns: str = "id"
    ) -> tuple | None:
        """The stored row of a conversation (flushing first if it is still in the buffer)."""
        key = (source, external_id)
        if self._is_fresh("conversations", source) and key not in self._seen:
            return None
        if key in self._pending_conversations:
            self._flush()
        return self.db.execute(
            f"select {columns} from conversations where source = :source and external_id = :id",
            {"source": source, "id": external_id},
        ).fetchone()


def _not_newer(incoming: str | None, stored: str | None) -> bool:
    """True when both times are known and the incoming record is not newer than the stored
    one (ISO 8601 UTC strings of one shape compare in time order)."""
    return bool(incoming and stored and incoming <= stored)
