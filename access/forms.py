"""Input parsing for the access pages. Forms check fields; services decide and write."""

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.identifiers import normalise_riziv
from core.vocab import Category, Level


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class RecordConsentForm(forms.Form):
    """For a professional recording the consent the person (or representative) expressed."""

    given_by = forms.ChoiceField(
        label=_("Who expressed the consent?"),
        choices=[("person", _("the person")), ("representative", _("their legal representative"))],
        widget=forms.RadioSelect,
    )
    confirmed = forms.BooleanField(
        label=_("They told me they agree that their care team shares their data in Schakel."), required=True
    )


class ExcludeForm(forms.Form):
    user = forms.ChoiceField(label=_("Someone around the person"), required=False)
    riziv_number = forms.CharField(label=_("Or a professional's RIZIV/INAMI number"), required=False, max_length=20)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["user"]).choices = [("", "—"), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, riziv = data.get("user"), (data.get("riziv_number") or "").strip()
        if bool(user) == bool(riziv):
            raise forms.ValidationError(
                _("Choose someone from the list, or give a RIZIV/INAMI number."), code="choose_one"
            )
        if riziv:
            number = normalise_riziv(riziv).number
            found = User.objects.filter(riziv_number=number).first()
            if found is None:
                raise forms.ValidationError(
                    _("No one with this RIZIV/INAMI number uses Schakel."), code="unknown_riziv"
                )
            data["user"] = str(found.public_id)
        return data


class UserForm(forms.Form):
    """Names one user by their public id (lifting an exclusion, revoking a mandate)."""

    user = forms.UUIDField(widget=forms.HiddenInput)


class GrantMandateForm(forms.Form):
    holder = forms.ChoiceField(label=_("Who may act for the person?"))
    categories = forms.MultipleChoiceField(
        label=_("For which information?"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to start today."),
    )
    until = forms.DateField(
        label=_("Until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for no end date: the mandate lasts until it is revoked."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["holder"]).choices = [("", "—"), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("The mandate must end after it starts."), code="period_order")
        # A mandate from today starts now; one from a later day at the start of that day. It runs
        # to the end of its last day.
        data["since_at"] = _start_of(since) if since and since > timezone.localdate() else None
        data["until_at"] = _start_of(until + timedelta(days=1)) if until else None
        return data


class BreakGlassForm(forms.Form):
    insz = forms.CharField(
        label=_("INSZ/NISS of the person"),
        max_length=20,
        help_text=_("The exact number, from the eID or the eHealth services; no search by name."),
    )
    # Checked by the service, not here, so that an attempt without a reason is logged too, in the
    # person's log when the INSZ is theirs (access.services.break_glass).
    reason = forms.CharField(
        label=_("Why do you need emergency access?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
        help_text=_("At least 10 characters. The person and their care coordinator will read it."),
    )


class CellForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExplainAboutForm(forms.Form):
    about = forms.ChoiceField(label=_("Explain for"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["about"]).choices = [("", _("me")), *choices]
