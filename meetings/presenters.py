"""Display values for the meeting pages and the printed minutes, so templates hold no logic."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.identifiers import normalise_riziv
from meetings.models import Decision, Meeting, Participant
from meetings.services import participant_name
from plans.models import PlanAction


@dataclass(frozen=True)
class ParticipantRow:
    key: str  # the participant's public id (form field names)
    name: str
    role: str  # the team role, "the person themself" or "guest (invitation only)"
    is_guest: bool
    email: str  # a guest's address: where the invitation goes
    attendance: str
    attendance_label: str
    profession: str  # as recorded, or the team role
    riziv_number: str  # formatted 1-23456-78-901, or ""
    riziv_raw: str


def _riziv(value: str) -> str:
    if not value:
        return ""
    try:
        return normalise_riziv(value).formatted
    except ValidationError:  # a number recorded before validation: shown as it is
        return value


def participant_rows(participants: list[Participant]) -> list[ParticipantRow]:
    rows = []
    for p in participants:
        if p.is_the_person:
            role = _("the person themself")
        elif p.membership is not None:
            role = p.membership.profile_label
        else:
            role = _("guest (invitation only)")
        rows.append(
            ParticipantRow(
                key=str(p.public_id),
                name=participant_name(p),
                role=role,
                is_guest=p.membership is None and not p.is_the_person,
                email=p.email if p.membership is None else "",
                attendance=p.attendance,
                attendance_label=p.get_attendance_display(),
                profession=p.profession or (p.membership.profile_label if p.membership is not None else ""),
                riziv_number=_riziv(p.riziv_number),
                riziv_raw=p.riziv_number,
            )
        )
    return rows


@dataclass(frozen=True)
class ActionRow:
    """A decision (or an overdue action) with its action: who does what by when, status now."""

    text: str
    owner: str
    due_on: date | None
    status: str
    status_label: str
    overdue: bool


def action_row(action: PlanAction, text: str = "") -> ActionRow:
    today = timezone.localdate()
    open_now = action.status not in (PlanAction.Status.DONE, PlanAction.Status.CANCELLED)
    return ActionRow(
        text=text or action.title,
        owner=str(action.owner.user),
        due_on=action.due_on,
        status=action.status,
        status_label=action.get_status_display(),
        overdue=bool(open_now and action.due_on and action.due_on < today),
    )


def decision_rows(decisions: list[Decision]) -> list[ActionRow]:
    return [action_row(d.action, d.text) for d in decisions]


def status_label(meeting: Meeting) -> str:
    """The meeting's state in words: planned, waiting to be closed, closed, cancelled."""
    if meeting.status == Meeting.Status.PLANNED and meeting.ends_at < timezone.now():
        return _("took place, to be closed")
    return meeting.get_status_display()
