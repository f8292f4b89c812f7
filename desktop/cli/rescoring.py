"""`savedesk rubric rescore`: old reviews re-scored under a newer rubric version, side by side
with their original scores, which stay as they were (review.reviewing.rescoring)."""

from __future__ import annotations

import json

import click

from desktop.cli.common import db_option, guarded, open_db
from desktop.cli.reviewing import rubric_group
from review.figures.wording import figure_text
from review.filters import Filters
from review.reviewing.rescoring import rescore
from review.reviewing.rubrics import current_rubric


def _score(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


@rubric_group.command("rescore")
@click.argument("rubric_id", type=int, required=False)
@click.option("--from", "date_from", default=None, help="First day, YYYY-MM-DD (inclusive).")
@click.option("--to", "date_to", default=None, help="Last day, YYYY-MM-DD (inclusive).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@db_option
@guarded
def rescore_command(rubric_id, date_from, date_to, as_json, db_path) -> None:
    """Re-score the reviews made under older versions of a rubric under RUBRIC_ID (default: the
    current rubric) and show both scores side by side. The original scores are not changed."""
    db = open_db(db_path)
    target = rubric_id if rubric_id is not None else current_rubric(db).id
    result = rescore(db, target, Filters(date_from=date_from, date_to=date_to))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not result.rows:
        console.print(f"No review was made under another version of {result.target}.")
        return
    table = Table(title=f"Reviews re-scored under {result.target} (original scores unchanged)")
    for name in ("review", "conv.", "reviewer", "made under", "score", "new", "change",
                 "kept", "dropped"):  # fmt: skip
        table.add_column(name, justify="left" if name in ("reviewer", "made under") else "right")
    for r in result.rows:
        change = "" if r.change is None else f"{r.change:+.1f}"
        table.add_row(str(r.review_id), str(r.conversation_id), r.reviewer, r.rubric,
                      _score(r.original), _score(r.rescored), change, str(r.carried),
                      str(r.dropped))  # fmt: skip
    console.print(table)
    console.print(
        f"Quality score as made: {figure_text(result.original)}, n = {result.original.n}; "
        f"under {result.target}: {figure_text(result.rescored)}, n = {result.rescored.n}"
    )
