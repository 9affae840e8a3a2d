import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core import context, memo


class RequestIdMiddleware:
    """Give every request an id (or keep a valid X-Request-ID), so audit rows of one request
    can be found together; and open the request's memo for the gate (core.memo)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        try:
            request_id = str(uuid.UUID(incoming))
        except ValueError:
            request_id = str(uuid.uuid4())
        token = context.request_id.set(request_id)
        try:
            with memo.request_memo():
                response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Person data must never sit in a shared or browser cache: every answer that is not a
    public page or a static file gets `Cache-Control: no-store`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "route_scope", None) != "public":
            response["Cache-Control"] = "no-store, private"
        return response

    def process_view(self, request: HttpRequest, view_func: Callable[..., object], *args: object) -> None:
        request.route_scope = getattr(view_func, "route_scope", None)  # type: ignore[attr-defined]  # our mark on the request
