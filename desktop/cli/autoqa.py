"""`savedesk autoqa`: automatic quality suggestions from the command line. `run` scores
conversations, `agreement` measures the rules against people's reviews, `show` prints one
conversation's suggestions with their evidence, `accept` turns one into a rating. Thin shells
over review.reviewing.autoqa."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from desktop.cli.common import (
    db_option,
    guarded,
    open_db,
    perform,
    resolve_db_path,
    run_with_bar,
)
from desktop.cli.reviewing import default_reviewer
from review.errors import InvalidInput
from review.operations import Call
from review.reviewing.autoqa import agreement as bar
from review.reviewing.autoqa.agreement import agreement, store_agreement
from review.reviewing.autoqa.engine import Rules
from review.reviewing.autoqa.run import autoqa_job
from review.reviewing.autoqa.store import (
    get_suggestion,
    suggestions_for_conversation,
    unscored_ids,
)
from review.reviewing.reviews import find_conversation, review_of


@click.group("autoqa")
def autoqa_group() -> None:
    """Automatic quality suggestions: offline rules, each suggestion with its evidence."""


@autoqa_group.command("run")
@db_option
@click.option("--all", "everything", is_flag=True, help="Score every conversation again.")
@click.option(
    "--conversation", "refs", multiple=True, help="Score this conversation (id or SOURCE:ID)."
)
@click.option("--no-spelling", is_flag=True, help="Leave the spelling check out (faster).")
@guarded
def autoqa_run(db_path: str | None, everything: bool, refs: tuple[str, ...], no_spelling: bool):
    """Score the conversations not yet scored by the current rules (or --all, or the named
    ones), then measure agreement with people's reviews again."""
    db = open_db(db_path)
    rules = Rules.load(db, check_spelling=not no_spelling)
    if refs:
        ids: list[int] | None = [find_conversation(db, ref) for ref in refs]
    elif everything:
        ids = None
    else:
        ids = unscored_ids(db, rules.version)
    result = run_with_bar(
        autoqa_job(resolve_db_path(db_path), ids, check_spelling=not no_spelling),
        "Scoring conversations",
    )
    store_agreement(db, agreement(db), result.ruleset)
    click.echo(
        f"Scored {result.conversations:,} conversations: {result.suggestions:,} suggestions "
        f"(rules {result.ruleset})."
    )


@autoqa_group.command("agreement")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@guarded
def autoqa_agreement(db_path: str | None, as_json: bool) -> None:
    """Cohen's kappa (quadratic weights), percent agreement, n and a 95% bootstrap interval of
    the rules against people's ratings, per category and language. Reviewed conversations the
    current rules have not scored are scored first."""
    db = open_db(db_path)
    rules = Rules.load(db)
    missing = unscored_ids(db, rules.version, reviewed_only=True)
    if missing:
        run_with_bar(
            autoqa_job(resolve_db_path(db_path), missing), "Scoring reviewed conversations"
        )
    results = agreement(db)
    store_agreement(db, results, rules.version)
    if as_json:
        data = {
            "ruleset": rules.version,
            "bar": {
                "kappa": bar.KAPPA_BAR,
                "pairs": bar.MIN_PAIRS,
                "interval_low": bar.LOWER_BOUND_BAR,
            },
            "categories": [
                {
                    "category": a.category_key,
                    "language": a.language,
                    "n": a.pairs,
                    "kappa": a.kappa,
                    "agreement": a.agreement,
                    "interval": [a.kappa_low, a.kappa_high],
                    "offered": a.offered,
                }
                for a in results
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Offered as a score at kappa >= {bar.KAPPA_BAR} on n >= {bar.MIN_PAIRS} with the "
        f"interval's lower bound >= {bar.LOWER_BOUND_BAR}; below that, a hint."
    )
    for a in results:
        kappa = "-" if a.kappa is None else f"{a.kappa:.2f}"
        agree = "-" if a.agreement is None else f"{a.agreement:.0f}%"
        interval = "-" if a.kappa_low is None else f"[{a.kappa_low:.2f}, {a.kappa_high:.2f}]"
        offered = "offered" if a.offered else "hint"
        click.echo(
            f"  {a.category_key:<14} {a.language:<8} n={a.pairs:<4} kappa {kappa:>5} "
            f"{interval:<14} agreement {agree:>4}  {offered}"
        )


@autoqa_group.command("show")
@click.argument("conversation")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@guarded
def autoqa_show(conversation: str, db_path: str | None, as_json: bool) -> None:
    """The suggestions of one conversation with the words they rest on."""
    db = open_db(db_path)
    found = suggestions_for_conversation(db, find_conversation(db, conversation))
    if as_json:
        click.echo(json.dumps([asdict(s) for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No suggestions: run `savedesk autoqa run` first.")
    for s in found:
        if s.kind == "flag":
            head = "flag"
        elif s.is_na:
            head = "N/A"
        else:
            head = str(s.rating)
        how = "suggested" if s.offered else "hint"
        click.echo(f"{s.id:>6}  {s.category_key:<14} {how} {head}: {s.reason}")
        for e in s.evidence:
            click.echo(
                f"          message {e['message_id']} [{e['start']}:{e['end']}] {e['check']}: «{e['text']}»"
            )


@autoqa_group.command("accept")
@click.argument("suggestion_id", type=int)
@db_option
@click.option(
    "--reviewer", default=None, help="Reviewer name (default: $SAVEDESK_REVIEWER or login)."
)
@guarded
def autoqa_accept(suggestion_id: int, db_path: str | None, reviewer: str | None) -> None:
    """Accept suggestion SUGGESTION_ID as the reviewer's rating (undoable like any rating).
    Only a suggestion offered as a score can be accepted, not a hint or a flag."""
    db = open_db(db_path)
    suggestion = get_suggestion(db, suggestion_id)
    if suggestion is None:
        raise InvalidInput(f"There is no suggestion {suggestion_id}.")
    who = reviewer or default_reviewer()
    call = Call(
        "accept-suggestion",
        {"conversation_id": suggestion.conversation_id, "suggestion_id": suggestion_id},
    )
    perform(db, call, who)  # the operation the app runs, in the CLI's undo history
    review = review_of(db, suggestion.conversation_id, who)
    click.echo(f"Accepted suggestion {suggestion_id} in review {review.id if review else '?'}.")


COMMANDS = (autoqa_group,)
