"""The data protection officer searches the log by user ("what did this user open?"); every
search is itself in the log, and nobody else can search."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access import gate
from audit.models import AuditEntry
from audit.tests.conftest import past_row
from core.vocab import Category, Level

SEARCH = reverse("audit:search")
BRUSSELS = datetime.timezone(timedelta(hours=2))


@pytest.mark.parametrize("who", ["gp", "outsider", "person_user"])
def test_only_the_dpo_may_search_and_others_are_logged(who, request):
    from django.test import Client

    user = request.getfixturevalue(who)
    client = Client()
    client.force_login(user)

    assert client.get(SEARCH, {"q": "Peeters"}).status_code == 404

    row = AuditEntry.objects.get(actor_id=user.pk)
    assert (row.event, row.action, row.allowed, row.reason) == ("audit_search", "audit.searched", False, "not_dpo")


def test_the_dpo_finds_a_user_by_name_or_e_mail(gp, nurse, dpo_client):
    by_name = dpo_client.get(SEARCH, {"q": "peeters"})
    by_email = dpo_client.get(SEARCH, {"q": nurse.email.upper()})

    assert by_name.status_code == 200
    assert by_name.context["candidates"] == [gp]
    assert by_email.context["candidates"] == [nurse]
    assert f"?user={gp.public_id}" in by_name.content.decode()
    assert not AuditEntry.objects.exists()  # finding a user shows no log rows


def test_nobody_found_says_so(dpo_client):
    response = dpo_client.get(SEARCH, {"q": "Nobody-by-this-name"})
    assert response.context["candidates"] == []
    assert "No user's name or e-mail address contains “Nobody-by-this-name”." in response.content.decode()


def test_the_dpo_sees_what_a_user_opened_and_the_search_is_logged(person, gp, outsider, dpo, dpo_client):
    gate.check(gp, person, Category.MEDICATION, Level.READ, action="medication.viewed")
    with pytest.raises(gate.Refused):
        gate.check(outsider, person, Category.IDENTITY, Level.READ, action="people.person_viewed")

    response = dpo_client.get(SEARCH, {"user": str(gp.public_id)})

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.person, row.what, row.allowed) for row in rows] == [
        (f"{person.display_id} Jozef Wouters", "medication (read)", True)
    ]
    body = response.content.decode()
    assert person.display_id in body and "What Dr. An Peeters" in body
    search = AuditEntry.objects.get(actor_id=dpo.pk)
    assert (search.event, search.action, search.allowed, search.reason) == (
        "audit_search",
        "audit.searched",
        True,
        "granted",
    )
    assert search.detail == {"user": str(gp.public_id), "start": None, "end": None}
    assert search.person_id is None


def test_the_search_filters_by_period_and_logs_the_period(person, gp, dpo, dpo_client):
    for day in (9, 10, 20, 21):
        past_row(gp, person, datetime.datetime(2025, 6, day, 12, 0, tzinfo=BRUSSELS))

    response = dpo_client.get(SEARCH, {"user": str(gp.public_id), "start": "2025-06-10", "end": "2025-06-20"})

    assert [row.when.day for row in response.context["rows"]] == [20, 10]
    detail = AuditEntry.objects.get(actor_id=dpo.pk).detail
    assert detail == {"user": str(gp.public_id), "start": "2025-06-10", "end": "2025-06-20"}


def test_the_search_pages_by_fifty_and_each_page_is_logged(person, gp, dpo, dpo_client):
    start = timezone.now() - timedelta(days=2)
    for n in range(75):
        past_row(gp, person, start + timedelta(minutes=n))

    first = dpo_client.get(SEARCH, {"user": str(gp.public_id)})
    second = dpo_client.get(SEARCH, {"user": str(gp.public_id), "page": 2})

    assert (len(first.context["rows"]), len(second.context["rows"])) == (50, 25)
    assert f"page=2&amp;start=&amp;end=&amp;user={gp.public_id}" in first.content.decode()
    assert AuditEntry.objects.filter(actor_id=dpo.pk, action="audit.searched").count() == 2


def test_a_new_name_starts_a_new_search(gp, nurse, dpo_client):
    response = dpo_client.get(SEARCH, {"user": str(gp.public_id), "q": "Janssens"})
    assert response.context["candidates"] == [nurse]
    assert "rows" not in response.context


def test_the_search_takes_no_lock_on_the_log(person, gp, dpo_client):
    past_row(gp, person, timezone.now())
    with CaptureQueriesContext(connection) as queries:
        dpo_client.get(SEARCH, {"user": str(gp.public_id)})
    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    # Only the search's own audit row locks the head of one chain, as every write does.
    assert all("audit_chainhead" in sql and "audit_auditentry" not in sql for sql in locking)
    assert len(locking) <= 1


def test_the_dpo_has_the_search_in_the_menu_and_others_do_not(dpo_client, gp_client):
    assert f'href="{SEARCH}"' in dpo_client.get(reverse("home")).content.decode()
    assert f'href="{SEARCH}"' not in gp_client.get(reverse("home")).content.decode()
