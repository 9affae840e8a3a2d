"""The meetings API: the same queries and services as the pages (OpenAPI at /api/docs).

Body fields are optional on purpose, so that the gate answers an outsider (404) before any input
is looked at, and the ids a body names are looked at next (another person's is a 404). A change
to a meeting sends the version read (the ETag of GET .../meeting) in If-Match: a stale one
answers 412, a missing one 428. A member who may read but not change the plan gets 403."""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status

from core.actions import Action
from core.http import etag, version_from_if_match
from core.requests import ApiRequest
from core.vocab import Level
from meetings import presenters, queries, services
from meetings.models import AgendaQuestion, Decision, Meeting
from people.models import Person
from schakel.routes import GOAL, MEETING, MEMBERSHIP, person_route

router = Router(tags=["meetings"])


class MeetingSummaryOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    starts_at: datetime
    ends_at: datetime
    status: str
    place: str


class ParticipantOut(Schema):
    id: uuid.UUID
    name: str
    role: str
    kind: str  # "member", "person" or "guest" (invitation only, never the dossier)
    email: str  # a guest's address; empty for members and the person
    attendance: str
    profession: str
    riziv_number: str


class ActionRowOut(Schema):
    text: str
    owner: str
    due_on: date | None
    status: str


class DecisionOut(Schema):
    id: uuid.UUID
    text: str
    action_id: uuid.UUID
    owner: str
    due_on: date | None
    action_status: str


class QuestionOut(Schema):
    id: uuid.UUID
    text: str
    asked_by: str
    asked_at: datetime


class GoalOut(Schema):
    id: uuid.UUID
    title: str


class AgendaOut(Schema):
    previous_meeting_id: uuid.UUID | None
    previous_decisions: list[ActionRowOut]
    overdue_actions: list[ActionRowOut]
    goals_due_for_review: list[GoalOut]
    questions: list[QuestionOut]


class MeetingOut(MeetingSummaryOut):
    at_home: bool
    video_link: str
    person_agreed: bool
    minutes: str
    next_meeting_id: uuid.UUID | None
    no_next_reason: str
    cancel_reason: str
    sequence: int
    version: int
    participants: list[ParticipantOut]
    agenda: AgendaOut
    decisions: list[DecisionOut]


def _summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.public_id,
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "status": meeting.status,
        "place": meeting.place,
    }


def _question(question: AgendaQuestion) -> dict[str, Any]:
    return {
        "id": question.public_id,
        "text": question.text,
        "asked_by": str(question.asked_by),
        "asked_at": question.asked_at,
    }


def _decision(decision: Decision) -> dict[str, Any]:
    action = decision.action
    return {
        "id": decision.public_id,
        "text": decision.text,
        "action_id": action.public_id,
        "owner": str(action.owner.user),
        "due_on": action.due_on,
        "action_status": action.status,
    }


def _rows(rows: list[presenters.ActionRow]) -> list[dict[str, Any]]:
    return [{"text": r.text, "owner": r.owner, "due_on": r.due_on, "status": r.status} for r in rows]


def _meeting_out(page: queries.MeetingPage, response: HttpResponse | None = None) -> dict[str, Any]:
    meeting = page.meeting
    if response is not None:
        response["ETag"] = etag(meeting.version)
    agenda = page.agenda
    participants = []
    for row, participant in zip(presenters.participant_rows(page.participants), page.participants, strict=True):
        kind = "person" if participant.is_the_person else "member" if participant.membership_id else "guest"
        participants.append(
            {
                "id": participant.public_id,
                "name": row.name,
                "role": row.role,
                "kind": kind,
                "email": row.email,
                "attendance": participant.attendance,
                "profession": row.profession,
                "riziv_number": participant.riziv_number,
            }
        )
    return {
        **_summary(meeting),
        "at_home": meeting.at_home,
        "video_link": meeting.video_link,
        "person_agreed": meeting.person_agreed,
        "minutes": meeting.minutes,
        "next_meeting_id": meeting.next_meeting.public_id if meeting.next_meeting else None,
        "no_next_reason": meeting.no_next_reason,
        "cancel_reason": meeting.cancel_reason,
        "sequence": meeting.sequence,
        "version": meeting.version,
        "participants": participants,
        "agenda": {
            "previous_meeting_id": agenda.previous.public_id if agenda.previous else None,
            "previous_decisions": _rows(presenters.decision_rows(agenda.previous_decisions)),
            "overdue_actions": _rows([presenters.action_row(a) for a in agenda.overdue]),
            "goals_due_for_review": [{"id": g.public_id, "title": g.title} for g in agenda.goals_due],
            "questions": [_question(q) for q in agenda.questions],
        },
        "decisions": [_decision(d) for d in page.decisions],
    }


def _ids(value: list[uuid.UUID] | uuid.UUID | None) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _for_change(request: ApiRequest, person_id: uuid.UUID, action: str, level: str = Level.WRITE) -> Person:
    person, _decision = queries.person_for_meetings(
        request.auth, person_id, action=action, level=level, audit_granted=False
    )
    return person


# ── Reading ─────────────────────────────────────────────────────────────────────────────────


@router.get("/persons/{person_id}", response=list[MeetingSummaryOut], url_name="meetings-list")
@person_route("GET")
def meeting_list(request: ApiRequest, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """The person's meetings: planned ones soonest first, then past and cancelled ones."""
    view = queries.meeting_list(request.auth, person_id)
    return [_summary(m) for m in [*view.planned, *view.past]]


@router.get("/persons/{person_id}/meeting", response=MeetingOut, url_name="meeting")
@person_route("GET", objects={"meeting_id": MEETING})
def meeting(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, meeting_id: str | None = None
) -> dict[str, Any]:
    """One meeting with its participants, agenda (in its fixed order) and decisions; the ETag
    carries the version to send back in If-Match."""
    page = queries.get_meeting(request.auth, person_id, meeting_id)
    return _meeting_out(page, response)


# ── Planning, changing, cancelling ──────────────────────────────────────────────────────────


class GuestIn(Schema):
    name: str = ""
    email: str = ""


class PlanIn(Schema):
    kind: str = Meeting.Kind.MDO
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str = ""
    at_home: bool = False
    video_link: str = ""
    member_ids: list[uuid.UUID] | uuid.UUID | None = None  # memberships of the person's team
    with_person: bool = False
    guests: list[GuestIn] = []  # outside the team: the invitation only
    person_agreed: bool = False


@router.post("/persons/{person_id}", response={201: MeetingOut}, url_name="meeting-plan")
@person_route("POST", objects={"member_ids": MEMBERSHIP})
def plan(request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: PlanIn | None = None) -> Status[Any]:
    action = Action.MEETINGS_MEETING_PLANNED
    person = _for_change(request, person_id, action)
    body = body or PlanIn()
    members = queries.members_of(request.auth, person, _ids(body.member_ids), action=action)
    meeting = services.plan_meeting(
        request.auth,
        person,
        kind=body.kind,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        place=body.place,
        at_home=body.at_home,
        video_link=body.video_link,
        members=members,
        with_person=body.with_person,
        guests=[services.Guest(g.name, g.email) for g in body.guests],
        person_agreed=body.person_agreed,
    )
    return Status(201, _meeting_out(queries.meeting_page(request.auth, person, meeting), response))


class ChangeIn(Schema):
    meeting_id: uuid.UUID | None = None
    kind: str = Meeting.Kind.MDO
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str = ""
    at_home: bool = False
    video_link: str = ""
    person_agreed: bool = False
    add_member_ids: list[uuid.UUID] | uuid.UUID | None = None
    add_person: bool = False
    add_guests: list[GuestIn] = []


@router.post("/persons/{person_id}/meeting/change", response=MeetingOut, url_name="meeting-change")
@person_route("POST", objects={"meeting_id": MEETING, "add_member_ids": MEMBERSHIP})
def change(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: ChangeIn | None = None
) -> dict[str, Any]:
    """Change a planned meeting (all its fields are sent) and invite more people."""
    action = Action.MEETINGS_MEETING_CHANGED
    person = _for_change(request, person_id, action)
    body = body or ChangeIn()
    members = queries.members_of(request.auth, person, _ids(body.add_member_ids), action=action)
    meeting = queries.meeting_of(request.auth, person, body.meeting_id, action=action)
    version = version_from_if_match(request.headers.get("If-Match"))
    services.change_meeting(
        request.auth,
        meeting,
        version=version,
        kind=body.kind,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        place=body.place,
        at_home=body.at_home,
        video_link=body.video_link,
        person_agreed=body.person_agreed,
        add_members=members,
        add_person=body.add_person,
        add_guests=[services.Guest(g.name, g.email) for g in body.add_guests],
    )
    return _meeting_out(queries.meeting_page(request.auth, person, meeting), response)


class CancelIn(Schema):
    meeting_id: uuid.UUID | None = None
    reason: str = ""


@router.post("/persons/{person_id}/meeting/cancel", response=MeetingOut, url_name="meeting-cancel")
@person_route("POST", objects={"meeting_id": MEETING})
def cancel(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: CancelIn | None = None
) -> dict[str, Any]:
    action = Action.MEETINGS_MEETING_CANCELLED
    person = _for_change(request, person_id, action)
    body = body or CancelIn()
    meeting = queries.meeting_of(request.auth, person, body.meeting_id, action=action)
    version = version_from_if_match(request.headers.get("If-Match"))
    services.cancel_meeting(request.auth, meeting, version=version, reason=body.reason)
    return _meeting_out(queries.meeting_page(request.auth, person, meeting), response)


# ── Questions, attendance, decisions, closing ───────────────────────────────────────────────


class QuestionIn(Schema):
    meeting_id: uuid.UUID | None = None
    text: str = ""


@router.post("/persons/{person_id}/meeting/questions", response={201: QuestionOut}, url_name="meeting-question")
@person_route("POST", objects={"meeting_id": MEETING})
def add_question(request: ApiRequest, person_id: uuid.UUID, body: QuestionIn | None = None) -> Status[Any]:
    """A question for the agenda, before the meeting (the person, a caregiver, a member)."""
    action = Action.MEETINGS_AGENDA_QUESTION_ADDED
    person = _for_change(request, person_id, action, level=Level.READ)
    body = body or QuestionIn()
    meeting = queries.meeting_of(request.auth, person, body.meeting_id, action=action)
    return Status(201, _question(services.add_question(request.auth, meeting, text=body.text)))


class PresenceIn(Schema):
    attendance: str = ""
    profession: str = ""
    riziv_number: str = ""


class AttendanceIn(Schema):
    meeting_id: uuid.UUID | None = None
    minutes: str = ""
    person_agreed: bool = False
    participants: dict[str, PresenceIn] = {}  # by participant id


@router.post("/persons/{person_id}/meeting/attendance", response=MeetingOut, url_name="meeting-attendance")
@person_route("POST", objects={"meeting_id": MEETING})
def record_attendance(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: AttendanceIn | None = None
) -> dict[str, Any]:
    """Attendance, profession and RIZIV/INAMI number per participant, the person's agreement,
    and the minutes (the whole text)."""
    action = Action.MEETINGS_ATTENDANCE_RECORDED
    person = _for_change(request, person_id, action)
    body = body or AttendanceIn()
    meeting = queries.meeting_of(request.auth, person, body.meeting_id, action=action)
    version = version_from_if_match(request.headers.get("If-Match"))
    services.record_attendance(
        request.auth,
        meeting,
        version=version,
        minutes=body.minutes,
        person_agreed=body.person_agreed,
        presence=services.presence_from({key: row.model_dump() for key, row in body.participants.items()}),
    )
    return _meeting_out(queries.meeting_page(request.auth, person, meeting), response)


class DecisionIn(Schema):
    meeting_id: uuid.UUID | None = None
    text: str = ""
    owner_id: uuid.UUID | None = None  # a membership of the person's team
    due_on: date | None = None
    goal_id: uuid.UUID | None = None


@router.post("/persons/{person_id}/meeting/decisions", response={201: DecisionOut}, url_name="meeting-decision")
@person_route("POST", objects={"meeting_id": MEETING, "owner_id": MEMBERSHIP, "goal_id": GOAL})
def add_decision(request: ApiRequest, person_id: uuid.UUID, body: DecisionIn | None = None) -> Status[Any]:
    """A decision: its plan action (proposed to the owner, who is told) is made with it."""
    action = Action.MEETINGS_DECISION_RECORDED
    person = _for_change(request, person_id, action)
    body = body or DecisionIn()
    owners = queries.members_of(request.auth, person, _ids(body.owner_id), action=action)
    goal = queries.goal_of(request.auth, person, body.goal_id, action=action)
    meeting = queries.meeting_of(request.auth, person, body.meeting_id, action=action)
    decision = services.add_decision(
        request.auth, meeting, text=body.text, owner=owners[0] if owners else None, due_on=body.due_on, goal=goal
    )
    return Status(201, _decision(decision))


class CloseIn(Schema):
    meeting_id: uuid.UUID | None = None
    next_starts_at: datetime | None = None
    next_ends_at: datetime | None = None
    no_next_reason: str = ""


@router.post("/persons/{person_id}/meeting/close", response=MeetingOut, url_name="meeting-close")
@person_route("POST", objects={"meeting_id": MEETING})
def close(
    request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, body: CloseIn | None = None
) -> dict[str, Any]:
    """Close the meeting with the next meeting's start (planned at once) or the reason why
    there is none; otherwise 422 and nothing changes."""
    action = Action.MEETINGS_MEETING_CLOSED
    person = _for_change(request, person_id, action)
    body = body or CloseIn()
    meeting = queries.meeting_of(request.auth, person, body.meeting_id, action=action)
    version = version_from_if_match(request.headers.get("If-Match"))
    services.close_meeting(
        request.auth,
        meeting,
        version=version,
        next_starts_at=body.next_starts_at,
        next_ends_at=body.next_ends_at,
        no_next_reason=body.no_next_reason,
    )
    return _meeting_out(queries.meeting_page(request.auth, person, meeting), response)
