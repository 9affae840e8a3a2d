"""Fixtures for real care-zone roles, shared by every app's tests (STYLE.md section 10)."""

from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_tasks_db.management.commands import db_worker

from access import matrix
from access.models import Mandate, MatrixCell, Representation
from accounts.models import User
from accounts.tests.factories import UserFactory
from core.vocab import Category, Profile
from people.tests.factories import PersonFactory, consent_for, join_team


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the in-memory SQLite database the `locking` tests would share one connection's cache
    rather than meet a file's locks: they run in their own pass (SCHAKEL_TEST_DB=file, `make
    test-sqlite`). PostgreSQL runs them with the rest."""
    from django.conf import settings

    in_memory = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not getattr(
        settings, "SQLITE_TEST_FILE", False
    )
    if not in_memory:
        return
    skip = pytest.mark.skip(reason="needs the SQLite file database: SCHAKEL_TEST_DB=file pytest -m locking")
    for item in items:
        if item.get_closest_marker("locking"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped access matrix once into the test database."""
    with django_db_blocker.unblock():
        matrix.load(matrix.read_file())


@pytest.fixture(autouse=True)
def _matrix(request):
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


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames


@pytest.fixture(autouse=True)
def _flush_past_the_trigger(request):
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


# The language the tests' assertions read. App conftests whose tests compare English text override
# `reading_language` with "en": English is then active around each test, and the users of the
# fixtures below read English, so that the Dutch and French catalogues, once filled in, do not
# change what the assertions compare. Otherwise the users read Dutch, the zone's language.
@pytest.fixture
def reading_language() -> str | None:
    return None


@pytest.fixture(autouse=True)
def _active_language(reading_language: str | None) -> Iterator[None]:
    if reading_language is None:
        yield
        return
    with translation.override(reading_language):
        yield


def in_english(user: User) -> User:
    """A user made elsewhere (a factory, a demo loader) switched to English."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def client_for(user: User) -> Client:
    """A test client logged in as the user."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def make_user(db: None, reading_language: str | None) -> Callable[..., User]:
    """A user reading the tests' language."""

    def make(profile: str, full_name: str, **fields: object) -> User:
        if reading_language is not None:
            fields.setdefault("language", reading_language)
        return UserFactory.create(profile=profile, full_name=full_name, **fields)

    return make


@pytest.fixture
def gp(make_user):
    return make_user(Profile.GP, "Dr. An Peeters")


@pytest.fixture
def nurse(make_user):
    return make_user(Profile.NURSE, "Sofie Janssens")


@pytest.fixture
def pharmacist(make_user):
    return make_user(Profile.PHARMACIST, "Luc Maes")


@pytest.fixture
def caregiver(make_user):
    return make_user(Profile.INFORMAL_CAREGIVER, "Marie Claes")


@pytest.fixture
def outsider(make_user):
    """A GP with no relationship to the person."""
    return make_user(Profile.GP, "Dr. Outsider Vermeulen")


@pytest.fixture
def person_user(make_user):
    return make_user(Profile.PERSON, "Jozef Wouters")


@pytest.fixture
def person(gp, nurse, pharmacist, caregiver, person_user):
    """Jozef, 84, living alone: the GP coordinates, a nurse, a pharmacist and his daughter are on
    his team, and he consented to sharing."""
    person = PersonFactory(given_name="Jozef", family_name="Wouters", account=person_user, registered_by=gp)
    join_team(person, gp, is_coordinator=True)
    for member in (nurse, pharmacist, caregiver):
        join_team(person, member)
    consent_for(person, recorded_by=gp)
    return person


@pytest.fixture
def representative(person, gp, make_user):
    """Jozef's court-appointed administrator (bewindvoerder), recorded by his GP."""
    user = make_user(Profile.REPRESENTATIVE, "Bart Wouters")
    Representation.objects.create(
        person=person, representative=user, legal_ground="Vrederechter Leuven, 2025", recorded_by=gp
    )
    return user


@pytest.fixture
def mandate_holder(person, person_user, caregiver):
    """Marie, the caregiver on the team, holds Jozef's mandate for his wishes and his situation."""
    Mandate.objects.create(
        person=person, holder=caregiver, granted_by=person_user, categories=[Category.WISHES, Category.SITUATION]
    )
    return caregiver


# The zone's staff read English in every app's tests.
@pytest.fixture
def zone_admin(db):
    return UserFactory(profile=Profile.ZONE_ADMIN, full_name="Karin Zonebeheer", language="en")


@pytest.fixture
def dpo(db):
    return UserFactory(profile=Profile.DPO, full_name="Greet Dewulf", email="dpo@zone.example", language="en")


@pytest.fixture
def gp_client(gp):
    return client_for(gp)


@pytest.fixture
def nurse_client(nurse):
    return client_for(nurse)


@pytest.fixture
def caregiver_client(caregiver):
    return client_for(caregiver)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture
def person_client(person_user):
    return client_for(person_user)


@pytest.fixture
def zone_admin_client(zone_admin):
    return client_for(zone_admin)


@pytest.fixture
def dpo_client(dpo):
    return client_for(dpo)


@pytest.fixture
def queued(settings, monkeypatch):
    """Tasks wait in the database for the worker, as in a deployment (the tests otherwise run
    them at once). Between tasks the worker closes stale connections; here that would close the
    test's own transaction."""
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    """What `make run`'s worker does, until the queue is empty (with the `queued` fixture)."""
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-reload", "--no-startup-delay", verbosity=0)


@pytest.fixture(autouse=True)
def _nothing_personal_leaves(request, monkeypatch):
    """The suite-wide privacy check: every e-mail and .ics a test produced is read for the
    persons' names and identifiers (tests/outgoing.py)."""
    from tests import outgoing

    yield from outgoing.watch(request, monkeypatch)
