"""Closing a dossier in Debian's Chromium: Jozef's coordinator closes it, the team is gone, Jozef
sees the banner and cannot change anything, the zone admin reopens it; axe on the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.vocab import Profile
from privacy import retention
from privacy.models import Closure
from teams.queries import active_members
from tests.browser.conftest import WIDE, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGE = "nl"


def _coordinator(jozef):
    return active_members(jozef).get(is_coordinator=True).user


def test_the_coordinator_closes_jozefs_dossier_and_the_zone_admin_reopens_it(demo, new_context, screenshots):
    users, jozef = demo
    retention.ensure_loaded()
    coordinator = _coordinator(jozef)
    page = new_context(coordinator, language=LANGUAGE).new_page()
    page.goto(reverse("people:detail", args=[jozef.public_id]))
    page.get_by_role("link", name=t("Close the dossier", LANGUAGE)).click()
    page.get_by_label(t("the person died", LANGUAGE)).check()
    page.get_by_label(t("Date of the event", LANGUAGE)).fill(timezone.localdate().isoformat())
    page.screenshot(path=screenshots / "privacy-close-form.png", full_page=True)
    page.get_by_role("button", name=t("Close the dossier", LANGUAGE)).click()
    expect(page.locator("ul.messages")).to_contain_text(
        t("The dossier is closed. Its care team has ended and it can no longer be changed.", LANGUAGE)
    )
    page.screenshot(path=screenshots / "privacy-closed.png", full_page=True)
    assert Closure.objects.get(person=jozef).closed_by == coordinator
    assert not active_members(jozef).exists()

    person = new_context(users[Profile.PERSON], language=LANGUAGE).new_page()
    person.goto(reverse("people:detail", args=[jozef.public_id]))
    expect(person.locator("#closed-banner")).to_contain_text(t("This dossier is closed.", LANGUAGE))
    person.screenshot(path=screenshots / "privacy-banner.png", full_page=True)

    admin = new_context(users[Profile.ZONE_ADMIN], language=LANGUAGE).new_page()
    admin.goto(reverse("privacy:closures"))
    admin.get_by_role("link", name=f"{jozef.given_name} {jozef.family_name}").click()
    admin.screenshot(path=screenshots / "privacy-reopen.png", full_page=True)
    admin.get_by_label(t("Why is the dossier reopened?", LANGUAGE)).fill("Verkeerde Jozef afgesloten.")
    admin.get_by_role("button", name=t("Reopen the dossier", LANGUAGE)).click()
    expect(admin.locator("ul.messages")).to_contain_text(
        t("The dossier is reopened. The care team it had is back.", LANGUAGE)
    )
    assert active_members(jozef).filter(user=coordinator, is_coordinator=True).exists()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_axe_finds_no_serious_violation_on_the_privacy_pages(demo, new_context, language, screenshots):
    users, jozef = demo
    retention.ensure_loaded()
    coordinator = _coordinator(jozef)
    axe = Axe()
    blocking = []
    pages = [
        ("close", coordinator, reverse("privacy:close", args=[jozef.public_id])),
        ("retention", users[Profile.DPO], reverse("privacy:retention")),
        ("closures", users[Profile.ZONE_ADMIN], reverse("privacy:closures")),
    ]
    for name, user, path in pages:
        type(user).objects.filter(pk=user.pk).update(language=language)
        page = new_context(user, language=language, viewport=WIDE).new_page()
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if language == "nl":
            page.screenshot(path=screenshots / f"privacy-{name}.png", full_page=True)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                blocking.append(f"{name} [{language}] {violation['id']}: {violation['nodes'][0]['target']}")
    assert blocking == []
