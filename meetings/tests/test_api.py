"""The meetings API: the same services as the pages, with ETag / If-Match for changes."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Meeting
from meetings.tests.factories import meeting
from plans.models import PlanAction
from plans.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def _base(person):
    return f"/api/meetings/persons/{person.public_id}"


def _post(client, url, body, version=None):
    headers = {"HTTP_IF_MATCH": f'W/"{version}"'} if version is not None else {}
    return client.post(url, json.dumps(body, default=str), content_type="application/json", **headers)


def test_plan_read_and_list_a_meeting(person, gp, nurse, gp_client):
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    response = _post(
        gp_client,
        _base(person),
        {
            "kind": "medication",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "member_ids": [str(membership_of(person, nurse).public_id)],
            "with_person": True,
            "guests": [{"name": "Els Wouters", "email": "els@example.org"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [p["kind"] for p in body["participants"]] == ["member", "person", "guest"]
    read = gp_client.get(f"{_base(person)}/meeting?meeting_id={body['id']}")
    assert read.status_code == 200 and read["ETag"] == 'W/"1"'
    assert list(read.json()["agenda"]) == [
        "previous_meeting_id",
        "previous_decisions",
        "overdue_actions",
        "goals_due_for_review",
        "questions",
    ]
    assert [m["id"] for m in gp_client.get(_base(person)).json()] == [body["id"]]


def test_a_change_needs_the_version_read(person, gp, gp_client):
    made = meeting(person, gp)
    body = {
        "meeting_id": str(made.public_id),
        "kind": "mdo",
        "starts_at": made.starts_at.isoformat(),
        "ends_at": made.ends_at.isoformat(),
        "place": "Huisartsenpraktijk",
    }
    assert _post(gp_client, f"{_base(person)}/meeting/change", body).status_code == 428
    assert _post(gp_client, f"{_base(person)}/meeting/change", body, version=1).status_code == 200
    stale = _post(gp_client, f"{_base(person)}/meeting/change", {**body, "place": "Elders"}, version=1)
    assert stale.status_code == 412
    made.refresh_from_db()
    assert (made.place, made.sequence, made.version) == ("Huisartsenpraktijk", 1, 2)


def test_a_decision_makes_its_action_and_closing_needs_a_next_date_or_reason(person, gp, nurse, gp_client):
    made = meeting(person, gp, nurse)
    due = timezone.localdate() + timedelta(days=7)
    decided = _post(
        gp_client,
        f"{_base(person)}/meeting/decisions",
        {
            "meeting_id": str(made.public_id),
            "text": "Sofie vraagt een trapleuning aan.",
            "owner_id": str(membership_of(person, nurse).public_id),
            "due_on": due.isoformat(),
        },
    )
    assert decided.status_code == 201
    assert PlanAction.objects.get(public_id=decided.json()["action_id"]).owner.user == nurse

    refused = _post(gp_client, f"{_base(person)}/meeting/close", {"meeting_id": str(made.public_id)}, version=1)
    assert refused.status_code == 422
    assert Meeting.objects.get(pk=made.pk).status == Meeting.Status.PLANNED
    closed = _post(
        gp_client,
        f"{_base(person)}/meeting/close",
        {"meeting_id": str(made.public_id), "next_starts_at": (made.starts_at + timedelta(days=90)).isoformat()},
        version=1,
    )
    assert closed.status_code == 200 and closed.json()["next_meeting_id"] is not None


def test_the_caregiver_may_ask_but_not_change(person, gp, caregiver, caregiver_client):
    made = meeting(person, gp, caregiver)
    asked = _post(
        caregiver_client, f"{_base(person)}/meeting/questions", {"meeting_id": str(made.public_id), "text": "Douchen?"}
    )
    assert asked.status_code == 201
    refused = _post(
        caregiver_client, f"{_base(person)}/meeting/cancel", {"meeting_id": str(made.public_id), "reason": "x"}, 1
    )
    assert refused.status_code == 403
