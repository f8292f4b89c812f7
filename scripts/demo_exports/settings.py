"""The seed, the demo's clock and where the files go: shared by every other module."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20261101
NOW = datetime(2026, 11, 1, tzinfo=UTC)
START = NOW - timedelta(days=183)
# scripts/demo_exports/settings.py -> the repository root
OUT = Path(__file__).resolve().parents[2] / "resources" / "demo"
EXPORTS = OUT / "exports"
