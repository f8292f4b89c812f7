"""Type-check review/ and reports/ with mypy, holding the per-module exception list to shrink.

1. `mypy` with pyproject's settings must pass: no error outside the listed modules.
2. Each listed module must still have errors: one that passes now is taken off the list
   (the gate says which), so the list can only get shorter.
3. The list may not hold a module that main's list does not (checked where git knows main).

Run by .ci/run and `make typecheck`. Exit status 0 when all three hold.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def _exceptions(config: dict) -> list[str]:
    for override in config.get("overrides", []):
        if override.get("ignore_errors"):
            modules = override["module"]
            return [modules] if isinstance(modules, str) else list(modules)
    return []


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def _failing_modules(config: dict) -> set[str]:
    """The modules with errors when no module is excused."""
    settings = {k: v for k, v in config.items() if k != "overrides"}
    lines = ["[mypy]"]
    for key, value in settings.items():
        if isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, bool):
            value = str(value).lower()
        lines.append(f"{key} = {value}")
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    out, _err, _status = api.run(["--config-file", handle.name])
    Path(handle.name).unlink()
    return {_module(line.split(":", 1)[0]) for line in out.splitlines() if ": error:" in line}


def _mains_exceptions() -> list[str] | None:
    done = subprocess.run(
        ["git", "show", "main:pyproject.toml"], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        return None
    return _exceptions(tomllib.loads(done.stdout).get("tool", {}).get("mypy", {}))


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    listed = _exceptions(config)
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    print(out, end="")
    print(err, end="", file=sys.stderr)
    problems = []
    if status != 0:
        problems.append("mypy found errors outside the exception list (above)")
    failing = _failing_modules(config)
    passing = sorted(set(listed) - failing)
    if passing:
        problems.append(
            "these modules pass mypy now: take them off the exception list in pyproject.toml: "
            + ", ".join(passing)
        )
    before = _mains_exceptions()
    if before is not None and before:
        grown = sorted(set(listed) - set(before))
        if grown:
            problems.append(
                "the exception list only shrinks; main does not excuse: " + ", ".join(grown)
            )
    for problem in problems:
        print(f"mypy gate: {problem}", file=sys.stderr)
    if not problems:
        print(f"mypy gate: passed ({len(listed)} modules still excused)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
