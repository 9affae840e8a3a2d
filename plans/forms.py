"""Input parsing for the care plan's pages. Forms check fields; services decide and write.

Choices of the person's own records (life goals, goals, members) are their public ids. The view
resolves an id that is sent before the form is validated, so that another person's id is the
audited 404 (plans.queries), never a form error that would confirm it exists."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import Goal, LifeGoal, PlanAction
from teams.models import Membership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    # The version the user read: a stale one is refused by the service (StaleEdit).
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def _set_choices(form: forms.Form, name: str, choices: Iterable[tuple[str, Any]], empty: Any = None) -> None:
    options = [("", empty)] if empty is not None else []
    cast(forms.ChoiceField, form.fields[name]).choices = [*options, *choices]


class LifeGoalForm(VersionedForm):
    text = forms.CharField(
        label=_("The life goal, in the person's own words"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What matters to the person in life, as they say it: “to keep going to the market on Saturdays”."),
    )
    written_by = forms.ChoiceField(label=_("Written"), choices=LifeGoal.WrittenBy.choices)
    status = forms.ChoiceField(label=_("Status"), choices=LifeGoal.Status.choices, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["status"]


class GoalForm(VersionedForm):
    title = forms.CharField(label=_("Goal"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    life_goal = forms.ChoiceField(label=_("Serves the life goal"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices, required=False)
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("For Goal Attainment Scaling: goals weigh equally (1) unless the team says otherwise."),
    )

    def __init__(
        self, *args: Any, life_goals: list[LifeGoal] | None = None, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if life_goals is None:  # the reader may not see the life goals: the field is not offered
            del self.fields["life_goal"]
        else:
            _set_choices(
                self, "life_goal", [(str(g.public_id), g.text[:80]) for g in life_goals], _("none: a goal of its own")
            )
        if not editing:
            del self.fields["status"]


def member_label(membership: Membership) -> str:
    return f"{membership.user} ({membership.profile_label})"


class ActionFieldsForm(VersionedForm):
    title = forms.CharField(label=_("What"), max_length=200)
    details = forms.CharField(
        label=_("Details"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("By when"), required=False, widget=DATE)
    goal = forms.ChoiceField(label=_("Under the goal"), required=False)

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "goal", [(str(g.public_id), g.title) for g in goals], _("no goal"))


class MemberChoiceForm(VersionedForm):
    member = forms.ChoiceField(
        label=_("Who"),
        help_text=_("One owner, from the care team. They are asked to accept; yourself, it is yours at once."),
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "member", [(str(m.public_id), member_label(m)) for m in members], "—")


class ActionForm(ActionFieldsForm):
    """A new action: what, who, by when, under which goal."""

    member = MemberChoiceForm.base_fields["member"]
    field_order = ["title", "member", "due_on", "goal", "details"]

    def __init__(self, *args: Any, goals: list[Goal], members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, goals=goals, **kwargs)
        _set_choices(self, "member", [(str(m.public_id), member_label(m)) for m in members], "—")
        self.fields["version"].required = False


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"))
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the action is done: what came of it."),
    )
    hold_reason = forms.CharField(
        label=_("Why it waits"), max_length=300, required=False, help_text=_("Needed when the action is put on hold.")
    )

    def __init__(self, *args: Any, statuses: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "status", [(s, str(PlanAction.Status(s).label)) for s in statuses])


class AnswerForm(VersionedForm):
    ACCEPT = "accept"
    DECLINE = "decline"
    answer = forms.ChoiceField(choices=[(ACCEPT, ACCEPT), (DECLINE, DECLINE)], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to decline: the care coordinator reads it and finds someone else."),
    )


class CancelForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why it is cancelled (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AsOfForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
