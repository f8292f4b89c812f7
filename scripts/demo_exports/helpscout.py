"""The Help Scout export: one page of conversations with their threads embedded."""

from __future__ import annotations

import zlib
from datetime import timedelta

from .output import as_html, dump, iso
from .people import agent_index
from .scenarios import Convo
from .settings import EXPORTS
from .wording import PLANS

HS_STATUS = {"open": "active", "pending": "pending", "solved": "closed", "closed": "closed"}


def write_helpscout(convos: list[Convo]) -> None:
    """Write helpscout/conversations.json: threads newest first, as the API lists them."""
    items = []
    for c in convos:
        cid = 880000 + c.number
        customer = {"id": 51000 + c.customer.key, "email": c.customer.email}
        customer_person = {**customer, "type": "customer", "first": c.customer.name, "last": ""}
        agent = {
            "id": 4200 + agent_index(c.agent),
            "type": "user",
            "first": c.agent[0],
            "last": "",
            "email": f"{c.agent[1]}@tasklane.io",
        }
        threads = []
        for i, t in enumerate(c.turns):
            kind = {"customer": "customer", "note": "note"}.get(t.role, "reply")
            if c.channel in ("chat", "phone") and t.role in ("customer", "agent"):
                kind = c.channel
            by_customer = t.role == "customer"
            threads.append(
                {
                    "id": cid * 100 + i,
                    "type": kind,
                    "status": "active",
                    "state": "published",
                    "action": None,
                    "body": as_html(t.text),
                    "source": {
                        "type": "email" if c.channel == "email" else "web",
                        "via": "customer" if by_customer else "user",
                    },
                    "customer": customer,
                    "createdBy": customer_person if by_customer else agent,
                    "assignedTo": agent,
                    "to": [],
                    "cc": [],
                    "bcc": [],
                    "createdAt": iso(t.at),
                    "openedAt": iso(t.at + timedelta(minutes=3)),
                    "_embedded": {"attachments": []},
                }
            )
            if i == 0:
                threads.append(
                    {
                        "id": cid * 100 + 90,
                        "type": "lineitem",
                        "status": "active",
                        "state": "published",
                        "action": {"type": "manual-workflow", "text": f"Assigned to {c.agent[0]}"},
                        "body": None,
                        "source": {"type": "web", "via": "user"},
                        "createdBy": agent,
                        "assignedTo": agent,
                        "createdAt": iso(t.at + timedelta(seconds=40)),
                    }
                )
        threads.sort(key=lambda t: t["createdAt"], reverse=True)  # the API lists newest first
        closed = c.status in ("solved", "closed")
        items.append(
            {
                "id": cid,
                "number": c.number,
                "threads": len(threads),
                "type": c.channel,
                "folderId": 1,
                "status": HS_STATUS[c.status],
                "state": "published",
                "subject": c.subject,
                "preview": c.turns[0].text[:80],
                "mailboxId": 101 if c.lang == "zh_hans" else 102,
                "assignee": agent,
                "createdBy": customer_person,
                "createdAt": iso(c.created),
                "closedBy": agent["id"] if closed else 0,
                "closedAt": iso(c.turns[-1].at) if closed else None,
                "userUpdatedAt": iso(c.turns[-1].at),
                "customerWaitingSince": {
                    "time": iso(c.turns[-1].at),
                    "friendly": "",
                    "latestReplyFrom": "user",
                },
                "source": {"type": c.channel, "via": "customer"},
                "tags": [
                    {"id": zlib.crc32(t.encode()) % 10**5, "color": "#929499", "tag": t}
                    for t in c.tags
                ],
                "cc": [],
                "bcc": [],
                "primaryCustomer": customer_person,
                "customFields": [
                    {
                        "id": 8101,
                        "name": "Plan",
                        "value": PLANS[c.customer.plan],
                        "text": PLANS[c.customer.plan],
                    }
                ],
                "_embedded": {"threads": threads},
            }
        )
    dump(
        EXPORTS / "helpscout" / "conversations.json",
        {
            "_embedded": {"conversations": items},
            "_links": {
                "self": {"href": "https://api.helpscout.net/v2/conversations?embed=threads"}
            },
            "page": {"size": len(items), "totalElements": len(items), "totalPages": 1, "number": 1},
        },
    )
