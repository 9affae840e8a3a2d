"""Issue 11, the message topic, walked in Debian's Chromium at 360 px in Dutch and French: the demo
nurse writes about a pressure wound; posting without a topic is refused with a clear error and
keeps the text; choosing a topic shows who will read it; the neighbour, who may not read medical
information, gets no notification; the excluded psychologist is never offered; axe finds no
serious or critical violation."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.vocab import Profile
from notifications.models import Notification
from teams import topics
from teams.models import TeamMessage
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def _label(lazy: object, language: str) -> str:
    with translation.override(language):
        return str(lazy)


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
def test_the_nurse_chooses_a_topic_and_sees_who_will_read_it(demo, new_context, screenshots, language):
    users, jozef = demo
    nurse, gp, pharmacist = users[Profile.NURSE], users[Profile.GP], users[Profile.PHARMACIST]
    neighbour, psychologist = users[Profile.NEIGHBOUR], users[Profile.PSYCHOLOGIST]
    type(nurse).objects.filter(pk=nurse.pk).update(language=language)
    before = set(TeamMessage.objects.values_list("pk", flat=True))
    page = new_context(nurse, language=language, viewport=NARROW).new_page()
    page.goto(reverse("teams:messages", args=[jozef.public_id]))
    expect(page.locator("html")).to_have_attribute("lang", language)
    form = page.locator("form[data-message-form]")
    medical = form.get_by_label(_label(topics.TOPICS["medical"].label, language), exact=True)

    # Nothing is chosen for her; the readers show once she chooses.
    expect(form.locator('input[name="category"]:checked')).to_have_count(0)
    expect(form.locator("[data-readers-summary]")).to_be_hidden()
    # The excluded psychologist is never offered as an addressee.
    expect(form.get_by_text(psychologist.full_name)).to_have_count(0)

    body = "Drukwonde aan de rechterhiel, graag nazien." if language == "nl" else "Escarre au talon droit, à vérifier."
    form.get_by_label(_field(t("Message", language))).fill(body)
    form.get_by_role("button", name=t("Post the message", language)).click()
    error = page.get_by_role("alert").filter(
        has_text=t("Choose what the message is about: the topic decides who can read it.", language)
    )
    expect(error).to_be_visible()
    expect(page.get_by_label(_field(t("Message", language)))).to_have_value(body)  # her text is kept
    assert set(TeamMessage.objects.values_list("pk", flat=True)) == before
    page.screenshot(path=str(screenshots / f"message-no-topic-{language}.png"), full_page=True)
    page.screenshot(path=str(screenshots / f"message-no-topic-{language}-screen.png"))  # where she lands
    blocking = _blocking(page, f"no topic [{language}]")

    medical.check()
    readers = page.locator("#topic-medical-readers")
    expect(readers).to_be_visible()
    expect(readers).to_contain_text(gp.full_name)
    expect(readers).to_contain_text(pharmacist.full_name)
    expect(readers).not_to_contain_text(neighbour.full_name)
    expect(page.locator("#topic-identity-readers")).to_be_hidden()
    summary = page.locator("[data-readers-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(gp.full_name)
    # Only members who will read a medical message are offered.
    expect(form.get_by_label(neighbour.full_name, exact=False)).to_be_hidden()
    expect(form.get_by_label(gp.full_name, exact=False)).to_be_visible()
    page.screenshot(path=str(screenshots / f"message-topic-chosen-{language}.png"), full_page=True)
    blocking += _blocking(page, f"topic chosen [{language}]")

    page.get_by_role("button", name=t("Post the message", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(t("The message is posted.", language))
    [posted] = TeamMessage.objects.exclude(pk__in=before)
    assert (posted.category, posted.body, posted.author_id) == ("medical", body, nurse.pk)
    told = Notification.objects.filter(kind=Notification.Kind.TEAM_MESSAGE, params__message=str(posted.public_id))
    recipients = set(told.values_list("recipient_id", flat=True))
    assert gp.pk in recipients and pharmacist.pk in recipients
    assert neighbour.pk not in recipients and psychologist.pk not in recipients
    assert blocking == []
