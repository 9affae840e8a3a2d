from typing import Any

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from core.vocab import Profile

PASSWORD = "correct horse battery staple"


@pytest.fixture
def zone_admin(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.ZONE_ADMIN, full_name="Karin Admin", language="en")


@pytest.fixture
def zone_admin_client(zone_admin):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(zone_admin)
    return client


def log_in(client: Client, email: str, password: str = PASSWORD, **extra: Any):  # type: ignore[no-untyped-def]
    """Log in through the real login page (so axes, session tracking and the language cookie run)."""
    return client.post("/account/login/", {"username": email, "password": password}, **extra)
