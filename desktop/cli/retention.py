"""`savedesk tag save|loss`, `savedesk billing import|confirm|counts`, `savedesk churn detect`:
saved and lost customers and the lists that confirm them, for scripting and tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from desktop.cli.common import db_option, guarded, open_db, perform
from review.lookup import find_agent, find_conversation
from review.operations import Call
from review.retention.billing import confirm_saves, import_billing, set_period_counts
from review.retention.churn import detect_churn_signals
from review.retention.losses import (
    LOSS,
    RIGHT_OUTCOME,
    add_loss_reason,
    find_loss_reason,
    loss_reasons,
)
from review.retention.saves import SAVE_METHODS
from review.retention.settings import (
    SETTING_CONFIRM_DAYS,
    exchange_rates,
    set_exchange_rates,
    set_setting,
)


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _agent(db, text: str | None) -> int | None:
    return find_agent(db, text) if text else None


@click.group("tag")
def tag_group() -> None:
    """Tag a conversation as a saved or a lost customer."""


@tag_group.command("save")
@click.argument("conversation")
@click.option(
    "--mrr", required=True, help="MRR kept, e.g. 49.00 (a downgrade: the new plan's MRR)."
)
@click.option("--currency", required=True, help="ISO 4217 code, e.g. USD, EUR, CNY, RUB.")
@click.option(
    "--method", required=True, type=click.Choice(list(SAVE_METHODS)), help="How it was saved."
)
@click.option(
    "--agent", default=None, help="Agent credited (id, name or email); default: assignee."
)
@click.option("--on", "saved_on", default=None, help="Date saved, YYYY-MM-DD (default today).")
@click.option("--story", default=None, help="A short story a coach can teach from.")
@db_option
@guarded
def tag_save_command(conversation, mrr, currency, method, agent, saved_on, story, db_path) -> None:
    """Tag CONVERSATION (id, or source:helpdesk-id) as a saved customer, pending confirmation."""
    db = open_db(db_path)
    cid = find_conversation(db, conversation)
    call = Call(
        "tag-save",
        {
            "conversation_id": cid,
            "mrr": mrr,
            "currency": currency,
            "method": method,
            "agent_id": _agent(db, agent),
            "saved_on": saved_on or _today(),
            "story": story,
        },
    )
    perform(db, call)
    click.echo(f"Saved customer tagged on conversation {cid}: {mrr} {currency.upper()} MRR.")


@tag_group.command("loss")
@click.argument("conversation")
@click.option("--mrr", required=True, help="MRR lost, e.g. 120.00.")
@click.option("--currency", required=True, help="ISO 4217 code.")
@click.option("--reason", required=True, help="Reason name or id (see `savedesk tag reasons`).")
@click.option("--preventable/--not-preventable", default=None, help="Could support have kept them?")
@click.option("--words", default=None, help="The customer's own words.")
@click.option("--agent", default=None, help="Agent (id, name or email); default: assignee.")
@click.option("--on", "lost_on", default=None, help="Date lost, YYYY-MM-DD (default today).")
@db_option
@guarded
def tag_loss_command(
    conversation, mrr, currency, reason, preventable, words, agent, lost_on, db_path
) -> None:
    """Tag CONVERSATION (id, or source:helpdesk-id) as a lost customer."""
    db = open_db(db_path)
    cid = find_conversation(db, conversation)
    found = find_loss_reason(db, reason)
    call = Call(
        "tag-loss",
        {
            "conversation_id": cid,
            "mrr": mrr,
            "currency": currency,
            "reason_id": found.id,
            "preventable": preventable,
            "customer_words": words,
            "agent_id": _agent(db, agent),
            "lost_on": lost_on or _today(),
        },
    )
    perform(db, call)
    click.echo(
        f"Lost customer tagged on conversation {cid}: {mrr} {currency.upper()} MRR, {found.name}."
    )


@tag_group.command("reasons")
@db_option
@guarded
def reasons_command(db_path) -> None:
    """List the loss reasons (id and name); a right outcome (like Not a fit) is marked."""
    db = open_db(db_path)
    for reason in loss_reasons(db):
        indent = "    " if reason.parent else ""
        mark = "  [right outcome]" if reason.right_outcome else ""
        click.echo(f"{reason.id:>4}  {indent}{reason.name}{mark}")


@tag_group.command("add-reason")
@click.argument("name")
@click.option("--under", default=None, help="The group it belongs to, e.g. 'Natural causes'.")
@click.option(
    "--right-outcome",
    is_flag=True,
    help="A loss with it is the right outcome (like Not a fit): kept out of lost MRR and the "
    "save rate.",
)
@db_option
@guarded
def add_reason_command(name, under, right_outcome, db_path) -> None:
    """Add a team's own loss reason NAME, a loss unless --right-outcome."""
    db = open_db(db_path)
    parent = find_loss_reason(db, under).id if under else None
    reason = add_loss_reason(db, name, parent, RIGHT_OUTCOME if right_outcome else LOSS)
    kind = "the right outcome" if reason.right_outcome else "a loss"
    click.echo(f"Loss reason {reason.id} added: {reason.name} (counts as {kind}).")


@click.group("billing")
def billing_group() -> None:
    """Billing or customer lists: import them, confirm saves, enter customer counts."""


@billing_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--today", default=None, help="Date to confirm saves as of (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@db_option
@guarded
def billing_import_command(path, today, as_json, db_path) -> None:
    """Import a billing list (CSV: customer id or email, status, MRR, currency, as-of date),
    then confirm or fail pending saves from it."""
    db = open_db(db_path)
    report = import_billing(db, path)
    changes = confirm_saves(db, today or _today())
    if as_json:
        click.echo(json.dumps({**report.as_dict(), "saves_decided": len(changes.conversations)}))
        return
    click.echo(
        f"{report.records} customer records imported ({report.paying} paying, {report.gone} gone); "
        f"{len(changes.conversations)} saved conversations confirmed or failed."
    )


@billing_group.command("confirm")
@click.option("--today", default=None, help="Date to confirm as of (default today).")
@click.option("--days", type=int, default=None, help="Days still paying (default: setting, 30).")
@db_option
@guarded
def billing_confirm_command(today, days, db_path) -> None:
    """Confirm or fail pending saves from the billing lists imported so far."""
    db = open_db(db_path)
    changes = confirm_saves(db, today or _today(), days)
    click.echo(f"{len(changes.conversations)} saved conversations confirmed or failed.")


@billing_group.command("counts")
@click.argument("period_start")
@click.argument("period_end")
@click.option("--start", "customers_start", type=int, required=True, help="Customers at start.")
@click.option("--end", "customers_end", type=int, required=True, help="Customers at end.")
@click.option("--new", "customers_new", type=int, required=True, help="New customers.")
@click.option("--lost", "customers_lost", type=int, default=None, help="Lost (default S+N-E).")
@db_option
@guarded
def counts_command(
    period_start, period_end, customers_start, customers_end, customers_new, customers_lost, db_path
) -> None:
    """Enter the customer counts of a period (PERIOD_START PERIOD_END, YYYY-MM-DD) for CRR and
    churn."""
    db = open_db(db_path)
    set_period_counts(
        db, period_start, period_end, customers_start, customers_end, customers_new, customers_lost
    )
    click.echo(f"Customer counts set for {period_start} to {period_end}.")


@billing_group.command("rates")
@click.argument("rates", nargs=-1)
@click.option("--base", default=None, help="The currency totals are shown in, e.g. USD.")
@db_option
@guarded
def rates_command(rates, base, db_path) -> None:
    """Show or set exchange rates: `--base USD EUR=1.08 GBP=1.27` (units of the base currency
    one unit buys). Without them, saved and lost MRR are totalled per currency."""
    db = open_db(db_path)
    if rates or base:
        if not base:
            raise click.UsageError("give the base currency with --base")
        parsed = {}
        for item in rates:
            code, sep, value = item.partition("=")
            if not sep:
                raise click.BadParameter(f"{item!r} is not CODE=RATE", param_hint="RATES")
            parsed[code.strip()] = value.strip()
        set_exchange_rates(db, base, parsed)
    current_base, current = exchange_rates(db)
    if not current_base:
        click.echo("No exchange rates: totals are kept per currency.")
        return
    click.echo(f"Totals in {current_base}:")
    for code, rate in sorted(current.items()):
        if code != current_base:
            click.echo(f"  1 {code} = {rate} {current_base}")


@billing_group.command("confirm-days")
@click.argument("days", type=click.IntRange(min=1))
@db_option
@guarded
def confirm_days_command(days, db_path) -> None:
    """How many days after a save the customer must still be paying for it to be confirmed
    (default 30)."""
    set_setting(open_db(db_path), SETTING_CONFIRM_DAYS, str(days))
    click.echo(f"Saves are confirmed once the customer is seen paying {days} days after.")


@click.group("churn")
def churn_group() -> None:
    """Churn signals in customer messages."""


@churn_group.command("detect")
@db_option
@guarded
def churn_detect_command(db_path) -> None:
    """Look for churn signals again in every conversation (after editing the phrase lists)."""
    db = open_db(db_path)
    found = detect_churn_signals(db)
    click.echo(f"{found} churn signals found.")


COMMANDS = (tag_group, billing_group, churn_group)
