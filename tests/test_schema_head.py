"""A file at this savedesk's schema opens without Alembic, by a head read off the migration
files' names: that head must be the one Alembic computes from the revisions themselves."""

from __future__ import annotations

import subprocess
import sys

from review.store import migrate
from review.store.schema_head import schema_head


def test_the_head_read_off_the_file_names_is_alembics():
    assert schema_head() == migrate.head()
    assert schema_head() == migrate.chain()[-1]


def test_a_file_at_head_opens_without_sqlalchemy_or_alembic(tmp_path):
    db = tmp_path / "store.db"
    from review.store import open_store

    open_store(db).close()  # made and migrated: Alembic runs here
    probe = (
        "import sys; from review.store import open_store; "
        f"s = open_store({str(db)!r}); s.execute('select count(*) from conversations'); "
        "s.close(); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'psycopg') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
