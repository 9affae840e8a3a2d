"""Input parsing for "did it help?". The form checks fields; the service decides and writes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.help.services import COMMENT_MAX_LENGTH
from plans.models import HelpAnswer


class HelpAnswerForm(forms.Form):
    action = forms.UUIDField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(label=_("Did it help?"), choices=HelpAnswer.Answer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed, or what is still missing."),
    )
    answered_as = forms.ChoiceField(
        label=_("Whose answer do you write down?"), choices=HelpAnswer.Voice.choices, required=False
    )

    def __init__(self, *args: Any, records_for: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not records_for:
            # The person and their circle answer in their own name: who they are says whose it is.
            del self.fields["answered_as"]
