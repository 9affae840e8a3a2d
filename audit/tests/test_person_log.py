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
from conftest import client_for, in_english
from core.vocab import Category, Level, Profile

BRUSSELS = datetime.timezone(timedelta(hours=2))  # summer time, as the zone's clock reads in April


def log_url(person) -> str:
    return reverse("audit:person-log", args=[person.public_id])


def api_url(person) -> str:
    return f"/api/persons/{person.public_id}/access-log"


def shown(response) -> list[tuple[str, str, list[str], list[str]]]:
    return [(visit.who, visit.role, visit.saw, visit.refusals) for visit in response.context["visits"]]


def test_the_person_sees_each_visit_and_refusal_newest_first(person, gp, outsider, person_client):
    gate.check(gp, person, Category.IDENTITY, Level.READ, action="people.person_viewed")
    with pytest.raises(gate.Refused):
        gate.check(outsider, person, Category.MEDICATION, Level.READ, action="medication.viewed")

    response = person_client.get(log_url(person))

    assert response.status_code == 200
    assert shown(response) == [
        (
            "Dr. Outsider Vermeulen",
            "general practitioner",
            [],
            [
                "Tried to see your medication. Refused, because they are not in your care team and have no other "
                "tie with you."
            ],
        ),
        ("Dr. An Peeters", "general practitioner", ["your personal details"], []),
    ]
    body = response.content.decode()
    assert "Dr. Outsider Vermeulen" in body and "no other tie with you" in body


def test_the_representative_sees_the_log(person, gp, representative):
    gate.check(gp, person, Category.IDENTITY, Level.READ, action="people.person_viewed")
    client = _client(representative)

    response = client.get(log_url(person))

    assert response.status_code == 200
    # The representative's own look at the log is theirs, hidden like the person's own visits.
    assert [visit.who for visit in response.context["visits"]] == ["Dr. An Peeters"]
    assert "On this page, “you” means Jozef Wouters." in response.content.decode()
    shown_with_own = client.get(log_url(person), {"own": "1"}).context["visits"]
    assert [(visit.who, visit.role) for visit in shown_with_own] == [
        ("Bart Wouters", "legal representative"),
        ("Dr. An Peeters", "general practitioner"),
    ]


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

    assert [visit.start for visit in response.context["visits"]] == [
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


def test_the_log_shows_twenty_visits_a_page_and_the_api_fifty_rows(person, gp, person_client):
    start = timezone.now() - timedelta(days=30)
    for n in range(45):  # 45 visits an hour apart, of two rows each
        past_row(gp, person, start + timedelta(hours=n))
        past_row(gp, person, start + timedelta(hours=n, minutes=5), category="medication")

    first = person_client.get(log_url(person))  # 90 rows and this view
    third = person_client.get(log_url(person), {"page": 3})

    assert (len(first.context["visits"]), first.context["page"].paginator.num_pages) == (20, 3)
    assert len(third.context["visits"]) == 5
    assert third.context["visits"][-1].start == start
    assert third.context["visits"][-1].saw == ["your personal details", "your medication"]
    assert 'rel="next"' in first.content.decode() and 'rel="next"' not in third.content.decode()
    api = person_client.get(api_url(person), {"page": 2}).json()
    assert (api["count"], len(api["items"])) == (93, 43)


def test_the_log_page_reads_in_a_fixed_number_of_queries(
    one_chain, person, gp, nurse, person_client, django_assert_max_num_queries
):
    """No query per row nor per visit: the page costs the same with 2 visits as with 40."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person_client.get(log_url(person))  # warm up: the session's first renewal is written once
    start = timezone.now() - timedelta(days=10)
    for n in range(2):
        past_row(gp, person, start + timedelta(hours=n))
    with CaptureQueriesContext(connection) as few:
        person_client.get(log_url(person))
    for n in range(2, 40):
        for actor in (gp, nurse):
            for minute in range(3):
                past_row(actor, person, start + timedelta(hours=n, minutes=minute), category="medication")
    with django_assert_max_num_queries(len(few)):
        response = person_client.get(log_url(person))
    assert len(response.context["visits"]) == 20


def test_emergency_access_is_shown_as_such(person, person_client):
    doctor = in_english(UserFactory(profile=Profile.HOSPITAL_DOCTOR, full_name="Dr. Spoed"))
    BreakGlassAccessFactory(person=person, actor=doctor)
    gate.check(doctor, person, Category.MEDICATION, Level.READ, action="medication.viewed")

    response = person_client.get(log_url(person))

    visit = response.context["visits"][0]
    assert (visit.who, visit.saw, visit.emergency, visit.refusals) == ("Dr. Spoed", ["your medication"], True, [])
    assert response.context["summary"].emergency_visits == 1
    assert "Emergency access was used 1 time." in response.content.decode()
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


# ── grouped per visit (issue 11) ────────────────────────────────────────────────────────────


def test_one_look_at_the_dossier_is_one_visit_with_what_was_seen_in_plain_words(person, nurse, person_client):
    reads = [Category.IDENTITY, Category.TEAM, Category.SITUATION, Category.MEDICAL, Category.MEDICATION]
    gate.audit_reads(
        nurse, person, [(gate.decide(nurse, person, c, Level.READ), "people.dossier_viewed") for c in reads]
    )

    response = person_client.get(log_url(person))

    assert AuditEntry.objects.filter(actor_id=nurse.pk).count() == 5
    assert shown(response) == [
        (
            "Sofie Janssens",
            "nurse",
            [
                "your personal details",
                "your care team",
                "your situation at home",
                "your medical information",
                "your medication",
            ],
            [],
        )
    ]


def test_a_visit_ends_after_thirty_minutes_without_a_row_and_each_actor_has_their_own(person, gp, nurse, person_client):
    start = timezone.now() - timedelta(days=2)
    past_row(gp, person, start)
    past_row(nurse, person, start + timedelta(minutes=5))  # interleaved: the nurse's own visit
    past_row(gp, person, start + timedelta(minutes=29), category="medication")  # the same visit
    past_row(gp, person, start + timedelta(minutes=29 + 31), category="medical")  # a new one

    visits = person_client.get(log_url(person)).context["visits"]

    assert [(visit.who, visit.start, visit.saw) for visit in visits] == [
        ("Dr. An Peeters", start + timedelta(minutes=60), ["your medical information"]),
        ("Dr. An Peeters", start, ["your personal details", "your medication"]),
        ("Sofie Janssens", start + timedelta(minutes=5), ["your personal details"]),
    ]
    assert visits[1].end == start + timedelta(minutes=29)


def test_the_persons_own_visits_are_hidden_unless_asked_for(person, gp, person_user, person_client):
    start = timezone.now() - timedelta(days=1)
    past_row(person_user, person, start, relationship="self", actor_profile="person")
    past_row(gp, person, start + timedelta(hours=2))

    hidden = person_client.get(log_url(person))
    with_own = person_client.get(log_url(person), {"own": "1"})

    assert [visit.who for visit in hidden.context["visits"]] == ["Dr. An Peeters"]
    assert hidden.context["summary"].own_visits == 2  # the earlier row, and opening this page
    assert "Show your own visits too (2)" in hidden.content.decode()
    assert [(visit.who, visit.own) for visit in with_own.context["visits"]] == [
        ("Jozef Wouters", True),
        ("Dr. An Peeters", False),
        ("Jozef Wouters", True),
    ]
    assert "Hide your own visits" in with_own.content.decode()
    assert 'name="own" value="1"' in with_own.content.decode()  # the period form keeps the choice


def test_the_summary_counts_people_emergency_access_and_refusals(person, gp, nurse, outsider, person_client):
    gate.check(gp, person, Category.MEDICAL, Level.READ, action="people.section_viewed")
    gate.check(nurse, person, Category.MEDICATION, Level.READ, action="people.section_viewed")
    with pytest.raises(gate.Refused):
        gate.check(outsider, person, Category.MEDICAL, Level.READ, action="people.section_viewed")

    response = person_client.get(log_url(person))

    summary = response.context["summary"]
    assert (summary.people, summary.visits, summary.emergency_visits, summary.refused_visits) == (3, 3, 0, 1)
    body = response.content.decode()
    assert "3 people looked at your dossier." in body
    assert "Nobody used emergency access." in body
    assert "Something was refused 1 time: see below why." in body


def test_the_page_gives_the_dpos_contact(person, person_client, settings):
    settings.DPO_CONTACT_NAME = "Greet Dewulf, Zorgzone Kempen"
    settings.DPO_CONTACT_EMAIL = "dpo@zorgzone.example"
    settings.DPO_CONTACT_PHONE = "+3214697750"

    body = person_client.get(log_url(person)).content.decode()

    assert "A question or a complaint?" in body
    assert "Greet Dewulf, Zorgzone Kempen" in body
    assert 'href="mailto:dpo@zorgzone.example"' in body
    assert '<a href="tel:+3214697750">+32 14 69 77 50</a>' in body


def test_the_page_reads_in_dutch_and_french(person, gp, outsider, person_user, person_client):
    with pytest.raises(gate.Refused):
        gate.check(outsider, person, Category.MEDICATION, Level.READ, action="people.section_viewed")
    for language, title, refusal in (
        ("nl", "Wie keek in uw dossier", "Probeerde uw medicatie te bekijken."),
        ("fr", "Qui a consulté votre dossier", "A essayé de voir vos médicaments."),
    ):
        person_user.language = language
        person_user.save(update_fields=["language"])
        body = client_for(person_user).get(log_url(person), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert title in body and refusal in body


def test_a_mandate_holders_visit_says_it_was_on_your_behalf(person, person_user, mandate_holder, person_client):
    gate.check(mandate_holder, person, Category.WISHES, Level.READ, action="people.section_viewed")

    visit = person_client.get(log_url(person)).context["visits"][0]

    assert (visit.who, visit.on_your_behalf, visit.saw) == ("Marie Claes", True, ["your wishes and life goals"])


def test_the_api_offers_the_visits_beside_the_raw_rows(person, gp, outsider, person_user, person_client):
    reads = [Category.IDENTITY, Category.MEDICATION]
    gate.audit_reads(gp, person, [(gate.decide(gp, person, c, Level.READ), "people.dossier_viewed") for c in reads])
    with pytest.raises(gate.Refused):
        gate.check(outsider, person, Category.MEDICAL, Level.READ, action="people.section_viewed")

    data = person_client.get(api_url(person) + "/visits").json()

    assert data["summary"] == {"people": 2, "visits": 2, "emergency_visits": 0, "refused_visits": 1, "own_visits": 1}
    assert (data["count"], data["page"], data["pages"]) == (2, 1, 1)
    outsider_visit, gp_visit = data["items"]
    assert outsider_visit["refused"] == [
        {"action": "people.section_viewed", "category": "medical", "level": "read", "reason": "no_relationship"}
    ]
    assert (gp_visit["who"], gp_visit["role"], gp_visit["read"], gp_visit["rows"]) == (
        "Dr. An Peeters",
        "gp",
        ["identity", "medication"],
        2,
    )
    with_own = person_client.get(api_url(person) + "/visits", {"own": "true"}).json()
    # The person's two looks at the log, a moment apart, are one visit of their own.
    first = with_own["items"][0]
    assert (first["who"], first["own"], first["opened"]) == (
        "Jozef Wouters",
        True,
        ["audit.person_log_viewed"],
    )
    assert with_own["count"] == 3


def test_an_automatic_task_is_named_as_such_and_not_counted_as_a_person(person, gp, person_client):
    from audit.services import SystemActor, log_event

    log_event(SystemActor("purge_expired"), "privacy.purged", allowed=True, reason="granted", person=person)

    response = person_client.get(log_url(person))

    assert [visit.who for visit in response.context["visits"]] == ["Schakel itself (an automatic task)"]
    assert response.context["summary"].people == 0
