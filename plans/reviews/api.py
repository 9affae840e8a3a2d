"""Reviewing the plan through the API: the same queries and services as the page. Body fields are
optional on purpose, so that the gate answers an outsider (404) before any input is looked at."""

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from access import gate
from access.queries import resolve_person
from core.actions import Action
from core.requests import ApiRequest
from core.vocab import Level
from plans import services
from plans.categories import PLAN_CATEGORIES
from plans.models import PlanReview
from plans.reviews import queries
from schakel.routes import person_route

router = Router(tags=["plans"])


class ReviewMemberOut(Schema):
    member_id: uuid.UUID
    name: str


class ReviewOut(Schema):
    id: uuid.UUID
    reviewed_on: date
    reviewed_by: str
    members: list[ReviewMemberOut]
    with_whom: str
    notes: str
    meeting_id: uuid.UUID | None  # set when a closed meeting counted as the review


class ReviewsOut(Schema):
    last_reviewed: date | None
    due_on: date | None  # null while the plan has no record yet
    state: str  # "none", "ok", "due" (today), "overdue"
    signals_asking: int  # open early signals that ask for a review
    reviews: list[ReviewOut]


def _review_out(review: PlanReview) -> dict[str, Any]:
    return {
        "id": review.public_id,
        "reviewed_on": review.reviewed_on,
        "reviewed_by": str(review.reviewed_by),
        "members": [
            {"member_id": m.membership.public_id, "name": str(m.membership.user)} for m in review.members.all()
        ],
        "with_whom": review.with_whom,
        "notes": review.notes,
        "meeting_id": review.meeting_id,
    }


@router.get("/persons/{person_id}/reviews", response=ReviewsOut, url_name="plan-reviews")
@person_route("GET")
def reviews(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """The last review, when the next is due (and whether it is overdue), the latest reviews."""
    person = resolve_person(request.auth, person_id, queries.REVIEWS_VIEWED)
    panel = queries.review_panel(request.auth, person)
    status = panel.status
    return {
        "last_reviewed": status.last.reviewed_on if status.last else None,
        "due_on": status.due_on,
        "state": status.state,
        "signals_asking": status.signals_asking,
        "reviews": [_review_out(review) for review in panel.reviews],
    }


class ReviewIn(Schema):
    reviewed_on: date | None = None  # today when left out
    member_ids: list[uuid.UUID] = []  # memberships of the active team who took part
    with_whom: str = ""
    notes: str = ""


@router.post("/persons/{person_id}/reviews", response={201: ReviewOut}, url_name="plan-review-add")
@person_route("POST")
def add_review(request: ApiRequest, person_id: uuid.UUID, body: ReviewIn | None = None) -> Status[Any]:
    """Review the plan: the caller is the reviewer. Needs plan write."""
    body = body or ReviewIn()
    action = Action.PLANS_PLAN_REVIEWED
    person = resolve_person(request.auth, person_id, action)
    decision = gate.decide(request.auth, person, PLAN_CATEGORIES["reviews"], Level.WRITE)
    gate.enforce(request.auth, person, decision, action=action, audit_granted=False)
    members = {m.public_id: m for m in queries.review_members(person)}
    if any(member_id not in members for member_id in body.member_ids):
        raise ValidationError(_("Choose the participants among the members of the care team."), code="not_a_member")
    review = services.record_review(
        request.auth,
        person,
        reviewed_on=body.reviewed_on,
        members=[members[member_id] for member_id in body.member_ids],
        with_whom=body.with_whom,
        notes=body.notes,
    )
    return Status(201, _review_out(review))
