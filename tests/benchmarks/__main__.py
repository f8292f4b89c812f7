"""`make bench`: every benchmark in one run, each against its own floor measured here too.

`python -m tests.benchmarks [NAME ...]` runs only the named ones (import, import_engines, metrics, desktop, reports,
autoqa;
`pg`, 20 reviewers on a team store, is `make bench-pg` and not part of `make bench`).
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["import", "import_engines", "metrics", "desktop", "reports", "autoqa"]


def main(names: list[str]) -> None:
    """Run the named benchmarks (all when none is named), each printing its own figures."""
    for name in names or BENCHMARKS:
        importlib.import_module(f"tests.benchmarks.bench_{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
