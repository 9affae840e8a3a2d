"""The person owns an action (issue 12): once the coordinator has added them to their own team
(as the person themself), they are a choosable owner; the coordinator proposes an action to them,
they see it in My actions, accept it, mark it done with an outcome and say whether it helped. A
merge of two records gives the alias's actions of the person to the person's own membership."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.vocab import Profile
from people import services as people_services
from people.tests.factories import PersonFactory, consent_for, join_team
from plans import queries, services
from plans.help import services as help_services
from plans.inbox import queries as inbox
from plans.models import HelpAnswer, PlanAction
from plans.tests.factories import action, membership_of
from teams import services as teams
from teams.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_language() -> str:
    return "en"


@pytest.fixture
def on_the_team(person, gp):
    return teams.add_the_person(gp, person)


def test_the_person_is_no_owner_until_on_the_team(person, gp, person_user):
    assert person_user not in [m.user for m in queries.owner_choices(person)]


def test_the_person_on_the_team_is_a_choosable_owner(person, gp, person_user, on_the_team):
    assert on_the_team in queries.owner_choices(person)
    services.check_owner(person, on_the_team)  # raises nothing


def test_the_person_owns_an_action_from_proposal_to_did_it_help(person, gp, person_user, on_the_team):
    made = action(person, gp, person_user, title="Elke dag tien minuten wandelen")
    assert (made.owner, made.status) == (on_the_team, PlanAction.Status.PROPOSED)
    assert [a.title for a in inbox.my_actions(person_user).proposed] == ["Elke dag tien minuten wandelen"]

    made = services.accept_action(person_user, made, version=made.version)
    assert made.status == PlanAction.Status.OPEN
    assert inbox.my_actions(person_user).proposed == []
    with pytest.raises(ValidationError):
        services.change_action_status(person_user, made, version=made.version, status=PlanAction.Status.DONE)
    made = services.change_action_status(
        person_user, made, version=made.version, status=PlanAction.Status.DONE, outcome="Lukt met de rollator"
    )
    assert (made.status, made.outcome) == (PlanAction.Status.DONE, "Lukt met de rollator")
    assert [a.title for a in inbox.my_actions(person_user).to_answer] == ["Elke dag tien minuten wandelen"]

    answer = help_services.answer_did_it_help(person_user, person, made, answer="yes", comment="Ik slaap beter")
    assert (answer.answer, answer.answered_as, answer.answered_by) == ("yes", HelpAnswer.Voice.PERSON, person_user)
    assert inbox.my_actions(person_user).to_answer == []


def test_the_person_does_it_all_on_the_pages(person, gp_client, person_client, person_user, on_the_team):
    pid = person.public_id
    page = gp_client.get(reverse("plans:action-add", args=[pid])).content.decode()
    assert str(on_the_team.public_id) in page
    response = gp_client.post(
        reverse("plans:action-add", args=[pid]),
        {"title": "Elke dag tien minuten wandelen", "member": str(on_the_team.public_id)},
    )
    assert response.status_code == 302
    made = PlanAction.objects.get()
    assert (made.owner, made.status) == (on_the_team, "proposed")

    inbox_page = person_client.get("/plans/my-actions/")
    assert inbox_page.status_code == 200 and "Elke dag tien minuten wandelen" in inbox_page.content.decode()

    answer_url = reverse("plans:action-answer", args=[pid, made.public_id])
    assert person_client.post(answer_url, {"answer": "accept", "version": str(made.version)}).status_code == 302
    made.refresh_from_db()
    assert made.status == "open"

    status_url = reverse("plans:action-status", args=[pid, made.public_id])
    done = {"status": "done", "outcome": "Lukt met de rollator", "version": str(made.version)}
    assert person_client.post(status_url, done).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.outcome) == ("done", "Lukt met de rollator")

    help_url = f"/plans/person/{pid}/did-it-help/"
    answered = person_client.post(help_url, {"action": str(made.public_id), "answer": "partly", "comment": "Soms"})
    assert answered.status_code == 302
    assert HelpAnswer.objects.get().answered_by == person_user


def test_the_person_s_action_is_handed_over_when_they_leave_the_team(person, gp, person_user, on_the_team):
    made = action(person, gp, person_user)
    services.accept_action(person_user, made, version=made.version)
    teams.end_membership(person_user, person, on_the_team, version=on_the_team.version)
    assert inbox.my_actions(person_user).due_soon == inbox.my_actions(person_user).overdue == []
    assert list(person.handover_items.values_list("item_id", flat=True)) == [made.public_id]


def test_a_merge_gives_the_alias_s_actions_to_the_person_s_own_membership(gp, make_user):
    target = PersonFactory(insz="85073003328", account=make_user(Profile.PERSON, "Jozef Wouters"))
    alias = PersonFactory(insz=None, account=make_user(Profile.PERSON, "Jozef Wouters (2)"))
    for record in (target, alias):
        join_team(record, gp, is_coordinator=True)
        consent_for(record, recorded_by=gp)
        teams.add_the_person(gp, record)
    made = action(alias, gp, alias.account, title="Elke dag wandelen")
    people_services.merge_persons(gp, alias, target)
    made.refresh_from_db()
    assert (made.person, made.owner) == (target, membership_of(target, target.account))
    assert made.owner.profile == Profile.PERSON
    assert Membership.objects.active().filter(person=target, profile=Profile.PERSON).count() == 1
