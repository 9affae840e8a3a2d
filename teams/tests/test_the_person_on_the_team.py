"""The person on their own team (issue 12): the person's own account joins their team as the
person themself (profile `person`, no other), added by whoever manages the team, in one click from
the team page; the membership changes nothing the gate decides for them; they are listed once
among the message readers, invited once to a meeting, and a merge of two records leaves them on
the team once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import gate, relationships, rules
from access.gate import Refused
from audit.models import AuditEntry
from core.vocab import Category, Level, Profile
from meetings import services as meetings
from meetings.calendar import services as calendar
from meetings.models import Participant
from people import services as people_services
from people.tests.factories import PersonFactory, consent_for, join_team
from teams import queries, services
from teams.models import Membership

pytestmark = pytest.mark.django_db


def _the_person_joins(person, gp) -> Membership:
    return services.add_member(gp, person, email="  " + person.account.email.upper())


def _everything(user, person) -> list[object]:
    """Every decision the gate and the rules take for the user on the person, in comparable form."""
    now = timezone.now()
    decisions = [
        gate.decide(user, person, category, level, now)
        for category in Category.values
        for level in (Level.READ, Level.WRITE)
    ]
    decisions += [
        rules.own_rights(user, person, now, change=True),
        rules.consent_recording(user, person, now, change=True),
        rules.person_log(user, person),
        rules.subject_access_export(user, person),
        rules.explanation(user, person, now, about_someone_else=True),
        rules.did_it_help_answer(user, person, now),
        rules.records_early_signals(user, person, Category.SITUATION, now),
        rules.follows_up_medication_problems(user, person, now),
    ]
    compared: list[object] = [
        (d.allowed, d.reason, d.category, d.level, d.relationship, d.profile, d.acting_for_id, d.status)
        for d in decisions
    ]
    return [*compared, rules.is_person_or_representative(user, person, now), rules.is_coordinator(user, person, now)]


# ── adding the person ───────────────────────────────────────────────────────────────────────


def test_the_coordinator_adds_the_person_as_the_person_themself(person, gp, person_user):
    membership = _the_person_joins(person, gp)
    assert (membership.user, membership.profile, membership.until, membership.is_professional) == (
        person_user,
        Profile.PERSON,
        None,
        False,
    )
    row = AuditEntry.objects.get(action="teams.member_added")
    assert (row.actor_id, row.allowed, row.detail["profile"]) == (gp.pk, True, "person")


@pytest.mark.parametrize("profile", [Profile.FAMILY, Profile.INFORMAL_CAREGIVER, Profile.GP])
def test_the_person_joins_in_no_other_role(person, gp, person_user, profile):
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=person_user.email, profile=profile)
    assert raised.value.error_dict["profile"][0].code == "is_the_person"
    assert not Membership.objects.filter(user=person_user).exists()


def test_nobody_else_joins_as_the_person(person, gp, caregiver, make_user):
    neighbour = make_user(Profile.NEIGHBOUR, "Karim El Amrani")
    with pytest.raises(ValidationError) as raised:
        services.add_member(gp, person, email=neighbour.email, profile=Profile.PERSON)
    assert raised.value.error_dict["profile"][0].code == "circle_profile"
    with pytest.raises(ValidationError):
        services.add_member(gp, person, email=make_user(Profile.NURSE, "Els Goossens").email, profile=Profile.PERSON)


def test_only_whoever_manages_the_team_adds_the_person(person, nurse, person_user, representative):
    with pytest.raises(Refused):
        services.add_member(nurse, person, email=person_user.email)
    for actor in (person_user, representative):
        with pytest.raises(ValidationError) as raised:
            services.add_member(actor, person, email=person_user.email)
        assert raised.value.error_dict["email"][0].code == "person_by_coordinator"
    assert not Membership.objects.filter(user=person_user).exists()


def test_the_person_is_added_once(person, gp):
    _the_person_joins(person, gp)
    with pytest.raises(ValidationError) as raised:
        _the_person_joins(person, gp)
    assert raised.value.error_dict["email"][0].code == "already_member"


def test_a_person_without_an_account_cannot_be_added(gp, nurse):
    someone = PersonFactory(account=None)
    join_team(someone, gp, is_coordinator=True)
    consent_for(someone, recorded_by=gp)
    with pytest.raises(ValidationError) as raised:
        services.add_the_person(gp, someone)
    assert raised.value.code == "no_account"


# ── the gate does not change ────────────────────────────────────────────────────────────────


def test_the_person_reads_and_writes_the_same_with_and_without_the_membership(person, gp, person_user):
    without = _everything(person_user, person)
    _the_person_joins(person, gp)
    assert [rel.kind for rel in relationships.active_relationships(person_user, person, timezone.now())] == [
        "self",
        "team",
    ]
    assert _everything(person_user, person) == without
    assert not queries.team_rights(person_user, person, gate.decide(person_user, person, Category.TEAM, "read")).manages


def test_a_person_membership_of_another_account_gives_nothing(person, gp, person_user):
    """A `person` row left on a team for an account that is not the person's (e.g. after the
    person's account was unlinked) opens nothing."""
    membership = _the_person_joins(person, gp)
    other = PersonFactory(account=None)
    Membership.objects.filter(pk=membership.pk).update(person=other)
    assert not gate.decide(person_user, other, Category.IDENTITY, Level.READ).allowed
    assert other.pk not in relationships.related_person_ids(person_user, timezone.now())
    assert person.pk in relationships.related_person_ids(person_user, timezone.now())


# ── the team page ───────────────────────────────────────────────────────────────────────────


def test_the_team_page_offers_the_coordinator_to_add_the_person_in_one_click(person, gp_client, nurse_client):
    page = gp_client.get(reverse("teams:team", args=[person.public_id])).content.decode()
    url = reverse("teams:member-add-person", args=[person.public_id])
    assert url in page
    assert url not in nurse_client.get(reverse("teams:team", args=[person.public_id])).content.decode()
    response = gp_client.post(url)
    assert response.status_code == 302
    assert Membership.objects.active().filter(person=person, user=person.account, profile=Profile.PERSON).exists()
    page = gp_client.get(reverse("teams:team", args=[person.public_id]))
    assert url not in page.content.decode()
    assert [row.name for row in page.context["circle"]].count(str(person.account)) == 1


def test_one_click_by_someone_who_does_not_manage_the_team_changes_nothing(person, nurse_client, person_user):
    response = nurse_client.post(reverse("teams:member-add-person", args=[person.public_id]))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=person_user).exists()


# ── readers, meetings, handover ─────────────────────────────────────────────────────────────


def test_the_person_is_one_message_reader_and_can_be_addressed(person, gp, person_user):
    before = queries.message_readers(person, [Category.PLAN], leave_out=gp)[Category.PLAN]
    assert [r.member for r in before if r.user == person_user] == [False]
    _the_person_joins(person, gp)
    after = queries.message_readers(person, [Category.PLAN], leave_out=gp)[Category.PLAN]
    mine = [r for r in after if r.user == person_user]
    assert len(mine) == 1 and mine[0].member
    message = services.post_message(
        gp, person, category=Category.PLAN, body="Kan u zaterdag thuis zijn?", addressees=[person_user], link="/x/"
    )
    assert list(message.addressees.all()) == [person_user]


def test_the_person_is_invited_once_to_a_meeting(person, gp, nurse, person_user):
    own = _the_person_joins(person, gp)
    starts = timezone.now() + timedelta(days=3)
    meeting = meetings.plan_meeting(
        gp,
        person,
        kind="mdo",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Thuis",
        members=[own, Membership.objects.get(person=person, user=nurse)],
        with_person=True,
    )
    rows = list(meeting.participants.all())
    assert sum(1 for p in rows if p.is_the_person) == 1
    assert not any(p.membership_id == own.pk for p in rows)
    meeting = meetings.change_meeting(
        gp,
        meeting,
        version=meeting.version,
        kind="mdo",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Thuis",
        add_members=[own],
        add_person=True,
    )
    assert Participant.objects.filter(meeting=meeting, is_the_person=True).count() == 1
    assert Participant.objects.filter(meeting=meeting, membership=own).count() == 0
    assert calendar.own_participation(person_user, meeting).is_the_person
    assert calendar.reply(person_user, meeting, "accepted").reply == "accepted"


def test_the_person_chosen_only_as_a_member_is_invited_as_the_person(person, gp):
    own = _the_person_joins(person, gp)
    starts = timezone.now() + timedelta(days=3)
    meeting = meetings.plan_meeting(
        gp, person, kind="mdo", starts_at=starts, ends_at=starts + timedelta(hours=1), members=[own]
    )
    assert [(p.is_the_person, p.membership_id) for p in meeting.participants.all()] == [(True, None)]


def test_the_person_leaves_the_team_and_keeps_their_own_access(person, gp, person_user):
    own = _the_person_joins(person, gp)
    services.end_membership(person_user, person, own, version=own.version)
    assert gate.decide(person_user, person, Category.PLAN, Level.READ).allowed
    assert not Membership.objects.active().filter(user=person_user).exists()


# ── merging two records of the person ───────────────────────────────────────────────────────


def _records(gp, make_user):
    """Two records of the same person: the INSZ record and one registered without INSZ, each
    coordinated by the GP."""
    target = PersonFactory(insz="85073003328", given_name="Jozef", family_name="Wouters")
    alias = PersonFactory(insz=None, given_name="Jozef", family_name="Wouters")
    for record in (target, alias):
        join_team(record, gp, is_coordinator=True)
        consent_for(record, recorded_by=gp)
    return alias, target


def _person_rows(target):
    return list(
        Membership.objects.active().filter(person=target, profile=Profile.PERSON).values_list("user", flat=True)
    )


def test_a_merge_keeps_the_person_on_the_team_once(gp, make_user):
    alias, target = _records(gp, make_user)
    alias_account = make_user(Profile.PERSON, "Jozef Wouters (2)")
    target_account = make_user(Profile.PERSON, "Jozef Wouters")
    PersonFactory._meta.model.objects.filter(pk=alias.pk).update(account=alias_account)
    PersonFactory._meta.model.objects.filter(pk=target.pk).update(account=target_account)
    alias.refresh_from_db()
    target.refresh_from_db()
    services.add_the_person(gp, alias)
    services.add_the_person(gp, target)
    people_services.merge_persons(gp, alias, target)
    assert _person_rows(target) == [target_account.pk]
    ended = Membership.objects.get(person=target, user=alias_account)
    assert ended.until is not None and ended.handed_over_at is None  # the daily job hands over the rest


def test_a_merge_gives_the_alias_s_person_membership_to_the_target_s_account(gp, make_user):
    alias, target = _records(gp, make_user)
    alias_account = make_user(Profile.PERSON, "Jozef Wouters (2)")
    target_account = make_user(Profile.PERSON, "Jozef Wouters")
    PersonFactory._meta.model.objects.filter(pk=alias.pk).update(account=alias_account)
    PersonFactory._meta.model.objects.filter(pk=target.pk).update(account=target_account)
    alias.refresh_from_db()
    target.refresh_from_db()
    kept = services.add_the_person(gp, alias)
    people_services.merge_persons(gp, alias, target)
    assert _person_rows(target) == [target_account.pk]
    assert Membership.objects.get(pk=kept.pk).user == target_account
