"""Every export fixture of the suite, imported twice: the second import adds nothing, updates
nothing and leaves every stored row as the first left it (issue 11: "re-importing any fixture
reports 0 added and 0 updated")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import import_paths, stored_rows

DATA = Path(__file__).parent / "data"
NOT_EXPORTS = {"autoqa", "legacy", "__pycache__"}
FIXTURES = sorted(
    path
    for path in DATA.rglob("*")
    if path.is_file()
    and not NOT_EXPORTS & set(path.relative_to(DATA).parts)
    and path.suffix != ".py"
    and path.name != "churn_labelled.csv"  # the churn phrases' labelled set, no export
)
TABLES = ("conversations", "messages", "customers", "agents", "teams", "conversation_tags")


def _stored(db_path) -> dict[str, list[tuple]]:
    return {table: stored_rows(db_path, f"select * from {table} order by 1") for table in TABLES}


def test_the_fixtures_are_found():
    folders = {path.relative_to(DATA).parts[0] for path in FIXTURES}
    assert folders == {"csv", "freshdesk", "front", "helpscout", "intercom", "twitter", "zendesk"}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(DATA)))
def test_a_second_import_adds_and_updates_nothing(db_path, path):
    first = import_paths(db_path, path)
    before = _stored(db_path)
    again = import_paths(db_path, path)
    assert [f.error for f in again.files] == [f.error for f in first.files]
    assert [(f.added, f.updated) for f in again.files] == [(0, 0)] * len(again.files)
    assert _stored(db_path) == before
