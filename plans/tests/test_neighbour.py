"""The neighbour rule (issue 12): a neighbour or volunteer sees the actions assigned to them and
nothing else of the plan; any other action answers the same 404 as a random id, audited."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from access import rules
from access.explain import explain_access
from audit.models import AuditEntry
from conftest import client_for
from core.actions import Action
from core.vocab import Category
from plans.tests.factories import action, goal, life_goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(person, gp, nurse, neighbour):
    stairs = goal(person, gp, title="Veilig de trap op en af", life=life_goal(person, gp))
    return {
        "mine": action(person, gp, neighbour, title="Boodschappen op dinsdag", goal=stairs),
        "theirs": action(person, gp, nurse, title="Wondzorg aan het been", goal=stairs),
    }


def _url(person, found) -> str:
    return reverse("plans:action", args=[person.public_id, found.public_id])


def test_the_neighbour_opens_their_own_action_without_the_goal(person, neighbour, plan):
    response = client_for(neighbour).get(_url(person, plan["mine"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Boodschappen op dinsdag" in body
    assert "Veilig de trap op en af" not in body  # the goal stays hidden
    assert AuditEntry.objects.filter(
        actor_id=neighbour.pk, action=Action.PLANS_ACTION_VIEWED, allowed=True, category=Category.PLAN
    ).exists()


def test_another_action_answers_exactly_as_a_random_id_and_both_are_audited(person, neighbour, plan):
    client = client_for(neighbour)
    refused = AuditEntry.objects.filter(actor_id=neighbour.pk, allowed=False)
    other = client.get(_url(person, plan["theirs"]))
    random = client.get(reverse("plans:action", args=[person.public_id, uuid.uuid4()]))
    assert (other.status_code, random.status_code) == (404, 404)
    assert other.content == random.content
    assert "Wondzorg" not in other.content.decode()
    assert refused.count() == 2
    # The one refused by the matrix (plan: none), the other as an unknown id.
    assert sorted(refused.values_list("reason", flat=True)) == ["matrix", "not_found"]


def test_the_plan_and_its_history_are_404_for_the_neighbour(person, neighbour, plan):
    client = client_for(neighbour)
    for name in ("plans:plan", "plans:history", "plans:goal", "plans:life-goal"):
        assert client.get(reverse(name, args=[person.public_id])).status_code == 404


def test_the_neighbour_accepts_and_completes_their_own_action(person, neighbour, plan):
    client = client_for(neighbour)
    mine = plan["mine"]
    answer = reverse("plans:action-answer", args=[person.public_id, mine.public_id])
    assert client.post(answer, {"answer": "accept", "version": "1"}).status_code == 302
    status = reverse("plans:action-status", args=[person.public_id, mine.public_id])
    client.post(status, {"status": "done", "outcome": "Boodschappen gedaan", "version": "2"})
    mine.refresh_from_db()
    assert (mine.status, mine.outcome) == ("done", "Boodschappen gedaan")


def test_the_neighbour_cannot_edit_or_answer_anothers_action(person, neighbour, plan):
    client = client_for(neighbour)
    theirs = plan["theirs"]
    for name in ("plans:action-edit", "plans:action-answer", "plans:action-status", "plans:action-cancel"):
        assert client.get(reverse(name, args=[person.public_id, theirs.public_id])).status_code == 404
    edit_mine = reverse("plans:action-edit", args=[person.public_id, plan["mine"].public_id])
    assert client.get(edit_mine).status_code == 404  # their own, but changing it is the plan writers'
    theirs.refresh_from_db()
    assert theirs.status == "proposed"


def test_the_rule_is_named_and_the_why_page_explains_it(person, neighbour, plan):
    decision = rules.reads_own_action(neighbour, person, neighbour.pk, owner_active=True)
    assert (decision.allowed, decision.category) == (True, Category.PLAN)
    assert not rules.reads_own_action(neighbour, person, plan["theirs"].owner.user_id, owner_active=True).allowed
    with translation.override("en"):
        plan_row = next(row for row in explain_access(neighbour, person) if row.category == Category.PLAN)
    assert not plan_row.read
    assert any("because it is theirs" in reason for reason in plan_row.reasons)


def test_the_neighbour_reads_their_action_in_the_api_without_its_goal(person, neighbour, plan):
    client = client_for(neighbour)
    url = f"/api/plans/persons/{person.public_id}/actions?item={plan['mine'].public_id}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["goal"] is None
    other = client.get(f"/api/plans/persons/{person.public_id}/actions?item={plan['theirs'].public_id}")
    assert other.status_code == 404
    assert client.get(f"/api/plans/persons/{person.public_id}").status_code == 404
