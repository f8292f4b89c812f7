"""savedesk's own import of one file, as the CLI runs it (its records, then its automatic
quality suggestions). `python -m ... EXPORT DB [--no-suggestions]`; prints both phases'
figures on a @@RESULT@@ line."""

from __future__ import annotations

import json
import resource
import sys

from review.importing.run import import_files
from review.importing.suggesting import PHASE
from review.store import open_store


def main(export: str, db_path: str, *flags: str) -> None:
    open_store(db_path).close()
    job = import_files(db_path, [export], suggest="--no-suggestions" not in flags)
    records_peak = None
    while True:
        try:
            step = next(job)
        except StopIteration as stop:
            report = stop.value
            break
        if step.phase == PHASE and records_peak is None:  # the records are committed
            records_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    f = report.files[0]
    # the text worker's peak, apart (it has exited: review.importing.text_work)
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    phase = report.suggestions.as_dict() if report.suggestions else None
    print(
        "@@RESULT@@"
        + json.dumps(
            {
                "added": f.added,
                "rejected": len(f.rejected),
                "error": f.error,
                "records_s": report.records_seconds,
                "records_peak_mb": records_peak,
                "worker_peak_mb": worker_peak,
                "suggestions": phase,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
