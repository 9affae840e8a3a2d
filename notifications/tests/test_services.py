"""In-app notifications: rendered in the reader's language from codes, and naming the person
only to a reader who has a relationship with them."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.vocab import Profile
from notifications import services
from notifications.models import Notification

PARAMS = {
    "actor": "Dr. Noor El Amrani",
    "profile": "hospital_doctor",
    "reason": "Unconscious at the emergency department.",
    "until": "2026-11-24T10:00:00+00:00",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_break_glass_notice_names_who_why_and_until_when(person, gp):
    item = services.notify(gp, Notification.Kind.BREAK_GLASS, person=person, params=PARAMS)
    text = services.render_text(item)
    assert text.startswith(
        "Dr. Noor El Amrani (hospital doctor) used emergency access to a dossier. "
        "Reason given: Unconscious at the emergency department. The access ends on "
    )


def test_the_profile_is_stored_as_a_code_and_shown_as_a_label(person, gp):
    item = services.notify(gp, Notification.Kind.BREAK_GLASS, person=person, params=PARAMS)
    assert item.params["profile"] == "hospital_doctor"
    assert "(hospital doctor)" in services.render_text(item)


def test_reading_marks_notifications_read_and_links_the_person_for_the_coordinator(person, gp):
    services.notify(gp, Notification.Kind.BREAK_GLASS, person=person, params=PARAMS)
    views = services.for_user(gp)
    assert [(v.unread, v.person_name, v.person_url) for v in views] == [
        (True, "Jozef Wouters", reverse("people:detail", args=[person.public_id]))
    ]
    assert Notification.objects.get(recipient=gp).read_at is not None
    assert [v.unread for v in services.for_user(gp)] == [False]


def test_a_zone_admin_is_not_told_whose_dossier_it_was(person):
    admin = UserFactory(profile=Profile.ZONE_ADMIN)
    services.notify(admin, Notification.Kind.BREAK_GLASS, person=person, params=PARAMS)
    [view] = services.for_user(admin)
    assert (view.person_name, view.person_url) == ("", "")
    assert "Jozef" not in view.text


def test_the_list_page_shows_the_notices(person, gp, gp_client):
    gp.language = "en"
    gp.save()
    services.notify(gp, Notification.Kind.BREAK_GLASS, person=person, params=PARAMS)
    body = gp_client.get(reverse("notifications:list")).content.decode()
    assert "used emergency access to a dossier" in body
    assert "Open Jozef Wouters's dossier" in body
