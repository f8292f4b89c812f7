"""A lower reference than the floor: stdlib json per line + sqlite3 executemany of two plain
tables (tickets, comments) in one transaction: no search index, no keys, no people.

Run as `python -m tests.benchmarks.floor_plain EXPORT DB`.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import sys


def main(export: str, db_path: str) -> None:
    gc.disable()
    conn = sqlite3.connect(db_path)
    conn.execute("pragma journal_mode = wal")
    conn.execute(
        "create table tickets (id integer primary key, subject text, status text, "
        "created_at text, updated_at text, requester_id text, assignee_id text)"
    )
    conn.execute(
        "create table comments (id integer primary key, ticket_id integer, author_id text, "
        "public integer, created_at text, body text, html_body text)"
    )
    tickets, comments = [], []
    with conn:
        with open(export, encoding="utf-8") as handle:
            for line in handle:
                t = json.loads(line)
                tickets.append(
                    (
                        t["id"],
                        t["subject"],
                        t["status"],
                        t["created_at"],
                        t["updated_at"],
                        str(t["requester_id"]),
                        str(t["assignee_id"]),
                    )
                )
                for c in t["comments"]:
                    comments.append(
                        (
                            c["id"],
                            t["id"],
                            str(c["author_id"]),
                            int(c["public"]),
                            c["created_at"],
                            c["plain_body"],
                            c["html_body"],
                        )
                    )
                if len(comments) >= 20000:
                    conn.executemany("insert into tickets values (?,?,?,?,?,?,?)", tickets)
                    conn.executemany("insert into comments values (?,?,?,?,?,?,?)", comments)
                    tickets.clear()
                    comments.clear()
        conn.executemany("insert into tickets values (?,?,?,?,?,?,?)", tickets)
        conn.executemany("insert into comments values (?,?,?,?,?,?,?)", comments)
    conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
