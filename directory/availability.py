"""Availability as users see it: available now, waiting list (expected weeks), full, or unknown.

It comes from the service's HSDS 3.1 capacities. "Available now" needs places free confirmed
within DIRECTORY_AVAILABLE_NOW_DAYS: an old "3 places free" is no promise, so it reads as unknown.
Data confirmed longer ago than DIRECTORY_STALE_DAYS is flagged stale (and listed for curation).
"""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.models import Service, ServiceCapacity

AVAILABLE = "available"
WAITING_LIST = "waiting_list"
FULL = "full"
UNKNOWN = "unknown"


class Availability(NamedTuple):
    status: str  # AVAILABLE | WAITING_LIST | FULL | UNKNOWN
    waiting_weeks: int | None  # expected wait, when on a waiting list
    confirmed_at: date | None  # when the capacity (else the service) was last confirmed
    is_stale: bool


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def available_now_since(now: datetime | None = None) -> datetime:
    return _now(now) - timedelta(days=settings.DIRECTORY_AVAILABLE_NOW_DAYS)


def stale_before(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=settings.DIRECTORY_STALE_DAYS)


def status(service: Service, *, now: datetime | None = None) -> Availability:
    """The availability of one service. Uses `service.capacities.all()`, so prefetch
    "capacities" when listing many."""
    now = _now(now)
    capacities = list(service.capacities.all())
    if capacities:
        latest = max(capacity.updated for capacity in capacities)
        confirmed_at: date | None = timezone.localdate(latest)
    else:
        latest = None
        confirmed_at = service.assured_date
    is_stale = confirmed_at is None or confirmed_at < stale_before(timezone.localdate(now))
    if not capacities:
        return Availability(UNKNOWN, None, confirmed_at, is_stale)
    waits = [capacity.waiting_weeks for capacity in capacities if capacity.waiting_weeks is not None]
    waiting_weeks = min(waits) if waits else None
    if any(capacity.available > 0 for capacity in capacities):
        recent = latest is not None and latest >= available_now_since(now)
        return Availability(AVAILABLE if recent else UNKNOWN, None, confirmed_at, is_stale)
    if waiting_weeks is not None:
        return Availability(WAITING_LIST, waiting_weeks, confirmed_at, is_stale)
    return Availability(FULL, None, confirmed_at, is_stale)


def available_now_q(now: datetime | None = None) -> Q:
    """Filter for services with places free, confirmed recently ("available now")."""
    fresh = ServiceCapacity.objects.filter(
        service=OuterRef("pk"), available__gt=0, updated__gte=available_now_since(now)
    )
    return Q(Exists(fresh))


def stale_q(today: date | None = None) -> Q:
    """Filter for services to re-confirm: not confirmed within DIRECTORY_STALE_DAYS, or with a
    capacity whose latest update is older than that."""
    threshold = stale_before(today)
    since = timezone.make_aware(datetime.combine(threshold, datetime.min.time()))
    has_capacity = ServiceCapacity.objects.filter(service=OuterRef("pk"))
    fresh_capacity = has_capacity.filter(updated__gte=since)
    return (
        Q(assured_date__isnull=True)
        | Q(assured_date__lt=threshold)
        | (Q(Exists(has_capacity)) & ~Q(Exists(fresh_capacity)))
    )
