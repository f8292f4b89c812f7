"""The checks that read agent messages: greeting, closing, apology and empathy, clarifying
questions before the first solution, solution and next steps, help links, the customer's name,
promised updates, and rudeness (flagged for a person, never scored).

Each check takes the conversation's messages as read (`Read`: quoted replies blanked, phrase
hits found) and returns a Finding with the spans it rests on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from review.reviewing.autoqa.conversation import Evidence, Finding, Message, evidence
from review.reviewing.autoqa.phrasebook import Hits
from review.reviewing.autoqa.text import links, sentences, without_inline_quotes

GREETING_WINDOW = {False: 80, True: 30}  # letters (Latin, Cyrillic) / Han characters
GREETING_PREFIX = {False: 4, True: 12}  # words / characters a name before a greeting may take
CLOSING_WINDOW = {False: 200, True: 80}
OPENER_TAIL = {False: 25, True: 10}  # a closing phrase opening a sentence that goes on this far
_BREAK = re.compile(r"[.!?。！？]|\n\s*\n")
# "Settings > Billing", "Файл > Печать", "分享 > 邀請訪客": the evidence runs to the end of the
# word after ">" (at most 12 characters: Chinese has no spaces to stop at)
_MENU_PATH = re.compile(r"(?<![\w>])[^\W\d_][\w\-]*(?: [\w\-]+){0,3}\s*>\s*[^\W\d_][\w\-]{0,11}")
_QUESTION_END = re.compile(r"[?？][\"»”)）]*$")
_HONORIFICS = "先生|女士|小姐|太太|总|總|经理|經理|老师|老師|同学|同學"


@dataclass
class Read:
    """One message as the rules read it: quoted replies blanked, phrase hits by section, and
    its sentences and solution spans worked out once for every check that asks."""

    message: Message
    text: str
    hits: Hits
    cjk: bool
    _sentences: list[tuple[int, int]] | None = field(default=None, repr=False)
    _solutions: list[tuple[int, int]] | None = field(default=None, repr=False)

    def sentences(self) -> list[tuple[int, int]]:
        """Spans of the text's sentences."""
        if self._sentences is None:
            self._sentences = sentences(self.text)
        return self._sentences


def _spans(read: Read, *sections: str) -> list[tuple[int, int]]:
    return sorted(span for s in sections for span in read.hits.get(s, ()))


def greeting(agent: list[Read]) -> Finding:
    """A greeting starting near the beginning of the first agent message; a name (or a short
    salutation) may come before it, another sentence may not."""
    if not agent:
        return Finding("greeting", False)
    first = agent[0]
    lead = len(first.text) - len(first.text.lstrip())
    for start, end in sorted(_spans(first, "greeting"), key=lambda span: (span[0], -span[1])):
        if start - lead > GREETING_WINDOW[first.cjk]:
            break
        prefix = first.text[lead:start]
        if _BREAK.search(prefix):
            continue
        size = len(prefix.strip()) if first.cjk else len(prefix.split())
        if size <= GREETING_PREFIX[first.cjk]:
            return Finding("greeting", True, (evidence(first.message, start, end, "greeting"),))
    return Finding("greeting", False, note="no greeting at the start of the first reply")


def closing(agent: list[Read]) -> Finding:
    """A closing in the last sentence of the last agent message (or in the short lines after
    it: a signature, "Speak soon!"), within its last 200 letters (80 Han characters)."""
    if not agent:
        return Finding("closing", False)
    last = agent[-1]
    body = last.text.rstrip()
    spans = [(a, min(b, len(body))) for a, b in last.sentences() if a < len(body)]
    if not spans:
        return Finding("closing", False)
    index = len(spans) - 1
    if index > 0 and _short(body[slice(*spans[index])], last.cjk):
        index -= 1  # one signature-like line may follow the closing
    limit = max(spans[index][0], len(body) - CLOSING_WINDOW[last.cjk])
    first_end = spans[0][1]
    # the earliest closing in the tail, and of those starting there the longest ("Best regards")
    for start, end in sorted(_spans(last, "closing"), key=lambda span: (span[0], -span[1])):
        if start < limit:
            continue
        if start == spans[0][0] and first_end - end > OPENER_TAIL[last.cjk]:
            continue  # "Thanks for your patience, the account is unlocked": an opener
        return Finding("closing", True, (evidence(last.message, start, end, "closing"),))
    return Finding("closing", False, note="no closing at the end of the last reply")


def _short(sentence: str, cjk: bool) -> bool:
    """A line too short to be the message's last say: a name, "Thanks!", "Speak soon!"."""
    return len(sentence.strip()) <= 6 if cjk else len(sentence.split()) <= 3


def empathy(agent: list[Read]) -> tuple[Finding, Finding]:
    """(apology, apology or empathy) anywhere in the agent's messages."""
    apologies: list[Evidence] = []
    feelings: list[Evidence] = []
    for read in agent:
        apologies += [evidence(read.message, s, e, "apology") for s, e in _spans(read, "apology")]
        feelings += [evidence(read.message, s, e, "empathy") for s, e in _spans(read, "empathy")]
    both = sorted(apologies + feelings, key=lambda ev: (ev.message_id, ev.start))
    return Finding("apology", bool(apologies), tuple(apologies)), Finding(
        "empathy", bool(both), tuple(both)
    )


def solution_spans(read: Read) -> list[tuple[int, int]]:
    """Where a message gives a solution or next steps: phrases, menu paths, links."""
    if read._solutions is None:
        found = _spans(read, "solution", "next_steps")
        if ">" in read.text:
            found += [m.span() for m in _MENU_PATH.finditer(read.text)]
        found += links(read.text)
        read._solutions = sorted(found)
    return read._solutions


def solution(agent: list[Read]) -> Finding:
    """An instruction, an action taken or what happens next, in any agent message."""
    found = [
        evidence(read.message, s, e, "solution") for read in agent for s, e in solution_spans(read)
    ]
    next_steps = any(read.hits.get("next_steps") for read in agent)
    return Finding("solution", bool(found), tuple(found[:3]), value=float(next_steps))


def clarifying(agent: list[Read]) -> Finding:
    """Questions the agent asked before the first solution, closing offers left out."""
    asked: list[Evidence] = []
    for read in agent:
        first_solution = next(iter(solution_spans(read)), (len(read.text), 0))[0]
        if "?" not in read.text and "？" not in read.text:
            if first_solution < len(read.text):
                break
            continue
        closings = _spans(read, "closing")
        own = without_inline_quotes(read.text)  # «Здравствуйте, чем помочь?» is quoted
        for start, end in sentences(own):
            if start >= first_solution:
                return _asked(asked)
            if not _QUESTION_END.search(own[start:end]):
                continue
            if any(s < end and e > start for s, e in closings):
                continue
            asked.append(evidence(read.message, start, end, "clarifying"))
        if first_solution < len(read.text):
            break
    return _asked(asked)


def _asked(asked: list[Evidence]) -> Finding:
    return Finding("clarifying", bool(asked), tuple(asked), value=float(len(asked)))


def help_link(agent: list[Read]) -> Finding:
    """A link, or a help article, guide or centre named, in any agent message."""
    found = [
        evidence(read.message, s, e, "help_link")
        for read in agent
        for s, e in sorted(links(read.text) + _spans(read, "help"))
    ]
    return Finding("help_link", bool(found), tuple(found[:3]))


def rude(agent: list[Read]) -> Finding:
    """Words a person should read: never a score, only a flag."""
    found = [
        evidence(read.message, s, e, "rude") for read in agent for s, e in _spans(read, "rude")
    ]
    return Finding("rude", bool(found), tuple(found))


def promise(agent: list[Read]) -> Finding:
    """An update promised; value 1 when a later agent message followed, 0 when none did."""
    for index, read in enumerate(agent):
        spans = _spans(read, "promise")
        if spans:
            kept = index < len(agent) - 1
            start, end = spans[0]
            return Finding(
                "promise", True, (evidence(read.message, start, end, "promise"),), float(kept)
            )
    return Finding("promise", False)


def name_used(agent: list[Read], customer_name: str | None) -> Finding:
    """The customer's name (given or family name; in Chinese the full name, the given name,
    or the surname with an honorific) in an agent message."""
    pattern = _name_pattern(customer_name or "")
    if pattern is None:
        return Finding("name", False, note="the customer's name is not known")
    for read in agent:
        match = pattern.search(read.text)
        if match:
            return Finding("name", True, (evidence(read.message, *match.span(), "name"),))
    return Finding("name", False)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern | None:
    name = name.strip()
    if not name or "@" in name:
        return None
    han = re.fullmatch(r"[\u3400-\u9fff]{2,4}", name.replace(" ", ""))
    if han:
        from review.reviewing.autoqa.language import converter

        forms = set()
        for text in {name, converter("t2s").convert(name), converter("s2t").convert(name)}:
            forms.add(re.escape(text))
            forms.add(re.escape(text[0]) + f"(?:{_HONORIFICS})")
            if len(text) >= 3:
                forms.add(re.escape(text[1:]))
        return re.compile("|".join(sorted(forms, key=len, reverse=True)))
    parts = [p for p in re.split(r"[\s,]+", name) if len(p) >= 2 and p[0].isalpha()]
    if not parts:
        return None
    parts_forms: list[str] = []
    for part in parts[:2]:
        if re.match(r"[А-Яа-яЁё]", part) and len(part) > 3 and part[-1] in "аяйьеоуыи":
            parts_forms.append(re.escape(part[:-1]) + r"[а-яё]{0,3}")  # Мария: Марии, Марию
        else:
            parts_forms.append(
                re.escape(part) + (r"[а-яё]{0,3}" if re.match(r"[А-Я]", part) else "")
            )
    return re.compile(r"(?<!\w)(?:" + "|".join(parts_forms) + r")(?!\w)")
