"""`savedesk search`: full-text search over subjects and messages."""

from __future__ import annotations

import json

import click

from desktop.cli.common import db_option, guarded, open_db
from review.store.search import match_spans, search


@click.command("search")
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True, help="How many conversations at most.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@guarded
def search_command(query: str, db_path: str | None, limit: int, as_json: bool) -> None:
    """Conversations whose subject or messages contain every word of QUERY (newest first)."""
    db = open_db(db_path)
    hits = search(db, query, limit=limit)
    for hit in hits:
        if as_json:
            click.echo(json.dumps(hit.__dict__, ensure_ascii=False))
        else:
            subject = hit.subject or "(no subject)"
            click.echo(f"{hit.conversation_id:>8}  {_marked(subject, query)}")
            click.echo(f"          {_marked(hit.snippet, query)}")
    if not hits and not as_json:
        click.echo("No conversation matches.", err=True)


def _marked(text: str, query: str) -> str:
    """`text` with the words the search matched in bold (click drops the styling off a terminal)."""
    parts, done = [], 0
    for start, end in match_spans(text, query):
        parts += [text[done:start], click.style(text[start:end], bold=True, fg="yellow")]
        done = end
    return "".join(parts) + text[done:]
