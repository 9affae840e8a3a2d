"""API authentication: a browser session (with CSRF) or a per-user revocable bearer token.
Either way the request acts as that user, and the gate and audit apply."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            row = ApiToken.objects.select_related("user").get(key_hash=ApiToken.hash_key(token), revoked_at=None)
        except ApiToken.DoesNotExist:
            return None
        if not row.user.is_active:
            return None
        # Write last use at most once a minute, so the read path stays cheap.
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """Django's session cookie; ninja checks CSRF for unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if settings.SCHAKEL_REQUIRE_2FA and user.is_professional and not user.is_verified():
            return None
        return user
