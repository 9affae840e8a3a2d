"""The summary on top of the dossier page (issue 11): the alerts a reader must not miss, each only
for a reader of the category it comes from; the consent status with its link; the coordinator and
how to reach them; what others changed since the reader's last visit; the sections below folded
but for those with an alert, each with its last change; and a bounded number of queries."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access import services as access_services
from access.models import Consent
from accounts.models import User
from audit.models import AuditEntry
from conftest import client_for, in_english
from demo import zone
from people import queries, sections, services
from people.models import Person, Vaccination
from people.tests.factories import medication_problem, section_row
from people.tests.test_dossier_pages import _grow, full_dossier
from teams.models import Membership

SUMMARY = re.compile(r'<section class="card dossier-summary".*?</section>', re.S)


def detail(person) -> str:
    return reverse("people:detail", args=[person.public_id])


def page_of(user, person) -> str:
    response = client_for(user).get(detail(person))
    assert response.status_code == 200
    return response.content.decode()


def summary_of(body: str) -> str:
    found = SUMMARY.search(body)
    assert found, "the dossier page has its summary"
    return found.group(0)


def alerting_dossier(person, author):
    """A dossier with something to flag in each category: a severe and a mild allergy, an open
    and a handled medication problem, an overdue and a renewed vaccination, a directive."""
    section_row(person, "allergies", substance="Penicilline", reaction="rash, swelling", severity="severe")
    section_row(person, "allergies", substance="Latex plasters", severity="mild")
    medication_problem(person, author, medication="Amlodipine 5 mg")
    medication_problem(person, author, medication="Old problem", handled_at=timezone.now(), handled_by=author)
    overdue = timezone.localdate() - timedelta(days=30)
    section_row(person, "vaccinations", vaccine="Influenza", given_on=date(2024, 10, 1), next_due=overdue)
    # Renewed: an older dose was due long ago, the newer one is due next year.
    section_row(person, "vaccinations", vaccine="Tetanus", given_on=date(2010, 1, 1), next_due=date(2020, 1, 1))
    section_row(person, "vaccinations", vaccine="tetanus ", given_on=date(2020, 2, 1), next_due=date(2030, 1, 1))
    section_row(person, "care_planning", remarks="DNR 2: no resuscitation, no intensive care.")
    return overdue


def test_the_gp_finds_the_alerts_on_top_of_the_dossier(gp, person):
    alerting_dossier(person, gp)
    body = page_of(gp, person)
    summary = summary_of(body)
    assert "Severe allergy to Penicilline: rash, swelling." in summary
    assert "Latex plasters" not in summary  # mild: in its section, not an alert
    assert "Open medication problem, reported on" in summary and "(Amlodipine 5 mg)." in summary
    assert "Old problem" not in summary  # handled
    assert "Vaccination overdue: Influenza was due on " in summary
    assert "Tetanus" not in summary and "tetanus" not in summary  # the newer dose is not due yet
    assert "Advance directive of " in summary
    assert "Agreements about care: DNR 2: no resuscitation, no intensive care." in summary
    # On top: before the identity and every section.
    assert body.index("dossier-summary") < body.index("identity-heading") < body.index('id="group-contacts"')
    # Each alert leads to its section's page.
    assert f'href="{reverse("people:section-allergies", args=[person.public_id])}"' in summary
    assert f'href="{reverse("people:medication-problems", args=[person.public_id])}"' in summary


def test_an_alert_is_shown_only_to_a_reader_of_its_category(gp, caregiver, neighbour, person):
    alerting_dossier(person, gp)
    # The informal caregiver reads medication and acp, not medical: no allergy, no vaccination.
    summary = summary_of(page_of(caregiver, person))
    assert "Penicilline" not in summary and "allerg" not in summary.lower()
    assert "Influenza" not in summary and "Vaccination" not in summary
    assert "Open medication problem" in summary
    assert "Agreements about care" in summary
    # The neighbour reads the team only: no alert at all, no consent, but the coordinator.
    summary = summary_of(page_of(neighbour, person))
    for hidden in ("Penicilline", "Influenza", "medication problem", "Agreements", "consent", "directive"):
        assert hidden not in summary
    assert "Nothing to flag in the parts of the dossier you may read." in summary
    assert "Dr. An Peeters" in summary


def test_the_queries_give_no_alert_from_a_category_the_reader_may_not_read(gp, caregiver, person):
    alerting_dossier(person, gp)
    page = queries.dossier_page(caregiver, person.public_id)
    assert {alert.section for alert in page.summary.alerts} == {"medication_problems", "care_planning"}
    assert "allergies" not in page.dossier.entries and "vaccinations" not in page.dossier.entries


def test_the_consent_status_none_given_withdrawn_with_the_way_to_it(gp, person_user, person):
    consent = Consent.objects.get(person=person, basis=Consent.Basis.CONSENT)
    summary = summary_of(page_of(gp, person))
    assert "The person consented to sharing with the care team on" in summary
    assert "/consent/" not in summary  # given: nothing to record
    summary = summary_of(page_of(person_user, person))
    assert "You consented to sharing with your care team on" in summary
    assert reverse("access:consent", args=[person.public_id]) in summary

    access_services.withdraw_consent(person_user, person)
    consent.refresh_from_db()
    assert consent.until is not None
    summary = summary_of(page_of(person_user, person))
    assert "You withdrew your consent to share with your care team on" in summary

    Consent.objects.all().delete()
    summary = summary_of(page_of(person_user, person))
    assert "You have not given consent to share with your care team." in summary
    assert reverse("access:consent", args=[person.public_id]) in summary


def test_a_professional_who_may_record_consent_finds_the_way_while_there_is_none(gp, person):
    Consent.objects.filter(person=person).delete()
    Consent.objects.create(
        person=person, basis=Consent.Basis.LEGAL_BASIS, holder=gp, categories=["identity", "acp"], recorded_by=gp
    )
    summary = summary_of(page_of(gp, person))
    assert "No consent to share with the care team is on file." in summary
    assert reverse("access:consent-record", args=[person.public_id]) in summary


def test_the_consent_status_says_withdrawn_to_the_team(gp, person):
    Consent.objects.filter(person=person, basis=Consent.Basis.CONSENT).update(until=timezone.now())
    # The GP keeps the registration basis: reads acp without consent.
    Consent.objects.create(
        person=person, basis=Consent.Basis.LEGAL_BASIS, holder=gp, categories=["identity", "acp"], recorded_by=gp
    )
    assert "Consent to share with the care team was withdrawn on" in summary_of(page_of(gp, person))


def test_an_open_emergency_access_is_shown_to_the_person_the_coordinator_and_its_holder(
    gp, nurse, outsider, person_user, person
):
    access_services.break_glass(outsider, person.insz, "Found unconscious at home, no answer from the GP.")
    for reader, link in ((person_user, "audit:person-log"), (gp, "access:explain")):  # the GP coordinates
        summary = summary_of(page_of(reader, person))
        assert "Dr. Outsider Vermeulen opened emergency access (until" in summary
        assert "Found unconscious at home" in summary
        assert reverse(link, args=[person.public_id]) in summary
    assert "emergency access" not in summary_of(page_of(nurse, person))
    own = summary_of(page_of(outsider, person))
    assert "You are reading under emergency access until" in own and "You cannot change anything." in own


def test_the_coordinator_with_call_links_the_priority_number_for_professionals(gp, nurse, caregiver, person):
    Membership.objects.filter(person=person, user=gp).update(
        phone="+3214990111", phone_24_7="+3214990120", priority_phone="+3214990101", hours="weekdays 8-18"
    )
    summary = summary_of(page_of(nurse, person))
    assert "Care coordinator" in summary and "Dr. An Peeters" in summary and "Reachable: weekdays 8-18" in summary
    for number, shown in (("+3214990111", "+32 14 99 01 11"), ("+3214990120", "+32 14 99 01 20")):
        assert f'href="tel:{number}" aria-label="Call Dr. An Peeters on {shown}">{shown}</a>' in summary
    assert 'href="tel:+3214990101"' in summary and "Priority number:" in summary
    # The person's circle sees the ordinary and 24/7 numbers; the priority number is for
    # professionals only (TEAM-04).
    summary = summary_of(page_of(caregiver, person))
    assert 'href="tel:+3214990111"' in summary and 'href="tel:+3214990120"' in summary
    assert "+3214990101" not in summary and "99 01 01" not in summary and "Priority number" not in summary

    Membership.objects.filter(person=person).update(is_coordinator=False)
    assert "This team has no care coordinator yet." in summary_of(page_of(nurse, person))


def test_what_others_changed_since_the_last_visit_in_what_the_reader_may_read(gp, nurse, caregiver, person):
    assert "This is your first visit to this dossier." in summary_of(page_of(caregiver, person))
    assert "This is your first visit to this dossier." in summary_of(page_of(gp, person))
    summary = summary_of(page_of(gp, person))
    assert "You last opened this dossier on" in summary
    assert "Nobody else has changed anything you may read since then." in summary

    intake = services.add_entry(
        nurse, person, "medication", medication="Metformine 500 mg", dose="1", time_of_day="08:00"
    )
    services.add_entry(gp, person, "allergies", substance="Penicilline", kind="medication", severity="mild")
    services.change_entry(nurse, intake, version=1, dose="2")
    summary = summary_of(page_of(gp, person))
    assert re.search(r"Medication schedule: changed by Sofie Janssens, last on [^<]+\.", summary), summary
    assert "Allergies" not in summary  # the GP's own change
    # The caregiver may not read medical: the GP's allergy is not listed to her.
    summary = summary_of(page_of(caregiver, person))
    assert "Medication schedule: changed by Sofie Janssens" in summary
    assert "Allergies: changed by" not in summary and "Dr. An Peeters" not in summary.split("Since your last visit")[1]
    # The changes are those since the previous visit: looking again shows none.
    assert "Nobody else has changed anything you may read since then." in summary_of(page_of(gp, person))


def test_a_removal_counts_as_a_change(gp, nurse, person):
    need = services.add_entry(nurse, person, "needs", domain="mobility", description="A walking frame")
    page_of(gp, person)
    services.remove_entry(nurse, need, version=1)
    assert "Care and support needs: changed by Sofie Janssens" in summary_of(page_of(gp, person))


def test_a_stopped_medication_line_counts_as_a_change(gp, nurse, person):
    line = services.add_entry(gp, person, "medication", medication="Zolpidem", dose="1", time_of_day="21:00")
    page_of(nurse, person)
    services.stop_medication(gp, line, version=1, stopped_on=timezone.localdate(), reason="Falls at night")
    assert "Medication schedule: changed by Dr." in summary_of(page_of(nurse, person))


def test_the_last_visit_is_the_readers_previous_audited_opening(gp, person):
    page_of(gp, person)
    first = AuditEntry.objects.filter(person=person, actor=gp, action="people.person_viewed").get()
    assert queries._last_visit(gp, person) == first.created_at


def test_sections_fold_but_for_those_with_an_alert_each_with_its_last_change(gp, nurse, person):
    full_dossier(person, gp)  # an open medication problem; the sample allergy is severe
    services.add_entry(nurse, person, "needs", domain="mobility", description="A walking frame")
    body = page_of(gp, person)
    folded = re.findall(r'<details( open)?>\s*<summary><h2 id="group-([a-z]+)">', body)
    assert {code: bool(unfolded) for unfolded, code in folded} == {
        "contacts": False,
        "family": False,
        "home": False,
        "help": False,
        "needs": False,
        "medication": True,  # an open problem
        "medical": True,  # a severe allergy
        "wishes": False,
        "acp": True,  # the directive
    }
    needs = re.search(r'<h2 id="group-needs">.*?</summary>', body, re.S)
    assert needs and "Last changed by Sofie Janssens on" in needs.group(0)


def test_a_vaccination_is_overdue_only_after_its_due_date(person):
    today = date(2026, 3, 2)
    given = date(2025, 3, 1)
    rows = [
        Vaccination(person=person, pk=1, vaccine="Influenza", given_on=given, next_due=today - timedelta(days=1)),
        Vaccination(person=person, pk=2, vaccine="COVID-19", given_on=given, next_due=today),
        Vaccination(person=person, pk=3, vaccine="Pneumococcus", given_on=given),
    ]
    assert [v.vaccine for v in queries.overdue_vaccinations(rows, today)] == ["Influenza"]


# 34 on main; the summary adds five (the last visit, the coordinator, the emergency accesses, and two
# UNIONs of the readable sections' history): a little slack for what the lead merges next to it.
QUERIES = 42


@pytest.mark.parametrize("size", [2, 12])
def test_the_dossier_page_queries_stay_bounded(gp, gp_client, person, django_assert_max_num_queries, size):
    full_dossier(person, gp)  # a severe allergy, an open problem, a directive
    section_row(person, "vaccinations", next_due=date(2020, 1, 1))
    _grow(person, gp, size)
    gp_client.get(detail(person))  # a previous visit, so that the changes are looked up too
    with django_assert_max_num_queries(QUERIES):
        assert gp_client.get(detail(person)).status_code == 200


@pytest.mark.django_db
def test_the_demo_gp_finds_jozefs_alerts_on_top():
    zone.load()
    jozef = Person.objects.get(given_name="Jozef")
    gp = in_english(User.objects.get(email=zone.email_for("gp")))
    summary = summary_of(page_of(gp, jozef))
    assert "Severe allergy to Penicilline: huiduitslag, zwelling." in summary
    assert "Open medication problem, reported on" in summary and "(Amlodipine 5 mg)." in summary
    assert "Vaccination overdue: Tetanus-difterie (Td) was due on" in summary
    assert "Agreements about care: DNR 2: niet reanimeren" in summary
    # Jozef's GP coordinates: her ordinary number, and her priority number for the GP.
    assert 'href="tel:+3214000011"' in summary and 'href="tel:+3214000001"' in summary
    # Each row's history carries when it was written, so a section's last change is not "today".
    allergies = sections.kind("allergies").model.history.filter(person_id=jozef.pk)
    assert all(row.history_date == row.updated_at for row in allergies)


def test_the_printed_summary_carries_the_alerts_its_reader_may_read(gp, caregiver, person):
    alerting_dossier(person, gp)
    printed = client_for(gp).get(reverse("people:summary", args=[person.public_id])).content.decode()
    assert "Severe allergy to Penicilline: rash, swelling." in printed
    assert "Vaccination overdue: Influenza was due on " in printed
    printed = client_for(caregiver).get(reverse("people:summary", args=[person.public_id])).content.decode()
    assert "Open medication problem, reported on" in printed
    assert "Penicilline" not in printed and "Vaccination overdue" not in printed
