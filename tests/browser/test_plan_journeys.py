"""Issue 12, the care plan, walked in Debian's Chromium at 360 px in Dutch and French: the GP, who
coordinates Jozef's team, writes a life goal with him, adds a goal and two actions (one for the
nurse, one for his daughter, the informal caregiver, after seeing who already comes to the
house); the nurse accepts hers; the neighbour sees only the action given to them, and any other
action or the plan itself is "not found". axe finds no serious or critical violation."""

import re

import pytest
from django.urls import reverse

from core.vocab import Profile
from plans import services
from plans.models import Goal, LifeGoal, PlanAction
from teams.models import Membership
from tests.browser.conftest import NARROW, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


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


def _membership(person, user) -> Membership:
    return Membership.objects.filter(person=person, user=user).latest("since")


def _add_action(page, language, title, member, goal_title):
    page.get_by_role("link", name=t("Add an action to the goal %(goal)s", language, goal=goal_title)).click()
    expect(page.get_by_role("heading", name=t("Add an action", language), level=1)).to_be_visible()
    page.get_by_label(_field(t("What", language))).fill(title)
    page.get_by_label(_field(t("Who", language))).select_option(str(member.public_id))
    page.get_by_role("button", name=t("Add the action", language)).click()
    expect(page.locator("ul.messages")).to_be_visible()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_coordinator_builds_the_plan_and_each_owner_sees_their_action(
    demo_without_plans, new_context, screenshots, language
):
    users, jozef = demo_without_plans
    gp, nurse = users[Profile.GP], users[Profile.NURSE]
    caregiver, neighbour = users[Profile.INFORMAL_CAREGIVER], users[Profile.NEIGHBOUR]
    type(gp).objects.filter(pk__in=[gp.pk, nurse.pk, neighbour.pk]).update(language=language)
    gp.refresh_from_db()

    page = new_context(gp, language=language, viewport=NARROW).new_page()
    page.goto(reverse("people:detail", args=[jozef.public_id]))
    page.get_by_role("link", name=t("Care plan", language), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    blocking = _blocking(page, f"plan [{language}]")

    # A life goal in Jozef's words, written with him.
    page.get_by_role("link", name=t("Write a life goal", language)).click()
    words = "Op zaterdag naar de markt blijven gaan" if language == "nl" else "Continuer à aller au marché le samedi"
    page.get_by_label(_field(t("The life goal, in the person's own words", language))).fill(words)
    blocking += _blocking(page, f"life goal form [{language}]")
    page.get_by_role("button", name=t("Save the life goal", language)).click()
    expect(page.locator("ul.messages")).to_contain_text(t("The life goal is saved.", language))
    expect(page.get_by_role("heading", name=f"“{words}”")).to_be_visible()
    assert LifeGoal.objects.get(person=jozef, text=words).written_by == LifeGoal.WrittenBy.WITH_COORDINATOR

    # A goal under it.
    page.get_by_role("link", name=t("Add a goal to this life goal", language)).click()
    goal_title = "Veilig de trap op en af" if language == "nl" else "Monter et descendre l'escalier en sécurité"
    page.get_by_label(_field(t("Goal", language))).fill(goal_title)
    page.get_by_role("button", name=t("Save the goal", language)).click()
    expect(page.get_by_role("heading", name=goal_title)).to_be_visible()
    assert Goal.objects.get(person=jozef, title=goal_title).life_goal == LifeGoal.objects.get(person=jozef, text=words)

    # Two actions: the nurse's, then the caregiver's, after seeing who already comes to the house.
    _add_action(page, language, "Wondzorg aan het been", _membership(jozef, nurse), goal_title)
    page.get_by_role("link", name=t("Add an action to the goal %(goal)s", language, goal=goal_title)).click()
    expect(page.get_by_role("heading", name=t("Who already comes to the house", language))).to_be_visible()
    page.screenshot(path=str(screenshots / f"plan-action-weekly-{language}.png"), full_page=True)
    blocking += _blocking(page, f"action form [{language}]")
    page.go_back()
    _add_action(page, language, "Boodschappen op zaterdag", _membership(jozef, caregiver), goal_title)
    actions = {a.title: a for a in PlanAction.objects.filter(person=jozef)}
    assert actions["Wondzorg aan het been"].status == PlanAction.Status.PROPOSED
    assert actions["Boodschappen op zaterdag"].owner.user == caregiver
    page.screenshot(path=str(screenshots / f"plan-{language}.png"), full_page=True)
    blocking += _blocking(page, f"plan with actions [{language}]")

    # The nurse accepts hers.
    nurse_page = new_context(nurse, language=language, viewport=NARROW).new_page()
    wound = actions["Wondzorg aan het been"]
    nurse_page.goto(reverse("plans:action", args=[jozef.public_id, wound.public_id]))
    expect(nurse_page.get_by_role("heading", name=t("This action is proposed to you", language))).to_be_visible()
    blocking += _blocking(nurse_page, f"proposed action [{language}]")
    nurse_page.get_by_role("button", name=t("Accept", language), exact=True).click()
    expect(nurse_page.locator("ul.messages")).to_contain_text(
        t("You accepted the action. It is on your list.", language)
    )
    wound.refresh_from_db()
    assert wound.status == PlanAction.Status.OPEN

    # The neighbour sees the action given to them, and nothing else of the plan.
    errand = services.propose_action(
        gp, jozef, title="Vuilniszak buiten zetten", owner=_membership(jozef, neighbour), goal=wound.goal
    )
    neighbour_page = new_context(neighbour, language=language, viewport=NARROW).new_page()
    response = neighbour_page.goto(reverse("plans:action", args=[jozef.public_id, errand.public_id]))
    assert response.status == 200
    expect(neighbour_page.get_by_role("heading", name="Vuilniszak buiten zetten", level=1)).to_be_visible()
    expect(neighbour_page.get_by_text(goal_title)).to_have_count(0)
    neighbour_page.screenshot(path=str(screenshots / f"plan-neighbour-action-{language}.png"), full_page=True)
    blocking += _blocking(neighbour_page, f"neighbour's action [{language}]")
    other = neighbour_page.goto(reverse("plans:action", args=[jozef.public_id, wound.public_id]))
    assert other.status == 404
    assert "Wondzorg" not in neighbour_page.content()
    assert neighbour_page.goto(reverse("plans:plan", args=[jozef.public_id])).status == 404
    assert blocking == []
