"""An id chosen in a team change that is not this person's (unknown, or another person's
membership or handover item) gets one answer, the outsider's 404, and leaves a refused row in
the access log: the answer never tells whether the id exists elsewhere. A membership of this
person that has ended meanwhile is a form error the user can act on."""

import uuid

from django.urls import reverse

from audit.models import AuditEntry
from conftest import client_for
from people.tests.factories import PersonFactory, join_team
from teams import services
from teams.models import Membership
from teams.tests.factories import HandoverItemFactory


def _api(person, path):
    return f"/api/teams/persons/{person.public_id}/{path}"


def _refusals(actor, action):
    return AuditEntry.objects.filter(actor_id=actor.pk, action=action, allowed=False)


def _end_through_api(client, person, member_id):
    return client.post(
        _api(person, "members/end"),
        {"member_id": str(member_id)},
        content_type="application/json",
        headers={"If-Match": 'W/"1"'},
    )


def test_the_api_answers_an_unknown_and_a_foreign_membership_alike_and_audits_both(person, gp, nurse):
    someone_else = PersonFactory()
    foreign = join_team(someone_else, nurse)
    client = client_for(gp)
    foreign_response = _end_through_api(client, person, foreign.public_id)
    unknown_response = _end_through_api(client, person, uuid.uuid4())
    assert foreign_response.status_code == unknown_response.status_code == 404
    assert foreign_response.content == unknown_response.content
    refused = _refusals(gp, "teams.member_ended")
    assert refused.count() == 2
    assert {row.detail["item"] for row in refused} >= {str(foreign.public_id)}
    assert Membership.objects.active().filter(pk=foreign.pk).exists()


def test_the_page_answers_an_unknown_and_a_foreign_membership_alike_and_audits_both(person, gp, nurse):
    foreign = join_team(PersonFactory(), nurse)
    client = client_for(gp)
    url = reverse("teams:member-end", args=[person.public_id])
    foreign_response = client.post(url, {"member": str(foreign.public_id), "version": 1, "confirm": "yes"})
    unknown_response = client.post(url, {"member": str(uuid.uuid4()), "version": 1, "confirm": "yes"})
    assert foreign_response.status_code == unknown_response.status_code == 404
    assert foreign_response.content == unknown_response.content
    assert _refusals(gp, "teams.member_ended").count() == 2


def test_a_membership_of_this_person_ended_meanwhile_is_a_form_error(person, gp, nurse):
    membership = Membership.objects.active().get(person=person, user=nurse)
    services.end_membership(gp, person, membership, version=1)
    response = client_for(gp).post(
        reverse("teams:member-end", args=[person.public_id]),
        {"member": str(membership.public_id), "version": 2},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose a member of the team." in response.content.decode()
    assert not _refusals(gp, "teams.member_ended").exists()


def test_the_api_refuses_an_ended_membership_of_this_person_as_a_form_error(person, gp, nurse):
    membership = Membership.objects.active().get(person=person, user=nurse)
    services.end_membership(gp, person, membership, version=1)
    response = _end_through_api(client_for(gp), person, membership.public_id)
    assert response.status_code == 422
    assert not _refusals(gp, "teams.member_ended").exists()


def test_taking_an_unknown_or_a_foreign_handover_item_answers_alike_and_audits_both(person, gp, nurse):
    foreign = HandoverItemFactory(person=PersonFactory(), from_user=nurse)
    client = client_for(gp)
    url = reverse("teams:handover-take", args=[person.public_id])
    foreign_response = client.post(url, {"item": str(foreign.public_id), "owner": ""})
    unknown_response = client.post(url, {"item": str(uuid.uuid4()), "owner": ""})
    assert foreign_response.status_code == unknown_response.status_code == 404
    assert foreign_response.content == unknown_response.content
    assert _refusals(gp, "teams.handover_taken").count() == 2
    foreign.refresh_from_db()
    assert foreign.taken_at is None
