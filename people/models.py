"""The person the care is organised around (PZON), and the sections of their dossier."""

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Person(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Null for people registered without INSZ (homeless, undocumented, not yet known): they get a
    # local id and may later be merged into the INSZ record (people.services.merge_persons).
    insz = models.CharField(_("INSZ/NISS"), max_length=11, null=True, blank=True, unique=True)
    local_id = models.CharField(_("local id"), max_length=20, unique=True)
    # A record registered with an INSZ that was already registered, by someone who may not read
    # that person (docs/access.md, "Registering a person"): the typed number is kept here, not in
    # the unique `insz`, and shown to the record's readers as its INSZ, so that the registrant
    # learns nothing. It never answers an INSZ lookup. `possible_duplicate_of` points at the
    # known person, for their care coordinator to merge or dismiss; never shown to the registrant.
    claimed_insz = models.CharField(_("INSZ/NISS as registered"), max_length=11, blank=True, default="", db_index=True)
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="possible_duplicates",
        verbose_name=_("possible duplicate of"),
    )
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
    def shown_insz(self) -> str:
        """The INSZ the record's readers see: its own, or the one it was registered with when
        that number was already registered (claimed_insz)."""
        return self.insz or self.claimed_insz

    @property
    def display_id(self) -> str:
        """The INSZ shown in pages, grouped as on the eID; or the local id."""
        if self.shown_insz:
            i = self.shown_insz
            return f"{i[:2]}.{i[2:4]}.{i[4:6]}-{i[6:9]}.{i[9:]}"
        return self.local_id


# ── The dossier sections (DOS-02..11) ──────────────────────────────────────────────────────
#
# Each section is a model holding structured fields, and each belongs to exactly one data
# category of the access matrix (people.sections.SECTION_CATEGORIES, docs/access.md). The
# services in people.services lock the row, compare `version` and save with the actor, so
# django-simple-history keeps one row per change, with who and when.

E164 = RegexValidator(r"^\+[1-9]\d{6,14}$", _("Enter a phone number in international form, e.g. +32 470 12 34 56."))


class ChoiceListField(models.JSONField):
    """A list of codes from a fixed set (aids at home, safety risks), stored as a JSON list so
    that it works the same on SQLite and PostgreSQL. The set is a Python concern (forms and
    validation), not the database's, so it is left out of migrations."""

    def __init__(self, *args: Any, item_choices: Iterable[tuple[str, Any]] = (), **kwargs: Any) -> None:
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value: object, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        allowed = {code for code, _label in self.item_choices}
        if not isinstance(value, list) or not set(value) <= allowed:
            raise ValidationError(_("Choose only from the listed options."), code="invalid_choice")

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]  # always this form field
        return forms.MultipleChoiceField(
            choices=self.item_choices,
            required=False,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


class SectionRecord(models.Model):
    """What every dossier section row has: the person, a version for concurrent edits, who
    changed it last and the history of every change."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(inherit=True)
    objects = models.Manager()  # what Django gives each section; declared so that type[SectionRecord] has it

    class Meta:
        abstract = True


class Contact(SectionRecord):
    """Someone involved: a professional, service, agency, the trust person (DOS-02)."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("professional")
        SERVICE = "service", _("service or organisation")
        AGENCY = "agency", _("agency or public service")
        TRUST_PERSON = "trust_person", _("trust person")
        FAMILY = "family", _("family member")
        NEIGHBOUR = "neighbour", _("neighbour or volunteer")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    role = models.CharField(_("role or organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[E164])
    mobile = models.CharField(_("mobile phone"), max_length=16, blank=True, validators=[E164])
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contact")
        ordering = ["kind", "name", "pk"]
        indexes = [models.Index(fields=["person", "kind"], name="people_contact_person")]

    def __str__(self) -> str:
        return self.name


class FamilyMember(SectionRecord):
    """A member of the family and how involved they are (DOS-03)."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("partner")
        CHILD = "child", _("son or daughter")
        CHILD_IN_LAW = "child_in_law", _("son- or daughter-in-law")
        GRANDCHILD = "grandchild", _("grandchild")
        SIBLING = "sibling", _("brother or sister")
        PARENT = "parent", _("parent")
        OTHER = "other", _("other family")

    class Involvement(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("now and then")
        RARELY = "rarely", _("rarely")
        NONE = "none", _("not involved")

    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    involvement = models.CharField(_("how involved"), max_length=16, choices=Involvement.choices)
    lives_with = models.BooleanField(_("lives with the person"), default=False)
    helps_with = models.CharField(_("helps with"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("family member")
        ordering = ["relation", "name", "pk"]
        indexes = [models.Index(fields=["person"], name="people_familymember_person")]

    def __str__(self) -> str:
        return self.name


class HomeSituation(SectionRecord):
    """The social situation and the home: one per person (DOS-04, DOS-07 household and meals)."""

    class Housing(models.TextChoices):
        HOUSE = "house", _("house")
        APARTMENT = "apartment", _("apartment")
        ASSISTED = "assisted", _("assisted-living flat")
        CARE_HOME = "care_home", _("residential care home")
        OTHER = "other", _("other")

    class Stairs(models.TextChoices):
        NONE = "none", _("no stairs")
        ENTRANCE = "entrance", _("steps at the entrance")
        INSIDE = "inside", _("stairs inside the home")
        BOTH = "both", _("steps at the entrance and stairs inside")

    class Aid(models.TextChoices):
        CANE = "cane", _("walking stick")
        WALKER = "walker", _("walking frame")
        WHEELCHAIR = "wheelchair", _("wheelchair")
        STAIRLIFT = "stairlift", _("stairlift")
        CARE_BED = "care_bed", _("care bed")
        GRAB_BARS = "grab_bars", _("grab bars")
        SHOWER_CHAIR = "shower_chair", _("shower chair")
        COMMODE = "commode", _("commode")
        HOIST = "hoist", _("patient hoist")
        ALARM = "alarm", _("personal alarm")

    class Risk(models.TextChoices):
        FALLS = "falls", _("risk of falling")
        FIRE = "fire", _("fire or cooking risk")
        HEATING = "heating", _("unsafe or no heating")
        WANDERING = "wandering", _("wandering or getting lost")
        CLUTTER = "clutter", _("clutter or hoarding")
        NO_DETECTOR = "no_detector", _("no smoke detector")

    class Independence(models.TextChoices):
        INDEPENDENT = "independent", _("independent")
        SOME_HELP = "some_help", _("needs some help")
        FULL_HELP = "full_help", _("done by others")

    class Meals(models.TextChoices):
        COOKS = "cooks", _("cooks themself")
        FAMILY = "family", _("family or neighbours cook")
        DELIVERY = "delivery", _("meals delivered")
        OUTSIDE = "outside", _("eats at a service centre or restaurant")
        OTHER = "other", _("other")

    class Load(models.TextChoices):
        LOW = "low", _("light")
        MODERATE = "moderate", _("moderate")
        HEAVY = "heavy", _("heavy")
        OVERLOADED = "overloaded", _("overloaded")

    lives_alone = models.BooleanField(_("lives alone"), null=True, blank=True)
    housing = models.CharField(_("housing"), max_length=16, choices=Housing.choices, blank=True)
    stairs = models.CharField(_("stairs"), max_length=16, choices=Stairs.choices, blank=True)
    aids = ChoiceListField(_("aids at home"), item_choices=Aid.choices)
    hygiene = models.CharField(_("personal hygiene"), max_length=16, choices=Independence.choices, blank=True)
    safety_risks = ChoiceListField(_("safety risks"), item_choices=Risk.choices)
    household = models.CharField(_("household"), max_length=16, choices=Independence.choices, blank=True)
    meals = models.CharField(_("meals"), max_length=16, choices=Meals.choices, blank=True)
    load_on_surroundings = models.CharField(
        _("load on the people around"), max_length=16, choices=Load.choices, blank=True
    )
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("social situation and home")
        constraints = [models.UniqueConstraint(fields=["person"], name="people_homesituation_one_per_person")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Visit(SectionRecord):
    """A recurring visit at home: who comes on which weekday, when, to do what (DOS-05)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    who = models.CharField(_("who"), max_length=200)
    service = models.CharField(_("service"), max_length=200, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    tasks = models.CharField(_("what they do"), max_length=300)

    class Meta:
        verbose_name = _("visit at home")
        ordering = ["weekday", "start_time", "pk"]
        indexes = [models.Index(fields=["person", "weekday"], name="people_visit_person_weekday")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="people_visit_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.who

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The visit must end after it starts.")}, code="ends_before_start")


class HelpReceived(SectionRecord):
    """Help the person had or has: the history of help received, newest first (DOS-05)."""

    what = models.CharField(_("help"), max_length=200)
    provider = models.CharField(_("by whom"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("help received")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["person", "started_on"], name="people_helpreceived_person")]

    def __str__(self) -> str:
        return self.what

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The help cannot end before it started.")}, code="ends_before_start")


class CareNeed(SectionRecord):
    """A specific care or support need, as the team sees it (DOS-09). The person's own words
    about what they need are in the wishes section, which they may write themself."""

    class Domain(models.TextChoices):
        PERSONAL_CARE = "personal_care", _("personal care")
        MOBILITY = "mobility", _("moving around")
        NUTRITION = "nutrition", _("eating and drinking")
        MEDICATION = "medication", _("taking medication")
        HOUSEHOLD = "household", _("household")
        SOCIAL = "social", _("social contact")
        EMOTIONAL = "emotional", _("emotional support")
        MEMORY = "memory", _("memory and orientation")
        ADMIN = "admin", _("money and paperwork")
        TRANSPORT = "transport", _("transport")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        UNMET = "unmet", _("not yet met")
        PARTLY = "partly", _("partly met")
        MET = "met", _("met")

    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    description = models.CharField(_("need"), max_length=300)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.UNMET)

    class Meta:
        verbose_name = _("care or support need")
        ordering = ["domain", "pk"]
        indexes = [models.Index(fields=["person"], name="people_careneed_person")]

    def __str__(self) -> str:
        return self.description


class MedicationIntake(SectionRecord):
    """One line of the intake schedule: what, how much, when, with food or not (DOS-06)."""

    medication = models.CharField(_("medication"), max_length=200)
    dose = models.CharField(_("dose"), max_length=100)
    time_of_day = models.TimeField(_("time"))
    with_food = models.BooleanField(_("with food"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # A line is stopped, never deleted (issue 11): the schedule shows the active lines, the
    # stopped ones stay listed with their date and reason, and the history keeps every change.
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("medication intake")
        ordering = ["time_of_day", "medication", "pk"]
        indexes = [models.Index(fields=["person", "time_of_day"], name="people_intake_person_time")]

    def __str__(self) -> str:
        return self.medication

    @property
    def is_stopped(self) -> bool:
        return self.stopped_on is not None


class MedicationProblem(SectionRecord):
    """A side effect or intake problem reported to the pharmacist and GP (DOS-06). It is an
    open item that a team member owns until someone marks it handled, so a member who leaves
    hands it over (TEAM handover)."""

    class Kind(models.TextChoices):
        SIDE_EFFECT = "side_effect", _("side effect")
        INTAKE = "intake", _("problem taking the medication")
        SUPPLY = "supply", _("medication running out or missing")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind of problem"), max_length=16, choices=Kind.choices)
    medication = models.CharField(_("which medication"), max_length=200, blank=True)
    description = models.TextField(_("what happened"), max_length=2000)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("followed up by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_note = models.CharField(_("how it was handled"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("medication problem")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "handled_at"], name="people_medproblem_person_open"),
            # The handover asks "what does this member still own?" when a membership ends.
            models.Index(fields=["owner", "handled_at"], name="people_medproblem_owner_open"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.handled_at is None


class Allergy(SectionRecord):
    """An allergy or intolerance (DOS-07)."""

    class Kind(models.TextChoices):
        MEDICATION = "medication", _("medication")
        FOOD = "food", _("food")
        ENVIRONMENT = "environment", _("environment (pollen, latex, ...)")
        OTHER = "other", _("other")

    class Severity(models.TextChoices):
        MILD = "mild", _("mild")
        MODERATE = "moderate", _("moderate")
        SEVERE = "severe", _("severe")
        UNKNOWN = "unknown", _("unknown")

    substance = models.CharField(_("substance"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reaction = models.CharField(_("reaction"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.UNKNOWN)
    noted_on = models.DateField(_("noted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("allergy")
        verbose_name_plural = _("allergies")
        ordering = ["substance", "pk"]
        indexes = [models.Index(fields=["person"], name="people_allergy_person")]

    def __str__(self) -> str:
        return self.substance


class Vaccination(SectionRecord):
    """A vaccination given, and when the next one is due (DOS-07)."""

    vaccine = models.CharField(_("vaccine"), max_length=200)
    given_on = models.DateField(_("given on"))
    next_due = models.DateField(_("next one due"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vaccination")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["person"], name="people_vaccination_person")]

    def __str__(self) -> str:
        return self.vaccine


class OwnWords(SectionRecord):
    """The person's life goals and what they need, in their own words (DOS-08, DOS-09, DOS-12):
    written by the person, their representative or someone acting for them."""

    life_goals = models.TextField(_("what matters to me"), max_length=4000, blank=True)
    own_needs = models.TextField(_("what I need, in my own words"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("in my own words")
        verbose_name_plural = _("in my own words")
        constraints = [models.UniqueConstraint(fields=["person"], name="people_ownwords_one_per_person")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Preference(SectionRecord):
    """A wish or preference in daily life: the hairdresser, celebrations, food (DOS-08)."""

    class Area(models.TextChoices):
        ROUTINE = "routine", _("daily routine")
        FOOD = "food", _("food and drink")
        APPEARANCE = "appearance", _("appearance (hairdresser, clothes)")
        CELEBRATIONS = "celebrations", _("celebrations and outings")
        CONTACTS = "contacts", _("people and contacts")
        FAITH = "faith", _("faith and beliefs")
        HOBBIES = "hobbies", _("hobbies")
        OTHER = "other", _("other")

    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    text = models.CharField(_("wish or preference"), max_length=300)

    class Meta:
        verbose_name = _("wish or preference")
        ordering = ["area", "pk"]
        indexes = [models.Index(fields=["person"], name="people_preference_person")]

    def __str__(self) -> str:
        return self.text


class CarePlanning(SectionRecord):
    """Advance care planning: the directive, the trust person and the legal representative,
    with dates (DOS-10). One per person."""

    has_directive = models.BooleanField(_("advance directive"), null=True, blank=True)
    directive_date = models.DateField(_("directive dated"), null=True, blank=True)
    directive_kept = models.CharField(_("where the directive is kept"), max_length=200, blank=True)
    trust_person = models.CharField(_("trust person"), max_length=200, blank=True)
    trust_person_since = models.DateField(_("trust person since"), null=True, blank=True)
    representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    representative_since = models.DateField(_("legal representative since"), null=True, blank=True)
    discussed_on = models.DateField(_("last discussed on"), null=True, blank=True)
    remarks = models.CharField(_("agreements"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("advance care planning")
        verbose_name_plural = _("advance care planning")
        constraints = [models.UniqueConstraint(fields=["person"], name="people_careplanning_one_per_person")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class CapacityAssessment(SectionRecord):
    """Decision-making capacity: assessed by whom, when, for which decisions, and who decides
    when it is impaired (DOS-11), beside the consent record (access.Consent)."""

    class Outcome(models.TextChoices):
        CAPABLE = "capable", _("able to decide")
        PARTLY = "partly", _("able to decide with support")
        IMPAIRED = "impaired", _("not able to decide")

    assessed_by = models.CharField(_("assessed by"), max_length=200)
    assessed_on = models.DateField(_("assessed on"))
    decisions = models.CharField(_("for which decisions"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    decides_when_impaired = models.CharField(_("who decides when capacity is impaired"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("decision-making capacity")
        verbose_name_plural = _("decision-making capacity")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["person"], name="people_capacity_person")]

    def __str__(self) -> str:
        return self.decisions
