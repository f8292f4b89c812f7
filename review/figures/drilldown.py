"""Which conversations make up a bar of a chart, so a click on it can list them. Each uses the
same scope (filters, credited agent) as the figure it explains."""

from __future__ import annotations

from review.figures.saved import KEPT
from review.figures.scope import LOSS_AGENT, REVIEW_AGENT, SAVE_AGENT, Scope


def _ids(scope: Scope, sql: str, params: dict) -> list[int]:
    return [row[0] for row in scope.db.execute(sql, params)]


def saved_week_conversation_ids(
    scope: Scope, week: str, status: str | None = None, currency: str | None = None
) -> list[int]:
    """Conversations with a save of `status` ("confirmed", "pending"; None: either) dated in
    the week starting on Monday `week` (YYYY-MM-DD), in `currency` when given."""
    where, params = scope.where(SAVE_AGENT)
    statuses = (status,) if status else KEPT
    params.update(week=week, **{f"st{i}": s for i, s in enumerate(statuses)})
    marks = ", ".join(f":st{i}" for i in range(len(statuses)))
    if currency is not None:
        where += " and s.currency = :only_currency"
        params["only_currency"] = currency
    return _ids(
        scope,
        f"""select distinct c.id from saves s join conversations c on c.id = s.conversation_id
            where s.status in ({marks}) and {scope.db.dialect.monday_of("s.saved_on")} = :week
              and {where} order by c.id""",
        params,
    )


def lost_reason_conversation_ids(scope: Scope, reason_id: int) -> list[int]:
    """Conversations with a loss tagged with `reason_id` (a bar of the Pareto chart)."""
    where, params = scope.where(LOSS_AGENT)
    params["reason"] = reason_id
    return _ids(
        scope,
        f"""select distinct c.id from losses l join conversations c on c.id = l.conversation_id
            where l.reason_id = :reason and {where} order by c.id""",
        params,
    )


def reviewed_conversation_ids(scope: Scope, agent_id: int | None) -> list[int]:
    """Conversations with a scored review credited to `agent_id` (a bar of quality by agent;
    None: reviews crediting no agent)."""
    where, params = scope.where(REVIEW_AGENT)
    params["credited"] = agent_id
    return _ids(
        scope,
        f"""select distinct c.id from reviews r join conversations c on c.id = r.conversation_id
            where r.score is not null and r.calibration_session_id is null
              and {scope.db.dialect.same(REVIEW_AGENT, ":credited")}
              and {where}
            order by c.id""",
        params,
    )
