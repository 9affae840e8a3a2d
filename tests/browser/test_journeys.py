"""The main jobs, walked in Debian's Chromium: log in, switch language, open a person, be refused
as an outsider, read "who looked at my dossier"; then axe and the 360 px layout on each page, in
nl and fr. Elements are found by role and by the label the server renders in that language."""

import uuid

import pytest
from django.urls import reverse

from access import gate
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.vocab import Category, Level, Profile
from demo.zone import DEMO_PASSWORD
from people.models import Person
from tests.browser.conftest import NARROW, WIDE, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["nl", "fr"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def outsider_gp(transactional_db):
    """A GP with no relationship to anyone in the demo zone."""
    return UserFactory(profile=Profile.GP, full_name="Dr. Outsider Vermeulen", email="outsider@example.org")


def test_gp_logs_in_switches_to_french_and_opens_a_person(demo, new_context, live_server):
    users, jozef = demo
    gp = users[Profile.GP]
    page = new_context().new_page()

    page.goto(reverse("accounts:login"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_label(t("E-mail address", "nl")).fill(gp.email)
    page.get_by_label(t("Password", "nl")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=t("Log in", "nl"), exact=True).click()

    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Welcome, %(name)s", "nl", name="Dr. An Peeters"))
    # The GP is on every demo person's team, and the home page lists those whose dossier the gate
    # opens: not the record registered without INSZ, which has no consent on file.
    listed = [
        f"{p.given_name} {p.family_name}"
        for p in Person.objects.order_by("family_name", "given_name")
        if gate.decide(gp, p, Category.IDENTITY, Level.READ).allowed
    ]
    assert len(listed) == 7
    expect(page.get_by_role("main").get_by_role("listitem").get_by_role("link")).to_have_text(listed)

    page.get_by_label(t("Language", "nl")).select_option(label="Français")
    page.get_by_role("button", name=t("Change language", "nl")).click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.get_by_role("button", name=t("Change language", "fr"))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Welcome, %(name)s", "fr", name="Dr. An Peeters"))
    gp.refresh_from_db()
    assert gp.language == "fr"

    page.get_by_role("link", name="Jozef Wouters").click()

    expect(page).to_have_url(live_server.url + reverse("people:detail", args=[jozef.public_id]))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jozef Wouters")
    expect(page.get_by_role("heading", name=t("Identity", "fr"))).to_be_visible()


def test_outsider_gets_the_not_found_page_without_the_persons_name(demo, outsider_gp, new_context):
    _, jozef = demo
    page = new_context(outsider_gp).new_page()

    response = page.goto(reverse("people:detail", args=[jozef.public_id]))

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Not found", "nl"))
    body = page.content()
    assert "Jozef" not in body
    assert "Wouters" not in body
    assert jozef.insz not in body
    refusals = AuditEntry.objects.filter(person=jozef, actor=outsider_gp)
    assert list(refusals.values_list("allowed", "action")) == [(False, "people.person_viewed")]

    # Identical to the answer for an id that does not exist.
    unknown = page.goto(reverse("people:detail", args=[uuid.uuid4()]))
    assert unknown is not None
    assert unknown.status == 404
    assert page.content() == body


def test_person_sees_who_looked_at_their_dossier(demo, outsider_gp, new_context):
    users, jozef = demo
    person_url = reverse("people:detail", args=[jozef.public_id])
    gp_page = new_context(users[Profile.GP]).new_page()
    assert gp_page.goto(person_url).status == 200
    outsider_page = new_context(outsider_gp).new_page()
    assert outsider_page.goto(person_url).status == 404

    page = new_context(users[Profile.PERSON]).new_page()
    page.goto(reverse("home"))
    expect(page.get_by_role("heading", name=t("My dossier", "nl"))).to_be_visible()
    page.get_by_role("link", name="Jozef Wouters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jozef Wouters")
    page.get_by_role("link", name=t("Who looked at this dossier", "nl")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Who looked at your dossier", "nl"))
    visits = page.locator("ol.visit-list > li")
    # The GP's one look today read every section the GP may see: one visit, nothing refused.
    gp_visits = visits.filter(has_text="Dr. An Peeters")
    expect(gp_visits.first).to_contain_text(t("your medication", "nl"))
    expect(gp_visits.first.locator(".refusals")).to_have_count(0)
    outsider_visits = visits.filter(has_text="Dr. Outsider Vermeulen")
    expect(outsider_visits).to_have_count(1)
    expect(outsider_visits.locator(".outcome-denied")).to_contain_text(
        t("they are not in your care team and have no other tie with you", "nl")
    )


def _pages(users, jozef, outsider):
    """(name, who, path, status) of each page checked by axe and at 360 px. The refusal comes
    before the access log so the log shows a refused row too."""
    person_url = reverse("people:detail", args=[jozef.public_id])
    return [
        ("login", None, reverse("accounts:login"), 200),
        ("home", users[Profile.GP], reverse("home"), 200),
        ("person", users[Profile.GP], person_url, 200),
        ("matrix", users[Profile.GP], reverse("access:matrix"), 200),
        ("not-found", outsider, person_url, 404),
        ("access-log", users[Profile.PERSON], reverse("audit:person-log", args=[jozef.public_id]), 200),
    ]


def _open(new_context, user, language, path, status, viewport):
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(language=language)
    page = new_context(user, language=language, viewport=viewport).new_page()
    response = page.goto(path)
    assert response is not None
    assert response.status == status, path
    expect(page.locator("html")).to_have_attribute("lang", language)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_serious_violation(demo, outsider_gp, new_context, language):
    users, jozef = demo
    axe = Axe()
    blocking, other = [], []
    for name, user, path, status in _pages(users, jozef, outsider_gp):
        page = _open(new_context, user, language, path, status, WIDE)
        for violation in axe.run(page).response["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            line = f"{name} [{language}] {violation['id']} ({violation['impact']}): {targets}"
            (blocking if violation["impact"] in BLOCKING_IMPACTS else other).append(line)
    print("\n".join(["axe, minor and moderate:", *other]))
    assert blocking == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_fit_360px_without_horizontal_scrolling(demo, outsider_gp, new_context, screenshots, language):
    users, jozef = demo
    too_wide = []
    for name, user, path, status in _pages(users, jozef, outsider_gp):
        for viewport in (WIDE, NARROW):
            page = _open(new_context, user, language, path, status, viewport)
            width = viewport["width"]
            page.screenshot(path=screenshots / f"{name}-{language}-{width}.png", full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if width == NARROW["width"] and scroll_width > width:
                too_wide.append(f"{name} [{language}]: {scroll_width}px")
    assert too_wide == []
