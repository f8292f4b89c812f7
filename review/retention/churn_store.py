"""Churn signals in the store: found for some or every conversation, kept per message, read back per conversation (the phrase lists and matching are review.retention.churn)."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path

from review.changes import Changes
from review.progress import Progress
from review.retention.churn import (
    PhraseList,
    find_signals,
    load_phrases,
    phrase_folders,
)
from review.store import Store, connect


@dataclass(frozen=True)
class Signal:
    """A churn signal stored for a message."""

    id: int
    conversation_id: int
    message_id: int
    phrase: str
    matched: str | None
    intent: str
    language: str


_MESSAGES_SQL = """
select id, conversation_id, body_text from messages
where author_role = 'customer' and kind = 'message' and is_internal = 0
  and body_text is not null and body_text <> ''
"""


_BATCH = 500


def detect_churn_signals(
    db: Store,
    conversation_ids: Iterable[int] | None = None,
    phrases: list[PhraseList] | None = None,
) -> int:
    """Find churn signals in the customer messages of `conversation_ids` (None: every
    conversation), replacing what was stored for them. Returns how many signals it stored.

    Runs inside the caller's transaction when there is one (the import job's).
    """
    lists = phrases if phrases is not None else load_phrases(phrase_folders(db))
    stored = 0
    with db.atomic():
        if conversation_ids is None:
            db.execute("delete from churn_signals")
            stored += _detect(db, _MESSAGES_SQL, {}, lists)
        else:
            ids = sorted({int(i) for i in conversation_ids})
            for i in range(0, len(ids), _BATCH):
                chunk = ids[i : i + _BATCH]
                names = {f"c{n}": cid for n, cid in enumerate(chunk)}
                marks = ", ".join(f":{name}" for name in names)
                db.execute(f"delete from churn_signals where conversation_id in ({marks})", names)
                stored += _detect(
                    db, _MESSAGES_SQL + f" and conversation_id in ({marks})", names, lists
                )
    return stored


def _detect(db: Store, sql: str, params: dict, lists: list[PhraseList]) -> int:
    rows = []
    for message_id, conversation_id, body in db.execute(sql, params).fetchall():
        for hit in find_signals(body, lists):
            rows.append(
                {
                    "conversation_id": conversation_id,
                    "message_id": message_id,
                    "phrase": hit.phrase,
                    "matched": hit.matched,
                    "intent": hit.intent,
                    "language": hit.language,
                }
            )
    db.insert_rows("churn_signals", rows)
    return len(rows)


def detect_churn_signals_changes(
    db: Store, conversation_ids: Iterable[int] | None = None
) -> Changes:
    """`detect_churn_signals` for the GUI's "look again" action: what it changed."""
    ids = None if conversation_ids is None else tuple(conversation_ids)
    detect_churn_signals(db, ids)
    touched = ids if ids is not None else ()
    return Changes.of("churn_signals", touched)


def detect_churn_signals_job(
    db_path: str | os.PathLike, folders: Iterable[Path] | None = None
) -> Generator[Progress, None, int]:
    """Job (STYLE.md section 4): `detect_churn_signals` over every conversation on its own
    connection, with the phrases of `folders` (None: the folders the settings name). Yields a
    Progress before and after; cancelled at either, it rolls back. Returns the signals stored."""
    lists = load_phrases(folders) if folders is not None else None
    db = connect(db_path)
    try:
        with db.atomic():
            yield Progress(0, 1, "Looking for churn signals")
            found = detect_churn_signals(db, None, lists)
            yield Progress(1, 1, f"{found} churn signals found")
        return found
    finally:
        db.close()


def signals_for_conversation(db: Store, conversation_id: int) -> list[Signal]:
    """The churn signals of one conversation, in message order."""
    return [
        Signal(*row)
        for row in db.execute(
            "select s.id, s.conversation_id, s.message_id, s.phrase, s.matched, s.intent, "
            "s.language from churn_signals s join messages m on m.id = s.message_id "
            "where s.conversation_id = ? order by m.created_at, m.id, s.id",
            [conversation_id],
        )
    ]
