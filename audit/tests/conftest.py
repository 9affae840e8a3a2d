"""Fixtures for the audit tests: one chain to tamper with, and tampering past the PostgreSQL
trigger the way an attacker with the database owner's rights could."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from access.models import Representation
from accounts.tests.factories import UserFactory
from audit import chain, services
from audit.models import AuditEntry
from core.vocab import Profile


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
def one_chain(settings):  # type: ignore[no-untyped-def]
    """All audit rows of the test on chain 0, so that sequence numbers are known."""
    settings.AUDIT_STREAMS = 1
    connection.schakel_audit_stream = None
    yield
    connection.schakel_audit_stream = None


@pytest.fixture
def chain_of_five(one_chain, db) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    """Five audit rows, sequence 1 to 5 on chain 0."""
    assert not AuditEntry.objects.exists()
    actor = UserFactory(full_name="Dr. Chain Tester")
    for n in range(5):
        services.log_event(actor, "test.event", allowed=n % 2 == 0, reason="granted", detail={"n": n})
    return list(AuditEntry.objects.order_by("seq"))


# The tests read English, so that the Dutch and French catalogues, once filled in, do not change
# what the assertions compare (the root fixtures' users read Dutch).
@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def in_english(user):  # type: ignore[no-untyped-def]
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def gp(gp):  # type: ignore[no-untyped-def]
    return in_english(gp)


@pytest.fixture
def outsider(outsider):  # type: ignore[no-untyped-def]
    return in_english(outsider)


@pytest.fixture
def person_user(person_user):  # type: ignore[no-untyped-def]
    return in_english(person_user)


@pytest.fixture
def dpo(db):  # type: ignore[no-untyped-def]
    return UserFactory(profile=Profile.DPO, full_name="Greet Dewulf", email="dpo@zone.example", language="en")


@pytest.fixture
def dpo_client(dpo):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(dpo)
    return client


@pytest.fixture
def representative(person, gp):  # type: ignore[no-untyped-def]
    """Jozef's court-appointed administrator."""
    user = UserFactory(profile=Profile.REPRESENTATIVE, full_name="Mr. Bewindvoerder", language="en")
    Representation.objects.create(person=person, representative=user, legal_ground="court order", recorded_by=gp)
    return user


def past_row(actor, person, when, **fields) -> AuditEntry:  # type: ignore[no-untyped-def]
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
