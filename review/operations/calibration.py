"""Calibration sessions (review.reviewing.calibration_sessions): a manager creates and closes a
session and records reference ratings; a reviewer finishes their scoring. Creating a session
and recording a reference are undo steps; finishing and closing are not (once the ratings are
revealed, taking either back would hide what everyone has seen)."""

from __future__ import annotations

from review.changes import Changes
from review.operations.core import Actor, operation
from review.reviewing import calibration_sessions as sessions
from review.store import Store

TABLES = ("calibration_sessions", "calibration_session_reviewers")


@operation("create-calibration-session", "New calibration session")
def create_calibration_session(
    db: Store, actor: Actor, name: str, conversation_ids: list[int], reviewers: list[str]
) -> tuple[Changes, int]:
    """A new session over the conversations for the reviewers; value: the session's id."""
    made = sessions.create_session(
        db, name, conversation_ids, reviewers, by=actor.reviewer or "", session=actor.session
    )
    return Changes.of(TABLES, made.conversations), made.id


@operation("finish-calibration-scoring", "Finish my scoring")
def finish_calibration_scoring(db: Store, actor: Actor, session_id: int) -> Changes:
    """Mark the actor's scoring of the session finished: their ratings lock."""
    who = db.signed_in_as() or actor.require_reviewer()
    done = sessions.finish_scoring(db, session_id, who)
    return Changes.of(TABLES, done.conversations)


@operation("close-calibration-session", "Close calibration session")
def close_calibration_session(
    db: Store, actor: Actor, session_id: int, expected_version: int | None = None
) -> Changes:
    """Close the session: nobody rates in it any more and its ratings are shown."""
    closed = sessions.close_session(
        db, session_id, by=actor.reviewer or "", expected_version=expected_version
    )
    return Changes.of(TABLES, closed.conversations)


@operation("record-calibration-reference", "Record reference")
def record_calibration_reference(
    db: Store,
    actor: Actor,
    session_id: int,
    conversation_id: int,
    category_id: int,
    rating: int | None,
    na: bool = False,
    note: str | None = None,
) -> Changes:
    """Record the agreed reference rating of one category of a session's conversation, with a
    note."""
    sessions.record_reference(
        db, session_id, conversation_id, category_id, rating, na, note,
        by=actor.reviewer or "", session=actor.session,
    )  # fmt: skip
    return Changes.of("calibration_references", conversation_id)
