import uuid
from typing import cast

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import presenters, queries, services
from accounts.forms import (
    EmailAuthenticationForm,
    InvitationForm,
    LanguageForm,
    LocalisedPasswordResetForm,
    SecondFactorForm,
    TokenForm,
)
from core.requests import AuthenticatedHttpRequest
from schakel.routes import own_account_route, public_route


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return default
    return next_url


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]  # form_class is this form
        response = super().form_valid(form)
        user = form.get_user()
        # Kept, so that deactivating the account can end this session at once.
        services.record_login(user, cast(str, self.request.session.session_key))  # login() has cycled the key
        # Pages follow the language kept on the account from now on.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax", secure=self.request.is_secure()
        )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        services.forget_session(request.session.session_key)
        return super().post(request, *args, **kwargs)


login_view = public_route("GET", "POST")(LoginView.as_view())
logout_view = own_account_route("POST")(LogoutView.as_view())
password_reset = public_route("GET", "POST")(
    auth_views.PasswordResetView.as_view(
        form_class=LocalisedPasswordResetForm,
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url="/account/password-reset/sent/",
    )
)
password_reset_done = public_route()(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public_route("GET", "POST")(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html", success_url="/account/password-reset/complete/"
    )
)
password_reset_complete = public_route()(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)


@public_route("POST")
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a logged-in user keeps the choice on their account."""
    form = LanguageForm(request.POST)
    response = HttpResponseRedirect(_safe_next(request))
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.set_language(request.user, language)
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", secure=request.is_secure())
    return response


@own_account_route()
@login_required
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "has_second_factor": queries.has_second_factor(request.user),
        "is_zone_admin": queries.is_zone_admin(request.user),
    }
    return render(request, "accounts/settings.html", context)


# --- Invitations (zone admin) -------------------------------------------------------------------


@own_account_route()
@login_required
def invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = queries.invitations_for(request.user, request.GET.get("page"))
    return render(request, "accounts/invitations.html", {"page": page})


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    queries.require_zone_admin(request.user)
    form = InvitationForm(request.POST or None)
    if form.is_valid():
        try:
            invitation = services.invite_professional(
                request.user,
                site_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation is on its way to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitations")
    return render(request, "accounts/invite.html", {"form": form})


@public_route("GET", "POST")
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        status = 404 if error.code == "unknown" else 410
        return render(request, "accounts/invitation_accept.html", {"problem": error.messages[0]}, status=status)
    form = SetPasswordForm(services.account_for_invitation(invitation), request.POST or None)
    if form.is_valid():
        try:
            services.accept_invitation(token, form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your account is ready. Log in with your e-mail address and new password."))
            return redirect("accounts:login")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


# --- Accounts (zone admin) ----------------------------------------------------------------------


@own_account_route()
@login_required
def users(request: AuthenticatedHttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = queries.accounts_for(request.user, search, request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "search": search})


def _change_account(request: AuthenticatedHttpRequest, user_id: uuid.UUID, deactivate: bool) -> HttpResponse:
    account = queries.get_account(request.user, user_id)
    try:
        if deactivate:
            services.deactivate_account(request.user, account)
            messages.success(request, _("%(name)s can no longer log in.") % {"name": account})
        else:
            services.reactivate_account(request.user, account)
            messages.success(request, _("%(name)s can log in again.") % {"name": account})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("accounts:users")


@own_account_route("POST")
@login_required
@require_POST
def deactivate_user(request: AuthenticatedHttpRequest, user_id: uuid.UUID) -> HttpResponse:
    return _change_account(request, user_id, deactivate=True)


@own_account_route("POST")
@login_required
@require_POST
def reactivate_user(request: AuthenticatedHttpRequest, user_id: uuid.UUID) -> HttpResponse:
    return _change_account(request, user_id, deactivate=False)


@own_account_route("POST")
@login_required
@require_POST
def reset_user_second_factor(request: AuthenticatedHttpRequest, user_id: uuid.UUID) -> HttpResponse:
    account = queries.get_account(request.user, user_id)
    services.reset_second_factor(request.user, account)
    messages.success(
        request, _("%(name)s will have to set up a new authenticator app at the next log-in.") % {"name": account}
    )
    return redirect("accounts:users")


# --- Second factor ------------------------------------------------------------------------------


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enter the code from the authenticator app (SecondFactorMiddleware sends people here)."""
    next_url = _safe_next(request)
    if request.user.is_verified():  # type: ignore[attr-defined]  # django-otp's middleware adds it
        return redirect(next_url)
    if not queries.has_second_factor(request.user):
        return redirect(reverse("accounts:second-factor-setup") + "?" + urlencode({"next": next_url}))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.verify_second_factor(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            django_otp.login(request, device)
            return redirect(next_url)
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code (or type the secret), then confirm with a code."""
    next_url = _safe_next(request, reverse("accounts:settings"))
    # Replacing a working app needs that app first, or a stolen password would be enough.
    if queries.has_second_factor(request.user) and not request.user.is_verified():  # type: ignore[attr-defined]  # django-otp's middleware adds it
        return redirect(reverse("accounts:second-factor") + "?" + urlencode({"next": request.get_full_path()}))
    device = services.pending_totp_device(request.user)
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.confirm_totp_device(request.user, device, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            django_otp.login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": presenters.totp_qr_svg(device, title=_("QR code to scan with your authenticator app")),
        "secret": presenters.totp_secret(device),
    }
    return render(request, "accounts/second_factor_setup.html", context)


# --- API tokens ---------------------------------------------------------------------------------


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create (the key is shown on this answer only), list and revoke the user's API tokens."""
    form = TokenForm(request.POST or None)
    new_key = None
    if form.is_valid():
        try:
            _token, new_key = services.create_token(request.user, form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {"form": form, "new_key": new_key, "tokens": queries.tokens_for(request.user)}
    return render(request, "accounts/tokens.html", context)


@own_account_route("POST")
@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = services.revoke_token(request.user, token_id)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
