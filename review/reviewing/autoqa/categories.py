"""From findings to a suggested rating per rubric category, on that category's own scale, with
the reason in words and the evidence.

Each rule below gives a value from 0 (worst) to 1 (best), or N/A, for one category key of the
default rubric; `suggest` puts it on the scale of whatever rubric holds that key. Categories
that need judgement (accuracy, analytical reading, workarounds) get nothing. Rudeness is a FLAG
on the critical category: a person reads it, the rules never score it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from review.reviewing.autoqa.conversation import FLAG, SCORE, Evidence, Finding
from review.reviewing.autoqa.engine import Assessment
from review.reviewing.rubrics import Category

JUDGEMENT_ONLY = ("accuracy", "reading", "workarounds")
NA = None  # a rule's value meaning "not applicable here"


@dataclass(frozen=True)
class Suggestion:
    """A suggested rating of one category (None with is_na False: a flag with no rating)."""

    category_key: str
    rating: int | None
    is_na: bool
    kind: str
    reason: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class _Rule:
    value: float | None
    reason: str
    evidence: tuple[Evidence, ...]
    kind: str = SCORE


def _mark(finding: Finding, yes: str, no: str) -> str:
    return yes if finding.found else no


def _tone(f: dict[str, Finding]) -> _Rule:
    needed = f["chaser"].found or f["churn_ack"].value is not None or _negative(f)
    parts = [
        _mark(f["greeting"], "greeted", "no greeting"),
        _mark(f["closing"], "closed warmly", "no closing"),
        _mark(f["name"], "used the customer's name", "did not use the name"),
    ]
    points = sum(f[k].found for k in ("greeting", "closing", "name"))
    if f["empathy"].found:
        parts.append("showed empathy")
        points += 1
    elif needed:
        parts.append("no empathy for an unhappy customer")
    else:
        points += 1
    value = points / 4
    evidence = [*f["greeting"].evidence, *f["closing"].evidence, *f["name"].evidence]
    evidence += f["empathy"].evidence[:2]
    mismatch = f.get("script_mismatch")
    if mismatch is not None and mismatch.found:
        value = max(0.0, value - 0.25)
        parts.append(mismatch.note)
        evidence += mismatch.evidence[:1]
    spelling = f.get("spelling")
    if spelling is not None and spelling.found:
        words = ", ".join(e.text for e in spelling.evidence)
        parts.append(f"{spelling.value:.0f} word(s) to check for spelling ({words})")
        evidence += spelling.evidence
    sentiment = f.get("sentiment")
    if sentiment is not None and sentiment.value is not None:
        parts.append(sentiment.note)
    return _Rule(value, "; ".join(parts), tuple(evidence))


def _negative(f: dict[str, Finding]) -> bool:
    sentiment = f.get("sentiment")
    return bool(sentiment and sentiment.found)


def _recovery(f: dict[str, Finding]) -> _Rule:
    trouble = f["chaser"].found or f["churn_ack"].value is not None or _negative(f)
    if not trouble and not f["apology"].found:
        return _Rule(NA, "nothing to recover from", ())
    parts = [
        _mark(f["apology"], "apologised", "no apology"),
        _mark(f["solution"], "put it right", "no fix or next step"),
    ]
    value = 0.5 * f["apology"].found + 0.5 * f["solution"].found
    return _Rule(value, "; ".join(parts), f["apology"].evidence[:2] + f["solution"].evidence[:1])


def _curiosity(f: dict[str, Finding]) -> _Rule:
    asked = int(f["clarifying"].value or 0)
    if asked:
        value = 0.75 if asked == 1 else 1.0
        reason = f"asked {asked} question(s) before the first solution"
    elif f["solution"].found:
        value, reason = 0.25, "prescribed without asking a question first"
    else:
        value, reason = 0.0, "neither asked nor solved"
    return _Rule(value, reason, f["clarifying"].evidence[:3])


def _anticipate(f: dict[str, Finding]) -> _Rule:
    next_steps = bool(f["solution"].value)
    value = 0.5 * f["solution"].found + 0.25 * next_steps + 0.25 * f["help_link"].found
    parts = [
        _mark(f["solution"], "gave a solution", "no solution found"),
        "said what happens next" if next_steps else "no next steps",
        _mark(f["help_link"], "linked help", "no help link"),
    ]
    return _Rule(value, "; ".join(parts), f["solution"].evidence[:2] + f["help_link"].evidence[:1])


def _effort(f: dict[str, Finding]) -> _Rule:
    chasers = len(f["chaser"].evidence)
    wait = f["chaser"].value
    value = 1.0 - 0.25 * min(chasers, 2)
    parts = [f"{chasers} chaser(s) or repeat(s)" if chasers else "no chasing"]
    if wait is not None and wait > 24:
        value -= 0.25
        parts.append(f"waited {wait:.0f} h for a reply")
    readability = f["readability"]
    if readability.note:
        parts.append(readability.note)
    return _Rule(max(value, 0.0), "; ".join(parts), f["chaser"].evidence[:3])


def _churn(f: dict[str, Finding]) -> _Rule:
    finding = f["churn_ack"]
    if finding.value is None:
        return _Rule(NA, "no churn signal", ())
    return _Rule(finding.value / 3, finding.note, finding.evidence)


def _follow_up(f: dict[str, Finding]) -> _Rule:
    finding = f["promise"]
    if not finding.found:
        return _Rule(NA, "no update promised", ())
    if finding.value:
        return _Rule(1.0, "promised an update and wrote again", finding.evidence)
    return _Rule(None, "promised an update; none seen yet", finding.evidence, kind=FLAG)


def _critical(f: dict[str, Finding]) -> _Rule | None:
    if not f["rude"].found:
        return None
    words = ", ".join(f"«{e.text}»" for e in f["rude"].evidence[:3])
    return _Rule(None, f"for a person to read: {words}", f["rude"].evidence, kind=FLAG)


RULES: dict[str, Callable[[dict[str, Finding]], _Rule | None]] = {
    "tone": _tone,
    "recovery": _recovery,
    "curiosity": _curiosity,
    "anticipate": _anticipate,
    "effort": _effort,
    "churn_signals": _churn,
    "follow_up": _follow_up,
    "critical": _critical,
}


def on_scale(category: Category, value: float) -> int:
    """A 0..1 value as a rating on the category's scale (pass_fail: pass from 0.5)."""
    value = min(max(value, 0.0), 1.0)
    if category.scale == "pass_fail":
        return int(value >= 0.5)
    return category.scale_min + round(value * (category.scale_max - category.scale_min))


def suggest(assessment: Assessment, categories: list[Category]) -> list[Suggestion]:
    """A suggestion for each category of the rubric that a rule covers; none for a
    conversation nobody replied to."""
    if assessment.author_kind == "none":
        return []
    out = []
    for category in categories:
        rule = RULES.get(category.key)
        result = rule(assessment.findings) if rule else None
        if result is None:
            continue
        if result.kind == FLAG:
            out.append(Suggestion(category.key, None, False, FLAG, result.reason, result.evidence))
        elif result.value is NA:
            if category.allow_na:
                out.append(Suggestion(category.key, None, True, SCORE, result.reason, ()))
        else:
            rating = on_scale(category, result.value)
            out.append(
                Suggestion(category.key, rating, False, SCORE, result.reason, result.evidence)
            )
    return out
