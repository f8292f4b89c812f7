"""savedesk's own import of one file, as the CLI runs it. `python -m ... EXPORT DB`."""

from __future__ import annotations

import json
import sys

from review.importing.run import import_files
from review.progress import run_to_end
from review.store import open_store


def main(export: str, db_path: str) -> None:
    open_store(db_path).close()
    report = run_to_end(import_files(db_path, [export]))
    f = report.files[0]
    print(
        "@@RESULT@@" + json.dumps({"added": f.added, "rejected": len(f.rejected), "error": f.error})
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
