"""A calibration session's agreement (DOMAIN.md "A team on one store"): per category of the
session's rubric, each reviewer's answer on each conversation side by side, the percent of
reviewer pairs that gave the same answer (with its Wilson interval) and Krippendorff's alpha,
where a rating against an N/A is a disagreement (review.reviewing.calibration.
krippendorff_alpha_na says how N/A enters alpha), and the manager's reference rating and note.

Only once the session's ratings are revealed (every reviewer finished, or the session closed):
before that, InvalidInput says they stay hidden. The session page and the quality report read
`session_agreement`.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.errors import InvalidInput
from review.figures.agreement import Cell
from review.figures.values import Figure, rate_figure
from review.reviewing.calibration import NA, krippendorff_alpha_na, percent_agreement_na
from review.reviewing.calibration_sessions import (
    HIDDEN,
    CalibrationSession,
    Reference,
    get_session,
    references,
)
from review.reviewing.rubrics import get_rubric
from review.store import Store


@dataclass(frozen=True)
class SessionCategory:
    """One category: `answers[i][j]` is reviewer j's answer on conversation i (None: not
    rated), in the order of SessionAgreement.reviewers and .conversations."""

    category_id: int
    key: str
    name: str
    scale: str
    scale_min: int
    scale_max: int
    answers: tuple[tuple[Cell | None, ...], ...]
    agreement: Figure  # percent of reviewer pairs agreeing; n = pairs
    alpha: float | None


@dataclass(frozen=True)
class SessionAgreement:
    """A revealed session's ratings side by side, its agreement and its references."""

    session: CalibrationSession
    reviewers: tuple[str, ...]
    conversations: tuple[tuple[int, str | None], ...]  # (id, subject) in session order
    categories: tuple[SessionCategory, ...]
    references: dict[tuple[int, int], Reference]  # by (conversation id, category id)


def answer_text(cell: Cell | None, scale: str) -> str:
    """One reviewer's answer as a person reads it (the results grid, the quality PDF): a
    rating (pass / fail in words on a pass/fail scale), N/A, or a dash for none."""
    if cell is None:
        return "–"
    if cell.na:
        return "N/A"
    if scale == "pass_fail":
        return "pass" if cell.rating else "fail"
    return str(cell.rating)


def _value(cell: Cell | None) -> int | str | None:
    if cell is None:
        return None
    return NA if cell.na else cell.rating


def session_agreement(db: Store, session_id: int) -> SessionAgreement:
    """The session's agreement per category; InvalidInput while its ratings are hidden."""
    session = get_session(db, session_id)
    if not session.revealed:
        raise InvalidInput(HIDDEN)
    reviewers = tuple(r.reviewer for r in session.reviewers)
    subjects = dict(
        db.execute(
            "select c.id, c.subject from conversations c join calibration_session_conversations s "
            "on s.conversation_id = c.id where s.session_id = :s",
            {"s": session_id},
        ).fetchall()
    )
    answers: dict[tuple[int, int, str], Cell] = {}
    for category_id, conversation_id, reviewer, rating, na in db.execute(
        "select rr.category_id, r.conversation_id, r.reviewer, rr.rating, rr.is_na "
        "from reviews r join review_ratings rr on rr.review_id = r.id "
        "where r.calibration_session_id = :s and (rr.rating is not null or rr.is_na = 1)",
        {"s": session_id},
    ):
        answers[category_id, conversation_id, reviewer] = Cell(rating, bool(na))
    categories = []
    for category in get_rubric(db, session.rubric_id).categories:
        grid = tuple(
            tuple(answers.get((category.id, cid, who)) for who in reviewers)
            for cid in session.conversations
        )
        units = [[_value(cell) for cell in row] for row in grid]
        percent, pairs = percent_agreement_na(units)
        agree = round(percent * pairs / 100) if percent is not None else 0
        categories.append(
            SessionCategory(
                category.id, category.key, category.name, category.scale, category.scale_min,
                category.scale_max, grid, rate_figure(agree, pairs),
                krippendorff_alpha_na(units, category.scale_min, category.scale_max),
            )
        )  # fmt: skip
    return SessionAgreement(
        session,
        reviewers,
        tuple((cid, subjects.get(cid)) for cid in session.conversations),
        tuple(categories),
        references(db, session_id),
    )


def closed_sessions(db: Store) -> list[int]:
    """The ids of the closed sessions (those the signed-in person may see), oldest first: the
    quality report has a section for each."""
    return [
        r[0]
        for r in db.execute(
            "select id from calibration_sessions where status = 'closed' order by closed_at, id"
        )
    ]
