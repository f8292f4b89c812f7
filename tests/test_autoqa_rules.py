"""The quality rules one case at a time: what each check finds, where, and what it leaves."""

from __future__ import annotations

import pytest

from review.reviewing.autoqa.categories import FLAG, suggest
from review.reviewing.autoqa.conversation import Conversation, Message
from review.reviewing.autoqa.engine import Rules, assess
from review.reviewing.autoqa.readability import readability
from review.reviewing.autoqa.spelling import available
from review.reviewing.rubrics import current_rubric


@pytest.fixture(scope="module")
def rules():
    return Rules.load()


def _conversation(*turns, name="Anna Kowalski", tags=()):
    messages = []
    for i, turn in enumerate(turns, start=1):
        role, text, *at = turn
        messages.append(Message(i, role, text, at[0] if at else f"2024-05-01T{8 + i:02d}:00:00Z"))
    return Conversation(1, tuple(messages), name, tuple(tags))


def _found(rules, conversation, check):
    finding = assess(conversation, rules).findings[check]
    return finding.found, [e.text for e in finding.evidence]


@pytest.mark.parametrize(
    ("reply", "name", "words"),
    [
        ("Мария, добрый день! Посмотрела ваш счёт.", "Мария Соколова", "добрый"),
        ("王先生您好！已为您重开发票。", "王伟", "您好"),
        ("Hi Anna, the export works again.", "Anna Kowalski", "Hi"),
        ("Guten Morgen? No: Good morning, Tom.", "Tom Becker", None),
    ],
)
def test_a_greeting_may_come_after_the_name(rules, reply, name, words):
    found, evidence = _found(
        rules, _conversation(("customer", "help"), ("agent", reply), name=name), "greeting"
    )
    assert found is (words is not None)
    if words:
        assert evidence[0].lower().startswith(words.lower())


def test_a_greeting_in_the_middle_of_a_reply_is_not_a_greeting(rules):
    reply = "The export is fixed. Say hello to the new timeline view, by the way."
    assert not _found(rules, _conversation(("customer", "hi"), ("agent", reply)), "greeting")[0]


def test_a_closing_counts_only_at_the_end_of_the_last_reply(rules):
    early = _conversation(
        ("customer", "Export broken"),
        ("agent", "Hi! Have a great day!"),
        ("customer", "Still broken."),
        ("agent", "Fixed it: open Settings > Export and try again."),
    )
    assert not _found(rules, early, "closing")[0]
    late = _conversation(("customer", "?"), ("agent", "Fixed.\n\nBest regards,\nSam"))
    assert _found(rules, late, "closing") == (True, ["Best regards"])


def test_a_closing_offer_is_not_a_clarifying_question(rules):
    offer = _conversation(
        ("customer", "How do I export?"),
        ("agent", "Open Settings > Export. Is there anything else I can help with?"),
    )
    assert not _found(rules, offer, "clarifying")[0]
    asked = _conversation(
        ("customer", "Export is blank."),
        ("agent", "Which browser do you use? Meanwhile, open Settings > Export and retry."),
    )
    assert _found(rules, asked, "clarifying") == (True, ["Which browser do you use?"])


def test_quoted_replies_are_not_the_agents_words(rules):
    reply = "The fix is live.\n\nOn Tue, Anna wrote:\n> Hi, so sorry to bother you again!"
    conversation = _conversation(("customer", "Broken"), ("agent", reply))
    assert not _found(rules, conversation, "empathy")[0]
    quoted_ui = 'The "Sorry, something went wrong" page means the session expired.'
    assert not _found(rules, _conversation(("customer", "x"), ("agent", quoted_ui)), "empathy")[0]


def test_a_traditional_customer_answered_in_simplified_is_found_with_the_sentence(rules):
    conversation = _conversation(
        ("customer", "請問發票上的地址可以修改嗎？謝謝。"),
        ("agent", "您好！可以的。请在设置里修改账单地址，之后的发票都会更新。"),
        name="陳志明",
    )
    finding = assess(conversation, rules).findings["script_mismatch"]
    assert finding.found
    assert finding.evidence[0].text == "请在设置里修改账单地址，之后的发票都会更新。"
    assert "Traditional" in finding.note


@pytest.mark.skipif(not available("en"), reason="hunspell-en-us is not installed")
def test_spelling_flags_unknown_words_but_not_names_or_products(rules):
    reply = "Hi Anna, you will recieve the Tasklane invoice shortly. Anna, it's definately fixed."
    found, words = _found(rules, _conversation(("customer", "x"), ("agent", reply)), "spelling")
    assert found and words == ["recieve", "definately"]


def test_readability_measures_sentences_and_reading_ease():
    from review.reviewing.autoqa.checks import Read

    text = "The cat sat. The dog ran."
    read = Read(Message(1, "agent", text), text, {}, False)
    finding = readability([read], "en")
    assert finding.value == 3.0  # 6 words in 2 sentences
    # 6 one-syllable words: 206.835 - 1.015 * 3 - 84.6 * 1
    assert "Flesch reading ease 119" in finding.note


def test_chasing_is_found_from_words_and_from_unanswered_follow_ups(rules):
    words = _conversation(
        ("customer", "Export?"), ("agent", "Looking."), ("customer", "Any update?")
    )
    assert _found(rules, words, "chaser")[0]
    silence = _conversation(
        ("customer", "Our export is empty.", "2024-05-01T08:00:00Z"),
        ("customer", "Hello, can someone help.", "2024-05-02T09:00:00Z"),
        ("agent", "Fixed now.", "2024-05-03T09:00:00Z"),
    )
    finding = assess(silence, rules).findings["chaser"]
    assert finding.found and finding.value == pytest.approx(49.0)  # hours waited
    details = _conversation(
        ("customer", "Our export is empty.", "2024-05-01T08:00:00Z"),
        ("customer", "Forgot: it is the Q3 roadmap.", "2024-05-01T08:05:00Z"),
    )
    assert not _found(rules, details, "chaser")[0]


def test_a_churn_signal_is_taken_up_or_flagged(rules):
    ignored = _conversation(
        ("customer", "Please cancel my subscription."), ("agent", "Sure thing.")
    )
    finding = assess(ignored, rules).findings["churn_ack"]
    assert not finding.found and finding.value == 1
    tagged = _conversation(
        ("customer", "Please cancel my subscription."), ("agent", "Sure."), tags=("churn-risk",)
    )
    assert assess(tagged, rules).findings["churn_ack"].found
    taken = _conversation(
        ("customer", "Please cancel my subscription."),
        ("agent", "Before you go, I can offer a discount for three months."),
    )
    assert _found(rules, taken, "churn_ack") == (True, ["Please cancel", "Before you go"])


def test_rudeness_is_a_flag_and_judgement_categories_get_nothing(rules, db):
    categories = current_rubric(db).categories
    conversation = _conversation(
        ("customer", "The export fails."), ("agent", "Calm down, read the manual.")
    )
    suggestions = {s.category_key: s for s in suggest(assess(conversation, rules), categories)}
    assert suggestions["critical"].kind == FLAG and suggestions["critical"].rating is None
    assert "Calm down" in suggestions["critical"].reason
    assert not {"accuracy", "reading", "workarounds"} & set(suggestions)
    assert all(s.rating is None or s.kind != FLAG for s in suggestions.values())


def test_bots_are_assessed_apart_from_people(rules):
    bot = _conversation(
        ("customer", "Where is my invoice?"), ("bot", "Hi! See Billing > Invoices.")
    )
    assessment = assess(bot, rules)
    assert assessment.author_kind == "bot"
    assert assessment.findings["greeting"].found


def test_a_teams_own_phrases_extend_the_lists_and_change_the_version(tmp_path):
    from review.reviewing.autoqa.phrasebook import builtin_folder

    own = tmp_path / "acme"
    own.mkdir()
    (own / "en-acme.txt").write_text("@language en\n[greeting]\nahoy\n", encoding="utf-8")
    base = Rules.load(check_spelling=False)
    extended = Rules.load(folders=[builtin_folder(), own], check_spelling=False)
    conversation = _conversation(("customer", "x"), ("agent", "Ahoy Anna! Fixed."))
    assert not assess(conversation, base).findings["greeting"].found
    assert assess(conversation, extended).findings["greeting"].found
    assert base.version != extended.version


def test_the_optional_sentiment_model_hints_at_an_unhappy_customer():
    pytest.importorskip("vaderSentiment")
    rules = Rules.load(check_spelling=False, models=True)
    assert rules.version.endswith("+models")
    angry = _conversation(
        ("customer", "This is terrible, I am furious and nothing works."), ("agent", "Fixed.")
    )
    finding = assess(angry, rules).findings["sentiment"]
    assert finding.found and finding.value < -0.3
