"""Gated reads of the care plan. Every read passes the gate and is audited; an outsider gets the
same 404 as an unknown id.

Who sees what (docs/access.md, "The care plan"):
- readers of `plan` see the goals and actions; readers of `wishes` also see the life goals;
- an action's owner opens that action even without `plan` (access.rules.reads_own_action: a
  neighbour or volunteer sees the actions assigned to them and nothing else of the plan);
- any other id, of another person or of nothing, is the same audited 404.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from access import gate
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.vocab import Level
from people.models import Person
from plans import presenters
from plans.categories import PLAN_CATEGORIES
from plans.models import Goal, LifeGoal, PlanAction, PlanReview
from plans.services import OPEN_STATUSES, owner_decision
from teams.models import Membership

PLAN_VIEWED = Action.PLANS_PLAN_VIEWED
ACTION_VIEWED = Action.PLANS_ACTION_VIEWED
HISTORY_VIEWED = Action.PLANS_HISTORY_VIEWED
AS_OF_VIEWED = Action.PLANS_PLAN_AS_OF_VIEWED

WISHES = PLAN_CATEGORIES["life_goals"]
PLAN = PLAN_CATEGORIES["goals"]


def may(actor: User, person: Person, category: str, level: str = Level.WRITE) -> bool:
    """Whether to offer something; the change itself passes the gate again, audited."""
    return gate.decide(actor, person, category, level).allowed


def require_write(actor: User, person: Person, category: str, action: str) -> None:
    """Before a page that changes: who may not write the category gets the gate's audited
    refusal (a 403 for a reader of it, the outsider's 404 for anyone else). A granted write is
    not logged here: the service logs the change itself."""
    if not may(actor, person, category):
        gate.check(actor, person, category, Level.WRITE, action=action)


def person_for_plan(
    actor: User, person_id: uuid.UUID | str, *, action: str, category: str = PLAN, audit_granted: bool = True
) -> Person:
    """The person, for a reader of the category (the plan unless said otherwise)."""
    person = resolve_person(actor, person_id, action)
    gate.enforce(
        actor, person, gate.decide(actor, person, category, Level.READ), action=action, audit_granted=audit_granted
    )
    return person


def _read_plan(actor: User, person_id: uuid.UUID | str, action: str) -> tuple[Person, bool]:
    """The person for a reader of the plan, and whether they read the life goals (wishes) too:
    both reads audited in one batch; a refusal of the plan is audited and raised."""
    person = resolve_person(actor, person_id, action)
    plan = gate.decide(actor, person, PLAN, Level.READ)
    if not plan.allowed:
        gate.enforce(actor, person, plan, action=action)
    wishes = gate.decide(actor, person, WISHES, Level.READ)
    gate.audit_reads(actor, person, [(plan, action), *([(wishes, action)] if wishes.allowed else [])])
    return person, wishes.allowed


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _one_of(actor: User, rows: QuerySet[Any], public_id: Any, *, action: str, what: str) -> Any:
    """One of the person's rows by id; any other id, unknown, malformed or another person's, is
    the same audited 404."""
    key = _uuid(public_id)
    row = rows.filter(public_id=key).first() if key else None
    if row is None:
        gate.refuse(actor, action, {what: str(public_id)})
    return row


def life_goal_of(actor: User, person: Person, public_id: Any, *, action: str) -> LifeGoal:
    """One of the person's life goals, for a caller that gated the person for wishes."""
    return _one_of(actor, LifeGoal.objects.filter(person=person), public_id, action=action, what="life_goal")


def goal_of(actor: User, person: Person, public_id: Any, *, action: str) -> Goal:
    """One of the person's goals, for a caller that gated the person for the plan."""
    return _one_of(actor, Goal.objects.filter(person=person), public_id, action=action, what="goal")


def member_of(actor: User, person: Person, public_id: Any, *, action: str) -> Membership:
    """A membership of the person's team (a would-be owner), ended ones included: the owner
    rules (plans.services.check_owner) say why an ended one cannot own an action."""
    rows = Membership.objects.filter(person=person).select_related("user")
    return _one_of(actor, rows, public_id, action=action, what="member")


def _action_rows(person: Person) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(person=person).select_related("owner__user", "goal", "updated_by", "person")


def action_of(actor: User, person: Person, public_id: Any, *, action: str) -> PlanAction:
    """One of the person's actions, for a caller that gated the person for the plan."""
    return _one_of(actor, _action_rows(person), public_id, action=action, what="action")


def get_action(
    actor: User, person_id: uuid.UUID | str, action_id: Any, *, action: str = ACTION_VIEWED, audit_granted: bool = True
) -> tuple[PlanAction, gate.Decision]:
    """One action, for whoever may read the plan and for its owner (the neighbour rule): any
    other id answers the same audited 404 as an id that exists nowhere."""
    person = resolve_person(actor, person_id, action)
    found = action_of(actor, person, action_id, action=action)
    found.person = person
    decision = gate.enforce(
        actor, person, owner_decision(actor, found, write=False), action=action, audit_granted=audit_granted
    )
    return found, decision


def owner_choices(person: Person) -> list[Membership]:
    """Who may own an action: the active members whom the person has not excluded."""
    now = timezone.now()
    members = Membership.objects.active(now).filter(person=person).select_related("user").order_by("user__full_name")
    return [m for m in members if not gate.is_excluded(person, m.user, now)]


def open_actions_for(user: User, now: datetime | None = None) -> QuerySet[PlanAction]:
    """The user's open actions across persons, for their inbox: owned through a membership that
    is active now. An ended membership's actions are in the handover queue, not here."""
    now = now or timezone.now()
    active = Membership.objects.active(now).filter(user=user)
    return PlanAction.objects.filter(owner__in=active, status__in=OPEN_STATUSES)


def last_review(person: Person) -> date | None:
    """When the plan was last looked at as a whole (PLAN-03), or None."""
    return (
        PlanReview.objects.filter(person=person).order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
    )


@dataclass(frozen=True)
class PlanPage:
    person: Person
    tree: presenters.PlanTree
    reads_wishes: bool
    writes_plan: bool
    writes_wishes: bool
    last_reviewed: str  # "" when never


@dataclass(frozen=True)
class PlanRecords:
    person: Person
    reads_wishes: bool
    life_goals: list[LifeGoal]  # empty for a reader who may not read wishes
    goals: list[Goal]
    actions: list[PlanAction]


def plan_records(actor: User, person_id: uuid.UUID | str) -> PlanRecords:
    """The plan's rows for a reader of the plan (life goals only with wishes), one query per
    tier: the count does not grow with the number of goals, actions or members."""
    person, reads_wishes = _read_plan(actor, person_id, PLAN_VIEWED)
    return PlanRecords(
        person=person,
        reads_wishes=reads_wishes,
        life_goals=list(LifeGoal.objects.filter(person=person)) if reads_wishes else [],
        goals=list(Goal.objects.filter(person=person)),
        actions=list(PlanAction.objects.filter(person=person).select_related("owner__user")),
    )


def plan_page(actor: User, person_id: uuid.UUID | str) -> PlanPage:
    """The plan in its three tiers, for a reader of the plan."""
    records = plan_records(actor, person_id)
    person = records.person
    owners = {action.owner_id: action.owner for action in records.actions}
    tree = presenters.plan_tree(
        records.life_goals,
        records.goals,
        records.actions,
        owners,
        show_life_goals=records.reads_wishes,
        person_id=person.public_id,
    )
    return PlanPage(
        person=person,
        tree=tree,
        reads_wishes=records.reads_wishes,
        writes_plan=may(actor, person, PLAN),
        writes_wishes=may(actor, person, WISHES),
        last_reviewed=presenters.long_date(last_review(person)),
    )


# ── History and the plan as it stood ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class HistoryPage:
    person: Person
    rows: list[presenters.HistoryRow]
    reads_wishes: bool


def _history_names(person: Person, reads_wishes: bool) -> dict[str, dict[int, str]]:
    """How the foreign keys in the history read: each goal's and life goal's (current) title, each
    membership's member. Life goals only for readers of wishes."""
    names: dict[str, dict[int, str]] = {
        "goal": dict(Goal.objects.filter(person=person).values_list("pk", "title")),
        "owner": {m.pk: str(m.user) for m in Membership.objects.filter(person=person).select_related("user")},
    }
    if reads_wishes:
        names["life_goal"] = {
            pk: text[:80] for pk, text in LifeGoal.objects.filter(person=person).values_list("pk", "text")
        }
    return names


def history(actor: User, person_id: uuid.UUID | str) -> HistoryPage:
    """Every change to the plan's records the reader may read, newest first: who, when, which
    record, each field before → after (PLAN-03)."""
    person, reads_wishes = _read_plan(actor, person_id, HISTORY_VIEWED)
    names = _history_names(person, reads_wishes)
    models: list[type[Any]] = [Goal, PlanAction] + ([LifeGoal] if reads_wishes else [])
    records = {
        model: list(model.history.filter(person_id=person.pk).order_by("history_date", "history_id"))
        for model in models
    }
    user_ids = {r.history_user_id for rows in records.values() for r in rows if r.history_user_id}
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)}
    rows = [row for model in models for row in presenters.history_rows(model, records[model], names, users)]
    rows.sort(key=lambda row: row.moment, reverse=True)
    return HistoryPage(person, rows, reads_wishes)


def end_of_day(day: date) -> datetime:
    """The last moment of the day in the zone's time (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)) - timedelta(microseconds=1)


def _as_of(model: Any, person: Person, moment: datetime) -> list[Any]:
    """Each record's newest history row up to the moment, those deleted by then left out (the
    plan deletes nothing, but a purge would), in the model's own order."""
    rows = model.history.filter(person_id=person.pk, history_date__lte=moment).latest_of_each()
    kept = [row for row in rows if row.history_type != "-"]
    keys = ["id" if name == "pk" else name for name in model._meta.ordering]
    return sorted(kept, key=lambda row: [_sortable(getattr(row, key)) for key in keys])


def _sortable(value: Any) -> tuple[bool, Any]:
    # A missing value (no due date) sorts last, and is never compared with a present one.
    return (value is None, 0 if value is None else value)


@dataclass(frozen=True)
class AsOfPage:
    person: Person
    day: date
    day_label: str
    tree: presenters.PlanTree
    reads_wishes: bool
    last_reviewed: str


def plan_as_of(actor: User, person_id: uuid.UUID | str, day: date) -> AsOfPage:
    """The plan as it stood at the end of `day`, from the history tables: the tiers the reader
    may read (life goals only with wishes), audited as its own read."""
    person, reads_wishes = _read_plan(actor, person_id, AS_OF_VIEWED)
    moment = end_of_day(day)
    life_goals = _as_of(LifeGoal, person, moment) if reads_wishes else []
    goals = _as_of(Goal, person, moment)
    actions = _as_of(PlanAction, person, moment)
    owner_ids = {row.owner_id for row in actions}
    owners = {m.pk: m for m in Membership.objects.filter(pk__in=owner_ids).select_related("user")}
    tree = presenters.plan_tree(
        life_goals, goals, actions, owners, show_life_goals=reads_wishes, person_id=None, today=day
    )
    reviewed = PlanReview.objects.filter(person=person, reviewed_on__lte=day).order_by("-reviewed_on")
    return AsOfPage(
        person=person,
        day=day,
        day_label=presenters.long_date(day),
        tree=tree,
        reads_wishes=reads_wishes,
        last_reviewed=presenters.long_date(reviewed.values_list("reviewed_on", flat=True).first()),
    )


def goals_of(person: Person, *, active_only: bool = False) -> list[Goal]:
    """The person's goals, for a page or endpoint that has let the actor through for the plan
    (the choices of a form, the goals list)."""
    rows = Goal.objects.filter(person=person)
    return list(rows.filter(status=Goal.Status.ACTIVE) if active_only else rows)
