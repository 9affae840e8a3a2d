"""The home page of each profile (issue 11), walked in Debian's Chromium on a phone (360 px), in
Dutch and French: the zone admin, the DPO, the helpdesk and a GP log in and each lands on the page
of their own work; axe finds no serious violation. Elements are found by role and by the text the
server renders in that language."""

import pytest

from core.vocab import Profile
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def _land(new_context, user, language):
    """Log in as the user reading `language`, on a phone, and open the site's front door."""
    type(user).objects.filter(pk=user.pk).update(language=language)
    page = new_context(user, language=language, viewport=NARROW).new_page()
    response = page.goto("/")
    assert response is not None and response.status == 200
    return page


def _no_care_workers_offers(page, language):
    expect(page.get_by_role("link", name=t("Register a person", language))).to_have_count(0)
    expect(page.get_by_role("link", name=t("Emergency access", language))).to_have_count(0)


def _axe(page, name, language):
    return [
        f"{name} [{language}] {violation['id']}: {violation['nodes'][0]['target']}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_each_profile_lands_on_the_page_of_its_own_work(demo, new_context, language, screenshots):
    users, jozef = demo
    blocking: list[str] = []

    # The zone admin: the matrix, the accounts and invitations, the social map, closed dossiers.
    page = _land(new_context, users[Profile.ZONE_ADMIN], language)
    for heading in ("Access matrix", "Accounts", "Social map: curation", "Closed dossiers"):
        expect(page.get_by_role("heading", level=2, name=t(heading, language))).to_be_visible()
    expect(page.get_by_role("link", name=t("Invite a professional", language))).to_be_visible()
    expect(page.get_by_role("link", name=t("How long data is kept", language))).to_be_visible()
    _no_care_workers_offers(page, language)
    page.screenshot(path=screenshots / f"home-zone-admin-{language}.png", full_page=True)
    blocking += _axe(page, "zone admin", language)
    page.locator("main").get_by_role("link", name=t("Access matrix", language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Who may see what", language))

    # The DPO: searches the log from the home page, sees closings and where exports are.
    page = _land(new_context, users[Profile.DPO], language)
    expect(page.get_by_role("heading", level=2, name=t("Search the access log", language))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=t("Subject-access exports", language))).to_be_visible()
    _no_care_workers_offers(page, language)
    page.screenshot(path=screenshots / f"home-dpo-{language}.png", full_page=True)
    blocking += _axe(page, "dpo", language)
    page.get_by_label(t("User's name or e-mail address", language)).fill("Peeters")
    page.get_by_role("button", name=t("Search", language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Search the access log", language))
    expect(page.get_by_role("link", name="Dr. An Peeters")).to_be_visible()

    # The helpdesk: the social map and its curation; cases have a place, said plainly.
    page = _land(new_context, users[Profile.HELPDESK], language)
    expect(page.get_by_role("link", name=t("Search the social map", language))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=t("Social map: curation", language))).to_be_visible()
    expect(
        page.get_by_text(t("Schakel does not keep helpdesk cases yet. They will appear here once it does.", language))
    ).to_be_visible()
    expect(page.get_by_role("link", name=t("Emergency access", language))).to_have_count(0)
    page.screenshot(path=screenshots / f"home-helpdesk-{language}.png", full_page=True)
    blocking += _axe(page, "helpdesk", language)

    # The GP: the persons they care for, registering a person and emergency access.
    page = _land(new_context, users[Profile.GP], language)
    expect(
        page.get_by_role("heading", level=2, name=t("Persons I have a care relationship with", language))
    ).to_be_visible()
    expect(page.get_by_role("link", name=f"{jozef.given_name} {jozef.family_name}")).to_be_visible()
    expect(page.get_by_role("link", name=t("Register a person", language))).to_be_visible()
    expect(page.get_by_role("link", name=t("Emergency access", language))).to_be_visible()
    page.screenshot(path=screenshots / f"home-gp-{language}.png", full_page=True)
    blocking += _axe(page, "gp", language)

    assert blocking == []
