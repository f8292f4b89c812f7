"""One conversation's stored suggestions as the review panel and the reader show them: each
with its evidence, the rule-set version that made it, and how far the rules agree with people
on its category in the conversation's language (offered as a score, or only a hint).

Light on purpose (no rules, no dictionaries): the panel reads this on every conversation shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from review.reviewing.autoqa.conversation import FLAG, SCORE
from review.store import Store


@dataclass(frozen=True)
class StoredSuggestion:
    """A stored suggestion with its evidence, and whether its category has passed the
    agreement bar for the conversation's language (`offered`: shown as "suggested: 4";
    otherwise a hint). `kappa` and `pairs`: the agreement measured for that category and
    language (None and 0 until measured)."""

    id: int
    conversation_id: int
    category_key: str
    rating: int | None
    is_na: bool
    kind: str
    reason: str
    evidence: list[dict]
    ruleset: str
    language: str | None
    offered: bool
    kappa: float | None = None
    pairs: int = 0

    @property
    def is_flag(self) -> bool:
        """A warning for a person to read: it has no rating and can never be accepted."""
        return self.kind == FLAG


_SELECT = """
select s.id, s.conversation_id, s.category_key, s.rating, s.is_na, s.kind, s.reason,
       s.evidence, s.ruleset, sc.language, coalesce(a.offered, 0), a.kappa,
       coalesce(a.pairs, 0)
  from autoqa_suggestions s
  left join autoqa_scores sc on sc.conversation_id = s.conversation_id
  left join autoqa_agreement a on a.category_key = s.category_key
       and a.language = sc.language
 where {where}
 order by (select min(rc.position) from rubric_categories rc
            join rubrics r on r.id = rc.rubric_id and r.is_current = 1
           where rc.key = s.category_key), s.category_key
"""


def _stored(row: tuple) -> StoredSuggestion:
    return StoredSuggestion(
        row[0],
        row[1],
        row[2],
        row[3],
        bool(row[4]),
        row[5],
        row[6],
        json.loads(row[7] or "[]"),
        row[8],
        row[9],
        bool(row[10]) and row[5] == SCORE,
        row[11],
        row[12],
    )


def suggestions_for_conversation(db: Store, conversation_id: int) -> list[StoredSuggestion]:
    """The conversation's stored suggestions, in rubric order where the key is in the current
    rubric."""
    rows = db.execute(_SELECT.format(where="s.conversation_id = :c"), {"c": conversation_id})
    return [_stored(r) for r in rows.fetchall()]


def get_suggestion(db: Store, suggestion_id: int) -> StoredSuggestion | None:
    """One stored suggestion by id, or None."""
    row = db.execute(_SELECT.format(where="s.id = :id"), {"id": suggestion_id}).fetchone()
    return _stored(row) if row is not None else None


def stored_ruleset(db: Store, conversation_id: int) -> str | None:
    """The rule-set version of the conversation's stored auto score, None when the rules have
    not read it (every conversation they read gets a score row, with or without a score)."""
    row = db.execute(
        "select ruleset from autoqa_scores where conversation_id = :c", {"c": conversation_id}
    ).fetchone()
    return row[0] if row else None


def accepted_categories(db: Store, review_id: int | None) -> set[int]:
    """The categories of a review whose rating was accepted from a suggestion (and not
    re-rated by a person since: any other rating clears the mark)."""
    if review_id is None:
        return set()
    rows = db.execute(
        "select category_id from review_ratings where review_id = :r and suggested_by is not null",
        {"r": review_id},
    )
    return {r[0] for r in rows.fetchall()}
