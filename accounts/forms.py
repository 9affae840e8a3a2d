from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].lower()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("nl", "Nederlands"), ("fr", "Français"), ("en", "English")])
    next = forms.CharField(required=False)
