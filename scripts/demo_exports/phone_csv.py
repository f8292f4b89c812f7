"""The generic CSV export: the phone system's log, one row per message."""

from __future__ import annotations

import csv
import io

from .output import iso
from .scenarios import Convo
from .settings import EXPORTS

CSV_COLUMNS = [
    "conversation_id",
    "created_at",
    "channel",
    "status",
    "subject",
    "customer_name",
    "customer_email",
    "agent_name",
    "agent_email",
    "team",
    "author_role",
    "author_name",
    "internal",
    "body",
    "csat",
    "nps",
]


def write_csv(convos: list[Convo]) -> None:
    """Write csv/phone-log.csv (CRLF line ends, UTF-8 without BOM); CSAT and NPS on the last row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in convos:
        for i, t in enumerate(c.turns):
            last = i == len(c.turns) - 1
            is_customer = t.role == "customer"
            writer.writerow(
                [
                    f"PH-{c.number:04d}",
                    iso(t.at),
                    c.channel,
                    c.status,
                    c.subject,
                    c.customer.name,
                    c.customer.email,
                    c.agent[0],
                    f"{c.agent[1]}@tasklane.io",
                    c.agent[2],
                    "customer" if is_customer else "agent",
                    c.customer.name if is_customer else c.agent[0],
                    "true" if t.role == "note" else "false",
                    t.text,
                    ("" if c.csat is None else ("5" if c.csat else "2")) if last else "",
                    ("" if c.nps is None else str(c.nps)) if last else "",
                ]
            )
    path = EXPORTS / "csv" / "phone-log.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode("utf-8"))
