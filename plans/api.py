"""The plans API: the same queries and services as the pages (OpenAPI at /api/docs)."""

from ninja import Router

from plans.agreements.api import router as agreements_router
from plans.reviews.api import router as reviews_router
from plans.signals.api import router as signals_router

router = Router(tags=["plans"])
# Issue 12: reviews, early signals and communication agreements, each slice its own router.
router.add_router("", reviews_router)
router.add_router("", signals_router)
router.add_router("", agreements_router)
