"""Churn signal taken up: after a customer shows an intent to leave (review.retention.churn's
phrases), did an agent reply take up the cancellation, refund or price, or did someone flag
it (an internal note, a tag, a save or loss recorded)?"""

from __future__ import annotations

from review.phrases import PhraseLists
from review.retention.churn import find_signals
from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.conversation import AGENT, CUSTOMER, NOTE, Evidence, Finding, evidence

# value of the finding: how far the signal was handled
NO_REPLY, REPLIED, TAKEN_UP_OR_FLAGGED, TAKEN_UP_AND_FLAGGED = 0, 1, 2, 3


def churn_ack(
    reads: list[Read],
    churn_phrases: PhraseLists,
    flagged_by_tag: bool,
    stored: tuple[tuple[int, int, int], ...] | None = None,
) -> Finding:
    """The churn-signal check: found when the first signal was taken up or flagged; value from
    NO_REPLY to TAKEN_UP_AND_FLAGGED; no value when there was no signal. `stored`: the signals
    the store already holds (message id, start, end); None to look for them here."""
    signal_at = None
    trail: list[Evidence] = []
    by_message: dict[int, tuple[int, int]] = {}
    if stored is not None:
        for message_id, start, end in stored:
            by_message.setdefault(message_id, (start, end))
    for index, read in enumerate(reads):
        if read.message.role != CUSTOMER:
            continue
        if stored is not None:
            span = by_message.get(read.message.id)
        else:
            hits = find_signals(read.text, churn_phrases)
            span = (hits[0].start, hits[0].start + len(hits[0].matched)) if hits else None
        if span is not None:
            trail.append(evidence(read.message, span[0], span[1], "churn_signal"))
            signal_at = index
            break
    if signal_at is None:
        return Finding("churn_ack", False, note="no churn signal")
    replied = taken_up = flagged = False
    for read in reads[signal_at + 1 :]:
        role = read.message.role
        if role == NOTE:
            flagged = True
        elif role == AGENT:
            replied = True
            spans = read.hits.get("retention", ())
            if spans and not taken_up:
                taken_up = True
                trail.append(evidence(read.message, *spans[0], "churn_ack"))
    flagged = flagged or flagged_by_tag
    if taken_up and flagged:
        level, note = TAKEN_UP_AND_FLAGGED, "taken up in a reply and flagged"
    elif taken_up or flagged:
        level = TAKEN_UP_OR_FLAGGED
        note = "taken up in a reply" if taken_up else "flagged, not taken up in a reply"
    elif replied:
        level, note = REPLIED, "replied without taking up the signal"
    else:
        level, note = NO_REPLY, "no reply after the signal"
    return Finding("churn_ack", taken_up or flagged, tuple(trail), float(level), note)
