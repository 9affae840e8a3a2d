"""The care team around a person: membership (who, role, assignment, since/until, coordinator,
reachability), the team's message thread, and the handover queue of members who left."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import ActiveQuerySet
from core.vocab import PRIVATE_PROFILES, Category, Profile


class Membership(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    # The matrix row this member reads with. For professionals it is their own profile; a person
    # may be family in one team and a nurse in another.
    profile = models.CharField(_("role"), max_length=32, choices=Profile.choices)
    assignment = models.CharField(_("assignment"), max_length=200, blank=True)
    is_coordinator = models.BooleanField(_("care coordinator"), default=False)
    since = models.DateTimeField(_("since"), default=timezone.now)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the member's open items went to the handover queue: at once when the membership is
    # ended, or by `hand_over_expired_memberships` when it ran out on its `until` date.
    handed_over_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Reachability (TEAM-04), kept by the member themself or the coordinator. The ordinary and
    # 24/7 numbers are shown to the whole team, the person's circle included; the priority
    # number and e-mail to professionals only.
    hours = models.CharField(_("reachable"), max_length=100, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)  # E.164
    phone_24_7 = models.CharField(_("24/7 number"), max_length=20, blank=True)  # E.164
    priority_phone = models.CharField(_("priority number"), max_length=20, blank=True)  # E.164
    priority_email = models.EmailField(_("priority e-mail"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("care-team membership")
        indexes = [
            # The gate asks "is this user on this person's team now?" on every request.
            models.Index(fields=["user", "person"], name="teams_membership_user_person"),
            models.Index(fields=["person", "until"], name="teams_membership_person_until"),
        ]
        constraints = [
            # One care coordinator per person (TEAM-02), also when two changes race; the
            # services clear the previous one first, and a merge keeps one of the two.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(is_coordinator=True), name="teams_one_coordinator_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.person} ({self.profile})"

    @property
    def has_24_7_line(self) -> bool:
        return bool(self.phone_24_7)

    @property
    def is_professional(self) -> bool:
        return self.profile not in PRIVATE_PROFILES

    @property
    def profile_label(self) -> str:
        return str(Profile(self.profile).label) if self.profile in Profile.values else self.profile


class TeamMessage(models.Model):
    """A message in the team's thread about one person (TEAM-06). The sender files it under one
    data category; only readers who may read that category ever see it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="team_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    body = models.TextField(_("message"))
    addressees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("team message")
        ordering = ["created_at", "pk"]
        # The thread page lists one person's messages by category and date.
        indexes = [models.Index(fields=["person", "category", "created_at"], name="teams_message_person_cat")]


class MessageRead(models.Model):
    """That a user has read a message; a message addressed to someone and not read by them is
    one of their open items at handover."""

    message = models.ForeignKey(TeamMessage, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message read")
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="teams_messageread_unique")]


class HandoverItem(models.Model):
    """An open item of a member who left the team (ended membership, deactivated account), in the
    coordinator's handover queue. It stays flagged until someone takes it (TEAM-05).

    The item itself lives in its own app (kind, app_label, item_id); teams.handover knows how to
    find and reassign it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="handover_items")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=64)  # the registered provider's code
    app_label = models.CharField(max_length=64)
    item_id = models.UUIDField()  # the item's public id in its app
    # The item's data category: the queue shows it only to those who may read that category.
    category = models.CharField(max_length=32, choices=Category.choices)
    title = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("handover item")
        ordering = ["created", "pk"]
        # The team page and the home page ask "are there flagged items for this person?".
        indexes = [models.Index(fields=["person", "taken_at"], name="teams_handover_person_taken")]

    @property
    def flagged(self) -> bool:
        return self.taken_at is None


class CoordinationProposal(models.Model):
    """The care coordinator (or, without one, a member who manages the team) proposes another
    professional member as care coordinator. Nothing changes until that member accepts: until
    then the current coordinator stays in office and may cancel the proposal (issue 11)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")
        WITHDRAWN = "withdrawn", _("withdrawn: a member left the team")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="coordination_proposals")
    # The membership the role would go to.
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="coordination_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("coordination proposal")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open proposal per person at a time: a second one would make "who accepts
            # first" decide the coordinator.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="teams_one_pending_coordination_proposal",
            ),
        ]

    @property
    def pending(self) -> bool:
        return self.status == self.Status.PENDING
