"""Ten team members save the same version of one entry at the same moment, each on its own
database connection: exactly one change is kept, the nine others are refused as conflicts, and
the entry ends at version 2 with one history row per change (SQLite file database and
PostgreSQL alike)."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from core.errors import Conflict
from core.vocab import Profile
from people import services
from people.models import Visit
from people.tests.factories import SECTION_SAMPLES, PersonFactory, consent_for, join_team

WRITERS = 10


@pytest.mark.locking
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_edits_of_one_version_keep_exactly_one():
    gp = UserFactory(profile=Profile.GP)
    person = PersonFactory()
    join_team(person, gp, is_coordinator=True)
    consent_for(person, recorded_by=gp)
    nurses = [UserFactory(profile=Profile.NURSE) for _ in range(WRITERS)]
    for nurse in nurses:
        join_team(person, nurse)
    entry = services.add_entry(gp, person, "visits", **SECTION_SAMPLES["visits"])

    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def edit(n: int) -> None:
        try:
            read = Visit.objects.select_related("person").get(pk=entry.pk)  # each reads version 1 ...
            barrier.wait()  # ... and all save at once
            try:
                services.change_entry(nurses[n], read, version=read.version, tasks=f"visit plan {n}")
            except Conflict:
                outcomes.append("conflict")
            else:
                outcomes.append("saved")
        except BaseException as error:  # handed to the test thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["conflict"] * 9 + ["saved"]
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.tasks.startswith("visit plan ")
    changes = list(Visit.history.filter(id=entry.pk).order_by("history_id").values_list("history_type", "version"))
    assert changes == [("+", 1), ("~", 2)]
    assert entry.updated_by == Visit.history.get(id=entry.pk, version=2).history_user
