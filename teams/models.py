"""Care-team membership: who is on a person's team, in which role, since and until when."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import ActiveQuerySet
from access.vocab import Profile


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
    version = models.PositiveIntegerField(default=1)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("care-team membership")
        indexes = [
            # The gate asks "is this user on this person's team now?" on every request.
            models.Index(fields=["user", "person"], name="teams_membership_user_person"),
            models.Index(fields=["person", "until"], name="teams_membership_person_until"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.person} ({self.profile})"
