"""Calibration: percent agreement and Krippendorff's ordinal alpha, checked against the worked
examples of Klaus Krippendorff, "Computing Krippendorff's Alpha-Reliability", University of
Pennsylvania, 2011 (https://repository.upenn.edu/asc_papers/43)."""

from __future__ import annotations

import math

import pytest

from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.reviewing.calibration import calibration, krippendorff_alpha, percent_agreement
from review.reviewing.reviews import rate, start_review
from review.reviewing.rubrics import import_rubric

N = None
# Krippendorff (2011), section C "Nominal data, any number of observers, missing values":
# 4 observers (rows) x 12 units (columns), "." = missing. The paper reports, for these data,
# alpha = 0.743 nominal (section C), 0.815 ordinal (section D) and 0.849 interval (section E).
PAPER_C = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    "C": [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
}
UNITS_C = list(zip(*PAPER_C.values(), strict=True))


def test_alpha_matches_krippendorff_2011_section_c_and_d():
    nominal = krippendorff_alpha(UNITS_C, "nominal")
    assert round(nominal, 3) == 0.743
    # the paper's n = 40 pairable values, n_c = 9, 13, 10, 5, 3, and 8 mismatching coincidences:
    # alpha = 1 - (40 - 1) * 8 / (40^2 - (9^2 + 13^2 + 10^2 + 5^2 + 3^2)) = 113/152
    assert nominal == pytest.approx(113 / 152)
    assert round(krippendorff_alpha(UNITS_C, "ordinal"), 3) == 0.815


def test_alpha_matches_krippendorff_2011_section_a_two_observers_binary():
    # Section A: 2 observers, 10 units, binary data; the paper gives alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha(list(zip(a, b, strict=True)), "nominal"), 3) == 0.095


def test_alpha_without_variation_or_pairs_is_none():
    assert krippendorff_alpha([(3, 3), (3, 3, N)]) is None
    assert krippendorff_alpha([(3, N), (N, 2)]) is None
    assert krippendorff_alpha([(1, 5), (5, 1)]) == pytest.approx(1 - 3 * 4 / 8)  # -0.5


def test_percent_agreement_counts_pairs_within_units():
    # 55 pairs in the paper's data, 43 of them equal (worked out by hand, unit by unit)
    percent, pairs = percent_agreement(UNITS_C)
    assert pairs == 55 and percent == pytest.approx(100 * 43 / 55)


RUBRIC = """\
name = "Calibration"

[[category]]
key = "q"
name = "Quality"
scale = "1-5"

[[category]]
key = "ok"
name = "OK"
scale = "pass_fail"
allow_na = true
"""


def test_calibration_over_reviews_in_the_store(db, tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(RUBRIC, encoding="utf-8")
    rubric = import_rubric(db, path)
    quality, ok = rubric.category("q").id, rubric.category("ok").id
    store_records(
        db,
        [
            Conversation("zendesk", str(u), agent=Person("zendesk", "a1", "agent", name="Ana"))
            for u in range(1, 13)
        ],
    )
    conv = dict(db.execute("select external_id, id from conversations").fetchall())
    for reviewer, values in PAPER_C.items():
        for unit, value in enumerate(values, start=1):
            if value is None:
                continue
            review = start_review(db, conv[str(unit)], reviewer)
            rate(db, review.id, quality, value)
    # "ok": both A and B say pass on unit 1, C marks N/A there (missing), D fails it
    for reviewer, value in (("A", 1), ("B", 1), ("D", 0)):
        review = start_review(db, conv["1"], reviewer)
        rate(db, review.id, ok, value)
    review = start_review(db, conv["1"], "C")
    rate(db, review.id, ok, None, na=True)

    result = calibration(db)
    assert result.conversations == 11  # unit 12 has one reviewer only
    assert result.reviewers == ("A", "B", "C", "D")
    by_key = {c.key: c for c in result.categories}
    q = by_key["q"]
    assert (q.units, q.pairs) == (11, 55)
    assert q.percent_agreement == pytest.approx(100 * 43 / 55)
    assert round(q.alpha, 3) == 0.815
    assert (by_key["ok"].pairs, by_key["ok"].percent_agreement) == (3, pytest.approx(100 / 3))

    spreads = {s.conversation_id: s for s in result.spreads}
    # unit 6: scores 0, 25, 50, 75 (quality 1..4 on 1-5) -> population sd 12.5 * sqrt(5)
    six = spreads[conv["6"]]
    assert (six.minimum, six.maximum) == (0.0, 75.0)
    assert six.stdev == pytest.approx(12.5 * math.sqrt(5))
    # unit 1: quality 1 for A, B, D; with "ok" A and B score (0 + 1) / 2 = 50, D scores 0
    one = spreads[conv["1"]]
    assert one.reviewers == ("A", "B", "D") and one.scores == (50.0, 50.0, 0.0)
    assert spreads[conv["3"]].stdev == 0.0

    only = calibration(db, [conv["6"], conv["12"]])
    assert only.conversations == 1 and only.categories[0].pairs == 6
    assert only.categories[0].percent_agreement == 0.0
    assert calibration(db, []).conversations == 0
