"""Fixtures for the closing, retention and purge tests: English as the language read, the zone
staff, a representative and a mandate holder, and the shipped retention rules loaded."""

import pytest
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.vocab import Profile
from people.tests.conftest import in_english
from privacy.models import RetentionRule


@pytest.fixture(autouse=True)
def _english_for_privacy():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def rules(db):  # type: ignore[no-untyped-def]
    from privacy import retention

    retention.load(retention.read_file())
    return {rule.kind: rule for rule in RetentionRule.objects.all()}


@pytest.fixture
def zone_admin(db):  # type: ignore[no-untyped-def]
    return in_english(UserFactory(profile=Profile.ZONE_ADMIN, full_name="Zone Admin"))


@pytest.fixture
def dpo(db):  # type: ignore[no-untyped-def]
    return in_english(UserFactory(profile=Profile.DPO, full_name="Data Protection Officer"))


# The root fixtures' users read Dutch; the pages here are compared in English.
@pytest.fixture
def gp(gp):  # type: ignore[no-untyped-def]
    return in_english(gp)


@pytest.fixture
def nurse(nurse):  # type: ignore[no-untyped-def]
    return in_english(nurse)


@pytest.fixture
def caregiver(caregiver):  # type: ignore[no-untyped-def]
    return in_english(caregiver)


@pytest.fixture
def person_user(person_user):  # type: ignore[no-untyped-def]
    return in_english(person_user)
