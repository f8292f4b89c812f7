"""A Chinese customer answered in the other script: Traditional (Taiwan, Hong Kong) answered
in Simplified, or the reverse, from OpenCC's tables (review.reviewing.autoqa.language)."""

from __future__ import annotations

from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.conversation import Finding, evidence
from review.reviewing.autoqa.language import ScriptCount, count_scripts, script_positions


def _script(reads: list[Read]) -> str | None:
    total = ScriptCount(0, 0)
    for read in reads:
        count = count_scripts(read.text)
        total = ScriptCount(
            total.traditional + count.traditional, total.simplified + count.simplified
        )
    return total.script


def script_mismatch(customer: list[Read], agent: list[Read]) -> Finding:
    """Found when the customer writes one Chinese script and the agent the other; the evidence
    is the first sentence of each agent message written in the other script."""
    theirs = _script(customer)
    ours = _script(agent)
    if theirs is None or ours is None or theirs == ours:
        return Finding("script_mismatch", False)
    found = []
    for read in agent:
        positions = script_positions(read.text, ours)
        if not positions:
            continue
        for start, end in read.sentences():
            if start <= positions[0] < end:
                found.append(evidence(read.message, start, end, "script_mismatch"))
                break
    names = {"zh-Hans": "Simplified", "zh-Hant": "Traditional"}
    note = f"the customer writes {names[theirs]}, the reply is in {names[ours]}"
    return Finding("script_mismatch", True, tuple(found), note=note)
