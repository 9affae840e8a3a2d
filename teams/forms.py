"""Input parsing for the team pages. Forms check fields; services decide and write."""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import phones
from core.vocab import Category, Profile
from teams.models import Membership
from teams.services import CIRCLE_PROFILES


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AddMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of their Schakel account"))
    profile = forms.ChoiceField(
        label=_("Role"),
        required=False,
        help_text=_("Professionals join in their own profile: leave this empty for them."),
    )
    assignment = forms.CharField(label=_("Assignment: what they do for the person"), required=False, max_length=200)
    term = forms.ChoiceField(
        label=_("Kind of relationship"),
        choices=[
            ("regular", _("regular (about 15 months)")),
            ("occasional", _("occasional (3 months)")),
            ("emergency", _("emergency (1 month)")),
        ],
        initial="regular",
        help_text=_("For professionals without an end date. The person's circle has no default end."),
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=_("Until (the last day included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["profile"]).choices = [
            ("", _("their own profile (professionals)")),
            *[(code, Profile(code).label) for code in CIRCLE_PROFILES],
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        since = data.get("since")
        until = data.get("until")
        return {
            "email": data["email"],
            "profile": data.get("profile") or "",
            "assignment": data.get("assignment") or "",
            "term": data.get("term") or "regular",
            # Today means now, so that the member has access at once.
            "since": start_of(since) if since and since > timezone.localdate() else None,
            "until": start_of(until + timedelta(days=1)) if until else None,
        }


class MemberForm(forms.Form):
    """Names one membership and the version the user saw (ending it, making them coordinator)."""

    member = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReachabilityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    hours = forms.CharField(
        label=_("When you can be reached"),
        required=False,
        max_length=100,
        help_text=_("For example: Mon–Fri 8–17, Sat morning."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("Shown to the whole care team, the person and their family included."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    phone_24_7 = forms.CharField(
        label=_("Number of a 24/7 line that answers outside these hours"),
        required=False,
        max_length=30,
        help_text=_(
            "Shown to the whole care team, the person and their family included. Leave empty if there is none."
        ),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    priority_phone = forms.CharField(
        label=_("Priority number"),
        required=False,
        max_length=30,
        help_text=_("Shown to the professionals on the team only."),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    priority_email = forms.EmailField(
        label=_("Priority e-mail address"), required=False, help_text=_("Shown to the professionals on the team only.")
    )

    @classmethod
    def for_membership(cls, membership: Membership, data: Mapping[str, Any] | None = None) -> "ReachabilityForm":
        initial = {
            "version": membership.version,
            "hours": membership.hours,
            "phone": phones.display(membership.phone),
            "phone_24_7": phones.display(membership.phone_24_7),
            "priority_phone": phones.display(membership.priority_phone),
            "priority_email": membership.priority_email,
        }
        return cls(data or None, initial=initial)


class MessageForm(forms.Form):
    category = forms.ChoiceField(label=_("What is the message about?"))
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    addressees = forms.MultipleChoiceField(
        label=_("For (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Without addressees, every team member who may read the message is notified."),
    )

    def __init__(self, *args: Any, categories: list[str], members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [(code, Category(code).label) for code in categories]
        cast(forms.ChoiceField, self.fields["addressees"]).choices = list(
            {str(m.user.public_id): (str(m.user.public_id), f"{m.user} ({m.profile_label})") for m in members}.values()
        )


class TakeItemForm(forms.Form):
    item = forms.UUIDField(widget=forms.HiddenInput)
    owner = forms.ChoiceField(label=_("Give it to"), required=False)

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", _("me")),
            *{
                str(m.user.public_id): (str(m.user.public_id), f"{m.user} ({m.profile_label})") for m in members
            }.values(),
        ]
