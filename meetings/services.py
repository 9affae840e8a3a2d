"""Changes to a person's meetings (MDO-01..05): one function per change, for pages and API alike.

Each passes the gate (category `plan`, plans.categories) before its transaction, so that a
refusal stays in the access log; validates before writing, so that bad input changes nothing;
saves with the actor, so that django-simple-history keeps one row per change; and writes its
audit row in the same transaction. Nothing is deleted: a meeting is cancelled.

What leaves Schakel (in-app notices, calendar invitations) is meetings.invitations' work: the
services call its three hooks inside their transaction, and raise the meeting's iTIP `sequence`
on every change of time or place and on cancelling.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, rules
from accounts.models import User
from audit import services as audit
from core.actions import Action
from core.errors import Conflict
from core.identifiers import normalise_riziv
from core.vocab import Level
from meetings import invitations
from meetings.models import AgendaQuestion, Decision, Meeting, Participant
from people.models import Person
from plans import services as plan_services
from plans.categories import PLAN_CATEGORIES
from plans.models import Goal, PlanAction
from teams.models import Membership

CATEGORY = PLAN_CATEGORIES["meetings"]
# What an invitee's calendar shows: a change of any of these raises the iTIP sequence.
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "at_home", "video_link")
DECISION_MAX_LENGTH = 500
ACTION_TITLE_MAX_LENGTH = 200


@dataclass(frozen=True)
class Guest:
    """Someone outside the care team, invited by e-mail: the invitation, never the dossier."""

    name: str
    email: str


@dataclass(frozen=True)
class Presence:
    """What the meeting records of one participant: attendance, and for the reimbursed home
    consultation their profession and RIZIV/INAMI number."""

    attendance: str
    profession: str = ""
    riziv_number: str = ""


# ── Helpers ─────────────────────────────────────────────────────────────────────────────────


def _saved(actor: User, meeting: Meeting) -> None:
    """Save with the actor: the history row names them, the row says who changed it last."""
    meeting.updated_by = actor
    meeting.updated_at = timezone.now()
    meeting._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
    meeting.save()


def _belongs(meeting: Meeting, person: Person) -> None:
    # A caller passes only this person's meeting: anything else would join two dossiers, a
    # programming error rather than a user's mistake.
    if meeting.person_id != person.pk:
        raise ValueError("The meeting belongs to another person.")


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> tuple[datetime, datetime]:
    if starts_at is None:
        raise ValidationError({"starts_at": _("Give the date and time the meeting starts.")}, code="starts_required")
    if ends_at is None or ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting ends after it starts.")}, code="ends_before_start")
    return starts_at, ends_at


def _check_kind(kind: str) -> None:
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of meeting.")}, code="invalid_kind")


def _check_members(person: Person, members: Iterable[Membership], now: datetime) -> list[Membership]:
    """Invitees from the team: active members the person has not excluded. An excluded
    professional is never invited, not even as a guest (below)."""
    chosen = list({m.pk: m for m in members}.values())
    active = set(
        Membership.objects.active(now).filter(person=person, pk__in=[m.pk for m in chosen]).values_list("pk", flat=True)
    )
    for membership in chosen:
        if membership.person_id != person.pk:
            raise ValueError("The membership belongs to another person's team.")
        if membership.pk not in active:
            raise ValidationError({"members": _("Choose members of the care team now.")}, code="not_a_member")
        if gate.is_excluded(person, membership.user, now):
            raise ValidationError(
                {"members": _("%(name)s cannot be invited: the person has excluded them.") % {"name": membership.user}},
                code="excluded",
            )
    return chosen


def _excluded_address(person: Person, email: str, now: datetime) -> User | None:
    """The account with this address, when the person has excluded it."""
    account = User.objects.filter(email__iexact=email.strip()).first()
    return account if account is not None and gate.is_excluded(person, account, now) else None


def _check_guests(person: Person, guests: Iterable[Guest], now: datetime) -> list[Guest]:
    checked: list[Guest] = []
    validate = EmailValidator(message=_("Give a valid e-mail address for each guest."))
    for guest in guests:
        name, email = guest.name.strip(), guest.email.strip().lower()
        if not name or not email:
            raise ValidationError(
                {"guests": _("Give the name and the e-mail address of each guest.")}, code="guest_incomplete"
            )
        validate(email)
        # The e-mail address of an account the person excluded is refused as an invitee too:
        # the invitation would tell them where and when the person's team meets.
        excluded = _excluded_address(person, email, now)
        if excluded is not None:
            raise ValidationError(
                {"guests": _("%(name)s cannot be invited: the person has excluded them.") % {"name": excluded}},
                code="excluded",
            )
        checked.append(Guest(name[:200], email))
    return checked


def _the_person_among(person: Person, members: list[Membership]) -> tuple[list[Membership], bool]:
    """The person's own membership of their team (profile `person`) is not invited as a member:
    the person comes to their own meeting as the person themself (`is_the_person`), once, however
    they were chosen. Returns the other members, and whether the person was among them."""
    own = [m for m in members if person.account_id is not None and m.user_id == person.account_id]
    return [m for m in members if m not in own], bool(own)


def _participants(
    meeting: Meeting, members: list[Membership], with_person: bool, guests: list[Guest]
) -> list[Participant]:
    rows = [Participant(meeting=meeting, membership=m, riziv_number=m.user.riziv_number or "") for m in members]
    if with_person:
        rows.append(Participant(meeting=meeting, is_the_person=True))
    rows += [Participant(meeting=meeting, name=g.name, email=g.email) for g in guests]
    for row in rows:
        row.save()
    return rows


def _claim(meeting: Meeting, version: int) -> None:
    """The version check of a change to a planned meeting: exactly one of two concurrent changes
    from the same version wins; the other is told. A closed or cancelled meeting is read-only."""
    updated = Meeting.objects.filter(pk=meeting.pk, version=version, status=Meeting.Status.PLANNED).update(
        version=F("version") + 1
    )
    if not updated:
        status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).first()
        if status != Meeting.Status.PLANNED:
            raise ValidationError(
                _("This meeting is closed or cancelled: it can no longer be changed."), code="not_planned"
            )
        raise Conflict(_("Someone else changed this meeting. Reload the page to see their change."))
    meeting.version = version + 1


def _lock_planned(meeting: Meeting) -> Meeting:
    """The meeting's row, locked for this transaction, refused unless it is still planned."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status != Meeting.Status.PLANNED:
        raise ValidationError(
            _("This meeting is closed or cancelled: it can no longer be changed."), code="not_planned"
        )
    return current


def _detail(meeting: Meeting, **more: str) -> dict[str, str]:
    return {"meeting": str(meeting.public_id), **more}


# ── Planning, changing, cancelling ──────────────────────────────────────────────────────────


def plan_meeting(
    actor: User,
    person: Person,
    *,
    kind: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str = "",
    at_home: bool = False,
    video_link: str = "",
    members: Iterable[Membership] = (),
    with_person: bool = False,
    guests: Iterable[Guest] = (),
    person_agreed: bool = False,
) -> Meeting:
    """Plan a meeting about the person (MDO-01) with members of the care team, the person, and
    guests from outside the team invited by e-mail. Needs `plan` write."""
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=Action.MEETINGS_MEETING_PLANNED)
    now = timezone.now()
    _check_kind(kind)
    starts_at, ends_at = _check_times(starts_at, ends_at)
    chosen, person_chosen = _the_person_among(person, _check_members(person, members, now))
    with_person = with_person or person_chosen
    checked = _check_guests(person, guests, now)
    meeting = Meeting(
        person=person,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        at_home=at_home,
        video_link=video_link.strip(),
        organiser=actor,
        person_agreed=person_agreed,
    )
    meeting.full_clean(exclude=["person", "organiser", "updated_by", "closed_by", "next_meeting"])
    with transaction.atomic():
        _saved(actor, meeting)
        invited = _participants(meeting, chosen, with_person, checked)
        audit.log_change(actor, person, Action.MEETINGS_MEETING_PLANNED, decision=decision, detail=_detail(meeting))
        invitations.meeting_planned(meeting, invited)
    return meeting


def change_meeting(
    actor: User,
    meeting: Meeting,
    *,
    version: int,
    kind: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str = "",
    at_home: bool = False,
    video_link: str = "",
    person_agreed: bool = False,
    add_members: Iterable[Membership] = (),
    add_person: bool = False,
    add_guests: Iterable[Guest] = (),
) -> Meeting:
    """Change a planned meeting: its kind, time and place, and invite more people. A change of
    time or place raises the calendar sequence and tells every invitee; the newly invited get
    their invitation."""
    person = meeting.person
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=Action.MEETINGS_MEETING_CHANGED)
    now = timezone.now()
    _check_kind(kind)
    starts_at, ends_at = _check_times(starts_at, ends_at)
    already = set(meeting.participants.exclude(membership=None).values_list("membership_id", flat=True))
    checked_members, person_chosen = _the_person_among(person, _check_members(person, add_members, now))
    new_members = [m for m in checked_members if m.pk not in already]
    with_person = (add_person or person_chosen) and not meeting.participants.filter(is_the_person=True).exists()
    guests = _check_guests(person, add_guests, now)
    before = {name: getattr(meeting, name) for name in CALENDAR_FIELDS}
    meeting.kind = kind
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.at_home, meeting.video_link = place.strip(), at_home, video_link.strip()
    meeting.person_agreed = person_agreed
    meeting.full_clean(exclude=["person", "organiser", "updated_by", "closed_by", "next_meeting"])
    moved = any(getattr(meeting, name) != value for name, value in before.items())
    with transaction.atomic():
        _claim(meeting, version)
        if moved:
            meeting.sequence += 1
        _saved(actor, meeting)
        invited = _participants(meeting, new_members, with_person, guests)
        audit.log_change(actor, person, Action.MEETINGS_MEETING_CHANGED, decision=decision, detail=_detail(meeting))
        if moved:
            invitations.meeting_changed(meeting)
        if invited:
            invitations.meeting_planned(meeting, invited)
    return meeting


def cancel_meeting(actor: User, meeting: Meeting, *, version: int, reason: str) -> Meeting:
    """Cancel a planned meeting with a reason: nothing is deleted; every invitee is told and
    their calendar drops it (the sequence is raised)."""
    person = meeting.person
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=Action.MEETINGS_MEETING_CANCELLED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")}, code="reason_required")
    with transaction.atomic():
        _claim(meeting, version)
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancel_reason = reason[:500]
        meeting.sequence += 1
        _saved(actor, meeting)
        audit.log_change(actor, person, Action.MEETINGS_MEETING_CANCELLED, decision=decision, detail=_detail(meeting))
        invitations.meeting_cancelled(meeting)
    return meeting


# ── Before the meeting: questions for the agenda ────────────────────────────────────────────


def add_question(actor: User, meeting: Meeting, *, text: str) -> AgendaQuestion:
    """A question for the agenda, asked beforehand by the person, a caregiver or a member
    (access.rules.agenda_question says who may, and until when)."""
    person = meeting.person
    decision = gate.enforce(
        actor,
        person,
        rules.agenda_question(actor, person, meeting_planned=meeting.status == Meeting.Status.PLANNED),
        action=Action.MEETINGS_AGENDA_QUESTION_ADDED,
        audit_granted=False,
    )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")}, code="question_required")
    question = AgendaQuestion(meeting=meeting, text=text, asked_by=actor)
    question.full_clean(exclude=["meeting", "asked_by"])
    with transaction.atomic():
        _lock_planned(meeting)
        question.save()
        audit.log_change(
            actor,
            person,
            Action.MEETINGS_AGENDA_QUESTION_ADDED,
            decision=decision,
            detail=_detail(meeting, question=str(question.public_id)),
        )
    return question


# ── At the meeting: attendance, minutes, decisions ──────────────────────────────────────────


def record_attendance(
    actor: User,
    meeting: Meeting,
    *,
    version: int,
    minutes: str,
    person_agreed: bool,
    presence: Mapping[str, Presence],
) -> Meeting:
    """Record who came (in person, remotely, or not), each participant's profession and
    RIZIV/INAMI number (the reimbursed home consultation asks for them), the person's agreement
    and the minutes. `presence` is keyed by the participant's public id."""
    person = meeting.person
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=Action.MEETINGS_ATTENDANCE_RECORDED)
    participants = {str(p.public_id): p for p in meeting.participants.all()}
    unknown = set(presence) - set(participants)
    if unknown:
        raise ValidationError(
            _("Record the attendance of this meeting's participants only."), code="unknown_participant"
        )
    errors: dict[str, list[ValidationError]] = {}
    changed: list[Participant] = []
    for key, row in presence.items():
        participant = participants[key]
        if row.attendance not in Participant.Attendance.values:
            errors.setdefault("attendance", []).append(
                ValidationError(_("Choose whether each participant came."), code="invalid_attendance")
            )
            continue
        riziv = ""
        if row.riziv_number.strip():
            try:
                riziv = normalise_riziv(row.riziv_number).number
            except ValidationError as error:
                errors.setdefault("riziv_number", []).append(
                    ValidationError(
                        _("%(name)s: %(error)s")
                        % {"name": participant_name(participant), "error": " ".join(error.messages)},
                        code=error.code,
                    )
                )
                continue
        participant.attendance = row.attendance
        participant.profession = row.profession.strip()[:100]
        participant.riziv_number = riziv
        changed.append(participant)
    if errors:
        raise ValidationError(errors)
    meeting.minutes = minutes.strip()
    meeting.person_agreed = person_agreed
    meeting.full_clean(exclude=["person", "organiser", "updated_by", "closed_by", "next_meeting"])
    with transaction.atomic():
        _claim(meeting, version)
        _saved(actor, meeting)
        for participant in changed:
            participant.save(update_fields=["attendance", "profession", "riziv_number"])
        audit.log_change(actor, person, Action.MEETINGS_ATTENDANCE_RECORDED, decision=decision, detail=_detail(meeting))
    return meeting


def add_decision(
    actor: User,
    meeting: Meeting,
    *,
    text: str,
    owner: Membership | None,
    due_on: date | None,
    goal: Goal | None = None,
) -> Decision:
    """A decision of the meeting, in plain language, with its owner and due date (MDO-02). Its
    plan action is created in the same transaction (origin "meeting", proposed to the owner, who
    is told): if the action cannot be made, neither is the decision."""
    person = meeting.person
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=Action.MEETINGS_DECISION_RECORDED)
    text = " ".join(text.split())
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the decision in plain words.")
    elif len(text) > DECISION_MAX_LENGTH:
        errors["text"] = _("Keep the decision under %(n)d characters.") % {"n": DECISION_MAX_LENGTH}
    if owner is None:
        errors["owner"] = _("Choose who will do it.")
    if due_on is None:
        errors["due_on"] = _("Give the date by which it is done.")
    if errors:
        raise ValidationError(errors, code="invalid_decision")
    assert owner is not None  # for the type checker: checked above
    title = text if len(text) <= ACTION_TITLE_MAX_LENGTH else text[: ACTION_TITLE_MAX_LENGTH - 1] + "…"
    # The plan's own service gates and audits the action too; its rows are committed after this
    # transaction (independent_writes), whether it commits or rolls back.
    with audit.independent_writes(), transaction.atomic():
        _lock_planned(meeting)
        action = plan_services.propose_action(
            actor,
            person,
            title=title,
            owner=owner,
            goal=goal,
            due_on=due_on,
            details=text if title != text else "",
            origin=PlanAction.Origin.MEETING,
        )
        row = Decision.objects.create(meeting=meeting, text=text, action=action, decided_by=actor)
        audit.log_change(
            actor,
            person,
            Action.MEETINGS_DECISION_RECORDED,
            decision=decision,
            detail=_detail(meeting, decision=str(row.public_id), action=str(action.public_id)),
        )
    return row


# ── Closing: the next meeting, or why none ──────────────────────────────────────────────────


def close_meeting(
    actor: User,
    meeting: Meeting,
    *,
    version: int,
    next_starts_at: datetime | None = None,
    next_ends_at: datetime | None = None,
    no_next_reason: str = "",
) -> Meeting:
    """Close a meeting (MDO-03): with the next meeting's date, which plans it (same kind, place
    and invitees, invited at once), or with the reason why there is none. Closing counts as a
    review of the plan, with the participants who were present. A closed meeting is read-only."""
    person = meeting.person
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=Action.MEETINGS_MEETING_CLOSED)
    now = timezone.now()
    reason = no_next_reason.strip()
    if meeting.starts_at > now:
        raise ValidationError(_("A meeting is closed once it has begun."), code="not_begun")
    if next_starts_at is None and not reason:
        raise ValidationError(
            {"next_starts_at": _("Give the date of the next meeting, or say why there is no next meeting.")},
            code="next_required",
        )
    if next_starts_at is not None:
        if next_starts_at <= max(meeting.starts_at, now):
            raise ValidationError(
                {"next_starts_at": _("The next meeting comes after this one.")}, code="next_before_this"
            )
        next_ends_at = next_ends_at or next_starts_at + (meeting.ends_at - meeting.starts_at)
        _check_times(next_starts_at, next_ends_at)
        reason = ""
    participants = list(meeting.participants.select_related("membership__user"))
    present = [
        p for p in participants if p.attendance in (Participant.Attendance.IN_PERSON, Participant.Attendance.REMOTE)
    ]
    with_whom = ", ".join(participant_name(p) for p in present)[:500]
    reviewed_on = min(timezone.localdate(meeting.starts_at), timezone.localdate())
    with audit.independent_writes(), transaction.atomic():
        _claim(meeting, version)
        following = None
        invited: list[Participant] = []
        if next_starts_at is not None:
            assert next_ends_at is not None
            following, invited = _plan_next(actor, meeting, participants, next_starts_at, next_ends_at, now)
        meeting.status = Meeting.Status.CLOSED
        meeting.next_meeting = following
        meeting.no_next_reason = reason[:500]
        meeting.closed_at = now
        meeting.closed_by = actor
        _saved(actor, meeting)
        plan_services.record_review(
            actor, person, reviewed_on=reviewed_on, with_whom=with_whom, meeting_id=meeting.public_id
        )
        more = {"next_meeting": str(following.public_id)} if following else {}
        audit.log_change(
            actor, person, Action.MEETINGS_MEETING_CLOSED, decision=decision, detail=_detail(meeting, **more)
        )
        if following is not None:
            invitations.meeting_planned(following, invited)
    return meeting


def _plan_next(
    actor: User,
    meeting: Meeting,
    participants: list[Participant],
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> tuple[Meeting, list[Participant]]:
    """The next meeting: same kind, place and invitees. A member who left the team meanwhile, or
    whom the person has excluded, is not invited again."""
    person = meeting.person
    following = Meeting(
        person=person,
        kind=meeting.kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=meeting.place,
        at_home=meeting.at_home,
        video_link=meeting.video_link,
        organiser=actor,
    )
    _saved(actor, following)
    members = [p.membership for p in participants if p.membership is not None]
    active = set(Membership.objects.active(now).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    kept = [m for m in members if m.pk in active and not gate.is_excluded(person, m.user, now)]
    guests = [
        Guest(p.name, p.email)
        for p in participants
        if p.membership is None and not p.is_the_person and p.email and not _excluded_address(person, p.email, now)
    ]
    with_person = any(p.is_the_person for p in participants)
    invited = _participants(following, kept, with_person, _check_guests(person, guests, now))
    return following, invited


# ── Display ─────────────────────────────────────────────────────────────────────────────────


def participant_name(participant: Participant) -> str:
    """The participant's name as the minutes print it (the person, a member, or a guest)."""
    if participant.is_the_person:
        person = participant.meeting.person
        return f"{person.given_name} {person.family_name}"
    if participant.membership is not None:
        return str(participant.membership.user)
    return participant.name or participant.email


def presence_from(data: Mapping[str, Any]) -> dict[str, Presence]:
    """The attendance rows of a form or an API body: {participant id: Presence}."""
    return {
        str(key): Presence(
            attendance=str(row.get("attendance", "")),
            profession=str(row.get("profession", "") or ""),
            riziv_number=str(row.get("riziv_number", "") or ""),
        )
        for key, row in data.items()
    }
