"""Meetings about one person (MDO-01..05): a multidisciplinary consultation (MDO), a case
consultation, a medication consultation or a pre-discharge meeting. Participants come from the
care team, the person and their caregivers; someone outside the team is invited by e-mail and
gets an invitation only, never the dossier. Decisions become plan actions (plans.Action), and a
closed meeting names the next one or says why there is none. Category `plan`."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MDO = "mdo", _("multidisciplinary consultation (MDO)")
        CASE = "case", _("case consultation")
        MEDICATION = "medication", _("medication consultation")
        PRE_DISCHARGE = "pre_discharge", _("pre-discharge meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=Kind.choices, default=Kind.MDO)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    # The reimbursed multidisciplinary home consultation asks where it took place (at home or not).
    at_home = models.BooleanField(_("at the person's home"), default=False)
    video_link = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    # The person's agreement to the consultation (reimbursed home consultation), who recorded it.
    person_agreed = models.BooleanField(_("the person agrees to the consultation"), default=False)
    # Closing names the next meeting or says why there is none (MDO-03).
    # SET_NULL, not PROTECT: a chain of meetings is only ever deleted whole, by the retention purge.
    next_meeting = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="previous_meeting"
    )
    no_next_reason = models.CharField(_("why no next meeting"), max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=500, blank=True)
    # iTIP (RFC 5546): one UID per meeting for ever, SEQUENCE raised on each change that the
    # invitees' calendars must see (time, place, cancellation).
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["person", "starts_at"], name="meetings_person_starts")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class Participant(models.Model):
    """Someone invited: a member of the team (`membership`), the person themself
    (`is_the_person`: the person needs no membership to come to their own meeting), or someone
    outside the team invited by e-mail (`email`, `name`), who gets the invitation and nothing of
    the dossier."""

    class Attendance(models.TextChoices):
        INVITED = "invited", _("invited")
        IN_PERSON = "in_person", _("present in person")
        REMOTE = "remote", _("present remotely")
        ABSENT = "absent", _("absent")

    class Reply(models.TextChoices):
        NONE = "", _("no answer yet")
        ACCEPTED = "accepted", _("will come")
        DECLINED = "declined", _("cannot come")
        TENTATIVE = "tentative", _("maybe")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="participants")
    membership = models.ForeignKey(
        "teams.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_participations"
    )
    is_the_person = models.BooleanField(_("the person themself"), default=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # For the reimbursed home consultation: each participant's profession and RIZIV/INAMI number.
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    riziv_number = models.CharField(_("RIZIV/INAMI number"), max_length=11, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )
    reply = models.CharField(_("answer"), max_length=10, choices=Reply.choices, default=Reply.NONE, blank=True)
    invited_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("participant")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                condition=models.Q(membership__isnull=False),
                name="meetings_one_participation_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(membership__isnull=False) | ~models.Q(email="") | models.Q(is_the_person=True),
                name="meetings_participant_member_person_or_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email


class AgendaQuestion(models.Model):
    """A question the person, a caregiver or a member puts on the agenda beforehand."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="questions")
    text = models.CharField(_("question"), max_length=1000)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agenda question")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.Model):
    """A decision of the meeting, in plain language; recording it creates its plan action, with
    owner and due date, in the same transaction (MDO-02)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    text = models.CharField(_("decision"), max_length=500)
    action = models.OneToOneField(
        "plans.PlanAction", on_delete=models.PROTECT, related_name="meeting_decision", verbose_name=_("action")
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("decision")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class CalendarFeed(models.Model):
    """A user's private calendar feed (MDO-05): a secret URL their calendar app subscribes to,
    listing, neutrally, the meetings they are invited to through an active membership. Only the
    SHA-256 of the token is kept (shown once, like an API token). Revoked by the user, and by
    Schakel when the account is deactivated or one of the user's memberships ends."""

    class Revoked(models.TextChoices):
        BY_USER = "user", _("by you")
        DEACTIVATED = "deactivated", _("the account was deactivated")
        MEMBERSHIP_ENDED = "membership_ended", _("a care-team membership ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_why = models.CharField(max_length=20, choices=Revoked.choices, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.prefix

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return "cal_" + secrets.token_urlsafe(32)
