"""The reports and exports savedesk makes, by key, and the setting of the last one made: what
the Reports menu lists without loading the report dialog (and Qt's PDF module) at start-up."""

from __future__ import annotations

from desktop.settings import Setting

REPORTS = {
    "saved-revenue": "Saved revenue report",
    "coaching": "Coaching review",
    "quality": "Quality report",
}
EXPORTS = {
    "conversations": "Conversations",
    "reviews": "Reviews (one row per rating)",
    "saves": "Saves",
    "losses": "Losses",
}

LAST_KIND = Setting("reports/kind", "saved-revenue")
