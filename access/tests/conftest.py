"""Fixtures for the access app's tests: a legal representative, a zone admin, and clients.

The tests read English: the root fixtures' users (who read Dutch) are switched to English here,
and English is active around each test, so that the Dutch and French catalogues, once filled in,
do not change what the assertions compare.
"""

import pytest
from django.test import Client
from django.utils import translation

from access.models import Representation
from accounts.tests.factories import UserFactory
from core.vocab import Profile


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def _in_english(user):  # type: ignore[no-untyped-def]
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def gp(gp):  # type: ignore[no-untyped-def]
    return _in_english(gp)


@pytest.fixture
def nurse(nurse):  # type: ignore[no-untyped-def]
    return _in_english(nurse)


@pytest.fixture
def pharmacist(pharmacist):  # type: ignore[no-untyped-def]
    return _in_english(pharmacist)


@pytest.fixture
def caregiver(caregiver):  # type: ignore[no-untyped-def]
    return _in_english(caregiver)


@pytest.fixture
def outsider(outsider):  # type: ignore[no-untyped-def]
    return _in_english(outsider)


@pytest.fixture
def person_user(person_user):  # type: ignore[no-untyped-def]
    return _in_english(person_user)


@pytest.fixture
def representative(person, gp):  # type: ignore[no-untyped-def]
    """Jozef's court-appointed administrator."""
    user = UserFactory(profile=Profile.REPRESENTATIVE, full_name="Meester Els Goossens", language="en")
    Representation.objects.create(
        person=person, representative=user, legal_ground="Vrederechter Leuven, 2025", recorded_by=gp
    )
    return user


@pytest.fixture
def zone_admin(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.ZONE_ADMIN, full_name="Karin Zonebeheer", language="en")


@pytest.fixture
def nurse_client(nurse):  # type: ignore[no-untyped-def]
    return client_for(nurse)


@pytest.fixture
def zone_admin_client(zone_admin):  # type: ignore[no-untyped-def]
    return client_for(zone_admin)
