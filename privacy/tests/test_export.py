"""The subject-access export (GDPR art. 15): the person or their legal representative downloads
everything on file, as JSON and as a PDF; nobody else may, and every request is audited."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from access.models import BreakGlassAccess
from access.tests.factories import ExclusionFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for, in_english
from core.vocab import Category, Level, Profile
from people import pdf, sections, services
from people.tests.factories import section_row
from privacy import export
from privacy.models import Closure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def dossier_with_history(person, gp, person_user):
    """The GP records a penicillin allergy, then changes its severity; the GP opens the dossier
    once, so the access log has a read by someone else than the person."""
    in_english(person_user)
    allergy = services.add_entry(gp, person, "allergies", substance="Penicilline", kind="medication", severity="mild")
    services.change_entry(gp, allergy, version=allergy.version, severity="severe")
    section_row(person, "own_words")
    client_for(gp).get(reverse("people:detail", args=[person.public_id]))
    return person


def _json(client, person):
    response = client.get(reverse("privacy:export-json", args=[person.public_id]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_person_downloads_their_dossier_with_its_history_and_the_access_log(dossier_with_history, person_user):
    person = dossier_with_history
    data = _json(client_for(person_user), person)
    assert data["format"] == "schakel-subject-access/1"
    assert datetime.fromisoformat(data["generated_at"])
    assert data["generated_for"] == {"name": "Jozef Wouters", "relationship": "self"}
    assert data["person"]["id"] == str(person.public_id)
    assert data["person"]["insz"] == person.insz

    allergies = next(section for section in data["dossier"] if section["section"] == "allergies")
    assert allergies["category"] == Category.MEDICAL
    (entry,) = allergies["entries"]
    assert entry["fields"]["substance"] == "Penicilline" and entry["fields"]["severity"] == "severe"
    changed, added = allergies["history"]  # newest first
    assert (changed["what"], changed["who"]) == ("changed", "Dr. An Peeters")
    assert {"field": "severity", "before": "mild", "after": "severe"} in changed["changes"]
    assert added["what"] == "added" and datetime.fromisoformat(added["when"])
    # Every dossier section is in the export, filled or not.
    assert {section["section"] for section in data["dossier"]} == set(sections.SECTIONS)

    log = data["access_log"]
    assert any(row["who"] == "Dr. An Peeters" and row["action"] == "people.dossier_viewed" for row in log)
    assert any(row["action"] == export.EXPORTED and row["event"] == "export" for row in log)
    assert all(datetime.fromisoformat(row["when"]) for row in log)
    assert {member["name"] for member in data["care_team"]} >= {"Dr. An Peeters", "Marie Claes"}
    assert data["consents"][0]["basis"] == "consent"
    assert "priority_phone" not in json.dumps(data["care_team"])


def test_the_access_log_in_the_export_is_the_person_s_log(dossier_with_history, person_user):
    """The same rows as "who looked at my dossier", this export's own rows included."""
    person = dossier_with_history
    data = _json(client_for(person_user), person)
    expected = AuditEntry.objects.filter(person_id=person.pk).count()
    assert len(data["access_log"]) == expected


def test_the_legal_representative_may_download_it(dossier_with_history, representative):
    data = _json(client_for(representative), dossier_with_history)
    assert data["generated_for"]["relationship"] == "representative"
    assert any(section["entries"] for section in data["dossier"])


@pytest.mark.parametrize("who", ["gp", "caregiver", "mandate_holder"])
def test_team_members_and_mandate_holders_are_refused_with_403(who, dossier_with_history, request):
    user = in_english(request.getfixturevalue(who))
    client = client_for(user)
    person = dossier_with_history
    for name in ("privacy:export-json", "privacy:export-pdf", "privacy:your-data"):
        response = client.get(reverse(name, args=[person.public_id]))
        assert response.status_code == 403, name
        assert person.insz.encode() not in response.content
    refusals = AuditEntry.objects.filter(actor_id=user.pk, action__startswith="privacy.", allowed=False)
    assert set(refusals.values_list("reason", flat=True)) == {"not_person_or_representative"}
    assert refusals.count() == 3
    assert not AuditEntry.objects.filter(actor_id=user.pk, action=export.EXPORTED, allowed=True).exists()


def test_an_outsider_gets_404(dossier_with_history, outsider):
    response = client_for(outsider).get(reverse("privacy:export-json", args=[dossier_with_history.public_id]))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(actor_id=outsider.pk, action=export.EXPORTED, allowed=False).count() == 1


def test_the_export_is_audited_as_an_export_of_each_category_it_holds(dossier_with_history, person_user):
    person = dossier_with_history
    data = _json(client_for(person_user), person)
    rows = AuditEntry.objects.filter(actor_id=person_user.pk, action=export.EXPORTED)
    assert sorted(rows.values_list("category", flat=True)) == sorted(data["categories"])
    assert {Category.IDENTITY, Category.TEAM, Category.MEDICAL} <= set(data["categories"])
    assert set(rows.values_list("event", flat=True)) == {AuditEntry.Event.EXPORT}
    assert set(rows.values_list("level", flat=True)) == {Level.READ}
    assert all(row.allowed and row.detail == {"format": "json"} for row in rows)


def test_the_pdf_is_a_pdf(dossier_with_history, person_user):
    response = client_for(person_user).get(reverse("privacy:export-pdf", args=[dossier_with_history.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert dossier_with_history.family_name not in response["Content-Disposition"]


def test_the_pdf_holds_the_history_and_the_access_log(dossier_with_history, person_user, monkeypatch):
    pages: list[str] = []
    monkeypatch.setattr(pdf, "render", lambda html: pages.append(html) or b"%PDF-stand-in")
    response = client_for(person_user).get(reverse("privacy:export-pdf", args=[dossier_with_history.public_id]))
    assert response.content == b"%PDF-stand-in"
    (html,) = pages
    assert "History of Allergies" in html
    assert "Severity: mild → severe" in html
    assert "Who looked at this dossier" in html
    assert "Dr. An Peeters" in html
    rows = AuditEntry.objects.filter(actor_id=person_user.pk, action=export.EXPORTED)
    assert rows.exists() and all(row.detail == {"format": "pdf"} for row in rows)


def test_the_your_data_page_offers_both_downloads(dossier_with_history, person_user):
    person = dossier_with_history
    client = client_for(person_user)
    html = client.get(reverse("privacy:your-data", args=[person.public_id])).content.decode()
    assert reverse("privacy:export-json", args=[person.public_id]) in html
    assert reverse("privacy:export-pdf", args=[person.public_id]) in html
    log_page = client.get(reverse("audit:person-log", args=[person.public_id])).content.decode()
    assert reverse("privacy:your-data", args=[person.public_id]) in log_page


def test_dates_are_iso_8601(dossier_with_history, person_user):
    person = dossier_with_history
    person.birth_date = date(1941, 3, 2)
    person.save(update_fields=["birth_date"])
    data = _json(client_for(person_user), person)
    assert data["person"]["birth_date"] == "1941-03-02"


def test_the_api_gives_the_same_export(dossier_with_history, person_user, gp):
    person = dossier_with_history
    url = f"/api/persons/{person.public_id}/subject-access"
    response = client_for(person_user).get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["format"] == export.FORMAT
    assert {section["section"] for section in data["dossier"]} == set(sections.SECTIONS)
    refused = client_for(in_english(gp)).get(url)
    assert refused.status_code == 403
    assert person.insz not in refused.content.decode()


def test_emergency_accesses_and_closings_are_in_the_json_and_the_pdf(
    dossier_with_history, person_user, gp, monkeypatch
):
    """Both parts came with the person-data registry: who opened the dossier in an emergency and
    why, and the dossier's earlier closings."""
    person = dossier_with_history
    now = timezone.now()
    doctor = UserFactory(profile=Profile.GP, full_name="Dr. Emergency Claes")
    BreakGlassAccess.objects.create(
        person=person, actor=doctor, reason="Found unconscious at home.", since=now - timedelta(days=3), until=now
    )
    Closure.objects.create(
        person=person,
        reason="moved_away",
        event_date=date(2026, 1, 5),
        closed_by=gp,
        reopened_at=now,
        reopen_note="Back home.",
    )

    data = _json(client_for(person_user), person)

    (access,) = data["emergency_access"]
    assert (access["who"], access["reason"]) == ("Dr. Emergency Claes", "Found unconscious at home.")
    (closing,) = data["closures"]
    assert (closing["reason"], closing["event_date"], closing["reopen_note"]) == (
        "moved_away",
        "2026-01-05",
        "Back home.",
    )
    pages: list[str] = []
    monkeypatch.setattr(pdf, "render", lambda html: pages.append(html) or b"%PDF-stand-in")
    client_for(person_user).get(reverse("privacy:export-pdf", args=[person.public_id]))
    (html,) = pages
    assert "Dr. Emergency Claes" in html and "Found unconscious at home." in html
    assert "Closings of the dossier" in html and "Back home." in html


def test_a_team_member_the_person_excluded_gets_the_outsiders_404(dossier_with_history, nurse, person_user):
    """The 403 would tell them they are still on the team yet shut out: that they were excluded."""
    person = dossier_with_history
    ExclusionFactory(person=person, excluded=nurse, recorded_by=person_user)
    client = client_for(in_english(nurse))
    for name in ("privacy:export-json", "privacy:export-pdf", "privacy:your-data"):
        response = client.get(reverse(name, args=[person.public_id]))
        assert response.status_code == 404, name
        assert person.insz.encode() not in response.content
    refusals = AuditEntry.objects.filter(actor_id=nurse.pk, action__startswith="privacy.", allowed=False)
    assert set(refusals.values_list("reason", flat=True)) == {"excluded"}
    assert refusals.count() == 3
