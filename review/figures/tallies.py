"""One pass per table: the saves, losses and reviews of a scope counted once, by everything the
questions group them by (status, currency, credited agent, team, week, method, reason, rubric).

The question modules (saved, lost, quality, outcomes) answer from these tallies, so a figure
set reads each table once however many of its figures rest on it; the tallies are kept on the
scope (`Scope.once`) and made again for another scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.scope import LOSS_AGENT, REVIEW_AGENT, SAVE_AGENT, Scope


@dataclass(frozen=True)
class Names:
    """Agents' and teams' names by id (small tables, read once per scope)."""

    agents: dict[int, str]
    teams: dict[int, str]

    def agent(self, agent_id: int | None) -> str | None:
        """The agent's name (None for no agent)."""
        return None if agent_id is None else self.agents.get(agent_id, f"Agent {agent_id}")

    def team(self, team_id: int | None) -> str | None:
        """The team's name (teams of one name in several helpdesks share it)."""
        return None if team_id is None else self.teams.get(team_id, f"Team {team_id}")


def names(scope: Scope) -> Names:
    """The names of every agent and team in the store."""

    def read() -> Names:
        db = scope.db
        return Names(
            dict(db.execute("select id, coalesce(name, email, external_id) from agents")),
            dict(db.execute("select id, coalesce(name, external_id) from teams")),
        )

    return scope.once("names", read)


@dataclass(frozen=True)
class SaveTally:
    """Saves of one status, currency, credited agent, team, week and method."""

    status: str
    currency: str
    agent_id: int | None
    agent: str | None
    team: str | None
    week: str | None  # the Monday of the save's date
    method: str
    n: int
    cents: int

    @property
    def kept(self) -> bool:
        """Pending or confirmed: the customer was kept (a failed save kept nothing)."""
        return self.status != "failed"


@dataclass(frozen=True)
class LossTally:
    """Losses of one reason, currency, preventable judgement, credited agent and team."""

    reason_id: int
    reason: str
    parent: str | None
    right_outcome: bool
    preventable: int | None
    currency: str
    agent_id: int | None
    agent: str | None
    team: str | None
    n: int
    cents: int


@dataclass(frozen=True)
class ReviewTally:
    """Scored reviews of one rubric version, credited agent and team: n, sum and sum of
    squares of their scores (a mean and its interval combine from these)."""

    rubric_id: int
    rubric: str
    version: int
    agent_id: int | None
    agent: str | None
    team: str | None
    n: int
    total: float
    squares: float


def save_tallies(scope: Scope) -> list[SaveTally]:
    """The scope's saves (every status) counted by status, currency, agent, team, week and
    method; an agent filter follows the agent a save credits."""

    def count() -> list[SaveTally]:
        where, params = scope.where(SAVE_AGENT)
        join, joined = scope.conversations_of("s")
        named = names(scope)
        return [
            SaveTally(status, cur, a, named.agent(a), named.team(team), week, method, n, cents)
            for status, cur, a, team, week, method, n, cents in scope.db.execute(
                f"""select s.status, s.currency, {SAVE_AGENT} as a, c.team_id,
                           {scope.db.dialect.monday_of("s.saved_on")} as week, s.method, count(*), sum(s.mrr_cents)
                    from saves s {join}
                    where {joined} and {where}
                    group by s.status, s.currency, a, c.team_id, week, s.method""",
                params,
            )
        ]

    return scope.once("saves", count)


def loss_tallies(scope: Scope) -> list[LossTally]:
    """The scope's losses counted by reason, currency, preventable, agent and team."""

    def count() -> list[LossTally]:
        where, params = scope.where(LOSS_AGENT)
        join, joined = scope.conversations_of("l")
        right = set(scope.right_outcome_reasons)
        named = names(scope)
        return [
            LossTally(
                rid,
                name,
                parent,
                rid in right,
                preventable,
                cur,
                a,
                named.agent(a),
                named.team(team),
                n,
                cents,
            )  # fmt: skip
            for rid, name, parent, preventable, cur, a, team, n, cents in scope.db.execute(
                f"""select l.reason_id, r.name, p.name, l.preventable, l.currency,
                           {LOSS_AGENT} as a, c.team_id, count(*), sum(l.mrr_cents)
                    from losses l {join}
                    join loss_reasons r on r.id = l.reason_id
                    left join loss_reasons p on p.id = r.parent
                    where {joined} and {where}
                    group by l.reason_id, r.name, p.name, l.preventable, l.currency, a, c.team_id""",
                params,
            )
        ]

    return scope.once("losses", count)


def review_tallies(scope: Scope) -> list[ReviewTally]:
    """The scope's scored reviews counted by rubric version, credited agent and team."""

    def count() -> list[ReviewTally]:
        where, params = scope.where(REVIEW_AGENT)
        join, joined = scope.conversations_of("r")
        named = names(scope)
        rubrics: dict[int, tuple[str, int]] = dict(
            (rid, (name, version))
            for rid, name, version in scope.db.execute("select id, name, version from rubrics")
        )
        return [
            ReviewTally(
                rid,
                rubrics[rid][0],
                rubrics[rid][1],
                a,
                named.agent(a),
                named.team(team),
                n,
                total,
                squares,
            )
            for rid, a, team, n, total, squares in scope.db.execute(
                # grouped by an expression, not the rubric_id column, so the scan goes through
                # the covering index in conversation order (m006_figure_indexes)
                f"""select coalesce(r.rubric_id, 0) as ru, {REVIEW_AGENT} as a, c.team_id,
                           count(*), sum(r.score), sum(r.score * r.score)
                    from reviews r {join}
                    where {joined} and r.score is not null and {where}
                      and {scope.reviews_kept("r")}
                    group by ru, a, c.team_id""",
                params,
            )
        ]

    return scope.once("reviews", count)
