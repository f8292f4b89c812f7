"""The demo database a newcomer sees first: believable data that shows every feature.

`build_demo` imports the exports that ship in resources/demo/exports (written by
scripts/make_demo_exports.py: Zendesk, Intercom, Help Scout, Freshdesk and a generic CSV, in
English, Chinese and Russian), then does what a team lead would have done over six months:
imports the billing list, tags saves and losses, reviews a sample with two reviewers (some
conversations by both, for calibration), writes coaching notes with action items, builds
two review queues, and runs the automatic quality rules over every conversation (measuring
how far they agree with the two reviewers, which decides what is offered as a score). Everything goes through the domain functions; the only SQL here reads back
what the import stored. Seeded, so the same database comes out every time.
"""

from __future__ import annotations

import json
import os
import random
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

from review.filters import Filters
from review.importing.run import import_files
from review.progress import run_to_end
from review.retention.billing import confirm_saves, import_billing
from review.retention.losses import find_loss_reason, tag_loss
from review.retention.saves import find_conversation, tag_save
from review.retention.settings import set_exchange_rates
from review.reviewing.autoqa.agreement import agreement, store_agreement
from review.reviewing.autoqa.engine import Rules
from review.reviewing.autoqa.run import score_conversations
from review.reviewing.autoqa.store import unscored_ids
from review.reviewing.coaching import add_action_item, add_note, set_action_item_done
from review.reviewing.queues import build_queue
from review.reviewing.reviews import write_review
from review.reviewing.rubrics import Category, current_rubric
from review.store import Store, open_store

SEED = 4
# Conversations a lead has not got round to tagging yet: they show up as churn signals only.
UNTAGGED_SHARE = 0.1
RATES = {"EUR": "1.08", "GBP": "1.27", "RUB": "0.011", "CNY": "0.14", "TWD": "0.031"}

# Scenario keys (see resources/demo/scenarios) -> what a reviewer can rate in them.
_FOLLOW_UP = {"bug_gantt_export", "angry_outage_saved", "onboarding_import", "password_2fa_reset"}
_RECOVERY = ("bug", "angry", "double_charge", "poor_service", "failed_payment", "refund")
_WORKAROUND = ("bug", "feature", "competitor", "export", "downgrade", "pause", "budget")
_CHURN = ("saved", "lost", "angry", "refund")


def demo_folder() -> Path:
    """resources/demo: the exports, the billing list, story.json and the reviewers' words."""
    return Path(str(resources.files("resources.demo")))


@dataclass
class _Convo:
    id: int
    key: str  # "source:external_id"
    agent_id: int | None
    agent_email: str | None
    created_at: str
    last_message_at: str


def build_demo(path: str | os.PathLike) -> list[str]:
    """Create the demo database at `path` (which should not exist yet); return summary lines."""
    folder = demo_folder()
    open_store(path).close()
    report = run_to_end(import_files(path, [folder / "exports"]))
    failed = [f"{f.path}: {f.error}" for f in report.failed]
    db = open_store(path)
    try:
        story = json.loads((folder / "story.json").read_text("utf-8"))
        words = tomllib.loads((folder / "reviewing.toml").read_text("utf-8"))
        rng = random.Random(SEED)
        today = story["now"]
        billing = import_billing(db, folder / "billing.csv")
        set_exchange_rates(db, "USD", RATES)
        convos = _conversations(db)
        saves, losses = _tag_outcomes(db, story["outcomes"], rng)
        confirm_saves(db, today)
        reviews = _write_reviews(db, convos, story, words, rng)
        notes = _write_coaching(db, words["coaching"], reviews, today)
        _build_queues(db, today)
        auto = _score_automatically(db)
        return _summary(db, report, billing.records, saves, losses, reviews, notes) + auto + failed
    finally:
        db.close()


def _conversations(db: Store) -> list[_Convo]:
    rows = db.execute(
        "select c.id, c.source || ':' || c.external_id, c.agent_id, a.email, c.created_at, "
        "(select max(m.created_at) from messages m where m.conversation_id = c.id) "
        "from conversations c left join agents a on a.id = c.agent_id order by c.id"
    ).fetchall()
    return [_Convo(*row) for row in rows]


def _tag_outcomes(db: Store, outcomes: list[dict], rng: random.Random) -> tuple[int, int]:
    saves = losses = 0
    for entry in outcomes:
        if rng.random() < UNTAGGED_SHARE:
            continue
        cid = find_conversation(db, f"{entry['source']}:{entry['external_id']}")
        if entry["outcome"] == "saved":
            tag_save(
                db,
                cid,
                entry["mrr"],
                entry["currency"],
                entry["method"],
                saved_on=entry["on"],
                story=entry.get("story"),
            )
            saves += 1
        else:
            tag_loss(
                db,
                cid,
                entry["mrr"],
                entry["currency"],
                find_loss_reason(db, entry["reason"]).id,
                preventable=entry["preventable"],
                customer_words=entry.get("words"),
                lost_on=entry["on"],
            )
            losses += 1
    return saves, losses


# -- reviews ----------------------------------------------------------------------------------


def _applies(category: Category, scenario: str) -> bool:
    key = category.key
    if key == "recovery":
        return any(word in scenario for word in _RECOVERY)
    if key == "churn_signals":
        return any(word in scenario for word in _CHURN)
    if key == "workarounds":
        return any(word in scenario for word in _WORKAROUND)
    if key == "follow_up":
        return scenario in _FOLLOW_UP
    return True


def _bias(key: str, scenario: str) -> float:
    if scenario == "poor_service_lost":
        return -0.45 if key not in ("accuracy", "critical") else -0.15
    if scenario.endswith("_saved") and key in ("churn_signals", "recovery", "workarounds"):
        return 0.15
    if scenario.endswith("_lost") and key == "churn_signals":
        return -0.2
    if scenario == "happy_thanks":
        return 0.1
    return 0.0


def _coached(agent_email: str | None, created: str, coaching: list[dict]) -> dict[str, float]:
    """Categories the agent was coached on before this conversation, and how much it helped."""
    bump: dict[str, float] = {}
    for note in coaching:
        if note["agent"] == agent_email and created[:10] >= note["on"]:
            for _text, _days, keys, done in note["items"]:
                for key in keys:
                    bump[key] = max(bump.get(key, 0.0), 0.22 if done else 0.1)
    return bump


def _rating(category: Category, value: float) -> int:
    value = min(max(value, 0.0), 1.0)
    if category.scale == "pass_fail":
        return 1 if value > 0.55 else 0
    return category.scale_min + round(value * (category.scale_max - category.scale_min))


def _write_reviews(db, convos, story, words, rng) -> dict[int, list[tuple[int, str, float]]]:
    """Reviews by two reviewers over a sample, overlapping on some; returns agent -> reviews."""
    rubric = current_rubric(db)
    skills = {email: agent["skill"] for email, agent in story["agents"].items()}
    scenarios = story["scenarios"]
    outcome_keys = {f"{o['source']}:{o['external_id']}" for o in story["outcomes"]}
    candidates = [c for c in convos if c.agent_id is not None and c.key in scenarios]
    rng.shuffle(candidates)
    # Leads review conversations that ended saved or lost first, but not all of them yet: the
    # rest wait in the churn-risk queue.
    first = {c.key for c in candidates if c.key in outcome_keys and rng.random() < 0.6}
    candidates.sort(key=lambda c: c.key not in first)
    candidates = candidates[:190]
    rng.shuffle(candidates)
    hannah, marco = words["reviewers"]["hannah"], words["reviewers"]["marco"]
    assignments = [(c, hannah) for c in candidates[:110]] + [(c, marco) for c in candidates[80:]]
    now = datetime.fromisoformat(story["now"] + "T00:00:00+00:00")
    by_agent: dict[int, list[tuple[int, str, float]]] = {}
    truth: dict[tuple[int, str], float] = {}
    for convo, reviewer in assignments:
        scenario = scenarios[convo.key]
        skill = skills.get(convo.agent_email or "", 0.7)
        bump = _coached(convo.agent_email, convo.created_at, words["coaching"])
        ratings: dict[str, int | str] = {}
        values: dict[str, float] = {}
        for category in rubric.categories:
            if not _applies(category, scenario):
                ratings[category.key] = "na" if category.allow_na else _rating(category, skill)
                continue
            shared = truth.setdefault(
                (convo.id, category.key),
                skill + _bias(category.key, scenario) + rng.gauss(0, 0.13),
            )
            value = shared + bump.get(category.key, 0.0) + rng.gauss(0, 0.07)
            value -= reviewer["strictness"] * 0.12
            if category.critical:
                value = 0.0 if skill < 0.7 and rng.random() < 0.025 else 1.0
            values[category.key] = value
            ratings[category.key] = _rating(category, value)
        mean = sum(values.values()) / max(len(values), 1)
        band = "overall_high" if mean > 0.78 else "overall_mid" if mean > 0.55 else "overall_low"
        agent_name = (story["agents"].get(convo.agent_email or "") or {}).get("name", "")
        first = agent_name.split()[0] if " " in agent_name else agent_name
        overall = rng.choice(reviewer[band]).format(agent=first)
        if values.get("critical") == 0.0:
            overall = "Critical: promised a refund policy we don't have. Please correct with the customer."
        comments = {}
        if values and rng.random() < 0.6:
            low = min(values, key=values.get)
            high = max(values, key=values.get)
            side, key = ("low", low) if values[low] < 0.6 else ("high", high)
            pool = words["category_comments"][side].get(key)
            if pool:
                comments[key] = rng.choice(pool)
        reviewed = datetime.fromisoformat(convo.last_message_at.replace("Z", "+00:00"))
        reviewed = min(reviewed + timedelta(days=rng.uniform(1, 6)), now - timedelta(hours=3))
        review_id = write_review(
            db,
            convo.id,
            reviewer["name"],
            ratings,
            overall_comment=overall,
            comments=comments,
            agent_id=convo.agent_id,
            created_at=reviewed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        by_agent.setdefault(convo.agent_id, []).append((review_id, convo.created_at, mean))
    return by_agent


# -- coaching and queues ----------------------------------------------------------------------


def _write_coaching(db, coaching: list[dict], reviews: dict, today: str) -> int:
    agent_ids = dict(db.execute("select email, id from agents where email is not null").fetchall())
    notes = 0
    for note in coaching:
        agent_id = agent_ids.get(note["agent"])
        if agent_id is None:
            continue
        before = [r for r in reviews.get(agent_id, []) if r[1][:10] < note["on"]]
        # The note cites the agent's weakest reviews before it (the best, for praise).
        praise = not any(keys for _t, _d, keys, _done in note["items"])
        cited = sorted(before, key=lambda r: r[2], reverse=praise)[:3]
        written = date.fromisoformat(note["on"])
        added = add_note(
            db,
            agent_id,
            note["author"],
            note["text"],
            review_ids=[r[0] for r in cited],
            follow_up=written + timedelta(days=note["follow_up_days"]),
            at=f"{note['on']}T16:30:00Z",
            session="demo",
        )
        rubric = current_rubric(db)
        for text, days, keys, done in note["items"]:
            item = add_action_item(
                db,
                added.id,
                text,
                due=written + timedelta(days=days),
                category_ids=[rubric.category(key).id for key in keys],
                session="demo",
            )
            if done:
                set_action_item_done(db, item.id, True, session="demo")
        notes += 1
    return notes


def _build_queues(db: Store, today: str) -> None:
    month_ago = (date.fromisoformat(today) - timedelta(days=30)).isoformat()
    build_queue(
        db,
        "Churn risk, not reviewed yet",
        Filters(churn_signal=True, reviewed=False),
        reviewer="Hannah Reid",
    )
    build_queue(
        db,
        "Weekly sample: 2 per agent",
        Filters(date_from=month_ago, reviewed=False),
        sample_per_agent_per_week=2,
        seed=SEED,
        reviewer="Marco Rossi",
    )


def _score_automatically(db: Store) -> list[str]:
    """The rules over every conversation, as `savedesk autoqa run` does, then their agreement
    with the reviews above: a newcomer sees suggestions (and hints) on the first run."""
    rules = Rules.load(db)
    # the import scored what it wrote; anything it left (it stops on a failure) is scored here
    score_conversations(db, unscored_ids(db, rules.version), rules)
    measured = agreement(db)
    store_agreement(db, measured, rules.version)
    offered = [f"{a.category_key} ({a.language})" for a in measured if a.offered]
    scored = db.execute("select count(*) from autoqa_scores").scalar()
    suggestions = db.execute("select count(*) from autoqa_suggestions").scalar()
    return [
        f"{scored} conversations scored automatically: {suggestions} suggestions; offered as "
        f"a score: {', '.join(offered) or 'none yet'} (below the agreement bar: hints)"
    ]


def _summary(db, report, billing_rows, saves, losses, reviews, notes) -> list[str]:
    def one(sql: str) -> int:
        return db.execute(sql).fetchone()[0]

    statuses = dict(db.execute("select status, count(*) from saves group by status").fetchall())
    reviewers = one(
        "select count(distinct reviewer) from reviews where calibration_session_id is null"
    )
    both = one(
        "select count(*) from (select conversation_id from reviews where calibration_session_id "
        "is null group by conversation_id "
        "having count(distinct reviewer) > 1) x"
    )
    return [
        f"{one('select count(*) from conversations')} conversations, "
        f"{one('select count(*) from messages where kind = ' + repr('message'))} messages "
        f"({one('select count(*) from messages where is_internal = 1')} internal notes) "
        f"from {len(report.files)} export files",
        f"{one('select count(*) from agents')} agents in {one('select count(*) from teams')} teams, "
        f"{one('select count(*) from customers')} customers",
        f"{one('select count(*) from ratings')} satisfaction answers (CSAT and NPS)",
        f"{one('select count(distinct conversation_id) from churn_signals')} conversations "
        "with churn signals",
        f"{billing_rows} billing-list rows; {saves} saves "
        f"({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}), {losses} losses",
        f"{sum(len(v) for v in reviews.values())} reviews by {reviewers} reviewers "
        f"({both} conversations reviewed by both, for calibration)",
        f"{notes} coaching notes with {one('select count(*) from action_items')} action items",
    ]
