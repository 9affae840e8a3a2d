"""The care-team API: the same queries and services as the pages. Body fields are optional on
purpose, so that the gate answers an outsider (404) before any input is looked at. A team member
who may not make a change gets 403; a stale version (If-Match) 412."""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from core.actions import Action
from core.http import version_from_if_match
from core.requests import ApiRequest
from core.vocab import Category
from schakel.routes import MEMBERSHIP, person_route
from teams import presenters, queries, services
from teams.forms import start_of
from teams.models import CoordinationProposal, Membership, TeamMessage
from teams.queries import TeamRights

router = Router(tags=["teams"])


class MemberOut(Schema):
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    role: str
    role_label: str
    professional: bool
    assignment: str
    since: datetime
    until: datetime | None
    is_coordinator: bool
    hours: str
    has_24_7_line: bool
    # The whole team, the person's circle included (E.164; empty when not given).
    phone: str
    phone_24_7: str
    # Professionals only; null for the person and their circle.
    priority_phone: str | None
    priority_email: str | None
    version: int


def _member_out(membership: Membership, rights: TeamRights) -> dict[str, Any]:
    return {
        "id": membership.public_id,
        "user_id": membership.user.public_id,
        "name": str(membership.user),
        "role": membership.profile,
        "role_label": membership.profile_label,
        "professional": membership.is_professional,
        "assignment": membership.assignment,
        "since": membership.since,
        "until": membership.until,
        "is_coordinator": membership.is_coordinator,
        "hours": membership.hours,
        "has_24_7_line": membership.has_24_7_line,
        "phone": membership.phone,
        "phone_24_7": membership.phone_24_7,
        "priority_phone": membership.priority_phone if rights.professional else None,
        "priority_email": membership.priority_email if rights.professional else None,
        "version": membership.version,
    }


class ProposalOut(Schema):
    id: uuid.UUID | None  # null when the caller took the role themself (nothing to accept)
    member_id: uuid.UUID
    name: str
    proposed_by: str
    status: str  # pending, accepted, declined, cancelled, withdrawn
    created_at: datetime | None


def _proposal_out(proposal: CoordinationProposal) -> dict[str, Any]:
    return {
        "id": proposal.public_id,
        "member_id": proposal.membership.public_id,
        "name": str(proposal.membership.user),
        "proposed_by": str(proposal.proposed_by),
        "status": proposal.status,
        "created_at": proposal.created_at,
    }


class TeamOut(Schema):
    has_coordinator: bool
    members: list[MemberOut]
    # The proposal to coordinate waiting for an answer, for those who manage the team, made it
    # or are proposed; null otherwise.
    proposal: ProposalOut | None = None


@router.get("/persons/{person_id}/members", response=TeamOut, url_name="team-members")
@person_route("GET")
def members(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    view = queries.get_team(request.auth, person_id)
    rows = [*view.professionals, *view.circle]
    return {
        "has_coordinator": bool(view.coordinators),
        "members": [_member_out(m, view.rights) for m in rows],
        "proposal": _proposal_out(view.proposal) if view.proposal else None,
    }


class AddMemberIn(Schema):
    email: str = ""
    role: str = ""  # empty: a professional's own profile
    assignment: str = ""
    term: str = "regular"
    since: date | None = None
    until: date | None = None  # the last day included


@router.post("/persons/{person_id}/members", response={201: MemberOut}, url_name="team-member-add")
@person_route("POST")
def add_member(request: ApiRequest, person_id: uuid.UUID, body: AddMemberIn | None = None) -> Status[Any]:
    body = body or AddMemberIn()
    person, _rights = queries.person_for_team(
        request.auth, person_id, action=Action.TEAMS_MEMBER_ADDED, audit_granted=False
    )
    membership = services.add_member(
        request.auth,
        person,
        email=body.email,
        profile=body.role,
        assignment=body.assignment,
        term=body.term,
        since=start_of(body.since) if body.since and body.since > timezone.localdate() else None,
        until=start_of(body.until + timedelta(days=1)) if body.until else None,
    )
    rights = queries.team_rights(request.auth, person, _rights.decision)
    return Status(201, _member_out(membership, rights))


class MemberIn(Schema):
    member_id: uuid.UUID | None = None


@router.post("/persons/{person_id}/members/end", response=MemberOut, url_name="team-member-end")
@person_route("POST", objects={"member_id": MEMBERSHIP})
def end_member(request: ApiRequest, person_id: uuid.UUID, body: MemberIn | None = None) -> dict[str, Any]:
    """End a membership now (If-Match: the membership's version). Its open items go to the
    handover queue."""
    person, rights = queries.person_for_team(
        request.auth, person_id, action=Action.TEAMS_MEMBER_ENDED, audit_granted=False
    )
    membership = queries.membership_of(
        request.auth, person, body.member_id if body else None, action=Action.TEAMS_MEMBER_ENDED
    )
    version = version_from_if_match(request.headers.get("If-Match"))
    ended = services.end_membership(request.auth, person, membership, version=version)
    return _member_out(ended, rights)


@router.post(
    "/persons/{person_id}/coordinator", response={202: ProposalOut, 200: ProposalOut}, url_name="team-coordinator"
)
@person_route("POST", objects={"member_id": MEMBERSHIP})
def set_coordinator(request: ApiRequest, person_id: uuid.UUID, body: MemberIn | None = None) -> Status[Any]:
    """Propose a member as care coordinator (If-Match: that membership's version). Nothing
    changes until they accept (202, status "pending"); choosing oneself in a team without
    coordinator takes the role at once (200, status "accepted")."""
    person, _rights = queries.person_for_team(
        request.auth,
        person_id,
        action=Action.TEAMS_COORDINATION_PROPOSED,
        audit_granted=False,
    )
    membership = queries.membership_of(
        request.auth, person, body.member_id if body else None, action=Action.TEAMS_COORDINATION_PROPOSED
    )
    version = version_from_if_match(request.headers.get("If-Match"))
    proposal = services.propose_coordinator(request.auth, person, membership, version=version)
    if proposal is None:
        taken = {
            "id": None,
            "member_id": membership.public_id,
            "name": str(membership.user),
            "proposed_by": str(request.auth),
            "status": CoordinationProposal.Status.ACCEPTED,
            "created_at": None,
        }
        return Status(200, taken)
    return Status(202, _proposal_out(proposal))


class AnswerIn(Schema):
    proposal_id: uuid.UUID | None = None
    accept: bool | None = None


@router.post("/persons/{person_id}/coordinator/answer", response=ProposalOut, url_name="team-coordinator-answer")
@person_route("POST")
def answer_coordination(request: ApiRequest, person_id: uuid.UUID, body: AnswerIn | None = None) -> dict[str, Any]:
    """The proposed member accepts (`accept: true`: they become the care coordinator) or
    declines the waiting proposal (`proposal_id`)."""
    body = body or AnswerIn()
    action = Action.TEAMS_COORDINATOR_CHANGED if body.accept else Action.TEAMS_COORDINATION_DECLINED
    person, _rights = queries.person_for_team(request.auth, person_id, action=action, audit_granted=False)
    if body.accept is None:
        raise ValidationError(_("Say whether you accept (true) or decline (false)."), code="accept_required")
    proposal = queries.proposal_for(request.auth, person, body.proposal_id, action=action)
    services.answer_proposal(request.auth, person, proposal, accept=body.accept)
    proposal.refresh_from_db()
    return _proposal_out(proposal)


class ProposalIn(Schema):
    proposal_id: uuid.UUID | None = None


@router.post("/persons/{person_id}/coordinator/cancel", response=ProposalOut, url_name="team-coordinator-cancel")
@person_route("POST")
def cancel_coordination(request: ApiRequest, person_id: uuid.UUID, body: ProposalIn | None = None) -> dict[str, Any]:
    """Take back the waiting proposal (`proposal_id`) before it is accepted."""
    action = Action.TEAMS_COORDINATION_CANCELLED
    person, _rights = queries.person_for_team(request.auth, person_id, action=action, audit_granted=False)
    proposal = queries.proposal_for(request.auth, person, body.proposal_id if body else None, action=action)
    services.cancel_proposal(request.auth, person, proposal)
    proposal.refresh_from_db()
    return _proposal_out(proposal)


class MessageOut(Schema):
    id: uuid.UUID
    author: str
    category: str
    category_label: str
    body: str
    addressees: list[str]
    created_at: datetime
    unread: bool


def _message_out(message: TeamMessage, *, unread: bool) -> dict[str, Any]:
    return {
        "id": message.public_id,
        "author": str(message.author),
        "category": message.category,
        "category_label": str(Category(message.category).label),
        "body": message.body,
        "addressees": [str(user) for user in presenters.addressees_of(message)],
        "created_at": message.created_at,
        "unread": unread,
    }


@router.get("/persons/{person_id}/messages", response=list[MessageOut], url_name="team-messages")
@person_route("GET")
def messages(request: ApiRequest, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """The messages the caller may read, oldest first; reading marks them read."""
    thread = queries.get_thread(request.auth, person_id)
    rows = [_message_out(message, unread=message.pk in thread.unread) for message in thread.messages]
    services.mark_read(request.auth, thread.messages)
    return rows


class MessageIn(Schema):
    category: str = ""
    body: str = ""
    addressees: list[uuid.UUID] = []  # user ids of team members


@router.post("/persons/{person_id}/messages", response={201: MessageOut}, url_name="team-message-post")
@person_route("POST")
def post_message(request: ApiRequest, person_id: uuid.UUID, body: MessageIn | None = None) -> Status[Any]:
    body = body or MessageIn()
    person, _rights = queries.person_for_team(
        request.auth, person_id, action=Action.TEAMS_MESSAGE_POSTED, audit_granted=False
    )
    members = {m.user.public_id: m.user for m in queries.active_members(person)}
    unknown = [user_id for user_id in body.addressees if user_id not in members]
    if unknown:
        raise ValidationError(_("Choose the addressees among the team members."), code="not_member")
    message = services.post_message(
        request.auth,
        person,
        category=body.category,
        body=body.body,
        addressees=[members[user_id] for user_id in body.addressees],
        link=request.build_absolute_uri(reverse("teams:messages", args=[person.public_id])),
    )
    return Status(201, _message_out(message, unread=False))
