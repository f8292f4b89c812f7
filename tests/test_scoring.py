"""The DOMAIN.md score formula: weights, N/A left out, critical fail gives 0, no rating no score."""

from __future__ import annotations

import pytest

from review.reviewing.rubrics import Category
from review.reviewing.scoring import score


def _cat(cid, scale="1-5", weight=1.0, critical=False):
    low, high = {"1-5": (1, 5), "1-3": (1, 3), "1-4": (1, 4), "pass_fail": (0, 1)}[scale]
    return Category(cid, f"c{cid}", f"C{cid}", "", scale, low, high, weight, True, critical)


CATS = [
    _cat(1, "1-5", 3),
    _cat(2, "1-3", 1),
    _cat(3, "pass_fail", 2),
    _cat(4, "1-4", 2, critical=True),
]


def test_weighted_mean_of_normalised_ratings():
    # 1-5 rated 4 -> 0.75 (w 3); 1-3 rated 2 -> 0.5 (w 1); pass -> 1 (w 2); 1-4 rated 3 -> 2/3 (w 2)
    # 100 * (2.25 + 0.5 + 2 + 4/3) / 8 = 76.041666...
    result = score(CATS, {1: 4, 2: 2, 3: 1, 4: 3})
    assert result.score == pytest.approx(100 * (2.25 + 0.5 + 2 + 4 / 3) / 8)
    assert round(result.score, 4) == 76.0417
    assert result.rated == 4 and not result.critical_failed


def test_na_and_unrated_are_left_out_of_both_sums():
    # only 1 (rated 5 -> 1.0, w 3) and 2 (rated 1 -> 0, w 1): 100 * 3 / 4 = 75
    result = score(CATS, {1: 5, 2: 1, 3: None})
    assert result.score == 75.0 and result.rated == 2


def test_top_and_bottom_of_every_scale():
    assert score(CATS, {1: 5, 2: 3, 3: 1, 4: 4}).score == 100.0
    # everything at its minimum but the critical category passed at 2 of 1-4 (1/3, w 2)
    assert score(CATS, {1: 1, 2: 1, 3: 0, 4: 2}).score == pytest.approx(100 * (2 / 3) / 8)


def test_critical_category_at_its_minimum_gives_zero():
    result = score(CATS, {1: 5, 2: 3, 3: 1, 4: 1})
    assert result.score == 0.0 and result.critical_failed and result.rated == 4


def test_failing_a_non_critical_pass_fail_category_only_lowers_the_score():
    # pass_fail 3 failed (0, w 2) beside 1 rated 5 (1.0, w 3): 100 * 3 / 5 = 60
    result = score(CATS, {1: 5, 3: 0})
    assert result.score == 60.0 and not result.critical_failed


def test_no_rated_category_has_no_score_not_zero():
    result = score(CATS, {})
    assert result.score is None and result.rated == 0 and not result.critical_failed
    assert score(CATS, {1: None, 3: None}).score is None


def test_ratings_of_other_categories_are_ignored():
    assert score(CATS, {99: 5, 1: 3}).score == 50.0
