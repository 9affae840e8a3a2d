"""Input parsing for the communication agreement. The form checks fields; plans.agreements.services
decides (active members, a 24/7 number, the version)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.agreements.services import Step
from plans.models import CommunicationAgreement
from teams.models import Membership

# Escalation steps the page offers; the API takes up to services.MAX_STEPS.
FORM_STEPS = 3


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    first_contact = forms.ChoiceField(label=_("Who is called first"), required=False)
    channel = forms.ChoiceField(label=_("How"), choices=CommunicationAgreement.Channel.choices)
    line_24_7 = forms.ChoiceField(
        label=_("24/7 line"),
        required=False,
        help_text=_("Only members who gave a 24/7 number under their reachability are offered."),
    )
    remarks = forms.CharField(
        label=_("Other agreements"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.public_id): m for m in members}
        everyone = [("", _("nobody chosen"))] + [
            (key, f"{m.user} ({m.profile_label})") for key, m in self.memberships.items()
        ]
        cast(forms.ChoiceField, self.fields["first_contact"]).choices = everyone
        cast(forms.ChoiceField, self.fields["line_24_7"]).choices = [("", _("no 24/7 line"))] + [
            (key, f"{m.user} ({m.profile_label})") for key, m in self.memberships.items() if m.phone_24_7
        ]
        for number in range(1, FORM_STEPS + 1):
            self.fields[f"step{number}_minutes"] = forms.IntegerField(
                label=_("Step %(n)d: no answer within (minutes)") % {"n": number},
                required=False,
                min_value=1,
                max_value=24 * 60,
            )
            member = forms.ChoiceField(label=_("Step %(n)d: then call") % {"n": number}, required=False)
            member.choices = everyone
            self.fields[f"step{number}_member"] = member

    def steps(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The escalation fields, step by step, for the template."""
        return [(self[f"step{n}_minutes"], self[f"step{n}_member"]) for n in range(1, FORM_STEPS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, FORM_STEPS + 1):
            minutes, member = data.get(f"step{number}_minutes"), data.get(f"step{number}_member")
            if bool(minutes) != bool(member):
                self.add_error(
                    f"step{number}_member",
                    _("Give both how long to wait and whom to call next, or leave both empty."),
                )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        steps = [
            Step(self.memberships[data[f"step{n}_member"]], data[f"step{n}_minutes"])
            for n in range(1, FORM_STEPS + 1)
            if data.get(f"step{n}_member") and data.get(f"step{n}_minutes")
        ]
        return {
            "version": data["version"],
            "channel": data["channel"],
            "first_contact": self.memberships.get(data.get("first_contact") or ""),
            "line_24_7": self.memberships.get(data.get("line_24_7") or ""),
            "escalation": steps,
            "remarks": data.get("remarks") or "",
        }

    @classmethod
    def initial_for(cls, agreement: CommunicationAgreement | None) -> dict[str, Any]:
        if agreement is None:
            return {"version": 0, "channel": CommunicationAgreement.Channel.PHONE}
        initial: dict[str, Any] = {
            "version": agreement.version,
            "channel": agreement.channel,
            "first_contact": str(agreement.first_contact.public_id) if agreement.first_contact else "",
            "line_24_7": str(agreement.line_24_7.public_id) if agreement.line_24_7 else "",
            "remarks": agreement.remarks,
        }
        for number, step in enumerate(agreement.escalation[:FORM_STEPS], start=1):
            initial[f"step{number}_minutes"] = step.get("after_minutes")
            initial[f"step{number}_member"] = step.get("member")
        return initial
