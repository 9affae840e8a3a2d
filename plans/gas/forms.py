"""Input parsing for the Goal Attainment Scaling pages. Forms check fields; services decide and write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.gas.chart import signed
from plans.gas.services import ScaleInput
from plans.models import Attainment, GoalScale, GoalScore

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def level_choices() -> list[tuple[int, str]]:
    """+2 first: a scale reads from the best outcome down."""
    return [(level, f"{signed(level)} · {Attainment(level).label}") for level in range(2, -3, -1)]


class ScaleForm(forms.Form):
    level_plus_2 = forms.CharField(label=_("+2: much more than expected"), max_length=300)
    level_plus_1 = forms.CharField(label=_("+1: somewhat more than expected"), max_length=300)
    level_0 = forms.CharField(
        label=_("0: the expected outcome"),
        max_length=300,
        help_text=_("What you expect to reach by the next review, for this goal."),
    )
    level_minus_1 = forms.CharField(label=_("−1: somewhat less than expected"), max_length=300)
    level_minus_2 = forms.CharField(label=_("−2: much less than expected"), max_length=300)
    baseline = forms.TypedChoiceField(label=_("Level at the start (baseline)"), coerce=int, choices=level_choices)
    baseline_on = forms.DateField(label=_("Baseline measured on"), widget=DATE)
    reason = forms.CharField(
        label=_("Why does the scale change?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required once the goal has a follow-up score: the change then makes a new, flagged version."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, scale: GoalScale | None = None, **kwargs: Any) -> None:
        if scale is not None:
            initial = {name: getattr(scale, name) for name in GoalScale.LEVEL_FIELDS}
            initial.update(baseline=scale.baseline, baseline_on=scale.baseline_on, version=scale.version)
        else:
            initial = {"version": 0, "baseline_on": timezone.localdate()}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if scale is None or scale.locked_at is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def service_input(self) -> ScaleInput:
        data = self.cleaned_data
        levels = tuple(data[name] for name in GoalScale.LEVEL_FIELDS)
        return ScaleInput(levels, data["baseline"], data["baseline_on"])


class ScoreForm(forms.Form):
    scored_on = forms.DateField(label=_("Scored on"), widget=DATE)
    score = forms.TypedChoiceField(label=_("Level reached"), coerce=int, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, scale: GoalScale, score: GoalScore | None = None, **kwargs: Any) -> None:
        if score is not None:
            initial = {"scored_on": score.scored_on, "score": score.score, "note": score.note, "version": score.version}
        else:
            initial = {"scored_on": timezone.localdate()}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        # The goal's own words for each level, so the scorer chooses what happened, not a number.
        self.fields["score"].choices = [  # type: ignore[attr-defined]  # a TypedChoiceField
            (level, f"{signed(level)} · {text}") for level, text in reversed(scale.levels())
        ]
