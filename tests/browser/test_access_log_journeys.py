"""Issue 11, the person's access log: Jozef opens "Who looked at your dossier" on a phone (360
px), in Dutch and in French. He sees the period at a glance, one card per visit with what was
seen in plain words, his own visits hidden until he asks, a refusal explained, and whom to ask
or complain to. axe finds no serious or critical violation. Screenshots in var/screenshots/."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.vocab import Profile
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def tn(singular: str, plural: str, n: int, language: str) -> str:
    """A plural UI string as the server renders it in `language`."""
    with translation.override(language):
        return translation.ngettext(singular, plural, n) % {"n": n}


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_jozef_reads_who_looked_at_his_dossier_on_a_phone(demo, new_context, settings, screenshots, language):
    settings.DPO_CONTACT_NAME = "Data Protection Officer, Zorgzone (demo)"
    settings.DPO_CONTACT_EMAIL = "dpo@demo.schakel.example"
    settings.DPO_CONTACT_PHONE = "+3214000099"
    users, jozef = demo
    person, psychologist, gp = users[Profile.PERSON], users[Profile.PSYCHOLOGIST], users[Profile.GP]
    type(person).objects.filter(pk=person.pk).update(language=language)

    # Today: the GP reads the dossier; the psychologist Jozef excluded tries to, and is refused.
    dossier = reverse("people:detail", args=[jozef.public_id])
    gp_response = new_context(gp).new_page().goto(dossier)
    assert gp_response is not None and gp_response.status == 200
    refused = new_context(psychologist).new_page().goto(dossier)
    assert refused is not None and refused.status == 404

    page = new_context(person, language=language, viewport=NARROW).new_page()
    page.goto(dossier)
    page.get_by_role("link", name=t("Who looked at this dossier", language)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Who looked at your dossier", language))
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The period at a glance: the GP, the nurse, the hospital doctor and the psychologist (the
    summary = page.locator("section.log-summary")
    # demo's week and today), one emergency access, three visits with a refusal (the doctor's
    # change, the psychologist last week and today).
    # The demo's care plans and meetings were written by the team when the demo loaded (audit rows
    # are never backdated), so more people than these four are counted: the sentence, any number.
    people = tn("%(n)s person looked at your dossier.", "%(n)s people looked at your dossier.", 1000, language)
    expect(summary).to_contain_text(re.compile(re.escape(people).replace("1000", r"\d+")))
    used = tn("Emergency access was used %(n)s time.", "Emergency access was used %(n)s times.", 1, language)
    expect(summary).to_contain_text(used)
    refusals = tn(
        "Something was refused %(n)s time: see below why.",
        "Something was refused %(n)s times: see below why.",
        3,
        language,
    )
    expect(summary).to_contain_text(refusals)

    # One card per visit, what was seen in plain words; the GP came twice (yesterday, today).
    visits = page.locator("ol.visit-list > li")
    gp_visits = visits.filter(has_text=gp.full_name)
    expect(gp_visits).to_have_count(2)
    expect(gp_visits.first).to_contain_text(t("your medication", language))
    expect(gp_visits.first.locator(".refusals")).to_have_count(0)

    # The refusal, in plain words.
    refusal = t(
        "Tried to see %(what)s. Refused, because %(reason)s.",
        language,
        what=t("your personal details", language),
        reason=t("you have excluded them", language),
    )
    expect(visits.filter(has_text=psychologist.full_name).first).to_contain_text(refusal)

    # The emergency access, with the reason the doctor gave, and the change it could not make.
    emergency = visits.filter(has_text=users[Profile.HOSPITAL_DOCTOR].full_name)
    expect(emergency).to_have_count(1)
    expect(emergency).to_contain_text(t("Emergency access", language))
    expect(emergency).to_contain_text("Opgenomen op de spoed na een val")
    expect(emergency).to_contain_text(t("emergency access only lets them read, never change anything", language))

    # His own visits are hidden until he asks for them.
    you = t("You", language)
    expect(visits.get_by_role("heading", name=you, exact=True)).to_have_count(0)
    page.screenshot(path=str(screenshots / f"access-log-{language}.png"), full_page=True)
    page.locator("p.own-toggle a").click()
    expect(visits.get_by_role("heading", name=you, exact=True)).not_to_have_count(0)
    expect(page.get_by_role("link", name=t("Hide your own visits", language))).to_be_visible()

    # Whom to ask, or complain to.
    dpo = page.locator("section", has=page.get_by_role("heading", name=t("A question or a complaint?", language)))
    expect(dpo.get_by_role("link", name="dpo@demo.schakel.example")).to_have_attribute(
        "href", "mailto:dpo@demo.schakel.example"
    )
    expect(dpo.get_by_role("link", name="+32 14 00 00 99")).to_have_attribute("href", "tel:+3214000099")

    # Nothing sticks out of a 360 px screen, and axe finds nothing serious.
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    page.locator("p.own-toggle a").click()
    blocking = [
        f"{violation['id']} ({violation['impact']}): {[' '.join(node['target']) for node in violation['nodes']]}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == []
