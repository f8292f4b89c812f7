"""The figures behind each PDF report, as plain frozen values (no reportlab here).

reports/ lays these out; tests check them by value. Every figure carries the `n` it rests on,
and a value of None means "no data" (never 0). review.figures.report_builders fills them from the store.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Shared values


@dataclass(frozen=True)
class ReportHeader:
    """What the cover block states: title, team, period, filters, the day it was made."""

    title: str
    team: str
    period: str
    filters: str
    made_on: str  # YYYY-MM-DD
    subject: str | None = None  # the agent of a coaching review
    masked: bool = False  # customer details in excerpts are masked


@dataclass(frozen=True)
class Stat:
    """A number with how many conversations, reviews or customers it rests on.

    `value` None means no data; `unit` is "%" for percentages, "" for counts and means.
    """

    value: float | None
    n: int
    unit: str = ""


@dataclass(frozen=True)
class Excerpt:
    """One message quoted as written (never translated)."""

    role: str  # customer | agent | bot | system | unknown
    author: str
    created_at: str
    text: str


@dataclass(frozen=True)
class ConversationRef:
    """A conversation named in a report, with the customer's details masking needs."""

    conversation_id: int
    label: str  # "#4711 · Cancel my plan" (number or external id, subject)
    channel: str
    created_at: str
    customer_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    excerpts: tuple[Excerpt, ...] = ()


# ---------------------------------------------------------------------------------------------
# Saved recurring revenue


@dataclass(frozen=True)
class SavedTotal:
    """Saved MRR in one currency, confirmed and pending apart (failed saves are left out)."""

    currency: str
    confirmed_cents: int
    confirmed_n: int
    pending_cents: int
    pending_n: int

    @property
    def all_cents(self) -> int:
        """Confirmed plus pending."""
        return self.confirmed_cents + self.pending_cents

    @property
    def all_n(self) -> int:
        """Saves under `all_cents`."""
        return self.confirmed_n + self.pending_n


@dataclass(frozen=True)
class MoneyRow:
    """A labelled sum of MRR in one currency over `n` saves or losses."""

    label: str
    currency: str
    cents: int
    n: int


@dataclass(frozen=True)
class SaveStory:
    """A save worth telling: who, how much, how, and the conversation in the customer's words."""

    conversation: ConversationRef
    agent: str
    currency: str
    cents: int
    method: str
    status: str
    saved_on: str
    story: str


@dataclass(frozen=True)
class SavedRevenueFigures:
    """Everything the saved-revenue report shows."""

    header: ReportHeader
    conversations: int  # conversations in the period and filters
    saved: tuple[SavedTotal, ...]  # one per currency, largest first
    save_rate: Stat  # percent, n = saves + losses among churn-intent conversations
    churn_intent: Stat  # value = conversations with a churn intent, n = conversations
    by_agent: tuple[MoneyRow, ...]  # label = agent; pending and confirmed
    by_method: tuple[MoneyRow, ...]
    by_week: tuple[MoneyRow, ...]  # label = Monday of the week (YYYY-MM-DD), in date order
    lost_by_reason: tuple[MoneyRow, ...]  # largest first per currency
    preventable: Stat  # percent of judged losses marked preventable
    crr: Stat  # percent; n = customers at the period's start
    churn_simple: Stat
    churn_adjusted: Stat
    stories: tuple[SaveStory, ...]


# ---------------------------------------------------------------------------------------------
# Coaching review


@dataclass(frozen=True)
class CategoryScore:
    """Mean score of one rubric category (0-100) for the agent and for the team."""

    category: str
    agent: Stat
    team: Stat


@dataclass(frozen=True)
class PeriodScore:
    """Quality score in one period of the trend (label: "2024-W18" or "2024-05")."""

    label: str
    score: Stat


@dataclass(frozen=True)
class RatingRow:
    """One category's rating in a review, as text ("4 / 5", "pass", "N/A")."""

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
    """A conversation chosen to teach from: "best" or "most instructive", with excerpts."""

    kind: str  # best | instructive
    why: str
    review: ReviewRow


@dataclass(frozen=True)
class OutcomeRow:
    """A save or loss credited to the agent."""

    kind: str  # save | loss
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
class CoachingFigures:
    """Everything one agent's coaching review shows."""

    header: ReportHeader
    agent: str
    score: Stat  # the agent's quality score, n = scored reviews
    team_score: Stat
    trend: tuple[PeriodScore, ...]
    categories: tuple[CategoryScore, ...]
    reviews: tuple[ReviewRow, ...]
    examples: tuple[ExampleConversation, ...]
    outcomes: tuple[OutcomeRow, ...]
    notes: tuple[NoteRow, ...]
    follow_up: str | None  # the next follow-up date, if any is set


# ---------------------------------------------------------------------------------------------
# Quality


@dataclass(frozen=True)
class GroupScore:
    """Quality score (0-100) of a team, agent, category or channel."""

    label: str
    score: Stat
    reviews: int = 0
    group: str = ""  # the team of an agent


@dataclass(frozen=True)
class AgreementRow:
    """Calibration of one category across reviewers of the same conversations."""

    category: str
    agreement: Stat  # percent exact agreement, n = pairs or conversations compared
    alpha: float | None  # Krippendorff's alpha (ordinal), None where it cannot be computed


@dataclass(frozen=True)
class QualityFigures:
    """Everything the quality report shows."""

    header: ReportHeader
    overall: Stat
    by_team: tuple[GroupScore, ...]
    by_agent: tuple[GroupScore, ...]
    by_category: tuple[GroupScore, ...]
    by_channel: tuple[GroupScore, ...]
    calibration: tuple[AgreementRow, ...]
    calibration_conversations: int  # conversations with more than one reviewer
    score_spread: Stat  # mean spread of overall scores between reviewers, in points
