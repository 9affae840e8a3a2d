"""The Goal Attainment Scaling API: the same queries and services as the pages (OpenAPI at
/api/docs). Body fields are optional on purpose, so that the gate answers an outsider (404)
before any input is looked at. A scale is changed with PUT and If-Match (the ETag of the read;
W/"0" when the goal has no scale yet): a stale one answers 412, a missing one 428. A second
score on the same date is a 412 unless it is sent with If-Match, the version of that day's
score, which it then changes."""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status

from core.actions import Action
from core.http import etag, version_from_if_match
from core.requests import ApiRequest
from plans.gas import queries, services
from plans.gas.queries import GoalGas, ScaleVersion
from plans.gas.scoring import RHO
from plans.models import GoalScore
from schakel.routes import person_route

router = Router(tags=["goal attainment scaling"])


class ScoreOut(Schema):
    id: uuid.UUID
    scored_on: date
    score: int
    note: str
    recorded_by: str
    recorded_at: datetime
    version: int


class ScaleOut(Schema):
    id: uuid.UUID
    number: int  # the scale's version as people read it: 1, 2, ...
    current: bool
    levels: dict[str, str]  # "-2" .. "+2" -> this goal's text
    baseline: int
    baseline_on: date
    set_by: str
    set_at: datetime
    locked: bool  # scored: a change makes a new, flagged version
    changed_after_follow_up: bool
    change_reason: str
    scores: list[ScoreOut]


class GoalScaleOut(Schema):
    goal_id: uuid.UUID
    goal: str
    weight: int
    version: int  # also the ETag; 0 when the goal has no scale yet
    scale: ScaleOut | None  # the current version
    versions: list[ScaleOut]  # every version, newest first


def _score(score: GoalScore) -> dict[str, Any]:
    return {
        "id": score.public_id,
        "scored_on": score.scored_on,
        "score": score.score,
        "note": score.note,
        "recorded_by": str(score.recorded_by),
        "recorded_at": score.recorded_at,
        "version": score.version,
    }


def _scale(version: ScaleVersion) -> dict[str, Any]:
    scale = version.scale
    return {
        "id": scale.public_id,
        "number": scale.number,
        "current": version.current,
        "levels": {f"{level:+d}" if level else "0": text for level, text in scale.levels()},
        "baseline": scale.baseline,
        "baseline_on": scale.baseline_on,
        "set_by": str(scale.set_by),
        "set_at": scale.set_at,
        "locked": scale.locked_at is not None,
        "changed_after_follow_up": scale.changed_after_follow_up,
        "change_reason": scale.change_reason,
        "scores": [_score(score) for score in version.scores],
    }


def _goal_scale(gas: GoalGas) -> dict[str, Any]:
    versions = [_scale(version) for version in gas.versions]
    return {
        "goal_id": gas.goal.public_id,
        "goal": gas.goal.title,
        "weight": gas.goal.weight,
        "version": gas.scale.version if gas.scale else 0,
        "scale": versions[0] if versions else None,
        "versions": versions,
    }


@router.get("/persons/{person_id}/goals/{goal_id}/scale", response=GoalScaleOut, url_name="gas-scale")
@person_route("GET")
def read_scale(request: ApiRequest, person_id: uuid.UUID, goal_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    """A goal's scale with every version and its scores; the ETag is the version to send back."""
    page = queries.get_goal_page(request.auth, person_id, goal_id)
    response["ETag"] = etag(page.gas.scale.version if page.gas.scale else 0)
    return _goal_scale(page.gas)


class ScaleIn(Schema):
    levels: dict[str, str] | None = None  # "-2", "-1", "0", "+1", "+2" -> text
    baseline: int | None = None
    baseline_on: date | None = None
    reason: str = ""  # required once the scale has a follow-up score


LEVEL_KEYS = ("-2", "-1", "0", "+1", "+2")


@router.put("/persons/{person_id}/goals/{goal_id}/scale", response=GoalScaleOut, url_name="gas-scale-set")
@person_route("PUT")
def set_scale(
    request: ApiRequest, person_id: uuid.UUID, goal_id: uuid.UUID, response: HttpResponse, body: ScaleIn | None = None
) -> dict[str, Any]:
    """Set or change the scale (If-Match). Scored already: a new version, flagged, with `reason`."""
    action = Action.PLANS_GAS_SCALE_SET
    person, _may_write = queries.person_for_gas(request.auth, person_id, action=action, audit_granted=False)
    goal = queries.goal_for_gas(request.auth, person, goal_id, action=action)
    version = version_from_if_match(request.headers.get("If-Match"))
    body = body or ScaleIn()
    levels = body.levels or {}
    texts = tuple(levels.get(key, "") for key in LEVEL_KEYS)
    data = services.ScaleInput(texts, body.baseline, body.baseline_on)  # type: ignore[arg-type]  # five texts
    services.set_scale(request.auth, goal, data, version=version, reason=body.reason)
    page = queries.get_goal_page(request.auth, person.public_id, goal.public_id)
    response["ETag"] = etag(page.gas.scale.version if page.gas.scale else 0)
    return _goal_scale(page.gas)


class ScoreIn(Schema):
    scored_on: date | None = None
    score: int | None = None
    note: str = ""


@router.post(
    "/persons/{person_id}/goals/{goal_id}/scale/scores",
    response={201: ScoreOut, 200: ScoreOut},
    url_name="gas-score",
)
@person_route("POST")
def score(request: ApiRequest, person_id: uuid.UUID, goal_id: uuid.UUID, body: ScoreIn | None = None) -> Status[Any]:
    """A follow-up score (201). With If-Match (that score's version), change the date's score (200)."""
    header = request.headers.get("If-Match")
    action = Action.PLANS_GAS_SCORE_CHANGED if header else Action.PLANS_GAS_SCORED
    person, _may_write = queries.person_for_gas(request.auth, person_id, action=action, audit_granted=False)
    goal = queries.goal_for_gas(request.auth, person, goal_id, action=action)
    version = version_from_if_match(header) if header else None
    body = body or ScoreIn()
    saved = services.record_score(
        request.auth, goal, scored_on=body.scored_on, score=body.score, note=body.note, version=version
    )
    return Status(200 if version else 201, _score(saved))


class ReviewOut(Schema):
    reviewed_on: date
    t_score: float
    goals_scored: int


class GoalSummaryOut(Schema):
    goal_id: uuid.UUID
    goal: str
    baseline: int | None
    latest_score: int | None
    latest_on: date | None


class OverviewOut(Schema):
    rho: float
    baseline_t_score: float | None  # "at the start", over the current scales' baselines
    reviews: list[ReviewOut]  # one T-score per review date, oldest first
    goals: list[GoalSummaryOut]


@router.get("/persons/{person_id}/goal-attainment", response=OverviewOut, url_name="gas-overview")
@person_route("GET")
def overview(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """One T-score per review date (Kiresuk & Sherman, rho 0.3, two decimals)."""
    view = queries.get_overview(request.auth, person_id)
    return {
        "rho": RHO,
        "baseline_t_score": float(view.baseline_t) if view.baseline_t is not None else None,
        "reviews": [{"reviewed_on": r.on, "t_score": float(r.t), "goals_scored": r.goals} for r in view.reviews],
        "goals": [
            {
                "goal_id": gas.goal.public_id,
                "goal": gas.goal.title,
                "baseline": gas.scale.baseline if gas.scale else None,
                "latest_score": gas.latest.score if gas.latest else None,
                "latest_on": gas.latest.scored_on if gas.latest else None,
            }
            for gas in view.goals
        ],
    }
