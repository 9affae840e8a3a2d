"""Every change of the calendar work: announcing a meeting to its participants (in-app
notification now, the e-mail with its .ics queued on commit), the private calendar feeds (made,
revoked by the user, revoked by Schakel when the account or a membership ends) and the answers
(RSVP) of members and of invitees from outside the team."""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from audit.services import SystemActor
from core.actions import Action
from core.vocab import Category, Level
from meetings.models import CalendarFeed, Meeting, Participant
from notifications.models import Notification
from notifications.services import notify
from people.models import Person
from teams.models import Membership

PLANNED = "planned"
CHANGED = "changed"
CANCELLED = "cancelled"
CHANGES = (PLANNED, CHANGED, CANCELLED)

_NOTIFICATION = {
    PLANNED: Notification.Kind.MEETING_INVITED,
    CHANGED: Notification.Kind.MEETING_CHANGED,
    CANCELLED: Notification.Kind.MEETING_CANCELLED,
}

# The signed answer link of an invitee from outside the team: who (the participant) and for
# which meeting; it works until the meeting has passed, and at most this long.
REPLY_SALT = "meetings.calendar.reply"
REPLY_LINK_MAX_AGE = 180 * 24 * 3600


# --- Links --------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def reply_path(meeting: Meeting) -> str:
    return reverse(
        "meetings:calendar-reply", kwargs={"person_id": meeting.person.public_id, "meeting_id": meeting.public_id}
    )


def reply_link_path(participant: Participant) -> str:
    """The signed answer link for an invitee from outside the team (no login). Minted when the
    e-mail is sent, never queued."""
    token = signing.dumps({"p": str(participant.public_id)}, salt=REPLY_SALT, compress=True)
    return reverse("meetings:calendar-reply-link", kwargs={"token": token})


# --- Announcing a meeting (called by meetings.invitations inside the service's transaction) ----


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    member: bool


def recipient(participant: Participant, now: datetime | None = None) -> Recipient | None:
    """Where a participant's invitation goes: a member's account address in their language while
    their membership and account are active; an invitee from outside the team at the address
    they were invited with, in the organiser's language (the one who knows them). Nobody the
    person has excluded since they were invited: not a member, not a guest with that address."""
    person = participant.meeting.person
    membership = participant.membership
    if membership is not None:
        user = membership.user
        active = Membership.objects.active(now).filter(pk=membership.pk).exists()
        if not (active and user.is_active and user.email) or gate.is_excluded(person, user, now):
            return None
        return Recipient(user.email, user.language, member=True)
    account = participant.meeting.person.account if participant.is_the_person else None
    if account is not None:  # the person at their own meeting, with their own login
        return Recipient(account.email, account.language, member=True) if account.is_active and account.email else None
    if not participant.email:
        return None
    account = User.objects.filter(email__iexact=participant.email).first()
    if account is not None and gate.is_excluded(person, account, now):
        return None
    return Recipient(participant.email, participant.meeting.organiser.language, member=False)


def announce(meeting: Meeting, participants: list[Participant], change: str) -> None:
    """Tell the participants of a planned, changed or cancelled meeting: an in-app notification
    for members (not for whoever made the change), and, once the change is committed, a queued
    e-mail each with the .ics. The queued task carries ids and the sequence only: it renders from
    the database when it runs, and a newer change supersedes it."""
    if change not in CHANGES:
        raise ValueError(change)
    sequence = Meeting.objects.values_list("sequence", flat=True).get(pk=meeting.pk)
    author = meeting.updated_by_id or meeting.organiser_id
    members = Membership.objects.active().filter(
        pk__in=[p.membership_id for p in participants if p.membership_id], user__is_active=True
    )
    for membership in members.select_related("user"):
        if membership.user_id != author and not gate.is_excluded(meeting.person, membership.user):
            notify(
                membership.user,
                _NOTIFICATION[change],
                person=meeting.person,
                params={"meeting": str(meeting.public_id)},
            )
    ids = [participant.pk for participant in participants]
    if ids:
        from meetings.calendar import tasks

        transaction.on_commit(
            partial(
                tasks.send_invitations.enqueue,
                meeting_id=meeting.pk,
                participant_ids=ids,
                change=change,
                sequence=sequence,
            )
        )


# --- Answers (RSVP) -----------------------------------------------------------------------------


def _answer(value: str) -> str:
    if value not in (Participant.Reply.ACCEPTED, Participant.Reply.DECLINED, Participant.Reply.TENTATIVE):
        raise ValidationError(_("Choose whether you will come, cannot come or maybe."), code="invalid_answer")
    return value


def _open_for_answers(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PLANNED or meeting.ends_at <= timezone.now():
        raise ValidationError(_("This meeting no longer takes answers."), code="closed")


def own_participation(actor: User, meeting: Meeting) -> Participant | None:
    """The actor's invitation to the meeting: through their active membership, or, for the
    person themself with their own login, as the person (who is invited as the person even when
    they are a member of their own team: meetings.services)."""
    found = (
        Participant.objects.filter(
            meeting=meeting, membership__in=Membership.objects.active().filter(user=actor, person=meeting.person_id)
        )
        .select_related("membership")
        .first()
    )
    if found is None and meeting.person.account_id == actor.pk:
        found = Participant.objects.filter(meeting=meeting, is_the_person=True).first()
    return found


def reply(actor: User, meeting: Meeting, answer: str) -> Participant:
    """A member answers their invitation: will come, cannot come, maybe."""
    decision = gate.decide(actor, meeting.person, Category.PLAN, Level.READ)
    # A refusal is audited here; the answer itself is audited with the change below.
    gate.enforce(actor, meeting.person, decision, action=Action.MEETINGS_REPLIED, audit_granted=False)
    answer = _answer(answer)
    participant = own_participation(actor, meeting)
    if participant is None:
        raise ValidationError(_("You are not invited to this meeting."), code="not_invited")
    _open_for_answers(meeting)
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(reply=answer)
        audit.log_change(
            actor,
            meeting.person,
            Action.MEETINGS_REPLIED,
            decision=decision,
            detail={"meeting": str(meeting.public_id), "participant": str(participant.public_id), "reply": answer},
        )
    participant.refresh_from_db()
    return participant


def participant_for_link(token: str) -> Participant:
    """The invitee behind a signed answer link, or a ValidationError saying it does not work."""
    try:
        data = signing.loads(token, salt=REPLY_SALT, max_age=REPLY_LINK_MAX_AGE)
        participant = Participant.objects.select_related("meeting__person").get(public_id=data["p"])
    except (signing.BadSignature, Participant.DoesNotExist, KeyError, TypeError, ValueError, ValidationError):
        raise ValidationError(_("This link does not work. Ask the one who invited you."), code="bad_link") from None
    return participant


def reply_by_link(token: str, answer: str) -> Participant:
    """An invitee from outside the team answers through the link in their e-mail (no login)."""
    participant = participant_for_link(token)
    answer = _answer(answer)
    meeting = participant.meeting
    _open_for_answers(meeting)
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(reply=answer)
        audit.log_change(
            SystemActor("meeting_reply_link"),
            meeting.person,
            Action.MEETINGS_REPLIED,
            category=Category.PLAN,
            detail={"meeting": str(meeting.public_id), "participant": str(participant.public_id), "reply": answer},
        )
    participant.refresh_from_db()
    return participant


# --- Private calendar feeds ---------------------------------------------------------------------


def create_feed(user: User) -> tuple[CalendarFeed, str]:
    """Make a private feed URL's token; returned once and never stored (only its SHA-256)."""
    token = CalendarFeed.new_token()
    with transaction.atomic():
        feed = CalendarFeed.objects.create(user=user, token_hash=CalendarFeed.hash_token(token), prefix=token[:8])
        audit.log_change(
            user,
            None,
            Action.MEETINGS_CALENDAR_FEED_CREATED,
            event=AuditEntry.Event.ACCOUNT,
            detail={"feed": str(feed.public_id)},
        )
    return feed, token


def revoke_feed(user: User, feed_id: Any) -> CalendarFeed:
    """Revoke one of the user's own feeds; someone else's is a 404."""
    try:
        feed = CalendarFeed.objects.get(public_id=feed_id, user=user)
    except (CalendarFeed.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if feed.revoked_at is None:
        _revoke(user, CalendarFeed.objects.filter(pk=feed.pk), CalendarFeed.Revoked.BY_USER, user)
        feed.refresh_from_db()
    return feed


def _revoke(user: User, feeds: Any, why: str, actor: Any) -> int:
    with transaction.atomic():
        ids = [str(public_id) for public_id in feeds.filter(revoked_at=None).values_list("public_id", flat=True)]
        if not ids:
            return 0
        CalendarFeed.objects.filter(public_id__in=ids).update(revoked_at=timezone.now(), revoked_why=why)
        audit.log_change(
            actor,
            None,
            Action.MEETINGS_CALENDAR_FEED_REVOKED,
            event=AuditEntry.Event.ACCOUNT,
            detail={"user": str(user.public_id), "feeds": ids, "why": why},
        )
    return len(ids)


def revoke_on_deactivation(user: User, *, actor: Any) -> int:
    """accounts' deactivation hook: the account's feeds stop at once."""
    return _revoke(user, CalendarFeed.objects.filter(user=user), CalendarFeed.Revoked.DEACTIVATED, actor)


def revoke_on_membership_end(user: User, person: Person, *, actor: Any) -> int:
    """teams' membership-end hook: a feed URL may have been given to a calendar app long ago;
    when the user leaves a team it stops, and a new one is made on purpose."""
    return _revoke(user, CalendarFeed.objects.filter(user=user), CalendarFeed.Revoked.MEMBERSHIP_ENDED, actor)
