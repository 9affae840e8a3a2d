"""Gated reads of a person's meetings (category `plan`): the list, one meeting with its agenda,
and the ids a form or an API body names. Every read passes the gate and is audited; an outsider
gets the same 404 as an unknown id.

Someone invited by e-mail from outside the team has no relationship with the person, so the gate
gives them nothing here, whatever their e-mail address: joining the team, with the person's
consent, is the only way to the meeting page.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.models import Exclusion
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.vocab import Level
from meetings.models import AgendaQuestion, Decision, Meeting, Participant
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.models import Goal, PlanAction, PlanReview
from teams.models import Membership
from teams.queries import active_members

CATEGORY = PLAN_CATEGORIES["meetings"]
MEETINGS_LISTED = Action.MEETINGS_MEETINGS_LISTED
MEETING_VIEWED = Action.MEETINGS_MEETING_VIEWED
# An action still to be done: overdue when its due date has passed.
OPEN_ACTION_STATUSES = (
    PlanAction.Status.PROPOSED,
    PlanAction.Status.OPEN,
    PlanAction.Status.IN_PROGRESS,
    PlanAction.Status.ON_HOLD,
)

Thing = TypeVar("Thing", bound=Model)


def review_interval_days() -> int:
    """The plan's review interval (issue 12: 90 days unless the zone sets another)."""
    return int(getattr(settings, "PLAN_REVIEW_INTERVAL_DAYS", 90))


def person_for_meetings(
    actor: User, person_id: uuid.UUID | str, *, action: str, level: str = Level.READ, audit_granted: bool = True
) -> tuple[Person, gate.Decision]:
    """The person, for a page or call about their meetings: the gate for the plan at `level`.
    A change's view passes audit_granted=False: its service logs the change."""
    person = resolve_person(actor, person_id, action)
    decision = gate.enforce(
        actor, person, gate.decide(actor, person, CATEGORY, level), action=action, audit_granted=audit_granted
    )
    return person, decision


def _own(model: type[Thing], person: Person, public_id: uuid.UUID | str) -> Thing | None:
    """The person's own row with this id, or None (unknown, malformed, or another person's)."""
    try:
        return model._default_manager.filter(person=person, public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def meeting_of(actor: User, person: Person, public_id: uuid.UUID | str | None, *, action: str) -> Meeting:
    """One of the person's meetings, named in a query or a body. No id is a mistake the user
    fixes; any other id, unknown or another person's, is the same audited 404."""
    if not public_id:
        raise ValidationError(_("Choose a meeting."), code="unknown_meeting")
    meeting = _own(Meeting, person, public_id)
    if meeting is None:
        gate.refuse(actor, action, {"meeting": str(public_id)})
    meeting.person = person  # the gated instance, with what the request remembered of it
    return meeting


def goal_of(actor: User, person: Person, public_id: uuid.UUID | str | None, *, action: str) -> Goal | None:
    """One of the person's goals, optional (a decision may serve one); another id is a 404."""
    if not public_id:
        return None
    goal = _own(Goal, person, public_id)
    if goal is None:
        gate.refuse(actor, action, {"goal": str(public_id)})
    return goal


def members_of(
    actor: User, person: Person, public_ids: list[str] | list[uuid.UUID], *, action: str
) -> list[Membership]:
    """Memberships of the person's team named by id (invitees); another id is a 404. Whether
    each is active and not excluded is the service's check, with a sentence."""
    found = []
    for public_id in public_ids:
        membership = _own(Membership, person, public_id)
        if membership is None:
            gate.refuse(actor, action, {"member": str(public_id)})
        found.append(membership)
    return found


def invitable_members(person: Person, now: datetime | None = None) -> list[Membership]:
    """The team's active members whom the person has not excluded: who may be invited, and who
    may own a decision's action. An excluded professional is never offered."""
    members = list(active_members(person, now).order_by("user__full_name", "pk"))
    excluded = set(
        Exclusion.objects.active(now)
        .filter(person=person, excluded_id__in=[m.user_id for m in members])
        .values_list("excluded_id", flat=True)
    )
    return [m for m in members if m.user_id not in excluded]


# ── The list ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class MeetingList:
    person: Person
    planned: list[Meeting]  # soonest first; a planned meeting that is over waits to be closed
    past: list[Meeting]  # closed and cancelled, newest first
    may_plan: bool


def meeting_list(actor: User, person_id: uuid.UUID | str) -> MeetingList:
    person, _decision = person_for_meetings(actor, person_id, action=MEETINGS_LISTED)
    meetings = list(Meeting.objects.filter(person=person).order_by("starts_at", "pk"))
    return MeetingList(
        person=person,
        planned=[m for m in meetings if m.status == Meeting.Status.PLANNED],
        past=[m for m in reversed(meetings) if m.status != Meeting.Status.PLANNED],
        may_plan=gate.decide(actor, person, CATEGORY, Level.WRITE).allowed,
    )


# ── One meeting ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Agenda:
    """The agenda in its fixed order (issue 12): (1) the previous meeting's decisions with their
    action's status now, (2) the plan's overdue actions, (3) the goals due for review, (4) the
    questions put on the agenda beforehand."""

    previous: Meeting | None
    previous_decisions: list[Decision]
    overdue: list[PlanAction]
    goals_due: list[Goal]
    questions: list[AgendaQuestion]


def agenda(meeting: Meeting, now: datetime | None = None) -> Agenda:
    """The agenda of a meeting the caller already gated (plan read)."""
    now = now or timezone.now()
    person = meeting.person
    previous = (
        Meeting.objects.filter(person=person, status=Meeting.Status.CLOSED, starts_at__lt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at", "-pk")
        .first()
    )
    previous_decisions = (
        list(Decision.objects.filter(meeting=previous).select_related("action__owner__user")) if previous else []
    )
    today = timezone.localdate(now)
    overdue = list(
        PlanAction.objects.filter(person=person, status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
        .select_related("owner__user")
        .order_by("due_on", "pk")
    )
    return Agenda(
        previous=previous,
        previous_decisions=previous_decisions,
        overdue=overdue,
        goals_due=goals_due_for_review(person, now),
        questions=list(AgendaQuestion.objects.filter(meeting=meeting).select_related("asked_by")),
    )


def goals_due_for_review(person: Person, now: datetime) -> list[Goal]:
    """Active goals neither changed nor reviewed for the review interval. A simple definition
    for now (issue 12): a goal's last change (its row's `updated_at`) and the plan's last review
    (PlanReview, closing a meeting records one); Goal Attainment Scaling scores will count too
    once they exist."""
    cutoff = now - timedelta(days=review_interval_days())
    last_review = (
        PlanReview.objects.filter(person=person).order_by("-reviewed_on").values_list("reviewed_on", flat=True)
    )
    reviewed = last_review.first()
    if reviewed is not None and reviewed >= timezone.localdate(cutoff):
        return []
    return list(Goal.objects.filter(person=person, status=Goal.Status.ACTIVE, updated_at__lt=cutoff))


@dataclass(frozen=True)
class MeetingPage:
    person: Person
    meeting: Meeting
    participants: list[Participant]
    agenda: Agenda
    decisions: list[Decision]
    may_change: bool  # plan write and still planned: edit, attendance, decisions, close, cancel
    may_ask: bool  # may add a question to the agenda now (access.rules.agenda_question)
    owners: list[Membership]  # who can own a decision's action: active members not excluded
    goals: list[Goal]  # the active goals a decision may serve


def meeting_page(actor: User, person: Person, meeting: Meeting) -> MeetingPage:
    """Everything the meeting page shows, for a person and meeting already gated (plan read)."""
    now = timezone.now()
    planned = meeting.status == Meeting.Status.PLANNED
    may_change = planned and gate.decide(actor, person, CATEGORY, Level.WRITE).allowed
    may_ask = planned and rules.agenda_question(actor, person, meeting_planned=True).allowed
    participants = list(meeting.participants.select_related("membership__user"))
    for participant in participants:
        participant.meeting = meeting
    owners: list[Membership] = []
    goals: list[Goal] = []
    if may_change:
        owners = invitable_members(person, now)
        goals = list(Goal.objects.filter(person=person, status=Goal.Status.ACTIVE))
    return MeetingPage(
        person=person,
        meeting=meeting,
        participants=participants,
        agenda=agenda(meeting, now),
        decisions=list(meeting.decisions.select_related("action__owner__user", "action__goal")),
        may_change=may_change,
        may_ask=may_ask,
        owners=owners,
        goals=goals,
    )


def get_meeting(actor: User, person_id: uuid.UUID | str, meeting_id: uuid.UUID | str | None) -> MeetingPage:
    """The meeting page: the gate for reading the plan (audited), then the meeting by id."""
    person, _decision = person_for_meetings(actor, person_id, action=MEETING_VIEWED)
    meeting = meeting_of(actor, person, meeting_id, action=MEETING_VIEWED)
    return meeting_page(actor, person, meeting)


def meeting_path(meeting: Meeting) -> str:
    """The meeting's page, behind the gate: all an invitation or a redirect says of the meeting."""
    page = reverse("meetings:detail", kwargs={"person_id": meeting.person.public_id})
    return f"{page}?{urlencode({'meeting': meeting.public_id})}"
