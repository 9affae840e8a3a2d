"""Input parsing for reviewing the plan. The form checks fields; plans.services.record_review decides."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Membership


class ReviewForm(forms.Form):
    # ISO: the browser's date input takes no other format, whatever the page's language.
    reviewed_on = forms.DateField(
        label=_("Reviewed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    members = forms.MultipleChoiceField(
        label=_("Team members who took part"), required=False, widget=forms.CheckboxSelectMultiple
    )
    with_whom = forms.CharField(
        label=_("Others who took part"),
        required=False,
        max_length=500,
        help_text=_("For example the person, or someone who is not on the care team."),
    )
    notes = forms.CharField(
        label=_("What was reviewed and agreed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reviewed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.public_id): m for m in members}
        cast(forms.MultipleChoiceField, self.fields["members"]).choices = [
            (key, f"{m.user} ({m.profile_label})") for key, m in self.memberships.items()
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reviewed_on": data["reviewed_on"],
            "members": [self.memberships[key] for key in data["members"]],
            "with_whom": data["with_whom"],
            "notes": data["notes"],
        }
