""" "Who looked at my dossier": the person and their legal representative see every access and
refusal, by whom, in which role, when and what; nobody else does (ACC-03)."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access import gate
from access.tests.factories import BreakGlassAccessFactory, MandateFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from audit.tests.conftest import past_row
from conftest import in_english
from core.vocab import Category, Level, Profile

BRUSSELS = datetime.timezone(timedelta(hours=2))  # summer time, as the zone's clock reads in April


def log_url(person) -> str:
    return reverse("audit:person-log", args=[person.public_id])


def api_url(person) -> str:
    return f"/api/persons/{person.public_id}/access-log"


def shown(response) -> list[tuple[str, str, str, bool]]:
    return [(row.who, row.role, row.what, row.allowed) for row in response.context["rows"]]


def test_the_person_sees_every_access_and_refusal_newest_first(person, gp, outsider, person_client):
    gate.check(gp, person, Category.IDENTITY, Level.READ, action="people.person_viewed")
    with pytest.raises(gate.Refused):
        gate.check(outsider, person, Category.MEDICATION, Level.READ, action="medication.viewed")

    response = person_client.get(log_url(person))

    assert response.status_code == 200
    assert shown(response) == [
        ("Jozef Wouters", "the person themself", "advance care planning and consent (read)", True),
        ("Dr. Outsider Vermeulen", "general practitioner", "medication (read)", False),
        ("Dr. An Peeters", "general practitioner", "identity (read)", True),
    ]
    body = response.content.decode()
    assert "Dr. Outsider Vermeulen" in body and "no care relationship" in body


def test_the_representative_sees_the_log(person, gp, representative):
    gate.check(gp, person, Category.IDENTITY, Level.READ, action="people.person_viewed")
    client = _client(representative)

    response = client.get(log_url(person))

    assert response.status_code == 200
    assert [row.who for row in response.context["rows"]] == ["Bart Wouters", "Dr. An Peeters"]
    assert response.context["rows"][0].role == "legal representative"


@pytest.mark.parametrize("who", ["gp", "nurse", "caregiver", "mandate_holder", "outsider"])
def test_anyone_else_gets_the_outsiders_404_and_is_logged(who, person, person_user, request):
    if who == "mandate_holder":
        user = UserFactory(profile=Profile.FAMILY)
        MandateFactory(person=person, holder=user, categories=["identity", "acp"])
    else:
        user = request.getfixturevalue(who)
    client = _client(user)

    assert client.get(log_url(person)).status_code == 404
    assert client.get(api_url(person)).status_code == 404
    refusals = AuditEntry.objects.filter(actor_id=user.pk, allowed=False, action="audit.person_log_viewed")
    assert refusals.count() == 2
    assert set(refusals.values_list("reason", flat=True)) == {"not_person_or_representative"}


def test_the_log_filters_by_period_whole_days_included(person, gp, person_client):
    for when in (
        datetime.datetime(2025, 3, 31, 23, 30, tzinfo=BRUSSELS),  # the day before
        datetime.datetime(2025, 4, 1, 0, 10, tzinfo=BRUSSELS),
        datetime.datetime(2025, 4, 30, 23, 50, tzinfo=BRUSSELS),
        datetime.datetime(2025, 5, 1, 0, 5, tzinfo=BRUSSELS),  # the day after
    ):
        past_row(gp, person, when, detail={"at": when.isoformat()})

    response = person_client.get(log_url(person), {"start": "2025-04-01", "end": "2025-04-30"})

    assert [row.when for row in response.context["rows"]] == [
        datetime.datetime(2025, 4, 30, 23, 50, tzinfo=BRUSSELS),
        datetime.datetime(2025, 4, 1, 0, 10, tzinfo=BRUSSELS),
    ]
    api = person_client.get(api_url(person), {"start": "2025-04-01", "end": "2025-04-30"}).json()
    assert api["count"] == 2
    assert [datetime.datetime.fromisoformat(item["time"]) for item in api["items"]] == [
        datetime.datetime(2025, 4, 30, 23, 50, tzinfo=BRUSSELS),
        datetime.datetime(2025, 4, 1, 0, 10, tzinfo=BRUSSELS),
    ]


def test_a_period_that_ends_before_it_starts_is_refused(person, person_client):
    response = person_client.get(log_url(person), {"start": "2025-05-01", "end": "2025-04-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": ["The start of the period must come before its end."]}


def test_the_log_shows_fifty_rows_a_page(person, gp, person_client):
    start = timezone.now() - timedelta(days=30)
    for n in range(120):
        past_row(gp, person, start + timedelta(minutes=n))

    first = person_client.get(log_url(person))  # 120 rows and this view: 121
    third = person_client.get(log_url(person), {"page": 3})  # and this one: 122

    assert (len(first.context["rows"]), first.context["page"].paginator.num_pages) == (50, 3)
    assert len(third.context["rows"]) == 22
    assert 'rel="next"' in first.content.decode() and 'rel="next"' not in third.content.decode()
    api = person_client.get(api_url(person), {"page": 3}).json()
    assert (api["count"], len(api["items"])) == (123, 23)


def test_the_log_page_reads_in_a_fixed_number_of_queries(one_chain, person, gp, person_client):
    """No query per row: the page costs the same with 5 rows as with 50."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person_client.get(log_url(person))  # warm up: the session's first renewal is written once
    for _ in range(4):
        past_row(gp, person, timezone.now())
    with CaptureQueriesContext(connection) as few:
        person_client.get(log_url(person))
    for _ in range(60):
        past_row(gp, person, timezone.now())
    with CaptureQueriesContext(connection) as many:
        person_client.get(log_url(person))
    assert len(many) == len(few)


def test_emergency_access_is_shown_as_such(person, person_client):
    doctor = in_english(UserFactory(profile=Profile.HOSPITAL_DOCTOR, full_name="Dr. Spoed"))
    BreakGlassAccessFactory(person=person, actor=doctor)
    gate.check(doctor, person, Category.MEDICATION, Level.READ, action="medication.viewed")

    response = person_client.get(log_url(person))

    row = response.context["rows"][1]
    assert (row.who, row.what, row.emergency, row.allowed) == ("Dr. Spoed", "medication (read)", True, True)
    assert "emergency access" in response.content.decode()
    api = person_client.get(api_url(person)).json()
    assert [item["event"] for item in api["items"]] == ["access", "access", "break_glass"]


def test_the_api_gives_the_nen_7513_fields(person, gp, person_user, person_client):
    holder = UserFactory(profile=Profile.FAMILY, full_name="Els Wouters")
    MandateFactory(person=person, holder=holder, categories=["identity"])
    gate.check(holder, person, Category.IDENTITY, Level.READ, action="people.person_viewed")

    response = person_client.get(api_url(person))

    assert response.status_code == 200
    item = response.json()["items"][1]
    assert {key: value for key, value in item.items() if key not in ("time", "request_id")} == {
        "event": "access",
        "action": "people.person_viewed",
        "who": "Els Wouters",
        "role": "family",
        "acting_for": "Jozef Wouters",
        "category": "identity",
        "level": "read",
        "allowed": True,
        "reason": "granted",
    }
    assert response.json()["items"][0]["request_id"] == response["X-Request-ID"]


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
