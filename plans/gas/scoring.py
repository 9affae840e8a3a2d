"""The Kiresuk & Sherman T-score, pure (no database): the figures the pages, the API and the
tests share. REFERENCE.md 6.5; docs/decisions.md, "Issue 12: Goal Attainment Scaling".

    T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i ** 2) + rho * sum(w_i) ** 2),  rho = 0.3

T is 50 when every goal is met as expected; mean 50 and SD 10 by construction.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# The assumed correlation between a person's goals (Kiresuk & Sherman's customary 0.3).
RHO = 0.3
LEVELS = range(-2, 3)
_CENT = Decimal("0.01")


def t_score(scores: Sequence[int], weights: Sequence[int] | None = None, rho: float = RHO) -> Decimal | None:
    """The T-score of goals scored -2..+2 with their weights (equal when None), to two decimals,
    or None when no goal is scored. The distance from 50 is rounded half away from zero, so that
    T(-x) is exactly 100 - T(x)."""
    if not scores:
        return None
    weights = list(weights) if weights is not None else [1] * len(scores)
    if len(weights) != len(scores):
        raise ValueError("One weight per score.")
    if any(score not in LEVELS for score in scores):
        raise ValueError("A score is -2, -1, 0, +1 or +2.")
    if any(weight <= 0 for weight in weights):
        raise ValueError("A weight is positive.")
    weighted = sum(w * x for w, x in zip(weights, scores, strict=True))
    spread = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * sum(weights) ** 2)
    distance = Decimal(repr(abs(10 * weighted / spread))).quantize(_CENT, rounding=ROUND_HALF_UP)
    return Decimal(50) + distance if weighted >= 0 else Decimal(50) - distance


@dataclass(frozen=True)
class Scored:
    """One goal's score on a date, with the goal's weight."""

    goal: object  # any key that tells goals apart
    on: date
    score: int
    weight: int = 1


@dataclass(frozen=True)
class Review:
    """A review date: a date on which at least one goal was scored, and its T-score over the
    goals scored that day (their scores of that date only)."""

    on: date
    t: Decimal
    goals: int


def reviews(scores: Sequence[Scored]) -> list[Review]:
    """One T-score per review date, oldest first. A goal scored twice on a date (on two versions
    of its scale) counts once: the caller passes the newest version's score only."""
    by_date: dict[date, list[Scored]] = {}
    for row in scores:
        by_date.setdefault(row.on, []).append(row)
    found = []
    for on in sorted(by_date):
        rows = by_date[on]
        if len({row.goal for row in rows}) != len(rows):
            raise ValueError(f"A goal is scored twice on {on}.")
        t = t_score([row.score for row in rows], [row.weight for row in rows])
        assert t is not None  # a review date has at least one score
        found.append(Review(on, t, len(rows)))
    return found
