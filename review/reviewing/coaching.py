"""Coaching notes: per agent, with the reviews they refer to, action items and a follow-up date.

A note keeps every version of its text (coaching_note_versions, version 1 included). An action
item may target rubric categories; `category_effect` then compares the agent's mean rating in
each of them before the note and since (did the coaching work?). "Before" and "since" go by
when the conversation happened, against the time the note was written, and a category counts
in every version of its rubric that keeps its key and scale.

Every write commits at once and records itself for undo (review.store.undo).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from review.changes import Changes
from review.errors import InvalidInput, NotFound
from review.store import Store
from review.store.undo import DEFAULT_SESSION, now_utc, recorded


@dataclass(frozen=True)
class Added(Changes):
    """Changes of a step that created a record, with the new record's id."""

    id: int = 0


@dataclass(frozen=True)
class ActionItem:
    """One thing the agent will do, by `due` (YYYY-MM-DD or None)."""

    id: int
    note_id: int
    text: str
    due: str | None
    done: bool
    done_at: str | None
    category_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class NoteVersion:
    """One saved version of a note's text."""

    version: int
    author: str | None
    text: str
    follow_up: str | None
    saved_at: str


@dataclass(frozen=True)
class Note:
    """A coaching note as it is now, with its review references and action items."""

    id: int
    agent_id: int
    author: str | None
    text: str
    follow_up: str | None
    followed_up_at: str | None
    version: int
    created_at: str
    updated_at: str
    review_ids: tuple[int, ...] = ()
    items: list[ActionItem] = field(default_factory=list)


@dataclass(frozen=True)
class CategoryEffect:
    """The agent's mean rating in one category before the note and since (None = no data),
    with the number of ratings each mean rests on."""

    category_id: int
    key: str
    name: str
    scale: str
    before: float | None
    before_n: int
    since: float | None
    since_n: int


def _day(value: str | date | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
    except ValueError as exc:
        raise InvalidInput(f"{what} {value!r} is not a date (YYYY-MM-DD).") from exc


def _text(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"The {what} is empty.")
    return text


def _check_reviews(db: Store, review_ids: Iterable[int]) -> list[int]:
    ids = sorted({int(r) for r in review_ids})
    for review_id in ids:
        if db.execute("select 1 from reviews where id = ?", [review_id]).fetchone() is None:
            raise NotFound("review", review_id)
    return ids


def add_note(
    db: Store,
    agent_id: int,
    author: str | None,
    text: str,
    review_ids: Iterable[int] = (),
    follow_up: str | date | None = None,
    *,
    at: str | None = None,
    session: str = DEFAULT_SESSION,
) -> Added:
    """Write a coaching note for an agent; `at` (ISO UTC) back-dates it (imports, demo)."""
    if db.execute("select 1 from agents where id = ?", [agent_id]).fetchone() is None:
        raise NotFound("agent", agent_id)
    text = _text(text, "note")
    follow_up = _day(follow_up, "Follow-up date")
    reviews = _check_reviews(db, review_ids)
    now = at or now_utc()
    with recorded(db, session, "Add coaching note") as rec:
        note_id = db.execute(
            "insert into coaching_notes (agent_id, author, text, follow_up, version, created_at, "
            "updated_at) values (?, ?, ?, ?, 1, ?, ?) returning id",
            [agent_id, author, text, follow_up, now, now],
        ).scalar()
        rec.track_new("coaching_notes", {"id": note_id})
        _save_version(db, rec, note_id, 1, author, text, follow_up, now)
        for review_id in reviews:
            _link(db, rec, note_id, review_id)
    return Added(rec.changes().conversations, rec.changes().tables, note_id)


def _save_version(db, rec, note_id, version, author, text, follow_up, saved_at) -> None:
    db.execute(
        "insert into coaching_note_versions (note_id, version, author, text, follow_up, saved_at) "
        "values (?, ?, ?, ?, ?, ?)",
        [note_id, version, author, text, follow_up, saved_at],
    )
    rec.track_new("coaching_note_versions", {"note_id": note_id, "version": version})


def _link(db, rec, note_id: int, review_id: int) -> None:
    db.execute(
        db.dialect.insert_ignore("coaching_note_reviews", "note_id, review_id", ":note, :review"),
        {"note": note_id, "review": review_id},
    )
    rec.track_new("coaching_note_reviews", {"note_id": note_id, "review_id": review_id})


_UNCHANGED = object()


def edit_note(
    db: Store,
    note_id: int,
    text: str | None = None,
    follow_up: str | date | None | object = _UNCHANGED,
    review_ids: Iterable[int] | None = None,
    author: str | None = None,
    *,
    session: str = DEFAULT_SESSION,
) -> Changes:
    """Change a note's text, follow-up date (None clears it) or review references; a change of
    text or follow-up saves a new version, the old ones stay."""
    note = get_note(db, note_id)
    new_text = note.text if text is None else _text(text, "note")
    new_follow_up = note.follow_up if follow_up is _UNCHANGED else _day(follow_up, "Follow-up date")
    new_reviews = None if review_ids is None else _check_reviews(db, review_ids)
    with recorded(db, session, "Edit coaching note") as rec:
        rec.track("coaching_notes", {"id": note_id})
        if (new_text, new_follow_up) != (note.text, note.follow_up):
            now = now_utc()
            version = note.version + 1
            kept = db.dialect.same("cast(:follow_up as text)", "follow_up")
            db.execute(
                "update coaching_notes set text = :text, follow_up = :follow_up, "
                "version = :version, updated_at = :now, "
                f"followed_up_at = case when {kept} then followed_up_at else null end "
                "where id = :id",
                {
                    "text": new_text,
                    "follow_up": new_follow_up,
                    "version": version,
                    "now": now,
                    "id": note_id,
                },
            )
            _save_version(
                db, rec, note_id, version, author or note.author, new_text, new_follow_up, now
            )
        if new_reviews is not None and tuple(new_reviews) != note.review_ids:
            for review_id in note.review_ids:
                rec.track("coaching_note_reviews", {"note_id": note_id, "review_id": review_id})
            db.execute("delete from coaching_note_reviews where note_id = ?", [note_id])
            for review_id in new_reviews:
                rec.track("coaching_note_reviews", {"note_id": note_id, "review_id": review_id})
                _link(db, rec, note_id, review_id)
    return rec.changes()


def mark_followed_up(
    db: Store, note_id: int, done: bool = True, *, session: str = DEFAULT_SESSION
) -> Changes:
    """Record that the follow-up happened (or, done=False, that it is still to do)."""
    get_note(db, note_id)
    with recorded(db, session, "Follow-up done" if done else "Follow-up not done") as rec:
        rec.track("coaching_notes", {"id": note_id})
        db.execute(
            "update coaching_notes set followed_up_at = ? where id = ?",
            [now_utc() if done else None, note_id],
        )
    return rec.changes()


def add_action_item(
    db: Store,
    note_id: int,
    text: str,
    due: str | date | None = None,
    category_ids: Iterable[int] = (),
    *,
    session: str = DEFAULT_SESSION,
) -> Added:
    """Add an action item to a note, optionally targeting rubric categories."""
    get_note(db, note_id)
    text = _text(text, "action item")
    due = _day(due, "Due date")
    categories = sorted({int(c) for c in category_ids})
    for category_id in categories:
        if (
            db.execute("select 1 from rubric_categories where id = ?", [category_id]).fetchone()
            is None
        ):
            raise NotFound("rubric category", category_id)
    with recorded(db, session, "Add action item") as rec:
        item_id = db.execute(
            "insert into action_items (note_id, position, text, due, done, created_at) values "
            "(?, (select count(*) from action_items where note_id = ?), ?, ?, 0, ?) returning id",
            [note_id, note_id, text, due, now_utc()],
        ).scalar()
        rec.track_new("action_items", {"id": item_id})
        for category_id in categories:
            db.execute(
                "insert into action_item_categories (item_id, category_id) values (?, ?)",
                [item_id, category_id],
            )
            rec.track_new(
                "action_item_categories", {"item_id": item_id, "category_id": category_id}
            )
    return Added(rec.changes().conversations, rec.changes().tables, item_id)


def set_action_item_done(
    db: Store, item_id: int, done: bool, *, session: str = DEFAULT_SESSION
) -> Changes:
    """Mark an action item done or not done."""
    row = db.execute("select text from action_items where id = ?", [item_id]).fetchone()
    if row is None:
        raise NotFound("action item", item_id)
    label = f"Mark '{row[0][:40]}' {'done' if done else 'not done'}"
    with recorded(db, session, label) as rec:
        rec.track("action_items", {"id": item_id})
        db.execute(
            "update action_items set done = ?, done_at = ? where id = ?",
            [int(done), now_utc() if done else None, item_id],
        )
    return rec.changes()


def get_note(db: Store, note_id: int) -> Note:
    """A note as it is now; NotFound if absent."""
    row = db.execute(
        "select id, agent_id, author, text, follow_up, followed_up_at, version, created_at, "
        "updated_at from coaching_notes where id = ?",
        [note_id],
    ).fetchone()
    if row is None:
        raise NotFound("coaching note", note_id)
    reviews = tuple(
        r[0]
        for r in db.execute(
            "select review_id from coaching_note_reviews where note_id = ? order by review_id",
            [note_id],
        )
    )
    items = []
    for item in db.execute(
        "select id, note_id, text, due, done, done_at from action_items where note_id = ? "
        "order by position, id",
        [note_id],
    ).fetchall():
        categories = tuple(
            r[0]
            for r in db.execute(
                "select category_id from action_item_categories where item_id = ? "
                "order by category_id",
                [item[0]],
            )
        )
        items.append(ActionItem(*item[:4], bool(item[4]), item[5], categories))
    return Note(*row, review_ids=reviews, items=items)


def note_history(db: Store, note_id: int) -> list[NoteVersion]:
    """Every version of a note, oldest first."""
    get_note(db, note_id)
    return [
        NoteVersion(*r)
        for r in db.execute(
            "select version, author, text, follow_up, saved_at from coaching_note_versions "
            "where note_id = ? order by version",
            [note_id],
        )
    ]


def notes_for_agent(db: Store, agent_id: int) -> list[Note]:
    """The agent's notes, newest first."""
    ids = db.execute(
        "select id from coaching_notes where agent_id = ? order by created_at desc, id desc",
        [agent_id],
    ).fetchall()
    return [get_note(db, i) for (i,) in ids]


def due_follow_ups(db: Store, today: str | date) -> list[Note]:
    """Notes whose follow-up date is today or past and whose follow-up is not done, oldest
    date first."""
    day = _day(today, "Date")
    ids = db.execute(
        "select id from coaching_notes where follow_up <= ? and followed_up_at is null "
        "order by follow_up, id",
        [day],
    ).fetchall()
    return [get_note(db, i) for (i,) in ids]


def category_effect(db: Store, item_id: int) -> list[CategoryEffect]:
    """For each category the action item targets: the agent's mean rating before the note
    was written and since."""
    row = db.execute(
        "select n.agent_id, n.created_at from action_items i join coaching_notes n "
        "on n.id = i.note_id where i.id = ?",
        [item_id],
    ).fetchone()
    if row is None:
        raise NotFound("action item", item_id)
    agent_id, written = row
    effects = []
    for category_id, key, name, scale, rubric_name in db.execute(
        "select c.id, c.key, c.name, c.scale, rb.name from action_item_categories a "
        "join rubric_categories c on c.id = a.category_id join rubrics rb on rb.id = c.rubric_id "
        "where a.item_id = ? order by c.position",
        [item_id],
    ).fetchall():
        before, before_n, since, since_n = db.execute(
            """select avg(rr.rating) filter (where cv.created_at < :written),
                      count(rr.rating) filter (where cv.created_at < :written),
                      avg(rr.rating) filter (where cv.created_at >= :written),
                      count(rr.rating) filter (where cv.created_at >= :written)
                 from review_ratings rr
                 join reviews r on r.id = rr.review_id
                 join conversations cv on cv.id = r.conversation_id
                 join rubric_categories c on c.id = rr.category_id
                 join rubrics rb on rb.id = c.rubric_id
                where r.agent_id = :agent and c.key = :key and c.scale = :scale
                  and r.calibration_session_id is null
                  and r.calibration_session_id is null
                  and rb.name = :rubric and rr.rating is not null""",
            {
                "written": written,
                "agent": agent_id,
                "key": key,
                "scale": scale,
                "rubric": rubric_name,
            },
        ).fetchone()
        effects.append(
            CategoryEffect(category_id, key, name, scale, before, before_n, since, since_n)
        )
    return effects
