"""The layers of STYLE.md section 1 that import-linter cannot see: SQL lives in review/ only."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL = re.compile(
    r"\.execute(many)?\s*\(|\b(db|conn|database)\.query\s*\(|\bselect\b.+\bfrom\s+\w|\binsert\s+(or\s+\w+\s+)?into\b"
    r"|\bupdate\s+\w+\s+set\b|\bdelete\s+from\b|\bcreate\s+(table|index|virtual)\b",
    re.IGNORECASE,
)


def test_no_sql_outside_review():
    offenders = []
    for package in ("desktop", "reports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if SQL.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "SQL outside review/:\n" + "\n".join(offenders)


def test_the_rule_catches_sql():
    assert SQL.search('db.execute("select 1")')
    assert SQL.search("cursor = conn.executemany(sql, rows)")
    assert SQL.search('"SELECT id FROM conversations"')
    assert SQL.search("rows = db.query(sql)")
    assert not SQL.search("count(self.db, view.query())")
    assert not SQL.search("selection = view.selectionModel()")
    assert not SQL.search('label = "Select a conversation"')
