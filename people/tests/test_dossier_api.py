"""The dossier API: the same gated queries and services as the pages. A read sends an ETag
(W/"<version>"); a change needs it back in If-Match: 412 when stale, 428 when missing."""

import json

from django.urls import reverse

from conftest import client_for
from notifications.models import Notification
from people.models import Contact, HomeSituation, MedicationProblem
from people.tests.factories import section_row


def url(person, slug: str, item=None) -> str:
    path = f"/api/persons/{person.public_id}/dossier/{slug}"
    return f"{path}?item={item.public_id}" if item is not None else path


def send(client, method: str, path: str, body=None, if_match: str | None = None):
    headers = {"If-Match": if_match} if if_match else {}
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(path, data=data, content_type="application/json", headers=headers)


def test_a_one_per_person_section_is_read_with_an_etag_and_changed_with_if_match(gp_client, person):
    response = gp_client.get(url(person, "home"))
    assert (response.status_code, response.headers["ETag"]) == (200, 'W/"0"')
    assert response.json()["version"] == 0 and response.json()["aids"] == []

    body = {"lives_alone": True, "stairs": "inside", "aids": ["walker", "alarm"], "meals": "delivery"}
    response = send(gp_client, "put", url(person, "home"), body, 'W/"0"')
    assert (response.status_code, response.headers["ETag"]) == (200, 'W/"1"')
    assert response.json()["aids"] == ["walker", "alarm"] and response.json()["updated_by"] == "Dr. An Peeters"

    response = send(gp_client, "patch", url(person, "home"), {"meals": "cooks"}, 'W/"1"')
    assert (response.status_code, response.headers["ETag"]) == (200, 'W/"2"')
    home = HomeSituation.objects.get(person=person)
    assert (home.meals, home.stairs, home.aids, home.version) == ("cooks", "inside", ["walker", "alarm"], 2)


def test_a_stale_if_match_answers_412_and_a_missing_one_428_and_nothing_changes(gp_client, person):
    send(gp_client, "put", url(person, "home"), {"meals": "delivery"}, 'W/"0"')
    stale = send(gp_client, "patch", url(person, "home"), {"meals": "cooks"}, 'W/"0"')
    assert (stale.status_code, stale.json()["code"]) == (412, "conflict")
    assert stale.json()["detail"][0].startswith("This was changed by Dr. An Peeters at ")
    assert send(gp_client, "patch", url(person, "home"), {"meals": "cooks"}).status_code == 428
    assert HomeSituation.objects.get(person=person).meals == "delivery"


def test_list_entries_are_added_read_changed_and_removed(gp_client, person):
    added = send(
        gp_client,
        "post",
        url(person, "contacts"),
        {"name": "Apotheek Maes", "kind": "service", "phone": "014 12 34 56"},
    )
    assert (added.status_code, added.headers["ETag"], added.json()["phone"]) == (201, 'W/"1"', "+3214123456")
    contact = Contact.objects.get(person=person)

    listed = gp_client.get(url(person, "contacts")).json()
    assert [entry["name"] for entry in listed["entries"]] == ["Apotheek Maes"]
    one = gp_client.get(url(person, "contacts", contact))
    assert (one.headers["ETag"], one.json()["id"]) == ('W/"1"', str(contact.public_id))

    changed = send(gp_client, "patch", url(person, "contacts", contact), {"email": "apotheek@example.org"}, 'W/"1"')
    assert (changed.status_code, changed.json()["email"], changed.json()["name"]) == (
        200,
        "apotheek@example.org",
        "Apotheek Maes",
    )
    assert send(gp_client, "delete", url(person, "contacts", contact), if_match='W/"1"').status_code == 412
    assert send(gp_client, "delete", url(person, "contacts", contact), if_match='W/"2"').status_code == 204
    assert Contact.objects.count() == 0


def test_bad_input_answers_422_with_the_pages_messages_and_changes_nothing(gp_client, person):
    response = send(gp_client, "post", url(person, "contacts"), {"name": "X", "kind": "service", "phone": "12"})
    assert response.status_code == 422
    assert response.json()["detail"] == ["Phone: Enter a valid phone number, e.g. 0470 12 34 56 or +32 470 12 34 56."]
    response = send(gp_client, "put", url(person, "home"), {"aids": ["jetpack"]}, 'W/"0"')
    assert response.status_code == 422
    assert response.json()["detail"] == [
        "Aids at home: Select a valid choice. jetpack is not one of the available choices."
    ]
    assert Contact.objects.count() == HomeSituation.objects.count() == 0


def test_a_reader_who_may_not_write_gets_403_and_an_outsider_404(caregiver, outsider_client, person):
    entry = section_row(person, "family")
    client = client_for(caregiver)
    assert client.get(url(person, "family")).status_code == 200
    assert send(client, "patch", url(person, "family", entry), {"name": "X"}, 'W/"1"').status_code == 403
    assert outsider_client.get(url(person, "family")).status_code == 404
    assert client.get(url(person, "allergies")).status_code == 404  # the caregiver's row has no medical


def test_the_dossier_lists_only_the_readable_sections(neighbour, person):
    body = client_for(neighbour).get(f"/api/persons/{person.public_id}/dossier").json()
    assert [(s["code"], s["category"], s["may_write"]) for s in body["sections"]] == [("contacts", "team", False)]


def test_medication_problems_are_reported_and_handled(caregiver, pharmacist, person):
    path = url(person, "medication-problems")
    reported = send(client_for(caregiver), "post", path, {"kind": "side_effect", "description": "Nausea."})
    assert (reported.status_code, reported.json()["owner"], reported.json()["is_open"]) == (201, "Luc Maes", True)
    assert Notification.objects.filter(recipient=pharmacist).count() == 1
    problem = MedicationProblem.objects.get()
    handle = f"{path}/handle?item={problem.public_id}"
    assert send(client_for(caregiver), "post", handle, {}, 'W/"1"').status_code == 403
    assert send(client_for(pharmacist), "post", handle, {"note": "Stopped."}).status_code == 428
    done = send(client_for(pharmacist), "post", handle, {"note": "Stopped."}, 'W/"1"')
    assert (done.status_code, done.json()["is_open"], done.json()["handled_by"]) == (200, False, "Luc Maes")


def test_the_api_routes_are_named(person):
    assert reverse("api:dossier-contacts", args=[person.public_id]) == url(person, "contacts")
