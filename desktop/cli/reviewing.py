"""`savedesk rubric`, `savedesk review`, `savedesk queue`, `savedesk calibration`: reviewing from
the command line, for scripting and tests. Thin shells over review.reviewing.rubrics, review.reviewing.reviews,
review.reviewing.queues and review.reviewing.calibration."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict
from datetime import date, timedelta

import click

from desktop.cli.common import CLI_SESSION, db_option, guarded, open_db, perform
from review.errors import InvalidInput
from review.filters import Filters
from review.lookup import find_conversation
from review.operations import Call
from review.reviewing.calibration import calibration
from review.reviewing.queues import get_queue, list_queues, queue_items
from review.reviewing.reviews import get_review, start_review
from review.reviewing.rubrics import (
    Category,
    current_rubric,
    export_rubric,
    get_rubric,
    import_rubric,
    list_rubrics,
    set_current_rubric,
)

PASS_WORDS = {"pass": 1, "yes": 1, "y": 1, "fail": 0, "no": 0, "n": 0}
NA_WORDS = {"na", "n/a", "-"}


def default_reviewer() -> str:
    """$SAVEDESK_REVIEWER, else the login name."""
    return os.environ.get("SAVEDESK_REVIEWER") or getpass.getuser()


# -- rubric --------------------------------------------------------------------------------


@click.group("rubric")
def rubric_group() -> None:
    """List, import and export rubrics (TOML files)."""


@rubric_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@guarded
def rubric_list(db_path: str | None, as_json: bool) -> None:
    """Every rubric version; * marks the one new reviews use."""
    db = open_db(db_path)
    current_rubric(db)  # installs the default on first use
    for rubric in list_rubrics(db):
        if as_json:
            click.echo(json.dumps(asdict(rubric), ensure_ascii=False))
            continue
        mark = "*" if rubric.is_current else " "
        click.echo(f"{mark} {rubric.id:>4}  {rubric.name} v{rubric.version}")
        for c in rubric.categories:
            flags = ", ".join(
                f for f, on in (("N/A allowed", c.allow_na), ("critical", c.critical)) if on
            )
            extra = f"; {flags}" if flags else ""
            click.echo(f"        {c.key:<16} {c.name} ({c.scale}, weight {c.weight:g}{extra})")


@rubric_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--keep-current", is_flag=True, help="Do not make it the rubric new reviews use.")
@guarded
def rubric_import(path: str, db_path: str | None, keep_current: bool) -> None:
    """Import a rubric file. A changed rubric already used by reviews gets a new version."""
    db = open_db(db_path)
    rubric = import_rubric(db, path, make_current=not keep_current)
    click.echo(
        f"Rubric {rubric.id}: {rubric.name} v{rubric.version}, {len(rubric.categories)} categories"
    )


@rubric_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@db_option
@click.option("--id", "rubric_id", type=int, default=None, help="Rubric id (default: current).")
@guarded
def rubric_export(path: str, db_path: str | None, rubric_id: int | None) -> None:
    """Write a rubric to PATH as TOML."""
    db = open_db(db_path)
    rubric = get_rubric(db, rubric_id) if rubric_id is not None else current_rubric(db)
    export_rubric(db, rubric.id, path)
    click.echo(f"Wrote {rubric.name} v{rubric.version} to {path}")


@rubric_group.command("use")
@click.argument("rubric_id", type=int)
@db_option
@guarded
def rubric_use(rubric_id: int, db_path: str | None) -> None:
    """Make RUBRIC_ID the rubric new reviews use."""
    db = open_db(db_path)
    set_current_rubric(db, rubric_id)
    rubric = get_rubric(db, rubric_id)
    click.echo(f"New reviews use {rubric.name} v{rubric.version}")


# -- review --------------------------------------------------------------------------------


def parse_rating(category: Category, value: str) -> tuple[int | None, bool]:
    """(rating, na) from command-line text: a number, pass/fail, or na."""
    text = value.strip().lower()
    if text in NA_WORDS:
        return None, True
    if category.scale == "pass_fail" and text in PASS_WORDS:
        return PASS_WORDS[text], False
    try:
        return int(text), False
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a rating of '{category.name}' "
            f"({category.scale_min}-{category.scale_max}"
            f"{', pass or fail' if category.scale == 'pass_fail' else ''}, or na)."
        ) from None


@click.command("review")
@click.argument("conversation")
@db_option
@click.option(
    "--rate",
    "ratings",
    multiple=True,
    metavar="CATEGORY=VALUE",
    help="Rate a category (key or name) with a number, pass/fail, or na. Repeatable.",
)
@click.option("--na", "nas", multiple=True, metavar="CATEGORY", help="Mark a category N/A.")
@click.option("--comment", default=None, help="The overall comment.")
@click.option(
    "--reviewer", default=None, help="Reviewer name (default: $SAVEDESK_REVIEWER or login)."
)
@click.option("--agent", "agent_id", type=int, default=None, help="The agent reviewed (agent id).")
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON.")
@guarded
def review_command(
    conversation: str,
    db_path: str | None,
    ratings: tuple[str, ...],
    nas: tuple[str, ...],
    comment: str | None,
    reviewer: str | None,
    agent_id: int | None,
    as_json: bool,
) -> None:
    """Review CONVERSATION (savedesk id or SOURCE:HELPDESK_ID) and print its score.

    Each rating is saved at once; the review is the reviewer's own (made if missing).
    """
    db = open_db(db_path)
    cid = find_conversation(db, conversation)
    who = reviewer or default_reviewer()
    review = start_review(db, cid, who, session=CLI_SESSION)
    rubric = get_rubric(db, review.rubric_id)
    planned: list[tuple[Category, int | None, bool]] = []
    for item in ratings:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not CATEGORY=VALUE", param_hint="--rate")
        name, value = item.rsplit("=", 1)
        category = rubric.category(name)
        planned.append((category, *parse_rating(category, value)))
    planned += [(rubric.category(name), None, True) for name in nas]
    # the same operations the app runs, one transaction each
    args = {"conversation_id": cid, "rubric_id": rubric.id}
    for category, rating, na in planned:
        call = Call("rate", {**args, "category_id": category.id, "rating": rating, "na": na})
        perform(db, call, who)
    if comment is not None:
        perform(db, Call("overall-comment", {**args, "text": comment}), who)
    if agent_id is not None:
        perform(db, Call("review-agent", {**args, "agent_id": agent_id}), who)
    review = get_review(db, review.id)
    if as_json:
        data = asdict(review)
        data["ratings"] = {
            c.key: ("na" if review.ratings[c.id].is_na else review.ratings[c.id].rating)
            for c in rubric.categories
            if c.id in review.ratings
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    shown = "no score (nothing rated)" if review.score is None else f"{review.score:.1f}%"
    if review.critical_failed:
        shown += " (critical category failed)"
    click.echo(f"Review {review.id} of conversation {cid} by {review.reviewer}: {shown}")


# -- queue ---------------------------------------------------------------------------------


@click.group("queue")
def queue_group() -> None:
    """Build and list review queues."""


@queue_group.command("build")
@click.argument("name")
@db_option
@click.option(
    "--per-agent-per-week",
    "per_week",
    type=int,
    default=None,
    help="Sample N random unreviewed conversations per agent per week.",
)
@click.option(
    "--seed", type=int, default=None, help="Random seed (the same seed, the same sample)."
)
@click.option("--from", "date_from", default=None, help="Created on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, help="Created on or before (YYYY-MM-DD).")
@click.option("--agent", "agents", type=int, multiple=True, help="Agent id (repeatable).")
@click.option("--team", "teams", type=int, multiple=True, help="Team id (repeatable).")
@click.option("--channel", "channels", multiple=True, help="Channel (repeatable).")
@click.option("--tag", "tags", multiple=True, help="Tag (repeatable).")
@click.option("--status", "statuses", multiple=True, help="Status (repeatable).")
@click.option(
    "--churn-signal/--no-churn-signal",
    "churn",
    default=None,
    help="Only conversations with (or without) a churn signal.",
)
@click.option("--unreviewed", is_flag=True, help="Only conversations nobody has reviewed.")
@click.option(
    "--lowest-auto-score",
    "lowest",
    type=int,
    default=None,
    help="The N unreviewed conversations with the lowest automatic quality score.",
)
@click.option("--this-week", is_flag=True, help="Created this week (Monday to today).")
@click.option("--reviewer", default=None, help="Whose queue it is.")
@click.option("--json", "as_json", is_flag=True, help="Print the queue as JSON.")
@guarded
def queue_build(
    name,
    db_path,
    per_week,
    seed,
    date_from,
    date_to,
    agents,
    teams,
    channels,
    tags,
    statuses,
    churn,
    unreviewed,
    lowest,
    this_week,
    reviewer,
    as_json,
) -> None:
    """Build a queue NAME from filters, a seeded sample per agent per week, or the N lowest
    automatic quality scores ("the 20 lowest this week": --lowest-auto-score 20 --this-week)."""
    db = open_db(db_path)
    if this_week:
        today = date.today()
        date_from = date_from or (today - timedelta(days=today.weekday())).isoformat()
        date_to = date_to or today.isoformat()
    filters = Filters(
        date_from=date_from,
        date_to=date_to,
        agent_ids=agents,
        team_ids=teams,
        channels=channels,
        tags=tags,
        statuses=statuses,
        churn_signal=churn,
        reviewed=False if unreviewed else None,
    )
    call = Call(
        "build-queue",
        {
            "name": name,
            "filters": asdict(filters),
            "sample_per_agent_per_week": per_week,
            "seed": seed,
            "lowest_auto_score": lowest,
        },
    )
    _show_queue(db, perform(db, call, reviewer).value, as_json)


@queue_group.command("list")
@db_option
@guarded
def queue_list(db_path: str | None) -> None:
    """Every queue, newest first."""
    db = open_db(db_path)
    for q in list_queues(db):
        how = (
            f"sample {q.sample_per_agent_per_week}/agent/week, seed {q.seed}"
            if (q.sample_per_agent_per_week)
            else "filter"
        )
        click.echo(f"{q.id:>4}  {q.name}  ({q.size} conversations, at {q.position + 1}; {how})")


@queue_group.command("show")
@click.argument("queue_id", type=int)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the queue as JSON.")
@guarded
def queue_show(queue_id: int, db_path: str | None, as_json: bool) -> None:
    """The conversations of queue QUEUE_ID in order."""
    _show_queue(open_db(db_path), queue_id, as_json)


def _show_queue(db, queue_id: int, as_json: bool) -> None:
    queue = get_queue(db, queue_id)
    items = queue_items(db, queue_id)
    if as_json:
        data = asdict(queue)
        data["filters"] = asdict(queue.filters)
        data["conversations"] = items
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"Queue {queue.id} '{queue.name}': {queue.size} conversations (seed {queue.seed})")
    for n, cid in enumerate(items):
        click.echo(f"{'>' if n == queue.position else ' '} {cid}")


# -- calibration ---------------------------------------------------------------------------


@click.command("calibration")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@guarded
def calibration_command(db_path: str | None, as_json: bool) -> None:
    """Agreement between reviewers on conversations reviewed by two or more of them."""
    result = calibration(open_db(db_path))
    if as_json:
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{result.conversations} conversations reviewed by 2+ of: {', '.join(result.reviewers)}"
    )
    for c in result.categories:
        agree = "-" if c.percent_agreement is None else f"{c.percent_agreement:.0f}%"
        alpha = "-" if c.alpha is None else f"{c.alpha:.3f}"
        click.echo(f"  {c.name:<32} agreement {agree:>5}  alpha {alpha:>6}  ({c.pairs} pairs)")


COMMANDS = (rubric_group, review_command, queue_group, calibration_command)
