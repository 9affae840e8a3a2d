"""The living care plan (PLAN-01..07): the person's life goals in their own words, the care and
support goals under them, and the actions under the goals, each with one owner. Every row keeps
its history (django-simple-history: who, when, before and after); nothing is deleted, a goal or
an action is cancelled. Categories: life goals are `wishes`, goals, actions and reviews `plan`
(plans/categories.py, docs/access.md)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanRecord(models.Model):
    """What every row of the plan has: the person, a version for concurrent edits, who made it,
    who changed it last, and the history of every change."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(inherit=True)
    objects = models.Manager()

    class Meta:
        abstract = True


class LifeGoal(PlanRecord):
    """What matters to the person in life, in their own words ("to keep going to the market on
    Saturdays"): the first tier of the plan (PLAN-01), category `wishes`."""

    class WrittenBy(models.TextChoices):
        PERSON = "person", _("by the person")
        REPRESENTATIVE = "representative", _("by their representative")
        WITH_COORDINATOR = "with_coordinator", _("by the person with their care coordinator")

    class Status(models.TextChoices):
        ACTIVE = "active", _("pursued")
        REACHED = "reached", _("reached")
        LET_GO = "let_go", _("no longer pursued")

    text = models.TextField(_("life goal in the person's own words"), max_length=1000)
    written_by = models.CharField(_("written"), max_length=20, choices=WrittenBy.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("life goal")
        ordering = ["position", "created_at", "pk"]
        indexes = [models.Index(fields=["person", "status"], name="plans_lifegoal_person_status")]

    def __str__(self) -> str:
        return self.text[:60]


class Goal(PlanRecord):
    """A care or support goal serving a life goal (the second tier), category `plan`. Its Goal
    Attainment Scale (levels -2 to +2, baseline and follow-up scores) lives beside it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        REACHED = "reached", _("reached")
        CANCELLED = "cancelled", _("cancelled")

    life_goal = models.ForeignKey(
        LifeGoal, null=True, blank=True, on_delete=models.PROTECT, related_name="goals", verbose_name=_("life goal")
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Goal Attainment Scaling weighs goals equally unless the team says otherwise.
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("goal")
        ordering = ["position", "created_at", "pk"]
        indexes = [models.Index(fields=["person", "status"], name="plans_goal_person_status")]

    def __str__(self) -> str:
        return self.title


class PlanAction(PlanRecord):
    """Who does what, by when (PLAN-02): one owner, an active membership of the person's team.
    A newly assigned action is proposed until its owner accepts it or declines it with a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        OPEN = "open", _("to do")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")
        ON_HOLD = "on_hold", _("on hold")
        DECLINED = "declined", _("declined, back to the coordinator")

    class Origin(models.TextChoices):
        PLAN = "plan", _("the care plan")
        MEETING = "meeting", _("a meeting's decision")
        SIGNAL = "signal", _("an early signal")
        HANDOVER = "handover", _("a handover")

    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="actions", verbose_name=_("goal")
    )
    title = models.CharField(_("what"), max_length=200)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    owner = models.ForeignKey(
        "teams.Membership", on_delete=models.PROTECT, related_name="plan_actions", verbose_name=_("who")
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    hold_reason = models.CharField(_("reason for the hold"), max_length=300, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PLAN)
    accepted_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("action")
        ordering = ["due_on", "created_at", "pk"]
        indexes = [
            # The inbox: a member's actions across persons, by status and due date.
            models.Index(fields=["owner", "status", "due_on"], name="plans_action_owner_status_due"),
            models.Index(fields=["person", "status"], name="plans_action_person_status"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanReview(models.Model):
    """The plan looked at again, as a whole (PLAN-03): by whom, when, with whom. A closed meeting
    counts as a review; `meeting_id` then names it (the meetings app sits above this one)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    with_whom = models.CharField(_("with whom"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    meeting_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("plan review")
        ordering = ["-reviewed_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "reviewed_on"], name="plans_review_person_date")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.reviewed_on}"


# ── Issue 12: reviews, early signals, communication agreements ───────────────────────────────


class ReviewMember(models.Model):
    """A team member who reviewed the plan with the reviewer (PLAN-03, "with whom"): chosen from
    the active team; anyone else is named in the review's free text."""

    review = models.ForeignKey(PlanReview, on_delete=models.PROTECT, related_name="members")
    membership = models.ForeignKey(
        "teams.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("team member")
    )

    class Meta:
        verbose_name = _("review participant")
        constraints = [models.UniqueConstraint(fields=["review", "membership"], name="plans_reviewmember_unique")]


class ReviewReminder(models.Model):
    """That the coordinator was reminded of an overdue review. One row per person and overdue
    period, known by the date the review fell due: a new review starts a new period, and the
    daily reminder job tells the coordinator at most once per period."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan review reminder")
        constraints = [models.UniqueConstraint(fields=["person", "due_on"], name="plans_reviewreminder_once")]


class EarlySignal(models.Model):
    """A first sign that the situation changes (PLAN-06): a fall, weight loss, a caregiver at the
    end of their strength. Its kind is data (plans/signals/kinds.toml); the kind's category is
    copied at recording, so that the row keeps the category it was read under. Recording it made
    a proposed action or marked the plan due for review; someone who may write the plan marks
    it handled."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HANDLED = "handled", _("handled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what you noticed"), max_length=40)
    category = models.CharField(_("category"), max_length=32)
    description = models.TextField(_("what happened"), max_length=2000, blank=True)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    noted_at = models.DateTimeField(_("noted on"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_note = models.CharField(_("how it was followed up"), max_length=500, blank=True)
    action = models.ForeignKey(
        PlanAction, null=True, blank=True, on_delete=models.PROTECT, related_name="signals", verbose_name=_("action")
    )
    review = models.ForeignKey(
        PlanReview, null=True, blank=True, on_delete=models.PROTECT, related_name="signals", verbose_name=_("review")
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("early signal")
        ordering = ["-noted_at", "-pk"]
        # The plan page's panel asks for a person's open signals on every load.
        indexes = [models.Index(fields=["person", "status"], name="plans_signal_person_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.noted_at:%Y-%m-%d}"


class CommunicationAgreement(models.Model):
    """How the team communicates about the person (PLAN-07), one current agreement per person,
    every earlier version in its history: who is called first and how, the 24/7 line, and whom to
    call next when there is no answer. Category `plan`.

    `escalation` is an ordered list of steps, each {"member": a membership's public id,
    "after_minutes": how long to wait for an answer first}; kept in the row so that each version
    in the history holds the whole agreement."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("by phone")
        THREAD = "thread", _("in the team's thread")
        EMAIL = "email", _("by e-mail")
        VISIT = "visit", _("at a visit")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    first_contact = models.ForeignKey(
        "teams.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("called first"),
    )
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    line_24_7 = models.ForeignKey(
        "teams.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("24/7 line"),
    )
    escalation = models.JSONField(_("when there is no answer"), default=list, blank=True)
    remarks = models.TextField(_("other agreements"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("communication agreement")

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"
