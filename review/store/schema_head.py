"""The schema revision this savedesk writes, known without Alembic.

Each revision's file in migrations/versions is named after its revision id (`0014_team_speed.py`
holds revision "0014") and the chain only grows, so the head is the highest-numbered file.
review.store.migrate.head() asks Alembic itself; tests/test_schema_head.py holds the two equal.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

VERSIONS = Path(__file__).with_name("migrations") / "versions"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


@functools.cache
def schema_head() -> str:
    """The revision id of the newest migration ("" when there is none)."""
    found = [m.group(1) for p in VERSIONS.iterdir() if (m := _REVISION_FILE.match(p.name))]
    return max(found, default="")
