"""Fixtures for the team tests: English as the language read, clients for each role, and a
neighbour with an account who is not on the team yet.

The tests read English: the root fixtures' users (who read Dutch) are switched to English here,
so that the Dutch and French catalogues, once filled in, do not change what the assertions compare.
"""

import pytest
from django.test import Client
from django.utils import translation

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
def neighbour(db):  # type: ignore[no-untyped-def]
    """Karim, Jozef's neighbour, who has a Schakel account but is not on the team yet."""
    return UserFactory(profile=Profile.NEIGHBOUR, full_name="Karim El Amrani", language="en", email="karim@example.org")


@pytest.fixture
def physio(db):  # type: ignore[no-untyped-def]
    """A physiotherapist with an account, not on the team yet."""
    return UserFactory(
        profile=Profile.PHYSIOTHERAPIST, full_name="Thomas Willems", language="en", email="thomas@example.org"
    )


@pytest.fixture
def gp_client(gp):  # type: ignore[no-untyped-def]
    return client_for(gp)


@pytest.fixture
def nurse_client(nurse):  # type: ignore[no-untyped-def]
    return client_for(nurse)


@pytest.fixture
def caregiver_client(caregiver):  # type: ignore[no-untyped-def]
    return client_for(caregiver)


@pytest.fixture
def person_client(person_user):  # type: ignore[no-untyped-def]
    return client_for(person_user)
