"""Input of the public social-map pages and of the zone admin's need editor; parsing only."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.search.models import NeedTerm

SPOKEN_LANGUAGES = [
    ("", _("Any language")),
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("es", _("Spanish")),
    ("ro", _("Romanian")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), max_length=200, required=False)
    place = forms.CharField(label=_("Where? (municipality or postcode)"), max_length=100, required=False)
    spoken_language = forms.ChoiceField(label=_("Language spoken"), choices=SPOKEN_LANGUAGES, required=False)
    available_now = forms.BooleanField(label=_("Only places available now"), required=False)
    need = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(min_value=1, max_value=50, required=False, widget=forms.HiddenInput)


class NeedForm(forms.Form):
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=300, required=False)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    description_nl = forms.CharField(
        label=_("Description (Dutch)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_fr = forms.CharField(
        label=_("Description (French)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    everyday_words_nl = forms.CharField(
        label=_("Everyday words (Dutch), one a line"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    everyday_words_fr = forms.CharField(
        label=_("Everyday words (French), one a line"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    jargon = forms.CharField(
        label=_("Provider words, one a line"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_need(cls, need: NeedTerm, data: Mapping[str, Any] | None = None) -> "NeedForm":
        initial = {name: getattr(need, name) for name in cls.base_fields if name != "version"}
        initial["version"] = need.version
        return cls(data, initial=initial)
