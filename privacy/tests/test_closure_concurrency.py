"""Four people close one dossier at the same moment, each on its own database connection: exactly
one closing is kept, the others are refused as conflicts, and the team is ended once (SQLite file
database and PostgreSQL alike)."""

import threading
from datetime import date

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.errors import Conflict
from core.vocab import Profile
from people.models import Person
from people.tests.factories import PersonFactory, consent_for, join_team
from privacy import services
from privacy.models import Closure
from teams.models import Membership

CLOSERS = 4


@pytest.mark.locking
@pytest.mark.django_db(transaction=True)
def test_concurrent_closings_keep_exactly_one():
    gp = UserFactory(profile=Profile.GP)
    person = PersonFactory()
    join_team(person, gp, is_coordinator=True)
    join_team(person, UserFactory(profile=Profile.NURSE))
    consent_for(person, recorded_by=gp)
    closers = [gp] + [UserFactory(profile=Profile.ZONE_ADMIN) for _ in range(CLOSERS - 1)]

    barrier = threading.Barrier(CLOSERS)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def close(n: int) -> None:
        try:
            read = Person.objects.get(pk=person.pk)  # each reads the same version ...
            barrier.wait()  # ... and all close at once
            try:
                services.close_dossier(closers[n], read, reason="death", event_date=date.today(), version=read.version)
            except Conflict:
                outcomes.append("conflict")
            else:
                outcomes.append("closed")
        except BaseException as error:  # handed to the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(n,)) for n in range(CLOSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["closed"] + ["conflict"] * (CLOSERS - 1)
    assert Closure.objects.filter(person=person).count() == 1
    assert not Membership.objects.active().filter(person=person).exists()
    assert AuditEntry.objects.filter(person_id=person.pk, action="teams.member_ended").count() == 2
