from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Organisation
from core.vocab import PRIVATE_PROFILES, Profile

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].lower()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES)
    next = forms.CharField(required=False)


class LocalisedPasswordResetForm(PasswordResetForm):
    """The reset e-mail is written in the language kept on the account, not the requester's, and
    sent by the background worker (the page answers the same whether or not an account exists).
    Only the account's id is queued: the task makes the link's uid and token as it sends, so the
    tasks table never holds a working reset link."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        try:
            services.send_password_reset_mail_task.enqueue(
                user_id=context["user"].pk,
                subject_template=subject_template_name,
                body_template=email_template_name,
                domain=context["domain"],
                site_name=context["site_name"],
                protocol=context["protocol"],
            )
        except Exception:
            # As Django does: a failure must not tell who has an account (the worker sends; this only queues).
            services.log.exception("Failed to queue the password reset e-mail to user %s", context["user"].pk)


class InvitationForm(forms.Form):
    """Parses the zone admin's invitation; the rules (RIZIV/INAMI, KBO/BCE, ...) are in the service."""

    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    profile = forms.ChoiceField(label=_("Profile"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        to_field_name="public_id",
        empty_label=_("(a new organisation, below)"),
    )
    new_organisation_name = forms.CharField(
        label=_("Or the name of a new organisation"), max_length=200, required=False
    )
    new_organisation_kbo = forms.CharField(
        label=_("KBO/BCE number of the new organisation (optional)"), max_length=20, required=False
    )
    riziv_number = forms.CharField(
        label=_("RIZIV/INAMI number"),
        max_length=20,
        required=False,
        help_text=_(
            "11 digits, for example 1-23456-78-901. Required for doctors, nurses, pharmacists and physiotherapists."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the invitation and the account"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["profile"]).choices = [
            (value, label) for value, label in Profile.choices if value not in PRIVATE_PROFILES
        ]
        self.fields["language"].initial = settings.LANGUAGE_CODE


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("Say where it is used, for example: practice software."),
    )
