from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period must come before its end."), code="period_order")
        return data


class LogSearchForm(PeriodForm):
    """The DPO's search: a name or e-mail to find a user, then that user's rows in a period."""

    q = forms.CharField(label=_("User's name or e-mail address"), required=False, max_length=200)
    user = forms.UUIDField(required=False, widget=forms.HiddenInput)
