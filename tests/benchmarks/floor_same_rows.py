"""The import floor as issue #3 words it: parse the export with the standard json module and
insert the same rows savedesk stores, with sqlite3 executemany in one transaction.

"The same rows" are those a savedesk import of the benchmark export leaves in its tables:
teams, agents, customers, conversations, tags and their links, ratings, messages, each
conversation's reply times (kept by the import since revision 0009), and the rows of both
full-text indexes (whose text is spaced around Chinese characters, as savedesk
indexes it). They go into an empty database with savedesk's schema, made before the clock
starts, so its keys and indexes are maintained as savedesk's are. What the floor leaves out
is everything savedesk decides: format detection, upserts against stored rows, validation and
rejections, channel and role rules in general, churn-signal detection, the import log.

Run as `python -m tests.benchmarks.floor_same_rows EXPORT DB` (DB: an empty savedesk store).
`same_rows(export)` gives the rows batch by batch, for the PostgreSQL floor too
(floor_copy_rows.py).
"""

from __future__ import annotations

import gc
import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from datetime import datetime

_CJK = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff])"
)
_FLUSH_EVERY = 20000  # messages buffered between executemany calls


def _indexed(text: str) -> str:
    return " ".join(_CJK.split(text)) if _CJK.search(text) else text


class _Ids(dict):
    """External id -> row id, handing out the next id for one not seen before."""

    def __init__(self) -> None:
        super().__init__()
        self.new: list[tuple] = []

    def of(self, external_id, *extra) -> int:
        key = str(external_id)
        found = self.get(key)
        if found is None:
            found = self[key] = len(self) + 1
            self.new.append((found, "zendesk", key, *extra))
        return found


Batch = list[tuple[str, tuple[str, ...], list[tuple]]]  # (table, columns, rows), in order
SEARCH = ("conversation_id", "message_id", "body")  # search_messages rows as given: raw text
SUBJECTS = ("conversation_id", "subject")  # search_subjects rows as given: raw text
_PEOPLE = ("id", "source", "external_id")
_CONVERSATIONS = (
    "id",
    "source",
    "external_id",
    "number",
    "subject",
    "channel",
    "status",
    "created_at",
    "updated_at",
    "customer_id",
    "agent_id",
    "team_id",
    "message_count",
    "first_import_id",
    "last_import_id",
)
_RATINGS = (
    "conversation_id",
    "kind",
    "scale",
    "raw_value",
    "score",
    "positive",
    "source",
    "external_id",
)
_REPLY_TIMES = (
    "conversation_id",
    "created_at",
    "agent_id",
    "team_id",
    "channel",
    "resolved",
    "asked_at",
    "first_reply_s",
    "agent_replies",
)
_RESOLVED = ("solved", "closed", "resolved")
_MESSAGES = (
    "id",
    "conversation_id",
    "external_id",
    "kind",
    "author_role",
    "author_external_id",
    "is_internal",
    "created_at",
    "body_text",
    "body_html",
)


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def same_rows(export: str) -> Iterator[Batch]:
    """The rows a savedesk import of the benchmark export stores, a batch at a time (parents
    first); the search rows with their raw text, for each engine to index its own way."""
    teams, agents, customers, tags = _Ids(), _Ids(), _Ids(), {}
    new_tags: list[tuple] = []
    conversations, subjects, links, ratings, messages, search = [], [], [], [], [], []
    replies: list[tuple] = []
    message_id = 0

    def batch() -> Batch:
        out = [
            ("teams", _PEOPLE, teams.new),
            ("agents", _PEOPLE, agents.new),
            ("customers", _PEOPLE, customers.new),
            ("tags", ("id", "name"), new_tags),
            ("conversations", _CONVERSATIONS, conversations),
            ("conversation_tags", ("conversation_id", "tag_id", "origin"), links),
            ("ratings", _RATINGS, ratings),
            ("search_subjects", SUBJECTS, subjects),
            ("messages", _MESSAGES, messages),
            ("search_messages", SEARCH, search),
            ("reply_times", _REPLY_TIMES, replies),
        ]
        return [(table, columns, list(rows)) for table, columns, rows in out]

    def clear() -> None:
        for rows in (teams.new, agents.new, customers.new, new_tags, conversations, links):
            rows.clear()
        for rows in (ratings, subjects, messages, search, replies):
            rows.clear()

    with open(export, encoding="utf-8") as handle:
        for line in handle:
            t = json.loads(line)
            cid = t["id"]
            requester = str(t["requester_id"])
            conversations.append(
                (
                    cid,
                    "zendesk",
                    str(cid),
                    str(cid),
                    t["subject"],
                    t["via"]["channel"],
                    t["status"],
                    t["created_at"],
                    t["updated_at"],
                    customers.of(requester),
                    agents.of(t["assignee_id"]),
                    teams.of(t["group_id"]),
                    len(t["comments"]),
                    1,
                    1,
                )
            )
            subjects.append((cid, t["subject"]))
            for name in t["tags"]:
                tag = tags.get(name)
                if tag is None:
                    tag = tags[name] = len(tags) + 1
                    new_tags.append((tag, name))
                links.append((cid, tag, "helpdesk"))
            rating = t.get("satisfaction_rating")
            if rating:
                good = rating["score"] == "good"
                ratings.append(
                    (
                        cid,
                        "csat",
                        "good-bad",
                        rating["score"],
                        1.0 if good else 0.0,
                        int(good),
                        "zendesk",
                        str(rating["id"]),
                    )
                )
            asked = None  # the customer's first public message, and the agents' replies
            agent_times = []
            for c in t["comments"]:
                message_id += 1
                author = str(c["author_id"])
                body = c["plain_body"]
                if c["public"]:
                    if author == requester:
                        if asked is None or c["created_at"] < asked:
                            asked = c["created_at"]
                    else:
                        agent_times.append(c["created_at"])
                messages.append(
                    (
                        message_id,
                        cid,
                        str(c["id"]),
                        "message",
                        "customer" if author == requester else "agent",
                        author,
                        0 if c["public"] else 1,
                        c["created_at"],
                        body,
                        c["html_body"],
                    )
                )
                search.append((cid, message_id, body))
            if asked is not None or agent_times:
                replied = (
                    min((a for a in agent_times if a >= asked), default=None) if asked else None
                )
                replies.append(
                    (
                        cid,
                        t["created_at"],
                        agents.of(t["assignee_id"]),
                        teams.of(t["group_id"]),
                        t["via"]["channel"],
                        1 if t["status"] in _RESOLVED else 0,
                        asked,
                        _seconds(asked, replied) if replied else None,
                        len(agent_times),
                    )
                )
            if len(messages) >= _FLUSH_EVERY:
                yield batch()
                clear()
    yield batch()


def main(export: str, db_path: str) -> None:
    gc.disable()
    conn = sqlite3.connect(db_path)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = normal")
    conn.execute("pragma cache_size = -65536")
    conn.execute(
        "insert into imports (id, path, format, started_at, status) values (1, ?, ?, ?, ?)",
        [export, "zendesk_ndjson", "2024-01-01T00:00:00Z", "done"],
    )
    with conn:
        for batch in same_rows(export):
            for table, columns, rows in batch:
                if table == "search_messages":
                    columns = ("rowid", "body")
                    rows = [(c << 32 | m, _indexed(body)) for c, m, body in rows]
                elif table == "search_subjects":
                    columns = ("rowid", "subject")
                    rows = [(c, _indexed(subject)) for c, subject in rows]
                marks = ",".join("?" * len(columns))
                conn.executemany(
                    f"insert into {table} ({', '.join(columns)}) values ({marks})", rows
                )
    conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
