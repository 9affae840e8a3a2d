"""Request types for the type checker: what authentication guarantees about a request.

A page behind ``@login_required`` sees a logged-in account in ``request.user``; an API operation
behind the NinjaAPI's authentication (accounts.api_auth) finds that account in ``request.auth``.
Django's ``HttpRequest`` types the one as ``User | AnonymousUser`` and lacks the other.

In core, below every app, so that any app's pages may use them: the account model is named for
the type checker only (the annotations are never evaluated at run time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a page behind ``@login_required``."""

    user: User
    htmx: HtmxDetails  # django-htmx's middleware, on every request


class ApiRequest(HttpRequest):
    """A request to an operation of the authenticated API: ``request.auth`` is the acting user."""

    auth: User
    user: User
