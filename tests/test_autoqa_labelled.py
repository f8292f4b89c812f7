"""The quality rules on the labelled set: precision and recall per category and language above
the bars stated in tests/data/autoqa/README.md, and every finding's evidence is the text it
names."""

from __future__ import annotations

from collections import Counter

import pytest

from review.reviewing.autoqa.engine import Rules, assess
from tests.autoqa_set import LANGUAGES, bars, labelled


@pytest.fixture(scope="module")
def assessed():
    rules = Rules.load()
    return {
        language: [(assess(c, rules), c, labels) for c, labels in labelled(language)]
        for language in LANGUAGES
    }


def test_the_set_is_large_enough_and_varied(assessed):
    for language, rows in assessed.items():
        assert len(rows) >= 200, language
        openings = Counter(c.by_role("agent")[0].text.split("\n")[0][:12] for _, c, _ in rows)
        assert len(openings) >= 40, language  # not one greeting over and over


def test_bars_cover_every_category_and_language():
    table = bars()
    for language in LANGUAGES:
        for category in ("greeting", "closing", "empathy", "clarifying", "solution", "rude"):
            assert (category, language) in table
    assert all(0 < p <= 1 and 0 < r <= 1 for p, r in table.values())


@pytest.mark.parametrize(("category", "language"), sorted(bars()))
def test_precision_and_recall_above_the_bars(assessed, category, language):
    precision_bar, recall_bar = bars()[category, language]
    tp = fp = fn = 0
    for assessment, _, labels in assessed[language]:
        found = assessment.findings[category].found
        truth = bool(labels[category])
        tp += found and truth
        fp += found and not truth
        fn += truth and not found
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    assert precision >= precision_bar, f"{category} {language}: precision {precision:.2f}"
    assert recall >= recall_bar, f"{category} {language}: recall {recall:.2f}"


def test_every_evidence_span_is_the_text_it_quotes(assessed):
    checked = 0
    for rows in assessed.values():
        for assessment, conversation, _ in rows:
            texts = {m.id: m.text for m in conversation.messages}
            for finding in assessment.findings.values():
                for ev in finding.evidence:
                    assert texts[ev.message_id][ev.start : ev.end] == ev.text
                    assert ev.end > ev.start
                    checked += 1
    assert checked > 5000
