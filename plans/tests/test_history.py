"""The plan as a living document (PLAN-03): every change with who, when, before and after, and
the plan as it stood at the end of a day, from the history tables; gated and audited."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from access.models import Consent
from audit.models import AuditEntry
from conftest import client_for
from core.actions import Action
from plans import queries, services
from plans.tests.factories import action, goal, life_goal
from teams.models import Membership

pytestmark = pytest.mark.django_db

D1 = date(2026, 3, 2)
D2 = date(2026, 3, 9)


@pytest.fixture
def lived_plan(person, gp, nurse):
    """On D1 the plan is made; between D1 and D2 the goal is renamed and the action done. The
    team and the consent date from before D1."""
    long_ago = datetime(2026, 1, 5, tzinfo=UTC)
    Membership.objects.filter(person=person).update(since=long_ago)
    Consent.objects.filter(person=person).update(since=long_ago)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        stairs = goal(person, gp, title="Veilig de trap op", life=life_goal(person, gp))
        rail = action(person, gp, nurse, title="Trapleuning laten plaatsen", goal=stairs)
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        services.accept_action(nurse, rail, version=1)
        services.change_goal(gp, stairs, version=1, title="Zelfstandig de trap op en af")
    with time_machine.travel(datetime(2026, 3, 6, 15, 0, tzinfo=UTC), tick=False):
        services.change_action_status(nurse, rail, version=2, status="done", outcome="Leuning geplaatst")
    return stairs, rail


def _titles(tree):
    goals = [g for life in tree.life_goals for g in life.goals] + tree.goals + tree.done_goals
    actions = [a for g in goals for a in g.actions] + tree.actions + tree.done_actions
    return [g.title for g in goals], [(a.title, a.status) for a in actions]


def test_the_plan_as_it_stood_at_two_dates(person, gp, lived_plan):
    first = queries.plan_as_of(gp, person.public_id, D1)
    assert _titles(first.tree) == (["Veilig de trap op"], [("Trapleuning laten plaatsen", "proposed")])
    second = queries.plan_as_of(gp, person.public_id, D2)
    assert _titles(second.tree) == (["Zelfstandig de trap op en af"], [("Trapleuning laten plaatsen", "done")])
    assert second.tree.done_actions[0].outcome == "Leuning geplaatst"


def test_before_the_plan_existed_it_is_empty(person, gp, lived_plan):
    assert queries.plan_as_of(gp, person.public_id, date(2026, 3, 1)).tree.is_empty


def test_the_as_of_page_is_audited_with_its_own_code(person, gp, lived_plan):
    response = client_for(gp).get(reverse("plans:as-of", args=[person.public_id]) + f"?date={D1.isoformat()}")
    assert response.status_code == 200
    assert "Veilig de trap op" in response.content.decode()
    assert AuditEntry.objects.filter(actor_id=gp.pk, action=Action.PLANS_PLAN_AS_OF_VIEWED, allowed=True).exists()


def test_a_date_in_the_future_is_refused_with_a_message(person, gp_client):
    response = gp_client.get(reverse("plans:as-of", args=[person.public_id]) + "?date=2999-01-01")
    assert response.status_code == 200
    assert response.context["page"] is None
    assert response.context["form"].errors


def test_life_goals_stay_out_of_the_past_plan_for_a_reader_without_wishes(person, pharmacist, lived_plan):
    past = queries.plan_as_of(pharmacist, person.public_id, D2)
    assert past.tree.life_goals == [] and not past.reads_wishes
    assert [g.title for g in past.tree.goals] == ["Zelfstandig de trap op en af"]


def test_the_history_lists_each_change_with_before_and_after(person, gp, lived_plan):
    page = queries.history(gp, person.public_id)
    renamed = next(row for row in page.rows if any(c.after == "Zelfstandig de trap op en af" for c in row.changes))
    assert renamed.who == "Dr. An Peeters"
    change = next(c for c in renamed.changes if c.after == "Zelfstandig de trap op en af")
    assert change.before == "Veilig de trap op"
    done = page.rows[0]  # newest first
    assert done.who == "Sofie Janssens"
    assert {c.after for c in done.changes} >= {"Leuning geplaatst"}
    assert AuditEntry.objects.filter(actor_id=gp.pk, action=Action.PLANS_HISTORY_VIEWED, allowed=True).exists()


def test_the_history_leaves_out_life_goals_for_a_reader_without_wishes(person, pharmacist, lived_plan):
    page = queries.history(pharmacist, person.public_id)
    assert page.rows and not page.reads_wishes
    assert all("markt" not in row.record for row in page.rows)
    assert all(c.label != "Life goal" for row in page.rows for c in row.changes)


def test_the_history_page_renders(person, gp_client, lived_plan):
    response = gp_client.get(reverse("plans:history", args=[person.public_id]))
    assert response.status_code == 200
    assert "Zelfstandig de trap op en af" in response.content.decode()
