"""Gated reads of Goal Attainment Scaling: a goal's scale page, the person's overview (one
T-score per review date) and the plan page's summary. Each passes the gate for reading the
plan and is audited; an outsider, and a goal of another person reached through this person's
URL, get the same 404 as an unknown id.

Every read is three queries for the goals, their scales and their scores, whatever their number.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access import gate
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.vocab import Level
from people.models import Person
from plans.gas import chart, scoring, services
from plans.gas.services import CATEGORY
from plans.models import Goal, GoalScale, GoalScore

VIEWED = Action.PLANS_GAS_VIEWED


@dataclass(frozen=True)
class ScaleVersion:
    """A version of a goal's scale with its follow-up scores (oldest first)."""

    scale: GoalScale
    scores: list[GoalScore]
    current: bool


@dataclass(frozen=True)
class GoalGas:
    """One goal's scale: every version (newest first) with its scores."""

    goal: Goal
    versions: list[ScaleVersion]

    @property
    def scale(self) -> GoalScale | None:
        return self.versions[0].scale if self.versions else None

    @property
    def scores(self) -> list[GoalScore]:
        """The current version's follow-up scores, oldest first."""
        return self.versions[0].scores if self.versions else []

    @property
    def latest(self) -> GoalScore | None:
        return self.scores[-1] if self.scores else None

    def newest_per_date(self) -> dict[date, GoalScore]:
        """The goal's score per date; on a date scored on two versions, the newer version's."""
        found: dict[date, GoalScore] = {}
        for version in reversed(self.versions):  # oldest first: a newer version overwrites
            for score in version.scores:
                found[score.scored_on] = score
        return found


@dataclass(frozen=True)
class GoalPage:
    person: Person
    gas: GoalGas
    may_write: bool
    chart: chart.Chart


@dataclass(frozen=True)
class Overview:
    person: Person
    goals: list[GoalGas]
    reviews: list[scoring.Review]  # oldest first
    baseline_t: Decimal | None  # "at the start": the current scales' baselines
    chart: chart.Chart

    @property
    def latest(self) -> scoring.Review | None:
        return self.reviews[-1] if self.reviews else None


def person_for_gas(
    actor: User, person_id: uuid.UUID | str, *, action: str = VIEWED, audit_granted: bool = True
) -> tuple[Person, bool]:
    """The person, for reading their plan's scales, and whether the actor may change them. A
    change's view passes audit_granted=False: its service audits the change itself."""
    person = resolve_person(actor, person_id, action)
    gate.enforce(
        actor, person, gate.decide(actor, person, CATEGORY, Level.READ), action=action, audit_granted=audit_granted
    )
    return person, gate.decide(actor, person, CATEGORY, Level.WRITE).allowed


def require_write(actor: User, person: Person, *, action: str) -> None:
    """Refuse (and audit) a form page to someone who may read but not change the plan: a 403
    with the gate's sentence, as the change itself would be refused."""
    decision = gate.decide(actor, person, CATEGORY, Level.WRITE)
    if not decision.allowed:
        gate.enforce(actor, person, decision, action=action)


def _goals(person: Person, **filters: object) -> list[Goal]:
    scores = Prefetch("scores", queryset=GoalScore.objects.select_related("recorded_by").order_by("scored_on", "pk"))
    scales = GoalScale.objects.select_related("set_by").prefetch_related(scores).order_by("-number")
    return list(Goal.objects.filter(person=person, **filters).prefetch_related(Prefetch("scales", queryset=scales)))


def _gas(goal: Goal) -> GoalGas:
    scales = list(goal.scales.all())
    return GoalGas(
        goal, [ScaleVersion(scale, list(scale.scores.all()), current=i == 0) for i, scale in enumerate(scales)]
    )


def goal_for_gas(actor: User, person: Person, goal_id: uuid.UUID | str, *, action: str) -> Goal:
    """A goal of this person. Any other id, unknown or another person's, is the same audited
    refusal: the answer never tells whether the id exists elsewhere."""
    goal = Goal.objects.filter(person=person, public_id=goal_id).first()
    if goal is None:
        gate.refuse(actor, action, {"goal": str(goal_id)})
    goal.person = person  # the resolved person, so that services need not read it again
    return goal


def current_scale(goal: Goal) -> GoalScale | None:
    """The goal's scale now (its newest version), for a goal read through goal_for_gas()."""
    return services.current_scale(goal)


def score_on(scale: GoalScale, on: str | None) -> GoalScore | None:
    """The scale's score of a date (YYYY-MM-DD), to change it; None for no or a malformed date."""
    try:
        day = date.fromisoformat(on or "")
    except ValueError:
        return None
    return GoalScore.objects.filter(scale=scale, scored_on=day).first()


def get_goal_page(actor: User, person_id: uuid.UUID | str, goal_id: uuid.UUID | str) -> GoalPage:
    """A goal's scale, its versions and scores, and the chart of its level over time."""
    person, may_write = person_for_gas(actor, person_id)
    goal = goal_for_gas(actor, person, goal_id, action=VIEWED)
    [found] = _goals(person, pk=goal.pk)
    gas = _gas(found)
    scale = gas.scale
    points = [(score.scored_on, score.score) for score in gas.scores]
    drawn = chart.level_chart(
        points,
        title=_("Level of the goal “%(goal)s” over time") % {"goal": goal.title},
        description=level_description(gas),
        baseline=scale.baseline if scale else None,
    )
    return GoalPage(person, gas, may_write, drawn)


def level_description(gas: GoalGas) -> str:
    scale = gas.scale
    if scale is None:
        return _("This goal has no scale yet.")
    start = _("At the start (%(date)s) the level was %(level)s.") % {
        "date": formats.date_format(scale.baseline_on),
        "level": chart.signed(scale.baseline),
    }
    if not gas.scores:
        return start + " " + _("No follow-up score yet.")
    latest = gas.scores[-1]
    return (
        start
        + " "
        + _("Latest follow-up (%(date)s): %(level)s. The table below gives every score.")
        % {"date": formats.date_format(latest.scored_on), "level": chart.signed(latest.score)}
    )


def _reviews(goals: list[GoalGas]) -> list[scoring.Review]:
    rows = [
        scoring.Scored(gas.goal.pk, on, score.score, gas.goal.weight)
        for gas in goals
        for on, score in gas.newest_per_date().items()
    ]
    return scoring.reviews(rows)


def _baseline_t(goals: list[GoalGas]) -> Decimal | None:
    scaled = [gas for gas in goals if gas.scale is not None]
    return scoring.t_score(
        [gas.scale.baseline for gas in scaled if gas.scale], [gas.goal.weight for gas in scaled if gas.scale]
    )


def _overview(person: Person) -> Overview:
    goals = [_gas(goal) for goal in _goals(person)]
    # A cancelled goal's past scores keep counting on their dates; it leaves the list when it has no scale.
    shown = [gas for gas in goals if gas.versions or gas.goal.status != Goal.Status.CANCELLED]
    reviews = _reviews(goals)
    baseline_t = _baseline_t([gas for gas in goals if gas.goal.status != Goal.Status.CANCELLED])
    if reviews:
        latest = reviews[-1]
        description = ngettext(
            "%(count)s review date. Latest (%(date)s): T-score %(t)s. 50 means the goals were met as expected. "
            "The table below gives every figure.",
            "%(count)s review dates. Latest (%(date)s): T-score %(t)s. 50 means the goals were met as expected. "
            "The table below gives every figure.",
            len(reviews),
        ) % {"count": len(reviews), "date": formats.date_format(latest.on), "t": formats.number_format(latest.t, 2)}
    else:
        description = _("No score yet.")
    drawn = chart.t_chart(
        [(review.on, review.t) for review in reviews],
        title=_("T-score per review date"),
        description=description,
        baseline=baseline_t,
    )
    return Overview(person, shown, reviews, baseline_t, drawn)


def get_overview(actor: User, person_id: uuid.UUID | str) -> Overview:
    """The person's Goal Attainment Scaling: every goal's scale and latest level, and the
    T-score per review date."""
    person, _may_write = person_for_gas(actor, person_id)
    return _overview(person)


def plan_summary(actor: User, person: Person) -> Overview:
    """For the plan page (plans/gas/_summary.html, context name `gas`): per goal its current
    level against the baseline, and the latest T-score. Gated and audited here, so it is safe
    whoever calls it; the gate's reads are remembered within the request."""
    gate.check(actor, person, CATEGORY, Level.READ, action=VIEWED)
    return _overview(person)
