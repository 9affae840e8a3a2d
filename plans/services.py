"""Changes to the care plan: one function per change, for pages, API, meetings and the demo alike.

Each passes the gate with the record's category (plans.categories) before its transaction, saves
with the actor so that django-simple-history keeps exactly one row per change, and writes its
audit row in the same transaction. Nothing is deleted: a goal or an action is cancelled.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate
from access.models import Exclusion
from accounts.models import User
from audit import services as audit
from core.actions import Action
from core.vocab import Level
from notifications.models import Notification
from notifications.services import notify
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.models import EarlySignal, Goal, LifeGoal, PlanAction, PlanRecord, PlanReview, ReviewMember
from plans.signals import kinds as signal_kinds
from teams.models import Membership


def _saved(actor: User, record: PlanRecord) -> None:
    """Save with the actor: the history row names them, the row says who changed it last."""
    now = timezone.now()
    if record._state.adding:
        record.created_by = actor
        record.created_at = now
    record.updated_by = actor
    record.updated_at = now
    record._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
    record.full_clean(exclude=["person", "created_by", "updated_by"], validate_unique=False)
    record.save()


def _belongs(record: PlanRecord | None, person: Person, what: str) -> None:
    # A caller can only pass a record of this person: anything else is a programming error that
    # would join two dossiers, never a user's mistake to explain.
    if record is not None and record.person_id != person.pk:
        raise ValueError(f"The {what} belongs to another person.")


def add_life_goal(actor: User, person: Person, *, text: str, written_by: str) -> LifeGoal:
    """A life goal in the person's own words (PLAN-01): written by the person, their
    representative, or with the coordinator; needs `wishes` write."""
    decision = gate.check(
        actor, person, PLAN_CATEGORIES["life_goals"], Level.WRITE, action=Action.PLANS_LIFE_GOAL_ADDED
    )
    goal = LifeGoal(person=person, text=text.strip(), written_by=written_by)
    with transaction.atomic():
        _saved(actor, goal)
        audit.log_change(
            actor, person, Action.PLANS_LIFE_GOAL_ADDED, decision=decision, detail={"life_goal": str(goal.public_id)}
        )
    return goal


def add_goal(
    actor: User,
    person: Person,
    *,
    title: str,
    life_goal: LifeGoal | None = None,
    description: str = "",
    weight: int = 1,
) -> Goal:
    """A care or support goal, under a life goal when there is one; needs `plan` write."""
    _belongs(life_goal, person, "life goal")
    decision = gate.check(actor, person, PLAN_CATEGORIES["goals"], Level.WRITE, action=Action.PLANS_GOAL_ADDED)
    goal = Goal(person=person, life_goal=life_goal, title=title.strip(), description=description, weight=weight)
    with transaction.atomic():
        _saved(actor, goal)
        audit.log_change(
            actor, person, Action.PLANS_GOAL_ADDED, decision=decision, detail={"goal": str(goal.public_id)}
        )
    return goal


def check_owner(person: Person, owner: Membership, now: Any = None) -> None:
    """An action's owner is an active member of the person's team whom the person has not
    excluded (a professional, an organisation's account, a caregiver or the person). Raises a
    translated ValidationError on the `owner` field otherwise."""
    now = now or timezone.now()
    active = Membership.objects.active(now).filter(pk=owner.pk, person=person).exists()
    if not active or gate.is_excluded(person, owner.user, now):
        raise ValidationError(
            {"owner": _("Choose someone who is on the care team now. The person has not excluded them.")},
            code="not_a_member",
        )


def choosable_member_ids(person: Person, now: Any = None) -> set[int]:
    """The memberships one may name in the plan (a review's participants, the communication
    agreement): active members of the person's team whom the person has not excluded."""
    excluded = Exclusion.objects.active(now).filter(person=person).values_list("excluded_id", flat=True)
    active = Membership.objects.active(now).filter(person=person).exclude(user_id__in=excluded)
    return set(active.values_list("pk", flat=True))


def propose_action(
    actor: User,
    person: Person,
    *,
    title: str,
    owner: Membership,
    goal: Goal | None = None,
    due_on: date | None = None,
    details: str = "",
    origin: str = PlanAction.Origin.PLAN,
) -> PlanAction:
    """An action with one owner (PLAN-02). Proposed until the owner accepts or declines it;
    an action someone takes on themself is open at once. The owner is told in-app, with no word
    of whose plan or which action (the page says it, behind the gate)."""
    _belongs(goal, person, "goal")
    decision = gate.check(actor, person, PLAN_CATEGORIES["actions"], Level.WRITE, action=Action.PLANS_ACTION_PROPOSED)
    check_owner(person, owner)
    own = owner.user_id == actor.pk
    action = PlanAction(
        person=person,
        goal=goal,
        title=title.strip(),
        details=details,
        owner=owner,
        due_on=due_on,
        origin=origin,
        status=PlanAction.Status.OPEN if own else PlanAction.Status.PROPOSED,
        accepted_at=timezone.now() if own else None,
    )
    with transaction.atomic():
        _saved(actor, action)
        audit.log_change(
            actor,
            person,
            Action.PLANS_ACTION_PROPOSED,
            decision=decision,
            detail={"action": str(action.public_id), "owner": str(owner.public_id)},
        )
        if not own:
            notify(
                owner.user, Notification.Kind.ACTION_PROPOSED, person=person, params={"action": str(action.public_id)}
            )
    return action


def record_review(
    actor: User,
    person: Person,
    *,
    reviewed_on: date | None = None,
    with_whom: str = "",
    notes: str = "",
    meeting_id: Any = None,
    members: Sequence[Membership] = (),
) -> PlanReview:
    """The plan looked at again as a whole (PLAN-03): who, when, with whom. A closed meeting
    records one with its id. Needs `plan` write; a review is never dated in the future.

    `members`: the team members who took part, each an active member of the person's team
    (anyone else is named in `with_whom`). The review also answers the open early signals that
    asked for one (plans/signals/kinds.toml, creates = "review"): they are marked handled by it."""
    decision = gate.check(actor, person, PLAN_CATEGORIES["reviews"], Level.WRITE, action=Action.PLANS_PLAN_REVIEWED)
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review is dated today or earlier.")}, code="future")
    members = list(dict.fromkeys(members))
    if any(member.pk not in choosable_member_ids(person) for member in members):
        raise ValidationError(
            {"members": _("Choose the participants among the members of the care team.")}, code="not_a_member"
        )
    review = PlanReview(
        person=person,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        with_whom=with_whom,
        notes=notes,
        meeting_id=meeting_id,
    )
    review.full_clean(exclude=["person", "reviewed_by"])
    with transaction.atomic():
        review.save()
        ReviewMember.objects.bulk_create(ReviewMember(review=review, membership=member) for member in members)
        audit.log_change(
            actor, person, Action.PLANS_PLAN_REVIEWED, decision=decision, detail={"review": str(review.public_id)}
        )
        _answer_review_signals(actor, review)
    return review


def _answer_review_signals(actor: User, review: PlanReview) -> None:
    """The open early signals that asked for a review are handled by this one (PLAN-06)."""
    now = timezone.now()
    for signal in EarlySignal.objects.select_for_update().filter(
        person=review.person, status=EarlySignal.Status.OPEN, kind__in=signal_kinds.review_codes()
    ):
        signal.status = EarlySignal.Status.HANDLED
        signal.handled_by = actor
        signal.handled_at = now
        signal.review = review
        signal.version += 1
        signal._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
        signal.save()
