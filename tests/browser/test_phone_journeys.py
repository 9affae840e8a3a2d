"""Phone numbers where people need them (issue 11), walked in Debian's Chromium at 360 px, in
Dutch and French: a caregiver searching the social map sees the number to call on the result card
and at the top of the service page, formatted (+32 14 69 77 50) and as a tap-to-call link; the
informal caregiver's team page shows the nurse's 24/7 number (not "24/7 line: yes") and no
priority number; axe finds no serious or critical violation on these pages."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import phones
from core.vocab import Profile
from directory.models import Phone
from teams.models import Membership
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
SEARCH = {"nl": ("poetshulp", "Schaarbeek"), "fr": ("aide ménagère", "Schaerbeek")}


@pytest.fixture(autouse=True)
def _fresh_rate_limits(transactional_db):
    """The public search counts requests per address in the shared cache: none used at the start."""
    cache.clear()
    yield
    cache.clear()


def _blocking(axe, page, name: str, language: str) -> list[str]:
    found = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            found.append(f"{name} [{language}] {violation['id']} ({violation['impact']}): {targets}")
    return found


def _public_number(hsds_id: str) -> phones.Phone:
    phone = Phone.objects.filter(service__hsds_id=hsds_id, professional_only=False, contact=None).first()
    assert phone is not None
    return phones.read(phone.number)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_number_to_call_is_near_the_top_of_cards_service_pages_and_the_team_page(
    demo, new_context, screenshots, language
):
    users, jozef = demo
    axe = Axe()
    blocking: list[str] = []

    # A caregiver, not logged in, looks for cleaning help on a phone.
    page = new_context(language=language, viewport=NARROW).new_page()
    words, place = SEARCH[language]
    page.goto(reverse("directory:search") + "?" + f"q={words}&place={place}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    first = page.locator(".result-list article").first
    hsds_id = (first.get_attribute("aria-labelledby") or "").removeprefix("service-")
    name = first.locator("h3").inner_text()
    number = _public_number(hsds_id)
    assert number.uri, "the demo's numbers are valid Belgian numbers"
    link = first.get_by_role("link", name=t("Call %(name)s on %(number)s", language, name=name, number=number.display))
    expect(link).to_have_text(number.display)
    expect(link).to_have_attribute("href", number.uri)
    # Near the top of the card: under the name, above the availability.
    assert link.bounding_box()["y"] < first.locator(".availability").bounding_box()["y"]
    first.scroll_into_view_if_needed()
    expect(link).to_be_in_viewport()
    first.screenshot(path=screenshots / f"phones-card-{language}-360.png")
    blocking += _blocking(axe, page, "results", language)

    # The service page opens with how to reach it.
    first.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    contact = page.get_by_role("region", name=t("Contact", language))
    service_link = contact.get_by_role(
        "link", name=t("Call %(name)s on %(number)s", language, name=name, number=number.display)
    )
    expect(service_link).to_have_attribute("href", number.uri)
    expect(service_link).to_be_in_viewport()
    sections = page.locator("main section h2").all_inner_texts()
    assert sections[0] == t("Contact", language)
    page.screenshot(path=screenshots / f"phones-service-{language}-360.png")
    blocking += _blocking(axe, page, "service", language)

    # Marie, the informal caregiver, sees the nurse's 24/7 number on Jozef's team page.
    caregiver = users[Profile.INFORMAL_CAREGIVER]
    type(caregiver).objects.filter(pk=caregiver.pk).update(language=language)
    nurse = Membership.objects.get(person=jozef, user=users[Profile.NURSE])
    line, priority = phones.read(nurse.phone_24_7), phones.read(nurse.priority_phone)
    assert line.uri and priority.uri
    team = new_context(caregiver, language=language, viewport=NARROW).new_page()
    team.goto(reverse("teams:team", args=[jozef.public_id]))
    expect(team.locator("html")).to_have_attribute("lang", language)
    label = t("Call %(name)s on %(number)s", language, name=str(nurse.user), number=line.display)
    row = team.get_by_role("row").filter(has=team.get_by_role("link", name=label))
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=label)).to_have_attribute("href", line.uri)
    expect(row).to_contain_text(t("24/7 line: %(number)s", language, number=line.display))
    expect(row).not_to_contain_text(t("24/7 line: yes", language))
    for secret in (priority.display, nurse.priority_phone):
        expect(team.locator("main")).not_to_contain_text(secret)
    row.scroll_into_view_if_needed()
    row.screenshot(path=screenshots / f"phones-team-{language}-360.png")
    blocking += _blocking(axe, team, "team", language)

    assert blocking == []
