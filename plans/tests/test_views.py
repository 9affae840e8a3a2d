"""The care plan's pages: the three tiers, who is offered what, a stale edit told on the page,
a confirmation before cancelling, the weekly view before asking a caregiver, and a query count
that does not grow with the plan or the team."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import MatrixCell
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Category, Profile
from people import services as people_services
from people.tests.factories import SECTION_SAMPLES, join_team
from plans import services
from plans.models import Goal, LifeGoal, PlanAction, PlanReview
from plans.tests.factories import action, goal, life_goal, membership_of

pytestmark = pytest.mark.django_db


def _plan(person) -> str:
    return reverse("plans:plan", args=[person.public_id])


def test_the_plan_shows_three_tiers_and_the_done_part(person, gp, nurse, gp_client):
    life = life_goal(person, gp)
    stairs = goal(person, gp, life=life)
    action(person, gp, nurse, goal=stairs, title="Trapleuning laten plaatsen")
    own = goal(person, gp, title="Medicatie op orde")
    services.cancel_action(gp, action(person, gp, nurse, goal=own, title="Pillendoos kopen"), version=1)
    response = gp_client.get(_plan(person))
    tree = response.context["tree"]
    assert [life_row.text for life_row in tree.life_goals] == [life.text]
    assert [g.title for g in tree.life_goals[0].goals] == [stairs.title]
    assert [a.title for a in tree.life_goals[0].goals[0].actions] == ["Trapleuning laten plaatsen"]
    assert [g.title for g in tree.goals] == ["Medicatie op orde"]
    assert [(a.title, a.status) for a in tree.done_actions] == [("Pillendoos kopen", "cancelled")]
    body = response.content.decode()
    assert "Sofie Janssens" in body
    assert response.context["page"].last_reviewed == ""


def test_the_last_review_date_is_shown(person, gp, gp_client):
    review = services.record_review(gp, person)
    assert gp_client.get(_plan(person)).context["page"].last_reviewed
    assert PlanReview.objects.filter(pk=review.pk).exists()


def test_a_reader_without_wishes_sees_goals_without_life_goals(person, gp, pharmacist):
    goal(person, gp, life=life_goal(person, gp, text="Naar de markt"))
    response = client_for(pharmacist).get(_plan(person))
    assert response.status_code == 200
    assert "Naar de markt" not in response.content.decode()
    assert [g.title for g in response.context["tree"].goals] == ["Veilig de trap op en af"]


def test_the_dossier_links_the_plan_for_its_readers_only(person, gp_client, neighbour):
    link = _plan(person)
    assert link in gp_client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    neighbours_page = client_for(neighbour).get(reverse("people:detail", args=[person.public_id]))
    assert link not in neighbours_page.content.decode()


def test_the_coordinator_writes_a_life_goal_a_goal_and_an_action_on_the_pages(person, gp, nurse, gp_client):
    pid = person.public_id
    gp_client.post(
        reverse("plans:life-goal", args=[pid]),
        {"text": "Thuis blijven wonen", "written_by": "with_coordinator", "version": "0"},
    )
    life = LifeGoal.objects.get()
    gp_client.post(
        reverse("plans:goal", args=[pid]),
        {"title": "Veilig wassen", "life_goal": str(life.public_id), "weight": "1", "version": "0"},
    )
    made_goal = Goal.objects.get()
    assert made_goal.life_goal == life
    response = gp_client.post(
        reverse("plans:action-add", args=[pid]),
        {
            "title": "Douchestoel",
            "member": str(membership_of(person, nurse).public_id),
            "goal": str(made_goal.public_id),
        },
    )
    assert response.status_code == 302
    made = PlanAction.objects.get()
    assert (made.goal, made.owner.user, made.status) == (made_goal, nurse, "proposed")


def test_a_caregiver_is_refused_the_goal_form_with_a_403(person, caregiver_client):
    assert caregiver_client.get(reverse("plans:goal", args=[person.public_id])).status_code == 403


def test_a_stale_edit_shows_the_new_version_and_keeps_the_input(person, gp, nurse, gp_client):
    made = action(person, gp, nurse, title="Trapleuning")
    services.change_action(nurse, made, version=1, title="Trapleuning bestellen")
    url = reverse("plans:action-edit", args=[person.public_id, made.public_id])
    response = gp_client.post(
        url, {"title": "Trapleuning plaatsen", "details": "", "due_on": "", "goal": "", "version": "1"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.data["title"] == "Trapleuning plaatsen" and form.data["version"] == "2"
    assert "Sofie Janssens" in " ".join(form.non_field_errors())
    assert any(fact.value == "Trapleuning bestellen" for fact in response.context["current"])
    made.refresh_from_db()
    assert made.title == "Trapleuning bestellen"


def test_cancelling_asks_for_a_confirmation_first(person, gp, nurse, gp_client):
    made = action(person, gp, nurse)
    url = reverse("plans:action-cancel", args=[person.public_id, made.public_id])
    page = gp_client.get(url)
    assert page.status_code == 200 and page.context["consequences"]
    gp_client.post(url, {"version": "1"})  # without the confirmation nothing happens
    made.refresh_from_db()
    assert made.status == "proposed"
    gp_client.post(url, {"version": "1", "confirm": "yes", "reason": "Niet meer nodig"})
    made.refresh_from_db()
    assert (made.status, made.outcome) == ("cancelled", "Niet meer nodig")


def test_the_weekly_view_is_shown_before_asking_an_informal_caregiver(person, gp, gp_client, nurse_client):
    people_services.add_entry(gp, person, "visits", **SECTION_SAMPLES["visits"])
    page = gp_client.get(reverse("plans:action-add", args=[person.public_id]))
    assert page.context["weekly"].count == 1
    assert "Sofie Janssens" in page.content.decode()


def test_the_weekly_view_stays_hidden_from_whoever_may_not_read_the_situation(person, gp, make_user):
    physio = make_user(Profile.PHYSIOTHERAPIST, "Tom Claes")
    join_team(person, physio)
    people_services.add_entry(gp, person, "visits", **SECTION_SAMPLES["visits"])
    # A zone that gives physiotherapists no access to the situation at home.
    MatrixCell.objects.filter(profile=Profile.PHYSIOTHERAPIST, category=Category.SITUATION).update(level="none")
    page = client_for(physio).get(reverse("plans:action-add", args=[person.public_id]))
    assert page.status_code == 200
    assert "weekly" not in page.context
    # Asked without a trace: no refusal in the person's log for merely opening the page.
    assert not AuditEntry.objects.filter(actor_id=physio.pk, allowed=False).exists()


def test_the_owner_accepts_on_the_page(person, gp, caregiver, caregiver_client):
    made = action(person, gp, caregiver)
    page = caregiver_client.get(reverse("plans:action", args=[person.public_id, made.public_id]))
    assert page.context["answers"] is True
    url = reverse("plans:action-answer", args=[person.public_id, made.public_id])
    caregiver_client.post(url, {"answer": "decline", "reason": "", "version": "1"})
    made.refresh_from_db()
    assert made.status == "proposed"  # a decline without a reason changes nothing
    caregiver_client.post(url, {"answer": "accept", "version": "1"})
    made.refresh_from_db()
    assert made.status == "open"


def _plan_of(person, gp, goals, members):
    nurses = [UserFactory(profile=Profile.NURSE) for _ in range(members)]
    for nurse in nurses:
        join_team(person, nurse)
    for n in range(goals):
        made = goal(person, gp, title=f"Doel {n}", life=life_goal(person, gp, text=f"Levensdoel {n}"))
        action(person, gp, nurses[n % members], goal=made, title=f"Actie {n}")


def _queries(client, person) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_plan(person)).status_code == 200
    return len(captured)


def test_the_plan_page_costs_the_same_queries_for_a_small_and_a_large_plan(gp, gp_client, make_user):
    from people.tests.factories import PersonFactory, consent_for

    small, large = PersonFactory(), PersonFactory()
    for someone in (small, large):
        join_team(someone, gp, is_coordinator=True)
        consent_for(someone, recorded_by=gp)
    _plan_of(small, gp, goals=2, members=2)
    _plan_of(large, gp, goals=10, members=6)
    _queries(gp_client, small)  # the first request of a session also saves the session
    assert _queries(gp_client, large) == _queries(gp_client, small)
