"""Whether a laptop record goes onto the team store, and how: the one rule every pushed kind
of work (saves, losses, coaching notes) follows.

The team store's row keeps the fingerprint of what the last push wrote (`pushed_digest`). The
laptop's record and the team store's row are compared by their content in the team store's ids:
- the same: already there;
- the row is as the last push left it: the laptop changed since, and its newer record updates
  the row (an older one is kept out);
- the row changed on the team store since (a colleague, or the lead in the app): kept when the
  laptop has not changed since the push either, else a conflict. Never overwritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from review.importing.push.report import (
    ADDED,
    ALREADY,
    CONFLICT,
    KEPT_CHANGED,
    KEPT_NEWER,
    UPDATED,
)


def digest(content: Mapping[str, Any]) -> str:
    """A fingerprint of a record's content (in the team store's ids), the same on both engines."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Found:
    """The team store's row a laptop record was pushed to before."""

    id: int
    version: int
    digest: str  # of its content now
    pushed: str | None  # of the content the last push wrote (None: no push wrote it)
    changed_at: str  # when it last changed


def decide(found: Found | None, content: str, changed_at: str) -> str:
    """What a push does with a laptop record whose content has digest `content` and which last
    changed at `changed_at` (ISO UTC), given the team store's row pushed before (or None)."""
    if found is None:
        return ADDED
    if found.digest == content:
        return ALREADY
    if found.pushed is not None and found.digest == found.pushed:
        return UPDATED if (changed_at or "") > (found.changed_at or "") else KEPT_NEWER
    return KEPT_CHANGED if content == found.pushed else CONFLICT


def latest(*moments: str | None) -> str:
    """The latest of some ISO UTC moments ('' when there is none)."""
    return max((m for m in moments if m), default="")
