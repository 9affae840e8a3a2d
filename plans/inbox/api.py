"""GET /api/plans/my-actions: the same inbox as the page, read and audited alike."""

import uuid
from datetime import date, datetime
from typing import Any

from ninja import Router, Schema

from core.requests import ApiRequest
from plans.inbox import presenters, queries
from plans.models import PlanAction
from schakel.routes import own_account_route

router = Router(tags=["plans"])


class InboxActionOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    title: str
    status: str
    due_on: date | None
    done_at: datetime | None
    owner: str
    decline_reason: str
    url: str  # the action's page
    help_url: str  # its "did it help?" page


class MyActionsOut(Schema):
    proposed: list[InboxActionOut]
    overdue: list[InboxActionOut]
    due_soon: list[InboxActionOut]
    due_soon_days: int
    to_answer: list[InboxActionOut]  # done: did it help? (the person and their circle)
    # The care coordinator's part (empty for a user who coordinates no team).
    declined: list[InboxActionOut]
    waiting_for_owner: list[InboxActionOut]
    unanswered: list[InboxActionOut]


def _out(action: PlanAction) -> dict[str, Any]:
    return {
        "id": action.public_id,
        "person_id": action.person.public_id,
        "person_name": f"{action.person.given_name} {action.person.family_name}",
        "title": action.title,
        "status": action.status,
        "due_on": action.due_on,
        "done_at": action.done_at,
        "owner": str(action.owner.user),
        "decline_reason": action.decline_reason,
        "url": presenters.action_url(action),
        "help_url": presenters.help_url(action),
    }


@router.get("/my-actions", response=MyActionsOut, url_name="plans-my-actions")
@own_account_route("GET")
def my_actions(request: ApiRequest) -> dict[str, Any]:
    """The caller's actions across every person: proposed to them, overdue, due soon; done
    actions waiting for their "did it help?"; for a care coordinator the declined actions, the
    proposals waiting for their owner and the answers missing too long."""
    inbox = queries.my_actions(request.auth)
    parts = ("proposed", "overdue", "due_soon", "to_answer", "declined", "waiting_for_owner", "unanswered")
    return {"due_soon_days": inbox.due_soon_days, **{part: [_out(a) for a in getattr(inbox, part)] for part in parts}}
