"""The dossier pages: only the sections the reader may read (no hidden heading, no count), a
fixed number of queries however big the team or long the history, edits with clear errors, a
stale edit that shows who changed it and the new version, and a history per section."""

import re
from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access import gate, rules
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Profile
from notifications.models import Notification
from people import queries, services
from people.models import Allergy, Contact, Visit
from people.sections import SECTIONS
from people.tests.factories import SECTION_SAMPLES, join_team, medication_problem, section_row


def detail(person) -> str:
    return reverse("people:detail", args=[person.public_id])


def section_url(person, slug: str) -> str:
    return reverse(f"people:section-{slug}", args=[person.public_id])


def full_dossier(person, author):
    for code, kind in SECTIONS.items():
        if kind.generic:
            section_row(person, code)
    medication_problem(person, author)


def test_the_gp_sees_every_section(gp, gp_client, person):
    full_dossier(person, gp)
    body = gp_client.get(detail(person)).content.decode()
    for heading in (
        "Contacts",
        "Family",
        "Social situation and home",
        "Help at home",
        "Care and support needs",
        "Medication",
        "Allergies and vaccinations",
        "Wishes and life goals",
        "Advance care planning and decision-making",
    ):
        assert f">{heading}</h2>" in body
    assert "Penicilline" in body and "+32 14 12 34 56" in body and "Dizzy after the morning pills." in body
    assert "The person consented to sharing with the care team on" in body
    granted = AuditEntry.objects.filter(actor_id=gp.pk, action="people.dossier_viewed", allowed=True)
    assert sorted(granted.values_list("category", flat=True)) == [
        "acp",
        "medical",
        "medication",
        "situation",
        "team",
        "wishes",
    ]


def test_a_hidden_category_leaves_no_heading_no_title_and_no_count(caregiver, gp, person):
    # The informal caregiver's row has no medical; the neighbour's has team only.
    full_dossier(person, gp)
    body = client_for(caregiver).get(detail(person)).content.decode()
    assert "Allergies and vaccinations" not in body and "Penicilline" not in body and "Influenza" not in body
    assert "Vaccinations" not in body and "Allergies" not in body
    assert "Metformine 500 mg" in body  # medication: read
    assert AuditEntry.objects.filter(actor_id=caregiver.pk, category="medical").count() == 0


def test_the_neighbour_sees_the_contacts_only(neighbour, gp, person):
    full_dossier(person, gp)
    body = client_for(neighbour).get(detail(person)).content.decode()
    assert re.findall(r"<h2 id=\"group-[a-z]+\">([^<]+)</h2>", body) == ["Contacts"]
    for hidden in ("Marie Claes", "Sofie Janssens", "Metformine", "Penicilline", "hairdresser", "Dr. An Peeters (GP)"):
        assert hidden not in body


def _dossier_queries(client, person) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(detail(person)).status_code == 200
    return len(captured)


def _grow(person, gp, n: int) -> None:
    for i in range(n):
        join_team(person, UserFactory(profile=Profile.NURSE))
        contact = section_row(person, "contacts", name=f"Contact {i}")
        services.change_entry(gp, contact, version=1, role=f"role {i}")
        section_row(person, "help_history", what=f"Help {i}")
        section_row(person, "visits", weekday=i % 7)
        medication_problem(person, gp)


def test_the_dossier_query_count_does_not_grow_with_the_team_or_the_history(gp, gp_client, person):
    full_dossier(person, gp)
    _grow(person, gp, 2)
    _dossier_queries(gp_client, person)  # warm caches (content types, sessions)
    small = _dossier_queries(gp_client, person)
    _grow(person, gp, 18)
    large = _dossier_queries(gp_client, person)
    assert Contact.objects.filter(person=person).count() == 21
    assert small == large


def test_the_weekly_view_shows_who_comes_when(gp_client, gp, person):
    section_row(person, "visits", who="Ilse Goossens", service="Familiehulp", weekday=2, tasks="cleaning")
    section_row(person, "visits", who="Sofie Janssens", weekday=2, start_time=time(7, 30), end_time=time(8))
    weekly = queries.weekly_visits(gp, person)
    wednesday = weekly.days[2]
    assert (weekly.count, wednesday.label) == (2, "Wednesday")
    assert [(v.start, v.end, v.who) for v in wednesday.visits] == [
        ("07:30", "08:00", "Sofie Janssens"),
        ("08:00", "08:30", "Ilse Goossens"),
    ]
    assert [day.visits for day in weekly.days if day.label != "Wednesday"] == [[]] * 6
    body = gp_client.get(detail(person)).content.decode()
    assert "08:00–08:30: Ilse Goossens (Familiehulp)" in body


def test_the_weekly_view_query_is_gated(neighbour, person):
    with pytest.raises(gate.Refused):
        queries.weekly_visits(neighbour, person)
    assert AuditEntry.objects.get(actor_id=neighbour.pk).reason == "matrix"


def test_adding_an_entry_in_the_page_normalises_the_phone(gp_client, gp, person):
    response = gp_client.post(
        section_url(person, "contacts"),
        {"name": "Dr. Lambert", "kind": "professional", "phone": "014 12 34 56", "mobile": "0470 12 34 56"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(person=person)
    assert (contact.phone, contact.mobile, contact.updated_by) == ("+3214123456", "+32470123456", gp)


def test_bad_input_in_the_page_gives_clear_errors_and_changes_nothing(gp_client, person):
    response = gp_client.post(section_url(person, "contacts"), {"name": "", "kind": "professional", "phone": "12"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid phone number, e.g. 0470 12 34 56 or +32 470 12 34 56." in body
    assert "This field is required." in body
    response = gp_client.post(
        section_url(person, "visits"),
        {"who": "Sofie", "weekday": "1", "start_time": "09:00", "end_time": "08:00", "tasks": "washing"},
    )
    assert "The visit must end after it starts." in response.content.decode()
    assert Contact.objects.count() == Visit.objects.count() == 0


def test_a_stale_edit_in_the_page_shows_who_changed_it_and_the_new_version(gp_client, nurse, person):
    allergy = section_row(person, "allergies", reaction="rash")
    services.change_entry(nurse, allergy, version=1, reaction="swollen lips")
    response = gp_client.post(
        section_url(person, "allergies"),
        {
            "item": str(allergy.public_id),
            "version": "1",
            "substance": "Penicilline",
            "kind": "medication",
            "reaction": "hives",
            "severity": "severe",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"This was changed by Sofie Janssens at [^<]+; here is the new version\.", body)
    assert "<dd>swollen lips</dd>" in body  # the new version
    assert 'value="hives"' in body  # the user's input is kept
    assert '<input type="hidden" name="version" value="2"' in body  # saving again is deliberate
    allergy.refresh_from_db()
    assert (allergy.reaction, allergy.version) == ("swollen lips", 2)


def test_a_reader_who_may_not_write_sees_no_form_and_is_refused_403(caregiver, person):
    client = client_for(caregiver)
    url = section_url(person, "family")
    entry = section_row(person, "family")
    body = client.get(url).content.decode()
    assert "Marie Claes" in body and '<form method="post" action="' + url not in body
    response = client.post(url, {"item": str(entry.public_id), "version": "1", "name": "Changed"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.name == "Marie Claes"
    refusal = AuditEntry.objects.get(actor_id=caregiver.pk, allowed=False)
    assert (refusal.category, refusal.level, refusal.reason) == ("situation", "write", "matrix")


def test_the_person_writes_in_their_own_words_in_the_page(person_client, person_user, person):
    url = section_url(person, "own-words")
    response = person_client.post(url, {"version": "0", "life_goals": "Blijven wonen bij mijn kat.", "own_needs": ""})
    assert response.status_code == 302
    body = person_client.get(detail(person)).content.decode()
    assert "Blijven wonen bij mijn kat." in body


def test_removing_an_entry_keeps_it_in_the_history(gp_client, person):
    allergy = section_row(person, "allergies")
    response = gp_client.post(
        section_url(person, "allergies"), {"action": "remove", "item": str(allergy.public_id), "version": "1"}
    )
    assert response.status_code == 302
    assert Allergy.objects.count() == 0
    history = gp_client.get(reverse("people:history-allergies", args=[person.public_id])).content.decode()
    assert "removed" in history and "Penicilline" in history


def test_the_history_page_shows_who_what_before_and_after_newest_first(gp_client, gp, nurse, person):
    entry = services.add_entry(gp, person, "visits", **SECTION_SAMPLES["visits"])
    services.change_entry(nurse, entry, version=1, tasks="washing and dressing")
    body = gp_client.get(reverse("people:history-visits", args=[person.public_id])).content.decode()
    rows = re.findall(r"<td data-label=\"Who\">([^<]+)</td>\s*<td data-label=\"What\">([^<]+)</td>", body)
    assert rows == [("Sofie Janssens", "changed"), ("Dr. An Peeters", "added")]
    assert "What they do: washing → washing and dressing" in body
    assert "Weekday: — → Monday" in body


def test_the_history_page_is_gated_by_the_sections_category(neighbour, person):
    response = client_for(neighbour).get(reverse("people:history-allergies", args=[person.public_id]))
    assert response.status_code == 404


def test_reporting_a_problem_in_the_page_tells_the_pharmacist(caregiver, pharmacist, person):
    client = client_for(caregiver)
    url = reverse("people:medication-problems", args=[person.public_id])
    response = client.post(url, {"action": "report", "kind": "intake", "description": "Spits out the pill."})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=pharmacist, kind="medication_problem").count() == 1
    body = client.get(url).content.decode()
    assert "Spits out the pill." in body and "Mark as handled" not in body


def test_the_pharmacist_marks_a_problem_handled_in_the_page(pharmacist, caregiver, person):
    problem = medication_problem(person, caregiver, owner=pharmacist)
    client = client_for(pharmacist)
    url = reverse("people:medication-problems", args=[person.public_id])
    response = client.post(
        url, {"action": "handle", "item": str(problem.public_id), "version": "1", "note": "Called the GP."}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.is_open, problem.handled_note) == (False, "Called the GP.")
    assert "No medication problems are open." in client.get(detail(person)).content.decode()


def test_saving_an_entry_someone_removed_says_so_and_adds_nothing(gp_client, gp, person):
    allergy = section_row(person, "allergies")
    services.remove_entry(gp, allergy, version=1)
    response = gp_client.post(
        section_url(person, "allergies"),
        {"item": str(allergy.public_id), "version": "1", "substance": "X", "kind": "food", "severity": "mild"},
    )
    assert response.status_code == 200
    assert "Someone else removed this entry in the meantime." in response.content.decode()
    assert Allergy.objects.count() == 0


def test_a_professional_who_may_record_consent_finds_the_way_there_from_the_dossier(gp, caregiver, person_user, person):
    record = reverse("access:consent-record", args=[person.public_id])
    own = reverse("access:consent", args=[person.public_id])
    assert rules.consent_recording(gp, person).allowed
    assert record in client_for(gp).get(detail(person)).content.decode()
    assert not rules.consent_recording(caregiver, person).allowed
    assert record not in client_for(caregiver).get(detail(person)).content.decode()
    body = client_for(person_user).get(detail(person)).content.decode()  # the person manages their own
    assert own in body and record not in body
