"""Every check on one conversation: `assess(conversation, rules)` reads the messages once
(quoted replies blanked, phrase hits found) and returns the findings by check.

Bots are assessed apart from people: the agent checks read the human agents' public replies;
a conversation answered only by a bot is assessed on the bot's replies and says so
(`author_kind`), so figures can keep the two apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from review.phrases import PhraseLists
from review.retention.churn import load_phrases
from review.retention.churn import phrase_folders as default_churn_folders
from review.reviewing.autoqa import checks
from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.churn_ack import churn_ack
from review.reviewing.autoqa.conversation import AGENT, BOT, CUSTOMER, NOTE, Conversation, Finding
from review.reviewing.autoqa.effort import effort
from review.reviewing.autoqa.language import count_scripts, language_of
from review.reviewing.autoqa.phrasebook import Phrasebook, phrase_folders, ruleset_version
from review.reviewing.autoqa.readability import readability
from review.reviewing.autoqa.script import script_mismatch
from review.reviewing.autoqa.spelling import known_words, speller, spelling
from review.reviewing.autoqa.text import without_inline_quotes, without_quotes
from review.store import Store

# What `assess` finds, in the order a person reads them.
CHECKS = (
    "greeting",
    "closing",
    "name",
    "empathy",
    "apology",
    "clarifying",
    "solution",
    "help_link",
    "promise",
    "chaser",
    "churn_ack",
    "readability",
    "spelling",
    "script_mismatch",
    "rude",
    "sentiment",
)
_LATIN = re.compile(r"[A-Za-z]{2}")
_LETTERS = re.compile(r"[^\W\d_]")
CUSTOMER_SECTIONS = frozenset({"chaser"})  # what the rules look for in a customer's words
ENOUGH_LETTERS = 12  # a customer text shorter than this does not decide the language


@dataclass
class Rules:
    """Everything the checks need, loaded once: the phrase lists, the churn phrases, an
    optional sentiment model, and the rule-set version; the spelling dictionaries load on first
    use."""

    phrasebook: Phrasebook
    churn: PhraseLists
    sentiment: Callable[[str, str], float | None] | None = None
    version: str = ""
    folders: list[Path] = field(default_factory=list)
    churn_folders: list[Path] = field(default_factory=list)
    check_spelling: bool = True
    _spellers: dict[str, Callable[[str], bool] | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls,
        db: Store | None = None,
        *,
        folders: list[Path] | None = None,
        churn_folders: list[Path] | None = None,
        check_spelling: bool = True,
        models: bool = False,
    ) -> Rules:
        """The rules with the phrase folders of `db`'s settings (or `folders`); spelling where
        dictionaries are installed; the optional models when `models` and installed."""
        folders = folders if folders is not None else phrase_folders(db)
        churn_from = churn_folders if churn_folders is not None else default_churn_folders(db)
        rules = cls(
            Phrasebook.load(folders),
            load_phrases(churn_from),
            version=cls.version_of(folders, churn_from, check_spelling),
            folders=list(folders),
            churn_folders=list(churn_from),
            check_spelling=check_spelling,
        )
        if models:
            from review.reviewing.autoqa.tone_model import sentiment_model

            rules.sentiment = sentiment_model()
            if rules.sentiment is not None:
                rules.version += "+models"
        return rules

    @staticmethod
    def version_of(folders: list[Path], churn_folders: list[Path], check_spelling: bool) -> str:
        """The rule-set version `load` would give these folders (a hash of their files: cheap,
        so a loaded Rules can be reused while its files are unchanged)."""
        version = ruleset_version(folders) + ("" if check_spelling else "-nospell")
        return f"{version}.{ruleset_version(churn_folders).rsplit('+', 1)[1]}"

    def speller(self, language: str) -> Callable[[str], bool] | None:
        """The language's spelling check, its dictionaries loaded on first use (seconds for
        Russian), or None when spelling is off or no dictionary is installed."""
        if not self.check_spelling:
            return None
        if language not in self._spellers:
            self._spellers[language] = speller(language, known_words(self.folders, language))
        return self._spellers[language]


@dataclass(frozen=True)
class Assessment:
    """The findings on one conversation, its language, and whose replies were read
    ("person", "bot", or "none" when nobody replied)."""

    conversation_id: int
    language: str
    author_kind: str
    findings: dict[str, Finding]


def _read(rules: Rules, conversation: Conversation, language: str) -> list[Read]:
    cjk = language.startswith("zh")
    reads = []
    for message in conversation.messages:
        if message.role not in (CUSTOMER, AGENT, BOT, NOTE):
            continue
        if message.role == NOTE:  # only that it was written counts (a flag)
            reads.append(Read(message, message.text or "", {}, cjk))
            continue
        text = without_quotes(message.text or "")
        # A Chinese message is read with the list of its own script (a reply may be in the
        # other one: the script check says whether it should be); English sign-offs and
        # greetings are common in Russian and Chinese replies.
        own = (count_scripts(text).script or language) if cjk else language
        scan = (own, "en") if language != "en" and _LATIN.search(text) else (own,)
        sections = CUSTOMER_SECTIONS if message.role == CUSTOMER else None
        hits = rules.phrasebook.scan(without_inline_quotes(text), scan, sections)
        reads.append(Read(message, text, hits, cjk))
    return reads


def conversation_language(conversation: Conversation) -> str:
    """The language of a conversation: its customer's messages decide, or every public
    message when the customer wrote too little to tell ("help", "?"); English when nothing
    has letters."""
    customer = "\n".join(m.text or "" for m in conversation.by_role(CUSTOMER))
    if sum(1 for _ in islice(_LETTERS.finditer(customer), ENOUGH_LETTERS)) < ENOUGH_LETTERS:
        customer = "\n".join(m.text or "" for m in conversation.by_role(CUSTOMER, AGENT, BOT))
    language = language_of(customer)
    return "en" if language == "und" else language


def assess(conversation: Conversation, rules: Rules) -> Assessment:
    """Run every check on one conversation."""
    language = conversation_language(conversation)
    reads = _read(rules, conversation, language)
    agent = [r for r in reads if r.message.role == AGENT]
    author_kind = "person" if agent else "none"
    if not agent:
        agent = [r for r in reads if r.message.role == BOT]
        author_kind = "bot" if agent else "none"
    public = [r for r in reads if r.message.role != NOTE]
    customer = [r for r in reads if r.message.role == CUSTOMER]
    apology, feeling = checks.empathy(agent)
    found = [
        checks.greeting(agent),
        checks.closing(agent),
        checks.name_used(agent, conversation.customer_name),
        feeling,
        apology,
        checks.clarifying(agent),
        checks.solution(agent),
        checks.help_link(agent),
        checks.promise(agent),
        effort(public).finding(),
        churn_ack(reads, rules.churn, _flagged(rules, conversation), conversation.signals),
        readability(agent, language),
        checks.rude(agent),
    ]
    family = language.split("-")[0]
    if family in ("en", "ru"):
        found.append(spelling(agent, family, rules.speller(family), conversation.customer_name))
    if family == "zh":
        found.append(script_mismatch(customer, agent))
    if rules.sentiment is not None:
        from review.reviewing.autoqa.tone_model import customer_sentiment

        found.append(customer_sentiment(customer, language, rules.sentiment))
    return Assessment(conversation.id, language, author_kind, {f.check: f for f in found})


def _flagged(rules: Rules, conversation: Conversation) -> bool:
    if conversation.outcome_recorded:
        return True
    every = rules.phrasebook.languages
    return any(
        "churn" in tag.lower() or rules.phrasebook.scan(tag, every).get("retention")
        for tag in conversation.tags
    )
