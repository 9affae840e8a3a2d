"""What privacy contributes to the zone admin's and the DPO's home pages (core.homes): how many
dossiers are closed now. Counts only: the list itself names persons, and its reading is audited
on its own page (privacy.queries.open_closures)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max

from core import homes
from core.vocab import Profile
from privacy.models import Closure


@dataclass(frozen=True)
class ClosuresSummary:
    closed_now: int
    latest: datetime | None  # when the latest of them was closed


def closures(user: Any, params: Mapping[str, str]) -> ClosuresSummary:
    found = Closure.objects.filter(reopened_at=None).aggregate(n=Count("pk"), latest=Max("closed_at"))
    return ClosuresSummary(closed_now=found["n"], latest=found["latest"])


def register() -> None:
    homes.register_summary("closures", closures, [Profile.ZONE_ADMIN, Profile.DPO])
