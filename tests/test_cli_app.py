"""`savedesk` with no command opens the app; without a screen it says so instead of aborting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is Linux's")
def test_no_display_gives_one_sentence_and_exit_1(db_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "desktop.cli", str(db_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "needs a display" in proc.stderr
    assert "Aborted" not in proc.stderr and "Traceback" not in proc.stderr
