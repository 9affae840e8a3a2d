"""The dossier page audits every read it makes, a row per category as before, written in one
batch: one transaction and one chain-head lock whatever the number of categories shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from access import gate
from access.tests.factories import BreakGlassAccessFactory
from accounts.tests.factories import UserFactory
from audit import chain
from audit.models import AuditEntry
from conftest import client_for, in_english
from core.vocab import Profile


def detail(person) -> str:
    return reverse("people:detail", args=[person.public_id])


def test_one_view_writes_a_row_per_category_in_one_transaction(gp, gp_client, person):
    with CaptureQueriesContext(connection) as queries:
        response = gp_client.get(detail(person))
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum('INSERT INTO "audit_auditentry"' in statement for statement in sql) == 1
    assert sum('UPDATE "audit_chainhead"' in statement for statement in sql) == 1

    rows = list(AuditEntry.objects.filter(request_id=response["X-Request-ID"]).order_by("seq"))
    assert [(row.action, row.category) for row in rows] == [
        ("people.person_viewed", "identity"),
        *[
            ("people.dossier_viewed", category)
            for category in ("team", "situation", "medication", "medical", "wishes", "acp")
        ],
    ]
    assert {(row.person_id, row.actor_id, row.allowed, row.level) for row in rows} == {(person.pk, gp.pk, True, "read")}
    assert len({row.stream for row in rows}) == 1
    assert [row.seq for row in rows] == list(range(rows[0].seq, rows[0].seq + 7))
    assert chain.verify().clean


def test_the_person_sees_each_category_read_in_their_log(gp_client, person, person_client):
    from audit.presenters import YOUR_CATEGORIES

    gp_client.get(detail(person))
    log = person_client.get(reverse("audit:person-log", args=[person.public_id]))
    # One look at the dossier is one visit, naming each category read.
    [visit] = [visit for visit in log.context["visits"] if visit.who == "Dr. An Peeters"]
    with translation.override("en"):
        expected = [
            str(YOUR_CATEGORIES[code])
            for code in ("identity", "team", "situation", "medication", "medical", "wishes", "acp")
        ]
    assert sorted(visit.saw) == sorted(expected)


@pytest.mark.parametrize("audited", [True, False])
def test_auditing_costs_the_same_queries_whatever_the_number_of_categories(
    audited, settings, gp, gp_client, neighbour, person
):
    """The GP sees six categories, the neighbour one: the audit's share of their queries is equal."""

    def count(client) -> int:
        client.get(detail(person))  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(person)).status_code == 200
        return len(queries)

    settings.AUDIT_DISABLED_FOR_BENCHMARK = not audited
    neighbour_client = client_for(neighbour)
    settings.AUDIT_DISABLED_FOR_BENCHMARK = True
    base = {"gp": count(gp_client), "neighbour": count(neighbour_client)}
    settings.AUDIT_DISABLED_FOR_BENCHMARK = False
    with_audit = {"gp": count(gp_client), "neighbour": count(neighbour_client)}
    assert with_audit["gp"] - base["gp"] == with_audit["neighbour"] - base["neighbour"] > 0


def test_reads_under_emergency_access_are_all_marked_as_such(person):
    doctor = in_english(UserFactory(profile=Profile.HOSPITAL_DOCTOR, full_name="Dr. Spoed"))
    BreakGlassAccessFactory(person=person, actor=doctor)
    response = client_for(doctor).get(detail(person))
    assert response.status_code == 200
    rows = AuditEntry.objects.filter(request_id=response["X-Request-ID"])
    assert rows.count() > 1
    assert set(rows.values_list("event", "relationship")) == {("break_glass", "break_glass")}


def test_a_refused_reader_leaves_one_refusal_and_no_category_rows(outsider, outsider_client, person):
    response = outsider_client.get(detail(person))
    assert response.status_code == 404
    rows = AuditEntry.objects.filter(request_id=response["X-Request-ID"])
    assert list(rows.values_list("action", "category", "allowed", "reason")) == [
        ("people.person_viewed", "identity", False, "no_relationship")
    ]


def test_only_granted_reads_are_batched(gp, person):
    refused = gate.Decision(False, "matrix", "medical", "read")
    with pytest.raises(ValueError):
        gate.audit_reads(gp, person, [(refused, "people.dossier_viewed")])
    assert not AuditEntry.objects.exists()
