"""Customer effort: how many turns the customer took, whether they chased or repeated
themselves, and how long they waited for a reply (from the messages' timestamps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.conversation import AGENT, BOT, CUSTOMER, Evidence, Finding, evidence

CHASE_AFTER_HOURS = 1.0  # a second customer message this long after the first, unanswered
REPEAT_SIMILARITY = 0.6  # share of words (Chinese: character pairs) two messages have in common
REPEAT_MIN_LENGTH = 20
LONG_WAIT_HOURS = 24.0


@dataclass(frozen=True)
class Effort:
    """What the customer had to do: turns, chasers (with evidence), repeats, the longest wait
    for a reply in hours (None without timestamps)."""

    turns: int
    chasers: tuple[Evidence, ...]
    longest_wait_hours: float | None

    def finding(self) -> Finding:
        """The chaser check as a Finding (value: the longest wait)."""
        return Finding("chaser", bool(self.chasers), self.chasers, self.longest_wait_hours)


def _hours(a: str | None, b: str | None) -> float | None:
    start, end = _when(a), _when(b)
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 3600


@lru_cache(maxsize=4096)
def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _shingles(text: str) -> set[str]:
    """Words of a text, or character pairs where it has no spaces (Chinese)."""
    lowered = text.lower()
    words = lowered.split()
    if len(words) > 2:
        return set(words)
    joined = "".join(words)
    return {joined[i : i + 2] for i in range(len(joined) - 1)}


def effort(reads: list[Read]) -> Effort:
    """Turns, chasers and waits over the public messages of one conversation, in order."""
    chasers: list[Evidence] = []
    turns = 0
    seen: list[set[str]] = []
    waiting_since: str | None = None  # the first unanswered customer message's time
    last_customer: str | None = None
    answered = True
    longest: float | None = None
    for read in reads:
        message = read.message
        if message.role in (AGENT, BOT):
            if waiting_since is not None:
                wait = _hours(waiting_since, message.created_at)
                if wait is not None:
                    longest = wait if longest is None else max(longest, wait)
            waiting_since, answered = None, True
            continue
        if message.role != CUSTOMER:
            continue
        turns += 1
        spans = read.hits.get("chaser", ())
        if spans:
            start, end = spans[0]
            chasers.append(evidence(message, start, end, "chaser"))
        elif not answered and (_hours(last_customer, message.created_at) or 0) >= CHASE_AFTER_HOURS:
            chasers.append(evidence(message, 0, min(len(message.text), 60), "chaser"))
        elif len(read.text) >= REPEAT_MIN_LENGTH:
            grams = _shingles(read.text)
            for earlier in seen:
                union = len(grams | earlier)
                if union and len(grams & earlier) / union >= REPEAT_SIMILARITY:
                    chasers.append(evidence(message, 0, min(len(message.text), 60), "chaser"))
                    break
            seen.append(grams)
        if waiting_since is None:
            waiting_since = message.created_at
        last_customer, answered = message.created_at, False
    return Effort(turns, tuple(chasers), longest)
