"""The one NinjaAPI. Routers live in each app's api.py; errors map here once:
a refusal of the gate (Refused) -> 404 or 403 as its decision says, ValidationError -> 422,
Conflict -> 412."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from access.gate import Refused
from accounts.api_auth import SessionAuth, TokenAuth
from core.errors import Conflict

api = NinjaAPI(
    title="Schakel API",
    version="1",
    description="Care coordination for a Belgian care zone. Every call acts as the authenticated user; "
    "the access gate and the audit apply as in the pages.",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
)


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, error: Conflict) -> HttpResponse:
    return api.create_response(request, {"detail": error.messages, "code": "conflict"}, status=412)


@api.exception_handler(Refused)
def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    """404 exactly as for an unknown id (django-ninja's own answer), or 403 with the sentence."""
    decision = error.decision
    if decision.status != 403:
        return api.create_response(request, {"detail": "Not Found"}, status=404)
    code = "dossier_closed" if decision.reason == "closed" else "refused"
    return api.create_response(request, {"detail": [decision.message], "code": code}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.messages, "code": getattr(error, "code", None) or "invalid"}, status=422
    )


api.add_router("/persons", "people.api.router")
api.add_router("/access", "access.api.router")
api.add_router("/persons", "audit.api.router")
api.add_router("/account", "accounts.api.router")
api.add_router("/map", "directory.api.router")
api.add_router("/teams", "teams.api.router")
api.add_router("/plans", "plans.api.router")
api.add_router("/meetings", "meetings.api.router")
api.add_router("/persons", "privacy.api.router")
