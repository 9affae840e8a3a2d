"""Fixtures for the team tests: English as the language read, and a neighbour and a
physiotherapist with an account who are not on the team yet."""

import pytest

from accounts.tests.factories import UserFactory
from core.vocab import Profile


@pytest.fixture
def reading_language() -> str:
    return "en"


@pytest.fixture
def neighbour(db):
    """Karim, Jozef's neighbour, who has a Schakel account but is not on the team yet."""
    return UserFactory(profile=Profile.NEIGHBOUR, full_name="Karim El Amrani", language="en", email="karim@example.org")


@pytest.fixture
def physio(db):
    """A physiotherapist with an account, not on the team yet."""
    return UserFactory(
        profile=Profile.PHYSIOTHERAPIST, full_name="Thomas Willems", language="en", email="thomas@example.org"
    )
