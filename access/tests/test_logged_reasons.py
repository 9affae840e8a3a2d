"""Each row of the access log says the true category, level and reason (issue 11, "Refusals
explained wrongly"), and the person reads that truth on "Who looked at your dossier"."""

import pytest
from django.urls import reverse

from access import gate
from access.tests.factories import BreakGlassAccessFactory, MandateFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for, in_english
from core.vocab import Category, Level, Profile


@pytest.fixture
def reading_language() -> str:
    return "en"


def _log(person, client):
    return client.get(reverse("audit:person-log", args=[person.public_id])).context["visits"]


def test_a_refused_look_at_the_access_log_is_not_a_refused_read_of_advance_care_planning(person, nurse, person_client):
    assert client_for(nurse).get(reverse("audit:person-log", args=[person.public_id])).status_code == 404

    row = AuditEntry.objects.get(actor_id=nurse.pk)
    assert (row.action, row.category, row.level, row.allowed) == ("audit.person_log_viewed", "", "read", False)
    visit = _log(person, person_client)[0]
    assert visit.refusals == [
        "Tried to open this list of who looked at your dossier. Refused, because only you and your legal "
        "representative may do this."
    ]
    assert visit.saw == []


def test_a_write_under_emergency_access_is_refused_as_read_only_not_for_the_role(person, person_client):
    doctor = in_english(UserFactory(profile=Profile.HOSPITAL_DOCTOR, full_name="Dr. Spoed"))
    BreakGlassAccessFactory(person=person, actor=doctor)

    with pytest.raises(gate.Refused) as refused:
        gate.check(doctor, person, Category.MEDICATION, Level.WRITE, action="people.section_entry_added")

    assert refused.value.decision.status == 403  # they may read it: told so, as before
    row = AuditEntry.objects.get(actor_id=doctor.pk)
    assert (row.category, row.level, row.reason, row.event) == (
        "medication",
        "write",
        "emergency_read_only",
        "break_glass",
    )
    assert _log(person, person_client)[0].refusals == [
        "Tried to change your medication. Refused, because emergency access only lets them read, never change anything."
    ]


def test_reading_outside_emergency_categories_or_a_mandate_says_so(person, person_user, person_client):
    doctor = UserFactory(profile=Profile.HOSPITAL_DOCTOR, full_name="Dr. Spoed")
    BreakGlassAccessFactory(person=person, actor=doctor)
    niece = UserFactory(profile=Profile.FAMILY, full_name="Els Wouters")
    MandateFactory(person=person, holder=niece, categories=[Category.WISHES])
    for actor in (doctor, niece):
        with pytest.raises(gate.Refused):
            gate.check(actor, person, Category.ASSESSMENTS, Level.READ, action="people.section_viewed")

    refusals = {visit.who: visit.refusals for visit in _log(person, person_client)}

    assert refusals == {
        "Els Wouters": ["Tried to see your assessments. Refused, because the mandate you gave them does not cover it."],
        "Dr. Spoed": [
            "Tried to see your assessments. Refused, because emergency access does not open this kind of information."
        ],
    }


def test_opening_the_consent_page_is_logged_as_a_read(person, person_user, person_client):
    assert person_client.get(reverse("access:consent", args=[person.public_id])).status_code == 200

    row = AuditEntry.objects.get(action="access.consent_viewed")
    assert (row.actor_id, row.category, row.level, row.allowed) == (person_user.pk, "acp", "read", True)


def test_opening_the_page_to_record_consent_is_logged_as_a_read(person, gp, gp_client):
    assert gp_client.get(reverse("access:consent-record", args=[person.public_id])).status_code == 200

    row = AuditEntry.objects.get(actor_id=gp.pk)
    assert (row.action, row.category, row.level, row.allowed) == ("access.consent_recorded", "acp", "read", True)


def test_a_mandate_grant_that_fails_leaves_no_allowed_write(person, person_client, caregiver):
    url = reverse("access:mandate-grant", args=[person.public_id])
    data = {"holder": str(caregiver.public_id), "categories": [Category.WISHES]}
    assert person_client.post(url, data).status_code == 302

    response = person_client.post(url, data, follow=True)  # already holds one: refused

    assert "already holds a mandate" in response.content.decode()
    rows = AuditEntry.objects.filter(action="access.mandate_granted")
    assert list(rows.values_list("event", "allowed")) == [("change", True)]  # the first grant only


def test_a_refused_change_of_the_persons_rights_says_which_right(person, nurse, person_client):
    url = reverse("access:exclude", args=[person.public_id])
    assert client_for(nurse).post(url, {"user": str(person.registered_by.public_id)}).status_code == 404

    assert _log(person, person_client)[0].refusals == [
        "Tried to change the people you excluded. Refused, because only you and your legal representative may do this."
    ]
