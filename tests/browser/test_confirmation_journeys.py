"""One click never undoes someone's care (issue 11), walked in Debian's Chromium at 360 px, in nl
and fr: Jozef's coordinator (the GP) proposes the nurse as coordinator on a confirmation page that
says what follows, cancels, proposes again; the nurse finds the proposal on her home page and
accepts; ending a membership is confirmed on its page; the GP stops a medication line with a
reason. Axe on each confirmation page; a screenshot of each in var/screenshots/."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.vocab import Profile
from people.models import MedicationIntake
from teams.models import CoordinationProposal
from teams.queries import active_members
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def _open(new_context, user, language):
    type(user).objects.filter(pk=user.pk).update(language=language)
    return new_context(user, language=language, viewport=NARROW).new_page()


def _check(page, axe, name, language, screenshots, blocking):
    """Axe on the page as it stands, and a screenshot to look at."""
    page.screenshot(path=screenshots / f"confirm-{name}-{language}-360.png", full_page=True)
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            blocking.append(f"{name} [{language}] {violation['id']}: {violation['nodes'][0]['target']}")


def _messages(page):
    return page.locator("ul.messages")


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_confirmations_coordination_handover_and_stopping_medication(demo, new_context, language, screenshots):
    users, jozef = demo
    gp, nurse, pharmacist = users[Profile.GP], users[Profile.NURSE], users[Profile.PHARMACIST]
    assert active_members(jozef).get(is_coordinator=True).user == gp
    axe = Axe()
    blocking: list[str] = []
    team = reverse("teams:team", args=[jozef.public_id])

    # The GP proposes the nurse: the confirmation page says what follows before anything changes.
    page = _open(new_context, gp, language)
    page.goto(team)
    page.get_by_role("link", name=t("Make %(name)s care coordinator", language, name=nurse.full_name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Propose %(name)s as care coordinator?", language, name=nurse.full_name)
    )
    expect(
        page.get_by_text(
            t(
                "Until %(name)s accepts, you stay the care coordinator and can cancel the proposal.",
                language,
                name=nurse.full_name,
            )
        )
    ).to_be_visible()
    _check(page, axe, "propose", language, screenshots, blocking)
    page.get_by_role("button", name=t("Yes, send the proposal", language)).click()
    expect(_messages(page)).to_contain_text(
        t("%(name)s is asked to accept the role. Nothing changes until they accept.", language, name=nurse.full_name)
    )
    assert active_members(jozef).get(is_coordinator=True).user == gp

    # ... and can still take it back.
    page.get_by_role("button", name=t("Cancel the proposal", language)).click()
    expect(_messages(page)).to_contain_text(
        t("The proposal is cancelled. %(name)s is told.", language, name=nurse.full_name)
    )
    assert CoordinationProposal.objects.get().status == CoordinationProposal.Status.CANCELLED

    # Proposed again; this time the nurse answers.
    page.get_by_role("link", name=t("Make %(name)s care coordinator", language, name=nurse.full_name)).click()
    page.get_by_role("button", name=t("Yes, send the proposal", language)).click()
    expect(page.get_by_role("button", name=t("Cancel the proposal", language))).to_be_visible()
    _check(page, axe, "team-pending", language, screenshots, blocking)

    nurse_page = _open(new_context, nurse, language)
    nurse_page.goto(reverse("home"))
    expect(nurse_page.get_by_text(t("You are proposed as care coordinator:", language))).to_be_visible()
    nurse_page.get_by_role("link", name=t("answer the proposal", language)).click()
    expect(nurse_page.get_by_role("heading", level=1)).to_have_text(
        t("Do you accept to coordinate the care of %(name)s?", language, name=jozef.given_name)
    )
    expect(
        nurse_page.get_by_text(t("%(name)s is then no longer the care coordinator.", language, name=gp.full_name))
    ).to_be_visible()
    _check(nurse_page, axe, "answer", language, screenshots, blocking)
    nurse_page.get_by_role("button", name=t("I accept", language)).click()
    expect(_messages(nurse_page)).to_contain_text(t("You are the care coordinator now.", language))
    assert active_members(jozef).get(is_coordinator=True).user == nurse

    # The new coordinator ends the pharmacist's membership: the page says it cannot be undone.
    nurse_page.get_by_role(
        "link", name=t("End the membership of %(name)s", language, name=pharmacist.full_name)
    ).click()
    expect(nurse_page.get_by_role("heading", level=1)).to_have_text(
        t("End the membership of %(name)s?", language, name=pharmacist.full_name)
    )
    expect(
        nurse_page.get_by_text(
            t(
                "This cannot be undone: to have %(name)s back, someone who manages the team must add them again.",
                language,
                name=pharmacist.full_name,
            )
        )
    ).to_be_visible()
    _check(nurse_page, axe, "end-membership", language, screenshots, blocking)
    nurse_page.get_by_role("button", name=t("Yes, end the membership", language)).click()
    expect(_messages(nurse_page)).to_contain_text(
        t(
            "%(name)s is no longer on the team. Their open items wait in the handover queue.",
            language,
            name=pharmacist.full_name,
        )
    )
    assert not active_members(jozef).filter(user=pharmacist).exists()
    # Her own "Leave the team" is in its own box, with its own confirmation.
    own_box = nurse_page.locator(
        "section", has=nurse_page.get_by_role("heading", name=t("Your place on this team", language))
    )
    own_box.get_by_role("link", name=t("Leave the team", language)).click()
    expect(nurse_page.get_by_role("heading", level=1)).to_have_text(
        t("Leave the care team of %(person)s?", language, person=jozef.given_name)
    )
    _check(nurse_page, axe, "leave", language, screenshots, blocking)
    nurse_page.get_by_role("link", name=t("No, go back to the team", language)).click()
    assert active_members(jozef).filter(user=nurse).exists()

    # The GP stops a medication line with a reason: it leaves the schedule and is listed apart.
    line = MedicationIntake.objects.filter(person=jozef, stopped_on=None, medication="Amlodipine 5 mg").get()
    page.goto(reverse("people:section-medication", args=[jozef.public_id]))
    page.locator(f"a[href$='/stop/?item={line.public_id}']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Stop %(medication)s?", language, medication=line.medication)
    )
    expect(page.get_by_label(t("Stopped on", language))).to_have_value(timezone.localdate().isoformat())
    _check(page, axe, "stop-medication", language, screenshots, blocking)
    page.get_by_role("button", name=t("Stop this medication", language)).click()
    expect(page.get_by_text(t("This field is required.", language))).to_be_visible()  # no reason, no stop
    page.get_by_label(t("Why is it stopped?", language)).fill("Gezwollen enkels")
    page.get_by_role("button", name=t("Stop this medication", language)).click()
    expect(_messages(page)).to_contain_text(
        t("%(medication)s is stopped. It is listed under the stopped medication.", language, medication=line.medication)
    )
    stopped = page.locator("details.stopped-medication")
    stopped.locator("summary").click()
    expect(stopped).to_contain_text("Gezwollen enkels")
    page.screenshot(path=screenshots / f"confirm-stopped-list-{language}-360.png", full_page=True)
    line.refresh_from_db()
    assert (line.stopped_on, line.stop_reason) == (timezone.localdate(), "Gezwollen enkels")

    assert blocking == []
