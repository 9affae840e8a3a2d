"""Handover (TEAM-05): a member who leaves (membership ended, account deactivated) loses access
at once, and their open items go to the coordinator's handover queue, flagged until taken. Apps
join the handover by registering a provider."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import gate
from access.gate import Refused
from accounts.services import deactivate_account
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core.errors import Conflict
from core.vocab import Category, Level, Profile
from notifications.models import Notification
from teams import handover, services
from teams.models import HandoverItem, Membership, MessageRead, TeamMessage
from teams.tests.factories import MembershipFactory

LINK = "https://schakel.example/messages/"


def _membership(person, user):
    return Membership.objects.active().get(person=person, user=user)


def _post(author, person, category, body, addressees):
    return services.post_message(author, person, category=category, body=body, addressees=addressees, link=LINK)


@pytest.fixture
def waiting_for_nurse(person, gp, nurse):
    """The GP asked the nurse something she has not read yet."""
    return _post(gp, person, Category.MEDICATION, "Can you check whether he takes his Marevan?", [nurse])


def test_ending_a_membership_moves_unread_messages_to_the_coordinators_queue(
    person, gp, nurse, waiting_for_nurse, gp_client
):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    item = HandoverItem.objects.get()
    assert (item.person, item.from_user, item.kind, item.app_label, item.item_id, item.category) == (
        person,
        nurse,
        "teams.message",
        "teams",
        waiting_for_nurse.public_id,
        "medication",
    )
    assert (item.title, item.flagged, item.taken_by) == ("Can you check whether he takes his Marevan?", True, None)
    page = gp_client.get(reverse("teams:handover", args=[person.public_id])).content.decode()
    assert "Flagged" in page and "Can you check whether he takes his Marevan?" in page
    team_page = gp_client.get(reverse("teams:team", args=[person.public_id])).content.decode()
    assert "1 open item of a member who left waits in the handover queue." in team_page
    # The coordinator is told.
    assert Notification.objects.filter(recipient=gp, kind="handover", person=person).count() == 1


def test_the_ended_member_gets_404_on_the_person_at_once(person, gp, nurse):
    client = client_for(nurse)
    assert client.get(reverse("people:detail", args=[person.public_id])).status_code == 200
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    assert client.get(reverse("people:detail", args=[person.public_id])).status_code == 404
    assert client.get(reverse("teams:team", args=[person.public_id])).status_code == 404
    assert client.get(reverse("teams:messages", args=[person.public_id])).status_code == 404


def test_taking_an_item_unflags_it_and_reassigns_it(person, gp, nurse, pharmacist, waiting_for_nurse, gp_client):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    item = HandoverItem.objects.get()
    response = gp_client.post(
        reverse("teams:handover-take", args=[person.public_id]),
        {"item": str(item.public_id), "owner": str(pharmacist.public_id)},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.flagged, item.taken_by, item.assigned_to) == (False, gp, pharmacist)
    assert set(waiting_for_nurse.addressees.all()) == {nurse, pharmacist}
    page = gp_client.get(reverse("teams:team", args=[person.public_id])).content.decode()
    assert "handover queue." not in page
    row = AuditEntry.objects.get(action="teams.handover_taken", event="change")
    assert row.detail["owner"] == str(pharmacist.public_id)


def test_taking_for_oneself_is_the_default(person, gp, nurse, waiting_for_nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    item = services.take_item(gp, person, HandoverItem.objects.get())
    assert (item.taken_by, item.assigned_to) == (gp, gp)
    assert gp in waiting_for_nurse.addressees.all()


def test_a_second_take_of_a_taken_item_is_a_conflict(person, gp, nurse, pharmacist, waiting_for_nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    stale = HandoverItem.objects.get()
    services.take_item(gp, person, HandoverItem.objects.get())
    with pytest.raises(Conflict):
        services.take_item(gp, person, stale, new_owner=pharmacist)
    assert HandoverItem.objects.get().assigned_to == gp


def test_only_the_coordinator_takes_items(person, gp, nurse, pharmacist, waiting_for_nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.take_item(pharmacist, person, HandoverItem.objects.get())
    assert HandoverItem.objects.get().flagged
    assert client_for(pharmacist).get(reverse("teams:handover", args=[person.public_id])).status_code == 403


def test_the_new_owner_must_be_able_to_read_the_item(person, gp, nurse, caregiver, waiting_for_nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    with pytest.raises(ValidationError) as raised:
        services.take_item(gp, person, HandoverItem.objects.get(), new_owner=UserFactory())
    assert raised.value.code == "not_member"
    # The caregiver may read medication (matrix), so this works; a family member could not.
    family = UserFactory(profile=Profile.FAMILY)
    MembershipFactory(person=person, user=family)
    with pytest.raises(ValidationError) as raised:
        services.take_item(gp, person, HandoverItem.objects.get(), new_owner=family)
    assert raised.value.code == "owner_cannot_read"
    assert HandoverItem.objects.get().flagged


def test_read_messages_are_not_handed_over(person, gp, nurse, waiting_for_nurse):
    MessageRead.objects.create(message=waiting_for_nurse, user=nurse)
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    assert not HandoverItem.objects.exists()


def test_an_item_the_coordinator_may_not_read_leaves_no_trace_in_their_queue(person, gp, nurse, pharmacist, caregiver):
    # The pharmacist coordinates; the caregiver had a message about Jozef's wishes waiting.
    proposal = services.propose_coordinator(gp, person, _membership(person, pharmacist), version=1)
    services.answer_proposal(pharmacist, person, proposal, accept=True)
    _post(nurse, person, Category.PLAN, "Can you be there on Friday?", [caregiver])
    _post(gp, person, Category.WISHES, "He wants to stay home at all costs.", [caregiver])
    services.end_membership(pharmacist, person, _membership(person, caregiver), version=1)
    assert HandoverItem.objects.count() == 2
    page = client_for(pharmacist).get(reverse("teams:handover", args=[person.public_id])).content.decode()
    assert "Can you be there on Friday?" in page
    assert "stay home" not in page
    team_page = client_for(pharmacist).get(reverse("teams:team", args=[person.public_id])).content.decode()
    assert "1 open item of a member who left waits in the handover queue." in team_page


def test_deactivating_an_account_ends_every_membership_and_hands_over(person, gp, nurse, waiting_for_nurse):
    admin = UserFactory(profile=Profile.ZONE_ADMIN)
    deactivate_account(admin, nurse)
    assert not Membership.objects.active().filter(user=nurse).exists()
    assert Membership.objects.get(user=nurse).ended_by == admin
    item = HandoverItem.objects.get()
    assert (item.from_user, item.item_id, item.flagged) == (nurse, waiting_for_nurse.public_id, True)
    row = AuditEntry.objects.get(action="teams.member_ended")
    assert (row.actor_id, row.person_id, row.detail["reason"]) == (admin.pk, person.pk, "account_deactivated")


def test_the_coordinator_deactivated_leaves_the_team_flagged(person, gp, gp_client, nurse):
    deactivate_account(UserFactory(profile=Profile.ZONE_ADMIN), gp)
    page = client_for(nurse).get(reverse("teams:team", args=[person.public_id])).content.decode()
    assert "No care coordinator: agree who coordinates." in page


class _Reports:
    """A stand-in for another app's owned items (say, reported medication problems)."""

    kind = "test.report"
    label = "reported problem"

    def __init__(self) -> None:
        self.item_id = uuid.uuid4()
        self.reassigned: list[tuple[uuid.UUID, int]] = []

    def open_items(self, user, person):
        return [handover.Item(self.kind, "test", self.item_id, "Dizzy after new pills", "medication", timezone.now())]

    def reassign(self, item, new_owner):
        self.reassigned.append((item.public_id, new_owner.pk))


def test_an_app_joins_the_handover_by_registering_a_provider(person, gp, nurse, monkeypatch, gp_client):
    reports = _Reports()
    monkeypatch.setitem(handover._PROVIDERS, reports.kind, reports)
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    item = HandoverItem.objects.get(kind="test.report")
    assert (item.app_label, item.item_id, item.title) == ("test", reports.item_id, "Dizzy after new pills")
    page = gp_client.get(reverse("teams:handover", args=[person.public_id])).content.decode()
    assert "reported problem" in page
    services.take_item(gp, person, item)
    assert reports.reassigned == [(reports.item_id, gp.pk)]


def test_an_item_already_waiting_is_not_queued_twice(person, gp, nurse, waiting_for_nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    services.hand_over(gp, nurse, person)
    assert HandoverItem.objects.count() == 1


def test_ended_access_holds_in_the_gate_for_every_category(person, gp, nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    assert not any(gate.decide(nurse, person, code, Level.READ).allowed for code in Category.values)


def test_no_message_is_lost(person, gp, nurse, waiting_for_nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    assert TeamMessage.objects.get() == waiting_for_nurse


def test_a_membership_that_ran_out_is_handed_over_by_the_daily_run(person, gp, nurse, waiting_for_nurse):
    membership = _membership(person, nurse)
    Membership.objects.filter(pk=membership.pk).update(until=timezone.now() - timedelta(minutes=1))
    assert HandoverItem.objects.count() == 0  # access ended with the date, the items still wait

    assert services.hand_over_expired() == 1
    item = HandoverItem.objects.get()
    assert (item.from_user, item.item_id) == (nurse, waiting_for_nurse.public_id)
    assert Notification.objects.filter(recipient=gp, kind="handover", person=person).count() == 1
    # A second run finds nothing to do and queues nothing twice.
    assert services.hand_over_expired() == 0
    assert HandoverItem.objects.count() == 1


def test_a_renewed_member_keeps_their_items(person, gp, nurse, waiting_for_nurse):
    old = _membership(person, nurse)
    Membership.objects.filter(pk=old.pk).update(until=timezone.now() - timedelta(minutes=1))
    MembershipFactory(person=person, user=nurse, profile=old.profile)

    assert services.hand_over_expired() == 1
    assert HandoverItem.objects.count() == 0
    assert Membership.objects.get(pk=old.pk).handed_over_at is not None


def test_an_ended_membership_is_not_handed_over_twice(person, gp, nurse, waiting_for_nurse):
    services.end_membership(gp, person, _membership(person, nurse), version=1)
    assert services.hand_over_expired() == 0
    assert HandoverItem.objects.count() == 1
