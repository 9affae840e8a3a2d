import functools
from typing import Any, cast

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.identifiers import normalise_insz
from core.models import Municipality
from people import sections
from people.models import MedicationProblem, SectionRecord
from people.presenters import PHONE_FIELDS


class RegisterPersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    insz = forms.CharField(
        label=_("INSZ/NISS number"),
        max_length=20,
        required=False,
        help_text=_("Leave empty if the person has none or it is not known yet; a local id is given."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all(), required=False)

    def clean_insz(self) -> str:
        value = self.cleaned_data["insz"].strip()
        if not value:
            return ""
        try:
            return normalise_insz(value)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="invalid_insz") from error


class MergeForm(forms.Form):
    insz = forms.CharField(
        label=_("INSZ/NISS number of the record to merge into"),
        max_length=20,
        help_text=_("The exact number: the record with this INSZ keeps everything, this record becomes an alias."),
    )

    def clean_insz(self) -> str:
        try:
            return normalise_insz(self.cleaned_data["insz"].strip())
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="invalid_insz") from error


class DuplicateReviewForm(forms.Form):
    """The coordinator's answer to a record registered with the person's INSZ: the button pressed."""

    MERGE = "merge"
    DISMISS = "dismiss"
    record = forms.UUIDField()
    decision = forms.ChoiceField(choices=[(MERGE, MERGE), (DISMISS, DISMISS)])


# ── Dossier sections ─────────────────────────────────────────────────────────────────────────


class PhoneField(forms.CharField):
    """A phone number as people write it (0470 12 34 56, +33 1 ...), stored in E.164. Numbers
    without a country code are read as Belgian."""

    default_error_messages = {
        "invalid_phone": _("Enter a valid phone number, e.g. 0470 12 34 56 or +32 470 12 34 56."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "BE")
        except phonenumbers.NumberParseException as error:
            raise forms.ValidationError(self.error_messages["invalid_phone"], code="invalid_phone") from error
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(self.error_messages["invalid_phone"], code="invalid_phone")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def prepare_value(self, value: Any) -> Any:
        # Show a stored E.164 number as people write it.
        if isinstance(value, str) and value.startswith("+"):
            try:
                number = phonenumbers.parse(value, None)
            except phonenumbers.NumberParseException:
                return value
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return value


class SectionForm(forms.ModelForm[SectionRecord]):
    """The fields of one section, plus the entry and the version the user read. Never saves:
    the view hands cleaned_data to people.services."""

    kind: sections.SectionKind
    item = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (self.kind.singleton or data.get("item")) and data.get("version") is None:
            raise forms.ValidationError(
                _("The form lost the version you read. Reload the page and make your change again."),
                code="no_version",
            )
        return data

    def _post_clean(self) -> None:
        # The same checks as the services make under the lock (field validators, the model's
        # clean()), so that bad input is reported on its field before anything is tried. The
        # one-per-person rule is the database's: a second first save becomes a Conflict.
        if self.errors:
            return
        entry = self.kind.model(**{name: self.cleaned_data[name] for name in self.kind.fields})
        try:
            entry.full_clean(exclude=["person", "updated_by"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]  # Django's own _post_clean does so; not in the stubs

    def section_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.kind.fields}


def _widget(field: models.Field[Any, Any]) -> forms.Widget | None:
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(field, models.TimeField):
        return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    if isinstance(field, models.TextField):
        return forms.Textarea(attrs={"rows": 5})
    return None


@functools.cache
def section_form(code: str) -> type[SectionForm]:
    """The form class of a section, built from its model fields (labels, choices, limits)."""
    kind = sections.kind(code)
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {}
    for name in kind.fields:
        widget = _widget(kind.model._meta.get_field(name))  # type: ignore[arg-type]  # a section's fields are concrete fields
        if widget is not None:
            widgets[name] = widget
    field_classes = {name: PhoneField for name in kind.fields if name in PHONE_FIELDS}
    form = cast(
        type[SectionForm],
        forms.modelform_factory(
            kind.model, form=SectionForm, fields=list(kind.fields), widgets=widgets, field_classes=field_classes
        ),
    )
    form.kind = kind
    return form


class RemoveEntryForm(forms.Form):
    item = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StopMedicationForm(forms.Form):
    """Stopping a medication line: the date (today unless said) and why."""

    item = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    stopped_on = forms.DateField(
        label=_("Stopped on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Why is it stopped?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: replaced by another medicine, side effects, the course is finished."),
    )


class ReportProblemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of problem"), choices=MedicationProblem.Kind.choices)
    medication = forms.CharField(label=_("Which medication (if known)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What happened"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The pharmacist and the GP of the care team are told at once."),
    )


class HandleProblemForm(forms.Form):
    item = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label=_("How it was handled"), max_length=500, required=False)
