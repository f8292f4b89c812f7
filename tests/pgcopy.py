"""A PostgreSQL copy of a savedesk SQLite file: the same rows under the same ids, and search
documents of the same words (for the tests that set one engine against the other).

The server database must be migrated (a copy of the suite's template); what it holds is
replaced. Foreign keys
are not checked while the rows go in (the file already holds them whole), and each id sequence
is moved past the largest id copied, so both stores hand out the same next ids.
"""

from __future__ import annotations

import os

from review.store import connect
from review.store.search import index_text
from review.store.server_store import ServerStore
from review.store.tokens import words

_NOT_COPIED = {"alembic_version", "search_messages", "search_subjects"}


def document(text: str | None) -> str:
    """A tsvector literal of the words FTS5 indexes in `text`, with their positions."""
    positions: dict[str, list[str]] = {}
    for at, word in enumerate(words(index_text(text)), 1):
        positions.setdefault(word, []).append(str(min(at, 16383)))
    return " ".join(
        "'" + word.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(where[:256])
        for word, where in positions.items()
    )


def copy_to_server(path: str | os.PathLike, url: str) -> None:
    """Copy every table of the SQLite file at `path` into the server database at `url`."""
    source = connect(path, read_only=True)
    target = connect(url)
    assert isinstance(target, ServerStore)
    try:
        with target.atomic():
            target.execute("set local session_replication_role = replica")  # no FK triggers
            for table in sorted(target.tables() - _NOT_COPIED):
                types = dict(
                    target.execute(
                        "select column_name, data_type from information_schema.columns "
                        "where table_schema = current_schema() and table_name = :t "
                        "order by ordinal_position",
                        {"t": table},
                    ).fetchall()
                )
                columns = list(types)
                names = ", ".join(columns)
                target.execute(f"delete from {table}")  # the rows the migrations seed
                rows = source.execute(f"select {names} from {table}").fetchall()
                if rows:
                    target.executemany(
                        f"insert into {table} ({names}) values "
                        f"({', '.join(':' + c for c in columns)})",
                        [dict(zip(columns, row, strict=True)) for row in rows],
                    )
                if types.get("id") in ("integer", "bigint"):
                    target.execute(
                        f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((select max(id) from {table}), 0) + 1, false)"
                    )
            target.executemany(
                "insert into search_messages (message_id, conversation_id, document) "
                "values (:m, :c, cast(:d as tsvector))",
                [
                    {"m": m, "c": c, "d": document(body)}
                    for m, c, body in source.execute(
                        "select id, conversation_id, body_text from messages where body_text != ''"
                    )
                ],
            )
            target.executemany(
                "insert into search_subjects (conversation_id, document) "
                "values (:c, cast(:d as tsvector))",
                [
                    {"c": c, "d": document(subject)}
                    for c, subject in source.execute(
                        "select id, subject from conversations where subject != ''"
                    )
                ],
            )
    finally:
        source.close()
        target.close()
