"""Reviewing the plan (PLAN-03). A review itself is plans.services.record_review (shared with the
meetings app, whose closed meetings count as reviews); this module holds the overdue reminder.

`remind_overdue()` runs daily in the background (`manage.py remind_plan_reviews` enqueues
plans.reviews.jobs.remind_plan_reviews): each plan overdue for review has its care coordinator
told in-app once per overdue period, with no word of whose plan."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone

from access import gate
from audit import services as audit
from audit.services import SystemActor
from core.actions import Action
from notifications.models import Notification
from notifications.services import notify
from plans.categories import PLAN_CATEGORIES
from plans.models import Goal, LifeGoal, PlanAction, PlanReview, ReviewReminder
from plans.reviews.queries import interval
from teams.models import Membership

REMINDER = SystemActor("plan_review_reminder")


def _plan_starts() -> dict[int, date]:
    """Per person with a plan: the day of its first record."""
    starts: dict[int, date] = {}
    for model in (LifeGoal, Goal, PlanAction):
        for row in model.objects.values("person_id").annotate(first=Min("created_at")):
            day = timezone.localdate(row["first"])
            starts[row["person_id"]] = min(day, starts.get(row["person_id"], day))
    return starts


def overdue_plans(today: date | None = None) -> dict[int, date]:
    """Per person whose plan is overdue for review today: the day it fell due."""
    today = today or timezone.localdate()
    last = dict(
        PlanReview.objects.values("person_id").annotate(last=Max("reviewed_on")).values_list("person_id", "last")
    )
    overdue: dict[int, date] = {}
    for person_id, start in _plan_starts().items():
        due = last.get(person_id, start) + interval()
        if today > due:
            overdue[person_id] = due
    return overdue


def remind_overdue(today: date | None = None) -> int:
    """Tell the coordinator of each overdue plan, once per overdue period (ReviewReminder, unique
    per person and due date). A team without a coordinator is reminded once it has one. Returns
    how many reminders were sent."""
    overdue = overdue_plans(today)
    already = set(ReviewReminder.objects.filter(person_id__in=overdue).values_list("person_id", "due_on"))
    coordinators = {
        m.person_id: m
        for m in Membership.objects.active()
        .filter(person_id__in=overdue, is_coordinator=True)
        .select_related("user", "person")
    }
    sent = 0
    for person_id, due in sorted(overdue.items()):
        coordinator = coordinators.get(person_id)
        if coordinator is None or (person_id, due) in already:
            continue
        if gate.write_lock(coordinator.person):
            continue  # a closed dossier's plan is no longer reviewed
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(person_id=person_id, due_on=due, recipient=coordinator.user)
                notify(coordinator.user, Notification.Kind.PLAN_REVIEW_DUE, person=coordinator.person)
                audit.log_change(
                    REMINDER,
                    coordinator.person,
                    Action.PLANS_REVIEW_REMINDED,
                    category=PLAN_CATEGORIES["reviews"],
                    detail={"due_on": due.isoformat(), "recipient": str(coordinator.user.public_id)},
                )
        except IntegrityError:
            continue  # a second run at the same moment reminded them: once is enough
        sent += 1
    return sent
