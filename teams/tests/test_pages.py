"""The team pages and API: members grouped, the coordinator shown to all (or the team flagged),
priority numbers for professionals only, and the same services behind pages and API."""

import pytest
from django.urls import reverse

import people.queries
from access import services as access_services
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Profile
from teams import services, views
from teams.models import CoordinationProposal, Membership
from teams.tests.factories import MembershipFactory

PHONE, EMAIL = "+32470123456", "sofie.prio@wgc.example.org"
LINE = "+3214697799"  # the nurse's 24/7 line, for the whole team


def _url(name, person):
    return reverse(name, args=[person.public_id])


def _membership(person, user):
    return Membership.objects.active().get(person=person, user=user)


@pytest.fixture
def reachable_nurse(person, nurse):
    Membership.objects.filter(person=person, user=nurse).update(
        hours="Mon–Fri 8–17", phone_24_7=LINE, priority_phone=PHONE, priority_email=EMAIL
    )
    return nurse


def test_the_team_page_groups_professionals_and_the_circle(person, caregiver_client):
    response = caregiver_client.get(_url("teams:team", person))
    assert response.status_code == 200
    body = response.content.decode()
    professionals, circle = body.split('id="circle-heading"')
    assert "Dr. An Peeters" in professionals and "Sofie Janssens" in professionals and "Luc Maes" in professionals
    assert "Marie Claes" in circle and "Sofie Janssens" not in circle
    assert "<strong>Care coordinator:</strong> Dr. An Peeters" in body
    assert AuditEntry.objects.get(action="teams.team_viewed").category == "team"


@pytest.mark.parametrize("who", ["gp", "nurse", "pharmacist"])
def test_professionals_see_priority_numbers(person, reachable_nurse, who, request):
    body = client_for(request.getfixturevalue(who)).get(_url("teams:team", person)).content.decode()
    assert "+32 470 12 34 56" in body and EMAIL in body and "Mon–Fri 8–17" in body


@pytest.mark.parametrize("who", ["caregiver", "person_user"])
def test_the_person_and_the_caregiver_never_receive_priority_numbers(person, reachable_nurse, who, request):
    user = request.getfixturevalue(who)
    body = client_for(user).get(_url("teams:team", person)).content.decode()
    assert "Mon–Fri 8–17" in body and '24/7 line: <a class="phone" href="tel:+3214697799"' in body
    for secret in (PHONE, "470 12 34 56", EMAIL, "Priority contact"):
        assert secret not in body
    members = client_for(user).get(f"/api/teams/persons/{person.public_id}/members").json()["members"]
    nurse_row = next(row for row in members if row["name"] == "Sofie Janssens")
    assert (nurse_row["hours"], nurse_row["priority_phone"], nurse_row["priority_email"]) == (
        "Mon–Fri 8–17",
        None,
        None,
    )


def test_the_api_gives_priority_numbers_to_professionals(person, reachable_nurse, gp):
    members = client_for(gp).get(f"/api/teams/persons/{person.public_id}/members").json()
    nurse_row = next(row for row in members["members"] if row["name"] == "Sofie Janssens")
    assert (members["has_coordinator"], nurse_row["priority_phone"], nurse_row["priority_email"]) == (
        True,
        PHONE,
        EMAIL,
    )


def test_a_team_without_coordinator_is_flagged_on_the_team_page_and_professionals_home(person, caregiver, nurse):
    flag = "No care coordinator: agree who coordinates."
    assert flag not in client_for(nurse).get(_url("teams:team", person)).content.decode()
    assert flag not in client_for(nurse).get(reverse("home")).content.decode()
    Membership.objects.filter(person=person).update(is_coordinator=False)
    for user in (nurse, caregiver):
        assert flag in client_for(user).get(_url("teams:team", person)).content.decode()
    home = client_for(nurse).get(reverse("home")).content.decode()
    assert flag in home and _url("teams:team", person) in home
    assert flag not in client_for(caregiver).get(reverse("home")).content.decode()


def test_the_coordinators_home_shows_a_waiting_handover_queue(person, gp, nurse):
    from teams import services

    services.post_message(gp, person, category="plan", body="Call me back.", addressees=[nurse], link="x")
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    home = client_for(gp).get(reverse("home")).content.decode()
    assert "1 item waits in the handover queue." in home


def test_the_coordinator_adds_a_member_on_the_page(person, gp_client, physio):
    response = gp_client.post(
        _url("teams:member-add", person), {"email": physio.email, "assignment": "Balance training", "term": "regular"}
    )
    assert response.status_code == 302
    assert _membership(person, physio).assignment == "Balance training"


def test_the_person_adds_a_neighbour_on_the_page(person, person_client, neighbour):
    assert person_client.get(_url("teams:member-add", person)).status_code == 200
    response = person_client.post(
        _url("teams:member-add", person), {"email": neighbour.email, "profile": "neighbour", "term": "regular"}
    )
    assert response.status_code == 302
    assert _membership(person, neighbour).profile == Profile.NEIGHBOUR


def test_a_bad_role_on_the_page_shows_the_error_and_changes_nothing(person, gp_client, physio):
    response = gp_client.post(
        _url("teams:member-add", person), {"email": physio.email, "profile": "family", "term": "regular"}
    )
    assert response.status_code == 200
    assert "A professional joins the team in their own profile (physiotherapist)." in response.content.decode()
    assert not Membership.objects.filter(user=physio).exists()


def test_a_member_who_does_not_manage_gets_403_on_the_add_page(person, nurse_client):
    assert nurse_client.get(_url("teams:member-add", person)).status_code == 403


def _choice(person, user):
    membership = _membership(person, user)
    return {"member": str(membership.public_id), "version": membership.version}


def test_ending_a_membership_shows_its_consequence_and_only_the_confirmation_ends_it(person, gp_client, pharmacist):
    url = _url("teams:member-end", person)
    page = gp_client.get(url, _choice(person, pharmacist))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"End the membership of {pharmacist}?" in text
    assert "loses access to the dossier of Jozef at once" in text
    assert "This cannot be undone" in text
    assert 'name="confirm" value="yes"' in text
    assert AuditEntry.objects.filter(action="teams.confirmation_viewed", event="access").exists()
    # The old single POST, without the confirmation, changes nothing: it shows the page again.
    response = gp_client.post(url, _choice(person, pharmacist))
    assert response.status_code == 200
    assert "This cannot be undone" in response.content.decode()
    assert _membership(person, pharmacist).version == 1  # still active, unchanged
    assert not AuditEntry.objects.filter(action="teams.member_ended").exists()
    response = gp_client.post(url, {**_choice(person, pharmacist), "confirm": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.active().filter(person=person, user=pharmacist).exists()


def test_proposing_a_coordinator_on_the_page_needs_confirmation_then_their_acceptance(person, gp, gp_client, nurse):
    url = _url("teams:coordinator", person)
    text = gp_client.get(url, _choice(person, nurse)).content.decode()
    assert f"Propose {nurse} as care coordinator?" in text
    assert "you stay the care coordinator and can cancel the proposal" in text
    # Without the confirmation nothing is proposed, let alone changed.
    assert gp_client.post(url, _choice(person, nurse)).status_code == 200
    assert not CoordinationProposal.objects.exists()
    response = gp_client.post(url, {**_choice(person, nurse), "confirm": "yes"}, follow=True)
    assert "Nothing changes until they accept." in response.content.decode()
    assert _membership(person, gp).is_coordinator and not _membership(person, nurse).is_coordinator
    # The nurse sees the proposal on the team page and on their home page, and accepts it.
    nurse_client = client_for(nurse)
    assert "proposed you as care coordinator" in nurse_client.get(_url("teams:team", person)).content.decode()
    assert "You are proposed as care coordinator:" in nurse_client.get(reverse("home")).content.decode()
    answer = _url("teams:coordinator-answer", person)
    page = nurse_client.get(answer).content.decode()
    assert f"{gp} is then no longer the care coordinator." in page
    proposal = CoordinationProposal.objects.get()
    nurse_client.post(answer, {"proposal": str(proposal.public_id), "answer": "accept"})
    assert _membership(person, nurse).is_coordinator and not _membership(person, gp).is_coordinator


def test_the_coordinator_cancels_a_proposal_on_the_page(person, gp, gp_client, nurse):
    proposal = services.propose_coordinator(gp, person, _membership(person, nurse), version=1)
    page = gp_client.get(_url("teams:team", person)).content.decode()
    assert "Cancel the proposal" in page
    gp_client.post(_url("teams:coordinator-cancel", person), {"proposal": str(proposal.public_id)})
    proposal.refresh_from_db()
    assert proposal.status == "cancelled"
    # The nurse, answering from the page they still had open, changes nothing.
    response = client_for(nurse).post(
        _url("teams:coordinator-answer", person), {"proposal": str(proposal.public_id), "answer": "accept"}, follow=True
    )
    assert "No proposal to coordinate waits for your answer." in response.content.decode()
    assert _membership(person, gp).is_coordinator


def test_a_stale_end_on_the_page_says_so(person, gp_client, nurse):
    response = gp_client.post(
        _url("teams:member-end", person),
        {"member": str(_membership(person, nurse).public_id), "version": 5, "confirm": "yes"},
        follow=True,
    )
    assert "Someone else changed this membership in the meantime." in response.content.decode()
    assert _membership(person, nurse).version == 1


def test_leaving_the_team_is_the_members_own_box_with_its_confirmation(person, nurse_client, nurse):
    page = nurse_client.get(_url("teams:team", person)).content.decode()
    own_box = page.split('id="own-heading"')[1]
    assert "Leave the team" in own_box
    # The member's own row in the list offers no way to leave or end.
    rows = page.split('id="own-heading"')[0]
    assert "Leave the team" not in rows
    confirmation = nurse_client.get(_url("teams:member-end", person), _choice(person, nurse)).content.decode()
    assert "Leave the care team of Jozef?" in confirmation
    assert "You lose access to the dossier of Jozef at once." in confirmation
    response = nurse_client.post(_url("teams:member-end", person), {**_choice(person, nurse), "confirm": "yes"})
    assert response["Location"] == reverse("home")


def test_a_member_keeps_their_reachability_on_the_page(person, nurse, nurse_client):
    url = _url("teams:reachability", person)
    assert nurse_client.get(url).status_code == 200
    response = nurse_client.post(
        url, {"version": 1, "hours": "Mon–Fri 8–17", "phone_24_7": "014 69 77 99", "priority_phone": "0470 12 34 56"}
    )
    assert response.status_code == 302
    membership = _membership(person, nurse)
    assert (membership.hours, membership.phone_24_7, membership.priority_phone) == ("Mon–Fri 8–17", LINE, PHONE)


def test_a_caregiver_cannot_open_a_nurses_reachability(person, nurse, caregiver_client):
    url = _url("teams:reachability", person) + f"?member={_membership(person, nurse).public_id}"
    assert caregiver_client.get(url).status_code == 403


def test_without_the_weekly_view_the_team_page_still_works(person, gp_client, monkeypatch):
    monkeypatch.delattr(people.queries, "weekly_visits", raising=False)
    response = gp_client.get(_url("teams:team", person))
    assert response.status_code == 200
    assert "Who already comes to the house" not in response.content.decode()


def test_with_the_weekly_view_the_team_page_shows_who_comes(person, gp, gp_client, monkeypatch):
    calls = []

    def weekly_visits(actor, person_):
        calls.append((actor, person_))
        return []

    monkeypatch.setattr(people.queries, "weekly_visits", weekly_visits, raising=False)
    # Any existing template stands in for the dossier's include.
    monkeypatch.setattr(views, "WEEKLY_VISITS_TEMPLATE", "teams/_home_alerts.html")
    response = gp_client.get(_url("teams:team", person))
    assert "Who already comes to the house" in response.content.decode()
    assert calls == [(gp, person)]


# ── API ─────────────────────────────────────────────────────────────────────────────────────


def _api(person, path=""):
    return f"/api/teams/persons/{person.public_id}/{path}"


def test_the_api_adds_and_ends_a_member(person, gp, physio):
    client = client_for(gp)
    added = client.post(
        _api(person, "members"), {"email": physio.email, "assignment": "Balance"}, content_type="application/json"
    )
    assert added.status_code == 201
    assert (added.json()["role"], added.json()["assignment"], added.json()["version"]) == (
        "physiotherapist",
        "Balance",
        1,
    )
    member_id = added.json()["id"]
    missing = client.post(_api(person, "members/end"), {"member_id": member_id}, content_type="application/json")
    assert missing.status_code == 428
    stale = client.post(
        _api(person, "members/end"),
        {"member_id": member_id},
        content_type="application/json",
        headers={"If-Match": '"2"'},
    )
    assert stale.status_code == 412
    ended = client.post(
        _api(person, "members/end"),
        {"member_id": member_id},
        content_type="application/json",
        headers={"If-Match": 'W/"1"'},
    )
    assert ended.status_code == 200
    assert not Membership.objects.active().filter(person=person, user=physio).exists()


def test_the_api_refuses_a_member_who_does_not_manage_with_403(person, nurse, physio):
    response = client_for(nurse).post(_api(person, "members"), {"email": physio.email}, content_type="application/json")
    assert response.status_code == 403
    assert not Membership.objects.filter(user=physio).exists()


def test_the_api_reports_bad_input_as_422(person, gp):
    response = client_for(gp).post(
        _api(person, "members"), {"email": "nobody@example.org"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == ["No active Schakel account has this e-mail address."]


def test_the_api_designates_the_coordinator(person, gp, nurse):
    membership = _membership(person, nurse)
    response = client_for(gp).post(
        _api(person, "coordinator"),
        {"member_id": str(membership.public_id)},
        content_type="application/json",
        headers={"If-Match": "1"},
    )
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert not _membership(person, nurse).is_coordinator
    proposal_id = response.json()["id"]
    listed = client_for(nurse).get(_api(person, "members")).json()["proposal"]
    assert listed["id"] == proposal_id
    answered = client_for(nurse).post(
        _api(person, "coordinator/answer"),
        {"proposal_id": proposal_id, "accept": True},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "accepted"
    assert _membership(person, nurse).is_coordinator


def test_the_api_cancels_a_proposal(person, gp, nurse):
    proposal = services.propose_coordinator(gp, person, _membership(person, nurse), version=1)
    response = client_for(gp).post(
        _api(person, "coordinator/cancel"), {"proposal_id": str(proposal.public_id)}, content_type="application/json"
    )
    assert response.json()["status"] == "cancelled"
    stale = client_for(nurse).post(
        _api(person, "coordinator/answer"),
        {"proposal_id": str(proposal.public_id), "accept": True},
        content_type="application/json",
    )
    assert stale.status_code == 422
    assert _membership(person, gp).is_coordinator


def test_the_dossiers_weekly_view_shows_for_readers_of_the_situation_only(person, gp_client, person_user):
    if not hasattr(people.queries, "weekly_visits"):
        pytest.skip("the dossier's weekly view is not there yet")
    from accounts.tests.factories import UserFactory

    assert "Who already comes to the house" in gp_client.get(_url("teams:team", person)).content.decode()
    family = UserFactory(profile=Profile.FAMILY, language="en")
    MembershipFactory(person=person, user=family)
    body = client_for(family).get(_url("teams:team", person)).content.decode()
    assert "Who already comes to the house" not in body
    # Left out without a refusal in the person's access log.
    assert not AuditEntry.objects.filter(actor_id=family.pk, allowed=False).exists()


def test_the_coordinator_sees_who_is_excluded_and_is_not_offered_to_make_them_coordinator(
    person, person_user, gp, nurse
):
    access_services.exclude_user(person_user, person, nurse)
    page = client_for(gp).get(_url("teams:team", person))
    rows = {row.name: row for row in page.context["professionals"]}
    assert rows[str(nurse)].excluded and not rows[str(nurse)].may_make_coordinator
    assert "excluded by the person" in page.content.decode()
