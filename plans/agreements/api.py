"""The communication agreement through the API: the same queries and services as the page. A read
sends the agreement's version as a weak ETag (0: none yet); a change sends it back in If-Match
(a stale one answers 412, a missing one 428). Body fields are optional on purpose, so that the
gate answers an outsider (404) before any input is looked at."""

import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from access import gate
from access.queries import resolve_person
from core.http import etag, version_from_if_match
from core.requests import ApiRequest
from core.vocab import Level
from plans.agreements import queries, services
from plans.agreements.queries import AgreementPanel, Contact
from plans.categories import PLAN_CATEGORIES
from schakel.routes import person_route

router = Router(tags=["plans"])


class ContactOut(Schema):
    member_id: uuid.UUID
    name: str
    role: str
    on_team: bool
    hours: str  # empty for a caller who may not read the team
    phone: str  # E.164 as stored, or empty
    phone_24_7: str


class StepOut(Schema):
    after_minutes: int
    contact: ContactOut | None  # null: the member is no longer known on this team


class AgreementOut(Schema):
    exists: bool
    version: int
    channel: str | None  # phone, thread, email, visit
    first_contact: ContactOut | None
    line_24_7: ContactOut | None
    escalation: list[StepOut]
    remarks: str
    updated_at: datetime | None
    reachability: list[ContactOut]  # the active team's, for a caller who may read the team


def _contact(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    member = contact.membership
    return {
        "member_id": member.public_id,
        "name": contact.name,
        "role": contact.role,
        "on_team": contact.active,
        "hours": contact.hours,
        # Empty when the caller may not read the team (the contact was read without numbers).
        "phone": member.phone if contact.phone.display else "",
        "phone_24_7": member.phone_24_7 if contact.line_24_7.display else "",
    }


def _out(panel: AgreementPanel) -> dict[str, Any]:
    agreement = panel.agreement
    return {
        "exists": agreement is not None,
        "version": panel.version,
        "channel": agreement.channel if agreement else None,
        "first_contact": _contact(panel.first_contact),
        "line_24_7": _contact(panel.line_24_7),
        "escalation": [{"after_minutes": s.after_minutes, "contact": _contact(s.contact)} for s in panel.escalation],
        "remarks": agreement.remarks if agreement else "",
        "updated_at": agreement.updated_at if agreement else None,
        "reachability": [_contact(c) for c in panel.reachability],
    }


@router.get("/persons/{person_id}/agreement", response=AgreementOut, url_name="plan-agreement")
@person_route("GET")
def agreement(request: ApiRequest, person_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    """The current agreement (plan read) and the team's reachability (team read). ETag: its version."""
    person = resolve_person(request.auth, person_id, queries.AGREEMENT_VIEWED)
    panel = queries.agreement_panel(request.auth, person)
    response["ETag"] = etag(panel.version)
    return _out(panel)


class StepIn(Schema):
    member_id: uuid.UUID
    after_minutes: int


class AgreementIn(Schema):
    channel: str = ""
    first_contact_id: uuid.UUID | None = None
    line_24_7_id: uuid.UUID | None = None
    escalation: list[StepIn] = []
    remarks: str = ""


@router.put("/persons/{person_id}/agreement", response=AgreementOut, url_name="plan-agreement-change")
@person_route("PUT")
def change_agreement(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: AgreementIn | None = None
) -> dict[str, Any]:
    """Record or replace the agreement (all fields). If-Match: the version read (W/"0" when there
    was none); 412 when someone changed it meanwhile. Members are ids of active memberships."""
    body = body or AgreementIn()
    action = services.AGREEMENT_CHANGED
    person = resolve_person(request.auth, person_id, action)
    gate.enforce(
        request.auth,
        person,
        gate.decide(request.auth, person, PLAN_CATEGORIES["agreements"], Level.WRITE),
        action=action,
        audit_granted=False,
    )
    version = version_from_if_match(request.headers.get("If-Match"))
    members = {m.public_id: m for m in queries.choosable_members(person)}

    def member(member_id: uuid.UUID | None, field: str) -> Any:
        if member_id is None:
            return None
        if member_id not in members:
            raise ValidationError({field: _("Choose someone who is on the care team now.")}, code="not_a_member")
        return members[member_id]

    steps = [services.Step(member(step.member_id, "escalation"), step.after_minutes) for step in body.escalation]
    services.save_agreement(
        request.auth,
        person,
        version=version,
        channel=body.channel,
        first_contact=member(body.first_contact_id, "first_contact"),
        line_24_7=member(body.line_24_7_id, "line_24_7"),
        escalation=steps,
        remarks=body.remarks,
    )
    panel = queries.agreement_panel(request.auth, person)
    response["ETag"] = etag(panel.version)
    return _out(panel)
