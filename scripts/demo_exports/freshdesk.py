"""The Freshdesk export: tickets, conversations, satisfaction ratings, and agents and groups
as Airbyte's Freshdesk connector writes them (JSON Lines).
"""

from __future__ import annotations

import random
from datetime import timedelta

from .output import as_html, dump, dump_lines, epoch, iso
from .people import AGENTS, TEAMS, agent_index
from .scenarios import Convo
from .settings import EXPORTS, NOW, SEED
from .wording import PLANS

FD_STATUS = {"open": 2, "pending": 3, "solved": 4, "closed": 5}


def write_freshdesk(convos: list[Convo]) -> None:
    """Write freshdesk/: tickets, conversations, satisfaction ratings and airbyte-agents-groups.jsonl."""
    rng = random.Random(SEED + 3)
    tickets, entries, ratings = [], [], []
    for c in convos:
        requester = 77000000 + c.customer.key
        responder = 77100000 + agent_index(c.agent)
        first, rest = c.turns[0], c.turns[1:]
        first_reply = next((t.at for t in rest if t.role == "agent"), None)
        closed = c.status in ("solved", "closed")
        tickets.append(
            {
                "cc_emails": [],
                "fwd_emails": [],
                "reply_cc_emails": [],
                "fr_escalated": False,
                "spam": False,
                "email_config_id": 77000012 if c.channel == 1 else None,
                "group_id": TEAMS[c.agent[2]],
                "priority": 3 if "complaint" in c.tags else 1,
                "requester_id": requester,
                "responder_id": responder,
                "source": c.channel,
                "company_id": None,
                "status": FD_STATUS[c.status],
                "subject": c.subject,
                "to_emails": None,
                "product_id": None,
                "id": c.number,
                "type": "Incident" if "bug" in c.tags else "Question",
                "due_by": iso(c.created + timedelta(days=3)),
                "fr_due_by": iso(c.created + timedelta(hours=8)),
                "is_escalated": False,
                "description": as_html(first.text),
                "description_text": first.text,
                "custom_fields": {"cf_plan": PLANS[c.customer.plan]},
                "created_at": iso(c.created),
                "updated_at": iso(c.turns[-1].at),
                "tags": c.tags,
                "attachments": [],
                "requester": {
                    "id": requester,
                    "name": c.customer.name,
                    "email": c.customer.email,
                    "mobile": None,
                    "phone": None,
                },
                "stats": {
                    "first_responded_at": iso(first_reply) if first_reply else None,
                    "resolved_at": iso(c.turns[-1].at) if closed else None,
                    "closed_at": iso(c.turns[-1].at) if c.status == "closed" else None,
                },
            }
        )
        for i, t in enumerate(rest):
            incoming = t.role == "customer"
            entries.append(
                {
                    "body": as_html(t.text),
                    "body_text": t.text,
                    "id": c.number * 100 + i,
                    "incoming": incoming,
                    "private": t.role == "note",
                    "user_id": requester if incoming else responder,
                    "support_email": None if incoming else "support@tasklane.ru",
                    "source": 2 if t.role == "note" else 0,
                    "ticket_id": c.number,
                    "to_emails": [] if t.role == "note" else [c.customer.email],
                    "from_email": None,
                    "cc_emails": [],
                    "bcc_emails": [],
                    "created_at": iso(t.at),
                    "updated_at": iso(t.at),
                    "attachments": [],
                }
            )
        if c.csat is not None:
            value = rng.choice([101, 102, 103, 103]) if c.csat else rng.choice([-103, -102, 100])
            ratings.append(
                {
                    "id": 9100000 + c.number,
                    "survey_id": 77000001,
                    "user_id": requester,
                    "agent_id": responder,
                    "feedback": c.csat_comment,
                    "group_id": TEAMS[c.agent[2]],
                    "ticket_id": c.number,
                    "ratings": {"default_question": value},
                    "created_at": iso(c.turns[-1].at + timedelta(hours=rng.randint(1, 20))),
                    "updated_at": iso(c.turns[-1].at + timedelta(hours=21)),
                }
            )
    folder = EXPORTS / "freshdesk"
    dump(folder / "tickets.json", tickets)
    dump(folder / "conversations.json", entries)
    dump(folder / "satisfaction_ratings.json", ratings)
    agents = [a for a in AGENTS if a[3] == "freshdesk"]
    stamp = epoch(NOW) * 1000
    records = [
        {
            "available": True,
            "occasional": False,
            "id": 77100000 + agent_index(a),
            "signature": None,
            "ticket_scope": 1,
            "group_ids": [TEAMS[a[2]]],
            "role_ids": [],
            "created_at": "2024-03-01T08:00:00Z",
            "updated_at": "2026-06-01T08:00:00Z",
            "contact": {
                "active": True,
                "email": f"{a[1]}@tasklane.io",
                "job_title": "Специалист поддержки",
                "language": "ru",
                "mobile": None,
                "name": a[0],
                "phone": None,
                "time_zone": "Moscow",
            },
        }
        for a in agents
    ]
    group = {
        "id": TEAMS["International"],
        "name": "International",
        "description": "Поддержка на русском языке",
        "escalate_to": None,
        "unassigned_for": "30m",
        "business_hours_id": None,
        "group_type": "support_agent_group",
        "agent_ids": [77100000 + agent_index(a) for a in agents],
        "auto_ticket_assign": False,
        "created_at": "2024-03-01T08:00:00Z",
        "updated_at": "2026-06-01T08:00:00Z",
    }
    # Agents and groups as Airbyte's Freshdesk connector writes them (JSON Lines).
    dump_lines(
        folder / "airbyte-agents-groups.jsonl",
        [{"stream": "agents", "data": r, "emitted_at": stamp} for r in records]
        + [{"stream": "groups", "data": group, "emitted_at": stamp}],
    )
