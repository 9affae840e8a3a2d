"""Availability shown to users, with a frozen clock: available now within
DIRECTORY_AVAILABLE_NOW_DAYS, waiting list, full, unknown; stale after DIRECTORY_STALE_DAYS."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import timezone

from directory import availability
from directory.models import Service, ServiceCapacity, Unit
from directory.tests.factories import ServiceFactory

NOW = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def service(db):
    return ServiceFactory(hsds_id="s1", name_nl="Poetsdienst", assured_date=date(2025, 5, 1))


def capacity(service, *, available, days_ago, maximum=10, waiting_weeks=None):
    unit, _ = Unit.objects.get_or_create(dataset=service.dataset, hsds_id="u1", defaults={"name": "places"})
    return ServiceCapacity.objects.create(
        dataset=service.dataset,
        hsds_id=f"c{ServiceCapacity.objects.count()}",
        service=service,
        unit=unit,
        available=Decimal(available),
        maximum=maximum,
        waiting_weeks=waiting_weeks,
        updated=NOW - timedelta(days=days_ago),
    )


def test_places_confirmed_within_the_window_are_available_now(service):
    capacity(service, available=3, days_ago=14)
    assert availability.status(service, now=NOW) == ("available", None, date(2025, 5, 18), False)


def test_places_confirmed_longer_ago_are_unknown(service):
    capacity(service, available=3, days_ago=15)
    assert availability.status(service, now=NOW) == ("unknown", None, date(2025, 5, 17), False)


@override_settings(DIRECTORY_AVAILABLE_NOW_DAYS=30)
def test_the_window_is_a_setting(service):
    capacity(service, available=3, days_ago=20)
    assert availability.status(service, now=NOW).status == "available"


def test_no_places_with_a_wait_is_a_waiting_list(service):
    capacity(service, available=0, days_ago=40, waiting_weeks=6)
    assert availability.status(service, now=NOW) == ("waiting_list", 6, date(2025, 4, 22), False)


def test_no_places_and_no_wait_is_full(service):
    capacity(service, available=0, days_ago=1)
    assert availability.status(service, now=NOW) == ("full", None, date(2025, 5, 31), False)


def test_no_capacity_is_unknown_and_dated_by_the_confirmation(service):
    assert availability.status(service, now=NOW) == ("unknown", None, date(2025, 5, 1), False)


def test_stale_after_the_stale_days(service):
    capacity(service, available=0, days_ago=91, waiting_weeks=2)
    assert availability.status(service, now=NOW).is_stale is True
    ServiceCapacity.objects.update(updated=NOW - timedelta(days=90))
    assert availability.status(service, now=NOW).is_stale is False


def test_a_service_never_confirmed_is_stale(service):
    service.assured_date = None
    assert availability.status(service, now=NOW) == ("unknown", None, None, True)


def test_the_clock_comes_from_timezone_now(service):
    capacity(service, available=2, days_ago=0)
    with mock.patch.object(timezone, "now", return_value=NOW + timedelta(days=15)):
        assert availability.status(service).status == "unknown"
    with mock.patch.object(timezone, "now", return_value=NOW + timedelta(days=14)):
        assert availability.status(service).status == "available"


def test_available_now_filter_matches_the_status(service):
    other = ServiceFactory(hsds_id="s2", name_nl="Maaltijden")
    capacity(service, available=1, days_ago=3)
    capacity(other, available=1, days_ago=30)
    found = Service.objects.filter(availability.available_now_q(NOW))
    assert list(found.values_list("hsds_id", flat=True)) == ["s1"]


def test_stale_filter(service):
    fresh = ServiceFactory(hsds_id="fresh", assured_date=date(2025, 5, 30))
    old_capacity = ServiceFactory(hsds_id="oldcap", assured_date=date(2025, 5, 30))
    capacity(old_capacity, available=0, days_ago=200)
    ServiceFactory(hsds_id="never")
    ServiceFactory(hsds_id="old", assured_date=date(2025, 1, 1))
    stale = Service.objects.filter(availability.stale_q(date(2025, 6, 1))).order_by("hsds_id")
    assert list(stale.values_list("hsds_id", flat=True)) == ["never", "old", "oldcap"]
    assert fresh.hsds_id not in stale.values_list("hsds_id", flat=True)
