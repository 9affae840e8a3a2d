"""The Kiresuk & Sherman T-score (rho 0.3) gives the issue's test vectors exactly, to two decimals."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from plans.gas import scoring


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([+1, 0, -1], "50.0"),
        ([+1, +1, +2], "68.26"),
        ([-1, -1, -1], "36.31"),
        ([-2, -2, -2], "22.61"),
    ],
)
def test_the_issues_vectors_with_equal_weights(scores, expected):
    assert scoring.t_score(scores) == Decimal(expected)


@pytest.mark.parametrize("level", [-2, -1, 0, 1, 2])
def test_one_goal_scored_x_is_50_plus_10x(level):
    assert scoring.t_score([level]) == Decimal(50 + 10 * level)


def test_weights_1_2_3_on_plus1_0_minus1():
    assert scoring.t_score([+1, 0, -1], [1, 2, 3]) == Decimal("45.59")


def test_equal_weights_are_the_default():
    assert scoring.t_score([2, -1, 1]) == scoring.t_score([2, -1, 1], [1, 1, 1])


def test_no_scored_goal_has_no_t_score():
    assert scoring.t_score([]) is None


# Every vector of one to three goals, equal and unequal weights, and some longer ones.
MIRRORED = [
    (list(scores), weights[: len(scores)])
    for length in (1, 2, 3)
    for scores in itertools.product(range(-2, 3), repeat=length)
    for weights in ([1, 1, 1], [1, 2, 3], [3, 1, 2])
] + [([2, 1, 0, -1, 1, 1, 2], [1, 2, 1, 3, 1, 1, 5]), ([-2] * 10, [1] * 10), ([1, 2, 2, -2, 0], [7, 1, 3, 2, 10])]


def test_mirrored_scores_mirror_the_t_score():
    for scores, weights in MIRRORED:
        t = scoring.t_score(scores, weights)
        assert scoring.t_score([-x for x in scores], weights) == 100 - t, (scores, weights)
        assert t == t.quantize(Decimal("0.01"))


def test_a_score_outside_the_scale_is_refused():
    with pytest.raises(ValueError):
        scoring.t_score([3])


def test_one_t_score_per_review_date_over_the_goals_scored_that_day():
    rows = [
        scoring.Scored("stairs", date(2026, 1, 10), 1),
        scoring.Scored("market", date(2026, 1, 10), 1),
        scoring.Scored("meals", date(2026, 1, 10), 2),
        scoring.Scored("stairs", date(2026, 3, 5), -1),  # the only goal scored that day
    ]
    reviews = scoring.reviews(rows)
    assert [(r.on, r.t, r.goals) for r in reviews] == [
        (date(2026, 1, 10), Decimal("68.26"), 3),
        (date(2026, 3, 5), Decimal("40.00"), 1),
    ]


def test_no_score_no_review():
    assert scoring.reviews([]) == []
