"""Fixtures for the social-map tests: English, the helpdesk curator (the zone admin is the root
conftest's) and a published directory imported from synthetic HSDS data (interop/tests/samples.py)."""

import pytest
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from conftest import client_for
from core.vocab import Profile
from directory.hsds import importer
from directory.models import Dataset
from interop.tests import samples


@pytest.fixture
def reading_language() -> str:
    return "en"


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """The tests read English messages; pages follow it too (the site default is Dutch)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
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
def helpdesk(db):
    return UserFactory(profile=Profile.HELPDESK, full_name="Hugo Helpdesk", language="en")


@pytest.fixture
def helpdesk_client(helpdesk):
    return client_for(helpdesk)


@pytest.fixture
def published(db, tmp_path) -> Dataset:
    """Three services imported in Dutch, then the same ids in French: a bilingual directory."""
    importer.import_file(samples.write_json(tmp_path / "nl.json", samples.services(3, "nl")), language="nl")
    result = importer.import_file(samples.write_json(tmp_path / "fr.json", samples.services(3, "fr")), language="fr")
    assert result.published
    return result.dataset
