"""savedesk's own import of one file, as the CLI runs it (its records, then its automatic
quality suggestions). `python -m ... EXPORT DB [--no-suggestions]`; prints both phases'
figures on a @@RESULT@@ line."""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
from pathlib import Path

from review.importing.run import import_files
from review.importing.suggesting import PHASE
from review.store import open_store


class ChildPeaks:
    """The high-water resident memory of each child process, read from /proc as they run.

    Not RUSAGE_CHILDREN: a child's ru_maxrss starts from its parent's high-water mark at the
    fork (Linux carries it across exec), so it reports this process's size, not the worker's.
    VmHWM belongs to the address space exec made, so it is the worker's own."""

    def __init__(self, every_s: float = 0.25):
        self.peaks: dict[int, float] = {}
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        me = str(os.getpid())
        known: set[Path] = set()
        rounds = 0
        while not self._stop.wait(self._every_s):
            if rounds % 8 == 0:  # a look through /proc for new children costs a few ms
                known.update(
                    s.parent for s in Path("/proc").glob("[0-9]*/stat") if _parent(s) == me
                )
            rounds += 1
            for folder in list(known):
                try:
                    status = (folder / "status").read_text()
                except OSError:
                    known.discard(folder)  # exited
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        mb = int(line.split()[1]) / 1024
                        pid = int(folder.name)
                        self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)

    def largest_mb(self) -> float:
        """The largest child's peak so far (stops watching)."""
        self._stop.set()
        self._thread.join()
        return max(self.peaks.values(), default=0.0)


def _parent(stat: Path) -> str | None:
    """The parent's pid in a /proc/PID/stat file (the second field after the command)."""
    try:
        return stat.read_text().rpartition(")")[2].split()[1]
    except (OSError, IndexError):
        return None  # exited meanwhile


def main(export: str, db_path: str, *flags: str) -> None:
    children = ChildPeaks()
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
    # the text worker's peak, apart (review.importing.text_work)
    worker_peak = children.largest_mb()
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
