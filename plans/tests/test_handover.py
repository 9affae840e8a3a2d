"""Open actions and the care team's handover: ending a GP's membership moves their open actions
to the coordinator's queue and out of their inbox; the GP then gets 404; whoever takes an item
gives the action to a member (proposed, or open at once when they take it on themself)."""

import pytest
from django.urls import reverse

from conftest import client_for
from core.vocab import Profile
from people.tests.factories import join_team
from plans import queries, services
from plans.models import PlanAction
from plans.tests.factories import action, membership_of
from teams import services as team_services
from teams.models import HandoverItem, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(person, gp, make_user):
    """A care coordinator runs Jozef's team; the GP is an ordinary member."""
    Membership.objects.filter(person=person, user=gp).update(is_coordinator=False)
    user = make_user(Profile.CARE_COORDINATOR, "Els Wuyts")
    join_team(person, user, is_coordinator=True)
    return user


@pytest.fixture
def gps_actions(person, gp, coordinator):
    open_ = action(person, coordinator, gp, title="Bloedafname")
    services.accept_action(gp, open_, version=1)
    proposed = action(person, coordinator, gp, title="Huisbezoek")
    done = services.change_action_status(
        gp,
        services.accept_action(gp, action(person, coordinator, gp, title="Voorschrift"), version=1),
        version=2,
        status="done",
        outcome="Gedaan",
    )
    return {"open": open_, "proposed": proposed, "done": done}


def _end(person, coordinator, user):
    membership = membership_of(person, user)
    team_services.end_membership(coordinator, person, membership, version=membership.version)


def test_ending_the_gps_membership_queues_their_open_actions_and_empties_their_inbox(
    person, gp, coordinator, gps_actions
):
    assert set(queries.open_actions_for(gp).values_list("title", flat=True)) == {"Bloedafname", "Huisbezoek"}
    _end(person, coordinator, gp)
    queued = HandoverItem.objects.filter(person=person, kind="plans.action", taken_at=None)
    assert set(queued.values_list("title", flat=True)) == {"Bloedafname", "Huisbezoek"}  # not the done one
    assert queries.open_actions_for(gp).count() == 0
    response = client_for(gp).get(reverse("plans:action", args=[person.public_id, gps_actions["open"].public_id]))
    assert response.status_code == 404


def test_taking_an_item_for_another_member_proposes_the_action_to_them(person, gp, nurse, coordinator, gps_actions):
    _end(person, coordinator, gp)
    item = HandoverItem.objects.get(kind="plans.action", item_id=gps_actions["open"].public_id)
    team_services.take_item(coordinator, person, item, new_owner=nurse)
    moved = PlanAction.objects.get(pk=gps_actions["open"].pk)
    assert (moved.owner, moved.status) == (membership_of(person, nurse), PlanAction.Status.PROPOSED)
    assert moved.history.latest("history_id").history_user == coordinator
    assert nurse.notifications.filter(kind="action_proposed").exists()
    assert list(queries.open_actions_for(nurse)) == [moved]


def test_taking_an_item_oneself_opens_the_action_at_once(person, gp, coordinator, gps_actions):
    _end(person, coordinator, gp)
    item = HandoverItem.objects.get(kind="plans.action", item_id=gps_actions["proposed"].public_id)
    team_services.take_item(coordinator, person, item)
    moved = PlanAction.objects.get(pk=gps_actions["proposed"].pk)
    assert (moved.owner.user, moved.status) == (coordinator, PlanAction.Status.OPEN)
    assert moved.accepted_at is not None


def test_taking_an_item_never_brings_a_cancelled_action_back(person, gp, nurse, coordinator, gps_actions):
    _end(person, coordinator, gp)
    queued = gps_actions["open"]
    current = PlanAction.objects.get(pk=queued.pk)
    services.cancel_action(coordinator, current, version=current.version, reason="Niet meer nodig")
    item = HandoverItem.objects.get(kind="plans.action", item_id=queued.public_id)
    team_services.take_item(coordinator, person, item, new_owner=nurse)
    after = PlanAction.objects.get(pk=queued.pk)
    assert (after.status, after.owner.user) == (PlanAction.Status.CANCELLED, gp)
    assert not nurse.notifications.filter(kind="action_proposed").exists()
