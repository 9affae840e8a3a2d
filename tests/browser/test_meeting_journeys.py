"""Issue 12, meetings, walked in Debian's Chromium at 360 px in Dutch and French: the coordinator
plans an MDO with the nurse and the caregiver; the caregiver puts a question on the agenda; at
the meeting the coordinator records the attendance and two decisions, which become plan actions
of their owners; the coordinator closes the meeting with the next date; the minutes download as
a PDF; axe finds no serious or critical violation on any page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from plans.models import PlanAction
from plans.tests.factories import membership_of
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def _field(text: str) -> re.Pattern[str]:
    """A form label exactly, with or without Django's label suffix."""
    return re.compile(rf"^{re.escape(text)}\s*:?$")


def _blocking(page, name: str) -> list[str]:
    found = []
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            found.append(f"{name} {violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_an_mdo_is_planned_held_and_closed_and_its_decisions_become_actions(
    person, gp, nurse, caregiver, new_context, screenshots, language
):
    for user in (gp, nurse, caregiver):
        type(user).objects.filter(pk=user.pk).update(language=language)
    today = timezone.localdate()

    # The coordinator plans the MDO, today from midnight (so that it has begun and can be closed).
    page = new_context(gp, language=language, viewport=NARROW).new_page()
    page.goto(reverse("meetings:list", args=[person.public_id]))
    expect(page.locator("html")).to_have_attribute("lang", language)
    blocking = _blocking(page, f"list [{language}]")
    page.get_by_role("link", name=t("Plan a meeting", language)).click()
    page.get_by_label(_field(t("Date", language))).fill(today.isoformat())
    page.get_by_label(_field(t("Starts at", language))).fill("00:00")
    page.get_by_label(_field(t("Ends at", language))).fill("00:45")
    page.get_by_label(_field(t("Place", language))).fill("Bij Jozef thuis")
    page.get_by_label(t("The meeting takes place at the person's home", language)).check()
    page.get_by_label(nurse.full_name, exact=False).check()
    page.get_by_label(caregiver.full_name, exact=False).check()
    blocking += _blocking(page, f"plan [{language}]")
    page.get_by_role("button", name=t("Plan the meeting", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(t("The meeting is planned. The invitees are told.", language))
    made = Meeting.objects.get()
    assert made.participants.count() == 3  # the nurse, the caregiver and the person
    meeting_url = reverse("meetings:detail", args=[person.public_id]) + f"?meeting={made.public_id}"

    # The caregiver puts a question on the agenda beforehand.
    carer = new_context(caregiver, language=language, viewport=NARROW).new_page()
    carer.goto(meeting_url)
    carer.get_by_label(_field(t("Your question for the meeting", language))).fill("Kan papa nog alleen douchen?")
    carer.get_by_role("button", name=t("Add my question", language)).click()
    expect(carer.locator("ul.messages")).to_contain_text(t("Your question is on the agenda.", language))
    expect(carer.get_by_text("Kan papa nog alleen douchen?")).to_be_visible()
    blocking += _blocking(carer, f"meeting as caregiver [{language}]")

    # At the meeting: attendance, the nurse's RIZIV/INAMI number, the minutes.
    page.goto(meeting_url)
    for row in made.participants.all():
        page.locator(f"#id_attendance-{row.public_id}").select_option("in_person")
    nurse_row = made.participants.get(membership__user=nurse)
    page.locator(f"#id_riziv-{nurse_row.public_id}").fill("1-87497-04-477")
    page.get_by_label(_field(t("Minutes", language))).fill("De trap wordt te zwaar; Marie kookt niet meer elke dag.")
    page.get_by_role("button", name=t("Save attendance and minutes", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(t("The attendance and the minutes are saved.", language))

    # Two decisions, each a plan action of its owner.
    due = today + timedelta(days=14)
    for text, owner in (("Sofie vraagt een trapleuning aan.", nurse), ("Marie zoekt een maaltijdendienst.", caregiver)):
        page.get_by_label(_field(t("Decision", language))).fill(text)
        page.get_by_label(_field(t("Who does it", language))).select_option(str(membership_of(person, owner).public_id))
        page.get_by_label(_field(t("By when", language))).fill(due.isoformat())
        page.get_by_role("button", name=t("Record the decision", language)).click()
        expect(page.locator("ul.messages")).to_contain_text(
            t("The decision is recorded. Its owner finds it among their actions.", language)
        )
    actions = {a.title: (a.owner.user_id, a.status, a.origin, a.due_on) for a in PlanAction.objects.all()}
    assert actions == {
        "Sofie vraagt een trapleuning aan.": (nurse.pk, "proposed", "meeting", due),
        "Marie zoekt een maaltijdendienst.": (caregiver.pk, "proposed", "meeting", due),
    }
    page.screenshot(path=str(screenshots / f"meeting-{language}.png"), full_page=True)
    blocking += _blocking(page, f"meeting as coordinator [{language}]")

    # Closing with the next date plans the next meeting.
    page.get_by_role("link", name=t("Close the meeting", language)).click()
    blocking += _blocking(page, f"close [{language}]")
    page.get_by_label(_field(t("Date of the next meeting", language))).fill((today + timedelta(days=90)).isoformat())
    page.get_by_label(_field(t("Starts at", language))).fill("14:00")
    page.get_by_role("button", name=t("Close the meeting", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(
        t("The meeting is closed. The next one is planned and its invitees are told.", language)
    )
    made.refresh_from_db()
    assert made.status == Meeting.Status.CLOSED
    assert timezone.localtime(made.next_meeting.starts_at).date() == today + timedelta(days=90)

    # The minutes download as a PDF.
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download the minutes (PDF)", language)).click()
    assert download.value.suggested_filename == "schakel-minutes.pdf"
    saved = screenshots / f"minutes-{language}.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert blocking == []
