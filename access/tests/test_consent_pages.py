"""The "My consent and exclusions" pages and API: the person and the representative only."""

import json

import pytest
from django.urls import reverse

from access import gate
from access.models import Consent, Exclusion, Mandate
from access.tests.factories import ExclusionFactory, MandateFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Category, Level


def _url(name, person):
    return reverse(name, args=[person.public_id])


def test_the_person_sees_their_consent_exclusions_and_mandates(person, person_client, nurse):
    response = person_client.get(_url("access:consent", person))
    body = response.content.decode()
    assert response.status_code == 200
    assert "My consent and exclusions" in body
    assert "Withdraw consent" in body
    assert f'value="{nurse.public_id}"' in body  # the team is offered for exclusion and mandates
    row = AuditEntry.objects.get(action="access.consent_viewed")
    assert (row.allowed, row.relationship) == (True, "self")


def test_the_representative_sees_the_page_in_the_persons_name(person, representative):
    response = client_for(representative).get(_url("access:consent", person))
    assert response.status_code == 200
    assert "Jozef's consent and exclusions" in response.content.decode()


def test_a_team_member_gets_a_404_and_an_audited_refusal(person, nurse_client, nurse):
    assert nurse_client.get(_url("access:consent", person)).status_code == 404
    row = AuditEntry.objects.get(actor_id=nurse.pk)
    assert (row.allowed, row.reason) == (False, "not_person_or_representative")


def test_the_person_excludes_a_team_member_from_the_page(person, person_client, gp):
    response = person_client.post(_url("access:exclude", person), {"user": str(gp.public_id)})
    assert response.status_code == 302
    assert gate.decide(gp, person, Category.IDENTITY, Level.READ).reason == "excluded"
    # One row: the change. Neither the view's check nor the service's authorisation adds an
    # "allowed" row of its own, which a change failing its validation would have left behind.
    assert sorted(AuditEntry.objects.filter(actor_id=person.account_id).values_list("action", "event")) == [
        ("access.user_excluded", "change"),
    ]


def test_the_person_excludes_a_professional_by_riziv_number(person, person_client):
    # 111111 mod 97 = 46, so the legacy check digits are 51.
    stranger = UserFactory(riziv_number="11111151001")
    response = person_client.post(_url("access:exclude", person), {"riziv_number": "1-11111-51-001"})
    assert response.status_code == 302
    assert Exclusion.objects.get(person=person).excluded == stranger


def test_an_empty_exclusion_form_changes_nothing_and_says_why(person, person_client):
    response = person_client.post(_url("access:exclude", person), {}, follow=True)
    assert "Choose someone from the list, or give a RIZIV/INAMI number." in response.content.decode()
    assert Exclusion.objects.count() == 0


def test_lifting_an_exclusion_from_the_page(person, person_client, person_user, gp):
    ExclusionFactory(person=person, excluded=gp)
    response = person_client.post(_url("access:exclusion-lift", person), {"user": str(gp.public_id)})
    assert response.status_code == 302
    assert gate.decide(gp, person, Category.IDENTITY, Level.READ).allowed is True


def test_the_person_grants_and_revokes_a_mandate_from_the_page(person, person_client, caregiver):
    response = person_client.post(
        _url("access:mandate-grant", person),
        {"holder": str(caregiver.public_id), "categories": ["wishes", "plan"], "until": "2099-12-31"},
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get(person=person)
    assert (mandate.holder, mandate.categories) == (caregiver, ["plan", "wishes"])
    assert mandate.until.date().isoformat() in ("2099-12-31", "2100-01-01")  # end of the last day, in UTC
    person_client.post(_url("access:mandate-revoke", person), {"user": str(caregiver.public_id)})
    mandate.refresh_from_db()
    assert mandate.revoked_by_id == person.account_id


def test_the_person_withdraws_consent_from_the_page(person, person_client, nurse):
    assert person_client.post(_url("access:consent-withdraw", person)).status_code == 302
    assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).reason == "no_consent"


def test_a_mandate_holder_is_refused_on_every_consent_page(person, person_user, caregiver):
    MandateFactory(person=person, holder=caregiver, categories=["wishes"])
    client = client_for(caregiver)
    for name in ("access:consent-withdraw", "access:exclude", "access:mandate-grant", "access:mandate-revoke"):
        assert client.post(_url(name, person), {"user": str(caregiver.public_id)}).status_code == 404
    assert Consent.objects.active().filter(person=person).count() == 1
    assert Mandate.objects.get(person=person).revoked_by is None


def test_a_professional_records_the_consent_the_person_expressed(person, gp_client, gp, nurse):
    Consent.objects.update(until="2020-01-01T00:00:00Z")
    assert gp_client.get(_url("access:consent-record", person)).status_code == 200
    response = gp_client.post(_url("access:consent-record", person), {"given_by": "person", "confirmed": "on"})
    assert response.status_code == 302
    consent = Consent.objects.active().get(person=person)
    assert (consent.given_by, consent.recorded_by) == ("person", gp)
    assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).allowed is True


def test_recording_consent_needs_the_confirmation(person, gp_client):
    Consent.objects.update(until="2020-01-01T00:00:00Z")
    response = gp_client.post(_url("access:consent-record", person), {"given_by": "person"})
    assert response.status_code == 200
    assert Consent.objects.active().filter(person=person).count() == 0


def test_the_person_gives_consent_with_one_button(person, person_client):
    Consent.objects.update(until="2020-01-01T00:00:00Z")
    response = person_client.post(_url("access:consent-record", person))
    assert response.status_code == 302
    assert Consent.objects.active().get(person=person).given_by == "person"


# ── API ─────────────────────────────────────────────────────────────────────────────────────


def _api(client, method, path, body=None):
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def test_api_consent_status_and_exclusion(person, person_client, gp):
    base = f"/api/access/persons/{person.public_id}"
    status = person_client.get(f"{base}/consent").json()
    assert (status["has_consent"], status["exclusions"], status["mandates"]) == (True, [], [])
    response = _api(person_client, "post", f"{base}/exclusions", {"user_id": str(gp.public_id)})
    assert response.status_code == 200
    assert gate.decide(gp, person, Category.IDENTITY, Level.READ).reason == "excluded"
    assert [e["user_id"] for e in person_client.get(f"{base}/consent").json()["exclusions"]] == [str(gp.public_id)]


def test_api_refuses_the_team_with_a_404_and_bad_input_with_a_422(person, person_client, gp_client):
    base = f"/api/access/persons/{person.public_id}"
    assert _api(gp_client, "post", f"{base}/consent/withdraw").status_code == 404
    response = _api(person_client, "post", f"{base}/mandates", {"categories": ["wishes"]})
    assert (response.status_code, response.json()["code"]) == (422, "unknown_user")
    assert Mandate.objects.count() == 0


def test_api_grants_a_mandate(person, person_client, caregiver):
    response = _api(
        person_client,
        "post",
        f"/api/access/persons/{person.public_id}/mandates",
        {"user_id": str(caregiver.public_id), "categories": ["wishes"]},
    )
    assert response.status_code == 200
    assert gate.decide(caregiver, person, Category.WISHES, Level.WRITE).relationship == "mandate"


@pytest.mark.parametrize("given_by", ["person", "representative"])
def test_api_records_consent_for_a_professional(person, gp_client, given_by):
    Consent.objects.update(until="2020-01-01T00:00:00Z")
    response = _api(gp_client, "post", f"/api/access/persons/{person.public_id}/consent", {"given_by": given_by})
    assert response.status_code == 200
    assert Consent.objects.active().get(person=person).given_by == given_by
