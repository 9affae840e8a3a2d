"""SQLite for concurrent use (WAL, busy timeout, immediate transactions): eight writers, each on
its own connection to the file database, all commit; none meets "database is locked"."""

from pathlib import Path

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from audit import chain
from audit.tests.test_concurrency import WRITERS, run_concurrently
from core.vocab import Profile
from people import services
from people.models import Person
from teams.models import Membership

pytestmark = [pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking"), pytest.mark.locking]

PERSONS_EACH = 5


def test_the_test_database_is_a_file_in_wal_mode(db):
    assert Path(connection.settings_dict["NAME"]).is_file()  # not an in-memory database
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_all_commit():
    registrants = [UserFactory(profile=Profile.NURSE) for _ in range(WRITERS)]

    def register(n: int) -> None:
        for i in range(PERSONS_EACH):
            services.register_person(registrants[n], given_name=f"Writer{n}", family_name=f"Person{i}")

    run_concurrently(register)

    assert Person.objects.count() == WRITERS * PERSONS_EACH
    assert Membership.objects.count() == WRITERS * PERSONS_EACH
    for registrant in registrants:
        assert Person.objects.filter(registered_by=registrant).count() == PERSONS_EACH
    assert chain.verify().findings == []
