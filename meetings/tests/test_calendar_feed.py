"""The private calendar feed: made in the user's settings (the URL shown once), read by token,
listing neutrally the meetings of active memberships in its window, audited per person, rate
limited, and revoked by the user, on deactivation and on the end of a membership."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts import services as accounts
from audit.models import AuditEntry
from core.actions import Action
from meetings.models import CalendarFeed, Meeting
from meetings.tests.calendar_factories import invite, meeting
from people.tests.factories import PersonFactory, consent_for, join_team
from plans.tests.factories import membership_of
from teams import services as teams

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the feed's read counts live in the shared cache
    yield
    cache.clear()


def _new_feed(client) -> str:
    page = client.post(reverse("meetings:calendar-feeds"))
    assert page.status_code == 200
    found = re.search(r"https?://[^/\s<]+(/meetings/feed/[^<\s]+\.ics)", page.content.decode())
    assert found is not None
    return found.group(1)


def _uids(response) -> list[str]:
    return [str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]


def test_the_feed_url_is_shown_once_and_stored_hashed(nurse, nurse_client):
    path = _new_feed(nurse_client)
    token = path.removeprefix("/meetings/feed/").removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=nurse)
    assert feed.token_hash == CalendarFeed.hash_token(token) and token not in feed.token_hash
    assert token not in nurse_client.get(reverse("meetings:calendar-feeds")).content.decode()
    assert AuditEntry.objects.filter(actor_id=nurse.pk, action=Action.MEETINGS_CALENDAR_FEED_CREATED).count() == 1


def test_the_feed_lists_the_users_meetings_in_its_window_neutrally(person, gp, nurse, nurse_client, client):
    now = timezone.now()
    upcoming = meeting(person, gp, starts_at=now + timedelta(days=3), at_home=True, place="Kerkstraat 12")
    recent = meeting(person, gp, starts_at=now - timedelta(days=80))
    too_old = meeting(person, gp, starts_at=now - timedelta(days=100))
    cancelled = meeting(person, gp, starts_at=now + timedelta(days=5), status=Meeting.Status.CANCELLED)
    not_invited = meeting(person, gp, starts_at=now + timedelta(days=6))
    for made in (upcoming, recent, too_old, cancelled):
        invite(made, nurse)
    invite(not_invited, gp)
    response = client.get(_new_feed(nurse_client))  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"{m.calendar_uid}@schakel" for m in (recent, upcoming, cancelled)}
    assert str(events[f"{cancelled.calendar_uid}@schakel"]["STATUS"]) == "CANCELLED"
    assert "LOCATION" not in events[f"{upcoming.calendar_uid}@schakel"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Brussels"
    text = response.content.decode()
    assert "Wouters" not in text and person.insz not in text and "Kerkstraat" not in text
    # One audit row for the person for this read.
    rows = AuditEntry.objects.filter(actor_id=nurse.pk, action=Action.MEETINGS_CALENDAR_FEED_READ)
    assert list(rows.values_list("person_id", "allowed", "category")) == [(person.pk, True, "plan")]


def test_an_ended_membership_takes_its_meetings_out_and_revokes_the_feed(person, gp, nurse, nurse_client, client):
    other = PersonFactory()
    join_team(other, gp, is_coordinator=True)
    join_team(other, nurse)
    consent_for(other, recorded_by=gp)
    here, there = meeting(person, gp), meeting(other, gp)
    invite(here, nurse)
    invite(there, nurse)
    old_path = _new_feed(nurse_client)
    assert len(_uids(client.get(old_path))) == 2
    ending = membership_of(person, nurse)
    teams.end_membership(gp, person, ending, version=ending.version)
    assert client.get(old_path).status_code == 404  # revoked
    feed = CalendarFeed.objects.get(user=nurse)
    assert feed.revoked_why == CalendarFeed.Revoked.MEMBERSHIP_ENDED
    assert _uids(client.get(_new_feed(nurse_client))) == [f"{there.calendar_uid}@schakel"]


def test_deactivation_revokes_the_feed(nurse, nurse_client, zone_admin, client):
    path = _new_feed(nurse_client)
    assert client.get(path).status_code == 200
    accounts.deactivate_account(zone_admin, nurse)
    assert client.get(path).status_code == 404
    assert CalendarFeed.objects.get(user=nurse).revoked_why == CalendarFeed.Revoked.DEACTIVATED


def test_the_user_revokes_their_feed_and_nobody_else_can(nurse, nurse_client, gp_client, client):
    path = _new_feed(nurse_client)
    feed = CalendarFeed.objects.get(user=nurse)
    revoke = reverse("meetings:calendar-feed-revoke", args=[feed.public_id])
    assert gp_client.post(revoke).status_code == 404
    assert client.get(path).status_code == 200
    assert nurse_client.post(revoke).status_code == 302
    assert client.get(path).status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_why == CalendarFeed.Revoked.BY_USER


def test_an_unknown_token_is_a_404(client):
    assert client.get("/meetings/feed/cal_not-a-real-token.ics").status_code == 404


def test_a_feed_read_too_often_is_slowed_down(nurse, nurse_client, client, settings):
    settings.MEETINGS_FEED_READS_PER_HOUR = 2
    path = _new_feed(nurse_client)
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429]
