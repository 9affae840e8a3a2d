from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.gate import DossierClosed


def _closed(error: BaseException | None) -> DossierClosed | None:
    """The DossierClosed behind an exception: pages turn a refused write into PermissionDenied
    ("raise ... from error"), so look down the chain."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, DossierClosed):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


class DossierClosedMiddleware:
    """A write refused because the dossier is closed gets a 403 page that says so, instead of the
    generic refusal. Only someone who could otherwise write is told (access.gate)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        closed = _closed(exception)
        if closed is None:
            return None
        person_id = request.resolver_match.kwargs.get("person_id") if request.resolver_match else None
        return render(
            request, "privacy/dossier_closed.html", {"message": str(closed), "person_id": person_id}, status=403
        )
