"""The PostgreSQL import floor: parse the export with the standard json module and COPY the same
rows savedesk stores (floor_same_rows.same_rows) into an empty savedesk database on the server,
with its indexes dropped first and built again at the end, in one transaction.

The search documents are built as savedesk builds them (review.store.search_rows.document: a
tsvector of FTS5's words), which is part of the rows. What the floor leaves out is what savedesk
decides (as floor_same_rows says) and the per-batch index upkeep that an import into a store
already holding data cannot skip.

Run as `python -m tests.benchmarks.floor_copy_rows EXPORT URL` (URL: an empty savedesk store).
"""

from __future__ import annotations

import gc
import sys

import psycopg

from review.store.search_rows import document
from tests.benchmarks.floor_same_rows import same_rows


def main(export: str, url: str) -> None:
    gc.disable()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        indexes = conn.execute(
            "select i.indexname, i.indexdef from pg_indexes i "
            "where i.schemaname = current_schema() and not exists ("
            "  select 1 from pg_constraint c where c.conname = i.indexname)"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'drop index "{name}"')
        conn.execute(
            "insert into imports (id, path, format, started_at, status) "
            "values (1, %s, 'zendesk_ndjson', '2024-01-01T00:00:00Z', 'done')",
            [export],
        )
        with conn.cursor() as cursor:
            for batch in same_rows(export):
                for table, columns, rows in batch:
                    if table == "search_messages":
                        columns = ("message_id", "conversation_id", "document")
                        rows = [(m, c, document(body)) for c, m, body in rows]
                    elif table == "search_subjects":
                        columns = ("conversation_id", "document")
                        rows = [(c, document(subject)) for c, subject in rows]
                    with cursor.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
                        for row in rows:
                            copy.write_row(row)
        for _, definition in indexes:
            conn.execute(definition)


if __name__ == "__main__":
    main(*sys.argv[1:3])
