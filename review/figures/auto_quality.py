"""The auto quality score: what the automatic rules (review.reviewing.autoqa) score the
conversations, shown beside people's quality score and never mixed into it.

Each conversation the rules read has an auto score (autoqa_scores.score, 0-100: the rubric's
formula over the categories the rules rate). The figure is their mean with its 95% interval;
n = conversations with an auto score. Conversations answered by a bot alone are a figure of
their own (`bots`), so a bot's scripted greeting never lifts the people's score. The note names
the rule set and how many categories have passed the agreement bar (the rest are hints): a
reader sees at once how far the number can be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.scope import CONVERSATION_AGENT, Scope
from review.figures.values import Figure, mean_figure

PEOPLE = "person"
BOTS = "bot"


@dataclass(frozen=True)
class AutoQuality:
    """The auto quality score of the people's conversations and, apart, of the bots'."""

    people: Figure
    bots: Figure

    def as_dict(self) -> dict:
        """`savedesk stats --json`: {"people": figure, "bots": figure}."""
        return {"people": self.people.as_dict(), "bots": self.bots.as_dict()}


def _note(scope: Scope) -> str:
    rows = scope.db.execute(
        "select ruleset, count(*) from autoqa_scores group by ruleset order by count(*) desc"
    ).fetchall()
    offered = scope.db.execute(
        "select count(*), count(*) filter (where offered = 1) from autoqa_agreement"
    ).fetchone()
    parts = ["the automatic rules' score, not a person's"]
    if rows:
        parts.append(
            f"rules {rows[0][0]}" + (f" and {len(rows) - 1} older" if len(rows) > 1 else "")
        )
    measured, passed = offered if offered else (0, 0)
    parts.append(
        f"{passed} of {measured} category-language pairs past the agreement bar"
        if measured
        else "agreement with people not measured yet"
    )
    return "; ".join(parts)


def auto_quality(scope: Scope) -> AutoQuality:
    """Mean auto score (0-100, 95% interval) of the scope's conversations, people and bots
    apart; n = conversations the rules scored. The agent filter follows the conversation's
    assignee (the rules credit no one else)."""
    where, params = scope.where(CONVERSATION_AGENT)
    rows = scope.db.execute(
        f"""select a.author_kind, count(a.score), avg(a.score), avg(a.score * a.score)
              from autoqa_scores a join conversations c on c.id = a.conversation_id
             where a.score is not null and a.author_kind in (:people, :bots) and {where}
             group by a.author_kind""",
        {**params, "people": PEOPLE, "bots": BOTS},
    ).fetchall()
    by = {kind: mean_figure(n, m, m2) for kind, n, m, m2 in rows}
    note = _note(scope)
    empty = mean_figure(0, None, None)
    return AutoQuality(
        by.get(PEOPLE, empty).noted(note), by.get(BOTS, empty).noted("bots' conversations alone")
    )
