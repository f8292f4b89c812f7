"""The Zendesk export: tickets with comments and users as NDJSON, agents with groups."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from .output import as_html, dump, dump_lines, iso
from .people import AGENTS, TEAMS, Customer, agent_index
from .scenarios import Convo
from .settings import EXPORTS, SEED
from .wording import PLANS

ZD_CUSTOMER, ZD_AGENT = 36190000000, 36180000000
ZD_STATUS = {"open": "open", "pending": "pending", "solved": "solved", "closed": "closed"}


def write_zendesk(convos: list[Convo], customers: list[Customer]) -> None:
    """Write zendesk/: tickets.ndjson (full export), users.ndjson, agents.json.

    users.ndjson lists only these tickets' requesters; customers is accepted but not read.
    """
    rng = random.Random(SEED + 1)
    tickets, seen = [], {}
    for c in convos:
        requester, assignee = ZD_CUSTOMER + c.customer.key, ZD_AGENT + agent_index(c.agent)
        seen[c.customer.key] = c.customer
        comments = []
        for i, t in enumerate(c.turns):
            author = requester if t.role == "customer" else assignee
            comments.append(
                {
                    "id": c.number * 100 + i,
                    "type": "Comment",
                    "author_id": author,
                    "body": t.text,
                    "html_body": as_html(t.text, ' class="zd-comment" dir="auto"'),
                    "plain_body": t.text,
                    "public": t.role != "note",
                    "attachments": [],
                    "audit_id": c.number * 1000 + i,
                    "via": {"channel": c.channel if i == 0 else "web", "source": {"rel": None}},
                    "created_at": iso(t.at),
                    "metadata": {"system": {"client": "Mozilla/5.0"}, "custom": {}},
                }
            )
        rating = {"score": "unoffered"}
        if c.csat is not None:
            rating = {
                "id": c.number * 7,
                "score": "good" if c.csat else "bad",
                "comment": c.csat_comment,
                "created_at": iso(c.turns[-1].at + timedelta(hours=rng.randint(1, 30))),
            }
        elif c.status in ("solved", "closed"):
            rating = {"score": "offered"}
        updated = c.turns[-1].at
        tickets.append(
            {
                "url": f"https://tasklane.zendesk.com/api/v2/tickets/{c.number}.json",
                "id": c.number,
                "via": {"channel": c.channel, "source": {"from": {}, "to": {}, "rel": None}},
                "created_at": iso(c.created),
                "updated_at": iso(updated),
                "type": "incident" if "bug" in c.tags else "question",
                "subject": c.subject,
                "raw_subject": c.subject,
                "description": c.turns[0].text,
                "priority": "high" if "complaint" in c.tags else "normal",
                "status": ZD_STATUS[c.status],
                "recipient": "support@tasklane.io",
                "requester_id": requester,
                "submitter_id": requester,
                "assignee_id": assignee,
                "organization_id": None,
                "group_id": TEAMS[c.agent[2]],
                "collaborator_ids": [],
                "is_public": True,
                "tags": c.tags,
                "custom_fields": [{"id": 360011, "value": PLANS[c.customer.plan].lower()}],
                "satisfaction_rating": rating,
                "comments": comments,
            }
        )
    dump_lines(EXPORTS / "zendesk" / "tickets.ndjson", tickets)
    agents = [
        {
            "id": ZD_AGENT + agent_index(a),
            "url": f"https://tasklane.zendesk.com/api/v2/users/{ZD_AGENT + agent_index(a)}.json",
            "name": a[0],
            "email": f"{a[1]}@tasklane.io",
            "role": "agent",
            "active": True,
            "default_group_id": TEAMS[a[2]],
            "time_zone": "London",
            "created_at": "2024-02-01T09:00:00Z",
        }
        for a in AGENTS
        if a[3] == "zendesk"
    ]
    users = [
        {
            "id": ZD_CUSTOMER + cu.key,
            "url": f"https://tasklane.zendesk.com/api/v2/users/{ZD_CUSTOMER + cu.key}.json",
            "name": cu.name,
            "email": cu.email,
            "role": "end-user",
            "active": True,
            "organization_id": None,
            "created_at": iso(datetime.combine(cu.since, datetime.min.time(), UTC)),
        }
        for cu in seen.values()
    ]
    dump_lines(EXPORTS / "zendesk" / "users.ndjson", users)
    groups = [
        {
            "url": f"https://tasklane.zendesk.com/api/v2/groups/{gid}.json",
            "id": gid,
            "name": name,
            "description": "",
            "default": gid == 1001,
            "deleted": False,
            "created_at": "2024-02-01T09:00:00Z",
            "updated_at": "2026-03-12T10:21:00Z",
        }
        for name, gid in TEAMS.items()
        if name != "International"
    ]
    # The agents with their groups side-loaded: GET /api/v2/users.json?role=agent&include=groups
    dump(
        EXPORTS / "zendesk" / "agents.json",
        {
            "users": agents,
            "groups": groups,
            "next_page": None,
            "previous_page": None,
            "count": len(agents),
        },
    )
