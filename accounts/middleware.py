import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode


class IdleSessionMiddleware:
    """Push a session's expiry forward while it is used. Saving on every request would do the
    same at the price of a database write per page; renewing once a minute keeps idle expiry
    exact to the minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get("_renewed_at", 0) >= settings.SESSION_RENEW_SECONDS:
                session["_renewed_at"] = now  # marks the session modified: saved with a new expiry
        return response


class UserLanguageMiddleware:
    """A logged-in user reads every page in the language kept on their account."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SecondFactorMiddleware:
    """Where REQUIRE_2FA is on, a professional must pass a TOTP check before anything else."""

    # The language switch stays usable, so the 2FA pages can be read in the user's language.
    ALLOWED_PREFIXES = ("/account/2fa/", "/account/logout/", "/account/language/", "/static/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.SCHAKEL_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.is_professional
            and not user.is_verified()
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
        ):
            return redirect(reverse("accounts:second-factor") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
