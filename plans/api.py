"""The plans API: the same queries and services as the pages (OpenAPI at /api/docs)."""

from ninja import Router

from plans.help.api import router as help_router
from plans.inbox.api import router as inbox_router

router = Router(tags=["plans"])
router.add_router("", inbox_router)
router.add_router("", help_router)
