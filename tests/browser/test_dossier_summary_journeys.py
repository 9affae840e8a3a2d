"""The dossier opens with what matters (issue 11), walked in Debian's Chromium at 360 px in Dutch
and French: the GP opens Jozef's dossier and finds the alerts at the top (a severe allergy, an
open medication problem, an overdue vaccination, the DNR agreement), the coordinator with a call
link and what changed since the last visit; the sections below are folded but for those with an
alert, and unfold on a tap; the informal caregiver sees no medical alert; axe finds no serious
violation. The expected sentences are the presenters' own, rendered in the page's language."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.vocab import Profile
from people import presenters, queries, sections, services
from people.models import Allergy, CarePlanning, MedicationIntake, MedicationProblem, Vaccination
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def _expected_alerts(jozef, language: str) -> dict[str, str]:
    """Jozef's demo alerts as the page words them in `language`."""
    allergy = Allergy.objects.get(person=jozef, severity="severe")
    problem = MedicationProblem.objects.get(person=jozef, handled_at=None)
    overdue = queries.overdue_vaccinations(list(Vaccination.objects.filter(person=jozef)), timezone.localdate())
    planning = CarePlanning.objects.get(person=jozef)
    with translation.override(language):
        return {
            "allergy": presenters.allergy_alert(allergy, "", "").text,
            "problem": presenters.problem_alert(problem, "", "").text,
            "vaccination": presenters.overdue_alert(overdue[0], "", "").text,
            "dnr": presenters.directive_alerts(planning, "", "")[-1].text,
        }


def _axe_blocking(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[' '.join(n['target']) for n in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_gp_opens_jozefs_dossier_on_a_phone_and_sees_what_matters_first(demo, new_context, screenshots, language):
    users, jozef = demo
    gp, nurse = users[Profile.GP], users[Profile.NURSE]
    type(gp).objects.filter(pk=gp.pk).update(language=language)
    expected = _expected_alerts(jozef, language)
    assert len(queries.overdue_vaccinations(list(Vaccination.objects.filter(person=jozef)), timezone.localdate())) >= 1
    page = new_context(gp, language=language, viewport=NARROW).new_page()
    dossier = reverse("people:detail", args=[jozef.public_id])

    page.goto(dossier)
    expect(page.locator("html")).to_have_attribute("lang", language)
    summary = page.locator("section.dossier-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text(t("At a glance", language))
    alerts = summary.locator("ul.alerts")
    for text in expected.values():
        expect(alerts.get_by_role("link", name=text, exact=True)).to_be_visible()
    # On a phone the alerts are within the first two screens, not 4,000 px down.
    box = alerts.bounding_box()
    assert box is not None and box["y"] + box["height"] < 2 * NARROW["height"], box
    # An alert leads to its section.
    href = alerts.get_by_role("link", name=expected["allergy"], exact=True).get_attribute("href")
    assert href == reverse("people:section-allergies", args=[jozef.public_id])

    # The coordinator (Jozef's GP here) with a tap-to-call link.
    coordinator = users[Profile.GP].full_name
    call = summary.get_by_role(
        "link", name=t("Call %(name)s on %(number)s", language, name=coordinator, number="+32 14 00 00 11")
    )
    expect(call).to_have_attribute("href", "tel:+3214000011")
    priority = t("Call %(name)s on %(number)s", language, name=coordinator, number="+32 14 00 00 01")
    expect(summary.get_by_role("link", name=priority)).to_have_attribute("href", "tel:+3214000001")
    expect(summary.get_by_text(t("This is your first visit to this dossier.", language))).to_be_visible()

    # Sections are folded, but for those with an alert; each tells its last change.
    groups = {
        group.code: page.locator(f"#group-{group.code}").locator("xpath=ancestor::details") for group in sections.GROUPS
    }
    for code in ("medication", "medical", "acp"):
        expect(groups[code]).to_have_attribute("open", "")
    for code in ("contacts", "family", "home", "help", "needs", "wishes"):
        expect(groups[code]).not_to_have_attribute("open", "")
    # A folded group's heading stays a heading, read by its name.
    with translation.override(language):
        contacts_heading = str(sections.group("contacts").heading)
    expect(page.get_by_role("heading", level=2, name=contacts_heading, exact=True)).to_be_visible()
    contacts_table = page.locator("#section-contacts table")
    expect(contacts_table).to_be_hidden()
    page.locator("#group-contacts").click()  # a tap on the heading unfolds the section
    expect(contacts_table).to_be_visible()
    page.locator("#group-contacts").click()
    expect(contacts_table).to_be_hidden()
    newest = sections.kind("contacts").model.history.filter(person_id=jozef.pk).order_by("-history_date").first()
    with translation.override(language):
        last_change = presenters.last_change(str(newest.history_user), newest.history_date)
    expect(groups["contacts"].locator("summary")).to_contain_text(last_change)

    page.screenshot(path=str(screenshots / f"dossier-summary-gp-{language}.png"), full_page=True)
    assert _axe_blocking(page) == []

    # The nurse changes the medication schedule; the GP's next visit lists it, with who and when.
    intake = MedicationIntake.objects.filter(person=jozef).order_by("pk").first()
    assert intake is not None
    changed = services.change_entry(nurse, intake, version=intake.version, dose="2 tabletten")
    page.goto(dossier)
    title = sections.kind("medication").title
    with translation.override(language):
        line = presenters.section_change(str(title), [nurse.full_name], changed.updated_at, "").text
    changes = summary.locator("ul.changes")
    expect(changes.get_by_role("link", name=line, exact=True)).to_be_visible()
    expect(changes.get_by_role("link", name=line, exact=True)).to_have_attribute(
        "href", reverse("people:section-medication", args=[jozef.public_id])
    )
    changes.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"dossier-summary-gp-changes-{language}.png"), full_page=False)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_informal_caregiver_sees_no_medical_alert(demo, new_context, screenshots, language):
    users, jozef = demo
    caregiver = users[Profile.INFORMAL_CAREGIVER]
    type(caregiver).objects.filter(pk=caregiver.pk).update(language=language)
    expected = _expected_alerts(jozef, language)
    page = new_context(caregiver, language=language, viewport=NARROW).new_page()

    page.goto(reverse("people:detail", args=[jozef.public_id]))
    summary = page.locator("section.dossier-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text(t("At a glance", language))
    # Medical (allergies, vaccinations) is not hers to read: no alert, no trace in the page.
    expect(page.get_by_text("Penicilline")).to_have_count(0)
    expect(page.get_by_text("Tetanus-difterie (Td)")).to_have_count(0)
    expect(summary).not_to_contain_text(expected["allergy"])
    expect(summary).not_to_contain_text(expected["vaccination"])
    # Medication and advance care planning are: those alerts are there.
    expect(summary.get_by_role("link", name=expected["problem"], exact=True)).to_be_visible()
    expect(summary.get_by_role("link", name=expected["dnr"], exact=True)).to_be_visible()
    # She sees the coordinator and can call them, but not on their priority number (professionals only).
    expect(summary).to_contain_text(users[Profile.GP].full_name)
    expect(summary.locator('a[href="tel:+3214000011"]')).to_be_visible()
    expect(summary.locator('a[href="tel:+3214000001"]')).to_have_count(0)
    page.screenshot(path=str(screenshots / f"dossier-summary-caregiver-{language}.png"), full_page=True)
    assert _axe_blocking(page) == []
