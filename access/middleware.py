from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.gate import Refused


class RefusalMiddleware:
    """Answers a refusal of the gate as its decision says. A 404 is left to Django (Refused is an
    Http404), so it is the very page an unknown id gets; a 403 shows the decision's sentence
    (a write to a closed dossier, a rule refused to someone who knows the dossier)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Refused) or exception.decision.status != 403:
            return None
        person_id = request.resolver_match.kwargs.get("person_id") if request.resolver_match else None
        context = {"decision": exception.decision, "person_id": person_id}
        return render(request, "access/refused.html", context, status=403)
