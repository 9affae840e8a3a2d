"""The meetings API: the same queries and services as the pages (OpenAPI at /api/docs)."""

from ninja import Router

router = Router(tags=["meetings"])
