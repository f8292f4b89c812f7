"""The suggestion tables (schema step m008_autoqa): read conversations for the rules in
batches, write their suggestions and auto scores (review.reviewing.autoqa.suggestions reads
them back for one conversation).

Nothing here writes to reviews or review_ratings: suggestions live apart from people's ratings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from review.reviewing.autoqa.categories import Suggestion
from review.reviewing.autoqa.conversation import (
    AGENT,
    BOT,
    CUSTOMER,
    NOTE,
    SCORE,
    Conversation,
    Message,
)
from review.reviewing.autoqa.engine import Assessment
from review.reviewing.autoqa.suggestions import (  # noqa: F401 - read here by callers too
    StoredSuggestion,
    get_suggestion,
    suggestions_for_conversation,
)
from review.reviewing.rubrics import Category
from review.reviewing.scoring import score
from review.store import Store
from review.store.undo import now_utc

_MESSAGES = """
select m.conversation_id, m.id, m.author_role, m.is_internal, m.body_text, m.created_at
  from messages m
 where m.kind = 'message' and m.conversation_id between :low and :high {extra}
 order by m.conversation_id, m.created_at, m.id
"""
_ROLES = {"customer": CUSTOMER, "agent": AGENT, "bot": BOT}
_SUGGESTION_KEYS = ("c", "k", "r", "na", "kind", "why", "ev")
_SCORE_KEYS = ("c", "lang", "who", "score", "n")


def placeholders(values: Sequence, prefix: str = "p") -> tuple[str, dict]:
    """(":p0, :p1, ...", {"p0": ..., ...}) for an IN list with named parameters."""
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values, strict=True))


def next_ids(db: Store, after: int, limit: int) -> list[int]:
    """The next `limit` conversation ids above `after`, in order (for a run over all)."""
    return [
        row[0]
        for row in db.execute(
            "select id from conversations where id > :after order by id limit :limit",
            {"after": after, "limit": limit},
        )
    ]


def read_conversations(db: Store, ids: Sequence[int]) -> list[Conversation]:
    """The conversations `ids` (sorted, at most a few thousand) as the rules read them, with
    the churn signals the import stored (review.retention.churn)."""
    if not ids:
        return []
    marks, params = placeholders(ids)
    wanted = f"and m.conversation_id in ({marks})"
    params.update(low=min(ids), high=max(ids))
    messages: dict[int, list[Message]] = {i: [] for i in ids}
    for cid, mid, role, internal, text, at in db.execute(_MESSAGES.format(extra=wanted), params):
        kind = _ROLES.get(role)
        if kind is None:
            continue
        if internal and kind != CUSTOMER:
            kind = NOTE
        messages[cid].append(Message(mid, kind, text or "", at))
    names = dict(
        db.execute(
            "select c.id, cu.name from conversations c join customers cu on cu.id = c.customer_id "
            f"where c.id in ({marks})",
            params,
        ).fetchall()
    )
    tags: dict[int, list[str]] = {}
    for cid, name in db.execute(
        "select ct.conversation_id, t.name from conversation_tags ct join tags t on "
        f"t.id = ct.tag_id where ct.conversation_id in ({marks})",
        params,
    ):
        tags.setdefault(cid, []).append(name)
    outcomes = {
        row[0]
        for row in db.execute(
            f"select conversation_id from saves where conversation_id in ({marks}) union "
            f"select conversation_id from losses where conversation_id in ({marks})",
            params,
        )
    }
    texts = {m.id: m.text for found in messages.values() for m in found}
    signals: dict[int, list[tuple[int, int, int]]] = {}
    for cid, mid, matched in db.execute(
        f"select conversation_id, message_id, matched from churn_signals "
        f"where conversation_id in ({marks}) order by message_id, id",
        params,
    ):
        start = max(texts.get(mid, "").find(matched or ""), 0)
        signals.setdefault(cid, []).append((mid, start, start + len(matched or "")))
    return [
        Conversation(
            i,
            tuple(messages[i]),
            names.get(i),
            tuple(tags.get(i, ())),
            i in outcomes,
            tuple(signals.get(i, ())),
        )
        for i in ids
    ]


@dataclass(frozen=True)
class Scored:
    """What the rules made of one conversation, ready to store."""

    assessment: Assessment
    suggestions: list[Suggestion]


def auto_score(
    suggestions: Iterable[Suggestion], categories: list[Category]
) -> tuple[float | None, int]:
    """(percent, categories it rests on): the rubric's score formula over the suggested
    ratings (N/A and flags left out), like a review's score."""
    by_key = {c.key: c for c in categories}
    ratings = {
        by_key[s.category_key].id: s.rating
        for s in suggestions
        if s.kind == SCORE and s.rating is not None and s.category_key in by_key
    }
    result = score(categories, ratings)
    return result.score, result.rated


@dataclass(frozen=True)
class Rows:
    """The rows one batch of scored conversations writes: plain values, cheap to pass from a
    worker process."""

    conversation_ids: list[int]
    # (conversation, category key, rating, is_na, kind, reason, evidence JSON)
    suggestions: list[tuple]
    # (conversation, language, author kind, score, categories)
    scores: list[tuple]
    ruleset: str
    at: str


def rows_of(scored: Sequence[Scored], categories: list[Category], ruleset: str) -> Rows:
    """The suggestion and score rows of scored conversations."""
    now = now_utc()
    suggestions = []
    scores = []
    for item in scored:
        cid = item.assessment.conversation_id
        for s in item.suggestions:
            evidence = (
                json.dumps([e.as_dict() for e in s.evidence], ensure_ascii=False)
                if s.evidence
                else "[]"
            )
            suggestions.append(
                (cid, s.category_key, s.rating, int(s.is_na), s.kind, s.reason, evidence)
            )
        value, rated = auto_score(item.suggestions, categories)
        scores.append((cid, item.assessment.language, item.assessment.author_kind, value, rated))
    ids = [s.assessment.conversation_id for s in scored]
    return Rows(ids, suggestions, scores, ruleset, now)


def write_rows(db: Store, rows: Rows) -> int:
    """Replace the stored suggestions and auto scores of the rows' conversations (the caller
    holds the transaction). Returns how many suggestions it stored."""
    if not rows.conversation_ids:
        return 0
    marks, params = placeholders(rows.conversation_ids)
    db.execute(f"delete from autoqa_suggestions where conversation_id in ({marks})", params)
    # rows travel from the workers as tuples (small to pickle); named parameters bound here
    version = {"rs": rows.ruleset, "at": rows.at}
    db.executemany(
        "insert into autoqa_suggestions (conversation_id, category_key, rating, is_na, kind, "
        "reason, evidence, ruleset, created_at) values (:c, :k, :r, :na, :kind, :why, :ev, :rs, "
        ":at)",
        (dict(zip(_SUGGESTION_KEYS, row, strict=True), **version) for row in rows.suggestions),
    )
    db.executemany(
        "insert into autoqa_scores (conversation_id, language, author_kind, score, categories, "
        "ruleset, scored_at) values (:c, :lang, :who, :score, :n, :rs, :at) "
        "on conflict (conversation_id) do update set language = excluded.language, "
        "author_kind = excluded.author_kind, score = excluded.score, categories = "
        "excluded.categories, ruleset = excluded.ruleset, scored_at = excluded.scored_at",
        (dict(zip(_SCORE_KEYS, row, strict=True), **version) for row in rows.scores),
    )
    return len(rows.suggestions)


def write_scored(
    db: Store, scored: Sequence[Scored], categories: list[Category], ruleset: str
) -> int:
    """Replace the stored suggestions and auto scores of these conversations (the caller holds
    the transaction). Returns how many suggestions it stored."""
    return write_rows(db, rows_of(scored, categories, ruleset))


def unscored_ids(db: Store, ruleset: str, *, reviewed_only: bool = False) -> list[int]:
    """Conversations with no auto score from this rule-set version (optionally only those a
    person has reviewed), in id order."""
    reviewed = (
        " and c.id in (select conversation_id from reviews where calibration_session_id is null)"
        if reviewed_only
        else ""
    )
    return [
        row[0]
        for row in db.execute(
            "select c.id from conversations c left join autoqa_scores s on s.conversation_id = "
            f"c.id where (s.conversation_id is null or s.ruleset <> :rs){reviewed} order by c.id",
            {"rs": ruleset},
        )
    ]
