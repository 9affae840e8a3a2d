"""Issue 11: on the team page the person's circle (the person, their representative, informal
caregivers) sees each member's ordinary and 24/7 number as tap-to-call links, not "24/7 line: yes";
priority numbers stay with professionals (TEAM-04); a number that is not valid is shown as typed."""

import pytest
from django.urls import reverse

from conftest import client_for
from teams.models import Membership

PHONE, LINE, PRIORITY = "+3214697750", "+3214697799", "+32470123456"


@pytest.fixture
def reachable_nurse(person, nurse):
    Membership.objects.filter(person=person, user=nurse).update(
        hours="Mon–Fri 8–17", phone=PHONE, phone_24_7=LINE, priority_phone=PRIORITY
    )
    return nurse


def _team(user, person) -> str:
    return client_for(user).get(reverse("teams:team", args=[person.public_id])).content.decode()


@pytest.mark.parametrize("who", ["caregiver", "person_user", "representative", "gp"])
def test_everyone_on_the_team_sees_the_ordinary_and_the_24_7_number(person, reachable_nurse, who, request):
    body = _team(request.getfixturevalue(who), person)
    assert (
        'Phone: <a class="phone" href="tel:+3214697750" aria-label="Call Sofie Janssens on +32 14 69 77 50">'
        "+32 14 69 77 50</a>"
    ) in body
    assert (
        '24/7 line: <a class="phone" href="tel:+3214697799" aria-label="Call Sofie Janssens on +32 14 69 77 99">'
        "+32 14 69 77 99</a>"
    ) in body
    assert "24/7 line: yes" not in body


@pytest.mark.parametrize("who", ["caregiver", "person_user", "representative"])
def test_the_persons_circle_never_receives_priority_numbers(person, reachable_nurse, who, request):
    user = request.getfixturevalue(who)
    body = _team(user, person)
    for secret in (PRIORITY, "470 12 34 56", "Priority contact"):
        assert secret not in body
    members = client_for(user).get(f"/api/teams/persons/{person.public_id}/members").json()["members"]
    row = next(row for row in members if row["name"] == "Sofie Janssens")
    assert (row["phone"], row["phone_24_7"], row["has_24_7_line"], row["priority_phone"]) == (PHONE, LINE, True, None)


def test_professionals_get_the_priority_number_as_a_link_too(person, reachable_nurse, pharmacist):
    body = _team(pharmacist, person)
    assert 'href="tel:+32470123456"' in body and "+32 470 12 34 56</a>" in body


def test_a_member_without_a_24_7_line_says_so(person, caregiver):
    body = _team(caregiver, person)
    assert "24/7 line: no" in body and "24/7 line: yes" not in body


def test_a_stored_number_that_is_not_valid_is_shown_as_typed(person, nurse, caregiver):
    Membership.objects.filter(person=person, user=nurse).update(phone="014 69 77")  # from before the check
    body = _team(caregiver, person)
    assert "Phone: 014 69 77" in body and 'href="tel:014' not in body


def test_the_reachability_page_keeps_both_numbers_and_says_who_sees_them(person, nurse, nurse_client):
    url = reverse("teams:reachability", args=[person.public_id])
    page = nurse_client.get(url).content.decode()
    assert "Shown to the whole care team, the person and their family included." in page
    response = nurse_client.post(url, {"version": 1, "phone": "014 69 77 50", "phone_24_7": "014/69.77.99"})
    assert response.status_code == 302
    membership = Membership.objects.active().get(person=person, user=nurse)
    assert (membership.phone, membership.phone_24_7) == (PHONE, LINE)
    # Shown as people write it when edited again.
    assert 'value="+32 14 69 77 50"' in nurse_client.get(url).content.decode()


def test_a_bad_number_on_the_reachability_page_is_explained_and_changes_nothing(person, nurse, nurse_client):
    url = reverse("teams:reachability", args=[person.public_id])
    response = nurse_client.post(url, {"version": 1, "hours": "Mon", "phone_24_7": "12"})
    assert response.status_code == 200
    assert "Enter a valid phone number, for example 016 12 34 56 or +32 16 12 34 56." in response.content.decode()
    membership = Membership.objects.active().get(person=person, user=nurse)
    assert (membership.version, membership.hours, membership.phone_24_7) == (1, "", "")
