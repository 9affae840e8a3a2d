"""The plans API: the same services as the pages; If-Match → 412 when stale (428 when missing),
403 for a member who may read but not write, 404 for an outsider and for another person's ids."""

import json

import pytest

from conftest import client_for
from people.tests.factories import PersonFactory, consent_for, join_team
from plans.models import Goal, PlanAction
from plans.tests.factories import action, goal, life_goal, membership_of

pytestmark = pytest.mark.django_db


def _send(client, method, url, body=None, version=None):
    headers = {"HTTP_IF_MATCH": f'W/"{version}"'} if version is not None else {}
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", **headers)


def _base(person) -> str:
    return f"/api/plans/persons/{person.public_id}"


def test_the_whole_plan_reads_with_its_tiers(person, gp, nurse, gp_client):
    life = life_goal(person, gp)
    stairs = goal(person, gp, life=life)
    action(person, gp, nurse, goal=stairs)
    data = gp_client.get(_base(person)).json()
    assert [g["life_goal"] for g in data["goals"]] == [str(life.public_id)]
    assert data["actions"][0]["goal"] == str(stairs.public_id)
    assert data["actions"][0]["owner_name"] == "Sofie Janssens"
    assert data["last_reviewed"] is None


def test_a_reader_without_wishes_gets_no_life_goals(person, gp, pharmacist):
    goal(person, gp, life=life_goal(person, gp))
    data = client_for(pharmacist).get(_base(person)).json()
    assert data["life_goals"] == [] and data["goals"][0]["life_goal"] is None


def test_an_outsider_gets_404(person, outsider_client):
    assert outsider_client.get(_base(person)).status_code == 404
    assert _send(outsider_client, "post", f"{_base(person)}/goals", {"title": "x"}).status_code == 404


def test_a_reader_who_may_not_write_gets_403_and_nothing_is_made(person, caregiver):
    response = _send(client_for(caregiver), "post", f"{_base(person)}/goals", {"title": "Iets"})
    assert response.status_code == 403
    assert not Goal.objects.exists()


def test_a_goal_is_added_and_changed_with_if_match(person, gp, gp_client):
    life = life_goal(person, gp)
    made = _send(
        gp_client, "post", f"{_base(person)}/goals", {"title": "Veilig koken", "life_goal": str(life.public_id)}
    )
    assert made.status_code == 201 and made["ETag"] == 'W/"1"'
    url = f"{_base(person)}/goals?item={made.json()['id']}"
    assert _send(gp_client, "patch", url, {"title": "Zelf koken"}).status_code == 428
    changed = _send(gp_client, "patch", url, {"title": "Zelf koken", "weight": 2}, version=1)
    assert changed.status_code == 200 and changed["ETag"] == 'W/"2"'
    assert changed.json()["life_goal"] == str(life.public_id)  # not sent, so kept
    stale = _send(gp_client, "patch", url, {"title": "Samen koken"}, version=1)
    assert stale.status_code == 412
    assert Goal.objects.get().title == "Zelf koken"


def test_invalid_input_is_422_and_changes_nothing(person, gp, gp_client):
    made = goal(person, gp)
    response = _send(gp_client, "patch", f"{_base(person)}/goals?item={made.public_id}", {"weight": 40}, version=1)
    assert response.status_code == 422
    made.refresh_from_db()
    assert (made.weight, made.version) == (1, 1)


def test_another_persons_goal_in_the_body_is_the_outsiders_404(person, gp, gp_client):
    other = PersonFactory()
    join_team(other, gp, is_coordinator=True)
    consent_for(other, recorded_by=gp)
    foreign = goal(other, gp)
    nurse_membership = membership_of(person, gp)
    response = _send(
        gp_client,
        "post",
        f"{_base(person)}/actions",
        {"title": "x", "owner": str(nurse_membership.public_id), "goal": str(foreign.public_id)},
    )
    assert response.status_code == 404
    assert not PlanAction.objects.filter(person=person).exists()


def test_an_action_is_proposed_accepted_and_done_through_the_api(person, gp, nurse, gp_client, nurse_client):
    made = _send(
        gp_client,
        "post",
        f"{_base(person)}/actions",
        {"title": "Wondzorg", "owner": str(membership_of(person, nurse).public_id), "due_on": "2026-12-20"},
    )
    assert made.status_code == 201 and made.json()["status"] == "proposed"
    item = made.json()["id"]
    assert _send(gp_client, "post", f"{_base(person)}/actions/accept?item={item}", version=1).status_code == 403
    accepted = _send(nurse_client, "post", f"{_base(person)}/actions/accept?item={item}", version=1)
    assert accepted.status_code == 200 and accepted.json()["status"] == "open"
    done = _send(
        nurse_client,
        "post",
        f"{_base(person)}/actions/status?item={item}",
        {"status": "done", "outcome": "Wonde genezen"},
        version=2,
    )
    assert done.status_code == 200 and done.json()["outcome"] == "Wonde genezen"
    stale = _send(nurse_client, "post", f"{_base(person)}/actions/status?item={item}", {"status": "open"}, version=2)
    assert stale.status_code == 412


def test_a_decline_needs_a_reason_then_reaches_the_coordinator(person, gp, nurse, nurse_client):
    made = action(person, gp, nurse)
    url = f"{_base(person)}/actions/decline?item={made.public_id}"
    assert _send(nurse_client, "post", url, {"reason": ""}, version=1).status_code == 422
    declined = _send(nurse_client, "post", url, {"reason": "Met verlof"}, version=1)
    assert declined.json()["status"] == "declined"
    assert gp.notifications.filter(kind="action_declined").exists()


def test_reassign_and_cancel_through_the_api(person, gp, nurse, caregiver, gp_client):
    made = action(person, gp, nurse)
    moved = _send(
        gp_client,
        "post",
        f"{_base(person)}/actions/reassign?item={made.public_id}",
        {"owner": str(membership_of(person, caregiver).public_id)},
        version=1,
    )
    assert moved.status_code == 200 and moved.json()["owner_name"] == "Marie Claes"
    cancelled = _send(
        gp_client,
        "post",
        f"{_base(person)}/actions/status?item={made.public_id}",
        {"status": "cancelled", "outcome": "Niet meer nodig"},
        version=2,
    )
    assert cancelled.json()["status"] == "cancelled"


def test_a_life_goal_is_written_by_the_person_and_read_back(person, person_user):
    client = client_for(person_user)
    made = _send(client, "post", f"{_base(person)}/life-goals", {"text": "Thuis blijven", "written_by": "person"})
    assert made.status_code == 201
    one = client.get(f"{_base(person)}/life-goals?item={made.json()['id']}")
    assert one.json()["text"] == "Thuis blijven" and one["ETag"] == 'W/"1"'
