"""Issue 12, Goal Attainment Scaling, walked in Debian's Chromium at 360 px in Dutch and French:
the demo GP, who coordinates Jozef's team, sets a goal's scale with five levels and a baseline,
scores a follow-up, and sees the T-score in the table and the chart; axe finds no serious or
critical violation on any page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from core.vocab import Profile
from plans import services as plan_services
from plans.models import GoalScale, GoalScore
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
LEVELS = {
    "+2": "Met een boodschappentas de trap op en af",
    "+1": "Alleen de trap op en af, ook 's avonds",
    "0": "Alleen de trap op en af met de leuning, overdag",
    "−1": "De trap op met hulp van de thuisverpleging",
    "−2": "Komt de trap niet meer op, ook niet met hulp",
}
LABELS = {
    "+2": "+2: much more than expected",
    "+1": "+1: somewhat more than expected",
    "0": "0: the expected outcome",
    "−1": "−1: somewhat less than expected",
    "−2": "−2: much less than expected",
}


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
def test_the_coordinator_sets_a_scale_scores_and_reads_the_t_score(demo, new_context, screenshots, language):
    users, jozef = demo
    gp = users[Profile.GP]
    type(gp).objects.filter(pk=gp.pk).update(language=language)
    stairs = plan_services.add_goal(gp, jozef, title="Veilig de trap op en af")
    today = timezone.localdate()
    start = today - timedelta(days=30)
    page = new_context(gp, language=language, viewport=NARROW).new_page()

    page.goto(reverse("plans:gas-scale", args=[jozef.public_id, stairs.public_id]))
    expect(page.locator("html")).to_have_attribute("lang", language)
    blocking = _blocking(page, f"no scale [{language}]")
    page.get_by_role("link", name=t("Set the scale", language)).click()

    for key, text in LEVELS.items():
        page.get_by_label(_field(t(LABELS[key], language))).fill(text)
    with translation.override(language):
        start_label = f"−1 · {translation.gettext('somewhat less than expected')}"
    page.get_by_label(_field(t("Level at the start (baseline)", language))).select_option(label=start_label)
    page.get_by_label(_field(t("Baseline measured on", language))).fill(start.isoformat())
    blocking += _blocking(page, f"scale form [{language}]")
    page.get_by_role("button", name=t("Save the scale", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(t("The scale is saved.", language))
    scale = GoalScale.objects.get(goal=stairs)
    assert (scale.baseline, scale.baseline_on, scale.level_plus_2) == (-1, start, LEVELS["+2"])

    # The follow-up: the level chosen by the goal's own words, dated today by default.
    page.get_by_label(f"+1 · {LEVELS['+1']}", exact=True).check()
    page.get_by_role("button", name=t("Save the score", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(t("The score is saved.", language))
    assert list(GoalScore.objects.filter(scale=scale).values_list("score", "scored_on")) == [(1, today)]
    expect(page.get_by_role("img", name=re.compile(re.escape(stairs.title)))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    blocking += _blocking(page, f"goal page [{language}]")
    page.screenshot(path=str(screenshots / f"gas-goal-{language}.png"), full_page=True)

    page.get_by_role("link", name=t("Back to how %(name)s's goals are going", language, name=jozef.given_name)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(jozef.given_name)
    chart = page.get_by_role("img", name=t("T-score per review date", language))
    expect(chart).to_be_visible()
    with translation.override(language):
        day = formats.date_format(today, "SHORT_DATE_FORMAT")
        sixty = formats.number_format(60, 2)
    table = page.get_by_role("table", name=t("T-score per review date", language))
    review_row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=day, exact=True))
    expect(review_row.get_by_role("cell")).to_have_text([sixty, "1"])
    start_row = table.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=t("At the start (baseline)", language), exact=True)
    )
    # The demo's own goals have baselines too: the start's T-score is over all of them (its value
    # is the scoring's unit tests' to check); here it is shown, as a figure.
    expect(start_row.get_by_role("cell").first).to_have_text(re.compile(r"^\d+[,.]\d\d$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    blocking += _blocking(page, f"overview [{language}]")
    page.screenshot(path=str(screenshots / f"gas-overview-{language}.png"), full_page=True)
    assert blocking == []
