"""When the plan was last reviewed and when it is due again (PLAN-03), and the reviews panel.

A plan is due for review `PLAN_REVIEW_INTERVAL_DAYS` after its last review or, never reviewed,
after its first record (a life goal, a goal or an action) was made: on that day it is *due*, from
the next day *overdue*. An open early signal whose kind asks for a review marks it due too."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Min, Prefetch
from django.utils import timezone

from access import gate
from accounts.models import User
from core.actions import Action
from core.vocab import Level
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.models import EarlySignal, Goal, LifeGoal, PlanAction, PlanReview, ReviewMember
from plans.services import choosable_member_ids
from plans.signals import kinds
from teams.models import Membership

REVIEWS_VIEWED = Action.PLANS_REVIEWS_VIEWED
REVIEWS_SHOWN = 5


def interval() -> timedelta:
    return timedelta(days=settings.PLAN_REVIEW_INTERVAL_DAYS)


def last_review(person: Person) -> PlanReview | None:
    """The person's latest review by date (a closed meeting's included). Not gated: callers
    (the panel, the reminder job) pass the gate or act as the system."""
    return PlanReview.objects.filter(person=person).order_by("-reviewed_on", "-created_at", "-pk").first()


def first_record_on(person: Person) -> date | None:
    """The day the plan began: its first life goal, goal or action."""
    firsts = [
        model.objects.filter(person=person).aggregate(first=Min("created_at"))["first"]
        for model in (LifeGoal, Goal, PlanAction)
    ]
    found = [moment for moment in firsts if moment is not None]
    return timezone.localdate(min(found)) if found else None


@dataclass(frozen=True)
class ReviewStatus:
    last: PlanReview | None
    due_on: date | None  # None: no plan yet, nothing to review
    state: str  # "none" (no plan yet), "ok", "due" (today), "overdue"
    signals_asking: int  # open early signals that ask for a review

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.due_on).days if self.due_on and self.overdue else 0


def due_on(last: PlanReview | None, first: date | None) -> date | None:
    anchor = last.reviewed_on if last else first
    return anchor + interval() if anchor else None


def state_on(due: date | None, today: date) -> str:
    if due is None:
        return "none"
    if today < due:
        return "ok"
    return "due" if today == due else "overdue"


def review_status(person: Person, today: date | None = None) -> ReviewStatus:
    today = today or timezone.localdate()
    last = last_review(person)
    due = due_on(last, None if last else first_record_on(person))
    asking = EarlySignal.objects.filter(
        person=person, status=EarlySignal.Status.OPEN, kind__in=kinds.review_codes()
    ).count()
    return ReviewStatus(last=last, due_on=due, state=state_on(due, today), signals_asking=asking)


@dataclass(frozen=True)
class ReviewPanel:
    """What the plan page's review panel shows (plans/reviews/_panel.html)."""

    person: Person
    status: ReviewStatus
    reviews: list[PlanReview]  # the latest, with their members
    may_review: bool


def recent_reviews(person: Person, limit: int = REVIEWS_SHOWN) -> list[PlanReview]:
    members = Prefetch("members", queryset=ReviewMember.objects.select_related("membership__user").order_by("pk"))
    return list(
        PlanReview.objects.filter(person=person)
        .select_related("reviewed_by")
        .prefetch_related(members)
        .order_by("-reviewed_on", "-created_at", "-pk")[:limit]
    )


def review_panel(actor: User, person: Person) -> ReviewPanel:
    """The review panel's context: gated (plan read) and audited."""
    gate.check(actor, person, PLAN_CATEGORIES["reviews"], Level.READ, action=REVIEWS_VIEWED)
    reviews = recent_reviews(person)
    return ReviewPanel(
        person=person,
        status=review_status(person),
        reviews=reviews,
        may_review=gate.decide(actor, person, PLAN_CATEGORIES["reviews"], Level.WRITE).allowed,
    )


def review_members(person: Person) -> list[Membership]:
    """Whom the review form offers as participants: the active team, without anyone the person
    excluded."""
    ids = choosable_member_ids(person)
    return list(Membership.objects.filter(pk__in=ids).select_related("user").order_by("since", "pk"))
