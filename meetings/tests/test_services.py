"""Meetings' changes: invitees, the version check, the calendar sequence, questions, attendance,
decisions that become plan actions in one transaction, and closing with the next meeting."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from access.gate import Refused
from access.models import Exclusion
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.actions import Action
from core.errors import Conflict
from core.vocab import Profile
from meetings import queries, services
from meetings.models import AgendaQuestion, Decision, Meeting, Participant
from meetings.tests.factories import an_hour_ago, meeting, present
from plans.models import PlanAction, PlanReview
from plans.tests.factories import action, goal, membership_of

pytestmark = pytest.mark.django_db

# A valid RIZIV/INAMI number (legacy check digits: 97 - 187497 mod 97 = 4), as core's tests use.
RIZIV = "18749704477"


@pytest.fixture
def hooks(monkeypatch):
    """What the services hand to meetings.invitations (the calendar work fills those hooks)."""
    calls: list[tuple[str, object, object]] = []
    monkeypatch.setattr(
        services.invitations, "meeting_planned", lambda m, invited: calls.append(("planned", m.pk, len(invited)))
    )
    monkeypatch.setattr(services.invitations, "meeting_changed", lambda m: calls.append(("changed", m.pk, m.sequence)))
    monkeypatch.setattr(
        services.invitations, "meeting_cancelled", lambda m: calls.append(("cancelled", m.pk, m.sequence))
    )
    return calls


# ── Planning ────────────────────────────────────────────────────────────────────────────────


def test_planning_invites_members_the_person_and_a_guest(person, gp, nurse, caregiver, hooks):
    made = meeting(person, gp, nurse, caregiver, guests=[services.Guest("Els Wouters", "els@example.org")])
    rows = list(made.participants.order_by("pk"))
    assert [(p.membership_id is not None, p.is_the_person, p.email) for p in rows] == [
        (True, False, ""),
        (True, False, ""),
        (False, True, ""),
        (False, False, "els@example.org"),
    ]
    assert hooks == [("planned", made.pk, 4)]
    assert made.history.count() == 1 and made.history.first().history_user == gp
    assert (
        AuditEntry.objects.filter(action=Action.MEETINGS_MEETING_PLANNED, person_id=person.pk, event="change").count()
        == 1
    )


def test_an_excluded_professional_is_never_invited_and_nothing_is_planned(person, gp, nurse, person_user):
    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    with pytest.raises(ValidationError) as refused:
        meeting(person, gp, nurse)
    assert refused.value.message_dict["members"] == ["Sofie Janssens cannot be invited: the person has excluded them."]
    assert not Meeting.objects.exists() and not Participant.objects.exists()


def test_an_excluded_professional_is_not_invited_as_a_guest_either(person, gp, nurse, person_user):
    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    with pytest.raises(ValidationError) as refused:
        meeting(person, gp, guests=[services.Guest("Sofie", nurse.email.upper())])
    assert "guests" in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_a_meeting_ends_after_it_starts(person, gp):
    start = an_hour_ago()
    with pytest.raises(ValidationError) as refused:
        meeting(person, gp, starts_at=start, ends_at=start)
    assert "ends_at" in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_an_outsider_cannot_plan_and_the_refusal_is_logged(person, outsider):
    with pytest.raises(Refused) as refused:
        meeting(person, outsider)
    assert refused.value.decision.status == 404
    assert AuditEntry.objects.filter(
        actor_id=outsider.pk, action=Action.MEETINGS_MEETING_PLANNED, allowed=False
    ).exists()
    assert not Meeting.objects.exists()


def test_the_caregiver_reads_the_plan_but_does_not_plan_meetings(person, caregiver):
    with pytest.raises(Refused) as refused:
        meeting(person, caregiver)
    assert refused.value.decision.status == 403


# ── Changing and cancelling ─────────────────────────────────────────────────────────────────


def _change(made, actor, **fields):
    version = fields.pop("version", made.version)
    values = {
        "kind": made.kind,
        "starts_at": made.starts_at,
        "ends_at": made.ends_at,
        "place": made.place,
        "at_home": made.at_home,
        "video_link": made.video_link,
        **fields,
    }
    return services.change_meeting(actor, made, version=version, **values)


def test_a_new_time_raises_the_sequence_and_tells_the_invitees(person, gp, nurse, hooks):
    made = meeting(person, gp, nurse)
    _change(made, gp, starts_at=made.starts_at + timedelta(days=1), ends_at=made.ends_at + timedelta(days=1))
    made.refresh_from_db()
    assert (made.sequence, made.version) == (1, 2)
    assert hooks[-1] == ("changed", made.pk, 1)


def test_a_new_kind_alone_is_no_calendar_change(person, gp, hooks):
    made = meeting(person, gp)
    _change(made, gp, kind=Meeting.Kind.CASE)
    made.refresh_from_db()
    assert (made.kind, made.sequence) == (Meeting.Kind.CASE, 0)
    assert [call[0] for call in hooks] == ["planned"]


def test_two_changes_from_the_same_version_one_wins_the_other_is_told(person, gp, nurse):
    made = meeting(person, gp)
    stale = Meeting.objects.get(pk=made.pk)
    _change(made, gp, place="Huisartsenpraktijk")
    with pytest.raises(Conflict):
        _change(stale, nurse, place="Wijkgezondheidscentrum", version=1)
    made.refresh_from_db()
    assert (made.place, made.version) == ("Huisartsenpraktijk", 2)


def test_cancelling_keeps_the_meeting_and_tells_the_invitees(person, gp, nurse, hooks):
    made = meeting(person, gp, nurse)
    services.cancel_meeting(gp, made, version=1, reason="De huisarts is ziek.")
    made.refresh_from_db()
    assert (made.status, made.cancel_reason, made.sequence) == (Meeting.Status.CANCELLED, "De huisarts is ziek.", 1)
    assert hooks[-1] == ("cancelled", made.pk, 1)


def test_cancelling_needs_a_reason_and_changes_nothing_without(person, gp):
    made = meeting(person, gp)
    with pytest.raises(ValidationError):
        services.cancel_meeting(gp, made, version=1, reason="  ")
    assert Meeting.objects.get(pk=made.pk).status == Meeting.Status.PLANNED


# ── Questions ───────────────────────────────────────────────────────────────────────────────


def test_the_caregiver_and_the_person_put_questions_on_the_agenda(person, gp, caregiver, person_user):
    made = meeting(person, gp, caregiver)
    services.add_question(caregiver, made, text="Kan papa nog alleen douchen?")
    services.add_question(person_user, made, text="Wanneer komt de kinesist?")
    assert [q.text for q in queries.agenda(made).questions] == [
        "Kan papa nog alleen douchen?",
        "Wanneer komt de kinesist?",
    ]
    assert AuditEntry.objects.filter(action=Action.MEETINGS_AGENDA_QUESTION_ADDED, allowed=True).count() == 2


def test_no_question_after_the_meeting_is_closed(person, gp, caregiver):
    made = meeting(person, gp, caregiver)
    services.close_meeting(gp, made, version=1, no_next_reason="Jozef verhuist naar het woonzorgcentrum.")
    with pytest.raises(Refused) as refused:
        services.add_question(caregiver, made, text="Nog een vraag")
    assert refused.value.decision.status == 403
    assert not AgendaQuestion.objects.exists()


def test_an_outsider_cannot_put_a_question(person, gp, outsider):
    made = meeting(person, gp)
    with pytest.raises(Refused) as refused:
        services.add_question(outsider, made, text="Wie is dit?")
    assert refused.value.decision.status == 404
    assert not AgendaQuestion.objects.exists()


def test_a_neighbour_who_may_not_read_the_plan_cannot_put_a_question(person, gp):
    from people.tests.factories import join_team

    neighbour = UserFactory(profile=Profile.NEIGHBOUR, full_name="Karim El Amrani")
    join_team(person, neighbour)
    made = meeting(person, gp)
    with pytest.raises(Refused):
        services.add_question(neighbour, made, text="Mag ik komen?")


# ── Attendance ──────────────────────────────────────────────────────────────────────────────


def test_attendance_profession_and_riziv_number_are_recorded(person, gp, nurse):
    made = meeting(person, gp, nurse)
    nurse_row = made.participants.get(membership__user=nurse)
    rows = {
        str(p.public_id): services.Presence(
            "remote" if p == nurse_row else "in_person",
            profession="thuisverpleegkundige" if p == nurse_row else "",
            riziv_number="1-87497-04-477" if p == nurse_row else "",
        )
        for p in made.participants.all()
    }
    services.record_attendance(gp, made, version=1, minutes="Trap besproken.", person_agreed=True, presence=rows)
    nurse_row.refresh_from_db()
    assert (nurse_row.attendance, nurse_row.profession, nurse_row.riziv_number) == (
        "remote",
        "thuisverpleegkundige",
        RIZIV,
    )
    made.refresh_from_db()
    assert (made.minutes, made.person_agreed, made.version) == ("Trap besproken.", True, 2)


def test_a_wrong_riziv_number_is_refused_and_nothing_changes(person, gp, nurse):
    made = meeting(person, gp, nurse)
    nurse_row = made.participants.get(membership__user=nurse)
    rows = {str(nurse_row.public_id): services.Presence("in_person", riziv_number="18749799477")}
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(gp, made, version=1, minutes="Iets", person_agreed=True, presence=rows)
    assert "riziv_number" in refused.value.message_dict
    nurse_row.refresh_from_db()
    assert (nurse_row.attendance, Meeting.objects.get(pk=made.pk).minutes) == ("invited", "")


# ── Decisions ───────────────────────────────────────────────────────────────────────────────


def test_a_decision_becomes_a_proposed_action_of_its_owner(person, gp, nurse):
    made = meeting(person, gp, nurse)
    due = timezone.localdate() + timedelta(days=14)
    target = goal(person, gp)
    decision = services.add_decision(
        gp, made, text="Sofie vraagt een trapleuning aan.", owner=membership_of(person, nurse), due_on=due, goal=target
    )
    made_action = decision.action
    assert (made_action.title, made_action.owner.user, made_action.due_on, made_action.goal) == (
        "Sofie vraagt een trapleuning aan.",
        nurse,
        due,
        target,
    )
    assert (made_action.status, made_action.origin) == (PlanAction.Status.PROPOSED, PlanAction.Origin.MEETING)
    assert nurse.notifications.filter(kind="action_proposed", params__action=str(made_action.public_id)).exists()


def test_an_excluded_owner_leaves_neither_decision_nor_action(person, gp, nurse, person_user):
    made = meeting(person, gp, nurse)
    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    with pytest.raises(ValidationError):
        services.add_decision(
            gp, made, text="Sofie komt dagelijks.", owner=membership_of(person, nurse), due_on=timezone.localdate()
        )
    assert not Decision.objects.exists() and not PlanAction.objects.exists()


def test_a_failure_after_the_action_is_made_rolls_the_decision_and_the_action_back(person, gp, nurse, monkeypatch):
    made = meeting(person, gp, nurse)

    def broken(*args, **kwargs):
        raise RuntimeError("the notification could not be stored")

    monkeypatch.setattr("plans.services.notify", broken)
    with pytest.raises(RuntimeError):
        services.add_decision(
            gp, made, text="Sofie komt dagelijks.", owner=membership_of(person, nurse), due_on=timezone.localdate()
        )
    assert not Decision.objects.exists() and not PlanAction.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.MEETINGS_DECISION_RECORDED, event="change").exists()


def test_a_decision_needs_an_owner_and_a_due_date(person, gp):
    made = meeting(person, gp)
    with pytest.raises(ValidationError) as refused:
        services.add_decision(gp, made, text="Iemand doet iets.", owner=None, due_on=None)
    assert set(refused.value.message_dict) == {"owner", "due_on"}


# ── Closing ─────────────────────────────────────────────────────────────────────────────────


def _state():
    return (
        [model_to_dict(m) for m in Meeting.objects.order_by("pk")],
        Participant.objects.count(),
        PlanReview.objects.count(),
        AuditEntry.objects.filter(action=Action.MEETINGS_MEETING_CLOSED, event="change").count(),
    )


def test_closing_without_next_date_or_reason_is_refused_and_changes_nothing(person, gp, nurse):
    made = meeting(person, gp, nurse)
    before = _state()
    with pytest.raises(ValidationError) as refused:
        services.close_meeting(gp, made, version=1, no_next_reason="   ")
    assert refused.value.message_dict["next_starts_at"] == [
        "Give the date of the next meeting, or say why there is no next meeting."
    ]
    assert _state() == before


def test_closing_with_the_next_date_plans_it_with_the_same_invitees_and_reviews_the_plan(
    person, gp, nurse, caregiver, pharmacist, hooks
):
    made = meeting(person, gp, nurse, caregiver, pharmacist, guests=[services.Guest("Els", "els@example.org")])
    absent = made.participants.get(membership__user=pharmacist)
    present(made, gp, **{str(absent.public_id): "absent"})
    made.refresh_from_db()
    # The pharmacist leaves the team before the meeting closes: not invited again.
    membership_of(person, pharmacist).__class__.objects.filter(person=person, user=pharmacist).update(
        until=timezone.now()
    )
    next_start = made.starts_at + timedelta(days=90)
    services.close_meeting(gp, made, version=made.version, next_starts_at=next_start)
    made.refresh_from_db()
    following = made.next_meeting
    assert (made.status, made.closed_by, made.no_next_reason) == (Meeting.Status.CLOSED, gp, "")
    assert (following.status, following.kind, following.starts_at, following.ends_at - following.starts_at) == (
        Meeting.Status.PLANNED,
        made.kind,
        next_start,
        timedelta(hours=1),
    )
    invited = sorted(services.participant_name(p) for p in following.participants.select_related("membership__user"))
    assert invited == sorted([nurse.full_name, caregiver.full_name, "Jozef Wouters", "Els"])
    review = PlanReview.objects.get(meeting_id=made.public_id)
    assert review.reviewed_by == gp
    assert review.with_whom == "Sofie Janssens, Marie Claes, Jozef Wouters, Els"
    assert hooks[-1] == ("planned", following.pk, 4)


def test_closing_with_a_reason_plans_nothing(person, gp):
    made = meeting(person, gp)
    services.close_meeting(gp, made, version=1, no_next_reason="Jozef verhuist naar het woonzorgcentrum.")
    made.refresh_from_db()
    assert (made.status, made.next_meeting, made.no_next_reason) == (
        Meeting.Status.CLOSED,
        None,
        "Jozef verhuist naar het woonzorgcentrum.",
    )
    assert Meeting.objects.count() == 1


def test_a_meeting_is_closed_once_it_has_begun(person, gp):
    made = meeting(person, gp, starts_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError):
        services.close_meeting(gp, made, version=1, no_next_reason="Geen")
    assert Meeting.objects.get(pk=made.pk).status == Meeting.Status.PLANNED


def test_a_closed_meeting_is_read_only(person, gp, nurse):
    made = meeting(person, gp, nurse)
    services.close_meeting(gp, made, version=1, no_next_reason="Geen")
    made.refresh_from_db()
    with pytest.raises(ValidationError):
        services.add_decision(
            gp, made, text="Nog iets.", owner=membership_of(person, nurse), due_on=timezone.localdate()
        )
    with pytest.raises(ValidationError):
        services.record_attendance(
            gp, made, version=made.version, minutes="Later bijgeschreven", person_agreed=True, presence={}
        )
    assert Meeting.objects.get(pk=made.pk).minutes == ""
    assert not Decision.objects.exists()


# ── The agenda ──────────────────────────────────────────────────────────────────────────────


def test_the_agenda_holds_previous_decisions_overdue_actions_goals_due_and_questions(
    person, gp, nurse, caregiver, settings
):
    settings.PLAN_REVIEW_INTERVAL_DAYS = 30
    today = timezone.localdate()
    first = meeting(person, gp, nurse, starts_at=an_hour_ago() - timedelta(days=60))
    earlier = services.add_decision(
        gp,
        first,
        text="Sofie bestelt een rollator.",
        owner=membership_of(person, nurse),
        due_on=today - timedelta(days=50),
    )
    services.close_meeting(gp, first, version=1, no_next_reason="Opvolging volgt.")  # reviewed 60 days ago
    old_goal = goal(person, gp, title="Zelfstandig douchen")
    recent_goal = goal(person, gp, title="Elke week naar de markt")
    type(old_goal).objects.filter(pk=old_goal.pk).update(updated_at=timezone.now() - timedelta(days=45))
    late = action(person, gp, nurse, title="Douchestoel plaatsen", due_on=today - timedelta(days=1))
    action(person, gp, nurse, title="Kinesist bellen", due_on=today)  # due today: not overdue yet
    second = meeting(person, gp, nurse, caregiver)
    services.add_question(caregiver, second, text="Kan papa nog alleen douchen?")

    agenda = queries.agenda(second)
    assert agenda.previous == first
    assert [(d.text, d.action.status) for d in agenda.previous_decisions] == [
        ("Sofie bestelt een rollator.", PlanAction.Status.PROPOSED)
    ]
    assert agenda.overdue == [earlier.action, late]
    assert agenda.goals_due == [old_goal] and recent_goal not in agenda.goals_due
    assert [q.text for q in agenda.questions] == ["Kan papa nog alleen douchen?"]


def test_a_recent_review_leaves_no_goal_due(person, gp):
    old = goal(person, gp)
    type(old).objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=200))
    assert queries.goals_due_for_review(person, timezone.now()) == [old]
    PlanReview.objects.create(person=person, reviewed_by=gp, reviewed_on=timezone.localdate())
    assert queries.goals_due_for_review(person, timezone.now()) == []


def test_the_next_meeting_is_never_in_the_past(person, gp, nurse, hooks):
    made = meeting(person, gp, nurse)
    made.refresh_from_db()
    # Closed a week late: a "next" date between this meeting and now is already past.
    too_early = max(made.starts_at, timezone.now()) - timedelta(minutes=5)
    with pytest.raises(ValidationError):
        services.close_meeting(gp, made, version=made.version, next_starts_at=too_early)
    made.refresh_from_db()
    assert (made.status, made.next_meeting) == (Meeting.Status.PLANNED, None)


def test_a_guest_excluded_since_does_not_block_planning_the_next_meeting(person, gp, nurse, person_user, hooks):
    guest = UserFactory(profile=Profile.SOCIAL_WORKER, email="els@example.org")
    made = meeting(person, gp, nurse, guests=[services.Guest("Els", "els@example.org")])
    present(made, gp)
    made.refresh_from_db()
    Exclusion.objects.create(person=person, excluded=guest, recorded_by=person_user)
    services.close_meeting(gp, made, version=made.version, next_starts_at=made.starts_at + timedelta(days=90))
    made.refresh_from_db()
    assert not made.next_meeting.participants.filter(email="els@example.org").exists()


def test_the_retention_purge_deletes_a_chain_of_meetings(person, gp, nurse, hooks):
    from core import persondata

    made = meeting(person, gp, nurse)
    present(made, gp)
    made.refresh_from_db()
    services.close_meeting(gp, made, version=made.version, next_starts_at=made.starts_at + timedelta(days=90))
    for data in persondata.purge_kinds()["meetings"]:
        data.rows([person.pk]).delete()
    assert not Meeting.objects.filter(person=person).exists()
