"""Fixtures for the people tests: English as the language read, and a record registered without
INSZ that the GP coordinates."""

import pytest
from django.test import Client
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.vocab import Profile
from people.tests.factories import PersonFactory, consent_for, join_team


# The tests read English, so that the Dutch and French catalogues, once filled in, do not change
# what the assertions compare (the root fixtures' users read Dutch).
@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def in_english(user):  # type: ignore[no-untyped-def]
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def gp(gp):  # type: ignore[no-untyped-def]
    return in_english(gp)


@pytest.fixture
def nurse(nurse):  # type: ignore[no-untyped-def]
    return in_english(nurse)


@pytest.fixture
def alias(gp, nurse):  # type: ignore[no-untyped-def]
    """ "Jef", found sleeping rough and registered without INSZ; the same GP coordinates, the nurse
    is on the team too."""
    record = PersonFactory(insz=None, given_name="Jef", family_name="Onbekend", registered_by=gp)
    join_team(record, gp, is_coordinator=True)
    join_team(record, nurse)
    consent_for(record, recorded_by=gp)
    return record


@pytest.fixture
def pharmacist(pharmacist):  # type: ignore[no-untyped-def]
    return in_english(pharmacist)


@pytest.fixture
def caregiver(caregiver):  # type: ignore[no-untyped-def]
    return in_english(caregiver)


@pytest.fixture
def person_user(person_user):  # type: ignore[no-untyped-def]
    return in_english(person_user)


@pytest.fixture
def neighbour(person):  # type: ignore[no-untyped-def]
    """Karim, the neighbour on Jozef's team: the matrix lets him see identity and team only."""
    user = in_english(UserFactory(profile=Profile.NEIGHBOUR, full_name="Karim El Amrani"))
    join_team(person, user)
    return user
