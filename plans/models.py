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


# ── Goal Attainment Scaling (PLAN-05; docs/decisions.md, "Issue 12: Goal Attainment Scaling") ──


class Attainment(models.IntegerChoices):
    """The five levels of a Goal Attainment Scale (Kiresuk & Sherman; Turner-Stokes 2009)."""

    MUCH_LESS = -2, _("much less than expected")
    LESS = -1, _("somewhat less than expected")
    EXPECTED = 0, _("the expected outcome")
    MORE = 1, _("somewhat more than expected")
    MUCH_MORE = 2, _("much more than expected")


ATTAINMENT_RANGE = [MinValueValidator(-2), MaxValueValidator(2)]


class GoalScale(models.Model):
    """A goal's Goal Attainment Scale: what each level from -2 to +2 means for this goal, in its
    own words, and the baseline on the same scale. Edited in place until the first follow-up
    score locks it; a change after that is a new row (`number` + 1), flagged with its reason,
    and the earlier version keeps its scores."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="scales", verbose_name=_("goal"))
    # The scale's version as people read it ("version 2 of the scale"); 1 for the first.
    number = models.PositiveSmallIntegerField(_("version of the scale"), default=1)
    # The optimistic lock (ETag / hidden field): raised on every change of the goal's scale and
    # carried on to a new version's row, so that a version read before never matches again.
    version = models.PositiveIntegerField(default=1)
    level_minus_2 = models.CharField(_("−2: much less than expected"), max_length=300)
    level_minus_1 = models.CharField(_("−1: somewhat less than expected"), max_length=300)
    level_0 = models.CharField(_("0: the expected outcome"), max_length=300)
    level_plus_1 = models.CharField(_("+1: somewhat more than expected"), max_length=300)
    level_plus_2 = models.CharField(_("+2: much more than expected"), max_length=300)
    baseline = models.SmallIntegerField(_("baseline"), choices=Attainment.choices, validators=ATTAINMENT_RANGE)
    baseline_on = models.DateField(_("baseline measured on"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    # Set by the first follow-up score: from then on a change makes a new version.
    locked_at = models.DateTimeField(null=True, blank=True)
    changed_after_follow_up = models.BooleanField(default=False)
    change_reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()
    objects = models.Manager()

    class Meta:
        verbose_name = _("goal attainment scale")
        ordering = ["goal", "-number"]
        constraints = [
            # Two first saves, or two new versions, at once: one wins, the other is a Conflict.
            models.UniqueConstraint(fields=["goal", "number"], name="plans_goalscale_goal_number"),
            models.CheckConstraint(
                condition=models.Q(baseline__gte=-2, baseline__lte=2), name="plans_goalscale_baseline_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} v{self.number}"

    LEVEL_FIELDS = ("level_minus_2", "level_minus_1", "level_0", "level_plus_1", "level_plus_2")

    def levels(self) -> list[tuple[int, str]]:
        """(level, this goal's text for it), from -2 to +2."""
        return [(level, getattr(self, name)) for level, name in zip(range(-2, 3), self.LEVEL_FIELDS, strict=True)]

    def text_for(self, level: int) -> str:
        return str(getattr(self, self.LEVEL_FIELDS[level + 2]))


class GoalScore(models.Model):
    """A follow-up score of a goal on its scale, on a date: at most one per scale and date; a
    second score that day changes the first, with the version it was read at."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    scale = models.ForeignKey(GoalScale, on_delete=models.PROTECT, related_name="scores")
    scored_on = models.DateField(_("scored on"))
    score = models.SmallIntegerField(_("score"), choices=Attainment.choices, validators=ATTAINMENT_RANGE)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()
    objects = models.Manager()

    class Meta:
        verbose_name = _("goal attainment score")
        ordering = ["scored_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "scored_on"], name="plans_goalscore_scale_date"),
            models.CheckConstraint(condition=models.Q(score__gte=-2, score__lte=2), name="plans_goalscore_range"),
        ]
        # The overview reads a person's scores by date.
        indexes = [models.Index(fields=["person", "scored_on"], name="plans_goalscore_person_date")]

    def __str__(self) -> str:
        return f"{self.scale_id} {self.scored_on}: {self.score}"


class HelpAnswer(models.Model):
    """Did a done action help? (PLAN-04) The answer of the person, their representative or a
    caregiver: yes, partly, no or not yet, with a comment, who gave it and when. A professional
    may record the answer someone gave them; the row then says so, and names the person they
    acted for. Several answers over time ("not yet", later "yes"): each is a new row, never
    changed, so the rows are the history. Category `plan`, with the action."""

    class Answer(models.TextChoices):
        YES = "yes", _("yes")
        PARTLY = "partly", _("partly")
        NO = "no", _("no")
        NOT_YET = "not_yet", _("not yet")

    class Voice(models.TextChoices):
        PERSON = "person", _("the person")
        REPRESENTATIVE = "representative", _("their representative")
        CAREGIVER = "caregiver", _("a caregiver")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(
        PlanAction, on_delete=models.PROTECT, related_name="help_answers", verbose_name=_("action")
    )
    answer = models.CharField(_("did it help?"), max_length=8, choices=Answer.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    answered_as = models.CharField(_("whose answer"), max_length=16, choices=Voice.choices)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A professional writing down what the person or a caregiver told them.
    recorded_for = models.BooleanField(_("recorded by a professional for them"), default=False)
    # Whom the answerer acted for (NEN 7513: the responsible user): the person's account when a
    # representative or a professional answers for them; empty when the answerer speaks for themself.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relationship = models.CharField(max_length=32, blank=True)  # the answerer's relationship (gate decision)
    answered_at = models.DateTimeField(_("answered on"), default=timezone.now)

    class Meta:
        verbose_name = _("answer whether an action helped")
        ordering = ["answered_at", "pk"]
        indexes = [
            # The prompt and the flag ask, per done action, for its latest answer.
            models.Index(fields=["action", "answered_at"], name="plans_helpanswer_action_at"),
            models.Index(fields=["person", "answered_at"], name="plans_helpanswer_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.answer}"

    @property
    def settles(self) -> bool:
        """Whether this answer settles the question: "not yet" keeps it open."""
        return self.answer != self.Answer.NOT_YET


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
