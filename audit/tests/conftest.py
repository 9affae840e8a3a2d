"""Fixtures for the audit tests: one chain to tamper with, and tampering past the PostgreSQL
trigger the way an attacker with the database owner's rights could."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction

from accounts.tests.factories import UserFactory
from audit import chain, services
from audit.models import AuditEntry


@contextmanager
def triggers_off() -> Iterator[None]:
    """On PostgreSQL, switch off the append-only trigger for this session (the test database
    user is a superuser); SQLite has no trigger to switch off."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def tamper(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def one_chain(settings):
    """All audit rows of the test on chain 0, so that sequence numbers are known."""
    settings.AUDIT_STREAMS = 1
    connection.schakel_audit_stream = None
    yield
    connection.schakel_audit_stream = None


@pytest.fixture
def chain_of_five(one_chain, db) -> list[AuditEntry]:
    """Five audit rows, sequence 1 to 5 on chain 0."""
    assert not AuditEntry.objects.exists()
    actor = UserFactory(full_name="Dr. Chain Tester")
    for n in range(5):
        services.log_event(actor, "test.event", allowed=n % 2 == 0, reason="granted", detail={"n": n})
    return list(AuditEntry.objects.order_by("seq"))


# The tests read English (the root conftest's users and the active language).
@pytest.fixture
def reading_language() -> str:
    return "en"


def past_row(actor, person, when, **fields) -> AuditEntry:
    """An audit row written at a given time, through the chain (so that it verifies)."""
    values = {
        "created_at": when,
        "event": AuditEntry.Event.ACCESS,
        "action": "people.person_viewed",
        "person_id": person.pk if person else None,
        "actor_id": actor.pk,
        "actor_label": str(actor),
        "actor_profile": actor.profile,
        "acting_for_id": None,
        "relationship": "team",
        "category": "identity",
        "level": "read",
        "allowed": True,
        "reason": "granted",
        "request_id": "",
        "detail": {},
        **fields,
    }
    with transaction.atomic():
        return chain.append(values)
