"""Per-request context that deep layers need without passing the request around."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")
