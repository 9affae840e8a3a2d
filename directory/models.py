"""The social map, shaped like Open Referral HSDS 3.1 (REFERENCE.md section 1).

Every HSDS record keeps the id it was imported with (`hsds_id`) and belongs to a `Dataset`: an
import stages a new dataset and publishes it in one short transaction, so readers always see one
complete directory (docs/social-map.md, "Import and export"). Text people read is stored per
language (`name_nl`, `name_fr`, `name_en`); `core.i18n.pick` reads the active language.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import pick


class Dataset(models.Model):
    """One version of the whole directory. At most one is published; imports build a staging one."""

    class Status(models.TextChoices):
        STAGING = "staging", _("being imported")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")
        FAILED = "failed", _("failed")

    label = models.CharField(_("label"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.STAGING)
    language = models.CharField(_("stated language"), max_length=2, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    source = models.CharField(_("source file"), max_length=300, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    report = models.JSONField(_("rejected records"), default=list, blank=True)
    # The importer touches this with every chunk; a staging dataset whose heartbeat stopped was
    # abandoned by a killed worker (`manage.py clean_directory_staging`).
    heartbeat_at = models.DateTimeField(_("last progress"), default=timezone.now)
    message = models.TextField(_("message"), blank=True)

    class DatasetManager(models.Manager["Dataset"]):
        def published(self) -> "Dataset | None":
            return self.filter(status=Dataset.Status.PUBLISHED).first()

    objects = DatasetManager()

    class Meta:
        verbose_name = _("dataset")
        ordering = ["-created_at"]
        constraints = [
            # Readers must never see two directories at once.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="directory_dataset_one_published"
            )
        ]

    def __str__(self) -> str:
        return self.label or f"{self.source} ({self.status})"


class RecordQuerySet(models.QuerySet):
    def published(self) -> "RecordQuerySet":
        return self.filter(dataset__status=Dataset.Status.PUBLISHED)


class HsdsRecord(models.Model):
    """What every HSDS object has: its HSDS id, kept on import, unique within a dataset."""

    hsds_id = models.CharField(_("HSDS id"), max_length=64)
    dataset = models.ForeignKey(Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="+")

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["dataset", "hsds_id"], name="%(app_label)s_%(class)s_dataset_hsds_id")
        ]

    def __str__(self) -> str:
        return pick(self, "name") if hasattr(self, "name_nl") else self.hsds_id


class NamedMixin(models.Model):
    """Name and description per language (HSDS `name`, `description`)."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=300, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def description(self) -> str:
        return pick(self, "description")


class Organization(NamedMixin, HsdsRecord):
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    tax_status = models.CharField(_("tax status"), max_length=100, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(_("year incorporated"), null=True, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=100, blank=True)
    logo = models.CharField(_("logo"), max_length=500, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    # Belgian registry numbers (CoBRHA import) and every HSDS organization_identifier:
    # [{"id": <hsds id>, "scheme": "BE-BCE_KBO", "type": "KBO", "value": "0123456789"}].
    kbo_number = models.CharField(_("KBO/BCE number"), max_length=10, blank=True, db_index=True)
    riziv_number = models.CharField(_("RIZIV/INAMI number"), max_length=11, blank=True, db_index=True)
    identifiers = models.JSONField(_("identifiers"), default=list, blank=True)
    profession = models.CharField(_("profession or type"), max_length=200, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("organisation")


class Program(NamedMixin, HsdsRecord):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="programs")
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("programme")


class Service(NamedMixin, HsdsRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="services",
    )
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="services")
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    email = models.EmailField(_("e-mail address"), blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    interpretation_services = models.TextField(_("interpretation services"), blank=True)
    application_process_nl = models.TextField(_("how to apply (Dutch)"), blank=True)
    application_process_fr = models.TextField(_("how to apply (French)"), blank=True)
    application_process_en = models.TextField(_("how to apply (English)"), blank=True)
    fees_description_nl = models.TextField(_("cost (Dutch)"), blank=True)
    fees_description_fr = models.TextField(_("cost (French)"), blank=True)
    fees_description_en = models.TextField(_("cost (English)"), blank=True)
    eligibility_description_nl = models.TextField(_("for whom (Dutch)"), blank=True)
    eligibility_description_fr = models.TextField(_("for whom (French)"), blank=True)
    eligibility_description_en = models.TextField(_("for whom (English)"), blank=True)
    wait_time = models.CharField(_("waiting time"), max_length=200, blank=True)
    fees = models.CharField(_("fees"), max_length=200, blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    alert = models.TextField(_("alert"), blank=True)
    assured_date = models.DateField(_("last confirmed on"), null=True, blank=True)
    assurer_email = models.EmailField(_("confirmed by"), blank=True)
    last_modified = models.DateTimeField(_("last modified (HSDS)"), null=True, blank=True)
    terms: models.ManyToManyField["TaxonomyTerm", "Attribute"] = models.ManyToManyField(
        "TaxonomyTerm", through="Attribute", through_fields=("service", "taxonomy_term"), related_name="services"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Curation edits carry the version they were read at (Conflict on a stale one).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(HsdsRecord.Meta):
        verbose_name = _("service")
        indexes = [
            # Curation lists stale services of the published dataset by confirmation date.
            models.Index(fields=["dataset", "assured_date"], name="directory_service_assured"),
        ]

    @property
    def application_process(self) -> str:
        return pick(self, "application_process")

    @property
    def fees_description(self) -> str:
        return pick(self, "fees_description")

    @property
    def eligibility_description(self) -> str:
        return pick(self, "eligibility_description")


class Location(NamedMixin, HsdsRecord):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    url = models.URLField(_("website"), max_length=500, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    transportation = models.TextField(_("transport"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(_("external identifier type"), max_length=100, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("location")


class Address(HsdsRecord):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(_("attention"), max_length=200, blank=True)
    address_1 = models.CharField(_("address"), max_length=300)
    address_2 = models.CharField(_("address (continued)"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    state_province = models.CharField(_("province"), max_length=100)
    postal_code = models.CharField(_("postcode"), max_length=10, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    address_type = models.CharField(_("type"), max_length=10, default="physical")
    # Set from the postcode on import, for place filters.
    municipality = models.ForeignKey(
        "core.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(HsdsRecord.Meta):
        verbose_name = _("address")
        verbose_name_plural = _("addresses")


class ServiceAtLocation(HsdsRecord):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("service at a location")

    @property
    def description(self) -> str:
        return pick(self, "description")


class Contact(HsdsRecord):
    """A contact point. One that names a person (staff) is professional-only (database check)."""

    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    professional_only = models.BooleanField(_("for professionals only"), default=False)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("contact")
        constraints = [
            *HsdsRecord.Meta.constraints,
            # Staff names are never public (MAP, privacy of care workers).
            models.CheckConstraint(
                condition=Q(name="") | Q(professional_only=True), name="directory_contact_named_is_professional"
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.name:
            self.professional_only = True
        super().save(*args, **kwargs)


class Phone(HsdsRecord):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=40)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Priority lines for professionals; never in public pages, exports or the public API.
    professional_only = models.BooleanField(_("for professionals only"), default=False)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("phone")


class Schedule(HsdsRecord):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    dtstart = models.DateField(_("first date"), null=True, blank=True)
    timezone = models.IntegerField(_("UTC offset"), null=True, blank=True)
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    wkst = models.CharField(_("week start"), max_length=2, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, blank=True)
    interval = models.PositiveIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("days"), max_length=100, blank=True)
    byweekno = models.CharField(_("weeks"), max_length=100, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=100, blank=True)
    byyearday = models.CharField(_("days of the year"), max_length=100, blank=True)
    # HSDS times are strings such as "09:00" or "09:00+01:00"; kept as written.
    opens_at = models.CharField(_("opens at"), max_length=16, blank=True)
    closes_at = models.CharField(_("closes at"), max_length=16, blank=True)
    schedule_link = models.URLField(_("schedule link"), max_length=500, blank=True)
    attending_type = models.CharField(_("attending type"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("schedule")

    @property
    def description(self) -> str:
        return pick(self, "description")


class ServiceArea(HsdsRecord):
    """Where a service works. One naming a municipality or care zone covers it (place filters)."""

    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="service_areas")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="service_areas"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        "core.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    zone = models.ForeignKey("core.CareZone", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=50, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("service area")


class Language(HsdsRecord):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    phone = models.ForeignKey(Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("code"), max_length=8, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("language")


class CostOption(HsdsRecord):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    option_nl = models.CharField(_("option (Dutch)"), max_length=300, blank=True)
    option_fr = models.CharField(_("option (French)"), max_length=300, blank=True)
    option_en = models.CharField(_("option (English)"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description_nl = models.TextField(_("amount (Dutch)"), blank=True)
    amount_description_fr = models.TextField(_("amount (French)"), blank=True)
    amount_description_en = models.TextField(_("amount (English)"), blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("cost option")


class RequiredDocument(HsdsRecord):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="required_documents")
    document_nl = models.CharField(_("document (Dutch)"), max_length=300, blank=True)
    document_fr = models.CharField(_("document (French)"), max_length=300, blank=True)
    document_en = models.CharField(_("document (English)"), max_length=300, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("required document")


class Funding(HsdsRecord):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="funding")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    source = models.TextField(_("source"), blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("funding")


class Accessibility(HsdsRecord):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    details_nl = models.TextField(_("details (Dutch)"), blank=True)
    details_fr = models.TextField(_("details (French)"), blank=True)
    details_en = models.TextField(_("details (English)"), blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")

    @property
    def description(self) -> str:
        return pick(self, "description")


class Taxonomy(HsdsRecord):
    """A vocabulary. With no dataset it is the zone's own and survives every import."""

    dataset = models.ForeignKey(  # type: ignore[assignment]  # None: the zone's own, kept across imports
        Dataset, verbose_name=_("dataset"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        constraints = [
            *HsdsRecord.Meta.constraints,
            models.UniqueConstraint(fields=["hsds_id"], condition=Q(dataset=None), name="directory_taxonomy_shared_id"),
        ]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(NamedMixin, HsdsRecord):
    """A term. With no dataset it is the zone's own (need taxonomy) and survives every import."""

    dataset = models.ForeignKey(  # type: ignore[assignment]  # None: the zone's own, kept across imports
        Dataset, verbose_name=_("dataset"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    taxonomy = models.ForeignKey(Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=100, blank=True, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    term_uri = models.CharField(_("URI"), max_length=500, blank=True)
    # HSDS `taxonomy` (a free name) when the term has no taxonomy record.
    taxonomy_name = models.CharField(_("taxonomy name"), max_length=200, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("taxonomy term")
        constraints = [
            *HsdsRecord.Meta.constraints,
            models.UniqueConstraint(fields=["hsds_id"], condition=Q(dataset=None), name="directory_term_shared_id"),
        ]


class Attribute(HsdsRecord):
    """Links a record to a taxonomy term (HSDS attribute); for services it makes Service.terms."""

    link_entity = models.CharField(_("linked record type"), max_length=40, blank=True)
    link_id = models.CharField(_("linked record id"), max_length=64, blank=True)
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    value = models.TextField(_("value"), blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("attribute")


class Unit(HsdsRecord):
    name = models.CharField(_("name"), max_length=200)
    scheme = models.CharField(_("scheme"), max_length=100, blank=True)
    identifier = models.CharField(_("identifier"), max_length=100, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("unit")

    def __str__(self) -> str:
        return self.name


class ServiceCapacity(HsdsRecord):
    """HSDS 3.1 capacity: places available now out of a maximum; Schakel adds the expected wait."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="capacities")
    available = models.DecimalField(_("available"), max_digits=10, decimal_places=2)
    maximum = models.DecimalField(_("maximum"), max_digits=10, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    updated = models.DateTimeField(_("last updated"))
    waiting_weeks = models.PositiveSmallIntegerField(_("expected wait (weeks)"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta(HsdsRecord.Meta):
        verbose_name = _("service capacity")
        verbose_name_plural = _("service capacities")


class Metadata(HsdsRecord):
    """HSDS change log: imported with the records, and written by every curation change."""

    resource_id = models.CharField(_("record id"), max_length=64, db_index=True)
    resource_type = models.CharField(_("record type"), max_length=40)
    last_action_date = models.DateTimeField(_("date"))
    last_action_type = models.CharField(_("action"), max_length=40)
    field_name = models.CharField(_("field"), max_length=100)
    previous_value = models.TextField(_("previous value"), blank=True)
    replacement_value = models.TextField(_("new value"), blank=True)
    updated_by = models.CharField(_("changed by"), max_length=200)

    class Meta(HsdsRecord.Meta):
        verbose_name = _("change")
        ordering = ["-last_action_date"]


class ImportJob(models.Model):
    """An import asked for on the curation page: its status page. Its task (`directory.jobs.run_import`)
    runs it in the background worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("published")
        FAILED = "failed", _("failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(_("language"), max_length=2)
    mode = models.CharField(_("mode"), max_length=10, default="merge")
    skip_invalid = models.BooleanField(_("publish the valid records, skip rejected ones"), default=False)
    source = models.CharField(_("file name"), max_length=300)
    path = models.CharField(max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import job")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="directory_importjob_queue")]

    def __str__(self) -> str:
        return f"{self.source} ({self.status})"

    @property
    def progress(self) -> int:
        if self.status == ImportJob.Status.DONE:
            return 100
        return self.dataset.progress if self.dataset else 0
