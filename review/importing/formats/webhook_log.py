"""Logs of webhook deliveries: one JSON payload per line, as a receiver appends them.

Every helpdesk whose webhooks savedesk reads is covered, each line read with that helpdesk's
own mapping:
- Intercom: `{"type": "notification_event", "topic": ..., "data": {"item": conversation}}`
  (API 1.x and 2.x items alike);
- Help Scout: the conversation itself (the 1.0 shape, threads inline), as its webhooks send it;
- Front: an event `{"id": "evt_...", "type": ..., "conversation": {...}, "target": {"data":
  message or comment}}`.
A line of another kind, or not JSON, is rejected by its line number; the rest land. Later
lines carry later snapshots of the same conversation: the writer keeps the newest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from review.importing.formats import Format, Head, ReadOptions, front, helpscout, intercom
from review.importing.formats._vendor import clean_tree, guarded
from review.importing.jsonlines import loads_line
from review.importing.records import Record, Rejected

_FRONT_EVENT_KEYS = {"conversation", "target"}


def _vendor(line: Any) -> str | None:
    if not isinstance(line, dict):
        return None
    if line.get("type") == "notification_event" and isinstance(line.get("data"), dict):
        return "intercom"
    if (
        "id" in line
        and ("mailbox" in line or "mailboxId" in line)
        and ("threads" in line or "_embedded" in line)
    ):
        return "helpscout"
    conversation = line.get("conversation")
    if line.keys() >= _FRONT_EVENT_KEYS and isinstance(conversation, dict):
        return "front" if str(conversation.get("id", "")).startswith("cnv_") else None
    return None


def sniff(head: Head) -> bool:
    """Two or more lines, each a whole JSON object, the first a webhook payload we read."""
    lines = [line for line in head.text.split("\n") if line.strip()]  # JSON Lines: "\n" only
    if len(lines) < 2 or not lines[1].lstrip().startswith("{"):
        return False
    return _vendor(head.first_line_json) is not None


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Each line's payload through its helpdesk's mapping."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            line = loads_line(raw)
        except (ValueError, RecursionError) as exc:
            problem = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            yield Rejected(number, f"the line is not valid JSON ({problem})")
            continue
        vendor = _vendor(line)
        if vendor is None:
            yield Rejected(number, "not a webhook payload of Intercom, Help Scout or Front")
            continue
        line = clean_tree(line)  # lone surrogates from "\\ud800" escapes: SQLite refuses them
        if vendor == "intercom":
            yield from intercom.notification_records(number, line)
        elif vendor == "helpscout":
            yield from guarded(number, line, helpscout.conversation_records)
        else:
            yield from guarded(number, line, front.event_records)


FORMAT = Format(
    name="webhook-log",
    label="Webhook log (JSON Lines: Intercom, Help Scout, Front)",
    sniff=sniff,
    read=read,
    reads_lines=True,
)
