"""`make bench`: every benchmark in one run, each against its own floor measured here too.

`python -m tests.benchmarks [NAME ...]` runs only the named ones (import, import_engines, metrics, desktop, reports,
autoqa;
`pg`, 20 reviewers on a team store, is `make bench-pg` and not part of `make bench`).
"""

from __future__ import annotations

import compileall
import importlib
import sys

from tests.benchmarks.common import ROOT

BENCHMARKS = ["import", "import_engines", "metrics", "desktop", "reports", "autoqa"]


def main(names: list[str]) -> None:
    """Run the named benchmarks (all when none is named), each printing its own figures."""
    compiled()
    for name in names or BENCHMARKS:
        importlib.import_module(f"tests.benchmarks.bench_{name}").run()


def compiled() -> None:
    """Compile savedesk's modules before any clock starts, as an installed app has them (pip
    writes their bytecode at install). Where PYTHONDONTWRITEBYTECODE is set, every measured
    process would otherwise compile its imports again: 0.1 s of an import's start, and more
    of the window's launch, that no user's run spends."""
    for package in ("review", "reports", "desktop", "tests"):
        compileall.compile_dir(ROOT / package, quiet=1)


if __name__ == "__main__":
    main(sys.argv[1:])
