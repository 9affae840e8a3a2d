"""Fixtures for the people tests: English as the language read, and a record registered without
INSZ that the GP coordinates."""

import pytest

from accounts.tests.factories import UserFactory
from conftest import in_english
from core.vocab import Profile
from people.tests.factories import PersonFactory, consent_for, join_team


@pytest.fixture
def reading_language() -> str:
    return "en"


@pytest.fixture
def alias(gp, nurse):
    """ "Jef", found sleeping rough and registered without INSZ; the same GP coordinates, the nurse
    is on the team too."""
    record = PersonFactory(insz=None, given_name="Jef", family_name="Onbekend", registered_by=gp)
    join_team(record, gp, is_coordinator=True)
    join_team(record, nurse)
    consent_for(record, recorded_by=gp)
    return record


@pytest.fixture
def neighbour(person):
    """Karim, the neighbour on Jozef's team: the matrix lets him see identity and team only."""
    user = in_english(UserFactory(profile=Profile.NEIGHBOUR, full_name="Karim El Amrani"))
    join_team(person, user)
    return user
