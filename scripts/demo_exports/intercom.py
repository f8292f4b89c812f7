"""The Intercom export: conversations with parts (a bot hands some over), admins, teams."""

from __future__ import annotations

import random
import zlib
from datetime import timedelta

from .output import as_html, dump, epoch
from .people import AGENTS, TEAMS, agent_index
from .scenarios import Convo
from .settings import EXPORTS, SEED
from .wording import PLANS


def write_intercom(convos: list[Convo]) -> None:
    """Write intercom/: conversations.json (a list page), admins.json and teams.json."""
    rng = random.Random(SEED + 2)
    items = []
    for c in convos:
        contact = f"6571{c.customer.key:08x}"
        admin = {"type": "admin", "id": str(7000 + agent_index(c.agent)), "name": c.agent[0]}
        admin["email"] = f"{c.agent[1]}@tasklane.io"
        user = {"type": "user", "id": contact, "name": c.customer.name, "email": c.customer.email}
        bot = {"type": "bot", "id": "7999", "name": "Fin", "email": "operator+tasklane@intercom.io"}
        first, rest = c.turns[0], c.turns[1:]
        parts = []
        for i, t in enumerate(rest):
            author = {"customer": user, "bot": bot}.get(t.role, admin)
            parts.append(
                {
                    "type": "conversation_part",
                    "id": str(c.number * 1000 + i),
                    "part_type": "note" if t.role == "note" else "comment",
                    "body": as_html(t.text)[5:-6],
                    "created_at": epoch(t.at),
                    "updated_at": epoch(t.at),
                    "notified_at": epoch(t.at),
                    "assigned_to": None,
                    "author": author,
                    "attachments": [],
                    "redacted": False,
                }
            )
            if t.role == "bot" and i > 0 and rest[i - 1].role == "customer" and i + 1 < len(rest):
                parts.append(
                    {
                        "type": "conversation_part",
                        "id": str(c.number * 1000 + 500 + i),
                        "part_type": "assignment",
                        "body": None,
                        "created_at": epoch(t.at),
                        "updated_at": epoch(t.at),
                        "notified_at": epoch(t.at),
                        "assigned_to": {"type": "team", "id": str(TEAMS[c.agent[2]])},
                        "author": bot,
                        "attachments": [],
                        "redacted": False,
                    }
                )
        closed = c.status in ("solved", "closed")
        if closed:
            end = c.turns[-1].at + timedelta(minutes=rng.randint(1, 30))
            parts.append(
                {
                    "type": "conversation_part",
                    "id": str(c.number * 1000 + 999),
                    "part_type": "close",
                    "body": None,
                    "created_at": epoch(end),
                    "updated_at": epoch(end),
                    "notified_at": epoch(end),
                    "assigned_to": None,
                    "author": admin,
                    "attachments": [],
                    "redacted": False,
                }
            )
        rating = None
        if c.csat is not None:
            rating = {
                "rating": rng.choice([4, 5, 5]) if c.csat else rng.choice([1, 2, 3]),
                "remark": c.csat_comment,
                "created_at": epoch(c.turns[-1].at + timedelta(minutes=rng.randint(5, 600))),
                "contact": {"type": "contact", "id": contact},
                "teammate": {"type": "admin", "id": admin["id"]},
            }
        source_type = c.channel
        items.append(
            {
                "type": "conversation",
                "id": str(c.number),
                "title": c.subject,
                "created_at": epoch(c.created),
                "updated_at": parts[-1]["created_at"] if parts else epoch(c.turns[-1].at),
                "waiting_since": None if closed else epoch(c.turns[-1].at),
                "snoozed_until": None,
                "open": not closed,
                "state": "closed" if closed else "open",
                "read": True,
                "priority": "priority" if "complaint" in c.tags else "not_priority",
                "admin_assignee_id": int(admin["id"]),
                "team_assignee_id": str(TEAMS[c.agent[2]]),
                "tags": {
                    "type": "tag.list",
                    "tags": [
                        {"type": "tag", "id": str(zlib.crc32(t.encode()) % 10**6), "name": t}
                        for t in c.tags
                    ],
                },
                "source": {
                    "type": source_type,
                    "id": str(c.number * 10),
                    "delivered_as": "customer_initiated",
                    "subject": "",
                    "body": as_html(first.text)[5:-6],
                    "author": user,
                    "attachments": [],
                    "url": None,
                    "redacted": False,
                },
                "contacts": {
                    "type": "contact.list",
                    "contacts": [
                        {"type": "contact", "id": contact, "external_id": f"cus_{c.customer.key}"}
                    ],
                },
                "teammates": {
                    "type": "admin.list",
                    "admins": [{"type": "admin", "id": admin["id"]}],
                },
                "conversation_rating": rating,
                "custom_attributes": {"Plan": PLANS[c.customer.plan]},
                "conversation_parts": {
                    "type": "conversation_part.list",
                    "conversation_parts": parts,
                    "total_count": len(parts),
                },
            }
        )
    dump(
        EXPORTS / "intercom" / "conversations.json",
        {
            "type": "conversation.list",
            "conversations": items,
            "total_count": len(items),
            "pages": {"type": "pages", "page": 1, "per_page": len(items), "total_pages": 1},
        },
    )
    admins = [
        {
            "type": "admin",
            "id": str(7000 + agent_index(a)),
            "name": a[0],
            "email": f"{a[1]}@tasklane.io",
            "away_mode_enabled": False,
            "has_inbox_seat": True,
            "team_ids": [TEAMS[a[2]]],
        }
        for a in AGENTS
        if a[3] == "intercom"
    ]
    dump(EXPORTS / "intercom" / "admins.json", {"type": "admin.list", "admins": admins})
    teams = [
        {"type": "team", "id": str(gid), "name": name, "admin_ids": []}
        for name, gid in TEAMS.items()
        if name == "Customer Care"
    ]
    dump(EXPORTS / "intercom" / "teams.json", {"type": "team.list", "teams": teams})
