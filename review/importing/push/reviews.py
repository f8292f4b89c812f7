"""A lead's reviews onto the team store, with the rubric versions they were made with.

Reviews become the pushing login's: a review the team store does not have is added; one it has
is updated when the laptop's is newer and differs, else left. A review the server refuses (an
agent outside the lead's teams) is counted and named, not pushed. Rubrics go by name and
version, their categories by key.
"""

from __future__ import annotations

from review.errors import NotAllowed
from review.importing.push.context import Pushing
from review.importing.push.report import REFUSED
from review.reviewing.scoring import score
from review.store import Store

CATEGORY_COLUMNS = (
    "position", "key", "name", "description", "scale", "scale_min", "scale_max", "weight",
    "allow_na", "critical",
)  # fmt: skip


def push_rubrics(pushing: Pushing, importing: bool) -> dict[int, int]:
    """The rubric versions the laptop's reviews and action items use, by name and version (an
    admin adds those the team store lacks): laptop rubric id -> the team store's. Fills
    `pushing.categories` (by key)."""
    source, target, report = pushing.source, pushing.target, pushing.report
    mapping: dict[int, int] = {}
    used = {r[0] for r in source.execute("select distinct rubric_id from reviews")} | {
        r[0]
        for r in source.execute(
            "select distinct c.rubric_id from action_item_categories a "
            "join rubric_categories c on c.id = a.category_id"
        )
    }
    for rubric_id, name, version, created_at, toml in source.execute(
        "select id, name, version, created_at, toml from rubrics order by id"
    ).fetchall():
        if rubric_id not in used:
            continue
        there = target.execute(
            "select id from rubrics where name = :n and version = :v", {"n": name, "v": version}
        ).scalar()
        categories = source.execute(
            f"select id, {', '.join(CATEGORY_COLUMNS)} from rubric_categories where rubric_id = :r",
            {"r": rubric_id},
        ).fetchall()
        if there is None:
            if not importing:
                report.add("rubrics", "not on the team store (an admin adds them)")
                continue
            there = target.insert(
                "rubrics",
                {"name": name, "version": version, "created_at": created_at, "toml": toml,
                 "is_current": 0},
            )  # fmt: skip
            for category in categories:
                target.insert(
                    "rubric_categories",
                    {"rubric_id": there, **dict(zip(CATEGORY_COLUMNS, category[1:], strict=True))},
                )
            report.add("rubrics", "added")
        else:
            report.add("rubrics", "already there")
        keys = {
            r[1]: r[0]
            for r in target.execute(
                "select id, key from rubric_categories where rubric_id = :r", {"r": there}
            )
        }
        mapping[rubric_id] = there
        pushing.categories.update({c[0]: keys[c[2]] for c in categories if c[2] in keys})
    return mapping


def _ratings(store: Store, review_id: int, categories: dict[int, int] | None = None):
    rows = store.execute(
        "select category_id, rating, is_na, comment from review_ratings where review_id = :r",
        {"r": review_id},
    ).fetchall()
    if categories is None:
        return {r[0]: tuple(r[1:]) for r in rows}
    return {categories[r[0]]: tuple(r[1:]) for r in rows if r[0] in categories}


def push_reviews(pushing: Pushing, rubrics: dict[int, int]) -> None:
    """The laptop's reviews as the pushing login's; fills `pushing.reviews` (laptop review id ->
    the team store's) for the coaching notes that refer to them."""
    for row in pushing.source.execute(
        "select id, conversation_id, rubric_id, agent_id, overall_comment, created_at, "
        "updated_at from reviews where calibration_session_id is null order by id"
    ).fetchall():
        review_id, conversation, rubric_id, agent, comment, created, updated = row
        record = f"review of {pushing.conversation_name(conversation)}"
        if conversation not in pushing.conversations or rubric_id not in rubrics:
            left_out = "left out (conversation or rubric not on the team store)"
            pushing.report.add_named("reviews", left_out, record)
            continue
        ratings = _ratings(pushing.source, review_id, pushing.categories)
        values = {
            "conversation_id": pushing.conversations[conversation],
            "rubric_id": rubrics[rubric_id],
            "agent_id": pushing.agents.get(agent) if agent is not None else None,
            "overall_comment": comment,
        }
        try:
            with pushing.target.atomic():
                outcome, there = _put_review(
                    pushing.target, pushing.who, values, ratings, created, updated
                )
        except NotAllowed:
            pushing.report.add_named("reviews", REFUSED, record)
            continue
        pushing.reviews[review_id] = there
        pushing.report.add("reviews", outcome)


def _put_review(target, who, values, ratings, created, updated) -> tuple[str, int]:
    there = target.execute(
        "select id, rubric_id, agent_id, overall_comment, updated_at from reviews "
        "where conversation_id = :c and reviewer = :w and calibration_session_id is null",
        {"c": values["conversation_id"], "w": who},
    ).fetchone()
    if there is not None:
        same = (there[1], there[2], there[3]) == (
            values["rubric_id"], values["agent_id"], values["overall_comment"]
        ) and _ratings(target, there[0]) == ratings  # fmt: skip
        if same:
            return "already there", there[0]
        if (there[4] or "") >= (updated or ""):
            return "kept (the team store's is newer)", there[0]
        target.execute("delete from review_ratings where review_id = :r", {"r": there[0]})
        target.execute(
            "update reviews set rubric_id = :rubric_id, agent_id = :agent_id, "
            "overall_comment = :overall_comment, updated_at = :u, version = version + 1 "
            "where id = :id",
            {**values, "u": updated, "id": there[0]},
        )
        review_id, outcome = there[0], "updated"
    else:
        review_id = target.insert(
            "reviews",
            {**values, "reviewer": who, "created_at": created, "updated_at": updated},
        )
        outcome = "added"
    target.insert_rows(
        "review_ratings",
        [
            {"review_id": review_id, "category_id": c, "rating": r[0], "is_na": r[1],
             "comment": r[2]}
            for c, r in ratings.items()
        ],
    )  # fmt: skip
    _score(target, review_id, values["rubric_id"])
    return outcome, review_id


def _score(target: Store, review_id: int, rubric_id: int) -> None:
    from review.reviewing.rubrics import get_rubric

    rated = dict(
        target.execute(
            "select category_id, rating from review_ratings where review_id = :r "
            "and rating is not null",
            {"r": review_id},
        ).fetchall()
    )
    result = score(get_rubric(target, rubric_id).categories, rated)
    target.execute(
        "update reviews set score = :s, critical_failed = :f where id = :id",
        {"s": result.score, "f": int(result.critical_failed), "id": review_id},
    )
