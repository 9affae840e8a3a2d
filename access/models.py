"""The access matrix (data, editable, with history), consent and legal bases, representation,
mandates, exclusions and break-the-glass grants. docs/access.md explains them to a zone admin."""

from datetime import datetime
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.vocab import Category, Level, Profile


class MatrixProfile(models.Model):
    """A row of the matrix, with what the shipped file says about the profile."""

    code = models.CharField(max_length=32, choices=Profile.choices, unique=True)
    health_professional = models.BooleanField(default=False)
    # Whether this profile may register a person (start a dossier and join its team), with why
    # and where the rule comes from (access.rules.may_register_person). Nobody, until loaded.
    may_register = models.BooleanField(default=False)
    register_source = models.CharField(max_length=200, blank=True)
    register_rationale_en = models.TextField(blank=True)
    register_rationale_nl = models.TextField(blank=True)
    register_rationale_fr = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.code


class MatrixCategory(models.Model):
    """A column of the matrix; `emergency` columns are what break-the-glass opens."""

    code = models.CharField(max_length=32, choices=Category.choices, unique=True)
    emergency = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.code


class MatrixCell(models.Model):
    """One cell: profile x category -> level, with why and where the rule comes from.

    `shipped_*` keep what the last loaded file said, so a newer file can be compared with both
    the old file and the zone's edits (access.matrix.plan_reload).
    """

    profile = models.CharField(_("profile"), max_length=32, choices=Profile.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    source = models.CharField(_("source"), max_length=200)
    rationale_en = models.TextField(_("rationale (English)"))
    rationale_nl = models.TextField(_("rationale (Dutch)"))
    rationale_fr = models.TextField(_("rationale (French)"))
    shipped_level = models.CharField(max_length=8, choices=Level.choices)
    shipped_version = models.CharField(max_length=32)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("access-matrix cell")
        constraints = [models.UniqueConstraint(fields=["profile", "category"], name="access_matrixcell_unique")]

    def __str__(self) -> str:
        return f"{self.profile} × {self.category} = {self.level}"

    @property
    def edited_by_zone(self) -> bool:
        return self.edited_at is not None


_Row = TypeVar("_Row", bound=models.Model)


class ActiveQuerySet(models.QuerySet[_Row]):
    """Rows with a since/until period; `active()` keeps those in force now."""

    def active(self, now: datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.filter(Q(since__lte=now) & (Q(until__isnull=True) | Q(until__gt=now)))


class Consent(models.Model):
    """The person's consent to share, or a recorded legal basis (the one consent model).

    A legal basis may be limited to one holder (the professional who registered the person)
    and to some categories; consent given by the person covers the whole care team.
    """

    class Basis(models.TextChoices):
        CONSENT = "consent", _("consent of the person")
        LEGAL_BASIS = "legal_basis", _("legal basis")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="consents")
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    categories = models.JSONField(_("categories"), null=True, blank=True)  # None: all
    given_by = models.CharField(_("given by"), max_length=16, blank=True)  # "person" or "representative"
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)  # set when withdrawn
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent or legal basis")
        indexes = [models.Index(fields=["person", "until"], name="access_consent_person_until")]


class Representation(models.Model):
    """A legal representative of the person (court-appointed administrator, parent, ...)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="representations")
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representations"
    )
    legal_ground = models.CharField(_("legal ground"), max_length=200)
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal representation")


class Mandate(models.Model):
    """Permission to act for the person, granted by the person or the legal representative,
    for a period and a scope of categories. It never covers consent, exclusions or mandates."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="mandates")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates_held")
    categories = models.JSONField(_("scope"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")


class Exclusion(models.Model):
    """The person excludes a named user from everything, emergencies included (ACC-02)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="exclusions")
    excluded = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)  # set when lifted

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("exclusion")
        indexes = [models.Index(fields=["person", "excluded"], name="access_exclusion_person_user")]


class BreakGlassAccess(models.Model):
    """Emergency access by a health professional with no relationship: read-only, the emergency
    categories only, for ACCESS_BREAK_GLASS_HOURS; logged and notified (ACC-04)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="break_glass_accesses")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses")
    reason = models.TextField(_("reason"))
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("break-the-glass access")
        indexes = [models.Index(fields=["actor", "person"], name="access_breakglass_actor_person")]
