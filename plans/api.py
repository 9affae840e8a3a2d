"""The plans API: the same queries and services as the pages (OpenAPI at /api/docs)."""

from ninja import Router

from plans.gas.api import router as gas_router

router = Router(tags=["plans"])
router.add_router("", gas_router)  # Goal Attainment Scaling
