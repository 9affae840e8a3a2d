"""The communication agreement (PLAN-07): structured (first contact and channel, the 24/7 line of
a member who has one, ordered escalation), one current per person with its history, plan write
to change and read to see, the team's reachability beside it; concurrent changes: one wins."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from access.gate import Refused
from core.errors import Conflict
from plans.agreements import queries, services
from plans.agreements.services import Step
from plans.models import CommunicationAgreement
from plans.tests.factories import membership_of
from teams.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse_line(person, nurse):
    """The home nurse keeps the team's 24/7 line."""
    membership = membership_of(person, nurse)
    Membership.objects.filter(pk=membership.pk).update(phone_24_7="+3214000020", hours="elke dag 7–20")
    membership.refresh_from_db()
    return membership


def _save(actor, person, version, **fields):
    fields.setdefault("channel", CommunicationAgreement.Channel.PHONE)
    return services.save_agreement(actor, person, version=version, **fields)


def test_the_coordinator_records_the_agreement_with_its_escalation(person, gp, caregiver, nurse_line):
    agreement = _save(
        gp,
        person,
        0,
        first_contact=membership_of(person, caregiver),
        line_24_7=nurse_line,
        escalation=[Step(nurse_line, 30), Step(membership_of(person, gp), 60)],
        remarks="Niet bellen tijdens de middagrust.",
    )
    assert agreement.version == 1
    assert agreement.escalation == [
        {"member": str(nurse_line.public_id), "after_minutes": 30},
        {"member": str(membership_of(person, gp).public_id), "after_minutes": 60},
    ]
    changed = _save(gp, person, 1, channel=CommunicationAgreement.Channel.THREAD)
    assert (changed.pk, changed.version, changed.channel) == (agreement.pk, 2, "thread")
    assert agreement.history.count() == 2 and agreement.history.first().history_user == gp


def test_a_stale_version_is_refused_and_the_first_change_survives(person, gp):
    _save(gp, person, 0, remarks="Eerste")
    with pytest.raises(Conflict):
        _save(gp, person, 0, remarks="Tweede, op een oude versie")
    assert CommunicationAgreement.objects.get().remarks == "Eerste"


def test_the_24_7_line_must_be_a_member_with_a_24_7_number(person, gp, caregiver):
    with pytest.raises(ValidationError) as refused:
        _save(gp, person, 0, line_24_7=membership_of(person, caregiver))
    assert "line_24_7" in refused.value.message_dict
    assert not CommunicationAgreement.objects.exists()


def test_members_who_left_and_bad_waits_are_refused(person, gp, nurse_line):
    Membership.objects.filter(pk=nurse_line.pk).update(until=nurse_line.since)
    with pytest.raises(ValidationError) as refused:
        _save(gp, person, 0, first_contact=nurse_line, escalation=[Step(membership_of(person, gp), 0)])
    assert set(refused.value.message_dict) == {"first_contact", "escalation"}
    assert not CommunicationAgreement.objects.exists()


def test_a_caregiver_reads_it_with_the_teams_reachability_but_cannot_change_it(person, gp, caregiver, nurse_line):
    _save(gp, person, 0, line_24_7=nurse_line)
    panel = queries.agreement_panel(caregiver, person)
    assert panel.line_24_7.line_24_7.display == "+32 14 00 00 20"
    assert panel.line_24_7.line_24_7.uri == "tel:+3214000020"
    assert any(contact.hours == "elke dag 7–20" for contact in panel.reachability)
    assert not panel.may_change
    with pytest.raises(Refused) as refused:
        _save(caregiver, person, 1, remarks="Mag ik?")
    assert refused.value.decision.status == 403


def test_an_outsider_gets_nothing(person, outsider):
    with pytest.raises(Refused) as refused:
        queries.agreement_panel(outsider, person)
    assert refused.value.decision.status == 404


def test_the_page_saves_and_a_concurrent_change_is_told(person, gp, nurse_line, gp_client):
    url = reverse("plans:agreement", args=[person.public_id])
    page = gp_client.get(url).content.decode()
    assert 'id="agreement-form"' in page and "+32 14 00 00 20" in page  # the reachability beside it
    form = {
        "version": "0",
        "first_contact": str(nurse_line.public_id),
        "channel": "phone",
        "line_24_7": str(nurse_line.public_id),
        "step1_minutes": "15",
        "step1_member": str(membership_of(person, gp).public_id),
        "remarks": "",
    }
    assert gp_client.post(url, form).status_code == 302
    stale = gp_client.post(url, {**form, "remarks": "te laat"}, follow=True)
    assert CommunicationAgreement.objects.get().remarks == ""
    assert [m.tags for m in stale.context["messages"]][-1] == "error"
    agreement = CommunicationAgreement.objects.get()
    assert agreement.escalation == [{"member": str(membership_of(person, gp).public_id), "after_minutes": 15}]


def test_the_page_asks_for_both_halves_of_a_step(person, gp_client):
    url = reverse("plans:agreement", args=[person.public_id])
    response = gp_client.post(url, {"version": "0", "channel": "phone", "step1_minutes": "15"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not CommunicationAgreement.objects.exists()


def test_the_api_reads_with_an_etag_and_changes_with_if_match(person, gp, nurse_line, gp_client, caregiver_client):
    url = f"/api/plans/persons/{person.public_id}/agreement"
    first = gp_client.get(url)
    assert first["ETag"] == 'W/"0"' and first.json()["exists"] is False
    body = json.dumps({"channel": "visit", "line_24_7_id": str(nurse_line.public_id)})
    assert gp_client.put(url, body, content_type="application/json").status_code == 428
    saved = gp_client.put(url, body, content_type="application/json", HTTP_IF_MATCH='W/"0"')
    assert saved.status_code == 200 and saved["ETag"] == 'W/"1"'
    assert saved.json()["line_24_7"]["phone_24_7"] == "+3214000020"
    stale = gp_client.put(url, body, content_type="application/json", HTTP_IF_MATCH='W/"0"')
    assert stale.status_code == 412
    refused = caregiver_client.put(url, body, content_type="application/json", HTTP_IF_MATCH='W/"1"')
    assert refused.status_code == 403
    assert caregiver_client.get(url).json()["channel"] == "visit"
    assert CommunicationAgreement.objects.get().version == 1
