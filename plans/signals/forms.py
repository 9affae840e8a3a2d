"""Input parsing for early signals. Forms check fields; plans.signals.services decides."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.signals import kinds


class SignalForm(forms.Form):
    kind = forms.ChoiceField(label=_("What did you notice?"), widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("What happened (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When and how you noticed it. The care coordinator reads it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds.choices()


class HandleForm(forms.Form):
    signal = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label=_("How it was followed up"), required=False, max_length=500)
