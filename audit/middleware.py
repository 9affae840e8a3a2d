from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.services import independent_writes


class IndependentAuditMiddleware:
    """Every request runs in audit.services.independent_writes(), so that a read or a refusal
    logged inside a transaction that wraps the view (ATOMIC_REQUESTS, or a view opening one) is
    committed after it, even when that transaction rolls back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with independent_writes():
            return self.get_response(request)
