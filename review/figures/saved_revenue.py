"""The saved recurring revenue a manager reads (DOMAIN.md): the overview's headline figures in
the base currency, saves by agent and by method, the conversations with a churn intent, and the
best save stories in the customer's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.coverage import Coverage
from review.figures.excerpts import ConversationRef, conversation_refs
from review.figures.overview import Overview, overview_of
from review.figures.saved import AgentSaves, saves_by_agent, saves_by_method
from review.figures.scope import SAVE_AGENT, Scope, one, read_scope
from review.figures.values import Figure, GroupFigure, rate_figure
from review.filters import Filters
from review.retention.saves import SAVE_METHODS
from review.store import Store

STORIES = 6  # save stories told, confirmed and largest first
STORY_EXCERPTS = 2  # messages quoted with each


@dataclass(frozen=True)
class SaveStory:
    """A save worth telling: who, how much (in its own currency and the base), how, and the
    conversation in the customer's words."""

    conversation: ConversationRef
    agent: str
    currency: str
    cents: int
    base: Figure  # the MRR in the base currency
    method: str
    status: str
    saved_on: str
    story: str


@dataclass(frozen=True)
class SavedRevenue:
    """Everything the saved-revenue report shows."""

    overview: Overview
    by_agent: tuple[AgentSaves, ...]
    by_method: tuple[GroupFigure, ...]
    churn_intent: Figure  # % of conversations with a churn signal; n = conversations
    stories: tuple[SaveStory, ...]

    @property
    def coverage(self) -> Coverage:
        """Period, filters, teams and rates of every figure here."""
        return self.overview.coverage


def churn_intent(scope: Scope) -> Figure:
    """% of the conversations in scope where a churn signal was found."""
    where, params = scope.where()
    n, signalled = one(
        scope,
        f"""select count(*), sum(case when exists (select 1 from churn_signals x
                                   where x.conversation_id = c.id) then 1 else 0 end)
            from conversations c where {where}""",
        params,
    )
    return rate_figure(signalled, n)


def save_stories(scope: Scope, count: int = STORIES) -> list[SaveStory]:
    """The saves with a story, confirmed first, then largest (in the base currency) and
    newest: the ones a coach can teach from."""
    where, params = scope.where(SAVE_AGENT)
    rows = scope.db.execute(
        f"""select s.conversation_id, coalesce(a.name, '(no agent)'), s.currency, s.mrr_cents,
                   s.method, s.status, s.saved_on, s.story
            from saves s join conversations c on c.id = s.conversation_id
            left join agents a on a.id = {SAVE_AGENT}
            where s.status <> 'failed' and trim(coalesce(s.story, '')) <> '' and {where}""",
        params,
    ).fetchall()
    based = [(row, scope.rates.total([(row[2], 1, row[3])])) for row in rows]
    based.sort(
        key=lambda rb: (rb[0][5] != "confirmed", -(rb[1].value or 0), rb[0][6] or "", rb[0][0]),
        reverse=False,
    )
    chosen = based[:count]
    refs = conversation_refs(
        scope.db, [row[0] for row, _ in chosen], quoted=True, limit=STORY_EXCERPTS
    )
    return [
        SaveStory(
            refs[cid],
            agent,
            currency,
            cents,
            base,
            SAVE_METHODS.get(method, method),
            status,
            saved_on,
            story.strip(),
        )  # fmt: skip
        for (cid, agent, currency, cents, method, status, saved_on, story), base in chosen
    ]


def saved_revenue(
    db: Store, filters: Filters, *, made_on: str | None = None, team: str | None = None
) -> SavedRevenue:
    """The saved-revenue figures for the conversations `filters` selects."""
    scope = read_scope(db, filters)
    return SavedRevenue(
        overview_of(scope, made_on=made_on, team=team),
        tuple(saves_by_agent(scope)),
        tuple(saves_by_method(scope)),
        churn_intent(scope),
        tuple(save_stories(scope)),
    )
