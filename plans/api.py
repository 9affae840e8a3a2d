"""The plans API: the same queries and services as the pages (OpenAPI at /api/docs).

GET reads; one record is read, changed or answered with ?item=<id>. Every change to an existing
record needs the version read, in If-Match (the ETag of the read): a stale one answers 412, a
missing one 428. Body fields are optional on purpose, so that the gate answers an outsider (404)
before any input is looked at; ids sent in the body are resolved next (another person's is the
same audited 404 as an unknown one), then the services check the rest (422)."""

import uuid
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from access import gate
from accounts.models import User
from core.actions import Action
from core.http import etag, version_from_if_match
from core.requests import ApiRequest
from core.vocab import Level
from people.models import Person
from plans import queries, services
from plans.agreements.api import router as agreements_router
from plans.gas.api import router as gas_router
from plans.help.api import router as help_router
from plans.inbox.api import router as inbox_router
from plans.models import Goal, LifeGoal, PlanAction
from plans.reviews.api import router as reviews_router
from plans.signals.api import router as signals_router
from schakel.routes import GOAL, LIFE_GOAL, MEMBERSHIP, PLAN_ACTION, person_route

router = Router(tags=["plans"])
router.add_router("", gas_router)  # Goal Attainment Scaling
router.add_router("", inbox_router)  # My actions
router.add_router("", help_router)  # Did it help?
router.add_router("", reviews_router)
router.add_router("", signals_router)
router.add_router("", agreements_router)


# ── Schemas ──────────────────────────────────────────────────────────────────────────────────


class LifeGoalOut(Schema):
    id: uuid.UUID
    version: int
    text: str
    written_by: str
    status: str
    updated_at: datetime


class GoalOut(Schema):
    id: uuid.UUID
    version: int
    life_goal: uuid.UUID | None  # only for readers of the life goals (wishes)
    title: str
    description: str
    status: str
    weight: int
    updated_at: datetime


class ActionOut(Schema):
    id: uuid.UUID
    version: int
    goal: uuid.UUID | None  # only for readers of the plan
    title: str
    details: str
    owner: uuid.UUID  # the owner's membership of the care team
    owner_name: str
    owner_role: str
    due_on: date | None
    status: str
    outcome: str
    decline_reason: str
    hold_reason: str
    origin: str
    accepted_at: datetime | None
    done_at: datetime | None
    updated_at: datetime


class PlanOut(Schema):
    life_goals: list[LifeGoalOut]  # empty for a reader who may not read wishes
    goals: list[GoalOut]
    actions: list[ActionOut]
    last_reviewed: date | None


class LifeGoalsOut(Schema):
    entries: list[LifeGoalOut]


class GoalsOut(Schema):
    entries: list[GoalOut]


class ActionsOut(Schema):
    entries: list[ActionOut]


class LifeGoalIn(Schema):
    text: str | None = None
    written_by: str | None = None
    status: str | None = None  # PATCH only


class GoalIn(Schema):
    title: str | None = None
    description: str | None = None
    life_goal: str | None = None  # a life goal's id; null (PATCH) takes the goal from under it
    status: str | None = None  # PATCH only
    weight: int | None = None


class ActionIn(Schema):
    title: str | None = None
    details: str | None = None
    due_on: date | None = None
    goal: str | None = None  # a goal's id; null (PATCH) takes the action from under it
    owner: str | None = None  # POST: the owner's membership id


class DeclineIn(Schema):
    reason: str = ""


class StatusIn(Schema):
    status: str = ""
    outcome: str = ""
    hold_reason: str = ""


class ReassignIn(Schema):
    owner: str | None = None


def _life_goal(row: LifeGoal) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "version": row.version,
        "text": row.text,
        "written_by": row.written_by,
        "status": row.status,
        "updated_at": row.updated_at,
    }


def _goal(row: Goal, *, reads_wishes: bool, life_goal_ids: dict[int, uuid.UUID]) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "version": row.version,
        "life_goal": life_goal_ids.get(row.life_goal_id) if reads_wishes and row.life_goal_id else None,
        "title": row.title,
        "description": row.description,
        "status": row.status,
        "weight": row.weight,
        "updated_at": row.updated_at,
    }


def _action(row: PlanAction, *, goal_ids: dict[int, uuid.UUID] | None) -> dict[str, Any]:
    """`goal_ids`: None for a reader who may not read the plan (the neighbour rule)."""
    return {
        "id": row.public_id,
        "version": row.version,
        "goal": goal_ids.get(row.goal_id) if goal_ids is not None and row.goal_id else None,
        "title": row.title,
        "details": row.details,
        "owner": row.owner.public_id,
        "owner_name": str(row.owner.user),
        "owner_role": row.owner.profile,
        "due_on": row.due_on,
        "status": row.status,
        "outcome": row.outcome,
        "decline_reason": row.decline_reason,
        "hold_reason": row.hold_reason,
        "origin": row.origin,
        "accepted_at": row.accepted_at,
        "done_at": row.done_at,
        "updated_at": row.updated_at,
    }


def _ids(model: type[LifeGoal] | type[Goal], person: Person) -> dict[int, uuid.UUID]:
    return dict(model.objects.filter(person=person).values_list("pk", "public_id"))


def _item_required(message: str) -> ValidationError:
    return ValidationError(message, code="item_required")


def _one_error(error: ValidationError) -> ValidationError:
    """One message with a code, as schakel.api's 422 handler expects."""
    if isinstance(error, services.StaleEdit) or not hasattr(error, "error_dict"):
        return error
    return ValidationError("; ".join(error.messages), code="invalid")


# ── The plan ─────────────────────────────────────────────────────────────────────────────────


@router.get("/persons/{person_id}", response=PlanOut, url_name="plan")
@person_route("GET")
def plan(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """The whole plan the caller may read: life goals (readers of wishes), goals, actions."""
    records = queries.plan_records(request.auth, person_id)
    life_ids = {row.pk: row.public_id for row in records.life_goals}
    goal_ids = {row.pk: row.public_id for row in records.goals}
    return {
        "life_goals": [_life_goal(row) for row in records.life_goals],
        "goals": [_goal(row, reads_wishes=records.reads_wishes, life_goal_ids=life_ids) for row in records.goals],
        "actions": [_action(row, goal_ids=goal_ids) for row in records.actions],
        "last_reviewed": queries.last_review(records.person),
    }


# ── Life goals ───────────────────────────────────────────────────────────────────────────────


@router.get("/persons/{person_id}/life-goals", response=LifeGoalOut | LifeGoalsOut, url_name="life-goals")
@person_route("GET", objects={"item": LIFE_GOAL})
def life_goals(request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, item: str | None = None) -> Any:
    """The life goals (wishes read), or one with ?item=<id> (with its ETag)."""
    person = queries.person_for_plan(request.auth, person_id, action=Action.PLANS_PLAN_VIEWED, category=queries.WISHES)
    if item:
        row = queries.life_goal_of(request.auth, person, item, action=Action.PLANS_PLAN_VIEWED)
        response["ETag"] = etag(row.version)
        return _life_goal(row)
    return {"entries": [_life_goal(row) for row in LifeGoal.objects.filter(person=person)]}


def _person_to_change(actor: User, person_id: uuid.UUID, category: str, action: str) -> Person:
    return queries.person_for_plan(actor, person_id, action=action, category=category, audit_granted=False)


@router.post("/persons/{person_id}/life-goals", response={201: LifeGoalOut}, url_name="life-goal-add")
@person_route("POST")
def add_life_goal(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: LifeGoalIn | None = None
) -> Status[Any]:
    """Write a life goal in the person's words: `text`, `written_by` (person, representative,
    with_coordinator). Needs wishes write."""
    body = body or LifeGoalIn()
    action = Action.PLANS_LIFE_GOAL_ADDED
    person = _person_to_change(request.auth, person_id, queries.WISHES, action)
    queries.require_write(request.auth, person, queries.WISHES, action)
    try:
        row = services.add_life_goal(request.auth, person, text=body.text or "", written_by=body.written_by or "")
    except ValidationError as error:
        raise _one_error(error) from error
    response["ETag"] = etag(row.version)
    return Status(201, _life_goal(row))


@router.patch("/persons/{person_id}/life-goals", response=LifeGoalOut, url_name="life-goal-change")
@person_route("PATCH", objects={"item": LIFE_GOAL})
def change_life_goal(
    request: ApiRequest,
    person_id: uuid.UUID,
    response: HttpResponse,
    item: str | None = None,
    body: LifeGoalIn | None = None,
) -> dict[str, Any]:
    """Change a life goal (?item=<id>): the fields sent. Needs If-Match."""
    action = Action.PLANS_LIFE_GOAL_CHANGED
    person = _person_to_change(request.auth, person_id, queries.WISHES, action)
    if not item:
        raise _item_required(_("Say which life goal, with ?item=<id>."))
    row = queries.life_goal_of(request.auth, person, item, action=action)
    queries.require_write(request.auth, person, queries.WISHES, action)
    version = version_from_if_match(request.headers.get("If-Match"))
    sent = (body or LifeGoalIn()).model_dump(exclude_unset=True)
    try:
        row = services.change_life_goal(request.auth, row, version=version, **sent)
    except ValidationError as error:
        raise _one_error(error) from error
    response["ETag"] = etag(row.version)
    return _life_goal(row)


# ── Goals ────────────────────────────────────────────────────────────────────────────────────


@router.get("/persons/{person_id}/goals", response=GoalOut | GoalsOut, url_name="goals")
@person_route("GET", objects={"item": GOAL})
def goals(request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, item: str | None = None) -> Any:
    """The care and support goals, or one with ?item=<id> (with its ETag)."""
    person = queries.person_for_plan(request.auth, person_id, action=Action.PLANS_PLAN_VIEWED)
    reads_wishes = queries.may(request.auth, person, queries.WISHES, Level.READ)
    life_ids = _ids(LifeGoal, person) if reads_wishes else {}
    if item:
        row = queries.goal_of(request.auth, person, item, action=Action.PLANS_PLAN_VIEWED)
        response["ETag"] = etag(row.version)
        return _goal(row, reads_wishes=reads_wishes, life_goal_ids=life_ids)
    rows = queries.goals_of(person)
    return {"entries": [_goal(row, reads_wishes=reads_wishes, life_goal_ids=life_ids) for row in rows]}


def _chosen_life_goal(actor: User, person: Person, sent: dict[str, Any], action: str) -> Any:
    """The life goal named in the body: services.KEEP when not sent, None when null."""
    if "life_goal" not in sent:
        return services.KEEP
    if not sent["life_goal"]:
        return None
    if not queries.may(actor, person, queries.WISHES, Level.READ):
        gate.refuse(actor, action, {"life_goal": str(sent["life_goal"])})
    return queries.life_goal_of(actor, person, sent["life_goal"], action=action)


@router.post("/persons/{person_id}/goals", response={201: GoalOut}, url_name="goal-add")
@person_route("POST", objects={"life_goal": LIFE_GOAL})
def add_goal(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: GoalIn | None = None
) -> Status[Any]:
    """Add a goal: `title`, optional `description`, `life_goal` (id), `weight` (1 to 10)."""
    action = Action.PLANS_GOAL_ADDED
    person = _person_to_change(request.auth, person_id, queries.PLAN, action)
    sent = (body or GoalIn()).model_dump(exclude_unset=True)
    life_goal = _chosen_life_goal(request.auth, person, sent, action)
    queries.require_write(request.auth, person, queries.PLAN, action)
    try:
        row = services.add_goal(
            request.auth,
            person,
            title=sent.get("title") or "",
            life_goal=None if life_goal is services.KEEP else life_goal,
            description=sent.get("description") or "",
            weight=sent.get("weight") or 1,
        )
    except ValidationError as error:
        raise _one_error(error) from error
    response["ETag"] = etag(row.version)
    reads_wishes = queries.may(request.auth, person, queries.WISHES, Level.READ)
    return Status(201, _goal(row, reads_wishes=reads_wishes, life_goal_ids=_ids(LifeGoal, person)))


@router.patch("/persons/{person_id}/goals", response=GoalOut, url_name="goal-change")
@person_route("PATCH", objects={"item": GOAL, "life_goal": LIFE_GOAL})
def change_goal(
    request: ApiRequest,
    person_id: uuid.UUID,
    response: HttpResponse,
    item: str | None = None,
    body: GoalIn | None = None,
) -> dict[str, Any]:
    """Change a goal (?item=<id>): the fields sent. Needs If-Match."""
    action = Action.PLANS_GOAL_CHANGED
    person = _person_to_change(request.auth, person_id, queries.PLAN, action)
    sent = (body or GoalIn()).model_dump(exclude_unset=True)
    life_goal = _chosen_life_goal(request.auth, person, sent, action)
    if not item:
        raise _item_required(_("Say which goal, with ?item=<id>."))
    row = queries.goal_of(request.auth, person, item, action=action)
    queries.require_write(request.auth, person, queries.PLAN, action)
    version = version_from_if_match(request.headers.get("If-Match"))
    fields = {name: sent[name] for name in ("title", "description", "status", "weight") if name in sent}
    try:
        row = services.change_goal(request.auth, row, version=version, life_goal=life_goal, **fields)
    except ValidationError as error:
        raise _one_error(error) from error
    response["ETag"] = etag(row.version)
    reads_wishes = queries.may(request.auth, person, queries.WISHES, Level.READ)
    return _goal(row, reads_wishes=reads_wishes, life_goal_ids=_ids(LifeGoal, person))


# ── Actions ──────────────────────────────────────────────────────────────────────────────────


@router.get("/persons/{person_id}/actions", response=ActionOut | ActionsOut, url_name="actions")
@person_route("GET", objects={"item": PLAN_ACTION})
def actions(request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, item: str | None = None) -> Any:
    """The plan's actions (plan read), or one with ?item=<id>: that one also for its owner
    without plan read (the neighbour rule), then without its goal."""
    if item:
        row, _decision = queries.get_action(request.auth, person_id, item)
        reads_plan = queries.may(request.auth, row.person, queries.PLAN, Level.READ)
        response["ETag"] = etag(row.version)
        return _action(row, goal_ids=_ids(Goal, row.person) if reads_plan else None)
    person = queries.person_for_plan(request.auth, person_id, action=Action.PLANS_PLAN_VIEWED)
    goal_ids = _ids(Goal, person)
    rows = PlanAction.objects.filter(person=person).select_related("owner__user")
    return {"entries": [_action(row, goal_ids=goal_ids) for row in rows]}


def _chosen_goal(actor: User, person: Person, sent: dict[str, Any], action: str) -> Any:
    if "goal" not in sent:
        return services.KEEP
    if not sent["goal"]:
        return None
    return queries.goal_of(actor, person, sent["goal"], action=action)


@router.post("/persons/{person_id}/actions", response={201: ActionOut}, url_name="action-add")
@person_route("POST", objects={"goal": GOAL, "owner": MEMBERSHIP})
def add_action(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: ActionIn | None = None
) -> Status[Any]:
    """Propose an action: `title`, `owner` (a membership id of the care team), optional
    `due_on`, `goal` (id), `details`. Proposed to the owner; one's own is open at once."""
    action = Action.PLANS_ACTION_PROPOSED
    person = _person_to_change(request.auth, person_id, queries.PLAN, action)
    sent = (body or ActionIn()).model_dump(exclude_unset=True)
    goal = _chosen_goal(request.auth, person, sent, action)
    owner = queries.member_of(request.auth, person, sent["owner"], action=action) if sent.get("owner") else None
    queries.require_write(request.auth, person, queries.PLAN, action)
    if owner is None:
        raise ValidationError(_("Choose who does it: a member of the care team."), code="owner_required")
    try:
        row = services.propose_action(
            request.auth,
            person,
            title=sent.get("title") or "",
            owner=owner,
            goal=None if goal is services.KEEP else goal,
            due_on=sent.get("due_on"),
            details=sent.get("details") or "",
        )
    except ValidationError as error:
        raise _one_error(error) from error
    response["ETag"] = etag(row.version)
    return Status(201, _action(row, goal_ids=_ids(Goal, person)))


def _action_to_change(request: ApiRequest, person_id: uuid.UUID, item: str | None, action: str) -> PlanAction:
    """The action named by ?item=, for a change: found among the person's (or the audited 404);
    without an item, the person is gated for the plan first, and the answer asks for one."""
    if not item:
        queries.person_for_plan(request.auth, person_id, action=action, audit_granted=False)
        raise _item_required(_("Say which action, with ?item=<id>."))
    row, _decision = queries.get_action(request.auth, person_id, item, action=action, audit_granted=False)
    return row


def _answered(actor: User, row: PlanAction, response: HttpResponse) -> dict[str, Any]:
    """The action as changed, for its owner or a writer of the plan (the goal for plan readers)."""
    response["ETag"] = etag(row.version)
    reads_plan = queries.may(actor, row.person, queries.PLAN, Level.READ)
    return _action(row, goal_ids=_ids(Goal, row.person) if reads_plan else None)


@router.patch("/persons/{person_id}/actions", response=ActionOut, url_name="action-change")
@person_route("PATCH", objects={"item": PLAN_ACTION, "goal": GOAL})
def change_action(
    request: ApiRequest,
    person_id: uuid.UUID,
    response: HttpResponse,
    item: str | None = None,
    body: ActionIn | None = None,
) -> dict[str, Any]:
    """Change an action (?item=<id>): `title`, `details`, `due_on`, `goal`. The owner changes
    with /reassign, the status with /status, /accept, /decline. Needs If-Match."""
    action = Action.PLANS_ACTION_CHANGED
    sent = (body or ActionIn()).model_dump(exclude_unset=True)
    if "goal" in sent and not item:  # the goal's id first: another person's is the 404
        person = _person_to_change(request.auth, person_id, queries.PLAN, action)
        _chosen_goal(request.auth, person, sent, action)
    row = _action_to_change(request, person_id, item, action)
    goal = _chosen_goal(request.auth, row.person, sent, action)
    queries.require_write(request.auth, row.person, queries.PLAN, action)
    version = version_from_if_match(request.headers.get("If-Match"))
    try:
        row = services.change_action(
            request.auth,
            row,
            version=version,
            title=sent.get("title"),
            details=sent.get("details"),
            due_on=sent.get("due_on", services.KEEP),
            goal=goal,
        )
    except ValidationError as error:
        raise _one_error(error) from error
    response["ETag"] = etag(row.version)
    return _action(row, goal_ids=_ids(Goal, row.person))


@router.post("/persons/{person_id}/actions/accept", response=ActionOut, url_name="action-accept")
@person_route("POST", objects={"item": PLAN_ACTION})
def accept_action(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, item: str | None = None
) -> dict[str, Any]:
    """The owner accepts a proposed action (?item=<id>). Needs If-Match."""
    row = _action_to_change(request, person_id, item, Action.PLANS_ACTION_ACCEPTED)
    version = version_from_if_match(request.headers.get("If-Match"))
    return _answered(request.auth, services.accept_action(request.auth, row, version=version), response)


@router.post("/persons/{person_id}/actions/decline", response=ActionOut, url_name="action-decline")
@person_route("POST", objects={"item": PLAN_ACTION})
def decline_action(
    request: ApiRequest,
    person_id: uuid.UUID,
    response: HttpResponse,
    item: str | None = None,
    body: DeclineIn | None = None,
) -> dict[str, Any]:
    """The owner declines a proposed action (?item=<id>) with a `reason`: it goes back to the
    care coordinator. Needs If-Match."""
    row = _action_to_change(request, person_id, item, Action.PLANS_ACTION_DECLINED)
    version = version_from_if_match(request.headers.get("If-Match"))
    reason = body.reason if body else ""
    try:
        row = services.decline_action(request.auth, row, version=version, reason=reason)
    except ValidationError as error:
        raise _one_error(error) from error
    return _answered(request.auth, row, response)


@router.post("/persons/{person_id}/actions/status", response=ActionOut, url_name="action-status")
@person_route("POST", objects={"item": PLAN_ACTION})
def action_status(
    request: ApiRequest,
    person_id: uuid.UUID,
    response: HttpResponse,
    item: str | None = None,
    body: StatusIn | None = None,
) -> dict[str, Any]:
    """Move an action along (?item=<id>): `status` in_progress, done (with `outcome`), on_hold
    (with `hold_reason`), open; or cancelled (plan writers, `outcome` as the reason). The owner
    may, and so may those who write the plan. Needs If-Match."""
    body = body or StatusIn()
    cancelling = body.status == PlanAction.Status.CANCELLED
    code = Action.PLANS_ACTION_CANCELLED if cancelling else Action.PLANS_ACTION_STATUS_CHANGED
    row = _action_to_change(request, person_id, item, code)
    version = version_from_if_match(request.headers.get("If-Match"))
    try:
        if cancelling:
            row = services.cancel_action(request.auth, row, version=version, reason=body.outcome)
        else:
            row = services.change_action_status(
                request.auth,
                row,
                version=version,
                status=body.status,
                outcome=body.outcome,
                hold_reason=body.hold_reason,
            )
    except ValidationError as error:
        raise _one_error(error) from error
    return _answered(request.auth, row, response)


@router.post("/persons/{person_id}/actions/reassign", response=ActionOut, url_name="action-reassign")
@person_route("POST", objects={"item": PLAN_ACTION, "owner": MEMBERSHIP})
def reassign_action(
    request: ApiRequest,
    person_id: uuid.UUID,
    response: HttpResponse,
    item: str | None = None,
    body: ReassignIn | None = None,
) -> dict[str, Any]:
    """Give an action (?item=<id>) to another member (`owner`, a membership id): proposed to
    them again. Needs plan write and If-Match."""
    action = Action.PLANS_ACTION_REASSIGNED
    sent = (body or ReassignIn()).model_dump(exclude_unset=True)
    if sent.get("owner") and not item:  # the owner's id first: another person's is the 404
        person = _person_to_change(request.auth, person_id, queries.PLAN, action)
        queries.member_of(request.auth, person, sent["owner"], action=action)
    row = _action_to_change(request, person_id, item, action)
    owner = queries.member_of(request.auth, row.person, sent["owner"], action=action) if sent.get("owner") else None
    queries.require_write(request.auth, row.person, queries.PLAN, action)
    version = version_from_if_match(request.headers.get("If-Match"))
    if owner is None:
        raise ValidationError(_("Choose who does it: a member of the care team."), code="owner_required")
    try:
        row = services.reassign_action(request.auth, row, version=version, owner=owner)
    except ValidationError as error:
        raise _one_error(error) from error
    return _answered(request.auth, row, response)
