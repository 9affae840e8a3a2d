"""The "did it help?" API (PLAN-04): the same queries and service as the page. Body fields are
optional on purpose, so that the gate answers an outsider (404) before any input is looked at."""

import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from core.requests import ApiRequest
from plans.help import queries, services
from plans.models import HelpAnswer
from schakel.routes import PLAN_ACTION, person_route

router = Router(tags=["plans"])


class HelpAnswerOut(Schema):
    id: uuid.UUID
    action_id: uuid.UUID
    answer: str  # yes, partly, no, not_yet
    comment: str
    answered_as: str  # person, representative, caregiver: whose answer
    answered_by: str
    recorded_for: bool  # written down by a professional for them
    answered_at: datetime


def _answer_out(row: HelpAnswer) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "action_id": row.action.public_id,
        "answer": row.answer,
        "comment": row.comment,
        "answered_as": row.answered_as,
        "answered_by": str(row.answered_by),
        "recorded_for": row.recorded_for,
        "answered_at": row.answered_at,
    }


class HelpRowOut(Schema):
    action_id: uuid.UUID
    title: str
    done_at: datetime | None
    waiting: bool  # no answer settles it yet ("not yet" keeps it waiting)
    flagged: bool  # waiting for longer than PLAN_HELP_ANSWER_DAYS
    answers: list[HelpAnswerOut]


class HelpListOut(Schema):
    may_answer: bool
    records_for: bool  # the caller is a professional writing down someone's answer
    actions: list[HelpRowOut]


@router.get("/persons/{person_id}/help-answers", response=HelpListOut, url_name="plans-help-answers")
@person_route("GET")
def help_answers(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """The person's done actions with what was answered about them, waiting ones first."""
    page = queries.help_page(request.auth, person_id)
    return {
        "may_answer": page.rights.may_answer,
        "records_for": page.rights.records_for,
        "actions": [
            {
                "action_id": row.action.public_id,
                "title": row.action.title,
                "done_at": row.action.done_at,
                "waiting": row.waiting,
                "flagged": row.flagged,
                "answers": [_answer_out(answer) for answer in row.answers],
            }
            for row in page.rows
        ],
    }


class HelpAnswerIn(Schema):
    action: uuid.UUID | None = None
    answer: str = ""  # yes, partly, no, not_yet
    comment: str = ""
    answered_as: str = ""  # for a professional recording someone's answer: person, representative, caregiver


@router.post("/persons/{person_id}/help-answers", response={201: HelpAnswerOut}, url_name="plans-help-answer")
@person_route("POST", objects={"action": PLAN_ACTION})
def answer(request: ApiRequest, person_id: uuid.UUID, body: HelpAnswerIn | None = None) -> Status[Any]:
    """Say whether a done action helped. Answers are added, never changed: a later answer (after
    "not yet") is a new one."""
    body = body or HelpAnswerIn()
    person, _decision = queries.person_for_answer(request.auth, person_id)
    if body.action is None:
        raise ValidationError(_("Choose the action you answer about."), code="action_required")
    action = queries.action_of(request.auth, person, body.action, action=queries.HELP_ANSWERED)
    row = services.answer_did_it_help(
        request.auth, person, action, answer=body.answer, comment=body.comment, answered_as=body.answered_as
    )
    return Status(201, _answer_out(row))
