"""The team's message thread (TEAM-06): the sender files a message under a category they may
write; a reader sees only the categories they may read, with no trace of the others; addressees
are notified in-app and by an e-mail that holds only a link, in their own language."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from core.vocab import Category
from notifications.models import Notification
from teams import queries, services
from teams.models import MessageRead, TeamMessage

LINK = "https://schakel.example/teams/person/x/messages/"


def _post(author, person, category, body, addressees=()):
    return services.post_message(author, person, category=category, body=body, addressees=addressees, link=LINK)


def _thread_url(person):
    return reverse("teams:messages", args=[person.public_id])


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_nurse_posts_a_medical_message_to_the_gp(person, nurse, gp):
    message = _post(nurse, person, Category.MEDICAL, "Wound on the left heel looks infected.", [gp])
    assert (message.author, message.category, list(message.addressees.all())) == (nurse, "medical", [gp])
    row = AuditEntry.objects.get(action="teams.message_posted", event="change")
    assert (row.actor_id, row.category, row.detail["addressees"]) == (nurse.pk, "medical", [str(gp.public_id)])


def test_the_sender_may_only_choose_categories_they_may_write(person, caregiver, nurse, person_user):
    assert queries.get_thread(caregiver, person.public_id).writable == ["caregiver"]
    assert queries.get_thread(person_user, person.public_id).writable == ["wishes"]
    assert queries.get_thread(nurse, person.public_id).writable == [
        "identity",
        "situation",
        "plan",
        "medical",
        "medication",
        "assessments",
    ]


def test_a_category_the_sender_may_not_write_is_refused_and_nothing_is_posted(person, caregiver):
    with pytest.raises(ValidationError) as raised:
        _post(caregiver, person, Category.MEDICAL, "He fell again.")
    assert raised.value.error_dict["category"][0].code == "category_not_writable"
    assert not TeamMessage.objects.exists()
    row = AuditEntry.objects.get(actor_id=caregiver.pk, allowed=False)
    assert (row.action, row.category, row.reason) == ("teams.message_posted", "medical", "matrix")


def test_an_empty_message_is_refused(person, nurse):
    with pytest.raises(ValidationError) as raised:
        _post(nurse, person, Category.PLAN, "   ")
    assert raised.value.error_dict["body"][0].code == "required"
    assert not TeamMessage.objects.exists()


def test_an_addressee_who_cannot_read_the_category_is_refused(person, nurse, caregiver):
    with pytest.raises(ValidationError) as raised:
        _post(nurse, person, Category.MEDICAL, "Blood results are in.", [caregiver])
    assert raised.value.error_dict["addressees"][0].code == "addressee_cannot_read"
    assert not TeamMessage.objects.exists()


def test_a_caregiver_sees_no_trace_of_a_medical_message(person, nurse, gp, caregiver, caregiver_client):
    _post(nurse, person, Category.PLAN, "Physio starts on Monday.")
    assert caregiver_client.get(_thread_url(person)).status_code == 200  # marks the plan message read
    before = caregiver_client.get(_thread_url(person))
    _post(nurse, person, Category.MEDICAL, "Suspected pneumonia, antibiotics started.", [gp])
    after = caregiver_client.get(_thread_url(person))
    body = after.content.decode()
    assert "Physio starts on Monday." in body
    assert "pneumonia" not in body
    # No count, no gap, no marker: the page is exactly what it was before the medical message.
    assert _without_csrf(body) == _without_csrf(before.content.decode())
    assert [m.body for m in queries.get_thread(caregiver, person.public_id).messages] == ["Physio starts on Monday."]
    # ... and the API says the same.
    api = caregiver_client.get(f"/api/teams/persons/{person.public_id}/messages")
    assert [row["body"] for row in api.json()] == ["Physio starts on Monday."]


def test_the_gp_sees_both(person, nurse, gp, gp_client):
    _post(nurse, person, Category.PLAN, "Physio starts on Monday.")
    _post(nurse, person, Category.MEDICAL, "Suspected pneumonia.", [gp])
    body = gp_client.get(_thread_url(person)).content.decode()
    assert "Physio starts on Monday." in body and "Suspected pneumonia." in body


def test_reading_the_thread_marks_the_shown_messages_read(person, nurse, gp, caregiver, caregiver_client):
    plan = _post(nurse, person, Category.PLAN, "Physio starts on Monday.")
    medical = _post(nurse, person, Category.MEDICAL, "Suspected pneumonia.", [gp])
    assert queries.get_thread(caregiver, person.public_id).unread == {plan.pk}
    caregiver_client.get(_thread_url(person))
    assert set(MessageRead.objects.filter(user=caregiver).values_list("message_id", flat=True)) == {plan.pk}
    assert not MessageRead.objects.filter(user=caregiver, message=medical).exists()
    assert queries.get_thread(caregiver, person.public_id).unread == set()


def test_reading_audits_each_category_shown(person, nurse, gp):
    _post(nurse, person, Category.MEDICAL, "Suspected pneumonia.", [gp])
    queries.get_thread(gp, person.public_id)
    rows = AuditEntry.objects.filter(actor_id=gp.pk, action="teams.messages_viewed")
    assert sorted(rows.values_list("category", "allowed")) == [("medical", True), ("team", True)]


def test_addressees_get_a_notification_and_an_email_with_only_a_link(person, nurse, gp, mailoutbox):
    gp.language = "fr"
    gp.save()
    _post(nurse, person, Category.MEDICAL, "Suspected pneumonia.", [gp])
    assert list(Notification.objects.values_list("recipient", "kind", "person")) == [(gp.pk, "team_message", person.pk)]
    [mail] = mailoutbox
    assert mail.to == [gp.email]
    assert mail.extra_headers["Content-Language"] == "fr"
    with translation.override("fr"):
        assert mail.subject == translation.gettext("New message in Schakel")
    assert LINK in mail.body
    for secret in ("Jozef", "Wouters", "pneumonia", "Sofie", "Janssens", "medical", person.insz):
        assert secret not in mail.body and secret not in mail.subject


def test_without_addressees_every_other_reader_is_notified(person, nurse, gp, pharmacist, caregiver, mailoutbox):
    _post(nurse, person, Category.MEDICAL, "Suspected pneumonia.")
    # The pharmacist may read medical, the caregiver may not; the author is not told of their own.
    notified = set(Notification.objects.values_list("recipient", flat=True))
    assert notified == {gp.pk, pharmacist.pk}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([gp.email, pharmacist.email])


def test_the_thread_page_offers_the_writable_categories_and_posts(person, nurse, nurse_client, gp):
    url = _thread_url(person)
    page = nurse_client.get(url).content.decode()
    assert 'type="radio" name="category" id="topic-medical" value="medical"' in page
    assert 'value="mental_health"' not in page
    response = nurse_client.post(
        url, {"category": "plan", "body": "Care meeting on Friday.", "addressees": [str(gp.public_id)]}
    )
    assert response.status_code == 302
    message = TeamMessage.objects.get()
    assert (message.body, message.category, list(message.addressees.all())) == ("Care meeting on Friday.", "plan", [gp])


def test_a_refused_category_on_the_page_changes_nothing(person, caregiver_client):
    response = caregiver_client.post(_thread_url(person), {"category": "medical", "body": "He fell."})
    assert response.status_code == 200
    assert not TeamMessage.objects.exists()


def test_the_api_posts_a_message(person, nurse, gp):
    from conftest import client_for

    response = client_for(nurse).post(
        f"/api/teams/persons/{person.public_id}/messages",
        {"category": "plan", "body": "Care meeting on Friday.", "addressees": [str(gp.public_id)]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["category"], response.json()["addressees"]) == ("plan", [str(gp)])
    bad = client_for(nurse).post(
        f"/api/teams/persons/{person.public_id}/messages",
        {"category": "mental_health", "body": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert TeamMessage.objects.count() == 1
