"""`savedesk demo` on a PostgreSQL server and on a SQLite file, then `savedesk stats --json`,
`savedesk search` (退款, отмен, refund) and every `savedesk report`: the same figures and hits on
both (issue 14, Done when). Reports are compared by the text of their pages, not their bytes.

Runs in the PostgreSQL pass only (SAVEDESK_TEST_STORE=postgresql: make test-pg, .ci/run); the
SQLite-only pass skips it rather than start a server.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from click.testing import CliRunner

from tests.conftest import ON_SERVER

pytestmark = pytest.mark.skipif(not ON_SERVER, reason="needs the PostgreSQL pass (make test-pg)")

SEARCHES = ("退款", "отмен", "refund")


def savedesk(*args: str) -> str:
    from desktop.cli import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def both(tmp_path_factory, pg_server, pg_databases, _migrated_template):
    """(the SQLite demo's path, the server demo's URL), each built by `savedesk demo`."""
    folder = tmp_path_factory.mktemp("engines")
    path = folder / "demo.db"
    savedesk("demo", "--db", str(path))
    url = pg_server.url(pg_databases.create(_migrated_template[2], keep=True))
    said = savedesk("demo", "--db", url)
    assert "Demo database ready" in said
    return path, url


def _close(a, b, where: str = "") -> None:
    """a and b equal, floats to 1e-9 relative (the engines sum in their own order)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for key in a:
            _close(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9), (where, a, b)
    else:
        assert a == b, (where, a, b)


def test_stats_give_the_same_figures(both):
    path, url = both
    on_file = json.loads(savedesk("stats", "--json", "--db", str(path)))
    on_server = json.loads(savedesk("stats", "--json", "--db", url))
    assert on_file["conversations"] > 100
    _close(on_file, on_server, "stats")


@pytest.mark.parametrize("words", SEARCHES)
def test_search_gives_the_same_hits(both, words):
    path, url = both
    on_file = [json.loads(line) for line in savedesk("search", words, "--json", "--limit",
                                                     "500", "--db", str(path)).splitlines()]  # fmt: skip
    on_server = [json.loads(line) for line in savedesk("search", words, "--json", "--limit",
                                                       "500", "--db", url).splitlines()]  # fmt: skip
    assert on_file, f"the demo has conversations with {words}"
    assert on_server == on_file


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _figures_of(text: str, *stores: str) -> list[str]:
    # the store each was built from is named on the page; the rest must be word for word
    for store in stores:
        text = text.replace(store, "<store>")
    return [line for line in (" ".join(x.split()) for x in text.splitlines()) if line]


@pytest.mark.parametrize("kind", ["saved-revenue", "quality", "coaching"])
def test_every_report_gives_the_same_figures(both, kind, tmp_path):
    from review.reviewing.browse import agents
    from review.store import connect, parse_target

    path, url = both
    extra: list[str] = []
    if kind == "coaching":
        db = connect(path)
        try:
            extra = ["--agent", agents(db)[0].name]
        finally:
            db.close()
    texts = []
    for name, target in (("file", str(path)), ("server", url)):
        out = tmp_path / f"{name}.pdf"
        savedesk("report", kind, "--db", target, "-o", str(out), *extra)
        texts.append(_pdf_text(out))
    stores = [str(path), parse_target(url).describe()]
    on_file, on_server = (_figures_of(t, *stores) for t in texts)
    assert len(on_file) > 10 and any(re.search(r"\d", line) for line in on_file)
    assert on_server == on_file


def test_a_demo_goes_only_into_an_empty_team_store(both):
    from desktop.cli import cli

    _, url = both
    again = CliRunner().invoke(cli, ["demo", "--db", url])
    assert again.exit_code == 1 and "already holds" in again.output
    replace = CliRunner().invoke(cli, ["demo", "--db", url, "--replace"])
    assert replace.exit_code == 1 and "does not empty a team store" in replace.output
