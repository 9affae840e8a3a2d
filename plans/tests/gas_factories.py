"""Goal Attainment Scales and scores for tests, made through plans.gas.services."""

from datetime import date

from plans.gas import services
from plans.models import Goal, GoalScale, GoalScore

STAIRS = (
    "Komt de trap niet meer op, ook niet met hulp",
    "Trap op met hulp van de thuisverpleging",
    "Trap op en af met de leuning, alleen, overdag",
    "Trap op en af alleen, ook 's avonds",
    "Trap op en af met een boodschappentas",
)


def scale_input(baseline: int = -1, on: date = date(2026, 1, 5), levels=STAIRS) -> services.ScaleInput:
    return services.ScaleInput(tuple(levels), baseline, on)


def set_scale(actor, goal: Goal, baseline: int = -1, on: date = date(2026, 1, 5), **kwargs) -> GoalScale:
    version = kwargs.pop("version", None)
    if version is None:
        current = services.current_scale(goal)
        version = current.version if current else 0
    return services.set_scale(actor, goal, scale_input(baseline, on), version=version, **kwargs)


def score(actor, goal: Goal, level: int, on: date, **kwargs) -> GoalScore:
    return services.record_score(actor, goal, scored_on=on, score=level, **kwargs)
