"""Issue 12, My actions and "did it help?", walked in Debian's Chromium at 360 px in Dutch and
French: the nurse finds the action proposed to her in My actions; the person opens My actions
from their home page and says a done action helped partly, with a comment; the care coordinator
reads that answer. Axe finds no serious or critical violation on any of these pages.

The action is marked done straight on its row: the service that does it belongs to the action
page's slice."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import HelpAnswer, PlanAction
from plans.tests.factories import action
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
def test_my_actions_and_did_it_help(person, gp, nurse, person_user, new_context, screenshots, language):
    for user in (gp, nurse, person_user):
        type(user).objects.filter(pk=user.pk).update(language=language)
    proposed = action(person, gp, nurse, title="Wondzorg evalueren")
    finished = action(person, gp, nurse, title="Trapleuning laten plaatsen")
    PlanAction.objects.filter(pk=finished.pk).update(status=PlanAction.Status.DONE, done_at=timezone.now())

    # The nurse sees the action proposed to her, with a way to its page.
    nurse_page = new_context(nurse, language=language, viewport=NARROW).new_page()
    nurse_page.goto(reverse("plans:my-actions"))
    expect(nurse_page.locator("html")).to_have_attribute("lang", language)
    expect(nurse_page.get_by_role("heading", name=t("My actions", language), level=1)).to_be_visible()
    section = nurse_page.locator("section", has=nurse_page.get_by_role("heading", name=t("Proposed to me", language)))
    link = section.get_by_role("link", name="Wondzorg evalueren")
    expect(link).to_be_visible()
    expect(link).to_have_attribute(
        "href", re.compile(f"/plans/person/{person.public_id}/actions/{proposed.public_id}/$")
    )
    nurse_page.screenshot(path=str(screenshots / f"my-actions-{language}.png"), full_page=True)
    blocking = _blocking(nurse_page, f"my actions [{language}]")

    # The person goes from their home page to My actions, and answers.
    own = new_context(person_user, language=language, viewport=NARROW).new_page()
    own.goto("/")
    own.get_by_role("link", name=t("Open My actions", language)).click()
    asked = own.locator("section", has=own.get_by_role("heading", name=t("Did it help?", language)))
    asked.get_by_role("link", name="Trapleuning laten plaatsen").click()
    expect(own.get_by_role("heading", name="Trapleuning laten plaatsen")).to_be_visible()
    blocking += _blocking(own, f"answer form [{language}]")
    own.get_by_label(t("partly", language), exact=True).check()
    comment = (
        "De leuning helpt, maar de trap blijft moeilijk" if language == "nl" else "La rampe aide, l'escalier reste dur"
    )
    own.get_by_label(_field(t("Comment (optional)", language))).fill(comment)
    own.get_by_role("button", name=t("Save my answer", language)).click()
    expect(own.locator("ul.messages")).to_contain_text(
        t("Thank you: your answer is saved and the team can read it.", language)
    )
    own.screenshot(path=str(screenshots / f"did-it-help-answered-{language}.png"), full_page=True)
    blocking += _blocking(own, f"answered [{language}]")
    answer = HelpAnswer.objects.get(action=finished)
    assert (answer.answer, answer.comment, answer.answered_by_id, answer.answered_as) == (
        "partly",
        comment,
        person_user.pk,
        "person",
    )

    # The coordinator reads the answer.
    coordinator = new_context(gp, language=language, viewport=NARROW).new_page()
    coordinator.goto(reverse("plans:did-it-help", args=[person.public_id]))
    latest = t("Latest answer: %(answer)s", language, answer=t("partly", language))
    item = coordinator.get_by_role("listitem").filter(has_text="Trapleuning laten plaatsen")
    expect(item).to_contain_text(latest)
    expect(item).to_contain_text(comment)
    blocking += _blocking(coordinator, f"coordinator [{language}]")
    assert blocking == []
