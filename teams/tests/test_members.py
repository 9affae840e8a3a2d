"""Team membership: who adds whom in which role, ending a membership, the one care coordinator,
and reachability. Every change passes the gate, is audited, and never overwrites a newer one."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from access import gate
from access import services as access_services
from access.gate import Refused
from access.models import Mandate
from audit.models import AuditEntry
from core.errors import Conflict
from core.vocab import Category, Level, Profile
from notifications.models import Notification
from teams import services
from teams.models import CoordinationProposal, Membership


def _membership(person, user):
    return Membership.objects.active().get(person=person, user=user)


def _count(person):
    return Membership.objects.filter(person=person).count()


# ── adding members ──────────────────────────────────────────────────────────────────────────


def test_the_coordinator_adds_a_professional_in_their_own_profile(person, gp, physio):
    before = timezone.now()
    membership = services.add_member(gp, person, email="THOMAS@example.org", assignment="Walking exercises")
    assert (membership.user, membership.profile, membership.assignment, membership.added_by) == (
        physio,
        Profile.PHYSIOTHERAPIST,
        "Walking exercises",
        gp,
    )
    regular = timedelta(days=settings.ACCESS_RELATIONSHIP_DAYS["regular"])
    assert before + regular <= membership.until <= timezone.now() + regular
    assert gate.decide(physio, person, Category.PLAN, Level.WRITE).allowed
    row = AuditEntry.objects.get(action="teams.member_added")
    assert (row.actor_id, row.person_id, row.category, row.event, row.allowed) == (
        gp.pk,
        person.pk,
        "team",
        "change",
        True,
    )
    assert row.detail["member"] == str(physio.public_id)


def test_an_occasional_relationship_ends_after_three_months(person, gp, physio):
    membership = services.add_member(gp, person, email=physio.email, term="occasional")
    assert membership.until - membership.since == timedelta(days=settings.ACCESS_RELATIONSHIP_DAYS["occasional"])


def test_a_professional_cannot_join_in_another_role_and_nothing_changes(person, gp, physio):
    before = _count(person)
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=physio.email, profile=Profile.FAMILY)
    assert raised.value.error_dict["profile"][0].code == "own_profile"
    assert _count(person) == before


def test_someone_from_the_circle_joins_in_a_circle_role_without_end(person, gp, neighbour):
    membership = services.add_member(
        gp, person, email=neighbour.email, profile=Profile.NEIGHBOUR, assignment="Shopping"
    )
    assert (membership.profile, membership.until) == (Profile.NEIGHBOUR, None)
    assert not membership.is_professional


@pytest.mark.parametrize("role", ["", Profile.NURSE, Profile.PERSON, Profile.REPRESENTATIVE])
def test_the_circle_needs_a_circle_role(person, gp, neighbour, role):
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=neighbour.email, profile=role)
    assert raised.value.error_dict["profile"][0].code == "circle_profile"
    assert not Membership.objects.filter(user=neighbour).exists()


def test_the_person_adds_their_own_circle(person, person_user, neighbour):
    membership = services.add_member(person_user, person, email=neighbour.email, profile=Profile.NEIGHBOUR)
    assert (membership.added_by, membership.profile) == (person_user, Profile.NEIGHBOUR)
    assert AuditEntry.objects.get(action="teams.member_added").relationship == "self"


def test_the_person_cannot_add_a_professional(person, person_user, physio):
    with pytest.raises(ValidationError) as raised:
        services.add_member(person_user, person, email=physio.email)
    assert raised.value.error_dict["email"][0].code == "circle_only"
    assert not Membership.objects.filter(user=physio).exists()


def test_a_member_who_is_not_coordinator_is_refused_and_the_refusal_audited(person, nurse, physio):
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.add_member(nurse, person, email=physio.email)
    assert not Membership.objects.filter(user=physio).exists()
    row = AuditEntry.objects.get(actor_id=nurse.pk)
    assert (row.action, row.allowed, row.reason, row.category, row.level) == (
        "teams.member_added",
        False,
        "not_coordinator",
        "team",
        "write",
    )


def test_an_outsider_gets_404_and_nothing_changes(person, outsider, physio):
    with pytest.raises(Refused):
        services.add_member(outsider, person, email=physio.email)
    assert not Membership.objects.filter(user=physio).exists()
    assert AuditEntry.objects.get(actor_id=outsider.pk).reason == "no_relationship"


@pytest.mark.parametrize(
    ("email", "code"),
    [("nobody@example.org", "unknown_user"), ("", "unknown_user")],
)
def test_an_unknown_address_is_refused(person, gp, email, code):
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=email)
    assert raised.value.error_dict["email"][0].code == code


def test_a_deactivated_account_and_a_zone_role_cannot_join(person, gp, physio):
    physio.is_active = False
    physio.save()
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=physio.email)
    assert raised.value.error_dict["email"][0].code == "unknown_user"
    from accounts.tests.factories import UserFactory

    admin = UserFactory(profile=Profile.ZONE_ADMIN)
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=admin.email)
    assert raised.value.error_dict["email"][0].code == "not_care_role"


def test_the_person_joins_their_own_team_only_as_the_person(person, gp, person_user):
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=person_user.email, profile=Profile.FAMILY)
    assert raised.value.error_dict["profile"][0].code == "is_the_person"


def test_someone_already_on_the_team_is_not_added_twice(person, gp, nurse):
    before = _count(person)
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=nurse.email)
    assert raised.value.error_dict["email"][0].code == "already_member"
    assert _count(person) == before


def test_an_end_before_the_start_is_refused(person, gp, physio):
    now = timezone.now()
    with pytest.raises(ValidationError) as raised:
        services.add_member(
            gp, person, email=physio.email, since=now + timedelta(days=5), until=now + timedelta(days=2)
        )
    assert raised.value.error_dict["until"][0].code == "until_before_since"


# ── ending a membership ─────────────────────────────────────────────────────────────────────


def test_ending_a_membership_removes_access_at_once(person, gp, nurse):
    membership = _membership(person, nurse)
    ended = services.end_membership(gp, person, membership, version=membership.version)
    assert ended.until <= timezone.now()
    assert (ended.ended_by, ended.version) == (gp, 2)
    assert gate.decide(nurse, person, Category.IDENTITY, Level.READ).reason == "no_relationship"
    assert AuditEntry.objects.get(action="teams.member_ended", event="change").detail["member"] == str(nurse.public_id)


def test_a_stale_end_is_a_conflict(person, gp, nurse):
    membership = _membership(person, nurse)
    with pytest.raises(Conflict):
        services.end_membership(gp, person, membership, version=membership.version + 1)
    assert _membership(person, nurse).version == 1


def test_a_member_leaves_the_team_themself(person, nurse):
    membership = _membership(person, nurse)
    services.end_membership(nurse, person, membership, version=1)
    assert not Membership.objects.active().filter(person=person, user=nurse).exists()


def test_a_member_cannot_end_someone_elses_membership(person, nurse, pharmacist):
    membership = _membership(person, pharmacist)
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.end_membership(nurse, person, membership, version=1)
    assert _membership(person, pharmacist).version == 1


def test_the_person_ends_their_circles_membership_but_not_a_professionals(person, person_user, caregiver, nurse):
    services.end_membership(person_user, person, _membership(person, caregiver), version=1)
    assert not Membership.objects.active().filter(person=person, user=caregiver).exists()
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.end_membership(person_user, person, _membership(person, nurse), version=1)


# ── the care coordinator ────────────────────────────────────────────────────────────────────


def _coordinators(person):
    return list(Membership.objects.active().filter(person=person, is_coordinator=True).values_list("user", flat=True))


def _propose(actor, person, user):
    membership = _membership(person, user)
    return services.propose_coordinator(actor, person, membership, version=membership.version)


def test_proposing_a_coordinator_changes_nothing_until_they_accept(person, gp, nurse):
    proposal = _propose(gp, person, nurse)
    assert proposal.pending
    assert _coordinators(person) == [gp.pk]  # the coordinator stays in office
    assert Notification.objects.filter(recipient=nurse, kind=Notification.Kind.COORDINATION_PROPOSED).exists()
    row = AuditEntry.objects.get(action="teams.coordination_proposed", event="change")
    assert row.detail["proposed"] == str(nurse.public_id)


def test_the_coordinator_hands_the_role_to_another_professional_who_accepts(person, gp, nurse):
    proposal = _propose(gp, person, nurse)
    services.answer_proposal(nurse, person, proposal, accept=True)
    assert _coordinators(person) == [nurse.pk]
    assert _membership(person, gp).version == 2  # the previous coordinator's row changed too
    row = AuditEntry.objects.get(action="teams.coordinator_changed", event="change")
    assert (row.detail["coordinator"], row.detail["previous"]) == (str(nurse.public_id), [str(gp.public_id)])
    assert row.actor_id == nurse.pk
    told = Notification.objects.get(recipient=gp, kind=Notification.Kind.COORDINATION_ANSWERED)
    assert told.params["outcome"] == "accepted"
    # The new coordinator manages now; the old one no longer does.
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        _propose(gp, person, gp)


def test_declining_changes_nothing_and_tells_the_proposer(person, gp, nurse):
    proposal = _propose(gp, person, nurse)
    services.answer_proposal(nurse, person, proposal, accept=False)
    assert _coordinators(person) == [gp.pk]
    proposal.refresh_from_db()
    assert proposal.status == CoordinationProposal.Status.DECLINED
    assert AuditEntry.objects.filter(action="teams.coordination_declined", actor=nurse).exists()
    assert Notification.objects.get(recipient=gp, kind=Notification.Kind.COORDINATION_ANSWERED).params == {
        "outcome": "declined",
        "name": str(nurse),
    }


def test_only_the_member_proposed_answers(person, gp, nurse, pharmacist):
    proposal = _propose(gp, person, nurse)
    with pytest.raises(Refused, match="Only the member proposed can answer this proposal"):
        services.answer_proposal(pharmacist, person, proposal, accept=True)
    assert _coordinators(person) == [gp.pk]
    assert AuditEntry.objects.filter(action="teams.coordinator_changed", allowed=False, actor=pharmacist).exists()


def test_the_coordinator_cancels_before_acceptance_and_a_late_accept_changes_nothing(person, gp, nurse):
    proposal = _propose(gp, person, nurse)
    services.cancel_proposal(gp, person, proposal)
    assert AuditEntry.objects.filter(action="teams.coordination_cancelled", actor=gp).exists()
    assert (
        Notification.objects.get(recipient=nurse, kind=Notification.Kind.COORDINATION_ANSWERED).params["outcome"]
        == "cancelled"
    )
    with pytest.raises(Conflict):
        services.answer_proposal(nurse, person, proposal, accept=True)  # the page still showed it
    assert _coordinators(person) == [gp.pk]


def test_an_accepted_proposal_can_no_longer_be_cancelled(person, gp, nurse):
    proposal = _propose(gp, person, nurse)
    services.answer_proposal(nurse, person, proposal, accept=True)
    for who in (gp, nurse):  # neither the proposer nor the new coordinator undoes an answered one
        with pytest.raises(Conflict):
            services.cancel_proposal(who, person, proposal)
    assert _coordinators(person) == [nurse.pk]


def test_one_proposal_waits_at_a_time(person, gp, nurse, pharmacist):
    _propose(gp, person, nurse)
    with pytest.raises(ValidationError) as raised:
        _propose(gp, person, pharmacist)
    assert raised.value.code == "proposal_pending"
    assert CoordinationProposal.objects.filter(status="pending").count() == 1


def test_a_proposed_member_who_leaves_can_no_longer_accept(person, gp, nurse):
    proposal = _propose(gp, person, nurse)
    services.end_membership(nurse, person, _membership(person, nurse), version=1)
    proposal.refresh_from_db()
    assert proposal.status == CoordinationProposal.Status.WITHDRAWN
    assert (
        Notification.objects.get(recipient=gp, kind=Notification.Kind.COORDINATION_ANSWERED).params["outcome"]
        == "withdrawn"
    )
    assert _coordinators(person) == [gp.pk]


def test_only_a_professional_coordinates(person, gp, caregiver):
    with pytest.raises(ValidationError) as raised:
        _propose(gp, person, caregiver)
    assert raised.value.code == "not_professional"
    assert _coordinators(person) == [gp.pk]
    assert not CoordinationProposal.objects.exists()


def test_a_stale_version_of_the_proposed_member_is_a_conflict(person, gp, nurse):
    with pytest.raises(Conflict):
        services.propose_coordinator(gp, person, _membership(person, nurse), version=7)
    assert not CoordinationProposal.objects.exists()


def test_without_a_coordinator_a_professional_with_team_write_manages(person, gp, nurse, physio):
    Membership.objects.filter(person=person).update(is_coordinator=False)
    # The GP may write the team (matrix): they may propose a coordinator and add members.
    proposal = _propose(gp, person, nurse)
    assert _coordinators(person) == []
    services.answer_proposal(nurse, person, proposal, accept=True)
    assert _coordinators(person) == [nurse.pk]
    # With a coordinator again, the GP no longer manages.
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.add_member(gp, person, email=physio.email)


def test_without_a_coordinator_a_manager_takes_the_role_themself_at_once(person, gp):
    Membership.objects.filter(person=person).update(is_coordinator=False)
    assert _propose(gp, person, gp) is None
    assert _coordinators(person) == [gp.pk]
    assert not CoordinationProposal.objects.exists()


def test_without_a_coordinator_a_nurse_does_not_manage(person, nurse, physio):
    Membership.objects.filter(person=person).update(is_coordinator=False)
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.add_member(nurse, person, email=physio.email)


def test_the_coordinator_leaving_leaves_the_team_without_one(person, gp):
    services.end_membership(gp, person, _membership(person, gp), version=1)
    assert _coordinators(person) == []


# ── reachability ────────────────────────────────────────────────────────────────────────────


def test_a_member_keeps_their_own_reachability(person, nurse):
    membership = services.update_reachability(
        nurse,
        person,
        _membership(person, nurse),
        version=1,
        hours=" Mon–Fri 8–17 ",
        phone="014 69 77 50",
        phone_24_7="+32 14 69 77 99",
        priority_phone="0470 12 34 56",
        priority_email="Sofie@WGC.example.org",
    )
    assert (
        membership.hours,
        membership.phone,
        membership.phone_24_7,
        membership.priority_phone,
        membership.priority_email,
        membership.version,
    ) == ("Mon–Fri 8–17", "+3214697750", "+3214697799", "+32470123456", "sofie@wgc.example.org", 2)
    assert AuditEntry.objects.get(action="teams.reachability_changed", event="change").category == "team"


def test_the_coordinator_keeps_a_members_reachability_too(person, gp, nurse):
    services.update_reachability(gp, person, _membership(person, nurse), version=1, hours="Mon 9–12")
    assert _membership(person, nurse).hours == "Mon 9–12"


def test_another_member_cannot_change_someones_reachability(person, caregiver, nurse):
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.update_reachability(caregiver, person, _membership(person, nurse), version=1, hours="never")
    assert _membership(person, nurse).hours == ""


@pytest.mark.parametrize("field", ["phone", "phone_24_7", "priority_phone"])
def test_an_invalid_phone_number_changes_nothing(person, nurse, field):
    with pytest.raises(ValidationError) as raised:
        services.update_reachability(nurse, person, _membership(person, nurse), version=1, hours="Mon", **{field: "12"})
    assert raised.value.error_dict[field][0].code == "invalid_phone"
    membership = _membership(person, nurse)
    assert (membership.version, membership.hours, getattr(membership, field)) == (1, "", "")


def test_a_stale_reachability_edit_is_a_conflict(person, nurse, gp):
    services.update_reachability(gp, person, _membership(person, nurse), version=1, hours="Mon 9–12")
    with pytest.raises(Conflict):
        services.update_reachability(nurse, person, _membership(person, nurse), version=1, hours="Tue")
    assert _membership(person, nurse).hours == "Mon 9–12"


def test_the_legal_representative_adds_the_persons_circle(person, gp, neighbour):
    from access.models import Representation
    from accounts.tests.factories import UserFactory

    representative = UserFactory(profile=Profile.REPRESENTATIVE, language="en")
    Representation.objects.create(person=person, representative=representative, legal_ground="Court", recorded_by=gp)
    membership = services.add_member(representative, person, email=neighbour.email, profile=Profile.NEIGHBOUR)
    assert (membership.added_by, membership.profile) == (representative, Profile.NEIGHBOUR)
    assert AuditEntry.objects.get(action="teams.member_added").relationship == "representative"


def test_a_mandate_holder_does_not_manage_the_team(person, person_user, caregiver, neighbour):

    Mandate.objects.create(person=person, holder=caregiver, granted_by=person_user, categories=[Category.TEAM])
    with pytest.raises(Refused, match="Only the care coordinator can do this"):
        services.add_member(caregiver, person, email=neighbour.email, profile=Profile.NEIGHBOUR)
    assert not Membership.objects.filter(user=neighbour).exists()


def test_someone_the_person_excluded_is_never_proposed_as_coordinator(person, person_user, gp, nurse):
    access_services.exclude_user(person_user, person, nurse)
    with pytest.raises(ValidationError) as raised:
        _propose(gp, person, nurse)
    assert raised.value.code == "excluded"
    assert _coordinators(person) == [gp.pk]


def test_someone_excluded_after_the_proposal_cannot_accept(person, person_user, gp, nurse):
    proposal = _propose(gp, person, nurse)
    access_services.exclude_user(person_user, person, nurse)
    with pytest.raises(Refused):  # excluded: the gate no longer lets them read the team
        services.answer_proposal(nurse, person, proposal, accept=True)
    assert _coordinators(person) == [gp.pk]
