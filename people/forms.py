from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.identifiers import normalise_insz
from core.models import Municipality


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
