"""Input for the curation pages; parsing and field checks only (services write)."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import CareZone, Municipality
from directory.models import Service

LANGUAGE_CHOICES = [("nl", _("Dutch")), ("fr", _("French"))]
MODE_CHOICES = [
    ("merge", _("Add to and update the directory (records not in the file stay)")),
    ("replace", _("Replace the directory with the file")),
]
FILTER_CHOICES = [("all", _("All services")), ("stale", _("To confirm (stale)")), ("incomplete", _("Incomplete"))]


class ServiceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=300, required=False)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=300, required=False)
    description_nl = forms.CharField(
        label=_("What it is (Dutch)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_fr = forms.CharField(
        label=_("What it is (French)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    eligibility_description_nl = forms.CharField(
        label=_("For whom (Dutch)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    eligibility_description_fr = forms.CharField(
        label=_("For whom (French)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minimum_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=150, required=False)
    maximum_age = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=150, required=False)
    application_process_nl = forms.CharField(
        label=_("How to apply (Dutch)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    application_process_fr = forms.CharField(
        label=_("How to apply (French)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    fees_description_nl = forms.CharField(
        label=_("Cost (Dutch)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    fees_description_fr = forms.CharField(
        label=_("Cost (French)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=Service.Status.choices)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Telephone (public)"), max_length=40, required=False)
    alert = forms.CharField(label=_("Notice"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities served"), queryset=Municipality.objects.all(), required=False
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("Care zones served"), queryset=CareZone.objects.all(), required=False
    )


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AvailabilityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    available = forms.DecimalField(label=_("Places free now"), min_value=0, max_digits=10, decimal_places=2)
    maximum = forms.DecimalField(
        label=_("Maximum places"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    waiting_weeks = forms.IntegerField(label=_("Expected wait (weeks)"), min_value=0, max_value=520, required=False)


def _size_limit() -> str:
    # Formatted when the page is drawn: "%" on a lazy string would fix it in the language active
    # at start-up, so a French curator read "Maximaal 200 MB.".
    return gettext("At most %(mb)s MB.") % {"mb": settings.DIRECTORY_IMPORT_MAX_BYTES // 1_048_576}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file (.json, or a .zip data package)"),
        help_text=lazy(_size_limit, str)(),
    )
    language = forms.ChoiceField(label=_("Language of the text in the file"), choices=LANGUAGE_CHOICES)
    mode = forms.ChoiceField(label=_("What to do"), choices=MODE_CHOICES, initial="merge", widget=forms.RadioSelect)
    skip_invalid = forms.BooleanField(label=_("Publish the valid records even if some are rejected"), required=False)
