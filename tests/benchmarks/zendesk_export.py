"""Writes a synthetic Zendesk full-export NDJSON file (one ticket per line, comments embedded)."""

from __future__ import annotations

import json
import random
from pathlib import Path

_PHRASES = [
    "I was charged twice this month, can you refund the second payment?",
    "How do I export my projects to CSV before the trial ends?",
    "Мы хотим перейти на годовой тариф, как это сделать?",
    "我们的团队无法登录，显示密码错误，请尽快处理。",
    "請問如何取消自動續訂？",
    "Thanks, that fixed it. Have a great day!",
    "Could you explain why the invoice shows VAT twice?",
    "The sync with Google Calendar stopped working yesterday.",
]


def write_export(
    path: Path, tickets: int, comments_per_ticket: int, seed: int = 7, long_ticket: int = 0
) -> int:
    """Write `tickets` tickets with `comments_per_ticket` comments each (ticket 1 gets
    `long_ticket` comments when that is larger); return the comments written."""
    rng = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for t in range(1, tickets + 1):
            requester = 100000 + t % 20000
            agent = 900 + t % 40
            comments = []
            count = max(comments_per_ticket, long_ticket) if t == 1 else comments_per_ticket
            for c in range(count):
                body = rng.choice(_PHRASES) + f" (ref {t}-{c})"
                author = requester if c % 2 == 0 else agent
                comments.append(
                    {
                        "id": t * 100 + c,
                        "type": "Comment",
                        "author_id": author,
                        "body": body,
                        "html_body": f'<div class="zd-comment"><p>{body}</p></div>',
                        "plain_body": body,
                        "public": c % 7 != 3,
                        "attachments": [],
                        "created_at": f"2024-{1 + t % 12:02d}-{1 + t % 28:02d}T{c % 24:02d}:{t % 60:02d}:00Z",
                    }
                )
            written += len(comments)
            ticket = {
                "url": f"https://example.zendesk.com/api/v2/tickets/{t}.json",
                "id": t,
                "created_at": comments[0]["created_at"],
                "updated_at": comments[-1]["created_at"],
                "subject": f"Ticket {t}: " + rng.choice(_PHRASES)[:40],
                "description": comments[0]["body"],
                "status": rng.choice(["open", "pending", "solved", "closed"]),
                "requester_id": requester,
                "submitter_id": requester,
                "assignee_id": agent,
                "group_id": 50 + t % 3,
                "tags": ["billing"] if t % 3 == 0 else ["howto"],
                "via": {"channel": rng.choice(["email", "web", "chat"])},
                "custom_fields": [],
                "satisfaction_rating": {"id": t, "score": "good"}
                if t % 5 == 0
                else ({"id": t, "score": "bad"} if t % 11 == 0 else None),
                "comments": comments,
            }
            out.write(json.dumps(ticket, ensure_ascii=False))
            out.write("\n")
    return written


def write_comments_jsonl(export: Path, path: Path) -> None:
    """The same comments flattened one per line, for `sqlite-utils insert --nl`."""
    with open(export, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
        for line in src:
            ticket = json.loads(line)
            for c in ticket["comments"]:
                row = {
                    k: c[k]
                    for k in ("id", "author_id", "body", "html_body", "public", "created_at")
                }
                row["ticket_id"] = ticket["id"]
                out.write(json.dumps(row, ensure_ascii=False))
                out.write("\n")
