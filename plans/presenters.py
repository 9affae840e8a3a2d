"""Display values for the care plan's pages, so that templates hold no logic: the three tiers as
rows, and the history as "who changed what, before → after".

The tiers are built from anything with the models' field names: the live rows, or the rows of the
history tables for "the plan as it stood on date D" (plans.queries.plan_as_of)."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from people.presenters import EMPTY, display, label, when
from plans.models import Goal, LifeGoal, PlanAction
from teams.models import Membership

CLOSED_ACTIONS = (PlanAction.Status.DONE, PlanAction.Status.CANCELLED)


@dataclass(frozen=True)
class ActionRow:
    public_id: uuid.UUID
    title: str
    details: str
    owner: str  # "Sofie Janssens"
    role: str  # "nurse"
    due: str
    overdue: bool
    status: str
    status_label: str
    outcome: str
    decline_reason: str
    hold_reason: str
    url: str  # the action's page; "" where the page shows the past (as of a date)
    goal_title: str = ""


@dataclass(frozen=True)
class GoalRow:
    public_id: uuid.UUID
    title: str
    description: str
    status: str
    status_label: str
    weight: int
    actions: list[ActionRow] = field(default_factory=list)
    is_active: bool = True


@dataclass(frozen=True)
class LifeGoalRow:
    public_id: uuid.UUID
    text: str
    written_by: str
    status: str
    status_label: str
    goals: list[GoalRow] = field(default_factory=list)
    is_active: bool = True


@dataclass(frozen=True)
class PlanTree:
    """The plan in its three tiers. `life_goals` only for readers of wishes; otherwise every goal
    is in `goals`. What is finished (reached, let go, done, cancelled) is in the `done_*` lists,
    unless something under it is still open."""

    life_goals: list[LifeGoalRow]
    goals: list[GoalRow]  # goals under no (shown) life goal
    actions: list[ActionRow]  # actions under no goal
    done_life_goals: list[LifeGoalRow]
    done_goals: list[GoalRow]
    done_actions: list[ActionRow]

    @property
    def is_empty(self) -> bool:
        return not (self.life_goals or self.goals or self.actions or self.has_done)

    @property
    def has_done(self) -> bool:
        return bool(self.done_life_goals or self.done_goals or self.done_actions)


def short_date(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def long_date(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _choice(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def owner_name(membership: Membership | None) -> tuple[str, str]:
    if membership is None:
        return _("someone who left the team"), ""
    return str(membership.user), membership.profile_label


def action_row(
    row: Any, owners: dict[int, Membership], *, person_id: uuid.UUID | None, today: date, goal_title: str = ""
) -> ActionRow:
    name, role = owner_name(owners.get(row.owner_id))
    open_ = row.status not in CLOSED_ACTIONS and row.status != PlanAction.Status.DECLINED
    return ActionRow(
        public_id=row.public_id,
        title=row.title,
        details=row.details,
        owner=name,
        role=role,
        due=short_date(row.due_on),
        overdue=bool(row.due_on and row.due_on < today and open_),
        status=row.status,
        status_label=_choice(PlanAction.Status, row.status),
        outcome=row.outcome,
        decline_reason=row.decline_reason,
        hold_reason=row.hold_reason,
        url=reverse("plans:action", args=[person_id, row.public_id]) if person_id else "",
        goal_title=goal_title,
    )


def plan_tree(
    life_goals: Iterable[Any],
    goals: Iterable[Any],
    actions: Iterable[Any],
    owners: dict[int, Membership],
    *,
    show_life_goals: bool,
    person_id: uuid.UUID | None,
    today: date | None = None,
) -> PlanTree:
    """The tiers from rows (live or historical) of one person's plan, in their own order."""
    today = today or timezone.localdate()
    goal_list = list(goals)
    titles = {goal.id: goal.title for goal in goal_list}
    open_actions: dict[int | None, list[ActionRow]] = {}
    done_actions = []
    for row in actions:
        if row.status in CLOSED_ACTIONS:
            done_actions.append(
                action_row(row, owners, person_id=person_id, today=today, goal_title=titles.get(row.goal_id, ""))
            )
        else:
            open_actions.setdefault(row.goal_id, []).append(action_row(row, owners, person_id=person_id, today=today))
    goal_rows: dict[int | None, list[GoalRow]] = {}
    done_goals = []
    for goal in goal_list:
        active = goal.status == Goal.Status.ACTIVE
        row = GoalRow(
            public_id=goal.public_id,
            title=goal.title,
            description=goal.description,
            status=goal.status,
            status_label=_choice(Goal.Status, goal.status),
            weight=goal.weight,
            actions=open_actions.pop(goal.id, []),
            is_active=active,
        )
        if not active and not row.actions:
            done_goals.append(row)
            continue
        goal_rows.setdefault(goal.life_goal_id if show_life_goals else None, []).append(row)
    life_rows: list[LifeGoalRow] = []
    done_life: list[LifeGoalRow] = []
    for life in life_goals if show_life_goals else ():
        active = life.status == LifeGoal.Status.ACTIVE
        life_row = LifeGoalRow(
            public_id=life.public_id,
            text=life.text,
            written_by=_choice(LifeGoal.WrittenBy, life.written_by),
            status=life.status,
            status_label=_choice(LifeGoal.Status, life.status),
            goals=goal_rows.pop(life.id, []),
            is_active=active,
        )
        (life_rows if active or life_row.goals else done_life).append(life_row)
    # Goals under a life goal the reader may not see (or that no longer exists) stand alone.
    loose_goals = [row for rows in goal_rows.values() for row in rows]
    loose_actions = [row for rows in open_actions.values() for row in rows]
    return PlanTree(life_rows, loose_goals, loose_actions, done_life, done_goals, done_actions)


# ── History ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    what: str  # "Goal changed"
    record: str  # the record's title, as it reads after the change
    changes: list[Change]
    moment: Any = None  # for sorting


# The fields each record's history shows, in the order of its form.
HISTORY_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    LifeGoal: ("text", "written_by", "status"),
    Goal: ("title", "description", "life_goal", "status", "weight"),
    PlanAction: ("title", "details", "goal", "owner", "due_on", "status", "outcome", "decline_reason", "hold_reason"),
}


def _value(model: type[models.Model], name: str, record: Any, names: dict[str, dict[int, str]]) -> str:
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.ForeignKey):
        value = getattr(record, model_field.attname)
        return names.get(name, {}).get(value, EMPTY) if value else EMPTY
    return display(model, name, getattr(record, name))


def _what(model: type[models.Model], history_type: str) -> str:
    added = history_type == "+"
    if model is LifeGoal:
        return _("Life goal written") if added else _("Life goal changed")
    if model is Goal:
        return _("Goal added") if added else _("Goal changed")
    return _("Action added") if added else _("Action changed")


def history_rows(
    model: type[models.Model], records: Sequence[Any], names: dict[str, dict[int, str]], users: dict[int, str]
) -> list[HistoryRow]:
    """Who changed what, when, before and after, for one model's history rows of one person,
    oldest first (each row's previous version is in the same list). `names`: how a foreign key
    reads, per field (a goal's title, an owner's name); a field missing there is not shown."""
    fields = [
        name
        for name in HISTORY_FIELDS[model]
        if not isinstance(model._meta.get_field(name), models.ForeignKey) or name in names
    ]
    previous: dict[int, Any] = {}
    rows = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        for name in fields:
            new = _value(model, name, record, names)
            old = _value(model, name, before, names) if before is not None else EMPTY
            if before is not None and old == new:
                continue
            if before is None and new == EMPTY:
                continue
            changes.append(Change(label(model, name), old, new))
        previous[record.id] = record
        if before is not None and not changes:
            continue  # a change to a field this reader is not shown
        title = str(getattr(record, "title", None) or getattr(record, "text", ""))
        rows.append(
            HistoryRow(
                when(record.history_date),
                users.get(record.history_user_id, _("the system")),
                _what(model, record.history_type),
                title[:80],
                changes,
                record.history_date,
            )
        )
    return rows


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def current_facts(record: LifeGoal | Goal | PlanAction) -> list[Fact]:
    """The record as it is now, for the page that tells a user their edit came too late. Goals
    and life goals it sits under are not named (their titles are on the plan, for its readers)."""
    model = type(record)
    facts = []
    for name in HISTORY_FIELDS[model]:
        if name == "owner" and isinstance(record, PlanAction):
            value = str(record.owner.user)
        elif isinstance(model._meta.get_field(name), models.ForeignKey):
            continue
        else:
            value = display(model, name, getattr(record, name))
        if value != EMPTY:
            facts.append(Fact(label(model, name), value))
    return facts
