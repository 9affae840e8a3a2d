"""Fixtures for real care-zone roles, shared by every app's tests (STYLE.md section 10)."""

import pytest
from django.test import Client

from access import matrix
from access.models import Mandate, MatrixCell, Representation
from accounts.tests.factories import UserFactory
from core.vocab import Category, Profile
from people.tests.factories import PersonFactory, consent_for, join_team


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """On the in-memory SQLite database the `locking` tests would share one connection's cache
    rather than meet a file's locks: they run in their own pass (SCHAKEL_TEST_DB=file, `make
    test-sqlite`). PostgreSQL runs them with the rest."""
    from django.conf import settings

    in_memory = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not settings.SQLITE_TEST_FILE
    if not in_memory:
        return
    skip = pytest.mark.skip(reason="needs the SQLite file database: SCHAKEL_TEST_DB=file pytest -m locking")
    for item in items:
        if item.get_closest_marker("locking"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the shipped access matrix once into the test database."""
    with django_db_blocker.unblock():
        matrix.load(matrix.read_file())


@pytest.fixture(autouse=True)
def _matrix(request):  # type: ignore[no-untyped-def]
    """Every database test runs against the shipped access matrix. Transactional tests flush it
    away at their end; pytest-django runs them after all others, so only they reload it."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()} and not {
        "db",
        "transactional_db",
    } & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    if not MatrixCell.objects.exists():
        matrix.load(matrix.read_file())
    yield


def _is_transactional(request) -> bool:  # type: ignore[no-untyped-def]
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames


@pytest.fixture(autouse=True)
def _flush_past_the_trigger(request):  # type: ignore[no-untyped-def]
    """A transactional test ends with a flush, a TRUNCATE that the PostgreSQL trigger refuses.
    Django closes the connection right after the flush, so the next test starts with triggers on."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")  # so that its flush runs after this teardown
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


@pytest.fixture
def gp(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.GP, full_name="Dr. An Peeters")


@pytest.fixture
def nurse(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.NURSE, full_name="Sofie Janssens")


@pytest.fixture
def pharmacist(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.PHARMACIST, full_name="Luc Maes")


@pytest.fixture
def caregiver(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.INFORMAL_CAREGIVER, full_name="Marie Claes")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    """A GP with no relationship to the person."""
    return UserFactory(profile=Profile.GP, full_name="Dr. Outsider Vermeulen")


@pytest.fixture
def person_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.PERSON, full_name="Jozef Wouters")


@pytest.fixture
def person(gp, nurse, pharmacist, caregiver, person_user):  # type: ignore[no-untyped-def]
    """Jozef, 84, living alone: the GP coordinates, a nurse, a pharmacist and his daughter are on
    his team, and he consented to sharing."""
    person = PersonFactory(given_name="Jozef", family_name="Wouters", account=person_user, registered_by=gp)
    join_team(person, gp, is_coordinator=True)
    for member in (nurse, pharmacist, caregiver):
        join_team(person, member)
    consent_for(person, recorded_by=gp)
    return person


@pytest.fixture
def representative(person):  # type: ignore[no-untyped-def]
    """Bart, Jozef's legal representative (bewindvoerder)."""
    user = UserFactory(profile=Profile.REPRESENTATIVE, full_name="Bart Wouters")
    Representation.objects.create(person=person, representative=user, legal_ground="Bewindvoering", recorded_by=user)
    return user


@pytest.fixture
def mandate_holder(person, person_user, caregiver):  # type: ignore[no-untyped-def]
    """Marie, the caregiver on the team, holds Jozef's mandate for his wishes and his situation."""
    Mandate.objects.create(
        person=person, holder=caregiver, granted_by=person_user, categories=[Category.WISHES, Category.SITUATION]
    )
    return caregiver


def _client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def gp_client(gp):  # type: ignore[no-untyped-def]
    return _client_for(gp)


@pytest.fixture
def outsider_client(outsider):  # type: ignore[no-untyped-def]
    return _client_for(outsider)


@pytest.fixture
def person_client(person_user):  # type: ignore[no-untyped-def]
    return _client_for(person_user)
