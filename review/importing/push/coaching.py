"""A lead's coaching notes onto the team store, each with its versions, the reviews it refers to
and its action items (with the rubric categories they target).

A note becomes the pushing login's (its `author`, and its versions'), about the team store's
agent. The note is one record: its text, follow-up, action items and review references are
compared together, so a laptop that ticked an action item off updates the note as an edit of
its text does, and a colleague's change to any of them is never overwritten. The review
references go to the team store's copies of the lead's reviews (pushed just before); a
reference to a review that did not go on is left out of the note there.
"""

from __future__ import annotations

from typing import Any

from review.importing.push.context import Pushing
from review.importing.push.merge import latest
from review.importing.push.report import UPDATED
from review.importing.push.retention import NO_AGENT
from review.importing.push.rows import put
from review.store import Store

KIND = "coaching notes"


def _items(store: Store, note_id: int, categories: dict[int, int] | None = None) -> list[dict]:
    """A note's action items in order, their categories in `categories`' ids (or the store's)."""
    items = []
    for item_id, position, text, due, done, done_at, created_at in store.execute(
        "select id, position, text, due, done, done_at, created_at from action_items "
        "where note_id = :n order by position, id",
        {"n": note_id},
    ).fetchall():
        targets = [
            r[0]
            for r in store.execute(
                "select category_id from action_item_categories where item_id = :i", {"i": item_id}
            )
        ]
        if categories is not None:
            targets = [categories[c] for c in targets if c in categories]
        items.append(
            {"position": position, "text": text, "due": due, "done": int(done or 0),
             "done_at": done_at, "created_at": created_at, "categories": sorted(targets)}
        )  # fmt: skip
    return items


def _compared(items: list[dict], reviews: list[int]) -> dict[str, Any]:
    """The parts of a note kept outside its row, as its fingerprint takes them."""
    return {
        "items": [[i["text"], i["due"], i["done"], i["done_at"], i["categories"]] for i in items],
        "reviews": sorted(reviews),
    }


def _changed(followed_up_at: str | None, updated_at: str | None, items: list[dict]) -> str:
    """When a note last changed: its text, its follow-up, or one of its action items."""
    moments = [m for i in items for m in (i["created_at"], i["done_at"])]
    return latest(updated_at, followed_up_at, *moments)


def _server_changed(target: Store, note_id: int, updated_at: str) -> str:
    followed = target.execute(
        "select followed_up_at from coaching_notes where id = :n", {"n": note_id}
    ).scalar()
    return _changed(followed, updated_at, _items(target, note_id))


def _server_compared(target: Store, note_id: int) -> dict[str, Any]:
    reviews = [
        r[0]
        for r in target.execute(
            "select review_id from coaching_note_reviews where note_id = :n", {"n": note_id}
        )
    ]
    return _compared(_items(target, note_id), reviews)


def _write_parts(
    pushing: Pushing, note_id: int, outcome: str, items: list[dict], reviews: list[int],
    versions: list[tuple], version: int,
) -> None:  # fmt: skip
    """The note's versions the team store lacks, and (replacing what it had) its action items
    and review references."""
    target = pushing.target
    if outcome == UPDATED:
        target.execute(
            "delete from action_item_categories where item_id in "
            "(select id from action_items where note_id = :n)",
            {"n": note_id},
        )
        for table in ("action_items", "coaching_note_reviews"):
            target.execute(f"delete from {table} where note_id = :n", {"n": note_id})
    had = target.execute(
        "select coalesce(max(version), 0) from coaching_note_versions where note_id = :n",
        {"n": note_id},
    ).scalar()
    target.insert_rows(
        "coaching_note_versions",
        [
            {"note_id": note_id, "version": v, "author": pushing.who, "text": text,
             "follow_up": follow_up, "saved_at": saved_at}
            for v, text, follow_up, saved_at in versions
            if v > had
        ],
    )  # fmt: skip
    # the note's version is the number of its latest text (a pushed edit of items only leaves it)
    target.execute(
        "update coaching_notes set version = :v where id = :n",
        {"v": max(version, had), "n": note_id},
    )
    for item in items:
        item_id = target.insert(
            "action_items",
            {"note_id": note_id, **{k: v for k, v in item.items() if k != "categories"}},
        )
        target.insert_rows(
            "action_item_categories",
            [{"item_id": item_id, "category_id": c} for c in item["categories"]],
        )
    target.insert_rows(
        "coaching_note_reviews", [{"note_id": note_id, "review_id": r} for r in sorted(reviews)]
    )


def push_notes(pushing: Pushing) -> None:
    """The lead's coaching notes, each once, as the pushing login's."""
    source = pushing.source
    for row in source.execute(
        "select id, agent_id, text, follow_up, followed_up_at, version, created_at, updated_at "
        "from coaching_notes order by id"
    ).fetchall():
        note_id, agent, text, follow_up, followed, version, created, updated = row
        record = f"coaching note for {pushing.agent_name(agent)} of {(created or '')[:10]}"
        agent_id = pushing.agents.get(agent)
        if agent_id is None:
            pushing.report.add_named(KIND, NO_AGENT, record)
            continue
        items = _items(source, note_id, pushing.categories)
        reviews = [
            pushing.reviews[r[0]]
            for r in source.execute(
                "select review_id from coaching_note_reviews where note_id = :n", {"n": note_id}
            )
            if r[0] in pushing.reviews
        ]
        versions = source.execute(
            "select version, text, follow_up, saved_at from coaching_note_versions "
            "where note_id = :n order by version",
            {"n": note_id},
        ).fetchall()

        def parts(row_id: int, outcome: str, items=items, reviews=reviews, versions=versions,
                  version=version) -> None:  # fmt: skip
            _write_parts(pushing, row_id, outcome, items, reviews, versions, version)

        put(
            pushing, KIND, record, "coaching_notes",
            {"author": pushing.who, "agent_id": agent_id, "created_at": created},
            {"text": text, "follow_up": follow_up, "followed_up_at": followed},
            changed_at=_changed(followed, updated, items),
            updated_at=updated,
            on_insert={"version": version},
            compared=_compared(items, reviews),
            children=parts,
            content_of=lambda row_id, _content: _server_compared(pushing.target, row_id),
            changed_of=lambda row_id, updated_at: _server_changed(pushing.target, row_id, updated_at),
        )  # fmt: skip
