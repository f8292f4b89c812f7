"""Reviews: a reviewer's ratings of one conversation against one rubric version.

Every write is its own transaction, committed before the function returns, and records itself
for undo in that same transaction (review.store.undo): a review typed half-way survives a crash. The
review's score (DOMAIN.md) is recomputed and stored on `reviews.score` at each write so that
quality figures are plain SQL aggregates.

Several people (or one person in two windows) may edit one store: every write takes the review
first, bumping its version (on a server the row stays locked until the write commits, so
writes of one review queue and none is lost). A write that names the version its writer last
saw (`expected_version`) and finds that another session changed the review since changes
nothing and raises EditConflict, naming who changed it and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from review import lookup
from review.changes import Changes
from review.errors import EditConflict, InvalidInput, NotFound
from review.reviewing.rubrics import Category, Rubric, current_rubric, current_rubric_id, get_rubric
from review.reviewing.scoring import ScoreResult, score
from review.reviewing.stored_reviews import Rating as Rating
from review.reviewing.stored_reviews import Review, default_agent, get_review, review_id_of
from review.reviewing.stored_reviews import review_of as review_of
from review.reviewing.stored_reviews import reviews_for_conversation as reviews_for_conversation
from review.store import Store
from review.store.undo import DEFAULT_SESSION, now_utc, recorded


def start_review(
    db: Store,
    conversation_id: int,
    reviewer: str,
    rubric_id: int | None = None,
    *,
    session: str = DEFAULT_SESSION,
    calibration_session_id: int | None = None,
) -> Review:
    """The reviewer's review of the conversation, created (and committed) if there is none.

    A new review uses `rubric_id` or the current rubric, and reviews the conversation's
    default agent. An existing review is returned as it is, whatever `rubric_id` says. With
    `calibration_session_id` it is the reviewer's review in that session, apart from their
    ordinary one.
    """
    reviewer = db.signed_in_as() or (reviewer or "").strip()
    if not reviewer:
        raise InvalidInput("A review needs the reviewer's name.")
    review_id = review_id_of(db, conversation_id, reviewer, calibration_session_id)
    if review_id is None:
        review_id = new_review(
            db, conversation_id, reviewer, rubric_id, session=session,
            calibration_session_id=calibration_session_id,
        )  # fmt: skip
    return get_review(db, review_id)


def new_review(
    db: Store,
    conversation_id: int,
    reviewer: str,
    rubric_id: int | None = None,
    *,
    session: str = DEFAULT_SESSION,
    calibration_session_id: int | None = None,
) -> int:
    """Start the review `reviewer` (the signed-in login on a team store) does not have yet
    (start_review, once it looked), in calibration session `calibration_session_id` or an
    ordinary one; its id."""
    if db.execute("select 1 from conversations where id = ?", [conversation_id]).fetchone() is None:
        raise NotFound("conversation", conversation_id)
    rubric = get_rubric(db, rubric_id).id if rubric_id is not None else current_rubric_id(db)
    agent_id = default_agent(db, conversation_id)
    with recorded(db, session, f"Start review of conversation {conversation_id}") as rec:
        now = now_utc()
        review_id = db.execute(
            "insert into reviews (conversation_id, rubric_id, reviewer, agent_id, score, "
            "critical_failed, created_at, updated_at, edited_in, calibration_session_id) "
            "values (?, ?, ?, ?, null, 0, ?, ?, ?, ?) returning id",
            [
                conversation_id,
                rubric,
                reviewer,
                agent_id,
                now,
                now,
                session,
                calibration_session_id,
            ],
        ).scalar()
        assert review_id is not None  # an insert always has one
        rec.track_new("reviews", {"id": review_id})
        rec.touch(conversation_id)
    return int(review_id)


def _review_row(db: Store, review_id: int) -> tuple[int, int]:
    row = db.execute(
        "select conversation_id, rubric_id from reviews where id = ?", [review_id]
    ).fetchone()
    if row is None:
        raise NotFound("review", review_id)
    return row[0], row[1]


def take_review(db: Store, review_id: int, expected_version: int | None, session: str) -> dict:
    """Take the review for one write (call first, inside the write's transaction): its version
    goes up and, on a server, its row stays locked until the write commits; the row as taken.
    EditConflict when `expected_version` is given and another session changed the review
    after that version."""
    taken = db.execute(
        "update reviews set version = version + 1, edited_in = :session where id = :id and "
        "(cast(:expected as integer) is null or version = :expected or edited_in = :session) "
        "returning *",
        {"id": review_id, "expected": expected_version, "session": session},
    )
    row = taken.fetchone()
    if row is not None:
        return dict(zip(taken.columns, row, strict=True))
    row = db.execute(
        "select updated_by, reviewer, updated_at from reviews where id = :id", {"id": review_id}
    ).fetchone()
    if row is None:
        raise NotFound("review", review_id)
    raise EditConflict("this review", row[0] or row[1], row[2])


def _category(db: Store, rubric_id: int, category_id: int) -> Category:
    return get_rubric(db, rubric_id).category_by_id(category_id)


def _check_rating(category: Category, rating: int | None, na: bool) -> None:
    if na and rating is not None:
        raise InvalidInput(f"'{category.name}' cannot be both rated and N/A.")
    if na and not category.allow_na:
        raise InvalidInput(f"'{category.name}' does not allow N/A.")
    if rating is not None and (
        isinstance(rating, bool)
        or not isinstance(rating, int)
        or not category.scale_min <= rating <= category.scale_max
    ):
        raise InvalidInput(
            f"{rating!r} is not a rating of '{category.name}' "
            f"(from {category.scale_min} to {category.scale_max})."
        )


def rate(
    db: Store,
    review_id: int,
    category_id: int,
    rating: int | None,
    na: bool = False,
    *,
    session: str = DEFAULT_SESSION,
    suggested_by: str | None = None,
    label: str | None = None,
    expected_version: int | None = None,
) -> Changes:
    """Rate one category (`rating` None and na False clears it; na=True marks it N/A).

    `suggested_by` marks a rating accepted from an automatic suggestion (the rule-set
    version); any other rating clears the mark. Raises InvalidInput for a rating outside the
    category's scale or N/A where not allowed.
    """
    conversation_id, rubric_id = _review_row(db, review_id)
    rubric = get_rubric(db, rubric_id)
    category = rubric.category_by_id(category_id)
    _check_rating(category, rating, na)
    given = label
    if na:
        label = f"Mark '{category.name}' N/A"
    elif rating is None:
        label = f"Clear '{category.name}'"
    elif category.scale == "pass_fail":
        label = f"Rate '{category.name}' {'pass' if rating else 'fail'}"
    else:
        label = f"Rate '{category.name}' {rating}"
    with recorded(db, session, label if given is None else given) as rec:
        taken = take_review(db, review_id, expected_version, session)
        key = {"review_id": review_id, "category_id": category_id}
        rec.track("review_ratings", key)
        rec.track("reviews", {"id": review_id}, as_is=taken)
        rec.touch(conversation_id)
        db.execute(
            "insert into review_ratings (review_id, category_id, rating, is_na, suggested_by) "
            "values (:review_id, :category_id, :rating, :na, :by) on conflict (review_id, "
            "category_id) do update set rating = excluded.rating, is_na = excluded.is_na, "
            "suggested_by = excluded.suggested_by",
            {**key, "rating": rating, "na": int(na), "by": suggested_by},
        )
        if rating is None and not na:  # a rated or N/A row is never empty
            _drop_if_empty(db, review_id, category_id)
        _store_score(db, review_id, touch=True, rubric=rubric)
    return rec.changes()


def comment_category(
    db: Store,
    review_id: int,
    category_id: int,
    text: str | None,
    *,
    session: str = DEFAULT_SESSION,
    merge: bool = False,
    expected_version: int | None = None,
) -> Changes:
    """Set (or, with empty text, remove) the reviewer's comment on one category.

    `merge` joins this write to the session's previous one on the same comment, so a comment
    written through as it is typed is one undo step."""
    conversation_id, rubric_id = _review_row(db, review_id)
    category = _category(db, rubric_id, category_id)
    text = (text or "").strip() or None
    merge_key = f"comment:{review_id}:{category_id}" if merge else None
    with recorded(db, session, f"Comment on '{category.name}'", merge_key=merge_key) as rec:
        take_review(db, review_id, expected_version, session)
        key = {"review_id": review_id, "category_id": category_id}
        rec.track("review_ratings", key)
        rec.track("reviews", {"id": review_id})
        rec.touch(conversation_id)
        db.execute(
            "insert into review_ratings (review_id, category_id, rating, is_na, comment) "
            "values (:review_id, :category_id, null, 0, :comment) "
            "on conflict (review_id, category_id) do update set comment = excluded.comment",
            {**key, "comment": text},
        )
        _drop_if_empty(db, review_id, category_id)
        db.execute("update reviews set updated_at = ? where id = ?", [now_utc(), review_id])
    return rec.changes()


def set_overall_comment(
    db: Store,
    review_id: int,
    text: str | None,
    *,
    session: str = DEFAULT_SESSION,
    merge: bool = False,
    expected_version: int | None = None,
) -> Changes:
    """Set the review's overall comment (empty text removes it); `merge` as comment_category."""
    conversation_id, _ = _review_row(db, review_id)
    merge_key = f"overall:{review_id}" if merge else None
    with recorded(db, session, "Overall comment", merge_key=merge_key) as rec:
        take_review(db, review_id, expected_version, session)
        rec.track("reviews", {"id": review_id})
        rec.touch(conversation_id)
        db.execute(
            "update reviews set overall_comment = ?, updated_at = ? where id = ?",
            [(text or "").strip() or None, now_utc(), review_id],
        )
    return rec.changes()


def set_review_agent(
    db: Store,
    review_id: int,
    agent_id: int | None,
    *,
    session: str = DEFAULT_SESSION,
    expected_version: int | None = None,
) -> Changes:
    """Change the agent the review is about (None = nobody)."""
    conversation_id, _ = _review_row(db, review_id)
    name = None
    if agent_id is not None:
        row = db.execute("select name from agents where id = ?", [agent_id]).fetchone()
        if row is None:
            raise NotFound("agent", agent_id)
        name = row[0]
    label = f"Set agent to {name or agent_id}" if agent_id is not None else "Clear agent"
    with recorded(db, session, label) as rec:
        take_review(db, review_id, expected_version, session)
        rec.track("reviews", {"id": review_id})
        rec.touch(conversation_id)
        db.execute(
            "update reviews set agent_id = ?, updated_at = ? where id = ?",
            [agent_id, now_utc(), review_id],
        )
    return rec.changes()


def delete_review(
    db: Store,
    review_id: int,
    *,
    session: str = DEFAULT_SESSION,
    expected_version: int | None = None,
) -> Changes:
    """Delete a review with its ratings (undo brings it back with the same id)."""
    conversation_id, _ = _review_row(db, review_id)
    with recorded(db, session, f"Delete review of conversation {conversation_id}") as rec:
        take_review(db, review_id, expected_version, session)
        rec.touch(conversation_id)
        for (category_id,) in db.execute(
            "select category_id from review_ratings where review_id = ?", [review_id]
        ).fetchall():
            rec.track("review_ratings", {"review_id": review_id, "category_id": category_id})
        for (note_id,) in db.execute(
            "select note_id from coaching_note_reviews where review_id = ?", [review_id]
        ).fetchall():
            rec.track("coaching_note_reviews", {"note_id": note_id, "review_id": review_id})
        rec.track("reviews", {"id": review_id})
        db.execute("delete from review_ratings where review_id = ?", [review_id])
        db.execute("delete from coaching_note_reviews where review_id = ?", [review_id])
        db.execute("delete from reviews where id = ?", [review_id])
    return rec.changes()


def _drop_if_empty(db: Store, review_id: int, category_id: int) -> None:
    db.execute(
        "delete from review_ratings where review_id = ? and category_id = ? and rating is null "
        "and is_na = 0 and comment is null",
        [review_id, category_id],
    )


def _score_of(db: Store, review_id: int, rubric: Rubric) -> ScoreResult:
    ratings = dict(
        db.execute(
            "select category_id, rating from review_ratings where review_id = ? "
            "and rating is not null",
            [review_id],
        ).fetchall()
    )
    return score(rubric.categories, ratings)


def _store_score(db: Store, review_id: int, touch: bool, rubric: Rubric | None = None) -> None:
    """Store the review's score; `rubric`: its rubric, where the caller has just read it."""
    if rubric is None:
        rubric = get_rubric(db, _review_row(db, review_id)[1])
    result = _score_of(db, review_id, rubric)
    sql = "update reviews set score = ?, critical_failed = ?"
    params: list = [result.score, int(result.critical_failed)]
    if touch:
        sql += ", updated_at = ?"
        params.append(now_utc())
    db.execute(sql + " where id = ?", [*params, review_id])


def refresh_scores(db: Store, review_ids: set[int] | list[int]) -> None:
    """Recompute the stored score of these reviews (those that still exist)."""
    for review_id in review_ids:
        if db.execute("select 1 from reviews where id = ?", [review_id]).fetchone():
            _store_score(db, review_id, touch=False)


def find_conversation(db: Store, ref: str | int) -> int:
    """A conversation id from what a user types (review.lookup.find_conversation)."""
    return lookup.find_conversation(db, ref)


def write_review(
    db: Store,
    conversation_id: int,
    reviewer: str,
    ratings: Mapping[str, int | str | None],
    *,
    overall_comment: str | None = None,
    comments: Mapping[str, str] | None = None,
    agent_id: int | None = None,
    rubric_id: int | None = None,
    created_at: str | None = None,
) -> int:
    """Write a whole review in one transaction, outside the undo history (demo data, scripts).

    `ratings` and `comments` are keyed by category key or name; a rating is a number or "na".
    The reviewer's existing review of the conversation is replaced. `agent_id` None = the
    default agent; `created_at` back-dates the review. Returns the review id.
    """
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise InvalidInput("A review needs the reviewer's name.")
    rubric = get_rubric(db, rubric_id) if rubric_id is not None else current_rubric(db)
    rows: dict[int, list] = {}
    for name, value in ratings.items():
        category = rubric.category(name)
        na = isinstance(value, str) and value.strip().lower() in ("na", "n/a")
        rating = None if na or value is None else value
        _check_rating(category, cast(int | None, rating), na)  # refuses text that is no rating
        rows[category.id] = [rating, int(na), None]
    for name, text in (comments or {}).items():
        rows.setdefault(rubric.category(name).id, [None, 0, None])[2] = text.strip() or None
    if agent_id is None:
        agent_id = default_agent(db, conversation_id)
    when = created_at or now_utc()
    with db.atomic():
        if (
            db.execute("select 1 from conversations where id = ?", [conversation_id]).fetchone()
            is None
        ):
            raise NotFound("conversation", conversation_id)
        db.execute(
            "delete from review_ratings where review_id in (select id from reviews where "
            "conversation_id = ? and reviewer = ? and calibration_session_id is null)",
            [conversation_id, reviewer],
        )
        db.execute(
            "insert into reviews (conversation_id, rubric_id, reviewer, agent_id, "
            "overall_comment, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?) "
            "on conflict (conversation_id, reviewer) where calibration_session_id is null "
            "do update set rubric_id = "
            "excluded.rubric_id, agent_id = excluded.agent_id, overall_comment = "
            "excluded.overall_comment, updated_at = excluded.updated_at",
            [conversation_id, rubric.id, reviewer, agent_id, overall_comment, when, when],
        )
        review_id = db.execute(
            "select id from reviews where conversation_id = ? and reviewer = ? "
            "and calibration_session_id is null",
            [conversation_id, reviewer],
        ).fetchone()[0]
        db.executemany(
            "insert into review_ratings (review_id, category_id, rating, is_na, comment) "
            "values (?, ?, ?, ?, ?)",
            [(review_id, cid, *v) for cid, v in rows.items() if v != [None, 0, None]],
        )
        result = score(rubric.categories, {c: v[0] for c, v in rows.items()})
        db.execute(
            "update reviews set score = ?, critical_failed = ? where id = ?",
            [result.score, int(result.critical_failed), review_id],
        )
    return review_id
