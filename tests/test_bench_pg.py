"""The `make bench-pg` harness at a tiny size on the session's server: every operation is timed
for every reviewer, no reviewer fails, nothing is claimed twice and no rating is lost. (The
figures themselves are `make bench-pg`'s, never a timed unit test.)"""

from __future__ import annotations

from tests.benchmarks.bench_pg import Sizes, run_on


def test_bench_pg_harness_runs_every_operation_for_every_reviewer(pg_server, capsys):
    sizes = Sizes(tickets=60, reviewers=3, per_reviewer=2, think_ms=0, searches=4)
    figures = run_on(pg_server.url, "bench_smoke", sizes)
    printed = capsys.readouterr().out
    assert figures["errors"] == 0, printed
    assert figures["double_claims"] == 0 and figures["lost"] == 0, printed
    for op in ("claim", "open", "rate", "tag", "note"):
        assert (
            f"{op} ({sizes.reviewers * sizes.per_reviewer * (3 if op == 'rate' else 1)} runs)"
            in printed
        )
    assert "600 messages" in printed and "floor" in printed
