"""Calibration sessions (DOMAIN.md "A team on one store"): a manager names conversations and
reviewers; each reviewer scores every conversation blind, in a review tied to the session
(`reviews.calibration_session_id`, apart from their ordinary review of it); a reviewer marks
their scoring finished, after which their ratings are locked; once every reviewer has finished,
or the manager closes the session, the ratings are revealed side by side
(review.figures.session_agreement) and the manager records a reference rating and a note per
conversation and category.

On a team store the server enforces all of it (review/store/policies.py); these functions say
the same rules in one sentence on either engine, so a SQLite file behaves alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from review.errors import EditConflict, InvalidInput, NotFound
from review.reviewing.rubrics import current_rubric, get_rubric
from review.store import Store
from review.store.undo import DEFAULT_SESSION, now_utc, recorded

OPEN, CLOSED = "open", "closed"
HIDDEN = (
    "The ratings of this session stay hidden until every reviewer has finished or the session "
    "is closed."
)


@dataclass(frozen=True)
class SessionReviewer:
    """A reviewer named in a session; `finished_at` None while they are still scoring."""

    reviewer: str
    finished_at: str | None


@dataclass(frozen=True)
class CalibrationSession:
    """A session with its conversations (in the order given) and reviewers (by name)."""

    id: int
    name: str
    rubric_id: int
    created_by: str | None
    created_at: str
    status: str
    closed_by: str | None
    closed_at: str | None
    version: int
    conversations: tuple[int, ...]
    reviewers: tuple[SessionReviewer, ...]

    @property
    def revealed(self) -> bool:
        """True once the ratings may be shown side by side: closed, or all finished."""
        return self.status == CLOSED or all(r.finished_at for r in self.reviewers)

    @property
    def finished(self) -> int:
        """How many reviewers have finished their scoring."""
        return sum(1 for r in self.reviewers if r.finished_at)

    def reviewer(self, name: str | None) -> SessionReviewer | None:
        """The named reviewer's place in the session, or None when they are not in it."""
        return next((r for r in self.reviewers if r.reviewer == name), None)

    def scoring(self, name: str | None) -> bool:
        """True while `name` may still rate in this session (open, named, not finished)."""
        me = self.reviewer(name)
        return self.status == OPEN and me is not None and me.finished_at is None


@dataclass(frozen=True)
class Reference:
    """The manager's reference rating of one category of one conversation, with a note."""

    conversation_id: int
    category_id: int
    rating: int | None
    is_na: bool
    note: str | None
    recorded_by: str | None
    recorded_at: str
    version: int


_COLUMNS = "id, name, rubric_id, created_by, created_at, status, closed_by, closed_at, version"


def _who(db: Store, by: str) -> str | None:
    return db.signed_in_as() or (by or "").strip() or None


def get_session(db: Store, session_id: int) -> CalibrationSession:
    """The session with its conversations and reviewers; NotFound if there is none (or, on a
    team store, none the signed-in person may see)."""
    row = db.execute(
        f"select {_COLUMNS} from calibration_sessions where id = :s", {"s": session_id}
    ).fetchone()
    if row is None:
        raise NotFound("calibration session", session_id)
    conversations = tuple(
        r[0]
        for r in db.execute(
            "select conversation_id from calibration_session_conversations where session_id = :s "
            "order by position, conversation_id",
            {"s": session_id},
        )
    )
    reviewers = tuple(
        SessionReviewer(r[0], r[1])
        for r in db.execute(
            "select reviewer, finished_at from calibration_session_reviewers "
            "where session_id = :s order by reviewer",
            {"s": session_id},
        )
    )
    return CalibrationSession(
        id=row[0], name=row[1], rubric_id=row[2], created_by=row[3], created_at=row[4],
        status=row[5], closed_by=row[6], closed_at=row[7], version=row[8],
        conversations=conversations, reviewers=reviewers,
    )  # fmt: skip


def list_sessions(db: Store) -> list[CalibrationSession]:
    """Every session the signed-in person may see (a lead: those naming them), open ones
    first, newest first within each."""
    ids = db.execute(
        "select id from calibration_sessions order by case when status = 'open' then 0 else 1 "
        "end, created_at desc, id desc"
    ).fetchall()
    return [get_session(db, i) for (i,) in ids]


def create_session(
    db: Store,
    name: str,
    conversation_ids: Iterable[int],
    reviewers: Iterable[str],
    *,
    by: str = "",
    session: str = DEFAULT_SESSION,
) -> CalibrationSession:
    """A new open session over the conversations (in the order given) for the reviewers, on
    the current rubric. One undo step (undoing it deletes the session while nobody has rated
    in it yet). Refuses a missing name, no conversation, or fewer than two reviewers."""
    name = (name or "").strip()
    chosen = list(dict.fromkeys(int(c) for c in conversation_ids))
    people = sorted({(r or "").strip() for r in reviewers} - {""})
    if not name:
        raise InvalidInput("A calibration session needs a name.")
    if not chosen:
        raise InvalidInput("A calibration session needs at least one conversation.")
    if len(people) < 2:
        raise InvalidInput("A calibration session needs at least two reviewers to compare.")
    rubric = current_rubric(db)
    with recorded(db, session, f"New calibration session “{name}”") as rec:
        for cid in chosen:
            if not db.execute("select 1 from conversations where id = :c", {"c": cid}).fetchone():
                raise NotFound("conversation", cid)
        session_id = db.insert(
            "calibration_sessions",
            {"name": name, "rubric_id": rubric.id, "created_by": _who(db, by),
             "created_at": now_utc(), "status": OPEN},
        )  # fmt: skip
        rec.track_new("calibration_sessions", {"id": session_id})
        for position, cid in enumerate(chosen):
            key = {"session_id": session_id, "conversation_id": cid}
            db.insert("calibration_session_conversations", {**key, "position": position},
                      returning="session_id")  # fmt: skip
            rec.track_new("calibration_session_conversations", key)
        for reviewer in people:
            key = {"session_id": session_id, "reviewer": reviewer}
            db.insert("calibration_session_reviewers", key, returning="session_id")
            rec.track_new("calibration_session_reviewers", key)
        rec.touch(*chosen)
    return get_session(db, session_id)


def scoring_rubric(db: Store, session_id: int, conversation_id: int, reviewer: str) -> int:
    """The rubric a reviewer rates this session's conversation on, once it is sure they may
    still rate it: InvalidInput (one sentence) when the session is closed, they are not named
    in it, they have finished, or the conversation is not one of the session's."""
    found = get_session(db, session_id)
    me = found.reviewer(reviewer)
    if found.status != OPEN:
        raise InvalidInput(f"The calibration session “{found.name}” is closed.")
    if me is None:
        raise InvalidInput(f"You are not a reviewer in the calibration session “{found.name}”.")
    if me.finished_at:
        raise InvalidInput(f"You finished scoring “{found.name}”: your ratings in it are locked.")
    if conversation_id not in found.conversations:
        raise InvalidInput(f"That conversation is not part of “{found.name}”.")
    return found.rubric_id


def unrated(db: Store, session_id: int, reviewer: str) -> int:
    """How many (conversation, category) answers the reviewer has not given yet in the
    session (a rating or an N/A each)."""
    found = get_session(db, session_id)
    categories = len(get_rubric(db, found.rubric_id).categories)
    given = db.execute(
        "select count(*) from reviews r join review_ratings rr on rr.review_id = r.id "
        "where r.calibration_session_id = :s and r.reviewer = :w "
        "and (rr.rating is not null or rr.is_na = 1)",
        {"s": session_id, "w": reviewer},
    ).scalar()
    return len(found.conversations) * categories - int(given or 0)


def finish_scoring(db: Store, session_id: int, reviewer: str) -> CalibrationSession:
    """Mark the reviewer's scoring of the session finished (their ratings lock). Not undoable:
    when they are the last to finish, everyone's ratings are shown."""
    with db.atomic():
        found = get_session(db, session_id)
        if found.status != OPEN:
            raise InvalidInput(f"The calibration session “{found.name}” is closed.")
        me = found.reviewer(reviewer)
        if me is None:
            raise InvalidInput(f"You are not a reviewer in the calibration session “{found.name}”.")
        if me.finished_at:
            raise InvalidInput(f"You have already finished scoring “{found.name}”.")
        changed = db.execute(
            "update calibration_session_reviewers set finished_at = :now "
            "where session_id = :s and reviewer = :w and finished_at is null",
            {"now": now_utc(), "s": session_id, "w": reviewer},
        ).rowcount
        if not changed:
            raise InvalidInput(f"You are not a reviewer in the calibration session “{found.name}”.")
    return get_session(db, session_id)


def close_session(
    db: Store, session_id: int, *, by: str = "", expected_version: int | None = None
) -> CalibrationSession:
    """Close the session: nobody rates in it any more and its ratings are shown. Not undoable
    (the ratings have been seen)."""
    with db.atomic():
        found = get_session(db, session_id)
        if found.status != OPEN:
            raise InvalidInput(f"The calibration session “{found.name}” is already closed.")
        changed = db.execute(
            "update calibration_sessions set status = 'closed', closed_by = :by, closed_at = :now,"
            " version = version + 1 where id = :s and status = 'open' and "
            "(cast(:expected as integer) is null or version = :expected)",
            {"by": _who(db, by), "now": now_utc(), "s": session_id, "expected": expected_version},
        ).rowcount
        if not changed:
            raise EditConflict(f"the calibration session “{found.name}”", "someone else", None)
    return get_session(db, session_id)


def references(db: Store, session_id: int) -> dict[tuple[int, int], Reference]:
    """The session's reference ratings by (conversation id, category id)."""
    return {
        (r[0], r[1]): Reference(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7])
        for r in db.execute(
            "select conversation_id, category_id, rating, is_na, note, recorded_by, recorded_at, "
            "version from calibration_references where session_id = :s "
            "order by conversation_id, category_id",
            {"s": session_id},
        )
    }


def record_reference(
    db: Store,
    session_id: int,
    conversation_id: int,
    category_id: int,
    rating: int | None,
    na: bool = False,
    note: str | None = None,
    *,
    by: str = "",
    session: str = DEFAULT_SESSION,
) -> None:
    """Record (or change) the reference rating of one category of one of the session's
    conversations, with a note; rating None and na False with no note removes it. One undo
    step. Only once the ratings are revealed: the reference is agreed after comparing."""
    found = get_session(db, session_id)
    if not found.revealed:
        raise InvalidInput(HIDDEN)
    if conversation_id not in found.conversations:
        raise InvalidInput(f"That conversation is not part of “{found.name}”.")
    category = get_rubric(db, found.rubric_id).category_by_id(category_id)
    if na and rating is not None:
        raise InvalidInput(f"'{category.name}' cannot be both rated and N/A.")
    if na and not category.allow_na:
        raise InvalidInput(f"'{category.name}' does not allow N/A.")
    if rating is not None and not category.scale_min <= rating <= category.scale_max:
        raise InvalidInput(
            f"{rating!r} is not a rating of '{category.name}' "
            f"(from {category.scale_min} to {category.scale_max})."
        )
    note = (note or "").strip() or None
    key = {"session_id": session_id, "conversation_id": conversation_id,
           "category_id": category_id}  # fmt: skip
    with recorded(db, session, f"Reference for '{category.name}'") as rec:
        rec.track("calibration_references", key)
        rec.touch(conversation_id)
        if rating is None and not na and note is None:
            db.execute(
                "delete from calibration_references where session_id = :session_id and "
                "conversation_id = :conversation_id and category_id = :category_id",
                key,
            )
            return
        db.execute(
            "insert into calibration_references (session_id, conversation_id, category_id, "
            "rating, is_na, note, recorded_by, recorded_at) values (:session_id, "
            ":conversation_id, :category_id, :rating, :na, :note, :by, :now) "
            "on conflict (session_id, conversation_id, category_id) do update set "
            "rating = excluded.rating, is_na = excluded.is_na, note = excluded.note, "
            "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at, "
            "version = calibration_references.version + 1",
            {**key, "rating": rating, "na": int(na), "note": note, "by": _who(db, by),
             "now": now_utc()},
        )  # fmt: skip
