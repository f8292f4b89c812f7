"""Build the figures of each report (review.figures.report_figures) from the store.

`build_saved_revenue`, `build_coaching` and `build_quality` take a database and a Filters and
return plain frozen values; the SQL they need lives in review.figures.report_queries. Every figure
rests on the conversations the filters select (dates are on the conversation's creation).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from review.figures import (
    Figure,
    churn_rate,
    crr,
    quality_by_category,
    quality_by_channel,
    quality_by_period,
    quality_by_team,
    quality_score,
    save_rate,
)
from review.figures import report_queries as q
from review.figures.figure import scope as metric_scope
from review.figures.report_figures import (
    ActionRow,
    AgreementRow,
    CategoryScore,
    CoachingFigures,
    ConversationRef,
    ExampleConversation,
    Excerpt,
    GroupScore,
    MoneyRow,
    NoteRow,
    OutcomeRow,
    PeriodScore,
    QualityFigures,
    RatingRow,
    ReportHeader,
    ReviewRow,
    SavedRevenueFigures,
    SavedTotal,
    SaveStory,
    Stat,
)
from review.filters import Filters
from review.retention.saves import SAVE_METHODS

# The agent a save, loss or review credits (as review.figures counts it), not the assignee.
SAVE_AGENT = "coalesce(s.agent_id, c.agent_id)"
LOSS_AGENT = "coalesce(l.agent_id, c.agent_id)"

STORY_COUNT = 5  # best save stories in the saved-revenue report
EXAMPLE_EXCERPTS = 4


def _today() -> str:
    return date.today().isoformat()


def period_text(filters: Filters) -> str:
    """The period a report covers, in words, from the filters' dates."""
    if filters.date_from and filters.date_to:
        return f"{filters.date_from} to {filters.date_to}"
    if filters.date_from:
        return f"from {filters.date_from}"
    if filters.date_to:
        return f"until {filters.date_to}"
    return "all time"


def _header(db, title: str, filters: Filters, made_on, subject=None, team=None) -> ReportHeader:
    if team is None:
        team = ", ".join(q.names(db, "teams", filters.team_ids)) or "All teams"
    return ReportHeader(
        title, team, period_text(filters), filters.describe(), made_on or _today(), subject
    )


def _mean(values: list[float]) -> Stat:
    return Stat(sum(values) / len(values) if values else None, len(values))


def _stat(figure: Figure) -> Stat:
    """A review.figures Figure as a report Stat."""
    return Stat(figure.value, figure.n, "%" if figure.unit == "%" else "")


def _share(part: int, whole: int) -> Stat:
    return Stat(100.0 * part / whole if whole else None, whole, "%")


def _ref(row: tuple | None, cid: int, db=None, excerpts: bool = False) -> ConversationRef:
    if row is None:
        return ConversationRef(cid, f"#{cid}", "unknown", "")
    _, number, external_id, subject, channel, created_at, name, email, phone = row
    label = f"#{number or external_id}" + (f" · {subject}" if subject else "")
    quoted: tuple[Excerpt, ...] = ()
    if excerpts and db is not None:
        quoted = tuple(
            Excerpt(role, author or role, when, text)
            for role, author, when, text in q.excerpt_messages(db, cid, EXAMPLE_EXCERPTS)
        )
    return ConversationRef(
        cid, label, channel or "unknown", created_at or "", name, email, phone, quoted
    )


def _money_rows(items, key) -> tuple[MoneyRow, ...]:
    sums: dict[tuple[str, str], list[int]] = {}
    for label, currency, cents in items:
        entry = sums.setdefault((label, currency), [0, 0])
        entry[0] += cents
        entry[1] += 1
    rows = [MoneyRow(label, cur, c, n) for (label, cur), (c, n) in sums.items()]
    return tuple(sorted(rows, key=key))


def _weeks(saves: list[tuple]) -> tuple[MoneyRow, ...]:
    """Saved MRR per Monday-started week and currency, empty weeks between filled with 0."""
    by: dict[tuple[str, date], list[int]] = {}
    for row in saves:
        day = date.fromisoformat(row[6])
        monday = day - timedelta(days=day.weekday())
        entry = by.setdefault((row[3], monday), [0, 0])
        entry[0] += row[2]
        entry[1] += 1
    out = []
    for currency in sorted({c for c, _ in by}):
        weeks = sorted(w for c, w in by if c == currency)
        week = weeks[0]
        while week <= weeks[-1]:
            cents, n = by.get((currency, week), (0, 0))
            out.append(MoneyRow(week.isoformat(), currency, cents, n))
            week += timedelta(days=7)
    return tuple(out)


def build_saved_revenue(
    db, filters: Filters, *, made_on: str | None = None, team: str | None = None
) -> SavedRevenueFigures:
    """The saved-revenue figures for the conversations `filters` selects."""
    where = q.scope(filters)
    saves = [s for s in q.saves_rows(db, metric_scope(filters, SAVE_AGENT)) if s[5] != "failed"]
    losses = q.losses_rows(db, metric_scope(filters, LOSS_AGENT))
    totals: dict[str, list[int]] = {}
    for s in saves:
        t = totals.setdefault(s[3], [0, 0, 0, 0])
        i = 0 if s[5] == "confirmed" else 2
        t[i] += s[2]
        t[i + 1] += 1
    saved = tuple(
        sorted(
            (SavedTotal(cur, *t) for cur, t in totals.items()),
            key=lambda t: (-t.all_cents, t.currency),
        )
    )
    conversations = q.count_conversations(db, where)
    judged = [loss for loss in losses if loss[5] is not None]
    refs = q.conversation_refs(db, [s[1] for s in saves])
    told = sorted(
        (s for s in saves if s[7].strip()),
        key=lambda s: (s[5] != "confirmed", -s[2], s[6], s[0]),
    )[:STORY_COUNT]
    stories = tuple(
        SaveStory(
            _ref(refs.get(s[1]), s[1], db, excerpts=True),
            s[8],
            s[3],
            s[2],
            SAVE_METHODS.get(s[4], s[4]),
            s[5],
            s[6],
            s[7],
        )  # fmt: skip
        for s in told
    )
    return SavedRevenueFigures(
        header=_header(db, "Saved recurring revenue", filters, made_on, team=team),
        conversations=conversations,
        saved=saved,
        save_rate=_stat(save_rate(db, filters)),
        churn_intent=Stat(q.churn_intent_count(db, where), conversations),
        by_agent=_money_rows(((s[8], s[3], s[2]) for s in saves), lambda r: (r.currency, -r.cents)),
        by_method=_money_rows(
            ((SAVE_METHODS.get(s[4], s[4]), s[3], s[2]) for s in saves),
            lambda r: (r.currency, -r.cents),
        ),
        by_week=_weeks(saves),
        lost_by_reason=_money_rows(
            ((loss[4], loss[3], loss[2]) for loss in losses), lambda r: (r.currency, -r.cents)
        ),
        preventable=_share(sum(1 for loss in judged if loss[5]), len(judged)),
        crr=_stat(crr(db, filters)),
        churn_simple=_stat(churn_rate(db, filters)),
        churn_adjusted=_stat(churn_rate(db, filters, adjusted=True)),
        stories=stories,
    )


# ---------------------------------------------------------------------------------------------
# Reviews: scores, ratings, categories


def _rating_text(scale: str, low: int, high: int, rating: int | None, na: int) -> str:
    if na:
        return "N/A"
    if rating is None:
        return "—"
    if scale == "pass_fail":
        return "pass" if rating >= high else "fail"
    return f"{rating}/{high}"


def _ratings_by_review(db, review_ids: list[int]) -> dict[int, list[tuple]]:
    by: dict[int, list[tuple]] = defaultdict(list)
    for row in q.ratings_of(db, review_ids):
        by[row[0]].append(row)
    return by


def _review_row(row: tuple, ratings: list[tuple], ref: ConversationRef) -> ReviewRow:
    rid, _, reviewer, created_at, score, critical, comment = row[:7]
    return ReviewRow(
        review_id=rid,
        conversation=ref,
        reviewer=reviewer,
        reviewed_on=(created_at or "")[:10],
        score=score,
        critical_failed=bool(critical),
        ratings=tuple(
            RatingRow(name, _rating_text(scale, low, high, rating, na), comment_)
            for _, _, name, scale, low, high, rating, na, comment_ in ratings
        ),
        overall_comment=comment,
    )


def _trend(db, filters: Filters, reviews: list[tuple]) -> tuple[PeriodScore, ...]:
    """Score per week ("2024-W18"), or per month when the reviews span more than 16 weeks."""
    days = sorted(r[11][:10] for r in reviews if r[11])
    if not days:
        return ()
    span = (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days
    groups = quality_by_period(db, filters, "month" if span > 16 * 7 else "week")
    return tuple(PeriodScore(g.label, _stat(g.figure)) for g in groups)


def build_coaching(
    db, filters: Filters, agent_id: int, *, made_on: str | None = None
) -> CoachingFigures:
    """The coaching review of one agent over the conversations `filters` selects (its own
    agent restriction is replaced by `agent_id`; the team is the agent's team)."""
    today = made_on or _today()
    name, team_id, team_name = q.agent_team(db, agent_id)
    unbound = replace(filters, agent_ids=())
    where = q.scope(unbound)
    mine = q.review_rows(db, where, (agent_id,))
    team_ids = q.team_agent_ids(db, team_id) if team_id is not None else (agent_id,)
    my_ratings = _ratings_by_review(db, [r[0] for r in mine])
    just_agent = replace(unbound, agent_ids=(agent_id,))
    just_team = replace(unbound, agent_ids=team_ids)
    team_by_cat = {g.label: _stat(g.figure) for g in quality_by_category(db, just_team)}
    categories = tuple(
        CategoryScore(g.label, _stat(g.figure), team_by_cat.get(g.label, Stat(None, 0)))
        for g in quality_by_category(db, just_agent)
    )
    refs = q.conversation_refs(db, [r[1] for r in mine])
    rows = [_review_row(r, my_ratings.get(r[0], []), _ref(refs.get(r[1]), r[1])) for r in mine]
    examples = _examples(db, mine, my_ratings, refs)
    outcomes = _outcomes(db, where, agent_id, refs)
    notes, follow_up = _notes(db, agent_id, today, filters)
    header = _header(db, "Coaching review", unbound, today, subject=name,
                     team=team_name or "no team")  # fmt: skip
    return CoachingFigures(
        header=header,
        agent=name,
        score=_stat(quality_score(db, just_agent)),
        team_score=_stat(quality_score(db, just_team)),
        trend=_trend(db, just_agent, mine),
        categories=categories,
        reviews=tuple(rows),
        examples=examples,
        outcomes=outcomes,
        notes=notes,
        follow_up=follow_up,
    )


def _examples(db, mine, ratings, refs) -> tuple[ExampleConversation, ...]:
    """The best-scored review and the lowest (most instructive), each with excerpts."""
    scored = sorted((r for r in mine if r[4] is not None), key=lambda r: (-r[4], r[0]))
    picks = []
    if scored:
        picks.append(("best", "highest score in the period", scored[0]))
    if len(scored) > 1:
        lowest = min(scored, key=lambda r: (not r[5], r[4], r[0]))
        why = "a critical category failed" if lowest[5] else "lowest score in the period"
        picks.append(("instructive", why, lowest))
    return tuple(
        ExampleConversation(kind, why, _review_row(
            r, ratings.get(r[0], []), _ref(refs.get(r[1]), r[1], db, excerpts=True)))
        for kind, why, r in picks
    )  # fmt: skip


def _outcomes(db, where, agent_id, refs) -> tuple[OutcomeRow, ...]:
    saves = q.saves_rows(db, where, agent_id)
    losses = q.losses_rows(db, where, agent_id)
    refs = {**refs, **q.conversation_refs(db, [s[1] for s in saves] + [x[1] for x in losses])}
    rows = [
        OutcomeRow("save", _ref(refs.get(s[1]), s[1]).label, s[6], s[3], s[2],
                   f"{SAVE_METHODS.get(s[4], s[4])}, {s[5]}", s[7])
        for s in saves
    ] + [
        OutcomeRow("loss", _ref(refs.get(x[1]), x[1]).label, x[6], x[3], x[2],
                   x[4] + (", preventable" if x[5] else ""), x[7])
        for x in losses
    ]  # fmt: skip
    return tuple(sorted(rows, key=lambda o: (o.on, o.kind)))


def _notes(db, agent_id: int, today: str, filters: Filters):
    """Notes written in the period, plus older ones with open action items; the next
    follow-up date not yet done."""
    from review.reviewing.coaching import notes_for_agent

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


# ---------------------------------------------------------------------------------------------
# Quality


def build_quality(
    db, filters: Filters, *, made_on: str | None = None, team: str | None = None
) -> QualityFigures:
    """Quality by team, agent, category and channel, and reviewer calibration."""
    from review.reviewing.calibration import calibration

    where = q.scope(filters)
    reviews = q.review_rows(db, where, None)

    agents: dict[int | None, list] = {}
    for agent_id, agent_name, team_name in q.agents_in_scope(db, where):
        agents[agent_id] = [agent_name or f"#{agent_id}", team_name or "", [], 0]
    for r in reviews:
        entry = agents.setdefault(r[7], [r[8] or "(no agent)", r[9] or "", [], 0])
        entry[3] += 1
        if r[4] is not None:
            entry[2].append(r[4])
    by_agent = tuple(
        sorted(
            (GroupScore(n, _mean(s), count, t) for n, t, s, count in agents.values()),
            key=lambda g: (g.group, g.label),
        )
    )
    result = calibration(db, q.conversation_ids(db, where))
    agreement = tuple(
        AgreementRow(c.name, Stat(c.percent_agreement, c.pairs, "%"), c.alpha)
        for c in result.categories
    )
    spreads = [s.maximum - s.minimum for s in result.spreads]
    return QualityFigures(
        header=_header(db, "Quality by team and agent", filters, made_on, team=team),
        overall=_stat(quality_score(db, filters)),
        by_team=tuple(
            GroupScore(g.label, _stat(g.figure), g.figure.n) for g in quality_by_team(db, filters)
        ),
        by_agent=by_agent,
        by_category=tuple(
            GroupScore(g.label, _stat(g.figure)) for g in quality_by_category(db, filters)
        ),
        by_channel=tuple(
            GroupScore(g.label, _stat(g.figure), g.figure.n)
            for g in quality_by_channel(db, filters)
        ),
        calibration=agreement,
        calibration_conversations=result.conversations,
        score_spread=_mean(spreads),
    )
