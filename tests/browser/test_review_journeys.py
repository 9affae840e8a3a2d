"""Issue 12, early signals and the plan review, walked in Debian's Chromium at 360 px in Dutch and
French: the demo caregiver records that she is exhausted; untouched for four days, the coordinator
(the GP) sees it flagged with the action proposed to her; she reviews the plan with two members,
and the last-reviewed date shows. axe finds no serious or critical violation on any page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from core.vocab import Profile
from plans.models import EarlySignal, PlanAction, PlanReview
from plans.signals import kinds
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


def _field(text: str) -> re.Pattern[str]:
    """A form label exactly, with or without Django's label suffix."""
    return re.compile(rf"^{re.escape(text)}\s*:?$")


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_caregivers_signal_reaches_the_coordinator_who_reviews_the_plan(
    demo_without_plans, new_context, screenshots, language
):
    users, jozef = demo_without_plans
    caregiver, gp, nurse = users[Profile.INFORMAL_CAREGIVER], users[Profile.GP], users[Profile.NURSE]
    type(gp).objects.filter(pk__in=[caregiver.pk, gp.pk]).update(language=language)
    exhausted = kinds.get("caregiver_exhausted")

    # The caregiver records that she is exhausted.
    page = new_context(caregiver, language=language, viewport=NARROW).new_page()
    page.goto(reverse("plans:signals", args=[jozef.public_id]))
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_label(exhausted.label(language), exact=True).check()
    page.get_by_label(_field(t("What happened (optional)", language))).fill("Ik slaap al een week slecht.")
    blocking = _blocking(page, f"record [{language}]")
    page.get_by_role("button", name=t("Record the signal", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(
        t("Thank you. The signal is recorded and the care coordinator is told.", language)
    )
    signal = EarlySignal.objects.filter(person=jozef, kind="caregiver_exhausted").latest("noted_at", "pk")
    assert signal.action.owner.user == gp and signal.action.status == PlanAction.Status.PROPOSED
    blocking += _blocking(page, f"recorded [{language}]")

    # Four days later nobody has taken it on.
    EarlySignal.objects.filter(pk=signal.pk).update(noted_at=timezone.now() - timedelta(days=4))
    page = new_context(gp, language=language, viewport=NARROW).new_page()
    page.goto(reverse("plans:signals", args=[jozef.public_id]))
    with translation.override(language):
        flagged = translation.ngettext(
            "%(n)s early signal has not been followed up in time.",
            "%(n)s early signals have not been followed up in time.",
            1,
        ) % {"n": 1}
        status = str(PlanAction.Status.PROPOSED.label)
    expect(page.locator("[data-signals-flagged]")).to_contain_text(flagged)
    row = page.locator('[data-signal="caregiver_exhausted"]')
    expect(row.locator(".badge")).to_be_visible()
    # The action's title is neutral; the kind's suggestion is for readers of its category.
    expect(row.locator("[data-signal-action]")).to_contain_text(
        t("Follow up an early signal (see the plan's early signals)", language)
    )
    expect(row).to_contain_text(exhausted.action_title(language))
    expect(row.locator("[data-signal-action]")).to_contain_text(status)
    page.screenshot(path=str(screenshots / f"signal-flagged-{language}.png"), full_page=True)
    blocking += _blocking(page, f"flagged [{language}]")

    # She reviews the plan with the nurse and the caregiver.
    page.goto(reverse("plans:reviews", args=[jozef.public_id]))
    form = page.locator("#review-form")
    form.get_by_label(re.compile(rf"^{re.escape(nurse.full_name)} \(")).check()
    form.get_by_label(re.compile(rf"^{re.escape(caregiver.full_name)} \(")).check()
    form.get_by_label(_field(t("What was reviewed and agreed", language))).fill("Respijtzorg besproken.")
    blocking += _blocking(page, f"review form [{language}]")
    form.get_by_role("button", name=t("Record the review", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(t("The review is recorded.", language))
    review = PlanReview.objects.filter(person=jozef).latest("created_at", "pk")
    assert {m.membership.user for m in review.members.all()} == {nurse, caregiver}
    with translation.override(language):
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    last = page.locator("[data-last-reviewed]")
    expect(last).to_contain_text(t("Last reviewed", language))
    expect(last).to_contain_text(today)
    page.screenshot(path=str(screenshots / f"plan-reviewed-{language}.png"), full_page=True)
    blocking += _blocking(page, f"reviewed [{language}]")
    assert blocking == []
