"""What the benchmarks share: timing a child process with its peak memory, and printing rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Measured:
    """Wall time in seconds and peak resident memory in MB of one child process."""

    seconds: float
    peak_mb: float
    output: dict


_WRAPPER = """
import json, resource, runpy, sys, time
started = time.perf_counter()
sys.argv = {argv!r}
result = runpy.run_module({module!r}, run_name="__main__")
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("@@BENCH@@" + json.dumps({{"seconds": elapsed, "peak_mb": peak}}))
"""


def measure_module(module: str, *args: str, env: dict | None = None, cwd: Path = ROOT) -> Measured:
    """Run `python -m module args...` in a fresh process (in `cwd`, the repository by
    default); time it and read its peak RSS."""
    code = _WRAPPER.format(argv=[module, *args], module=module)
    _caught_up()
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{proc.stdout}\n{proc.stderr}")
    lines = proc.stdout.splitlines()
    bench = next(text for text in lines if text.startswith("@@BENCH@@"))
    data = json.loads(bench[len("@@BENCH@@") :])
    extra = {}
    for text in lines:
        if text.startswith("@@RESULT@@"):
            extra = json.loads(text[len("@@RESULT@@") :])
    return Measured(data["seconds"], data["peak_mb"], extra)


def _caught_up() -> None:
    # the disk catches up with what earlier runs wrote (a whole database each) before the next
    # run starts, so that one contender's writes are not flushed in the next one's time
    os.sync()


def measure_command(argv: list[str]) -> float:
    """Wall time of an external command (fails loudly if it fails)."""
    _caught_up()
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def report(title: str, rows: list[tuple[str, str]]) -> None:
    """Print one benchmark's figures as an aligned block."""
    print(f"\n== {title}")
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key.ljust(width)}  {value}")


def make_empty_store(path: Path) -> None:
    """An empty savedesk database at `path`, migrated and checkpointed into one file."""
    from review.store import open_store

    db = open_store(path)
    db.execute("pragma wal_checkpoint(truncate)")
    db.close()
