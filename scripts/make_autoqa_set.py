"""Compose the labelled set of support conversations that measures the quality rules.

Reads the hand-written fragments in tests/data/autoqa/fragments/LANG.toml (each carries its own
labels as flags, see en.toml) and writes tests/data/autoqa/LANG.jsonl: 220 conversations per
language variant, each with its messages and one label per category. The labels follow from
the fragments a conversation was made of and where they were put (a greeting counts only at
the start of the first agent message, a closing only at the end of the last one, a question
only before the first solution), never from the phrase lists the rules use.

    python scripts/make_autoqa_set.py            # rewrite the four files (seeded: same output)
"""

from __future__ import annotations

import json
import random
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "tests" / "data" / "autoqa"
LANGUAGES = ("en", "ru", "zh-Hans", "zh-Hant")
PER_LANGUAGE = 220
SEED = 16
LABELS = (
    "greeting",
    "closing",
    "empathy",
    "clarifying",
    "solution",
    "help_link",
    "chaser",
    "churn_ack",
    "rude",
    "name",
    "spelling",
    "script_mismatch",
)
CUSTOMER_OPENERS = {
    "en": ["Hi,", "Hello team,", "Hey there!", "Good morning,"],
    "ru": ["Здравствуйте!", "Добрый день.", "Привет!"],
    "zh-Hans": ["您好，", "你好，", "在吗？"],
    "zh-Hant": ["您好，", "你好，", "請問一下，"],
}
RETENTION_TAGS = {
    "en": "churn-risk",
    "ru": "риск-отмены",
    "zh-Hans": "流失风险",
    "zh-Hant": "流失風險",
}


@dataclass
class Piece:
    """One fragment: its text and its flags (see the fragments' header)."""

    text: str
    flags: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, raw: str) -> Piece:
        if " :: " in raw:
            flags, text = raw.split(" :: ", 1)
            return cls(text, frozenset(flags.split()))
        return cls(raw)


@dataclass
class Draft:
    """A conversation being composed: messages as lists of pieces, and the labels so far."""

    language: str
    name: str  # as the agent addresses the customer
    full_name: str  # as the helpdesk has it
    agent: str
    messages: list[tuple[str, list[Piece], float]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def add(self, role: str, pieces: list[Piece], hours_after: float) -> None:
        self.messages.append((role, pieces, hours_after))


def _cjk(language: str) -> bool:
    return language.startswith("zh")


def _load(language: str) -> dict:
    data = tomllib.loads((FOLDER / "fragments" / f"{language}.toml").read_text("utf-8"))
    source = data.get("topics_from")
    if source:
        import opencc

        convert = opencc.OpenCC("s2twp").convert
        other = tomllib.loads((FOLDER / "fragments" / f"{source}.toml").read_text("utf-8"))
        for key in ("topic", "churn", "followup"):
            data[key] = json.loads(convert(json.dumps(other[key], ensure_ascii=False)))
    return data


def _pick(rng: random.Random, pool: list[str]) -> Piece:
    return Piece.parse(rng.choice(pool))


def _compose(rng: random.Random, language: str, data: dict) -> Draft:
    first, second = rng.choice(data["customers"])
    if _cjk(language):  # [full name, how an agent addresses them]
        draft = Draft(language, second, first, rng.choice(data["agents"]))
    else:  # [given name, family name]
        draft = Draft(language, first, f"{first} {second}", rng.choice(data["agents"]))
    churn = rng.random() < 0.25
    scene = data["churn"][0] if churn else rng.choice(data["topic"])
    opening = _pick(rng, scene["customer"])
    if rng.random() < 0.5:
        space = "" if _cjk(language) else " "
        opening = Piece(
            rng.choice(CUSTOMER_OPENERS[language]) + space + opening.text, opening.flags
        )
    draft.add("customer", [opening], 0)

    chase_first = rng.random() < 0.12
    if chase_first:
        draft.add("customer", [_pick(rng, data["chasers"])], rng.uniform(20, 72))

    first: list[Piece] = []
    roll = rng.random()
    if roll < 0.62:
        first.append(_pick(rng, data["greetings"]))
    elif roll < 0.74:
        first.append(_pick(rng, data["non_greetings"]))
    if rng.random() < 0.4:
        first.append(_pick(rng, data["empathy"]))
    elif rng.random() < 0.1:
        first.append(_pick(rng, data["empathy_near_misses"]))

    clarify = not churn and rng.random() < 0.32
    if clarify:
        first.append(_pick(rng, scene["clarify"]))
        if rng.random() < 0.2:
            first.append(_pick(rng, data["greeting_near_misses"]))
        draft.add("agent", first, rng.uniform(0.1, 20))
        draft.add("customer", [_pick(rng, scene["answer"])], rng.uniform(0.2, 30))
        reply: list[Piece] = []
    else:
        reply = first
    reply += _body(rng, data, scene, churn, language)
    if rng.random() < 0.2 and not clarify:
        reply.insert(min(2, len(reply)), _pick(rng, data["greeting_near_misses"]))
    gap = rng.uniform(0.05, 26)
    chase_after = not chase_first and rng.random() < 0.16
    if chase_after or rng.random() < 0.3:
        # a conversation that goes on: this reply may carry a closing, the last one decides
        if rng.random() < 0.4:
            reply.append(_pick(rng, data["closings"]))
        draft.add("agent", reply, gap)
        pool = data["chasers"] if chase_after else data["non_chasers"]
        draft.add("customer", [_pick(rng, pool)], rng.uniform(1, 70))
        last = []
        if rng.random() < 0.3:
            last.append(_pick(rng, data["empathy"]))
        last.append(_pick(rng, data["followup"][0]["agent"]))
        _end(rng, data, last, language)
        draft.add("agent", last, rng.uniform(0.1, 30))
    else:
        _end(rng, data, reply, language)
        draft.add("agent", reply, gap)
    if churn and rng.random() < 0.3:
        draft.tags.append(RETENTION_TAGS[language])
    if rng.random() < 0.35:
        draft.add("customer", [_pick(rng, data["thanks"])], rng.uniform(0.1, 10))
    return draft


def _body(rng: random.Random, data: dict, scene: dict, churn: bool, language: str) -> list[Piece]:
    out: list[Piece] = []
    if churn:
        pool = scene["addressed"] if rng.random() < 0.65 else scene["ignored"]
        out.append(_pick(rng, pool))
    else:
        roll = rng.random()
        key = "solution" if roll < 0.55 else "solution_link" if roll < 0.75 else "no_solution"
        out.append(_pick(rng, scene[key]))
        if key != "no_solution" and rng.random() < 0.25:
            out.append(_pick(rng, data["after_questions"]))
    if "typos" in data and rng.random() < 0.18:
        out.append(_pick(rng, data["typos"]))
    if rng.random() < 0.08:
        out.append(_pick(rng, data["rude"]))
    return out


def _end(rng: random.Random, data: dict, pieces: list[Piece], language: str) -> None:
    roll = rng.random()
    if roll < 0.62:
        pieces.append(_pick(rng, data["closings"]))
    elif roll < 0.8:
        pieces.append(_pick(rng, data["non_closings"]))


def _join(pieces: list[Piece], language: str, values: dict) -> str:
    out = ""
    for i, piece in enumerate(pieces):
        text = piece.text.format(**values)
        if i == 0:
            out = text
        elif _cjk(language):
            # after a greeting a new line (unless it ends in a comma), then sentences run on
            joined = out.endswith(("，", "：", "、")) or (i > 1 and "\n" not in text)
            out += ("" if joined else "\n") + text
        else:
            out += ("\n\n" if i == 1 or "\n" in text else " ") + text
    return out


def _labels(draft: Draft, mismatch: bool) -> dict[str, int]:
    labels = dict.fromkeys(LABELS, 0)
    agent_messages = [pieces for role, pieces, _ in draft.messages if role == "agent"]
    labels["greeting"] = int("g" in agent_messages[0][0].flags)
    labels["closing"] = int("c" in agent_messages[-1][-1].flags)
    seen_solution = False
    signal = False
    for role, pieces, _ in draft.messages:
        for piece in pieces:
            flags = piece.flags
            if role == "customer":
                labels["chaser"] |= "x" in flags
                signal |= "k" in flags
                continue
            labels["empathy"] |= "e" in flags
            if "q" in flags and not seen_solution:
                labels["clarifying"] = 1
            seen_solution |= "s" in flags
            labels["solution"] |= "s" in flags
            labels["help_link"] |= "h" in flags
            labels["rude"] |= "r" in flags
            labels["spelling"] |= "t" in flags
            labels["churn_ack"] |= signal and "a" in flags
    # the name counts where the piece that carries it went out (greeting or closing included)
    labels["name"] = int(any("n" in p.flags for pieces in agent_messages for p in pieces))
    if draft.tags and signal:
        labels["churn_ack"] = 1
    labels["script_mismatch"] = int(mismatch)
    return {k: int(v) for k, v in labels.items()}


def _conversation(
    rng: random.Random, language: str, data: dict, number: int, start: datetime
) -> dict:
    draft = _compose(rng, language, data)
    mismatch = _cjk(language) and rng.random() < 0.18
    convert = None
    if mismatch:
        import opencc

        convert = opencc.OpenCC("s2tw" if language == "zh-Hans" else "t2s").convert
    values = {"name": draft.name, "agent": draft.agent}
    messages = []
    at = start
    for index, (role, pieces, hours) in enumerate(draft.messages, start=1):
        at += timedelta(hours=hours)
        text = _join(pieces, language, values)
        if role == "agent":
            if rng.random() < 0.12:
                text += rng.choice(data["quoted"]).format(**values)
            if convert is not None:
                text = convert(text)
        messages.append(
            {"id": index, "role": role, "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": text}
        )
    return {
        "id": f"{language}-{number:03d}",
        "language": language,
        "customer_name": draft.full_name,
        "agent_name": draft.agent,
        "tags": draft.tags,
        "messages": messages,
        "labels": _labels(draft, mismatch),
    }


def main() -> None:
    """Write the four labelled files."""
    for offset, language in enumerate(LANGUAGES):
        rng = random.Random(SEED * 100 + offset)
        data = _load(language)
        start = datetime(2024, 3, 4, 8, 0)
        rows = []
        for number in range(1, PER_LANGUAGE + 1):
            start += timedelta(hours=rng.uniform(1, 30))
            rows.append(_conversation(rng, language, data, number, start))
        with open(FOLDER / f"{language}.jsonl", "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        totals = {k: sum(r["labels"][k] for r in rows) for k in LABELS}
        print(language, len(rows), totals)


if __name__ == "__main__":
    main()
