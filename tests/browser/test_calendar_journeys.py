"""Issue 12, calendar invitations and feed, walked in Debian's Chromium at 360 px in Dutch and
French: the demo nurse opens a meeting she is invited to, downloads its .ics, which parses as the
meeting's one event; she makes a private calendar address, sees it once, her calendar reads it,
and she revokes it; axe finds no serious or critical violation."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.vocab import Profile
from meetings.models import CalendarFeed, Meeting, Participant
from teams.models import Membership
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def _blocking(page, name: str) -> list[str]:
    found = []
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            found.append(f"{name} {violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_nurse_downloads_a_meeting_and_manages_her_calendar_address(demo, new_context, screenshots, language):
    users, jozef = demo
    nurse, gp = users[Profile.NURSE], users[Profile.GP]
    type(nurse).objects.filter(pk=nurse.pk).update(language=language)
    starts = (timezone.now() + timedelta(days=10)).replace(hour=13, minute=0, second=0, microsecond=0)
    meeting = Meeting.objects.create(
        person=jozef, organiser=gp, starts_at=starts, ends_at=starts + timedelta(hours=1), at_home=True
    )
    membership = Membership.objects.active().filter(person=jozef, user=nurse).first()
    Participant.objects.create(meeting=meeting, membership=membership)
    page = new_context(nurse, language=language, viewport=NARROW).new_page()

    # The meeting's answer page: the .ics downloads and parses as the meeting's one event.
    page.goto(reverse("meetings:calendar-reply", args=[jozef.public_id, meeting.public_id]))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", name=t("Your answer to a meeting", language))).to_be_visible()
    blocking = _blocking(page, f"answer [{language}]")
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Add to my calendar (.ics)", language)).click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.calendar_uid}@schakel"
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert str(event["SUMMARY"]) == t("Schakel meeting", language)
    page.get_by_label(t("will come", language)).check()
    page.get_by_role("button", name=t("Send my answer", language)).click()
    expect(page.get_by_text(t("Your answer is recorded.", language))).to_be_visible()
    assert Participant.objects.get(meeting=meeting).reply == Participant.Reply.ACCEPTED

    # Her private calendar address: shown once, read by her calendar, then revoked.
    page.goto(reverse("accounts:settings"))
    page.get_by_role("link", name=t("Calendar feed", language)).click()
    page.get_by_role("button", name=t("Make a calendar address", language)).click()
    shown = page.get_by_role("status").locator("code")
    url = shown.inner_text()
    assert re.fullmatch(r"https?://.+/meetings/feed/cal_[\w-]+\.ics", url)
    page.screenshot(path=str(screenshots / f"calendar-feed-{language}.png"), full_page=True)
    blocking += _blocking(page, f"feed made [{language}]")
    read = page.request.get(url)
    assert read.status == 200
    # The demo's own meetings with the nurse are in her feed too.
    assert str(event["UID"]) in [str(e["UID"]) for e in Calendar.from_ical(read.body()).walk("VEVENT")]

    page.goto(reverse("meetings:calendar-feeds"))  # opened again: the address is not shown again
    expect(page.get_by_text(url)).to_have_count(0)
    prefix = CalendarFeed.objects.get(user=nurse).prefix
    page.get_by_role(
        "button", name=t("Revoke the calendar address starting with %(prefix)s", language, prefix=prefix)
    ).click()
    expect(
        page.get_by_text(t("The calendar feed no longer works. Remove it from your calendar app.", language))
    ).to_be_visible()
    assert CalendarFeed.objects.get(user=nurse).revoked_at is not None
    assert page.request.get(url).status == 404
    blocking += _blocking(page, f"feed revoked [{language}]")
    assert blocking == []
