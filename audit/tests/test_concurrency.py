"""Eight writers at once, each on its own database connection: every audit row is kept and the
chains verify clean (SQLite: a file database in WAL mode with immediate transactions)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from access import gate
from accounts.tests.factories import UserFactory
from audit import chain, services
from audit.models import AuditEntry
from core.vocab import Category, Level, Profile
from people.tests.factories import PersonFactory, consent_for, join_team

WRITERS = 8
ROWS_EACH = 25


def run_concurrently(work: Callable[[int], None], writers: int = WRITERS) -> None:
    """Start the writers together; re-raise the first error any of them met."""
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # handed to the test thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


@pytest.mark.locking
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_lose_no_row_and_the_chains_verify_clean():
    coordinator = UserFactory(profile=Profile.GP)
    person = PersonFactory()
    join_team(person, coordinator, is_coordinator=True)
    consent_for(person, recorded_by=coordinator)
    nurses = [UserFactory(profile=Profile.NURSE) for _ in range(WRITERS)]
    for nurse in nurses:
        join_team(person, nurse)
    before = AuditEntry.objects.count()

    def write(n: int) -> None:
        nurse = nurses[n]
        for i in range(ROWS_EACH):
            if i % 2:
                gate.check(nurse, person, Category.IDENTITY, Level.READ, action="test.read")
            else:
                services.log_event(nurse, "test.event", allowed=True, reason="granted", detail={"i": i})

    run_concurrently(write)

    assert AuditEntry.objects.count() == before + WRITERS * ROWS_EACH
    for nurse in nurses:
        assert AuditEntry.objects.filter(actor_id=nurse.pk).count() == ROWS_EACH
    report = chain.verify()
    assert report.findings == []
    assert report.rows == before + WRITERS * ROWS_EACH
    # The writers spread over several chains rather than queueing behind one.
    assert AuditEntry.objects.values("stream").distinct().count() > 1
