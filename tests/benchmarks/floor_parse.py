"""The re-import floor: read the export and parse every line with the standard json module,
nothing else (no conversion, no lookups, no writes). An unchanged export re-imported should
cost little more than this. `python -m tests.benchmarks.floor_parse EXPORT`."""

from __future__ import annotations

import gc
import json
import sys


def main(export: str) -> None:
    gc.disable()
    count = 0
    with open(export, "rb") as lines:
        for line in lines:
            if line.strip():
                json.loads(line)
                count += 1
    print(f"@@RESULT@@{json.dumps({'lines': count})}")


if __name__ == "__main__":
    main(sys.argv[1])
