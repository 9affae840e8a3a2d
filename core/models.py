"""Geography: care zones and municipalities, loaded from core/data/geography.csv and editable
by the zone admin (a row's `provisional` flag says its zone membership is not verified)."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class CareZone(models.Model):
    class Kind(models.TextChoices):
        BASSIN = "bassin", _("Brussels care zone (bassin d'aide et de soins)")
        ELZ = "eerstelijnszone", _("Flemish primary-care zone (eerstelijnszone)")

    name = models.CharField(_("name"), max_length=100, unique=True)  # the key the data files use
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=32)

    class Meta:
        verbose_name = _("care zone")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The zone's official name in the reader's language: a Brussels bassin has one in Dutch
        and in French; a Flemish primary-care zone only in Dutch (docs/decisions.md, issue 11)."""
        if translation.get_language() == "fr":
            return self.name_fr or self.name_nl or self.name
        return self.name_nl or self.name_fr or self.name


class Municipality(models.Model):
    """One row per municipality and postcode: the City of Brussels (NIS 21004) lies in several
    bassins, told apart by postcode."""

    nis_code = models.CharField(_("NIS code"), max_length=5)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=4, db_index=True)
    zone = models.ForeignKey(
        CareZone, verbose_name=_("care zone"), on_delete=models.PROTECT, related_name="municipalities"
    )
    provisional = models.BooleanField(_("zone membership not verified"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_nl", "postcode"]
        constraints = [models.UniqueConstraint(fields=["nis_code", "postcode"], name="core_municipality_nis_postcode")]

    def __str__(self) -> str:
        return f"{self.postcode} {self.name}"

    @property
    def name(self) -> str:
        # Flemish municipalities have no official French name: fall back to the Dutch one.
        if translation.get_language() == "fr":
            return self.name_fr or self.name_nl
        return self.name_nl or self.name_fr
