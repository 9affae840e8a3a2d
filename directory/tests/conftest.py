"""Fixtures for the social-map tests: curators (zone admin, helpdesk) and a published directory
imported from synthetic HSDS data (interop/tests/samples.py)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.vocab import Profile
from directory.hsds import importer
from directory.models import Dataset
from interop.tests import samples


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    """The tests read English messages; pages follow it too (the site default is Dutch)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):  # type: ignore[no-untyped-def]
    """Rate limits count in the shared cache, a table of the test database; each test that uses
    the database starts with none used (the others cannot reach the cache)."""
    uses_database = bool(request.node.get_closest_marker("django_db"))
    if not uses_database:
        fixture = next((name for name in ("transactional_db", "db") if name in request.fixturenames), None)
        if fixture:
            request.getfixturevalue(fixture)  # the database first, then the cache in it
            uses_database = True
    if uses_database:
        cache.clear()
    yield
    if uses_database:
        cache.clear()


@pytest.fixture
def zone_admin(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.ZONE_ADMIN, full_name="Zoë Admin", language="en")


@pytest.fixture
def helpdesk(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.HELPDESK, full_name="Hugo Helpdesk", language="en")


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def zone_admin_client(zone_admin):  # type: ignore[no-untyped-def]
    return client_for(zone_admin)


@pytest.fixture
def helpdesk_client(helpdesk):  # type: ignore[no-untyped-def]
    return client_for(helpdesk)


@pytest.fixture
def published(db, tmp_path) -> Dataset:  # type: ignore[no-untyped-def]
    """Three services imported in Dutch, then the same ids in French: a bilingual directory."""
    importer.import_file(samples.write_json(tmp_path / "nl.json", samples.services(3, "nl")), language="nl")
    result = importer.import_file(samples.write_json(tmp_path / "fr.json", samples.services(3, "fr")), language="fr")
    assert result.published
    return result.dataset
