"""The plans API: the same queries and services as the pages (OpenAPI at /api/docs)."""

from ninja import Router

from plans.agreements.api import router as agreements_router
from plans.gas.api import router as gas_router
from plans.help.api import router as help_router
from plans.inbox.api import router as inbox_router
from plans.reviews.api import router as reviews_router
from plans.signals.api import router as signals_router

router = Router(tags=["plans"])
router.add_router("", gas_router)  # Goal Attainment Scaling
router.add_router("", inbox_router)  # My actions
router.add_router("", help_router)  # Did it help?
router.add_router("", reviews_router)
router.add_router("", signals_router)
router.add_router("", agreements_router)
