from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.models import Closure
from privacy.services import NOTE_MAX


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why is the dossier closed?"), choices=(), widget=forms.RadioSelect)
    event_date = forms.DateField(
        label=_("Date of the event"),
        help_text=_("The date of death, of the move or of the withdrawal."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, reasons: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Closure.Reason.choices)
        cast(forms.ChoiceField, self.fields["reason"]).choices = [(code, labels[code]) for code in reasons]


class ReopenForm(forms.Form):
    closure = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why is the dossier reopened?"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
