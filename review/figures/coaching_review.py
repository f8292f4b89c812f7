"""The coaching review of one agent (DOMAIN.md: a PDF a coach walks through with the agent):
how they compare with their team and everyone, their reviewed conversations with every rating
and comment, two conversations to teach from, their saves and losses, and the coaching notes
with action items and the next follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from review.figures.agent_comparison import AgentComparison, agent_comparison
from review.figures.agents import agent_losses, agent_reviews, agent_saves
from review.figures.coverage import Coverage, coverage
from review.figures.excerpts import ConversationRef, conversation_ref, conversation_refs
from review.figures.overview import Overview, overview_of
from review.figures.scope import Scope, read_scope
from review.filters import Filters
from review.retention.saves import SAVE_METHODS
from review.reviewing.coaching import notes_for_agent
from review.store import Store


@dataclass(frozen=True)
class RatingRow:
    """One category's rating in a review, as text ("4/5", "pass", "N/A")."""

    category: str
    rating: str
    comment: str


@dataclass(frozen=True)
class ReviewRow:
    """A reviewed conversation with its score, ratings and the reviewer's comments."""

    review_id: int
    conversation: ConversationRef
    reviewer: str
    reviewed_on: str
    score: float | None
    critical_failed: bool
    ratings: tuple[RatingRow, ...]
    overall_comment: str


@dataclass(frozen=True)
class ExampleConversation:
    """A conversation to teach from: "best" or "instructive", with excerpts."""

    kind: str  # best | instructive
    why: str
    review: ReviewRow


@dataclass(frozen=True)
class OutcomeRow:
    """A save or loss credited to the agent, in its own currency."""

    kind: str  # save | loss | right outcome
    conversation: str
    on: str
    currency: str
    cents: int
    detail: str  # method and status, or the loss reason
    words: str  # the save story, or the customer's own words


@dataclass(frozen=True)
class ActionRow:
    """An action item of a coaching note."""

    text: str
    due: str | None
    status: str  # open | done | overdue


@dataclass(frozen=True)
class NoteRow:
    """A coaching note with its action items."""

    written_on: str
    author: str
    text: str
    follow_up: str | None
    items: tuple[ActionRow, ...]


@dataclass(frozen=True)
class CoachingReview:
    """Everything one agent's coaching review shows."""

    coverage: Coverage
    comparison: AgentComparison
    service: Overview  # the agent's conversations: CSAT, NPS, response, resolution (targets)
    reviews: tuple[ReviewRow, ...]
    examples: tuple[ExampleConversation, ...]
    outcomes: tuple[OutcomeRow, ...]
    notes: tuple[NoteRow, ...]
    follow_up: str | None  # the next follow-up date not yet done

    @property
    def agent(self) -> str:
        """The agent's name."""
        return self.comparison.agent.name


def _rating_text(scale: str, high: int, rating: int | None, na: int) -> str:
    if na:
        return "N/A"
    if rating is None:
        return "—"
    if scale == "pass_fail":
        return "pass" if rating >= high else "fail"
    return f"{rating}/{high}"


def _ratings(db: Store, review_ids: list[int]) -> dict[int, list[RatingRow]]:
    by: dict[int, list[RatingRow]] = {}
    for start in range(0, len(review_ids), 900):
        chunk = ", ".join(str(int(r)) for r in review_ids[start : start + 900])
        for rid, name, scale, high, rating, na, comment in db.execute(
            f"""select rr.review_id, rc.name, rc.scale, rc.scale_max, rr.rating, rr.is_na,
                       coalesce(rr.comment, '')
                from review_ratings rr join rubric_categories rc on rc.id = rr.category_id
                where rr.review_id in ({chunk}) order by rr.review_id, rc.position"""
        ):
            by.setdefault(rid, []).append(
                RatingRow(name, _rating_text(scale, high, rating, na), comment)
            )
    return by


def _comments(db: Store, review_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(review_ids), 900):
        chunk = ", ".join(str(int(r)) for r in review_ids[start : start + 900])
        found.update(
            db.execute(
                f"select id, coalesce(overall_comment, '') from reviews where id in ({chunk})"
            ).fetchall()
        )
    return found


def _review_rows(scope: Scope, agent_id: int) -> list[ReviewRow]:
    reviews = agent_reviews(scope, agent_id)
    reviews.sort(key=lambda r: (r.created_at or "", r.review_id))
    ids = [r.review_id for r in reviews]
    ratings, comments = _ratings(scope.db, ids), _comments(scope.db, ids)
    refs = conversation_refs(scope.db, [r.conversation_id for r in reviews])
    return [
        ReviewRow(
            r.review_id,
            refs.get(r.conversation_id) or conversation_ref(scope.db, r.conversation_id),
            r.reviewer,
            (r.reviewed_at or "")[:10],
            r.score,
            r.critical_failed,
            tuple(ratings.get(r.review_id, [])),
            comments.get(r.review_id, ""),
        )
        for r in reviews
    ]


def _examples(db: Store, rows: list[ReviewRow]) -> tuple[ExampleConversation, ...]:
    """The best-scored review and the lowest (most instructive), each with excerpts."""
    scored = sorted(
        (r for r in rows if r.score is not None), key=lambda r: (-(r.score or 0.0), r.review_id)
    )
    picks = []
    if scored:
        picks.append(("best", "highest score in the period", scored[0]))
    if len(scored) > 1:
        lowest = min(scored, key=lambda r: (not r.critical_failed, r.score, r.review_id))
        why = (
            "a critical category failed" if lowest.critical_failed else "lowest score in the period"
        )
        picks.append(("instructive", why, lowest))
    return tuple(
        ExampleConversation(
            kind,
            why,
            replace(
                r, conversation=conversation_ref(db, r.conversation.conversation_id, quoted=True)
            ),
        )
        for kind, why, r in picks
    )


def _outcomes(scope: Scope, agent_id: int) -> tuple[OutcomeRow, ...]:
    saves, losses = agent_saves(scope, agent_id), agent_losses(scope, agent_id)
    refs = conversation_refs(
        scope.db, [s.conversation_id for s in saves] + [x.conversation_id for x in losses]
    )

    def label(cid: int) -> str:
        return refs[cid].label if cid in refs else f"#{cid}"

    rows = [
        OutcomeRow("save", label(s.conversation_id), s.saved_on, s.currency, s.mrr_cents,
                   f"{SAVE_METHODS.get(s.method, s.method)}, {s.status}", s.story or "")
        for s in saves
    ] + [
        OutcomeRow("right outcome" if x.right_outcome else "loss", label(x.conversation_id),
                   x.lost_on, x.currency, x.mrr_cents,
                   x.reason + (", preventable" if x.preventable else ""), x.customer_words or "")
        for x in losses
    ]  # fmt: skip
    return tuple(sorted(rows, key=lambda o: (o.on, o.kind)))


def _notes(db: Store, agent_id: int, today: str, filters: Filters):
    """Notes written in the period, plus older ones with open action items; the next
    follow-up date not yet done."""
    out = []
    follow_ups = []
    for note in reversed(notes_for_agent(db, agent_id)):
        day = note.created_at[:10]
        in_period = (not filters.date_from or day >= filters.date_from) and (
            not filters.date_to or day <= filters.date_to
        )
        open_items = any(not i.done for i in note.items)
        if not (in_period or (open_items and (not filters.date_to or day <= filters.date_to))):
            continue
        if note.follow_up and not note.followed_up_at:
            follow_ups.append(note.follow_up)
        items = tuple(
            ActionRow(i.text, i.due,
                      "done" if i.done else "overdue" if i.due and i.due < today else "open")
            for i in note.items
        )  # fmt: skip
        out.append(NoteRow(day, note.author or "", note.text, note.follow_up, items))
    upcoming = sorted(f for f in follow_ups if f >= today) or sorted(follow_ups)
    return tuple(out), (upcoming[0] if upcoming else None)


def coaching_review(
    db: Store, filters: Filters, agent_id: int, *, made_on: str | None = None
) -> CoachingReview:
    """The coaching review of `agent_id` over the conversations `filters` selects (any agent
    restriction in them is replaced by the agent; "All agents" are the filters' own)."""
    today = made_on or date.today().isoformat()
    scope = read_scope(db, replace(filters, agent_ids=()))
    comparison = agent_comparison(scope, agent_id)
    info = comparison.agent
    service = overview_of(scope.with_filters(replace(scope.filters, agent_ids=(agent_id,))))
    rows = _review_rows(scope, agent_id)
    notes, follow_up = _notes(db, agent_id, today, filters)
    currencies = tuple(
        sorted(
            {c for r in comparison.rows for f in (r.saved_mrr, r.lost_mrr) for c in f.parts or {}}
        )
    )
    return CoachingReview(
        coverage(
            scope,
            currencies=currencies,
            made_on=today,
            team=info.team_name or "no team",
            subject=info.name,
        ),
        comparison,
        service,
        tuple(rows),
        _examples(db, rows),
        _outcomes(scope, agent_id),
        notes,
        follow_up,
    )
