"""What an audit row holds (NEN 7513), and when it is committed: a granted change with the
change, a read or a refusal on its own, even when the request around it rolls back."""

import datetime
import uuid

import pytest
from django.db import connection, transaction
from django.urls import reverse

from access import gate
from access.tests.factories import MandateFactory
from accounts.tests.factories import UserFactory
from audit import services
from audit.models import AuditEntry
from core.vocab import Category, Level, Profile
from people import services as people_services
from people.models import Person
from people.tests.factories import PersonFactory, consent_for, join_team


def test_a_read_through_a_page_carries_the_nen_7513_fields(gp, person, gp_client):
    response = gp_client.get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 200

    row = AuditEntry.objects.get(action="people.person_viewed")
    assert (row.event, row.person_id, row.actor_id, row.acting_for_id) == ("access", person.pk, gp.pk, None)
    assert (row.actor_label, row.actor_profile, row.relationship) == ("Dr. An Peeters", "gp", "team")
    assert (row.category, row.level, row.allowed, row.reason) == ("identity", "read", True, "granted")
    assert row.created_at.utcoffset() == datetime.timedelta(0)
    assert row.request_id == response["X-Request-ID"]
    uuid.UUID(row.request_id)


def test_a_request_id_sent_by_the_client_is_kept_in_the_row(person, gp_client):
    sent = str(uuid.uuid4())
    response = gp_client.get(reverse("people:detail", args=[person.public_id]), headers={"X-Request-ID": sent})
    assert response["X-Request-ID"] == sent
    assert AuditEntry.objects.get(action="people.person_viewed").request_id == sent


def test_a_refusal_names_the_reason_and_no_relationship(outsider, person, outsider_client):
    response = outsider_client.get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 404

    row = AuditEntry.objects.get(actor_id=outsider.pk)
    assert (row.person_id, row.allowed, row.reason, row.relationship) == (person.pk, False, "no_relationship", "")
    assert (row.category, row.level, row.actor_profile) == ("identity", "read", "gp")
    assert row.request_id == response["X-Request-ID"]


def test_a_mandate_holder_is_logged_acting_for_the_person(person, person_user):
    holder = UserFactory(profile=Profile.FAMILY, full_name="Els Wouters")
    MandateFactory(person=person, holder=holder, categories=["identity"])

    gate.check(holder, person, Category.IDENTITY, Level.READ, action="people.person_viewed")

    row = AuditEntry.objects.get(actor_id=holder.pk)
    assert (row.acting_for_id, row.relationship, row.actor_label) == (person_user.pk, "mandate", "Els Wouters")
    assert row.allowed is True


def test_a_system_job_is_logged_under_its_name(person):
    services.log_event(services.SystemActor("purge_expired"), "test.purged", allowed=True, reason="granted")
    row = AuditEntry.objects.get()
    assert (row.actor_id, row.actor_label, row.actor_profile) == (None, "system:purge_expired", "")


def test_a_row_without_an_actor_is_refused(person):
    with pytest.raises(ValueError, match="needs an actor"):
        services.log_event(None, "test.nobody", allowed=True, reason="granted")
    assert not AuditEntry.objects.exists()


def test_a_granted_change_rolls_back_with_its_audit_row(gp, person, monkeypatch):
    """merge_persons logs the change on both records inside its transaction; when the second
    write fails, the merge and the first row are both gone."""
    alias = PersonFactory(insz=None)
    join_team(alias, gp, is_coordinator=True)
    consent_for(alias, recorded_by=gp)
    real_log_change = people_services.audit.log_change
    calls = []

    def failing_second_time(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real_log_change(*args, **kwargs)

    monkeypatch.setattr(people_services.audit, "log_change", failing_second_time)
    with pytest.raises(RuntimeError):
        people_services.merge_persons(gp, alias, person)

    assert len(calls) == 2
    assert Person.objects.get(pk=alias.pk).merged_into_id is None
    assert not AuditEntry.objects.filter(event="change").exists()
    # The gate's decisions were committed on their own before the change began.
    assert AuditEntry.objects.filter(event="access", action="people.persons_merged", allowed=True).count() == 2


def test_a_change_is_written_in_the_callers_transaction(gp, person):
    with transaction.atomic():
        row = services.log_change(gp, person, "test.changed", category=Category.IDENTITY)
        assert row is not None and AuditEntry.objects.filter(pk=row.pk).exists()
    assert (row.event, row.level, row.allowed, row.reason) == ("change", "write", True, "granted")


def test_a_refusal_inside_an_open_transaction_without_a_scope_is_not_silently_lost(outsider, person):
    with pytest.raises(RuntimeError, match="inside an open transaction"), transaction.atomic():
        gate.check(outsider, person, Category.IDENTITY, Level.READ, action="test.read")


def test_a_refusal_inside_a_rolled_back_transaction_is_committed_after_it(outsider, person):
    with services.independent_writes():
        with pytest.raises(gate.Refused), transaction.atomic():
            gate.check(outsider, person, Category.IDENTITY, Level.READ, action="test.read")
        assert not AuditEntry.objects.exists()  # waits until the scope ends
    row = AuditEntry.objects.get()
    assert (row.actor_id, row.person_id, row.allowed, row.reason) == (outsider.pk, person.pk, False, "no_relationship")


@pytest.mark.django_db(transaction=True)
def test_a_refusal_survives_a_request_that_rolls_back(monkeypatch):
    """With ATOMIC_REQUESTS the whole view runs in one transaction, which the 404 rolls back;
    the refusal is committed on its own after it."""
    gp = UserFactory(profile=Profile.GP)
    outsider = UserFactory(profile=Profile.GP)
    person = PersonFactory()
    join_team(person, gp, is_coordinator=True)
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    from django.test import Client

    client = Client()
    client.force_login(outsider)

    response = client.get(reverse("people:detail", args=[person.public_id]))

    assert response.status_code == 404
    assert not connection.in_atomic_block
    row = AuditEntry.objects.get(actor_id=outsider.pk)
    assert (row.person_id, row.allowed, row.reason) == (person.pk, False, "no_relationship")
    assert row.request_id == response["X-Request-ID"]


@pytest.mark.django_db(transaction=True)
def test_one_transaction_appends_to_one_chain_and_the_next_chooses_again(settings):
    """Two transactions that each log twice must not each hold one chain head and wait for the
    other's (a deadlock on PostgreSQL): all rows of one transaction go to one chain."""
    settings.AUDIT_STREAMS = 16
    actor = UserFactory()
    with transaction.atomic():
        for n in range(12):
            services.log_change(actor, None, "test.changed", detail={"n": n})
    assert AuditEntry.objects.values("stream").distinct().count() == 1
    assert getattr(connection, "schakel_audit_stream", None) is None  # forgotten at the commit
