"""story.json: which conversations ended saved or lost, and the agents' skills, for review.demo."""

from __future__ import annotations

from .output import dump
from .people import AGENTS
from .scenarios import META, Convo
from .settings import NOW, OUT
from .wording import PRICES


def external_id(c: Convo) -> str:
    """The conversation's id as its helpdesk export spells it (what the importer stores)."""
    return {
        "zendesk": str(c.number),
        "intercom": str(c.number),
        "helpscout": str(880000 + c.number),
        "freshdesk": str(c.number),
        "csv": f"PH-{c.number:04d}",
    }[c.source]


def write_story(convos: list[Convo]) -> None:
    """Write story.json: which conversations ended saved or lost, with what review.demo needs."""
    entries = []
    for c in convos:
        _, outcome, how, preventable, _, _ = META[c.scenario]
        if outcome is None:
            continue
        plan = c.customer.plan
        if outcome == "saved" and c.scenario == "downgrade_saved":
            plan = max(plan - 1, 0)
        entry = {
            "source": c.source,
            "external_id": external_id(c),
            "scenario": c.scenario,
            "outcome": outcome,
            "mrr": f"{PRICES[c.customer.currency][plan]}.00",
            "currency": c.customer.currency,
            "on": c.turns[-1].at.date().isoformat(),
            "agent_email": f"{c.agent[1]}@tasklane.io",
        }
        if outcome == "saved":
            entry.update(method=how, story=c.story)
        else:
            entry.update(reason=how, preventable=preventable, words=c.words)
        entries.append(entry)
    agents = {f"{a[1]}@tasklane.io": {"name": a[0], "skill": a[5]} for a in AGENTS}
    scenarios = {f"{c.source}:{external_id(c)}": c.scenario for c in convos}
    dump(
        OUT / "story.json",
        {
            "now": NOW.date().isoformat(),
            "agents": agents,
            "scenarios": scenarios,
            "outcomes": entries,
        },
    )
