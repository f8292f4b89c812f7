"""Which of the system libraries Qt needs are missing, and the one apt line that installs them.

Without them Qt aborts the whole process with a message that names a plugin, not a package
(and, missing libxcb-icccm4, blames libxcb-cursor0). savedesk asks first and says what to run.
The list is resources/qt-system-libraries.txt, which scripts/system-deps.sh reads too. No Qt here:
this runs before Qt is loaded.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from pathlib import Path

import resources

LIST = Path(next(iter(resources.__path__))) / "qt-system-libraries.txt"
APT = "sudo apt-get install -y --no-install-recommends"


def required(window: bool) -> list[tuple[str, str]]:
    """(library file, Debian package) Qt needs offscreen, and for a window when `window`."""
    wanted = {"offscreen", "window"} if window else {"offscreen"}
    rows = []
    for line in LIST.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and not line.startswith("#") and parts[2] in wanted:
            rows.append((parts[0], parts[1]))
    return rows


def loads(library: str) -> bool:
    """True when the dynamic loader finds and loads `library`."""
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def needs_window_libraries() -> bool:
    """True where Qt will open an X11 window (Linux with a DISPLAY and no other platform)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    return (
        sys.platform.startswith("linux")
        and bool(os.environ.get("DISPLAY"))
        and (platform in ("", "xcb"))
    )


def missing_packages(window: bool, load: Callable[[str], bool] | None = None) -> list[str]:
    """The Debian packages of the libraries that do not load (empty off Linux)."""
    if not sys.platform.startswith("linux"):
        return []
    load = load or loads
    return [package for library, package in required(window) if not load(library)]


def install_line(packages: list[str]) -> str:
    """The apt line that installs `packages`."""
    return f"{APT} {' '.join(packages)}"
