"""Display values for "My actions" and "did it help?", so that templates hold no logic."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from plans.models import PlanAction


def action_url(action: PlanAction) -> str:
    """The action's page, where its owner accepts or declines it."""
    return reverse("plans:action", kwargs={"person_id": action.person.public_id, "action_id": action.public_id})


def help_url(action: PlanAction) -> str:
    """The "did it help?" page of one done action."""
    return reverse("plans:did-it-help", args=[action.person.public_id]) + f"?action={action.public_id}"


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    person_name: str
    url: str
    help_url: str
    due_on: date | None
    days_late: int  # for an overdue action, how many days


def rows(actions: list[PlanAction], today: date) -> list[ActionRow]:
    return [
        ActionRow(
            action=action,
            person_name=f"{action.person.given_name} {action.person.family_name}",
            url=action_url(action),
            help_url=help_url(action),
            due_on=action.due_on,
            days_late=(today - action.due_on).days if action.due_on and action.due_on < today else 0,
        )
        for action in actions
    ]
