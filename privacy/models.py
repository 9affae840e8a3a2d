"""Closing a dossier, and the retention rules the purge applies (docs/privacy.md).

The rules are data: privacy/retention.toml is the shipped file, `manage.py load_retention` loads
it into RetentionRule (make run does it), and the purge reads only the table.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRule(models.Model):
    """How long one kind of record is kept, from which event, what happens then, and why."""

    class CountsFrom(models.TextChoices):
        CLOSURE = "closure", _("the closing of the dossier")
        LAST_CHANGE = "last_change", _("the record's last change")

    class Outcome(models.TextChoices):
        DELETE = "delete", _("deleted")
        ANONYMISE = "anonymise", _("anonymised")
        KEEP = "keep", _("kept (never purged)")

    kind = models.CharField(_("kind of record"), max_length=40, unique=True)
    label = models.JSONField(default=dict)  # {"en": ..., "nl": ..., "fr": ...}
    years = models.PositiveSmallIntegerField(_("years"), default=0)
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    counts_from = models.CharField(_("counted from"), max_length=16, choices=CountsFrom.choices)
    outcome = models.CharField(_("at the end"), max_length=16, choices=Outcome.choices)
    legal_source = models.JSONField(_("legal source"), default=dict)  # {"en": ..., "nl": ..., "fr": ...}
    reasoning = models.JSONField(default=dict)  # {"en": ..., "nl": ..., "fr": ...}
    position = models.PositiveSmallIntegerField(default=0)  # purge order: dependants first
    version = models.CharField(max_length=20)  # of the shipped file it came from
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("retention rule")
        ordering = ["position", "kind"]

    def __str__(self) -> str:
        return self.kind

    @property
    def period_label(self) -> str:
        from privacy.retention import period_label

        return period_label(self.years, self.months)


class Closure(models.Model):
    """A dossier closed (death, moved away, consent withdrawn, ...). While a closure is open
    (not reopened) the dossier is read-only for everyone and has no team; the purge counts the
    closure-based retention periods from `closed_at`."""

    class Reason(models.TextChoices):
        DEATH = "death", _("the person died")
        MOVED_AWAY = "moved_away", _("the person moved out of the care zone")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("the person withdrew their consent")
        CARE_HOME = "care_home", _("the person moved to a residential care home with its own care record")
        CARE_ENDED = "care_ended", _("coordinated care is no longer needed")
        OTHER = "other", _("other reason (explained in the note)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="closures")
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    event_date = models.DateField(_("date of the event"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The memberships the closing ended, with their previous end, so a reopening restores them.
    ended_memberships = models.JSONField(default=list, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_note = models.CharField(_("why it was reopened"), max_length=500, blank=True)
    # When the purge first removed something counted from this closure: no reopening after.
    purged_at = models.DateTimeField(null=True, blank=True)
    # Kinds already purged for this closure, so a daily run does not log the same purge again.
    purged_kinds = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("closing of a dossier")
        ordering = ["-closed_at", "-pk"]
        constraints = [
            # One open closure per person, also when two people close at the same moment.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(reopened_at=None), name="privacy_one_open_closure_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.reason} {self.closed_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.reopened_at is None
