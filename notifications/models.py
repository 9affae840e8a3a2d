"""In-app notifications. Text is rendered at display time in the reader's language, so rows
hold a kind and parameters, never a sentence."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", _("emergency access to a dossier")
        PERSONS_MERGED = "persons_merged", _("two records of one person were merged")
        MEDICATION_PROBLEM = "medication_problem", _("a medication problem was reported")
        TEAM_MESSAGE = "team_message", _("a new message in a care team's thread")
        HANDOVER = "handover", _("open items of a team member who left")
        COORDINATION_PROPOSED = "coordination_proposed", _("you are proposed as care coordinator")
        COORDINATION_ANSWERED = "coordination_answered", _("an answer to a proposal to coordinate care")
        POSSIBLE_DUPLICATE = "possible_duplicate", _("a separate record was registered with a known INSZ")
        # The care plan and meetings (issue 12): what is said names no person, goal or action;
        # the link opens the page, which the gate guards.
        ACTION_PROPOSED = "action_proposed", _("an action of a care plan is proposed to you")
        ACTION_DECLINED = "action_declined", _("a proposed action was declined")
        ACTION_HANDED_BACK = "action_handed_back", _("an action came back to you")
        HELP_QUESTION = "help_question", _("did a finished action help?")
        PLAN_REVIEW_DUE = "plan_review_due", _("a care plan is due for review")
        EARLY_SIGNAL = "early_signal", _("an early signal was recorded")
        MEETING_INVITED = "meeting_invited", _("you are invited to a meeting")
        MEETING_CHANGED = "meeting_changed", _("a meeting was changed")
        MEETING_CANCELLED = "meeting_cancelled", _("a meeting was cancelled")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_recipient_read")]
