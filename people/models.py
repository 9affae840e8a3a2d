"""The person the care is organised around (PZON). The foundation holds identity only; the
dossier sections come with the dossier issue."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Null for people registered without INSZ (homeless, undocumented, not yet known): they get a
    # local id and may later be merged into the INSZ record (people.services.merge_persons).
    insz = models.CharField(_("INSZ/NISS"), max_length=11, null=True, blank=True, unique=True)
    local_id = models.CharField(_("local id"), max_length=20, unique=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    municipality = models.ForeignKey(
        "core.Municipality", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The person's own login, if they have one (the "self" relationship).
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="person_record"
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aliases",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("person")
        indexes = [models.Index(fields=["family_name", "given_name"], name="people_person_name")]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def display_id(self) -> str:
        """The INSZ shown in pages, grouped as on the eID; or the local id."""
        if self.insz:
            i = self.insz
            return f"{i[:2]}.{i[2:4]}.{i[4:6]}-{i[6:9]}.{i[9:]}"
        return self.local_id
